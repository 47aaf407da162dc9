/**
 * Erasure, rectification and access views over a system's collected rows.
 *
 * Erasure deletes a person's rows children first, so foreign keys hold. A row
 * must stay when its dataset's retention rule has a legal-obligation exception
 * (invoices kept for tax law), or when a row that stays references it; such a
 * row is masked field by field instead (amounts kept, contact fields masked).
 * Keys are never masked, so references stay intact.
 */
import type { Declaration, Dataset } from "../declaration/index.js";
import type { Mutation, Row, Selector } from "../connectors/index.js";
import { datasetTarget, rowKey, systemEdges, type SystemCollection } from "./collect.js";
import { maskValue } from "./mask.js";

export interface DatasetErasureReport {
  dataset: string;
  deleted: number;
  masked: number;
  /** Why rows were masked rather than deleted. */
  keptBecause: string[];
}

export interface ErasurePlan {
  system: string;
  mutations: Mutation[];
  report: DatasetErasureReport[];
}

/** Why rows of a dataset must stay, if they must: a retention rule's legal exception. */
export function legalHoldOf(decl: Declaration, ds: Dataset): string | undefined {
  const rule = ds.retention ? decl.retention[ds.retention] : undefined;
  const ex = rule?.exceptions.find((e) => e.basis === "legal_obligation" || e.basis === "legal_claims");
  return ex ? `${ex.reason}${ex.period ? ` (kept ${ex.period})` : rule?.period && rule.period !== "indefinite" ? ` (kept ${rule.period})` : ""}` : undefined;
}

/** The selector that reaches exactly this row again: its primary key, or the whole row. */
function selectorOf(ds: Dataset, row: Row, via: { field: string; value: string }): Selector {
  const pk = Object.entries(ds.fields).find(([, f]) => f.primaryKey)?.[0];
  if (pk && row[pk] !== undefined) return { field: pk, values: [row[pk] as string] };
  const equals = Object.fromEntries(Object.keys(ds.fields).filter((f) => f in row).map((f) => [f, row[f] as unknown]));
  return { field: via.field, values: [via.value], equals };
}

/** The dataset order for deletion: children before the parents they reference. */
export function deletionOrder(decl: Declaration, system: string): string[] {
  const datasets = Object.keys(decl.systems[system]?.datasets ?? {});
  const edges = systemEdges(decl, system).filter((e) => e.parentSystem === system);
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (d: string) => {
    if (order.includes(d) || visiting.has(d)) return;
    visiting.add(d);
    for (const e of edges.filter((x) => x.parent === d)) visit(e.child);
    visiting.delete(d);
    order.push(d);
  };
  datasets.forEach(visit);
  return order;
}

/**
 * Plans the erasure of a person's collected rows in one system.
 *
 * ```ts
 * const plan = planErasure(decl, collection, { key: orgKey });
 * await connector.apply(plan.mutations);
 * ```
 */
