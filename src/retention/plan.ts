/**
 * Proof that limits are kept. `planRetention` is the dry run: per rule and
 * dataset, the rows due now, the rows held and why, the rows kept and
 * blocked, and the oldest row's age against the limit. `verifyRetention` is
 * the promise check: it fails when a dataset holds a row older than its limit
 * that no hold or legal exception explains.
 */
import { appendAudit } from "../audit/index.js";
import type { Store } from "../store/index.js";
import type { ResolvedBinding } from "../declaration/index.js";
import type { Connector, Row, Value } from "../connectors/index.js";
import { rowKey } from "../execution/index.js";
import { blockedKeys } from "./blocks.js";
import { heldReason, holdKeeper, holdsFor } from "./holds.js";
import { ownDataPlan } from "./own-data.js";
import { simulateSweep, type SweepSimulation } from "./sweep.js";
import { bindingsOf, connectorFor, cutoffOf, dueQuery, periodMs, type RetentionContext } from "./model.js";

export interface PlanEntry {
  binding: string;
  rule: string;
  action: "delete" | "deidentify" | "block";
  period: string;
  system: string;
  dataset: string;
  /** Rows whose clock started before this are due; null when nothing can be due yet. */
  cutoff: string | null;
  note?: string;
  /** Rows the rule covers. */
  rows: number;
  due: number;
  held: { reason: string; rows: number }[];
  /** Due rows kept and blocked under a legal obligation (or a block rule). */
  blocked: number;
  /** Due rows no hold or exception explains: what a sweep will change, and what `verify` fails on. */
  unexplained: number;
  oldest: string | null;
  /** The oldest row's age in days, against the limit in days. */
  oldestDays: number | null;
  limitDays: number;
  /**
   * Keys without a clock, kept by the engine's expiry: `due` counts those that would outlive the period (no expiry, or
   * a later one).
   */
  byExpiry?: boolean;
  /**
   * What a sweep would do now, worked out as the sweep works it out (`simulate`): rows deleted, masked and newly kept
   * and blocked, across the dataset and what belongs to its rows; of the dataset's own due rows, how many go and how
   * many stay (masked, or kept because rows kept under the law reference them).
   */
  sweep?: SweepSimulation;
  /** The system could not be reached. */
  error?: string;
  lastSweep?: { at: string; deleted: number; masked: number; blocked: number };
}

/** Which of these rows holds keep, by reason (holds on the system, the dataset, a case or a person). */
async function heldBy(
  ctx: RetentionContext,
  b: ResolvedBinding,
  c: Connector,
  rows: Row[],
): Promise<{ count: number; reasons: Record<string, number> }> {
  const reasons: Record<string, number> = {};
  let count = 0;
  const keep = rows.length ? await holdKeeper(ctx, b, c) : undefined;
  for (const row of keep ? rows : []) {
    const reason = await keep!(row, null);
    if (!reason) continue;
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    count++;
  }
  return { count, reasons };
}

/** Classifies a binding's due rows: held (by reason), already blocked, and the rest. */
async function classify(
  ctx: RetentionContext,
  b: ResolvedBinding,
  c: Connector,
  cutoff: Date,
  due: number,
): Promise<{ held: Record<string, number>; blocked: number }> {
  const decl = ctx.declaration();
  const ds = decl.systems[b.system].datasets[b.dataset];
  const holds = await holdsFor(ctx, b.system, b.dataset, c);
  const anyBlocks = !!(await ctx.store.db
    .selectFrom("retention_blocks")
    .select("id")
    .where("system", "=", b.system)
    .where("dataset", "=", b.dataset)
    .limit(1)
    .executeTakeFirst());
  const held: Record<string, number> = {};
  let blocked = 0;
  if (!due || (!holds.whole.length && !Object.keys(holds.rows).length && !anyBlocks)) return { held, blocked };
  const q = dueQuery(decl, b);
  let after: Value[] | undefined;
  for (;;) {
    const page = await c.due({ ...q, before: cutoff, after, limit: 5000 });
    if (!page.length) break;
    const free: string[] = [];
    for (const { row, clock } of page) {
      const key = rowKey(ds, row);
      const reason = heldReason(holds, b.dataset, ds, row, clock);
      if (reason) held[reason] = (held[reason] ?? 0) + 1;
      else free.push(key);
    }
    if (anyBlocks) blocked += (await blockedKeys(ctx, b.system, b.dataset, free)).size;
    if (!c.capabilities.keyset) break;
    const last = page[page.length - 1].row;
    after = q.dataset.primaryKey.map((f) => last[f] ?? null) as Value[];
  }
  return { held, blocked };
}

