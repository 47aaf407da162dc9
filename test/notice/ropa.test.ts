import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDeclaration } from "../../src/declaration/index.js";
import {
  buildNotice,
  buildRopa,
  ropaToCsv,
  ropaToJsonLd,
  type ControllerRecord,
  type ProcessorRecord,
} from "../../src/notice/index.js";
import { runCli } from "../helpers/cli.js";
import { example, minimalYaml, SEED_FILES } from "../helpers/declarations.js";

describe("the record of processing", () => {
  it("Data Intensity is a processor record with the Art 30(2) fields", async () => {
    const r = await runCli(["ropa", "examples/data-intensity-safe-harbor.yaml", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const ropa = JSON.parse(r.stdout) as { records: ProcessorRecord[] };
    assert.equal(ropa.records.length, 1);
    const [rec] = ropa.records;
    assert.equal(rec.kind, "processor");
    assert.equal(rec.article, "GDPR Art 30(2)");
    // (a) the processor and the controllers served
    assert.equal(rec.processor.name, "Data Intensity");
    assert.match(rec.processor.contact, /22 Crosby Drive/);
    const managed = rec.activities.find((a) => a.id === "managed_services")!;
    assert.deepEqual(managed.controllers, [{ name: "Managed Services customers", contact: "" }]);
    // (b) categories of processing per controller
    assert.ok(managed.categoriesOfProcessing.some((c) => c.includes("temporary copies are purged")));
    // (c) transfers with countries and safeguards
    assert.deepEqual(managed.transfers, [
      { to: "Data Intensity", country: "United States", countryCode: "US", safeguards: ["the US–EU Safe Harbor"] },
    ]);
    // (d) security measures
    assert.ok(rec.securityMeasures.some((m) => m.includes("access control list")));
  });

  it("a processor's record lists its sub-processors' transfers under 30(2)(c), and the controllers with their contacts", () => {
    const yaml = minimalYaml(`recipients:
  cloud: { name: Cloud Inc, role: sub_processor, country: US, dpa: true, transfer: { mechanisms: [dpf] } }
  mail: { name: Mail GmbH, role: sub_processor, country: DE, dpa: true }
  support: { name: Support Pvt, role: sub_processor, country: IN, dpa: true, transfer: { mechanisms: [scc_2021] } }
processorActivities:
  hosting:
    name: Hosting
    controllers: [{ name: Shop AG, email: dpo@shop.example, country: CH }, Other customers]
    processing: [storage, backups]
    locations: [DE]`).replace("roles: [controller]", "roles: [processor]");
    const rec = buildRopa(parseDeclaration(yaml).declaration).records[0] as ProcessorRecord;
    const a = rec.activities[0];
    assert.deepEqual(a.controllers, [
      { name: "Shop AG", contact: "dpo@shop.example" },
      { name: "Other customers", contact: "" },
    ]);
    assert.deepEqual(a.transfers, [
      {
        to: "Cloud Inc (sub-processor)",
        country: "United States",
        countryCode: "US",
        safeguards: ["the EU–US Data Privacy Framework"],
      },
      {
        to: "Support Pvt (sub-processor)",
        country: "India",
        countryCode: "IN",
        safeguards: ["the 2021 standard contractual clauses"],
      },
    ]);
    assert.deepEqual(
      a.subProcessors.map((s) => s.name),
      ["Cloud Inc", "Mail GmbH", "Support Pvt"],
    );
    const csv = ropaToCsv(buildRopa(parseDeclaration(yaml).declaration));
    assert.match(csv, /Support Pvt \(sub-processor\) \(India\): the 2021 standard contractual clauses/);
  });

  it("a controller's record names joint controllers and the UK representative, and time limits per data category", () => {
    const yaml = minimalYaml(`taxonomy:
  dataCategories:
    user.financial.invoice: { name: Invoices }
`)
      .replace("dataCategories: [user.contact.email]", "dataCategories: [user.contact.email, user.financial.invoice]")
      .replace(
        "  two_years: { period: 2 years, from: collection, action: delete }",
        "  two_years: { period: 2 years, from: collection, action: delete }\n  bookkeeping: { period: 10 years, from: collection, action: delete, dataCategories: [user.financial.invoice] }",
      )
      .replace(
        "  contact: {",
        "  ukRepresentative: { name: UK Rep Ltd, email: rep@uk.example }\n  jointControllers: [{ name: Partner SA, email: privacy@partner.example, responsibilities: answers access requests }]\n  contact: {",
      );
    const rec = buildRopa(parseDeclaration(yaml).declaration).records[0] as ControllerRecord;
    assert.deepEqual(rec.jointControllers, [{ name: "Partner SA", contact: "privacy@partner.example" }]);
    assert.deepEqual(rec.ukRepresentative, { name: "UK Rep Ltd", contact: "rep@uk.example" });
    const limits = rec.activities[0].erasureTimeLimits;
    assert.deepEqual(limits.find((l) => l.category === "Email address")?.limits, [
      "2 years from collection, then deleted",
    ]);
    assert.deepEqual(limits.find((l) => l.category === "Invoices")?.limits, [
      "2 years from collection, then deleted",
      "10 years from collection, then deleted",
    ]);
  });

  it("a controller's record has the Art 30(1) fields for each purpose", () => {
    const ropa = buildRopa(example(SEED_FILES.luxsci2018).declaration);
    assert.deepEqual(
      ropa.records.map((r) => r.kind),
      ["controller", "processor"],
    );
    const c = ropa.records[0] as ControllerRecord;
    assert.equal(c.article, "GDPR Art 30(1)");
    assert.equal(c.controller.name, "Lux Scientiae, Incorporated");
    assert.equal(c.dpo?.name, "GDPR Data Protection Officer");
    const billing = c.activities.find((a) => a.id === "billing")!;
    assert.ok(billing.dataSubjects.includes("Customers"));
    assert.ok(
      billing.dataCategories.some(
        (x) => x.name === "Payment card number" && x.dpv === "https://w3id.org/dpv/pd#CreditCardNumber",
      ),
    );
    assert.deepEqual(billing.recipients, [
      { name: "Authorize.net", role: "processor", country: "United States", countryCode: "US" },
    ]);
    assert.ok(
      billing.transfers.some((t) => t.to === "Authorize.net" && t.safeguards.includes("the EU–US Privacy Shield")),
    );
    assert.match(billing.erasureTimeLimit!, /^Kept indefinitely: Billing, support and order history/);
    assert.ok(c.securityMeasures.length > 0);
  });

  it("CSV has one row per activity, quoted, with formula injection defused", () => {
    const ropa = buildRopa(
      parseDeclaration(minimalYaml().replace("name: Orders", 'name: "=HYPERLINK(\\"http://evil\\")"')).declaration,
    );
    const csv = ropaToCsv(ropa);
    const lines = csv.trimEnd().split("\r\n");
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^record,organization,contact,representative,dpo,activity,purpose_or_processing,/);
    assert.ok(lines[1].includes(`"'=HYPERLINK(""http://evil"")"`), lines[1]);
    const lux = ropaToCsv(buildRopa(example(SEED_FILES.luxsci2018).declaration))
      .trimEnd()
      .split("\r\n");
    assert.equal(lux.length, 1 + 19 + 1, "19 purposes and one processor activity");
  });

  it("JSON-LD uses DPV terms", async () => {
    const r = await runCli(["ropa", "examples/lutron-remote-service-2021.yaml", "--format", "jsonld"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { "@context": Record<string, string>; "@graph": Record<string, unknown>[] };
    assert.equal(doc["@context"].dpv, "https://w3id.org/dpv#");
    const rec = doc["@graph"].find((g) => String(g["@id"]).endsWith(":activity:session_recording"))!;
    assert.equal(rec["@type"], "dpv:PersonalDataHandling");
    assert.deepEqual(rec["dpv:hasLegalBasis"], [
      { "@id": "https://w3id.org/dpv#Contract" },
      { "@id": "https://w3id.org/dpv/legal/eu/gdpr#A6-1-b" },
    ]);
    const verif = doc["@graph"].find((g) => String(g["@id"]).endsWith(":activity:remote_session_verification"))!;
    assert.ok(
      (verif["dpv:hasPersonalData"] as { "@type": string }[]).some(
        (p) => p["@type"] === "https://w3id.org/dpv/pd#EmailAddress",
      ),
    );
    const processor = ropaToJsonLd(
      buildRopa(example(SEED_FILES.dataIntensity).declaration),
      example(SEED_FILES.dataIntensity).declaration,
    );
    assert.ok((processor["@graph"] as Record<string, unknown>[]).every((g) => "dpv:hasDataProcessor" in g));
  });

  it("`pledge ropa --format csv` writes CSV; an unknown format is a usage error", async () => {
    const ok = await runCli(["ropa", "examples/numfocus-2020.yaml", "--format", "csv"]);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /^record,organization,/);
    const bad = await runCli(["ropa", "examples/numfocus-2020.yaml", "--format", "xml"]);
    assert.equal(bad.code, 2);
  });
});

describe("the record of processing of a processor (issue 27)", () => {
  const yaml = minimalYaml(`recipients:
  aws: { name: Amazon Web Services, role: processor, country: US, transfer: { mechanisms: [dpf] } }
processorActivities:
  hosting:
    name: Hosting for customers
    controllers: ["Acme, Inc.", { name: "Foo, Bar & Co. GmbH", email: dpo@foo.example }]
    processing: [hosting]
    locations: [DE]
`).replace("roles: [controller]", "roles: [controller, processor]");

  it("lists the processors the activity relies on as its sub-processors in 30(2), with their transfers", () => {
    const rec = buildRopa(parseDeclaration(yaml).declaration).records.find(
      (r) => r.kind === "processor",
    ) as ProcessorRecord;
    const a = rec.activities[0];
    assert.deepEqual(a.subProcessors, [{ name: "Amazon Web Services", country: "United States" }]);
    assert.ok(
      a.transfers.some((t) => /Amazon Web Services/.test(t.to) && t.country === "United States"),
      JSON.stringify(a.transfers),
    );
  });

  it("keeps a controller's name that holds a comma whole, in the record and in the notice", () => {
    const d = parseDeclaration(yaml).declaration;
    const rec = buildRopa(d).records.find((r) => r.kind === "processor") as ProcessorRecord;
    assert.deepEqual(
      rec.activities[0].controllers.map((c) => c.name),
      ["Acme, Inc.", "Foo, Bar & Co. GmbH"],
    );
    const csv = ropaToCsv(buildRopa(d));
    assert.match(csv, /"Acme, Inc\.; Foo, Bar & Co\. GmbH: dpo@foo\.example"/);
    const notice = JSON.stringify(buildNotice(d));
    assert.match(notice, /Acme, Inc\.; Foo, Bar & Co\. GmbH/);
  });
});
