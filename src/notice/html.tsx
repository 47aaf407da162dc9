/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The notice as HTML, rendered with Hono JSX (which escapes all text). */
import type { FC } from "hono/jsx";
import type { Block, Inline, NoticeDoc } from "./model.js";

const InlineText: FC<{ content: Inline[] }> = ({ content }) => (
  <>{content.map((c) => (typeof c === "string" ? c : <a href={safeHref(c.href)}>{c.text}</a>))}</>
);

/** Only http(s), mailto and site-relative links survive; anything else becomes inert. */
function safeHref(href: string): string {
  return /^(https?:|mailto:|\/)/i.test(href) ? href : "#";
}

const BlockView: FC<{ block: Block }> = ({ block }) => {
  switch (block.kind) {
    case "p":
      return (
        <p>
          <InlineText content={block.content} />
        </p>
      );
    case "h3":
      return <h3 id={block.id}>{block.text}</h3>;
    case "list":
      return (
        <ul>
          {block.items.map((i) => (
            <li>
              <InlineText content={i} />
            </li>
          ))}
        </ul>
      );
    case "fields":
      return (
        <dl>
          {block.rows.map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>
                <InlineText content={v} />
              </dd>
            </>
          ))}
        </dl>
      );
    case "table":
      return (
        <table>
          <thead>
            <tr>
              {block.head.map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((r) => (
              <tr>
                {r.map((cell) => (
                  <td>
                    <InlineText content={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
};

/** The notice's body: a table of contents and one section per item, each with an anchor. */
export const NoticeArticle: FC<{ doc: NoticeDoc }> = ({ doc }) => (
  <article class="notice">
    <h1>{doc.title}</h1>
    <p class="meta">{doc.meta}</p>
    <nav aria-label={doc.sectionsLabel}>
      <ol>
        {doc.sections.map((s) => (
          <li>
            <a href={`#${s.id}`}>{s.title}</a>
          </li>
        ))}
      </ol>
    </nav>
    {doc.sections.map((s) => (
      <section id={s.id} aria-labelledby={`${s.id}-title`}>
        <h2 id={`${s.id}-title`}>{s.title}</h2>
        {s.blocks.map((b) => (
          <BlockView block={b} />
        ))}
      </section>
    ))}
  </article>
);

export const NOTICE_CSS = `:root{--fg:#1d1d1f;--muted:#5b5b66;--line:#d9d9e0;--bg:#fff;--soft:#f5f5f8;
--accent:#0b57d0;--danger:#b3261e;--ok:#176b2c;--warn:#8a5300}
*,*::before,*::after{box-sizing:border-box}
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:0 auto;
padding:1rem 1.25rem 3rem;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
h1{font-size:1.75rem;line-height:1.2;margin:1.25rem 0 .75rem}h2{font-size:1.3rem;margin-top:2rem;
border-bottom:1px solid var(--line);padding-bottom:.25rem}h3{font-size:1.08rem;margin-top:1.5rem}
.meta,.muted{color:var(--muted)}nav ol{columns:2;column-gap:2.5rem}nav li{break-inside:avoid}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;
text-align:left;vertical-align:top}th{font-weight:600;background:var(--soft)}
a{color:var(--accent)}:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
@media (max-width:40rem){body{padding:.75rem}nav ol{columns:1}dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}
table{display:block;overflow-x:auto;max-width:100%}h1{font-size:1.45rem}}`;

/** A complete HTML document for the notice. */
export function renderNoticeHtml(doc: NoticeDoc): string {
  const page = (
    <html lang={doc.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{doc.title}</title>
        <style>{NOTICE_CSS}</style>
      </head>
      <body>
        <main>
          <NoticeArticle doc={doc} />
        </main>
      </body>
    </html>
  );
  return `<!doctype html>\n${page.toString()}`;
}
