/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The page shell every server-rendered page shares, and the one stylesheet of the public pages and the console. */
import type { Child, FC } from "hono/jsx";
import { NOTICE_CSS } from "../notice/index.js";

export const SITE_CSS = `${NOTICE_CSS}
header.site{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:baseline;border-bottom:1px solid var(--line);
padding-bottom:.6rem;margin-bottom:1rem}
header.site a{text-decoration:none}header.site nav a{margin-right:.75rem;white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
footer{margin-top:3rem;color:var(--muted);font-size:.9rem}.error{color:var(--danger)}
.errors{border:2px solid var(--danger);border-radius:6px;padding:.5rem 1rem}
.flash{border-left:4px solid var(--ok);background:#eef7f0;padding:.6rem .9rem;border-radius:4px}
.flash.error{border-color:var(--danger);background:#fdeeee}
fieldset{margin:1rem 0;border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem}legend{font-weight:600;
padding:0 .3rem}
label{font-weight:500}
input[type=text],input[type=email],input[type=password],input[type=number],input[type=date],
input[type=datetime-local],input[type=search],select,textarea{
padding:.5rem .6rem;width:100%;max-width:26rem;font:inherit;
border:1px solid #b8b8c4;border-radius:6px;background:#fff}
textarea{max-width:40rem}.field{margin:.75rem 0}.field small,.hint{display:block;color:var(--muted);font-size:.88rem}
button,.button{font:inherit;font-weight:600;padding:.45rem 1rem;border-radius:6px;border:1px solid var(--accent);
background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger,.button.danger{background:var(--danger);border-color:var(--danger);color:#fff}
button.link{background:none;border:none;color:var(--accent);padding:0;font-weight:500;text-decoration:underline}
form.inline{display:inline}.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.75rem 0}
.empty{color:var(--muted);font-style:italic}.badge{display:inline-block;border-radius:999px;padding:0 .55rem;
font-size:.85rem;background:var(--soft);border:1px solid var(--line)}
.badge.hold{background:#fff3cd;border-color:var(--warn);color:#5c3500}.badge.danger{background:#fdeeee;
border-color:var(--danger);color:var(--danger)}
details>summary{cursor:pointer;font-weight:600}.tiles{display:grid;
grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.75rem;list-style:none;padding:0}
.tiles li{border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem}.tiles strong{font-size:1.6rem;
display:block}
svg.chart{max-width:100%;height:auto}.lead{font-size:1.08rem}.check{margin:.4rem 0}
.choice{display:flex;gap:.75rem;align-items:flex-start;border:1px solid var(--line);border-radius:10px;
padding:.8rem 1rem;margin:.5rem 0;cursor:pointer;font-weight:400}
.choice:has(input:checked){border-color:var(--accent);background:#f2f6fe}.choice input{margin-top:.3rem}
.choice small{display:block;color:var(--muted)}
form.rights fieldset{border:0;padding:0}form.rights legend{font-size:1.2rem;margin-bottom:.25rem}
details{margin:1rem 0}.block{display:block}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:40rem){input[type=text],input[type=email],input[type=password],select{max-width:100%}}`;

/**
 * A full HTML page with a skip link, a site header and a main landmark. The console passes its own navigation
 * (`nav`), which replaces the public one.
 */
export const Page: FC<{ title: string; organization: string; lang?: string; nav?: Child; children?: Child }> = ({
  title,
  organization,
  lang,
  nav,
  children,
}) => (
  <html lang={lang ?? "en"}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <link rel="icon" href="/favicon.ico" />
      <style>{SITE_CSS}</style>
    </head>
    <body>
      <a class="skip" href="#main">
        {lang === "de" ? "Zum Inhalt" : lang === "fr" ? "Aller au contenu" : "Skip to content"}
      </a>
      <header class="site">
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
              {lang === "de" ? "Datenschutz-Center" : lang === "fr" ? "Centre de confidentialité" : "Privacy center"}
            </a>
          </nav>
        )}
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
