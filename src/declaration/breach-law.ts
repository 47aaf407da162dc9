/**
 * Breach notification law: who must be told, by when, under which article. Three kinds of row:
 * - a regime the declaration names in `governance.breach.regimes` (GDPR, HIPAA, the GLBA Safeguards Rule, NIS2…);
 * - the law of a place where affected people live (`jurisdictions`): every US state, DC and the territories, and the
 *   countries Pledge knows; these apply whenever the incident's people live there, whatever is declared;
 * - a clock that runs from another notice of the same law (`after`), such as California's 15 days after the letters.
 *
 * Rows marked `check` were written from the statute's known text but not re-read this session; docs/law.md lists
 * them for re-reading.
 */
import type { DeadlineRule } from "./law.js";

export type BreachNotify =
  | "authority"
  | "individuals"
  | "controller"
  | "media"
  | "covered_entity"
  | "credit_agencies"
  | "final_report";

/** A breach notification clock: who must be told, by when, and the article. */
export interface BreachClock {
  /** The law's id: a declared regime (`gdpr`, `glba`) or a place's law (`us-tx`, `jp`). */
  regime: string;
  notify: BreachNotify;
  /** Who exactly is told, where the law names them (the Texas Attorney General). */
  to?: string;
  /** A fixed clock; absent where the law says "without undue delay" or "as soon as feasible". */
  within?: DeadlineRule;
  /** The clock runs from this other notice of the same law, not from awareness. */
  after?: "individuals" | "authority";
  /** The law's own words for the time allowed. */
  when: string;
  /** When the duty arises. */
  condition?: string;
  /** The duty arises from this many affected people (residents of the jurisdiction, where it is one). */
  threshold?: number;
  /** The law of these places: it applies when the incident's people live there. */
  jurisdictions?: readonly string[];
  /** The duty depends on an assessed risk of harm (most national laws). */
  riskBased?: boolean;
  /** Business days skip this place's public holidays (where `jurisdictions` does not say it). */
  holidays?: string;
  cite: string;
  check?: boolean;
}

/** The regimes that follow the places the organization serves (the others follow its sector or role). */
const PLACE_REGIMES = ["gdpr", "uk_gdpr", "hipaa", "ccpa", "lgpd", "pipeda", "fadp", "quebec"] as const;

/** Regimes a declaration may name for its sector or role, beyond the places its people live. */
export const BREACH_REGIMES = [...PLACE_REGIMES, "glba", "sec_reg_sp", "sec_8k", "nydfs", "nis2", "dora"] as const;
export type BreachRegime = (typeof BREACH_REGIMES)[number];

/**
 * The declared regimes that follow the places the organization serves: they apply where named and the incident's
 * people are under them, or where the organization serves them.
 */
export const PLACE_BREACH_REGIMES: ReadonlySet<string> = new Set(PLACE_REGIMES);

const days = (amount: number): DeadlineRule => ({ amount, unit: "days" });
const EXPEDIENT = "in the most expedient time possible and without unreasonable delay";

/**
 * A US state's breach law: notice to residents (within `days` where the statute sets a number), and the regulator
 * where the statute names one, from a threshold of residents. Encrypted data is exempt in every state unless the key
 * was taken too (the register asks).
 */
function state(
  code: string,
  name: string,
  cite: string,
  o: {
    days?: number;
    when?: string;
    regulator?: { to: string; threshold?: number; days?: number; after?: boolean; when?: string; cite?: string };
    agencies?: number;
    check?: boolean;
  } = {},
): BreachClock[] {
  const regime = `us-${code.toLowerCase()}`;
  const jurisdictions = [`US-${code}`];
  const check = o.check === false ? {} : { check: true };
  const rows: BreachClock[] = [
    {
      regime,
      notify: "individuals",
      ...(o.days ? { within: days(o.days) } : {}),
      when: o.when ?? (o.days ? `${EXPEDIENT}, at most ${o.days} days after discovery` : EXPEDIENT),
      condition: `unencrypted personal information of ${name} residents`,
      jurisdictions,
      cite,
      ...check,
    },
  ];
  const r = o.regulator;
  if (r)
    rows.push({
      regime,
      notify: "authority",
      to: r.to,
      ...(r.days ? { within: days(r.days) } : {}),
      ...(r.after ? { after: "individuals" as const } : {}),
      when:
        r.when ??
        (r.days
          ? r.after
            ? `within ${r.days} days of telling the people`
            : `at most ${r.days} days after discovery`
          : "no later than the notice to the people"),
      ...(r.threshold ? { condition: `${r.threshold} or more ${name} residents`, threshold: r.threshold } : {}),
      jurisdictions,
      cite: r.cite ?? cite,
      ...check,
    });
  if (o.agencies)
    rows.push({
      regime,
      notify: "credit_agencies",
      when: "without unreasonable delay, the timing, distribution and content of the notices",
      condition: `more than ${o.agencies} ${name} residents`,
      threshold: o.agencies + 1,
      jurisdictions,
      cite,
      ...check,
    });
  return rows;
}

