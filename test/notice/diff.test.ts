import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffDeclarations, type Change } from "../../src/notice/index.js";
import { runCli } from "../helpers/cli.js";
import { example, SEED_FILES } from "../helpers/declarations.js";

const old = example(SEED_FILES.luxsci2009).declaration;
const next = example(SEED_FILES.luxsci2018).declaration;
const d = diffDeclarations(old, next);
const find = (area: Change["area"], summary: string | RegExp) =>
  d.changes.find((c) => c.area === area && (typeof summary === "string" ? c.summary === summary : summary.test(c.summary)));

describe("pledge diff between the LuxSci notices of 2009 and 2018", () => {
  it("names the versions and finds material changes", () => {
    assert.deepEqual(d.from, { version: "2009.08.21", effectiveDate: "2009-08-21" });
    assert.deepEqual(d.to, { version: "2018.05.22", effectiveDate: "2018-05-22" });
    assert.equal(d.material, true);
  });

  it("purposes: new processing is material, dropped processing is not", () => {
    assert.equal(find("purposes", /^new purpose 'Providing the services ordered'/)?.material, true);
    assert.equal(find("purposes", /^new purpose 'Tell-a-friend referrals'/)?.material, true);
    assert.equal(find("purposes", /^new purpose 'Behavioral targeting and social media features' \(consent;/)?.material, true);
    assert.equal(find("purposes", "purpose 'Recording logins and pages visited' dropped")?.material, false);
    assert.equal(find("purposes", "'Disclosure to law enforcement': legal basis not stated → legal_obligation")?.material, true);
    assert.equal(find("purposes", "'Website traffic analysis' now shares with Google Analytics")?.material, true);
  });

  it("categories: web analytics now collects IP addresses, browser and ISP; a parent category covers its children", () => {
    assert.equal(find("categories", "now collects Internet service provider")?.material, true);
    assert.equal(find("categories", "now collects Browser type")?.material, true);
    assert.equal(find("purposes", "'Information and sales assistance' now uses Email address"), undefined, "user.contact in 2009 already covered the email address");
  });

  it("recipients and transfers: named vendors and Privacy Shield appear", () => {
    assert.equal(find("recipients", "new recipient Authorize.net (processor, United States)")?.material, true);
    assert.equal(find("recipients", "recipient Card storage provider (PCI-compliant, not named) dropped")?.material, false);
    assert.equal(find("transfers", "transfer to Authorize.net (United States) under the EU–US Privacy Shield")?.material, true);
    assert.ok(find("transfers", /^transfers to Lux Scientiae, Incorporated: none → the EU–US Privacy Shield$/));
  });

  it("retention: the 14-month web log limit and indefinite account records appear", () => {
    assert.ok(find("retention", "new retention rule 'web_logs': 14 months from collection, then deleted"));
    assert.equal(find("retention", /^new retention rule 'account_records': Kept indefinitely/)?.material, true);
  });

  it("rights: the GDPR rights arrive; the consent categories arrive", () => {
    for (const r of ["Access", "Rectification", "Erasure", "Restriction", "Objection", "Complaint"]) assert.ok(find("rights", `right offered: ${r}`), r);
    assert.ok(find("rights", "response time legal deadline → 30 days"));
    for (const c of ["Essential", "Preferences", "Analytics", "Marketing"]) assert.equal(find("consent", `new consent category '${c}'`)?.material, true);
  });

  it("governance: verified law-enforcement requests and a BAA no longer automatic", () => {
    assert.ok(find("governance", "law enforcement requests are now verified before disclosure"));
    assert.equal(find("governance", "HIPAA Business Associate Agreement is no longer included automatically; it must be signed and accepted")?.material, true);
    assert.ok(find("governance", "staff may no longer examine Databases content without consent"));
  });

  it("going back from 2018 to 2009 removes rights, which is material", () => {
    const back = diffDeclarations(next, old);
    assert.equal(back.changes.find((c) => c.summary === "right no longer offered: Access")?.material, true);
  });

  it("a declaration compared with itself has no changes", () => {
    const same = diffDeclarations(next, next);
    assert.deepEqual(same.changes, []);
    assert.equal(same.material, false);
  });

  it("`pledge diff` prints the changes with material ones marked, or JSON", async () => {
    const r = await runCli(["diff", "examples/luxsci-2009.yaml", "examples/luxsci-2018.yaml"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^2009\.08\.21 \(2009-08-21\) → 2018\.05\.22 \(2018-05-22\)$/m);
    assert.match(r.stdout, /^ {2}\+ transfer to Authorize\.net \(United States\) under the EU–US Privacy Shield {2}\[material\]$/m);
    assert.match(r.stdout, /^\d+ changes, \d+ material: people must be told before they take effect$/m);
    const j = await runCli(["diff", "examples/luxsci-2009.yaml", "examples/luxsci-2018.yaml", "--format", "json"]);
    assert.equal((JSON.parse(j.stdout) as { material: boolean }).material, true);
    const usage = await runCli(["diff", "examples/luxsci-2009.yaml"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /diff takes two declarations/);
  });
});
