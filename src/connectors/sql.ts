/**
 * The SQL connector, shared by PostgreSQL, MySQL/MariaDB and SQLite: Kysely
 * builds every statement, so table and column names from the declaration are
 * quoted by the engine's own rules and values are always bound parameters.
 * What differs between the engines lives in each engine's `SqlAdapter`: the
 * expression of a column's digits, and how the schema is read.
 */
import { Kysely, sql, type Dialect, type ExpressionBuilder, type RawBuilder } from "kysely";
import {
  chunks,
  ConnectorError,
  isDueSelector,
  isKeySelector,
  normalizeRow,
  type Comparison,
  type Connector,
  type DatasetTarget,
  constraintViolation,
  type DueField,
  type DueQuery,
  type DuePage,
  type DueRange,
  type DueRow,
  type DueSummary,
  type Mutation,
  type MutationResult,
  type Row,
  type Selector,
  type Value,
} from "./types.js";
import { findColumn, findTable, normalizeExpression, type SchemaSnapshot, type TableInfo } from "./schema.js";

// biome-ignore lint/suspicious/noExplicitAny: a connector's tables are known only at run time
export type AnyDb = Kysely<any>;

/** What one SQL engine does its own way. */
export interface SqlAdapter {
  /** The text around a column that strips its separators, leaving digits: `[before, after]`. */
  digits: readonly [string, string];
  /** Reads the tables of the connected schema (all, or those named). */
  introspect(db: AnyDb, schema: string | undefined, tables?: readonly string[]): Promise<TableInfo[]>;
  /**
   * Times, for retention clocks: the function taking the latest of several
   * values, how a column becomes comparable (SQLite's text dates through
   * julianday), how a cutoff is bound, and how a compared value reads back.
   */
  /**
   * Engines that sample a table natively (PostgreSQL's TABLESAMPLE): the rows
   * the table is estimated to hold, and a query for about `percent` of its pages.
   */
  tableSample?: {
    estimate(db: AnyDb, schema: string | undefined, table: string): Promise<number>;
    query(table: RawBuilder<unknown>, percent: number, limit: number): RawBuilder<Row>;
  };
  time: {
    greatest: string;
    expr(e: RawBuilder<unknown>): RawBuilder<unknown>;
    param(d: Date): RawBuilder<unknown>;
    read(v: unknown): string | null;
  };
  /** Engines with partitions: the table a partition belongs to (itself when it is none). */
  rootTable?(db: AnyDb, table: string): Promise<string>;
}

/**
 * A retention query's time value read back as ISO text: a Date, the engine's own text, or a number of days (SQLite's
 * julianday).
 */
