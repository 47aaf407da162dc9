/**
 * The dataset graph: every dataset of every system is a node; datasets holding
 * an identity field are entry points; foreign-key references are edges, each
 * with what it says about the person (`relation`).
 *
 * Collection and the linter walk the graph with the same rule
 * (`followedEdges`), so what `pledge check` calls reachable is exactly what a
 * request reaches:
 * - an `owner` reference is followed from the person's row down to the rows
 *   that belong to it (a customer's orders);
 * - a `detail` reference is followed up, from the person's row to the detail
 *   it points at (the customer's address row);
 * - `actor` and `lookup` references are never followed: they name someone
 *   else, or something that is not personal;
 * - from a detail, only further details are followed: rows that hang off an
 *   address are not the person's because the address is.
 * A reference into another system is followed only when the referenced field
 * is an identity: the child is then searched by that identity's values.
 */
import type { Dataset, Declaration, Relation } from "./schema.js";

export interface DatasetNode {
  /** `system.dataset` */
  key: string;
  system: string;
  dataset: string;
  def: Dataset;
  /** Field name → identity type, for fields that hold an identity. */
  identities: Record<string, string>;
  /** The primary key's fields, in declaration order (several for a composite key). */
  primaryKey: string[];
  /** Whether any field holds personal data. */
  personal: boolean;
}

export interface DatasetEdge {
  /** `system.dataset` holding the foreign key. */
  from: string;
  fromField: string;
  /** `system.dataset` referenced. */
  to: string;
  toField: string;
  relation: Relation;
  /** The reference leaves its system. */
  crossSystem: boolean;
}

export interface DatasetGraph {
  nodes: Map<string, DatasetNode>;
  edges: DatasetEdge[];
}

/** `dataset.field` or `system.dataset.field` as [system, dataset, field]. */
export function parseReference(system: string, ref: string): [string, string, string] {
  const parts = ref.split(".");
  return parts.length === 3 ? [parts[0], parts[1], parts[2]] : [system, parts[0], parts[1]];
}

/** The primary key of a dataset: its `primaryKey` fields in declaration order. */
export function primaryKeyOf(ds: Dataset): string[] {
  return Object.entries(ds.fields)
    .filter(([, f]) => f.primaryKey)
    .map(([name]) => name);
}

/** Builds the dataset graph of a declaration. */
export function buildDatasetGraph(decl: Declaration): DatasetGraph {
  const nodes = new Map<string, DatasetNode>();
  const edges: DatasetEdge[] = [];
  for (const [sid, sys] of Object.entries(decl.systems)) {
    for (const [did, ds] of Object.entries(sys.datasets)) {
      // A view stores nothing: no request starts, goes through or acts there.
      if (ds.derived) continue;
      const identities: Record<string, string> = {};
      let personal = false;
      for (const [fname, f] of Object.entries(ds.fields)) {
        if (f.identity) identities[fname] = f.identity;
        if (f.category) personal = true;
        if (f.references) {
          const [rs, rd, rf] = parseReference(sid, f.references);
          edges.push({
            from: `${sid}.${did}`,
            fromField: fname,
            to: `${rs}.${rd}`,
            toField: rf,
            relation: f.relation ?? "owner",
            crossSystem: rs !== sid,
          });
        }
      }
      nodes.set(`${sid}.${did}`, {
        key: `${sid}.${did}`,
        system: sid,
        dataset: did,
        def: ds,
        identities,
        primaryKey: primaryKeyOf(ds),
        personal,
      });
    }
  }
  return { nodes, edges };
}

/** A reference into another system whose referenced field is an identity: the child is searched by that identity. */
export function identityReference(graph: DatasetGraph, e: DatasetEdge): string | undefined {
  if (!e.crossSystem || e.relation !== "owner") return undefined;
  return graph.nodes.get(e.to)?.identities[e.toField];
}

/**
 * The datasets where collection starts: those with an identity field, and
 * those referencing another system's identity field.
 */
export function entryDatasets(graph: DatasetGraph): Set<string> {
  const known = entries.get(graph);
  if (known) return known;
  const out = new Set<string>();
  entries.set(graph, out);
  for (const n of graph.nodes.values()) if (Object.keys(n.identities).length) out.add(n.key);
  for (const e of graph.edges) if (identityReference(graph, e) && graph.nodes.has(e.from)) out.add(e.from);
  return out;
}

export interface FollowedEdge {
  edge: DatasetEdge;
  /** `down`: from a parent to the rows referencing it (owner); `up`: from a row to the detail it references. */
  direction: "down" | "up";
  /** The dataset reached. */
  next: string;
}

/**
 * Where a verification code for an identity held in dataset `key` can go: the
 * dataset's own `contact: email` fields; those of the datasets its rows belong
 * to (one owner reference up, within the system: the contact a job's form
 * belongs to); and those of the rows that point at it as their detail (the
 * customer whose address row holds the phone asked by).
 */
