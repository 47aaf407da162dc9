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
        retention: { rule: two_years, clock: created_at }
        fields:
${fields}
${extraDatasets}`;
const customerFields =
  "          id: { primaryKey: true }\n          email: { category: user.contact.email, identity: email }\n          created_at: {}";

describe("the linter", () => {
  it("finds nothing wrong in a clean declaration", () => {
    const findings = lint(minimalYaml(withSystem(customerFields)));
    assert.deepEqual(
      findings.filter((f) => f.severity !== "info"),
      [],
    );
  });

  it("retention: what cannot be bound is an error at its place; a rule no dataset binds is a warning", () => {
    const unbound = (yaml: string) =>
      lint(yaml).filter(
        (f) =>
          f.rule === "retention-unbound" ||
          f.rule === "retention-rule-unused" ||
          f.rule === "retention-deidentify-undetectable",
      );
    const noClock = unbound(
      minimalYaml(
        withSystem(customerFields).replace("retention: { rule: two_years, clock: created_at }", "retention: two_years"),
      ),
    );
    assert.deepEqual(
      noClock.map((f) => [f.rule, f.path.join("."), f.message]),
      [
        [
          "retention-unbound",
          "systems.db.datasets.customers.retention",
          "rule 'two_years' runs from collection: say which field holds that moment (retention: { rule: two_years, clock: <field> })",
        ],
      ],
    );
    const missing = unbound(
      minimalYaml(withSystem(customerFields).replace("clock: created_at", "clock: [created_at, last_login]")),
    );
    assert.deepEqual(
      missing.map((f) => [f.path.join("."), f.message]),
      [
        [
          "systems.db.datasets.customers.retention.clock.1",
          "customers declares no field 'last_login' (declare it under fields to use it here)",
        ],
      ],
    );
    const related = withSystem(
      customerFields,
      "      orders:\n        retention: { rule: two_years, clock: accounts.closed_at }\n        fields:\n          id: { primaryKey: true }\n          customer_id: { references: customers.id }",
    );
    assert.match(unbound(minimalYaml(related))[0].message, /no dataset 'accounts' in system db/);
    const up = unbound(minimalYaml(related.replace("accounts.closed_at", "customers.created_at")));
    assert.deepEqual(up, [], "a clock on the row it belongs to, through an owner reference");
    const noRoute = withSystem(
      customerFields,
      "      events:\n        retention: { rule: two_years, clock: customers.created_at }\n        fields:\n          id: { primaryKey: true }",
    );
    assert.match(unbound(minimalYaml(noRoute))[0].message, /no owner reference leads from events up to customers/);
    const unused = unbound(
      minimalYaml(
        withSystem(customerFields).replace("        retention: { rule: two_years, clock: created_at }\n", ""),
      ),
    );
    assert.deepEqual(
      unused.map((f) => [f.rule, f.path.join(".")]),
      [["retention-rule-unused", "retention.two_years"]],
    );
    const eu = minimalYaml(withSystem(customerFields)).replace(
      "two_years: { period: 2 years, from: collection, action: delete }",
      "two_years: { period: 2 years, from: collection, action: delete, jurisdictions: [EU] }",
    );
    assert.match(
      unbound(eu)[0].message,
      /applies only in EU: name the field with the person's country \(countryField\)/,
    );
    const deid = minimalYaml(withSystem(customerFields)).replace("action: delete", "action: deidentify");
    assert.equal(
      unbound(deid.replace("identity: email }", "identity: email, masking: hmac }"))[0].rule,
      "retention-deidentify-undetectable",
    );
    assert.deepEqual(unbound(deid), [], "null masking marks a de-identified row");
  });

  it("governance: breach regimes that do not match the people served, sub-processor notices without a processor, classes no one can be granted", () => {
    const base = minimalYaml(withSystem(customerFields));
    const gov = (g: string) =>
      lint(`${base}
