/**
 * The SQL connector, shared by PostgreSQL, MySQL/MariaDB and SQLite: Kysely
 * builds every statement, so table and column names from the declaration are
 * quoted by the engine's own rules and values are always bound parameters.
 * What differs between the engines lives in each engine's `SqlAdapter`: the
 * expression of a column's digits, and how the schema is read.
 */
import { Kysely, sql, type Dialect, type ExpressionBuilder } from "kysely";
import { chunks, ConnectorError, isKeySelector, normalizeRow, type Comparison, type Connector, type DatasetTarget, type Mutation, type MutationResult, type Row, type Selector, type Value } from "./types.js";
import { findColumn, findTable, normalizeExpression, type SchemaSnapshot, type TableInfo } from "./schema.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/** What one SQL engine does its own way. */
export interface SqlAdapter {
  /** The text around a column that strips its separators, leaving digits: `[before, after]`. */
  digits: readonly [string, string];
  /** Reads the tables of the connected schema (all, or those named). */
  introspect(db: AnyDb, schema: string | undefined, tables?: readonly string[]): Promise<TableInfo[]>;
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
  const firsts = [...table.indexes.map((i) => i.parts[0]), table.primaryKey[0]].filter((p): p is string => !!p).map(normalizeExpression);
  if (compare === "exact" || (compare === "fold" && col?.foldsCase)) return firsts.includes(plain);
  return firsts.includes(want);
}

const TABLE_CACHE = new Map<string, ({ table: TableInfo | undefined } | { pending: Promise<TableInfo | undefined> }) & { until: number }>();

/** Creates a connector over any Kysely dialect. */
export function createSqlConnector(options: SqlConnectorOptions): Connector {
  const root: AnyDb = new Kysely({ dialect: options.dialect });
  const db: AnyDb = options.schema ? root.withSchema(options.schema) : root;
  const { adapter } = options;
  const fail = (what: string, err: unknown) => new ConnectorError(options.system, `${what} on ${options.describe} failed: ${(err as Error).message}`, { cause: err });
  /** A table's shape, for deciding how to fold case: read once, and kept a few minutes for the next connector on the same database. */
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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const narrow = <Q extends { where: (...args: any[]) => Q }>(q: Q, table: string, sel: Selector): Q | Promise<Q> => {
    if (isKeySelector(sel)) {
      const keys = sel.keys;
      return q.where((eb: ExpressionBuilder<any, any>) =>
        eb.or(keys.map((k) => eb.and(sel.fields.map((f, i) => (k[i] === null || k[i] === undefined ? eb(eb.ref(f), "is", null) : eb(eb.ref(f), "=", k[i])))))),
      );
    }
    const values = sel.values as Value[];
    if (sel.compare === "digits") return q.where(sql`${sql.raw(adapter.digits[0])}${sql.ref(sel.field)}${sql.raw(adapter.digits[1])}`, "in", values);
    if (sel.compare === "fold") {
      const fold = (t: TableInfo | undefined) => (t && findColumn(t, sel.field)?.foldsCase ? q.where(sel.field, "in", values) : q.where(sql`lower(${sql.ref(sel.field)})`, "in", values));
      const t = describeTable(table);
      return t instanceof Promise ? t.then(fold) : fold(t);
    }
    return q.where(sel.field, "in", values);
  };

  /** A selector in pieces small enough for one statement. */
  const parts = (sel: Selector): Selector[] => {
    if (isKeySelector(sel)) {
      // A single-field key without nulls is an `IN` list, which engines plan best.
      if (sel.fields.length === 1 && sel.keys.every((k) => k[0] !== null && k[0] !== undefined)) return chunks(sel.keys.map((k) => k[0])).map((values) => ({ field: sel.fields[0], values }));
      return chunks(sel.keys, 200).map((keys) => ({ fields: sel.fields, keys }));
    }
    return chunks(sel.values).map((values) => ({ ...sel, values }));
  };
  const empty = (sel: Selector) => (isKeySelector(sel) ? sel.keys.length === 0 : sel.values.length === 0);
  const refuse = () => {
    if (options.readOnly) throw new ConnectorError(options.system, "opened read-only: no writes");
  };

  return {
    engine: options.engine,
    capabilities: { atomic: true, tabular: true },
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
                const r = m.kind === "delete" ? await (await narrow(t.deleteFrom(m.dataset.name), m.dataset.name, part)).executeTakeFirst() : await (await narrow(t.updateTable(m.dataset.name).set(m.set), m.dataset.name, part)).executeTakeFirst();
                affected += Number((r as { numDeletedRows?: bigint }).numDeletedRows ?? (r as { numUpdatedRows?: bigint }).numUpdatedRows ?? 0);
              }
            }
            results.push({ affected });
          }
          return results;
        });
      } catch (err) {
        throw fail("writing", err);
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
