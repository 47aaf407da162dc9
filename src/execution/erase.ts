/**
 * Erasure, rectification and access views over a system's collected rows.
 *
 * Erasure deletes the person's rows children first, so foreign keys hold. A
 * row of theirs stays when:
 * - its dataset's retention rule has a legal exception (invoices kept for tax
 *   law): it is masked field by field;
 * - rows outside the person's name it as an actor (a staff row on other
 *   people's rentals), or refer to it in their own right: it is masked;
 * - it is a detail other rows point at too (an address shared with the
 *   store): it is shared, and left as it is;
 * - a row that stays references it: it is masked.
 * Rows of datasets of people that no identity matched are never changed.
 * Keys are never masked, so references stay intact.
 */
import {
  primaryKeyOf,
  resolveBindings,
  type Dataset,
  type Declaration,
  type MaskingStrategy,
  type Relation,
} from "../declaration/index.js";
import {
  findTable,
  type ColumnInfo,
  type Connector,
  type Mutation,
  type Row,
  type Selector,
  type Value,
} from "../connectors/index.js";
import { datasetTarget, graphOf, rowKey, rowKeyFields, type FoundRow, type SystemCollection } from "./collect.js";
import { dueQuery } from "./due.js";
import { exceptionEnd, legalExceptionOf, masksField, requiredByException } from "./exceptions.js";
import { maskFits, maskValue } from "./mask.js";

export type KeepKind = "legal_hold" | "retention" | "shared" | "referenced" | "kept_row_references";

export interface KeepReason {
  kind: KeepKind;
  why: string;
  rows: number;
  /** For rows kept under the law: the last day the group's rows are kept to (each row's own period ends by then). */
  until?: string;
  /** For rows kept under the law: the exception's reason as the declaration states it (translated from there). */
  basis?: string;
  /** For rows kept for other rows: the dataset of those rows. */
  dataset?: string;
}

export interface DatasetErasureReport {
  dataset: string;
  /** The person's rows found. */
  found: number;
  deleted: number;
  /** Rows kept with their personal fields masked. */
  masked: number;
  /** Rows kept as they are. */
  unchanged: number;
  kept: KeepReason[];
  /** Fields left as they are in masked rows (`masking: keep`). */
  keptFields: string[];
  /** Rows of people reached through a reference that no identity of the person matched: never changed. */
  notMatched: number;
}

/**
 * A row kept past its time: the fields the law requires stay intact and blocked (no other processing) until `until`.
 */
export interface PlannedBlock {
  dataset: string;
  /** The row's key (`rowKey`). */
  key: string;
  row: Row;
  /** When the row may go: the end of the legal period; null when kept without an end (a block rule). */
  until: string | null;
  reason: string;
  /**
   * The categories kept intact, whose processing is blocked; empty for a row kept only because kept rows reference it
   * (its personal fields are masked).
   */
  categories: string[];
}

export interface ErasurePlan {
  system: string;
  mutations: Mutation[];
  report: DatasetErasureReport[];
  /** Rows kept under a legal obligation (and the rows they need), to be recorded as blocked. */
  blocks: PlannedBlock[];
  /** Dataset → the keys (`rowKey`, after masking) of the person's rows that stay, masked or as they are. */
  kept: Record<string, string[]>;
  /** Dataset → the keys (`rowKey`, after masking) of the rows among them that are masked. */
  masked: Record<string, string[]>;
}

/** A row outside the collection that points at a collected row. */
export interface Referrer {
  dataset: string;
  field: string;
  relation: Relation;
  rows: number;
}

/** Dataset → row key → the rows outside the collection that point at that row. */
export type Referrers = Record<string, Record<string, Referrer[]>>;

export interface ErasureContext {
  /** The organization's key, for HMAC masking. */
  key: string;
  referrers?: Referrers;
  /** Dataset → column name → column, where the engine has a schema: masks then fit the column. */
  columns?: Record<string, Map<string, ColumnInfo>>;
  /** Now, for the end of legal retention periods (the real clock when absent). */
  now?: Date;
  /** Rows to leave exactly as they are, by dataset → row keys: under a legal hold. */
  held?: Record<string, Set<string>>;
  /**
   * Dataset → row key → when the row's retention clock started, read as the sweep reads it (`rowClocks`): a parent's
   * date, the latest of the rows that belong to it. Rows absent here are read from their own fields.
   */
  clocks?: Record<string, Map<string, Date>>;
}

