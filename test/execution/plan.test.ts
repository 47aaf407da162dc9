import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createConnector } from "../../src/connectors/index.js";
import { parseDeclaration } from "../../src/declaration/index.js";
import type { ColumnInfo } from "../../src/connectors/index.js";
import {
  collectSystem,
  deidentify,
  deletionOrder,
  ErasurePlanError,
  maskFits,
  maskValue,
  planErasure,
  planRectification,
  type SystemCollection,
} from "../../src/execution/index.js";

const decl = parseDeclaration(`version: "1"
effectiveDate: 2026-01-01
organization: { name: X, roles: [controller], country: DE, contact: { email: a@x.example }, jurisdictions: [EU] }
purposes:
  p: { name: P, legalBasis: contract, dataCategories: [user.contact.email, user.name, user.financial.billing_history, user.financial.billing_address], dataSubjects: [customer], retention: r }
retention:
  r: { period: 1 year, from: collection, action: delete }
  tax: { period: 7 years, from: collection, action: delete, exceptions: [{ reason: Tax law, basis: legal_obligation }] }
rights: { offered: [access, erasure, rectification, restriction, portability, objection, complaint], channels: [{ type: email, address: a@x.example }] }
systems:
  shop:
    name: Shop
    connector: { engine: sqlite, path: none.db }
    datasets:
      items:
        fields: { id: { primaryKey: true }, order_id: { references: orders.id } }
      invoices:
        retention: tax
        fields:
          id: { primaryKey: true }
          order_id: { references: orders.id }
          billing_name: { category: user.name, masking: fixed, maskValue: "[erased]" }
          billing_address: { category: user.financial.billing_address }
          amount: { category: user.financial.billing_history, masking: keep }
      orders:
        fields: { id: { primaryKey: true }, customer_id: { references: customers.id }, note: { category: user.name } }
      customers:
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email, masking: hmac }
          name: { category: user.name }
`).declaration;

/** A row of the person's: matched by `matchedBy` (an identity field), or reached through a reference. */
const empty: SystemCollection = {
  system: "shop",
  datasets: {},
  discovered: {},
  storedForms: {},
  matched: {},
  searched: {},
  actors: [],
  ambiguous: [],
  excluded: [],
  lookups: {},
};
const found = (row: Record<string, unknown>, matchedBy?: string) => ({
  row,
  matchedBy: matchedBy ? [matchedBy] : [],
  own: true,
});

describe("planning an erasure", () => {
  it("deletes children before parents", () => {
    const order = deletionOrder(decl, "shop");
    assert.ok(order.indexOf("items") < order.indexOf("orders"));
    assert.ok(order.indexOf("invoices") < order.indexOf("orders"));
    assert.ok(order.indexOf("orders") < order.indexOf("customers"));
  });

  it("keeps invoices under a legal obligation, masks their contact fields and keeps the amounts; what they reference stays, masked", () => {
    const col: SystemCollection = {
      ...empty,
      datasets: {
        customers: [found({ id: 1, email: "ann@x.example", name: "Ann" }, "email")],
        orders: [
          found({ id: 10, customer_id: 1, note: "Ann's gift" }, "customer_id"),
          found({ id: 11, customer_id: 1, note: "x" }, "customer_id"),
        ],
        invoices: [
          found({ id: 100, order_id: 10, billing_name: "Ann", billing_address: "Main St", amount: 42 }, "order_id"),
        ],
        items: [found({ id: 1000, order_id: 10 }, "order_id"), found({ id: 1001, order_id: 11 }, "order_id")],
      },
    };
    const plan = planErasure(decl, col, { key: "k" });
    const byDataset = Object.fromEntries(plan.report.map((r) => [r.dataset, r]));
    assert.deepEqual([byDataset.invoices.deleted, byDataset.invoices.masked], [0, 1]);
    assert.match(byDataset.invoices.kept[0].why, /^kept intact and blocked until \d{4}-\d{2}-\d{2}, because Tax law/);
    assert.deepEqual(
      [byDataset.orders.deleted, byDataset.orders.masked],
      [1, 1],
      "order 10 stays (an invoice references it), order 11 goes",
    );
    assert.deepEqual([byDataset.customers.deleted, byDataset.customers.masked], [0, 1]);
    assert.deepEqual([byDataset.items.deleted, byDataset.items.masked], [2, 0]);
    const invoiceMask = plan.mutations.find((m) => m.kind === "update" && m.dataset.name === "invoices");
    assert.deepEqual(invoiceMask && invoiceMask.kind === "update" && invoiceMask.set, {
      billing_name: "[erased]",
      billing_address: null,
    });
    const customerMask = plan.mutations.find((m) => m.kind === "update" && m.dataset.name === "customers");
    assert.match(
      String(customerMask && customerMask.kind === "update" && customerMask.set.email),
      /^hmac:[0-9a-f]{40}$/,
    );
    // masks come first, then deletions children-first
    const kinds = plan.mutations.map((m) => `${m.kind}:${m.dataset.name}`);
    assert.ok(kinds.lastIndexOf("update:customers") < kinds.indexOf("delete:items"));
    assert.ok(kinds.indexOf("delete:items") < kinds.indexOf("delete:orders"));
  });

  it("rectification updates only fields of the corrected categories", () => {
    const col: SystemCollection = {
      ...empty,
      datasets: { customers: [found({ id: 1, email: "ann@x.example", name: "Ann" }, "email")] },
    };
    const plan = planRectification(decl, col, { "user.name": "Anna" });
    assert.deepEqual(plan.mutations, [
      {
        kind: "update",
        dataset: { name: "customers", fields: ["id", "email", "name"], primaryKey: ["id"] },
        where: { fields: ["id"], keys: [[1]] },
        set: { name: "Anna" },
      },
    ]);
  });
});

