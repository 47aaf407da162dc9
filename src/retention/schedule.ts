/**
 * The retention schedule: each bound rule sweeps on its cron expression (UTC;
 * daily at 03:00 when the rule names none). Every server with a worker runs
 * the schedule; the lease in the store lets one of them sweep a binding at a
 * time, and the others skip it.
 */
import { Cron } from "croner";
import { sweepBinding, type SweepReport } from "./sweep.js";
import { sweepOwnData } from "./own-data.js";
import { bindingsOf, type RetentionContext } from "./model.js";
import { verifyRetention } from "./plan.js";

/** The schedule of a rule when it declares none. */
export const DEFAULT_SCHEDULE = "0 3 * * *";
/** The daily promise check of every binding (UTC), after the default sweeps. */
export const VERIFY_SCHEDULE = "30 5 * * *";

/** When Pledge's own data is swept: hourly. */
export const OWN_DATA_SCHEDULE = "17 * * * *";

/** Whether a cron expression is one the scheduler runs; the error says why not. */
export function checkSchedule(expr: string): string | undefined {
  try {
    new Cron(expr, { paused: true, timezone: "UTC" }).stop();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** When each binding sweeps next. */
export function nextSweeps(ctx: RetentionContext): { binding: string; schedule: string; next: string | null }[] {
  return bindingsOf(ctx.declaration()).map((b) => {
    const schedule = b.rule.schedule ?? DEFAULT_SCHEDULE;
    const c = new Cron(schedule, { paused: true, timezone: "UTC" });
    const next = c.nextRun(ctx.clock());
    c.stop();
    return { binding: b.id, schedule, next: next?.toISOString() ?? null };
  });
}

/**
 * Starts the schedule; returns the function that stops it.
 *
 * ```ts
 * const stop = startRetentionSchedule(ctx, { onReport: (r) => log.info(r), onError: (b, err) => log.error(err) });
 * ```
 */
export function startRetentionSchedule(
  ctx: RetentionContext,
  hooks: { onReport?: (r: SweepReport) => void; onError?: (binding: string, err: unknown) => void } = {},
): () => void {
  const jobs = bindingsOf(ctx.declaration()).map((b) => {
    let running = false;
    return new Cron(b.rule.schedule ?? DEFAULT_SCHEDULE, { timezone: "UTC", protect: true, unref: true }, async () => {
      if (running) return;
      running = true;
      try {
        const r = await sweepBinding(ctx, b, { trigger: "schedule", actor: "schedule" });
        if (!r.skipped) hooks.onReport?.(r);
      } catch (err) {
        hooks.onError?.(b.id, err);
      } finally {
        running = false;
      }
    });
  });
  // The promise check of every binding, daily after the default sweeps: the console's home page counts from its
  // record in the audit log instead of reading every system on each visit.
  let verifying = false;
  jobs.push(
    new Cron(VERIFY_SCHEDULE, { timezone: "UTC", protect: true, unref: true }, async () => {
      if (verifying) return;
      verifying = true;
      try {
        await verifyRetention(ctx, { actor: "schedule" });
      } catch (err) {
        hooks.onError?.("verify", err);
      } finally {
        verifying = false;
      }
    }),
  );
  // Pledge's own data (sessions, codes, consent proof, outbox, exports): hourly; deleting what is due twice deletes
  // nothing more.
  let ownRunning = false;
  jobs.push(
    new Cron(OWN_DATA_SCHEDULE, { timezone: "UTC", protect: true, unref: true }, async () => {
      if (ownRunning) return;
      ownRunning = true;
      try {
        await sweepOwnData(ctx, ctx.clock());
      } catch (err) {
        hooks.onError?.("pledge", err);
      } finally {
        ownRunning = false;
      }
    }),
  );
  return () => jobs.forEach((j) => j.stop());
}
