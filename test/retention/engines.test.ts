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
import { maskValue } from "../../src/execution/index.js";
import {
  bindingsOf,
  liftHold,
  placeHold,
  planRetention,
  sweepBinding,
  sweepRetention,
  verifyRetention,
  type RetentionContext,
} from "../../src/retention/index.js";
import { openSql, type Engine, type Row } from "../helpers/rental-shop.js";
import { createMysqlDatabase, createPgDatabase, servicesOrSkip } from "../helpers/services.js";
import { NOW, buildRetentionShop, retentionDeclaration } from "../helpers/retention-shop.js";

const ENGINES: Engine[] = ["postgres", "mysql", "sqlite"];
const ids = (rows: Row[]) => rows.map((r) => Number(r.id));

/**
 * A fresh retention shop on one engine for a describe block: its database, Pledge's store and the retention context,
 * dropped after.
 */
function useShop(engine: Engine, name: string) {
  const shop = {
    dir: mkdtempSync(join(tmpdir(), "pledge-retention-")),
    skip: undefined as string | undefined,
    target: "",
    drop: undefined as (() => Promise<void>) | undefined,
    store: undefined as unknown as Store,
    ctx: undefined as unknown as RetentionContext,
    tables: {} as Record<string, Row[]>,
    async q(text: string, params: unknown[] = []) {
      const s = await openSql(engine, shop.target);
      try {
        return await s.query(text, params);
      } finally {
        await s.close();
      }
    },
  };
  before(async () => {
    if (engine !== "sqlite") {
      shop.skip = await servicesOrSkip();
      if (shop.skip) return;
      const d = engine === "postgres" ? await createPgDatabase(name) : await createMysqlDatabase();
      shop.target = d.url;
      shop.drop = d.drop;
    } else shop.target = join(shop.dir, "shop.db");
    await buildRetentionShop(engine, shop.target);
    shop.store = await openStore({ sqlitePath: join(shop.dir, "pledge.db") });
    const decl = parseDeclaration(retentionDeclaration(engine)).declaration;
    shop.ctx = {
      store: shop.store,
      declaration: () => decl,
      env: { SHOP_DB: shop.target, PLEDGE_SECRET: "s" },
      cwd: shop.dir,
      clock: () => NOW,
    };
    for (const t of ["accounts", "orders", "order_lines", "invoices", "sessions", "events", "affiliates"])
      shop.tables[t] = await shop.q(`SELECT * FROM ${t} ORDER BY 1, 2`);
  });
  after(async () => {
    await shop.store?.close();
    await shop.drop?.();
    rmSync(shop.dir, { recursive: true, force: true });
  });
  return shop;
}