export function planErasure(decl: Declaration, collection: SystemCollection, ctx: { key: string }): ErasurePlan {
  const system = collection.system;
  const sys = decl.systems[system];
  const edges = systemEdges(decl, system).filter((e) => e.parentSystem === system);

  // Rows that must stay: held by law, or referenced by a row that stays.
  const stays = new Map<string, Set<string>>();
  const reasons = new Map<string, Set<string>>();
  const keep = (did: string, key: string, reason: string) => {
    const s = stays.get(did) ?? new Set();
    stays.set(did, s);
    const r = reasons.get(did) ?? new Set();
    reasons.set(did, r);
    r.add(reason);
    if (s.has(key)) return false;
    s.add(key);
    return true;
  };
  for (const [did, rows] of Object.entries(collection.datasets)) {
    const hold = legalHoldOf(decl, sys.datasets[did]);
    if (hold) for (const r of rows) keep(did, rowKey(sys.datasets[did], r.row), hold);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of edges) {
      const children = collection.datasets[e.child] ?? [];
      const kept = stays.get(e.child);
      if (!kept?.size) continue;
      for (const c of children) {
        if (!kept.has(rowKey(sys.datasets[e.child], c.row))) continue;
        for (const p of collection.datasets[e.parent] ?? []) {
          if (String(p.row[e.pk]) === String(c.row[e.fk]) && keep(e.parent, rowKey(sys.datasets[e.parent], p.row), `referenced by ${e.child} rows that must stay`)) changed = true;
        }
      }
    }
  }

  const mutations: Mutation[] = [];
  const report: DatasetErasureReport[] = [];
  const masks: Mutation[] = [];
  for (const did of deletionOrder(decl, system)) {
    const rows = collection.datasets[did];
    if (!rows?.length) continue;
    const ds = sys.datasets[did];
    const target = datasetTarget(did, ds);
    const kept = stays.get(did) ?? new Set<string>();
    const toDelete = rows.filter((r) => !kept.has(rowKey(ds, r.row)));
    const toMask = rows.filter((r) => kept.has(rowKey(ds, r.row)));
    const pk = target.primaryKey;
    if (toDelete.length) {
      if (pk) mutations.push({ kind: "delete", dataset: target, where: { field: pk, values: toDelete.map((r) => r.row[pk] as string) } });
      else for (const r of toDelete) mutations.push({ kind: "delete", dataset: target, where: selectorOf(ds, r.row, r.via) });
    }
    let masked = 0;
    for (const r of toMask) {
      const set: Row = {};
      for (const [fname, f] of Object.entries(ds.fields)) {
        if (!f.category || f.primaryKey || f.references || !(fname in r.row)) continue;
        const strategy = f.masking && f.masking !== "delete_row" ? f.masking : "null";
        if (strategy === "keep") continue;
        set[fname] = maskValue(strategy, r.row[fname], { key: ctx.key, fixed: f.maskValue });
      }
      if (Object.keys(set).length) {
        masks.push({ kind: "update", dataset: target, where: selectorOf(ds, r.row, r.via), set });
        masked++;
      }
    }
    report.push({ dataset: did, deleted: toDelete.length, masked, keptBecause: [...(reasons.get(did) ?? [])] });
  }
  // Masks first (rows that stay), then deletions children-first.
  return { system, mutations: [...masks, ...mutations], report };
}

/** The values of identity fields in rows that remain after an erasure: empty when erasure is verified. */
export function remainingIdentities(decl: Declaration, recheck: SystemCollection): { dataset: string; field: string; count: number }[] {
  const out: { dataset: string; field: string; count: number }[] = [];
  for (const [did, rows] of Object.entries(recheck.datasets)) {
    const ds = decl.systems[recheck.system].datasets[did];
    for (const [fname, f] of Object.entries(ds.fields)) {
      if (!f.identity || f.primaryKey) continue;
      const count = rows.filter((r) => r.via.field === fname).length;
      if (count) out.push({ dataset: did, field: fname, count });
    }
  }
  return out;
}

/**
 * Plans a rectification: every field of the person's rows whose category has a
 * corrected value is updated.
 */
export function planRectification(decl: Declaration, collection: SystemCollection, corrections: Record<string, string>): ErasurePlan {
  const sys = decl.systems[collection.system];
  const mutations: Mutation[] = [];
  const report: DatasetErasureReport[] = [];
  for (const [did, rows] of Object.entries(collection.datasets)) {
    const ds = sys.datasets[did];
    const fields = Object.entries(ds.fields).filter(([fname, f]) => f.category && corrections[f.category] !== undefined && !f.primaryKey && !f.references && fname);
    if (!fields.length) continue;
    let changed = 0;
    for (const r of rows) {
      const set = Object.fromEntries(fields.filter(([fname, f]) => fname in r.row && r.row[fname] !== corrections[f.category!]).map(([fname, f]) => [fname, corrections[f.category!]]));
      if (Object.keys(set).length) {
        mutations.push({ kind: "update", dataset: datasetTarget(did, ds), where: selectorOf(ds, r.row, r.via), set });
        changed++;
      }
    }
    report.push({ dataset: did, deleted: 0, masked: changed, keptBecause: [] });
  }
  return { system: collection.system, mutations, report };
}

/**
 * The fields of the person's rows that an access (or portability) request returns:
 * fields with a data category the request covers, and the keys that tie rows together.
 */
export function accessView(decl: Declaration, collection: SystemCollection, covers: (category: string) => boolean): Record<string, Row[]> {
  const sys = decl.systems[collection.system];
  const out: Record<string, Row[]> = {};
  for (const [did, rows] of Object.entries(collection.datasets)) {
    const ds = sys.datasets[did];
    const fields = Object.entries(ds.fields).filter(([, f]) => (f.category && covers(f.category)) || f.primaryKey || f.references);
    if (!fields.some(([, f]) => f.category && covers(f.category))) continue;
    out[did] = rows.map((r) => Object.fromEntries(fields.map(([fname]) => [fname, r.row[fname] ?? null])));
  }
  return out;
}
