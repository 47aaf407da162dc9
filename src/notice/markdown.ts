/** The notice as Markdown: text escaped only where Markdown would read it as markup. */
import type { Block, Inline, NoticeDoc } from "./model.js";

/**
 * Escapes what Markdown would read as markup, and nothing else, so that the
 * raw text stays readable (`Datenanfragen.de`, `2020-06-22`, `(GDPR Art 15)`
 * are left alone): backslashes, code spans, emphasis, links, tables and inline
 * HTML always; `#`, `-`, `+`, `>` and `1.` only where they would start a block;
 * `_` only at a word's edge (inside a word it is no emphasis); `&` only where
 * it would start an entity.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\n/g, " ")
    .replace(/[\\`*[\]|]/g, (c) => `\\${c}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, "&amp;")
    .replace(/<|>/g, (c) => (c === "<" ? "&lt;" : "&gt;"))
    .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace("_", "\\_"))
    .replace(/~~/g, "\\~\\~")
    .replace(/!(?=\\\[)/g, "\\!")
    .replace(
      /^(\s*)([#+\-=]|\d+[.)])(?=\s|$)/,
      (_m, sp: string, mark: string) =>
        `${sp}${mark.replace(/^(\d+)([.)])$/, "$1\\$2").replace(/^([#+\-=])$/, "\\$1")}`,
    );
}

function inline(content: Inline[]): string {
  return content
    .map((c) =>
      typeof c === "string"
        ? escapeMarkdown(c)
        : `[${escapeMarkdown(c.text)}](${encodeURI(c.href).replace(/[()]/g, (p) => encodeURIComponent(p))})`,
    )
    .join("");
}

function block(b: Block): string {
  switch (b.kind) {
    case "p":
      return inline(b.content);
    case "h3":
      return `### ${escapeMarkdown(b.text)}`;
    case "list":
      return b.items.map((i) => `- ${inline(i.content)}`).join("\n");
    case "fields":
      return b.rows.map((r) => `- **${escapeMarkdown(r.label)}:** ${inline(r.content)}`).join("\n");
    case "table":
      return [
        `| ${b.head.map(escapeMarkdown).join(" | ")} |`,
        `| ${b.head.map(() => "---").join(" | ")} |`,
        ...b.rows.map((r) => `| ${r.map((c) => inline(c.content)).join(" | ")} |`),
      ].join("\n");
  }
}

/** Renders the notice as Markdown with a linked table of contents. */
export function renderNoticeMarkdown(doc: NoticeDoc): string {
  const out: string[] = [`# ${escapeMarkdown(doc.title)}`, "", escapeMarkdown(doc.meta), ""];
  out.push(...doc.sections.map((s, i) => `${i + 1}. [${escapeMarkdown(s.title)}](#${s.id})`), "");
  for (const s of doc.sections) {
    out.push(`<a id="${s.id}"></a>`, "", `## ${escapeMarkdown(s.title)}`, "");
    for (const b of s.blocks) out.push(block(b), "");
  }
  return out.join("\n");
}
