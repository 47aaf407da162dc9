/**
 * The linter: checks a valid declaration against the law. Each rule has a
 * stable id, a severity and the article it comes from; each finding points at
 * the path in the document it is about.
 */
import type { Declaration } from "./schema.js";
import {
  ADEQUATE_COUNTRIES,
  EEA_COUNTRIES,
  REGIMES,
  TRANSFER_MECHANISM_INFO,
  regimeFor,
  servesEu,
} from "./law.js";
import { categoriesOf, categoryWithin } from "./taxonomy.js";
import { buildDatasetGraph, contactSources, entryDatasets, pathsToOtherPeople, reachableDatasets } from "./graph.js";
import { durationDays, parseDuration } from "./duration.js";
import type { DocPath } from "./load.js";

export type Severity = "error" | "warning" | "info";

export interface LintRule {
  id: string;
  severity: Severity;
  article: string;
  summary: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  article: string;
  message: string;
  path: (string | number)[];
}

/** Every rule the linter knows. */
export const LINT_RULES = {
  "transfer-invalid-mechanism": { severity: "error", article: "GDPR Art 44-46", summary: "A transfer relies on Safe Harbor, Privacy Shield or the pre-2021 SCCs, no longer valid." },
  "transfer-no-safeguard": { severity: "error", article: "GDPR Art 44-46", summary: "A transfer to a country without adequacy has no safeguard." },
  "transfer-scc-no-tia": { severity: "info", article: "GDPR Art 46; CJEU C-311/18", summary: "A transfer on SCCs without a transfer impact assessment." },
  "purpose-no-legal-basis": { severity: "error", article: "GDPR Art 6(1), 13(1)(c)", summary: "A purpose has no legal basis." },
  "legitimate-interest-unstated": { severity: "error", article: "GDPR Art 13(1)(d)", summary: "A purpose relies on legitimate interests without stating the interest." },
  "consent-no-withdrawal": { severity: "error", article: "GDPR Art 7(3)", summary: "A consent-based purpose offers no way to withdraw." },
  "special-category-no-condition": { severity: "error", article: "GDPR Art 9(1)-(2)", summary: "Special-category data without an Art 9(2) condition." },
  "category-unused": { severity: "warning", article: "GDPR Art 5(1)(c)", summary: "A data category held by a system is used by no purpose (minimization)." },
  "purpose-no-retention": { severity: "error", article: "GDPR Art 5(1)(e), 13(2)(a)", summary: "A purpose has no retention rule." },
  "retention-indefinite-no-reason": { severity: "error", article: "GDPR Art 5(1)(e), 13(2)(a)", summary: "Retention is indefinite without a stated reason." },
  "processor-no-dpa": { severity: "error", article: "GDPR Art 28(3)", summary: "A processor without a data processing agreement." },
  "category-not-held": { severity: "warning", article: "GDPR Art 30(1)(c)", summary: "A data category used by a purpose is held by no system." },
  "dataset-unreachable": { severity: "error", article: "GDPR Art 17", summary: "A dataset with personal data that erasure cannot reach (no path from any identity)." },
  "no-systems": { severity: "warning", article: "GDPR Art 30(1)", summary: "The declaration names no systems, so no request can be executed." },
  "representative-missing": { severity: "warning", article: "GDPR Art 27", summary: "An organization outside the EU serving it names no EU representative." },
  "rights-missing": { severity: "warning", article: "GDPR Art 13(2)(b)-(d)", summary: "A right the law gives is not offered." },
  "response-time-exceeds-law": { severity: "error", article: "GDPR Art 12(3)", summary: "The promised response time is longer than a legal deadline." },
  "consent-default-on": { severity: "error", article: "ePrivacy Art 5(3); CJEU C-673/17", summary: "A non-essential consent category is on by default." },
  "gpc-not-honoured": { severity: "error", article: "11 CCR 7025; C.R.S. 6-1-1306(1)(a)(IV)", summary: "Global Privacy Control is not honoured where the law requires it." },
  "sale-no-opt-out": { severity: "error", article: "Cal. Civ. Code 1798.120, 1798.135", summary: "Data is sold or shared without a right to opt out." },
  "recipient-unused": { severity: "info", article: "GDPR Art 13(1)(e)", summary: "A recipient no purpose, system or service names." },
  "manual-system": { severity: "info", article: "GDPR Art 12(3)", summary: "A system without a connector: rights requests need staff." },
  "reference-shared-owner": { severity: "error", article: "GDPR Art 17(1)", summary: "A row is declared to belong to two different people (two owner references to datasets of people)." },
  "reference-reaches-person": { severity: "error", article: "GDPR Art 17(1)", summary: "Following owner or detail references from one person's rows reaches rows that are other people." },
  "contact-channel-missing": { severity: "warning", article: "GDPR Art 12(6); 11 CCR 7060", summary: "An identity a person may give has no contact field beside it, so its code cannot be sent: requests wait for staff to verify by hand." },
  "subject-undeclared": { severity: "info", article: "GDPR Art 17(1)", summary: "No dataset says that its rows are people (subject), so a request cannot notice when it matches several people." },
} as const satisfies Record<string, Omit<LintRule, "id">>;

