/**
 * The legal facts Pledge encodes, as data in one place so that a correction is
 * a one-line change. Each row cites its source. Rows marked `check: true` are
 * less certain (see shared/reference/law.md).
 */
import type { RightName } from "./schema.js";

export type RegimeId =
  | "gdpr"
  | "uk_gdpr"
  | "ccpa"
  | "vcdpa"
  | "cpa"
  | "ctdpa"
  | "tdpsa"
  | "ocpa"
  | "ucpa"
  | "icdpa"
  | "mtcdpa"
  | "dpdpa"
  | "njdpa"
  | "nhpa"
  | "mncdpa"
  | "modpa"
  | "tipa"
  | "incdpa"
  | "kcdpa"
  | "ndpa"
  | "ridtppa"
  | "nrs603a"
  | "fdbr"
  | "mhmda"
  | "lgpd"
  | "pipeda"
  | "quebec"
  | "fadp"
  | "appi"
  | "pipa_kr"
  | "pdpa_sg"
  | "privacy_au"
  | "privacy_nz"
  | "dpdp"
  | "pipl"
  | "popia"
  | "kvkk"
  | "pdpa_th"
  | "dpa_ph"
  | "lfpdppp"
  | "pdpa_ar"
  | "none";

export interface DeadlineRule {
  amount: number;
  unit: "days" | "months" | "business_days" | "hours";
}

/** A clock with its source: when it runs, and the article that sets it. */
export interface CitedDeadline extends DeadlineRule {
  cite: string;
}

/**
 * The family of a regime decides the wording a person is given: EU-style
 * (articles, a supervisory authority, a court), US-state (the attorney
 * general, an appeal), or the law's own.
 */
export type RegimeFamily = "gdpr" | "us_state" | "other" | "none";

/**
 * The law's grounds for extending the answer: GDPR Art 12(3) "complexity and number"; the Virginia-model states
 * "reasonably necessary, taking into account the complexity and number"; CCPA § 1798.130(a)(2) "reasonably necessary";
 * PIPEDA s 8(4) interference or consultation; Swiss FADO Art 18(2): no cap, the person is told the date.
 */
export type ExtensionReason =
  | "complex_or_many"
  | "complexity_and_number"
  | "reasonably_necessary"
  | "pipeda"
  | "date_given";

export interface Regime {
  id: RegimeId;
  name: string;
  family: RegimeFamily;
  /** The jurisdiction codes of the declaration that this regime governs. */
  jurisdictions: readonly string[];
  /** Rights a person has under the regime. */
  rights: RightName[];
  /** Time to answer a request, counted from receipt. */
  deadline: DeadlineRule;
  /** The longest extension, with notice and reasons; none where the law allows none (or sets no cap). */
  extension?: DeadlineRule;
  /** The grounds for an extension, in the law's terms. */
  extensionReason?: ExtensionReason;
  /** A simplified answer is due at once; the deadline is the complete answer's (LGPD Art 19(I)-(II)). */
  simplifiedAtOnce?: string;
  /** The article that sends complaints where `complaintTo` says. */
  complaintCite?: string;
  /** Opt-out of sale or sharing and limiting sensitive data have their own, shorter clock. */
  optOutDeadline?: CitedDeadline;
  /** A confirmation of receipt must go out within this time of receipt, before any verification. */
  receipt?: CitedDeadline;
  /** The law requires a data protection assessment for targeted advertising or a sale (Va. Code § 59.1-580(A)…). */
  assessmentRequired?: boolean;
  /** A withdrawal of consent takes effect within this time (Oregon: 15 days). */
  consentRevocation?: CitedDeadline;
  /** The law's words where it sets no number of days ("without delay"); `deadline` is then Pledge's working target. */
  deadlineWords?: "without delay" | "within a reasonable period" | "promptly";
  /** A refused request can be appealed; the organization answers the appeal within this time. */
  appeal?: CitedDeadline & { extension?: DeadlineRule; check?: boolean };
  /** The law makes universal opt-out signals (Global Privacy Control) binding from this date. */
  universalOptOut?: { since: string; cite: string; check?: boolean };
  /** Verification required before acting on requests. */
  verificationRequired: boolean;
  /** Where a person complains, in the words a refusal uses. */
  complaintTo: string;
  cite: string;
  check?: boolean;
}

const GDPR_RIGHTS: RightName[] = [
  "access",
  "rectification",
  "erasure",
  "restriction",
  "portability",
  "objection",
  "automated_decision",
  "withdraw_consent",
  "complaint",
];
/** The rights the US state laws modelled on Virginia's give: access, correction, deletion, portability, opting out. */
const US_STATE_RIGHTS: RightName[] = [
  "access",
  "rectification",
  "erasure",
  "portability",
  "opt_out_sale",
  "opt_out_targeted_advertising",
  "opt_out_profiling",
];
const days = (amount: number): DeadlineRule => ({ amount, unit: "days" });

/** The rights a law's opt-out clock covers where it has one (11 CCR § 7026(f), § 7027(g)), without extension. */
export const OPT_OUT_CLOCK_RIGHTS: readonly RightName[] = [
  "opt_out_sale",
  "limit_sensitive",
  "opt_out_targeted_advertising",
];

/**
 * A US state law of the Virginia model: 45 days to answer, 45 more once with
 * notice, an appeal answered by the controller (60 days unless noted), and the
 * attorney general as the complaint route.
 */
