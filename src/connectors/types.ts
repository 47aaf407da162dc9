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

/**
 * Rows whose `fields` equal, together and exactly, one of `keys`: a composite key, or a whole row where there is no
 * key. A null matches a null.
 */
export interface KeySelector {
  fields: readonly string[];
  keys: readonly (readonly Value[])[];
}

/** Rows due under a retention query before a cutoff (their own fields only: engines without joins). */
export interface DueSelector {
  due: DueQuery;
  before: string;
  /** Only rows whose primary key lies between these, both included: one page of a sweep. */
  range?: { from: readonly Value[]; to: readonly Value[] };
}

export type Selector = FieldSelector | KeySelector | DueSelector;

export function isKeySelector(sel: Selector): sel is KeySelector {
  return "keys" in sel;
}

export function isDueSelector(sel: Selector): sel is DueSelector {
  return "due" in sel;
}

const blank = (v: unknown) => v === null || v === undefined || v === "";

/** A value as a comparison sees it. */
export function compared(v: unknown, compare: Comparison = "exact"): string {
  const s = String(v);
  return compare === "fold" ? s.toLowerCase() : compare === "digits" ? s.replace(/\D/g, "") : s;
}

/** Whether a row fits a selector (for engines that filter in code). */
export function rowMatches(row: Row, sel: Selector): boolean {
  if (isDueSelector(sel)) {
    const c = clockOfRow(row, sel.due.clock);
    const key = sel.due.dataset.primaryKey;
    const cmp = (bound: readonly Value[]) => {
      for (let i = 0; i < key.length; i++) {
        const a = row[key[i]] as Value;
        const b = bound[i];
        if (a === b || String(a) === String(b)) continue;
        return typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : 1;
      }
      return 0;
    };
    if (sel.range && (cmp(sel.range.from) < 0 || cmp(sel.range.to) > 0)) return false;
    return !!c && c < new Date(sel.before) && rowCovered(row, sel.due);
  }
  if (isKeySelector(sel)) {
    return sel.keys.some((key) =>
      sel.fields.every((f, i) =>
        key[i] === null || key[i] === undefined ? blank(row[f]) : !blank(row[f]) && String(row[f]) === String(key[i]),
      ),
    );
  }
  const v = row[sel.field];
  if (v === undefined || v === null) return false;
  const have = compared(v, sel.compare);
  return sel.values.some((x) => String(x) === have);
}

/** A reference a retention query joins: the row's `from` field points at `to` of `dataset` (one owner reference up). */
export interface DueJoin {
  dataset: DatasetTarget;
  from: string;
  to: string;
}

/** A field a retention query reads: of the dataset itself (`step` 0) or of the row `step` joins up. */
export interface DueField {
  step: number;
  field: string;
  /**
   * The latest `field` of the rows that belong to the row (a customer's invoices; SQL only): `chain[0].dataset` holds
   * `field`, each link's `from` points at the next link's `to`, and the last link's at the row's own `to`.
   */
  latest?: { chain: readonly DueJoin[] };
}

/**
 * The rows a retention rule covers, by its clock: the latest of the `clock`
 * fields that are set. A row whose clock fields are all empty has not started
 * its clock and is never due.
 */
export interface DueQuery {
  dataset: DatasetTarget;
  joins: readonly DueJoin[];
  clock: readonly DueField[];
  /** Rows covered: each field holds one of the values (compared as text). */
  where: readonly { field: DueField; values: readonly Value[] }[];
  /** Rows still to de-identify: at least one field differs from its masked value (null, or a fixed text). */
  unmasked?: readonly { field: string; masked: string | null }[];
}

/** One page of due rows: the clock ends before `before`, keys after `after` (primary-key order), at most `limit`. */
export interface DuePage extends DueQuery {
  before: Date;
  /** Only rows whose clock is at or after this (a breach's window); every row before `before` when absent. */
  since?: Date;
  after?: readonly Value[];
  limit: number;
  /** Only the primary key's fields (and the clock): enough to delete a page by its key range. */
  keysOnly?: boolean;
}

