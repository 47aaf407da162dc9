/**
 * Connectors to the organization's own data stores: one interface, one folder
 * per engine. `createConnector` turns a system's declared connector into a live
 * one; connection strings come from the environment and never appear in errors.
 */
import { resolve } from "node:path";
import type { ConnectorConfig } from "../declaration/index.js";
import { createFilesConnector } from "./files/index.js";
import { createMysqlConnector } from "./mysql/index.js";
import { createPostgresConnector } from "./postgres/index.js";
import { createRedisConnector } from "./redis/index.js";
import { createSqliteConnector } from "./sqlite/index.js";
import { ConnectorConfigError, type Connector } from "./types.js";

export * from "./types.js";

type Env = Record<string, string | undefined>;

function fromEnv(system: string, ref: { env: string } | string, env: Env, what: string): string {
  if (typeof ref === "string") return ref;
  const v = env[ref.env];
  if (!v) throw new ConnectorConfigError(`${system}: environment variable ${ref.env} (the ${what}) is not set`);
  return v;
}

type Factory = (system: string, config: ConnectorConfig, env: Env, cwd: string) => Connector;

/** One factory per engine; adding an engine adds a row here, never a branch elsewhere. */
const FACTORIES: Record<Exclude<ConnectorConfig["engine"], "manual">, Factory> = {
  postgres: (system, c, env) => createPostgresConnector(system, fromEnv(system, (c as { url: { env: string } }).url, env, "connection URL"), (c as { schema?: string }).schema),
  mysql: (system, c, env) => createMysqlConnector(system, fromEnv(system, (c as { url: { env: string } }).url, env, "connection URL")),
  sqlite: (system, c, env, cwd) => createSqliteConnector(system, resolve(cwd, fromEnv(system, (c as { path: string | { env: string } }).path, env, "database path"))),
  redis: (system, c, env) => createRedisConnector(system, fromEnv(system, (c as { url: { env: string } }).url, env, "connection URL")),
  files: (system, c, env, cwd) => createFilesConnector(system, resolve(cwd, fromEnv(system, (c as { directory?: string | { env: string } }).directory ?? ".", env, "directory"))),
};

/**
 * A live connector for a system, or undefined for a manual one (no connector).
 *
 * ```ts
 * const shop = createConnector("shop", decl.systems.shop.connector, process.env);
 * ```
 */
export function createConnector(system: string, config: ConnectorConfig | undefined, env: Env = process.env, cwd = process.cwd()): Connector | undefined {
  if (!config || config.engine === "manual") return undefined;
  return FACTORIES[config.engine](system, config, env, cwd);
}
