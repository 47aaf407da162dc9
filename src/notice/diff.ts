/**
 * What changed between two versions of a declaration, and which changes are
 * material: the ones the notices promise to tell people about before they take
 * effect (new purposes, new data, new recipients or transfers, longer
 * retention, fewer rights, a new legal basis).
 */
import {
  RIGHT_INFO,
  TRANSFER_MECHANISM_INFO,
  categoriesOf,
  categoryName,
  categoryWithin,
  durationDays,
  parseDuration,
  type Declaration,
  type RetentionRule,
} from "../declaration/index.js";
import { countryName, describeRetention } from "./model.js";

export type ChangeArea = "organization" | "purposes" | "categories" | "recipients" | "transfers" | "retention" | "rights" | "consent" | "governance";

export interface Change {
  area: ChangeArea;
  kind: "added" | "removed" | "changed";
  /** The id of what changed (a purpose id, a category key, …). */
  key: string;
  summary: string;
  material: boolean;
}

export interface DeclarationDiff {
  from: { version: string; effectiveDate: string };
  to: { version: string; effectiveDate: string };
  changes: Change[];
  material: boolean;
}

function retentionDays(r: RetentionRule): number {
  if (r.period === "indefinite") return Infinity;
  const d = parseDuration(r.period);
  return d ? durationDays(d) : 0;
}

const setDiff = <T>(a: Iterable<T>, b: Iterable<T>) => {
  const sb = new Set(b);
  return [...new Set(a)].filter((x) => !sb.has(x));
};

/** Categories in `a` that no category in `b` covers (`user.contact` covers `user.contact.email`). */
const uncovered = (a: Iterable<string>, b: Iterable<string>) => {
  const bs = [...b];
  return [...new Set(a)].filter((x) => !bs.some((y) => categoryWithin(x, y)));
};

/**
 * Compares two declarations.
 *
 * ```ts
 * const d = diffDeclarations(old.declaration, next.declaration);
 * if (d.material) notifyPeople(d.changes.filter((c) => c.material));
 * ```
 */