const AG = (state: string) => `the ${state} Attorney General`;

/** All 50 states, DC, Puerto Rico, Guam and the US Virgin Islands (California's rows are with the declared ones). */
const US_STATE_BREACH: BreachClock[] = [
  ...state("AL", "Alabama", "Ala. Code § 8-38-5", {
    days: 45,
    regulator: { to: AG("Alabama"), threshold: 1001, days: 45, cite: "Ala. Code § 8-38-6" },
    agencies: 1000,
  }),
  ...state("AK", "Alaska", "Alaska Stat. § 45.48.010", { agencies: 1000 }),
  ...state("AZ", "Arizona", "A.R.S. § 18-552(B)", {
    days: 45,
    regulator: { to: AG("Arizona"), threshold: 1001, days: 45 },
    agencies: 1000,
  }),
  ...state("AR", "Arkansas", "Ark. Code § 4-110-105", {
    regulator: { to: AG("Arkansas"), threshold: 1001, days: 45, cite: "Ark. Code § 4-110-105(d)" },
  }),
  ...state("CO", "Colorado", "C.R.S. § 6-1-716(2)", {
    days: 30,
    regulator: { to: AG("Colorado"), threshold: 500, days: 30, cite: "C.R.S. § 6-1-716(2)(f)" },
    agencies: 1000,
  }),
  ...state("CT", "Connecticut", "Conn. Gen. Stat. § 36a-701b(b)", {
    days: 60,
    regulator: { to: AG("Connecticut"), cite: "Conn. Gen. Stat. § 36a-701b(b)(2)" },
  }),
  ...state("DE", "Delaware", "Del. Code tit. 6, § 12B-102(c)", {
    days: 60,
    regulator: { to: AG("Delaware"), threshold: 501, cite: "Del. Code tit. 6, § 12B-102(d)" },
  }),
  ...state("DC", "District of Columbia", "D.C. Code § 28-3852(a)", {
    regulator: { to: "the DC Attorney General", threshold: 50, cite: "D.C. Code § 28-3852(b-1)" },
    agencies: 1000,
  }),
  ...state("FL", "Florida", "Fla. Stat. § 501.171(4)(a)", {
    days: 30,
    regulator: {
      to: "the Florida Department of Legal Affairs",
      threshold: 500,
      days: 30,
      cite: "Fla. Stat. § 501.171(3)",
    },
    agencies: 1000,
  }),
  ...state("GA", "Georgia", "O.C.G.A. § 10-1-912(a)", { agencies: 10000 }),
  ...state("GU", "Guam", "9 GCA § 48-30", { when: "without unreasonable delay" }),
  ...state("HI", "Hawaii", "HRS § 487N-2(a)", {
    when: "without unreasonable delay",
    regulator: { to: "the Hawaii Office of Consumer Protection", threshold: 1001, cite: "HRS § 487N-2(f)" },
    agencies: 1000,
  }),
  ...state("ID", "Idaho", "Idaho Code § 28-51-105"),
  ...state("IL", "Illinois", "815 ILCS 530/10(a)", {
    regulator: { to: AG("Illinois"), threshold: 501, cite: "815 ILCS 530/10(e)" },
  }),
  ...state("IN", "Indiana", "Ind. Code § 24-4.9-3-3", {
    days: 45,
    regulator: { to: AG("Indiana"), cite: "Ind. Code § 24-4.9-3-1(c)" },
    agencies: 1000,
  }),
  ...state("IA", "Iowa", "Iowa Code § 715C.2(1)", {
    regulator: {
      to: "the Iowa Attorney General's Consumer Protection Division",
      threshold: 501,
      days: 5,
      after: true,
      when: "within 5 business days of telling the people",
      cite: "Iowa Code § 715C.2(8)",
    },
  }),
  ...state("KS", "Kansas", "K.S.A. § 50-7a02(a)", { agencies: 1000 }),
  ...state("KY", "Kentucky", "KRS § 365.732(2)", { agencies: 1000 }),
  ...state("LA", "Louisiana", "La. R.S. 51:3074(E)", {
    days: 60,
    regulator: { to: AG("Louisiana"), days: 10, after: true, cite: "La. Admin. Code tit. 16, pt. III, § 701" },
  }),
  ...state("ME", "Maine", "10 M.R.S. § 1348(1)", {
    days: 30,
    regulator: { to: AG("Maine"), cite: "10 M.R.S. § 1348(5)" },
    agencies: 1000,
  }),
  ...state("MD", "Maryland", "Md. Code, Com. Law § 14-3504(c)", {
    days: 45,
    regulator: { to: AG("Maryland"), when: "before the notice to the people", cite: "Md. Code, Com. Law § 14-3504(h)" },
    agencies: 1000,
  }),
  ...state("MA", "Massachusetts", "M.G.L. c. 93H, § 3(b)", {
    when: "as soon as practicable and without unreasonable delay",
    regulator: { to: "the Massachusetts Attorney General and the Office of Consumer Affairs and Business Regulation" },
  }),
  ...state("MI", "Michigan", "MCL § 445.72", { when: "without unreasonable delay", agencies: 1000 }),
  ...state("MN", "Minnesota", "Minn. Stat. § 325E.61, subd. 1", { agencies: 500 }),
  ...state("MS", "Mississippi", "Miss. Code § 75-24-29(3)", { when: "without unreasonable delay" }),
  ...state("MO", "Missouri", "RSMo § 407.1500.2", {
    when: "without unreasonable delay",
    regulator: { to: AG("Missouri"), threshold: 1001, cite: "RSMo § 407.1500.2(8)" },
    agencies: 1000,
  }),
  ...state("MT", "Montana", "Mont. Code § 30-14-1704(1)", {
    when: "without unreasonable delay",
    regulator: { to: "the Montana Office of Consumer Protection", cite: "Mont. Code § 30-14-1704(8)" },
  }),
  ...state("NE", "Nebraska", "Neb. Rev. Stat. § 87-803(1)", {
    when: "as soon as possible and without unreasonable delay",
    regulator: { to: AG("Nebraska"), cite: "Neb. Rev. Stat. § 87-803(2)" },
  }),
  ...state("NV", "Nevada", "NRS 603A.220(1)", { agencies: 1000 }),
  ...state("NH", "New Hampshire", "RSA 359-C:20, I(a)", {
    when: "as soon as possible",
    regulator: { to: AG("New Hampshire"), cite: "RSA 359-C:20, I(b)" },
    agencies: 1000,
  }),
  ...state("NJ", "New Jersey", "N.J.S.A. 56:8-163(a)", {
    regulator: {
      to: "the New Jersey State Police",
      when: "before the notice to the people",
      cite: "N.J.S.A. 56:8-163(c)(1)",
    },
    agencies: 1000,
  }),
  ...state("NM", "New Mexico", "N.M. Stat. § 57-12C-6(A)", {
    days: 45,
    regulator: { to: AG("New Mexico"), threshold: 1001, days: 45, cite: "N.M. Stat. § 57-12C-10" },
    agencies: 1000,
  }),
  ...state("NY", "New York", "N.Y. Gen. Bus. Law § 899-aa(2)", {
    days: 30,
    regulator: {
      // The 2024 amendment (S2659B) set the 30 days and added the Department of Financial Services.
      to: "the New York Attorney General, Department of State, State Police and Department of Financial Services",
      cite: "N.Y. Gen. Bus. Law § 899-aa(8)(a)",
    },
    agencies: 5000,
  }),
  ...state("NC", "North Carolina", "N.C.G.S. § 75-65(a)", {
    when: "without unreasonable delay",
    regulator: {
      to: "the North Carolina Attorney General's Consumer Protection Division",
      cite: "N.C.G.S. § 75-65(e1)",
    },
    agencies: 1000,
  }),
  ...state("ND", "North Dakota", "N.D.C.C. § 51-30-02", {
    regulator: { to: AG("North Dakota"), threshold: 251, cite: "N.D.C.C. § 51-30-02" },
  }),
  ...state("OH", "Ohio", "Ohio Rev. Code § 1349.19(B)(2)", { days: 45, agencies: 1000 }),
  ...state("OK", "Oklahoma", "24 O.S. § 163(A)", { when: "without unreasonable delay" }),
  ...state("OR", "Oregon", "ORS 646A.604(3)", {
    days: 45,
    regulator: { to: AG("Oregon"), threshold: 251, cite: "ORS 646A.604(1)(b)" },
    agencies: 1000,
  }),
  ...state("PA", "Pennsylvania", "73 P.S. § 2303(a)", {
    when: "without unreasonable delay",
    regulator: { to: AG("Pennsylvania"), threshold: 501, cite: "73 P.S. § 2303(a.1)" },
    agencies: 1000,
  }),
  ...state("PR", "Puerto Rico", "10 L.P.R.A. § 4052", {
    when: "as expeditiously as possible",
    regulator: { to: "the Puerto Rico Department of Consumer Affairs", days: 10, cite: "10 L.P.R.A. § 4052" },
  }),
  ...state("RI", "Rhode Island", "R.I. Gen. Laws § 11-49.3-4(a)(2)", {
    days: 45,
    regulator: { to: AG("Rhode Island"), threshold: 501, cite: "R.I. Gen. Laws § 11-49.3-4(a)(2)" },
  }),
  ...state("SC", "South Carolina", "S.C. Code § 39-1-90(A)", {
    regulator: {
      to: "the South Carolina Department of Consumer Affairs",
      threshold: 1001,
      cite: "S.C. Code § 39-1-90(K)",
    },
    agencies: 1000,
  }),
  ...state("SD", "South Dakota", "SDCL § 22-40-20", {
    days: 60,
    regulator: { to: AG("South Dakota"), threshold: 251, cite: "SDCL § 22-40-20" },
  }),
  ...state("TN", "Tennessee", "Tenn. Code § 47-18-2107(b)", { days: 45, agencies: 1000 }),
  // Tex. Bus. & Com. Code § 521.053(b): 60 days; (i): the Attorney General within 30 days, from 250 Texans.
  ...state("TX", "Texas", "Tex. Bus. & Com. Code § 521.053(b)", {
    days: 60,
    regulator: { to: AG("Texas"), threshold: 250, days: 30, cite: "Tex. Bus. & Com. Code § 521.053(i)" },
    agencies: 10000,
    check: false,
  }),
  ...state("UT", "Utah", "Utah Code § 13-44-202(1)", {
    regulator: {
      to: "the Utah Attorney General and the Utah Cyber Center",
      threshold: 500,
      cite: "Utah Code § 13-44-202(1)(b)",
    },
  }),
  ...state("VT", "Vermont", "9 V.S.A. § 2435(b)(1)", {
    days: 45,
    regulator: {
      to: AG("Vermont"),
      days: 14,
      when: "a preliminary notice within 14 business days of discovery",
      cite: "9 V.S.A. § 2435(b)(3)",
    },
  }),
  ...state("VA", "Virginia", "Va. Code § 18.2-186.6(B)", {
    when: "without unreasonable delay",
    regulator: { to: AG("Virginia"), cite: "Va. Code § 18.2-186.6(B)" },
    agencies: 1000,
  }),
  ...state("VI", "US Virgin Islands", "14 V.I.C. § 2208(a)"),
  ...state("WA", "Washington", "RCW 19.255.010(8)", {
    days: 30,
    regulator: { to: AG("Washington"), threshold: 501, days: 30, cite: "RCW 19.255.010(7)" },
  }),
  ...state("WV", "West Virginia", "W. Va. Code § 46A-2A-102(a)", {
    when: "without unreasonable delay",
    agencies: 1000,
  }),
  ...state("WI", "Wisconsin", "Wis. Stat. § 134.98(3)(a)", {
    days: 45,
    when: "within a reasonable time, not exceeding 45 days after learning of the breach",
    agencies: 1000,
  }),
  ...state("WY", "Wyoming", "Wyo. Stat. § 40-12-502(a)"),
];

