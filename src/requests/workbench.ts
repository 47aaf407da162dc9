/**
 * Staff's work on requests: who owns each, their reminders, and the actions taken on many at once. The mails name the
 * request by its reference and right, never the person: a console link is enough for staff.
 */
import type { Principal } from "../auth/index.js";
import { RIGHT_INFO, type RightName } from "../declaration/index.js";
import { recordEvent } from "./events.js";
import { type RequestsContext, RequestError } from "./model.js";
import { loadRow } from "./codes.js";
import { clockRunsSql, dueInForce, effectiveDue } from "./clocks.js";

const DAY = 86_400_000;
/** How long before its deadline the assignee is reminded of an open request. */
export const REMINDER_DAYS = 3;

const rightWords = (right: string) => RIGHT_INFO[right as RightName]?.name ?? right;
const dayOf = (iso: string) => iso.slice(0, 10);

/** The staff member a request may be given to: an active account, by email. */
async function staffMember(ctx: RequestsContext, email: string) {
  const u = await ctx.store.db
    .selectFrom("users")
    .select(["email", "name"])
    .where("email", "=", email.trim().toLowerCase())
    .where("disabled", "=", 0)
    .executeTakeFirst();
  if (!u) throw new RequestError("REQUEST_INVALID", `assignee: no active staff account ${email.trim()}`);
  return u;
}

/**
 * Gives requests to a staff member (or to nobody, with `assignee` null), tells the timeline, and mails the assignee
 * the references and deadlines. A request given to the one who has it already is left alone.
 *
 * @returns how many requests changed hands
 * @throws RequestError REQUEST_INVALID for an unknown or disabled assignee, NOT_FOUND for an unknown request
 */
export async function assignRequests(
  ctx: RequestsContext,
  ids: readonly string[],
  assignee: string | null,
  by: Principal,
): Promise<number> {
  const to = assignee ? await staffMember(ctx, assignee) : undefined;
  const changed: { id: string; reference: string; right: string; due: string }[] = [];
  for (const id of ids) {
    const r = await loadRow(ctx, id);
    if (!r) throw new RequestError("NOT_FOUND", `no request ${id}`);
    if ((r.assignee ?? null) === (to?.email ?? null)) continue;
    await ctx.store.db
      .updateTable("requests")
      .set({ assignee: to?.email ?? null, reminded_due: null })
      .where("id", "=", id)
      .execute();
    await recordEvent(
      ctx,
      id,
      `user:${by.user.email}`,
      "assigned",
      to ? `assigned to ${to.name} by ${by.user.name}` : `unassigned by ${by.user.name}`,
    );
    changed.push({
      id,
      reference: r.reference ?? id,
      right: r.right,
      due: dueInForce(r),
    });
  }
  if (to && changed.length) {
    const lines = changed.map(
      (c) => `- ${c.reference}: ${rightWords(c.right)}, due ${dayOf(c.due)}: ${ctx.publicUrl}/admin/requests/${c.id}`,
    );
    await ctx.mailer.send({
      to: to.email,
      subject:
        changed.length === 1
          ? `${changed[0].reference} is yours: ${rightWords(changed[0].right)}, due ${dayOf(changed[0].due)}`
          : `${changed.length} requests are yours`,
      text:
        `${by.user.name} gave you ${changed.length === 1 ? "a request" : `${changed.length} requests`} ` +
        `in ${ctx.declaration().organization.name}'s privacy console:\n\n${lines.join("\n")}\n`,
    });
  }
  return changed.length;
}

/**
 * Mails each assignee once per deadline when an open request of theirs is due within three days (the deadline in
 * force: extended, or an appeal's). Run by the worker's sweep.
 *
 * @returns how many reminders went
 */
export async function remindAssignees(ctx: RequestsContext): Promise<number> {
  const now = ctx.clock().getTime();
  const rows = await ctx.store.db
    .selectFrom("requests")
    .select(["id", "reference", "right", "status", "assignee", "reminded_due", effectiveDue.as("due")])
    .where("assignee", "is not", null)
    .where(clockRunsSql)
    .where(effectiveDue, "<=", new Date(now + REMINDER_DAYS * DAY).toISOString())
    .execute();
  let sent = 0;
  for (const r of rows) {
    if (r.reminded_due === r.due || !r.assignee) continue;
    const late = Date.parse(r.due) < now;
    await ctx.mailer.send({
      to: r.assignee,
      subject: `${r.reference ?? r.id} ${late ? "is overdue" : `is due ${dayOf(r.due)}`}: ${rightWords(r.right)}`,
      text:
        `A request assigned to you ${late ? `was due ${dayOf(r.due)}` : `is due ${dayOf(r.due)}`}.\n\n` +
        `${ctx.publicUrl}/admin/requests/${r.id}\n`,
    });
    await ctx.store.db.updateTable("requests").set({ reminded_due: r.due }).where("id", "=", r.id).execute();
    sent++;
  }
  return sent;
}