/** A mask that cannot fit its column: nothing is written. */
export class ErasurePlanError extends Error {
  readonly code = "ERASURE_PLAN";
  constructor(message: string) {
    super(message);
    this.name = "ErasurePlanError";
  }
}

/**
 * The retention clock of each collected row of the person's in a dataset with a legal exception, read by the same
 * query the sweep and the dry run read it by: a clock on the row's parent (an invoice line's invoice date) or the
 * latest of its children is the one the law's period runs from, in the report, the blocks and the plan alike.
 */
export async function rowClocks(
  decl: Declaration,
  collection: SystemCollection,
  connector: Connector,
): Promise<Record<string, Map<string, Date>>> {
  const out: Record<string, Map<string, Date>> = {};
  if (!connector.clocks) return out;
  const sys = decl.systems[collection.system];
  const { bindings } = resolveBindings(decl, graphOf(decl));
  for (const [did, rows] of Object.entries(collection.datasets)) {
    const ds = sys.datasets[did];
    const ex = legalExceptionOf(decl, ds);
    const b = ex && bindings.find((x) => x.system === collection.system && x.dataset === did && x.ruleId === ex.rule);
    const own = rows.filter((r) => r.own);
    if (!b?.clock.length || !own.length) continue;
    const pk = primaryKeyOf(ds);
    if (!pk.length) continue;
    const q = { ...dueQuery(decl, b), where: [], unmasked: undefined };
    const m = new Map<string, Date>();
    for (const { row, clock } of await connector.clocks(
      q,
      own.map((r) => pk.map((f) => (r.row[f] ?? null) as Value)),
    ))
      m.set(rowKey(ds, row), new Date(clock));
    out[did] = m;
  }
  return out;
}

/**
 * The selector that reaches exactly these rows again: by primary key (composite keys whole), or by every declared
 * field.
 */
export function selectorOf(ds: Dataset, rows: Row[]): Selector[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const fields = rowKeyFields(ds, r);
    const k = fields.join("\u0000");
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const fields = rowKeyFields(ds, rs[0]);
    return { fields, keys: rs.map((r) => fields.map((f) => (r[f] ?? null) as Value)) };
  });
}

/** Same-system references between datasets (every relation: foreign keys hold whatever a reference means). */
function systemReferences(decl: Declaration, system: string) {
  return graphOf(decl)
    .edges.filter((e) => !e.crossSystem && e.from.startsWith(`${system}.`))
    .map((e) => ({
      child: e.from.slice(system.length + 1),
      fk: e.fromField,
      parent: e.to.slice(system.length + 1),
      pk: e.toField,
      relation: e.relation,
    }));
}

/** The dataset order for deletion: children before the parents they reference. */
export function deletionOrder(decl: Declaration, system: string): string[] {
  const datasets = Object.keys(decl.systems[system]?.datasets ?? {});
  const refs = systemReferences(decl, system).filter((r) => r.child !== r.parent);
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (d: string) => {
    if (order.includes(d) || visiting.has(d)) return;
    visiting.add(d);
    for (const r of refs.filter((x) => x.parent === d)) visit(r.child);
    visiting.delete(d);
    order.push(d);
  };
  datasets.forEach(visit);
  return order;
}

/**
 * Counts the rows outside the collection that point at collected rows through
 * references collection does not follow (a detail shared with the store, a
 * staff row named on other people's rentals, a self-reference): those rows
 * must stay for the references to hold.
 */
export async function countReferrers(
  decl: Declaration,
  collection: SystemCollection,
  connector: Connector,
): Promise<Referrers> {
  const sys = decl.systems[collection.system];
  const out: Referrers = {};
  for (const r of systemReferences(decl, collection.system)) {
    // Owner references are followed down from the person's rows, so the rows pointing at them are collected already;
    // not from a detail, where they may be anyone's.
    const followed = r.relation === "owner" && r.child !== r.parent;
    const parents = (collection.datasets[r.parent] ?? []).filter((p) => p.own && (!followed || p.detail));
    const values = [
      ...new Set(
        parents
          .map((p) => p.row[r.pk])
          .filter((v) => v !== null && v !== undefined)
          .map(String),
      ),
    ];
    if (!values.length) continue;
    const counts = await connector.count(datasetTarget(r.child, sys.datasets[r.child]), r.fk, values);
    const inCollection = new Map<string, number>();
    for (const c of collection.datasets[r.child] ?? []) {
      const v = c.row[r.fk];
      if (v !== null && v !== undefined) inCollection.set(String(v), (inCollection.get(String(v)) ?? 0) + 1);
    }
    for (const p of parents) {
      const v = String(p.row[r.pk]);
      const others = (counts.get(v) ?? 0) - (inCollection.get(v) ?? 0);
      if (others <= 0) continue;
      const byKey = (out[r.parent] ??= {});
      (byKey[rowKey(sys.datasets[r.parent], p.row)] ??= []).push({
        dataset: r.child,
        field: r.fk,
        relation: r.relation,
        rows: others,
      });
    }
  }
  return out;
}

