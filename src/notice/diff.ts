/**
 * What changed between two versions of a declaration, and which changes are
 * material: the ones the notices promise to tell people about before they take
 * effect. Materiality is judged by effect (a longer retention, a new recipient
 * or country, a new purpose or category, a weaker safeguard or promise), and
 * changes are grouped by what they are about, each reported once: a purpose's
 * new data, recipients and retention are one change of that purpose.
 */
import {
  RIGHT_INFO,
  TRANSFER_MECHANISM_INFO,
  basesOf,
  categoriesOf,
  categoryName,
  categoryWithin,
  subjectsOf,
  durationDays,
  parseDuration,
  type Declaration,
  type Purpose,
  type RetentionRule,
  type DocPath,
} from "../declaration/index.js";
import { describeRetention, placeOf } from "./model.js";
import { EN } from "./words.js";
import type { Block, NoticeDoc } from "./model.js";
import { renderNoticeMarkdown } from "./markdown.js";
import { renderNoticeHtml } from "./html.js";

export type ChangeArea =
  | "organization"
  | "purposes"
  | "recipients"
  | "transfers"
  | "retention"
  | "rights"
  | "consent"
  | "governance"
  | "systems"
  | "children"
  | "notice";

export interface Change {
  area: ChangeArea;
  kind: "added" | "removed" | "changed";
  /** The id of what changed (a purpose id, a recipient id, …). */
  key: string;
  summary: string;
  /** The parts of a grouped change (a purpose's new data, recipients, retention), in plain words. */
  details: string[];
  material: boolean;
  /** Where the declaration says it: in the new version, or in the old one for what was removed. */
  path: DocPath;
}

export interface DeclarationDiff {
  from: { version: string; effectiveDate: string };
  to: { version: string; effectiveDate: string };
  changes: Change[];
  material: boolean;
}

/** How much a verification asks of a person, to tell a heavier one (material) from a lighter one. */
const VERIFICATION_BURDEN: Record<string, number> = {
  none: 0,
  email_code: 1,
  account: 1,
  signed_form: 2,
  id_document: 3,
};

/** The declaration path a change is about: `purposes.newsletter`, `rights.channels`, `organization.contact`. */
function changePath(area: ChangeArea, key: string): DocPath {
  const [first] = key.split(":");
  if (area === "transfers") return ["recipients", key];
  if (area === "children") return ["children"];
  if (area === "organization") return ["organization", first === "joint" ? "jointControllers" : key];
  if (area === "consent")
    return first === "newsletter" ? ["consent", "newsletters", key.slice(11)] : ["consent", "categories", first];
  if (area === "governance") return ["governance", first === "staff" ? "staffAccess" : key];
  return [area, first];
}

/** Anchors counted from an event that may never come (the account stays open): kept while the relationship lasts. */
const OPEN_ENDED = new Set<RetentionRule["from"]>([
  "last_activity",
  "account_closure",
  "end_of_contract",
  "system_obsolescence",
  "loss_of_interest",
  "membership_end",
  "subscription_end",
]);

/**
 * How long a rule keeps data, as a pair to compare: open-ended anchors outrank bounded ones, indefinite outranks all.
 */
function retentionRank(r: RetentionRule | undefined): [number, number] {
  if (!r) return [-1, 0];
  if (r.period === "indefinite") return [3, Infinity];
  const d = parseDuration(r.period);
  return [OPEN_ENDED.has(r.from) ? 2 : 1, d ? durationDays(d) : 0];
}
const longer = (a: RetentionRule | undefined, b: RetentionRule | undefined) => {
  const [x1, y1] = retentionRank(a);
  const [x2, y2] = retentionRank(b);
  return x2 > x1 || (x2 === x1 && y2 > y1);
};
const ACTION_STRENGTH: Record<RetentionRule["action"], number> = { delete: 2, deidentify: 1, block: 0 };

