/** `pledge scan FILE…` and `pledge redact`: what an engineer sees when cleaning logs. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../helpers/cli.js";

describe("pledge scan FILE… and pledge redact", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-cli-scan-"));
  const app = join(dir, "app.log");
  const clean = join(dir, "clean.log");
  const env = { PLEDGE_DECLARATION: join(dir, "none.yaml") };
  const LOG = [
    "2026-12-01T10:00:00Z INFO login ok user=Anna.Schmidt@Example.org ip=192.168.4.20 req=ORD-20045231",
    "2026-12-01T10:00:01Z WARN checkout failed for bob@example.net from 2001:db8::ff00:42:8329: v2.10.3",
    "2026-12-01T10:00:02Z DEBUG payment card=4111 1111 1111 1111 amount 129.00 EUR",
    "2026-12-01T10:00:03Z INFO support: customer called from +49 151 23456789 about order #4111111111111111",
    "2026-12-01T10:00:04Z INFO refund to IBAN DE89 3704 0044 0532 0130 00 uuid 550e8400-e29b-41d4-a716-446655440000",
  ];
  const DECOYS = [
    "2026-12-01T10:00:05Z INFO build 2.10.3.1 deployed, release v10.2.33",
    "2026-12-01T10:00:06Z ERROR upstream order #98224538 timeout after 3000 ms (84894.88 EUR)",
    "card 4111 1111 1111 1112 declined; IBAN DE89 3704 0044 0532 0130 01 rejected",
  ];

  before(() => {
    writeFileSync(app, `${[...LOG, ...DECOYS].join("\n")}\n`);
    writeFileSync(clean, `${DECOYS.join("\n")}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reports each kind of personal data per file with a masked example, never the value, and exits 1", async () => {
    const r = await runCli(["scan", app, clean, "--regions", "DE,US"], env);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(
      r.stdout.includes(`app.log: ${Buffer.byteLength(`${[...LOG, ...DECOYS].join("\n")}\n`)} bytes, 8 lines\n`),
      r.stdout,
    );
    assert.match(
      r.stdout,
      /email\s+user\.contact\.email\s+2 in 2 lines · confidence 0\.99 \(a valid address\) · e\.g\. A\*\*\*@E\*\*\*\.org on line 1/,
    );
    assert.match(r.stdout, /ip\s+user\.device\.ip_address\s+2 in 2 lines/);
    assert.match(r.stdout, /card\s+user\.financial\.card_number\s+1 in 1 line /);
    assert.match(r.stdout, /phone\s+user\.contact\.phone_number\s+1 in 1 line /);
    assert.match(r.stdout, /iban\s+user\.financial\.bank_account\s+1 in 1 line /);
    assert.match(r.stdout, /clean\.log: \d+ bytes, 3 lines: no personal data found/);
    for (const value of ["Anna.Schmidt@Example.org", "192.168.4.20", "4111 1111 1111 1111", "23456789", "0532 0130 00"])
      assert.ok(!r.stdout.includes(value), `the output holds ${value}`);
  });

  it("a file with only decoys exits 0; --format json gives the same figures", async () => {
    const r = await runCli(["scan", clean, "--format", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as { files: { name: string; lines: number; entities: unknown[] }[] };
    assert.deepEqual(
      body.files.map((f) => [f.name, f.lines, f.entities.length]),
      [[clean, 3, 0]],
    );
  });

  it("a byte budget stops at whole lines and says so; a missing file is named; bad flags are usage errors", async () => {
    const budget = await runCli(["scan", app, "--bytes", "200"], env);
    assert.match(budget.stdout, /app\.log: 1\d\d bytes, 2 lines \(stopped at the byte budget\)/);
    const missing = await runCli(["scan", join(dir, "gone.log")], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /pledge scan: .*gone\.log: cannot be read \(ENOENT\)/);
    const bad = await runCli(["scan", app, "--regions", "Germany"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--regions: 'GERMANY' is not a two-letter country code/);
    const noDeclaration = await runCli(["scan"], env);
    assert.equal(noDeclaration.code, 1, "without files, scan reads the declaration's systems");
    assert.match(noDeclaration.stderr, /none\.yaml/);
    assert.match((await runCli(["redact", "--types", "email,shoe"], env)).stderr, /--types: unknown type 'shoe'/);
  });

  it("redact masks each detection in the stream and leaves the decoys alone", async () => {
    const r = await runCli(["redact", "--regions", "DE,US"], env, { input: `${[...LOG, ...DECOYS].join("\n")}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split("\n"), [
      "2026-12-01T10:00:00Z INFO login ok user=[email] ip=[ip] req=ORD-20045231",
      "2026-12-01T10:00:01Z WARN checkout failed for [email] from [ip]: v2.10.3",
      "2026-12-01T10:00:02Z DEBUG payment card=[card] amount 129.00 EUR",
      "2026-12-01T10:00:03Z INFO support: customer called from [phone] about order #4111111111111111",
      "2026-12-01T10:00:04Z INFO refund to IBAN [iban] uuid 550e8400-e29b-41d4-a716-446655440000",
      ...DECOYS,
      "",
    ]);
    assert.match(r.stderr, /8 lines \(text\), masked 2 email, 2 ip, 1 card, 1 phone, 1 iban/);
    const only = await runCli(["redact", "--types", "email"], env, { input: `${LOG[0]}\n` });
    assert.equal(only.stdout, "2026-12-01T10:00:00Z INFO login ok user=[email] ip=192.168.4.20 req=ORD-20045231\n");
  });
});

/**
 * A declaration of one SQLite system whose only declared dataset is `users` (id, email): the rest of the file is
 * undeclared.
 */
