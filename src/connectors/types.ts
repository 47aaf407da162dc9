/**
 * The one connector interface: every engine finds a person's rows by a field,
 * counts rows by a field, applies deletions and updates (atomically where it
 * can), and, where rows have a schema, describes that schema.
 */
import type { SchemaSnapshot } from "./schema.js";

export type Value = string | number | bigint | boolean | null;
export type Row = Record<string, unknown>;

/** A dataset as a connector sees it: its name in the engine and its declared fields. */
export interface DatasetTarget {
  /** The table, key pattern or file, already resolved from the declaration. */
  name: string;
  fields: string[];
  /** The primary key's fields (several for a composite key); empty when there is none. */
  primaryKey: string[];
  /** Redis */
  keyPattern?: string;
  type?: "hash" | "string" | "json";
  /** Files */
  path?: string;
  format?: "jsonl" | "csv";
}

/**
 * How a field is compared with the values asked for:
 * - `exact`: as stored;
 * - `fold`: case-insensitively (the values are given in lower case);
 * - `digits`: by the digits the field holds, separators stripped (the values are digit strings).
 */
export type Comparison = "exact" | "fold" | "digits";

/** Rows whose `field` holds one of `values`. */
export interface FieldSelector {
  field: string;
  values: readonly Value[];
  compare?: Comparison;
}

/** Rows whose `fields` equal, together and exactly, one of `keys`: a composite key, or a whole row where there is no key. A null matches a null. */
export interface KeySelector {
  fields: readonly string[];
  keys: readonly (readonly Value[])[];
}

export type Selector = FieldSelector | KeySelector;

export function isKeySelector(sel: Selector): sel is KeySelector {
  return "keys" in sel;
}

const blank = (v: unknown) => v === null || v === undefined || v === "";

/** A value as a comparison sees it. */
export function compared(v: unknown, compare: Comparison = "exact"): string {
  const s = String(v);
  return compare === "fold" ? s.toLowerCase() : compare === "digits" ? s.replace(/\D/g, "") : s;
}

/** Whether a row fits a selector (for engines that filter in code). */
export function rowMatches(row: Row, sel: Selector): boolean {
  if (isKeySelector(sel)) {
    return sel.keys.some((key) => sel.fields.every((f, i) => (key[i] === null || key[i] === undefined ? blank(row[f]) : !blank(row[f]) && String(row[f]) === String(key[i]))));
  }
  const v = row[sel.field];
  if (v === undefined || v === null) return false;
  const have = compared(v, sel.compare);
  return sel.values.some((x) => String(x) === have);
}

export type Mutation =
  | { kind: "delete"; dataset: DatasetTarget; where: Selector }
  | { kind: "update"; dataset: DatasetTarget; where: Selector; set: Row };

export interface MutationResult {
  affected: number;
}

/** What differs between engines, as flags. */
export interface ConnectorCapabilities {
  /** `apply` is all-or-nothing. */
  atomic: boolean;
  /** Rows have a schema with columns (SQL); otherwise documents, hashes or lines. */
  tabular: boolean;
}

export interface ConnectorOptions {
  /** Open the system read-only (`pledge check --live`): every write is refused, by the engine where it can. */
  readOnly?: boolean;
}

export interface Connector {
  readonly engine: string;
  readonly capabilities: ConnectorCapabilities;
  /** Fails with a ConnectorError when the system cannot be reached. */
  ping(): Promise<void>;
  find(dataset: DatasetTarget, where: Selector): Promise<Row[]>;
  /** How many rows hold each of `values` in `field`, compared exactly; values with no row are absent. */
  count(dataset: DatasetTarget, field: string, values: readonly Value[]): Promise<Map<string, number>>;
  /** Applies the mutations in order; atomically when `capabilities.atomic`. */
  apply(mutations: readonly Mutation[]): Promise<MutationResult[]>;
  /**
   * The live schema: tables (or files) with their columns, keys and indexes.
   * Tables are named as the engine names them; `tables` limits the answer.
   */
  introspect(tables?: readonly string[]): Promise<SchemaSnapshot>;
  close(): Promise<void>;
}

/** A system cannot be reached or refused an operation. The message never holds a connection secret. */
export class ConnectorError extends Error {
  readonly code = "CONNECTOR_FAILED";
  constructor(
    readonly system: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${system}: ${message}`, options);
    this.name = "ConnectorError";
  }
}

/** A connector's configuration is unusable (an unset environment variable, a missing file). */
export class ConnectorConfigError extends Error {
  readonly code = "CONNECTOR_CONFIG";
  constructor(message: string) {
    super(message);
    this.name = "ConnectorConfigError";
  }
}

/** JSON-safe values: bigints and buffers as text. Dates arrive as the engine's own text, never as a JavaScript Date. */
export function normalizeRow(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Date) out[k] = v.toISOString();
    else if (typeof v === "bigint") out[k] = v.toString();
    else if (v instanceof Uint8Array) out[k] = Buffer.from(v).toString("base64");
    else out[k] = v;
  }
  return out;
}

/** Splits a list into chunks, for `IN (…)` lists and batched commands. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Counts values in code, for engines without a count of their own. */
export function countValues(rows: readonly Row[], field: string, values: readonly Value[]): Map<string, number> {
  const wanted = new Set(values.map(String));
  const out = new Map<string, number>();
  for (const r of rows) {
    const v = r[field];
    if (v === null || v === undefined || !wanted.has(String(v))) continue;
    out.set(String(v), (out.get(String(v)) ?? 0) + 1);
  }
  return out;
}
