/**
 * How retention rules bind to data: each dataset names its rule, where the
 * rule's clock starts (a timestamp field, the latest of several, or a field of
 * the row it belongs to, reached up owner references), and which rows it
 * covers. Resolving a binding gives the chain of references a sweep joins and
 * every field it reads, or says why it cannot be bound.
 */
import type { DatasetGraph, DatasetEdge } from "./graph.js";
import { buildDatasetGraph } from "./graph.js";
import { EEA_COUNTRIES } from "./law.js";
import {
  isStoreConnector,
  type Dataset,
  type Declaration,
  type RetentionBinding,
  type RetentionRule,
} from "./schema.js";

/** A dataset's retention bindings, whether declared as a rule id, in full, or as a list. */
export function retentionBindings(ds: Dataset): RetentionBinding[] {
  if (!ds.retention) return [];
  return typeof ds.retention === "string"
    ? [{ rule: ds.retention }]
    : Array.isArray(ds.retention)
      ? ds.retention
      : [ds.retention];
}

/** A dataset's first retention binding: the one whose legal exception and clock govern rows kept past their time. */
export function retentionBinding(ds: Dataset): RetentionBinding | undefined {
  return retentionBindings(ds)[0];
}

/** The id of a dataset's (first) retention rule, if it has one. */
export function retentionRuleOf(ds: Dataset): string | undefined {
  return retentionBinding(ds)?.rule;
}

/** A field a binding reads: on the dataset itself (`step` 0) or on the row `step` owner references up. */
export interface BoundField {
  step: number;
  dataset: string;
  field: string;
  /**
   * The latest of `field` over the rows of `dataset` that belong to the row (a customer's invoices): the owner
   * references from `dataset` up to the binding's dataset, in order.
   */
  latest?: DatasetEdge[];
}

/** A clock entry of a binding: a field, or the latest of a field of the rows that belong to it. */
export type ClockEntry = string | { latest: string };

/** A binding's clock entries as a list. */
export function clockEntries(b: { clock?: ClockEntry | ClockEntry[] }): ClockEntry[] {
  return b.clock === undefined ? [] : Array.isArray(b.clock) ? b.clock : [b.clock];
}

/** A retention rule bound to one dataset, ready for a sweep. */
export interface ResolvedBinding {
  /** `system.dataset/rule`, the binding's id in plans, metrics and the audit log. */
  id: string;
  ruleId: string;
  rule: RetentionRule;
  system: string;
  dataset: string;
  /** The owner references from the dataset up to the rows its clock or conditions read, in order. */
  joins: DatasetEdge[];
  /** The clock: the latest of these fields. Empty when the rule runs from the system's obsolescence date. */
  clock: BoundField[];
  /** Rows covered: each field holds one of the values. */
  where: { field: BoundField; values: (string | number | boolean)[] }[];
  /** For rules limited to jurisdictions: the field with the person's country, and the codes it may hold. */
  country?: { field: BoundField; codes: string[] };
}

/** A binding that cannot be resolved, with where and why. */
export interface BindingProblem {
  path: (string | number)[];
  message: string;
}

/** The country codes a jurisdiction covers, as a country field holds them (EU → its member states). */
export function countryCodes(jurisdiction: string): string[] {
  if (jurisdiction === "EEA") return [...EEA_COUNTRIES];
  if (jurisdiction === "EU") return [...EEA_COUNTRIES].filter((c) => !["IS", "LI", "NO"].includes(c));
  if (jurisdiction === "UK") return ["GB", "UK"];
  return [jurisdiction];
}

/** The owner-reference chain from `from` up to `to` within one system (shortest; undefined if none). */
function ownerChain(graph: DatasetGraph, system: string, from: string, to: string): DatasetEdge[] | undefined {
  const start = `${system}.${from}`;
  const goal = `${system}.${to}`;
  const queue: { key: string; via: DatasetEdge[] }[] = [{ key: start, via: [] }];
  const seen = new Set([start]);
  while (queue.length) {
    const cur = queue.shift()!;
    if (cur.key === goal) return cur.via;
    for (const e of graph.edges) {
      if (e.from !== cur.key || e.relation !== "owner" || e.crossSystem || e.from === e.to || seen.has(e.to)) continue;
      seen.add(e.to);
      queue.push({ key: e.to, via: [...cur.via, e] });
    }
  }
  return undefined;
}

/**
 * Resolves every dataset's retention binding. What cannot be bound (a clock
 * field the dataset does not declare, a related row no owner reference
 * reaches, a rule that needs a clock and has none) is a problem, located.
 */