/** Sector and role rules a declaration names: federal US rules, New York DFS, NIS2, DORA. */
const SECTOR_BREACH: BreachClock[] = [
  {
    regime: "glba",
    notify: "authority",
    to: "the Federal Trade Commission",
    within: days(30),
    when: "as soon as possible, and no later than 30 days after discovery",
    condition: "unencrypted information of 500 or more consumers",
    threshold: 500,
    cite: "16 CFR 314.4(j)(1)",
  },
  {
    regime: "sec_reg_sp",
    notify: "individuals",
    within: days(30),
    when: "as soon as practicable, and no later than 30 days after becoming aware",
    condition: "sensitive customer information reasonably likely accessed or used without authorisation",
    cite: "17 CFR 248.30(a)(4)(iii)",
  },
  {
    regime: "sec_8k",
    notify: "authority",
    to: "the SEC (Form 8-K, Item 1.05)",
    within: { amount: 4, unit: "business_days" },
    holidays: "US",
    when: "within four business days after the incident is determined to be material",
    condition: "a cybersecurity incident the registrant determines is material (counted from that determination)",
    cite: "Form 8-K Item 1.05; 17 CFR 229.106",
  },
  {
    regime: "nydfs",
    notify: "authority",
    to: "the New York Department of Financial Services superintendent",
    within: { amount: 72, unit: "hours" },
    when: "as promptly as possible, and no later than 72 hours after determining a cybersecurity incident occurred",
    cite: "23 NYCRR 500.17(a)(1)",
  },
  {
    regime: "nis2",
    notify: "authority",
    to: "the CSIRT or competent authority (early warning)",
    within: { amount: 24, unit: "hours" },
    when: "an early warning without undue delay, and within 24 hours of becoming aware",
    condition: "a significant incident",
    cite: "NIS2 Directive Art 23(4)(a)",
  },
  {
    regime: "nis2",
    notify: "final_report",
    to: "the CSIRT or competent authority (incident notification)",
    within: { amount: 72, unit: "hours" },
    when: "an incident notification within 72 hours of becoming aware; a final report within one month after it",
    condition: "a significant incident",
    cite: "NIS2 Directive Art 23(4)(b), (d)",
  },
  {
    regime: "dora",
    notify: "authority",
    to: "the competent financial authority (initial notification)",
    within: { amount: 24, unit: "hours" },
    when:
      "an initial notification within 4 hours of classifying the incident as major and no later than 24 hours after " +
      "becoming aware; an intermediate report within 72 hours; a final report within one month",
    condition: "a major ICT-related incident",
    cite: "DORA Art 19(4); Commission Delegated Regulation (EU) 2025/301 Art 5",
    check: true,
  },
];

