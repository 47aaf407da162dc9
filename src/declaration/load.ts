/**
 * Loading a declaration: YAML text in, a typed `Declaration` out, or a
 * `DeclarationError` whose every issue points at `file:line:column` and the
 * path inside the document.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { DeclarationSchema } from "./references.js";
import type { Declaration } from "./schema.js";
import { didYouMean } from "./suggest.js";
import { recordWritten, writtenIn } from "./written.js";

export type DocPath = readonly (string | number)[];

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface DeclarationIssue {
  /** The path inside the document, e.g. `["purposes", "marketing", "legalBasis"]`. */
  path: (string | number)[];
  message: string;
  location: SourceLocation;
}

/** `purposes.marketing.dataCategories[2]` */
export function formatPath(path: DocPath): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || "(document)";
}

/** `pledge.yaml:42:7 purposes.marketing.legalBasis: expected one of …` */
export function formatIssue(issue: DeclarationIssue): string {
  const { file, line, column } = issue.location;
  return `${file}:${line}:${column} ${formatPath(issue.path)}: ${issue.message}`;
}

/** A declaration that does not parse or validate; `issues` holds every located problem. */
export class DeclarationError extends Error {
  readonly code = "DECLARATION_INVALID";
  constructor(readonly issues: DeclarationIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "DeclarationError";
  }
}

/** A declaration read from text, with what is needed to point back at its source. */
export interface LoadedDeclaration {
  declaration: Declaration;
  file: string;
  source: string;
  /** SHA-256 of the source text. */
  hash: string;
  /** The source position of a path inside the document (the nearest existing ancestor if it is absent). */
  locate(path: DocPath): SourceLocation;
}

/**
 * Parses and validates declaration text.
 *
 * ```ts
 * const { declaration } = parseDeclaration(readFileSync("pledge.yaml", "utf8"), "pledge.yaml");
 * ```
 * @throws DeclarationError with located issues
 */
export function parseDeclaration(source: string, file = "pledge.yaml"): LoadedDeclaration {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const locate = (path: DocPath, key = false) => at(offsetOf(doc.contents as YamlNode | null, path, key));

  if (doc.errors.length > 0) {
    throw new DeclarationError(
      doc.errors.map((e) => ({
        path: [],
        message: `invalid YAML: ${e.message.split("\n")[0]}`,
        location: e.linePos ? { file, line: e.linePos[0].line, column: e.linePos[0].col } : at(e.pos[0]),
      })),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new DeclarationError([{ path: [], message: `invalid YAML: ${(err as Error).message}`, location: at(0) }]);
  }
  if (raw === null || raw === undefined) {
    throw new DeclarationError([{ path: [], message: "the declaration is empty", location: at(0) }]);
  }

  const result = DeclarationSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.flatMap((i) => toIssues(i, raw, locate));
    throw new DeclarationError(dedupe(issues));
  }
  recordWritten(
    result.data,
    writtenIn(raw, (path) => locate(path, true)),
  );
  return {
    declaration: result.data,
    file,
    source,
    hash: createHash("sha256").update(source).digest("hex"),
    locate: (path) => locate(path),
  };
}

/** Reads and parses a declaration file; errors name the file by its base name. */
export async function loadDeclaration(path: string): Promise<LoadedDeclaration> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new DeclarationFileError(path, err as NodeJS.ErrnoException);
  }
  return parseDeclaration(text, basename(path));
}

/** The declaration file cannot be read. */
export class DeclarationFileError extends Error {
  readonly code = "DECLARATION_UNREADABLE";
  constructor(path: string, cause: NodeJS.ErrnoException) {
    super(cause.code === "ENOENT" ? `${path}: no such file` : `${path}: ${cause.message}`, { cause });
    this.name = "DeclarationFileError";
  }
}

function dedupe(issues: DeclarationIssue[]): DeclarationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = formatIssue(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

type Locate = (path: DocPath, key?: boolean) => SourceLocation;

function toIssues(issue: z.core.$ZodIssue, raw: unknown, locate: Locate): DeclarationIssue[] {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  const value = valueAt(raw, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeys(path, raw);
      return issue.keys.map((k) => ({
        path: [...path, k],
        message:
          `unknown key '${k}'${didYouMean(k, allowed)}` +
          `${allowed.length ? ` (allowed: ${allowed.join(", ")})` : ""}`,
        location: locate([...path, k], true),
      }));
    }
    case "invalid_value": {
      const values = issue.values.map(String);
      const hint = typeof value === "string" ? `, got '${value}'${didYouMean(value, values)}` : "";
      const missing = value === undefined;
      // A list with a message of its own in the schema (the jurisdictions, with a suggestion) keeps it; zod's default
      // message is replaced by the list and the nearest value.
      const own = !missing && !issue.message.startsWith("Invalid ");
      return [
        {
          path,
          message: own
            ? issue.message
            : missing
              ? `missing; expected one of ${values.join(", ")}`
              : `expected one of ${values.join(", ")}${hint}`,
          location: locate(path),
        },
      ];
    }
    case "invalid_type": {
      if (value === undefined) {
        const name = path[path.length - 1];
        return [
          {
            path,
            message: `missing required ${describeExpected(issue.expected)} '${String(name)}'`,
            location: locate(path.slice(0, -1)),
          },
        ];
      }
      const quoteHint =
        issue.expected === "string" && (typeof value === "number" || typeof value === "boolean")
          ? ` (quote it: "${String(value)}")`
          : "";
      return [
        {
          path,
          message: `expected ${describeExpected(issue.expected)}, got ${describeValue(value)}${quoteHint}`,
          location: locate(path),
        },
      ];
    }
    case "invalid_union": {
      if ((issue as { note?: string }).note === "No matching discriminator" || issue.errors.length === 0) {
        const disc = issue.discriminator ?? "engine";
        const unionPath = path[path.length - 1] === disc ? path.slice(0, -1) : path;
        const options = unionOptions(unionPath);
        const holder = valueAt(raw, unionPath);
        const got = holder && typeof holder === "object" ? (holder as Record<string, unknown>)[disc] : undefined;
        return [
          {
            path: [...unionPath, disc],
            message:
              `expected one of ${options.join(", ")}` +
              (typeof got === "string"
                ? `, got '${got}'${didYouMean(got, options)}`
                : got === undefined
                  ? " (missing)"
                  : ""),
            location: locate([...unionPath, disc]),
          },
        ];
      }
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      return best.flatMap((i) => toIssues({ ...i, path: [...path, ...i.path] } as z.core.$ZodIssue, raw, locate));
    }
    case "invalid_key": {
      const key = path[path.length - 1];
      return [
        {
          path,
          message: `invalid key '${String(key)}': ${issue.issues[0]?.message ?? issue.message}`,
          location: locate(path, true),
        },
      ];
    }
    case "invalid_element":
      return [{ path, message: issue.message, location: locate(path) }];
    case "too_small": {
      const what =
        issue.origin === "array"
          ? `at least ${issue.minimum} item${Number(issue.minimum) === 1 ? "" : "s"}`
          : issue.origin === "string"
            ? "must not be empty"
            : `at least ${issue.minimum}`;
      return [{ path, message: what.startsWith("must") ? what : `expected ${what}`, location: locate(path) }];
    }
    default:
      return [{ path, message: issue.message, location: locate(path) }];
  }
}

