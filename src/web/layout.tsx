/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The page shell every server-rendered page shares, and the one stylesheet of the public pages and the console. */
import type { Child, FC } from "hono/jsx";
import { stylesheetPath } from "../style/index.js";

/**
 * A full HTML page with a skip link, a site header and a main landmark. The console passes its own navigation
 * (`nav`), which replaces the public one.
 */
export const Page: FC<{
  title: string;
  organization: string;
  lang?: string;
  nav?: Child;
  sidebar?: Child;
  children?: Child;
}> = ({ title, organization, lang, nav, sidebar, children }) => (
  <html lang={lang ?? "en"} data-theme="light">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <link rel="icon" href="/favicon.ico" />
      <link rel="stylesheet" href={stylesheetPath()} />
    </head>
    <body class={sidebar ? "console" : undefined}>
      <a class="skip" href="#main">
        {lang === "de" ? "Zum Inhalt" : lang === "fr" ? "Aller au contenu" : "Skip to content"}
      </a>
      {sidebar ? (
        <div class="console-shell">
          <aside>
            <strong class="org">{organization}</strong>
            {sidebar}
          </aside>
          <main id="main">{children}</main>
        </div>
      ) : (
        <>
          <header class="site container">
            <strong>{organization}</strong>
            {nav ?? (
              <nav aria-label="Site">
                <a href="/privacy">
                  {lang === "de"
                    ? "Datenschutzerklärung"
                    : lang === "fr"
                      ? "Politique de confidentialité"
                      : "Privacy notice"}
                </a>
                <a href="/privacy-center">
                  {lang === "de"
                    ? "Datenschutz-Center"
                    : lang === "fr"
                      ? "Centre de confidentialité"
                      : "Privacy center"}
                </a>
              </nav>
            )}
          </header>
          <main id="main" class="container">
            {children}
          </main>
          <footer class="container">
            {lang === "de"
              ? "Veröffentlicht mit Pledge."
              : lang === "fr"
                ? "Publié avec Pledge."
                : "Published with Pledge."}
          </footer>
        </>
      )}
    </body>
  </html>
);

/** Renders a page element to a complete HTML document. */
export async function renderPage(node: unknown): Promise<string> {
  return `<!doctype html>\n${String(await (node as Promise<unknown> | unknown))}`;
}