function appDeclaration(path: string, categories: string[]): string {
  return `version: "1"
effectiveDate: 2026-01-01
organization: { name: App GmbH, roles: [controller], country: DE, contact: { email: p@app.example }, jurisdictions: [EU] }
purposes:
  app: { name: App, legalBasis: contract, dataCategories: [${categories.join(", ")}], dataSubjects: [customer], systems: [app], retention: r }
retention: { r: { period: 1 year, from: collection, action: delete } }
rights: { offered: [access, erasure], channels: [{ type: email, address: p@app.example }] }
systems:
  app:
    name: App
    connector: { engine: sqlite, path: ${path} }
    datasets:
      users:
        fields: { id: { primaryKey: true }, email: { category: user.contact.email, identity: email } }
`;
}

describe("pledge scan [pledge.yaml] and pledge check --live --scan", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-cli-scansys-"));
  const yaml = join(dir, "pledge.yaml");
  before(async () => {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(join(dir, "app.db"));
    db.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL); CREATE TABLE callbacks (id INTEGER PRIMARY KEY, phone TEXT, build TEXT); CREATE TABLE guestbook (id INTEGER PRIMARY KEY, full_name TEXT)",
    );
    const names = ["Maria Garcia", "John Smith", "Anna Schmidt", "Pierre Martin", "Giulia Rossi"];
    for (let i = 1; i <= 40; i++) {
      db.prepare("INSERT INTO users VALUES (?, ?)").run(i, `user${i}@app.example`);
      db.prepare("INSERT INTO callbacks VALUES (?, ?, ?)").run(i, `+49 151 2345${String(6000 + i)}`, `v1.${i}.0`);
      db.prepare("INSERT INTO guestbook VALUES (?, ?)").run(i, names[i % names.length]);
    }
    db.close();
    writeFileSync(yaml, appDeclaration(join(dir, "app.db"), ["user.contact.email", "user.contact.phone_number"]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reports the undeclared table at its place in the declaration, shows progress, and exits 1", async () => {
    const r = await runCli(["scan", yaml], {});
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /scanning app \(3 tables\) read-only…\n {2}1\/3 \w+\n {2}2\/3 \w+\n {2}3\/3 \w+/);
    assert.match(r.stdout, /app\.callbacks \(undeclared\): 40 sampled \(first rows\): phone phone/);
    assert.match(
      r.stdout,
      /pledge\.yaml:\d+:\d+ warning \[scan-undeclared\] systems\.app\.datasets: app: the table callbacks holds personal data .* phone: phone \(user\.contact\.phone_number, 100 % of 40 sampled/,
    );
    assert.match(
      r.stdout,
      /pledge\.yaml:\d+:\d+ warning \[scan-unreachable\] systems\.app\.datasets: app\.guestbook holds personal data and has no identity column and no reference/,
    );
    assert.ok(!/scan-unreachable\] .*callbacks/.test(r.stdout), "a table of phone numbers is reached by its identity");
    assert.ok(!r.stdout.includes("build"), "the column of versions is not personal data");
    assert.ok(!r.stdout.includes("23456001"), "no value is printed");
  });

  it("--format yaml prints the fragment; json the tables and findings; a wrong system is a usage error", async () => {
    const y = await runCli(["scan", yaml, "--format", "yaml"], {});
    assert.match(
      y.stdout,
      /# \[scan-undeclared\] .*\n# user\.contact\.phone_number: add to the purposes this data serves\nsystems:\n {2}app:\n {4}datasets:\n {6}callbacks:\n {8}fields:\n {10}id:\n {12}primaryKey: true\n {10}phone:\n {12}category: user\.contact\.phone_number\n {12}identity: phone\n/,
    );
    const j = JSON.parse((await runCli(["scan", yaml, "--format", "json"], {})).stdout) as {
      tables: { table: string; dataset?: string }[];
      findings: { rule: string }[];
    };
    assert.deepEqual(j.tables.map((t) => [t.table, t.dataset ?? null]).sort(), [
      ["callbacks", null],
      ["guestbook", null],
      ["users", "users"],
    ]);
    assert.deepEqual(j.findings.map((f) => f.rule).sort(), ["scan-undeclared", "scan-undeclared", "scan-unreachable"]);
    const bad = await runCli(["scan", yaml, "--system", "crm"], {});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--system: no system 'crm' in the declaration \(it has app\)/);
  });

  it("check --live --scan reports the scan's findings with the live check's; --scan alone is a usage error", async () => {
    const r = await runCli(["check", yaml, "--live", "--scan"], {});
    assert.match(r.stdout, /warning \[scan-undeclared\] systems\.app\.datasets: app: the table callbacks/);
    assert.match(r.stdout, /pledge\.yaml: 0 errors, \d+ warnings/);
    assert.equal(r.code, 0, "warnings do not fail the check");
    const alone = await runCli(["check", yaml, "--scan"], {});
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--scan reads the systems: use it with --live/);
  });
});

