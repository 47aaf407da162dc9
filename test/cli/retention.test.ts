/** `pledge retention plan | run | verify | hold`: what an engineer sees in a terminal or CI. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { runCli } from "../helpers/cli.js";

describe("pledge retention", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-cli-ret-"));
  const env = {
    PLEDGE_SQLITE_PATH: join(dir, "pledge.db"),
    PLEDGE_DECLARATION: join(dir, "pledge.yaml"),
    PLEDGE_SECRET: "s",
  };
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 19).replace("T", " ");
  const db = () => new BetterSqlite3(join(dir, "app.db"));

  before(() => {
    const d = db();
    d.exec("CREATE TABLE events (id INTEGER PRIMARY KEY, email TEXT, created_at TEXT NOT NULL)");
    const ins = d.prepare("INSERT INTO events (id, email, created_at) VALUES (?, ?, ?)");
    for (let i = 1; i <= 300; i++) ins.run(i, `u${i}@example.com`, ago(i));
    d.close();
    writeFileSync(
      env.PLEDGE_DECLARATION,
      `version: "1"
effectiveDate: 2026-01-01
organization: { name: App AB, roles: [controller], country: SE, contact: { email: p@app.example }, jurisdictions: [EU] }
purposes:
  security: { name: Security, legalBasis: legitimate_interests, legitimateInterest: Finding attacks, dataCategories: [user.contact.email], dataSubjects: [customer], systems: [app], retention: events }
systems:
  app:
    name: App
    connector: { engine: sqlite, path: ${join(dir, "app.db")} }
    datasets:
      events:
        retention: { rule: events, clock: created_at }
        fields: { id: { primaryKey: true }, email: { category: user.contact.email, identity: email }, created_at: {} }
retention:
  events: { period: 1 year, from: collection, action: delete }
rights: { offered: [access, erasure], channels: [{ type: email, address: p@app.example }] }
`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("verify passes while every row is within its limit", async () => {
    const r = await runCli(["retention", "verify"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /retention verified: 1 rule binding and Pledge's own data hold no row older than its limit/);
  });

  it("verify fails on a planted old row, names it, and passes after the sweep", async () => {
    const d = db();
    d.prepare("INSERT INTO events (id, email, created_at) VALUES (?, ?, ?)").run(9999, "old@example.com", ago(800));
    d.close();
    const failed = await runCli(["retention", "verify"], env);
    assert.equal(failed.code, 1);
    assert.match(
      failed.stdout,
      /FAIL app\.events\/events \(events\): 1 row older than 1 year that no hold or exception explains \(oldest \d{4}-\d{2}-\d{2}, 800 days\)/,
    );
    const plan = await runCli(["retention", "plan"], env);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(
      plan.stdout,
      /app\.events\/events {2}delete after 1 year\n {2}due now 1 of 301 rows · oldest \d{4}-\d{2}-\d{2} \(800 d against a limit of 365 d\)\n {2}the sweep will delete 1/,
    );
    const run = await runCli(["retention", "run", "--batch", "100"], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /app\.events\/events: 1 due · 1 deleted · 0 masked · 0 kept and blocked · 0 held · 1 batch · 0 left due/,
    );
    assert.match(run.stderr, /app\.events\/events █+░* 100% 1\/1 rows · [\d,]+ rows\/s/);
    const ok = await runCli(["retention", "verify"], env);
    assert.equal(ok.code, 0, ok.stdout);
    const d2 = db();
    assert.equal((d2.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n, 300);
    d2.close();
  });

  it("holds: placed with a reason, listed, lifted; bad flags are usage errors", async () => {
    const bad = await runCli(
      ["retention", "hold", "--system", "app", "--dataset", "events", "--before", "2025/01/01", "--reason", "audit"],
      env,
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--before: expected a date as YYYY-MM-DD/);
    const unknown = await runCli(["retention", "hold", "--system", "nope", "--reason", "litigation"], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no system 'nope'/);
    const placed = await runCli(
      ["retention", "hold", "--system", "app", "--dataset", "events", "--key", "5", "--reason", "incident 7"],
      env,
    );
    assert.equal(placed.code, 0, placed.stderr);
    assert.match(placed.stdout, /^hold (\d+) placed on app\.events\.5: incident 7/);
    const list = await runCli(["retention", "holds"], env);
    assert.match(list.stdout, /\tcase\tapp\.events\.\[5\]\tincident 7\tby cli:/);
    const id = /^hold (\d+)/.exec(placed.stdout)![1];
    assert.equal((await runCli(["retention", "lift", id], env)).code, 0);
    assert.equal((await runCli(["retention", "holds"], env)).stdout.trim(), "");
    const rule = await runCli(["retention", "run", "--rule", "nope"], env);
    assert.equal(rule.code, 1);
    assert.match(rule.stderr, /no retention rule 'nope' \(rules: events\)/);
  });
});
