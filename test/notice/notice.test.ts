import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readdirSync, readFileSync } from "node:fs";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import {
  EEA_COUNTRIES,
  basesOf,
  objectionKind,
  purposeJurisdictions,
  LEGAL_BASIS_INFO,
  RIGHT_INFO,
  TRANSFER_MECHANISM_INFO,
  categoriesOf,
  categoryName,
  parseDeclaration,
  servesEu,
  type Declaration,
} from "../../src/declaration/index.js";
import { buildNotice, collectedCategories, renderNoticeHtml, renderNoticeMarkdown } from "../../src/notice/index.js";
import { runCli } from "../helpers/cli.js";
import { example, minimalYaml, SEED_FILES } from "../helpers/declarations.js";

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** The HTML of one section of the notice, by its id. */
function section(html: string, id: string): string | undefined {
  const m = new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
  return m?.[1];
}

/** For each Art 13/14 item the declaration has data for: the section it belongs in, and texts that must be there. */
function expectedItems(d: Declaration): Record<string, string[]> {
  const org = d.organization;
  const cats = categoriesOf(d);
  const items: Record<string, string[]> = {};
  const eu = servesEu(org.jurisdictions);
  const controller = org.roles.includes("controller") || org.roles.includes("joint_controller");
  // Art 13(1)(a): identity and contact details of the controller
  items.controller = [
    org.name,
    org.contact.email,
    org.contact.phone,
    org.contact.address,
    ...org.jointControllers.map((j) => j.name),
  ].filter((x): x is string => !!x);
  // Art 13(1)(b): the DPO
  if (org.dpo) items.dpo = [org.dpo.name, org.dpo.email, org.dpo.address].filter((x): x is string => !!x);
  if (org.euRepresentative || org.ukRepresentative)
    items.representative = [org.euRepresentative?.name, org.ukRepresentative?.name].filter((x): x is string => !!x);
  // Art 13(1)(c)-(d), 13(2)(e), 14(1)(d), 14(2)(f): the legal basis with its article where the GDPR applies to the
  // purpose
  items.purposes = Object.values(d.purposes).flatMap((p) => [
    p.name,
    ...basesOf(p).map((b) =>
      servesEu(purposeJurisdictions(d, p)) ? LEGAL_BASIS_INFO[b.basis].article : LEGAL_BASIS_INFO[b.basis].name,
    ),
    ...basesOf(p).flatMap((b) => (b.scope ? [b.scope] : [])),
    ...(p.legitimateInterest ? [p.legitimateInterest] : []),
    ...(p.requirement?.consequence ? [p.requirement.consequence] : []),
    ...(p.sourceDescription ? [p.sourceDescription] : []),
    ...p.dataCategories.map((c) => categoryName(c, cats)),
  ]); // A declaration with no purposes of its own (a processor) has no purposes section: an empty heading states nothing.
  if (!Object.keys(d.purposes).length) delete items.purposes;

  // Art 13(1)(e): recipients
  if (Object.keys(d.recipients).length) items.recipients = Object.values(d.recipients).map((r) => r.name);
  // Art 13(1)(f): transfers
  if (eu) {
    const outside = Object.values(d.recipients).filter((r) => r.country && !EEA_COUNTRIES.has(r.country));
    if (outside.length || (org.transfer && !EEA_COUNTRIES.has(org.country))) {
      items.transfers = [
        ...outside.map((r) => r.name),
        ...outside.flatMap((r) => r.transfer?.mechanisms.map((m) => TRANSFER_MECHANISM_INFO[m].name) ?? []),
      ];
    }
  }
  // Art 13(2)(a): retention, per category
  items.retention = collectedCategories(d).map((c) => categoryName(c, cats));
  // Art 13(2)(b)-(d): rights, withdrawal of consent, complaint and judicial remedy — for a controller
  if (controller && eu) {
    items.rights = [
      ...d.rights.offered
        .filter((r) => RIGHT_INFO[r].article.startsWith("GDPR") && r !== "objection")
        .map((r) => RIGHT_INFO[r].name),
      "supervisory authority",
      "judicial remedy",
      ...d.rights.channels.map((c) => c.address),
    ];
    if (Object.values(d.purposes).some((p) => basesOf(p).some((b) => b.basis === "consent")))
      items.rights.push("withdraw it at any time");
    if (d.rights.offered.includes("objection") && Object.values(d.purposes).some((p) => objectionKind(p)))
      items.rights.push("right to object");
    if (org.supervisoryAuthority?.name) items.rights.push(org.supervisoryAuthority.name);
  }
  if (d.consent && Object.keys(d.consent.categories).length)
    items.cookies = Object.values(d.consent.categories).map((c) => c.name);
  if (d.consent && Object.keys(d.consent.newsletters).length)
    items.newsletters = Object.values(d.consent.newsletters).flatMap((n) => [
      n.name,
      ...(n.doubleOptIn?.confirmWithin ? [n.doubleOptIn.confirmWithin.replace(/^1 (\w+)s$/, "1 $1")] : []),
      ...n.unsubscribe,
    ]);
  if (Object.keys(d.processorActivities).length)
    items.processing = Object.values(d.processorActivities).map((a) => a.name);
  if (d.security) items.security = d.security.measures;
  items.changes = [d.version, d.effectiveDate];
  // CCPA: the notice at collection and the privacy policy items, for a controller serving California
  const ca = Object.values(d.purposes).filter((p) => purposeJurisdictions(d, p).includes("US-CA"));
  if (controller && org.jurisdictions.includes("US-CA") && ca.length) {
    items.ccpa = [
      ...ca.flatMap((p) => p.dataCategories.map((c) => categoryName(c, cats))),
      ...ca.map((p) => p.name),
      "Sources",
      "Disclosed to",
      "Sold or shared",
      ...(ca.some((p) => p.sold || p.shared) ? ["Do Not Sell or Share My Personal Information"] : []),
      ...(d.rights.nonDiscrimination ? ["do not discriminate"] : []),
      ...(d.rights.authorizedAgents?.allowed ? ["authorized agent"] : []),
      "15 business days",
      "10 business days",
    ];
  }
  return items;
}