describe("pledge scan --record and pledge findings", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-cli-findings-"));
  const yaml = join(dir, "pledge.yaml");
  const env = { PLEDGE_SQLITE_PATH: join(dir, "pledge.db"), PLEDGE_SECRET: "s" };
  before(async () => {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(join(dir, "app.db"));
    db.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL); CREATE TABLE leads (id INTEGER PRIMARY KEY, contact TEXT)",
    );
    for (let i = 1; i <= 20; i++) db.prepare("INSERT INTO leads VALUES (?, ?)").run(i, `lead${i}@mail.example`);
    db.close();
    writeFileSync(yaml, appDeclaration(join(dir, "app.db"), ["user.contact.email"]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("records the scan, tells the officer once, lists the finding, dismisses it with a reason and keeps it dismissed", async () => {
    const first = await runCli(["scan", yaml, "--record"], env, { cwd: dir });
    assert.equal(first.code, 1);
    assert.match(first.stderr, /recorded as scan 1: 1 new finding \(mail sent\)/);
    const again = await runCli(["scan", yaml, "--record"], env, { cwd: dir });
    assert.match(again.stderr, /recorded as scan 2: 0 new findings/);
    const list = await runCli(["findings"], env, { cwd: dir });
    assert.match(
      list.stdout,
      /#1 open warning \[scan-undeclared\] first seen \d{4}-\d{2}-\d{2}, last \d{4}-\d{2}-\d{2}: app: the table leads holds personal data/,
    );
    assert.match(list.stdout, /1 finding open/);
    const noReason = await runCli(["findings", "dismiss", "1"], env, { cwd: dir });
    assert.equal(noReason.code, 2);
    assert.match(noReason.stderr, /dismiss needs --reason/);
    const dismissed = await runCli(
      ["findings", "dismiss", "1", "--reason", "a test table, dropped after the migration"],
      env,
      { cwd: dir },
    );
    assert.equal(dismissed.code, 0, dismissed.stderr);
    assert.match(dismissed.stdout, /finding 1 dismissed: a test table, dropped after the migration/);
    await runCli(["scan", yaml, "--record"], env, { cwd: dir });
    const after = await runCli(["findings", "--status", "all"], env, { cwd: dir });
    assert.match(after.stdout, /#1 dismissed .* — dismissed by cli:\S+: a test table, dropped after the migration/);
    assert.match(
      (await runCli(["findings", "dismiss", "7", "--reason", "x y z"], env, { cwd: dir })).stderr,
      /pledge findings: no finding 7/,
    );
  });
});
