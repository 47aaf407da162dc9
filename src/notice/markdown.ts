/** The notice as Markdown, with every text escaped. */
import type { Block, Inline, NoticeDoc } from "./model.js";

/** Escapes Markdown and inline HTML so that text renders as text. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}\[\]()#+\-.!|<>&~]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : "\\" + c))
    .replace(/\n/g, " ");
}

function inline(content: Inline[]): string {
  return content
    .map((c) => (typeof c === "string" ? escapeMarkdown(c) : `[${escapeMarkdown(c.text)}](${encodeURI(c.href).replace(/[()]/g, (p) => encodeURIComponent(p))})`))
    .join("");
}

function block(b: Block): string {
  switch (b.kind) {
    case "p":
      return inline(b.content);
    case "h3":
      return `### ${escapeMarkdown(b.text)}`;
    case "list":
      return b.items.map((i) => `- ${inline(i)}`).join("\n");
    case "fields":
      return b.rows.map(([k, v]) => `- **${escapeMarkdown(k)}:** ${inline(v)}`).join("\n");
    case "table":
      return [`| ${b.head.map(escapeMarkdown).join(" | ")} |`, `| ${b.head.map(() => "---").join(" | ")} |`, ...b.rows.map((r) => `| ${r.map(inline).join(" | ")} |`)].join("\n");
  }
}

/** Renders the notice as Markdown with a linked table of contents. */
export function renderNoticeMarkdown(doc: NoticeDoc): string {
  const out: string[] = [`# ${escapeMarkdown(doc.title)}`, "", `Version ${escapeMarkdown(doc.version)}, effective ${escapeMarkdown(doc.effectiveDate)}`, ""];
  out.push(...doc.sections.map((s, i) => `${i + 1}. [${escapeMarkdown(s.title)}](#${s.id})`), "");
  for (const s of doc.sections) {
    out.push(`<a id="${s.id}"></a>`, "", `## ${escapeMarkdown(s.title)}`, "");
    for (const b of s.blocks) out.push(block(b), "");
  }
  return out.join("\n");
}
