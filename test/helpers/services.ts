/**
 * The organization's data stores for connector tests: a unique PostgreSQL
 * database, a unique MariaDB database, a Redis key prefix. Outside CI an
 * unreachable service skips with a one-line reason; with CI=true it fails.
 */
import { randomBytes } from "node:crypto";
import { createConnection } from "mysql2/promise";
import { Redis } from "ioredis";
import { createPgDatabase, postgresUnavailable } from "./stores.js";

export const MYSQL_ADMIN_URL = process.env.PLEDGE_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/mysql";
export const REDIS_URL = process.env.PLEDGE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";

export { createPgDatabase, postgresUnavailable };

export async function mysqlUnavailable(): Promise<string | undefined> {
  try {
    const c = await createConnection({ uri: MYSQL_ADMIN_URL, connectTimeout: 10000 });
    await c.end();
    return undefined;
  } catch (err) {
    return `MariaDB at ${MYSQL_ADMIN_URL} is unreachable: ${(err as Error).message}`;
  }
}

export async function redisUnavailable(): Promise<string | undefined> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on("error", () => {});
  try {
    await r.connect();
    await r.ping();
    return undefined;
  } catch (err) {
    return `Redis at ${REDIS_URL} is unreachable: ${(err as Error).message}`;
  } finally {
    r.disconnect();
  }
}

/** Creates a uniquely named MariaDB database; returns its URL and a function that drops it. */
export async function createMysqlDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pledge_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const c = await createConnection({ uri: MYSQL_ADMIN_URL });
  await c.query(`CREATE DATABASE \`${name}\``);
  await c.end();
  const u = new URL(MYSQL_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = await createConnection({ uri: MYSQL_ADMIN_URL });
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}

/** Which services are missing: each reason, for skipping or failing. */
export async function missingServices(): Promise<string[]> {
  return (await Promise.all([postgresUnavailable(), mysqlUnavailable(), redisUnavailable()])).filter(
    (x): x is string => !!x,
  );
}

/**
 * For a test's `before`: undefined when PostgreSQL, MariaDB and Redis answer;
 * otherwise the reason to skip, or, with CI=true, a failure.
 */
export async function servicesOrSkip(): Promise<string | undefined> {
  const missing = await missingServices();
  if (!missing.length) return undefined;
  if (process.env.CI === "true") throw new Error(`CI=true and ${missing.join("; ")}`);
  return missing.join("; ");
}