governance:
${g}`);
    const wrong = gov("  breach: { procedure: Registered at once., regimes: [lgpd] }");
    assert.deepEqual(
      wrong.filter((f) => f.rule === "breach-regime-not-served").map((f) => f.message),
      [
        "breach regime 'lgpd' is named, but the organization serves no jurisdiction under it (organization.jurisdictions)",
        "the organization serves people under 'gdpr', whose breach clocks the register does not run: add it to governance.breach.regimes",
      ],
    );
    assert.ok(
      !gov("  breach: { procedure: Registered at once., regimes: [gdpr] }").some(
        (f) => f.rule === "breach-regime-not-served",
      ),
    );
    const sp = lint(
      `${base.replace("rights:", "consent:\n  newsletters:\n    changes: { name: Changes, purpose: orders }\nrights:")}\ngovernance:\n  subProcessors: { list: changes }`,
    );
    assert.match(
      sp.find((f) => f.rule === "subprocessors-not-processor")!.message,
      /organization\.roles does not include processor/,
    );
    const closed = gov(
      "  staffAccess:\n    policy: Staff do not look.\n    protectedClasses: [{ id: mail, name: Mail }]",
    );
    assert.equal(closed.find((f) => f.rule === "staff-access-ungrantable")?.severity, "info");
  });

  it("gives every rule an id, a severity and the article of each law it comes from", () => {
    for (const [id, r] of Object.entries(LINT_RULES)) {
      assert.match(id, /^[a-z]+(-[a-z0-9]+)+$/);
      assert.ok(["error", "warning", "info"].includes(r.severity));
      const cites = Object.values(r.cites) as string[];
      assert.ok(cites.length > 0 && cites.every((c) => c.length > 3), id);
    }
  });

  it("flags Safe Harbor, Privacy Shield and the pre-2021 SCCs with their dates", () => {
    for (const [mechanism, date] of [
      ["safe_harbor", "2015-10-06"],
      ["privacy_shield", "2020-07-16"],
      ["scc_pre2021", "2022-12-27"],
    ]) {
      const f = lint(
        minimalYaml(
          `recipients:\n  vendor: { name: Vendor, role: controller, country: US, transfer: { mechanisms: [${mechanism}] } }`,
        ),
      );
      const hit = f.find((x) => x.rule === "transfer-invalid-mechanism");
      assert.ok(hit, mechanism);
      assert.match(hit.message, new RegExp(`invalid since ${date}`));
      assert.deepEqual(hit.path, ["recipients", "vendor", "transfer", "mechanisms", 0]);
    }
  });

  it("flags a transfer to a country without adequacy and without a safeguard, but not to an adequate one", () => {
    assert.ok(
      rules(minimalYaml(`recipients:\n  v: { name: V, role: controller, country: IN }`)).includes(
        "transfer-no-safeguard",
      ),
    );
    assert.ok(
      !rules(minimalYaml(`recipients:\n  v: { name: V, role: controller, country: JP }`)).includes(
        "transfer-no-safeguard",
      ),
    );
    assert.ok(
      !rules(
        minimalYaml(`recipients:\n  v: { name: V, role: controller, country: US, transfer: { mechanisms: [dpf] } }`),
      ).includes("transfer-no-safeguard"),
    );
    const us = lint(
      minimalYaml(`recipients:\n  v: { name: V, role: controller, country: US, transfer: { mechanisms: [adequacy] } }`),
    ).find((f) => f.rule === "transfer-not-adequate");
    assert.match(us!.message, /Data Privacy Framework/);
  });

  it("flags a purpose without a legal basis, and legitimate interest without the interest", () => {
    assert.ok(rules(minimalYaml().replace("    legalBasis: contract\n", "")).includes("purpose-no-legal-basis"));
    assert.ok(
      rules(minimalYaml().replace("legalBasis: contract", "legalBasis: legitimate_interests")).includes(
        "legitimate-interest-unstated",
      ),
    );
    assert.ok(
      !rules(
        minimalYaml().replace(
          "legalBasis: contract",
          "legalBasis: legitimate_interests\n    legitimateInterest: Fraud prevention",
        ),
      ).includes("legitimate-interest-unstated"),
    );
  });

  it("flags a consent-based purpose with no way to withdraw", () => {
    const consent = minimalYaml().replace("legalBasis: contract", "legalBasis: consent");
    assert.ok(rules(consent).includes("consent-no-withdrawal"));
    assert.ok(
      !rules(
        consent.replace("legalBasis: consent", "legalBasis: consent\n    withdrawal: [unsubscribe link]"),
      ).includes("consent-no-withdrawal"),
    );
  });

  it("flags special-category data without an Art 9 condition", () => {
    const health = minimalYaml().replace(
      "dataCategories: [user.contact.email]",
      "dataCategories: [user.contact.email, user.health]",
    );
    assert.ok(rules(health).includes("special-category-no-condition"));
    assert.ok(
      !rules(
        health.replace("legalBasis: contract", "legalBasis: contract\n    specialCategoryCondition: explicit_consent"),
      ).includes("special-category-no-condition"),
    );
  });

  it("flags a category held by a system but used by no purpose (minimization)", () => {
    const f = lint(
      minimalYaml(withSystem(`${customerFields}\n          phone: { category: user.contact.phone_number }`)),
    );
    const hit = f.find((x) => x.rule === "category-unused");
    assert.ok(hit);
    assert.deepEqual(hit.path, ["systems", "db", "datasets", "customers", "fields", "phone", "category"]);
  });

  it("flags a purpose without retention, and indefinite retention without a reason", () => {
    assert.ok(rules(minimalYaml().replace("    retention: two_years\n", "")).includes("purpose-no-retention"));
    assert.ok(
      rules(minimalYaml().replace("period: 2 years", "period: indefinite")).includes("retention-indefinite-no-reason"),
    );
    assert.ok(
      !rules(minimalYaml().replace("period: 2 years", "period: indefinite, reason: Tax law")).includes(
        "retention-indefinite-no-reason",
      ),
    );
  });

  it("flags a processor without a DPA", () => {
    assert.ok(
      rules(minimalYaml(`recipients:\n  v: { name: V, role: processor, country: DE }`)).includes("processor-no-dpa"),
    );
    assert.ok(
      !rules(minimalYaml(`recipients:\n  v: { name: V, role: processor, country: DE, dpa: true }`)).includes(
        "processor-no-dpa",
      ),
    );
  });

  it("flags a category a purpose uses that no system holds", () => {
    const yaml = minimalYaml(withSystem(customerFields)).replace(
      "dataCategories: [user.contact.email]",
      "dataCategories: [user.contact.email, user.name]",
    );
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
    const yaml = minimalYaml(
      `consent:\n  categories:\n    analytics: { name: Analytics, description: Stats, default: true }`,
    );
    assert.ok(rules(yaml).includes("consent-default-on"));
  });

  describe("cites only the law in force", () => {
    // A US-only SaaS: the California section, a processor's sub-processors, analytics on by default, no legal bases.
    const usOnly = minimalYaml(`recipients:
  analytics: { name: Analytics Inc, role: processor, country: IN }
