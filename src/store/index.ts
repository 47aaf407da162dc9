/**
 * Pledge's own store: Kysely over an embedded SQLite file (the default, zero
 * set-up) or PostgreSQL (set PLEDGE_DATABASE_URL), migrated at open.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { migrationProvider } from "./migrations/index.js";

export type { Database } from "./schema.js";

/** What differs between engines, as flags rather than branches on the engine's name. */
export interface StoreCapabilities {
  /** `SELECT … FOR UPDATE` serializes writers across processes. */
  rowLocks: boolean;
}

export interface Store {
  db: Kysely<Database>;
  engine: "sqlite" | "postgres";
  capabilities: StoreCapabilities;
  /** Where it lives, without credentials. */
  describe: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** A postgres:// URL; when absent, the SQLite file `sqlitePath`. */
  databaseUrl?: string;
  /** Defaults to `./.pledge/pledge.db`. */
  sqlitePath?: string;
}

/** The store cannot be opened or migrated. */
export class StoreError extends Error {
  readonly code = "STORE_UNAVAILABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
  }
}

/** Hides the password of a connection URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * Opens the store and runs pending migrations.
 *
 * ```ts
 * const store = await openStore({ databaseUrl: process.env.PLEDGE_DATABASE_URL });
 * ```
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  let store: Store;
  if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new StoreError(`PLEDGE_DATABASE_URL must be a postgres:// URL, got ${redactUrl(options.databaseUrl)}`);
    }
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    pool.on("error", () => {
      /* idle client errors surface on the next query */
    });
    store = {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      engine: "postgres",
      capabilities: { rowLocks: true },
      describe: redactUrl(options.databaseUrl),
      close: async () => {
        await store.db.destroy();
      },
    };
  } else {
    const path = resolve(options.sqlitePath ?? ".pledge/pledge.db");
    mkdirSync(dirname(path), { recursive: true });
    let database: BetterSqlite3.Database;
    try {
      database = new BetterSqlite3(path);
    } catch (err) {
      throw new StoreError(`cannot open SQLite store ${path}: ${(err as Error).message}`, { cause: err });
    }
    database.pragma("journal_mode = WAL");
    database.pragma("busy_timeout = 5000");
    database.pragma("foreign_keys = ON");
    store = {
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }),
      engine: "sqlite",
      capabilities: { rowLocks: false },
      describe: `sqlite:${path}`,
      close: async () => {
        await store.db.destroy();
      },
    };
  }
  try {
    await migrate(store);
  } catch (err) {
    await store.db.destroy().catch(() => {});
    throw new StoreError(`cannot open the store at ${store.describe}: ${(err as Error).message}`, { cause: err });
  }
  return store;
}

async function migrate(store: Store): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider(store.engine === "postgres" ? { autoIncrementType: "serial", blobType: "bytea" } : { autoIncrementType: "integer", blobType: "blob" }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(`migration ${failed?.migrationName ?? "?"} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Whether the store answers a trivial query. */
export async function pingStore(store: Store): Promise<boolean> {
  try {
    await sql`select 1`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}

const secrets = new WeakMap<Store, Map<string, Promise<string>>>();

/**
 * A secret kept in the store (created at first use), unless `override` is given
 * (e.g. from PLEDGE_SECRET). Used for HMAC masking and identity hashes. Read
 * once per store and kept in memory: decisions hash identities on hot paths.
 */
export function getSecret(store: Store, name: string, override?: string): Promise<string> {
  if (override) return Promise.resolve(override);
  let byName = secrets.get(store);
  if (!byName) secrets.set(store, (byName = new Map()));
  let secret = byName.get(name);
  if (!secret) {
    secret = readOrCreateSecret(store, name);
    secret.catch(() => byName!.delete(name));
    byName.set(name, secret);
  }
  return secret;
}

async function readOrCreateSecret(store: Store, name: string): Promise<string> {
  const existing = await store.db.selectFrom("settings").select("value").where("key", "=", `secret:${name}`).executeTakeFirst();
  if (existing) return existing.value;
  const { randomBytes } = await import("node:crypto");
  // Another server may create it at the same moment: the first insert wins and everyone reads it back.
  await store.db
    .insertInto("settings")
    .values({ key: `secret:${name}`, value: randomBytes(32).toString("hex") })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await store.db.selectFrom("settings").select("value").where("key", "=", `secret:${name}`).executeTakeFirstOrThrow();
  return row.value;
}
