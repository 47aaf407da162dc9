/**
 * Legal holds on data, beside those on a person (`requests`): on a whole
 * system, on a dataset (optionally only rows whose clock started before a
 * date), or on a case — one row and everything that belongs to it. Each has a
 * reason, who placed it and an optional end; sweeps skip held rows and count
 * them.
 */
import { z } from "zod";
import { appendAudit } from "../audit/index.js";
import { type Dataset, IsoDate, type ResolvedBinding } from "../declaration/index.js";
import { collectSystem, rowKey } from "../execution/index.js";
import type { Connector, Row, Value } from "../connectors/index.js";
import { identityHash } from "../requests/index.js";
import {
  connectorFor,
  dueQuery,
  periodMs,
  HoldIncompleteError,
  RetentionError,
  bindingsOf,
  type RetentionContext,
} from "./model.js";

/** A hold as staff place it (the HTTP body and the CLI flags parse into this). */
export const HoldInput = z.strictObject({
  scope: z.enum(["system", "dataset", "case"]),
  system: z.string().min(1),
  dataset: z.string().min(1).optional(),
  /** For a case: the primary key of the row, as text (`42`, or `["a", 1]` for a composite key). */
  key: z.string().min(1).optional(),
  /** Only rows whose clock started before this date (YYYY-MM-DD). */
  before: IsoDate.optional(),
  reason: z.string().trim().min(3, "give the reason for the hold"),
  endsAt: IsoDate.optional(),
});
export type HoldInput = z.infer<typeof HoldInput>;

export interface Hold {
  id: number;
  scope: "system" | "dataset" | "case";
  system: string;
  dataset: string | null;
  rowKey: string | null;
  before: string | null;
  reason: string;
  placedBy: string;
  placedAt: string;
  endsAt: string | null;
  liftedAt: string | null;
}

/** A case key as a row key: `42` → `[42]`; a JSON list stays as it is. */
function caseKey(key: string, pkFields: string[]): string {
  const t = key.trim();
  if (t.startsWith("[")) {
    const parsed = JSON.parse(t) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== pkFields.length)
      throw new RetentionError(
        "INVALID",
        `the key of a row of this dataset has ${pkFields.length} parts (${pkFields.join(", ")})`,
      );
    return JSON.stringify(parsed);
  }
  if (pkFields.length !== 1)
    throw new RetentionError(
      "INVALID",
      `the key of a row of this dataset has ${pkFields.length} parts: give them as a JSON list`,
    );
  return JSON.stringify([/^-?\d+$/.test(t) ? Number(t) : t]);
}

/**
 * Places a hold; returns its id. Keys of the held datasets that an engine
 * would expire by itself (Redis TTLs the sweeps set) lose their expiry at once,
 * so nothing held expires before the next sweep; when that cannot be done the
 * hold stays placed and a HoldIncompleteError says which system.
 */
