/**
 * A detail is the person's, but what hangs off it may be anyone's: rows that
 * belong to a shared address are never collected with one of the people who
 * live there, and the linter says so.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { createConnector } from "../../src/connectors/index.js";
import { lintDeclaration, parseDeclaration } from "../../src/declaration/index.js";
import { accessView, collectSystem, countReferrers, planErasure } from "../../src/execution/index.js";

const yaml = (dir: string) => `version: "1"
effectiveDate: 2026-01-01
organization: { name: X, roles: [controller], country: DE, contact: { email: a@x.example }, jurisdictions: [EU] }
purposes: { p: { name: P, legalBasis: contract, dataCategories: [user.contact.email, user.contact.address], dataSubjects: [customer], retention: r } }
retention: { r: { period: 1 year, from: collection, action: delete } }
rights: { offered: [access, erasure, rectification, restriction, portability, objection, complaint], channels: [{ type: email, address: a@x.example }] }
systems:
  db:
    name: DB
    connector: { engine: sqlite, path: ${join(dir, "db.sqlite")} }
    datasets:
      customer:
        subject: customer
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          address_id: { references: address.id, relation: detail }
      address:
        fields:
          id: { primaryKey: true }
          street: { category: user.contact.address }
      delivery:
        fields:
          id: { primaryKey: true }
          address_id: { references: address.id }
          note: { category: user.contact.address }
`;

describe("details", () => {
  it("rows hanging off a shared address are not collected with one of its people; the address stays, reported shared", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-detail-"));
    try {
      const db = new BetterSqlite3(join(dir, "db.sqlite"));
      db.exec(`CREATE TABLE address (id INTEGER PRIMARY KEY, street TEXT);
        CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT, address_id INTEGER REFERENCES address(id));
        CREATE TABLE delivery (id INTEGER PRIMARY KEY, address_id INTEGER REFERENCES address(id), note TEXT);
        INSERT INTO address VALUES (1, 'Shared Lane 1'), (2, 'Own Road 2');
        INSERT INTO customer VALUES (1, 'ann@x.example', 1), (2, 'bob@x.example', 1), (3, 'cat@x.example', 2);
        INSERT INTO delivery VALUES (10, 1, 'parcel for Bob'), (20, 2, 'parcel for Cat');`);
      db.close();
      const decl = parseDeclaration(yaml(dir)).declaration;
      const c = createConnector("db", decl.systems.db.connector)!;
      const ann = await collectSystem(decl, "db", c, { email: ["ann@x.example"] });
      assert.deepEqual(
        Object.keys(accessView(decl, ann)).sort(),
        ["address", "customer"],
        "Bob's parcel is not Ann's data",
      );
      const plan = planErasure(decl, ann, { key: "k", referrers: await countReferrers(decl, ann, c) });
      const address = plan.report.find((d) => d.dataset === "address")!;
      assert.deepEqual([address.deleted, address.unchanged, address.kept[0].kind], [0, 1, "shared"]);
      assert.ok(!plan.mutations.some((m) => m.dataset.name === "delivery"));
      // Cat's own address has a delivery hanging off it: still not collected through the address, and the address stays
      // for it.
      const cat = await collectSystem(decl, "db", c, { email: ["cat@x.example"] });
      assert.equal(cat.datasets.delivery, undefined);
      const catPlan = planErasure(decl, cat, { key: "k", referrers: await countReferrers(decl, cat, c) });
      assert.equal(catPlan.report.find((d) => d.dataset === "address")!.unchanged, 1);
      await c.close();
      // The linter and collection agree: nothing leads to deliveries.
      assert.ok(
        lintDeclaration(decl).some(
          (f) => f.rule === "dataset-unreachable" && f.path.join(".") === "systems.db.datasets.delivery",
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
