/**
 * "Who must we tell, by when, across every place our affected people live?" An incident whose people live in three US
 * states and two countries: every clock with its legal source, each computed date pinned.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDeclaration } from "../../src/declaration/index.js";
import { incidentClocks } from "../../src/governance/index.js";
import { minimalYaml } from "../helpers/declarations.js";

const decl = (regimes: string) =>
  parseDeclaration(
    minimalYaml(`governance:
  breach:
    procedure: We investigate and notify as the law requires.
    regimes: [${regimes}]
`),
  ).declaration;

const details = {
  nature: ["confidentiality" as const],
  datasets: [],
  categories: [],
  records: null,
  encrypted: false,
  risk: "high" as const,
  riskReasoning: "Names, addresses and account numbers were copied",
  consequences: "",
  measures: "",
  description: "",
  notified: {},
};

describe("the breach register's clocks across places", () => {
  // Friday 20 November 2026, 09:00 UTC.
  const awareAt = "2026-11-20T09:00:00.000Z";
  const affectedBy = { "US-TX": 300, "US-CA": 600, "US-NY": 40, JP: 1200, KR: 50 };
  const clocks = incidentClocks(
    decl("glba"),
    { ...details, awareAt, people: 2190, jurisdictions: Object.keys(affectedBy), affectedBy },
    new Date("2026-11-21T00:00:00Z"),
  );
  const by = new Map(clocks.map((c) => [c.key, c]));

  it("lists every clock of the places and the declared sector rule, each with its legal source and date", () => {
    const expected: [key: string, applies: string, due: string | null, cite: RegExp][] = [
      ["ccpa:individuals", "yes", "2026-12-20T09:00:00.000Z", /Cal\. Civ\. Code 1798\.82\(a\)/],
      // § 1798.82(f): 15 days after the people are told; counted from their deadline until they are.
      ["ccpa:authority", "yes", "2027-01-04T09:00:00.000Z", /1798\.82\(f\)/],
      ["us-tx:individuals", "yes", "2027-01-19T09:00:00.000Z", /521\.053\(b\)/],
      ["us-tx:authority", "yes", "2026-12-20T09:00:00.000Z", /521\.053\(i\)/],
      ["us-tx:credit_agencies", "no", null, /521\.053/],
      ["us-ny:individuals", "yes", "2026-12-20T09:00:00.000Z", /899-aa\(2\)/],
      ["us-ny:authority", "yes", null, /899-aa\(8\)/],
      ["us-ny:credit_agencies", "no", null, /899-aa/],
      ["jp:authority", "yes", "2026-12-20T09:00:00.000Z", /APPI Art 26\(1\)/],
      ["jp:individuals", "yes", null, /APPI Art 26\(2\)/],
      ["kr:individuals", "yes", "2026-11-23T09:00:00.000Z", /PIPA Art 34\(1\)/],
      ["kr:authority", "no", "2026-11-23T09:00:00.000Z", /PIPA Art 34\(3\)/],
      ["glba:authority", "yes", "2026-12-20T09:00:00.000Z", /16 CFR 314\.4\(j\)/],
    ];
    assert.deepEqual(
      [...by.keys()].sort(),
      expected.map(([k]) => k).sort(),
      "no clock of a place where nobody affected lives, and none missing",
    );
    for (const [key, applies, due, cite] of expected) {
      const c = by.get(key)!;
      assert.equal(c.applies, applies, `${key}: ${c.why}`);
      assert.equal(c.dueAt, due, key);
      assert.match(c.cite, cite, key);
      assert.ok(c.when.length > 5, `${key} says when in the law's words`);
    }
  });

  it("says who is told and why a duty does not arise", () => {
    assert.equal(by.get("us-tx:authority")!.to, "the Texas Attorney General");
    assert.match(by.get("us-tx:authority")!.why, /300 people in US-TX/);
    assert.match(by.get("kr:authority")!.why, /50 people in KR, under the threshold of 1000/);
    assert.match(by.get("us-tx:credit_agencies")!.why, /under the threshold/);
  });

  it("California's Attorney General clock runs from the day the letters went out", () => {
    const sent = incidentClocks(
      decl(""),
      {
        ...details,
        awareAt,
        people: 600,
        jurisdictions: ["US-CA"],
        affectedBy: { "US-CA": 600 },
        notified: { "ccpa:individuals": { at: "2026-12-01T12:00:00.000Z", by: "olga", note: "letters mailed" } },
      },
      new Date("2026-12-02T00:00:00Z"),
    );
    assert.equal(sent.find((c) => c.key === "ccpa:authority")!.dueAt, "2026-12-16T12:00:00.000Z");
  });

  it("encrypted data is exempt under state law; a law of residence applies without being declared", () => {
    const enc = incidentClocks(
      decl(""),
      { ...details, encrypted: true, awareAt, people: 300, jurisdictions: ["US-TX"], affectedBy: { "US-TX": 300 } },
      new Date(awareAt),
    );
    assert.equal(enc.find((c) => c.key === "us-tx:individuals")!.applies, "no");
  });

  it("the law of a country the organization serves applies to its people who live there, named or not", () => {
    const br = parseDeclaration(
      minimalYaml(`governance:
  breach:
    procedure: We investigate and notify as the law requires.
`).replace("jurisdictions: [EU]", "jurisdictions: [EU, BR]"),
    ).declaration;
    const thursday = "2026-11-19T09:00:00.000Z";
    const clocks = incidentClocks(
      br,
      { ...details, awareAt: thursday, people: 40, jurisdictions: ["BR"], affectedBy: { BR: 40 } },
      new Date(thursday),
    );
    // ANPD Resolution 15/2024: 3 business days from Thursday 19 November 2026. Friday the 20th is a national holiday in
    // Brazil (Black Consciousness Day), so the days are Monday, Tuesday and Wednesday, not Friday to Tuesday.
    assert.deepEqual(
      clocks.map((c) => `${c.key} ${c.dueAt}`),
      ["lgpd:authority 2026-11-25T09:00:00.000Z", "lgpd:individuals 2026-11-25T09:00:00.000Z"],
    );
  });

  it("business-day clocks skip the public holidays of the law's place", () => {
    // SEC Form 8-K Item 1.05: four business days from Wednesday 25 November 2026; Thanksgiving is skipped.
    const sec = incidentClocks(
      decl("sec_8k"),
      { ...details, awareAt: "2026-11-25T15:00:00.000Z", people: 10, jurisdictions: ["US"] },
      new Date("2026-11-25T16:00:00Z"),
    );
    assert.equal(sec.find((c) => c.key === "sec_8k:authority")!.dueAt, "2026-12-02T15:00:00.000Z");
  });
});
