import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffDeclarations, type Change } from "../../src/notice/index.js";
import { runCli } from "../helpers/cli.js";
import { example, minimalYaml, SEED_FILES } from "../helpers/declarations.js";
import { parseDeclaration } from "../../src/declaration/index.js";

const old = example(SEED_FILES.luxsci2009).declaration;
const next = example(SEED_FILES.luxsci2018).declaration;
const d = diffDeclarations(old, next);
const find = (area: Change["area"], summary: string | RegExp) =>
  d.changes.find(
    (c) => c.area === area && (typeof summary === "string" ? c.summary === summary : summary.test(c.summary)),
  );

describe("pledge diff between the LuxSci notices of 2009 and 2018", () => {
  it("names the versions and finds material changes", () => {
    assert.deepEqual(d.from, { version: "2009.08.21", effectiveDate: "2009-08-21" });
    assert.deepEqual(d.to, { version: "2018.05.22", effectiveDate: "2018-05-22" });
    assert.equal(d.material, true);
  });

  it("purposes: new processing is material, dropped processing is not; each purpose's changes are one change", () => {
    assert.equal(find("purposes", "new purpose 'Providing the services ordered'")?.material, true);
    assert.equal(find("purposes", "new purpose 'Tell-a-friend referrals'")?.material, true);
    assert.ok(
      find("purposes", "new purpose 'Behavioral targeting and social media features'")?.details.includes(
        "legal basis: consent",
      ),
    );
    assert.equal(find("purposes", "purpose 'Recording logins and pages visited' dropped")?.material, false);
    const disclosure = find("purposes", "'Disclosure to law enforcement'")!;
    assert.equal(disclosure.material, true);
    assert.ok(disclosure.details.includes("legal basis: not stated → legal obligation"));
    const traffic = find("purposes", "'Website traffic analysis'")!;
    assert.ok(
      traffic.details.includes(
        "now uses IP address, Browser type, Internet service provider, Referring and exit pages, Operating system, Date and time of visits",
      ),
      traffic.details.join(" | "),
    );
    assert.equal(d.changes.filter((c) => c.key === "site_analytics").length, 1, "one change for the purpose");
    assert.ok(
      !find("purposes", "'Information and sales assistance'")!.details.some((x) => x.includes("Email address")),
      "user.contact in 2009 already covered the email address",
    );
  });

  it("lists each change once: no category or recipient counted twice", () => {
    const keys = d.changes.map((c) => `${c.area}:${c.key}`);
    assert.equal(new Set(keys).size, keys.length, "a change reported twice");
    // Google Analytics is new in 2018: reported under recipients, not again in its purpose.
    assert.equal(find("recipients", "new recipient Google Analytics (processor, United States)")?.material, true);
    assert.ok(!find("purposes", "'Website traffic analysis'")!.details.some((x) => x.includes("Google Analytics")));
    assert.ok(d.changes.length < 80, `${d.changes.length} changes`);
  });

  it("reports the role change, the change-notification promise and the metadata carve-out", () => {
    assert.equal(find("organization", /^role: controller → controller and processor/)?.material, true);
    const promise = find(
      "notice",
      /^material changes are announced by this policy, email, a notice on the LuxSci FYI Blog \(was this policy, the news section of the members' portal\)$/,
    );
    assert.ok(
      promise,
      d.changes
        .filter((c) => c.area === "notice")
        .map((c) => c.summary)
        .join(" | "),
    );
    assert.equal(promise.material, true, "the members' portal is no longer a way people are told");
    const carve = find("governance", /^staff confidentiality of Email no longer covers message metadata/);
    assert.equal(carve?.material, true);
    assert.ok(find("governance", /^if the business changes hands, people are told by email/), "the merger notice");
    assert.ok(find("organization", "new certifications: TRUSTe Privacy Certification, EU-U.S. Privacy Shield"));
    assert.ok(find("systems", "Customer portal database is located in US, hosted by RackSpace"));
    assert.ok(find("rights", "fee: not stated → free"));
  });

  it("marks the switch from session-long to indefinite retention as material, and a first stated limit as not", () => {
    const login = find("purposes", "'Login and account security'")!;
    assert.ok(
      login.details.includes("kept: 1 day after the session ends, then deleted → kept indefinitely"),
      login.details.join(" | "),
    );
    assert.equal(
      find("purposes", "'Important service announcements'")?.material,
      false,
      "no period stated → a stated one is no worse",
    );
    // The retention switch alone, nothing else changed: material.
    const onlyRetention = structuredClone(old);
    onlyRetention.retention.account_records = next.retention.account_records;
    onlyRetention.purposes.account_security.retention = "account_records";
    const alone = diffDeclarations(old, onlyRetention).changes.find((c) => c.key === "account_security")!;
    assert.equal(alone.material, true);
    // The reverse (indefinite → a day) is not; a dropped rule whose purposes went elsewhere is not reported alone.
    assert.equal(
      diffDeclarations(onlyRetention, old).changes.find((c) => c.key === "account_security")?.material,
      false,
    );
  });

  it("recipients and transfers: named vendors and Privacy Shield appear", () => {
    const authorize = find("recipients", "new recipient Authorize.net (processor, United States)")!;
    assert.equal(authorize.material, true);
    assert.ok(authorize.details.includes("transfer safeguard: the EU–US Privacy Shield"));
    assert.equal(
      find("recipients", "recipient Card storage provider (PCI-compliant, not named) dropped")?.material,
      false,
    );
    assert.ok(find("transfers", /^transfers to Lux Scientiae, Incorporated: none → the EU–US Privacy Shield$/));
  });

  it("rights: the GDPR rights arrive; the consent categories arrive", () => {
    const offered = find("rights", /^rights offered: /)!;
    for (const r of ["Access", "Rectification", "Erasure", "Restriction", "Objection", "Complaint"])
      assert.ok(offered.summary.includes(r), r);
    assert.ok(find("rights", 'response time "the legal deadline" → "30 days"'));
    for (const c of ["Essential", "Preferences", "Analytics", "Marketing"])
      assert.equal(find("consent", new RegExp(`^new consent category '${c}'`))?.material, true);
  });

  it("governance: verified law-enforcement requests and a BAA no longer automatic", () => {
    assert.ok(find("governance", "law enforcement requests are now verified before disclosure"));
    assert.equal(
      find(
        "governance",
        "HIPAA Business Associate Agreement is no longer included automatically; it must be signed and accepted",
      )?.material,
      true,
    );
    assert.ok(find("governance", "staff may no longer examine Databases without consent"));
  });

  it("going back from 2018 to 2009 removes rights, which is material", () => {
    const back = diffDeclarations(next, old);
    const lost = back.changes.find((c) => c.area === "rights" && c.summary.startsWith("rights no longer offered:"));
    assert.ok(lost?.summary.includes("Access"));
    assert.equal(lost?.material, true);
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
    assert.match(r.stdout, /^ {2}\+ new recipient Authorize\.net \(processor, United States\) {2}\[material\]$/m);
    assert.match(r.stdout, /^ {6}transfer safeguard: the EU–US Privacy Shield$/m);
    assert.match(r.stdout, /^\d+ changes, \d+ material: people must be told before they take effect$/m);
    const j = await runCli(["diff", "examples/luxsci-2009.yaml", "examples/luxsci-2018.yaml", "--format", "json"]);
    assert.equal((JSON.parse(j.stdout) as { material: boolean }).material, true);
    const notice = await runCli([
      "diff",
      "examples/luxsci-2009.yaml",
      "examples/luxsci-2018.yaml",
      "--format",
      "notice",
    ]);
    assert.equal(notice.code, 0, notice.stderr);
    assert.match(notice.stdout, /^# Changes to our privacy notice — LuxSci$/m);
    assert.match(notice.stdout, /takes effect on 2018-05-22/);
    assert.match(
      notice.stdout,
      /^- Login and account security: .*kept: 1 day after the session ends, then deleted → kept indefinitely/m,
    );
    assert.ok(!notice.stdout.includes("[material]"));
    const html = await runCli([
      "diff",
      "examples/luxsci-2009.yaml",
      "examples/luxsci-2018.yaml",
      "--format",
      "notice",
      "--notice-format",
      "html",
    ]);
    assert.match(html.stdout, /^<!doctype html>/);
    assert.match(html.stdout, /<h2 id="changes-purposes-title">What we use your data for<\/h2>/);
    const usage = await runCli(["diff", "examples/luxsci-2009.yaml"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /diff takes two declarations/);
  });
});

describe("diff of the governance registers' promises", () => {
  it("keeping session recordings or copies longer, or a new staff-access purpose, is material; shorter is not", async () => {
    const { governanceDeclaration } = await import("../helpers/governance.js");
    const a = governanceDeclaration(["sqlite"]);
    const b = structuredClone(a);
    b.governance!.remoteSessions!.recordingRetention = "1 year";
    b.governance!.temporaryCopies!.purgeWithin = "7 days";
    b.governance!.staffAccess!.purposes.push({
      id: "billing",
      description: "Fix a billing error the customer reports",
    });
    const changes = diffDeclarations(a, b).changes;
    const byKey = (k: string) => changes.find((c) => c.key === k)!;
    assert.equal(byKey("remoteSessions").material, true);
    assert.match(byKey("remoteSessions").summary, /destroyed after 1 year \(was 180 days\)/);
    assert.equal(byKey("temporaryCopies").material, false, "a shorter purge is no worse");
    assert.equal(byKey("staff-purpose:billing").material, true);
  });
});

describe("pledge diff reports what real notices changed (issue 27)", () => {
  const base = minimalYaml(`children: { minimumAge: 16 }
`)
    .replace("complaint]", "complaint]\n  nonDiscrimination: true\n  verification: { method: email_code }")
    .replace(
      "contact: { email: privacy@acme.example }",
      "contact: { email: privacy@acme.example, phone: +49 30 1 }\n  supervisoryAuthority: { name: BfDI, email: poststelle@bfdi.bund.de }",
    );
  const diff = (change: (y: string) => string) =>
    diffDeclarations(parseDeclaration(base).declaration, parseDeclaration(change(base)).declaration).changes;

  it("a new kind of data subject on a purpose is a material change of that purpose", () => {
    const c = diff((y) => y.replace("dataSubjects: [customer]", "dataSubjects: [customer, employee]"));
    const p = c.find((x) => x.area === "purposes" && x.key === "orders");
    assert.ok(p?.material);
    assert.ok(
      p?.details.some((x) => /now concerns .*mployee/.test(x)),
      JSON.stringify(p),
    );
  });

  it("non-discrimination withdrawn is material; children added is reported", () => {
    const c = diff((y) => y.replace("  nonDiscrimination: true\n", ""));
    assert.ok(c.some((x) => x.key === "nonDiscrimination" && x.kind === "removed" && x.material));
    const kids = diffDeclarations(
      parseDeclaration(base.replace("children: { minimumAge: 16 }\n", "")).declaration,
      parseDeclaration(base).declaration,
    ).changes;
    assert.ok(
      kids.some((x) => x.area === "children" && x.kind === "added"),
      JSON.stringify(kids),
    );
  });

  it("a changed supervisory authority is named, old and new", () => {
    const c = diff((y) => y.replace("name: BfDI", "name: CNIL"));
    assert.ok(
      c.some((x) => x.key === "supervisoryAuthority" && /BfDI → CNIL/.test(x.summary)),
      JSON.stringify(c),
    );
  });

  it("verification from an emailed code to an ID document is material; a dropped channel is material", () => {
    const v = diff((y) => y.replace("method: email_code", "method: id_document"));
    assert.ok(v.some((x) => x.key === "verification" && x.material));
    const ch = diffDeclarations(
      parseDeclaration(
        base.replace(
          "channels: [{ type: email, address: privacy@acme.example }]",
          "channels: [{ type: email, address: privacy@acme.example }, { type: web, address: /opt-out }]",
        ),
      ).declaration,
      parseDeclaration(base).declaration,
    ).changes;
    assert.ok(ch.some((x) => x.key === "channels" && x.material && x.details.some((d) => /dropped: web/.test(d))));
  });

  it("changed contact details show their old and new values", () => {
    const c = diff((y) => y.replace("phone: +49 30 1", "phone: +49 30 2"));
    const contact = c.find((x) => x.key === "contact");
    assert.deepEqual(contact?.details, ["phone: +49 30 1 → +49 30 2"]);
  });
});
