import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { parseDeclaration } from "../../src/declaration/index.js";
import {
  RequestInputSchema,
  requestTasks,
  runDueTasks,
  submitRequest,
  verifyRequest,
  getRequest,
} from "../../src/requests/index.js";
import { openStore } from "../../src/store/index.js";
import { runUntilSettled, testContext } from "../helpers/requests.js";
import { createPgDatabase, postgresUnavailable } from "../helpers/stores.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PEOPLE = 12;
const TARGET = 5;
const email = (i: number) => `p${i}@example.org`;

/** A SQLite shop with accounts → orders → lines for PEOPLE people. */
function makeShop(path: string): void {
  const db = new BetterSqlite3(path);
  db.exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id));
    CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), sku TEXT);`);
  for (let i = 1; i <= PEOPLE; i++) {
    db.prepare("INSERT INTO accounts VALUES (?, ?)").run(i, email(i));
    for (let o = 0; o < 3; o++) {
      db.prepare("INSERT INTO orders VALUES (?, ?)").run(i * 10 + o, i);
      db.prepare("INSERT INTO lines VALUES (?, ?, ?)").run((i * 10 + o) * 10, i * 10 + o, "X");
    }
  }
  db.close();
}

const shopDatasets = `
      accounts:
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
      orders:
        fields:
          id: { primaryKey: true }
          account_id: { references: accounts.id }
      lines:
        fields:
          id: { primaryKey: true }
          order_id: { references: orders.id }
          sku: { category: user.behavior.purchase_history }`;

function declaration(systems: string): string {
  return `version: "1"
effectiveDate: 2026-01-01
organization: { name: Durable Org, roles: [controller], country: DE, contact: { email: privacy@durable.example }, jurisdictions: [EU] }
purposes:
  service: { name: Service, legalBasis: contract, dataCategories: [user.contact.email, user.behavior.purchase_history], dataSubjects: [customer], retention: r }
retention:
  r: { period: 1 year, from: collection, action: delete }
rights:
  offered: [access, erasure, rectification, restriction, portability, objection, complaint]
  channels: [{ type: web, address: /privacy-center }]
