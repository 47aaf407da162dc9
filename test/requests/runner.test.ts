import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseDeclaration } from "../../src/declaration/index.js";
import {
  mergeReports,
  RequestInputSchema,
  requestTasks,
  requestTimeline,
  runDueTasks,
  submitRequest,
  verifyRequest,
  type TaskFailure,
} from "../../src/requests/index.js";
import type { Store } from "../../src/store/index.js";
import { minimalYaml } from "../helpers/declarations.js";
import { testContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

describe("a step that runs again", () => {
  it("adds what it did to what it did before", () => {
    const first = [
      {
        dataset: "orders",
        found: 3,
        deleted: 2,
        masked: 1,
        unchanged: 0,
        kept: [{ kind: "retention" as const, why: "tax", rows: 1 }],
        keptFields: ["placed_at"],
      },
    ];
    const second = [
      { dataset: "orders", found: 1, deleted: 1, masked: 0, unchanged: 0, kept: [], keptFields: [] },
      { dataset: "tickets", found: 2, deleted: 2, masked: 0, unchanged: 0, kept: [], keptFields: [] },
    ];
    assert.deepEqual(mergeReports(first, second), [
      {
        dataset: "orders",
        found: 4,
        deleted: 3,
        masked: 1,
        unchanged: 0,
        kept: [{ kind: "retention", why: "tax", rows: 1 }],
        keptFields: ["placed_at"],
      },
      { dataset: "tickets", found: 2, deleted: 2, masked: 0, unchanged: 0, kept: [], keptFields: [] },
    ]);
    assert.deepEqual(mergeReports(undefined, second), second);
  });
});

forEachStore("a failing system's error", (target) => {
  let store: Store;
  before(async () => {
    store = await target.open();
  });
  after(async () => {
    await store.close();
  });

  it("never carries the person's identity into the task, the timeline or the log, even when the database quotes it", async () => {
    const decl = parseDeclaration(
      minimalYaml(`systems:
  shop:
    name: Shop
    connector: { engine: sqlite, path: shop.db }
    datasets:
      customers: { fields: { id: { primaryKey: true }, email: { category: user.contact.email, identity: email } } }
`),
    ).declaration;
    const failures: TaskFailure[] = [];
    const ctx = testContext(store, decl, { settings: { maxAttempts: 1 } });
    ctx.onTaskError = (f) => failures.push(f);
    // A database that echoes the value it was given, as PostgreSQL does for a bad cast.
    ctx.connectors = {
      async use() {
        throw new Error(`invalid input syntax for type integer: "Leaky.Person@Example.org"`);
      },
      async sweep() {},
      async close() {},
    };
    const who = "leaky.person@example.org";
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "access", identity: who }), {});
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(who))).ok);
    await runDueTasks(ctx);
    const tasks = await requestTasks(ctx, requestId);
    const failed = tasks.find((t) => t.status === "failed");
    assert.ok(failed?.error, "the task failed and says why");
    assert.match(failed.error, /invalid input syntax for type integer: "l\*+@example\.org"/i);
    const said = [
      failed.error,
      ...(await requestTimeline(ctx, requestId)).map((e) => e.message),
      ...failures.map((f) => f.error),
    ].join("\n");
    assert.ok(!said.toLowerCase().includes(who), said);
    assert.equal(failures.length, 1);
    assert.equal(failures[0].exhausted, true);
  });
});