function usState(
  id: RegimeId,
  name: string,
  state: string,
  cite: string,
  o: {
    deadline?: number;
    extension?: number;
    appeal?: { days: number; extension?: number; cite: string } | null;
    universalOptOut?: { since: string; cite: string };
    rights?: RightName[];
    /** The Virginia model requires data protection assessments; Utah, Iowa, Nevada and Washington's MHMDA do not. */
    assessment?: false;
    check?: boolean;
  },
): Regime {
  return {
    id,
    name,
    family: "us_state",
    jurisdictions: [`US-${state}`],
    rights: o.rights ?? US_STATE_RIGHTS,
    deadline: days(o.deadline ?? 45),
    extension: days(o.extension ?? 45),
    extensionReason: "complexity_and_number",
    ...(o.assessment === false ? {} : { assessmentRequired: true }),
    ...(o.appeal
      ? {
          appeal: {
            ...days(o.appeal.days),
            ...(o.appeal.extension ? { extension: days(o.appeal.extension) } : {}),
            cite: o.appeal.cite,
            ...(o.check ? { check: true } : {}),
          },
        }
      : {}),
    ...(o.universalOptOut ? { universalOptOut: { ...o.universalOptOut, ...(o.check ? { check: true } : {}) } } : {}),
    verificationRequired: true,
    complaintTo: `the ${stateName(state)} Attorney General`,
    cite,
    ...(o.check ? { check: true } : {}),
  };
}

function stateName(code: string): string {
  return US_STATES[code] ?? code;
}

const US_STATES: Record<string, string> = {
  CA: "California",
  VA: "Virginia",
  CO: "Colorado",
  CT: "Connecticut",
  TX: "Texas",
  OR: "Oregon",
  UT: "Utah",
  IA: "Iowa",
  MT: "Montana",
  DE: "Delaware",
  NJ: "New Jersey",
  NH: "New Hampshire",
  MN: "Minnesota",
  MD: "Maryland",
  TN: "Tennessee",
  IN: "Indiana",
  KY: "Kentucky",
  NE: "Nebraska",
  RI: "Rhode Island",
  NV: "Nevada",
  FL: "Florida",
  WA: "Washington",
};

/** The national laws outside Europe and the Americas' federal level that Pledge knows (see docs/law.md). */
function country(
  id: RegimeId,
  name: string,
  code: string,
  o: {
    rights: RightName[];
    deadline: DeadlineRule;
    deadlineWords?: Regime["deadlineWords"];
    extension?: DeadlineRule;
    complaintTo: string;
    complaintCite: string;
    cite: string;
    check?: boolean;
  },
): Regime {
  return {
    id,
    name,
    family: "other",
    jurisdictions: [code],
    rights: o.rights,
    deadline: o.deadline,
    ...(o.deadlineWords ? { deadlineWords: o.deadlineWords } : {}),
    ...(o.extension ? { extension: o.extension, extensionReason: "reasonably_necessary" as const } : {}),
    verificationRequired: true,
    complaintTo: o.complaintTo,
    complaintCite: o.complaintCite,
    cite: o.cite,
    ...(o.check ? { check: true } : {}),
  };
}

