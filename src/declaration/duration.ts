import { createRequire } from "node:module";
import type HolidaysType from "date-holidays";
import { DURATION_PATTERN } from "./schema.js";
import type { DeadlineRule } from "./law.js";

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

/** A declared duration as a legal clock: weeks in days, years in months (`1 year` → 12 calendar months). */
export function durationRule(d: ParsedDuration): DeadlineRule {
  const unitOf: Record<DurationUnit, DeadlineRule["unit"]> = {
    hour: "hours",
    day: "days",
    week: "days",
    month: "months",
    year: "months",
  };
  return {
    amount: d.unit === "week" ? d.amount * 7 : d.unit === "year" ? d.amount * 12 : d.amount,
    unit: unitOf[d.unit],
  };
}

/** A legal clock in words, singular where it is one (`1 month`, `45 days`, `15 business days`, `72 hours`). */
export function formatRule(rule: DeadlineRule): string {
  const unit = { days: "day", months: "month", business_days: "business day", hours: "hour" }[rule.unit];
  return `${rule.amount} ${unit}${rule.amount === 1 ? "" : "s"}`;
}

/** Adds business days: weekends are skipped (public holidays are not modelled). */
/**
 * Adds business days: weekends are skipped, and so are the public holidays of `jurisdiction` (`US-CA`, `BR`), from
 * the maintained `date-holidays` calendar. Without a jurisdiction only weekends are skipped.
 */
export function addBusinessDays(from: Date, amount: number, jurisdiction?: string): Date {
  const d = new Date(from.getTime());
  let left = amount;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6 && !isPublicHoliday(d, jurisdiction)) left--;
  }
  return d;
}

type Holidays = HolidaysType;
/** The calendar library, loaded at the first business-day clock with a place: it costs ~80 ms, at no one's start-up. */
let HolidaysLib: typeof HolidaysType | undefined;
const holidaysLib = () => (HolidaysLib ??= createRequire(import.meta.url)("date-holidays") as typeof HolidaysType);

const calendars = new Map<string, Holidays | null>();
const holidayDates = new Map<string, Set<string>>();

/** Whether the day (its UTC date) is a public holiday in the jurisdiction (`US-CA` → the US and California's own). */
export function isPublicHoliday(day: Date, jurisdiction: string | undefined): boolean {
  if (!jurisdiction) return false;
  const [country, region] = jurisdiction.split("-");
  let cal = calendars.get(jurisdiction);
  if (cal === undefined) {
    // A region the calendar does not know counts the country's holidays; a country it does not know, none.
    const Holidays = holidaysLib();
    const states = new Holidays().getStates(country);
    cal = !new Holidays().getCountries()[country]
      ? null
      : region && states?.[region]
        ? new Holidays(country, region)
        : new Holidays(country);
    calendars.set(jurisdiction, cal);
  }
  if (!cal) return false;
  const year = day.getUTCFullYear();
  const key = `${jurisdiction}:${year}`;
  let dates = holidayDates.get(key);
  if (!dates) {
    dates = new Set(
      cal
        .getHolidays(year)
        .filter((x) => x.type === "public")
        .map((x) => x.date.slice(0, 10)),
    );
    holidayDates.set(key, dates);
  }
  return dates.has(day.toISOString().slice(0, 10));
}

/** Adds a legal clock to a date: hours, calendar days, calendar months (EDPB Guidelines 01/2022) or business days. */
export function addDeadline(from: Date, rule: DeadlineRule, jurisdiction?: string): Date {
  switch (rule.unit) {
    case "business_days":
      return addBusinessDays(from, rule.amount, jurisdiction);
    case "hours":
      return addDuration(from, { amount: rule.amount, unit: "hour" });
    case "months":
      return addDuration(from, { amount: rule.amount, unit: "month" });
    case "days":
      return addDuration(from, { amount: rule.amount, unit: "day" });
  }
}

/**
 * Whether a promised duration fits within a legal clock, compared on the
 * calendar: "1 month" fits "1 month" exactly, "30 days" fits "1 month" only
 * where every month has 30 days or more… so it is compared from the worst
 * start (February). Business days are compared as the shortest calendar span
 * they can cover.
 */
export function fitsWithin(promised: ParsedDuration, legal: DeadlineRule): boolean {
  const p = durationRule(promised);
  if (p.unit === legal.unit) return p.amount <= legal.amount;
  // Compare on every start date of a leap and a common year: the promise must never run past the law.
  for (const year of [2023, 2024]) {
    for (let day = 0; day < 366; day++) {
      const start = new Date(Date.UTC(year, 0, 1 + day));
      if (addDeadline(start, p).getTime() > addDeadline(start, legal).getTime()) return false;
    }
  }
  return true;
}

/**
 * Whether a promise is no longer than the law's clock as people read them: "30 days" is not longer than "1 month"
 * (months and years at their average length, as `durationDays` counts them; a business week as 7 days). The request's
 * own deadline is still the earlier of the two on the calendar (`dueDate`), so a February request is never answered
 * after the law's month.
 */
export function notLongerThan(promised: ParsedDuration, legal: DeadlineRule): boolean {
  const perRule: Record<DeadlineRule["unit"], number> = { hours: 1 / 24, days: 1, business_days: 7 / 5, months: 30.44 };
  return durationDays(promised) <= legal.amount * perRule[legal.unit] + 1e-9;
}