consent:
  categories:
    analytics: { name: Analytics, description: Usage statistics, default: true }`)
      .replace("country: DE", "country: US")
      .replace("jurisdictions: [EU]", "jurisdictions: [US, US-TX]")
      .replace("    legalBasis: contract\n", "    recipients: [analytics]\n");

    it("reports nothing citing the GDPR or ePrivacy on a US-only declaration", () => {
      const findings = lint(usOnly);
      assert.deepEqual(
        findings.filter((f) => /GDPR|ePrivacy|Art \d/.test(f.article)),
        [],
      );
      for (const rule of [
        "purpose-no-legal-basis",
        "transfer-no-safeguard",
        "consent-default-on",
        "rights-missing",
        "representative-missing",
      ])
        assert.ok(!findings.some((f) => f.rule === rule), rule);
    });

    it("the same declaration serving the EU gets the GDPR's findings, citing it", () => {
      const findings = lint(usOnly.replace("jurisdictions: [US, US-TX]", "jurisdictions: [US, EU]"));
      for (const rule of [
        "purpose-no-legal-basis",
        "transfer-no-safeguard",
        "consent-default-on",
        "representative-missing",
      ]) {
        const f = findings.find((x) => x.rule === rule);
        assert.ok(f, rule);
        assert.match(f.article, /GDPR|ePrivacy/);
      }
    });

    it("evaluates a purpose only where its jurisdictions.only says it applies", () => {
      const yaml = minimalYaml()
        .replace("    legalBasis: contract\n", "    jurisdictions: { only: [US, CA] }\n")
        .replace("jurisdictions: [EU]", "jurisdictions: [EU, US, CA]");
      assert.ok(!rules(yaml).includes("purpose-no-legal-basis"));
      assert.ok(rules(yaml.replace("only: [US, CA]", "only: [EU]")).includes("purpose-no-legal-basis"));
      assert.ok(rules(yaml.replace("{ only: [US, CA] }", "{ except: [US] }")).includes("purpose-no-legal-basis"));
    });

    it("leaves out rights-missing for a processor-only organization (Art 28(3)(e))", () => {
      const partial = minimalYaml().replace(
        "offered: [access, rectification, erasure, restriction, portability, objection, complaint]",
        "offered: [access]",
      );
      assert.ok(rules(partial).includes("rights-missing"));
      assert.ok(!rules(partial.replace("roles: [controller]", "roles: [processor]")).includes("rights-missing"));
    });

    it("flags dpf for an importer outside the US, and adequacy for a country without it", () => {
      const india = lint(
        minimalYaml(
          `recipients:\n  v: { name: Offshore Ltd, role: controller, country: IN, transfer: { mechanisms: [dpf] } }`,
        ),
      ).find((f) => f.rule === "transfer-mechanism-wrong-country");
      assert.ok(india);
      assert.match(
        india.message,
        /Offshore Ltd \(IN\): the EU–US Data Privacy Framework covers only certified importers in the US/,
      );
      assert.deepEqual(india.path, ["recipients", "v", "transfer", "mechanisms", 0]);
      const china = lint(
        minimalYaml(
          `recipients:\n  v: { name: Factory, role: controller, country: CN, transfer: { mechanisms: [adequacy] } }`,
        ),
      ).find((f) => f.rule === "transfer-not-adequate");
      assert.ok(china);
      assert.match(china.message, /CN has no EU adequacy decision/);
      assert.ok(
        !rules(
          minimalYaml(
            `recipients:\n  v: { name: V, role: controller, country: JP, transfer: { mechanisms: [adequacy] } }`,
          ),
        ).includes("transfer-not-adequate"),
      );
    });

    it("checks the transfers of processor activities and of their sub-processors", () => {
      const processor = minimalYaml(`recipients:
  sub: { name: Sub Inc, role: sub_processor, country: US, dpa: true }