/** Rights-request law per country; rows marked `check` were not re-read in the statute this session (docs/law.md). */
const COUNTRY_REGIMES = {
  // APPI Art 33(2), 34(3), 35(3): "without delay" (遅滞なく); Pledge works to 14 days.
  appi: country("appi", "Japan APPI", "JP", {
    rights: ["access", "rectification", "erasure", "restriction", "complaint"],
    deadline: days(14),
    deadlineWords: "without delay",
    complaintTo: "the Personal Information Protection Commission (PPC)",
    complaintCite: "APPI Art 132",
    cite: "APPI Art 33(2)",
    check: true,
  }),
  // PIPA Art 35(3) with Enforcement Decree Art 41(4): access within 10 days; Art 36-37 correction, suspension.
  pipa_kr: country("pipa_kr", "Korea PIPA", "KR", {
    rights: ["access", "rectification", "erasure", "restriction", "portability", "automated_decision", "complaint"],
    deadline: days(10),
    complaintTo: "the Personal Information Protection Commission (PIPC)",
    complaintCite: "PIPA Art 62",
    cite: "PIPA Art 35(3); Enforcement Decree Art 41(4)",
    check: true,
  }),
  // PDPA s 21-22 with PDP Regulations 2021 reg 5: within 30 days, or tell the person when it will be done.
  pdpa_sg: country("pdpa_sg", "Singapore PDPA", "SG", {
    rights: ["access", "rectification", "withdraw_consent", "portability", "complaint"],
    deadline: days(30),
    complaintTo: "the Personal Data Protection Commission (PDPC)",
    complaintCite: "PDPA s 48H",
    cite: "PDP Regulations 2021 reg 5",
    check: true,
  }),
  // Privacy Act 1988 Sch 1, APP 12.4(a)(ii): within a reasonable period; 30 days is the OAIC's guidance.
  privacy_au: country("privacy_au", "Australia Privacy Act", "AU", {
    rights: ["access", "rectification", "complaint"],
    deadline: days(30),
    deadlineWords: "within a reasonable period",
    complaintTo: "the Office of the Australian Information Commissioner (OAIC)",
    complaintCite: "Privacy Act 1988 s 36",
    cite: "Privacy Act 1988 Sch 1, APP 12.4",
    check: true,
  }),
  // Privacy Act 2020 s 44(1): within 20 working days; s 48 extension.
  privacy_nz: country("privacy_nz", "New Zealand Privacy Act", "NZ", {
    rights: ["access", "rectification", "complaint"],
    deadline: { amount: 20, unit: "business_days" },
    extension: days(20),
    complaintTo: "the Privacy Commissioner",
    complaintCite: "Privacy Act 2020 s 70",
    cite: "Privacy Act 2020 s 44(1), s 48",
    check: true,
  }),
  // DPDP Act 2023 s 11-13; DPDP Rules 2025 r 14(3): grievances answered within 90 days.
  dpdp: country("dpdp", "India DPDP Act", "IN", {
    rights: ["access", "rectification", "erasure", "withdraw_consent", "complaint"],
    deadline: days(90),
    complaintTo: "the Data Protection Board of India",
    complaintCite: "DPDP Act 2023 s 13(3)",
    cite: "DPDP Rules 2025 r 14(3)",
    check: true,
  }),
  // PIPL Art 44-50: "promptly"; Pledge works to 15 days (GB/T 35273-2020 § 8.7: 30 days at most).
  pipl: country("pipl", "China PIPL", "CN", {
    rights: [
      "access",
      "rectification",
      "erasure",
      "portability",
      "withdraw_consent",
      "automated_decision",
      "complaint",
    ],
    deadline: days(15),
    deadlineWords: "promptly",
    complaintTo: "the departments with personal information protection duties",
    complaintCite: "PIPL Art 65",
    cite: "PIPL Art 50",
    check: true,
  }),
  // POPIA s 23 with PAIA s 56: 30 days, s 57: once extended by 30.
  popia: country("popia", "South Africa POPIA", "ZA", {
    rights: ["access", "rectification", "erasure", "objection", "complaint"],
    deadline: days(30),
    extension: days(30),
    complaintTo: "the Information Regulator",
    complaintCite: "POPIA s 74",
    cite: "POPIA s 23; PAIA s 56-57",
    check: true,
  }),
  // KVKK Art 13(2): 30 days, free of charge.
  kvkk: country("kvkk", "Turkey KVKK", "TR", {
    rights: ["access", "rectification", "erasure", "objection", "complaint"],
    deadline: days(30),
    complaintTo: "the Personal Data Protection Board (KVKK)",
    complaintCite: "KVKK Art 14",
    cite: "KVKK Art 13(2)",
  }),
  // PDPA B.E. 2562 s 30: access within 30 days.
  pdpa_th: country("pdpa_th", "Thailand PDPA", "TH", {
    rights: [
      "access",
      "rectification",
      "erasure",
      "restriction",
      "portability",
      "objection",
      "withdraw_consent",
      "complaint",
    ],
    deadline: days(30),
    complaintTo: "the Personal Data Protection Committee",
    complaintCite: "PDPA B.E. 2562 s 73",
    cite: "PDPA B.E. 2562 s 30",
    check: true,
  }),
  // Data Privacy Act 2012 s 16; NPC Circular 2023-04: requests answered within 15 working days.
  dpa_ph: country("dpa_ph", "Philippines Data Privacy Act", "PH", {
    rights: ["access", "rectification", "erasure", "portability", "objection", "complaint"],
    deadline: { amount: 15, unit: "business_days" },
    complaintTo: "the National Privacy Commission",
    complaintCite: "Data Privacy Act 2012 s 7(b)",
    cite: "Data Privacy Act 2012 s 16; NPC Circular 2023-04",
    check: true,
  }),
  // LFPDPPP (2025) Art 32: the answer within 20 days, carried out within 15 more; once extendable.
  lfpdppp: country("lfpdppp", "Mexico LFPDPPP", "MX", {
    rights: ["access", "rectification", "erasure", "objection", "complaint"],
    deadline: days(20),
    extension: days(20),
    complaintTo: "the Secretaría Anticorrupción y Buen Gobierno",
    complaintCite: "LFPDPPP (2025) Art 44",
    cite: "LFPDPPP (2025) Art 32",
    check: true,
  }),
  // Law 25.326 Art 14(2): access within 10 calendar days; Art 16(2): rectification or deletion within 5 business days.
  pdpa_ar: country("pdpa_ar", "Argentina Law 25.326", "AR", {
    rights: ["access", "rectification", "erasure", "complaint"],
    deadline: days(10),
    complaintTo: "the Agency for Access to Public Information (AAIP)",
    complaintCite: "Law 25.326 Art 29",
    cite: "Law 25.326 Art 14(2), Art 16(2)",
    check: true,
  }),
} satisfies Partial<Record<RegimeId, Regime>>;

/**
 * Rights request deadlines, extensions, appeals and opt-out signals per regime,
 * one row per law. Rows marked `check` cite a section that should be read
 * again against the statute before relying on it (see docs/law.md).
 */
