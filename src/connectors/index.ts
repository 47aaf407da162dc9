/**
 * Connectors to the organization's own data stores: one interface, one folder
 * per engine. `createConnector` turns a system's declared connector into a live
 * one; connection strings come from the environment and never appear in errors.
 */
import { resolve } from "node:path";
import { isStoreConnector, type ConnectorConfig } from "../declaration/index.js";
import { createFilesConnector } from "./files/index.js";
import { createMysqlConnector } from "./mysql/index.js";
import { createPostgresConnector } from "./postgres/index.js";
import { createRedisConnector } from "./redis/index.js";
import { createSqliteConnector } from "./sqlite/index.js";
import { ConnectorConfigError, type Connector, type ConnectorOptions } from "./types.js";
import { mysqlAdapter } from "./mysql/index.js";
import { postgresAdapter } from "./postgres/index.js";
import { sqliteAdapter } from "./sqlite/index.js";
import type { SqlAdapter } from "./sql.js";

export * from "./types.js";
export * from "./schema.js";
export { indexServes, comparedExpression, type SqlAdapter } from "./sql.js";
export { PG_TYPES } from "./postgres/index.js";

/** The SQL engines' adapters, by engine name: how each strips a column to digits and reads its schema. */
export const SQL_ADAPTERS: Readonly<Record<string, SqlAdapter>> = {
  postgres: postgresAdapter,
  mysql: mysqlAdapter,
  sqlite: sqliteAdapter,
};

type Env = Record<string, string | undefined>;

function fromEnv(system: string, ref: { env: string } | string, env: Env, what: string): string {
  if (typeof ref === "string") return ref;
  const v = env[ref.env];
  if (!v) throw new ConnectorConfigError(`${system}: environment variable ${ref.env} (the ${what}) is not set`);
  return v;
}

type Factory = (system: string, config: ConnectorConfig, env: Env, cwd: string, options: ConnectorOptions) => Connector;

/** One factory per engine; adding an engine adds a row here, never a branch elsewhere. */
const FACTORIES: Record<Exclude<ConnectorConfig["engine"], "manual" | "http" | "mail">, Factory> = {
  postgres: (system, c, env, _cwd, o) =>
    createPostgresConnector(
      system,
      fromEnv(system, (c as { url: { env: string } }).url, env, "connection URL"),
      (c as { schema?: string }).schema,
      o,
    ),
  mysql: (system, c, env, _cwd, o) =>
    createMysqlConnector(system, fromEnv(system, (c as { url: { env: string } }).url, env, "connection URL"), o),
  sqlite: (system, c, env, cwd, o) =>
    createSqliteConnector(
      system,
      resolve(cwd, fromEnv(system, (c as { path: string | { env: string } }).path, env, "database path")),
      o,
    ),
  redis: (system, c, env, _cwd, o) =>
    createRedisConnector(system, fromEnv(system, (c as { url: { env: string } }).url, env, "connection URL"), o),
  files: (system, c, env, cwd, o) =>
    createFilesConnector(
      system,
      resolve(cwd, fromEnv(system, (c as { directory?: string | { env: string } }).directory ?? ".", env, "directory")),
      o,
    ),
};

/**
 * A live connector for a system, or undefined for a manual one (no connector).
 *
 * ```ts
 * const shop = createConnector("shop", decl.systems.shop.connector, process.env);
 * ```
 */
export function createConnector(
  system: string,
  config: ConnectorConfig | undefined,
  env: Env = process.env,
  cwd = process.cwd(),
  options: ConnectorOptions = {},
): Connector | undefined {
  if (!isStoreConnector(config)) return undefined;
  return FACTORIES[config.engine](system, config, env, cwd, options);
}
export {
  createVendorConnector,
  loadVendorSpec,
  vendorSpecFindings,
  builtInSpecs,
  buildRequest,
  gateStats,
  VendorRequestError,
  VendorRetryLater,
  VendorSpecError,
  vendorSpecJsonSchema,
  type VendorConnector,
  type VendorRecord,
  type HttpConnectorConfig,
  type ConsentOperationName,
} from "./http/index.js";
