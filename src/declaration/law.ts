/**
 * The legal facts Pledge encodes, as data in one place so that a correction is
 * a one-line change. Each row cites its source. Rows marked `check: true` are
 * less certain (see shared/reference/law.md).
 */
import type { RightName } from "./schema.js";

export type RegimeId = "gdpr" | "uk_gdpr" | "ccpa" | "lgpd" | "pipeda" | "vcdpa" | "cpa";

export interface DeadlineRule {
  amount: number;
  unit: "days" | "months" | "business_days";
}

export interface Regime {
  id: RegimeId;
  name: string;
  /** Rights a person has under the regime. */
  rights: RightName[];
  /** Time to answer a request, counted from receipt. */
  deadline: DeadlineRule;
  /** The longest extension, with notice and reasons. */
  extension?: DeadlineRule;
  /** Verification required before acting on requests. */
  verificationRequired: boolean;
  cite: string;
  check?: boolean;
}

/** Rights request deadlines and rights per regime. */
export const REGIMES: Readonly<Record<RegimeId, Regime>> = {
  // GDPR Art 12(3): one month from receipt, extendable by two further months.
  gdpr: {
    id: "gdpr",
    name: "GDPR",
    rights: ["access", "rectification", "erasure", "restriction", "portability", "objection", "automated_decision", "withdraw_consent", "complaint"],
    deadline: { amount: 1, unit: "months" },
    extension: { amount: 2, unit: "months" },
    verificationRequired: false,
    cite: "GDPR Art 12(3)",
  },
  // UK GDPR Art 12(3); the clock starts when identity proof arrives.
  uk_gdpr: {
    id: "uk_gdpr",
    name: "UK GDPR",
    rights: ["access", "rectification", "erasure", "restriction", "portability", "objection", "automated_decision", "withdraw_consent", "complaint"],
    deadline: { amount: 1, unit: "months" },
    extension: { amount: 2, unit: "months" },
    verificationRequired: false,
    cite: "UK GDPR Art 12(3)",
  },
  // Cal. Civ. Code 1798.130(a)(2): 45 days, +45 with notice.
  ccpa: {
    id: "ccpa",
    name: "CCPA/CPRA",
    rights: ["access", "erasure", "rectification", "opt_out_sale", "limit_sensitive"],
    deadline: { amount: 45, unit: "days" },
    extension: { amount: 45, unit: "days" },
    verificationRequired: true,
    cite: "Cal. Civ. Code 1798.130(a)(2)",
  },
  // LGPD Art 19(II): full statement within 15 days.
  lgpd: {
    id: "lgpd",
    name: "LGPD",
    rights: ["access", "rectification", "erasure", "portability", "withdraw_consent", "restriction"],
    deadline: { amount: 15, unit: "days" },
    verificationRequired: false,
    cite: "LGPD Art 19(II)",
  },
  // PIPEDA Principle 4.9 / s 8(3): 30 days, +30.
  pipeda: {
    id: "pipeda",
    name: "PIPEDA",
    rights: ["access", "rectification"],
    deadline: { amount: 30, unit: "days" },
    extension: { amount: 30, unit: "days" },
    verificationRequired: false,
    cite: "PIPEDA s 8(3)-(4)",
  },
  // Va. Code 59.1-577(B): 45 days, +45 once.
  vcdpa: {
    id: "vcdpa",
    name: "Virginia VCDPA",
    rights: ["access", "rectification", "erasure", "portability", "opt_out_sale"],
    deadline: { amount: 45, unit: "days" },
    extension: { amount: 45, unit: "days" },
    verificationRequired: true,
    cite: "Va. Code 59.1-577(B)",
  },
  // C.R.S. 6-1-1306(2): 45 days, +45 once.
  cpa: {
    id: "cpa",
    name: "Colorado CPA",
    rights: ["access", "rectification", "erasure", "portability", "opt_out_sale"],
    deadline: { amount: 45, unit: "days" },
    extension: { amount: 45, unit: "days" },
    verificationRequired: true,
    cite: "C.R.S. 6-1-1306(2)",
  },
};

/** EU/EEA member states (GDPR applies; no transfer among them). */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set([
  "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
  "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
]);

