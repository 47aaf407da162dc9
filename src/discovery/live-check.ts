/**
 * The live check (`pledge check --live`): every system is opened read-only
 * through its connector and its real schema compared with the declaration —
 * tables and columns that do not exist, primary keys that differ, foreign keys
 * the declaration does not declare, masks the columns cannot take, identity
 * fields no index serves, and columns of personal datasets nobody declared.
 * Findings have the linter's shape: a rule id, a severity, a location.
 */
import {
  createConnector,
  SQL_ADAPTERS,
  comparedExpression,
  findColumn,
  findTable,
  indexServes,
  type Comparison,
  type Connector,
  type SchemaSnapshot,
  type TableInfo,
} from "../connectors/index.js";
import {
  isStoreConnector,
  buildDatasetGraph,
  fieldMatch,
  parseReference,
  primaryKeyOf,
  type Dataset,
  type Declaration,
  citedArticle,
  type Finding,
  type LawId,
  type Severity,
} from "../declaration/index.js";
import { datasetTarget, legalExceptionOf, maskFits, requiredByException } from "../execution/index.js";

/** What a finding cites where no law the declaration serves applies. */
const PRACTICE = "Pledge: the declaration matches the live schema";

/** Every rule of the live check. */
export const LIVE_RULES = {
  "live-system-unreachable": {
    severity: "error",
    cites: { gdpr: "GDPR Art 12(3)", uk: "UK GDPR Art 12(3)", pledge: PRACTICE },
    summary: "A system cannot be reached, so requests cannot be executed in it.",
  },
  "live-table-missing": {
    severity: "error",
    cites: { gdpr: "GDPR Art 15, 17", uk: "UK GDPR Art 15, 17", pledge: PRACTICE },
    summary: "A declared dataset does not exist in its system.",
  },
  "live-column-missing": {
    severity: "error",
    cites: { gdpr: "GDPR Art 15, 17", uk: "UK GDPR Art 15, 17", pledge: PRACTICE },
    summary: "A declared field is not a column of its table.",
  },
  "live-primary-key-mismatch": {
    severity: "error",
    cites: { gdpr: "GDPR Art 17", uk: "UK GDPR Art 17", pledge: PRACTICE },
    summary: "The declared primary key is not the table's.",
  },
  "live-foreign-key-undeclared": {
    severity: "warning",
    cites: { gdpr: "GDPR Art 17(1)", uk: "UK GDPR Art 17(1)", pledge: PRACTICE },
    summary: "A foreign key in the database that the declaration does not declare, with what it means.",
  },
  "live-mask-null-not-null": {
    severity: "error",
    cites: { gdpr: "GDPR Art 17(3)", uk: "UK GDPR Art 17(3)", pledge: PRACTICE },
    summary: "Null masking on a NOT NULL column: an erasure that must keep the row would fail.",
  },
  "live-mask-misfit": {
    severity: "error",
    cites: { gdpr: "GDPR Art 17(3)", uk: "UK GDPR Art 17(3)", pledge: PRACTICE },
    summary: "A masking strategy that cannot write a value the column takes (type or length).",
  },
  "live-identity-unindexed": {
    severity: "warning",
    cites: { gdpr: "GDPR Art 12(3)", uk: "UK GDPR Art 12(3)", pledge: PRACTICE },
    summary: "No index serves the way an identity field is matched: every request reads the whole table.",
  },
  "live-column-undeclared": {
    severity: "warning",
    cites: { gdpr: "GDPR Art 15(1), 30(1)(c)", uk: "UK GDPR Art 15(1), 30(1)(c)", pledge: PRACTICE },
    summary: "A column of a personal dataset that the declaration does not mention.",
  },
  "live-not-checked": {
    severity: "info",
    cites: { gdpr: "GDPR Art 30(1)", uk: "UK GDPR Art 30(1)", pledge: PRACTICE },
    summary: "A system whose schema cannot be compared (no connector, or keys without a schema).",
  },
} as const satisfies Record<string, { severity: Severity; cites: Partial<Record<LawId, string>>; summary: string }>;

export type LiveRuleId = keyof typeof LIVE_RULES;

export interface LiveCheckOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Told of each system as it is checked, for progress. */
  onSystem?: (system: string, engine: string, datasets: number) => void;
  /** Opens a system (read-only); the connectors' own factory by default. */
  connect?: (system: string) => Connector | undefined;
}

