import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ADEQUACY,
  BREACH_CLOCKS,
  REGIMES,
  TRANSFER_MECHANISM_INFO,
  addDeadline,
  fitsWithin,
  regimeFor,
  type RegimeId,
} from "../../src/declaration/index.js";
import { dueDate, extendedDueDate, receiptDueDate, appealDueDate } from "../../src/requests/index.js";

/**
 * Each row of the law table, pinned to the value its citation gives. A change to
 * the table must change this test too: the table is a legal statement.
 */
const ROWS: [
  RegimeId,
  string,
  {
    deadline: string;
    extension?: string;
    optOut?: string;
    receipt?: string;
    appeal?: string;
    uoom?: string;
    cite: RegExp;
  },
][] = [
  ["gdpr", "EU", { deadline: "1 months", extension: "2 months", cite: /GDPR Art 12\(3\)/ }],
  ["gdpr", "FR", { deadline: "1 months", extension: "2 months", cite: /GDPR Art 12\(3\)/ }],
  ["uk_gdpr", "UK", { deadline: "1 months", extension: "2 months", cite: /UK GDPR Art 12\(3\)/ }],
  [
    "ccpa",
    "US-CA",
    {
      deadline: "45 days",
      extension: "45 days",
      optOut: "15 business_days",
      receipt: "10 business_days",
      uoom: "2020-08-14",
      cite: /1798\.130\(a\)\(2\); 11 CCR § 7021\(b\)/,
    },
  ],
  ["vcdpa", "US-VA", { deadline: "45 days", extension: "45 days", appeal: "60 days", cite: /59\.1-577\(B\)/ }],
  [
    "cpa",
    "US-CO",
    { deadline: "45 days", extension: "45 days", appeal: "45 days", uoom: "2024-07-01", cite: /6-1-1306\(2\)/ },
  ],
  [
    "ctdpa",
    "US-CT",
    { deadline: "45 days", extension: "45 days", appeal: "60 days", uoom: "2025-01-01", cite: /42-518/ },
  ],
  [
    "tdpsa",
    "US-TX",
    { deadline: "45 days", extension: "45 days", appeal: "60 days", uoom: "2025-01-01", cite: /541\.052/ },
  ],
  [
    "ocpa",
    "US-OR",
    { deadline: "45 days", extension: "45 days", appeal: "45 days", uoom: "2026-01-01", cite: /646A\.576/ },
  ],
  ["ucpa", "US-UT", { deadline: "45 days", extension: "45 days", cite: /13-61-203/ }],
  ["icdpa", "US-IA", { deadline: "90 days", extension: "45 days", appeal: "60 days", cite: /715D\.4/ }],
  [
    "mtcdpa",
    "US-MT",
    { deadline: "45 days", extension: "45 days", appeal: "60 days", uoom: "2025-01-01", cite: /30-14-2808/ },
  ],
  [
    "dpdpa",
    "US-DE",
    { deadline: "45 days", extension: "45 days", appeal: "60 days", uoom: "2026-01-01", cite: /12D-104/ },
  ],
  [
    "njdpa",
    "US-NJ",
    { deadline: "45 days", extension: "45 days", appeal: "45 days", uoom: "2025-07-15", cite: /56:8-166/ },
  ],
  [
    "nhpa",
    "US-NH",
    { deadline: "45 days", extension: "45 days", appeal: "60 days", uoom: "2025-01-01", cite: /507-H/ },
  ],
  [
    "mncdpa",
    "US-MN",
    { deadline: "45 days", extension: "45 days", appeal: "45 days", uoom: "2025-07-31", cite: /325M/ },
  ],
  [
    "modpa",
    "US-MD",
    { deadline: "45 days", extension: "45 days", appeal: "60 days", uoom: "2025-10-01", cite: /14-4605/ },
  ],
  ["tipa", "US-TN", { deadline: "45 days", extension: "45 days", appeal: "60 days", cite: /47-18-33/ }],
  ["incdpa", "US-IN", { deadline: "45 days", extension: "45 days", appeal: "60 days", cite: /24-15-3/ }],
  ["kcdpa", "US-KY", { deadline: "45 days", extension: "45 days", appeal: "60 days", cite: /367\.36/ }],
  [
    "ndpa",
    "US-NE",
    { deadline: "45 days", extension: "45 days", appeal: "60 days", uoom: "2025-01-01", cite: /87-11/ },
  ],
  ["ridtppa", "US-RI", { deadline: "45 days", extension: "45 days", appeal: "60 days", cite: /6-48\.1/ }],
  ["lgpd", "BR", { deadline: "15 days", cite: /LGPD Art 19\(II\)/ }],
  ["pipeda", "CA", { deadline: "30 days", extension: "30 days", cite: /PIPEDA s 8\(3\)/ }],
  ["quebec", "CA-QC", { deadline: "30 days", cite: /s 32/ }],
  ["fadp", "CH", { deadline: "30 days", cite: /FADO Art 18\(1\)-\(2\)/ }],
  ["nrs603a", "US-NV", { deadline: "60 days", extension: "30 days", cite: /NRS 603A\.345/ }],
  ["fdbr", "US-FL", { deadline: "45 days", extension: "15 days", appeal: "60 days", cite: /501\.706\(2\)/ }],
  ["mhmda", "US-WA", { deadline: "45 days", extension: "45 days", appeal: "45 days", cite: /RCW 19\.373/ }],
  ["appi", "JP", { deadline: "14 days", cite: /APPI Art 33/ }],
  ["pipa_kr", "KR", { deadline: "10 days", cite: /PIPA Art 35/ }],
  ["pdpa_sg", "SG", { deadline: "30 days", cite: /reg 5/ }],
  ["privacy_au", "AU", { deadline: "30 days", cite: /APP 12\.4/ }],
  ["privacy_nz", "NZ", { deadline: "20 business_days", extension: "20 days", cite: /s 44/ }],
  ["dpdp", "IN", { deadline: "90 days", cite: /r 14/ }],
  ["pipl", "CN", { deadline: "15 days", cite: /PIPL Art 50/ }],
  ["popia", "ZA", { deadline: "30 days", extension: "30 days", cite: /PAIA s 56/ }],
  ["kvkk", "TR", { deadline: "30 days", cite: /KVKK Art 13\(2\)/ }],
  ["pdpa_th", "TH", { deadline: "30 days", cite: /s 30/ }],
  ["dpa_ph", "PH", { deadline: "15 business_days", cite: /s 16/ }],
  ["lfpdppp", "MX", { deadline: "20 days", extension: "20 days", cite: /Art 32/ }],
  ["pdpa_ar", "AR", { deadline: "10 days", cite: /Art 14\(2\)/ }],
  ["none", "US", { deadline: "45 days", cite: /no statute/ }],
];

