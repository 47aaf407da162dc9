/**
 * What retention keeps in Pledge's own store, on SQLite and PostgreSQL: legal
 * holds (a case and everything that belongs to it, a dataset before a date),
 * blocks that make the decision API deny, a killed sweep that resumes without
 * applying a batch twice, and one sweep of a binding at a time.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { decide, DecisionCache } from "../../src/consent/index.js";
import { maskValue } from "../../src/execution/index.js";
import type { Store } from "../../src/store/index.js";
import {
  bindingsOf,
  liftHold,
  listHolds,
  placeHold,
  planRetention,
  sweepBinding,
  sweepRetention,
  verifyRetention,
  type RetentionContext,
} from "../../src/retention/index.js";
import { takeLease } from "../../src/retention/sweep.js";
import { openSql, type Row } from "../helpers/rental-shop.js";
import { forEachStore } from "../helpers/stores.js";
import { NOW, buildRetentionShop, retentionDeclaration } from "../helpers/retention-shop.js";

const YAML = retentionDeclaration("sqlite")
  .replace(
    "          - { rule: free_trials, clock: [created_at, last_login_at], where: { type: free } }",
    "          - { rule: free_trials, clock: [created_at, last_login_at], where: { type: free } }\n          - { rule: dormant_paid, clock: last_login_at, where: { type: paid } }",
  )
  .replace(
    "  web_events: {",
    "  dormant_paid: { period: 2 years, from: last_activity, action: block, description: dormant paid accounts kept for a pending review }\n  web_events: {",
  );

forEachStore("retention in the store", (target) => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-retstore-"));
  const shop = join(dir, "shop.db");
  let store: Store;
  let ctx: RetentionContext;
  let decl: Declaration;
  const q = async (text: string, params: unknown[] = []): Promise<Row[]> => {
    const s = await openSql("sqlite", shop);
    try {
      return await s.query(text, params);
    } finally {
      await s.close();
    }
  };
  const binding = (id: string) => bindingsOf(decl).find((b) => b.id === id)!;

  before(async () => {
    await buildRetentionShop("sqlite", shop);
    store = await target.open();
    decl = parseDeclaration(YAML).declaration;
    ctx = { store, declaration: () => decl, env: { SHOP_DB: shop, PLEDGE_SECRET: "s" }, cwd: dir, clock: () => NOW };
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a case hold keeps the account and everything that belongs to it, and the sweep reports it", async () => {
    const id = await placeHold(
      ctx,
      { scope: "case", system: "shop", dataset: "accounts", key: "7", reason: "litigation 2026-14 (Gus v. Shop)" },
      "officer@shop.example",
    );
    const plan = (await planRetention(ctx)).find((e) => e.binding === "shop.accounts/closed_accounts")!;
    assert.deepEqual(plan.held, [{ reason: `legal hold ${id}: litigation 2026-14 (Gus v. Shop)`, rows: 1 }]);
    const r = await sweepBinding(ctx, binding("shop.accounts/closed_accounts"));
    assert.deepEqual(r.held, [{ reason: `legal hold ${id}: litigation 2026-14 (Gus v. Shop)`, rows: 1 }]);
    assert.deepEqual((await q("SELECT id FROM accounts WHERE id = 7")).length, 1);
    assert.deepEqual((await q("SELECT id FROM orders WHERE id = 15")).length, 1);
    assert.equal(
      (await verifyRetention(ctx, { rule: "closed_accounts" })).failures.filter((f) => f.startsWith("shop.accounts"))
        .length,
      0,
      "held rows are explained",
    );
    assert.equal((await listHolds(ctx)).length, 1);
    await liftHold(ctx, id, "officer@shop.example");
    const again = await sweepBinding(ctx, binding("shop.accounts/closed_accounts"));
    assert.equal(again.held.length, 0);
    assert.equal((await q("SELECT id FROM accounts WHERE id = 7")).length, 0, "once lifted, the next sweep removes it");
    const audit = await store.db.selectFrom("audit_pending").select("action").execute();
    const chained = await store.db.selectFrom("audit_log").select("action").execute();
    const actions = [...audit, ...chained].map((a) => a.action);
    for (const a of ["retention.hold_placed", "retention.hold_lifted", "retention.swept", "retention.verified"])
      assert.ok(actions.includes(a), a);
  });

  it("a dataset hold limited to rows before a date keeps those and lets the newer ones go", async () => {
    const id = await placeHold(
      ctx,
      { scope: "dataset", system: "shop", dataset: "events", before: "2025-01-01", reason: "regulator inquiry" },
      "officer@shop.example",
    );
    const r = await sweepBinding(ctx, binding("shop.events/web_events"));
    const heldRows = r.held.reduce((a, h) => a + h.rows, 0);
    const older = (await q("SELECT id FROM events WHERE julianday(created_at) < julianday('2025-01-01')")).length;
    assert.equal(heldRows, older);
    assert.ok(older > 0);
    assert.equal(r.deleted, 22 - older);
    assert.deepEqual((await q("SELECT id FROM events WHERE id > 28 ORDER BY id")).length, older);
    await liftHold(ctx, id, "officer@shop.example");
  });

  it("blocking: kept invoices and blocked accounts make the decision API deny", async () => {
    await sweepRetention(ctx, { rule: "dormant_paid" });
    const decisions = { store, declaration: () => decl, env: ctx.env, cache: new DecisionCache(0), clock: () => NOW };
    const fay = await decide(decisions, "fay@example.com", "selling");
    assert.equal(fay.decision, "deny");
    assert.match(fay.reason, /dormant paid accounts kept for a pending review, and blocked/);
    assert.equal(
      (await decide(decisions, "Ada@example.com", "selling")).decision,
      "allow",
      "an active account is not blocked",
    );
    assert.equal(
      (await q("SELECT email FROM accounts WHERE id = 6"))[0].email,
      "fay@example.com",
      "a blocked row is kept as it is",
    );
    // Bob's account was swept with its invoice kept for the bookkeeping law
    const bob = await decide(decisions, "bob@example.com", "bookkeeping");
    assert.equal(bob.decision, "deny");
    assert.match(
      bob.reason,
      /kept only because the bookkeeping law requires invoices for 7 years, and blocked until 2032-10-01/,
    );
  });

  it("a sweep killed after a batch was applied resumes, and no batch is applied twice", async () => {
    const b = binding("shop.affiliates/affiliate_inactivity");
    await assert.rejects(
      sweepBinding(ctx, b, {
        batchSize: 1,
        afterApply: (n) => {
          if (n === 1) throw new Error("killed");
        },
      }),
      /killed/,
    );
    const mid = await q("SELECT id, email, name FROM affiliates WHERE id IN (1, 4) ORDER BY id");
    assert.equal(mid[0].name, "[removed]", "the first batch was applied before the kill");
    assert.equal(mid[1].name, "Dora");
    const r = await sweepBinding(ctx, b, { batchSize: 1 });
    assert.equal(r.resumed, true);
    assert.equal(r.masked, 2, "one batch recorded on resume, one applied");
    const rows = await q("SELECT id, email, name FROM affiliates WHERE id IN (1, 4) ORDER BY id");
    assert.equal(
      rows[0].email,
      maskValue("hmac", "Aff1@Example.com", { key: "s" }),
      "masked once: the HMAC of the address, not of its HMAC",
    );
    assert.equal(rows[1].email, maskValue("hmac", "aff4@example.com", { key: "s" }));
    const batches = await store.db
      .selectFrom("retention_batches")
      .select(["seq", "status"])
      .where("run_id", "=", r.runId!)
      .orderBy("seq")
      .execute();
    assert.deepEqual(
      batches.map((x) => x.status),
      ["applied", "applied"],
    );
  });

  it("a batch journalled but never applied is planned again on resume", async () => {
    await buildFreshEvents();
    const b = binding("shop.events/web_events");
    // Kill before the batch reaches the database: the journal says applying, the rows are untouched.
    const real = await import("../../src/connectors/index.js");
    let calls = 0;
    const crashing: RetentionContext = {
      ...ctx,
      connect: (system) => {
        const c = real.createConnector(system, decl.systems[system].connector, ctx.env, dir)!;
        return {
          ...c,
          capabilities: c.capabilities,
          due: c.due.bind(c),
          dueSummary: c.dueSummary.bind(c),
          find: c.find.bind(c),
          count: c.count.bind(c),
          introspect: c.introspect.bind(c),
          ping: c.ping.bind(c),
          close: c.close.bind(c),
          engine: c.engine,
          apply: async (m) => (++calls === 1 ? Promise.reject(new Error("connection lost")) : c.apply(m)),
        };
      },
    };
    await assert.rejects(sweepBinding(crashing, b, { batchSize: 5 }), /connection lost/);
    const r = await sweepBinding(ctx, b, { batchSize: 5 });
    assert.equal(r.resumed, true);
    assert.equal(r.deleted, 22);
    assert.equal((await q("SELECT count(*) AS n FROM events"))[0].n, 28);
  });

  it("one sweep of a binding at a time: another holder of the lease makes it skip", async () => {
    const b = binding("shop.events/web_events");
    assert.equal(await takeLease(ctx, `retention:${b.id}`, "other-server", NOW), true);
    const r = await sweepBinding(ctx, b);
    assert.equal(r.skipped, true);
    assert.match(r.note ?? "", /another sweep/);
    await store.db.deleteFrom("retention_leases").execute();
  });

  it("Pledge's own data: an export past its expiry fails verify until the sweep deletes it", async () => {
    await store.db
      .insertInto("exports")
      .values({
        request_id: "req_planted000",
        filename: "x.zip",
        data: new Uint8Array([1, 2, 3]),
        created_at: "2026-01-01T00:00:00.000Z",
        expires_at: "2026-01-08T00:00:00.000Z",
      })
      .execute();
    const v = await verifyRetention(ctx);
    assert.ok(
      v.failures.some((f) => f.startsWith("pledge.exports/expiry (PLEDGE_EXPORT_TTL_DAYS): 1 row older than 7 days")),
      v.failures.join("\n"),
    );
    const r = await sweepRetention(ctx);
    assert.deepEqual(
      r.ownData.find((o) => o.binding === "pledge.exports/expiry"),
      { binding: "pledge.exports/expiry", deleted: 1 },
    );
    assert.equal((await store.db.selectFrom("exports").selectAll().execute()).length, 0);
    assert.ok(!(await verifyRetention(ctx)).failures.some((f) => f.startsWith("pledge.")));
    // the declaration sets the period: the plan names its rule and says it
    const twoWeeks = parseDeclaration(
      YAML.replace("rights:\n", "ownData: { exports: 2 weeks }\nrights:\n"),
    ).declaration;
    const entry = (await planRetention({ ...ctx, declaration: () => twoWeeks })).find(
      (e) => e.binding === "pledge.exports/expiry",
    );
    assert.deepEqual([entry?.rule, entry?.period], ["ownData.exports", "2 weeks"]);
  });

  it("Pledge's own data: expired sessions and codes, consent proof past its period and old outbox mail go at the declared periods, and nothing else", async () => {
    const outbox = join(dir, "outbox");
    mkdirSync(outbox, { recursive: true });
    const mail = (name: string, at: string) => {
      writeFileSync(join(outbox, name), "To: a@b.example\n\ncode 123456");
      utimesSync(join(outbox, name), new Date(at), new Date(at));
    };
    mail("old.eml", "2026-10-01T00:00:00Z"); // 50 days: past 30
    mail("new.eml", "2026-11-10T00:00:00Z");
    const day = (d: string) => `${d}T12:00:00.000Z`;
    await store.db
      .insertInto("sessions")
      .values([
        { id_hash: "s-old", user_id: 1, csrf_token: "x", created_at: day("2026-11-01"), expires_at: day("2026-11-18") }, // expired 2 days ago
        {
          id_hash: "s-just",
          user_id: 1,
          csrf_token: "x",
          created_at: day("2026-11-19"),
          expires_at: "2026-11-20T06:00:00.000Z",
        }, // expired 6 hours ago
        {
          id_hash: "s-live",
          user_id: 1,
          csrf_token: "x",
          created_at: day("2026-11-20"),
          expires_at: day("2026-11-21"),
        },
      ])
      .execute();
    await store.db
      .insertInto("verifications")
      .values([
        {
          request_id: "req_oldcode",
          code_hash: "h",
          expires_at: day("2026-11-10"),
          attempts: 0,
          sent_at: day("2026-11-10"),
        },
        {
          request_id: "req_newcode",
          code_hash: "h",
          expires_at: day("2026-11-21"),
          attempts: 0,
          sent_at: day("2026-11-20"),
        },
      ])
      .execute();
    const consent = (record_id: string, at: string, valid_until: string) => ({
      record_id,
      device_id: "d",
      subject_id: null,
      categories: "{}",
      purposes: "{}",
      services: "{}",
      declaration_version: "1",
      material_key: "k",
      text_hash: "t",
      language: "en",
      jurisdiction: "EU",
      method: "banner",
      at,
      valid_until,
    });
    await store.db
      .insertInto("consent_events")
      .values([
        consent("c-2021", day("2021-06-01"), day("2022-06-01")),
        consent("c-2023", day("2023-06-01"), day("2024-06-01")),
      ])
      .execute();

    const ownCtx: RetentionContext = { ...ctx, outboxDir: outbox };
    const plan = Object.fromEntries(
      (await planRetention(ownCtx)).filter((e) => e.system === "pledge").map((e) => [e.binding, e]),
    );
    assert.equal(plan["pledge.sessions/sessions"].due, 1);
    assert.equal(plan["pledge.verifications/verificationCodes"].due, 1);
    assert.equal(
      plan["pledge.consent_events/consentProof"].due,
      1,
      "valid until 2022-06, kept as proof 3 years: due since 2025-06",
    );
    assert.equal(plan["pledge.outbox/outbox"].due, 1);
    const v = await verifyRetention(ownCtx);
    assert.ok(
      v.failures.some((f) => f.startsWith("pledge.sessions/sessions (ownData.sessions): 1 row older than 1 day")),
      v.failures.join("\n"),
    );

    const r = await sweepRetention(ownCtx);
    const deleted = Object.fromEntries(r.ownData.map((o) => [o.binding, o.deleted]));
    assert.equal(deleted["pledge.sessions/sessions"], 1);
    assert.equal(deleted["pledge.verifications/verificationCodes"], 1);
    assert.equal(deleted["pledge.consent_events/consentProof"], 1);
    assert.equal(deleted["pledge.outbox/outbox"], 1);
    assert.deepEqual(
      (await store.db.selectFrom("sessions").select("id_hash").orderBy("id_hash").execute()).map((x) => x.id_hash),
      ["s-just", "s-live"],
    );
    assert.deepEqual(
      (await store.db.selectFrom("verifications").select("request_id").execute()).map((x) => x.request_id),
      ["req_newcode"],
    );
    assert.deepEqual(
      (await store.db.selectFrom("consent_events").select("record_id").execute()).map((x) => x.record_id),
      ["c-2023"],
    );
    assert.deepEqual(readdirSync(outbox), ["new.eml"]);
    assert.ok(!(await verifyRetention(ownCtx)).failures.some((f) => f.startsWith("pledge.")));
    const audit = [
      ...(await store.db.selectFrom("audit_pending").select("action").execute()),
      ...(await store.db.selectFrom("audit_log").select("action").execute()),
    ];
    assert.ok(audit.some((a) => a.action === "retention.own_swept"));

    // the declaration sets each period: a week for sessions keeps the one that expired 2 days ago
    await store.db
      .insertInto("sessions")
      .values({
        id_hash: "s-old",
        user_id: 1,
        csrf_token: "x",
        created_at: day("2026-11-01"),
        expires_at: day("2026-11-18"),
      })
      .execute();
    const week = parseDeclaration(YAML.replace("rights:\n", "ownData: { sessions: 7 days }\nrights:\n")).declaration;
    await sweepRetention({ ...ownCtx, declaration: () => week });
    assert.equal(
      (await store.db.selectFrom("sessions").select("id_hash").where("id_hash", "=", "s-old").execute()).length,
      1,
    );
    await store.db.deleteFrom("sessions").execute();
    await store.db.deleteFrom("verifications").execute();
    await store.db.deleteFrom("consent_events").execute();
  });

  async function buildFreshEvents() {
    await q("DELETE FROM events");
    const { eventRows } = await import("../helpers/retention-shop.js");
    for (const e of eventRows("sqlite"))
      await q("INSERT INTO events (id, email, ip, created_at) VALUES (?, ?, ?, ?)", [
        e.id,
        e.email,
        e.ip,
        e.created_at,
      ]);
  }
});
