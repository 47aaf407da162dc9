import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mergeReports } from "../../src/requests/index.js";

describe("a step that runs again", () => {
  it("adds what it did to what it did before", () => {
    const first = [{ dataset: "orders", found: 3, deleted: 2, masked: 1, unchanged: 0, kept: [{ kind: "retention" as const, why: "tax", rows: 1 }], keptFields: ["placed_at"] }];
    const second = [
      { dataset: "orders", found: 1, deleted: 1, masked: 0, unchanged: 0, kept: [], keptFields: [] },
      { dataset: "tickets", found: 2, deleted: 2, masked: 0, unchanged: 0, kept: [], keptFields: [] },
    ];
    assert.deepEqual(mergeReports(first, second), [
      { dataset: "orders", found: 4, deleted: 3, masked: 1, unchanged: 0, kept: [{ kind: "retention", why: "tax", rows: 1 }], keptFields: ["placed_at"] },
      { dataset: "tickets", found: 2, deleted: 2, masked: 0, unchanged: 0, kept: [], keptFields: [] },
    ]);
    assert.deepEqual(mergeReports(undefined, second), second);
  });
});

