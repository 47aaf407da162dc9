import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintDeclaration, parseDeclaration, LINT_RULES, type Finding } from "../../src/declaration/index.js";
import { minimalYaml } from "../helpers/declarations.js";

const lint = (yaml: string): Finding[] => lintDeclaration(parseDeclaration(yaml).declaration);
const rules = (yaml: string) => lint(yaml).map((f) => f.rule);
const withSystem = (fields: string, extraDatasets = "") => `systems:
  db:
    name: Shop DB
    connector: { engine: sqlite, path: shop.db }
    datasets:
      customers:
        fields:
${fields}
${extraDatasets}`;
const customerFields = "          id: { primaryKey: true }\n          email: { category: user.contact.email, identity: email }";

describe("the linter", () => {
  it("finds nothing wrong in a clean declaration", () => {
    const findings = lint(minimalYaml(withSystem(customerFields)));
    assert.deepEqual(findings.filter((f) => f.severity !== "info"), []);
  });

  it("gives every rule an id, a severity and an article", () => {
    for (const [id, r] of Object.entries(LINT_RULES)) {
      assert.match(id, /^[a-z]+(-[a-z0-9]+)+$/);
      assert.ok(["error", "warning", "info"].includes(r.severity));
      assert.ok(r.article.length > 3, id);
    }
  });

  it("flags Safe Harbor, Privacy Shield and the pre-2021 SCCs with their dates", () => {
    for (const [mechanism, date] of [["safe_harbor", "2015-10-06"], ["privacy_shield", "2020-07-16"], ["scc_pre2021", "2022-12-27"]]) {
      const f = lint(minimalYaml(`recipients:\n  vendor: { name: Vendor, role: controller, country: US, transfer: { mechanisms: [${mechanism}] } }`));
      const hit = f.find((x) => x.rule === "transfer-invalid-mechanism");
      assert.ok(hit, mechanism);
      assert.match(hit.message, new RegExp(`invalid since ${date}`));
      assert.deepEqual(hit.path, ["recipients", "vendor", "transfer", "mechanisms", 0]);
    }
  });

  it("flags a transfer to a country without adequacy and without a safeguard, but not to an adequate one", () => {
    assert.ok(rules(minimalYaml(`recipients:\n  v: { name: V, role: controller, country: IN }`)).includes("transfer-no-safeguard"));
    assert.ok(!rules(minimalYaml(`recipients:\n  v: { name: V, role: controller, country: JP }`)).includes("transfer-no-safeguard"));
    assert.ok(!rules(minimalYaml(`recipients:\n  v: { name: V, role: controller, country: US, transfer: { mechanisms: [dpf] } }`)).includes("transfer-no-safeguard"));
    const us = lint(minimalYaml(`recipients:\n  v: { name: V, role: controller, country: US, transfer: { mechanisms: [adequacy] } }`)).find((f) => f.rule === "transfer-no-safeguard");
    assert.match(us!.message, /Data Privacy Framework/);
  });

  it("flags a purpose without a legal basis, and legitimate interest without the interest", () => {
    assert.ok(rules(minimalYaml().replace("    legalBasis: contract\n", "")).includes("purpose-no-legal-basis"));
    assert.ok(rules(minimalYaml().replace("legalBasis: contract", "legalBasis: legitimate_interests")).includes("legitimate-interest-unstated"));
    assert.ok(!rules(minimalYaml().replace("legalBasis: contract", "legalBasis: legitimate_interests\n    legitimateInterest: Fraud prevention")).includes("legitimate-interest-unstated"));
  });

  it("flags a consent-based purpose with no way to withdraw", () => {
    const consent = minimalYaml().replace("legalBasis: contract", "legalBasis: consent");
    assert.ok(rules(consent).includes("consent-no-withdrawal"));
    assert.ok(!rules(consent.replace("legalBasis: consent", "legalBasis: consent\n    withdrawal: [unsubscribe link]")).includes("consent-no-withdrawal"));
  });

  it("flags special-category data without an Art 9 condition", () => {
    const health = minimalYaml().replace("dataCategories: [user.contact.email]", "dataCategories: [user.contact.email, user.health]");
    assert.ok(rules(health).includes("special-category-no-condition"));
    assert.ok(!rules(health.replace("legalBasis: contract", "legalBasis: contract\n    specialCategoryCondition: explicit_consent")).includes("special-category-no-condition"));
  });

  it("flags a category held by a system but used by no purpose (minimization)", () => {
    const f = lint(minimalYaml(withSystem(customerFields + "\n          phone: { category: user.contact.phone_number }")));
    const hit = f.find((x) => x.rule === "category-unused");
    assert.ok(hit);
    assert.deepEqual(hit.path, ["systems", "db", "datasets", "customers", "fields", "phone", "category"]);
  });

  it("flags a purpose without retention, and indefinite retention without a reason", () => {
    assert.ok(rules(minimalYaml().replace("    retention: two_years\n", "")).includes("purpose-no-retention"));
    assert.ok(rules(minimalYaml().replace("period: 2 years", "period: indefinite")).includes("retention-indefinite-no-reason"));
    assert.ok(!rules(minimalYaml().replace("period: 2 years", "period: indefinite, reason: Tax law")).includes("retention-indefinite-no-reason"));
  });

  it("flags a processor without a DPA", () => {
    assert.ok(rules(minimalYaml(`recipients:\n  v: { name: V, role: processor, country: DE }`)).includes("processor-no-dpa"));
    assert.ok(!rules(minimalYaml(`recipients:\n  v: { name: V, role: processor, country: DE, dpa: true }`)).includes("processor-no-dpa"));
  });

  it("flags a category a purpose uses that no system holds", () => {
    const yaml = minimalYaml(withSystem(customerFields)).replace("dataCategories: [user.contact.email]", "dataCategories: [user.contact.email, user.name]");
    const hit = lint(yaml).find((f) => f.rule === "category-not-held");
    assert.ok(hit);
    assert.match(hit.message, /'user\.name'/);
  });

  it("flags a dataset that erasure cannot reach, but not one joined to an identity", () => {
    const orphan = `      events:\n        fields:\n          what: { category: user.contact.email }`;
    const f = lint(minimalYaml(withSystem(customerFields, orphan)));
    assert.ok(f.some((x) => x.rule === "dataset-unreachable" && x.message.includes("db.events")));
    const joined = `      orders:\n        fields:\n          customer_id: { references: customers.id }\n          note: { category: user.contact.email }`;
    assert.ok(!lint(minimalYaml(withSystem(customerFields, joined))).some((x) => x.rule === "dataset-unreachable"));
  });

  it("flags a promised response time longer than the law allows", () => {
    const f = lint(minimalYaml().replace("  channels:", "  responseTime: 60 days\n  channels:"));
    assert.ok(f.some((x) => x.rule === "response-time-exceeds-law" && /GDPR/.test(x.message)));
  });

  it("flags a non-essential cookie category that is on by default", () => {
    const yaml = minimalYaml(`consent:\n  categories:\n    analytics: { name: Analytics, description: Stats, default: true }`);
    assert.ok(rules(yaml).includes("consent-default-on"));
  });
});
