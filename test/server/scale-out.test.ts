/**
 * What the README promises of many servers on one PostgreSQL, with real processes: two `pledge serve` and one
 * `pledge worker`. Requests filed on either server complete exactly once; consent written on one server is seen by
 * the other's decision API within its documented second; killing a server in the middle of a task loses nothing;
 * and the audit chain verifies afterwards.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { openStore, type Store } from "../../src/store/index.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { createPgDatabase, postgresUnavailable } from "../helpers/services.js";

const PEOPLE = Array.from({ length: 6 }, (_, i) => `person${i}@example.org`);
const OTHERS = ["keep1@example.org", "keep2@example.org"];

const YAML = `version: "1"
effectiveDate: 2026-01-01
organization: { name: Acme, roles: [controller], country: DE, contact: { email: privacy@acme.example }, jurisdictions: [EU] }
purposes:
  orders: { name: Orders, legalBasis: contract, dataCategories: [user.contact.email, user.name], dataSubjects: [customer], systems: [shop], retention: r }
  newsletter: { name: Newsletter, legalBasis: consent, dataCategories: [user.contact.email], dataSubjects: [customer], withdrawal: [link], retention: r }
retention:
  r: { period: 1 year, from: collection, action: delete }
rights:
  offered: [access, erasure]
  channels: [{ type: web, address: /privacy-center }]
systems:
  shop:
    name: Shop
    connector: { engine: sqlite, path: shop.db }
    datasets:
      customers:
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          name: { category: user.name }
      orders:
        fields:
          id: { primaryKey: true }
          customer_id: { references: customers.id }
          total: {}
`;

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  url?: string;
}

const reason = await postgresUnavailable();
if (reason && process.env.CI === "true") throw new Error(`CI=true and ${reason}`);

let dir: string;
let db: { url: string; drop: () => Promise<void> };
let store: Store;
const procs: Proc[] = [];
let env: Record<string, string>;

function start(args: string[], extra: Record<string, string> = {}): Proc {
  const child = spawn(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), join(ROOT, "src/cli/main.ts"), ...args],
    {
      cwd: dir,
      env: { ...process.env, ...env, ...extra, TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json") },
    },
  );
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  child.stdout!.on("data", () => {});
  const p: Proc = { child, stderr: () => err };
  procs.push(p);
  return p;
}

async function listening(p: Proc): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const m = /serving .* at (http:\/\/127\.0\.0\.1:\d+)\/privacy/.exec(p.stderr());
    if (m) return (p.url = m[1]);
    if (p.child.exitCode !== null) throw new Error(`the server exited: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no server: ${p.stderr()}`);
}

const json = (body: unknown, token?: string) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});

before(async () => {
  if (reason) return;
  dir = mkdtempSync(join(tmpdir(), "pledge-scale-"));
  writeFileSync(join(dir, "pledge.yaml"), YAML);
  const shop = new BetterSqlite3(join(dir, "shop.db"));
  shop.exec(
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT); CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total INTEGER);",
  );
  [...PEOPLE, ...OTHERS].forEach((e, i) => {
    shop.prepare("INSERT INTO customers VALUES (?, ?, ?)").run(i + 1, e.toUpperCase(), `Person ${i}`);
    shop.prepare("INSERT INTO orders VALUES (?, ?, ?)").run(100 + i, i + 1, 10 * i);
  });
  shop.close();
  db = await createPgDatabase("pledge_scale");
  env = {
    PLEDGE_DATABASE_URL: db.url,
    PLEDGE_LOG_LEVEL: "silent",
    PLEDGE_LEASE_MS: "3000",
    PLEDGE_THROTTLE_MS: "150",
    PLEDGE_BACKOFF_BASE_MS: "200",
    PLEDGE_SECRET: "scale-out-test-secret",
  };
  // Both servers and the worker start at once on an empty database: the migrations must take turns.
  const a = start(["serve", "pledge.yaml", "--port", "0"]);
  const b = start(["serve", "pledge.yaml", "--port", "0"]);
  start(["worker", "pledge.yaml"]);
  await Promise.all([listening(a), listening(b)]);
  store = await openStore({ databaseUrl: db.url });
});

after(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  await store?.close();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("two servers and a worker on one PostgreSQL: requests complete exactly once, consent is shared, a killed server loses nothing, the audit chain verifies", {
  timeout: 180_000,
}, async (t) => {
  if (reason) return t.skip(reason);
  const [a, b] = procs;
  const token = (await runCli(["tokens", "create", "scale", "--role", "officer"], env, { cwd: dir })).stdout.trim();
  assert.match(token, /^plg_/);

  // Consent written on A is seen by B's decision API within its cache's second.
  const written = await fetch(
    `${a.url}/v1/consent/records`,
    json({ subjectId: PEOPLE[0], purposes: { newsletter: "given" }, method: "api" }, token),
  );
  assert.equal(written.status, 201, await written.clone().text());
  const writtenAt = Date.now();
  let seen: { decision?: string } = {};
  while (Date.now() - writtenAt < 1500) {
    const res = await fetch(`${b.url}/v1/decisions?subject=${encodeURIComponent(PEOPLE[0])}&purpose=newsletter`, {
      headers: { authorization: `Bearer ${token}` },
    });
    seen = (await res.json()) as { decision?: string };
    if (seen.decision === "allow") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(seen.decision, "allow", "B sees A's consent within the documented window");

  // Six erasures, filed on A and B in turn, each confirmed on the other server.
  const ids: string[] = [];
  for (const [i, person] of PEOPLE.entries()) {
    const [here, there] = i % 2 ? [b, a] : [a, b];
    const res = await fetch(
      `${here.url}/privacy-center/requests`,
      json({ right: "erasure", identity: person, jurisdiction: "EU" }),
    );
    assert.equal(res.status, 201);
    const { requestId } = (await res.json()) as { requestId: string };
    let code: string | undefined;
    for (let k = 0; k < 50 && !code; k++) {
      code = new RegExp(`\\(request ${requestId}\\): (\\d{6})`).exec(here.stderr())?.[1];
      if (!code) await new Promise((r) => setTimeout(r, 100));
    }
    const ok = await fetch(`${there.url}/privacy-center/verify/${requestId}`, json({ code }));
    assert.equal(ok.status, 201);
    ids.push(requestId);
  }

  // Kill A in the middle of a task it holds (its lease names its process); its work is taken over when the lease ends.
  const owner = `worker-${a.child.pid}-`;
  let held = false;
  for (let k = 0; k < 200 && !held; k++) {
    held = !!(await store.db
      .selectFrom("request_tasks")
      .select("id")
      .where("status", "=", "running")
      .where("lease_owner", "like", `${owner}%`)
      .executeTakeFirst());
    if (!held) await new Promise((r) => setTimeout(r, 25));
  }
  a.child.kill("SIGKILL");
  t.diagnostic(held ? "server A was killed holding a task" : "server A held no task when it was killed");

  const deadline = Date.now() + 90_000;
  for (;;) {
    const rows = await store.db.selectFrom("requests").select(["id", "status"]).where("id", "in", ids).execute();
    if (rows.every((r) => r.status === "completed")) break;
    if (Date.now() > deadline) {
      const stuck = rows.filter((r) => r.status !== "completed").map((r) => r.id);
      const tasks = await store.db
        .selectFrom("request_tasks")
        .select([
          "request_id",
          "kind",
          "target",
          "status",
          "attempts",
          "lease_owner",
          "lease_until",
          "next_run_at",
          "error",
        ])
        .where("request_id", "in", stuck)
        .execute();
      assert.fail(`not completed: ${JSON.stringify(rows)}; tasks ${JSON.stringify(tasks)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // Exactly once: one completion each in the timeline and the audit log, one erase task each.
  for (const id of ids) {
    const events = await store.db.selectFrom("request_events").select("kind").where("request_id", "=", id).execute();
    assert.equal(events.filter((e) => e.kind === "completed").length, 1, `${id} completed once`);
    const erases = await store.db
      .selectFrom("request_tasks")
      .select("status")
      .where("request_id", "=", id)
      .where("kind", "=", "erase")
      .execute();
    assert.deepEqual(
      erases.map((e) => e.status),
      ["done"],
    );
  }
  // Row by row: the six people are gone, the others are untouched.
  const shop = new BetterSqlite3(join(dir, "shop.db"), { readonly: true });
  const left = shop.prepare("SELECT lower(email) AS email FROM customers ORDER BY id").all() as { email: string }[];
  const orders = shop.prepare("SELECT customer_id FROM orders ORDER BY id").all() as { customer_id: number }[];
  shop.close();
  if (left.length !== OTHERS.length) {
    const detail = [];
    for (const id of ids) {
      const events = await store.db
        .selectFrom("request_events")
        .select(["at", "actor", "kind", "message"])
        .where("request_id", "=", id)
        .orderBy("id")
        .execute();
      const tasks = await store.db
        .selectFrom("request_tasks")
        .select(["kind", "target", "status", "attempts", "result", "error"])
        .where("request_id", "=", id)
        .execute();
      const req = await store.db
        .selectFrom("requests")
        .select(["identity_value", "report"])
        .where("id", "=", id)
        .executeTakeFirst();
      detail.push({ id, req, events, tasks });
    }
    assert.fail(`rows left: ${JSON.stringify(left)}\n${JSON.stringify(detail, null, 1)}`);
  }
  assert.deepEqual(
    left.map((r) => r.email),
    OTHERS,
  );
  assert.deepEqual(
    orders.map((o) => o.customer_id),
    [7, 8],
  );

  // B still answers, and the chain of every server's entries verifies.
  assert.equal((await fetch(`${b.url}/healthz`)).status, 200);
  const audit = await runCli(["audit", "verify"], env, { cwd: dir });
  assert.equal(audit.code, 0, audit.stdout + audit.stderr);
  assert.match(audit.stdout, /audit log intact/);
});