export type LintRuleId = keyof typeof LINT_RULES;

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
  const add = (rule: LintRuleId, path: DocPath, message: string) => {
    const r = LINT_RULES[rule];
    findings.push({ rule, severity: r.severity, article: r.article, message, path: [...path] });
  };
  const eu = servesEu(decl.organization.jurisdictions);
  const categories = categoriesOf(decl);

  // --- transfers ----------------------------------------------------------
  const checkMechanisms = (who: string, mechanisms: readonly string[], path: DocPath) => {
    mechanisms.forEach((m, i) => {
      const info = TRANSFER_MECHANISM_INFO[m];
      if (info?.invalidSince) {
        add("transfer-invalid-mechanism", [...path, "mechanisms", i], `${who}: the transfer relies on ${info.name}, invalid since ${info.invalidSince} (${info.why})`);
      }
    });
  };
  const validMechanisms = (mechanisms: readonly string[]) => mechanisms.filter((m) => !TRANSFER_MECHANISM_INFO[m]?.invalidSince);

  if (decl.organization.transfer) {
    checkMechanisms(decl.organization.name, decl.organization.transfer.mechanisms, ["organization", "transfer"]);
  }
  for (const [aid, a] of Object.entries(decl.processorActivities)) {
    if (a.transfer) checkMechanisms(a.name, a.transfer.mechanisms, ["processorActivities", aid, "transfer"]);
  }
  for (const [rid, r] of Object.entries(decl.recipients)) {
    const mechanisms = r.transfer?.mechanisms ?? [];
    checkMechanisms(r.name, mechanisms, ["recipients", rid, "transfer"]);
    // Disclosures to public authorities are governed by Art 48, not by Chapter V safeguards.
    const thirdCountry = !EEA_COUNTRIES.has(r.country) && r.role !== "public_authority";
    if (eu && thirdCountry) {
      const valid = validMechanisms(mechanisms);
      const adequate = ADEQUATE_COUNTRIES.has(r.country);
      const usAdequacyClaim = r.country === "US" && valid.length === 1 && valid[0] === "adequacy";
      if (usAdequacyClaim) {
        add("transfer-no-safeguard", ["recipients", rid, "transfer"], `${r.name} (US): the US is adequate only for organizations certified under the Data Privacy Framework; use mechanism dpf or another safeguard`);
      } else if (!adequate && mechanisms.length === 0) {
        // Invalidated-only mechanisms are already reported by transfer-invalid-mechanism.
        add("transfer-no-safeguard", ["recipients", rid, "country"], `${r.name} (${r.country}): ${r.country} has no adequacy decision and the transfer states no safeguard`);
      }
      if (valid.includes("scc_2021") && !r.transfer?.transferImpactAssessment) {
        add("transfer-scc-no-tia", ["recipients", rid, "transfer"], `${r.name}: SCCs without a recorded transfer impact assessment`);
      }
    }
  }

  // --- purposes -----------------------------------------------------------
  const consentWithdrawable = new Set<string>();
  for (const cat of Object.values(decl.consent?.categories ?? {})) cat.purposes.forEach((p) => consentWithdrawable.add(p));
  for (const n of Object.values(decl.consent?.newsletters ?? {})) consentWithdrawable.add(n.purpose);

  for (const [pid, p] of Object.entries(decl.purposes)) {
    const path = ["purposes", pid];
    if (!p.legalBasis) {
      if (eu) add("purpose-no-legal-basis", path, `purpose '${p.name}' states no legal basis`);
    } else if (p.legalBasis === "legitimate_interests" && !p.legitimateInterest) {
      add("legitimate-interest-unstated", [...path, "legalBasis"], `purpose '${p.name}' relies on legitimate interests without stating them (legitimateInterest)`);
    }
    if (p.legalBasis === "consent" && p.withdrawal.length === 0 && !consentWithdrawable.has(pid)) {
      add("consent-no-withdrawal", [...path, "legalBasis"], `purpose '${p.name}' is based on consent but gives no way to withdraw it (withdrawal, a consent category or a newsletter)`);
    }
    const special = p.dataCategories.filter((c) => categories[c]?.special);
    if (special.length && !p.specialCategoryCondition) {
      add("special-category-no-condition", [...path, "dataCategories"], `purpose '${p.name}' processes special-category data (${special.join(", ")}) without an Art 9(2) condition (specialCategoryCondition)`);
    }
    if (!p.retention) add("purpose-no-retention", path, `purpose '${p.name}' has no retention rule`);
    if (p.sold || p.shared) {
      const ca = decl.organization.jurisdictions.includes("US-CA");
      if (ca && !decl.rights.offered.includes("opt_out_sale")) {
        add("sale-no-opt-out", path, `purpose '${p.name}' sells or shares data but opt_out_sale is not among the rights offered`);
      }
    }
  }

  // --- retention ----------------------------------------------------------
  for (const [rid, r] of Object.entries(decl.retention)) {
    if (r.period === "indefinite" && !r.reason) {
      add("retention-indefinite-no-reason", ["retention", rid, "period"], `retention rule '${rid}' keeps data indefinitely without a reason`);
    }
  }

  // --- recipients ---------------------------------------------------------
  const usedRecipients = new Set<string>();
  for (const p of Object.values(decl.purposes)) p.recipients.forEach((r) => usedRecipients.add(r));
  for (const s of Object.values(decl.systems)) if (s.location?.hostedBy) usedRecipients.add(s.location.hostedBy);
  for (const c of Object.values(decl.consent?.categories ?? {})) c.services.forEach((s) => s.recipient && usedRecipients.add(s.recipient));
  for (const [rid, r] of Object.entries(decl.recipients)) {
    if ((r.role === "processor" || r.role === "sub_processor") && r.dpa !== true) {
      add("processor-no-dpa", ["recipients", rid], `processor ${r.name} has no data processing agreement (dpa: true)`);
    }
    if (!usedRecipients.has(rid)) add("recipient-unused", ["recipients", rid], `recipient ${r.name} is named by no purpose, system or cookie service`);
  }

  // --- systems and categories ---------------------------------------------
  const held = new Map<string, (string | number)[]>();
  let datasetCount = 0;
  for (const [sid, s] of Object.entries(decl.systems)) {
    if (!s.connector || s.connector.engine === "manual") {
      add("manual-system", ["systems", sid], `system '${s.name}' has no connector: requests will create manual tasks for staff`);
    }
    for (const [did, ds] of Object.entries(s.datasets)) {
      datasetCount++;
      for (const [fname, f] of Object.entries(ds.fields)) {
        if (f.category && !held.has(f.category)) held.set(f.category, ["systems", sid, "datasets", did, "fields", fname, "category"]);
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
    add("no-systems", ["systems"], "no system declares datasets: rights requests, retention and discovery have nothing to act on");
  } else {
    const heldKeys = [...held.keys()];
    for (const [pid, p] of Object.entries(decl.purposes)) {
      p.dataCategories.forEach((cat, i) => {
        if (!heldKeys.some((h) => categoryWithin(h, cat) || categoryWithin(cat, h))) {
          add("category-not-held", ["purposes", pid, "dataCategories", i], `data category '${cat}' (purpose '${p.name}') is held by no declared system`);
        }
      });
    }
    const graph = buildDatasetGraph(decl);
    const reachable = reachableDatasets(graph);
    for (const node of graph.nodes.values()) {
      if (node.personal && !reachable.has(node.key)) {
        add("dataset-unreachable", ["systems", node.system, "datasets", node.dataset], `dataset ${node.key} holds personal data but no identity field, owner reference or detail reference leads to it, so erasure cannot reach it`);
      }
    }
    // A foreign key does not mean "the same person": say which references name someone else.
    const entries = entryDatasets(graph);
    const people = new Set([...graph.nodes.values()].filter((n) => n.def.subject || entries.has(n.key)).map((n) => n.key));
    for (const node of graph.nodes.values()) {
      const owners = graph.edges.filter((e) => e.from === node.key && e.relation === "owner" && !e.crossSystem && e.to !== e.from && people.has(e.to));
      const targets = [...new Set(owners.map((e) => e.to))];
      if (targets.length > 1) {
        add("reference-shared-owner", ["systems", node.system, "datasets", node.dataset], `rows of ${node.key} are declared to belong to ${targets.join(" and ")} (${owners.map((e) => e.fromField).join(", ")}): a row belongs to one person; mark a reference that names someone else relation: actor, or relation: detail`);
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
        add("reference-reaches-person", ["systems", sys, "datasets", ds, "fields", last.fromField, "references"], `a request that matches rows of ${start} would collect rows of ${p.target}, which are people (subject: ${subject}), through ${p.via.map((e) => `${e.from}.${e.fromField}`).join(" → ")}: mark the reference that names another person relation: actor or relation: lookup`);
      }
    }
    // A code for an identity that is not an email goes to a contact field of the matched row, or of the row it belongs to, in a system Pledge can search.
    const contactOf = new Set<string>();
    for (const node of graph.nodes.values()) {
      const connector = decl.systems[node.system].connector;
      if (!connector || connector.engine === "manual") continue;
      if (contactSources(graph, node.key).length) Object.values(node.identities).forEach((t) => contactOf.add(t));
    }
    decl.rights.identities.forEach((t, i) => {
      if (t !== "email" && !contactOf.has(t)) {
        add("contact-channel-missing", ["rights", "identities", i], `requests by ${t} cannot be verified by code: no system with a connector holds a field with contact: email beside a ${t} identity (or in the row it belongs to), so they wait for staff to verify the person by hand`);
      }
    });
    if (entries.size && ![...graph.nodes.values()].some((n) => n.def.subject)) {
      add("subject-undeclared", ["systems"], "no dataset says its rows are people (subject: customer, …): a request cannot stop when its identities match several people's rows");
    }
  }

  // --- rights -------------------------------------------------------------
  if (eu) {
    const needed = ["access", "rectification", "erasure", "restriction", "portability", "objection", "complaint"] as const;
    const hasConsent = Object.values(decl.purposes).some((p) => p.legalBasis === "consent");
    const missing: string[] = needed.filter((r) => !decl.rights.offered.includes(r));
    if (hasConsent && !decl.rights.offered.includes("withdraw_consent")) missing.push("withdraw_consent");
    if (missing.length) add("rights-missing", ["rights", "offered"], `rights the GDPR gives are not offered: ${missing.join(", ")}`);
  }
  if (decl.rights.responseTime) {
    const promised = parseDuration(decl.rights.responseTime);
    for (const j of decl.organization.jurisdictions) {
      const regime = regimeFor(j);
      if (!regime || !promised) continue;
      const d = REGIMES[regime].deadline;
      const legalDays = d.unit === "months" ? d.amount * 30 : d.amount;
      if (durationDays(promised) > legalDays) {
        add("response-time-exceeds-law", ["rights", "responseTime"], `promised response time ${decl.rights.responseTime} is longer than the ${REGIMES[regime].name} deadline (${d.amount} ${d.unit}, ${REGIMES[regime].cite})`);
      }
    }
  }
  const org = decl.organization;
  if (eu && !EEA_COUNTRIES.has(org.country) && !org.euRepresentative) {
    add("representative-missing", ["organization"], `${org.name} is established in ${org.country}, serves the EU and names no EU representative (euRepresentative)`);
  }

  // --- consent ------------------------------------------------------------
  for (const [cid, c] of Object.entries(decl.consent?.categories ?? {})) {
    if (c.default && !c.essential) add("consent-default-on", ["consent", "categories", cid, "default"], `consent category '${c.name}' is not essential but on by default`);
  }
  const gpcStates = org.jurisdictions.filter((j) => j === "US-CA" || j === "US-CO" || j === "US-CT");
  if (gpcStates.length && decl.consent?.signals.gpc === false) {
    add("gpc-not-honoured", ["consent", "signals", "gpc"], `Global Privacy Control must be honoured in ${gpcStates.join(", ")}`);
  }

  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return findings.sort((a, b) => order[a.severity] - order[b.severity]);
}