describe("masking", () => {
  it("applies each strategy", () => {
    assert.equal(maskValue("null", "x", { key: "k" }), null);
    assert.equal(maskValue("fixed", "x", { key: "k", fixed: "[gone]" }), "[gone]");
    assert.notEqual(maskValue("random", "x", { key: "k" }), maskValue("random", "x", { key: "k" }));
    assert.equal(maskValue("hmac", "x", { key: "k" }), maskValue("hmac", "x", { key: "k" }));
    assert.notEqual(maskValue("hmac", "x", { key: "k" }), maskValue("hmac", "x", { key: "other" }));
    assert.equal(maskValue("keep", 42, { key: "k" }), 42);
    assert.equal(deidentify("ann@example.org"), "***@example.org");
    assert.equal(deidentify("192.168.10.77"), "192.168.10.0");
    assert.equal(deidentify("2001:db8:85a3:8d3:1319:8a2e:370:7348"), "2001:db8:85a3::");
    assert.equal(deidentify("1990-05-17"), "1990-05-01");
  });
});

describe("masks that fit their column", () => {
  const col = (type: ColumnInfo["type"], extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
    name: "c",
    type,
    dbType: type,
    nullable: true,
    ...extra,
  });

  it("write a uuid into a uuid column, numbers into integers, booleans into booleans, and text cut to the column's length", () => {
    const uuid = maskValue("hmac", "ada@example.com", { key: "k", column: col("uuid") });
    assert.match(String(uuid), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(
      uuid,
      maskValue("hmac", "ada@example.com", { key: "k", column: col("uuid") }),
      "HMAC masks are stable",
    );
    assert.match(String(maskValue("random", "x", { key: "k", column: col("uuid") })), /^[0-9a-f-]{36}$/);
    assert.equal(typeof maskValue("hmac", 42, { key: "k", column: col("integer") }), "number");
    assert.equal(maskValue("fixed", "x", { key: "k", fixed: "0", column: col("integer") }), 0);
    assert.equal(maskValue("fixed", "x", { key: "k", fixed: "false", column: col("boolean") }), false);
    assert.equal(String(maskValue("hmac", "x", { key: "k", column: col("text", { maxLength: 16 }) })).length, 16);
    assert.equal(String(maskValue("random", "x", { key: "k", column: col("text", { maxLength: 8 }) })).length, 8);
    assert.equal(maskValue("deidentify", "1986-02-14", { key: "k", column: col("date") }), "1986-02-01");
  });

  it("say beforehand when a strategy cannot fit, and planning refuses such a mask before anything is written", () => {
    assert.match(maskFits("null", col("text", { nullable: false }))!, /NOT NULL/);
    assert.match(maskFits("fixed", col("integer"), "abc")!, /not a number/);
    assert.match(maskFits("fixed", col("text", { maxLength: 4 }), "[erased]")!, /longer than c's 4/);
    assert.match(maskFits("random", col("date"))!, /cannot write/);
    assert.equal(maskFits("hmac", col("uuid")), undefined);
    assert.equal(maskFits("fixed", col("boolean"), "true"), undefined);
    // The customer stays (an invoice kept for tax law points at its order): its name cannot be nulled in a NOT NULL
    // column.
    const col2 = {
      customers: new Map([
        ["email", col("text", { name: "email", nullable: false })],
        ["name", col("text", { name: "name", nullable: false })],
      ]),
    };
    const c: SystemCollection = {
      ...empty,
      datasets: {
        customers: [found({ id: 1, email: "ann@x.example", name: "Ann" }, "email")],
        invoices: [found({ id: 100, order_id: 10, billing_name: "Ann", billing_address: "x", amount: 1 })],
        orders: [found({ id: 10, customer_id: 1, note: "n" })],
      },
    };
    assert.throws(
      () => planErasure(decl, c, { key: "k", columns: col2 }),
      (e: Error) =>
        e instanceof ErasurePlanError &&
        /^shop\.customers\.name: null masking writes null into NOT NULL column name; nothing was changed/.test(
          e.message,
        ),
    );
  });
});

describe("the files connector", () => {
  it("finds and erases CSV lines with quoted commas, rewriting the file atomically and leaving other lines byte for byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-csv-"));
    try {
      const original = 'email,note\nann@x.example,"hello, world"\nbob@x.example,"said ""hi"""\nann@x.example,plain\n';
      writeFileSync(join(dir, "log.csv"), original);
      const d = parseDeclaration(`version: "1"
effectiveDate: 2026-01-01
organization: { name: X, roles: [controller], country: DE, contact: { email: a@x.example }, jurisdictions: [EU] }
purposes: { p: { name: P, legalBasis: contract, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r } }
retention: { r: { period: 1 year, from: collection, action: delete } }
rights: { offered: [access], channels: [{ type: email, address: a@x.example }] }
systems:
  logs:
    name: Logs
    connector: { engine: files, directory: ${dir} }
    datasets:
      log: { path: log.csv, format: csv, fields: { email: { category: user.contact.email, identity: email }, note: {} } }
`).declaration;
      const c = createConnector("logs", d.systems.logs.connector)!;
      const col = await collectSystem(d, "logs", c, { email: ["ann@x.example"] });
      assert.deepEqual(
        col.datasets.log.map((r) => r.row.note),
        ["hello, world", "plain"],
      );
      await c.apply(planErasure(d, col, { key: "k" }).mutations);
      assert.equal(readFileSync(join(dir, "log.csv"), "utf8"), 'email,note\nbob@x.example,"said ""hi"""\n');
      await assert.rejects(
        () =>
          c.find(
            { name: "x", fields: [], primaryKey: [], path: "../../etc/passwd", format: "csv" },
            { field: "a", values: ["b"] },
          ),
        /leaves the connector's directory/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