/**
 * Compares the declaration with the live schema of every system.
 *
 * ```ts
 * const findings = await checkLive(decl, { env: process.env });
 * ```
 */
export async function checkLive(decl: Declaration, options: LiveCheckOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (rule: LiveRuleId, path: (string | number)[], message: string) => {
    const r = LIVE_RULES[rule];
    // Only the laws the declaration serves are cited (a declaration serving only Canada cites no GDPR article).
    const article = citedArticle(r.cites, decl.organization.jurisdictions);
    findings.push({ rule, severity: r.severity, article, message, path });
  };
  const mayStay = datasetsThatMayStay(decl);
  for (const [sid, sys] of Object.entries(decl.systems)) {
    const datasets = Object.entries(sys.datasets);
    if (!isStoreConnector(sys.connector)) {
      if (datasets.length)
        add("live-not-checked", ["systems", sid], `${sys.name} has no connector: its schema is not checked`);
      continue;
    }
    options.onSystem?.(sid, sys.connector.engine, datasets.length);
    let connector: Connector | undefined;
    let snapshot: SchemaSnapshot;
    try {
      connector = options.connect
        ? options.connect(sid)
        : createConnector(sid, sys.connector, options.env ?? process.env, options.cwd ?? process.cwd(), {
            readOnly: true,
          });
      if (!connector) continue;
      await connector.ping();
      snapshot = await connector.introspect(datasets.map(([did, ds]) => nameOf(did, ds)));
    } catch (err) {
      add("live-system-unreachable", ["systems", sid, "connector"], `${sys.name}: ${(err as Error).message}`);
      await connector?.close().catch(() => {});
      continue;
    }
    try {
      const adapter = SQL_ADAPTERS[connector.engine];
      for (const [did, ds] of datasets) {
        const base = ["systems", sid, "datasets", did];
        const table = findTable(snapshot, nameOf(did, ds));
        if (!table) {
          if (connector.engine === "redis")
            add(
              "live-not-checked",
              base,
              `no key of ${sid} matches ${nameOf(did, ds)} yet: its fields are not checked`,
            );
          else
            add(
              "live-table-missing",
              base,
              `${sid} has no ${connector.capabilities.tabular ? "table" : "file"} ${nameOf(did, ds)}`,
            );
          continue;
        }
        checkDataset(decl, sid, did, ds, table, {
          add,
          adapter: connector.capabilities.tabular ? adapter : undefined,
          mayStay: mayStay.has(`${sid}.${did}`),
        });
      }
    } finally {
      await connector.close().catch(() => {});
    }
  }
  return findings;
}

/**
 * The datasets whose rows an erasure may have to keep, and so mask: rows a
 * retention rule keeps; rows other rows point at through references that are
 * not followed (a shared detail, a staff row named as actor, a self-reference);
 * rows of datasets of people that references reach without a match; and the
 * rows any of those reference.
 */
function datasetsThatMayStay(decl: Declaration): Set<string> {
  const graph = buildDatasetGraph(decl);
  const out = new Set<string>();
  for (const n of graph.nodes.values()) if (legalExceptionOf(decl, n.def)) out.add(n.key);
  for (const e of graph.edges) {
    if (e.relation !== "owner" || e.from === e.to) out.add(e.to);
    if (Object.keys(graph.nodes.get(e.from)?.identities ?? {}).length) out.add(e.to);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of graph.edges) {
      if (out.has(e.from) && !out.has(e.to)) {
        out.add(e.to);
        grew = true;
      }
    }
  }
  return out;
}

const nameOf = (did: string, ds: Dataset) => datasetTarget(did, ds).name;
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The table and column a declared reference points at, as the engine names them. */
function referenceTarget(decl: Declaration, system: string, ref: string): { name: string; field: string } | undefined {
  const [rs, rd, rf] = parseReference(system, ref);
  const ds = decl.systems[rs]?.datasets[rd];
  return rs === system && ds ? { name: nameOf(rd, ds), field: rf } : undefined;
}

