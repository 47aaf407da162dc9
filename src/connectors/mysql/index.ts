/** MySQL and MariaDB: the shared SQL connector over Kysely's MySQL dialect and a mysql2 pool. */
import { MysqlDialect } from "kysely";
import { createPool } from "mysql2";
import { createSqlConnector } from "../sql.js";
import type { Connector } from "../types.js";

export function createMysqlConnector(system: string, url: string): Connector {
  const pool = createPool({ uri: url, connectionLimit: 4, connectTimeout: 5000, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  const u = new URL(url);
  return createSqlConnector({ system, engine: "mysql", dialect: new MysqlDialect({ pool }), describe: `mysql://${u.host}${u.pathname}` });
}