/** A page of due rows by its first and last key (both included) and its size. */
export interface DueRange {
  from: readonly Value[];
  to: readonly Value[];
  rows: number;
}

/** A due row: its own fields, and the moment its clock started (ISO). */
export interface DueRow {
  row: Row;
  clock: string;
}

export interface DueSummary {
  /** Rows whose clock ends before the cutoff. */
  due: number;
  /** The oldest clock among covered rows (ISO), or null when none has started. */
  oldest: string | null;
  /** Covered rows. */
  rows: number;
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
  /**
   * Due rows come in primary-key pages and can be joined to the rows they belong to (SQL); otherwise one pass reads
   * them all.
   */
  keyset: boolean;
  /** Keys can carry an expiry the engine enforces itself (Redis TTLs): `expire` sets it. */
  ttl: boolean;
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
   * Retention: a page of rows due under a clock, in key order (one page of all of them where `capabilities.keyset` is
   * false).
   */
  due(page: DuePage): Promise<DueRow[]>;
  /**
   * Retention, engines with `capabilities.keyset` and a single-column key: the key range of the next page of due rows,
   * without reading the rows.
   */
  dueRange?(page: DuePage): Promise<DueRange | null>;
  /**
   * Retention: how many covered rows are due before `before`, and the oldest clock; `rows` counts every covered row
   * unless `total: false` (a whole-table count the sweep does not need).
   */
  dueSummary(query: DueQuery, before: Date, options?: { total?: boolean }): Promise<DueSummary>;
  /**
   * Retention, SQL engines: the clock of each row named by its primary key, read by the same query a sweep and the
   * dry run read it by (joined up owner references, the latest of the rows that belong to it); rows whose clock has
   * not started are absent. Engines without it read a row's clock from its own fields (`clockOfRow`).
   */
  clocks?(query: DueQuery, keys: readonly (readonly Value[])[]): Promise<DueRow[]>;
  /**
   * Engines with `capabilities.ttl`: gives every key of the dataset an expiry
   * at its clock plus `periodMs` (or, for keys without a clock field whose
   * expiry is unset or later, `periodMs` from now). A key `held` answers true for
   * loses any expiry instead: nothing a legal hold keeps may expire. Returns
   * how many keys it set, and how many it kept.
   */
  expire?(
    query: DueQuery,
    periodMs: number,
    now: Date,
    held?: (row: Row, clock: string | null) => boolean | Promise<boolean>,
  ): Promise<{ set: number; held: number }>;
  /**
   * Engines with `capabilities.ttl`: the covered keys that would outlive
   * `periodMs` from now (no expiry, or a later one), for the promise check of
   * keys without a clock; `rows` counts every covered key.
   */
  unexpiring?(query: DueQuery, periodMs: number): Promise<{ rows: number; unexpiring: Row[] }>;
  /**
   * The live schema: tables (or files) with their columns, keys and indexes.
   * Tables are named as the engine names them; `tables` limits the answer.
   */
  introspect(tables?: readonly string[]): Promise<SchemaSnapshot>;
  /**
   * Discovery: up to `limit` rows of a table (or key pattern, or file), spread
   * across it rather than its first rows where the engine can; `method` says how.
   */
  sample?(table: string, limit: number): Promise<{ rows: Row[]; method: string }>;
  close(): Promise<void>;
}

/** A system cannot be reached or refused an operation. The message never holds a connection secret. */
export class ConnectorError extends Error {
  readonly code = "CONNECTOR_FAILED";
  /**
   * The engine refused the change for a reason trying again cannot change (a constraint): the task stops for staff at
   * once instead of retrying.
   */
  readonly permanent: boolean;
  /** The constraint that refused it, where the engine names one. */
  readonly constraint?: string;
  constructor(
    readonly system: string,
    message: string,
    options?: { cause?: unknown; permanent?: boolean; constraint?: string },
  ) {
    super(`${system}: ${message}`, options);
    this.name = "ConnectorError";
    this.permanent = !!options?.permanent;
    if (options?.constraint) this.constraint = options.constraint;
  }
}

