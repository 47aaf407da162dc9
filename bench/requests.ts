/**
 * bench/requests, in two parts.
 *
 * 1. A person's access plus erasure in PostgreSQL with 1M customers and 10M
 *    events (indexed, emails matched case-insensitively), through Pledge,
 *    against hand-written SQL doing the same work in the same run.
 * 2. The demo: the time from a person entering their code to their access
 *    request being complete (export built and sealed), over 50 people, against
 *    the same work done directly in-process.
 *
 *   npm run bench -- requests
 *   BENCH_CUSTOMERS=100000 BENCH_EVENTS=1000000 BENCH_PEOPLE=100 npm run bench -- requests
 *   BENCH_PART=latency npm run bench -- requests      # the demo part only (BENCH_PART=database: the first)
 *
 * Needs PostgreSQL at PLEDGE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import BetterSqlite3 from "better-sqlite3";
import { DEMO_DECLARATION } from "../src/cli/index.js";
import { createConnector } from "../src/connectors/index.js";
import { loadDeclaration, parseDeclaration } from "../src/declaration/index.js";
import { ensureDemoData } from "../src/demo/index.js";
import {
  accessView,
  collectSystem,
  mergeIdentities,
  prepareErasure,
  remainingIdentities,
  type Identities,
  type SystemCollection,
} from "../src/execution/index.js";
import type { Mailer } from "../src/mail/index.js";
import {
  buildExport,
  createConnectorCache,
  DEFAULT_SETTINGS,
  exportPublicKey,
  getRequest,
  RequestInputSchema,
  runDueTasks,
  sealExport,
  startWorker,
  submitRequest,
  verifyRequest,
  type RequestsContext,
} from "../src/requests/index.js";
import { openStore } from "../src/store/index.js";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 200);
const ADMIN = process.env.PLEDGE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const declaration = (db: string) =>
  parseDeclaration(`version: bench
effectiveDate: 2026-01-01
organization: { name: Bench, roles: [controller], country: DE, contact: { email: p@bench.example }, jurisdictions: [EU] }
purposes:
  app: { name: App, legalBasis: contract, dataCategories: [user.contact.email, user.name, user.contact.phone_number, user.behavior.browsing_history], dataSubjects: [customer], retention: r }
retention: { r: { period: 1 year, from: collection, action: delete } }
rights: { offered: [access, erasure, rectification, restriction, portability, objection, complaint], channels: [{ type: web, address: /x }] }
systems:
  app:
    name: App
    connector: { engine: postgres, url: { env: BENCH_DB_${db} } }
    datasets:
      customers:
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          name: { category: user.name }
          phone: { category: user.contact.phone_number }
      events:
        fields:
          id: { primaryKey: true }
          customer_id: { references: customers.id }
          kind: { category: user.behavior.browsing_history }
          at: {}
          payload: { category: user.behavior.browsing_history }
`).declaration;

const email = (i: number) => `c${i}@bench.example`;

async function load(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t0 = performance.now();
  await c.query(`CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text, phone text)`);
  await c.query(
    `CREATE TABLE events (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers(id), kind text NOT NULL, at timestamptz NOT NULL, payload text)`,
  );
  await c.query(
    `INSERT INTO customers SELECT i, 'c' || i || '@bench.example', 'Customer ' || i, '+1' || lpad(i::text, 9, '0') FROM generate_series(1, $1) i`,
    [CUSTOMERS],
  );
  await c.query(`ALTER TABLE events SET UNLOGGED`);
  await c.query(
    `INSERT INTO events (customer_id, kind, at, payload) SELECT (i % $1) + 1, (ARRAY['view','click','buy','search'])[1 + i % 4], now() - (i || ' seconds')::interval, md5(i::text) FROM generate_series(1, $2) i`,
    [CUSTOMERS, EVENTS],
  );
  await c.query(`ALTER TABLE events SET LOGGED`);
  await c.query(`CREATE INDEX events_customer ON events(customer_id)`);
  await c.query(`CREATE INDEX customers_email_lower ON customers(lower(email))`);
  await c.query(`ANALYZE`);
  await c.end();
  console.log(
    `loaded ${CUSTOMERS.toLocaleString("en")} customers and ${EVENTS.toLocaleString("en")} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

/**
 * Hand-written SQL: read the person's rows (their email in any case), delete children then the parent in a transaction,
 * check nothing is left.
 */