const setDiff = <T>(a: Iterable<T>, b: Iterable<T>) => {
  const sb = new Set(b);
  return [...new Set(a)].filter((x) => !sb.has(x));
};
/** Categories in `a` that no category in `b` covers (`user.contact` covers `user.contact.email`). */
const uncovered = (a: Iterable<string>, b: Iterable<string>) => {
  const bs = [...b];
  return [...new Set(a)].filter((x) => !bs.some((y) => categoryWithin(x, y)));
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Compares two declarations.
 *
 * ```ts
 * const d = diffDeclarations(old.declaration, next.declaration);
 * if (d.material) console.log(renderChangeNotice(d, next.declaration, "md"));
 * ```
 */
export function diffDeclarations(a: Declaration, b: Declaration): DeclarationDiff {
  const changes: Change[] = [];
  const add = (
    area: ChangeArea,
    kind: Change["kind"],
    key: string,
    summary: string,
    material: boolean,
    details: string[] = [],
  ) => changes.push({ area, kind, key, summary, details, material, path: changePath(area, key) });
  const cats = { ...categoriesOf(a), ...categoriesOf(b) };
  const cn = (k: string) => categoryName(k, cats);
  const oa = a.organization;
  const ob = b.organization;

  // --- organization ---------------------------------------------------------
  if (oa.name !== ob.name) add("organization", "changed", "name", `controller name: ${oa.name} → ${ob.name}`, true);
  if (!same([...oa.roles].sort(), [...ob.roles].sort())) {
    const became = setDiff(ob.roles, oa.roles);
    add(
      "organization",
      "changed",
      "roles",
      `role: ${oa.roles.join(" and ")} → ${ob.roles.join(" and ")}` +
        (became.includes("processor") ? ": we now also process data on our customers' behalf, as their processor" : ""),
      true,
    );
  }
  if (!same(oa.contact, ob.contact)) {
    const keys = [...new Set([...Object.keys(oa.contact), ...Object.keys(ob.contact)])] as (keyof typeof oa.contact)[];
    add(
      "organization",
      "changed",
      "contact",
      "contact details changed",
      false,
      keys
        .filter((k) => oa.contact[k] !== ob.contact[k])
        .map((k) => `${k}: ${oa.contact[k] ?? "none"} → ${ob.contact[k] ?? "none"}`),
    );
  }
  for (const k of ["dpo", "euRepresentative", "ukRepresentative", "supervisoryAuthority"] as const) {
    const x = oa[k];
    const y = ob[k];
    const label = {
      dpo: "data protection officer",
      euRepresentative: "EU representative",
      ukRepresentative: "UK representative",
      supervisoryAuthority: "supervisory authority",
    }[k];
    if (!x && y) add("organization", "added", k, `${label} named: ${y.name ?? y.email ?? ""}`, false);
    else if (x && !y) add("organization", "removed", k, `${label} no longer named`, false);
    else if (x && y && !same(x, y))
      add(
        "organization",
        "changed",
        k,
        x.name !== y.name ? `${label}: ${x.name ?? "unnamed"} → ${y.name ?? "unnamed"}` : `${label} changed`,
        false,
        (Object.keys({ ...x, ...y }) as (keyof typeof x)[])
          .filter((f) => f !== "name" && x[f] !== y[f])
          .map((f) => `${f}: ${x[f] ?? "none"} → ${y[f] ?? "none"}`),
      );
  }
  const joint = (d: Declaration) => d.organization.jointControllers.map((j) => j.name);
  for (const j of setDiff(joint(b), joint(a)))
    add("organization", "added", `joint:${j}`, `new joint controller: ${j}`, true);
  const added = setDiff(ob.jurisdictions, oa.jurisdictions);
  const removed = setDiff(oa.jurisdictions, ob.jurisdictions);
  if (added.length || removed.length)
    add(
      "organization",
      "changed",
      "jurisdictions",
      [added.length && `now serves ${added.join(", ")}`, removed.length && `no longer serves ${removed.join(", ")}`]
        .filter(Boolean)
        .join("; "),
      false,
    );
  const certAdded = setDiff(ob.certifications, oa.certifications);
  const certRemoved = setDiff(oa.certifications, ob.certifications);
  if (certAdded.length)
    add("organization", "added", "certifications", `new certifications: ${certAdded.join(", ")}`, false);
  if (certRemoved.length)
    add("organization", "removed", "certifications", `certifications no longer held: ${certRemoved.join(", ")}`, true);

  // --- purposes: one change per purpose --------------------------------------
  const newRecipients = new Set(setDiff(Object.keys(b.recipients), Object.keys(a.recipients)));
  for (const [id, p] of Object.entries(b.purposes)) {
    const old = a.purposes[id];
    if (!old) {
      const rule = p.retention ? b.retention[p.retention] : undefined;
      add("purposes", "added", id, `new purpose '${p.name}'`, true, [
        `data: ${p.dataCategories.map(cn).join(", ")}`,
        `legal basis: ${basisText(p)}`,
        ...(p.recipients.length
          ? [`shared with ${p.recipients.map((r) => b.recipients[r]?.name ?? r).join(", ")}`]
          : []),
        ...(rule ? [`kept: ${brief(rule)}`] : []),
      ]);
      continue;
    }
    const details: string[] = [];
    let material = false;
    const note = (text: string, isMaterial: boolean) => {
      details.push(text);
      material ||= isMaterial;
    };
    if (old.name !== p.name) note(`renamed from '${old.name}'`, false);
    if (basisText(old) !== basisText(p)) note(`legal basis: ${basisText(old)} → ${basisText(p)}`, true);
    const newCats = uncovered(p.dataCategories, old.dataCategories);
    if (newCats.length) note(`now uses ${newCats.map(cn).join(", ")}`, true);
    const gone = setDiff(old.dataCategories, p.dataCategories).filter(
      (c) => !p.dataCategories.some((n) => categoryWithin(n, c)),
    );
    if (gone.length) note(`no longer uses ${gone.map(cn).join(", ")}`, false);
    const subjects = (d: Declaration, keys: string[]) => keys.map((k) => subjectsOf(d)[k]?.name ?? k).join(", ");
    const newSubjects = setDiff(p.dataSubjects, old.dataSubjects);
    if (newSubjects.length) note(`now concerns ${subjects(b, newSubjects)}`, true);
    // A recipient new to the declaration is reported once, under recipients.
    const moreRecipients = setDiff(p.recipients, old.recipients).filter((r) => !newRecipients.has(r));
    if (moreRecipients.length)
      note(`now shares with ${moreRecipients.map((r) => b.recipients[r]?.name ?? r).join(", ")}`, true);
    const lessRecipients = setDiff(old.recipients, p.recipients);
    if (lessRecipients.length)
      note(`no longer shares with ${lessRecipients.map((r) => a.recipients[r]?.name ?? r).join(", ")}`, false);
    if (!old.sold && p.sold) note("now sells data", true);
    if (!old.shared && p.shared) note("now shares data for cross-context advertising", true);
    const newSources = setDiff(p.sources, old.sources);
    if (newSources.length)
      note(
        `new sources: ${newSources.map((s) => s.replace(/_/g, " ")).join(", ")}`,
        newSources.some((s) => s !== "subject"),
      );
    if (!same(old.requirement, p.requirement))
      note(
        `whether you must provide it: ` +
          `${old.requirement?.type.replace(/_/g, " ") ?? "not stated"} → ` +
          `${p.requirement?.type.replace(/_/g, " ") ?? "not stated"}`,
        false,
      );
    const lostWithdrawal = setDiff(old.withdrawal, p.withdrawal);
    const newWithdrawal = setDiff(p.withdrawal, old.withdrawal);
    if (lostWithdrawal.length || newWithdrawal.length)
      note(
        `ways to withdraw consent: ` +
          [
            newWithdrawal.length && `added ${newWithdrawal.join("; ")}`,
            lostWithdrawal.length && `removed ${lostWithdrawal.join("; ")}`,
          ]
            .filter(Boolean)
            .join("; "),
        lostWithdrawal.length > 0 && newWithdrawal.length === 0,
      );
    const ra = old.retention ? a.retention[old.retention] : undefined;
    const rb = p.retention ? b.retention[p.retention] : undefined;
    if ((ra || rb) && (!ra || !rb || describeRetention(ra) !== describeRetention(rb))) {
      // A purpose that moves to a rule keeping data longer (or acting more weakly) is material; a first stated limit is
      // not.
      note(
        `kept: ${ra ? brief(ra) : "no period stated"} → ${rb ? brief(rb) : "no period stated"}`,
        !!ra && (!rb || longer(ra, rb) || ACTION_STRENGTH[rb.action] < ACTION_STRENGTH[ra.action]),
      );
    }
    if (!same(old.jurisdictions, p.jurisdictions))
      note(
        `where it applies: ${old.jurisdictions?.only?.join(", ") ?? "everywhere"} → ` +
          `${p.jurisdictions?.only?.join(", ") ?? "everywhere"}`,
        false,
      );
    if (!old.automatedDecision?.used && p.automatedDecision?.used) note("now makes automated decisions", true);
    if (details.length) add("purposes", "changed", id, `'${p.name}'`, material, details);
  }
  for (const [id, p] of Object.entries(a.purposes))
    if (!b.purposes[id]) add("purposes", "removed", id, `purpose '${p.name}' dropped`, false);

  // --- recipients and transfers ---------------------------------------------
  const mech = (ms: readonly string[] | undefined) =>
    ms?.length ? ms.map((m) => TRANSFER_MECHANISM_INFO[m].name).join(", ") : "none";
  const weaker = (before: readonly string[] | undefined, after: readonly string[] | undefined) => {
    const valid = (ms: readonly string[] | undefined) =>
      (ms ?? []).filter((m) => !TRANSFER_MECHANISM_INFO[m].invalidSince);
    return valid(after).length < valid(before).length || setDiff(valid(before), valid(after)).length > 0;
  };
  for (const [id, r] of Object.entries(b.recipients)) {
    const old = a.recipients[id];
    const users = Object.values(b.purposes)
      .filter((p) => p.recipients.includes(id))
      .map((p) => p.name);
    if (!old) {
      add("recipients", "added", id, `new recipient ${r.name} (${r.role.replace(/_/g, " ")}, ${placeOf(r)})`, true, [
        ...(users.length ? [`for ${users.join(", ")}`] : []),
        ...(r.transfer ? [`transfer safeguard: ${mech(r.transfer.mechanisms)}`] : []),
      ]);
      continue;
    }
    if (old.country !== r.country || old.audience !== r.audience)
      add("transfers", "changed", id, `${r.name} moved ${placeOf(old)} → ${placeOf(r)}`, true);
    if (old.role !== r.role) add("recipients", "changed", id, `${r.name}: role ${old.role} → ${r.role}`, true);
    if (mech(old.transfer?.mechanisms) !== mech(r.transfer?.mechanisms)) {
      add(
        "transfers",
        "changed",
        id,
        `${r.name}: safeguard ${mech(old.transfer?.mechanisms)} → ${mech(r.transfer?.mechanisms)}`,
        weaker(old.transfer?.mechanisms, r.transfer?.mechanisms),
      );
    }
  }
  for (const [id, r] of Object.entries(a.recipients))
    if (!b.recipients[id]) add("recipients", "removed", id, `recipient ${r.name} dropped`, false);
  if (mech(oa.transfer?.mechanisms) !== mech(ob.transfer?.mechanisms)) {
    add(
      "transfers",
      oa.transfer ? "changed" : "added",
      "organization",
      `transfers to ${ob.name}: ${mech(oa.transfer?.mechanisms)} → ${mech(ob.transfer?.mechanisms)}`,
      !oa.transfer || weaker(oa.transfer.mechanisms, ob.transfer?.mechanisms),
    );
  }

  // --- systems: where the data is -------------------------------------------
  const countriesBefore = new Set(
    [
      ...Object.values(a.systems).map((s) => s.location?.country),
      ...Object.values(a.recipients).map((r) => r.country),
    ].filter(Boolean),
  );
  for (const [id, s] of Object.entries(b.systems)) {
    const before = a.systems[id]?.location;
    const after = s.location;
    if (!same(before, after) && (before || after)) {
      const newCountry = !!after?.country && !countriesBefore.has(after.country);
      add(
        "systems",
        before ? "changed" : "added",
        id,
        `${s.name} is located in ${after?.country ?? "an unstated place"}` +
          `${before?.country ? ` (was ${before.country})` : ""}` +
          `${after?.hostedBy ? `, hosted by ${b.recipients[after.hostedBy]?.name ?? after.hostedBy}` : ""}`,
        newCountry && !!before,
      );
    }
  }

  // --- retention rules themselves (their purposes are reported above) ------
  const usedBy = (d: Declaration, rid: string) => Object.values(d.purposes).filter((p) => p.retention === rid).length;
  for (const [id, r] of Object.entries(b.retention)) {
    const old = a.retention[id];
    if (!old) continue; // a new rule appears with the purposes that use it
    if (describeRetention(old) !== describeRetention(r))
      add(
        "retention",
        "changed",
        id,
        `'${id}': ${describeRetention(old)} → ${describeRetention(r)}`,
        longer(old, r) || ACTION_STRENGTH[r.action] < ACTION_STRENGTH[old.action],
      );
  }
  for (const [id] of Object.entries(a.retention))
    if (!b.retention[id] && !usedBy(a, id)) add("retention", "removed", id, `retention rule '${id}' dropped`, false);

  // --- rights -----------------------------------------------------------------
  const lost = setDiff(a.rights.offered, b.rights.offered);
  const gained = setDiff(b.rights.offered, a.rights.offered);
  if (gained.length)
    add("rights", "added", "offered", `rights offered: ${gained.map((r) => RIGHT_INFO[r].name).join(", ")}`, false);
  if (lost.length)
    add(
      "rights",
      "removed",
      "offered",
      `rights no longer offered: ${lost.map((r) => RIGHT_INFO[r].name).join(", ")}`,
      true,
    );
  const ch = (d: Declaration) => d.rights.channels.map((c) => `${c.type}: ${c.address}`);
  const chAdded = setDiff(ch(b), ch(a));
  const chRemoved = setDiff(ch(a), ch(b));
  if (chAdded.length || chRemoved.length)
    // A way to make a request or to opt out that disappears takes something from people: material.
    add("rights", "changed", "channels", "how to make a request", chRemoved.length > 0, [
      ...chAdded.map((c) => `new: ${c}`),
      ...chRemoved.map((c) => `dropped: ${c}`),
    ]);
  if (a.rights.verification?.method !== b.rights.verification?.method)
    add(
      "rights",
      "changed",
      "verification",
      `verification ${a.rights.verification?.method ?? "not stated"} → ` +
        `${b.rights.verification?.method ?? "not stated"}`,
      // Asking more of people (an ID document where a code sufficed) is material.
      VERIFICATION_BURDEN[b.rights.verification?.method ?? "none"] >
        VERIFICATION_BURDEN[a.rights.verification?.method ?? "none"],
    );
  if (a.rights.nonDiscrimination && !b.rights.nonDiscrimination)
    add(
      "rights",
      "removed",
      "nonDiscrimination",
      "the promise not to discriminate against people who use their rights is withdrawn",
      true,
    );
  else if (!a.rights.nonDiscrimination && b.rights.nonDiscrimination)
    add(
      "rights",
      "added",
      "nonDiscrimination",
      "we promise not to discriminate against people who use their rights",
      false,
    );

  // --- children ------------------------------------------------------------
  if (!same(a.children, b.children)) {
    const k = b.children;
    const words = (c: Declaration["children"]) =>
      c
        ? [
            `not directed to children under ${c.minimumAge}`,
            c.parentalConsentBelow && `parental consent under ${c.parentalConsentBelow}`,
            c.noSaleUnder16 && "no sale or sharing under 16",
          ]
            .filter(Boolean)
            .join(", ")
        : "nothing stated";
    add(
      "children",
      !a.children ? "added" : !k ? "removed" : "changed",
      "children",
      `children's data: ${words(a.children)} → ${words(k)}`,
      !!a.children && (!k || k.minimumAge < a.children.minimumAge || (!!a.children.noSaleUnder16 && !k.noSaleUnder16)),
    );
  }
  if (!same(a.rights.responseTime, b.rights.responseTime))
    add(
      "rights",
      "changed",
      "responseTime",
      `response time ${JSON.stringify(a.rights.responseTime ?? "the legal deadline")}` +
        ` → ${JSON.stringify(b.rights.responseTime ?? "the legal deadline")}`,
      false,
    );
  if (a.rights.fee !== b.rights.fee)
    add(
      "rights",
      "changed",
      "fee",
      `fee: ${a.rights.fee ?? "not stated"} → ${b.rights.fee ?? "not stated"}`,
      a.rights.fee === "free" && b.rights.fee === "reasonable",
    );
  if (!same(a.rights.authorizedAgents, b.rights.authorizedAgents)) {
    add(
      "rights",
      "changed",
      "authorizedAgents",
      `authorized agents: ` +
        `${a.rights.authorizedAgents?.allowed ? "accepted" : "not stated"} → ` +
        (b.rights.authorizedAgents?.allowed ? "accepted" : b.rights.authorizedAgents ? "not accepted" : "not stated"),
      !!a.rights.authorizedAgents?.allowed && !b.rights.authorizedAgents?.allowed,
    );
  }

  // --- consent ----------------------------------------------------------------
  const ca = a.consent?.categories ?? {};
  const cb = b.consent?.categories ?? {};
  for (const [id, c] of Object.entries(cb)) {
    if (!ca[id])
      add(
        "consent",
        "added",
        id,
        `new consent category '${c.name}'${c.default && !c.essential ? " (on by default)" : ""}`,
        true,
      );
    else {
      const services = setDiff(
        c.services.map((s) => s.name),
        ca[id].services.map((s) => s.name),
      );
      if (services.length) add("consent", "changed", id, `'${c.name}' has new services: ${services.join(", ")}`, true);
      if (!ca[id].default && c.default)
        add("consent", "changed", `${id}:default`, `'${c.name}' is now on by default`, true);
    }
  }
  for (const [id, c] of Object.entries(ca))
    if (!cb[id]) add("consent", "removed", id, `consent category '${c.name}' dropped`, false);
  for (const [id, n] of Object.entries(b.consent?.newsletters ?? {}))
    if (!a.consent?.newsletters[id]) add("consent", "added", `newsletter:${id}`, `new newsletter '${n.name}'`, false);
  if (signals(a) !== signals(b)) {
    const gpcDropped = a.consent?.signals?.gpc === true && b.consent?.signals?.gpc !== true;
    const dntDropped = a.consent?.signals?.dnt === true && b.consent?.signals?.dnt !== true;
    add(
      "consent",
      "changed",
      "signals",
      `browser signals honoured: ${signals(a)} → ${signals(b)}`,
      gpcDropped || dntDropped,
    );
  }
  if (a.consent?.validity !== b.consent?.validity) {
    const va = a.consent?.validity ? parseDuration(a.consent.validity) : undefined;
    const vb = b.consent?.validity ? parseDuration(b.consent.validity) : undefined;
    add(
      "consent",
      "changed",
      "validity",
      `consent choices last ${a.consent?.validity ?? "(not stated)"} → ${b.consent?.validity ?? "(not stated)"}`,
      !!va && !!vb && durationDays(vb) > durationDays(va),
    );
  }

  // --- governance ------------------------------------------------------------
  const ga = a.governance;
  const gb = b.governance;
  const classes = new Map((ga?.staffAccess?.protectedClasses ?? []).map((c) => [c.id, c]));
  for (const c of gb?.staffAccess?.protectedClasses ?? []) {
    const old = classes.get(c.id);
    if (!old)
      add(
        "governance",
        "added",
        `staff:${c.id}`,
        `staff may no longer examine ${c.name} without consent${c.excludes ? ` (except ${c.excludes})` : ""}`,
        false,
      );
    else if (old.excludes !== c.excludes) {
      // A carve-out narrows what staff confidentiality protects: material when new or wider.
      add(
        "governance",
        "changed",
        `staff:${c.id}`,
        c.excludes
          ? `staff confidentiality of ${c.name} no longer covers ${c.excludes}`
          : `staff confidentiality of ${c.name} now covers ${old.excludes}`,
        !!c.excludes,
      );
    }
  }
  for (const c of ga?.staffAccess?.protectedClasses ?? [])
    if (!gb?.staffAccess?.protectedClasses.some((x) => x.id === c.id))
      add("governance", "removed", `staff:${c.id}`, `${c.name} is no longer protected from staff access`, true);
  const exceptions = (g: typeof ga) => g?.staffAccess?.exceptions.map((e) => e.id) ?? [];
  for (const e of setDiff(exceptions(gb), exceptions(ga)))
    add(
      "governance",
      "added",
      `exception:${e}`,
      `new exception to staff confidentiality: ` +
        `${gb?.staffAccess?.exceptions.find((x) => x.id === e)?.description ?? e}`,
      true,
    );
  if (
    ga?.legalRequests &&
    gb?.legalRequests &&
    ga.legalRequests.verificationRequired !== gb.legalRequests.verificationRequired
  ) {
    add(
      "governance",
      "changed",
      "legalRequests",
      gb.legalRequests.verificationRequired
        ? "law enforcement requests are now verified before disclosure"
        : "law enforcement requests are no longer verified before disclosure",
      !gb.legalRequests.verificationRequired,
    );
  } else if (!ga?.legalRequests && gb?.legalRequests)
    add("governance", "added", "legalRequests", "how requests from authorities are handled is described", false);
  const agreements = new Map((ga?.agreements ?? []).map((x) => [x.id, x]));
  for (const x of gb?.agreements ?? []) {
    const old = agreements.get(x.id);
    if (!old)
      add(
        "governance",
        "added",
        `agreement:${x.id}`,
        `new agreement: ${x.name}${x.automatic ? " (included automatically)" : ""}`,
        false,
      );
    else if (old.automatic !== x.automatic)
      add(
        "governance",
        "changed",
        `agreement:${x.id}`,
        `${x.name} is ` +
          (x.automatic
            ? "now included automatically"
            : "no longer included automatically; it must be signed and accepted"),
        !x.automatic,
      );
  }
  const staffPurposes = (g: typeof ga) => g?.staffAccess?.purposes.map((p) => p.id) ?? [];
  for (const p of setDiff(staffPurposes(gb), staffPurposes(ga)))
    add(
      "governance",
      "added",
      `staff-purpose:${p}`,
      `staff may also access customer data, with the customer's consent, for: ` +
        `${gb?.staffAccess?.purposes.find((x) => x.id === p)?.description ?? p}`,
      true,
    );
  // Keeping recordings or copies longer is material; shorter is not.
  const longerThan = (x: string | undefined, y: string | undefined) =>
    !!x && !!y && durationDays(parseDuration(y)!) > durationDays(parseDuration(x)!);
  const recA = ga?.remoteSessions?.recordingRetention;
  const recB = gb?.remoteSessions?.recordingRetention;
  if (recA !== recB)
    add(
      "governance",
      recB ? (recA ? "changed" : "added") : "removed",
      "remoteSessions",
      recB
        ? `recordings of remote sessions are destroyed after ${recB}${recA ? ` (was ${recA})` : ""}`
        : "remote sessions and their recordings are no longer described",
      longerThan(recA, recB) || !recB,
    );
  const tmpA = ga?.temporaryCopies?.purgeWithin;
  const tmpB = gb?.temporaryCopies?.purgeWithin;
  if (tmpA !== tmpB)
    add(
      "governance",
      tmpB ? (tmpA ? "changed" : "added") : "removed",
      "temporaryCopies",
      tmpB
        ? `temporary copies are purged within ${tmpB}${tmpA ? ` (was ${tmpA})` : ""}`
        : "the purge of temporary copies is no longer promised",
      longerThan(tmpA, tmpB) || !tmpB,
    );
  const objA = ga?.subProcessors?.objectionWindow;
  const objB = gb?.subProcessors?.objectionWindow;
  if (objA !== objB)
    add(
      "governance",
      objB ? (objA ? "changed" : "added") : "removed",
      "subProcessors",
      objB
        ? `customers may object to a sub-processor change within ${objB}${objA ? ` (was ${objA})` : ""}`
        : "customers are no longer told of sub-processor changes",
      !objB || longerThan(objB, objA),
    );
  if (!ga?.breach && gb?.breach) add("governance", "added", "breach", "breach procedures described", false);
  if (!same(ga?.businessTransfers, gb?.businessTransfers)) {
    add(
      "governance",
      gb?.businessTransfers ? (ga?.businessTransfers ? "changed" : "added") : "removed",
      "businessTransfers",
      gb?.businessTransfers
        ? `if the business changes hands, people are told by ${gb.businessTransfers.notify.join(" and ")}`
        : "people are no longer promised notice if the business changes hands",
      !gb?.businessTransfers,
    );
  }

  // --- the notice's own promises ---------------------------------------------
  const na = a.notice.changeNotification;
  const nb = b.notice.changeNotification;
  if (!same(na, nb))
    add(
      "notice",
      nb.length ? (na.length ? "changed" : "added") : "removed",
      "changeNotification",
      nb.length
        ? `material changes are announced by ${nb.join(", ")}${na.length ? ` (was ${na.join(", ")})` : ""}`
        : "material changes are no longer announced in advance",
      setDiff(na, nb).length > 0,
    );
  if (a.notice.advanceNotice !== b.notice.advanceNotice)
    add(
      "notice",
      "changed",
      "advanceNotice",
      `advance notice of changes: ${a.notice.advanceNotice ?? "not stated"} → ` +
        `${b.notice.advanceNotice ?? "not stated"}`,
      !!a.notice.advanceNotice,
    );

  return {
    from: { version: a.version, effectiveDate: a.effectiveDate },
    to: { version: b.version, effectiveDate: b.effectiveDate },
    changes,
    material: changes.some((c) => c.material),
  };
}

/** A retention rule in a few words: its exceptions are the rule's own change. */
function brief(r: RetentionRule): string {
  return describeRetention(r, undefined, { brief: true });
}

function basisText(p: Purpose): string {
  const bases = basesOf(p);
  return bases.length
    ? bases.map((b) => b.basis.replace(/_/g, " ") + (b.scope ? ` (${b.scope})` : "")).join(", ")
    : "not stated";
}

function signals(d: Declaration): string {
  const s = d.consent?.signals;
  return [s?.gpc && "Global Privacy Control", s?.dnt && "Do Not Track"].filter(Boolean).join(" and ") || "none stated";
}

const AREAS: ChangeArea[] = [
  "organization",
  "purposes",
  "recipients",
  "transfers",
  "systems",
  "retention",
  "rights",
  "children",
  "consent",
  "governance",
  "notice",
];

/** The diff as text for a terminal: one line a change, its parts indented, material ones marked. */
export function formatDiff(d: DeclarationDiff): string {
  const lines = [`${d.from.version} (${d.from.effectiveDate}) → ${d.to.version} (${d.to.effectiveDate})`];
  for (const area of AREAS) {
    const cs = d.changes.filter((c) => c.area === area);
    if (!cs.length) continue;
    lines.push("", `${area}:`);
    for (const c of cs) {
      lines.push(
        `  ${c.kind === "added" ? "+" : c.kind === "removed" ? "-" : "~"} ${c.summary}` +
          `${c.material ? "  [material]" : ""}`,
      );
      for (const x of c.details) lines.push(`      ${x}`);
    }
  }
  const n = d.changes.filter((c) => c.material).length;
  lines.push(
    "",
    d.changes.length
      ? `${d.changes.length} changes, ${n} material${n ? ": people must be told before they take effect" : ""}`
      : "no changes",
  );
  return lines.join("\n");
}

const AREA_TITLES: Record<ChangeArea, string> = {
  organization: "Who we are",
  purposes: "What we use your data for",
  recipients: "Who receives your data",
  transfers: "Transfers of your data",
  systems: "Where your data is kept",
  children: "Children",
  retention: "How long we keep your data",
  rights: "Your rights",
  consent: "Cookies and consent",
  governance: "Confidentiality and safeguards",
  notice: "How we tell you of changes",
};

/**
 * The change notice a person receives: the material changes in plain words,
 * grouped as the notice is, with the date they take effect.
 */
export function changeNotice(d: DeclarationDiff, next: Declaration): NoticeDoc {
  const material = d.changes.filter((c) => c.material);
  const org = next.organization;
  const sections: NoticeDoc["sections"] = [];
  const intro: Block[] = [
    {
      kind: "p",
      src: {
        paths: [["version"], ["effectiveDate"], ...(next.notice.advanceNotice ? [["notice", "advanceNotice"]] : [])],
      },
      content: [
        material.length
          ? `We are changing our privacy notice. The new version ${d.to.version} takes ` +
            `effect on ${d.to.effectiveDate}` +
            `${next.notice.advanceNotice ? ` (we tell you at least ${next.notice.advanceNotice} before)` : ""}` +
            `. These are the changes that matter to you:`
          : `We updated our privacy notice to version ${d.to.version}, effective ` +
            `${d.to.effectiveDate}. None of the changes affects how we use your data.`,
      ],
    },
  ];
  sections.push({ id: "changes", title: "What is changing", article: "GDPR Art 12(1), 13(3)", blocks: intro });
  for (const area of AREAS) {
    const cs = material.filter((c) => c.area === area);
    if (!cs.length) continue;
    sections.push({
      id: `changes-${area}`,
      title: AREA_TITLES[area],
      article: "",
      blocks: [
        {
          kind: "list",
          items: cs.map((c) => ({
            content: [`${c.summary.replace(/^'(.*)'$/, "$1")}${c.details.length ? `: ${c.details.join("; ")}` : ""}.`],
            src: { paths: [c.path] },
          })),
        },
      ],
    });
  }
  const link = next.notice.url;
  sections.push({
    id: "questions",
    title: "Questions",
    article: "",
    blocks: [
      {
        kind: "p",
        src: {
          paths: [
            ["organization", org.shortName ? "shortName" : "name"],
            ...(link ? [["notice", "url"]] : []),
            ...(org.contact.email ? [["organization", "contact", "email"]] : []),
          ],
        },
        content: [
          `The full notice is at `,
          ...(link ? [{ text: link, href: link }] : ["our website"]),
          `. Contact ${org.shortName ?? org.name}` +
            `${org.contact.email ? ` at ${org.contact.email}` : ""} with any question.`,
        ],
      },
    ],
  });
  return {
    title: `Changes to our privacy notice — ${org.shortName ?? org.name}`,
    organization: org.name,
    version: d.to.version,
    effectiveDate: d.to.effectiveDate,
    lang: "en",
    meta: EN.versionLine(d.to.version, d.to.effectiveDate),
    sectionsLabel: EN.sectionsLabel,
    sections,
  };
}

/** The change notice rendered as Markdown or HTML. */
export function renderChangeNotice(d: DeclarationDiff, next: Declaration, format: "md" | "html"): string {
  const doc = changeNotice(d, next);
  return format === "md" ? renderNoticeMarkdown(doc) : renderNoticeHtml(doc);
}
