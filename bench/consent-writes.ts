/**
 * bench/consent-writes: durable consent records per second — each an event
 * committed with its audit entry — on SQLite and on PostgreSQL, against raw
 * inserts of the same rows into a table of the same shape, in the same run.
 *
 *   npm run bench -- consent-writes
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import pg from "pg";
import { recordConsent } from "../src/consent/index.js";
import { loadDeclaration } from "../src/declaration/index.js";
import { openStore, type Store } from "../src/store/index.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const N = Number(process.env.BENCH_RECORDS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ADMIN = process.env.PLEDGE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function measure(label: string, store: Store): Promise<{ pledge: number; raw: number }> {
  const decl = (await loadDeclaration(join(ROOT, "demo/pledge.yaml"))).declaration;
  await sql`CREATE TABLE raw_consent AS SELECT * FROM consent_events WHERE 1 = 0`.execute(store.db);
  let t = performance.now();
  await pool(N, CONCURRENCY, (i) =>
    recordConsent(store, decl, {
      deviceId: randomUUID(),
      categories: { analytics: i % 2 ? "given" : "refused", marketing: "refused" },
      language: "en",
      method: "banner",
      ip: "203.0.113.9",
      userAgent: "bench",
    }),
  );
  const pledge = N / ((performance.now() - t) / 1000);
  const sample = await store.db.selectFrom("consent_events").selectAll().limit(1).executeTakeFirstOrThrow();
  t = performance.now();
  await pool(N, CONCURRENCY, () => {
    const { id: _id, ...row } = sample;
    return store.db
      .insertInto("raw_consent" as "consent_events")
      .values({ ...row, record_id: `raw_${randomBytes(12).toString("base64url")}`, device_id: randomUUID() })
      .execute();
  });
  const raw = N / ((performance.now() - t) / 1000);
  console.log(
    `${label.padEnd(11)} Pledge ${pledge.toFixed(0).padStart(6)} records/s   raw inserts ${raw.toFixed(0).padStart(6)} rows/s   ratio ${(pledge / raw).toFixed(2)}`,
  );
  return { pledge, raw };
}

export async function run(): Promise<void> {
  console.log(
    `${N} records each, ${CONCURRENCY} writers at a time; a Pledge record is the event plus its hash-chained audit entry, committed before it is acknowledged\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-writes-"));
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
