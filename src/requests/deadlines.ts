/** Legal deadlines of rights requests, from the one legal table (declaration/law.ts). */
import { REGIMES, addDuration, regimeFor, type RegimeId } from "../declaration/index.js";

function addRule(from: Date, rule: { amount: number; unit: "days" | "months" | "business_days" }): Date {
  if (rule.unit === "business_days") {
    const d = new Date(from.getTime());
    let left = rule.amount;
    while (left > 0) {
      d.setUTCDate(d.getUTCDate() + 1);
      const wd = d.getUTCDay();
      if (wd !== 0 && wd !== 6) left--;
    }
    return d;
  }
  return addDuration(from, { amount: rule.amount, unit: rule.unit === "months" ? "month" : "day" });
}

/** The regime of a jurisdiction, falling back to the declaration's default, then the GDPR. */
export function regimeOf(jurisdiction: string, fallback?: string): RegimeId {
  return regimeFor(jurisdiction) ?? (fallback ? regimeFor(fallback) : undefined) ?? "gdpr";
}

/**
 * When a request is due: GDPR Art 12(3) one month, CCPA 45 days, LGPD 15 days,
 * PIPEDA 30 days, VCDPA/CPA 45 days — counted from receipt.
 */
export function dueDate(regime: RegimeId, received: Date): Date {
  return addRule(received, REGIMES[regime].deadline);
}

/** The latest the deadline may be extended to, or undefined when the law allows none (LGPD). */
export function extendedDueDate(regime: RegimeId, due: Date): Date | undefined {
  const ext = REGIMES[regime].extension;
  return ext ? addRule(due, ext) : undefined;
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