const rule = (r?: { amount: number; unit: string }) => (r ? `${r.amount} ${r.unit}` : undefined);

describe("the law table", () => {
  for (const [id, place, want] of ROWS) {
    it(`${id} (${place}): ${want.deadline}${want.extension ? ` + ${want.extension}` : ", no extension"}${want.appeal ? `, appeal ${want.appeal}` : ""}`, () => {
      const r = REGIMES[id];
      assert.equal(regimeFor(place), id);
      assert.equal(rule(r.deadline), want.deadline);
      assert.equal(rule(r.extension), want.extension);
      assert.equal(rule(r.optOutDeadline), want.optOut);
      assert.equal(rule(r.receipt), want.receipt);
      assert.equal(rule(r.appeal), want.appeal);
      assert.equal(r.universalOptOut?.since, want.uoom);
      assert.match(r.cite, want.cite);
      if (r.family !== "none") assert.ok(r.complaintTo.length > 5, "a refusal names where to complain");
    });
  }

  it("covers every regime in the table", () => {
    assert.deepEqual(new Set(ROWS.map(([id]) => id)), new Set(Object.keys(REGIMES)));
  });

  it("knows no jurisdiction it has no row for: US-ZZ, XX and CA-ON are unknown", () => {
    for (const j of ["US-ZZ", "XX", "CA-ON"]) assert.equal(regimeFor(j), undefined, j);
  });

  it("offers each known country by its name in forms", async () => {
    const { jurisdictionChoices } = await import("../../src/declaration/index.js");
    const names = new Map(jurisdictionChoices());
    assert.equal(names.get("NZ"), "New Zealand");
    assert.equal(names.get("ZA"), "South Africa");
    assert.equal(names.get("US-NV"), "United States: Nevada");
    for (const [code] of jurisdictionChoices()) assert.ok(regimeFor(code) || code === "EU", code);
  });

  it("gives each law its own grounds for an extension, and its own extra clocks", () => {
    assert.equal(REGIMES.gdpr.extensionReason, "complex_or_many");
    assert.equal(REGIMES.ccpa.extensionReason, "reasonably_necessary", "Cal. Civ. Code 1798.130(a)(2)");
    assert.equal(REGIMES.pipeda.extensionReason, "pipeda", "PIPEDA s 8(4)");
    assert.equal(REGIMES.vcdpa.extensionReason, "complexity_and_number");
    assert.equal(REGIMES.fadp.extensionReason, "date_given", "FADO Art 18: no cap, the person is told the date");
    assert.equal(REGIMES.lgpd.simplifiedAtOnce, "LGPD Art 19(I)");
    assert.deepEqual(REGIMES.ocpa.appeal, { amount: 45, unit: "days", cite: "ORS 646A.576(6)(d)" });
    assert.deepEqual(REGIMES.ocpa.consentRevocation, { amount: 15, unit: "days", cite: "ORS 646A.578(1)(d)" });
  });

  it("has breach clocks per regime, each cited", () => {
    const clock = (regime: string, notify: string) =>
      BREACH_CLOCKS.find((c) => c.regime === regime && c.notify === notify);
    assert.deepEqual(clock("gdpr", "authority")?.within, { amount: 72, unit: "hours" });
    assert.equal(clock("gdpr", "authority")?.cite, "GDPR Art 33(1)");
    assert.equal(clock("gdpr", "controller")?.cite, "GDPR Art 33(2)");
    assert.equal(clock("gdpr", "individuals")?.cite, "GDPR Art 34(1)");
    assert.deepEqual(clock("uk_gdpr", "authority")?.within, { amount: 72, unit: "hours" });
    assert.deepEqual(clock("hipaa", "individuals")?.within, { amount: 60, unit: "days" });
    assert.equal(clock("hipaa", "individuals")?.cite, "45 CFR 164.404(b)");
    assert.match(clock("hipaa", "media")?.condition ?? "", /more than 500/);
    assert.match(clock("hipaa", "authority")?.cite ?? "", /164\.408/);
    assert.deepEqual(clock("lgpd", "authority")?.within, { amount: 3, unit: "business_days" });
    assert.match(clock("lgpd", "authority")?.cite ?? "", /Resolution CD\/ANPD 15\/2024/);
    assert.match(clock("pipeda", "authority")?.cite ?? "", /10\.1/);
    assert.match(clock("ccpa", "individuals")?.cite ?? "", /1798\.82/);
    assert.match(clock("fadp", "authority")?.cite ?? "", /FADP Art 24/);
    assert.match(clock("quebec", "authority")?.cite ?? "", /3\.5/);
    assert.equal(clock("uk_gdpr", "controller")?.cite, "UK GDPR Art 33(2)");
    assert.deepEqual(clock("ccpa", "authority")?.within, { amount: 15, unit: "days" });
    assert.equal(clock("ccpa", "authority")?.after, "individuals", "§ 1798.82(f): 15 days after telling the people");
    assert.match(clock("ccpa", "controller")?.cite ?? "", /1798\.82\(b\)/);
    assert.deepEqual(clock("us-tx", "individuals")?.within, { amount: 60, unit: "days" });
    assert.deepEqual(clock("us-tx", "authority")?.within, { amount: 30, unit: "days" });
    assert.deepEqual(clock("glba", "authority")?.within, { amount: 30, unit: "days" });
    assert.deepEqual(clock("sec_8k", "authority")?.within, { amount: 4, unit: "business_days" });
    assert.deepEqual(clock("nydfs", "authority")?.within, { amount: 72, unit: "hours" });
    assert.deepEqual(clock("nis2", "authority")?.within, { amount: 24, unit: "hours" });
  });

  it("has a breach law for all 50 states, DC, Puerto Rico, Guam and the US Virgin Islands, each cited", () => {
    const places = new Set(BREACH_CLOCKS.flatMap((c) => c.jurisdictions ?? []).filter((j) => j.startsWith("US-")));
    assert.equal(places.size, 54, [...places].sort().join(" "));
    for (const j of places) {
      const rows = BREACH_CLOCKS.filter((c) => c.jurisdictions?.includes(j));
      assert.ok(
        rows.some((c) => c.notify === "individuals"),
        `${j} tells its residents`,
      );
      for (const c of rows) assert.ok(c.cite.length > 6 && c.when.length > 5, `${j} ${c.notify} cited`);
    }
    for (const j of ["JP", "KR", "SG", "AU", "NZ", "IN", "CN", "ZA", "TR", "TH", "PH", "MX", "AR"])
      assert.ok(
        BREACH_CLOCKS.some((c) => c.jurisdictions?.includes(j)),
        `${j} has a breach row`,
      );
  });

  it("has adequacy with its scope, and the transfer tools with their limits", () => {
    assert.match(ADEQUACY.CA.scope ?? "", /PIPEDA/);
    assert.match(ADEQUACY.JP.scope ?? "", /APPI/);
    assert.equal(ADEQUACY.US, undefined, "the US only through the DPF");
    assert.equal(ADEQUACY.CN, undefined);
    assert.equal(TRANSFER_MECHANISM_INFO.dpf.importerCountry, "US");
    assert.equal(TRANSFER_MECHANISM_INFO.uk_us_data_bridge.importerCountry, "US");
    assert.equal(TRANSFER_MECHANISM_INFO.scc_pre2021.invalidSince, "2022-12-27");
    assert.equal(TRANSFER_MECHANISM_INFO.scc_pre2021.ukInvalidSince, "2024-03-21");
    assert.equal(TRANSFER_MECHANISM_INFO.privacy_shield.invalidSince, "2020-07-16");
    assert.equal(TRANSFER_MECHANISM_INFO.safe_harbor.invalidSince, "2015-10-06");
    for (const m of ["uk_idta", "uk_addendum"]) assert.equal(TRANSFER_MECHANISM_INFO[m].covers, "uk");
  });
});

