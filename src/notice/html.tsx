/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The notice as HTML, rendered with Hono JSX (which escapes all text). */
import type { FC } from "hono/jsx";
import type { Block, Inline, NoticeDoc } from "./model.js";
import { raw } from "hono/html";
import { stylesheetCss } from "../style/index.js";

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
              <InlineText content={i.content} />
            </li>
          ))}
        </ul>
      );
    case "fields":
      return (
        <dl>
          {block.rows.map((r) => (
            <>
              <dt>{r.label}</dt>
              <dd>
                <InlineText content={r.content} />
              </dd>
            </>
          ))}
        </dl>
      );
    case "table":
      return (
        <table tabindex={0}>
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
                    <InlineText content={cell.content} />
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

/** The house stylesheet, inlined: the notice as HTML is a file that stands alone. */
export const noticeStyle = () => <style>{raw(stylesheetCss())}</style>;

/** A complete HTML document for the notice. */
export function renderNoticeHtml(doc: NoticeDoc): string {
  const page = (
    <html lang={doc.lang} data-theme="light">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{doc.title}</title>
        {noticeStyle()}
      </head>
      <body>
        <main class="container">
          <NoticeArticle doc={doc} />
        </main>
      </body>
    </html>
  );
  return `<!doctype html>\n${page.toString()}`;
}
