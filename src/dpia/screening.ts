/**
 * DPIA screening from what the declaration already states, per purpose: the three cases of GDPR Art 35(3), where a
 * DPIA is always required, and the nine criteria of the EDPB-endorsed WP29 guidelines (WP248 rev.01, III.B.a), of
 * which two or more mean a DPIA is required. Transfers out of the EEA without adequacy are reported as a factor.
 */
import {
  ADEQUACY,
  categoriesOf,
  type Declaration,
  EEA_COUNTRIES,
  lawsServed,
  type Purpose,
  purposeJurisdictions,
  subjectsOf,
  TRANSFER_MECHANISM_INFO,
} from "../declaration/index.js";

/** The nine WP248 criteria, in the guidelines' order. */
export const WP248_CRITERIA = {
  evaluation_scoring: "Evaluation or scoring, including profiling and predicting",
  automated_decision: "Automated decision-making with legal or similarly significant effect",
  systematic_monitoring: "Systematic monitoring",
  sensitive_data: "Sensitive data or data of a highly personal nature",
  large_scale: "Data processed on a large scale",
  matching_combining: "Matching or combining datasets",
  vulnerable_subjects: "Data concerning vulnerable data subjects",
  innovative_technology: "Innovative use or applying new technological or organisational solutions",
  prevents_right: "Processing that prevents people from exercising a right or using a service or a contract",
} as const;
export type CriterionId = keyof typeof WP248_CRITERIA;

/** GDPR Art 35(3)(a)–(c). */
export const ART35_CASES = {
  a:
    "Art 35(3)(a): a systematic and extensive evaluation based on automated " +
    "processing, including profiling, on which decisions with legal or similarly " +
    "significant effects are based",
  b:
    "Art 35(3)(b): processing on a large scale of special categories of data (Art " +
    "9(1)) or of criminal convictions and offences (Art 10)",
  c: "Art 35(3)(c): a systematic monitoring of a publicly accessible area on a large scale",
} as const;

export type ScreeningResult = "required" | "recommended" | "not indicated";

export interface CriterionMet {
  id: CriterionId;
  name: string;
  /** Why, from the declaration: what it states that meets the criterion. */
  because: string;
}

export interface Screening {
  purpose: string;
  name: string;
  result: ScreeningResult;
  criteria: CriterionMet[];
  art35: { case: keyof typeof ART35_CASES; text: string }[];
  /** Not a WP248 criterion but a risk the DPIA must address: transfers out of the EEA without adequacy. */
  transfers: string[];
  /** One sentence per reason, in order: the Art 35(3) cases, the criteria, the transfers, then the conclusion. */
  reasons: string[];
}

const CHILD = /\b(child|children|minor|minors|kid|kids|pupil|pupils|student|students|teen|teens)\b/i;
const EMPLOYEE = /\b(employee|employees|staff|worker|workers|applicant|applicants|job_applicant)\b/i;

/**
 * How a data subject is vulnerable: as the declaration says, or the built-in `employee` (the organization's own), or a
 * declared subject whose id or name says child or employee (not a customer's employees: no imbalance of power).
 */
function vulnerability(decl: Declaration, id: string, def: { name: string; vulnerable?: string }): string | undefined {
  if (def.vulnerable) return def.vulnerable.replace(/_/g, " ");
  if (!decl.taxonomy.dataSubjects[id]) return id === "employee" ? "employee" : undefined;
  const words = `${id.replace(/_/g, " ")} ${def.name}`;
  if (/customer|client|partner/i.test(words)) return undefined;
  if (CHILD.test(words)) return "child";
  if (EMPLOYEE.test(words)) return "employee";
  return undefined;
}

