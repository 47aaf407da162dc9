/**
 * One shared suite runs against every store: SQLite (a temp file) and
 * PostgreSQL (a uniquely named database, created and dropped here). Outside CI
 * an unreachable PostgreSQL skips with a one-line reason; with CI=true it fails.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { after, before, describe } from "node:test";
import pg from "pg";
import { openStore, type Store } from "../../src/store/index.js";

export const PG_ADMIN_URL = process.env.PLEDGE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const IN_CI = process.env.CI === "true";

let pgReachable: Promise<string | undefined> | undefined;
/** Undefined when PostgreSQL answers, else why not. */
export function postgresUnavailable(): Promise<string | undefined> {
  pgReachable ??= (async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 10000 });
    try {
      await c.connect();
      await c.query("select 1");
      return undefined;
    } catch (err) {
      return `PostgreSQL at ${PG_ADMIN_URL} is unreachable: ${(err as Error).message}`;
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return pgReachable;
}

/** Creates a uniquely named PostgreSQL database; returns its URL and a function that drops it. */
export async function createPgDatabase(prefix = "pledge_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface StoreTarget {
  name: "sqlite" | "postgres";
  /** Options for `openStore` (and the CLI's environment) pointing at this test's store. */
  options: { databaseUrl?: string; sqlitePath?: string };
  env: Record<string, string>;
  open(): Promise<Store>;
}

/** Why PostgreSQL cannot be used by this test file, asked once when the file loads; undefined when it answers. */
const PG_REASON = await postgresUnavailable();

/**
 * Runs `suite` once per store engine, each in its own describe block with a fresh store.
 *
 * ```ts
 * forEachStore("audit", (target) => { it("appends", async () => { const s = await target.open(); … }); });
 * ```
 */
export function forEachStore(title: string, suite: (target: StoreTarget) => void): void {
  describe(`${title} [sqlite]`, () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-test-"));
    const sqlitePath = join(dir, "pledge.db");
    after(() => rmSync(dir, { recursive: true, force: true }));
    suite({
      name: "sqlite",
      options: { sqlitePath },
      env: { PLEDGE_SQLITE_PATH: sqlitePath },
      open: () => openStore({ sqlitePath }),
    });
  });

  // The describe is synchronous: node:test attaches the hooks and tests of an async describe
  // registered after an await to whatever suite runs then, so a suite's store could be dropped
  // before its server closed. Whether PostgreSQL answers is known before any suite is declared.
  describe(`${title} [postgres]`, () => {
    const reason = PG_REASON;
    if (reason && !IN_CI) {
      console.log(`# skipping ${title} [postgres]: ${reason}`);
      return;
    }
    if (reason) throw new Error(`CI=true and ${reason}`);
    const target: StoreTarget = { name: "postgres", options: {}, env: {}, open: () => openStore(target.options) };
    let drop: (() => Promise<void>) | undefined;
    before(async () => {
      const db = await createPgDatabase();
      target.options.databaseUrl = db.url;
      target.env.PLEDGE_DATABASE_URL = db.url;
      drop = db.drop;
    });
    after(async () => {
      await drop?.();
    });
    suite(target);
  });
}