interface Stay {
  /** Masked (true) or left as it is (false). */
  mask: boolean;
  reasons: Map<KeepKind, string>;
}

/**
 * When every collected row of a dataset goes, the dataset holds no identity,
 * and its rows belong to the person through one owner reference, they are
 * deleted by that reference (`order_id IN (…)`, one index probe per parent)
 * rather than one primary key at a time: the same rows, and any the person's
 * parent rows gained since they were collected.
 */
function ownerKeyDeletion(
  decl: Declaration,
  system: string,
  did: string,
  rows: FoundRow[],
  toDelete: FoundRow[],
): Selector | undefined {
  if (toDelete.length !== rows.length || rows.length < 2) return undefined;
  const ds = decl.systems[system].datasets[did];
  if (Object.values(ds.fields).some((f) => f.identity)) return undefined;
  const owners = systemReferences(decl, system).filter(
    (r) => r.child === did && r.relation === "owner" && r.parent !== did,
  );
  if (owners.length !== 1) return undefined;
  const fk = owners[0].fk;
  const values = [...new Set(rows.map((r) => r.row[fk]))];
  if (values.some((v) => v === null || v === undefined)) return undefined;
  return { field: fk, values: values as Value[] };
}

/**
 * Plans the erasure of a person's collected rows in one system.
 *
 * ```ts
 * const plan = planErasure(decl, collection, { key: orgKey, referrers: await countReferrers(decl, collection, c) });
 * await connector.apply(plan.mutations);
 * ```
 *
 * @throws ErasurePlanError when a mask cannot fit its column
 */
