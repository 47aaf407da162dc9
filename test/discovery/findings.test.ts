/**
 * Discovery over time, on SQLite and PostgreSQL stores: findings kept with
 * first and last seen, a dismissal that needs a reason and stays across scans,
 * the officer told of a new finding by mail and a signed webhook once, a
 * finding gone when the data is, and one scheduled scan per time slot.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { listAudit } from "../../src/audit/index.js";
import { parseDeclaration } from "../../src/declaration/index.js";
import {
  dismissFinding,
  listFindings,
  recordScan,
  scanHistory,
  type DiscoveryContext,
} from "../../src/discovery/index.js";
import type { Store } from "../../src/store/index.js";
import { testContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

forEachStore("discovery findings over time", (target) => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-findings-"));
  const app = join(dir, "app.db");
  let store: Store;
  let ctx: DiscoveryContext & { mailer: ReturnType<typeof testContext>["mailer"] };
  let hookServer: Server;
  const hooks: { event: string; findings: { rule: string; message: string }[]; signature: string }[] = [];
  const exec = (sql: string) => {
    const db = new BetterSqlite3(app);
    db.exec(sql);
    db.close();
  };

  before(async () => {
    exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL)");
    exec("CREATE TABLE leads (id INTEGER PRIMARY KEY, email TEXT, notes TEXT)");
    for (let i = 1; i <= 30; i++)
      exec(
        `INSERT INTO users VALUES (${i}, 'user${i}@app.example'); INSERT INTO leads VALUES (${i}, 'lead${i}@mail.example', 'called back')`,
      );
    hookServer = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        hooks.push({
          ...(JSON.parse(body) as { event: string; findings: { rule: string; message: string }[] }),
          signature: String(req.headers["pledge-signature"]),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", () => r()));
    const decl = parseDeclaration(`version: "1"
effectiveDate: 2026-01-01
organization: { name: App GmbH, roles: [controller], country: DE, contact: { email: privacy@app.example }, jurisdictions: [EU] }
purposes:
  app: { name: App, legalBasis: contract, dataCategories: [user.contact.email], dataSubjects: [customer], systems: [app], retention: r }
retention: { r: { period: 1 year, from: collection, action: delete } }
rights: { offered: [access, erasure], channels: [{ type: email, address: privacy@app.example }] }
discovery:
  notify: { webhook: { url: "http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook", secret: { env: HOOK_SECRET } } }
systems:
  app:
    name: App
    connector: { engine: sqlite, path: ${app} }
    datasets:
      users:
        fields: { id: { primaryKey: true }, email: { category: user.contact.email, identity: email } }
`).declaration;
    store = await target.open();
    const t = testContext(store, decl, { env: { HOOK_SECRET: "whsec" }, cwd: dir });
    ctx = { store, declaration: () => decl, env: t.env, cwd: dir, clock: t.clock, mailer: t.mailer };
  });
  after(async () => {
    await store?.close();
    hookServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a first scan records the finding and tells the officer by mail and signed webhook; the next scan tells nobody again", async () => {
    const first = (await recordScan(ctx, { trigger: "cli", actor: "cli:test" }))!;
    assert.deepEqual(
      first.newFindings.map((f) => [f.rule, f.system]),
      [["scan-undeclared", "app"]],
    );
    assert.match(first.newFindings[0].message, /the table leads holds personal data .*email: email/);
    assert.deepEqual(first.notified, { mail: "sent", webhook: "sent" });
    const mail = ctx.mailer.sent.filter((m) => m.to === "privacy@app.example");
    assert.equal(mail.length, 1);
    assert.match(mail[0].text, /\[scan-undeclared\] app: the table leads/);
    assert.ok(!mail[0].text.includes("lead3@mail.example"), "no value in the mail");
    assert.equal(hooks.length, 1);
    assert.equal(hooks[0].event, "discovery.new_findings");
    assert.match(hooks[0].signature, /^t=\d+,v1=[0-9a-f]{64}$/);

    const second = (await recordScan(ctx, { trigger: "cli", actor: "cli:test" }))!;
    assert.deepEqual(second.newFindings, []);
    assert.equal(ctx.mailer.sent.filter((m) => m.to === "privacy@app.example").length, 1);
    assert.equal(hooks.length, 1);
    const [f] = await listFindings(ctx, { status: "open" });
    assert.equal(f.firstSeen <= f.lastSeen, true);
    assert.ok(f.notifiedAt);
    const history = await scanHistory(ctx);
    assert.deepEqual(
      history.map((h) => [h.findings, h.newFindings]),
      [
        [1, 1],
        [1, 0],
      ],
    );
  });

  it("a dismissal needs a reason, is audited, and stays across scans", async () => {
    const [f] = await listFindings(ctx, { status: "open" });
    await assert.rejects(dismissFinding(ctx, f.id, "olga@app.example", " "), /needs a reason/);
    await assert.rejects(dismissFinding(ctx, 99_999, "olga@app.example", "test data"), /no finding 99999/);
    const d = await dismissFinding(ctx, f.id, "olga@app.example", "test leads from the sales demo, deleted monthly");
    assert.deepEqual(
      [d.status, d.dismissed?.by, d.dismissed?.reason],
      ["dismissed", "olga@app.example", "test leads from the sales demo, deleted monthly"],
    );
    await assert.rejects(dismissFinding(ctx, f.id, "olga@app.example", "again"), /already dismissed/);
    const audit = await listAudit(store, { subject: `finding:${f.id}` });
    assert.equal(audit[0]?.action, "discovery.dismissed");
    await recordScan(ctx, { trigger: "cli", actor: "cli:test" });
    assert.deepEqual(
      (await listFindings(ctx)).map((x) => [x.id, x.status]),
      [[f.id, "dismissed"]],
    );
  });

  it("a new table is a new finding, told once; a finding whose data is gone is gone", async () => {
    exec("CREATE TABLE callbacks (id INTEGER PRIMARY KEY, phone TEXT)");
    for (let i = 1; i <= 20; i++) exec(`INSERT INTO callbacks VALUES (${i}, '+49 151 2345${6000 + i}')`);
    const r = (await recordScan(ctx, { trigger: "cli", actor: "cli:test" }))!;
    assert.deepEqual(
      r.newFindings.map((f) => f.message.match(/the table (\w+)/)?.[1]),
      ["callbacks"],
    );
    assert.equal(ctx.mailer.sent.filter((m) => m.to === "privacy@app.example").length, 2);
    assert.equal(hooks.length, 2);
    exec("DROP TABLE callbacks");
    await recordScan(ctx, { trigger: "cli", actor: "cli:test" });
    const byTable = Object.fromEntries(
      (await listFindings(ctx)).map((f) => [f.message.match(/the table (\w+)/)?.[1], f.status]),
    );
    assert.deepEqual(byTable, { callbacks: "gone", leads: "dismissed" });
    assert.equal(
      (await scanHistory(ctx)).at(-1)?.findings,
      0,
      "the scan counts what is open after it: nothing gone, nothing dismissed",
    );
  });

  it("a system the scan could not reach leaves its findings open, never gone, and is a finding itself", async () => {
    exec("CREATE TABLE callbacks2 (id INTEGER PRIMARY KEY, phone TEXT)");
    for (let i = 1; i <= 20; i++) exec(`INSERT INTO callbacks2 VALUES (${i}, '+49 151 2345${7000 + i}')`);
    await recordScan(ctx, { trigger: "cli", actor: "cli:test" });
    renameSync(app, `${app}.away`);
    try {
      await recordScan(ctx, { trigger: "cli", actor: "cli:test" });
    } finally {
      renameSync(`${app}.away`, app);
    }
    const open = (await listFindings(ctx, { status: "open" })).map(
      (f) => `${f.rule}:${f.message.match(/the table (\w+)/)?.[1] ?? ""}`,
    );
    assert.deepEqual(open.sort(), ["scan-system-unreachable:", "scan-undeclared:callbacks2"]);
  });

  it("a scheduled slot is scanned by the first server that claims it; the other skips", async () => {
    const slot = "2026-12-07T04:00:00.000Z";
    const [a, b] = await Promise.all([
      recordScan(ctx, { trigger: "schedule", actor: "schedule", slot }),
      recordScan({ ...ctx }, { trigger: "schedule", actor: "schedule", slot }),
    ]);
    assert.equal([a, b].filter(Boolean).length, 1);
  });
});
