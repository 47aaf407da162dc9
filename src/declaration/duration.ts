import { DURATION_PATTERN } from "./schema.js";

export type DurationUnit = "hour" | "day" | "week" | "month" | "year";

export interface ParsedDuration {
  amount: number;
  unit: DurationUnit;
}

/**
 * Parses a declaration duration (`14 months`, `24 hours`); `undefined` for `indefinite`.
 *
 * ```ts
 * parseDuration("6 weeks") // { amount: 6, unit: "week" }
 * ```
 */
export function parseDuration(text: string): ParsedDuration | undefined {
  const m = DURATION_PATTERN.exec(text.trim());
  if (!m) return undefined;
  return { amount: Number(m[1]), unit: m[2] as DurationUnit };
}

/** Adds a duration to a date, by calendar for months and years (Jan 31 + 1 month = Feb 28/29). */
export function addDuration(from: Date, d: ParsedDuration): Date {
  const out = new Date(from.getTime());
  switch (d.unit) {
    case "hour":
      out.setUTCHours(out.getUTCHours() + d.amount);
      return out;
    case "day":
      out.setUTCDate(out.getUTCDate() + d.amount);
      return out;
    case "week":
      out.setUTCDate(out.getUTCDate() + 7 * d.amount);
      return out;
    case "month":
    case "year": {
      const months = d.unit === "year" ? 12 * d.amount : d.amount;
      const day = out.getUTCDate();
      out.setUTCDate(1);
      out.setUTCMonth(out.getUTCMonth() + months);
      const last = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
      out.setUTCDate(Math.min(day, last));
      return out;
    }
  }
}

/** An approximate length in days, for comparing durations (a month is 30.44 days). */
export function durationDays(d: ParsedDuration): number {
  const per: Record<DurationUnit, number> = { hour: 1 / 24, day: 1, week: 7, month: 30.44, year: 365.25 };
  return d.amount * per[d.unit];
}