/**
 * Optional facts of a declaration and the sentence each one gives the notice.
 * Removing the fact must remove the sentence: nothing in the notice comes from
 * a default.
 */
const OPTIONAL: { path: string[]; sentence: RegExp }[] = [
  { path: ["rights", "verification"], sentence: /we verify who is asking/ },
  { path: ["rights", "fee"], sentence: /Requests are free/ },
  { path: ["rights", "authorizedAgents"], sentence: /authorized agent/i },
  { path: ["rights", "notifyRecipients"], sentence: /We tell the recipients of your data/ },
  { path: ["rights", "nonDiscrimination"], sentence: /do not discriminate/ },
  { path: ["consent", "validity"], sentence: /Your choices last/ },
  { path: ["consent", "signals"], sentence: /We honour (Global Privacy Control|Do Not Track)/ },
  { path: ["consent", "newsletters"], sentence: /We use double opt-in/ },
  { path: ["consent", "newsletters", "*", "doubleOptIn"], sentence: /We use double opt-in/ },
  { path: ["consent", "newsletters", "*", "unsubscribe"], sentence: /Unsubscribe at any time/ },
  { path: ["consent", "newsletters", "*", "requiredFields"], sentence: /Required: / },
  { path: ["notice", "changeNotification"], sentence: /If we make material changes/ },
  { path: ["notice", "advanceNotice"], sentence: /before they take effect/ },
  { path: ["organization", "dpo"], sentence: /data protection officer at/ },
  { path: ["organization", "euRepresentative"], sentence: /representative in the European Union/ },
  { path: ["organization", "ukRepresentative"], sentence: /representative in the United Kingdom/ },
  { path: ["organization", "supervisoryAuthority"], sentence: /complain to a supervisory authority: / },
  { path: ["organization", "disputeResolution"], sentence: /dispute resolution provider/ },
  { path: ["organization", "certifications"], sentence: /Certifications:/ },
  { path: ["organization", "jointControllers"], sentence: /joint controllers/ },
  { path: ["governance"], sentence: /Confidentiality, legal requests and breaches/ },
  { path: ["governance", "businessTransfers"], sentence: /changes hands/ },
  { path: ["security"], sentence: /How we protect your data/ },
  { path: ["children"], sentence: /not directed to children/ },
  { path: ["processorActivities"], sentence: /Data we process for our customers/ },
  { path: ["purposes", "*", "requirement"], sentence: /Must you provide it\?/ },
  { path: ["purposes", "*", "automatedDecision"], sentence: /Automated decision-making/ },
  { path: ["purposes", "*", "withdrawal"], sentence: /Withdraw consent<\/dt>/ },
];