/** The breach clocks of the countries Pledge knows beyond Europe and North America. */
const COUNTRY_BREACH: BreachClock[] = [
  {
    regime: "jp",
    notify: "authority",
    to: "the Personal Information Protection Commission",
    within: days(30),
    when: "a preliminary report promptly (within 3 to 5 days), the final report within 30 days (60 for an attack)",
    condition: "sensitive data, financial harm, wrongful purpose, or more than 1,000 people",
    jurisdictions: ["JP"],
    cite: "APPI Art 26(1); PPC Rules Art 8(1)-(2)",
    check: true,
  },
  {
    regime: "jp",
    notify: "individuals",
    when: "promptly, as the circumstances allow",
    jurisdictions: ["JP"],
    riskBased: true,
    cite: "APPI Art 26(2)",
    check: true,
  },
  {
    regime: "kr",
    notify: "individuals",
    within: { amount: 72, unit: "hours" },
    when: "within 72 hours of becoming aware",
    jurisdictions: ["KR"],
    cite: "PIPA Art 34(1); Enforcement Decree Art 39(1)",
    check: true,
  },
  {
    regime: "kr",
    notify: "authority",
    to: "the Personal Information Protection Commission",
    within: { amount: 72, unit: "hours" },
    when: "within 72 hours of becoming aware",
    condition: "1,000 or more people, sensitive or unique identifiers, or an outside attack",
    threshold: 1000,
    jurisdictions: ["KR"],
    cite: "PIPA Art 34(3); Enforcement Decree Art 40(1)",
    check: true,
  },
  {
    regime: "sg",
    notify: "authority",
    to: "the Personal Data Protection Commission",
    within: days(3),
    when: "as soon as practicable, within 3 calendar days of assessing the breach notifiable (assessed within 30 days)",
    condition: "significant harm likely, or 500 or more people",
    jurisdictions: ["SG"],
    riskBased: true,
    cite: "PDPA s 26D(1); PDP (Notification of Data Breaches) Regulations 2021 reg 3-4",
    check: true,
  },
  {
    regime: "sg",
    notify: "individuals",
    when: "on or after notifying the Commission, where significant harm is likely",
    jurisdictions: ["SG"],
    riskBased: true,
    cite: "PDPA s 26D(2)",
    check: true,
  },
  {
    regime: "au",
    notify: "authority",
    to: "the Office of the Australian Information Commissioner",
    when: "as soon as practicable after reasonable grounds to believe; a suspected breach assessed within 30 days",
    condition: "an eligible data breach: serious harm likely",
    jurisdictions: ["AU"],
    riskBased: true,
    cite: "Privacy Act 1988 s 26WH(2), s 26WK",
    check: true,
  },
  {
    regime: "au",
    notify: "individuals",
    when: "as soon as practicable after the statement to the Commissioner",
    jurisdictions: ["AU"],
    riskBased: true,
    cite: "Privacy Act 1988 s 26WL(3)",
    check: true,
  },
  {
    regime: "nz",
    notify: "authority",
    to: "the Privacy Commissioner",
    when: "as soon as practicable after becoming aware",
    condition: "a notifiable privacy breach: serious harm caused or likely",
    jurisdictions: ["NZ"],
    riskBased: true,
    cite: "Privacy Act 2020 s 114",
    check: true,
  },
  {
    regime: "nz",
    notify: "individuals",
    when: "as soon as practicable after becoming aware",
    jurisdictions: ["NZ"],
    riskBased: true,
    cite: "Privacy Act 2020 s 115",
    check: true,
  },
  {
    regime: "in",
    notify: "authority",
    to: "the Data Protection Board of India",
    within: { amount: 72, unit: "hours" },
    when: "an intimation without delay, and the detailed report within 72 hours of becoming aware",
    jurisdictions: ["IN"],
    cite: "DPDP Act 2023 s 8(6); DPDP Rules 2025 r 7(2)",
    check: true,
  },
  {
    regime: "in",
    notify: "individuals",
    when: "without delay, in a concise, clear and plain manner",
    jurisdictions: ["IN"],
    cite: "DPDP Rules 2025 r 7(1)",
    check: true,
  },
  {
    regime: "cn",
    notify: "authority",
    to: "the departments with personal information protection duties",
    when: "immediately",
    jurisdictions: ["CN"],
    cite: "PIPL Art 57",
    check: true,
  },
  {
    regime: "cn",
    notify: "individuals",
    when: "immediately, unless measures effectively avoid harm",
    jurisdictions: ["CN"],
    riskBased: true,
    cite: "PIPL Art 57",
    check: true,
  },
  {
    regime: "za",
    notify: "authority",
    to: "the Information Regulator",
    when: "as soon as reasonably possible after discovery",
    jurisdictions: ["ZA"],
    cite: "POPIA s 22(1)-(2)",
    check: true,
  },
  {
    regime: "za",
    notify: "individuals",
    when: "as soon as reasonably possible after discovery",
    jurisdictions: ["ZA"],
    cite: "POPIA s 22(1)-(2)",
    check: true,
  },
  {
    regime: "tr",
    notify: "authority",
    to: "the Personal Data Protection Board",
    within: { amount: 72, unit: "hours" },
    when: "without delay, and within 72 hours of becoming aware",
    jurisdictions: ["TR"],
    cite: "KVKK Art 12(5); Board Decision 2019/10",
    check: true,
  },
  {
    regime: "tr",
    notify: "individuals",
    when: "within a reasonable time after identifying the people affected",
    jurisdictions: ["TR"],
    cite: "KVKK Art 12(5); Board Decision 2019/10",
    check: true,
  },
  {
    regime: "th",
    notify: "authority",
    to: "the Office of the Personal Data Protection Committee",
    within: { amount: 72, unit: "hours" },
    when: "without delay and, where feasible, within 72 hours of becoming aware",
    condition: "unless unlikely to result in a risk to people",
    jurisdictions: ["TH"],
    riskBased: true,
    cite: "PDPA B.E. 2562 s 37(4)",
    check: true,
  },
  {
    regime: "th",
    notify: "individuals",
    when: "without delay, where the risk is high",
    jurisdictions: ["TH"],
    riskBased: true,
    cite: "PDPA B.E. 2562 s 37(4)",
    check: true,
  },
  {
    regime: "ph",
    notify: "authority",
    to: "the National Privacy Commission",
    within: { amount: 72, unit: "hours" },
    when: "within 72 hours of knowledge of the breach",
    condition: "sensitive or identity-fraud-enabling data, likely to give rise to a real risk of serious harm",
    jurisdictions: ["PH"],
    riskBased: true,
    cite: "Data Privacy Act 2012 s 20(f); NPC Circular 16-03 s 17",
    check: true,
  },
  {
    regime: "ph",
    notify: "individuals",
    within: { amount: 72, unit: "hours" },
    when: "within 72 hours of knowledge of the breach",
    jurisdictions: ["PH"],
    riskBased: true,
    cite: "NPC Circular 16-03 s 18",
    check: true,
  },
  {
    regime: "mx",
    notify: "individuals",
    when: "immediately, once the breach's extent is confirmed",
    condition: "the breach significantly affects the person's property or moral rights",
    jurisdictions: ["MX"],
    riskBased: true,
    cite: "LFPDPPP (2025) Art 20",
    check: true,
  },
  {
    regime: "ar",
    notify: "individuals",
    when: "no statutory clock: Law 25.326 sets none; the AAIP recommends telling people and the agency",
    condition: "a recommendation, not a duty",
    jurisdictions: ["AR"],
    riskBased: true,
    cite: "Law 25.326 Art 9; AAIP Resolution 47/2018",
    check: true,
  },
];

