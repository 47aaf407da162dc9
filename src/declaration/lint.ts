/**
 * The linter: checks a valid declaration against the law in force where it
 * applies. Each rule names the laws it comes from; it is evaluated only where
 * the declaration (or the purpose, or the recipient's purposes) serves people
 * of those laws, and a finding cites only the articles of those laws. Rules of
 * Pledge's own practice (erasure coverage, minimization) apply everywhere.
 */
import {
  basesOf,
  honoursGpc,
  isProcessorConnector,
  isStoreConnector,
  promisedResponseTime,
  type Declaration,
  type Purpose,
} from "./schema.js";
import {
  ADEQUACY,
  EEA_COUNTRIES,
  REGIMES,
  TRANSFER_MECHANISM_INFO,
  UK_ADEQUATE_COUNTRIES,
  regimeFor,
  regimesOf,
} from "./law.js";
import { PLACE_BREACH_REGIMES } from "./breach-law.js";
import { categoriesOf, categoryWithin, sensitiveAmong } from "./taxonomy.js";
import { buildDatasetGraph, contactSources, entryDatasets, pathsToOtherPeople, reachableDatasets } from "./graph.js";
import { durationDays, notLongerThan, parseDuration } from "./duration.js";
import { resolveBindings, retentionBindings } from "./retention.js";
import type { DocPath } from "./load.js";

export type Severity = "error" | "warning" | "info";

/** The bodies of law a rule may come from. `pledge`: Pledge's own practice, which applies anywhere. */
export type LawId = "gdpr" | "uk" | "eprivacy" | "ccpa" | "us_state" | "coppa" | "pledge";

export interface LintRule {
  id: string;
  severity: Severity;
  summary: string;
  /** The article of each law the rule comes from. */
  cites: Partial<Record<LawId, string>>;
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** The articles of the laws in force for what the finding is about, and only those. */
  article: string;
  message: string;
  path: (string | number)[];
}

const G = (a: string) => ({ gdpr: `GDPR ${a}`, uk: `UK GDPR ${a}` });

