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
  await onBothStores(measure);
}