/** The screening of one purpose. */
export function screenPurpose(decl: Declaration, purposeId: string): Screening {
  const p: Purpose = decl.purposes[purposeId];
  const cats = categoriesOf(decl);
  const subjects = subjectsOf(decl);
  const criteria: CriterionMet[] = [];
  const meet = (id: CriterionId, because: string) => criteria.push({ id, name: WP248_CRITERIA[id], because });
  const dpia = p.dpia ?? {};

  const automated = p.automatedDecision?.used === true;
  if (automated)
    meet(
      "evaluation_scoring",
      `the purpose declares automated decision-making` +
        `${p.automatedDecision?.logic ? `: ${p.automatedDecision.logic}` : ""}`,
    );
  if (automated && p.automatedDecision?.significance)
    meet("automated_decision", `its effect on the person: ${p.automatedDecision.significance}`);

  const monitoring: string[] = [];
  if (p.sources.includes("observed"))
    monitoring.push("data observed from the person's behaviour or devices (sources: observed)");
  const tracking = Object.entries(decl.consent?.categories ?? {}).filter(
    ([, c]) => !c.essential && c.purposes.includes(purposeId) && c.services.length > 0,
  );
  if (tracking.length)
    monitoring.push(
      `tracking on the site through the consent categories ${tracking.map(([, c]) => c.name).join(", ")}`,
    );
  if (monitoring.length) meet("systematic_monitoring", monitoring.join("; "));

  const special = p.dataCategories.filter((c) => {
    const info = cats[c];
    return !!info?.special || Object.entries(cats).some(([k, v]) => v.special && k.startsWith(`${c}.`));
  });
  const sensitive = p.dataCategories.filter((c) => !special.includes(c) && cats[c]?.sensitive);
  if (special.length || p.specialCategoryCondition)
    meet(
      "sensitive_data",
      special.length
        ? `special categories of data (Art 9(1)): ${special.join(", ")}`
        : `the purpose relies on an Art 9(2) condition (${p.specialCategoryCondition})`,
    );
  else if (sensitive.length) meet("sensitive_data", `data of a highly personal nature: ${sensitive.join(", ")}`);

  const large = dpia.largeScale === true;
  if (large)
    meet(
      "large_scale",
      `the declaration states it is large-scale` +
        `${dpia.subjects ? ` (about ${dpia.subjects.toLocaleString("en")} people)` : ""}`,
    );

  const kinds = new Set(p.sources);
  const fromElsewhere = kinds.has("third_party") || kinds.has("public");
  if (dpia.combinesDatasets) meet("matching_combining", dpia.combinesDatasets);
  else if (fromElsewhere && kinds.size > 1)
    meet(
      "matching_combining",
      `data from ${[...kinds].join(", ").replace(/_/g, " ")} sources combined for one purpose`,
    );

  const vulnerable = p.dataSubjects.flatMap((s) => {
    const v = subjects[s] ? vulnerability(decl, s, subjects[s] as { name: string; vulnerable?: string }) : undefined;
    return v ? [`${subjects[s].name} (${v})`] : [];
  });
  if (vulnerable.length) meet("vulnerable_subjects", `the people concerned include ${vulnerable.join(", ")}`);

  if (dpia.innovativeTechnology) meet("innovative_technology", dpia.innovativeTechnology);

  if (dpia.preventsRightOrService) meet("prevents_right", dpia.preventsRightOrService);
  else if (automated && p.requirement?.type === "contract_prerequisite")
    meet(
      "prevents_right",
      `an automated decision on data required to enter the contract` +
        `${p.requirement.consequence ? `: ${p.requirement.consequence}` : ""}`,
    );

  const art35: Screening["art35"] = [];
  if (automated && p.automatedDecision?.significance) art35.push({ case: "a", text: ART35_CASES.a });
  if (large && (special.length || p.specialCategoryCondition)) art35.push({ case: "b", text: ART35_CASES.b });
  if (large && dpia.publiclyAccessibleArea && monitoring.length) art35.push({ case: "c", text: ART35_CASES.c });

  const transfers = p.recipients.flatMap((rid) => {
    const r = decl.recipients[rid];
    if (!r?.country || EEA_COUNTRIES.has(r.country) || ADEQUACY[r.country]) return [];
    const tools = r.transfer?.mechanisms ?? [];
    const invalid = tools.filter((m) => TRANSFER_MECHANISM_INFO[m]?.invalidSince);
    return [
      `${r.name} in ${r.country}, ` +
        `${
          tools.length
            ? `on ${tools.join(", ").replace(/_/g, " ")}` +
              `${invalid.length ? ` (${invalid.join(", ").replace(/_/g, " ")} invalid)` : ""}`
            : "with no safeguard stated"
        }`,
    ];
  });

  const laws = lawsServed(purposeJurisdictions(decl, p));
  if (!laws.has("gdpr") && !laws.has("uk"))
    return {
      purpose: purposeId,
      name: p.name,
      result: "not indicated",
      criteria,
      art35: [],
      transfers: [],
      reasons: [
        `The purpose serves no one under the GDPR or the UK GDPR (` +
          `${purposeJurisdictions(decl, p).join(", ")}): Art 35 does not apply` +
          `${criteria.length ? `, though ${criteria.length} WP248 criteria would be met` : ""}` +
          `.`,
      ],
    };
  const result: ScreeningResult =
    art35.length || criteria.length >= 2
      ? "required"
      : criteria.length === 1 || transfers.length
        ? "recommended"
        : "not indicated";
  const reasons = [
    ...art35.map((c) => `${c.text}.`),
    ...criteria.map((c) => `${c.name}: ${c.because}.`),
    ...(transfers.length ? [`Transfers out of the EEA without adequacy: ${transfers.join("; ")}.`] : []),
    result === "required"
      ? art35.length
        ? "A DPIA is required: the processing is one of the cases of Art 35(3)."
        : `A DPIA is required: ${criteria.length} WP248 criteria are met (two or more).`
      : result === "recommended"
        ? criteria.length
          ? "A DPIA is recommended: one WP248 criterion is met; WP248 allows that one can be enough."
          : "A DPIA is recommended: the transfers carry a risk of their own."
        : "A DPIA is not indicated by what the declaration states; record why if the purpose changes.",
  ];
  return { purpose: purposeId, name: p.name, result, criteria, art35, transfers, reasons };
}

/** Every purpose's screening, required ones first. */
export function screenDeclaration(decl: Declaration): Screening[] {
  const order: Record<ScreeningResult, number> = { required: 0, recommended: 1, "not indicated": 2 };
  return Object.keys(decl.purposes)
    .map((id) => screenPurpose(decl, id))
    .sort((a, b) => order[a.result] - order[b.result]);
}
