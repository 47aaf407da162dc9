/**
 * bench/retention: a retention sweep on PostgreSQL against one raw statement.
 *
 * Two identical tables of 10 million events (3 million older than the rule's
 * year), indexed on created_at. The baseline deletes the expired rows with one
 * `DELETE … WHERE created_at < $1`; Pledge sweeps the other table through its
 * retention engine (pages by primary key, each batch journalled and applied in
 * its own transaction). While each runs, a client inserts into the same table
 * one row at a time and records each insert's latency.
 *
 *   npm run bench -- retention
 *   BENCH_ROWS=1000000 BENCH_EXPIRED=300000 npm run bench -- retention
 *
 * Needs PostgreSQL at PLEDGE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import pg from "pg";
import { createConnector, type Connector } from "../src/connectors/index.js";
import { parseDeclaration } from "../src/declaration/index.js";
import { bindingsOf, sweepBinding, type RetentionContext } from "../src/retention/index.js";
import { openStore } from "../src/store/index.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const EXPIRED = Number(process.env.BENCH_EXPIRED ?? 3_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 20_000);
const ADMIN = process.env.PLEDGE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const declaration = parseDeclaration(`version: bench
effectiveDate: 2026-01-01
organization: { name: Bench, roles: [controller], country: DE, contact: { email: p@bench.example }, jurisdictions: [EU] }
purposes:
  app: { name: App, legalBasis: legitimate_interests, legitimateInterest: Security, dataCategories: [user.contact.email, user.device.ip_address], dataSubjects: [customer], systems: [app], retention: events }
retention: { events: { period: 1 year, from: collection, action: delete } }
rights: { offered: [access, erasure], channels: [{ type: web, address: /x }] }
systems:
  app:
    name: App
    connector: { engine: postgres, url: { env: BENCH_DB } }
    datasets:
      events:
        name: events_pledge
        retention: { rule: events, clock: created_at }
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          ip: { category: user.device.ip_address }
          created_at: {}
          payload: {}
`).declaration;

async function build(c: pg.Client, table: string): Promise<void> {
  await c.query(`CREATE UNLOGGED TABLE ${table} (id bigserial PRIMARY KEY, email text, ip text, created_at timestamptz NOT NULL, payload text)`);
  // Append-only, as event tables are: the oldest rows have the lowest ids. The first EXPIRED rows are 2 to 3 years old, the rest within the last 11 months.
  await c.query(
    `INSERT INTO ${table} (email, ip, created_at, payload)
     SELECT 'u' || (i % 100000) || '@bench.example', '10.' || (i % 250) || '.' || (i % 200) || '.1',
            CASE WHEN i <= $2 THEN now() - interval '3 years' + (i::float / $2) * interval '360 days'
                 ELSE now() - interval '330 days' + ((i - $2)::float / ($1 - $2)) * interval '329 days' END,
            md5(i::text)
     FROM generate_series(1, $1) i`,
    [ROWS, EXPIRED],
  );
  await c.query(`ALTER TABLE ${table} SET LOGGED`);
  await c.query(`CREATE INDEX ${table}_created ON ${table} (created_at)`);
  await c.query(`VACUUM ANALYZE ${table}`);
}

/**
 * Inserts one row at a time into `table` until stopped, in its own thread (so
 * the sweep's work in this thread does not count as insert latency); returns
 * each insert's latency in ms.
 */