/** Every rule the linter knows. */
export const LINT_RULES = {
  "transfer-invalid-mechanism": {
    severity: "error",
    cites: G("Art 44-46"),
    summary: "A transfer relies on Safe Harbor, Privacy Shield or the pre-2021 SCCs, no longer valid.",
  },
  "transfer-no-safeguard": {
    severity: "error",
    cites: G("Art 44-46"),
    summary: "A transfer to a country without adequacy has no safeguard.",
  },
  "transfer-not-adequate": {
    severity: "error",
    cites: G("Art 45(1)"),
    summary: "A transfer claims an adequacy decision for a country that has none (or outside its scope).",
  },
  "transfer-mechanism-wrong-country": {
    severity: "error",
    cites: { gdpr: "GDPR Art 45; Decision (EU) 2023/1795", uk: "UK GDPR Art 45; SI 2023/1028" },
    summary: "The Data Privacy Framework (or the UK–US data bridge) is claimed for an importer outside the US.",
  },
  "uk-transfer-no-safeguard": {
    severity: "warning",
    cites: { uk: "UK GDPR Art 46; DPA 2018 s 119A" },
    summary:
      "A transfer of UK data relies only on EU tools: the UK needs the IDTA, the UK " +
      "Addendum, the data bridge or another UK safeguard.",
  },
  "transfer-scc-no-tia": {
    severity: "info",
    cites: { gdpr: "GDPR Art 46; CJEU C-311/18" },
    summary: "A transfer on SCCs without a transfer impact assessment.",
  },
  "purpose-no-legal-basis": {
    severity: "error",
    cites: G("Art 6(1), 13(1)(c)"),
    summary: "A purpose has no legal basis.",
  },
  "legitimate-interest-unstated": {
    severity: "error",
    cites: G("Art 13(1)(d)"),
    summary: "A purpose relies on legitimate interests without stating the interest.",
  },
  "consent-no-withdrawal": {
    severity: "error",
    cites: G("Art 7(3)"),
    summary: "A consent-based purpose offers no way to withdraw.",
  },
  "consent-bundled": {
    severity: "warning",
    cites: G("Art 7(2), 7(4)"),
    summary: "Consent is bundled: made a condition of the contract, or one choice covers several purposes.",
  },
  "special-category-no-condition": {
    severity: "error",
    cites: G("Art 9(1)-(2)"),
    summary: "Special-category data without an Art 9(2) condition.",
  },
  "category-unused": {
    severity: "warning",
    cites: { ...G("Art 5(1)(c)"), ccpa: "Cal. Civ. Code 1798.100(c)", pledge: "data minimization" },
    summary: "A data category held by a system is used by no purpose (minimization).",
  },
  "purpose-no-retention": {
    severity: "error",
    cites: { ...G("Art 5(1)(e), 13(2)(a)"), ccpa: "Cal. Civ. Code 1798.100(a)(3)" },
    summary: "A purpose has no retention rule.",
  },
  "retention-indefinite-no-reason": {
    severity: "error",
    cites: { ...G("Art 5(1)(e), 13(2)(a)"), ccpa: "Cal. Civ. Code 1798.100(a)(3)" },
    summary: "Retention is indefinite without a stated reason.",
  },
  "retention-unbound": {
    severity: "error",
    cites: { ...G("Art 5(1)(e), 5(2)"), ccpa: "Cal. Civ. Code 1798.100(a)(3)", pledge: "retention enforcement" },
    summary:
      "A dataset's retention rule cannot be bound to its rows (no clock field, a " +
      "related row no owner reference reaches, no country field for a rule limited " +
      "to jurisdictions), so no sweep keeps the limit.",
  },
  "retention-rule-unused": {
    severity: "warning",
    cites: { ...G("Art 5(1)(e), 5(2)"), pledge: "retention enforcement" },
    summary: "A retention rule no dataset binds: the notice promises it, and nothing enforces it.",
  },
  "retention-deidentify-undetectable": {
    severity: "error",
    cites: { ...G("Art 5(2)"), pledge: "retention enforcement" },
    summary:
      "A de-identifying rule whose dataset has no field masked to null or a fixed " +
      "value: a de-identified row cannot be told from one that is not, so it would " +
      "be masked twice and never proven done.",
  },
  "processor-no-dpa": {
    severity: "error",
    cites: { ...G("Art 28(3)"), ccpa: "Cal. Civ. Code 1798.100(d); 11 CCR § 7051" },
    summary: "A processor without a data processing agreement.",
  },
  "category-not-held": {
    severity: "warning",
    cites: { ...G("Art 30(1)(c)"), pledge: "declaration coverage" },
    summary: "A data category used by a purpose is held by no system.",
  },
  "dataset-unreachable": {
    severity: "error",
    cites: { ...G("Art 17"), ccpa: "Cal. Civ. Code 1798.105", pledge: "erasure coverage" },
    summary: "A dataset with personal data that erasure cannot reach (no path from any identity).",
  },
  "field-masked-uncategorized": {
    severity: "warning",
    cites: { ...G("Art 30(1)(c)"), ...G("Art 13(1)(e)") },
    summary:
      "A field declared with masking but no data category: erasure masks it, but the notice and the record of " +
      "processing cannot say what it holds.",
  },
  "no-systems": {
    severity: "warning",
    cites: { ...G("Art 30(1)"), pledge: "declaration coverage" },
    summary: "The declaration names no systems, so no request can be executed.",
  },
  "representative-missing": {
    severity: "warning",
    cites: G("Art 27"),
    summary: "An organization outside the EU (or the UK) serving it names no representative there.",
  },
  "rights-missing": {
    severity: "warning",
    cites: G("Art 13(2)(b)-(d)"),
    summary: "A right the law gives is not offered.",
  },
  "ccpa-rights-missing": {
    severity: "warning",
    cites: { ccpa: "Cal. Civ. Code 1798.106, 1798.121, 1798.130" },
    summary: "A CCPA right is not offered: correction, or limiting sensitive data where it is collected.",
  },
  "ccpa-non-discrimination": {
    severity: "info",
    cites: { ccpa: "Cal. Civ. Code 1798.125; 11 CCR § 7011(e)(1)(H)" },
    summary:
      "The privacy policy must say that people are not discriminated against for " +
      "exercising their rights (rights.nonDiscrimination).",
  },
  "response-time-exceeds-law": {
    severity: "error",
    cites: {
      ...G("Art 12(3)"),
      ccpa: "Cal. Civ. Code 1798.130(a)(2)",
      us_state: "the state's response deadline",
      pledge: "the law's response deadline",
    },
    summary: "The promised response time is longer than a legal deadline.",
  },
  "consent-default-on": {
    severity: "error",
    cites: { eprivacy: "ePrivacy Art 5(3); CJEU C-673/17" },
    summary: "A non-essential consent category is on by default.",
  },
  "gpc-not-honoured": {
    severity: "error",
    cites: { ccpa: "11 CCR § 7025(b)", us_state: "the state's universal opt-out requirement" },
    summary:
      "Global Privacy Control is not honoured by a business that sells or shares data where the law requires it.",
  },
  "sale-no-opt-out": {
    severity: "error",
    cites: { ccpa: "Cal. Civ. Code 1798.120, 1798.135", us_state: "the state's right to opt out of sale" },
    summary: "Data is sold or shared without a right to opt out.",
  },
  "state-assessment-missing": {
    severity: "warning",
    cites: {
      us_state:
        "Va. Code § 59.1-580(A); Tex. Bus. & Com. Code § 541.105; C.R.S. 6-1-1309; Conn. Gen. Stat. § 42-522; " +
        "and the other states' assessment sections",
    },
    summary:
      "Data is processed for targeted advertising or sold where a state law requires a data protection assessment, " +
      "and none is recorded (purposes.<id>.assessment).",
  },
  "card-breach-unstated": {
    severity: "warning",
    cites: {
      ccpa: "Cal. Civ. Code 1798.82(h)(1)(C), 1798.150",
      us_state: "the state breach notification laws",
      pledge: "card data breach readiness",
    },
    summary:
      "Payment card numbers are held but the declaration states no breach procedure (governance.breach): a breach " +
      "of them brings in the state breach laws and the card brands' rules.",
  },
  "retention-exception-longer": {
    severity: "info",
    cites: { ...G("Art 5(1)(e)"), pledge: "retention review" },
    summary:
      "A retention exception keeps data longer than its rule: the reason must justify the longer period, or the rule " +
      "is the exception.",
  },
  "children-consent": {
    severity: "warning",
    cites: {
      gdpr: "GDPR Art 8(1)",
      uk: "UK GDPR Art 8(1)",
      coppa: "15 U.S.C. 6502; 16 CFR 312.5",
      ccpa: "Cal. Civ. Code 1798.120(c)",
    },
    summary: "Children below the consent age are served without parental consent (or their data is sold).",
  },
  "recipient-unused": {
    severity: "info",
    cites: { ...G("Art 13(1)(e)"), pledge: "declaration coverage" },
    summary: "A recipient no purpose, system or service names.",
  },
  "manual-system": {
    severity: "info",
    cites: { ...G("Art 12(3)"), pledge: "request execution" },
    summary: "A system without a connector: rights requests need staff.",
  },
  "processor-no-address": {
    severity: "error",
    cites: { ...G("Art 28(3)(e)"), pledge: "request execution" },
    summary: "A processor reached by mail with no address to write to.",
  },
  "reference-shared-owner": {
    severity: "error",
    cites: { ...G("Art 17(1)"), pledge: "erasure reaches only the person's own rows" },
    summary: "A row is declared to belong to two different people (two owner references to datasets of people).",
  },
  "reference-reaches-person": {
    severity: "error",
    cites: { ...G("Art 17(1)"), pledge: "erasure reaches only the person's own rows" },
    summary: "Following owner or detail references from one person's rows reaches rows that are other people.",
  },
  "contact-channel-missing": {
    severity: "warning",
    cites: { ...G("Art 12(6)"), ccpa: "11 CCR § 7060", pledge: "request verification" },
    summary:
      "An identity a person may give has no contact field beside it, so its code " +
      "cannot be sent: requests wait for staff to verify by hand.",
  },
  "subject-undeclared": {
    severity: "info",
    cites: { ...G("Art 17(1)"), pledge: "erasure reaches only the person's own rows" },
    summary:
      "No dataset says that its rows are people (subject), so a request cannot notice when it matches several people.",
  },
  "breach-regime-not-served": {
    severity: "warning",
    cites: { ...G("Art 33(1)"), pledge: "breach clocks" },
    summary:
      "The breach procedure names a regime whose people the organization does not " +
      "serve (or serves people of a regime it does not name): the register runs the " +
      "wrong clocks.",
  },
  "subprocessors-not-processor": {
    severity: "warning",
    cites: { ...G("Art 28(2), 28(4)"), pledge: "sub-processor notices" },
    summary:
      "Sub-processor changes are announced, but the organization is not declared a " +
      "processor, or names no sub-processor.",
  },
  "staff-access-ungrantable": {
    severity: "info",
    cites: { ...G("Art 5(1)(f), 32(4)"), pledge: "staff access" },
    summary:
      "Protected data classes with neither a purpose nor an exception: no staff access to them can ever be granted.",
  },
} as const satisfies Record<string, Omit<LintRule, "id">>;