export const REGIMES: Readonly<Record<RegimeId, Regime>> = {
  // GDPR Art 12(3): one month from receipt, +2 months; months are calendar months (EDPB Guidelines 01/2022, para
  // 157-159).
  gdpr: {
    id: "gdpr",
    name: "GDPR",
    family: "gdpr",
    jurisdictions: ["EU", "EEA"],
    rights: GDPR_RIGHTS,
    deadline: { amount: 1, unit: "months" },
    extension: { amount: 2, unit: "months" },
    extensionReason: "complex_or_many",
    verificationRequired: false,
    complaintTo:
      "a supervisory authority, in particular in the EU member state where you live, " +
      "work or where the infringement took place (GDPR Art 77), and to seek a " +
      "judicial remedy before the courts (GDPR Art 79)",
    cite: "GDPR Art 12(3)",
  },
  // UK GDPR Art 12(3); the clock starts when identity proof arrives (Data (Use and Access) Act 2025 s 76, ICO
  // guidance).
  uk_gdpr: {
    id: "uk_gdpr",
    name: "UK GDPR",
    family: "gdpr",
    jurisdictions: ["UK", "GB"],
    rights: GDPR_RIGHTS,
    deadline: { amount: 1, unit: "months" },
    extension: { amount: 2, unit: "months" },
    extensionReason: "complex_or_many",
    verificationRequired: false,
    complaintTo:
      "the Information Commissioner's Office (UK GDPR Art 77), and to seek a " +
      "judicial remedy before the courts (UK GDPR Art 79)",
    cite: "UK GDPR Art 12(3)",
  },
  // Cal. Civ. Code 1798.130(a)(2); 11 CCR § 7021(a)-(b): 45 days, +45; receipt confirmed within 10 business days;
  // opt-out of sale/sharing and limit: at most 15 business days (§ 7026(f), § 7027(g)); GPC binding (§ 7025(b)).
  ccpa: {
    id: "ccpa",
    name: "CCPA/CPRA",
    family: "us_state",
    jurisdictions: ["US-CA"],
    rights: ["access", "erasure", "rectification", "opt_out_sale", "limit_sensitive"],
    deadline: days(45),
    extension: days(45),
    // § 1798.130(a)(2): "once by an additional 45 days when reasonably necessary".
    extensionReason: "reasonably_necessary",
    optOutDeadline: { amount: 15, unit: "business_days", cite: "11 CCR § 7026(f), § 7027(g)" },
    receipt: { amount: 10, unit: "business_days", cite: "11 CCR § 7021(a)" },
    universalOptOut: { since: "2020-08-14", cite: "11 CCR § 7025(b)" },
    verificationRequired: true,
    complaintTo: "the California Privacy Protection Agency or the California Attorney General",
    cite: "Cal. Civ. Code 1798.130(a)(2); 11 CCR § 7021(b)",
  },
  // Va. Code § 59.1-577(B): 45 + 45; appeal § 59.1-577(C): 60 days.
  vcdpa: usState("vcdpa", "Virginia VCDPA", "VA", "Va. Code § 59.1-577(B)", {
    appeal: { days: 60, cite: "Va. Code § 59.1-577(C)" },
  }),
  // C.R.S. 6-1-1306(2); appeal 6-1-1306(3): 45 days + 60; universal opt-out 6-1-1306(1)(a)(IV) from 2024-07-01.
  cpa: usState("cpa", "Colorado CPA", "CO", "C.R.S. 6-1-1306(2)", {
    appeal: { days: 45, extension: 60, cite: "C.R.S. 6-1-1306(3)" },
    universalOptOut: { since: "2024-07-01", cite: "C.R.S. 6-1-1306(1)(a)(IV)" },
  }),
  ctdpa: usState("ctdpa", "Connecticut CTDPA", "CT", "Conn. Gen. Stat. § 42-518(b)", {
    appeal: { days: 60, cite: "Conn. Gen. Stat. § 42-518(d)" },
    universalOptOut: { since: "2025-01-01", cite: "Conn. Gen. Stat. § 42-520(a)(1)(A)(ii)" },
    check: true,
  }),
  tdpsa: usState("tdpsa", "Texas TDPSA", "TX", "Tex. Bus. & Com. Code § 541.052(b)", {
    appeal: { days: 60, cite: "Tex. Bus. & Com. Code § 541.053" },
    universalOptOut: { since: "2025-01-01", cite: "Tex. Bus. & Com. Code § 541.055(e)" },
  }),
  // ORS 646A.576(6)(d): an appeal is answered within 45 days; 646A.578(1)(d): consent revoked → processing stops
  // within 15 days.
  ocpa: {
    ...usState("ocpa", "Oregon OCPA", "OR", "ORS 646A.576(2)", {
      appeal: { days: 45, cite: "ORS 646A.576(6)(d)" },
      universalOptOut: { since: "2026-01-01", cite: "ORS 646A.574(1)(b)" },
    }),
    consentRevocation: { amount: 15, unit: "days", cite: "ORS 646A.578(1)(d)" },
  },
  // Utah UCPA § 13-61-203(4): 45 + 45, no appeal, no universal opt-out.
  ucpa: usState("ucpa", "Utah UCPA", "UT", "Utah Code § 13-61-203(4)", {
    assessment: false,
    appeal: null,
    rights: ["access", "erasure", "portability", "opt_out_sale", "opt_out_targeted_advertising"],
  }),
  // Iowa Code § 715D.4(2): 90 days + 45; appeal § 715D.4(4): 60 days.
  icdpa: usState("icdpa", "Iowa ICDPA", "IA", "Iowa Code § 715D.4(2)", {
    assessment: false,
    deadline: 90,
    appeal: { days: 60, cite: "Iowa Code § 715D.4(4)" },
    rights: ["access", "erasure", "portability", "opt_out_sale"],
    check: true,
  }),
  mtcdpa: usState("mtcdpa", "Montana MCDPA", "MT", "Mont. Code Ann. § 30-14-2808(3)", {
    appeal: { days: 60, cite: "Mont. Code Ann. § 30-14-2808(4)" },
    universalOptOut: { since: "2025-01-01", cite: "Mont. Code Ann. § 30-14-2808(1)(b)" },
    check: true,
  }),
  dpdpa: usState("dpdpa", "Delaware DPDPA", "DE", "Del. Code tit. 6, § 12D-104(c)", {
    appeal: { days: 60, cite: "Del. Code tit. 6, § 12D-104(d)" },
    universalOptOut: { since: "2026-01-01", cite: "Del. Code tit. 6, § 12D-104(a)(6)" },
    check: true,
  }),
  njdpa: usState("njdpa", "New Jersey NJDPA", "NJ", "N.J.S.A. 56:8-166.10(d)", {
    appeal: { days: 45, extension: 60, cite: "N.J.S.A. 56:8-166.10(e)" },
    universalOptOut: { since: "2025-07-15", cite: "N.J.S.A. 56:8-166.11(a)" },
    check: true,
  }),
  nhpa: usState("nhpa", "New Hampshire privacy law", "NH", "RSA 507-H:4, II", {
    appeal: { days: 60, cite: "RSA 507-H:4, III" },
    universalOptOut: { since: "2025-01-01", cite: "RSA 507-H:4, I(e)" },
    check: true,
  }),
  mncdpa: usState("mncdpa", "Minnesota MCDPA", "MN", "Minn. Stat. § 325M.14, subd. 1", {
    appeal: { days: 45, extension: 60, cite: "Minn. Stat. § 325M.14, subd. 4" },
    universalOptOut: { since: "2025-07-31", cite: "Minn. Stat. § 325M.12, subd. 1(e)" },
    check: true,
  }),
  modpa: usState("modpa", "Maryland MODPA", "MD", "Md. Code, Com. Law § 14-4605(c)", {
    appeal: { days: 60, cite: "Md. Code, Com. Law § 14-4605(e)" },
    universalOptOut: { since: "2025-10-01", cite: "Md. Code, Com. Law § 14-4605(b)(3)" },
    check: true,
  }),
  tipa: usState("tipa", "Tennessee TIPA", "TN", "Tenn. Code § 47-18-3303(c)", {
    appeal: { days: 60, cite: "Tenn. Code § 47-18-3303(d)" },
    check: true,
  }),
  incdpa: usState("incdpa", "Indiana ICDPA", "IN", "Ind. Code § 24-15-3-2(c)", {
    appeal: { days: 60, cite: "Ind. Code § 24-15-3-2(d)" },
    check: true,
  }),
  kcdpa: usState("kcdpa", "Kentucky KCDPA", "KY", "KRS 367.3613(2)", {
    appeal: { days: 60, cite: "KRS 367.3613(3)" },
    check: true,
  }),
  ndpa: usState("ndpa", "Nebraska NDPA", "NE", "Neb. Rev. Stat. § 87-1108(1)", {
    appeal: { days: 60, cite: "Neb. Rev. Stat. § 87-1108(3)" },
    universalOptOut: { since: "2025-01-01", cite: "Neb. Rev. Stat. § 87-1107(1)(b)" },
    check: true,
  }),
  ridtppa: usState("ridtppa", "Rhode Island DTPPA", "RI", "R.I. Gen. Laws § 6-48.1-5(e)", {
    appeal: { days: 60, cite: "R.I. Gen. Laws § 6-48.1-5(f)" },
    check: true,
  }),
  // NRS 603A.345: a verified request not to sell is answered within 60 days, once extendable by 30. The only right.
  nrs603a: usState("nrs603a", "Nevada NRS 603A", "NV", "NRS 603A.345(2)", {
    assessment: false,
    deadline: 60,
    extension: 30,
    appeal: null,
    rights: ["opt_out_sale"],
  }),
  // Florida Digital Bill of Rights, Fla. Stat. § 501.706(2) (read in the statute): 45 days, once extendable by 15 "when
  // reasonably necessary, taking into account the complexity and number". The appeal (§ 501.707) is to be re-read.
  fdbr: usState("fdbr", "Florida Digital Bill of Rights", "FL", "Fla. Stat. § 501.706(2)", {
    extension: 15,
    appeal: { days: 60, cite: "Fla. Stat. § 501.707" },
    check: true,
  }),
  // Washington My Health My Data Act, RCW 19.373.040-.050: consumer health data; 45 days + 45, appeal 45 days.
  mhmda: usState("mhmda", "Washington My Health My Data Act", "WA", "RCW 19.373.040(1)", {
    assessment: false,
    appeal: { days: 45, cite: "RCW 19.373.040(4)" },
    rights: ["access", "erasure", "withdraw_consent"],
    check: true,
  }),
  // LGPD Art 19: simplified answer at once (I), full statement within 15 days (II); no extension.
  lgpd: {
    id: "lgpd",
    name: "LGPD",
    family: "other",
    jurisdictions: ["BR"],
    rights: [
      "access",
      "rectification",
      "erasure",
      "portability",
      "withdraw_consent",
      "restriction",
      "objection",
      "complaint",
    ],
    deadline: days(15),
    simplifiedAtOnce: "LGPD Art 19(I)",
    verificationRequired: false,
    complaintTo: "the National Data Protection Authority (ANPD) (LGPD Art 18 § 1)",
    complaintCite: "LGPD Art 18 § 1",
    cite: "LGPD Art 19(II)",
  },
  // PIPEDA s 8(3)-(4): 30 days, +30 with notice.
  pipeda: {
    id: "pipeda",
    name: "PIPEDA",
    family: "other",
    jurisdictions: ["CA"],
    rights: ["access", "rectification", "withdraw_consent", "complaint"],
    deadline: days(30),
    extension: days(30),
    extensionReason: "pipeda",
    verificationRequired: false,
    complaintTo: "the Office of the Privacy Commissioner of Canada (PIPEDA s 11)",
    complaintCite: "PIPEDA s 11",
    cite: "PIPEDA s 8(3)-(4)",
  },
  // Quebec Private Sector Act s 32: 30 days, no extension.
  quebec: {
    id: "quebec",
    name: "Quebec Private Sector Act (Law 25)",
    family: "other",
    jurisdictions: ["CA-QC"],
    rights: ["access", "rectification", "erasure", "portability", "withdraw_consent", "complaint"],
    deadline: days(30),
    verificationRequired: false,
    complaintTo: "the Commission d'accès à l'information du Québec (s 42)",
    cite: "Act respecting the protection of personal information in the private sector, s 32",
  },
  // Swiss revFADP Art 25(7), FADO Art 18(1)-(2): 30 days; the period may be extended without a cap if the person is
  // told, within the 30 days, the date by which the information will be given.
  fadp: {
    id: "fadp",
    name: "Swiss FADP",
    family: "other",
    jurisdictions: ["CH"],
    rights: ["access", "rectification", "erasure", "portability", "objection", "automated_decision", "complaint"],
    deadline: days(30),
    extensionReason: "date_given",
    verificationRequired: false,
    complaintTo: "the Federal Data Protection and Information Commissioner (FDPIC)",
    complaintCite: "FADP Art 49",
    cite: "FADO Art 18(1)-(2)",
  },
  ...COUNTRY_REGIMES,
  // No general privacy statute (US federal level): no legal deadline; Pledge works to 45 days unless the organization
  // promises less.
  none: {
    id: "none",
    name: "no general privacy law",
    family: "none",
    jurisdictions: ["US"],
    rights: [],
    deadline: days(45),
    verificationRequired: true,
    complaintTo: "",
    cite: "no statute: Pledge's working target",
  },
};

