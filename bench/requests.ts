/**
 * bench/requests: a person's access plus erasure in PostgreSQL with 1M
 * customers and 10M events (indexed), through Pledge, against hand-written SQL
 * doing the same work in the same run.
 *
 *   npm run bench -- requests
 *   BENCH_CUSTOMERS=100000 BENCH_EVENTS=1000000 BENCH_PEOPLE=100 npm run bench -- requests
 *
 * Needs PostgreSQL at PLEDGE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createConnector } from "../src/connectors/index.js";
import { parseDeclaration } from "../src/declaration/index.js";
import { accessView, collectSystem, planErasure, remainingIdentities } from "../src/execution/index.js";
import type { Mailer } from "../src/mail/index.js";
import { DEFAULT_SETTINGS, RequestInputSchema, runDueTasks, submitRequest, verifyRequest, type RequestsContext } from "../src/requests/index.js";
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
  await c.query(`CREATE TABLE events (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers(id), kind text NOT NULL, at timestamptz NOT NULL, payload text)`);
  await c.query(`INSERT INTO customers SELECT i, 'c' || i || '@bench.example', 'Customer ' || i, '+1' || lpad(i::text, 9, '0') FROM generate_series(1, $1) i`, [CUSTOMERS]);
  await c.query(`ALTER TABLE events SET UNLOGGED`);
  await c.query(`INSERT INTO events (customer_id, kind, at, payload) SELECT (i % $1) + 1, (ARRAY['view','click','buy','search'])[1 + i % 4], now() - (i || ' seconds')::interval, md5(i::text) FROM generate_series(1, $2) i`, [CUSTOMERS, EVENTS]);
  await c.query(`ALTER TABLE events SET LOGGED`);
  await c.query(`CREATE INDEX events_customer ON events(customer_id)`);
  await c.query(`ANALYZE`);
  await c.end();
  console.log(`loaded ${CUSTOMERS.toLocaleString("en")} customers and ${EVENTS.toLocaleString("en")} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Hand-written SQL: read the person's rows, delete children then the parent in a transaction, check nothing is left. */
async function handWritten(pool: pg.Pool, who: string): Promise<void> {
  const c = await pool.connect();
  try {
    const cust = (await c.query("SELECT id, email, name, phone FROM customers WHERE email = $1", [who])).rows;
    const ids = cust.map((r) => r.id);
    await c.query("SELECT id, customer_id, kind, at, payload FROM events WHERE customer_id = ANY($1)", [ids]);
    await c.query("BEGIN");
    await c.query("DELETE FROM events WHERE customer_id = ANY($1)", [ids]);
    await c.query("DELETE FROM customers WHERE id = ANY($1)", [ids]);
    await c.query("COMMIT");
    const left = await c.query("SELECT count(*) FROM customers WHERE email = $1", [who]);
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
    const mailer: Mailer = { mode: "smtp", send: async (m) => (sent.push(m.text), { messageId: "x" }) };
    const ctx: RequestsContext = { store, declaration: () => decl, mailer, publicUrl: "", env, cwd: dir, clock: () => new Date(), settings: { ...DEFAULT_SETTINGS } };

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
      accessView(decl, col, () => true);
      const plan = planErasure(decl, col, { key: "bench" });
      await connector.apply(plan.mutations);
      if (remainingIdentities(decl, await collectSystem(decl, "app", connector, identities)).length) throw new Error("not erased");
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
    const row = (label: string, s: ReturnType<typeof stats>) => `${label.padEnd(46)} ${s.mean.toFixed(2).padStart(8)} ms  p50 ${s.p50.toFixed(2).padStart(7)}  p95 ${s.p95.toFixed(2).padStart(7)}  ${(1000 / s.mean).toFixed(1).padStart(7)} people/s`;
    console.log(`\naccess + erasure of one person (${PEOPLE} people each, PostgreSQL ${CUSTOMERS.toLocaleString("en")} customers / ${EVENTS.toLocaleString("en")} events)`);
    console.log(row("hand-written SQL (baseline)", h));
    console.log(row("Pledge execution (graph, connector, verify)", e));
    console.log(row("Pledge full requests (store, audit, tasks)", f));
    console.log(`\nratio, Pledge execution / hand-written SQL time: ${(e.mean / h.mean).toFixed(2)}x`);
    console.log(`ratio, Pledge full request path / hand-written SQL time: ${(f.mean / h.mean).toFixed(2)}x`);
    await connector.close();
    await pool.end();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