processorActivities:
  hosting:
    name: Hosting
    controllers: [Customers]
    processing: [storage]
    locations: [IN]
    subProcessors: [sub]`).replace("roles: [controller]", "roles: [processor]");
      const found = lint(processor)
        .filter((f) => f.rule === "transfer-no-safeguard")
        .map((f) => f.path.join("."));
      assert.deepEqual(found.sort(), ["processorActivities.hosting.locations", "recipients.sub.country"]);
    });

    it("models the UK's own transfer tools", () => {
      const uk = (mech: string) =>
        rules(
          minimalYaml(
            `recipients:\n  v: { name: V, role: controller, country: US, transfer: { mechanisms: [${mech}], transferImpactAssessment: true } }`,
          ).replace("jurisdictions: [EU]", "jurisdictions: [EU, UK]"),
        );
      assert.ok(uk("scc_2021").includes("uk-transfer-no-safeguard"));
      assert.ok(!uk("scc_2021, uk_addendum").includes("uk-transfer-no-safeguard"));
      assert.ok(!uk("dpf, uk_us_data_bridge").includes("uk-transfer-no-safeguard"));
      assert.ok(
        !rules(
          minimalYaml(
            `recipients:\n  v: { name: V, role: controller, country: US, transfer: { mechanisms: [scc_2021], transferImpactAssessment: true } }`,
          ),
        ).includes("uk-transfer-no-safeguard"),
        "no UK: no UK rule",
      );
    });

    it("takes responseTime: 1 month under the GDPR; a promise of 30 days is not longer than the law's month", () => {
      const promise = (t: string) =>
        lint(minimalYaml().replace("  channels:", `  responseTime: ${t}\n  channels:`)).filter(
          (f) => f.rule === "response-time-exceeds-law",
        );
      assert.deepEqual(promise("1 month"), []);
      assert.deepEqual(promise("4 weeks"), []);
      assert.deepEqual(promise("30 days"), [], "30 days is shorter than the law as people read it (issue 27)");
      assert.equal(promise("31 days").length, 1);
      assert.equal(promise("45 days").length, 1);
      const perPlace = lint(
        minimalYaml()
          .replace("  channels:", "  responseTime: { EU: 1 month, US-CA: 45 days }\n  channels:")
          .replace("jurisdictions: [EU]", "jurisdictions: [EU, US-CA]"),
      );
      assert.deepEqual(
        perPlace.filter((f) => f.rule === "response-time-exceeds-law"),
        [],
      );
    });

    it("asks GPC of a business that sells or shares, in the states that require it, and not of one that neither sells nor shares", () => {
      const ca = minimalYaml("consent:\n  signals: { gpc: false }\n  categories: {}").replace(
        "jurisdictions: [EU]",
        "jurisdictions: [US-CA]",
      );
      assert.ok(!rules(ca).includes("gpc-not-honoured"), "§ 7025(b): only a business that sells or shares");
      const sells = ca.replace("    retention: two_years", "    retention: two_years\n    shared: true");
      assert.ok(rules(sells).includes("gpc-not-honoured"));
      const texas = sells.replace("jurisdictions: [US-CA]", "jurisdictions: [US-TX]");
      const f = lint(texas).find((x) => x.rule === "gpc-not-honoured");
      assert.ok(f, "Texas requires universal opt-out signals");
      assert.match(f.message, /US-TX/);
      assert.ok(
        !rules(sells.replace("jurisdictions: [US-CA]", "jurisdictions: [US-UT]")).includes("gpc-not-honoured"),
        "Utah does not",
      );
    });

    it("adds the CCPA rights, non-discrimination, bundled consent and the representatives", () => {
      const ca = minimalYaml()
        .replace("jurisdictions: [EU]", "jurisdictions: [US-CA]")
        .replace(
          "offered: [access, rectification, erasure, restriction, portability, objection, complaint]",
          "offered: [access, erasure]",
        );
      const found = lint(ca);
      assert.match(found.find((f) => f.rule === "ccpa-rights-missing")!.message, /rectification/);
      assert.ok(found.some((f) => f.rule === "ccpa-non-discrimination"));
      assert.ok(
        !rules(ca.replace("  channels:", "  nonDiscrimination: true\n  channels:")).includes("ccpa-non-discrimination"),
      );
      const bundled = minimalYaml().replace(
        "legalBasis: contract",
        "legalBasis: consent\n    withdrawal: [email us]\n    requirement: { type: contract_prerequisite }",
      );
      assert.ok(rules(bundled).includes("consent-bundled"));
      const uk = lint(
        minimalYaml()
          .replace("jurisdictions: [EU]", "jurisdictions: [EU, UK]")
          .replace("country: DE", "country: US")
          .replace("contact: {", "euRepresentative: { name: Rep EU }\n  contact: {"),
      );
      assert.match(uk.find((f) => f.rule === "representative-missing")!.message, /UK representative/);
    });

    it("checks children's consent by the laws served: COPPA in the US, Art 8 in the EU, the CCPA's opt-in under 16", () => {
      const kids = (jurisdictions: string, children: string, shared = false) =>
        lint(
          minimalYaml(`children: ${children}`)
            .replace("jurisdictions: [EU]", `jurisdictions: [${jurisdictions}]`)
            .replace("    retention: two_years", `    retention: two_years${shared ? "\n    shared: true" : ""}`)
            .replace("offered: [", "offered: [opt_out_sale, "),
        ).filter((f) => f.rule === "children-consent");
      assert.deepEqual(
        kids("US", "{ minimumAge: 10 }").map((f) => f.article),
        ["15 U.S.C. 6502; 16 CFR 312.5"],
      );
      assert.deepEqual(kids("US", "{ minimumAge: 10, parentalConsentBelow: 13 }"), []);
      assert.deepEqual(
        kids("EU", "{ minimumAge: 13 }").map((f) => f.article),
        ["GDPR Art 8(1)"],
      );
      assert.deepEqual(kids("EU", "{ minimumAge: 13, parentalConsentBelow: 16 }"), []);
      assert.deepEqual(
        kids("US-CA", "{ minimumAge: 13, parentalConsentBelow: 13 }", true).map((f) => f.article),
        ["Cal. Civ. Code 1798.120(c)"],
      );
      assert.deepEqual(kids("US-CA", "{ minimumAge: 13, parentalConsentBelow: 13, noSaleUnder16: true }", true), []);
      assert.deepEqual(kids("US-CA", "{ minimumAge: 16 }", true), []);
    });

    it("an unknown jurisdiction is an error in the declaration, with its location", () => {
      assert.throws(
        () => parseDeclaration(minimalYaml().replace("jurisdictions: [EU]", "jurisdictions: [EU, US-ZZ]")),
        (err: Error & { issues?: { path: (string | number)[]; message: string }[] }) => {
          const issue = err.issues?.find((i) => i.path.join(".") === "organization.jurisdictions.1");
          assert.ok(issue, JSON.stringify(err.issues));
          assert.match(issue.message, /unknown jurisdiction 'US-ZZ'/);
          return true;
        },
      );
    });
  });
});

describe("processors' systems", () => {
  const yaml = (contact: string, connector: string) =>
    minimalYaml(`recipients:
  events: { name: Eventbrite, role: processor, country: US, dataCategories: [user.contact.email]${contact} }
  stripe: { name: Stripe, role: processor, country: US }
