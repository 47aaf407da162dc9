/**
 * What Pledge keeps of a request, and for how long.
 *
 * While a request runs it holds the person's identities, to search with.
 * When it closes, they are redacted: the values become masked forms, and only
 * their HMACs stay (what legal holds and flags match); a correction keeps the
 * categories it corrected, not the new values. The request record —
 * right, dates, deadline, how the person was verified, counts of what was
 * found and done, the timeline — is the proof of the request, kept for
 * `rights.requestRecords` (24 months by default, 11 CCR § 7101), then deleted.
 * Exports are deleted when they expire; a request never verified is dropped
 * and redacted after `settings.unverifiedTtlMs`.
 */
import { remindAssignees } from "./workbench.js";
import { pruneRateEvents } from "../auth/index.js";
import { addDuration, parseDuration } from "../declaration/index.js";
import { maskEmail, maskIdentity } from "./identities.js";
import type { RequestsContext } from "./model.js";
import { remindProcessors } from "./processors.js";

/**
 * Replaces the person's identity values on a closed request by masked forms,
 * and forgets the identities found on the way; their hashes stay.
 */
export async function redactRequest(ctx: RequestsContext, id: string): Promise<void> {
  const r = await ctx.store.db.selectFrom("requests").selectAll().where("id", "=", id).executeTakeFirst();
  if (!r || r.redacted_at) return;
  // Corrections are the person's new values: the record keeps which categories were corrected, not to what.
  const details = JSON.parse(r.details) as { corrections: Record<string, string>; purposes: string[] };
  const corrections = Object.fromEntries(Object.keys(details.corrections).map((k) => [k, "[redacted]"]));
  await ctx.store.db
    .updateTable("requests")
    .set({
      identity_value: maskIdentity(r.identity_type, r.identity_value),
      contact_email: r.contact_email ? maskEmail(r.contact_email) : "",
      code_to: r.code_to ? maskEmail(r.code_to) : null,
      agent_email: r.agent_email ? maskEmail(r.agent_email) : null,
      name: null,
      identities: "{}",
      identity_forms: null,
      details: JSON.stringify({ ...details, corrections }),
      redacted_at: ctx.clock().toISOString(),
    })
    .where("id", "=", id)
    .execute();
  await ctx.store.db.deleteFrom("verifications").where("request_id", "=", id).execute();
  // A review names rows of people and their masked identities: gone with the rest once the request is closed.
  for (const t of await ctx.store.db
    .selectFrom("request_tasks")
    .select(["id", "result"])
    .where("request_id", "=", id)
    .where("kind", "=", "collect")
    .execute()) {
    const result = t.result ? (JSON.parse(t.result) as Record<string, unknown>) : undefined;
    if (!result || (!result.ambiguous && !result.decisions)) continue;
    const { ambiguous: _a, decisions: _d, ...kept } = result;
    await ctx.store.db
      .updateTable("request_tasks")
      .set({ result: JSON.stringify(kept) })
      .where("id", "=", t.id)
      .execute();
  }
  await ctx.store.scrub();
}

/**
 * Deletes exports — one request's, or every one expired by a time — and scrubs their bytes from the store's files;
 * returns how many.
 */
export async function deleteExports(
  ctx: RequestsContext,
  which: { requestId: string } | { expiredBy: string },
): Promise<number> {
  let q = ctx.store.db.deleteFrom("exports");
  q = "requestId" in which ? q.where("request_id", "=", which.requestId) : q.where("expires_at", "<=", which.expiredBy);
  const n = Number((await q.executeTakeFirst()).numDeletedRows ?? 0);
  if (n) await ctx.store.scrub();
  return n;
}

export interface SweepResult {
  exportsDeleted: number;
  expired: number;
  /** Mail-only processors reminded that their answer is due. */
  reminded: number;
  /** Assignees mailed that a request of theirs is due within three days. */
  assigneesReminded: number;
  recordsDeleted: number;
}

/**
 * Deletes expired exports, drops requests never verified, and deletes request
 * records older than the declaration's `rights.requestRecords`. Every server's
 * worker runs it; it is idempotent.
 */
/** How long a denied request in a state with appeals keeps what it needs to be carried out if appealed. */
export const APPEAL_WINDOW_DAYS = 60;

export async function sweepRequests(ctx: RequestsContext): Promise<SweepResult> {
  const now = ctx.clock();
  const db = ctx.store.db;
  const exportsDeleted = await deleteExports(ctx, { expiredBy: now.toISOString() });
  await pruneRateEvents(ctx.store, new Date(now.getTime() - 86_400_000));

  const stale = await db
    .selectFrom("requests")
    .select("id")
    .where("status", "=", "unverified")
    .where("received_at", "<", new Date(now.getTime() - ctx.settings.unverifiedTtlMs).toISOString())
    .execute();
  for (const { id } of stale) {
    await db
      .updateTable("requests")
      .set({ status: "expired", completed_at: now.toISOString() })
      .where("id", "=", id)
      .where("status", "=", "unverified")
      .execute();
    await db
      .updateTable("request_tasks")
      .set({ status: "skipped", updated_at: now.toISOString() })
      .where("request_id", "=", id)
      .where("status", "in", ["pending", "failed"])
      .execute();
    await redactRequest(ctx, id);
  }

  // A denial that could have been appealed keeps its identities for the appeal window, then is redacted.
  const windowClosed = new Date(now.getTime() - APPEAL_WINDOW_DAYS * 86_400_000).toISOString();
  const unappealed = await db
    .selectFrom("requests")
    .select("id")
    .where("status", "=", "denied")
    .where("redacted_at", "is", null)
    .where("completed_at", "<", windowClosed)
    .execute();
  for (const { id } of unappealed) await redactRequest(ctx, id);

  const keep = parseDuration(ctx.declaration().rights.requestRecords);
  let recordsDeleted = 0;
  if (keep) {
    // Records closed before `cutoff` have been kept as long as the declaration says.
    const cutoff = addDuration(now, { amount: -keep.amount, unit: keep.unit }).toISOString();
    const old = await db
      .selectFrom("requests")
      .select("id")
      .where("completed_at", "is not", null)
      .where("completed_at", "<", cutoff)
      .execute();
    for (const { id } of old) {
      await db.transaction().execute(async (trx) => {
        for (const table of [
          "request_events",
          "request_tasks",
          "request_documents",
          "verifications",
          "exports",
        ] as const)
          await trx.deleteFrom(table).where("request_id", "=", id).execute();
        await trx.deleteFrom("requests").where("id", "=", id).execute();
      });
      recordsDeleted++;
    }
  }
  const reminded = await remindProcessors(ctx);
  const assigneesReminded = await remindAssignees(ctx);
  return { exportsDeleted, expired: stale.length, recordsDeleted, reminded, assigneesReminded };
}