export function planErasure(decl: Declaration, collection: SystemCollection, ctx: ErasureContext): ErasurePlan {
  const system = collection.system;
  const sys = decl.systems[system];
  const refs = systemReferences(decl, system);
  const stays = new Map<string, Map<string, Stay>>();
  /** A reason's facts, by its text: what a report in another language words again. */
  const facts = new Map<string, { basis?: string; dataset?: string }>();
  const stay = (did: string, key: string, mask: boolean, kind: KeepKind, why: string): boolean => {
    const m = stays.get(did) ?? new Map<string, Stay>();
    stays.set(did, m);
    const s = m.get(key);
    if (s) {
      if (!s.reasons.has(kind)) s.reasons.set(kind, why);
      return false;
    }
    m.set(key, { mask, reasons: new Map([[kind, why]]) });
    return true;
  };
  const own = (did: string) => (collection.datasets[did] ?? []).filter((r) => r.own);
  const notMatched = (did: string) => (collection.datasets[did] ?? []).filter((r) => !r.own);

  const now = ctx.now ?? new Date();
  /** Row key → when a row kept under a legal exception may go, per dataset. */
  const ends = new Map<string, Map<string, Date>>();
  for (const did of Object.keys(collection.datasets)) {
    const ds = sys.datasets[did];
    const ex = legalExceptionOf(decl, ds);
    for (const r of own(did)) {
      const key = rowKey(ds, r.row);
      if (ctx.held?.[did]?.has(key)) stay(did, key, false, "legal_hold", "under a legal hold");
      const end = ex ? exceptionEnd(ex, ds, r.row, now, ctx.clocks?.[did]?.get(key)) : undefined;
      if (ex && end && end > now) {
        // The date is written when the report groups the rows (by reason and by the month their period ends).
        stay(did, key, true, "retention", ex.reason);
        facts.set(ex.reason, { basis: ex.reason });
        const m = ends.get(did) ?? new Map<string, Date>();
        ends.set(did, m.set(key, end));
      }
      for (const ref of ctx.referrers?.[did]?.[key] ?? []) {
        // Other rows pointing at a detail (or hanging off it) share it: it stays as it is.
        const shared =
          ref.relation === "detail" || ref.relation === "lookup" || (ref.relation === "owner" && !!r.detail);
        const why = shared
          ? `shared with other rows (${ref.dataset}.${ref.field})`
          : `named by rows that are not the person's (${ref.dataset}.${ref.field}` +
            `${ref.relation === "actor" ? ", as actor" : ""})`;
        stay(did, key, !shared, shared ? "shared" : "referenced", why);
        facts.set(why, { dataset: ref.dataset });
      }
    }
  }
  // A row that stays keeps what it references: those rows stay too, masked (rows nobody matched included: they are
  // someone else's).
  const staying = (did: string): FoundRow[] =>
    (collection.datasets[did] ?? []).filter((r) => !r.own || stays.get(did)?.has(rowKey(sys.datasets[did], r.row)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of refs) {
      const children = staying(r.child);
      if (!children.length) continue;
      const wanted = new Set(
        children
          .map((c) => c.row[r.fk])
          .filter((v) => v !== null && v !== undefined)
          .map(String),
      );
      for (const p of own(r.parent)) {
        if (!wanted.has(String(p.row[r.pk]))) continue;
        const why = `referenced by rows of ${r.child} that stay`;
        facts.set(why, { dataset: r.child });
        if (stay(r.parent, rowKey(sys.datasets[r.parent], p.row), true, "kept_row_references", why)) changed = true;
      }
    }
  }

  const deletions: Mutation[] = [];
  const masks: Mutation[] = [];
  const report: DatasetErasureReport[] = [];
  const blocks: PlannedBlock[] = [];
  const keptKeys: Record<string, string[]> = {};
  const maskedKeys: Record<string, string[]> = {};
  const latestEnd = [...ends.values()]
    .flatMap((m) => [...m.values()])
    .reduce<Date | undefined>((a, b) => (!a || b > a ? b : a), undefined);
  for (const did of deletionOrder(decl, system)) {
    const rows = collection.datasets[did];
    if (!rows?.length) continue;
    const ds = sys.datasets[did];
    const target = datasetTarget(did, ds);
    const kept = stays.get(did) ?? new Map<string, Stay>();
    const mine = own(did);
    const toDelete = mine.filter((r) => !kept.has(rowKey(ds, r.row)));
    const toMask = mine.filter((r) => kept.get(rowKey(ds, r.row))?.mask);
    if (toDelete.length) {
      const byOwner = ownerKeyDeletion(decl, system, did, rows, toDelete);
      if (byOwner) deletions.push({ kind: "delete", dataset: target, where: byOwner });
      else
        for (const where of selectorOf(
          ds,
          toDelete.map((r) => r.row),
        ))
          deletions.push({ kind: "delete", dataset: target, where });
    }
    const keptFields = new Set<string>();
    let masked = 0;
    const ex = legalExceptionOf(decl, ds);
    for (const r of toMask) {
      const set: Row = {};
      const key = rowKey(ds, r.row);
      const end = ends.get(did)?.get(key);
      const intact: string[] = [];
      for (const [fname, f] of Object.entries(ds.fields)) {
        if (!masksField(f) || !(fname in r.row)) continue;
        const strategy: Exclude<MaskingStrategy, "delete_row"> =
          end && ex && requiredByException(ex, f.category)
            ? "keep"
            : f.masking && f.masking !== "delete_row"
              ? f.masking
              : "null";
        if (end && strategy === "keep" && f.category) intact.push(f.category);
        if (strategy === "keep") {
          keptFields.add(fname);
          continue;
        }
        const column = ctx.columns?.[did]?.get(fname);
        const misfit = column && maskFits(strategy, column, f.maskValue);
        if (misfit)
          throw new ErasurePlanError(
            `${system}.${did}.${fname}: ${misfit}; nothing was changed (set the field's ` +
              `masking, and run pledge check --live)`,
          );
        set[fname] = maskValue(strategy, r.row[fname], { key: ctx.key, fixed: f.maskValue, column });
      }
      if (Object.keys(set).length) {
        for (const where of selectorOf(ds, [r.row])) masks.push({ kind: "update", dataset: target, where, set });
        masked++;
      }
      // Kept under the law: what it requires is blocked until the period ends; a row kept only for the rows that need
      // it goes with them.
      const stayingKey = rowKeyFields(ds, r.row).some((f) => f in set) ? rowKey(ds, { ...r.row, ...set }) : key;
      (keptKeys[did] ??= []).push(stayingKey);
      if (Object.keys(set).length) (maskedKeys[did] ??= []).push(stayingKey);
      if (end && ex)
        blocks.push({
          dataset: did,
          key: stayingKey,
          row: r.row,
          until: end.toISOString(),
          reason: ex.reason,
          categories: [...new Set(intact)],
        });
      else if (latestEnd && kept.get(key)?.reasons.has("kept_row_references"))
        blocks.push({
          dataset: did,
          key: stayingKey,
          row: r.row,
          until: latestEnd.toISOString(),
          reason: "referenced by rows kept under a legal obligation",
          categories: [],
        });
    }
    for (const r of mine) {
      const k = rowKey(ds, r.row);
      if (kept.has(k) && !kept.get(k)!.mask) (keptKeys[did] ??= []).push(k);
    }
    // Rows kept for one reason are one line; rows kept under the law, one line per month in which their period ends,
    // with the last day of it among them.
    const groups = new Map<string, { kind: KeepKind; why: string; rows: number; until?: string }>();
    for (const [key, st] of kept) {
      for (const [kind, why] of st.reasons) {
        const end = kind === "retention" ? ends.get(did)?.get(key)?.toISOString().slice(0, 10) : undefined;
        const k = `${kind}\u0000${why}\u0000${end?.slice(0, 7) ?? ""}`;
        const g = groups.get(k) ?? { kind, why, rows: 0 };
        g.rows++;
        if (end && (!g.until || end > g.until)) g.until = end;
        groups.set(k, g);
      }
    }
    const reasons = new Map<string, KeepReason>();
    for (const [k, g] of groups) {
      const why =
        g.kind === "retention" && g.until
          ? `kept intact and blocked until ${g.until}${g.rows > 1 ? " at the latest" : ""}, because ${g.why}`
          : g.why;
      reasons.set(k, { kind: g.kind, why, rows: g.rows, ...(g.until ? { until: g.until } : {}), ...facts.get(g.why) });
    }
    report.push({
      dataset: did,
      found: mine.length,
      deleted: toDelete.length,
      masked,
      unchanged: mine.length - toDelete.length - masked,
      kept: [...reasons.values()],
      keptFields: [...keptFields],
      notMatched: notMatched(did).length,
    });
  }
  // Masks first (rows that stay), then deletions children first.
  return { system, mutations: [...masks, ...deletions], report, blocks, kept: keptKeys, masked: maskedKeys };
}

