/**
 * Legal exceptions to erasure and retention: what a retention rule's exception keeps (an invoice for tax law), from
 * which clock, and until when. Shared by erasure, retention's own actions and their queries.
 */
import {
  addDuration,
  categoryWithin,
  clockEntries,
  parseDuration,
  retentionBinding,
  type Dataset,
  type Declaration,
} from "../declaration/index.js";
import { parseClock, type Row } from "../connectors/index.js";

/**
 * A retention rule's legal exception on a dataset: what the law requires kept, why, and for how long from the row's
 * clock.
 */
export interface LegalException {
  rule: string;
  reason: string;
  /** The categories the law requires; when empty, the fields marked `masking: keep`. */
  categories: string[];
  period: string;
}

/**
 * Why rows of a dataset must stay, if they must: a retention rule's exception for a legal obligation or legal claims.
 */
export function legalExceptionOf(decl: Declaration, ds: Dataset): LegalException | undefined {
  const b = retentionBinding(ds);
  const rule = b ? decl.retention[b.rule] : undefined;
  const ex = rule?.exceptions.find((e) => e.basis === "legal_obligation" || e.basis === "legal_claims");
  if (!rule || !ex) return undefined;
  const period = ex.period ?? (rule.period !== "indefinite" ? rule.period : undefined);
  return period ? { rule: b!.rule, reason: ex.reason, categories: ex.dataCategories, period } : undefined;
}

/** The latest of a row's own clock fields (the binding's fields of the row itself), if any is set. */
export function ownClock(ds: Dataset, row: Row): Date | undefined {
  const b = retentionBinding(ds);
  const fields = b ? clockEntries(b).filter((f): f is string => typeof f === "string" && !f.includes(".")) : [];
  let latest: Date | undefined;
  for (const f of fields) {
    const d = parseClock(row[f]);
    if (d && (!latest || d > latest)) latest = d;
  }
  return latest;
}

/**
 * When a row kept under a legal exception may go: its clock plus the legal period. The clock is `clock` when the
 * caller read it as the sweep does (`rowClocks`), else the row's own clock fields, else now.
 */
export function exceptionEnd(ex: LegalException, ds: Dataset, row: Row, now: Date, clock?: Date): Date {
  const d = parseDuration(ex.period)!;
  return addDuration(clock ?? ownClock(ds, row) ?? now, d);
}

/**
 * Whether a field stays intact under an exception: its category is one the law requires. An exception that names no
 * categories keeps only the fields marked `masking: keep`.
 */
export function requiredByException(ex: LegalException, category: string | undefined): boolean {
  return !!category && ex.categories.some((c) => categoryWithin(category, c));
}

/**
 * Whether erasure and de-identification change a field of a row that stays: it holds personal data (a category), or
 * its declaration asks for masking in so many words (`masking: "null"` on a hire date with no category). Keys never
 * change, so references hold.
 */
export function masksField(f: {
  category?: string;
  masking?: string;
  primaryKey?: boolean;
  references?: string;
  personal?: boolean;
}): boolean {
  if (f.primaryKey || f.references || f.personal === false) return false;
  return !!f.category || (!!f.masking && f.masking !== "keep");
}