/**
 * A constraint violation as engines report it: PostgreSQL's class 23 codes, MySQL's errno, SQLite's CONSTRAINT codes.
 */
export function constraintViolation(err: unknown): { constraint?: string; table?: string } | undefined {
  type Raised = { code?: unknown; errno?: unknown; constraint?: unknown; table?: unknown; message?: unknown };
  for (let e = err as (Raised & { cause?: unknown }) | undefined; e; e = e.cause as typeof e) {
    const code = typeof e.code === "string" ? e.code : "";
    const message = typeof e.message === "string" ? e.message : "";
    if (/^23\d{3}$/.test(code))
      return {
        ...(typeof e.constraint === "string" ? { constraint: e.constraint } : {}),
        ...(typeof e.table === "string" ? { table: e.table } : {}),
      };
    if ([1451, 1452, 1216, 1217, 1062, 1048].includes(Number(e.errno))) {
      const m = /CONSTRAINT `([^`]+)`/.exec(message);
      const t = /\(`[^`]+`\.`([^`]+)`, CONSTRAINT/.exec(message);
      return { ...(m ? { constraint: m[1] } : {}), ...(t ? { table: t[1] } : {}) };
    }
    if (code.startsWith("SQLITE_CONSTRAINT")) return {};
  }
  return undefined;
}

/** A connector's configuration is unusable (an unset environment variable, a missing file). */
export class ConnectorConfigError extends Error {
  readonly code = "CONNECTOR_CONFIG";
  constructor(message: string) {
    super(message);
    this.name = "ConnectorConfigError";
  }
}

/**
 * Reads a clock value as the engines give it (`2024-05-01`, `2024-05-01 10:00:00`, ISO, epoch seconds or milliseconds);
 * undefined when it is no time.
 */
export function parseClock(v: unknown): Date | undefined {
  if (v === null || v === undefined || v === "") return undefined;
  if (typeof v === "number" || (typeof v === "string" && /^\d{9,13}$/.test(v))) {
    const n = Number(v);
    return new Date(n < 1e11 ? n * 1000 : n);
  }
  const s = String(v).trim();
  // Dates and times without a zone are UTC, as Pledge writes and compares them.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s)
    ? `${s}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)
      ? `${s.replace(" ", "T")}Z`
      : s.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00");
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** The latest clock of a row read in code (files, Redis): the latest of the clock fields that hold a time. */
export function clockOfRow(row: Row, clock: readonly DueField[]): Date | undefined {
  if (!clock.length) return new Date(0);
  let latest: Date | undefined;
  for (const c of clock) {
    const d = parseClock(row[c.field]);
    if (d && (!latest || d > latest)) latest = d;
  }
  return latest;
}

/** Whether a row read in code is covered by a query's conditions (its own fields only). */
export function rowCovered(row: Row, q: DueQuery): boolean {
  const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
  if (!q.where.every((w) => w.values.some((v) => text(row[w.field.field]) === String(v)))) return false;
  if (
    q.unmasked?.length &&
    !q.unmasked.some((u) =>
      u.masked === null ? row[u.field] !== null && row[u.field] !== undefined : text(row[u.field]) !== u.masked,
    )
  )
    return false;
  return true;
}

/** The due summary of rows read one by one (engines without a query language: files, Redis). */
export async function summarizeDue(
  rows: AsyncIterable<Row> | Iterable<Row>,
  query: DueQuery,
  before: Date,
): Promise<DueSummary> {
  let covered = 0;
  let due = 0;
  let oldest: Date | undefined;
  for await (const row of rows) {
    if (!rowCovered(row, query)) continue;
    covered++;
    const c = clockOfRow(row, query.clock);
    if (!c) continue;
    if (c < before) due++;
    if (!oldest || c < oldest) oldest = c;
  }
  return { rows: covered, due, oldest: oldest?.toISOString() ?? null };
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