async function handWritten(pool: pg.Pool, who: string): Promise<void> {
  const c = await pool.connect();
  try {
    const cust = (await c.query("SELECT id, email, name, phone FROM customers WHERE lower(email) = lower($1)", [who]))
      .rows;
    const ids = cust.map((r) => r.id);
    await c.query("SELECT id, customer_id, kind, at, payload FROM events WHERE customer_id = ANY($1)", [ids]);
    await c.query("BEGIN");
    await c.query("DELETE FROM events WHERE customer_id = ANY($1)", [ids]);
    await c.query("DELETE FROM customers WHERE id = ANY($1)", [ids]);
    await c.query("COMMIT");
    const left = await c.query("SELECT count(*) FROM customers WHERE lower(email) = lower($1)", [who]);
    if (left.rows[0].count !== "0") throw new Error("not erased");
  } finally {
    c.release();
  }
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return { mean, p50: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)] };
}

export async function run(): Promise<void> {
  if (process.env.BENCH_PART !== "latency") await database();
  if (process.env.BENCH_PART !== "database") await latency();
}

async function database(): Promise<void> {
  const name = `pledge_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(ADMIN);
  u.pathname = `/${name}`;
  const url = u.toString();
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-"));
  try {
    await load(url);
    const decl = declaration("URL");
    const env = { BENCH_DB_URL: url, PLEDGE_SECRET: "bench" };
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const connector = createConnector("app", decl.systems.app.connector, env)!;
    const store = await openStore({ sqlitePath: join(dir, "pledge.db") });
    const sent: string[] = [];
    const mailer: Mailer = {
      mode: "smtp",
      send: async (m) => {
        sent.push(m.text);
        return { messageId: "x" };
      },
    };
    const ctx: RequestsContext = {
      store,
      declaration: () => decl,
      mailer,
      publicUrl: "",
      env,
      cwd: dir,
      clock: () => new Date(),
      settings: { ...DEFAULT_SETTINGS },
    };
    // Tasks run as a worker runs them, with connections kept open between tasks.
    ctx.connectors = createConnectorCache(ctx);

    const hand: number[] = [];
    const exec: number[] = [];
    const full: number[] = [];
    // Warm up each path, then interleave them person by person so that caches and load affect all alike.
    const people = Array.from({ length: 3 * PEOPLE + 3 }, (_, i) => 1 + ((i * 7919) % CUSTOMERS));
    let k = 0;
    for (let i = 0; i <= PEOPLE; i++) {
      const warm = i === 0;
      let t = performance.now();
      await handWritten(pool, email(people[k++]));
      if (!warm) hand.push(performance.now() - t);

      t = performance.now();
      const identities = { email: [email(people[k++])] };
      const col = await collectSystem(decl, "app", connector, identities);
      accessView(decl, col);
      const plan = await prepareErasure(decl, col, connector, { key: "bench" });
      await connector.apply(plan.mutations);
      if (remainingIdentities(decl, await collectSystem(decl, "app", connector, identities)).length)
        throw new Error("not erased");
      if (!warm) exec.push(performance.now() - t);

      t = performance.now();
      const who = email(people[k++]);
      for (const right of ["access", "erasure"] as const) {
        const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right, identity: who }), {});
        const code = /code is (\d{6})/.exec(sent.at(-1)!)![1];
        await verifyRequest(ctx, requestId, code);
        await runDueTasks(ctx);
      }
      if (!warm) full.push(performance.now() - t);
    }
    const h = stats(hand);
    const e = stats(exec);
    const f = stats(full);
    const row = (label: string, s: ReturnType<typeof stats>) =>
      `${label.padEnd(46)} ${s.mean.toFixed(2).padStart(8)} ms  p50 ${s.p50.toFixed(2).padStart(7)}  p95 ${s.p95.toFixed(2).padStart(7)}  ${(1000 / s.mean).toFixed(1).padStart(7)} people/s`;
    console.log(
      `\naccess + erasure of one person (${PEOPLE} people each, PostgreSQL ${CUSTOMERS.toLocaleString("en")} customers / ${EVENTS.toLocaleString("en")} events)`,
    );
    console.log(row("hand-written SQL (baseline)", h));
    console.log(row("Pledge execution (graph, connector, verify)", e));
    console.log(row("Pledge full requests (store, audit, tasks)", f));
    console.log(`\nratio, Pledge execution / hand-written SQL time: ${(e.mean / h.mean).toFixed(2)}x`);
    console.log(`ratio, Pledge full request path / hand-written SQL time: ${(f.mean / h.mean).toFixed(2)}x`);
    await connector.close();
    await ctx.connectors.close();
    await pool.end();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

const LATENCY_PEOPLE = Number(process.env.BENCH_LATENCY_PEOPLE ?? 50);

/**
 * The demo, as `npm start` serves it: for each of 50 people, the time from
 * their code being accepted to their access request being complete (every
 * system collected, the export built and sealed), with the worker woken by the
 * store's signal and its polling set to a minute. The baseline does the same
 * work directly: collect every system (again with the identities found), build
 * the ZIP and seal it.
 */
async function latency(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-demo-"));
  try {
    ensureDemoData(join(dir, ".pledge/demo"));
    const decl = (await loadDeclaration(DEMO_DECLARATION)).declaration;
    const store = await openStore({ sqlitePath: join(dir, "pledge.db") });
    const sent: { to: string; text: string }[] = [];
    const mailer: Mailer = {
      mode: "smtp",
      send: async (m) => {
        sent.push(m);
        return { messageId: "x" };
      },
    };
    const ctx: RequestsContext = {
      store,
      declaration: () => decl,
      mailer,
      publicUrl: "",
      env: { PLEDGE_SECRET: "bench" },
      cwd: dir,
      clock: () => new Date(),
      settings: { ...DEFAULT_SETTINGS, codeLimitPerIp: { max: 10_000, windowMs: 1000 } },
    };
    const shop = new BetterSqlite3(join(dir, ".pledge/demo/shop.db"), { readonly: true });
    const emails = (
      shop.prepare("SELECT email FROM customers ORDER BY id LIMIT ? OFFSET 2").all(2 * LATENCY_PEOPLE + 6) as {
        email: string;
      }[]
    ).map((r) => r.email.toLowerCase());
    shop.close();
    const worker = startWorker(ctx, { intervalMs: 60_000 });
    const direct = async (email: string) => {
      let identities: Identities = { email: [email] };
      let collections: SystemCollection[] = [];
      for (let grew = true; grew; ) {
        collections = [];
        grew = false;
        for (const [sid, sys] of Object.entries(decl.systems)) {
          const c = createConnector(sid, sys.connector, {}, dir)!;
          const col = await collectSystem(decl, sid, c, identities);
          await c.close();
          collections.push(col);
          const m = mergeIdentities(identities, col.discovered);
          grew ||= m.grew;
          identities = m.merged;
        }
      }
      const { data } = await buildExport(decl, {
        requestId: "req_bench",
        right: "access",
        generatedAt: new Date(),
        collections,
        notReached: [],
        manual: [],
      });
      sealExport(exportPublicKey("bench-token-0123456789abcdefghij", "req_bench"), data);
    };
    const viaPledge = async (email: string) => {
      const { requestId } = await submitRequest(
        ctx,
        RequestInputSchema.parse({ right: "access", identity: email }),
        {},
      );
      const code = /code is (\d{6})/.exec([...sent].reverse().find((m) => m.to === email)!.text)![1];
      const t = performance.now();
      await verifyRequest(ctx, requestId, code);
      while ((await getRequest(ctx, requestId)).status !== "completed") await new Promise((r) => setTimeout(r, 2));
      return performance.now() - t;
    };
    const requests: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < LATENCY_PEOPLE + 3; i++) {
      const t = performance.now();
      await direct(emails[2 * i]);
      const b = performance.now() - t;
      const p = await viaPledge(emails[2 * i + 1]);
      if (i >= 3) {
        baseline.push(b);
        requests.push(p);
      }
    }
    await worker.stop();
    await store.close();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
    console.log(
      `\ndemo access request, from the code accepted to completion (${LATENCY_PEOPLE} people; 3,000 customers, 1,200 tickets, 20,000 log lines)`,
    );
    console.log(
      `${"the same work done directly (baseline)".padEnd(46)} median ${median(baseline).toFixed(1).padStart(7)} ms  p95 ${p95(baseline).toFixed(1).padStart(7)} ms`,
    );
    console.log(
      `${"Pledge request (store, tasks, wake-up, audit)".padEnd(46)} median ${median(requests).toFixed(1).padStart(7)} ms  p95 ${p95(requests).toFixed(1).padStart(7)} ms`,
    );
    console.log(
      `\nratio, Pledge request / direct work: ${(median(requests) / median(baseline)).toFixed(2)}x (target: the median under 1,000 ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