/**
 * Plans a system's erasure against the live system: counts the rows outside
 * the collection that point at the person's, plans, and, where rows will be
 * masked in tables with a schema, reads those tables' columns so that every
 * mask fits its column.
 *
 * ```ts
 * const plan = await prepareErasure(decl, collection, connector, { key: orgKey });
 * await connector.apply(plan.mutations);
 * ```
 *
 * @throws ErasurePlanError when a mask cannot fit its column
 */
export async function prepareErasure(
  decl: Declaration,
  collection: SystemCollection,
  connector: Connector,
  ctx: Omit<ErasureContext, "referrers" | "columns">,
): Promise<ErasurePlan> {
  const referrers = await countReferrers(decl, collection, connector);
  const clocks = ctx.clocks ?? (await rowClocks(decl, collection, connector));
  const plan = planErasure(decl, collection, { ...ctx, referrers, clocks });
  const masked = [...new Set(plan.mutations.filter((m) => m.kind === "update").map((m) => m.dataset.name))];
  if (!connector.capabilities.tabular || !masked.length) return plan;
  const snapshot = await connector.introspect(masked);
  const columns: Record<string, Map<string, ColumnInfo>> = {};
  for (const [did, ds] of Object.entries(decl.systems[collection.system].datasets)) {
    const table = findTable(snapshot, datasetTarget(did, ds).name);
    if (table && masked.includes(table.name)) columns[did] = new Map(table.columns.map((c) => [c.name, c]));
  }
  return planErasure(decl, collection, { ...ctx, referrers, clocks, columns });
}

/**
 * What a new search finds of the person after an erasure: rows an identity still matches, but those the erasure
 * meant to keep (`kept`, masked or as they are) and rows that are not the person's (found only by a shared identity,
 * or excluded by staff). Empty when the erasure is verified.
 */
