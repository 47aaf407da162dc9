/** The last promise check the console's home page counts from: read from the audit log, pending entries included. */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { appendAudit, chainAll } from "../../src/audit/index.js";
import { lastRetentionCheck } from "../../src/retention/index.js";
import type { Store } from "../../src/store/index.js";
import { forEachStore } from "../helpers/stores.js";

forEachStore("the last retention check", (target) => {
  let store: Store;
  before(async () => {
    store = await target.open();
  });
  after(async () => {
    await store.close();
  });

  const check = (at: string, data: Record<string, unknown>) =>
    appendAudit(store, { actor: "schedule", action: "retention.verified", subject: "all", data }, new Date(at));

  it("is none before any check, not a check that found nothing", async () => {
    assert.equal(await lastRetentionCheck(store), undefined);
  });

  it("counts a check still waiting to be chained, then the same once chained; a one-rule check does not count", async () => {
    await check("2026-11-01T05:30:00Z", { ok: true, failures: [], checked: [{ unexplained: 0 }, { unexplained: 0 }] });
    await chainAll(store);
    await check("2026-12-01T05:30:00Z", {
      ok: false,
      failures: ["a (r): 3 rows older than 90 days", "b (r): not verified: connection refused"],
      checked: [{ unexplained: 3 }, { unexplained: 0 }, { unexplained: 0 }],
    });
    await appendAudit(store, {
      actor: "cli",
      action: "retention.verified",
      subject: "one_rule",
      data: { ok: true, failures: [], checked: [{ unexplained: 0 }] },
    });
    const expected = {
      at: "2026-12-01T05:30:00.000Z",
      actor: "schedule",
      ok: false,
      checked: 3,
      failing: 1,
      unreachable: 1,
    };
    assert.deepEqual(await lastRetentionCheck(store), expected, "the pending one, newer than the chained");
    await chainAll(store);
    assert.deepEqual(await lastRetentionCheck(store), expected, "the same once chained");
  });
});