/** EU/EEA member states (GDPR applies; no transfer among them). */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set([
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
  "IS",
  "LI",
  "NO",
]);

/** An EU adequacy decision (GDPR Art 45) and what it covers. */
export interface Adequacy {
  country: string;
  /** Whom it covers when not the whole country. */
  scope?: string;
  cite: string;
  check?: boolean;
}

/**
 * Countries with an EU adequacy decision (GDPR Art 45), with their scope. The
 * US is adequate only for organizations certified under the Data Privacy
 * Framework, which is mechanism `dpf`, so it is not here.
 */
export const ADEQUACY: Readonly<Record<string, Adequacy>> = {
  AD: { country: "AD", cite: "Decision 2010/625/EU" },
  AR: { country: "AR", cite: "Decision 2003/490/EC" },
  CA: { country: "CA", scope: "commercial organizations subject to PIPEDA", cite: "Decision 2002/2/EC" },
  FO: { country: "FO", cite: "Decision 2010/146/EU" },
  GG: { country: "GG", cite: "Decision 2003/821/EC" },
  IL: { country: "IL", cite: "Decision 2011/61/EU" },
  IM: { country: "IM", cite: "Decision 2004/411/EC" },
  JP: { country: "JP", scope: "private-sector organizations subject to the APPI", cite: "Decision (EU) 2019/419" },
  JE: { country: "JE", cite: "Decision 2008/393/EC" },
  NZ: { country: "NZ", cite: "Decision 2013/65/EU" },
  KR: { country: "KR", cite: "Decision (EU) 2022/254" },
  CH: { country: "CH", cite: "Decision 2000/518/EC" },
  GB: { country: "GB", cite: "Decision (EU) 2021/1772, renewed 2025" },
  UY: { country: "UY", cite: "Decision 2012/484/EU" },
  BR: { country: "BR", cite: "Commission adequacy decision for Brazil, 2026", check: true },
};
export const ADEQUATE_COUNTRIES: ReadonlySet<string> = new Set(Object.keys(ADEQUACY));

