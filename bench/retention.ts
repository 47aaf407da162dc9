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
/** The sweep's ranges at a time, one run each on a freshly built table: `pledge retention run --parallel N`. */
const PARALLEL = (process.env.BENCH_PARALLEL ?? "1,2").split(",").map(Number);
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
  await c.query(
    `CREATE UNLOGGED TABLE ${table} (id bigserial PRIMARY KEY, email text, ip text, created_at timestamptz NOT NULL, payload text)`,
  );
  // Append-only, as event tables are: the oldest rows have the lowest ids. The first EXPIRED rows are 2 to 3 years old,
  // the rest within the last 11 months.
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

/**
 * One Pledge sweep of events_pledge with `parallel` ranges at a time, while a client inserts; each transaction, read
 * and count timed.
 */
async function sweepOnce(url: string, dir: string, parallel: number) {
  const store = await openStore({ sqlitePath: join(dir, `pledge-${parallel}.db`) });
  const applies: number[] = [];
  const pages: number[] = [];
  const summaries: number[] = [];
  /**
   * From the first delete's start to the last one's end: the sweep's deleting phase, without its count before and check
   * after.
   */
  const phase = { start: Infinity, end: 0 };
  const timed =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>, into: number[]) =>
    async (...a: A) => {
      const t = performance.now();
      try {
        return await f(...a);
      } finally {
        into.push(performance.now() - t);
      }
    };
  const ctx: RetentionContext = {
    store,
    declaration: () => declaration,
    env: { BENCH_DB: url, PLEDGE_SECRET: "bench" },
    clock: () => new Date(),
    connect: (system) => {
      const inner = createConnector(system, declaration.systems[system].connector, { BENCH_DB: url })!;
      const c: Connector = Object.create(inner) as Connector;
      c.due = timed(inner.due.bind(inner), pages);
      if (inner.dueRange) c.dueRange = timed(inner.dueRange.bind(inner), pages);
      c.dueSummary = timed(inner.dueSummary.bind(inner), summaries);
      c.apply = async (m) => {
        phase.start = Math.min(phase.start, performance.now());
        try {
          return await timed(inner.apply.bind(inner), applies)(m);
        } finally {
          phase.end = performance.now();
        }
      };
      return c;
    },
  };
  const [binding] = bindingsOf(declaration);
  const ins = inserter(url, "events_pledge");
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now();
  let lastPrint = 0;
  const report = await sweepBinding(ctx, binding, {
    batchSize: BATCH,
    parallel,
    onProgress: (p) => {
      if (performance.now() - lastPrint > 2000) {
        lastPrint = performance.now();
        process.stderr.write(
          `  sweep (parallel ${parallel}) ${p.done.toLocaleString("en")}/${p.due.toLocaleString("en")} rows · ${p.rowsPerSecond.toLocaleString("en")} rows/s\n`,
        );
      }
    },
  });
  const ms = performance.now() - t0;
  const lat = await ins.stop();
  await store.close();
  return {
    deleted: report.deleted,
    batches: report.batches,
    remaining: report.remaining,
    ms,
    lat,
    applies,
    pages,
    summaries,
    deletingMs: phase.end - phase.start,
  };
}

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
    console.log(
      `loaded 2 × ${ROWS.toLocaleString("en")} events (${EXPIRED.toLocaleString("en")} expired each) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const cutoff = new Date(Date.now() - 365 * 86_400_000);

    // Each path starts from the same state: no checkpoint of the load's WAL running under it.
    await c.query("CHECKPOINT");
    // Baseline: one statement.
    const rawIns = inserter(url, "events_raw");
    await new Promise((r) => setTimeout(r, 300));
    const r0 = performance.now();
    const raw = await c.query(`DELETE FROM events_raw WHERE created_at < $1`, [cutoff.toISOString()]);
    const rawMs = performance.now() - r0;
    const rawLat = await rawIns.stop();

    // The baseline's table goes before Pledge sweeps: its autovacuum (3 million dead rows) would otherwise run under
    // the sweep on the same two cores.
    await c.query("DROP TABLE events_raw");
    const rawRate = (raw.rowCount ?? 0) / (rawMs / 1000);
    console.log(
      `\nbench/retention — PostgreSQL, ${ROWS.toLocaleString("en")} events, ${EXPIRED.toLocaleString("en")} expired, batches of ${BATCH.toLocaleString("en")}\n`,
    );
    console.log(
      `| path | rows deleted | time | rows/s | ratio | deleting phase | its ratio | longest transaction | insert p50 | insert p99 | inserts |`,
    );
    console.log(`|---|---|---|---|---|---|---|---|---|---|---|`);
    console.log(
      `| raw DELETE … WHERE created_at < $1 (baseline) | ${(raw.rowCount ?? 0).toLocaleString("en")} | ${(rawMs / 1000).toFixed(1)} s | ${Math.round(rawRate).toLocaleString("en")} | 1.00 | ${(rawMs / 1000).toFixed(1)} s | 1.00 | ${(rawMs / 1000).toFixed(1)} s | ${pct(rawLat, 50).toFixed(1)} ms | ${pct(rawLat, 99).toFixed(1)} ms | ${rawLat.length} |`,
    );
    const notes: string[] = [];
    for (const parallel of PARALLEL) {
      if (parallel !== PARALLEL[0]) {
        await c.query("DROP TABLE events_pledge");
        await build(c, "events_pledge");
      }
      await c.query("CHECKPOINT");
      const r = await sweepOnce(url, dir, parallel);
      const rate = r.deleted / (r.ms / 1000);
      console.log(
        `| Pledge sweep, ${parallel} range${parallel === 1 ? "" : "s"} at a time | ${r.deleted.toLocaleString("en")} | ${(r.ms / 1000).toFixed(1)} s | ${Math.round(rate).toLocaleString("en")} | **${(rate / rawRate).toFixed(2)}** | ${(r.deletingMs / 1000).toFixed(1)} s | **${(r.deleted / (r.deletingMs / 1000) / rawRate).toFixed(2)}** | ${(Math.max(...r.applies) / 1000).toFixed(3)} s | ${pct(r.lat, 50).toFixed(1)} ms | ${pct(r.lat, 99).toFixed(1)} ms | ${r.lat.length} |`,
      );
      const left = Number(
        (await c.query(`SELECT count(*) AS n FROM events_pledge WHERE created_at < $1`, [cutoff.toISOString()])).rows[0]
          .n,
      );
      const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
      notes.push(
        `parallel ${parallel}: ${r.batches} batches · transaction p50 ${pct(r.applies, 50).toFixed(0)} ms, p99 ${pct(r.applies, 99).toFixed(0)} ms, max ${Math.max(...r.applies).toFixed(0)} ms (target ≤ 1000 ms) · insert p99 ${pct(r.lat, 99).toFixed(1)} ms (target < 50 ms) · ` +
          `of ${(r.ms / 1000).toFixed(2)} s: ranges read ${(sum(r.pages) / 1000).toFixed(2)} s (${r.pages.length}), the due count before and the check after ${(sum(r.summaries) / 1000).toFixed(2)} s, deletes ${(sum(r.applies) / 1000).toFixed(2)} s (summed over connections) · expired rows left: ${left} (0 expected; the sweep reported ${r.remaining})`,
      );
    }
    console.log(
      `\nratio = Pledge rows/s ÷ raw rows/s (target ≥ 0.8), over the whole sweep (its count before and its check after included) and over its deleting phase alone`,
    );
    for (const n of notes) console.log(n);
  } finally {
    await c.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
