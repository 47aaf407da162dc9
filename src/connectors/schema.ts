/**
 * The live schema of a system, as one shape for every engine: what the
 * declaration is checked against (`pledge check --live`), what masking fits
 * its values to, and what discovery walks.
 */

/** A column's type, as Pledge reasons about it. */
export type ColumnType =
  | "text"
  | "integer"
  | "number"
  | "boolean"
  | "uuid"
  | "date"
  | "timestamp"
  | "json"
  | "binary"
  | "other";

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  /** The engine's own name of the type (`character varying(50)`, `tinyint(1)`). */
  dbType: string;
  nullable: boolean;
  /** The longest text the column holds, where it is limited. */
  maxLength?: number;
  /** The column compares case-insensitively by itself (a `_ci` collation, citext, NOCASE). */
  foldsCase?: boolean;
}

export interface IndexInfo {
  name: string;
  unique: boolean;
  /** The index's key parts in order: a column name, or an expression as the engine prints it. */
  parts: string[];
}

export interface ForeignKeyInfo {
  columns: string[];
  table: string;
  refColumns: string[];
  /** Declared on the table's partitions rather than on the table (PostgreSQL): one of those constraints' names. */
  onPartitions?: string;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: ForeignKeyInfo[];
  indexes: IndexInfo[];
  /** A partitioned table, read and written through its parent. */
  partitioned?: boolean;
  /** A view (storing nothing of its own) or a materialized view (a copy), showing other tables. */
  kind?: "view" | "materialized_view";
}

export interface SchemaSnapshot {
  engine: string;
  /** Every table (or file, or key pattern) found, by name. */
  tables: TableInfo[];
  /** Set when the listing stopped short of everything (a bounded SCAN): what may be missing, and why. */
  incomplete?: string;
}

/** Finds a table by name, as the engine folds names (SQL identifiers are compared case-insensitively when unquoted). */
export function findTable(snapshot: SchemaSnapshot, name: string): TableInfo | undefined {
  return (
    snapshot.tables.find((t) => t.name === name) ??
    snapshot.tables.find((t) => t.name.toLowerCase() === name.toLowerCase())
  );
}

export function findColumn(table: TableInfo, name: string): ColumnInfo | undefined {
  return (
    table.columns.find((c) => c.name === name) ?? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())
  );
}

/** Classifies an engine's type name. */
export function classifyType(dbType: string): { type: ColumnType; maxLength?: number } {
  const t = dbType.toLowerCase().trim();
  const len = /\((\d+)\)/.exec(t)?.[1];
  const maxLength = len ? Number(len) : undefined;
  if (t === "uuid" || t.startsWith("uuid")) return { type: "uuid" };
  if (t === "tinyint(1)" || t === "bool" || t === "boolean" || t.startsWith("bool")) return { type: "boolean" };
  if (/^(big|small|tiny|medium)?int|^integer|^serial|^bigserial|^smallserial|^int[248]?\b/.test(t))
    return { type: "integer" };
  if (/^(numeric|decimal|real|double|float|money)/.test(t)) return { type: "number" };
  if (/^(timestamp|datetime)/.test(t)) return { type: "timestamp" };
  if (t === "date") return { type: "date" };
  if (/^(json|jsonb)\b/.test(t)) return { type: "json" };
  if (/^(bytea|blob|binary|varbinary|longblob|mediumblob|tinyblob)/.test(t)) return { type: "binary" };
  if (/char|text|clob|citext|string|enum|set\(/.test(t))
    return { type: "text", ...(maxLength && /char/.test(t) ? { maxLength } : {}) };
  // SQLite's own rules: a declared type with INT has integer affinity, with CHAR/CLOB/TEXT text.
  if (t.includes("int")) return { type: "integer" };
  if (t.includes("date") || t.includes("time")) return { type: t.includes("time") ? "timestamp" : "date" };
  return { type: t === "" ? "text" : "other" };
}

/** An index expression without the spacing, quoting, casts and parentheses engines add when they print it. */
export function normalizeExpression(expr: string): string {
  return expr
    .toLowerCase()
    .replace(/::[a-z ]+(\[\])?/g, "")
    .replace(/\bcast\(/g, "(")
    .replace(/\bas (text|char|varchar|character varying)\)/g, ")")
    .replace(/[`"'()\s]/g, "");
}
