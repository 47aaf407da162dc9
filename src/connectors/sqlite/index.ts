/** SQLite: the shared SQL connector over Kysely's SQLite dialect and better-sqlite3. */
import { existsSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { SqliteDialect, sql } from "kysely";
import { createSqlConnector, readTime, type AnyDb, type SqlAdapter } from "../sql.js";
import { classifyType, type TableInfo } from "../schema.js";
import { ConnectorConfigError, type Connector, type ConnectorOptions } from "../types.js";

type Rec = Record<string, unknown>;

/** The parts between the first top-level parentheses after `ON table` in a CREATE INDEX statement. */
function indexParts(createSql: string): string[] {
  const on = /\bON\s+("[^"]+"|`[^`]+`|\[[^\]]+\]|\S+?)\s*\(/i.exec(createSql);
  if (!on) return [];
  let depth = 1;
  let cur = "";
  const out: string[] = [];
  for (const ch of createSql.slice(on.index + on[0].length)) {
    if (ch === "(") depth++;
    if (ch === ")" && --depth === 0) break;
    if (ch === "," && depth === 1) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out.map((p) => p.replace(/\s+(ASC|DESC)$/i, ""));
}

export const sqliteAdapter: SqlAdapter = {
  time: {
    greatest: "max",
    // SQLite keeps dates as text in any of several forms: julianday reads them all as one number.
    expr: (e) => sql`julianday(${e})`,
    param: (d) => sql`julianday(${d.toISOString()})`,
    read: (v) =>
      v === null || v === undefined
        ? null
        : typeof v === "number"
          ? new Date(Math.round((v - 2440587.5) * 86_400_000)).toISOString()
          : readTime(v),
  },
  // SQLite has no regexp_replace: the separators people write in phone numbers are stripped one by one.
  digits: [
    "replace(replace(replace(replace(replace(replace(replace(CAST(",
    " AS TEXT), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '/', '')",
  ],
  async introspect(db: AnyDb, _schema: string | undefined, only?: readonly string[]): Promise<TableInfo[]> {
    const masters = (
      await sql<Rec>`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`.execute(db)
    ).rows;
    const tables = masters.filter(
      (m) => (m.type === "table" || m.type === "view") && (!only || only.includes(String(m.name))),
    );
    const out: TableInfo[] = [];
    for (const t of tables) {
      const name = String(t.name);
      const createSql = String(t.sql ?? "");
      const cols = (await sql<Rec>`SELECT * FROM pragma_table_xinfo(${name})`.execute(db)).rows.filter(
        (c) => Number(c.hidden ?? 0) === 0,
      );
      const indexes = [];
      for (const i of (await sql<Rec>`SELECT * FROM pragma_index_list(${name})`.execute(db)).rows) {
        const iname = String(i.name);
        const keys = (await sql<Rec>`SELECT * FROM pragma_index_xinfo(${iname})`.execute(db)).rows
          .filter((k) => Number(k.key) === 1)
          .sort((a, b) => Number(a.seqno) - Number(b.seqno));
        const written = indexParts(String(masters.find((m) => m.name === iname)?.sql ?? ""));
        indexes.push({
          name: iname,
          unique: Number(i.unique) === 1,
          parts: keys.map((k, n) => (Number(k.cid) >= 0 ? String(k.name) : (written[n] ?? "?"))),
        });
      }
      const fkRows = (await sql<Rec>`SELECT * FROM pragma_foreign_key_list(${name})`.execute(db)).rows;
      const fks = new Map<number, { columns: string[]; table: string; refColumns: string[] }>();
      for (const f of fkRows.sort((a, b) => Number(a.id) - Number(b.id) || Number(a.seq) - Number(b.seq))) {
        const e = fks.get(Number(f.id)) ?? { columns: [], table: String(f.table), refColumns: [] };
        e.columns.push(String(f.from));
        if (f.to !== null && f.to !== undefined) e.refColumns.push(String(f.to));
        fks.set(Number(f.id), e);
      }
      out.push({
        name,
        ...(t.type === "view" ? { kind: "view" as const } : {}),
        columns: cols.map((c) => {
          const cname = String(c.name);
          const dbType = String(c.type ?? "");
          const t = classifyType(dbType);
          const nocase = new RegExp(
            `(^|[,(\\s])["\`\\[]?${cname.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["\`\\]]?\\s[^,]*\\bCOLLATE\\s+NOCASE`,
            "i",
          ).test(createSql);
          return {
            name: cname,
            dbType,
            type: t.type,
            nullable: Number(c.notnull) === 0 && Number(c.pk) === 0,
            ...(t.maxLength ? { maxLength: t.maxLength } : {}),
            ...(nocase ? { foldsCase: true } : {}),
          };
        }),
        primaryKey: cols
          .filter((c) => Number(c.pk) > 0)
          .sort((a, b) => Number(a.pk) - Number(b.pk))
          .map((c) => String(c.name)),
        foreignKeys: [...fks.values()],
        indexes,
      });
    }
    // A foreign key to a table's primary key may leave the referenced columns unnamed.
    for (const t of out)
      for (const f of t.foreignKeys)
        if (!f.refColumns.length) f.refColumns = out.find((x) => x.name === f.table)?.primaryKey ?? [];
    return out;
  },
};

export function createSqliteConnector(system: string, path: string, options: ConnectorOptions = {}): Connector {
  if (!existsSync(path)) throw new ConnectorConfigError(`${system}: SQLite file ${path} does not exist`);
  return createSqlConnector({
    system,
    engine: "sqlite",
    dialect: new SqliteDialect({
      database: async () => {
        const db = new BetterSqlite3(path, { fileMustExist: true, timeout: 5000, readonly: !!options.readOnly });
        if (!options.readOnly) db.pragma("journal_mode = WAL");
        db.pragma("foreign_keys = ON");
        return db;
      },
    }),
    adapter: sqliteAdapter,
    describe: `sqlite:${path}`,
    readOnly: options.readOnly,
  });
}
