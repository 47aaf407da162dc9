import assert from "node:assert/strict";
import { after, before, beforeEach, it } from "node:test";
import { sql } from "kysely";
import { appendAudit, chainAll, GENESIS_HASH, hashEntry, listAudit, verifyAudit } from "../../src/audit/index.js";
import type { Store } from "../../src/store/index.js";
import { runCli } from "../helpers/cli.js";
import { forEachStore } from "../helpers/stores.js";

forEachStore("audit log", (target) => {
  let store: Store;
  before(async () => {
    store = await target.open();
  });
  after(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await store.db.deleteFrom("audit_log").execute();
    await store.db.deleteFrom("audit_pending").execute();
    await store.db.updateTable("audit_head").set({ seq: 0, hash: GENESIS_HASH }).where("id", "=", 1).execute();
  });

  const fill = async (n: number) => {
    for (let i = 1; i <= n; i++)
      await appendAudit(store, { actor: "test", action: "thing.done", subject: `s${i}`, data: { i } });
    await chainAll(store);
  };

  it("chains entries and verifies an untouched log", async () => {
    await fill(5);
    const entries = await listAudit(store);
    assert.deepEqual(
      entries.map((e) => e.seq),
      [5, 4, 3, 2, 1],
    );
    assert.equal(entries[4].prevHash, GENESIS_HASH);
    assert.equal(entries[0].prevHash, entries[1].hash);
    const v = await verifyAudit(store);
    assert.deepEqual(v.problems, []);
    assert.equal(v.ok, true);
    assert.equal(v.entries, 5);
    const cli = await runCli(["audit", "verify"], target.env);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /^audit log intact: 5 entries, head 5 [0-9a-f]{64}$/m);
  });

  it("keeps the chain whole under concurrent appends", async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => appendAudit(store, { actor: "test", action: "parallel", data: { i } })),
    );
    const v = await verifyAudit(store);
    assert.equal(v.ok, true, JSON.stringify(v.problems));
    assert.equal(v.entries, 25);
  });

  it("`pledge audit verify` fails after a row is edited by hand, naming the entry", async () => {
    await fill(5);
    await sql`update audit_log set data = ${'{"i":999}'} where seq = 3`.execute(store.db);
    const v = await verifyAudit(store);
    assert.equal(v.ok, false);
    assert.equal(v.problems[0].seq, 3);
    assert.equal(v.problems[0].kind, "edited");
    const cli = await runCli(["audit", "verify"], target.env);
    assert.equal(cli.code, 1);
    assert.match(
      cli.stdout,
      /^audit entry 3: edited: entry 3 \(thing\.done\) was edited: its content no longer matches its hash$/m,
    );
    assert.match(cli.stdout, /audit log BROKEN/);
  });

  it("detects an edit whose hash was recomputed, by the broken link to the next entry", async () => {
    await fill(4);
    const row = await store.db.selectFrom("audit_log").selectAll().where("seq", "=", 2).executeTakeFirstOrThrow();
    const { hashEntry } = await import("../../src/audit/index.js");
    const forged = { ...row, actor: "attacker" };
    await store.db
      .updateTable("audit_log")
      .set({ actor: "attacker", hash: hashEntry(row.prev_hash, forged) })
      .where("seq", "=", 2)
      .execute();
    const v = await verifyAudit(store);
    assert.equal(v.ok, false);
    assert.match(v.problems[0].message, /^entry 3 \(thing\.done\) does not follow entry 2: entry 2 was rewritten/);
  });

  it("detects a deleted entry in the middle and at the end", async () => {
    await fill(5);
    await store.db.deleteFrom("audit_log").where("seq", "=", 2).execute();
    let v = await verifyAudit(store);
    assert.equal(v.problems[0].kind, "deleted");
    assert.equal(v.problems[0].message, "entry 2 was deleted");
    await store.db.deleteFrom("audit_log").where("seq", "=", 5).execute();
    v = await verifyAudit(store);
    assert.ok(
      v.problems.some(
        (p) => p.kind === "truncated" && p.message === "entries 5–5 were deleted from the end of the log",
      ),
      JSON.stringify(v.problems),
    );
  });

  it("detects an inserted entry", async () => {
    await fill(3);
    await store.db
      .insertInto("audit_log")
      .values({
        seq: 4,
        at: new Date().toISOString(),
        actor: "x",
        action: "forged",
        subject: null,
        data: "{}",
        prev_hash: "f".repeat(64),
        hash: "e".repeat(64),
      })
      .execute();
    const v = await verifyAudit(store);
    assert.equal(v.ok, false);
    assert.ok(
      v.problems.some((p) => p.seq === 4),
      JSON.stringify(v.problems),
    );
  });

  it("never stores secrets", async () => {
    await appendAudit(store, {
      actor: "test",
      action: "login",
      data: { user: "ann", password: "hunter2", nested: { apiToken: "abc" } },
    });
    const pending = await store.db.selectFrom("audit_pending").select("data").executeTakeFirstOrThrow();
    assert.ok(!pending.data.includes("hunter2"), "not even while pending");
    await chainAll(store);
    const raw = await store.db.selectFrom("audit_log").select("data").executeTakeFirstOrThrow();
    assert.ok(!raw.data.includes("hunter2") && !raw.data.includes("abc"), raw.data);
    assert.match(raw.data, /"password":"\[redacted\]"/);
  });

  it("keeps times in order along the chain, and `audit verify` refuses a log whose times go backwards", async () => {
    // Another server's clock a minute behind: its entry takes the time of the one before, and keeps its own.
    await appendAudit(store, { actor: "a", action: "first" }, new Date("2026-03-01T10:00:00.000Z"));
    await appendAudit(store, { actor: "b", action: "second" }, new Date("2026-03-01T09:59:00.000Z"));
    await appendAudit(store, { actor: "c", action: "third" }, new Date("2026-03-01T10:01:00.000Z"));
    await chainAll(store);
    const [third, second, first] = await listAudit(store);
    assert.deepEqual(
      [first.at, second.at, third.at],
      ["2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.000Z", "2026-03-01T10:01:00.000Z"],
    );
    assert.equal(second.data.writerClock, "2026-03-01T09:59:00.000Z");
    assert.equal((await verifyAudit(store)).ok, true);

    // A forger who re-dates an entry and rehashes the whole chain after it still leaves times that go backwards.
    const rows = await store.db.selectFrom("audit_log").selectAll().orderBy("seq").execute();
    rows[1].at = "2026-03-01T08:00:00.000Z";
    let prev = GENESIS_HASH;
    for (const r of rows) {
      r.prev_hash = prev;
      r.hash = hashEntry(prev, r);
      prev = r.hash;
      await store.db
        .updateTable("audit_log")
        .set({ at: r.at, prev_hash: r.prev_hash, hash: r.hash })
        .where("seq", "=", r.seq)
        .execute();
    }
    await store.db.updateTable("audit_head").set({ hash: prev }).where("id", "=", 1).execute();
    const v = await verifyAudit(store);
    assert.equal(v.ok, false);
    assert.deepEqual(
      v.problems.map((p) => [p.seq, p.kind]),
      [[2, "time"]],
    );
    const cli = await runCli(["audit", "verify"], target.env);
    assert.equal(cli.code, 1);
    assert.match(
      cli.stdout,
      /audit entry 2: time: entry 2 \(second\) is dated 2026-03-01T08:00:00.000Z, before the entry ahead of it/,
    );
  });
});
