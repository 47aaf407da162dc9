/** A request's clocks as the store answers them: which requests are open, and the deadline in force. */
import { sql } from "kysely";
import { CLOSED_STATUSES, REQUEST_STATUSES } from "./model.js";

export const closedSql = sql`status in (${sql.join([...CLOSED_STATUSES])})`;
/** Open statuses, listed (not "not closed"), so that the status index serves them. */
export const openSql = sql`status in (${sql.join(REQUEST_STATUSES.filter((st) => !CLOSED_STATUSES.includes(st)))})`;
/** A clock runs for a request that is not closed and not waiting for its code (no request exists until then). */
export const clockRunsSql = sql<boolean>`not ${closedSql} and status <> 'unverified'`;
/** The deadline in force: an appeal's while it is appealed, else the extended one, else the first. */
export const effectiveDue = sql<string>`coalesce(case when status = 'appealed' then appeal_due_at end, extended_due_at,
  due_at)`;

/** The same deadline for a stored row. */
export function dueInForce(r: {
  status: string;
  due_at: string;
  extended_due_at: string | null;
  appeal_due_at: string | null;
}): string {
  return r.status === "appealed" && r.appeal_due_at ? r.appeal_due_at : (r.extended_due_at ?? r.due_at);
}
