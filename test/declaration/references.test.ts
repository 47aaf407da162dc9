/**
 * What a reference means, and what follows: the linter and the executor agree
 * on what is reachable, and the linter names references that would collect
 * another person.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildDatasetGraph,
  lintDeclaration,
  normalizeIdentity,
  parseDeclaration,
  parsePhone,
  phoneReadings,
  phoneRegions,
  identityEquals,
  reachableDatasets,
  resolveBindings,
  type DeclarationError,
} from "../../src/declaration/index.js";
import { storeDeclaration } from "../helpers/music-store.js";
import { minimalYaml } from "../helpers/declarations.js";

const shop = (datasets: string, extra = "") =>
  minimalYaml(`taxonomy:
  dataCategories: {}
systems:
  db:
    name: Shop
    connector: { engine: sqlite, path: shop.db }
    datasets:
${datasets}
${extra}`);

const DVD = `      customer:
        subject: customer
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          address_id: { references: address.id, relation: detail }
          store_id: { references: store.id, relation: lookup }
      address:
        fields:
          id: { primaryKey: true }
          street: { category: user.contact.email }
      staff:
        subject: employee
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
      store:
        fields:
          id: { primaryKey: true }
          manager_id: { references: staff.id, relation: actor }
      rental:
        fields:
          id: { primaryKey: true }
          customer_id: { references: customer.id }
          staff_id: { references: staff.id, relation: actor }
          note: { category: user.contact.email }`;

describe("references", () => {
  it("collection and the linter reach the same datasets: owner references down, detail references up, never actor or lookup", () => {
    const graph = buildDatasetGraph(parseDeclaration(shop(DVD)).declaration);
    assert.deepEqual([...reachableDatasets(graph)].sort(), ["db.address", "db.customer", "db.rental", "db.staff"]);
    const rules = lintDeclaration(parseDeclaration(shop(DVD)).declaration).map((f) => f.rule);
    assert.ok(!rules.includes("dataset-unreachable"));
    assert.ok(!rules.includes("reference-shared-owner") && !rules.includes("reference-reaches-person"));
  });

  it("a detail read as an owner leaves the person's address unreachable, and the linter says so", () => {
    const f = lintDeclaration(
      parseDeclaration(
        shop(
          DVD.replace(
            "address_id: { references: address.id, relation: detail }",
            "address_id: { references: address.id }",
          ),
        ),
      ).declaration,
    );
    assert.ok(f.some((x) => x.rule === "dataset-unreachable" && x.path.join(".") === "systems.db.datasets.address"));
  });

  it("names a row declared to belong to two people, and a reference that would collect other people", () => {
    const f = lintDeclaration(
      parseDeclaration(
        shop(
          DVD.replace("staff_id: { references: staff.id, relation: actor }", "staff_id: { references: staff.id }")
            .replace("store_id: { references: store.id, relation: lookup }", "store_id: { references: store.id }")
            .replace("manager_id: { references: staff.id, relation: actor }", "manager_id: { references: staff.id }"),
        ),
      ).declaration,
    );
    const shared = f.find((x) => x.rule === "reference-shared-owner")!;
    assert.equal(shared.severity, "error");
    assert.deepEqual(shared.path, ["systems", "db", "datasets", "rental"]);
    assert.match(shared.message, /belong to db\.customer and db\.staff/);
    const reach = f.find((x) => x.rule === "reference-reaches-person")!;
    assert.deepEqual(reach.path, ["systems", "db", "datasets", "customer", "fields", "store_id", "references"]);
    assert.match(
      reach.message,
      /would collect rows of db\.customer, which are people \(subject: customer\), through db\.store\.manager_id → db\.customer\.store_id/,
    );
  });

  it("refuses a relation without a reference, show outside a lookup, match without an identity, and a contact without an identity", () => {
    const bad = shop(`      t:
        fields:
          a: { relation: actor }
          b: { references: t.a, show: a }
          c: { match: phone }
          d: { contact: email }
          e: { category: user.contact.email, personal: false }`);
    assert.throws(
      () => parseDeclaration(bad),
      (err: DeclarationError) => {
        const msgs = err.issues.map((i) => i.message).join("\n");
        for (const m of [
          /relation describes a reference/,
          /show applies to a lookup reference/,
          /match applies to an identity field/,
          /contact field is found through an identity/,
          /remove personal: false or the category/,
        ])
          assert.match(msgs, m);
        return true;
      },
    );
  });

  it("warns when an identity a person may give has no contact field, so its requests wait for staff", () => {
    const decl = shop(DVD, "").replace("rights:\n", "rights:\n  identities: [email, phone]\n");
    const f = lintDeclaration(parseDeclaration(decl).declaration).find((x) => x.rule === "contact-channel-missing");
    assert.ok(f);
    assert.deepEqual(f.path, ["rights", "identities", 1]);
  });
});

describe("identities as stored", () => {
  it("match emails in any case and phones in any format, and nothing else", () => {
    for (const stored of ["+1 267-546-5296", "(267) 546 5296", "2675465296", "267.546.5296", "+1 (267) 546-5296"])
      assert.ok(identityEquals("phone", stored, "+12675465296", "US"), stored);
    assert.ok(!identityEquals("phone", "(267) 546 5297", "+12675465296", "US"));
    assert.ok(!identityEquals("phone", "+44 267 546 5296", "+12675465296", "US"));
    assert.ok(identityEquals("case_insensitive", "MARY.SMITH@SAKILA.EXAMPLE", "mary.smith@sakila.example"));
    assert.ok(!identityEquals("exact", "AB-12", "ab-12"));
    assert.equal(normalizeIdentity("email", " Grace.Hopper@Example.NET "), "grace.hopper@example.net");
    assert.equal(normalizeIdentity("phone", "070-100 00 05", "SE"), "+46701000005");
    assert.deepEqual(parsePhone("070-100 00 05", "SE")?.candidates.sort(), [
      "00460701000005",
      "0046701000005",
      "01146701000005",
      "0701000005",
      "460701000005",
      "46701000005",
      "701000005",
    ]);
    assert.equal(parsePhone("12", "SE"), undefined);
  });

  it("match numbers as stores keep them: bare national digits, a trunk zero after the country code, a stray plus", () => {
    const tiers = [["US"], ["DE", "GB"]];
    // Stored forms that once found nobody.
    assert.ok(identityEquals("phone", "+49 0711 2842222", "+497112842222", tiers), "trunk zero kept");
    assert.ok(identityEquals("phone", "+44 020 7707 0707", "+442077070707", tiers), "trunk zero kept");
    assert.ok(identityEquals("phone", "6172235589", "+16172235589", tiers), "bare national digits");
    assert.ok(identityEquals("phone", "+6172235589", "+16172235589", tiers), "a stray plus");
    assert.ok(!identityEquals("phone", "+49 0711 2842223", "+497112842222", tiers));
    assert.ok(parsePhone("+49 0711 2842222", tiers)!.candidates.includes("4907112842222"), "searched by those digits");
    // As a person types it: national in the organization's country, or in a place it serves.
    assert.deepEqual(
      phoneReadings("617-223-5589", tiers).map((r) => r.e164),
      ["+16172235589"],
    );
    assert.deepEqual(
      phoneReadings("+6172235589", tiers).map((r) => r.e164),
      ["+16172235589"],
      "a plus before national digits",
    );
    assert.deepEqual(
      phoneReadings("0711 2842222", tiers)
        .map((r) => r.e164)
        .sort(),
      ["+447112842222", "+497112842222"],
      "valid in two places served by name: both are searched",
    );
    const decl = parseDeclaration(
      minimalYaml()
        .replace("jurisdictions: [EU]", "jurisdictions: [US-CA, DE, UK, EU]")
        .replace("country: DE", "country: US"),
    ).declaration;
    assert.deepEqual(phoneRegions(decl).slice(0, 2), [["US"], ["DE", "GB"]]);
    assert.ok(phoneRegions(decl)[2].includes("FR") && !phoneRegions(decl)[2].includes("DE"));
  });
});

describe("what a real schema needed to declare", () => {
  const store = storeDeclaration(["sqlite"]);
  it("PascalCase datasets referenced by their keys, a clock from the latest invoice, a show path two references long", () => {
    const { declaration } = parseDeclaration(store);
    const b = resolveBindings(declaration).bindings.find((x) => x.id === "sqlite.Customer/customers")!;
    assert.deepEqual(
      b.clock.map((c) => [c.dataset, c.field, c.latest?.map((e) => `${e.from}.${e.fromField}`)]),
      [["Invoice", "InvoiceDate", ["sqlite.Invoice.CustomerId"]]],
    );
    assert.ok(
      buildDatasetGraph(declaration).edges.some((e) => e.from === "sqlite.InvoiceLine" && e.to === "sqlite.Invoice"),
    );
    const fax = lintDeclaration(declaration).find((f) => f.rule === "field-masked-uncategorized");
    assert.deepEqual(fax?.path, ["systems", "sqlite", "datasets", "Employee", "fields", "Fax", "masking"]);
  });
  it("refuses a show path that leaves the references, a clock from rows that do not belong, and shared without an identity", () => {
    const errors = (yaml: string) => {
      try {
        parseDeclaration(yaml);
        return [];
      } catch (err) {
        return (err as DeclarationError).issues.map((e) => `${e.path.join(".")}: ${e.message}`);
      }
    };
    assert.match(
      errors(store.replace("show: AlbumId.Title", "show: Name.Title")).join("\n"),
      /InvoiceLine\.fields\.TrackId\.show: sqlite\.Track\.Name is not a reference within sqlite/,
    );
    assert.match(
      errors(store.replace("show: AlbumId.Title", "show: AlbumId.Titel")).join("\n"),
      /TrackId\.show: .*Titel/,
    );
    assert.match(
      errors(store.replace('Fax: { masking: "null" }', 'Fax: { masking: "null", shared: true }')).join("\n"),
      /Fax\.shared: shared describes an identity field/,
    );
    const lint = lintDeclaration(
      parseDeclaration(store.replace("clock: { latest: Invoice.InvoiceDate }", "clock: { latest: Track.Name }"))
        .declaration,
    );
    assert.ok(
      lint.some((f) => /no owner reference leads from Track up to Customer/.test(f.message)),
      lint.map((f) => f.message).join("\n"),
    );
  });
});