export function resolveBindings(
  decl: Declaration,
  graph: DatasetGraph = buildDatasetGraph(decl),
): { bindings: ResolvedBinding[]; problems: BindingProblem[] } {
  const bindings: ResolvedBinding[] = [];
  const problems: BindingProblem[] = [];
  for (const [sid, sys] of Object.entries(decl.systems)) {
    for (const [did, ds] of Object.entries(sys.datasets)) {
      const list = retentionBindings(ds);
      for (const [bi, b] of list.entries()) {
        const rule = decl.retention[b.rule];
        if (!rule) continue; // an unknown rule is a reference error already
        const base: (string | number)[] = Array.isArray(ds.retention)
          ? ["systems", sid, "datasets", did, "retention", bi]
          : ["systems", sid, "datasets", did, "retention"];
        const path = typeof ds.retention === "string" ? base : [...base, "clock"];
        if (!isStoreConnector(sys.connector)) continue;
        let joins: DatasetEdge[] = [];
        let ok = true;
        /** Whether `dataset.field` is declared; a problem at `at` when it is not. */
        const declared = (dname: string, fname: string, at: (string | number)[]): boolean => {
          const target = sys.datasets[dname];
          if (!target) problems.push({ path: at, message: `no dataset '${dname}' in system ${sid}` });
          else if (!(fname in target.fields))
            problems.push({
              path: at,
              message: `${dname} declares no field '${fname}' (declare it under fields to use it here)`,
            });
          return !!target && fname in target.fields;
        };
        const sqlSystem = ["postgres", "mysql", "sqlite"].includes(sys.connector.engine);
        /** Resolves `field` or `dataset.field` onto the one chain of joins. */
        const bind = (ref: string, at: (string | number)[]): BoundField | undefined => {
          const [dname, fname] = ref.includes(".") ? ref.split(".") : [did, ref];
          if (!declared(dname, fname, at)) return undefined;
          if (dname === did) return { step: 0, dataset: did, field: fname };
          if (!sqlSystem) {
            problems.push({
              path: at,
              message:
                `a clock or condition on a related row (${ref}) needs a SQL system, where rows ` +
                `can be joined; ${sid} is ${sys.connector!.engine}`,
            });
            return undefined;
          }
          const chain = ownerChain(graph, sid, did, dname);
          if (!chain) {
            problems.push({
              path: at,
              message:
                `no owner reference leads from ${did} up to ${dname}, so its rows cannot say ` +
                `whose ${dname} row governs them`,
            });
            return undefined;
          }
          // Every related field must lie on one chain: the sweep joins it once.
          const longer = chain.length > joins.length ? chain : joins;
          const shorter = chain.length > joins.length ? joins : chain;
          if (shorter.some((e, i) => e !== longer[i])) {
            problems.push({
              path: at,
              message:
                `${ref} is reached by another chain of references than the binding's other ` +
                `fields; bind fields of one chain`,
            });
            return undefined;
          }
          joins = longer;
          return { step: chain.length, dataset: dname, field: fname };
        };
        const clockRefs = clockEntries(b);
        const clock: BoundField[] = [];
        /** The latest of a field of the rows that belong to this one, reached down owner references. */
        const latest = (ref: string, at: (string | number)[]): BoundField | undefined => {
          const [dname, fname] = ref.split(".");
          if (!declared(dname, fname, at)) return undefined;
          if (!sqlSystem) {
            problems.push({
              path: at,
              message:
                `a clock read from the rows that belong to this one (${ref}) needs a SQL system; ` +
                `${sid} is ${sys.connector!.engine}`,
            });
            return undefined;
          }
          const chain = dname === did ? undefined : ownerChain(graph, sid, dname, did);
          if (!chain) {
            problems.push({
              path: at,
              message: `no owner reference leads from ${dname} up to ${did}: its rows do not belong to ${did}'s rows`,
            });
            return undefined;
          }
          return { step: 0, dataset: dname, field: fname, latest: chain };
        };
        const single = !Array.isArray(b.clock);
        clockRefs.forEach((r, i) => {
          const at = single ? path : [...path, i];
          const f = typeof r === "string" ? bind(r, at) : latest(r.latest, [...at, "latest"]);
          if (f) clock.push(f);
          else ok = false;
        });
        // Redis keys without a clock field still expire: the rule's period becomes each key's TTL.
        if (
          !clockRefs.length &&
          rule.from !== "system_obsolescence" &&
          rule.period !== "indefinite" &&
          sys.connector.engine !== "redis"
        ) {
          problems.push({
            path,
            message:
              `rule '${b.rule}' runs from ${rule.from.replace(/_/g, " ")}: say which field ` +
              `holds that moment (retention: { rule: ${b.rule}, clock: <field> })`,
          });
          ok = false;
        }
        const where: ResolvedBinding["where"] = [];
        for (const [ref, v] of Object.entries(b.where ?? {})) {
          const f = bind(ref, [...base, "where", ref]);
          if (f) where.push({ field: f, values: Array.isArray(v) ? v : [v] });
          else ok = false;
        }
        let country: ResolvedBinding["country"];
        if (rule.jurisdictions?.length) {
          if (!b.countryField) {
            problems.push({
              path: base,
              message:
                `rule '${b.rule}' applies only in ${rule.jurisdictions.join(", ")}: name the ` +
                `field with the person's country (countryField)`,
            });
            ok = false;
          } else {
            const f = bind(b.countryField, [...base, "countryField"]);
            if (f) country = { field: f, codes: [...new Set(rule.jurisdictions.flatMap(countryCodes))] };
            else ok = false;
          }
        }
        if (!ok || rule.period === "indefinite") continue;
        if (list.filter((x) => x.rule === b.rule).length > 1) {
          problems.push({ path: base, message: `rule '${b.rule}' is bound to ${did} twice` });
          continue;
        }
        bindings.push({
          id: `${sid}.${did}/${b.rule}`,
          ruleId: b.rule,
          rule,
          system: sid,
          dataset: did,
          joins,
          clock,
          where,
          ...(country ? { country } : {}),
        });
      }
    }
  }
  return { bindings, problems };
}
