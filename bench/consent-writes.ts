import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { recordConsent } from "../src/consent/index.js";
import { loadDeclaration } from "../src/declaration/index.js";
import type { Store } from "../src/store/index.js";
import { onBothStores } from "./stores.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const N = Number(process.env.BENCH_RECORDS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** Creates `name` as a copy of consent_events: its columns only, or its columns with the same keys and indexes. */
async function copyTable(store: Store, name: string, indexed: boolean): Promise<void> {
  if (!indexed) {
    await sql`CREATE TABLE ${sql.table(name)} AS SELECT * FROM consent_events WHERE 1 = 0`.execute(store.db);
    return;
  }
  if (store.engine === "postgres") {
    await sql`CREATE TABLE ${sql.table(name)} (LIKE consent_events INCLUDING ALL)`.execute(store.db);
    return;
  }
  const ddl = await sql<{ sql: string }>`
    SELECT sql FROM sqlite_master WHERE tbl_name = 'consent_events' AND sql IS NOT NULL`.execute(store.db);
  for (const { sql: text } of ddl.rows)
    await sql
      .raw(text.replace(/\bconsent_events\b/g, name).replace(/INDEX "?consent_events_(\w+)"?/, `INDEX ${name}_$1`))
      .execute(store.db);
}

const choice = (i: number) => ({
  deviceId: randomUUID(),
  categories: { analytics: i % 2 ? ("given" as const) : ("refused" as const), marketing: "refused" as const },
  language: "en" as const,
  method: "banner" as const,
  ip: "203.0.113.9",
  userAgent: "bench",
});

async function measure(label: string, store: Store): Promise<{ pledge: number; raw: number }> {
  const decl = (await loadDeclaration(join(ROOT, "demo/pledge.yaml"))).declaration;
  await copyTable(store, "raw_indexed", true);
  await copyTable(store, "raw_bare", false);
  // One row as Pledge writes it, inserted raw: one INSERT, one transaction, no audit entry.
  await recordConsent(store, decl, choice(0));
  const sample = await store.db.selectFrom("consent_events").selectAll().limit(1).executeTakeFirstOrThrow();
  const { id: _id, ...row } = sample;
  const raw = (table: string) => () =>
    store.db
      .insertInto(table as "consent_events")
      .values({ ...row, record_id: `raw_${randomBytes(12).toString("base64url")}`, device_id: randomUUID() })
      .execute();
  const timed = async (fn: (i: number) => Promise<unknown>) => {
    const t = performance.now();
    await pool(N, CONCURRENCY, fn);
    return N / ((performance.now() - t) / 1000);
  };
  // Warm both paths (the JIT, the statement caches) before anything is timed.
  await pool(Math.min(500, N), CONCURRENCY, (i) => recordConsent(store, decl, choice(i)));
  await pool(Math.min(500, N), CONCURRENCY, raw("raw_indexed"));
  const pledge = await timed((i) => recordConsent(store, decl, choice(i)));
  const indexed = await timed(raw("raw_indexed"));
  const bare = await timed(raw("raw_bare"));
  const f = (n: number) => n.toFixed(0).padStart(6);
  console.log(
    `${label.padEnd(11)} Pledge ${f(pledge)} records/s   raw inserts ${f(indexed)} rows/s   ratio ${(pledge / indexed).toFixed(2)}` +
      `   (into a copy with no keys or indexes: ${f(bare)} rows/s, ratio ${(pledge / bare).toFixed(2)})`,
  );
  return { pledge, raw: indexed };
}

export async function run(): Promise<void> {
  console.log(
    `${N} records each, ${CONCURRENCY} writers at a time. A Pledge record is the event plus its hash-chained audit entry, ` +
      "acknowledged once committed; records written together commit together (group commit). The baseline is one raw " +
      "INSERT of the same row per transaction into a copy of consent_events with the same keys and indexes.\n",
  );
  await onBothStores(measure);
}
