/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The page shell every server-rendered page shares. */
import type { Child, FC } from "hono/jsx";
import { NOTICE_CSS } from "../notice/index.js";

export const SITE_CSS = `${NOTICE_CSS}
header.site{display:flex;gap:1rem;align-items:baseline;border-bottom:1px solid #ddd;padding-bottom:.5rem;margin-bottom:1rem}
header.site a{text-decoration:none}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
footer{margin-top:3rem;color:#555;font-size:.9rem}.error{color:#b00020}.errors{border:2px solid #b00020;padding:.5rem 1rem}
fieldset{margin:1rem 0;border:1px solid #ccc}input[type=text],input[type=email],input[type=password],select{padding:.4rem;min-width:18rem;font:inherit}button{font:inherit;padding:.4rem .9rem}`;

/** A full HTML page with a skip link, a site header and a main landmark. */
export const Page: FC<{ title: string; organization: string; children?: Child }> = ({
  title,
  organization,
  children,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <style>{SITE_CSS}</style>
    </head>
    <body>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="site">
        <strong>{organization}</strong>
        <nav aria-label="Site">
          <a href="/privacy">Privacy notice</a> · <a href="/privacy-center">Privacy center</a>
        </nav>
      </header>
      <main id="main">{children}</main>
      <footer>Published with Pledge.</footer>
    </body>
  </html>
);

/** Renders a page element to a complete HTML document. */
export async function renderPage(node: unknown): Promise<string> {
  return `<!doctype html>\n${String(await (node as Promise<unknown> | unknown))}`;
}