/**
 * Where the UK lets data go without another safeguard (UK adequacy
 * regulations, "data bridges"): the EEA, the EU's earlier adequacy countries,
 * and Korea. The US only for certified organizations (`uk_us_data_bridge`).
 */
export const UK_ADEQUATE_COUNTRIES: ReadonlySet<string> = new Set([
  ...EEA_COUNTRIES,
  "AD",
  "AR",
  "CA",
  "FO",
  "GG",
  "IL",
  "IM",
  "JP",
  "JE",
  "NZ",
  "CH",
  "UY",
  "KR",
  "GI",
]);

/** Every jurisdiction code the declaration may name, with the regime that governs its people's requests. */
const JURISDICTIONS: ReadonlyMap<string, RegimeId> = new Map<string, RegimeId>([
  ...Object.values(REGIMES).flatMap((r) => r.jurisdictions.map((j): [string, RegimeId] => [j, r.id])),
  ...[...EEA_COUNTRIES].map((c): [string, RegimeId] => [c, "gdpr"]),
]);

const STATE_ORDER = Object.keys(US_STATES).sort((a, b) => US_STATES[a].localeCompare(US_STATES[b]));

const COUNTRY_NAMES = new Intl.DisplayNames(["en"], { type: "region" });

/** The places a person may choose, with their names, for forms: from the law table. */
export function jurisdictionChoices(): [string, string][] {
  return [
    ["EU", "European Union / EEA"],
    ["UK", "United Kingdom"],
    ["CH", "Switzerland"],
    ["CA-QC", "Canada: Quebec"],
    ["CA", "Canada: another province"],
    ["BR", "Brazil"],
    ...Object.values(COUNTRY_REGIMES)
      .map((r): [string, string] => [r.jurisdictions[0], COUNTRY_NAMES.of(r.jurisdictions[0]) ?? r.jurisdictions[0]])
      .sort((a, b) => a[1].localeCompare(b[1])),
    ...STATE_ORDER.map((s): [string, string] => [`US-${s}`, `United States: ${US_STATES[s]}`]),
    ["US", "United States: another state"],
  ];
}

/** Every jurisdiction code the law table knows. */
export const KNOWN_JURISDICTIONS: readonly string[] = [...JURISDICTIONS.keys()];

/** Which regime governs a jurisdiction code used in a declaration; undefined for a code the table does not know. */
export function regimeFor(jurisdiction: string): RegimeId | undefined {
  return JURISDICTIONS.get(jurisdiction);
}

/** Whether a declaration's jurisdictions bring the GDPR (or UK GDPR) into play. */
export function servesEu(jurisdictions: readonly string[]): boolean {
  return jurisdictions.some((j) => REGIMES[regimeFor(j) ?? "none"].family === "gdpr");
}

/** Whether they bring in the UK GDPR. */
export function servesUk(jurisdictions: readonly string[]): boolean {
  return jurisdictions.some((j) => regimeFor(j) === "uk_gdpr");
}

/** The regimes of a list of jurisdictions, each once, in order. */
export function regimesOf(jurisdictions: readonly string[]): RegimeId[] {
  return [...new Set(jurisdictions.map((j) => regimeFor(j)).filter((r): r is RegimeId => !!r))];
}

