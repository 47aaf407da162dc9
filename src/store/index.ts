/**
 * Pledge's own store: Kysely over an embedded SQLite file (the default, zero
 * set-up) or PostgreSQL (set PLEDGE_DATABASE_URL), migrated at open.
 */
import { EventEmitter } from "node:events";
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
  /** A signal reaches every process on the store (PostgreSQL LISTEN/NOTIFY), not only this one. */
  sharedSignals: boolean;
}

export interface Store {
  db: Kysely<Database>;
  engine: "sqlite" | "postgres";
  capabilities: StoreCapabilities;
  /** Where it lives, without credentials. */
  describe: string;
  /**
   * Wakes whoever listens on `channel`: in this process at once, and, where
   * `capabilities.sharedSignals`, in every process on the same database. The
   * promise settles once the signal is sent (it never rejects: polling is the
   * fallback); await it only where the process may exit next.
   */
  signal(channel: string): Promise<void>;
  /** Calls `fn` whenever `channel` is signalled; returns the function that stops listening. */
  listen(channel: string, fn: () => void): () => void;
  /**
   * After deleting what must not be kept (an expired export): leaves no copy
   * in the store's files where the engine allows. SQLite zeroes freed pages
   * (secure_delete) and here empties its write-ahead log, which still holds
   * the old pages. PostgreSQL reclaims dead rows by autovacuum; what it keeps
   * meanwhile is sealed exports, unreadable without the person's token.
   */
  scrub(): Promise<void>;
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
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const checkChannel = (channel: string) => {
    if (!/^[a-z_]{1,40}$/.test(channel)) throw new Error(`invalid signal channel '${channel}'`);
  };
  if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new StoreError(`PLEDGE_DATABASE_URL must be a postgres:// URL, got ${redactUrl(options.databaseUrl)}`);
    }
    const url = options.databaseUrl;
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on("error", () => {
      /* idle client errors surface on the next query */
    });
    // A client that is checked out between statements has no listener of the pool's: a PostgreSQL restart (or a
    // dropped database) would end the process with an uncaught error. Its pending query still fails.
    pool.on("connect", (client) => client.on("error", () => {}));
    const listener = createPgListener(url, local);
    store = {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      engine: "postgres",
      capabilities: { rowLocks: true, sharedSignals: true },
      describe: redactUrl(url),
      signal(channel) {
        checkChannel(channel);
        local.emit(channel);
        return sql`SELECT pg_notify(${`pledge_${channel}`}, '')`.execute(store.db).then(
          () => undefined,
          () => undefined, // the other servers' polling is the fallback
        );
      },
      listen(channel, fn) {
        checkChannel(channel);
        listener.add(channel);
        local.on(channel, fn);
        return () => local.off(channel, fn);
      },
      scrub: async () => {},
      close: async () => {
        await listener.close();
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
    // Deleted rows (a person's identity, an expired export) are overwritten, not left in free pages.
    database.pragma("secure_delete = ON");
    store = {
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }),
      engine: "sqlite",
      capabilities: { rowLocks: false, sharedSignals: false },
      describe: `sqlite:${path}`,
      signal(channel) {
        checkChannel(channel);
        local.emit(channel);
        return Promise.resolve();
      },
      listen(channel, fn) {
        checkChannel(channel);
        local.on(channel, fn);
        return () => local.off(channel, fn);
      },
      scrub: async () => {
        database.pragma("wal_checkpoint(TRUNCATE)");
      },
      close: async () => {
        await store.db.destroy();
      },
    };
  }
  try {
    await migrate(store);
  } catch (err) {
    await store.close().catch(() => {});
    throw new StoreError(`cannot open the store at ${store.describe}: ${(err as Error).message}`, { cause: err });
  }
  return store;
}

/**
 * One connection per store that LISTENs on the channels asked for and passes
 * notifications on to this process's listeners. It reconnects after a failure;
 * while it is down, polling is the fallback.
 */
function createPgListener(url: string, local: EventEmitter) {
  const channels = new Set<string>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = () => {
    if (closed || connecting || client) return;
    const c = new pg.Client({ connectionString: url });
    c.on("notification", (n) => local.emit(n.channel.replace(/^pledge_/, "")));
    c.on("error", () => {
      client = undefined;
      c.end().catch(() => {});
      later();
    });
    connecting = c
      .connect()
      .then(async () => {
        client = c;
        for (const ch of channels) await c.query(`LISTEN "pledge_${ch}"`);
      })
      .catch(() => {
        client = undefined;
        later();
      })
      .finally(() => {
        connecting = undefined;
      });
  };
  const later = () => {
    if (closed) return;
    retry = setTimeout(connect, 1000);
    retry.unref();
  };
  return {
    add(channel: string) {
      if (channels.has(channel)) return;
      channels.add(channel);
      if (client) client.query(`LISTEN "pledge_${channel}"`).catch(() => {});
      else connect();
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await connecting;
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}

async function migrate(store: Store): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider(
      store.engine === "postgres"
        ? { autoIncrementType: "serial", blobType: "bytea" }
        : { autoIncrementType: "integer", blobType: "blob" },
    ),
  });
  // PostgreSQL's migrations take Kysely's advisory lock. SQLite's take none, and run outside a transaction: two
  // processes opening a new store at once would both create the same tables. The whole run is one IMMEDIATE
  // transaction instead, so the second waits for the first (busy_timeout) and then finds nothing to do.
  const sqlite = store.engine === "sqlite";
  if (sqlite) await sql`BEGIN IMMEDIATE`.execute(store.db);
  let outcome: Awaited<ReturnType<typeof migrator.migrateToLatest>>;
  try {
    outcome = await migrator.migrateToLatest();
  } catch (err) {
    if (sqlite) await sql`ROLLBACK`.execute(store.db).catch(() => {});
    throw err;
  }
  if (sqlite) await sql.raw(outcome.error ? "ROLLBACK" : "COMMIT").execute(store.db);
  const { error, results } = outcome;
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
  const existing = await store.db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", `secret:${name}`)
    .executeTakeFirst();
  if (existing) return existing.value;
  const { randomBytes } = await import("node:crypto");
  // Another server may create it at the same moment: the first insert wins and everyone reads it back.
  await store.db
    .insertInto("settings")
    .values({ key: `secret:${name}`, value: randomBytes(32).toString("hex") })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await store.db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", `secret:${name}`)
    .executeTakeFirstOrThrow();
  return row.value;
}
