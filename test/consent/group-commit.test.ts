/**
 * Group commit: concurrent consent records share a transaction, each caller is answered only after the transaction
 * holding its record has committed, one bad record fails alone, and the audit chain stays one chain, on both stores.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { chainAll, verifyAudit } from "../../src/audit/index.js";
import { recordConsent } from "../../src/consent/index.js";
import { BatchLookup, GroupCommit } from "../../src/consent/group-commit.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import type { Store } from "../../src/store/index.js";
import { ANALYTICS_CONSENT_YAML } from "../helpers/declarations.js";
import { forEachStore } from "../helpers/stores.js";

describe("GroupCommit", () => {
  it("commits items that arrive together in one batch and answers each only after it committed", async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const gc = new GroupCommit<number>(async (items) => {
      batches.push(items);
      await gate;
    });
    const settled: number[] = [];
    const all = Array.from({ length: 10 }, (_, i) => gc.submit(i).then(() => settled.push(i)));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(settled, [], "nothing is acknowledged before its transaction commits");
    release();
    await Promise.all(all);
    assert.deepEqual(batches, [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  });

  it("queues what arrives during a commit for the next one, up to the batch size", async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number>(async (items) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 5));
    }, 4);
    const first = gc.submit(0);
    await new Promise((r) => setImmediate(r));
    await Promise.all([first, ...Array.from({ length: 9 }, (_, i) => gc.submit(i + 1))]);
    assert.deepEqual(batches, [[0], [1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  });

  it("retries a failed batch item by item, so only the bad item's caller sees the error", async () => {
    const committed: number[] = [];
    const gc = new GroupCommit<number>(async (items) => {
      if (items.includes(3)) throw new Error("item 3 breaks a constraint");
      committed.push(...items);
    });
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => gc.submit(i)));
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"],
    );
    assert.match(String((results[3] as PromiseRejectedResult).reason), /item 3 breaks/);
    assert.deepEqual(committed.sort(), [0, 1, 2, 4, 5]);
  });
});

describe("BatchLookup", () => {
  it("answers keys asked in the same turn with one read, each caller its own value", async () => {
    const reads: string[][] = [];
    const lookup = new BatchLookup<string, number>(async (keys) => {
      reads.push(keys);
      return new Map(keys.filter((k) => k !== "none").map((k) => [k, k.length]));
    });
    const got = await Promise.all(["a", "bb", "a", "none"].map((k) => lookup.get(k)));
    assert.deepEqual(got, [1, 2, 1, undefined]);
    assert.deepEqual(reads, [["a", "bb", "none"]]);
  });
});

const yaml = ANALYTICS_CONSENT_YAML;

forEachStore("consent group commit", (target) => {
  let store: Store;
  let decl: Declaration;
  before(async () => {
    store = await target.open();
    decl = parseDeclaration(yaml).declaration;
  });
  after(() => store.close());

  it("200 concurrent records are each stored once with one audit entry, and the chain verifies", async () => {
    const recs = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        recordConsent(store, decl, {
          deviceId: randomUUID(),
          categories: { analytics: i % 2 ? "given" : "refused" },
          language: "en",
          method: "banner",
        }),
      ),
    );
    // Each acknowledged record is readable at once, by hand-written SQL.
    const ids = recs.map((r) => r.recordId);
    const stored = await store.db.selectFrom("consent_events").select("record_id").execute();
    assert.deepEqual(stored.map((r) => r.record_id).sort(), [...ids].sort());
    await chainAll(store);
    const entries = await store.db
      .selectFrom("audit_log")
      .select("subject")
      .where("action", "=", "consent.recorded")
      .execute();
    assert.deepEqual(entries.map((e) => e.subject).sort(), [...ids].sort());
    const v = await verifyAudit(store);
    assert.equal(v.ok, true, JSON.stringify(v.problems.slice(0, 2)));
  });
});