export interface MechanismInfo {
  name: string;
  /** The date from which it no longer supports a transfer. */
  invalidSince?: string;
  why?: string;
  article: string;
  /** Which law's transfers it covers: EU, UK or both. */
  covers: "eu" | "uk" | "both";
  /** Only for importers in this country (the DPF and the UK–US data bridge: certified US organizations). */
  importerCountry?: string;
  /** For the UK, the date from which it no longer supports a transfer. */
  ukInvalidSince?: string;
}

/** Transfer mechanisms and their status, under the EU and UK GDPR. */
export const TRANSFER_MECHANISM_INFO: Readonly<Record<string, MechanismInfo>> = {
  adequacy: { name: "an adequacy decision", article: "GDPR Art 45", covers: "both" },
  // Commission Implementing Decision (EU) 2023/1795, from 2023-07-10; only for certified US organizations.
  dpf: {
    name: "the EU–US Data Privacy Framework",
    article: "GDPR Art 45; Decision (EU) 2023/1795",
    covers: "eu",
    importerCountry: "US",
  },
  // The Data Protection (Adequacy) (United States of America) Regulations 2023, from 2023-10-12: the UK Extension to
  // the DPF.
  uk_us_data_bridge: {
    name: "the UK–US data bridge",
    article: "UK GDPR Art 45; SI 2023/1028",
    covers: "uk",
    importerCountry: "US",
  },
  scc_2021: {
    name: "the 2021 standard contractual clauses",
    article: "GDPR Art 46(2)(c); Decision (EU) 2021/914",
    covers: "eu",
  },
  // The UK's International Data Transfer Agreement and Addendum to the EU SCCs, in force 2022-03-21 (DPA 2018 s 119A).
  uk_idta: {
    name: "the UK International Data Transfer Agreement",
    article: "UK GDPR Art 46(2)(d); DPA 2018 s 119A",
    covers: "uk",
  },
  uk_addendum: {
    name: "the UK Addendum to the EU standard contractual clauses",
    article: "UK GDPR Art 46(2)(d); DPA 2018 s 119A",
    covers: "uk",
  },
  bcr: { name: "binding corporate rules", article: "GDPR Art 46(2)(b), 47", covers: "both" },
  code_of_conduct: {
    name: "an approved code of conduct with binding commitments of the importer",
    article: "GDPR Art 46(2)(e), 40",
    covers: "both",
  },
  certification: {
    name: "an approved certification with binding commitments of the importer",
    article: "GDPR Art 46(2)(f), 42",
    covers: "both",
  },
  art49_explicit_consent: {
    name: "the person's explicit consent (Art 49 derogation)",
    article: "GDPR Art 49(1)(a)",
    covers: "both",
  },
  art49_contract: {
    name: "the performance of a contract (Art 49 derogation)",
    article: "GDPR Art 49(1)(b)-(c)",
    covers: "both",
  },
  art49_public_interest: {
    name: "important reasons of public interest (Art 49 derogation)",
    article: "GDPR Art 49(1)(d)",
    covers: "both",
  },
  art49_legal_claims: { name: "legal claims (Art 49 derogation)", article: "GDPR Art 49(1)(e)", covers: "both" },
  art49_vital_interests: { name: "vital interests (Art 49 derogation)", article: "GDPR Art 49(1)(f)", covers: "both" },
  art49_public_register: {
    name: "a public register (Art 49 derogation)",
    article: "GDPR Art 49(1)(g)",
    covers: "both",
  },
  art49_compelling_interest: {
    name: "compelling legitimate interests (Art 49 derogation)",
    article: "GDPR Art 49(1) second subparagraph",
    covers: "both",
  },
  // CJEU C-362/14 Schrems I, 2015-10-06.
  safe_harbor: {
    name: "the US–EU Safe Harbor",
    invalidSince: "2015-10-06",
    why: "CJEU C-362/14 (Schrems I)",
    article: "GDPR Art 44-46",
    covers: "both",
    ukInvalidSince: "2015-10-06",
  },
  // CJEU C-311/18 Schrems II, 2020-07-16.
  privacy_shield: {
    name: "the EU–US Privacy Shield",
    invalidSince: "2020-07-16",
    why: "CJEU C-311/18 (Schrems II)",
    article: "GDPR Art 44-46",
    covers: "both",
    ukInvalidSince: "2020-07-16",
  },
  // Decision (EU) 2021/914 Art 4: contracts on the old clauses were valid until 2022-12-27; for the UK until
  // 2024-03-21.
  scc_pre2021: {
    name: "the pre-2021 standard contractual clauses",
    invalidSince: "2022-12-27",
    why: "Decision (EU) 2021/914 Art 4",
    article: "GDPR Art 46(2)(c)",
    covers: "both",
    ukInvalidSince: "2024-03-21",
  },
};

/** The Art 9(2) conditions, by schema value. */
export const ART9_CONDITION_TEXT: Readonly<Record<string, string>> = {
  explicit_consent: "explicit consent (Art 9(2)(a))",
  employment_social_security: "employment and social security law (Art 9(2)(b))",
  vital_interests: "vital interests (Art 9(2)(c))",
  not_for_profit_body: "a not-for-profit body's members (Art 9(2)(d))",
  made_public_by_subject: "made public by the person (Art 9(2)(e))",
  legal_claims: "legal claims (Art 9(2)(f))",
  substantial_public_interest: "substantial public interest (Art 9(2)(g))",
  health_or_social_care: "health or social care (Art 9(2)(h))",
  public_health: "public health (Art 9(2)(i))",
  archiving_research_statistics: "archiving, research or statistics (Art 9(2)(j))",
};