export async function placeHold(ctx: RetentionContext, input: HoldInput, by: string): Promise<number> {
  const decl = ctx.declaration();
  const sys = decl.systems[input.system];
  if (!sys) throw new RetentionError("INVALID", `no system '${input.system}'`);
  if (input.scope !== "system" && !input.dataset)
    throw new RetentionError("INVALID", `a ${input.scope} hold names a dataset`);
  const ds = input.dataset ? sys.datasets[input.dataset] : undefined;
  if (input.dataset && !ds) throw new RetentionError("INVALID", `no dataset '${input.dataset}' in ${input.system}`);
  if (input.scope === "case" && !input.key) throw new RetentionError("INVALID", "a case hold names the row's key");
  const pk = ds
    ? Object.entries(ds.fields)
        .filter(([, f]) => f.primaryKey)
        .map(([n]) => n)
    : [];
  const rowKeyText = input.scope === "case" ? caseKey(input.key!, pk) : null;
  const now = ctx.clock().toISOString();
  const r = await ctx.store.db
    .insertInto("retention_holds")
    .values({
      scope: input.scope,
      system: input.system,
      dataset: input.dataset ?? null,
      row_key: rowKeyText,
      before: input.before ?? null,
      reason: input.reason,
      placed_by: by,
      placed_at: now,
      ends_at: input.endsAt ?? null,
      lifted_at: null,
      lifted_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await appendAudit(
    ctx.store,
    { actor: by, action: "retention.hold_placed", subject: `hold:${r.id}`, data: { ...input } },
    ctx.clock(),
  );
  const unreached: string[] = [];
  const bindings = bindingsOf(decl).filter(
    (x) => x.system === input.system && (input.scope === "system" || x.dataset === input.dataset),
  );
  let connector: Connector | undefined;
  try {
    if (bindings.length) connector = connectorFor(ctx, input.system);
    for (const b of connector?.capabilities.ttl ? bindings : []) {
      try {
        await setExpiries(ctx, b, connector!);
      } catch (err) {
        unreached.push(`${b.system}.${b.dataset}: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    unreached.push(`${input.system}: ${(err as Error).message}`);
  } finally {
    await connector?.close().catch(() => {});
  }
  if (unreached.length)
    throw new HoldIncompleteError(
      r.id,
      `hold ${r.id} is placed, but its system could not be reached to keep keys from ` +
        `expiring before the next sweep (which tries again): ${unreached.join("; ")}`,
    );
  return r.id;
}

/** Lifts a hold. */
export async function liftHold(ctx: RetentionContext, id: number, by: string): Promise<void> {
  const res = await ctx.store.db
    .updateTable("retention_holds")
    .set({ lifted_at: ctx.clock().toISOString(), lifted_by: by })
    .where("id", "=", id)
    .where("lifted_at", "is", null)
    .executeTakeFirst();
  if (!Number(res.numUpdatedRows)) throw new RetentionError("NOT_FOUND", `no hold ${id} in force`);
  await appendAudit(
    ctx.store,
    { actor: by, action: "retention.hold_lifted", subject: `hold:${id}`, data: {} },
    ctx.clock(),
  );
}

/** Holds in force now (not lifted, not ended), or every hold with `all`. */
export async function listHolds(ctx: RetentionContext, options: { all?: boolean } = {}): Promise<Hold[]> {
  let q = ctx.store.db.selectFrom("retention_holds").selectAll().orderBy("id", "desc");
  if (!options.all) q = q.where("lifted_at", "is", null);
  const today = ctx.clock().toISOString().slice(0, 10);
  return (await q.execute())
    .filter((h) => options.all || !h.ends_at || h.ends_at > today)
    .map((h) => ({
      id: h.id,
      scope: h.scope as Hold["scope"],
      system: h.system,
      dataset: h.dataset,
      rowKey: h.row_key,
      before: h.before,
      reason: h.reason,
      placedBy: h.placed_by,
      placedAt: h.placed_at,
      endsAt: h.ends_at,
      liftedAt: h.lifted_at,
    }));
}

/** What holds keep in one dataset of a system during a sweep: whole-dataset holds, and the rows of held cases. */
export interface DatasetHolds {
  /** A hold on the whole dataset (or system), with the date before which its rows are held, if limited. */
  whole: { reason: string; before: string | null }[];
  /** Dataset → held row keys → reason: the rows of held cases and everything that belongs to them. */
  rows: Record<string, Map<string, string>>;
}

/** The holds that reach a system now, with the rows of held cases collected through the graph. */
export async function holdsFor(
  ctx: RetentionContext,
  system: string,
  dataset: string,
  connector: Connector,
): Promise<DatasetHolds> {
  const holds = (await listHolds(ctx)).filter((h) => h.system === system);
  const decl = ctx.declaration();
  const whole = holds
    .filter((h) => h.scope === "system" || (h.scope === "dataset" && h.dataset === dataset))
    .map((h) => ({ reason: h.reason, before: h.before }));
  const rows: DatasetHolds["rows"] = {};
  for (const h of holds.filter((x) => x.scope === "case" && x.dataset && x.rowKey)) {
    const ds = decl.systems[system]?.datasets[h.dataset!];
    if (!ds) continue;
    const pk = Object.entries(ds.fields)
      .filter(([, f]) => f.primaryKey)
      .map(([n]) => n);
    const values = JSON.parse(h.rowKey!) as Value[];
    const found = await connector.find(
      { name: ds.name ?? h.dataset!, fields: Object.keys(ds.fields), primaryKey: pk },
      { fields: pk, keys: [values] },
    );
    if (!found.length) continue;
    const c = await collectSystem(
      decl,
      system,
      connector,
      {},
      { dataset: h.dataset!, rows: found as Row[], ownByReference: true },
    );
    for (const [did, rs] of Object.entries(c.datasets)) {
      const m = (rows[did] ??= new Map());
      for (const r of rs)
        if (r.own) m.set(rowKey(decl.systems[system].datasets[did], r.row), `legal hold ${h.id}: ${h.reason}`);
    }
  }
  return { whole, rows };
}

/**
 * Whether a hold in force keeps this row of a dataset: the reason, or undefined. A row whose clock is unknown is held
 * by a hold on rows before a date.
 */
export function heldReason(
  holds: DatasetHolds,
  dataset: string,
  ds: Dataset,
  row: Row,
  clock: string | null,
): string | undefined {
  const whole = holds.whole.find((h) => !h.before || !clock || clock < `${h.before}T00:00:00.000Z`);
  return whole ? `legal hold: ${whole.reason}` : holds.rows[dataset]?.get(rowKey(ds, row));
}

/** Whether any legal hold on a person is in force (then every row is checked against them). */
export async function anyPersonHolds(ctx: RetentionContext): Promise<boolean> {
  return !!(await ctx.store.db
    .selectFrom("legal_holds")
    .select("id")
    .where("lifted_at", "is", null)
    .limit(1)
    .executeTakeFirst());
}

/** Whether a legal hold on a person covers the identities this row holds. */
export async function personHeld(ctx: RetentionContext, ds: Dataset, row: Row): Promise<boolean> {
  const hashes: string[] = [];
  for (const [fname, f] of Object.entries(ds.fields)) {
    const v = row[fname];
    if (f.identity && v !== null && v !== undefined && String(v).trim())
      hashes.push(
        await identityHash({ store: ctx.store, env: ctx.env, declaration: ctx.declaration }, f.identity, String(v)),
      );
  }
  if (!hashes.length) return false;
  return !!(await ctx.store.db
    .selectFrom("legal_holds")
    .select("id")
    .where("identity_hash", "in", hashes)
    .where("lifted_at", "is", null)
    .executeTakeFirst());
}

/**
 * Why a hold keeps a row of a binding's dataset (a hold on the system, the
 * dataset, a case or a person), or undefined; undefined instead of a function
 * when no hold reaches the dataset at all.
 */
export async function holdKeeper(
  ctx: RetentionContext,
  b: ResolvedBinding,
  connector: Connector,
  known?: { holds: DatasetHolds; personHolds: boolean },
): Promise<((row: Row, clock: string | null) => Promise<string | undefined>) | undefined> {
  const ds = ctx.declaration().systems[b.system].datasets[b.dataset];
  const holds = known?.holds ?? (await holdsFor(ctx, b.system, b.dataset, connector));
  const personHolds = known?.personHolds ?? (await anyPersonHolds(ctx));
  if (!personHolds && !holds.whole.length && !Object.keys(holds.rows).length) return undefined;
  return async (row, clock) =>
    heldReason(holds, b.dataset, ds, row, clock) ??
    (personHolds && (await personHeld(ctx, ds, row)) ? "legal hold on the person" : undefined);
}

/**
 * Engines that expire keys themselves (Redis): every key a delete rule covers
 * expires at its limit, and every key a hold keeps has its expiry removed.
 * Undefined where the engine or the rule sets none.
 */
export async function setExpiries(
  ctx: RetentionContext,
  b: ResolvedBinding,
  connector: Connector,
  known?: { holds: DatasetHolds; personHolds: boolean },
): Promise<{ set: number; held: number } | undefined> {
  if (!connector.capabilities.ttl || !connector.expire || b.rule.period === "indefinite" || b.rule.action !== "delete")
    return undefined;
  const keep = await holdKeeper(ctx, b, connector, known);
  return connector.expire(
    dueQuery(ctx.declaration(), b),
    periodMs(b.rule.period),
    ctx.clock(),
    keep ? async (row, clock) => !!(await keep(row, clock)) : undefined,
  );
}
