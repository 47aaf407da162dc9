/**
 * The dataset graph: every dataset of every system is a node; datasets holding
 * an identity field are entry points; foreign-key references are edges.
 * Rights requests traverse it; the linter checks that every personal dataset
 * is reachable from an identity.
 */
import type { Declaration, Dataset } from "./schema.js";

export interface DatasetNode {
  /** `system.dataset` */
  key: string;
  system: string;
  dataset: string;
  def: Dataset;
  /** Field name → identity type, for fields that hold an identity. */
  identities: Record<string, string>;
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
}

export interface DatasetGraph {
  nodes: Map<string, DatasetNode>;
  edges: DatasetEdge[];
}

/** Builds the dataset graph of a declaration. */
export function buildDatasetGraph(decl: Declaration): DatasetGraph {
  const nodes = new Map<string, DatasetNode>();
  const edges: DatasetEdge[] = [];
  for (const [sid, sys] of Object.entries(decl.systems)) {
    for (const [did, ds] of Object.entries(sys.datasets)) {
      const identities: Record<string, string> = {};
      let personal = false;
      for (const [fname, f] of Object.entries(ds.fields)) {
        if (f.identity) identities[fname] = f.identity;
        if (f.category) personal = true;
        if (f.references) {
          const parts = f.references.split(".");
          const [rs, rd, rf] = parts.length === 3 ? parts : [sid, parts[0], parts[1]];
          edges.push({ from: `${sid}.${did}`, fromField: fname, to: `${rs}.${rd}`, toField: rf });
        }
      }
      nodes.set(`${sid}.${did}`, { key: `${sid}.${did}`, system: sid, dataset: did, def: ds, identities, personal });
    }
  }
  return { nodes, edges };
}

/** The datasets reachable from an identity, following references in both directions. */
export function reachableDatasets(graph: DatasetGraph): Set<string> {
  const seen = new Set<string>();
  const queue = [...graph.nodes.values()].filter((n) => Object.keys(n.identities).length > 0).map((n) => n.key);
  for (const k of queue) seen.add(k);
  while (queue.length) {
    const cur = queue.shift()!;
    for (const e of graph.edges) {
      const next = e.from === cur ? e.to : e.to === cur ? e.from : undefined;
      if (next && !seen.has(next) && graph.nodes.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