/**
 * Countries with an EU adequacy decision (GDPR Art 45). The US is adequate only
 * for organizations certified under the Data Privacy Framework, so it is not here.
 */
export const ADEQUATE_COUNTRIES: ReadonlySet<string> = new Set([
  "AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY", "BR",
]);

/** Which regime governs a jurisdiction code used in a declaration. */
export function regimeFor(jurisdiction: string): RegimeId | undefined {
  if (jurisdiction === "EU" || jurisdiction === "EEA" || EEA_COUNTRIES.has(jurisdiction)) return "gdpr";
  const table: Record<string, RegimeId> = { UK: "uk_gdpr", GB: "uk_gdpr", "US-CA": "ccpa", BR: "lgpd", CA: "pipeda", "US-VA": "vcdpa", "US-CO": "cpa" };
  return table[jurisdiction];
}

/** Whether a declaration's jurisdictions bring the GDPR (or UK GDPR) into play. */
export function servesEu(jurisdictions: readonly string[]): boolean {
  return jurisdictions.some((j) => {
    const r = regimeFor(j);
    return r === "gdpr" || r === "uk_gdpr";
  });
}

export interface MechanismInfo {
  name: string;
  /** The date from which it no longer supports a transfer. */
  invalidSince?: string;
  why?: string;
  article: string;
}