systems:
${systems}`;
}

const targetRows = (path: string) => {
  const db = new BetterSqlite3(path, { readonly: true });
  const n =
    (db.prepare("SELECT count(*) AS n FROM accounts WHERE id = ?").get(TARGET) as { n: number }).n +
    (db.prepare("SELECT count(*) AS n FROM orders WHERE account_id = ?").get(TARGET) as { n: number }).n;
  const others = db.prepare("SELECT * FROM lines WHERE order_id / 10 <> ? ORDER BY id").all(TARGET).length;
  db.close();
  return { n, others };
};

describe("durable execution", () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  after(() => {
    children.forEach((c) => c.kill("SIGKILL"));
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  function startServer(cwd: string): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
    const child = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), join(ROOT, "src/cli/main.ts"), "serve", "pledge.yaml", "--port", "0"],
      {
        cwd,
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json"),
          PLEDGE_LOG_LEVEL: "silent",
          PLEDGE_THROTTLE_MS: "700",
          PLEDGE_LEASE_MS: "1500",
          PLEDGE_SECRET: "s",
        },
      },
    );
    children.push(child);
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 20_000);
      child.stderr!.on("data", () => {
        const m = /at (http:\/\/127\.0\.0\.1:\d+)\/privacy/.exec(err);
        if (m) {
          clearTimeout(t);
          resolve({ child, url: m[1], stderr: () => err });
        }
      });
      child.on("exit", (code) => reject(new Error(`server exited ${code}: ${err}`)));
    });
  }

  it("a server killed with SIGKILL mid-erasure resumes after restart and finishes", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "pledge-kill-"));
    dirs.push(cwd);
    const names = ["a", "b", "c", "d", "e"];
    names.forEach((n) => makeShop(join(cwd, `${n}.db`)));
    writeFileSync(
      join(cwd, "pledge.yaml"),
      declaration(
        names
          .map(
            (n) =>
              `  shop_${n}:\n    name: Shop ${n}\n    connector: { engine: sqlite, path: ${n}.db }\n    datasets:${shopDatasets}`,
          )
          .join("\n"),
      ),
    );

    const first = await startServer(cwd);
    const submit = await fetch(`${first.url}/privacy-center/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ right: "erasure", identity: email(TARGET) }),
    });
    assert.equal(submit.status, 201);
    const { requestId } = (await submit.json()) as { requestId: string };
    const code = new RegExp(`\\(request ${requestId}\\): (\\d{6})`).exec(first.stderr())![1];
    // The operator's line says whose code it is by the request and a masked address, never the address itself.
    assert.ok(!first.stderr().toLowerCase().includes(email(TARGET).toLowerCase()), "the address is not printed");
    assert.match(first.stderr(), new RegExp(`Verification code for \\S+\\*\\S* \\(request ${requestId}\\)`));
    const verified = await fetch(`${first.url}/privacy-center/verify/${requestId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code }),
    });
    assert.equal(verified.status, 201);

    // Wait until some systems are erased and others are not, then kill the server outright.
    const store = new BetterSqlite3(join(cwd, ".pledge/pledge.db"), { readonly: true });
    const erased = () =>
      (
        store.prepare("SELECT count(*) AS n FROM request_tasks WHERE kind = 'erase' AND status = 'done'").get() as {
          n: number;
        }
      ).n;
    const deadline = Date.now() + 30_000;
    while (erased() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    const doneAtKill = erased();
    assert.ok(
      doneAtKill >= 1 && doneAtKill < names.length,
      `killed with ${doneAtKill} of ${names.length} systems erased`,
    );
    const remaining = names.filter((n) => targetRows(join(cwd, `${n}.db`)).n > 0);
    assert.ok(remaining.length > 0, "some systems still hold the person when the server dies");

    const second = await startServer(cwd);
    const status = () =>
      (store.prepare("SELECT status FROM requests WHERE id = ?").get(requestId) as { status: string }).status;
    const end = Date.now() + 40_000;
    while (status() !== "completed" && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.equal(status(), "completed");
    for (const n of names) {
      const t = targetRows(join(cwd, `${n}.db`));
      assert.equal(t.n, 0, `shop ${n} still holds the person`);
      assert.equal(t.others, (PEOPLE - 1) * 3, `shop ${n} lost other people's rows`);
    }
    store.close();
    second.child.kill("SIGTERM");
  });

  it("a database that is down leaves its task retrying while the other systems complete, and it finishes once the database is back", async (t) => {
    const reason = await postgresUnavailable();
    if (reason) {
      if (process.env.CI === "true") throw new Error(reason);
      return t.skip(reason);
    }
    const cwd = mkdtempSync(join(tmpdir(), "pledge-down-"));
    dirs.push(cwd);
    makeShop(join(cwd, "lite.db"));
    writeFileSync(
      join(cwd, "log.jsonl"),
      `${Array.from({ length: PEOPLE }, (_, i) => JSON.stringify({ email: email(i + 1), path: "/" })).join("\n")}\n`,
    );
    const decl = parseDeclaration(
      declaration(`  remote:
    name: Remote PostgreSQL
    connector: { engine: postgres, url: { env: REMOTE_URL } }
    datasets:${shopDatasets}
  lite:
    name: Local SQLite
    connector: { engine: sqlite, path: lite.db }
    datasets:${shopDatasets}
  logs:
    name: Log
    connector: { engine: files, directory: . }
    datasets:
      log: { path: log.jsonl, format: jsonl, fields: { email: { category: user.contact.email, identity: email }, path: {} } }`),
    ).declaration;
    const store = await openStore({ sqlitePath: join(cwd, "pledge.db") });
    const env: Record<string, string> = { REMOTE_URL: "postgres://postgres@127.0.0.1:1/nowhere" };
    const ctx = testContext(store, decl, {
      env,
      cwd,
      settings: { backoffBaseMs: 100, backoffMaxMs: 300, maxAttempts: 100 },
    });
    const { requestId } = await submitRequest(
      ctx,
      RequestInputSchema.parse({ right: "erasure", identity: email(TARGET) }),
      {},
    );
    await verifyRequest(ctx, requestId, ctx.mailer.codeFor(email(TARGET)));
    const end = Date.now() + 3000;
    while (Date.now() < end) {
      await runDueTasks(ctx);
      await new Promise((r) => setTimeout(r, 50));
    }
    const tasks = await requestTasks(ctx, requestId);
    const byKey = Object.fromEntries(tasks.map((x) => [`${x.kind}:${x.target}`, x]));
    assert.equal(byKey["erase:lite"]?.status, "done");
    assert.equal(byKey["erase:logs"]?.status, "done");
    assert.equal(byKey["collect:remote"].status, "pending");
    assert.ok(byKey["collect:remote"].attempts >= 3, `tried ${byKey["collect:remote"].attempts} times`);
    assert.match(
      byKey["collect:remote"].error ?? "",
      /^remote: connecting|^remote: reading accounts on postgres:\/\/127\.0\.0\.1:1\/nowhere failed/,
    );
    assert.ok(!(byKey["collect:remote"].error ?? "").includes("postgres@"), "the error never holds credentials");
    assert.equal((await getRequest(ctx, requestId)).status, "in_progress");
    assert.equal(targetRows(join(cwd, "lite.db")).n, 0);
    assert.ok(!readFileSync(join(cwd, "log.jsonl"), "utf8").includes(email(TARGET)));

    // The database comes back.
    const db = await createPgDatabase("pledge_down");
    try {
      const c = new pg.Client({ connectionString: db.url });
      c.on("error", () => {});
      await c.connect();
      await c.query(
        "CREATE TABLE accounts (id INT PRIMARY KEY, email TEXT NOT NULL); CREATE TABLE orders (id INT PRIMARY KEY, account_id INT NOT NULL REFERENCES accounts(id)); CREATE TABLE lines (id INT PRIMARY KEY, order_id INT NOT NULL REFERENCES orders(id), sku TEXT)",
      );
      await c.query("INSERT INTO accounts VALUES ($1, $2), (99, 'other@example.org')", [TARGET, email(TARGET)]);
      await c.query("INSERT INTO orders VALUES (50, $1), (990, 99)", [TARGET]);
      await c.query("INSERT INTO lines VALUES (500, 50, 'X'), (9900, 990, 'Y')");
      ctx.env.REMOTE_URL = db.url;
      const settled = await runUntilSettled(ctx, requestId);
      assert.equal(
        settled,
        "completed",
        JSON.stringify(
          (await requestTasks(ctx, requestId)).map((x) => [x.kind, x.target, x.status, x.attempts, x.error]),
        ),
      );
      const left = await c.query(
        "SELECT (SELECT count(*) FROM accounts) a, (SELECT count(*) FROM orders) o, (SELECT count(*) FROM lines) l",
      );
      assert.deepEqual(left.rows[0], { a: "1", o: "1", l: "1" });
      // The report tells what each system did, including those that finished long before.
      const report = (await getRequest(ctx, requestId)).report!;
      for (const system of ["remote", "lite", "logs"]) {
        const s = report.systems.find((x) => x.system === system)!;
        assert.equal(s.verified, true, system);
        assert.ok(s.datasets.reduce((a, d) => a + (d.deleted ?? 0), 0) > 0, `${system} says what it deleted`);
      }
      await c.end();
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
