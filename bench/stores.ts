/**
 * The two stores a bench measures on: an embedded SQLite file and a fresh PostgreSQL database, each opened, handed to
 * `measure`, and removed afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openStore, type Store } from "../src/store/index.js";

const ADMIN = process.env.PLEDGE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function onBothStores(measure: (label: string, store: Store) => Promise<unknown>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-"));
  try {
    const lite = await openStore({ sqlitePath: join(dir, "p.db") });
    await measure("SQLite", lite);
    await lite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const name = `pledge_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    const u = new URL(ADMIN);
    u.pathname = `/${name}`;
    const store = await openStore({ databaseUrl: u.toString() });
    await measure("PostgreSQL", store);
    await store.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