function inserter(url: string, table: string) {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const pg = require(workerData.pg);
     (async () => {
       const c = new pg.Client({ connectionString: workerData.url });
       await c.connect();
       const lat = [];
       let stop = false;
       parentPort.on("message", () => (stop = true));
       while (!stop) {
         const t = performance.now();
         await c.query("INSERT INTO " + workerData.table + " (email, ip, created_at, payload) VALUES ($1, $2, now(), $3)", ["new@bench.example", "10.9.9.9", "x"]);
         lat.push(performance.now() - t);
       }
       await c.end();
       parentPort.postMessage(lat);
     })();`,
    { eval: true, workerData: { url, table, pg: createRequire(import.meta.url).resolve("pg") } },
  );
  const result = new Promise<number[]>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    async stop() {
      worker.postMessage("stop");
      const r = await result;
      await worker.terminate();
      return r;
    },
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

export async function run(): Promise<void> {
  const name = `pledge_bench_ret_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(ADMIN);
  u.pathname = `/${name}`;
  const url = u.toString();
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-ret-"));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t0 = performance.now();
    await build(c, "events_raw");
    await build(c, "events_pledge");
    console.log(`loaded 2 × ${ROWS.toLocaleString("en")} events (${EXPIRED.toLocaleString("en")} expired each) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const cutoff = new Date(Date.now() - 365 * 86_400_000);

    // Baseline: one statement.
    const rawIns = inserter(url, "events_raw");
    await new Promise((r) => setTimeout(r, 300));
    const r0 = performance.now();
    const raw = await c.query(`DELETE FROM events_raw WHERE created_at < $1`, [cutoff.toISOString()]);
    const rawMs = performance.now() - r0;
    const rawLat = await rawIns.stop();

    // Pledge: the retention sweep, each batch's transaction timed.
    const store = await openStore({ sqlitePath: join(dir, "pledge.db") });
    const applies: number[] = [];
    const pages: number[] = [];
    const summaries: number[] = [];
    const ctx: RetentionContext = {
      store,
      declaration: () => declaration,
      env: { BENCH_DB: url, PLEDGE_SECRET: "bench" },
      clock: () => new Date(),
      connect: (system) => {
        const inner = createConnector(system, declaration.systems[system].connector, { BENCH_DB: url })!;
        const timed: Connector = Object.create(inner) as Connector;
        timed.due = async (q) => {
          const t = performance.now();
          try {
            return await inner.due(q);
          } finally {
            pages.push(performance.now() - t);
          }
        };
        if (inner.dueRange) {
          const dueRange = inner.dueRange.bind(inner);
          timed.dueRange = async (q) => {
            const t = performance.now();
            try {
              return await dueRange(q);
            } finally {
              pages.push(performance.now() - t);
            }
          };
        }
        timed.dueSummary = async (q, b, o) => {
          const t = performance.now();
          try {
            return await inner.dueSummary(q, b, o);
          } finally {
            summaries.push(performance.now() - t);
          }
        };
        timed.apply = async (m) => {
          const t = performance.now();
          try {
            return await inner.apply(m);
          } finally {
            applies.push(performance.now() - t);
          }
        };
        return timed;
      },
    };
    const [binding] = bindingsOf(declaration);
    const pledgeIns = inserter(url, "events_pledge");
    await new Promise((r) => setTimeout(r, 300));
    const p0 = performance.now();
    let lastPrint = 0;
    const report = await sweepBinding(ctx, binding, {
      batchSize: BATCH,
      onProgress: (p) => {
        if (performance.now() - lastPrint > 2000) {
          lastPrint = performance.now();
          process.stderr.write(`  sweep ${p.done.toLocaleString("en")}/${p.due.toLocaleString("en")} rows · ${p.rowsPerSecond.toLocaleString("en")} rows/s\n`);
        }
      },
    });
    const pledgeMs = performance.now() - p0;
    const pledgeLat = await pledgeIns.stop();
    await store.close();

    const rawRate = (raw.rowCount ?? 0) / (rawMs / 1000);
    const pledgeRate = report.deleted / (pledgeMs / 1000);
    const left = Number((await c.query(`SELECT count(*) AS n FROM events_pledge WHERE created_at < $1`, [cutoff.toISOString()])).rows[0].n);
    console.log(`\nbench/retention — PostgreSQL, ${ROWS.toLocaleString("en")} events, ${EXPIRED.toLocaleString("en")} expired, batches of ${BATCH.toLocaleString("en")}\n`);
    console.log(`| path | rows deleted | time | rows/s | longest transaction | insert p50 | insert p99 | inserts |`);
    console.log(`|---|---|---|---|---|---|---|---|`);
    console.log(`| raw DELETE … WHERE created_at < $1 (baseline) | ${(raw.rowCount ?? 0).toLocaleString("en")} | ${(rawMs / 1000).toFixed(1)} s | ${Math.round(rawRate).toLocaleString("en")} | ${(rawMs / 1000).toFixed(1)} s | ${pct(rawLat, 50).toFixed(1)} ms | ${pct(rawLat, 99).toFixed(1)} ms | ${rawLat.length} |`);
    console.log(`| Pledge sweep | ${report.deleted.toLocaleString("en")} | ${(pledgeMs / 1000).toFixed(1)} s | ${Math.round(pledgeRate).toLocaleString("en")} | ${(Math.max(...applies) / 1000).toFixed(3)} s | ${pct(pledgeLat, 50).toFixed(1)} ms | ${pct(pledgeLat, 99).toFixed(1)} ms | ${pledgeLat.length} |`);
    console.log(`\nratio (Pledge rows/s ÷ raw rows/s): ${(pledgeRate / rawRate).toFixed(2)} (target ≥ 0.8)`);
    console.log(`batches: ${report.batches} · transaction p50 ${pct(applies, 50).toFixed(0)} ms, p99 ${pct(applies, 99).toFixed(0)} ms, max ${Math.max(...applies).toFixed(0)} ms (target ≤ 1000 ms) · insert p99 during the sweep ${pct(pledgeLat, 99).toFixed(1)} ms (target < 50 ms)`);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    console.log(`where the sweep's time went: pages read ${(sum(pages) / 1000).toFixed(2)} s (${pages.length}), counts ${(sum(summaries) / 1000).toFixed(2)} s (${summaries.length}), transactions ${(sum(applies) / 1000).toFixed(2)} s, Pledge's own work and store ${((pledgeMs - sum(pages) - sum(summaries) - sum(applies)) / 1000).toFixed(2)} s`);
    console.log(`expired rows left after the sweep: ${left} (held or kept: 0 expected)`);
  } finally {
    await c.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