/**
 * The dry run: what each rule's sweep would do now.
 *
 * ```ts
 * for (const e of await planRetention(ctx)) console.log(e.binding, e.due, e.unexplained);
 * ```
 */
export async function planRetention(
  ctx: RetentionContext,
  options: { rule?: string; ownData?: boolean; simulate?: boolean } = {},
): Promise<PlanEntry[]> {
  const decl = ctx.declaration();
  const now = ctx.clock();
  const out: PlanEntry[] = [];
  for (const b of bindingsOf(decl, options.rule)) {
    const limitDays = Math.round(periodMs(b.rule.period) / 86_400_000);
    const entry: PlanEntry = {
      binding: b.id,
      rule: b.ruleId,
      action: b.rule.action,
      period: b.rule.period,
      system: b.system,
      dataset: b.dataset,
      cutoff: null,
      rows: 0,
      due: 0,
      held: [],
      blocked: 0,
      unexplained: 0,
      oldest: null,
      oldestDays: null,
      limitDays,
    };
    const last = await ctx.store.db
      .selectFrom("retention_runs")
      .select(["finished_at", "counts"])
      .where("binding", "=", b.id)
      .where("status", "=", "done")
      .orderBy("id", "desc")
      .executeTakeFirst();
    if (last?.finished_at) {
      const k = JSON.parse(last.counts) as { deleted: number; masked: number; blocked: number };
      entry.lastSweep = { at: last.finished_at, deleted: k.deleted, masked: k.masked, blocked: k.blocked };
    }
    let c: Connector | undefined;
    try {
      c = connectorFor(ctx, b.system);
      if (!b.clock.length && b.rule.from !== "system_obsolescence") {
        entry.note =
          `no clock field: each key expires ${b.rule.period} after the sweep first sees ` +
          `it (a TTL the engine enforces)`;
        if (c.unexpiring) {
          // The promise for such keys is their expiry: a key that would outlive the period is due, unless a hold keeps
          // it.
          const u = await c.unexpiring(dueQuery(decl, b), periodMs(b.rule.period));
          const held = await heldBy(ctx, b, c, u.unexpiring);
          entry.byExpiry = true;
          entry.rows = u.rows;
          entry.due = u.unexpiring.length;
          entry.held = Object.entries(held.reasons).map(([reason, rows]) => ({ reason, rows }));
          entry.unexplained = u.unexpiring.length - held.count;
        }
        out.push(entry);
        continue;
      }
      const { cutoff, note } = await cutoffOf(ctx, b, now);
      if (note) entry.note = note;
      const q = dueQuery(decl, b);
      const s = await c.dueSummary(q, cutoff ?? new Date(0));
      entry.rows = s.rows;
      entry.oldest = s.oldest;
      entry.oldestDays = s.oldest ? Math.floor((now.getTime() - Date.parse(s.oldest)) / 86_400_000) : null;
      if (cutoff) {
        entry.cutoff = cutoff.getTime() > 8e15 ? now.toISOString() : cutoff.toISOString();
        entry.due = s.due;
        const { held, blocked } = await classify(ctx, b, c, cutoff, s.due);
        entry.held = Object.entries(held).map(([reason, rows]) => ({ reason, rows }));
        entry.blocked = blocked;
        entry.unexplained = s.due - blocked - entry.held.reduce((a, h) => a + h.rows, 0);
        // The sweep's own plan, run without writing: rows that stay because kept rows need them are not "deleted".
        if (options.simulate && entry.unexplained > 0) entry.sweep = await simulateSweep(ctx, b, c, cutoff);
      }
    } catch (err) {
      entry.error = (err as Error).message;
    } finally {
      await c?.close().catch(() => {});
    }
    out.push(entry);
  }
  // Pledge's own data, unless one rule was asked for.
  if (options.ownData !== false && !options.rule) out.push(...(await ownDataPlan(ctx, now)));
  return out;
}

export interface VerifyResult {
  ok: boolean;
  entries: PlanEntry[];
  /** Each failing binding, in words. */
  failures: string[];
}