function describeExpected(expected: string): string {
  return (
    (
      {
        object: "mapping",
        record: "mapping",
        array: "list",
        string: "text",
        number: "number",
        boolean: "true or false",
      } as Record<string, string>
    )[expected] ?? expected
  );
}

function describeValue(v: unknown): string {
  if (v === null) return "nothing (null)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `text '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, path: DocPath): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** The source offset of the node at `path`, or of its nearest existing ancestor; `key` points at a map key. */
function offsetOf(root: YamlNode | null, path: DocPath, key: boolean): number {
  let node: unknown = root;
  let offset = root?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return offset;
      const keyNode = pair.key as YamlNode;
      const valueNode = pair.value as YamlNode | null;
      if (last && (key || !valueNode || (isScalar(valueNode) && valueNode.value === null))) {
        return keyNode.range?.[0] ?? offset;
      }
      node = valueNode;
      offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

// --- reading the schema, for did-you-mean on keys ---------------------------

type AnySchema = z.core.$ZodType;

function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  for (;;) {
    const def = cur._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema };
    if (
      (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault") &&
      def.innerType
    )
      cur = def.innerType;
    else if (def.type === "pipe" && def.in) cur = def.in;
    else return cur;
  }
}

function schemaAt(path: DocPath, raw: unknown): AnySchema | undefined {
  let cur: AnySchema | undefined = DeclarationSchema as unknown as AnySchema;
  for (let i = 0; i < path.length && cur; i++) {
    cur = resolveUnion(unwrap(cur), valueAt(raw, path.slice(0, i)));
    const def = cur._zod.def as unknown as Record<string, unknown> & { type: string };
    const seg = path[i];
    if (def.type === "object") cur = (def.shape as Record<string, AnySchema>)[String(seg)];
    else if (def.type === "record") cur = def.valueType as AnySchema;
    else if (def.type === "array") cur = def.element as AnySchema;
    else return undefined;
  }
  return cur ? resolveUnion(unwrap(cur), valueAt(raw, path)) : undefined;
}

function resolveUnion(s: AnySchema, value: unknown): AnySchema {
  const def = s._zod.def as unknown as { type: string; options?: AnySchema[]; discriminator?: string };
  if (def.type !== "union" || !def.options) return s;
  if (def.discriminator && value && typeof value === "object") {
    const want = (value as Record<string, unknown>)[def.discriminator];
    const match = def.options.find((o) => {
      const shape = (unwrap(o)._zod.def as unknown as { shape?: Record<string, AnySchema> }).shape;
      const lit = shape?.[def.discriminator!]?._zod.def as unknown as { values?: unknown[] } | undefined;
      return lit?.values?.includes(want);
    });
    if (match) return unwrap(match);
  }
  return unwrap(def.options.find((o) => (unwrap(o)._zod.def as { type: string }).type === "object") ?? s);
}

function allowedKeys(path: DocPath, raw: unknown): string[] {
  const s = schemaAt(path, raw);
  const def = s?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function unionOptions(path: DocPath): string[] {
  let s: AnySchema | undefined = DeclarationSchema as unknown as AnySchema;
  for (let i = 0; i < path.length && s; i++) {
    const def = unwrap(s)._zod.def as unknown as Record<string, unknown> & { type: string };
    const seg = path[i];
    if (def.type === "object") s = (def.shape as Record<string, AnySchema>)[String(seg)];
    else if (def.type === "record") s = def.valueType as AnySchema;
    else if (def.type === "array") s = def.element as AnySchema;
    else s = undefined;
  }
  const def = s ? (unwrap(s)._zod.def as unknown as { options?: AnySchema[]; discriminator?: string }) : undefined;
  if (!def?.options || !def.discriminator) return [];
  return def.options.flatMap((o) => {
    const shape = (unwrap(o)._zod.def as unknown as { shape?: Record<string, AnySchema> }).shape;
    const lit = shape?.[def.discriminator!]?._zod.def as unknown as { values?: unknown[] } | undefined;
    return (lit?.values ?? []).map(String);
  });
}
