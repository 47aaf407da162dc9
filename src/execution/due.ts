/**
 * The connector's query for a retention binding (its joins, clock and conditions), and what a de-identified row looks
 * like: one query for the sweep, the dry run and erasure's clocks.
 */
import {
  categoryWithin,
  type Declaration,
  type MaskingStrategy,
  type ResolvedBinding,
  type RetentionRule,
} from "../declaration/index.js";
import type { DueQuery } from "../connectors/index.js";
import { datasetTarget } from "./collect.js";
import { legalExceptionOf, masksField, requiredByException } from "./exceptions.js";

/** A field's masking under a rule: the rule's override for its category, else its own (`null` when it names none). */
export function retentionMasking(
  rule: RetentionRule,
  f: { category?: string; masking?: MaskingStrategy },
): Exclude<MaskingStrategy, "delete_row"> {
  const override = Object.entries(rule.masking ?? {}).find(([c]) => f.category && categoryWithin(f.category, c))?.[1];
  const m = override ?? f.masking ?? "null";
  return m === "delete_row" ? "null" : m;
}

/** The masked value of each field a de-identified row can be recognised by (null or fixed masking). */
export function deidentifiedMarkers(
  decl: Declaration,
  system: string,
  dataset: string,
  rule: RetentionRule,
): { field: string; masked: string | null }[] {
  const ds = decl.systems[system].datasets[dataset];
  const ex = legalExceptionOf(decl, ds);
  return Object.entries(ds.fields)
    .filter(([, f]) => masksField(f) && !(ex && requiredByException(ex, f.category)))
    .map(([name, f]) => ({ name, m: retentionMasking(rule, f), f }))
    .filter((x) => x.m === "null" || x.m === "fixed")
    .map((x) => ({ field: x.name, masked: x.m === "null" ? null : (x.f.maskValue ?? "") }));
}

/**
 * The connector's query for a binding: its joins, clock and conditions, and (for de-identification) only rows not yet
 * masked.
 */
export function dueQuery(decl: Declaration, b: ResolvedBinding): DueQuery {
  const sys = decl.systems[b.system];
  const names = [b.dataset, ...b.joins.map((e) => e.to.slice(b.system.length + 1))];
  const marks = b.rule.action === "deidentify" ? deidentifiedMarkers(decl, b.system, b.dataset, b.rule) : undefined;
  return {
    dataset: datasetTarget(b.dataset, sys.datasets[b.dataset]),
    joins: b.joins.map((e, i) => ({
      dataset: datasetTarget(names[i + 1], sys.datasets[names[i + 1]]),
      from: e.fromField,
      to: e.toField,
    })),
    clock: b.clock.map((c) => ({
      step: c.step,
      field: c.field,
      ...(c.latest
        ? {
            latest: {
              chain: c.latest.map((e) => {
                const name = e.from.slice(b.system.length + 1);
                return { dataset: datasetTarget(name, sys.datasets[name]), from: e.fromField, to: e.toField };
              }),
            },
          }
        : {}),
    })),
    where: [
      ...b.where.map((w) => ({ field: { step: w.field.step, field: w.field.field }, values: w.values })),
      ...(b.country
        ? [
            {
              field: { step: b.country.field.step, field: b.country.field.field },
              values: countryVariants(b.country.codes),
            },
          ]
        : []),
    ],
    ...(marks?.length ? { unmasked: marks } : {}),
  };
}

/** Country codes as data holds them: upper and lower case. */
function countryVariants(codes: string[]): string[] {
  return [...new Set(codes.flatMap((c) => [c, c.toLowerCase()]))];
}