for (const engine of ENGINES) {
  describe(`retention sweeps [${engine}]`, () => {
    const shop = useShop(engine, "pledge_ret");
    const q = (text: string, params: unknown[] = []) => shop.q(text, params);

    it("plan shows the rows due, and verify fails before any sweep", async (t) => {
      if (shop.skip) return t.skip(shop.skip);
      const plan = await planRetention(shop.ctx);
      const by = Object.fromEntries(plan.map((e) => [e.binding, e]));
      assert.equal(by["shop.events/web_events"].due, 22);
      assert.equal(by["shop.events/web_events"].oldestDays, 750);
      assert.equal(by["shop.accounts/closed_accounts"].due, 2);
      assert.equal(by["shop.accounts/free_trials"].due, 1);
      assert.equal(by["shop.affiliates/affiliate_inactivity"].due, 2);
      assert.equal(
        by["shop.affiliates/affiliate_inactivity"].rows,
        4,
        "the US affiliate is not covered by an EU-only rule",
      );
      assert.equal(by["shop.sessions/closed_accounts"].due, 2);
      assert.equal(by["shop.invoices/bookkeeping"].due, 1);
      const v = await verifyRetention(shop.ctx);
      assert.equal(v.ok, false);
      assert.ok(
        v.failures.some((f) => f.startsWith("shop.events/web_events (web_events): 22 rows older than 14 months")),
        v.failures.join("\n"),
      );
    });

    it("a clock on a related row: sessions of accounts closed more than 6 weeks ago go, through the graph, and nothing else", async (t) => {
      if (shop.skip) return t.skip(shop.skip);
      const b = bindingsOf(shop.ctx.declaration()).find((x) => x.id === "shop.sessions/closed_accounts")!;
      const r = await sweepBinding(shop.ctx, b, { batchSize: 1 });
      assert.equal(r.deleted, 2);
      // by hand: the sessions of accounts closed before the cutoff
      const expected = await q(
        "SELECT s.id FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.closed_at IS NULL OR a.closed_at >= ? ORDER BY s.id",
        [
          engine === "mysql"
            ? "2026-10-09 12:00:00"
            : engine === "sqlite"
              ? "2026-10-09 12:00:00"
              : "2026-10-09T12:00:00Z",
        ],
      );
      assert.deepEqual(ids(await q("SELECT id FROM sessions ORDER BY id")), ids(expected));
      assert.deepEqual(ids(await q("SELECT id FROM sessions ORDER BY id")), [20, 23]);
      assert.deepEqual(await q("SELECT * FROM accounts ORDER BY 1, 2"), shop.tables.accounts, "accounts are untouched");
    });

    it("every rule swept: exactly the expired rows go, every other row is unchanged", async (t) => {
      if (shop.skip) return t.skip(shop.skip);
      const { reports, failures } = await sweepRetention(shop.ctx, { batchSize: 3 });
      assert.deepEqual(failures, []);
      const by = Object.fromEntries(reports.map((r) => [r.binding, r]));

      // events: by hand, rows whose clock is not older than 14 months stay, unchanged
      const keep = shop.tables.events.filter((e) => Number(e.id) <= 28);
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
      assert.deepEqual(
        (await q("SELECT order_id, line_no FROM order_lines ORDER BY order_id, line_no")).map((r) => [
          Number(r.order_id),
          Number(r.line_no),
        ]),
        [
          [12, 1],
          [13, 1],
        ],
      );
      // the invoice the law requires: buyer and amount intact, the email it does not require masked
      const inv = await q("SELECT * FROM invoices ORDER BY id");
      assert.deepEqual(ids(inv), [100, 102], "invoice 101 (2018) is past the bookkeeping period");
      assert.equal(inv[0].billing_name, "Bob Berg");
      assert.equal(Number(inv[0].amount), 12900);
      assert.equal(inv[0].billing_email, null);
      assert.deepEqual(inv[1], shop.tables.invoices[2]);
      const blocks = await shop.store.db
        .selectFrom("retention_blocks")
        .selectAll()
        .where("dataset", "=", "invoices")
        .execute();
      assert.equal(blocks[0].until?.slice(0, 10), "2032-10-01");
      assert.deepEqual(JSON.parse(blocks[0].categories), ["user.name", "user.financial.billing_history"]);

      // free trials: inactive by the latest of created_at and last_login_at, free accounts only
      assert.equal(by["shop.accounts/free_trials"].deleted, 3, "account 4, its order and the order's line");
      assert.deepEqual(
        await q("SELECT * FROM accounts WHERE id IN (1, 3, 5, 6) ORDER BY id"),
        shop.tables.accounts.filter((a) => [1, 3, 5, 6].includes(Number(a.id))),
      );

      // affiliates: EU only, inactive by both clocks, masked by field
      const aff = await q("SELECT * FROM affiliates ORDER BY id");
      assert.equal(aff[0].name, "[removed]");
      assert.match(String(aff[0].email), /^hmac:[0-9a-f]{16,}$/);
      assert.equal(aff[3].name, "[removed]");
      assert.equal(aff[0].country, "DE", "fields that are not personal stay");
      for (const i of [1, 2, 4]) assert.deepEqual(aff[i], shop.tables.affiliates[i], `affiliate ${i + 1} unchanged`);
      assert.equal(by["shop.affiliates/affiliate_inactivity"].masked, 2);
    });

    it("a second sweep changes nothing, reports the kept rows, and verify passes", async (t) => {
      if (shop.skip) return t.skip(shop.skip);
      const snapshot = await q("SELECT * FROM affiliates ORDER BY id");
      const { reports } = await sweepRetention(shop.ctx);
      for (const r of reports) assert.equal(r.deleted + r.masked, 0, r.binding);
      assert.equal(reports.find((r) => r.binding === "shop.accounts/closed_accounts")!.alreadyBlocked, 1);
      assert.deepEqual(
        await q("SELECT * FROM affiliates ORDER BY id"),
        snapshot,
        "de-identified rows are not masked twice",
      );
      const v = await verifyRetention(shop.ctx);
      assert.deepEqual(v.failures, []);
      assert.equal(v.ok, true);
    });
  });

  describe(`legal holds and a killed sweep [${engine}]`, () => {
    const shop = useShop(engine, "pledge_rethold");
    const binding = (id: string) => bindingsOf(shop.ctx.declaration()).find((b) => b.id === id)!;

    it("a case hold keeps the closed account and its order, and is reported; lifted, the next sweep removes them", async (t) => {
      if (shop.skip) return t.skip(shop.skip);
      const id = await placeHold(
        shop.ctx,
        { scope: "case", system: "shop", dataset: "accounts", key: "7", reason: "litigation 2026-14" },
        "officer@shop.example",
      );
      const r = await sweepBinding(shop.ctx, binding("shop.accounts/closed_accounts"), { batchSize: 1 });
      assert.deepEqual(r.held, [{ reason: `legal hold ${id}: litigation 2026-14`, rows: 1 }]);
      assert.deepEqual(
        ids(await shop.q("SELECT id FROM accounts ORDER BY id")),
        [1, 2, 3, 4, 5, 6, 7],
        "account 2 stays for its invoice; 7 is held",
      );
      assert.deepEqual(
        await shop.q("SELECT * FROM accounts WHERE id = 7"),
        shop.tables.accounts.filter((a) => Number(a.id) === 7),
        "the held account is as it was",
      );
      assert.equal((await shop.q("SELECT id FROM orders WHERE id = 15")).length, 1, "what belongs to it is held too");
      assert.deepEqual(
        (await verifyRetention(shop.ctx, { rule: "closed_accounts" })).failures.filter((f) =>
          f.startsWith("shop.accounts"),
        ),
        [],
        "held rows are explained",
      );
      await liftHold(shop.ctx, id, "officer@shop.example");
      const again = await sweepBinding(shop.ctx, binding("shop.accounts/closed_accounts"));
      assert.deepEqual(again.held, []);
      assert.equal((await shop.q("SELECT id FROM accounts WHERE id = 7")).length, 0);
      assert.equal((await shop.q("SELECT id FROM orders WHERE id = 15")).length, 0);
    });

    it("a de-identifying sweep killed after its first batch resumes, and masks each row once", async (t) => {
      if (shop.skip) return t.skip(shop.skip);
      const b = binding("shop.affiliates/affiliate_inactivity");
      await assert.rejects(
        sweepBinding(shop.ctx, b, {
          batchSize: 1,
          afterApply: (n) => {
            if (n === 1) throw new Error("killed");
          },
        }),
        /killed/,
      );
      const mid = await shop.q("SELECT id, name FROM affiliates WHERE id IN (1, 4) ORDER BY id");
      assert.deepEqual(
        mid.map((x) => x.name),
        ["[removed]", "Dora"],
        "the first batch reached the database before the kill",
      );
      const r = await sweepBinding(shop.ctx, b, { batchSize: 1 });
      assert.equal(r.resumed, true);
      assert.equal(r.masked, 2, "the applied batch recorded once, the other applied once");
      const rows = await shop.q("SELECT id, email FROM affiliates WHERE id IN (1, 4) ORDER BY id");
      assert.equal(
        rows[0].email,
        maskValue("hmac", "Aff1@Example.com", { key: "s" }),
        "the HMAC of the address, not of its HMAC",
      );
      assert.equal(rows[1].email, maskValue("hmac", "aff4@example.com", { key: "s" }));
      const others = await shop.q("SELECT * FROM affiliates WHERE id NOT IN (1, 4) ORDER BY id");
      assert.deepEqual(
        others,
        shop.tables.affiliates.filter((a) => ![1, 4].includes(Number(a.id))),
        "every other affiliate unchanged",
      );
    });
  });
}
