/** SQLite: the shared SQL connector over Kysely's SQLite dialect and better-sqlite3. */
import { existsSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { SqliteDialect } from "kysely";
import { createSqlConnector } from "../sql.js";
import { ConnectorConfigError, type Connector } from "../types.js";

export function createSqliteConnector(system: string, path: string): Connector {
  if (!existsSync(path)) throw new ConnectorConfigError(`${system}: SQLite file ${path} does not exist`);
  return createSqlConnector({
    system,
    engine: "sqlite",
    dialect: new SqliteDialect({
      database: async () => {
        const db = new BetterSqlite3(path, { fileMustExist: true, timeout: 5000 });
        db.pragma("journal_mode = WAL");
        db.pragma("foreign_keys = ON");
        return db;
      },
    }),
    describe: `sqlite:${path}`,
  });
}
