/**
 * The one connector interface: every engine finds a person's rows by a field,
 * and applies deletions and updates, atomically where it can.
 */

export type Value = string | number | bigint | boolean | null;
export type Row = Record<string, unknown>;

/** A dataset as a connector sees it: its name in the engine and its declared fields. */
export interface DatasetTarget {
  /** The table, key pattern or file, already resolved from the declaration. */
  name: string;
  fields: string[];
  primaryKey?: string;
  /** Redis */
  keyPattern?: string;
  type?: "hash" | "string" | "json";
  /** Files */
  path?: string;
  format?: "jsonl" | "csv";
}

/** Rows whose `field` holds one of `values` (and, with `equals`, whose every listed field equals the given value). */
export interface Selector {
  field: string;
  values: readonly Value[];
  /** An exact row, for datasets without a primary key: every field must match. */
  equals?: Row;
}

/** Whether a row fits a selector (for engines that filter in code). */
export function rowMatches(row: Row, sel: Selector): boolean {
  const v = row[sel.field];
  if (v === undefined || v === null || !sel.values.some((x) => String(x) === String(v))) return false;
  if (!sel.equals) return true;
  return Object.entries(sel.equals).every(([k, want]) => (want === null || want === undefined ? row[k] === null || row[k] === undefined || row[k] === "" : String(row[k]) === String(want)));
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

export interface Connector {
  readonly engine: string;
  readonly capabilities: ConnectorCapabilities;
  /** Fails with a ConnectorError when the system cannot be reached. */
  ping(): Promise<void>;
  find(dataset: DatasetTarget, where: Selector): Promise<Row[]>;
  /** Applies the mutations in order; atomically when `capabilities.atomic`. */
  apply(mutations: readonly Mutation[]): Promise<MutationResult[]>;
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

/** JSON-safe values: dates as ISO text, bigints and buffers as text. */
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