/** Breach clocks per regime and place, for the breach register. Counted from awareness or discovery. */
export const BREACH_CLOCKS: readonly BreachClock[] = [
  {
    regime: "gdpr",
    notify: "authority",
    within: { amount: 72, unit: "hours" },
    when: "without undue delay and, where feasible, within 72 hours of becoming aware; reasons for any delay",
    condition: "unless unlikely to result in a risk to people",
    cite: "GDPR Art 33(1)",
  },
  {
    regime: "gdpr",
    notify: "controller",
    when: "without undue delay after becoming aware",
    condition: "a processor tells its controller",
    cite: "GDPR Art 33(2)",
  },
  {
    regime: "gdpr",
    notify: "individuals",
    when: "without undue delay",
    condition: "where the breach is likely to result in a high risk",
    cite: "GDPR Art 34(1)",
  },
  {
    regime: "uk_gdpr",
    notify: "authority",
    within: { amount: 72, unit: "hours" },
    when: "without undue delay and, where feasible, within 72 hours, to the ICO",
    condition: "unless unlikely to result in a risk to people",
    cite: "UK GDPR Art 33(1)",
  },
  {
    regime: "uk_gdpr",
    notify: "controller",
    when: "without undue delay after becoming aware",
    condition: "a processor tells its controller",
    cite: "UK GDPR Art 33(2)",
  },
  {
    regime: "uk_gdpr",
    notify: "individuals",
    when: "without undue delay",
    condition: "where the breach is likely to result in a high risk",
    cite: "UK GDPR Art 34(1)",
  },
  {
    regime: "hipaa",
    notify: "individuals",
    within: { amount: 60, unit: "days" },
    when: "without unreasonable delay and no later than 60 calendar days after discovery",
    cite: "45 CFR 164.404(b)",
  },
  {
    regime: "hipaa",
    notify: "media",
    within: { amount: 60, unit: "days" },
    when: "no later than 60 calendar days after discovery",
    condition: "more than 500 residents of a state or jurisdiction",
    cite: "45 CFR 164.406",
  },
  {
    regime: "hipaa",
    notify: "authority",
    within: { amount: 60, unit: "days" },
    when:
      "to HHS at the same time as individuals; under 500 people, in the annual log " +
      "within 60 days of the year's end",
    condition: "500 or more people",
    cite: "45 CFR 164.408(b)-(c)",
  },
  {
    regime: "hipaa",
    notify: "covered_entity",
    within: { amount: 60, unit: "days" },
    when:
      "a business associate tells the covered entity without unreasonable delay and " +
      "no later than 60 days after discovery",
    cite: "45 CFR 164.410(b)",
  },
  {
    regime: "lgpd",
    notify: "authority",
    within: { amount: 3, unit: "business_days" },
    holidays: "BR",
    when: "within 3 business days of becoming aware",
    condition: "a risk or relevant damage to the people",
    cite: "ANPD Resolution CD/ANPD 15/2024, Art 6",
  },
  {
    regime: "lgpd",
    notify: "individuals",
    within: { amount: 3, unit: "business_days" },
    holidays: "BR",
    when: "within 3 business days of becoming aware",
    condition: "a risk or relevant damage to the people",
    cite: "ANPD Resolution CD/ANPD 15/2024, Art 9",
  },
  {
    regime: "pipeda",
    riskBased: true,
    notify: "authority",
    when: "as soon as feasible after determining the breach occurred",
    condition: "a real risk of significant harm",
    cite: "PIPEDA s 10.1(1)-(2)",
  },
  {
    regime: "pipeda",
    riskBased: true,
    notify: "individuals",
    when: "as soon as feasible",
    condition: "a real risk of significant harm",
    cite: "PIPEDA s 10.1(3), (6)",
  },
  {
    regime: "ccpa",
    notify: "individuals",
    within: { amount: 30, unit: "days" },
    when:
      "in the most expedient time possible and without unreasonable delay, at most " +
      "30 calendar days after discovery",
    condition: "unencrypted personal information of California residents",
    jurisdictions: ["US-CA"],
    cite: "Cal. Civ. Code 1798.82(a)",
  },
  {
    regime: "ccpa",
    notify: "authority",
    to: "the California Attorney General",
    within: { amount: 15, unit: "days" },
    after: "individuals",
    when: "a sample copy of the notice, within 15 calendar days of telling the people",
    condition: "more than 500 California residents",
    threshold: 501,
    jurisdictions: ["US-CA"],
    cite: "Cal. Civ. Code 1798.82(f)",
  },
  {
    regime: "ccpa",
    notify: "controller",
    when: "immediately following discovery, to the owner or licensee of the data",
    condition: "a business that maintains data it does not own (a service provider)",
    jurisdictions: ["US-CA"],
    cite: "Cal. Civ. Code 1798.82(b)",
  },
  {
    regime: "fadp",
    riskBased: true,
    notify: "authority",
    when: "as soon as possible, to the FDPIC",
    condition: "a likely high risk to the person's personality or fundamental rights",
    cite: "FADP Art 24(1)",
  },
  {
    regime: "fadp",
    riskBased: true,
    notify: "individuals",
    when: "where necessary for their protection or if the FDPIC requests it",
    cite: "FADP Art 24(4)",
  },
  {
    regime: "quebec",
    riskBased: true,
    notify: "authority",
    when: "promptly, to the Commission d'accès à l'information",
    condition: "a risk of serious injury",
    cite: "Private Sector Act s 3.5",
  },
  {
    regime: "quebec",
    riskBased: true,
    notify: "individuals",
    when: "promptly",
    condition: "a risk of serious injury",
    cite: "Private Sector Act s 3.5",
  },
  ...SECTOR_BREACH,
  ...US_STATE_BREACH,
  ...COUNTRY_BREACH,
];
