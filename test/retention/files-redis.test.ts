/**
 * Retention on log files and Redis: expired lines go by an atomic rewrite,
 * rotated files whose every line expired are deleted, kept payment lines hold
 * what the law requires and lose the rest, inactivity is the latest of two
 * clocks, Redis keys past their time go and the others carry TTLs at their
 * limit, and holds keep what they cover.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import {
  HoldIncompleteError,
  liftHold,
  listHolds,
  placeHold,
  planRetention,
  sweepRetention,
  verifyRetention,
  type RetentionContext,
} from "../../src/retention/index.js";
import { REDIS_URL, servicesOrSkip } from "../helpers/services.js";
import { NOW } from "../helpers/retention-shop.js";

const day = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * day).toISOString();

describe("retention on files and Redis", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-retfiles-"));
  const prefix = `t${randomBytes(4).toString("hex")}`;
  let skip: string | undefined;
  let store: Store;
  let ctx: RetentionContext;
  let redis: Redis;
  let decl: Declaration;
  const access = Array.from({ length: 20 }, (_, i) => ({
    ip: `10.0.0.${i}`,
    email: `u${i}@example.com`,
    path: `/p/${i}`,
    time: ago(i * 30),
  }));

  before(async () => {
    skip = await servicesOrSkip();
    if (skip) return;
    mkdirSync(join(dir, "logs"));
    writeFileSync(join(dir, "logs/access.jsonl"), `${access.map((a) => JSON.stringify(a)).join("\n")}\n`);
    writeFileSync(
      join(dir, "logs/access.jsonl.1"),
      `${[ago(700), ago(800)].map((t, i) => JSON.stringify({ ip: `10.9.0.${i}`, email: "old@example.com", path: "/old", time: t })).join("\n")}\n`,
    );
    writeFileSync(
      join(dir, "logs/access.jsonl.2"),
      `${[ago(300), ago(600)].map((t, i) => JSON.stringify({ ip: `10.8.0.${i}`, email: "mid@example.com", path: "/mid", time: t })).join("\n")}\n`,
    );
    writeFileSync(
      join(dir, "logs/payments.csv"),
      `${["name,ip,amount,paid_at", `Ann,10.1.0.1,100,${ago(10)}`, `Ben,10.1.0.2,200,${ago(200)}`, `Cid,10.1.0.3,300,${ago(3000)}`].join("\n")}\n`,
    );
    writeFileSync(
      join(dir, "logs/members.jsonl"),
      `${[
        { email: "a@m.example", name: "A", seen: ago(500), posted: ago(400) },
        { email: "b@m.example", name: "B", seen: ago(500), posted: ago(20) },
        { email: "c@m.example", name: "C", seen: null, posted: ago(900) },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n")}\n`,
    );
    redis = new Redis(REDIS_URL);
    await redis.hset(`${prefix}:session:s1`, { email: "a@example.com", seen_at: ago(40), last_order_at: ago(35) });
    await redis.hset(`${prefix}:session:s2`, { email: "b@example.com", seen_at: ago(40), last_order_at: ago(5) });
    await redis.hset(`${prefix}:session:s3`, { email: "c@example.com", seen_at: ago(2) });
    await redis.hset(`${prefix}:profile:p1`, { email: "p1@example.com", name: "Pia", updated_at: ago(400) });
    await redis.hset(`${prefix}:profile:p2`, { email: "p2@example.com", name: "Per", updated_at: ago(10) });
    await redis.set(`${prefix}:cart:c1`, "[1,2]");
    decl = parseDeclaration(`version: "1"
effectiveDate: 2026-01-01
organization: { name: Logs AB, roles: [controller], country: SE, contact: { email: p@logs.example }, jurisdictions: [EU] }
purposes:
  ops: { name: Operations, legalBasis: legitimate_interests, legitimateInterest: Security, dataCategories: [user.device.ip_address, user.contact.email, user.name, user.financial.billing_history], dataSubjects: [customer], systems: [logs, cache], retention: web_logs }
systems:
  logs:
    name: Logs
    connector: { engine: files, directory: ${dir} }
    datasets:
      access_log:
        path: logs/access.jsonl
        format: jsonl
        retention: { rule: web_logs, clock: time }
        fields: { ip: { category: user.device.ip_address, identity: ip_address }, email: { category: user.contact.email, identity: email }, path: {}, time: {} }
      payments:
        path: logs/payments.csv
        format: csv
        retention: { rule: payment_log, clock: paid_at }
        fields: { name: { category: user.name }, ip: { category: user.device.ip_address }, amount: { category: user.financial.billing_history }, paid_at: {} }
      members:
        path: logs/members.jsonl
        format: jsonl
        retention: { rule: member_inactivity, clock: [seen, posted] }
        fields: { email: { category: user.contact.email, identity: email, masking: hmac }, name: { category: user.name, masking: fixed, maskValue: "-" }, seen: {}, posted: {} }
  cache:
    name: Cache
    connector: { engine: redis, url: { env: CACHE_URL } }
    datasets:
      sessions:
        keyPattern: "${prefix}:session:{sid}"
        type: hash
        retention: { rule: cache_inactivity, clock: [seen_at, last_order_at] }
        fields: { sid: { primaryKey: true }, email: { category: user.contact.email, identity: email }, seen_at: {}, last_order_at: {} }
      profiles:
        keyPattern: "${prefix}:profile:{pid}"
        type: hash
        retention: { rule: profile_inactivity, clock: updated_at }
        fields: { pid: { primaryKey: true }, email: { category: user.contact.email, identity: email, masking: hmac }, name: { category: user.name, masking: fixed, maskValue: "-" }, updated_at: {} }
      carts:
        keyPattern: "${prefix}:cart:{cid}"
        type: string
        retention: cache_inactivity
        fields: { cid: { primaryKey: true }, value: { category: user.behavior.purchase_history } }
retention:
  web_logs: { period: 14 months, from: collection, action: delete }
  payment_log:
    period: 90 days
    from: collection
    action: delete
    exceptions: [{ reason: tax law keeps payment records for 7 years, basis: legal_obligation, period: 7 years, dataCategories: [user.name, user.financial.billing_history] }]
  member_inactivity: { period: 1 year, from: last_activity, action: deidentify }
  cache_inactivity: { period: 30 days, from: last_activity, action: delete }
  profile_inactivity: { period: 1 year, from: last_activity, action: deidentify }
rights: { offered: [access, erasure], channels: [{ type: email, address: p@logs.example }] }
`).declaration;
    store = await openStore({ sqlitePath: join(dir, "pledge.db") });
    ctx = {
      store,
      declaration: () => decl,
      env: { CACHE_URL: REDIS_URL, PLEDGE_SECRET: "s" },
      cwd: dir,
      clock: () => NOW,
    };
  });
  after(async () => {
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lines = (f: string) => readFileSync(join(dir, f), "utf8").trim().split("\n").filter(Boolean);

  it("verify fails before the sweep; a dataset hold keeps its lines and is reported", async (t) => {
    if (skip) return t.skip(skip);
    const v = await verifyRetention(ctx);
    assert.equal(v.ok, false);
    assert.ok(
      v.failures.includes(
        "cache.carts/cache_inactivity (cache_inactivity): 1 key without an expiry within 30 days that no hold explains",
      ),
      v.failures.join("\n"),
    );
    const plan = Object.fromEntries((await planRetention(ctx)).map((e) => [e.binding, e]));
    assert.equal(plan["cache.carts/cache_inactivity"].rows, 1);
    assert.equal(
      plan["logs.access_log/web_logs"].due,
      5 + 2 + 1,
      "lines older than 14 months, in the file and its rotated copies",
    );
    assert.match(plan["cache.carts/cache_inactivity"].note ?? "", /TTL/);
    const id = await placeHold(
      ctx,
      { scope: "dataset", system: "logs", dataset: "access_log", reason: "incident 42 forensics" },
      "officer@logs.example",
    );
    const { reports } = await sweepRetention(ctx, { rule: "web_logs" });
    assert.deepEqual(reports[0].held, [{ reason: "legal hold: incident 42 forensics", rows: 8 }]);
    assert.equal(lines("logs/access.jsonl").length, 20);
    await liftHold(ctx, id, "officer@logs.example");
  });

  it("Redis: a hold removes the expiries the sweep set at once, keeps a due key from the sweep, and reports it; lifted, the next sweep expires and deletes again", async (t) => {
    if (skip) return t.skip(skip);
    const s = (k: string) => `${prefix}:session:${k}`;
    let { reports } = await sweepRetention(ctx, { rule: "cache_inactivity" });
    const sessions = () => reports.find((r) => r.binding === "cache.sessions/cache_inactivity")!;
    assert.equal(await redis.exists(s("s1")), 0, "past its time: deleted");
    assert.equal(await redis.pexpiretime(s("s2")), Date.parse(ago(5)) + 30 * day);
    await redis.hset(s("s4"), { email: "d@example.com", seen_at: ago(50) });

    const id = await placeHold(
      ctx,
      { scope: "dataset", system: "cache", dataset: "sessions", reason: "subpoena 7 preserves sessions" },
      "officer@logs.example",
    );
    for (const k of ["s2", "s3", "s4"]) assert.equal(await redis.pttl(s(k)), -1, `${k}: no expiry while held`);
    ({ reports } = await sweepRetention(ctx, { rule: "cache_inactivity" }));
    assert.deepEqual(sessions().held, [{ reason: "legal hold: subpoena 7 preserves sessions", rows: 1 }]);
    assert.equal(sessions().expiriesHeld, 3);
    assert.equal(sessions().expiriesSet, 0);
    assert.equal(await redis.exists(s("s4")), 1, "a due key under the hold stays");
    for (const k of ["s2", "s3", "s4"])
      assert.equal(await redis.pttl(s(k)), -1, `${k}: the sweep gives a held key no expiry`);
    assert.ok((await redis.pttl(`${prefix}:cart:c1`)) > 0, "the hold is on sessions only");

    await liftHold(ctx, id, "officer@logs.example");
    ({ reports } = await sweepRetention(ctx, { rule: "cache_inactivity" }));
    assert.equal(sessions().deleted, 1);
    assert.equal(await redis.exists(s("s4")), 0);
    assert.equal(await redis.pexpiretime(s("s2")), Date.parse(ago(5)) + 30 * day, "its expiry back at its limit");
  });

  it("a hold on a Redis system that cannot be reached is placed all the same, and the error names the system", async (t) => {
    if (skip) return t.skip(skip);
    const down: RetentionContext = { ...ctx, env: { ...ctx.env, CACHE_URL: "redis://127.0.0.1:1" } };
    await assert.rejects(
      placeHold(down, { scope: "system", system: "cache", reason: "regulator inquiry 9" }, "officer@logs.example"),
      (err: Error) => {
        assert.ok(err instanceof HoldIncompleteError);
        assert.match(
          err.message,
          /^hold \d+ is placed, but its system could not be reached .*cache\.sessions: .*127\.0\.0\.1:1/,
        );
        return true;
      },
    );
    const held = (await listHolds(ctx)).find((h) => h.reason === "regulator inquiry 9");
    assert.ok(held, "the hold stands");
    await liftHold(ctx, held.id, "officer@logs.example");
  });

  it("expired log lines go by an atomic rewrite; a rotated file with nothing left is deleted", async (t) => {
    if (skip) return t.skip(skip);
    const { reports, failures } = await sweepRetention(ctx);
    assert.deepEqual(failures, []);
    const by = Object.fromEntries(reports.map((r) => [r.binding, r]));
    // by hand: lines whose time is within 14 months stay, byte for byte
    const cutoff = new Date(NOW);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - 14);
    assert.deepEqual(
      lines("logs/access.jsonl"),
      access.filter((a) => new Date(a.time) >= cutoff).map((a) => JSON.stringify(a)),
    );
    assert.equal(existsSync(join(dir, "logs/access.jsonl.1")), false, "every line expired: the rotated file is gone");
    assert.deepEqual(
      lines("logs/access.jsonl.2").map((l) => JSON.parse(l).ip),
      ["10.8.0.0"],
    );
    assert.equal(by["logs.access_log/web_logs"].deleted, 8);
  });

  it("a payment kept for the tax law keeps name and amount, loses the address, and goes after 7 years", async (t) => {
    if (skip) return t.skip(skip);
    const rows = lines("logs/payments.csv");
    assert.equal(rows[0], "name,ip,amount,paid_at");
    assert.equal(rows.length, 3, "the 3000-day-old payment is past the legal period");
    assert.equal(rows[1], `Ann,10.1.0.1,100,${ago(10)}`, "a recent payment is untouched");
    assert.equal(rows[2], `Ben,,200,${ago(200)}`);
    const blocks = await store.db
      .selectFrom("retention_blocks")
      .selectAll()
      .where("dataset", "=", "payments")
      .execute();
    assert.equal(blocks.length, 1);
    assert.match(blocks[0].reason, /tax law/);
  });

  it("inactivity by two clocks, de-identified by field (files and Redis)", async (t) => {
    if (skip) return t.skip(skip);
    const m = lines("logs/members.jsonl").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(m[0].name, "-");
    assert.match(String(m[0].email), /^hmac:/);
    assert.deepEqual(m[1], { email: "b@m.example", name: "B", seen: ago(500), posted: ago(20) });
    assert.equal(m[2].name, "-", "a null clock does not hide the other");
    assert.deepEqual(await redis.hgetall(`${prefix}:profile:p1`).then((h) => h.name), "-");
    assert.equal((await redis.hgetall(`${prefix}:profile:p2`)).name, "Per");
  });

  it("Redis: keys past their time go, the others expire at their limit, keys without a clock get the period as TTL", async (t) => {
    if (skip) return t.skip(skip);
    assert.equal(await redis.exists(`${prefix}:session:s1`), 0);
    const ttl2 = await redis.pexpiretime(`${prefix}:session:s2`);
    assert.equal(ttl2, Date.parse(ago(5)) + 30 * day, "expires 30 days after its latest activity");
    assert.equal(await redis.pexpiretime(`${prefix}:session:s3`), Date.parse(ago(2)) + 30 * day);
    const cart = await redis.pttl(`${prefix}:cart:c1`);
    assert.ok(cart > 29 * day && cart <= 30 * day, `cart TTL ${cart}`);
    const carts = async () =>
      (await verifyRetention(ctx, { rule: "cache_inactivity" })).failures.filter((f) => f.startsWith("cache.carts"));
    assert.deepEqual(await carts(), [], "every cart expires within its period");
    await redis.set(`${prefix}:cart:c2`, "[3]", "PX", 90 * day);
    assert.deepEqual(
      await carts(),
      ["cache.carts/cache_inactivity (cache_inactivity): 1 key without an expiry within 30 days that no hold explains"],
      "a key that outlives the period is not kept by it",
    );
    await sweepRetention(ctx, { rule: "cache_inactivity" });
    const c2 = await redis.pttl(`${prefix}:cart:c2`);
    assert.ok(c2 > 29 * day && c2 <= 30 * day, `the sweep brought its expiry in to the period: ${c2}`);
    assert.deepEqual(await carts(), []);
  });

  it("verify passes after the sweep; a second sweep changes nothing", async (t) => {
    if (skip) return t.skip(skip);
    const before =
      readFileSync(join(dir, "logs/payments.csv"), "utf8") + readFileSync(join(dir, "logs/members.jsonl"), "utf8");
    const { reports } = await sweepRetention(ctx);
    for (const r of reports) assert.equal(r.deleted + r.masked, 0, r.binding);
    assert.equal(
      readFileSync(join(dir, "logs/payments.csv"), "utf8") + readFileSync(join(dir, "logs/members.jsonl"), "utf8"),
      before,
    );
    const v = await verifyRetention(ctx);
    assert.deepEqual(v.failures, []);
  });
});