/**
 * The promise check: every dataset holds no row older than its limit that no
 * hold or exception explains, and every system was reached (a system that
 * could not be read proves nothing). Written to the audit log.
 */
export async function verifyRetention(
  ctx: RetentionContext,
  options: { rule?: string; actor?: string } = {},
): Promise<VerifyResult> {
  const entries = await planRetention(ctx, options);
  const failures: string[] = [];
  for (const e of entries) {
    if (e.error) failures.push(`${e.binding} (${e.rule}): not verified: ${e.error}`);
    else if (e.unexplained > 0 && e.byExpiry)
      failures.push(
        `${e.binding} (${e.rule}): ${e.unexplained} key` +
          `${e.unexplained === 1 ? "" : "s"} without an expiry within ${e.period} that ` +
          `no hold explains`,
      );
    else if (e.unexplained > 0)
      failures.push(
        `${e.binding} (${e.rule}): ${e.unexplained} row` +
          `${e.unexplained === 1 ? "" : "s"} older than ${e.period} that no hold or ` +
          `exception explains (oldest ${e.oldest?.slice(0, 10)}, ${e.oldestDays} days)`,
      );
  }
  const ok = failures.length === 0;
  await appendAudit(
    ctx.store,
    {
      actor: options.actor ?? "retention",
      action: "retention.verified",
      subject: options.rule ?? "all",
      data: {
        ok,
        failures,
        checked: entries.map((e) => ({
          binding: e.binding,
          rule: e.rule,
          due: e.due,
          unexplained: e.unexplained,
          oldest: e.oldest,
        })),
      },
    },
    ctx.clock(),
  );
  return { ok, entries, failures };
}

/** What the last full promise check found: when, by whom, and how many bindings held rows past their limit. */
export interface RetentionCheck {
  at: string;
  actor: string;
  ok: boolean;
  /** Bindings checked. */
  checked: number;
  /** Bindings holding rows older than their limit that no hold or exception explains. */
  failing: number;
  /** Bindings whose system could not be read: they prove nothing. */
  unreachable: number;
}

/**
 * The last check of every binding (`pledge retention verify`, the daily scheduled check, the console's button), from
 * the audit log it wrote; undefined when none ever ran. Reads no connector: the console's home page counts from it.
 */
export async function lastRetentionCheck(store: Store): Promise<RetentionCheck | undefined> {
  // An entry waits in the pending queue for moments before it is chained: one there is newer than any in the log.
  // Both are read, not chained here, so that a page view writes nothing.
  const pending = await store.db
    .selectFrom("audit_pending")
    .select(["at", "actor", "data"])
    .where("action", "=", "retention.verified")
    .where("subject", "=", "all")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  const row =
    pending ??
    (await store.db
      .selectFrom("audit_log")
      .select(["at", "actor", "data"])
      .where("action", "=", "retention.verified")
      .where("subject", "=", "all")
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst());
  if (!row) return undefined;
  const d = JSON.parse(row.data) as { ok: boolean; failures: string[]; checked: { unexplained: number }[] };
  return {
    at: row.at,
    actor: row.actor,
    ok: d.ok,
    checked: d.checked.length,
    failing: d.checked.filter((c) => c.unexplained > 0).length,
    unreachable: d.failures.filter((f) => f.includes(": not verified: ")).length,
  };
}

/** A finished sweep as the console reports it after the redirect: what it changed, and what holds kept. */
export interface SweepRunSummary {
  id: number;
  binding: string;
  status: string;
  finishedAt: string | null;
  deleted: number;
  masked: number;
  blocked: number;
  held: number;
}

/** A sweep run by its id, or undefined. */
export async function sweepRun(store: Store, id: number): Promise<SweepRunSummary | undefined> {
  const r = await store.db.selectFrom("retention_runs").selectAll().where("id", "=", id).executeTakeFirst();
  if (!r) return undefined;
  const k = JSON.parse(r.counts) as {
    deleted?: number;
    masked?: number;
    blocked?: number;
    held?: Record<string, number>;
  };
  return {
    id: r.id,
    binding: r.binding,
    status: r.status,
    finishedAt: r.finished_at,
    deleted: k.deleted ?? 0,
    masked: k.masked ?? 0,
    blocked: k.blocked ?? 0,
    held: Object.values(k.held ?? {}).reduce((a, n) => a + n, 0),
  };
}