/** Deletes a path (with `*` for every key) from a parsed YAML document; whether anything was there. */
function remove(obj: Record<string, unknown>, path: string[]): boolean {
  const [head, ...rest] = path;
  if (!obj || typeof obj !== "object") return false;
  const keys = head === "*" ? Object.keys(obj) : [head];
  let found = false;
  for (const k of keys) {
    if (!Object.hasOwn(obj, k)) continue;
    if (!rest.length) {
      delete obj[k];
      found = true;
    } else found = remove(obj[k] as Record<string, unknown>, rest) || found;
  }
  return found;
}

const EXAMPLE_FILES = readdirSync("examples")
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("the notice", () => {
  for (const file of [...EXAMPLE_FILES.map((f) => `examples/${f}`), "demo/pledge.yaml"]) {
    it(`${file}: contains every Art 13/14 item, and every CCPA item, its declaration has data for`, () => {
      const declaration = parseDeclaration(readFileSync(file, "utf8"), file).declaration;
      const html = renderNoticeHtml(buildNotice(declaration));
      for (const [id, texts] of Object.entries(expectedItems(declaration))) {
        const body = section(html, id);
        assert.ok(body, `${file}: section '${id}' is missing`);
        for (const t of texts)
          assert.ok(body.includes(esc(t)), `${file}: section '${id}' does not mention ${JSON.stringify(t)}`);
      }
    });
  }
});