export type LintRuleId = keyof typeof LINT_RULES;

/** The laws in force for people of these jurisdictions (Pledge's own practice always). */
export function lawsServed(jurisdictions: readonly string[]): Set<LawId> {
  const laws = new Set<LawId>(["pledge"]);
  for (const j of jurisdictions) {
    const r = regimeFor(j);
    if (r === "gdpr") laws.add("gdpr").add("eprivacy");
    if (r === "uk_gdpr") laws.add("uk").add("eprivacy");
    if (r === "ccpa") laws.add("ccpa");
    if (r && REGIMES[r].family === "us_state" && r !== "ccpa") laws.add("us_state");
    if (j === "US" || j.startsWith("US-")) laws.add("coppa");
  }
  return laws;
}

/**
 * The articles of `cites` in force for people of these jurisdictions, joined: only the laws served, and Pledge's own
 * practice only where no law is. Empty when none applies.
 *
 * ```ts
 * citedArticle({ gdpr: "GDPR Art 17", pledge: "erasure coverage" }, ["CA"]) // "erasure coverage"
 * ```
 */
export function citedArticle(cites: Partial<Record<LawId, string>>, jurisdictions: readonly string[]): string {
  const served = lawsServed(jurisdictions);
  const laws = (Object.keys(cites) as LawId[]).filter((l) => served.has(l));
  const cited = laws.some((l) => l !== "pledge") ? laws.filter((l) => l !== "pledge") : laws;
  return cited.map((l) => cites[l]).join("; ");
}

/**
 * Where a purpose applies: its `jurisdictions.only`, or the organization's, less `except` (EU and EEA cover their
 * countries).
 */
export function purposeJurisdictions(decl: Declaration, p: Purpose): string[] {
  const base = p.jurisdictions?.only ?? decl.organization.jurisdictions;
  const except = p.jurisdictions?.except ?? [];
  const euExcepted = except.includes("EU") || except.includes("EEA");
  return base.filter((j) => !except.includes(j) && !(euExcepted && regimeFor(j) === "gdpr"));
}

/**
 * Lints a declaration.
 *
 * ```ts
 * const findings = lintDeclaration(loaded.declaration);
 * const failed = findings.some((f) => f.severity === "error");
 * ```
 */