systems:
  tickets: { name: Tickets at Eventbrite, connector: ${connector} }
  billing: { name: Billing at Stripe, connector: { engine: http, spec: stripe, recipient: stripe } }
`);
  it("a processor reached by mail needs an address; one over HTTP or by mail is not called manual", () => {
    const none = lint(yaml("", "{ engine: mail, recipient: events }"));
    const f = none.find((x) => x.rule === "processor-no-address");
    assert.ok(f, "no address is an error");
    assert.equal(f.severity, "error");
    assert.deepEqual(f.path, ["systems", "tickets", "connector"]);
    assert.ok(!none.some((x) => x.rule === "manual-system"), "a processor's system is not a manual one");
    for (const ok of [
      lint(yaml(", privacyContact: privacy@eventbrite.example", "{ engine: mail, recipient: events }")),
      lint(yaml("", "{ engine: mail, recipient: events, to: dpo@eventbrite.example }")),
      lint(yaml(", notify: { email: n@eventbrite.example }", "{ engine: mail, recipient: events }")),
    ])
      assert.ok(!ok.some((x) => x.rule === "processor-no-address"));
  });
});

describe("the linter on what real notices showed (issue 27)", () => {
  const ca = (cats: string) =>
    minimalYaml()
      .replace("jurisdictions: [EU]", "jurisdictions: [EU, US-CA]")
      .replace("dataCategories: [user.contact.email]", `dataCategories: [user.contact.email, ${cats}]`)
      .replace("complaint]", "complaint, opt_out_sale]\n  nonDiscrimination: true");
  const ccpaMissing = (yaml: string) =>
    lint(yaml)
      .filter((f) => f.rule === "ccpa-rights-missing")
      .map((f) => f.message)
      .join("\n");

  it("a card number held without its security code is not sensitive personal information (§ 1798.140(ae))", () => {
    assert.doesNotMatch(ccpaMissing(ca("user.financial.card_number")), /limit_sensitive/);
    assert.match(ccpaMissing(ca("user.financial.card_number, user.financial.card_security_code")), /limit_sensitive/);
  });

  it("children: the UK's age is 13, the GDPR's 16", () => {
    const kids = (places: string, age: number) =>
      lint(minimalYaml(`children: { minimumAge: ${age} }`).replace("jurisdictions: [EU]", `jurisdictions: [${places}]`))
        .filter((f) => f.rule === "children-consent")
        .map((f) => `${f.article} | ${f.message}`);
    const uk14 = kids("UK", 14);
    assert.deepEqual(uk14, [], "a 14-year-old consents for themself in the UK");
    const uk12 = kids("UK", 12);
    assert.ok(uk12.length && uk12.every((f) => !/under 16/.test(f)), uk12.join("\n"));
    assert.ok(
      uk12.some((f) => /UK GDPR Art 8\(1\) \| .*under 13/.test(f)),
      uk12.join("\n"),
    );
    const eu14 = kids("EU", 14);
    assert.ok(
      eu14.some((f) => /^GDPR Art 8\(1\) \| .*under 16/.test(f)),
      eu14.join("\n"),
    );
    assert.ok(
      eu14.every((f) => !/UK GDPR/.test(f)),
      eu14.join("\n"),
    );
  });

  it("asks for a data protection assessment for targeted advertising or a sale where a state requires one", () => {
    const ads = minimalYaml()
      .replace("jurisdictions: [EU]", "jurisdictions: [US-VA, US-TX]")
      .replace("    retention: two_years", "    retention: two_years\n    targetedAdvertising: true");
    const found = lint(ads).filter((f) => f.rule === "state-assessment-missing");
    assert.equal(found.length, 1);
    assert.match(found[0].message, /US-VA, US-TX require a data protection assessment/);
    assert.match(found[0].article, /59\.1-580/);
    assert.deepEqual(
      lint(
        ads.replace("targetedAdvertising: true", "targetedAdvertising: true\n    assessment: { date: 2026-06-01 }"),
      ).filter((f) => f.rule === "state-assessment-missing"),
      [],
    );
  });

  it("a processor outside the EEA receiving EU controllers' data with no safeguard", () => {
    const yaml = minimalYaml(`processorActivities:
  hosting:
    name: Hosting for customers
    controllers: [Our customers]
    processing: [hosting]
    locations: [US]
