/**
 * Collecting a person's rows in one system: start from the datasets holding an
 * identity the request knows, then follow references from each found row to
 * the rows that point at it (an order's items, a ticket's messages). Strong
 * identities found on the way (a phone number, an account id) are returned so
 * that other systems can be searched with them too.
 */
import type { Declaration, Dataset } from "../declaration/index.js";
import type { Connector, DatasetTarget, Row, Value } from "../connectors/index.js";

/** Identity type → values, e.g. `{ email: ["ada@example.com"] }`. */
export type Identities = Record<string, string[]>;

/** Identity types that many people may share: searched only when the requester gives them. */
export const WEAK_IDENTITIES: ReadonlySet<string> = new Set(["ip_address"]);

export interface FoundRow {
  row: Row;
  /** The field and value that led to the row: the selector that reaches it again. */
  via: { field: string; value: string };
}

export interface SystemCollection {
  system: string;
  datasets: Record<string, FoundRow[]>;
  /** Strong identities seen in the rows. */
  discovered: Identities;
}

/** The connector's view of a declared dataset. */
export function datasetTarget(id: string, ds: Dataset): DatasetTarget {
  const pk = Object.entries(ds.fields).find(([, f]) => f.primaryKey)?.[0];
  return {
    name: ds.name ?? ds.keyPattern ?? ds.path ?? id,
    fields: Object.keys(ds.fields),
    ...(pk ? { primaryKey: pk } : {}),
    ...(ds.keyPattern ? { keyPattern: ds.keyPattern } : {}),
    ...(ds.type ? { type: ds.type } : {}),
    ...(ds.path ? { path: ds.path } : {}),
    ...(ds.format ? { format: ds.format } : {}),
  };
}

/** A stable key for a row: its primary key, or its whole content. */
export function rowKey(ds: Dataset, row: Row): string {
  const pk = Object.entries(ds.fields).find(([, f]) => f.primaryKey)?.[0];
  return pk ? `pk:${String(row[pk])}` : `row:${JSON.stringify(Object.keys(ds.fields).map((f) => row[f] ?? null))}`;
}

interface Edge {
  child: string;
  fk: string;
  parentSystem: string;
  parent: string;
  pk: string;
}

/** References of one system's datasets, excluding self-references (a row pointing at another row of its kind is not the same person's). */
export function systemEdges(decl: Declaration, system: string): Edge[] {
  const edges: Edge[] = [];
  for (const [did, ds] of Object.entries(decl.systems[system]?.datasets ?? {})) {
    for (const [fname, f] of Object.entries(ds.fields)) {
      if (!f.references) continue;
      const parts = f.references.split(".");
      const [ps, pd, pf] = parts.length === 3 ? parts : [system, parts[0], parts[1]];
      if (ps === system && pd === did) continue;
      edges.push({ child: did, fk: fname, parentSystem: ps, parent: pd, pk: pf });
    }
  }
  return edges;
}

/**
 * Collects every row of `system` that belongs to the person.
 *
 * ```ts
 * const c = await collectSystem(decl, "shop", connector, { email: ["ada@example.com"] });
 * ```
 */
export async function collectSystem(decl: Declaration, system: string, connector: Connector, identities: Identities): Promise<SystemCollection> {
  const sys = decl.systems[system];
  const found = new Map<string, Map<string, FoundRow>>();
  const add = (did: string, rows: Row[], field: string) => {
    let m = found.get(did);
    if (!m) found.set(did, (m = new Map()));
    let added = 0;
    for (const row of rows) {
      const k = rowKey(sys.datasets[did], row);
      if (!m.has(k)) {
        m.set(k, { row, via: { field, value: String(row[field]) } });
        added++;
      }
    }
    return added;
  };

  // 1. entry points: datasets holding an identity the request knows
  for (const [did, ds] of Object.entries(sys.datasets)) {
    for (const [fname, f] of Object.entries(ds.fields)) {
      const values = f.identity ? identities[f.identity] : undefined;
      if (values?.length) add(did, await connector.find(datasetTarget(did, ds), { field: fname, values }), fname);
    }
  }
  // 2. references into other systems whose key is an identity: search by that identity's values
  const edges = systemEdges(decl, system);
  for (const e of edges.filter((x) => x.parentSystem !== system)) {
    const parentField = decl.systems[e.parentSystem]?.datasets[e.parent]?.fields[e.pk];
    const values = parentField?.identity ? identities[parentField.identity] : undefined;
    if (values?.length) add(e.child, await connector.find(datasetTarget(e.child, sys.datasets[e.child]), { field: e.fk, values }), e.fk);
  }
  // 3. follow references from found parents to their children, until nothing new turns up
  const asked = new Map<string, Set<string>>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of edges.filter((x) => x.parentSystem === system)) {
      const parents = found.get(e.parent);
      if (!parents?.size) continue;
      const seen = asked.get(`${e.child}.${e.fk}`) ?? new Set<string>();
      asked.set(`${e.child}.${e.fk}`, seen);
      const values: Value[] = [];
      for (const p of parents.values()) {
        const v = p.row[e.pk];
        if (v !== null && v !== undefined && !seen.has(String(v))) {
          seen.add(String(v));
          values.push(v as Value);
        }
      }
      if (!values.length) continue;
      if (add(e.child, await connector.find(datasetTarget(e.child, sys.datasets[e.child]), { field: e.fk, values }), e.fk) > 0) changed = true;
    }
  }

  const discovered: Identities = {};
  for (const [did, rows] of found) {
    for (const [fname, f] of Object.entries(sys.datasets[did].fields)) {
      if (!f.identity || WEAK_IDENTITIES.has(f.identity)) continue;
      for (const { row } of rows.values()) {
        const v = row[fname];
        if (v === null || v === undefined || v === "") continue;
        const list = (discovered[f.identity] ??= []);
        if (!list.includes(String(v))) list.push(String(v));
      }
    }
  }
  return { system, datasets: Object.fromEntries([...found].map(([d, m]) => [d, [...m.values()]])), discovered };
}

/** Merges identity sets; returns the merged set and whether anything was new. */
export function mergeIdentities(a: Identities, b: Identities): { merged: Identities; grew: boolean } {
  const merged: Identities = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, [...v]]));
  let grew = false;
  for (const [k, vs] of Object.entries(b)) {
    const list = (merged[k] ??= []);
    for (const v of vs) {
      if (!list.includes(v)) {
        list.push(v);
        grew = true;
      }
    }
  }
  return { merged, grew };
}