export function lintDeclaration(decl: Declaration): Finding[] {
  const findings: Finding[] = [];
  const org = decl.organization;
  const orgScope = org.jurisdictions;
  /** Adds a finding if one of the rule's laws is in force for `scope`, citing only those. */
  const add = (
    rule: LintRuleId,
    path: DocPath,
    message: string,
    scope: readonly string[] = orgScope,
    only?: LawId[],
  ) => {
    const r = LINT_RULES[rule] as LintRule;
    const served = lawsServed(scope);
    const laws = (Object.keys(r.cites) as LawId[]).filter((l) => served.has(l) && (!only || only.includes(l)));
    // Pledge's practice is cited only where no law is.
    const cited = laws.some((l) => l !== "pledge") ? laws.filter((l) => l !== "pledge") : laws;
    if (!cited.length) return;
    findings.push({
      rule,
      severity: r.severity,
      article: cited.map((l) => r.cites[l]).join("; "),
      message,
      path: [...path],
    });
  };
  const categories = categoriesOf(decl);
  const controller = org.roles.includes("controller") || org.roles.includes("joint_controller");

  // --- transfers ----------------------------------------------------------
  /** A recipient's scope: the places of the purposes that name it, or the organization's when none does. */
  const recipientScope = (rid: string): string[] => {
    const using = Object.values(decl.purposes).filter((p) => p.recipients.includes(rid));
    const activities = Object.values(decl.processorActivities).filter((a) => a.subProcessors.includes(rid));
    if (!using.length || activities.length) return [...orgScope];
    return [...new Set(using.flatMap((p) => purposeJurisdictions(decl, p)))];
  };
  const checkTransfer = (
    who: string,
    country: string | undefined,
    mechanisms: readonly string[],
    path: DocPath,
    scope: readonly string[],
    opts: { tia?: boolean; publicAuthority?: boolean; countryPath?: DocPath } = {},
  ) => {
    mechanisms.forEach((m, i) => {
      const info = TRANSFER_MECHANISM_INFO[m];
      if (info?.invalidSince)
        add(
          "transfer-invalid-mechanism",
          [...path, "mechanisms", i],
          `${who}: the transfer relies on ${info.name}, invalid since ${info.invalidSince} (${info.why})`,
          scope,
        );
      if (info?.importerCountry && country && country !== info.importerCountry) {
        add(
          "transfer-mechanism-wrong-country",
          [...path, "mechanisms", i],
          `${who} (${country}): ${info.name} covers only certified importers in the ${info.importerCountry}`,
          scope,
          info.covers === "uk" ? ["uk"] : ["gdpr"],
        );
      }
    });
    if (!country || EEA_COUNTRIES.has(country) || opts.publicAuthority) return;
    const valid = mechanisms.filter((m) => !TRANSFER_MECHANISM_INFO[m]?.invalidSince);
    const adequate = !!ADEQUACY[country];
    if (mechanisms.includes("adequacy") && !adequate) {
      add(
        "transfer-not-adequate",
        [...path, "mechanisms", mechanisms.indexOf("adequacy")],
        country === "US"
          ? `${who} (US): the US is adequate only for organizations certified under the ` +
              `Data Privacy Framework; use mechanism dpf or another safeguard`
          : `${who} (${country}): ${country} has no EU adequacy decision; name the safeguard the transfer relies on`,
        scope,
        ["gdpr"],
      );
    } else if (!adequate && mechanisms.length === 0) {
      add(
        "transfer-no-safeguard",
        opts.countryPath ?? path,
        `${who} (${country}): ${country} has no adequacy decision and the transfer states no safeguard`,
        scope,
        ["gdpr"],
      );
    }
    if (valid.includes("scc_2021") && !opts.tia)
      add("transfer-scc-no-tia", [...path], `${who}: SCCs without a recorded transfer impact assessment`, scope);
    // The UK: its own adequacy list and its own tools.
    if (country !== "GB" && !UK_ADEQUATE_COUNTRIES.has(country)) {
      const ukTool = valid.some(
        (m) =>
          ["uk_idta", "uk_addendum", "bcr", "code_of_conduct", "certification"].includes(m) ||
          m.startsWith("art49_") ||
          (m === "uk_us_data_bridge" && country === "US"),
      );
      if (!ukTool)
        add(
          "uk-transfer-no-safeguard",
          [...path],
          `${who} (${country}): UK data needs the IDTA, the UK Addendum` +
            `${country === "US" ? ", the UK–US data bridge" : ""} or another UK safeguard` +
            `${valid.length ? ` (${valid.join(", ")} cover EU transfers only)` : ""}`,
          scope,
        );
    }
  };

  if (org.transfer)
    checkTransfer(org.name, org.country, org.transfer.mechanisms, ["organization", "transfer"], orgScope);
  for (const [aid, a] of Object.entries(decl.processorActivities)) {
    // Data processed for customers goes where the activity runs: every location outside the EEA needs a safeguard.
    // The organization's own country is covered by its own transfer where it declares one; otherwise a processor
    // established outside the EEA receives the controllers' data there, and that transfer needs a safeguard too.
    const here = org.transfer || EEA_COUNTRIES.has(org.country) ? [] : [org.country];
    const outside = [
      ...new Set([
        ...a.locations.filter((c) => !EEA_COUNTRIES.has(c) && (c !== org.country || !org.transfer)),
        ...here,
      ]),
    ];
    const places = outside.length ? outside : [undefined];
    for (const c of places)
      checkTransfer(a.name, c, a.transfer?.mechanisms ?? [], ["processorActivities", aid, "transfer"], orgScope, {
        tia: a.transfer?.transferImpactAssessment,
        countryPath: ["processorActivities", aid, "locations"],
      });
  }
  for (const [rid, r] of Object.entries(decl.recipients)) {
    checkTransfer(
      r.name,
      r.country,
      r.transfer?.mechanisms ?? [],
      ["recipients", rid, "transfer"],
      recipientScope(rid),
      {
        tia: r.transfer?.transferImpactAssessment,
        publicAuthority: r.role === "public_authority",
        countryPath: ["recipients", rid, "country"],
      },
    );
  }

  // --- purposes -----------------------------------------------------------
  const consentWithdrawable = new Set<string>();
  for (const cat of Object.values(decl.consent?.categories ?? {}))
    cat.purposes.forEach((p) => consentWithdrawable.add(p));
  for (const n of Object.values(decl.consent?.newsletters ?? {})) consentWithdrawable.add(n.purpose);

  for (const [pid, p] of Object.entries(decl.purposes)) {
    const path = ["purposes", pid];
    const scope = purposeJurisdictions(decl, p);
    const bases = basesOf(p);
    if (!bases.length) add("purpose-no-legal-basis", path, `purpose '${p.name}' states no legal basis`, scope);
    bases.forEach((b) => {
      if (b.basis === "legitimate_interests" && !b.legitimateInterest && !p.legitimateInterest) {
        add(
          "legitimate-interest-unstated",
          [...path, p.legalBasis === b.basis ? "legalBasis" : "legalBases"],
          `purpose '${p.name}' relies on legitimate interests without stating them (legitimateInterest)`,
          scope,
        );
      }
    });
    const consentBased = bases.some((b) => b.basis === "consent");
    if (consentBased && p.withdrawal.length === 0 && !consentWithdrawable.has(pid)) {
      add(
        "consent-no-withdrawal",
        [...path, "legalBasis"],
        `purpose '${p.name}' is based on consent but gives no way to withdraw it ` +
          `(withdrawal, a consent category or a newsletter)`,
        scope,
      );
    }
    // Explicit consent that lifts the Art 9 ban for data the service needs (lens specifications for custom lenses) is
    // not consent traded for the service.
    if (
      consentBased &&
      bases.length === 1 &&
      p.specialCategoryCondition !== "explicit_consent" &&
      (p.requirement?.type === "contractual" || p.requirement?.type === "contract_prerequisite")
    ) {
      add(
        "consent-bundled",
        [...path, "requirement"],
        `purpose '${p.name}' is based on consent but is a condition of the contract: ` +
          `consent that cannot be refused without losing the service is not freely given`,
        scope,
      );
    }
    const special = p.dataCategories.filter((c) => categories[c]?.special);
    if (special.length && !p.specialCategoryCondition) {
      add(
        "special-category-no-condition",
        [...path, "dataCategories"],
        `purpose '${p.name}' processes special-category data (${special.join(", ")}) ` +
          `without an Art 9(2) condition (specialCategoryCondition)`,
        scope,
      );
    }
    if (!p.retention) add("purpose-no-retention", path, `purpose '${p.name}' has no retention rule`, scope);
    if ((p.sold || p.shared) && !decl.rights.offered.includes("opt_out_sale")) {
      add(
        "sale-no-opt-out",
        path,
        `purpose '${p.name}' sells or shares data but opt_out_sale is not among the rights offered`,
        scope,
      );
    }
  }
  for (const [cid, c] of Object.entries(decl.consent?.categories ?? {})) {
    const consentPurposes = c.purposes.filter(
      (p) => decl.purposes[p] && basesOf(decl.purposes[p]).some((b) => b.basis === "consent"),
    );
    if (!c.essential && consentPurposes.length > 1) {
      const scope = [...new Set(consentPurposes.flatMap((p) => purposeJurisdictions(decl, decl.purposes[p])))];
      add(
        "consent-bundled",
        ["consent", "categories", cid, "purposes"],
        `consent category '${c.name}' asks one consent for ${consentPurposes.length} ` +
          `purposes (${consentPurposes.join(", ")}): consent must be given for each ` +
          `purpose distinguishably`,
        scope,
      );
    }
  }

  // --- retention ----------------------------------------------------------
  for (const [rid, r] of Object.entries(decl.retention)) {
    if (r.period === "indefinite" && !r.reason) {
      add(
        "retention-indefinite-no-reason",
        ["retention", rid, "period"],
        `retention rule '${rid}' keeps data indefinitely without a reason`,
        r.jurisdictions ?? orgScope,
      );
    }
  }
  const { bindings, problems } = resolveBindings(decl);
  for (const p of problems) add("retention-unbound", p.path, p.message, orgScope);
  const automated = Object.values(decl.systems).some(
    (s) => isStoreConnector(s.connector) && Object.keys(s.datasets).length,
  );
  if (automated) {
    const bound = new Set(
      Object.values(decl.systems).flatMap((s) =>
        Object.values(s.datasets).flatMap((d) => retentionBindings(d).map((b) => b.rule)),
      ),
    );
    for (const n of Object.values(decl.consent?.newsletters ?? {})) {
      const rid = decl.purposes[n.purpose]?.retention;
      if (rid && decl.retention[rid]?.from === "unconfirmed_signup") bound.add(rid);
    }
    // Cookie choices: Pledge asks again when a choice's validity ends, which keeps a rule of the purposes consented to.
    for (const c of Object.values(decl.consent?.categories ?? {}))
      for (const pid of c.purposes)
        if (decl.purposes[pid]?.retention && !c.essential) bound.add(decl.purposes[pid].retention!);
    for (const [rid, r] of Object.entries(decl.retention)) {
      if (!bound.has(rid) && r.period !== "indefinite")
        add(
          "retention-rule-unused",
          ["retention", rid],
          `retention rule '${rid}' (${r.period}) is bound to no dataset: bind it ` +
            `(systems.<system>.datasets.<dataset>.retention) so a sweep keeps it`,
          r.jurisdictions ?? orgScope,
        );
    }
  }
  for (const b of bindings) {
    if (b.rule.action !== "deidentify") continue;
    const ds = decl.systems[b.system].datasets[b.dataset];
    const marked = Object.values(ds.fields).some((f) => {
      if (!f.category || f.primaryKey || f.references) return false;
      const m =
        Object.entries(b.rule.masking ?? {}).find(([c]) => categoryWithin(f.category!, c))?.[1] ?? f.masking ?? "null";
      return m === "null" || m === "fixed";
    });
    if (!marked)
      add(
        "retention-deidentify-undetectable",
        ["systems", b.system, "datasets", b.dataset, "fields"],
        `rule '${b.ruleId}' de-identifies ${b.id}, but none of its personal fields is ` +
          `masked to null or a fixed value: give one field masking: null or fixed, so a ` +
          `de-identified row can be recognised`,
        orgScope,
      );
  }

  // --- recipients ---------------------------------------------------------
  const usedRecipients = new Set<string>();
  for (const p of Object.values(decl.purposes)) p.recipients.forEach((r) => usedRecipients.add(r));
  for (const a of Object.values(decl.processorActivities)) a.subProcessors.forEach((r) => usedRecipients.add(r));
  for (const s of Object.values(decl.systems)) if (s.location?.hostedBy) usedRecipients.add(s.location.hostedBy);
  for (const c of Object.values(decl.consent?.categories ?? {}))
    c.services.forEach((s) => s.recipient && usedRecipients.add(s.recipient));
  for (const [rid, r] of Object.entries(decl.recipients)) {
    if ((r.role === "processor" || r.role === "sub_processor") && r.dpa !== true) {
      add(
        "processor-no-dpa",
        ["recipients", rid],
        `processor ${r.name} has no data processing agreement (dpa: true)`,
        recipientScope(rid),
      );
    }
    if (!usedRecipients.has(rid))
      add(
        "recipient-unused",
        ["recipients", rid],
        `recipient ${r.name} is named by no purpose, system, processor activity or cookie service`,
      );
  }

  // --- systems and categories ---------------------------------------------
  const held = new Map<string, (string | number)[]>();
  let datasetCount = 0;
  for (const [sid, s] of Object.entries(decl.systems)) {
    if (s.connector?.engine === "mail") {
      const r = decl.recipients[s.connector.recipient];
      if (r && !s.connector.to && !r.privacyContact && !r.notify?.email)
        add(
          "processor-no-address",
          ["systems", sid, "connector"],
          `system '${s.name}' is reached by mail, but ${r.name} has no privacyContact (nor notify.email) and the ` +
            "connector no `to`: no request could be sent to it",
        );
    }
    // A processor's system (http, mail) is asked over its API or by mail, not left to staff.
    if (!isStoreConnector(s.connector) && !isProcessorConnector(s.connector)) {
      add(
        "manual-system",
        ["systems", sid],
        `system '${s.name}' has ${s.connector ? "a manual connector" : "no connector"}: ` +
          "requests will create manual tasks for staff",
      );
    }
    for (const [did, ds] of Object.entries(s.datasets)) {
      datasetCount++;
      for (const [fname, f] of Object.entries(ds.fields)) {
        if (f.category && !held.has(f.category))
          held.set(f.category, ["systems", sid, "datasets", did, "fields", fname, "category"]);
      }
    }
  }
  const purposeCategories = new Set([
    ...Object.values(decl.purposes).flatMap((p) => p.dataCategories),
    ...Object.values(decl.processorActivities).flatMap((a) => a.dataCategories),
  ]);
  const usedByPurpose = (cat: string) => [...purposeCategories].some((pc) => categoryWithin(cat, pc));
  for (const [cat, path] of held) {
    if (!usedByPurpose(cat)) add("category-unused", path, `data category '${cat}' is held but used by no purpose`);
  }
  if (datasetCount === 0) {
    add(
      "no-systems",
      ["systems"],
      "no system declares datasets: rights requests, retention and discovery have nothing to act on",
    );
  } else {
    const heldKeys = [...held.keys()];
    for (const [pid, p] of Object.entries(decl.purposes)) {
      p.dataCategories.forEach((cat, i) => {
        if (!heldKeys.some((h) => categoryWithin(h, cat) || categoryWithin(cat, h))) {
          add(
            "category-not-held",
            ["purposes", pid, "dataCategories", i],
            `data category '${cat}' (purpose '${p.name}') is held by no declared system`,
          );
        }
      });
    }
    const graph = buildDatasetGraph(decl);
    for (const [sid, sys] of Object.entries(decl.systems))
      for (const [did, ds] of Object.entries(sys.datasets))
        for (const [fname, f] of Object.entries(ds.fields))
          if (f.masking && f.masking !== "keep" && !f.category && !f.identity && f.personal !== false)
            add(
              "field-masked-uncategorized",
              ["systems", sid, "datasets", did, "fields", fname, "masking"],
              `${sid}.${did}.${fname} is masked on erasure (masking: ${f.masking}) but names no data category: ` +
                `give it one (category:), so the notice and the record of processing say what it holds, or mark ` +
                `it personal: false and remove masking`,
            );
    const reachable = reachableDatasets(graph);
    for (const node of graph.nodes.values()) {
      if (node.personal && !reachable.has(node.key)) {
        add(
          "dataset-unreachable",
          ["systems", node.system, "datasets", node.dataset],
          `dataset ${node.key} holds personal data but no identity field, owner ` +
            `reference or detail reference leads to it, so erasure cannot reach it`,
        );
      }
    }
    // A foreign key does not mean "the same person": say which references name someone else.
    const entries = entryDatasets(graph);
    const people = new Set(
      [...graph.nodes.values()].filter((n) => n.def.subject || entries.has(n.key)).map((n) => n.key),
    );
    for (const node of graph.nodes.values()) {
      const owners = graph.edges.filter(
        (e) => e.from === node.key && e.relation === "owner" && !e.crossSystem && e.to !== e.from && people.has(e.to),
      );
      const targets = [...new Set(owners.map((e) => e.to))];
      if (targets.length > 1) {
        add(
          "reference-shared-owner",
          ["systems", node.system, "datasets", node.dataset],
          `rows of ${node.key} are declared to belong to ${targets.join(" and ")} (` +
            `${owners.map((e) => e.fromField).join(", ")}): a row belongs to one person; ` +
            `mark a reference that names someone else relation: actor, or relation: detail`,
        );
      }
    }
    const reported = new Set<string>();
    for (const start of entries) {
      for (const p of pathsToOtherPeople(graph, start)) {
        const last = p.via[p.via.length - 1];
        const id = `${last.from}.${last.fromField}`;
        if (reported.has(id)) continue;
        reported.add(id);
        const [sys, ds] = last.from.split(".");
        const subject = graph.nodes.get(p.target)!.def.subject;
        add(
          "reference-reaches-person",
          ["systems", sys, "datasets", ds, "fields", last.fromField, "references"],
          `a request that matches rows of ${start} would collect rows of ${p.target}, ` +
            `which are people (subject: ${subject}), through ` +
            `${p.via.map((e) => `${e.from}.${e.fromField}`).join(" → ")}: mark the ` +
            `reference that names another person relation: actor or relation: lookup`,
        );
      }
    }
    // A code for an identity that is not an email goes to a contact field of the matched row, or of the row it belongs
    // to, in a system Pledge can search.
    const contactOf = new Set<string>();
    for (const node of graph.nodes.values()) {
      const connector = decl.systems[node.system].connector;
      if (!isStoreConnector(connector)) continue;
      if (contactSources(graph, node.key).length) Object.values(node.identities).forEach((t) => contactOf.add(t));
    }
    decl.rights.identities.forEach((t, i) => {
      if (t !== "email" && !contactOf.has(t)) {
        add(
          "contact-channel-missing",
          ["rights", "identities", i],
          `requests by ${t} cannot be verified by code: no system with a connector holds ` +
            `a field with contact: email beside a ${t} identity (or in the row it belongs ` +
            `to), so they wait for staff to verify the person by hand`,
        );
      }
    });
    if (entries.size && ![...graph.nodes.values()].some((n) => n.def.subject)) {
      add(
        "subject-undeclared",
        ["systems"],
        "no dataset says its rows are people (subject: customer, …): a request cannot " +
          "stop when its identities match several people's rows",
      );
    }
  }

  // --- rights -------------------------------------------------------------
  const rightsScope = decl.rights.appliesTo ?? orgScope;
  // A processor assists its controllers with their people's requests (Art 28(3)(e)); it offers no rights of its own.
  if (controller) {
    const needed = [
      "access",
      "rectification",
      "erasure",
      "restriction",
      "portability",
      "objection",
      "complaint",
    ] as const;
    const hasConsent = Object.values(decl.purposes).some((p) => basesOf(p).some((b) => b.basis === "consent"));
    const missing: string[] = needed.filter((r) => !decl.rights.offered.includes(r));
    if (hasConsent && !decl.rights.offered.includes("withdraw_consent")) missing.push("withdraw_consent");
    if (missing.length)
      add(
        "rights-missing",
        ["rights", "offered"],
        `rights the GDPR gives are not offered: ${missing.join(", ")}`,
        orgScope,
      );
    const ccpaMissing: string[] = [];
    if (!decl.rights.offered.includes("rectification")) ccpaMissing.push("rectification (the right to correct)");
    const sensitive = Object.values(decl.purposes).some(
      (p) => purposeJurisdictions(decl, p).includes("US-CA") && sensitiveAmong(p.dataCategories, categories).length > 0,
    );
    if (sensitive && !decl.rights.offered.includes("limit_sensitive"))
      ccpaMissing.push("limit_sensitive (sensitive personal information is collected)");
    if (ccpaMissing.length)
      add("ccpa-rights-missing", ["rights", "offered"], `CCPA rights not offered: ${ccpaMissing.join("; ")}`, orgScope);
    if (!decl.rights.nonDiscrimination)
      add(
        "ccpa-non-discrimination",
        ["rights"],
        "the notice must say that people are not discriminated against for exercising " +
          "their CCPA rights: set rights.nonDiscrimination: true",
        orgScope,
      );
  }
  // A promise is compared with each law's clock on the calendar: "1 month" meets GDPR's one month.
  for (const j of rightsScope) {
    const regime = regimeFor(j);
    const promised = promisedResponseTime(decl, j);
    if (!regime || regime === "none" || !promised) continue;
    const parsed = parseDuration(promised);
    const d = REGIMES[regime].deadline;
    if (parsed && !notLongerThan(parsed, d)) {
      const path =
        typeof decl.rights.responseTime === "object" ? ["rights", "responseTime", j] : ["rights", "responseTime"];
      add(
        "response-time-exceeds-law",
        path,
        `promised response time ${promised} is longer than the ${REGIMES[regime].name} ` +
          `deadline for ${j} (${d.amount} ${d.unit.replace("_", " ")}, ` +
          `${REGIMES[regime].cite})`,
        [j],
      );
    }
  }
  if (regimesOf(orgScope).includes("gdpr") && !EEA_COUNTRIES.has(org.country) && !org.euRepresentative) {
    add(
      "representative-missing",
      ["organization"],
      `${org.name} is established in ${org.country}, serves the EU and names no EU representative (euRepresentative)`,
      orgScope,
      ["gdpr"],
    );
  }
  if (regimesOf(orgScope).includes("uk_gdpr") && org.country !== "GB" && !org.ukRepresentative) {
    add(
      "representative-missing",
      ["organization"],
      `${org.name} is established in ${org.country}, serves the UK and names no UK representative (ukRepresentative)`,
      orgScope,
      ["uk"],
    );
  }

  // --- consent ------------------------------------------------------------
  for (const [cid, c] of Object.entries(decl.consent?.categories ?? {})) {
    if (c.default && !c.essential)
      add(
        "consent-default-on",
        ["consent", "categories", cid, "default"],
        `consent category '${c.name}' is not essential but on by default`,
      );
  }
  // GPC binds a business that sells or shares (11 CCR § 7025(b)) and the states with a universal opt-out mechanism.
  const sellsOrShares = Object.values(decl.purposes).filter((p) => p.sold || p.shared);
  if (sellsOrShares.length && !honoursGpc(decl)) {
    const scope = [...new Set(sellsOrShares.flatMap((p) => purposeJurisdictions(decl, p)))];
    const states = scope.filter((j) => {
      const r = regimeFor(j);
      return !!r && !!REGIMES[r].universalOptOut;
    });
    if (states.length)
      add(
        "gpc-not-honoured",
        decl.consent ? ["consent", "signals", "gpc"] : ["consent"],
        `data is sold or shared and Global Privacy Control must be honoured in ` +
          `${states.join(", ")}` +
          `${decl.consent ? "" : ": declare a consent section so that Pledge honours it"}`,
        states,
      );
  }
  // --- children -----------------------------------------------------------
  const kids = decl.children;
  if (kids) {
    const consentAge = kids.parentalConsentBelow ?? 0;
    if (kids.minimumAge < 13 && consentAge < 13)
      add(
        "children-consent",
        ["children"],
        `children from ${kids.minimumAge} are served; under 13 a parent must give ` +
          `verifiable consent (parentalConsentBelow: 13)`,
        orgScope,
        ["coppa"],
      );
    if (kids.minimumAge < 16 && consentAge < 16)
      add(
        "children-consent",
        ["children"],
        `children from ${kids.minimumAge} are served; under 16 (or the member state's ` +
          `lower age, at least 13) consent is given by a parent (parentalConsentBelow)`,
        orgScope,
        ["gdpr"],
      );
    // UK GDPR Art 8(1) as the Data Protection Act 2018 s 9 sets it: 13.
    if (kids.minimumAge < 13 && consentAge < 13)
      add(
        "children-consent",
        ["children"],
        `children from ${kids.minimumAge} are served; in the UK, under 13 consent is given by a parent ` +
          "(parentalConsentBelow: 13)",
        orgScope,
        ["uk"],
      );
    if (kids.minimumAge < 16 && sellsOrShares.length && !kids.noSaleUnder16)
      add(
        "children-consent",
        ["children"],
        "data of people under 16 is sold or shared: it needs their opt-in (13-15) or a " +
          "parent's (under 13); set noSaleUnder16 when it is never sold",
        orgScope,
        ["ccpa"],
      );
  }

  // --- assessments, card data, retention exceptions --------------------------
  for (const [pid, p] of Object.entries(decl.purposes)) {
    if (!(p.targetedAdvertising || p.sold) || p.assessment) continue;
    const states = purposeJurisdictions(decl, p).filter((j) => REGIMES[regimeFor(j) ?? "none"].assessmentRequired);
    if (states.length)
      add(
        "state-assessment-missing",
        ["purposes", pid],
        `purpose '${p.name}' ${p.targetedAdvertising ? "serves targeted advertising" : "sells data"}: ` +
          `${states.join(", ")} require a data protection assessment; record it (assessment: { date })`,
        states,
      );
  }
  const cardHeld =
    Object.values(decl.purposes).some((p) =>
      p.dataCategories.some((c) => categoryWithin("user.financial.card_number", c)),
    ) ||
    Object.values(decl.systems).some((s) =>
      Object.values(s.datasets).some((d) =>
        Object.values(d.fields).some((f) => f.category && categoryWithin(f.category, "user.financial.card_number")),
      ),
    );
  if (cardHeld && !decl.governance?.breach)
    add(
      "card-breach-unstated",
      ["governance"],
      "payment card numbers are held and no breach procedure is declared (governance.breach): name the procedure and " +
        "the regimes, so that the breach register computes every clock",
    );
  for (const [rid, r] of Object.entries(decl.retention)) {
    const rule = r.period === "indefinite" ? undefined : parseDuration(r.period);
    r.exceptions.forEach((e, i) => {
      const ex = e.period ? parseDuration(e.period) : undefined;
      if (rule && ex && durationDays(ex) > durationDays(rule))
        add(
          "retention-exception-longer",
          ["retention", rid, "exceptions", i],
          `retention '${rid}': the exception '${e.reason}' keeps data ${e.period}, longer than the rule's ` +
            `${r.period}: confirm that the law or reason it names requires that long`,
        );
    });
  }

  // --- governance -----------------------------------------------------------
  const gov = decl.governance;
  if (gov?.breach) {
    const served = new Set<string>(regimesOf(orgScope));
    if (orgScope.some((j) => j === "US" || j.startsWith("US-"))) served.add("hipaa");
    gov.breach.regimes.forEach((r, i) => {
      // Sector rules (GLBA, SEC, NY DFS, NIS2, DORA) follow the organization's business, not the places it serves.
      if (!served.has(r) && PLACE_BREACH_REGIMES.has(r))
        add(
          "breach-regime-not-served",
          ["governance", "breach", "regimes", i],
          `breach regime '${r}' is named, but the organization serves no jurisdiction ` +
            `under it (organization.jurisdictions)`,
        );
    });
    const breachLaws = new Set(["gdpr", "uk_gdpr", "lgpd", "pipeda", "fadp", "quebec", "ccpa"]);
    for (const r of served)
      if (breachLaws.has(r) && !gov.breach.regimes.includes(r as never))
        add(
          "breach-regime-not-served",
          ["governance", "breach", "regimes"],
          `the organization serves people under '${r}', whose breach clocks the register ` +
            `does not run: add it to governance.breach.regimes`,
        );
  }
  if (gov?.subProcessors) {
    const named =
      Object.values(decl.processorActivities).some((a) => a.subProcessors.length) ||
      Object.values(decl.recipients).some((r) => r.role === "sub_processor");
    if (!org.roles.includes("processor"))
      add(
        "subprocessors-not-processor",
        ["governance", "subProcessors"],
        "sub-processor changes are announced, but organization.roles does not include processor",
      );
    else if (!named)
      add(
        "subprocessors-not-processor",
        ["governance", "subProcessors"],
        "sub-processor changes are announced, but no recipient is a sub-processor " +
          "(role: sub_processor, or processorActivities.*.subProcessors)",
      );
  }
  const sa = gov?.staffAccess;
  if (sa?.protectedClasses.length && !sa.purposes.length && !sa.exceptions.length)
    add(
      "staff-access-ungrantable",
      ["governance", "staffAccess"],
      "protected data classes are declared with neither purposes (the customer " +
        "consents) nor exceptions (a second staff member approves): no access to them " +
        "can be granted",
    );

  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return findings.sort((a, b) => order[a.severity] - order[b.severity]);
}