`)
      .replace("country: DE", "country: US")
      .replace("roles: [controller]", "roles: [controller, processor]")
      .replace(
        "jurisdictions: [EU]",
        "jurisdictions: [EU]\n  euRepresentative: { name: Rep, email: rep@acme.example }",
      );
    const found = lint(yaml).filter((f) => f.rule === "transfer-no-safeguard");
    assert.ok(
      found.some((f) => f.path.join(".").startsWith("processorActivities.hosting")),
      found.map((f) => f.message).join("\n"),
    );
  });

  it("card numbers held with no breach procedure declared", () => {
    const yaml = minimalYaml().replace(
      "dataCategories: [user.contact.email]",
      "dataCategories: [user.contact.email, user.financial.card_number]",
    );
    assert.ok(rules(yaml).includes("card-breach-unstated"));
    assert.ok(
      !rules(`${yaml}governance:\n  breach: { procedure: We follow our incident plan. }\n`).includes(
        "card-breach-unstated",
      ),
    );
  });

  it("questions a retention exception longer than its rule", () => {
    const yaml = minimalYaml().replace(
      "two_years: { period: 2 years, from: collection, action: delete }",
      "two_years:\n    period: 2 years\n    from: collection\n    action: delete\n    exceptions:\n      - { reason: Tax records, basis: legal_obligation, period: 10 years }",
    );
    const found = lint(yaml).filter((f) => f.rule === "retention-exception-longer");
    assert.equal(found.length, 1);
    assert.match(found[0].message, /keeps data 10 years, longer than the rule's 2 years/);
  });
});
