/**
 * What approving a request will do, worked out as the run will work it out and nothing changed: in each system the
 * person's rows found, and for an erasure what is deleted, masked and kept (with the reasons), for a correction each
 * field's value before and after. Staff approve from this page.
 */
import { categoriesOf, categoryName } from "../declaration/index.js";
import {
  type Identities,
  collectSystem,
  mergeIdentities,
  planRectification,
  prepareErasure,
} from "../execution/index.js";
import { loadRow } from "./codes.js";
import { type RequestsContext, RequestError } from "./model.js";
import { correctionsReceived } from "./notify.js";
import { processorName, processorRecipient } from "./processors.js";
import { DATA_RIGHTS, orgKey, processorsAsked, systemsOf, withConnector } from "./runner.js";

/** One dataset of one system in the preview, in the declaration's names. */
export interface DatasetPreview {
  dataset: string;
  name: string;
  found: number;
  deleted: number;
  masked: number;
  kept: number;
  /** Why rows stay (the law, a reference, a hold), as the report would say. */
  reasons: string[];
  /** A correction: each field's current value and the new one, over the rows that hold it. */
  changes: { field: string; label: string; before: string; after: string; rows: number }[];
}

export interface RequestPreview {
  systems: { system: string; name: string; datasets: DatasetPreview[]; error?: string }[];
  /** Systems staff search by hand. */
  manual: string[];
  /** Processors asked to do the same. */
  processors: string[];
}

/**
 * The dry run of a request waiting for approval (or any open one): reads each automated system, writes nothing.
 *
 * @throws RequestError NOT_FOUND for an unknown request
 */
export async function previewRequest(ctx: RequestsContext, id: string): Promise<RequestPreview> {
  const r = await loadRow(ctx, id);
  if (!r) throw new RequestError("NOT_FOUND", `no request ${id}`);
  const decl = ctx.declaration();
  const cats = categoriesOf(decl);
  const { automated, manual } = systemsOf(ctx);
  const out: RequestPreview = {
    systems: [],
    manual: manual.map((s) => decl.systems[s]?.name ?? s),
    processors: [],
  };
  if (!DATA_RIGHTS.has(r.right)) return out;
  const corrections = (JSON.parse(r.details) as { corrections?: Record<string, string> }).corrections ?? {};
  // The processors the run asks; a correction only where the vendor received the corrected data.
  for (const system of processorsAsked(ctx, r.right)) {
    const name = processorName(decl, system);
    const received =
      r.right !== "rectification" ||
      Object.keys(correctionsReceived(decl, processorRecipient(decl, system), corrections)).length > 0;
    out.processors.push(received ? name : `${name} (not asked: it received none of the corrected data)`);
  }
  let identities = JSON.parse(r.identities) as Identities;
  for (const system of automated) {
    const sys = decl.systems[system];
    const entry = {
      system,
      name: sys.name ?? system,
      datasets: [] as DatasetPreview[],
    } as RequestPreview["systems"][0];
    out.systems.push(entry);
    try {
      await withConnector(ctx, system, async (c) => {
        // As the run does: identities found in the person's rows are searched for too.
        let collection = await collectSystem(decl, system, c, identities);
        for (let round = 0; round < 8; round++) {
          const { merged, grew } = mergeIdentities(identities, collection.discovered);
          if (!grew) break;
          identities = merged;
          collection = await collectSystem(decl, system, c, identities);
        }
        const dsName = (d: string) => sys.datasets[d]?.name ?? d;
        const found = (d: string) => (collection.datasets[d] ?? []).filter((x) => x.own).length;
        if (r.right === "erasure") {
          const plan = await prepareErasure(decl, collection, c, { key: await orgKey(ctx), now: ctx.clock() });
          for (const d of plan.report.filter((x) => x.found))
            entry.datasets.push({
              dataset: d.dataset,
              name: dsName(d.dataset),
              found: d.found,
              deleted: d.deleted,
              masked: d.masked,
              kept: d.unchanged,
              reasons: d.kept.map((k) => `${k.rows}: ${k.why}`),
              changes: [],
            });
        } else if (r.right === "rectification") {
          const plan = planRectification(decl, collection, corrections);
          for (const d of plan.report) {
            const ds = sys.datasets[d.dataset];
            const rows = (collection.datasets[d.dataset] ?? []).filter((x) => x.own);
            const changes: DatasetPreview["changes"] = [];
            for (const [field, f] of Object.entries(ds?.fields ?? {})) {
              if (!f.category || corrections[f.category] === undefined || f.primaryKey || f.references) continue;
              const values = new Map<string, number>();
              for (const x of rows)
                if (field in x.row)
                  values.set(String(x.row[field] ?? ""), (values.get(String(x.row[field] ?? "")) ?? 0) + 1);
              for (const [before, n] of values)
                changes.push({
                  field,
                  label: categoryName(f.category, cats),
                  before,
                  after: corrections[f.category],
                  rows: n,
                });
            }
            entry.datasets.push({
              dataset: d.dataset,
              name: dsName(d.dataset),
              found: d.found,
              deleted: 0,
              masked: 0,
              kept: d.found - d.corrected,
              reasons: d.kept.map((k) => `${k.rows}: ${k.why}`),
              changes,
            });
          }
        } else {
          for (const d of Object.keys(collection.datasets).filter((x) => found(x)))
            entry.datasets.push({
              dataset: d,
              name: dsName(d),
              found: found(d),
              deleted: 0,
              masked: 0,
              kept: 0,
              reasons: [],
              changes: [],
            });
        }
      });
    } catch (err) {
      entry.error = (err as Error).message;
    }
  }
  return out;
}
