/**
 * What the store knows of each binding's sweeps, read without touching the
 * organization's systems: for `/metrics` and the console's charts.
 */
import { bindingsOf, periodMs, type RetentionContext } from "./model.js";

export interface RetentionStat {
  binding: string;
  rule: string;
  system: string;
  dataset: string;
  action: string;
  period: string;
  limitSeconds: number;
  /** After the last sweep: the oldest covered row's clock, and the due rows left (kept and held among them). */
  oldest: string | null;
  remaining: number | null;
  lastSweep: string | null;
  totals: { deleted: number; masked: number; blocked: number; held: number };
  /** Rows changed per day (deleted + masked + blocked), oldest first, for the last `days` days. */
  daily: { day: string; rows: number }[];
}

/** Each binding's sweep history from the store. */
export async function retentionStats(ctx: RetentionContext, options: { days?: number } = {}): Promise<RetentionStat[]> {
  const days = options.days ?? 30;
  const now = ctx.clock();
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const runs = await ctx.store.db
    .selectFrom("retention_runs")
    .select(["binding", "status", "finished_at", "counts"])
    .where("status", "=", "done")
    .orderBy("id")
    .execute();
  return bindingsOf(ctx.declaration()).map((b) => {
    const mine = runs.filter((r) => r.binding === b.id);
    const last = mine[mine.length - 1];
    const lastCounts = last ? (JSON.parse(last.counts) as { oldest?: string | null; remaining?: number }) : undefined;
    const totals = { deleted: 0, masked: 0, blocked: 0, held: 0 };
    const perDay = new Map<string, number>();
    for (const r of mine) {
      const k = JSON.parse(r.counts) as {
        deleted: number;
        masked: number;
        blocked: number;
        held: Record<string, number>;
      };
      totals.deleted += k.deleted;
      totals.masked += k.masked;
      totals.blocked += k.blocked;
      totals.held += Object.values(k.held ?? {}).reduce((a, n) => a + n, 0);
      if (r.finished_at && r.finished_at >= since)
        perDay.set(
          r.finished_at.slice(0, 10),
          (perDay.get(r.finished_at.slice(0, 10)) ?? 0) + k.deleted + k.masked + k.blocked,
        );
    }
    const daily = Array.from({ length: days }, (_, i) =>
      new Date(now.getTime() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
    ).map((day) => ({ day, rows: perDay.get(day) ?? 0 }));
    return {
      binding: b.id,
      rule: b.ruleId,
      system: b.system,
      dataset: b.dataset,
      action: b.rule.action,
      period: b.rule.period,
      limitSeconds: Math.round(periodMs(b.rule.period) / 1000),
      oldest: lastCounts?.oldest ?? null,
      remaining: lastCounts?.remaining ?? null,
      lastSweep: last?.finished_at ?? null,
      totals,
      daily,
    };
  });
}
