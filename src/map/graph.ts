/**
 * The data map as a graph drawn from the declaration alone: systems and their datasets, the purposes that use
 * them, the recipients they go to and the countries those are in. A recipient outside the EEA is a transfer, marked
 * with its safeguards and the linter's findings about it (Privacy Shield and Safe Harbor are invalid).
 */
import {
  ADEQUACY,
  categoryWithin,
  type Declaration,
  EEA_COUNTRIES,
  type Finding,
  TRANSFER_MECHANISM_INFO,
} from "../declaration/index.js";
import { countryName, type NoticeLang } from "../notice/index.js";

export type NodeKind = "system" | "dataset" | "purpose" | "recipient" | "country";

export interface MapNode {
  id: string;
  kind: NodeKind;
  label: string;
  /** A second line: the engine, the role, the categories. */
  detail?: string;
  /** The data categories it holds (datasets) or uses (purposes). */
  categories: string[];
  /** The declaration's path of what it stands for, for links and the DOT/JSON outputs. */
  path: string;
  country?: string;
}

export interface MapEdge {
  from: string;
  to: string;
  kind: "holds" | "uses" | "discloses" | "located";
  /** Set on a recipient's edge to a country outside the EEA. */
  transfer?: {
    mechanisms: string[];
    invalid: string[];
    adequate: boolean;
    findings: string[];
    /** The people's map: only what the declaration states (its safeguards), no judgement of ours. */
    declaredOnly?: boolean;
  };
}

export interface DataMap {
  nodes: MapNode[];
  edges: MapEdge[];
}

/** What to narrow the map to: one purpose, one data category (and those below it), one country. */
export interface MapFilter {
  purpose?: string;
  category?: string;
  country?: string;
}

const related = (a: string, b: string) => categoryWithin(a, b) || categoryWithin(b, a);

/**
 * The whole map of a declaration. Pass the linter's findings to mark transfers with them.
 *
 * ```ts
 * const map = buildDataMap(decl, lintDeclaration(decl));
 * const emailOnly = filterDataMap(map, { category: "user.contact.email" });
 * ```
 */
export function buildDataMap(
  decl: Declaration,
  findings: readonly Finding[] = [],
  options: { lang?: NoticeLang } = {},
): DataMap {
  const nodes: MapNode[] = [];
  const edges: MapEdge[] = [];
  for (const [sid, s] of Object.entries(decl.systems)) {
    const datasets = Object.entries(s.datasets);
    nodes.push({
      id: `system:${sid}`,
      kind: "system",
      label: s.name,
      detail: s.connector ? s.connector.engine : undefined,
      categories: [
        ...new Set(
          datasets.flatMap(([, d]) => Object.values(d.fields).flatMap((f) => (f.category ? [f.category] : []))),
        ),
      ],
      path: `systems.${sid}`,
      country: s.location?.country,
    });
    for (const [did, d] of datasets) {
      const cats = [...new Set(Object.values(d.fields).flatMap((f) => (f.category ? [f.category] : [])))];
      nodes.push({
        id: `dataset:${sid}.${did}`,
        kind: "dataset",
        label: did,
        detail: cats.length ? `${cats.length} categor${cats.length === 1 ? "y" : "ies"}` : undefined,
        categories: cats,
        path: `systems.${sid}.datasets.${did}`,
      });
      edges.push({ from: `system:${sid}`, to: `dataset:${sid}.${did}`, kind: "holds" });
    }
  }
  for (const [pid, p] of Object.entries(decl.purposes)) {
    nodes.push({
      id: `purpose:${pid}`,
      kind: "purpose",
      label: p.name,
      categories: p.dataCategories,
      path: `purposes.${pid}`,
    });
    for (const sid of p.systems)
      if (decl.systems[sid]) edges.push({ from: `purpose:${pid}`, to: `system:${sid}`, kind: "uses" });
    for (const rid of p.recipients)
      if (decl.recipients[rid]) edges.push({ from: `purpose:${pid}`, to: `recipient:${rid}`, kind: "discloses" });
  }
  const countries = new Set<string>();
  for (const [rid, r] of Object.entries(decl.recipients)) {
    nodes.push({
      id: `recipient:${rid}`,
      kind: "recipient",
      label: r.name,
      detail:
        `${r.role.replace(/_/g, " ")}` +
        `${r.country ? `, ${r.country}` : r.audience ? `, ${r.audience.replace(/_/g, " ")}` : ""}`,
      categories: r.dataCategories,
      path: `recipients.${rid}`,
      country: r.country,
    });
    if (!r.country) continue;
    countries.add(r.country);
    const mechanisms = r.transfer?.mechanisms ?? [];
    const outside = !EEA_COUNTRIES.has(r.country);
    edges.push({
      from: `recipient:${rid}`,
      to: `country:${r.country}`,
      kind: "located",
      ...(outside
        ? {
            transfer: {
              mechanisms,
              invalid: mechanisms.filter((m) => TRANSFER_MECHANISM_INFO[m]?.invalidSince),
              adequate: !!ADEQUACY[r.country],
              findings: findings
                .filter((f) => f.path[0] === "recipients" && f.path[1] === rid && f.rule.includes("transfer"))
                .map((f) => f.message),
            },
          }
        : {}),
    });
  }
  for (const s of Object.values(decl.systems)) if (s.location?.country) countries.add(s.location.country);
  for (const c of [...countries].sort())
    nodes.push({
      id: `country:${c}`,
      kind: "country",
      label: countryName(c, options.lang),
      detail: EEA_COUNTRIES.has(c) ? "EEA" : "outside the EEA",
      categories: [],
      path: "",
      country: c,
    });
  for (const [sid, s] of Object.entries(decl.systems))
    if (s.location?.country)
      edges.push({ from: `system:${sid}`, to: `country:${s.location.country}`, kind: "located" });
  return { nodes, edges };
}