/** Transfer mechanisms and their status. */
export const TRANSFER_MECHANISM_INFO: Readonly<Record<string, MechanismInfo>> = {
  adequacy: { name: "an adequacy decision", article: "GDPR Art 45" },
  // Commission Implementing Decision (EU) 2023/1795, from 2023-07-10; only for certified organizations.
  dpf: { name: "the EU–US Data Privacy Framework", article: "GDPR Art 45; Decision (EU) 2023/1795" },
  scc_2021: { name: "the 2021 standard contractual clauses", article: "GDPR Art 46(2)(c); Decision (EU) 2021/914" },
  bcr: { name: "binding corporate rules", article: "GDPR Art 46(2)(b), 47" },
  art49_explicit_consent: { name: "the person's explicit consent (Art 49 derogation)", article: "GDPR Art 49(1)(a)" },
  art49_contract: { name: "the performance of a contract (Art 49 derogation)", article: "GDPR Art 49(1)(b)-(c)" },
  art49_public_interest: { name: "important reasons of public interest (Art 49 derogation)", article: "GDPR Art 49(1)(d)" },
  art49_legal_claims: { name: "legal claims (Art 49 derogation)", article: "GDPR Art 49(1)(e)" },
  art49_vital_interests: { name: "vital interests (Art 49 derogation)", article: "GDPR Art 49(1)(f)" },
  art49_public_register: { name: "a public register (Art 49 derogation)", article: "GDPR Art 49(1)(g)" },
  art49_compelling_interest: { name: "compelling legitimate interests (Art 49 derogation)", article: "GDPR Art 49(1) second subparagraph" },
  // CJEU C-362/14 Schrems I, 2015-10-06.
  safe_harbor: { name: "the US–EU Safe Harbor", invalidSince: "2015-10-06", why: "CJEU C-362/14 (Schrems I)", article: "GDPR Art 44-46" },
  // CJEU C-311/18 Schrems II, 2020-07-16.
  privacy_shield: { name: "the EU–US Privacy Shield", invalidSince: "2020-07-16", why: "CJEU C-311/18 (Schrems II)", article: "GDPR Art 44-46" },
  // Decision (EU) 2021/914 Art 4: contracts on the old clauses were valid until 2022-12-27.
  scc_pre2021: { name: "the pre-2021 standard contractual clauses", invalidSince: "2022-12-27", why: "Decision (EU) 2021/914 Art 4", article: "GDPR Art 46(2)(c)" },
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
export const LEGAL_BASIS_INFO: Readonly<Record<string, { name: string; article: string; dpv: string; gdpr: string }>> = {
  consent: { name: "Consent", article: "GDPR Art 6(1)(a)", dpv: "https://w3id.org/dpv#Consent", gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-a" },
  contract: { name: "Performance of a contract", article: "GDPR Art 6(1)(b)", dpv: "https://w3id.org/dpv#Contract", gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-b" },
  legal_obligation: { name: "Legal obligation", article: "GDPR Art 6(1)(c)", dpv: "https://w3id.org/dpv#LegalObligation", gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-c" },
  vital_interests: { name: "Vital interests", article: "GDPR Art 6(1)(d)", dpv: "https://w3id.org/dpv#VitalInterest", gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-d" },
  public_task: { name: "Public task", article: "GDPR Art 6(1)(e)", dpv: "https://w3id.org/dpv#PublicInterest", gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-e" },
  legitimate_interests: { name: "Legitimate interests", article: "GDPR Art 6(1)(f)", dpv: "https://w3id.org/dpv#LegitimateInterest", gdpr: "https://w3id.org/dpv/legal/eu/gdpr#A6-1-f" },
};

/** What each right means, in the words a notice uses, with its article. */
export const RIGHT_INFO: Readonly<Record<RightName, { name: string; article: string; text: string }>> = {
  access: { name: "Access", article: "GDPR Art 15", text: "to know whether we process your data and to get a copy of it, with the details of its processing" },
  rectification: { name: "Rectification", article: "GDPR Art 16", text: "to have inaccurate or incomplete data corrected" },
  erasure: { name: "Erasure", article: "GDPR Art 17", text: "to have your data deleted where there is no reason to keep it" },
  restriction: { name: "Restriction", article: "GDPR Art 18", text: "to have the processing of your data blocked or suppressed" },
  portability: { name: "Portability", article: "GDPR Art 20", text: "to receive the data you gave us in a structured, commonly used, machine-readable format" },
  objection: { name: "Objection", article: "GDPR Art 21", text: "to object to processing based on legitimate interests, and to direct marketing at any time" },
  automated_decision: { name: "Automated decisions", article: "GDPR Art 22", text: "not to be subject to a decision based solely on automated processing that significantly affects you" },
  withdraw_consent: { name: "Withdraw consent", article: "GDPR Art 7(3)", text: "to withdraw consent at any time, without affecting processing before the withdrawal" },
  complaint: { name: "Complaint", article: "GDPR Art 77", text: "to lodge a complaint with a supervisory authority" },
  opt_out_marketing: { name: "Opt out of marketing", article: "GDPR Art 21(2)", text: "to stop receiving marketing messages at any time" },
  opt_out_sale: { name: "Opt out of sale or sharing", article: "Cal. Civ. Code 1798.120", text: "to opt out of the sale or sharing of your personal information" },
  limit_sensitive: { name: "Limit sensitive data", article: "Cal. Civ. Code 1798.121", text: "to limit the use of your sensitive personal information" },
};

/** The items a notice must give under GDPR Arts 13 and 14, in order. */
export const NOTICE_ITEMS = [
  { id: "controller", article: "Art 13(1)(a)", title: "Who we are" },
  { id: "dpo", article: "Art 13(1)(b)", title: "Data protection officer" },
  { id: "representative", article: "Art 13(1)(a), Art 27", title: "Our representative in the EU" },
  { id: "purposes", article: "Art 13(1)(c)-(d), 13(2)(e), 14(1)(d), 14(2)(f)", title: "What we collect, why, and on which legal basis" },
  { id: "recipients", article: "Art 13(1)(e)", title: "Who receives your data" },
  { id: "transfers", article: "Art 13(1)(f)", title: "Transfers outside the EEA" },
  { id: "retention", article: "Art 13(2)(a)", title: "How long we keep your data" },
  { id: "rights", article: "Art 13(2)(b)-(d)", title: "Your rights" },
  { id: "automated", article: "Art 13(2)(f)", title: "Automated decision-making" },
  { id: "cookies", article: "ePrivacy Art 5(3)", title: "Cookies and your choices" },
  { id: "newsletters", article: "Art 7", title: "Newsletters" },
  { id: "ccpa", article: "Cal. Civ. Code 1798.100(a)", title: "Notice at collection for California residents" },
  { id: "processing", article: "Art 28, 30(2)", title: "Data we process for our customers" },
  { id: "governance", article: "Art 5(1)(f), 33-34", title: "Confidentiality, legal requests and breaches" },
  { id: "security", article: "Art 32", title: "How we protect your data" },
  { id: "changes", article: "Art 12(1)", title: "Changes to this notice" },
] as const;

export type NoticeItemId = (typeof NOTICE_ITEMS)[number]["id"];