export function diffDeclarations(a: Declaration, b: Declaration): DeclarationDiff {
  const changes: Change[] = [];
  const add = (area: ChangeArea, kind: Change["kind"], key: string, summary: string, material: boolean) => changes.push({ area, kind, key, summary, material });
  const cats = { ...categoriesOf(a), ...categoriesOf(b) };
  const cn = (k: string) => categoryName(k, cats);

  // organization
  if (a.organization.name !== b.organization.name) add("organization", "changed", "name", `controller name: ${a.organization.name} → ${b.organization.name}`, true);
  const contactA = JSON.stringify(a.organization.contact);
  const contactB = JSON.stringify(b.organization.contact);
  if (contactA !== contactB) add("organization", "changed", "contact", "contact details changed", false);
  for (const k of ["dpo", "euRepresentative", "supervisoryAuthority"] as const) {
    const x = a.organization[k];
    const y = b.organization[k];
    if (!x && y) add("organization", "added", k, `${k} named: ${y.name ?? y.email ?? ""}`, false);
    else if (x && !y) add("organization", "removed", k, `${k} no longer named`, false);
    else if (x && y && JSON.stringify(x) !== JSON.stringify(y)) add("organization", "changed", k, `${k} changed`, false);
  }
  for (const j of setDiff(b.organization.jurisdictions, a.organization.jurisdictions)) add("organization", "added", `jurisdiction:${j}`, `now serves ${j}`, false);
  for (const j of setDiff(a.organization.jurisdictions, b.organization.jurisdictions)) add("organization", "removed", `jurisdiction:${j}`, `no longer serves ${j}`, false);

  // purposes
  for (const [id, p] of Object.entries(b.purposes)) {
    const old = a.purposes[id];
    if (!old) {
      add("purposes", "added", id, `new purpose '${p.name}' (${p.legalBasis ?? "no legal basis stated"}; ${p.dataCategories.map(cn).join(", ")})`, true);
      continue;
    }
    if (old.legalBasis !== p.legalBasis) add("purposes", "changed", id, `'${p.name}': legal basis ${old.legalBasis ?? "not stated"} → ${p.legalBasis ?? "not stated"}`, true);
    if (old.name !== p.name) add("purposes", "changed", id, `renamed '${old.name}' → '${p.name}'`, false);
    for (const c of uncovered(p.dataCategories, old.dataCategories)) add("purposes", "changed", id, `'${p.name}' now uses ${cn(c)}`, true);
    for (const c of setDiff(old.dataCategories, p.dataCategories).filter((c) => !p.dataCategories.some((n) => categoryWithin(n, c)))) add("purposes", "changed", id, `'${p.name}' no longer uses ${cn(c)}`, false);
    for (const r of setDiff(p.recipients, old.recipients)) add("purposes", "changed", id, `'${p.name}' now shares with ${b.recipients[r]?.name ?? r}`, true);
    for (const r of setDiff(old.recipients, p.recipients)) add("purposes", "changed", id, `'${p.name}' no longer shares with ${a.recipients[r]?.name ?? r}`, false);
    if (!old.sold && p.sold) add("purposes", "changed", id, `'${p.name}' now sells data`, true);
    if (!old.shared && p.shared) add("purposes", "changed", id, `'${p.name}' now shares data for advertising`, true);
    if (old.retention !== p.retention) add("purposes", "changed", id, `'${p.name}' retention rule ${old.retention ?? "none"} → ${p.retention ?? "none"}`, false);
  }
  for (const [id, p] of Object.entries(a.purposes)) if (!b.purposes[id]) add("purposes", "removed", id, `purpose '${p.name}' dropped`, false);

  // categories collected
  const collected = (d: Declaration) => new Set(Object.values(d.purposes).flatMap((p) => p.dataCategories));
  for (const c of uncovered(collected(b), collected(a))) add("categories", "added", c, `now collects ${cn(c)}`, true);
  for (const c of setDiff(collected(a), collected(b)).filter((c) => ![...collected(b)].some((n) => categoryWithin(n, c)))) add("categories", "removed", c, `no longer collects ${cn(c)}`, false);

  // recipients and transfers
  const mech = (ms: readonly string[] | undefined) => (ms?.length ? ms.map((m) => TRANSFER_MECHANISM_INFO[m].name).join(", ") : "none");
  for (const [id, r] of Object.entries(b.recipients)) {
    const old = a.recipients[id];
    if (!old) {
      add("recipients", "added", id, `new recipient ${r.name} (${r.role}, ${countryName(r.country)})`, true);
      if (r.transfer) add("transfers", "added", id, `transfer to ${r.name} (${countryName(r.country)}) under ${mech(r.transfer.mechanisms)}`, true);
      continue;
    }
    if (old.country !== r.country) add("transfers", "changed", id, `${r.name} moved ${countryName(old.country)} → ${countryName(r.country)}`, true);
    if (old.role !== r.role) add("recipients", "changed", id, `${r.name}: role ${old.role} → ${r.role}`, true);
    if (mech(old.transfer?.mechanisms) !== mech(r.transfer?.mechanisms)) {
      add("transfers", "changed", id, `${r.name}: safeguard ${mech(old.transfer?.mechanisms)} → ${mech(r.transfer?.mechanisms)}`, true);
    }
  }
  for (const [id, r] of Object.entries(a.recipients)) if (!b.recipients[id]) add("recipients", "removed", id, `recipient ${r.name} dropped`, false);
  if (mech(a.organization.transfer?.mechanisms) !== mech(b.organization.transfer?.mechanisms)) {
    add("transfers", a.organization.transfer ? "changed" : "added", "organization", `transfers to ${b.organization.name}: ${mech(a.organization.transfer?.mechanisms)} → ${mech(b.organization.transfer?.mechanisms)}`, true);
  }

  // retention
  for (const [id, r] of Object.entries(b.retention)) {
    const old = a.retention[id];
    if (!old) {
      add("retention", "added", id, `new retention rule '${id}': ${describeRetention(r)}`, r.period === "indefinite");
      continue;
    }
    const before = describeRetention(old);
    const after = describeRetention(r);
    if (before !== after) add("retention", "changed", id, `'${id}': ${before} → ${after}`, retentionDays(r) > retentionDays(old) || old.action !== r.action);
  }
  for (const id of Object.keys(a.retention)) if (!b.retention[id]) add("retention", "removed", id, `retention rule '${id}' dropped`, true);

  // rights
  for (const r of setDiff(b.rights.offered, a.rights.offered)) add("rights", "added", r, `right offered: ${RIGHT_INFO[r].name}`, false);
  for (const r of setDiff(a.rights.offered, b.rights.offered)) add("rights", "removed", r, `right no longer offered: ${RIGHT_INFO[r].name}`, true);
  const ch = (d: Declaration) => d.rights.channels.map((c) => `${c.type}: ${c.address}`);
  for (const c of setDiff(ch(b), ch(a))) add("rights", "added", c, `new request channel ${c}`, false);
  for (const c of setDiff(ch(a), ch(b))) add("rights", "removed", c, `request channel dropped ${c}`, false);
  if (a.rights.verification.method !== b.rights.verification.method) add("rights", "changed", "verification", `verification ${a.rights.verification.method} → ${b.rights.verification.method}`, false);
  if (a.rights.responseTime !== b.rights.responseTime) add("rights", "changed", "responseTime", `response time ${a.rights.responseTime ?? "legal deadline"} → ${b.rights.responseTime ?? "legal deadline"}`, false);

  // consent
  const ca = a.consent?.categories ?? {};
  const cb = b.consent?.categories ?? {};
  for (const [id, c] of Object.entries(cb)) {
    if (!ca[id]) add("consent", "added", id, `new consent category '${c.name}'`, true);
    else if (setDiff(c.services.map((s) => s.id), ca[id].services.map((s) => s.id)).length) add("consent", "changed", id, `'${c.name}' has new services: ${setDiff(c.services.map((s) => s.name), ca[id].services.map((s) => s.name)).join(", ")}`, true);
  }
  for (const [id, c] of Object.entries(ca)) if (!cb[id]) add("consent", "removed", id, `consent category '${c.name}' dropped`, false);
  for (const [id, n] of Object.entries(b.consent?.newsletters ?? {})) if (!a.consent?.newsletters[id]) add("consent", "added", `newsletter:${id}`, `new newsletter '${n.name}'`, false);

  // governance: staff access, legal requests, agreements, breaches
  const ga = a.governance;
  const gb = b.governance;
  const classes = (g: typeof ga) => g?.staffAccess?.protectedClasses.map((c) => c.id) ?? [];
  for (const c of setDiff(classes(gb), classes(ga))) add("governance", "added", `staff:${c}`, `staff may no longer examine ${gb?.staffAccess?.protectedClasses.find((x) => x.id === c)?.name ?? c} content without consent`, false);
  for (const c of setDiff(classes(ga), classes(gb))) add("governance", "removed", `staff:${c}`, `${ga?.staffAccess?.protectedClasses.find((x) => x.id === c)?.name ?? c} content is no longer protected from staff access`, true);
  const exceptions = (g: typeof ga) => g?.staffAccess?.exceptions.map((e) => e.id) ?? [];
  for (const e of setDiff(exceptions(gb), exceptions(ga))) add("governance", "added", `exception:${e}`, `new exception to staff confidentiality: ${gb?.staffAccess?.exceptions.find((x) => x.id === e)?.description ?? e}`, true);
  if (ga?.legalRequests && gb?.legalRequests && ga.legalRequests.verificationRequired !== gb.legalRequests.verificationRequired) {
    add("governance", "changed", "legalRequests", gb.legalRequests.verificationRequired ? "law enforcement requests are now verified before disclosure" : "law enforcement requests are no longer verified before disclosure", !gb.legalRequests.verificationRequired);
  }
  const agreements = new Map((ga?.agreements ?? []).map((x) => [x.id, x]));
  for (const x of gb?.agreements ?? []) {
    const old = agreements.get(x.id);
    if (!old) add("governance", "added", `agreement:${x.id}`, `new agreement: ${x.name}${x.automatic ? " (included automatically)" : ""}`, false);
    else if (old.automatic !== x.automatic) add("governance", "changed", `agreement:${x.id}`, `${x.name} is ${x.automatic ? "now included automatically" : "no longer included automatically; it must be signed and accepted"}`, !x.automatic);
  }
  if (!ga?.breach && gb?.breach) add("governance", "added", "breach", "breach procedures described", false);

  return {
    from: { version: a.version, effectiveDate: a.effectiveDate },
    to: { version: b.version, effectiveDate: b.effectiveDate },
    changes,
    material: changes.some((c) => c.material),
  };
}

/** The diff as text for a terminal: one line a change, material ones marked. */
export function formatDiff(d: DeclarationDiff): string {
  const lines = [`${d.from.version} (${d.from.effectiveDate}) → ${d.to.version} (${d.to.effectiveDate})`];
  const areas: ChangeArea[] = ["organization", "purposes", "categories", "recipients", "transfers", "retention", "rights", "consent", "governance"];
  for (const area of areas) {
    const cs = d.changes.filter((c) => c.area === area);
    if (!cs.length) continue;
    lines.push("", `${area}:`);
    for (const c of cs) lines.push(`  ${c.kind === "added" ? "+" : c.kind === "removed" ? "-" : "~"} ${c.summary}${c.material ? "  [material]" : ""}`);
  }
  const n = d.changes.filter((c) => c.material).length;
  lines.push("", d.changes.length ? `${d.changes.length} changes, ${n} material${n ? ": people must be told before they take effect" : ""}` : "no changes");
  return lines.join("\n");
}
