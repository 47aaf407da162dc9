/** PostgreSQL: the shared SQL connector over Kysely's Postgres dialect and a small pg pool. */
import { PostgresDialect } from "kysely";
import pg from "pg";
import { createSqlConnector } from "../sql.js";
import type { Connector } from "../types.js";

export function createPostgresConnector(system: string, url: string, schema?: string): Connector {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000 });
  pool.on("error", () => {
    /* surfaced by the next query */
  });
  const u = new URL(url);
  return createSqlConnector({ system, engine: "postgres", dialect: new PostgresDialect({ pool }), schema, describe: `postgres://${u.host}${u.pathname}` });
}