export function readTime(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const s = String(v).trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s)
    ? `${s}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)
      ? `${s.replace(" ", "T")}Z`
      : s.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00");
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export interface SqlConnectorOptions {
  system: string;
  engine: string;
  dialect: Dialect;
  adapter: SqlAdapter;
  schema?: string;
  /** Describes the target without secrets, for errors. */
  describe: string;
  readOnly?: boolean;
}

/** The SQL text of an expression over a column, as the index check and DDL suggestions write it. */
export function comparedExpression(adapter: SqlAdapter, column: string, compare: Comparison): string {
  if (compare === "fold") return `lower(${column})`;
  if (compare === "digits") return `${adapter.digits[0]}${column}${adapter.digits[1]}`;
  return column;
}

/**
 * Whether an index of the table lets the engine find rows by a comparison on
 * a column without reading the whole table: the index's first part is the
 * column (exact, or case-folding by the column's own collation), or exactly
 * the expression compared.
 */
export function indexServes(adapter: SqlAdapter, table: TableInfo, column: string, compare: Comparison): boolean {
  const col = findColumn(table, column);
  const want = normalizeExpression(comparedExpression(adapter, col?.name ?? column, compare));
  const plain = normalizeExpression(col?.name ?? column);
  const firsts = [...table.indexes.map((i) => i.parts[0]), table.primaryKey[0]]
    .filter((p): p is string => !!p)
    .map(normalizeExpression);
  if (compare === "exact" || (compare === "fold" && col?.foldsCase)) return firsts.includes(plain);
  return firsts.includes(want);
}

const TABLE_CACHE = new Map<
  string,
  ({ table: TableInfo | undefined } | { pending: Promise<TableInfo | undefined> }) & { until: number }
>();

/** Creates a connector over any Kysely dialect. */
export function createSqlConnector(options: SqlConnectorOptions): Connector {
  const root: AnyDb = new Kysely({ dialect: options.dialect });
  const db: AnyDb = options.schema ? root.withSchema(options.schema) : root;
  const { adapter } = options;
  const fail = (what: string, err: unknown) =>
    new ConnectorError(options.system, `${what} on ${options.describe} failed: ${(err as Error).message}`, {
      cause: err,
    });
  /**
   * A table's shape, for deciding how to fold case: read once, and kept a few minutes for the next connector on the
   * same database.
   */
  const describeTable = (name: string): TableInfo | undefined | Promise<TableInfo | undefined> => {
    const key = `${options.describe}\u0000${options.schema ?? ""}\u0000${name}`;
    const hit = TABLE_CACHE.get(key);
    if (hit && hit.until > Date.now()) return "table" in hit ? hit.table : hit.pending;
    const pending = adapter.introspect(root, options.schema, [name]).then((ts) => {
      const table = findTable({ engine: options.engine, tables: ts }, name);
      TABLE_CACHE.set(key, { table, until: Date.now() + 5 * 60_000 });
      return table;
    });
    pending.catch(() => TABLE_CACHE.delete(key));
    TABLE_CACHE.set(key, { pending, until: Date.now() + 5 * 60_000 });
    return pending;
  };

  /**
   * A query narrowed to a selector's rows, case folding done by the column's own
   * collation where it can be (so an index serves). Plain comparisons use
   * Kysely's direct form, which is cheaper on hot paths than a callback.
   */
  // biome-ignore lint/suspicious/noExplicitAny: any Kysely query builder with a where
  const narrow = <Q extends { where: (...args: any[]) => Q }>(q: Q, table: string, sel: Selector): Q | Promise<Q> => {
    if (isDueSelector(sel)) {
      if (sel.due.joins.length)
        throw new ConnectorError(options.system, "a due selector with joins reaches rows by key");
      const { clock, conds } = dueParts(sel.due, (_, f) => sql.ref(f));
      const pk = sel.due.dataset.primaryKey;
      const tuple = pk.length === 1 ? sql.ref(pk[0]) : sql`(${sql.join(pk.map((f) => sql.ref(f)))})`;
      const val = (v: readonly Value[]) => (pk.length === 1 ? sql`${v[0]}` : sql`(${sql.join([...v])})`);
      const range = sel.range
        ? [sql<boolean>`${tuple} >= ${val(sel.range.from)}`, sql<boolean>`${tuple} <= ${val(sel.range.to)}`]
        : [];
      return [...range, sql<boolean>`${clock} < ${adapter.time.param(new Date(sel.before))}`, ...conds].reduce(
        (acc, c) => acc.where(c),
        q,
      );
    }
    if (isKeySelector(sel)) {
      const keys = sel.keys;
      // biome-ignore lint/suspicious/noExplicitAny: tables known only at run time
      return q.where((eb: ExpressionBuilder<any, any>) =>
        eb.or(
          keys.map((k) =>
            eb.and(
              sel.fields.map((f, i) =>
                k[i] === null || k[i] === undefined ? eb(eb.ref(f), "is", null) : eb(eb.ref(f), "=", k[i]),
              ),
            ),
          ),
        ),
      );
    }
    const values = sel.values as Value[];
    if (sel.compare === "digits")
      return q.where(
        sql`${sql.raw(adapter.digits[0])}${sql.ref(sel.field)}${sql.raw(adapter.digits[1])}`,
        "in",
        values,
      );
    if (sel.compare === "fold") {
      const fold = (t: TableInfo | undefined) =>
        t && findColumn(t, sel.field)?.foldsCase
          ? q.where(sel.field, "in", values)
          : q.where(sql`lower(${sql.ref(sel.field)})`, "in", values);
      const t = describeTable(table);
      return t instanceof Promise ? t.then(fold) : fold(t);
    }
    return q.where(sel.field, "in", values);
  };

  /** A selector in pieces small enough for one statement. */
  const parts = (sel: Selector): Selector[] => {
    if (isDueSelector(sel)) return [sel];
    if (isKeySelector(sel)) {
      // A single-field key without nulls is an `IN` list, which engines plan best.
      if (sel.fields.length === 1 && sel.keys.every((k) => k[0] !== null && k[0] !== undefined))
        return chunks(sel.keys.map((k) => k[0])).map((values) => ({ field: sel.fields[0], values }));
      return chunks(sel.keys, 200).map((keys) => ({ fields: sel.fields, keys }));
    }
    return chunks(sel.values).map((values) => ({ ...sel, values }));
  };
  const empty = (sel: Selector) =>
    isDueSelector(sel) ? false : isKeySelector(sel) ? sel.keys.length === 0 : sel.values.length === 0;
  const refuse = () => {
    if (options.readOnly) throw new ConnectorError(options.system, "opened read-only: no writes");
  };

  /**
   * A retention query's clock (the latest of its fields that are set) and its conditions, over columns named by `ref`.
   */
  const table = (name: string) => sql.table(options.schema ? `${options.schema}.${name}` : name);
  /**
   * The latest value of a field over the rows that belong to the row (`ref` names the row's own columns): a correlated
   * subquery up the chain of owner references.
   */
  const latestOf = (c: DueField, ref: (step: number, field: string) => RawBuilder<unknown>) => {
    const chain = c.latest!.chain;
    const alias = (i: number) => `__pl${i}`;
    const col = (i: number, field: string) => sql.ref(`${alias(i)}.${field}`);
    const joins = chain.slice(1).map((link, i) => {
      const on = sql`${col(i, chain[i].from)} = ${col(i + 1, chain[i].to)}`;
      return sql` JOIN ${table(link.dataset.name)} AS ${sql.id(alias(i + 1))} ON ${on}`;
    });
    const last = chain.length - 1;
    const from = sql`${table(chain[0].dataset.name)} AS ${sql.id(alias(0))}${sql.join(joins, sql``)}`;
    const belongs = sql`${col(last, chain[last].from)} = ${ref(0, chain[last].to)}`;
    return sql`(SELECT max(${adapter.time.expr(col(0, c.field))}) FROM ${from} WHERE ${belongs})`;
  };
  const dueParts = (q: DueQuery, ref: (step: number, field: string) => RawBuilder<unknown>) => {
    const cols = q.clock.map((c) => (c.latest ? latestOf(c, ref) : ref(c.step, c.field)));
    // The latest of the fields that are set: GREATEST over each one coalesced with the others.
    // No clock fields (a rule from a system's obsolescence date): every covered row started its clock long ago.
    const coalesced = cols.map((c, i) =>
      adapter.time.expr(sql`COALESCE(${sql.join([c, ...cols.filter((_, j) => j !== i)])})`),
    );
    const clock = !cols.length
      ? adapter.time.param(new Date(0))
      : cols.length === 1
        ? adapter.time.expr(cols[0])
        : sql`${sql.raw(adapter.time.greatest)}(${sql.join(coalesced)})`;
    const plain = (v: Value) => (typeof v === "boolean" ? (v ? 1 : 0) : v);
    const conds: RawBuilder<boolean>[] = q.where.map(
      (w) => sql<boolean>`${ref(w.field.step, w.field.field)} IN (${sql.join(w.values.map(plain))})`,
    );
    if (q.unmasked?.length)
      conds.push(
        sql<boolean>`(${sql.join(
          q.unmasked.map((u) =>
            u.masked === null
              ? sql`${ref(0, u.field)} IS NOT NULL`
              : sql`(${ref(0, u.field)} IS NULL OR ${ref(0, u.field)} <> ${u.masked})`,
          ),
          sql` OR `,
        )})`,
      );
    return { clock, conds };
  };
  /**
   * A retention query: the dataset as t0, joined up its owner references as t1, t2, …; its clock and its conditions.
   */
  const dueBase = (q: DueQuery) => {
    let b = db.selectFrom(`${q.dataset.name} as t0`);
    q.joins.forEach((j, i) => {
      b = b.innerJoin(`${j.dataset.name} as t${i + 1}`, `t${i}.${j.from}`, `t${i + 1}.${j.to}`);
    });
    const ref = (step: number, field: string) => sql.ref(`t${step}.${field}`);
    const { clock, conds } = dueParts(q, ref);
    for (const c of conds) b = b.where(c);
    return { b, clock, ref };
  };

  return {
    engine: options.engine,
    capabilities: { atomic: true, tabular: true, keyset: true, ttl: false },
    async due(page: DuePage): Promise<DueRow[]> {
      const pk = page.dataset.primaryKey;
      if (!pk.length)
        throw new ConnectorError(
          options.system,
          `${page.dataset.name} has no primary key: a retention sweep pages by key (declare primaryKey)`,
        );
      try {
        const { b, clock, ref } = dueBase(page);
        let q = (page.keysOnly ? b.select(pk.map((f) => sql.ref(`t0.${f}`).as(f))) : b.selectAll("t0"))
          .select(clock.as("__pledge_clock"))
          .where(clock, "<", adapter.time.param(page.before));
        if (page.since) q = q.where(clock, ">=", adapter.time.param(page.since));
        if (page.after) {
          const after = page.after;
          q =
            pk.length === 1
              ? q.where(ref(0, pk[0]), ">", after[0])
              : q.where(sql<boolean>`(${sql.join(pk.map((f) => ref(0, f)))}) > (${sql.join([...after])})`);
        }
        for (const f of pk) q = q.orderBy(ref(0, f));
        const rows = (await q.limit(page.limit).execute()) as Row[];
        return rows.map((r) => {
          const { __pledge_clock: c, ...row } = r;
          return { row: normalizeRow(row), clock: adapter.time.read(c) ?? "" };
        });
      } catch (err) {
        throw err instanceof ConnectorError ? err : fail(`reading due rows of ${page.dataset.name}`, err);
      }
    },
    async dueRange(page: DuePage): Promise<DueRange | null> {
      const pk = page.dataset.primaryKey;
      if (pk.length !== 1)
        throw new ConnectorError(
          options.system,
          `${page.dataset.name}: a page's key range is read for a single-column primary key only`,
        );
      try {
        const { b, clock, ref } = dueBase(page);
        let q = b.select(ref(0, pk[0]).as("k")).where(clock, "<", adapter.time.param(page.before));
        if (page.after) q = q.where(ref(0, pk[0]), ">", page.after[0]);
        const inner = q.orderBy(ref(0, pk[0])).limit(page.limit);
        // One row back instead of a page of them: the page's first and last key and its size.
        const r = (await db
          .selectFrom(inner.as("page"))
          .select([
            sql<number>`count(*)`.as("n"),
            sql`min(${sql.ref("page.k")})`.as("lo"),
            sql`max(${sql.ref("page.k")})`.as("hi"),
          ])
          .executeTakeFirst()) as { n: unknown; lo: unknown; hi: unknown } | undefined;
        const n = Number(r?.n ?? 0);
        if (!n) return null;
        const norm = normalizeRow({ lo: r?.lo, hi: r?.hi } as Row);
        return { from: [norm.lo as Value], to: [norm.hi as Value], rows: n };
      } catch (err) {
        throw err instanceof ConnectorError ? err : fail(`reading due rows of ${page.dataset.name}`, err);
      }
    },
    async clocks(query: DueQuery, keys: readonly (readonly Value[])[]): Promise<DueRow[]> {
      const pk = query.dataset.primaryKey;
      if (!pk.length || !keys.length) return [];
      const out: DueRow[] = [];
      try {
        for (const part of chunks([...keys], 200)) {
          const { b, clock, ref } = dueBase(query);
          const tuple = pk.length === 1 ? ref(0, pk[0]) : sql`(${sql.join(pk.map((f) => ref(0, f)))})`;
          const list = sql.join(part.map((k) => (pk.length === 1 ? sql`${k[0]}` : sql`(${sql.join([...k])})`)));
          const rows = (await b
            .select(pk.map((f) => ref(0, f).as(f)))
            .select(clock.as("__pledge_clock"))
            .where(sql<boolean>`${tuple} IN (${list})`)
            .execute()) as Row[];
          for (const r of rows) {
            const { __pledge_clock: c, ...row } = r;
            const at = adapter.time.read(c);
            if (at) out.push({ row: normalizeRow(row), clock: at });
          }
        }
        return out;
      } catch (err) {
        throw err instanceof ConnectorError ? err : fail(`reading the clocks of rows of ${query.dataset.name}`, err);
      }
    },
    async dueSummary(query: DueQuery, before: Date, opts: { total?: boolean } = {}): Promise<DueSummary> {
      try {
        const { b, clock } = dueBase(query);
        if (opts.total === false) {
          // Two index-friendly questions instead of a whole-table scan: how many are due, and the oldest.
          const due = (await b
            .select(sql<number>`count(*)`.as("n"))
            .where(clock, "<", adapter.time.param(before))
            .executeTakeFirst()) as { n: unknown } | undefined;
          const oldest = (await dueBase(query).b.select(sql`min(${clock})`.as("oldest")).executeTakeFirst()) as
            | { oldest: unknown }
            | undefined;
          return { rows: -1, due: Number(due?.n ?? 0), oldest: adapter.time.read(oldest?.oldest) };
        }
        const r = (await b
          .select([
            sql<number>`count(*)`.as("n"),
            sql<number>`sum(case when ${clock} < ${adapter.time.param(before)} then 1 else 0 end)`.as("due"),
            sql`min(${clock})`.as("oldest"),
          ])
          .executeTakeFirst()) as { n: unknown; due: unknown; oldest: unknown } | undefined;
        return { rows: Number(r?.n ?? 0), due: Number(r?.due ?? 0), oldest: adapter.time.read(r?.oldest) };
      } catch (err) {
        throw fail(`summarising ${query.dataset.name}`, err);
      }
    },
    async ping() {
      try {
        await root.selectNoFrom((eb) => eb.val(1).as("one")).execute();
      } catch (err) {
        throw fail("connecting", err);
      }
    },
    async find(dataset: DatasetTarget, where: Selector): Promise<Row[]> {
      if (empty(where)) return [];
      const out: Row[] = [];
      try {
        for (const part of parts(where)) {
          const rows = await (await narrow(db.selectFrom(dataset.name).selectAll(), dataset.name, part)).execute();
          for (const r of rows) out.push(normalizeRow(r as Row));
        }
      } catch (err) {
        throw fail(`reading ${dataset.name}`, err);
      }
      return out;
    },
    async count(dataset: DatasetTarget, field: string, values: readonly Value[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      try {
        for (const part of chunks(values)) {
          const rows = await db
            .selectFrom(dataset.name)
            .select((eb) => [eb.ref(field).as("v"), eb.fn.countAll().as("n")])
            .where(field, "in", part)
            .groupBy(field)
            .execute();
          for (const r of rows as { v: unknown; n: unknown }[]) out.set(String(r.v), Number(r.n));
        }
      } catch (err) {
        throw fail(`counting ${dataset.name}`, err);
      }
      return out;
    },
    async apply(mutations: readonly Mutation[]): Promise<MutationResult[]> {
      refuse();
      try {
        return await root.transaction().execute(async (trx) => {
          const t: AnyDb = options.schema ? trx.withSchema(options.schema) : trx;
          const results: MutationResult[] = [];
          for (const m of mutations) {
            let affected = 0;
            if (!empty(m.where)) {
              for (const part of parts(m.where)) {
                const r =
                  m.kind === "delete"
                    ? await (await narrow(t.deleteFrom(m.dataset.name), m.dataset.name, part)).executeTakeFirst()
                    : await (
                        await narrow(t.updateTable(m.dataset.name).set(m.set), m.dataset.name, part)
                      ).executeTakeFirst();
                affected += Number(
                  (r as { numDeletedRows?: bigint }).numDeletedRows ??
                    (r as { numUpdatedRows?: bigint }).numUpdatedRows ??
                    0,
                );
              }
            }
            results.push({ affected });
          }
          return results;
        });
      } catch (err) {
        const violated = constraintViolation(err);
        if (!violated) throw fail("writing", err);
        // Trying again would be refused the same way: someone must declare what references the person's rows.
        const table = violated.table && adapter.rootTable ? await adapter.rootTable(root, violated.table) : undefined;
        throw new ConnectorError(
          options.system,
          `writing on ${options.describe} was refused by ` +
            `${violated.constraint ? `the constraint ${violated.constraint}` : "a constraint"}` +
            `${violated.table ? ` on table ${violated.table}` : ""}` +
            `${table && table !== violated.table ? ` (a partition of ${table})` : ""}` +
            `: a table references rows of the person's through a key the declaration does not name, so nothing was ` +
            `changed. Declare ${table ?? violated.table ?? "that table"} and its reference (references:), run ` +
            `pledge check --live, and retry (${(err as Error).message})`,
          { cause: err, permanent: true, ...(violated.constraint ? { constraint: violated.constraint } : {}) },
        );
      }
    },
    async sample(table: string, limit: number): Promise<{ rows: Row[]; method: string }> {
      try {
        const ref = options.schema ? sql.id(options.schema, table) : sql.id(table);
        const sampler = adapter.tableSample;
        if (sampler) {
          const estimate = await sampler.estimate(root, options.schema, table);
          if (estimate > limit * 4) {
            const percent = Math.min(100, Math.max(0.01, (limit * 400) / estimate));
            const rows = (await sampler.query(ref, percent, limit).execute(root)).rows;
            if (rows.length >= Math.min(limit, 10))
              return { rows: rows.map((r) => normalizeRow(r)), method: `TABLESAMPLE SYSTEM (${percent.toFixed(2)} %)` };
          }
        }
        const t = await describeTable(table);
        const pk = t?.primaryKey.length === 1 ? t.primaryKey[0] : undefined;
        if (pk) {
          // Key ranges: the key's span cut in eight, a few rows read from the start of each.
          const b = (
            await sql<{
              lo: unknown;
              hi: unknown;
            }>`SELECT min(${sql.ref(pk)}) AS lo, max(${sql.ref(pk)}) AS hi FROM ${ref}`.execute(root)
          ).rows[0];
          const lo = Number(b?.lo);
          const hi = Number(b?.hi);
          if (Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && hi - lo > limit) {
            const per = Math.ceil(limit / 8);
            const rows: Row[] = [];
            for (let i = 0; i < 8; i++) {
              const from = lo + Math.floor(((hi - lo) * i) / 8);
              rows.push(
                ...(
                  await sql<Row>`SELECT * FROM ${ref} WHERE ${sql.ref(pk)} >= ${from} ORDER BY ${sql.ref(pk)} LIMIT
                    ${per}`.execute(root)
                ).rows,
              );
            }
            return { rows: rows.slice(0, limit).map((r) => normalizeRow(r)), method: `8 key ranges of ${pk}` };
          }
        }
        return {
          rows: (await sql<Row>`SELECT * FROM ${ref} LIMIT ${limit}`.execute(root)).rows.map((r) => normalizeRow(r)),
          method: "first rows",
        };
      } catch (err) {
        throw fail(`sampling ${table}`, err);
      }
    },
    async introspect(tables?: readonly string[]): Promise<SchemaSnapshot> {
      try {
        return { engine: options.engine, tables: await adapter.introspect(root, options.schema, tables) };
      } catch (err) {
        throw fail("reading the schema", err);
      }
    },
    async close() {
      await root.destroy();
    },
  };
}