/** GDPR Art 6(1) legal bases, with their letter and DPV IRI. */
export const LEGAL_BASIS_INFO: Readonly<Record<string, { name: string; article: string; dpv: string; gdpr: string }>> =
  {
    consent: {
      name: "Consent",
      article: "GDPR Art 6(1)(a)",
      dpv: "https://w3id.org/dpv#Consent",
      gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-a",
    },
    contract: {
      name: "Performance of a contract",
      article: "GDPR Art 6(1)(b)",
      dpv: "https://w3id.org/dpv#Contract",
      gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-b",
    },
    legal_obligation: {
      name: "Legal obligation",
      article: "GDPR Art 6(1)(c)",
      dpv: "https://w3id.org/dpv#LegalObligation",
      gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-c",
    },
    vital_interests: {
      name: "Vital interests",
      article: "GDPR Art 6(1)(d)",
      dpv: "https://w3id.org/dpv#VitalInterest",
      gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-d",
    },
    public_task: {
      name: "Public task",
      article: "GDPR Art 6(1)(e)",
      dpv: "https://w3id.org/dpv#PublicInterest",
      gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-e",
    },
    legitimate_interests: {
      name: "Legitimate interests",
      article: "GDPR Art 6(1)(f)",
      dpv: "https://w3id.org/dpv#LegitimateInterest",
      gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-f",
    },
  };

/** What each right means, in the words a notice uses, with its article. */
export const RIGHT_INFO: Readonly<Record<RightName, { name: string; article: string; text: string }>> = {
  access: {
    name: "Access",
    article: "GDPR Art 15",
    text: "to know whether we process your data and to get a copy of it, with the details of its processing",
  },
  rectification: {
    name: "Rectification",
    article: "GDPR Art 16",
    text: "to have inaccurate or incomplete data corrected",
  },
  erasure: {
    name: "Erasure",
    article: "GDPR Art 17",
    text: "to have your data deleted where there is no reason to keep it",
  },
  restriction: {
    name: "Restriction",
    article: "GDPR Art 18",
    text: "to have the processing of your data blocked or suppressed",
  },
  portability: {
    name: "Portability",
    article: "GDPR Art 20",
    text: "to receive the data you gave us in a structured, commonly used, machine-readable format",
  },
  objection: {
    name: "Objection",
    article: "GDPR Art 21",
    text: "to object to processing based on legitimate interests, and to direct marketing at any time",
  },
  automated_decision: {
    name: "Automated decisions",
    article: "GDPR Art 22",
    text: "not to be subject to a decision based solely on automated processing that significantly affects you",
  },
  withdraw_consent: {
    name: "Withdraw consent",
    article: "GDPR Art 7(3)",
    text: "to withdraw consent at any time, without affecting processing before the withdrawal",
  },
  complaint: { name: "Complaint", article: "GDPR Art 77", text: "to lodge a complaint with a supervisory authority" },
  opt_out_marketing: {
    name: "Opt out of marketing",
    article: "GDPR Art 21(2)",
    text: "to stop receiving marketing messages at any time",
  },
  opt_out_sale: {
    name: "Opt out of sale or sharing",
    article: "Cal. Civ. Code 1798.120",
    text: "to opt out of the sale or sharing of your personal information",
  },
  limit_sensitive: {
    name: "Limit sensitive data",
    article: "Cal. Civ. Code 1798.121",
    text: "to limit the use of your sensitive personal information",
  },
  opt_out_targeted_advertising: {
    name: "Opt out of targeted advertising",
    article: "Va. Code § 59.1-577(A)(5)",
    text: "to opt out of the processing of your personal data for targeted advertising",
  },
  opt_out_profiling: {
    name: "Opt out of profiling",
    article: "Va. Code § 59.1-577(A)(5)",
    text:
      "to opt out of profiling in furtherance of decisions that produce legal or similarly significant effects " +
      "concerning you",
  },
};

/** The items a notice must give under GDPR Arts 13 and 14, in order. */
export const NOTICE_ITEMS = [
  { id: "controller", article: "Art 13(1)(a)", title: "Who we are" },
  { id: "dpo", article: "Art 13(1)(b)", title: "Data protection officer" },
  { id: "representative", article: "Art 13(1)(a), Art 27", title: "Our representatives" },
  {
    id: "purposes",
    article: "Art 13(1)(c)-(d), 13(2)(e), 14(1)(d), 14(2)(f)",
    title: "What we collect, why, and on which legal basis",
  },
  { id: "recipients", article: "Art 13(1)(e)", title: "Who receives your data" },
  { id: "transfers", article: "Art 13(1)(f)", title: "Transfers outside the EEA" },
  { id: "retention", article: "Art 13(2)(a)", title: "How long we keep your data" },
  { id: "rights", article: "Art 13(2)(b)-(d)", title: "Your rights" },
  { id: "automated", article: "Art 13(2)(f)", title: "Automated decision-making" },
  { id: "cookies", article: "ePrivacy Art 5(3)", title: "Cookies and your choices" },
  { id: "newsletters", article: "Art 7", title: "Newsletters" },
  {
    id: "ccpa",
    article: "Cal. Civ. Code 1798.100(a), 1798.130(a)(5); 11 CCR § 7011-7012",
    title: "Notice at collection for California residents",
  },
  { id: "us_states", article: "US state privacy laws", title: "Residents of other US states" },
  {
    id: "other_laws",
    article: "PIPEDA; Quebec Private Sector Act; LGPD; FADP",
    title: "Residents of Canada, Quebec, Brazil and Switzerland",
  },
  { id: "children", article: "GDPR Art 8; COPPA; Cal. Civ. Code 1798.120(c)", title: "Children" },
  { id: "processing", article: "Art 28, 30(2)", title: "Data we process for our customers" },
  { id: "governance", article: "Art 5(1)(f), 33-34", title: "Confidentiality, legal requests and breaches" },
  { id: "security", article: "Art 32", title: "How we protect your data" },
  { id: "changes", article: "Art 12(1)", title: "Changes to this notice" },
] as const;

export type NoticeItemId = (typeof NOTICE_ITEMS)[number]["id"];