/**
 * Narrows the map: what a purpose touches, where a data category lives and goes, or what is in (and reaches) a
 * country. Filters combine: each one keeps only what it reaches.
 */
export function filterDataMap(map: DataMap, filter: MapFilter): DataMap {
  let keep = new Set(map.nodes.map((n) => n.id));
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const out = (id: string, kind?: MapEdge["kind"]) =>
    map.edges.filter((e) => e.from === id && (!kind || e.kind === kind)).map((e) => e.to);
  const into = (id: string, kind?: MapEdge["kind"]) =>
    map.edges.filter((e) => e.to === id && (!kind || e.kind === kind)).map((e) => e.from);
  const narrow = (ids: Iterable<string>) => {
    const next = new Set(ids);
    keep = new Set([...keep].filter((id) => next.has(id)));
  };
  /** A purpose with the systems and datasets it uses and where it discloses. */
  const purposeReach = (pid: string, category?: string): string[] => {
    const p = byId.get(pid)!;
    const cats = category ? [category] : p.categories;
    const systems = out(pid, "uses");
    const datasets = systems.flatMap((s) =>
      out(s, "holds").filter((d) => byId.get(d)!.categories.some((c) => cats.some((x) => related(c, x)))),
    );
    const recipients = out(pid, "discloses");
    return [
      pid,
      ...systems,
      ...datasets,
      ...recipients,
      ...recipients.flatMap((r) => out(r, "located")),
      ...systems.flatMap((s) => out(s, "located")),
    ];
  };
  if (filter.purpose) narrow(purposeReach(`purpose:${filter.purpose}`));
  if (filter.category) {
    const cat = filter.category;
    const datasets = map.nodes
      .filter((n) => n.kind === "dataset" && n.categories.some((c) => related(c, cat)))
      .map((n) => n.id);
    const systems = [...new Set(datasets.flatMap((d) => into(d, "holds")))];
    const purposes = map.nodes
      .filter((n) => n.kind === "purpose" && n.categories.some((c) => related(c, cat)))
      .map((n) => n.id);
    const recipients = purposes
      .flatMap((p) => out(p, "discloses"))
      .filter((r) => {
        const own = byId.get(r)!.categories;
        return !own.length || own.some((c) => related(c, cat));
      });
    narrow([
      ...datasets,
      ...systems,
      ...purposes,
      ...recipients,
      ...recipients.flatMap((r) => out(r, "located")),
      ...systems.flatMap((s) => out(s, "located")),
    ]);
  }
  if (filter.country) {
    const c = `country:${filter.country}`;
    const there = into(c, "located");
    const purposes = [...new Set(there.flatMap((id) => into(id, "discloses").concat(into(id, "uses"))))];
    const systems = there.filter((id) => id.startsWith("system:"));
    narrow([c, ...there, ...purposes, ...systems.flatMap((s) => out(s, "holds"))]);
  }
  return {
    nodes: map.nodes.filter((n) => keep.has(n.id)),
    edges: map.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
  };
}

/**
 * The map for people, as the notice may show it: purposes, the recipients they disclose to and the countries those
 * are in, with each transfer's safeguard as declared. Systems, datasets and the linter's findings stay internal.
 */
export function simplifiedDataMap(map: DataMap): DataMap {
  const nodes = map.nodes.filter((n) => n.kind === "purpose" || n.kind === "recipient" || n.kind === "country");
  const ids = new Set(nodes.map((n) => n.id));
  const edges = map.edges
    .filter(
      (e) =>
        (e.kind === "discloses" || (e.kind === "located" && e.from.startsWith("recipient:"))) &&
        ids.has(e.from) &&
        ids.has(e.to),
    )
    .map((e) => (e.transfer ? { ...e, transfer: { ...e.transfer, findings: [], declaredOnly: true } } : e));
  const used = new Set(edges.flatMap((e) => [e.from, e.to]));
  return { nodes: nodes.filter((n) => n.kind === "purpose" || used.has(n.id)), edges };
}
