/** MySQL and MariaDB: the shared SQL connector over Kysely's MySQL dialect and a mysql2 pool. */
import { MysqlDialect, sql } from "kysely";
import { createPool } from "mysql2";
import { createSqlConnector, readTime, type AnyDb, type SqlAdapter } from "../sql.js";
import { classifyType, type TableInfo } from "../schema.js";
import type { Connector, ConnectorOptions } from "../types.js";

type Rec = Record<string, unknown>;
const str = (v: unknown) =>
  v === null || v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString("utf8") : String(v);

export const mysqlAdapter: SqlAdapter = {
  // MySQL compares DATETIME with text in its own form: no T, no zone (times are UTC, as the connector's sessions are).
  time: {
    greatest: "GREATEST",
    expr: (e) => e,
    param: (d) => sql`${d.toISOString().slice(0, 23).replace("T", " ")}`,
    read: readTime,
  },
  // REGEXP_REPLACE: MySQL 8.0 and MariaDB 10.0.5 and later.
  digits: ["REGEXP_REPLACE(", ", '[^0-9]', '')"],
  async introspect(db: AnyDb, _schema: string | undefined, only?: readonly string[]): Promise<TableInfo[]> {
    const filter = only ? sql`AND TABLE_NAME IN (${sql.join(only.map((t) => sql.lit(t)))})` : sql``;
    const listed = (
      await sql<Rec>`SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
        ${filter} ORDER BY TABLE_NAME`.execute(db)
    ).rows;
    const tables = listed.map((r) => str(r.TABLE_NAME)!);
    const views = new Set(listed.filter((r) => str(r.TABLE_TYPE) === "VIEW").map((r) => str(r.TABLE_NAME)!));
    if (!tables.length) return [];
    const cols = (
      await sql<Rec>`SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH,
        COLLATION_NAME FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() ${filter} ORDER BY TABLE_NAME, ORDINAL_POSITION`.execute(db)
    ).rows;
    // STATISTICS has EXPRESSION (functional indexes) on MySQL 8 only; MariaDB has none.
    const stats = (
      await sql<Rec>`SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ${filter} ORDER BY
        TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`.execute(db)
    ).rows;
    const fks = (
      await sql<Rec>`SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
        FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL ${filter} ORDER BY TABLE_NAME,
          CONSTRAINT_NAME, ORDINAL_POSITION`.execute(db)
    ).rows;
    return tables.map((name) => {
      const indexes = new Map<string, { unique: boolean; parts: string[] }>();
      for (const s of stats.filter((x) => str(x.TABLE_NAME) === name)) {
        const iname = str(s.INDEX_NAME)!;
        const entry = indexes.get(iname) ?? { unique: Number(s.NON_UNIQUE) === 0, parts: [] };
        entry.parts.push(str(s.COLUMN_NAME) ?? str(s.EXPRESSION) ?? "?");
        indexes.set(iname, entry);
      }
      const byConstraint = new Map<string, { columns: string[]; table: string; refColumns: string[] }>();
      for (const f of fks.filter((x) => str(x.TABLE_NAME) === name)) {
        const key = str(f.CONSTRAINT_NAME)!;
        const entry = byConstraint.get(key) ?? { columns: [], table: str(f.REFERENCED_TABLE_NAME)!, refColumns: [] };
        entry.columns.push(str(f.COLUMN_NAME)!);
        entry.refColumns.push(str(f.REFERENCED_COLUMN_NAME)!);
        byConstraint.set(key, entry);
      }
      return {
        name,
        ...(views.has(name) ? { kind: "view" as const } : {}),
        columns: cols
          .filter((c) => str(c.TABLE_NAME) === name)
          .map((c) => {
            const dbType = str(c.COLUMN_TYPE)!;
            const t = classifyType(dbType);
            const max =
              c.CHARACTER_MAXIMUM_LENGTH === null || c.CHARACTER_MAXIMUM_LENGTH === undefined
                ? undefined
                : Number(c.CHARACTER_MAXIMUM_LENGTH);
            const collation = str(c.COLLATION_NAME);
            return {
              name: str(c.COLUMN_NAME)!,
              dbType,
              type: t.type,
              nullable: str(c.IS_NULLABLE) === "YES",
              ...(t.type === "text" && max && max < 65535 ? { maxLength: max } : {}),
              ...(collation?.endsWith("_ci") ? { foldsCase: true } : {}),
            };
          }),
        primaryKey: indexes.get("PRIMARY")?.parts ?? [],
        foreignKeys: [...byConstraint.values()],
        indexes: [...indexes].map(([iname, i]) => ({ name: iname, unique: i.unique, parts: i.parts })),
      };
    });
  },
};

export function createMysqlConnector(system: string, url: string, options: ConnectorOptions = {}): Connector {
  const pool = createPool({
    uri: url,
    connectionLimit: 4,
    connectTimeout: 5000,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  // Sessions in UTC, as Pledge reads and compares times (TIMESTAMP columns read back in it).
  pool.on("connection", (c) => c.query("SET time_zone = '+00:00'"));
  if (options.readOnly) pool.on("connection", (c) => c.query("SET SESSION TRANSACTION READ ONLY"));
  const u = new URL(url);
  return createSqlConnector({
    system,
    engine: "mysql",
    dialect: new MysqlDialect({ pool }),
    adapter: mysqlAdapter,
    describe: `mysql://${u.host}${u.pathname}`,
    readOnly: options.readOnly,
  });
}
