/** PostgreSQL: the shared SQL connector over Kysely's Postgres dialect and a small pg pool. */
import { PostgresDialect, sql } from "kysely";
import pg from "pg";
import { createSqlConnector, readTime, type AnyDb, type SqlAdapter } from "../sql.js";
import { classifyType, type TableInfo } from "../schema.js";
import type { Connector, ConnectorOptions } from "../types.js";

/**
 * Dates and times keep the text PostgreSQL sends: a DATE read into a JavaScript
 * Date at local midnight would turn into the day before east of UTC.
 */
const TEXT_TYPES = new Set([
  1082 /* date */, 1083 /* time */, 1114 /* timestamp */, 1184 /* timestamptz */, 1266 /* timetz */,
]);
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    TEXT_TYPES.has(oid)
      ? (v: string) => v
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

export const postgresAdapter: SqlAdapter = {
  tableSample: {
    async estimate(db, schema = "public", table) {
      const r = await sql<{
        n: number;
      }>`SELECT c.reltuples::float8 AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname
        = ${schema} AND c.relname = ${table}`.execute(db);
      return Number(r.rows[0]?.n ?? -1);
    },
    query: (table, percent, limit) =>
      sql`SELECT * FROM ${table} TABLESAMPLE SYSTEM (${sql.lit(Number(percent.toFixed(4)))}) LIMIT ${limit}`,
  },
  time: { greatest: "GREATEST", expr: (e) => e, param: (d) => sql`${d.toISOString()}`, read: readTime },
  digits: ["regexp_replace(CAST(", " AS text), '[^0-9]', '', 'g')"],
  async rootTable(db: AnyDb, table: string): Promise<string> {
    const r = await sql<{ root: string | null }>`
      SELECT (SELECT relname FROM pg_class WHERE oid = pg_partition_root(c.oid)) AS root
      FROM pg_class c WHERE c.relname = ${table} LIMIT 1`.execute(db);
    return r.rows[0]?.root ?? table;
  },
  async introspect(db: AnyDb, schema = "public", only?: readonly string[]): Promise<TableInfo[]> {
    const rels = (
      await sql<{ oid: number; name: string; kind: string }>`
        SELECT c.oid::int AS oid, c.relname AS name, c.relkind AS kind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
        ${only ? sql`AND c.relname = ANY(${[...only]}::text[])` : sql``}
        ORDER BY c.relname`.execute(db)
    ).rows;
    if (!rels.length) return [];
    const oids = rels.map((r) => r.oid);
    const cols = (
      await sql<{ rel: number; name: string; type: string; notnull: boolean; typname: string; maxlen: number | null }>`
        SELECT a.attrelid::int AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull
          AS notnull, t.typname,
          CASE WHEN a.atttypmod > 4 AND t.typname IN ('varchar', 'bpchar') THEN a.atttypmod - 4 END AS maxlen
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = ANY(${oids}::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum`.execute(db)
    ).rows;
    const idx = (
      await sql<{ rel: number; name: string; uniq: boolean; prim: boolean; parts: string[] }>`
        SELECT i.indrelid::int AS rel, ic.relname AS name, i.indisunique AS uniq, i.indisprimary AS prim,
          ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY
            k)::text[] AS parts
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = ANY(${oids}::oid[])`.execute(db)
    ).rows;
    // Keys declared on the table, and keys declared only on its partitions (PostgreSQL lets each partition carry its
    // own): both bind the table's rows, so both are the table's. A key a partition inherits from its parent is the
    // parent's, counted once. What they point at is the partitioned table, not one of its partitions.
    const fks = (
      await sql<{ rel: number; cols: string[]; ref: string; refcols: string[]; name: string; part: boolean }>`
        SELECT COALESCE(pg_partition_root(con.conrelid), con.conrelid)::int AS rel,
          (SELECT relname FROM pg_class WHERE oid = COALESCE(pg_partition_root(con.confrelid), con.confrelid)) AS ref,
          con.conname AS name, COALESCE(pg_partition_root(con.conrelid), con.conrelid) <> con.conrelid AS part,
          ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid =
            con.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS cols,
          ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid =
            con.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS refcols
        FROM pg_constraint con
        WHERE con.contype = 'f' AND con.conparentid = 0
          AND COALESCE(pg_partition_root(con.conrelid), con.conrelid) = ANY(${oids}::oid[])`.execute(db)
    ).rows;
    // pg_get_indexdef quotes a column whose name needs it ("CustomerId"): a plain column is named as it is.
    const unquote = (part: string) => (/^"(?:[^"]|"")+"$/.test(part) ? part.slice(1, -1).replace(/""/g, '"') : part);
    for (const i of idx) i.parts = i.parts.map(unquote);
    return rels.map((r) => {
      const pk = idx.find((i) => i.rel === r.oid && i.prim);
      return {
        name: r.name,
        partitioned: r.kind === "p",
        ...(r.kind === "v" ? { kind: "view" as const } : r.kind === "m" ? { kind: "materialized_view" as const } : {}),
        columns: cols
          .filter((c) => c.rel === r.oid)
          .map((c) => {
            const t = classifyType(c.typname === "citext" ? "text" : c.type);
            return {
              name: c.name,
              dbType: c.type,
              type: t.type,
              nullable: !c.notnull,
              ...(c.maxlen ? { maxLength: Number(c.maxlen) } : {}),
              ...(c.typname === "citext" ? { foldsCase: true } : {}),
            };
          }),
        primaryKey: pk?.parts ?? [],
        foreignKeys: fks
          .filter((f) => f.rel === r.oid)
          .filter(
            (f, i, all) =>
              all.findIndex(
                (g) => g.ref === f.ref && g.cols.join() === f.cols.join() && g.refcols.join() === f.refcols.join(),
              ) === i,
          )
          .map((f) => ({
            columns: f.cols,
            table: f.ref,
            refColumns: f.refcols,
            ...(f.part ? { onPartitions: f.name } : {}),
          })),
        indexes: idx.filter((i) => i.rel === r.oid).map((i) => ({ name: i.name, unique: i.uniq, parts: i.parts })),
      };
    });
  },
};

export function createPostgresConnector(
  system: string,
  url: string,
  schema?: string,
  options: ConnectorOptions = {},
): Connector {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: 5000,
    types: PG_TYPES,
    ...(options.readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
  });
  pool.on("error", () => {
    /* surfaced by the next query */
  });
  // checked-out clients too: a restart is a failed query, never a crash
  pool.on("connect", (client) => client.on("error", () => {}));
  const u = new URL(url);
  return createSqlConnector({
    system,
    engine: "postgres",
    dialect: new PostgresDialect({ pool }),
    adapter: postgresAdapter,
    schema,
    describe: `postgres://${u.host}${u.pathname}`,
    readOnly: options.readOnly,
  });
}
