import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  EEA_COUNTRIES,
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

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

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
  // Art 13(1)(a): identity and contact details of the controller
  items.controller = [org.name, org.contact.email, org.contact.phone, org.contact.address].filter((x): x is string => !!x);
  // Art 13(1)(b): the DPO
  if (org.dpo) items.dpo = [org.dpo.name, org.dpo.email, org.dpo.address].filter((x): x is string => !!x);
  if (org.euRepresentative) items.representative = [org.euRepresentative.name!];
  // Art 13(1)(c)-(d), 13(2)(e), 14(1)(d), 14(2)(f)
  items.purposes = Object.values(d.purposes).flatMap((p) => [
    p.name,
    ...(p.legalBasis ? [LEGAL_BASIS_INFO[p.legalBasis].article] : []),
    ...(p.legitimateInterest ? [p.legitimateInterest] : []),
    ...(p.requirement?.consequence ? [p.requirement.consequence] : []),
    ...(p.sourceDescription ? [p.sourceDescription] : []),
    ...p.dataCategories.map((c) => categoryName(c, cats)),
  ]);
  // Art 13(1)(e): recipients
  if (Object.keys(d.recipients).length) items.recipients = Object.values(d.recipients).map((r) => r.name);
  // Art 13(1)(f): transfers
  if (servesEu(org.jurisdictions)) {
    const outside = Object.values(d.recipients).filter((r) => !EEA_COUNTRIES.has(r.country));
    if (outside.length || org.transfer) {
      items.transfers = [...outside.map((r) => r.name), ...outside.flatMap((r) => r.transfer?.mechanisms.map((m) => TRANSFER_MECHANISM_INFO[m].name) ?? [])];
    }
  }
  // Art 13(2)(a): retention, per category
  items.retention = collectedCategories(d).map((c) => categoryName(c, cats));
  // Art 13(2)(b)-(d): rights, withdrawal of consent, complaint
  items.rights = [...d.rights.offered.map((r) => RIGHT_INFO[r].name), "supervisory authority", ...d.rights.channels.map((c) => c.address)];
  if (Object.values(d.purposes).some((p) => p.legalBasis === "consent")) items.rights.push("withdraw it at any time");
  if (d.consent && Object.keys(d.consent.categories).length) items.cookies = Object.values(d.consent.categories).map((c) => c.name);
  if (d.consent && Object.keys(d.consent.newsletters).length) items.newsletters = Object.values(d.consent.newsletters).map((n) => n.doubleOptIn.confirmWithin);
  if (d.security) items.security = d.security.measures;
  items.changes = [d.version, d.effectiveDate];
  return items;
}

describe("the notice", () => {
  for (const [key, file] of Object.entries(SEED_FILES)) {
    it(`${key}: contains every Art 13/14 item its declaration has data for`, () => {
      const { declaration } = example(file);
      const html = renderNoticeHtml(buildNotice(declaration));
      for (const [id, texts] of Object.entries(expectedItems(declaration))) {
        const body = section(html, id);
        assert.ok(body, `${file}: section '${id}' is missing`);
        for (const t of texts) assert.ok(body.includes(esc(t)), `${file}: section '${id}' does not mention ${JSON.stringify(t)}`);
      }
    });
  }

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

  it("states the retention of each category (Lutron: recordings 180 days, the rest 10 years after obsolescence)", () => {
    const html = renderNoticeHtml(buildNotice(example(SEED_FILES.lutron).declaration));
    const retention = section(html, "retention")!;
    assert.match(retention, /<td>Screen recording of a remote session<\/td><td>180 days from collection, then deleted<\/td>/);
    // a job number is kept 10 years after obsolescence, except inside a recording, which goes after 180 days
    assert.match(retention, /<td>Job number<\/td><td>10 years after the system becomes obsolete, then deleted \/ 180 days from collection, then deleted<\/td>/);
  });

  it("gives the version and effective date", () => {
    const md = renderNoticeMarkdown(buildNotice(example(SEED_FILES.luxsci2018).declaration));
    assert.match(md, /^Version 2018\\\.05\\\.22, effective 2018\\-05\\-22$/m);
  });

  it("adds the CCPA notice at collection when California is served", () => {
    const { declaration } = parseDeclaration(
      minimalYaml().replace("jurisdictions: [EU]", "jurisdictions: [EU, US-CA]").replace("    retention: two_years\n", "    retention: two_years\n    shared: true\n").replace("offered: [", "offered: [opt_out_sale, "),
    );
    const html = renderNoticeHtml(buildNotice(declaration));
    const ccpa = section(html, "ccpa");
    assert.ok(ccpa);
    assert.match(ccpa, /Email address/);
    assert.match(ccpa, /Shared/);
    assert.match(ccpa, /2 years from collection/);
    assert.match(ccpa, /<a href="\/privacy-center\?right=opt_out_sale">Do Not Sell or Share My Personal Information<\/a>/);
    assert.equal(section(renderNoticeHtml(buildNotice(parseDeclaration(minimalYaml()).declaration)), "ccpa"), undefined);
  });

  it("escapes all text in HTML and Markdown, and neutralizes script links", () => {
    const evil = "<script>alert(1)</script>";
    const { declaration } = parseDeclaration(
      minimalYaml(`recipients:\n  x: { name: "Evil ${evil}", role: controller, country: DE, privacyPolicy: "javascript:alert(1)" }`)
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
    assert.ok(!md.includes("](javascript:alert(2))"), "a Markdown link was injected");
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