function checkDataset(
  decl: Declaration,
  sid: string,
  did: string,
  ds: Dataset,
  table: TableInfo,
  ctx: {
    add: (rule: LiveRuleId, path: (string | number)[], message: string) => void;
    adapter?: (typeof SQL_ADAPTERS)[string];
    mayStay: boolean;
  },
): void {
  const base = ["systems", sid, "datasets", did];
  const { add, adapter } = ctx;
  const tabular = !!adapter;
  const ex = legalExceptionOf(decl, ds);
  for (const [fname, f] of Object.entries(ds.fields)) {
    const col = findColumn(table, fname);
    // Redis keys and log lines may lack a field; only tables promise their columns.
    if (!col) {
      if (tabular || ds.format === "csv")
        add(
          "live-column-missing",
          [...base, "fields", fname],
          `${table.name} has no column ${fname}` +
            `${table.columns.length ? ` (it has ${table.columns.map((c) => c.name).join(", ")})` : ""}`,
        );
      continue;
    }
    if (!tabular) continue;
    if (f.identity && adapter) {
      const compare: Comparison = { exact: "exact", case_insensitive: "fold", phone: "digits" }[
        fieldMatch(f)
      ] as Comparison;
      if (!indexServes(adapter, table, col.name, compare)) {
        const expr = comparedExpression(adapter, col.name, compare === "fold" && col.foldsCase ? "exact" : compare);
        add(
          "live-identity-unindexed",
          [...base, "fields", fname, "identity"],
          `no index of ${table.name} serves ${fname} matched ` +
            `${fieldMatch(f).replace("_", "-")}: every request reads the whole table; add ` +
            `an index on ${expr}`,
        );
      }
    }
    // A field the dataset's legal exception requires is kept as it is while the row is kept: never masked.
    const required = ex !== undefined && requiredByException(ex, f.category);
    if (ctx.mayStay && f.category && !f.primaryKey && !f.references && f.masking !== "delete_row" && !required) {
      const strategy = f.masking ?? "null";
      const misfit = maskFits(strategy, col, f.maskValue);
      if (misfit) {
        const path = [...base, "fields", fname, f.masking ? "masking" : "category"];
        if (strategy === "null" && !col.nullable)
          add(
            "live-mask-null-not-null",
            path,
            `${table.name}.${fname} is NOT NULL, and its masking is ` +
              `${f.masking ? "null" : "null by default"}: an erasure that must keep the row ` +
              `would fail; set masking (fixed with maskValue, hmac, …)`,
          );
        else add("live-mask-misfit", path, `${table.name}.${fname} (${col.dbType}): ${misfit}`);
      }
    }
  }
  if (!tabular) return;
  const declaredPk = primaryKeyOf(ds);
  const pkEqual =
    declaredPk.length === table.primaryKey.length && declaredPk.every((p) => table.primaryKey.some((q) => same(p, q)));
  if (!pkEqual && (declaredPk.length || table.primaryKey.length)) {
    add(
      "live-primary-key-mismatch",
      base,
      `${table.name}'s primary key is (${table.primaryKey.join(", ") || "none"}); ` +
        `the declaration says (${declaredPk.join(", ") || "none"})`,
    );
  }
  for (const fk of table.foreignKeys) {
    const declared =
      fk.columns.length === 1 &&
      Object.entries(ds.fields).some(([fname, f]) => {
        if (!same(fname, fk.columns[0]) || !f.references) return false;
        const target = referenceTarget(decl, sid, f.references);
        return !!target && same(target.name, fk.table) && same(target.field, fk.refColumns[0] ?? "");
      });
    if (declared) continue;
    const field = fk.columns.length === 1 ? Object.keys(ds.fields).find((n) => same(n, fk.columns[0])) : undefined;
    add(
      "live-foreign-key-undeclared",
      field ? [...base, "fields", field] : base,
      `${table.name}(${fk.columns.join(", ")}) references ${fk.table}(` +
        `${fk.refColumns.join(", ")}) in the database` +
        `${fk.onPartitions ? ` (declared on each of its partitions, as ${fk.onPartitions})` : ""}, and the ` +
        `declaration does not say so` +
        `${
          fk.columns.length === 1
            ? `: declare references and what it means (relation: owner, detail, actor or lookup)`
            : ": a composite foreign key cannot be followed; declare the datasets' relation " + "by a single-column key"
        }`,
    );
  }
  const personal = Object.values(ds.fields).some((f) => f.category || f.identity);
  if (personal) {
    for (const col of table.columns) {
      if (!Object.keys(ds.fields).some((n) => same(n, col.name)))
        add(
          "live-column-undeclared",
          [...base, "fields"],
          `${table.name}.${col.name} (${col.dbType}) holds data of a personal dataset ` +
            `and is not declared: say what it is (category), or mark it personal: false`,
        );
    }
  }
}