export function remainingIdentities(
  decl: Declaration,
  recheck: SystemCollection,
  kept: Record<string, string[]> = {},
): { dataset: string; field: string; count: number }[] {
  const out: { dataset: string; field: string; count: number }[] = [];
  for (const [did, rows] of Object.entries(recheck.datasets)) {
    const ds = decl.systems[recheck.system].datasets[did];
    const keep = new Set(kept[did] ?? []);
    for (const [fname, f] of Object.entries(ds.fields)) {
      if (!f.identity || f.primaryKey) continue;
      const count = rows.filter((r) => r.own && r.matchedBy.includes(fname) && !keep.has(rowKey(ds, r.row))).length;
      if (count) out.push({ dataset: did, field: fname, count });
    }
  }
  return out;
}

export interface RectificationReport {
  dataset: string;
  found: number;
  corrected: number;
  /** Why rows were left as they are. */
  kept: KeepReason[];
}

/**
 * Plans a rectification: every field of the person's rows whose category has a
 * corrected value is updated, except in records kept for a legal obligation
 * (an issued invoice stays as issued).
 */
export function planRectification(
  decl: Declaration,
  collection: SystemCollection,
  corrections: Record<string, string>,
): { system: string; mutations: Mutation[]; report: RectificationReport[] } {
  const sys = decl.systems[collection.system];
  const mutations: Mutation[] = [];
  const report: RectificationReport[] = [];
  for (const [did, all] of Object.entries(collection.datasets)) {
    const ds = sys.datasets[did];
    const rows = all.filter((r) => r.own);
    const fields = Object.entries(ds.fields).filter(
      ([, f]) => f.category && corrections[f.category] !== undefined && !f.primaryKey && !f.references,
    );
    if (!fields.length || !rows.length) continue;
    const ex = legalExceptionOf(decl, ds);
    if (ex) {
      report.push({
        dataset: did,
        found: rows.length,
        corrected: 0,
        kept: [{ kind: "retention", why: `kept as issued: ${ex.reason} (kept ${ex.period})`, rows: rows.length }],
      });
      continue;
    }
    let corrected = 0;
    for (const r of rows) {
      const set = Object.fromEntries(
        fields
          .filter(([fname, f]) => fname in r.row && r.row[fname] !== corrections[f.category!])
          .map(([fname, f]) => [fname, corrections[f.category!]]),
      );
      if (!Object.keys(set).length) continue;
      for (const where of selectorOf(ds, [r.row]))
        mutations.push({ kind: "update", dataset: datasetTarget(did, ds), where, set });
      corrected++;
    }
    report.push({ dataset: did, found: rows.length, corrected, kept: [] });
  }
  return { system: collection.system, mutations, report };
}

/**
 * The person's rows as an access (or portability) export gives them: every
 * column of each row, with lookups shown beside their keys (`film_id.title`).
 * A portability export keeps the columns of the categories it covers and the
 * keys that tie rows together.
 */
export function accessView(
  decl: Declaration,
  collection: SystemCollection,
  covers?: (category: string) => boolean,
): Record<string, Row[]> {
  const sys = decl.systems[collection.system];
  const out: Record<string, Row[]> = {};
  for (const [did, all] of Object.entries(collection.datasets)) {
    const ds = sys.datasets[did];
    const rows = all.filter((r) => r.own);
    if (!rows.length) continue;
    let keep: ((col: string) => boolean) | undefined;
    if (covers) {
      const fields = Object.entries(ds.fields).filter(
        ([, f]) => (f.category && covers(f.category)) || f.primaryKey || f.references,
      );
      if (!fields.some(([, f]) => f.category && covers(f.category))) continue;
      const names = new Set(fields.map(([n]) => n));
      keep = (c) => names.has(c);
    }
    const lookups = collection.lookups[did] ?? {};
    out[did] = rows.map(({ row }) => {
      const o: Row = {};
      for (const [k, v] of Object.entries(row)) {
        if (keep && !keep(k)) continue;
        o[k] = v ?? null;
        const shown = lookups[k];
        const f = ds.fields[k];
        if (shown && f?.show && v !== null && v !== undefined) o[`${k}.${f.show}`] = shown[String(v)] ?? null;
      }
      return o;
    });
  }
  return out;
}
