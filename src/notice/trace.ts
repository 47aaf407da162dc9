/**
 * Provenance: every sentence, list item, field and table cell the notice prints carries the declaration paths that
 * state it. A statement is made only from values the author wrote (never from a schema default), and Pledge's own
 * wording of the law carries the article that requires the notice to say it. `checkProvenance` is the guarantee's test;
 * `explainNotice` answers "why does my notice say this?" with the `file:line` of each sentence's source.
 */
import { formatPath, type DocPath, type Written } from "../declaration/index.js";

export type Inline = string | { text: string; href: string };

/** Where a printed text comes from: declaration paths, and the law's article where the wording is Pledge's. */
export interface Src {
  /** Paths the statement rests on, all of them. */
  paths: readonly DocPath[];
  /** Paths of which any one states it (a category named by several purposes): the written ones. */
  anyOf?: readonly DocPath[];
  /** The article that requires the notice to say this (`GDPR Art 13(2)(d)`), for Pledge's own wording of the law. */
  law?: string;
}

/** One traced statement: its text and its source. */
export interface Item {
  content: Inline[];
  src: Src;
}

const NO_SOURCE: Src = { paths: [] };
const inlines = (c: string | Inline[]): Inline[] => (typeof c === "string" ? [c] : c);

/**
 * Makes traced statements. Each is made only when every path it rests on was written by the author: a statement
 * resting on a default is never made, whatever the code around it does.
 */
export class Trace {
  constructor(readonly written: Written) {}

  /** Whether the author wrote this path. */
  has(path: DocPath): boolean {
    return this.written.has(path);
  }

  /** A statement of declared facts; undefined unless every path was written (and at least one is given). */
  say(content: string | Inline[], ...paths: DocPath[]): Item | undefined {
    if (!paths.length || !paths.every((p) => this.written.has(p))) return undefined;
    return { content: inlines(content), src: { paths } };
  }

  /**
   * A statement that any one of several paths makes (a retention rule bound to a category by two purposes), with the
   * paths it also rests on; undefined unless one of them was written.
   */
  sayAny(content: string | Inline[], anyOf: readonly DocPath[], ...paths: DocPath[]): Item | undefined {
    const stated = anyOf.filter((p) => this.written.has(p));
    if (!stated.length || !paths.every((p) => this.written.has(p))) return undefined;
    return { content: inlines(content), src: { paths, anyOf: stated } };
  }

  /** Pledge's own wording of what the law requires the notice to say, resting on the paths given (if any). */
  law(article: string, content: string | Inline[], ...paths: DocPath[]): Item | undefined {
    if (!paths.every((p) => this.written.has(p))) return undefined;
    return { content: inlines(content), src: { paths, law: article } };
  }

  /** The law's wording, made where any one of these paths was written (a consent basis on any purpose). */
  lawAny(article: string, content: string | Inline[], anyOf: readonly DocPath[]): Item | undefined {
    const stated = anyOf.filter((p) => this.written.has(p));
    return stated.length ? { content: inlines(content), src: { paths: [], anyOf: stated, law: article } } : undefined;
  }

  /** A table cell with nothing to state. */
  empty(text = "—"): Item {
    return { content: [text], src: NO_SOURCE };
  }
}

/** The text of an item, for comparing and printing. */
export function itemText(content: Inline[]): string {
  return content.map((c) => (typeof c === "string" ? c : c.text)).join("");
}

/** The text with each link's address after it, as `--explain` shows it. */
function shownText(content: Inline[]): string {
  return content
    .map((c) =>
      typeof c === "string" || c.text === c.href || c.href.startsWith("mailto:")
        ? itemText([c])
        : `${c.text} <${c.href}>`,
    )
    .join("");
}

/** A printed statement with its section, for the checker and `--explain`. */
export interface Statement {
  section: string;
  /** The section's title, where the document gives one. */
  title?: string;
  text: string;
  src: Src;
}

interface Traced {
  sections: {
    id: string;
    title?: string;
    blocks: (
      | { kind: "p"; content: Inline[]; src: Src }
      | { kind: "h3"; text: string; src?: Src }
      | { kind: "list"; items: Item[] }
      | { kind: "fields"; rows: (Item & { label: string })[] }
      | { kind: "table"; rows: Item[][] }
    )[];
  }[];
}

/** Every statement of a document, in reading order (headings only where they state a declared text). */
export function statementsOf(doc: Traced): Statement[] {
  const out: Statement[] = [];
  for (const s of doc.sections)
    for (const b of s.blocks) {
      const add = (content: Inline[], src: Src, label?: string) =>
        out.push({
          section: s.id,
          ...(s.title ? { title: s.title } : {}),
          text: (label ? `${label}: ` : "") + shownText(content),
          src,
        });
      if (b.kind === "p") add(b.content, b.src);
      else if (b.kind === "h3") {
        if (b.src) add([b.text], b.src);
      } else if (b.kind === "list") for (const i of b.items) add(i.content, i.src);
      else if (b.kind === "fields") for (const r of b.rows) add(r.content, r.src, r.label);
      else for (const row of b.rows) for (const c of row) add(c.content, c.src);
    }
  return out;
}

/** A statement that breaks the guarantee, and why. */
export interface ProvenanceProblem {
  section: string;
  text: string;
  problem: string;
}

const EMPTY_TEXT = /^[\s—–-]*$/;
/** A citation names an article, section or paragraph of a law. */
const ARTICLE = /\b(Art|§|s|ss|r|Rule|Section|CFR|Code|Stat|ORS|RSA|KRS|C\.R\.S|N\.J\.S\.A|CCR)\b\.?\s*\d|§/;

/**
 * Checks a document against what was written: each statement rests on at least one written path, or is the law's
 * wording with its article. Empty cells state nothing and need no source.
 */
export function checkProvenance(doc: Traced, written: Written): ProvenanceProblem[] {
  const problems: ProvenanceProblem[] = [];
  for (const st of statementsOf(doc)) {
    const at = { section: st.section, text: st.text };
    if (EMPTY_TEXT.test(st.text.replace(/^[^:]*: /, ""))) continue;
    if (!st.src.paths.length && !st.src.anyOf?.length && !st.src.law)
      problems.push({ ...at, problem: "no declaration path and no article" });
    else if (st.src.law !== undefined && !ARTICLE.test(st.src.law))
      problems.push({ ...at, problem: `the law it cites names no article: '${st.src.law}'` });
    for (const p of [...st.src.paths, ...(st.src.anyOf ?? [])])
      if (!written.has(p)) problems.push({ ...at, problem: `${formatPath(p)} is not written in the declaration` });
  }
  return problems;
}

/**
 * Each statement beside the `file:line` of its sources: `pledge notice --explain`. The law's wording shows its article.
 */
export function explainNotice(doc: Traced, written: Written): string {
  const lines: string[] = [];
  let section = "";
  for (const st of statementsOf(doc)) {
    if (st.section !== section) {
      section = st.section;
      lines.push("", `## ${st.title ?? section}`);
    }
    const at = (p: DocPath) => {
      const loc = written.locate?.(p);
      return loc ? `${loc.file}:${loc.line} ${formatPath(p)}` : formatPath(p);
    };
    const where = st.src.paths.map(at);
    if (st.src.anyOf?.length) where.push(`any of ${st.src.anyOf.map(at).join(", ")}`);
    if (st.src.law) where.push(`law: ${st.src.law}`);
    lines.push(`${st.text}`, `    ← ${where.join("; ") || "(nothing stated)"}`);
  }
  return lines.join("\n").trimStart();
}
