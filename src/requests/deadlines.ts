/** Legal deadlines of rights requests, from the one legal table (declaration/law.ts). */
import {
  OPT_OUT_CLOCK_RIGHTS,
  REGIMES,
  addDeadline,
  regimeFor,
  type DeadlineRule,
  type RegimeId,
} from "../declaration/index.js";
import { RequestError } from "./model.js";

/**
 * The regime of a jurisdiction. A code the law table does not know is refused:
 * a person's request never silently gets another law's deadline.
 *
 * @throws RequestError REQUEST_INVALID
 */
export function regimeOf(jurisdiction: string): RegimeId {
  const r = regimeFor(jurisdiction);
  if (!r)
    throw new RequestError("REQUEST_INVALID", `jurisdiction: '${jurisdiction}' is not a place whose law Pledge knows`);
  return r;
}

/** Rights with the short clock of an opt-out (11 CCR § 7026(f), § 7027(g)). */
const OPT_OUT_RIGHTS: ReadonlySet<string> = new Set(OPT_OUT_CLOCK_RIGHTS);

/** The clock of a right under a regime: the opt-out clock for opt-outs where the law has one, else the general one. */
export function deadlineRule(regime: RegimeId, right?: string): DeadlineRule {
  const r = REGIMES[regime];
  return right && OPT_OUT_RIGHTS.has(right) && r.optOutDeadline ? r.optOutDeadline : r.deadline;
}

/**
 * When a request is due, counted from receipt: GDPR one calendar month, CCPA 45
 * days (opt-outs 15 business days), Iowa 90 days, LGPD 15 days, PIPEDA and
 * Quebec 30 days; or sooner where the organization promised less.
 */
export function dueDate(regime: RegimeId, received: Date, right?: string, promised?: DeadlineRule): Date {
  const holidays = REGIMES[regime].jurisdictions[0];
  const legal = addDeadline(received, deadlineRule(regime, right), holidays);
  if (!promised) return legal;
  const p = addDeadline(received, promised, holidays);
  return p < legal ? p : legal;
}

/** When the receipt must be confirmed by, where the law sets a clock (CCPA: 10 business days). */
export function receiptDueDate(regime: RegimeId, received: Date): Date | undefined {
  const r = REGIMES[regime].receipt;
  return r ? addDeadline(received, r, REGIMES[regime].jurisdictions[0]) : undefined;
}

/**
 * The latest the deadline may be extended to, or undefined when the law allows
 * none (Quebec, LGPD, opt-outs). `requested` shortens it: staff choose the
 * length, up to the law's maximum.
 */
export function extendedDueDate(
  regime: RegimeId,
  due: Date,
  right?: string,
  requested?: DeadlineRule,
): Date | undefined {
  const r = REGIMES[regime];
  if (right && OPT_OUT_RIGHTS.has(right) && r.optOutDeadline) return undefined;
  // FADO Art 18(2): no cap; the person is told the new date.
  if (!r.extension) return r.extensionReason === "date_given" && requested ? addDeadline(due, requested) : undefined;
  const max = addDeadline(due, r.extension);
  if (!requested) return max;
  const asked = addDeadline(due, requested);
  return asked < max ? asked : max;
}

/** When an appeal must be answered, where the regime provides one. */
export function appealDueDate(regime: RegimeId, appealed: Date): Date | undefined {
  const a = REGIMES[regime].appeal;
  return a ? addDeadline(appealed, a) : undefined;
}

export type Urgency = "overdue" | "due_soon" | "on_time";

/** Whole days until the deadline (negative when late). */
export function daysLeft(due: Date, now: Date): number {
  return Math.ceil((due.getTime() - now.getTime()) / 86_400_000);
}

/** Open requests within 7 days of their deadline are flagged; late ones are overdue. */
export function urgencyOf(due: Date, now: Date): Urgency {
  const d = daysLeft(due, now);
  return d < 0 ? "overdue" : d <= 7 ? "due_soon" : "on_time";
}
