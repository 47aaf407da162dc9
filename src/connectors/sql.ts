/**
 * The SQL connector, shared by PostgreSQL, MySQL/MariaDB and SQLite: Kysely
 * builds every statement, so table and column names from the declaration are
 * quoted by the engine's own rules and values are always bound parameters.
 */
import { Kysely, type Dialect } from "kysely";
import { chunks, ConnectorError, normalizeRow, type Connector, type DatasetTarget, type Mutation, type MutationResult, type Row, type Selector } from "./types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export interface SqlConnectorOptions {
  system: string;
  engine: string;
  dialect: Dialect;
  schema?: string;
  /** Describes the target without secrets, for errors. */
  describe: string;
}

/** Creates a connector over any Kysely dialect. */
export function createSqlConnector(options: SqlConnectorOptions): Connector {
  const root: AnyDb = new Kysely({ dialect: options.dialect });
  const db: AnyDb = options.schema ? root.withSchema(options.schema) : root;
  const fail = (what: string, err: unknown) => new ConnectorError(options.system, `${what} on ${options.describe} failed: ${(err as Error).message}`, { cause: err });

  const whereIn = <Q extends { where: (...a: never[]) => Q }>(q: Q, sel: Selector): Q => {
    type W = { where: (f: string, op: string, v: unknown) => W };
    let out = (q as unknown as W).where(sel.field, "in", sel.values as unknown[]);
    for (const [k, v] of Object.entries(sel.equals ?? {})) out = v === null || v === undefined ? out.where(k, "is", null) : out.where(k, "=", v);
    return out as unknown as Q;
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
      if (where.values.length === 0) return [];
      const out: Row[] = [];
      try {
        for (const part of chunks(where.values)) {
          const rows = await whereIn(db.selectFrom(dataset.name).selectAll(), { field: where.field, values: part }).execute();
          for (const r of rows) out.push(normalizeRow(r as Row));
        }
      } catch (err) {
        throw fail(`reading ${dataset.name}`, err);
      }
      return out;
    },
    async apply(mutations: readonly Mutation[]): Promise<MutationResult[]> {
      try {
        return await root.transaction().execute(async (trx) => {
          const t: AnyDb = options.schema ? trx.withSchema(options.schema) : trx;
          const results: MutationResult[] = [];
          for (const m of mutations) {
            let affected = 0;
            for (const part of chunks(m.where.values)) {
              const sel = { field: m.where.field, values: part, equals: m.where.equals };
              const r =
                m.kind === "delete"
                  ? await whereIn(t.deleteFrom(m.dataset.name), sel).executeTakeFirst()
                  : await whereIn(t.updateTable(m.dataset.name).set(m.set), sel).executeTakeFirst();
              affected += Number((r as { numDeletedRows?: bigint; numUpdatedRows?: bigint }).numDeletedRows ?? (r as { numUpdatedRows?: bigint }).numUpdatedRows ?? 0);
            }
            results.push({ affected });
          }
          return results;
        });
      } catch (err) {
        throw fail("writing", err);
      }
    },
    async close() {
      await root.destroy();
    },
  };
}