describe("deadlines from the table", () => {
  const monday = new Date("2026-03-02T10:00:00Z");

  it("an opt-out of sale in California is due 15 business days after receipt, skipping weekends", () => {
    assert.equal(dueDate("ccpa", monday, "opt_out_sale").toISOString().slice(0, 10), "2026-03-23");
    assert.equal(dueDate("ccpa", monday, "limit_sensitive").toISOString().slice(0, 10), "2026-03-23");
    assert.equal(dueDate("ccpa", monday, "access").toISOString().slice(0, 10), "2026-04-16");
    assert.equal(receiptDueDate("ccpa", monday)?.toISOString().slice(0, 10), "2026-03-16");
    assert.equal(
      extendedDueDate("ccpa", dueDate("ccpa", monday, "opt_out_sale"), "opt_out_sale"),
      undefined,
      "an opt-out is not extended",
    );
    // From a Friday: 15 business days is three weeks later, on a Friday.
    assert.equal(
      addDeadline(new Date("2026-03-06T10:00:00Z"), { amount: 15, unit: "business_days" }).toISOString().slice(0, 10),
      "2026-03-27",
    );
  });

  it("a Swiss request is extended by the length staff choose, with no cap; without a length, not at all", () => {
    const due = dueDate("fadp", monday);
    assert.equal(extendedDueDate("fadp", due), undefined);
    assert.equal(
      extendedDueDate("fadp", due, "access", { amount: 90, unit: "days" })?.toISOString().slice(0, 10),
      "2026-06-30",
    );
  });

  it("a Quebec request cannot be extended; a GDPR one by two calendar months", () => {
    assert.equal(extendedDueDate("quebec", dueDate("quebec", monday)), undefined);
    assert.equal(dueDate("gdpr", new Date("2026-01-31T09:00:00Z")).toISOString().slice(0, 10), "2026-02-28");
    assert.equal(extendedDueDate("gdpr", new Date("2026-02-28T09:00:00Z"))?.toISOString().slice(0, 10), "2026-04-28");
    assert.equal(
      extendedDueDate("gdpr", new Date("2026-02-28T09:00:00Z"), "access", { amount: 14, unit: "days" })
        ?.toISOString()
        .slice(0, 10),
      "2026-03-14",
      "staff may choose a shorter extension",
    );
    assert.equal(
      extendedDueDate("gdpr", new Date("2026-02-28T09:00:00Z"), "access", { amount: 90, unit: "days" })
        ?.toISOString()
        .slice(0, 10),
      "2026-04-28",
      "never beyond the law",
    );
  });

  it("a promise shorter than the law wins; a longer one never does", () => {
    assert.equal(
      dueDate("gdpr", monday, "access", { amount: 14, unit: "days" }).toISOString().slice(0, 10),
      "2026-03-16",
    );
    assert.equal(
      dueDate("gdpr", monday, "access", { amount: 45, unit: "days" }).toISOString().slice(0, 10),
      "2026-04-02",
    );
  });

  it("appeals have their own clock", () => {
    assert.equal(appealDueDate("tdpsa", monday)?.toISOString().slice(0, 10), "2026-05-01");
    assert.equal(appealDueDate("ucpa", monday), undefined);
    assert.equal(appealDueDate("gdpr", monday), undefined);
  });

  it("compares promises with the law on the calendar", () => {
    assert.equal(fitsWithin({ amount: 1, unit: "month" }, { amount: 1, unit: "months" }), true);
    assert.equal(fitsWithin({ amount: 30, unit: "day" }, { amount: 1, unit: "months" }), false);
    assert.equal(fitsWithin({ amount: 4, unit: "week" }, { amount: 1, unit: "months" }), true);
    assert.equal(fitsWithin({ amount: 2, unit: "week" }, { amount: 15, unit: "business_days" }), true);
    assert.equal(
      fitsWithin({ amount: 3, unit: "week" }, { amount: 15, unit: "business_days" }),
      false,
      "from a Saturday, 15 business days end on the 20th day",
    );
    assert.equal(fitsWithin({ amount: 22, unit: "day" }, { amount: 15, unit: "business_days" }), false);
  });
});

describe("docs/law.md", () => {
  it("holds the table `pledge law` prints, so the document cannot drift from the rows the code acts on", async () => {
    const { readFileSync } = await import("node:fs");
    const { lawTableMarkdown } = await import("../../src/declaration/index.js");
    const doc = readFileSync(new URL("../../docs/law.md", import.meta.url), "utf8");
    const m = /<!-- pledge law: begin -->\n([\s\S]*)<!-- pledge law: end -->/.exec(doc);
    assert.ok(m, "the markers are in docs/law.md");
    assert.equal(m[1], lawTableMarkdown(), "regenerate: pledge law, and paste between the markers");
    for (const j of ["US-NV", "US-FL", "JP", "KR", "SG", "AU", "NZ", "IN", "CN", "ZA", "TR", "TH", "PH", "MX", "AR"]) {
      const [requests, breaches] = m[1].split("### Breach clocks");
      assert.match(requests, new RegExp(`\\| [^|]*\\b${j}\\b[^|]* \\| \\d+ `), `${j}: its request deadline`);
      assert.match(
        breaches,
        new RegExp(`\\| ${j} \\| .* \\| [^|]*\\d[^|]* \\| (re-read)? \\|`),
        `${j}: its breach clocks, cited`,
      );
    }
  });
});