/**
 * The references that point at rows of `key` as their detail (`Customer.AddressId → Address`): an identity matched on
 * a detail row (the phone on an address) identifies the rows that point at it. Collection follows them from rows an
 * identity matched, and codes for that identity go to their contact fields.
 */
export function detailReferrers(graph: DatasetGraph, key: string): DatasetEdge[] {
  return graph.edges.filter((e) => e.to === key && e.relation === "detail" && !e.crossSystem && e.from !== key);
}

export function contactSources(
  graph: DatasetGraph,
  key: string,
): { key: string; via?: DatasetEdge; referrer?: boolean }[] {
  const hasContact = (k: string) =>
    Object.values(graph.nodes.get(k)?.def.fields ?? {}).some((f) => f.contact === "email");
  return [
    ...(hasContact(key) ? [{ key }] : []),
    ...graph.edges
      .filter((e) => e.from === key && e.relation === "owner" && !e.crossSystem && e.to !== key && hasContact(e.to))
      .map((e) => ({ key: e.to, via: e })),
    ...detailReferrers(graph, key)
      .filter((e) => hasContact(e.from))
      .map((e) => ({ key: e.from, via: e, referrer: true })),
  ];
}

const entries = new WeakMap<DatasetGraph, Set<string>>();
const followed = new WeakMap<DatasetGraph, Map<string, FollowedEdge[]>>();

/** The references collection follows from rows of `key` that are the person's. Self-references are never followed. */
export function followedEdges(graph: DatasetGraph, key: string): FollowedEdge[] {
  let byKey = followed.get(graph);
  if (!byKey) followed.set(graph, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  const out: FollowedEdge[] = [];
  byKey.set(key, out);
  for (const e of graph.edges) {
    if (e.crossSystem || e.from === e.to) continue;
    if (e.relation === "owner" && e.to === key) out.push({ edge: e, direction: "down", next: e.from });
    if (e.relation === "detail" && e.from === key) out.push({ edge: e, direction: "up", next: e.to });
  }
  return out;
}

/**
 * Whether rows of a dataset reached through one of the person's own references (owner down, detail up) are the
 * person's, whatever identities they also carry: yes, unless each row is a person (`subject`), who is the person only
 * when one of their identities matches. Collection and the linter both decide so.
 */
export function reachedRowsAreOwn(node: DatasetNode | undefined): boolean {
  return !!node && !node.def.subject;
}

/** Whether a field's identity values, found in the person's rows, lead to further searches: not a shared one's. */
export function identitySeeds(field: { identity?: string; shared?: boolean }): boolean {
  return !!field.identity && !field.shared;
}

/** How a dataset is reached: as rows of the person's (`own`), or only as a detail of them. */
type Reach = "own" | "detail";

/**
 * Walks the graph as collection does, from `starts`: owner references down from
 * the person's own rows, detail references up from any of their rows, and
 * nothing down from a detail. Calls `visit` once per dataset and way it is
 * reached, with the references that led there.
 */
function walk(graph: DatasetGraph, starts: Iterable<string>, visit: (key: string, via: DatasetEdge[]) => void): void {
  const seen = new Set<string>();
  const queue: { key: string; reach: Reach; via: DatasetEdge[] }[] = [...starts].map((key) => ({
    key,
    reach: "own" as Reach,
    via: [],
  }));
  for (const q of queue) seen.add(`${q.reach}:${q.key}`);
  while (queue.length) {
    const cur = queue.shift()!;
    // Rows of people reached through a reference are not the person's, and nothing is followed from them.
    if (cur.via.length && !reachedRowsAreOwn(graph.nodes.get(cur.key))) continue;
    for (const f of followedEdges(graph, cur.key)) {
      if (f.direction === "down" && cur.reach === "detail") continue;
      const reach: Reach = f.direction === "up" ? "detail" : "own";
      if (seen.has(`${reach}:${f.next}`) || !graph.nodes.has(f.next)) continue;
      seen.add(`${reach}:${f.next}`);
      const via = [...cur.via, f.edge];
      visit(f.next, via);
      queue.push({ key: f.next, reach, via });
    }
  }
}

/** The datasets a request can reach: from every entry dataset, along the references collection follows. */
export function reachableDatasets(graph: DatasetGraph): Set<string> {
  const seen = new Set(entryDatasets(graph));
  walk(graph, entryDatasets(graph), (key) => seen.add(key));
  return seen;
}

/**
 * The paths by which collection, starting at `start`, reaches a dataset whose
 * rows are people (`subject`): each is a way to collect someone else.
 */
export function pathsToOtherPeople(graph: DatasetGraph, start: string): { target: string; via: DatasetEdge[] }[] {
  const out: { target: string; via: DatasetEdge[] }[] = [];
  walk(graph, [start], (key, via) => {
    if (key !== start && graph.nodes.get(key)?.def.subject && !out.some((o) => o.target === key))
      out.push({ target: key, via });
  });
  return out;
}
