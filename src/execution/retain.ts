/**
 * What a retention rule does to rows past their time, besides deleting them
 * (which is erasure's plan, `planErasure`, so ownership and order are one
 * implementation): de-identify them field by field, or keep them blocked.
 */
import type { Declaration } from "../declaration/index.js";
import type { Mutation, Row } from "../connectors/index.js";
import { datasetTarget, rowKey, rowKeyFields, type SystemCollection } from "./collect.js";
import { retentionMasking } from "./due.js";
import { selectorOf, type ErasureContext, type ErasurePlan, type DatasetErasureReport } from "./erase.js";
import { exceptionEnd, legalExceptionOf, masksField, requiredByException } from "./exceptions.js";
import { maskValue } from "./mask.js";

/**
 * Plans the de-identification (or, with `block`, the blocking) of the rows of
 * a collection: every row of the seeds and of what belongs to them. Fields
 * the law requires (a legal exception) stay intact and blocked until its
 * period ends; held rows are left as they are.
 */
export function planRetentionAction(
  decl: Declaration,
  collection: SystemCollection,
  ruleId: string,
  action: "deidentify" | "block",
  ctx: ErasureContext,
): ErasurePlan {
  const sys = decl.systems[collection.system];
  const rule = decl.retention[ruleId];
  const now = ctx.now ?? new Date();
  const mutations: Mutation[] = [];
  const report: DatasetErasureReport[] = [];
  const blocks: ErasurePlan["blocks"] = [];
  const kept: ErasurePlan["kept"] = {};
  const maskedKeys: ErasurePlan["masked"] = {};
  for (const [did, all] of Object.entries(collection.datasets)) {
    const ds = sys.datasets[did];
    const rows = all.filter((r) => r.own);
    if (!rows.length) continue;
    const ex = legalExceptionOf(decl, ds);
    const target = datasetTarget(did, ds);
    let masked = 0;
    let held = 0;
    const keptFields = new Set<string>();
    for (const { row } of rows) {
      const key = rowKey(ds, row);
      if (ctx.held?.[did]?.has(key)) {
        held++;
        (kept[did] ??= []).push(key);
        continue;
      }
      const end = ex ? exceptionEnd(ex, ds, row, now, ctx.clocks?.[did]?.get(key)) : undefined;
      const within = !!(ex && end && end > now);
      const categories = Object.values(ds.fields)
        .map((f) => f.category)
        .filter((c): c is string => !!c);
      if (action === "block") {
        (kept[did] ??= []).push(key);
        blocks.push({
          dataset: did,
          key,
          row,
          until: within ? end!.toISOString() : null,
          reason: within ? ex!.reason : (rule.description ?? `retention rule ${ruleId}`),
          categories: [...new Set(categories)],
        });
        continue;
      }
      const set: Row = {};
      const intact: string[] = [];
      for (const [fname, f] of Object.entries(ds.fields)) {
        if (!masksField(f) || !(fname in row)) continue;
        const strategy = within && requiredByException(ex!, f.category) ? "keep" : retentionMasking(rule, f);
        if (strategy === "keep") {
          keptFields.add(fname);
          if (within && f.category) intact.push(f.category);
          continue;
        }
        const v = maskValue(strategy, row[fname], {
          key: ctx.key,
          fixed: f.maskValue,
          column: ctx.columns?.[did]?.get(fname),
        });
        if (v !== row[fname]) set[fname] = v;
      }
      if (Object.keys(set).length) {
        for (const where of selectorOf(ds, [row])) mutations.push({ kind: "update", dataset: target, where, set });
        masked++;
      }
      // Rows without a primary key are known by their content: the block names the row as it stays.
      const stayingKey = rowKeyFields(ds, row).some((f) => f in set) ? rowKey(ds, { ...row, ...set }) : key;
      (kept[did] ??= []).push(stayingKey);
      if (Object.keys(set).length) (maskedKeys[did] ??= []).push(stayingKey);
      if (within)
        blocks.push({
          dataset: did,
          key: stayingKey,
          row,
          until: end!.toISOString(),
          reason: ex!.reason,
          categories: [...new Set(intact)],
        });
    }
    report.push({
      dataset: did,
      found: rows.length,
      deleted: 0,
      masked,
      unchanged: rows.length - masked,
      kept: [
        ...(held ? [{ kind: "legal_hold" as const, why: "under a legal hold", rows: held }] : []),
        ...(action === "block"
          ? [
              {
                kind: "retention" as const,
                why: `kept and blocked: ${rule.description ?? ruleId}`,
                rows: rows.length - held,
              },
            ]
          : []),
      ],
      keptFields: [...keptFields],
      notMatched: all.length - rows.length,
    });
  }
  return { system: collection.system, mutations, report, blocks, kept, masked: maskedKeys };
}
