/**
 * Retention sweeps on PostgreSQL, MariaDB and SQLite: each removes exactly the
 * rows its hand-written SQL says are expired, leaves every other row as it
 * was, follows the graph for closed accounts, keeps invoices the law requires
 * (intact where required, masked elsewhere, blocked), honours inactivity by
 * two clocks and EU-only rules, and de-identifies by field.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseDeclaration } from "../../src/declaration/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { bindingsOf, planRetention, sweepBinding, sweepRetention, verifyRetention, type RetentionContext } from "../../src/retention/index.js";
import { openSql, type Engine, type Row } from "../helpers/rental-shop.js";
import { createMysqlDatabase, createPgDatabase, servicesOrSkip } from "../helpers/services.js";
import { NOW, buildRetentionShop, retentionDeclaration } from "../helpers/retention-shop.js";

const ENGINES: Engine[] = ["postgres", "mysql", "sqlite"];
const ids = (rows: Row[]) => rows.map((r) => Number(r.id));

for (const engine of ENGINES) {
  describe(`retention sweeps [${engine}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-retention-"));
    let skip: string | undefined;
    let target = "";
    let drop: (() => Promise<void>) | undefined;
    let store: Store;
    let ctx: RetentionContext;
    const q = async (text: string, params: unknown[] = []) => {
      const s = await openSql(engine, target);
      try {
        return await s.query(text, params);
      } finally {
        await s.close();
      }
    };
    let before_: Record<string, Row[]> = {};

    before(async () => {
      if (engine !== "sqlite") {
        skip = await servicesOrSkip();
        if (skip) return;
        const d = engine === "postgres" ? await createPgDatabase("pledge_ret") : await createMysqlDatabase();
        target = d.url;
        drop = d.drop;
      } else target = join(dir, "shop.db");
      await buildRetentionShop(engine, target);
      store = await openStore({ sqlitePath: join(dir, "pledge.db") });
      const decl = parseDeclaration(retentionDeclaration(engine)).declaration;
      ctx = { store, declaration: () => decl, env: { SHOP_DB: target, PLEDGE_SECRET: "s" }, cwd: dir, clock: () => NOW };
      for (const t of ["accounts", "orders", "order_lines", "invoices", "sessions", "events", "affiliates"]) before_[t] = await q(`SELECT * FROM ${t} ORDER BY 1, 2`);
    });
    after(async () => {
      await store?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it("plan shows the rows due, and verify fails before any sweep", async (t) => {
      if (skip) return t.skip(skip);
      const plan = await planRetention(ctx);
      const by = Object.fromEntries(plan.map((e) => [e.binding, e]));
      assert.equal(by["shop.events/web_events"].due, 22);
      assert.equal(by["shop.events/web_events"].oldestDays, 750);
      assert.equal(by["shop.accounts/closed_accounts"].due, 2);
      assert.equal(by["shop.accounts/free_trials"].due, 1);
      assert.equal(by["shop.affiliates/affiliate_inactivity"].due, 2);
      assert.equal(by["shop.affiliates/affiliate_inactivity"].rows, 4, "the US affiliate is not covered by an EU-only rule");
      assert.equal(by["shop.sessions/closed_accounts"].due, 2);
      assert.equal(by["shop.invoices/bookkeeping"].due, 1);
      const v = await verifyRetention(ctx);
      assert.equal(v.ok, false);
      assert.ok(v.failures.some((f) => f.startsWith("shop.events/web_events (web_events): 22 rows older than 14 months")), v.failures.join("\n"));
    });

    it("a clock on a related row: sessions of accounts closed more than 6 weeks ago go, through the graph, and nothing else", async (t) => {
      if (skip) return t.skip(skip);
      const b = bindingsOf(ctx.declaration()).find((x) => x.id === "shop.sessions/closed_accounts")!;
      const r = await sweepBinding(ctx, b, { batchSize: 1 });
      assert.equal(r.deleted, 2);
      // by hand: the sessions of accounts closed before the cutoff
      const expected = await q("SELECT s.id FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.closed_at IS NULL OR a.closed_at >= ? ORDER BY s.id", [engine === "mysql" ? "2026-10-09 12:00:00" : engine === "sqlite" ? "2026-10-09 12:00:00" : "2026-10-09T12:00:00Z"]);
      assert.deepEqual(ids(await q("SELECT id FROM sessions ORDER BY id")), ids(expected));
      assert.deepEqual(ids(await q("SELECT id FROM sessions ORDER BY id")), [20, 23]);
      assert.deepEqual(await q("SELECT * FROM accounts ORDER BY 1, 2"), before_.accounts, "accounts are untouched");
    });

    it("every rule swept: exactly the expired rows go, every other row is unchanged", async (t) => {
      if (skip) return t.skip(skip);
      const { reports, failures } = await sweepRetention(ctx, { batchSize: 3 });
      assert.deepEqual(failures, []);
      const by = Object.fromEntries(reports.map((r) => [r.binding, r]));

      // events: by hand, rows whose clock is not older than 14 months stay, unchanged
      const keep = before_.events.filter((e) => Number(e.id) <= 28);
      assert.deepEqual(await q("SELECT * FROM events ORDER BY 1, 2"), keep);
      assert.equal(by["shop.events/web_events"].deleted, 22);
      assert.ok(by["shop.events/web_events"].batches >= 8, "in batches");

      // closed accounts: 7 goes with its order; 2 stays masked because its invoice must stay
      assert.deepEqual(ids(await q("SELECT id FROM accounts ORDER BY id")), [1, 2, 3, 5, 6]);
      const acct2 = (await q("SELECT * FROM accounts WHERE id = 2"))[0];
      assert.notEqual(acct2.email, "bob@example.com");
      assert.match(String(acct2.email), /^hmac:[0-9a-f]{16,}$/);
      assert.deepEqual(ids(await q("SELECT id FROM orders ORDER BY id")), [10, 12, 13]);
      assert.equal((await q("SELECT shipping_address FROM orders WHERE id = 10"))[0].shipping_address, null);
      assert.equal((await q("SELECT shipping_address FROM orders WHERE id = 12"))[0].shipping_address, "Hauptstr 5");
      assert.deepEqual((await q("SELECT order_id, line_no FROM order_lines ORDER BY order_id, line_no")).map((r) => [Number(r.order_id), Number(r.line_no)]), [[12, 1], [13, 1]]);
      // the invoice the law requires: buyer and amount intact, the email it does not require masked
      const inv = await q("SELECT * FROM invoices ORDER BY id");
      assert.deepEqual(ids(inv), [100, 102], "invoice 101 (2018) is past the bookkeeping period");
      assert.equal(inv[0].billing_name, "Bob Berg");
      assert.equal(Number(inv[0].amount), 12900);
      assert.equal(inv[0].billing_email, null);
      assert.deepEqual(inv[1], before_.invoices[2]);
      const blocks = await store.db.selectFrom("retention_blocks").selectAll().where("dataset", "=", "invoices").execute();
      assert.equal(blocks[0].until?.slice(0, 10), "2032-10-01");
      assert.deepEqual(JSON.parse(blocks[0].categories), ["user.name", "user.financial.billing_history"]);

      // free trials: inactive by the latest of created_at and last_login_at, free accounts only
      assert.equal(by["shop.accounts/free_trials"].deleted, 3, "account 4, its order and the order's line");
      assert.deepEqual(await q("SELECT * FROM accounts WHERE id IN (1, 3, 5, 6) ORDER BY id"), before_.accounts.filter((a) => [1, 3, 5, 6].includes(Number(a.id))));

      // affiliates: EU only, inactive by both clocks, masked by field
      const aff = await q("SELECT * FROM affiliates ORDER BY id");
      assert.equal(aff[0].name, "[removed]");
      assert.match(String(aff[0].email), /^hmac:[0-9a-f]{16,}$/);
      assert.equal(aff[3].name, "[removed]");
      assert.equal(aff[0].country, "DE", "fields that are not personal stay");
      for (const i of [1, 2, 4]) assert.deepEqual(aff[i], before_.affiliates[i], `affiliate ${i + 1} unchanged`);
      assert.equal(by["shop.affiliates/affiliate_inactivity"].masked, 2);
    });

    it("a second sweep changes nothing, reports the kept rows, and verify passes", async (t) => {
      if (skip) return t.skip(skip);
      const snapshot = await q("SELECT * FROM affiliates ORDER BY id");
      const { reports } = await sweepRetention(ctx);
      for (const r of reports) assert.equal(r.deleted + r.masked, 0, r.binding);
      assert.equal(reports.find((r) => r.binding === "shop.accounts/closed_accounts")!.alreadyBlocked, 1);
      assert.deepEqual(await q("SELECT * FROM affiliates ORDER BY id"), snapshot, "de-identified rows are not masked twice");
      const v = await verifyRetention(ctx);
      assert.deepEqual(v.failures, []);
      assert.equal(v.ok, true);
    });
  });
}
