/**
 * What the declaration's author wrote, as opposed to what the schema filled in. The notice states only written values:
 * a default (`sources: [subject]`, `sold: false`) is Pledge's assumption, not the organization's promise. A declaration
 * parsed from YAML knows its text and the line of each path; one built in code counts everything it holds as written.
 */
import type { DocPath, SourceLocation } from "./load.js";
import type { Declaration } from "./schema.js";

export interface Written {
  /** Whether the author wrote a value (not null) at this path. */
  has(path: DocPath): boolean;
  /** The `file:line:column` of a path, where the declaration was read from text. */
  locate?(path: DocPath): SourceLocation;
}

const registry = new WeakMap<object, Written>();

/** The value at a path of a document, or undefined where the path leads nowhere. */
export function valueAt(root: unknown, path: DocPath): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** A `Written` over a raw document (the parsed YAML before the schema). */
export function writtenIn(raw: unknown, locate?: (path: DocPath) => SourceLocation): Written {
  return { has: (path) => valueAt(raw, path) != null, ...(locate ? { locate } : {}) };
}

/** Records what was written for a parsed declaration (the loader does this). */
export function recordWritten(decl: Declaration, written: Written): void {
  registry.set(decl, written);
}

/** What was written for a declaration: its source text's values, or the declaration itself when built in code. */
export function writtenOf(decl: Declaration): Written {
  return registry.get(decl) ?? writtenIn(decl);
}

/** Carries what was written over to a derived copy (a translated declaration). */
export function sameWritten(from: Declaration, to: Declaration): Declaration {
  const w = registry.get(from);
  if (w && to !== from) registry.set(to, w);
  return to;
}