describe("the notice states only what the declaration states", () => {
  for (const file of EXAMPLE_FILES) {
    it(`${file}: each optional fact's sentence is there with it and gone without it`, () => {
      const raw = readFileSync(`examples/${file}`, "utf8");
      const full = renderNoticeHtml(buildNotice(parseDeclaration(raw, file).declaration));
      let checked = 0;
      for (const o of OPTIONAL) {
        const doc = parseYaml(raw, { merge: true }) as Record<string, unknown>;
        if (!remove(doc, o.path)) continue;
        const without = renderNoticeHtml(
          buildNotice(parseDeclaration(stringifyYaml(doc, { aliasDuplicateObjects: false }), file).declaration),
        );
        assert.ok(
          !o.sentence.test(without),
          `${file}: without ${o.path.join(".")} the notice still says ${o.sentence}`,
        );
        if (o.sentence.test(full)) checked++;
      }
      assert.ok(checked >= 1, `${file}: no optional fact checked`);
    });
  }

  it("a declaration that says nothing optional gets no verification, fee, validity, signal or change promise", () => {
    const html = renderNoticeHtml(
      buildNotice(
        parseDeclaration(
          minimalYaml("consent:\n  categories:\n    stats: { name: Statistics, description: Counts visits }"),
        ).declaration,
      ),
    );
    for (const o of OPTIONAL) assert.ok(!o.sentence.test(html), `the minimal notice says ${o.sentence}`);
    assert.ok(!/one-time code|free of charge|last up to|1 year/.test(html));
  });

  it("says cookies are opt-in only when every non-essential category is off by default", () => {
    const on = renderNoticeHtml(
      buildNotice(
        parseDeclaration(
          minimalYaml(
            "consent:\n  categories:\n    stats: { name: Statistics, description: Counts visits, default: true }",
          ),
        ).declaration,
      ),
    );
    assert.ok(
      !on.includes("Non-essential cookies are set only after you opt in"),
      "printed above a category that is on by default",
    );
    assert.match(on, /Statistics is on unless you turn it off/);
    const off = renderNoticeHtml(
      buildNotice(
        parseDeclaration(
          minimalYaml("consent:\n  categories:\n    stats: { name: Statistics, description: Counts visits }"),
        ).declaration,
      ),
    );
    assert.match(off, /Non-essential cookies are set only after you opt in/);
  });

  it("a US-only notice cites no GDPR article and names no supervisory authority", () => {
    const html = renderNoticeHtml(buildNotice(example(SEED_FILES.luxsci2009).declaration));
    assert.ok(
      !/GDPR|supervisory authority|Art \d|European Economic Area/.test(html),
      /.{0,80}(GDPR|supervisory authority|Art \d|European Economic Area).{0,80}/.exec(html)?.[0],
    );
  });

  it("never promises EU users more time than the GDPR allows, and gives each law its own time", () => {
    const yaml = minimalYaml()
      .replace("jurisdictions: [EU]", "jurisdictions: [EU, US-CA, CA-QC, US-TX]")
      .replace("  channels:", "  responseTime: 45 days\n  channels:");
    const html = renderNoticeHtml(buildNotice(parseDeclaration(yaml).declaration));
    assert.match(
      html,
      /Under the GDPR, we answer within 1 month of receiving your request; where a request is complex or we receive many, we may extend this by up to 2 months, and tell you why within the first month/,
    );
    assert.ok(!/GDPR, we answer within 45 days/.test(html));
    assert.match(
      html,
      /Under the CCPA\/CPRA, we answer within 45 days of receiving your request; where reasonably necessary, we may extend this by up to 45 days, and tell you why within the first 45 days; we confirm receipt within 10 business days/,
    );
    assert.match(
      html,
      /Under the Quebec Private Sector Act \(Law 25\), we answer within 30 days of receiving your request; this deadline cannot be extended/,
    );
    assert.match(html, /Texas TDPSA[\s\S]*you may appeal[\s\S]*within 60 days[\s\S]*Texas Attorney General/);
  });

  it('prints a retention exception only for the categories it covers, and never merges rules with " / "', () => {
    const yaml = minimalYaml(`taxonomy:
  dataCategories:
    user.financial.sepa_mandate: { name: SEPA mandate }`)
      .replace(
        "dataCategories: [user.contact.email]",
        "dataCategories: [user.contact.email, user.financial.sepa_mandate]",
      )
      .replace(
        "  two_years: { period: 2 years, from: collection, action: delete }",
        "  two_years:\n    period: 2 years\n    from: membership_end\n    action: delete\n    exceptions:\n      - { reason: SEPA mandates are kept 14 months after the last debit, basis: legal_obligation, period: 14 months, dataCategories: [user.financial.sepa_mandate] }",
      );
    const html = renderNoticeHtml(buildNotice(parseDeclaration(yaml).declaration));
    const retention = section(html, "retention")!;
    assert.match(
      retention,
      /<td>SEPA mandate<\/td><td>Orders<\/td><td>Kept for as long as the membership lasts, and 2 years after the membership ends; then deleted\. Exceptions: SEPA mandates are kept 14 months after the last debit \(up to 14 months\)<\/td>/,
    );
    assert.match(
      retention,
      /<td>Email address<\/td><td>Orders<\/td><td>Kept for as long as the membership lasts, and 2 years after the membership ends; then deleted<\/td>/,
    );
    assert.ok(!retention.includes(" / "));
  });

  it('writes "1 month", never "1 months", and Markdown readable as text', () => {
    for (const file of EXAMPLE_FILES) {
      const doc = buildNotice(parseDeclaration(readFileSync(`examples/${file}`, "utf8"), file).declaration);
      const md = renderNoticeMarkdown(doc);
      const html = renderNoticeHtml(doc);
      assert.ok(
        !/\b1 (month|year|day|week|hour)s\b/.test(html + md),
        `${file}: ${/.{0,40}\b1 (month|year|day|week|hour)s\b.{0,20}/.exec(html + md)?.[0]}`,
      );
      assert.ok(
        !/\\[.\-()!#+]/.test(md.replace(/^\s*\d+\\\./gm, "")),
        `${file}: over-escaped: ${/.{0,30}\\[.\-()!#+].{0,30}/.exec(md)?.[0]}`,
      );
    }
    const md = renderNoticeMarkdown(buildNotice(example(SEED_FILES.luxsci2018).declaration));
    assert.match(md, /^Version 2018\.05\.22, effective 2018-05-22$/m);
  });

  it("has navigable sections: a table of contents linking to each section's anchor", () => {
    const doc = buildNotice(example(SEED_FILES.lutron).declaration);
    const html = renderNoticeHtml(doc);
    for (const s of doc.sections) {
      assert.ok(html.includes(`<a href="#${s.id}">${esc(s.title)}</a>`), s.id);
      assert.ok(html.includes(`<section id="${s.id}" aria-labelledby="${s.id}-title">`), s.id);
    }
    const md = renderNoticeMarkdown(doc);
    for (const s of doc.sections) assert.ok(md.includes(`(#${s.id})`) && md.includes(`<a id="${s.id}"></a>`), s.id);
  });

  it("states the retention of each category, per purpose (Lutron: recordings 180 days, the rest 10 years after obsolescence)", () => {
    const html = renderNoticeHtml(buildNotice(example(SEED_FILES.lutron).declaration));
    const retention = section(html, "retention")!;
    assert.match(
      retention,
      /<td>Screen recording of a remote session<\/td><td>[^<]*<\/td><td>180 days from collection, then deleted<\/td>/,
    );
    // a job number is kept 10 years after obsolescence, except inside a recording, which goes after 180 days: two rows,
    // never merged
    assert.match(
      retention,
      /<td>Job number<\/td><td>[^<]+<\/td><td>10 years after the system becomes obsolete, then deleted<\/td>/,
    );
    assert.match(retention, /<td>Job number<\/td><td>[^<]+<\/td><td>180 days from collection, then deleted<\/td>/);
  });

  it("adds the CCPA notice at collection when California is served", () => {
    const { declaration } = parseDeclaration(
      minimalYaml()
        .replace("jurisdictions: [EU]", "jurisdictions: [EU, US-CA]")
        .replace("    retention: two_years\n", "    retention: two_years\n    shared: true\n")
        .replace("offered: [", "offered: [opt_out_sale, "),
    );
    const html = renderNoticeHtml(buildNotice(declaration));
    const ccpa = section(html, "ccpa");
    assert.ok(ccpa);
    assert.match(ccpa, /Email address/);
    assert.match(ccpa, /Shared/);
    assert.match(ccpa, /2 years from collection/);
    assert.match(
      ccpa,
      /<a href="\/privacy-center\?right=opt_out_sale">Do Not Sell or Share My Personal Information<\/a>/,
    );
    assert.equal(
      section(renderNoticeHtml(buildNotice(parseDeclaration(minimalYaml()).declaration)), "ccpa"),
      undefined,
    );
  });

  it("escapes all text in HTML and Markdown, and neutralizes script links", () => {
    const evil = "<script>alert(1)</script>";
    const { declaration } = parseDeclaration(
      minimalYaml(
        `recipients:\n  x: { name: "Evil ${evil}", role: controller, country: DE, privacyPolicy: "javascript:alert(1)" }`,
      )
        .replace("name: Acme GmbH", `name: "Acme ${evil} [link](javascript:alert(2))"`)
        .replace("name: Orders", `name: "Orders ${evil}"\n    recipients: [x]`),
    );
    const doc = buildNotice(declaration);
    const html = renderNoticeHtml(doc);
    assert.ok(!html.includes("<script>"), "raw script tag in HTML");
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.ok(!/href="javascript:/i.test(html), "javascript: link survived");
    const md = renderNoticeMarkdown(doc);
    assert.ok(!md.includes("<script>"), "raw script tag in Markdown");
    assert.ok(!/(?<!\\)\]\(javascript:alert\(2\)\)/.test(md), "a Markdown link was injected");
  });

  it("`pledge notice` prints HTML or Markdown and rejects other formats", async () => {
    const html = await runCli(["notice", "examples/numfocus-2020.yaml", "--format", "html"]);
    assert.equal(html.code, 0);
    assert.match(html.stdout, /^<!doctype html>/);
    assert.match(html.stdout, /Sylvain Corlay/);
    const md = await runCli(["notice", "examples/numfocus-2020.yaml", "--format", "md"]);
    assert.equal(md.code, 0);
    assert.match(md.stdout, /^# Privacy notice — NumFOCUS$/m);
    const bad = await runCli(["notice", "examples/numfocus-2020.yaml", "--format", "pdf"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format: invalid value 'pdf' \(expected one of html, md\)/);
  });
});
