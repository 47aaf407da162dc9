/**
 * Collecting a person's rows in one system.
 *
 * 1. Entry: datasets holding an identity the request knows are searched by it,
 *    matched the way the data stores it (emails in any case, phones in any
 *    format). Rows found so are *matched*: they are the person's.
 * 2. References are followed by what they mean (declaration/graph.ts): down an
 *    `owner` reference to the rows that belong to a row of the person's, up a
 *    `detail` reference to the detail the person's row points at. `actor` and
 *    `lookup` references are never followed; rows naming the person as an
 *    actor are only counted.
 * 3. A row of a dataset that holds identities, reached only through a
 *    reference, is not the person's until an identity matches it: it is
 *    reported, never expanded, exported or changed.
 *
 * Identities seen in matched rows (a phone on the customer row) are returned
 * so that every system is searched with them too.
 */
import {
  buildDatasetGraph,
  detailReferrers,
  fieldMatch,
  followedEdges,
  identityEquals,
  identityReference,
  identitySeeds,
  normalizeIdentity,
  parsePhone,
  phoneRegions,
  primaryKeyOf,
  reachedRowsAreOwn,
  type Dataset,
  type DatasetGraph,
  type Declaration,
  type MatchMode,
  type PhoneRegions,
} from "../declaration/index.js";
import type { Connector, DatasetTarget, FieldSelector, Row, Value } from "../connectors/index.js";

/** Identity type → canonical values, e.g. `{ email: ["ada@example.com"], phone: ["+442079460001"] }`. */
export type Identities = Record<string, string[]>;

/** What a seed row is matched by: a retention rule's clock, not an identity. */
export const SEED = "(retention clock)";

/** Identity types that many people may share: searched only when the requester gives them. */
export const WEAK_IDENTITIES: ReadonlySet<string> = new Set(["ip_address"]);

export interface FoundRow {
  row: Row;
  /**
   * The identity fields whose values matched one of the person's identities; empty when reached only through
   * references.
   */
  matchedBy: string[];
  /** The row is the person's: matched, or reached from the person's rows through a dataset without identities. */
  own: boolean;
  /**
   * Reached only as a detail of the person's rows (their address): rows that hang off it are not followed, since others
   * may share it.
   */
  detail?: boolean;
  /**
   * Matched, among several rows of people, before staff decided which are the person's: nothing is followed from it
   * and its identities search nothing.
   */
  pending?: boolean;
}

/** One identity value that matched a row: which field, of which type, and the value as the request knows it. */
export interface IdentityHit {
  field: string;
  type: string;
  value: string;
  /** The field holds an identity several people may share (`shared: true`). */
  shared: boolean;
}

/** A row of people that the identities matched, among others, for staff to decide on. */
export interface ReviewCandidate {
  /** The row's key (`rowKey`). */
  key: string;
  /** The primary key as staff read it: `EmployeeId 4`. */
  shown: string;
  matched: IdentityHit[];
  /** What staff decided already. */
  decided?: ReviewDecision;
}

/** What staff decided of a row that several people's identities matched: the person's, or someone else's. */
export type ReviewDecision = "person" | "other";

/** Staff decisions on matched rows of people, by dataset and row key. */
export type ReviewDecisions = (dataset: string, key: string) => ReviewDecision | undefined;

export interface DatasetSearch {
  /** How the dataset was searched: `email (email)`, `customer_id → customers.id`. Empty when it never was. */
  by: string[];
  /** Why it was not searched. */
  notReached?: string;
  /** The facts behind `notReached`, for a report in another language: identity types it is searched by, or the
   * datasets (`system.dataset`) it is reached from. */
  notReachedFacts?: NotReachedFacts;
}

/** Rows that name the person as someone acting on them (`rental.staff_id`): counted, never collected. */
export interface ActorMention {
  dataset: string;
  field: string;
  /** The dataset of the person's rows they point at. */
  of: string;
  rows: number;
}

export interface SystemCollection {
  system: string;
  datasets: Record<string, FoundRow[]>;
  /** Strong identities seen in the person's matched rows, canonical. */
  discovered: Identities;
  /**
   * The same identities as the rows store them, where that differs from the canonical form only in case
   * (`Grace.Hopper@Example.NET`): a vendor that compares case-sensitively (Stripe) is searched by each.
   */
  storedForms: Identities;
  /** Identity type → canonical value → rows it matched here. */
  matched: Record<string, Record<string, number>>;
  searched: Record<string, DatasetSearch>;
  actors: ActorMention[];
  /**
   * Datasets of people (`subject`) where the identities matched more than one row that staff have not decided on:
   * someone must say which are the person's before anything is done.
   */
  ambiguous: { dataset: string; rows: number; keys: string[]; candidates: ReviewCandidate[] }[];
  /** Rows the identities matched that staff said are someone else's: never collected. */
  excluded: { dataset: string; rows: number }[];
  /** For exports: dataset → lookup field → key → the value shown for it (a film's title). */
  lookups: Record<string, Record<string, Record<string, unknown>>>;
}

const graphs = new WeakMap<Declaration, DatasetGraph>();
/** The declaration's dataset graph, built once per declaration. */
export function graphOf(decl: Declaration): DatasetGraph {
  let g = graphs.get(decl);
  if (!g) graphs.set(decl, (g = buildDatasetGraph(decl)));
  return g;
}

/** The connector's view of a declared dataset. */
export function datasetTarget(id: string, ds: Dataset): DatasetTarget {
  return {
    name: ds.name ?? ds.keyPattern ?? ds.path ?? id,
    fields: Object.keys(ds.fields),
    primaryKey: primaryKeyOf(ds),
    ...(ds.keyPattern ? { keyPattern: ds.keyPattern } : {}),
    ...(ds.type ? { type: ds.type } : {}),
    ...(ds.path ? { path: ds.path } : {}),
    ...(ds.format ? { format: ds.format } : {}),
  };
}

/** The fields that pick exactly one row: the primary key, or every declared field where there is none. */
export function rowKeyFields(ds: Dataset, row: Row): string[] {
  const pk = primaryKeyOf(ds);
  return pk.length ? pk : Object.keys(ds.fields).filter((f) => f in row);
}

/** A stable key for a row: its primary key (composite keys whole), or its declared content. */
export function rowKey(ds: Dataset, row: Row): string {
  // An empty value and a missing one are the same blank (a CSV writes null as nothing), as selectors compare them.
  return JSON.stringify(rowKeyFields(ds, row).map((f) => (row[f] === "" ? null : (row[f] ?? null))));
}

/** The selector for a field that holds an identity, under the field's matching. */
function identitySelector(field: string, mode: MatchMode, values: string[], region: PhoneRegions): FieldSelector {
  if (mode === "case_insensitive") return { field, values: values.map((v) => v.toLowerCase()), compare: "fold" };
  if (mode === "phone")
    return {
      field,
      values: [...new Set(values.flatMap((v) => parsePhone(v, region)?.candidates ?? [v.replace(/\D/g, "")]))],
      compare: "digits",
    };
  return { field, values };
}

/**
 * The rows of a dataset whose `field` holds one of the canonical identity
 * `values`, matched the way the field matches, each with the value it matched.
 * The engine narrows (by case or digits); each hit is then confirmed exactly.
 */
export async function findByIdentity(
  connector: Connector,
  did: string,
  ds: Dataset,
  field: string,
  mode: MatchMode,
  values: string[],
  region: PhoneRegions,
): Promise<{ row: Row; value: string }[]> {
  const out: { row: Row; value: string }[] = [];
  for (const row of await connector.find(datasetTarget(did, ds), identitySelector(field, mode, values, region))) {
    const value = values.find((x) => identityEquals(mode, row[field], x, region));
    if (value !== undefined) out.push({ row, value });
  }
  return out;
}

/**
 * Collects every row of `system` that belongs to the person.
 *
 * ```ts
 * const c = await collectSystem(decl, "shop", connector, { email: ["ada@example.com"] });
 * ```
 */
/**
 * Rows a collection starts from besides identities: a retention sweep's due rows, which are the rows of whoever they
 * belong to.
 */
export interface CollectionSeeds {
  dataset: string;
  rows: Row[];
  /**
   * Rows reached down owner references from the seeds are theirs even where they hold identities (every row that
   * belongs to a closed account).
   */
  ownByReference?: boolean;
}

export async function collectSystem(
  decl: Declaration,
  system: string,
  connector: Connector,
  identities: Identities,
  seeds?: CollectionSeeds,
  review?: ReviewDecisions,
): Promise<SystemCollection> {
  const sys = decl.systems[system];
  const graph = graphOf(decl);
  const region = phoneRegions(decl);
  const nodeOf = (did: string) => graph.nodes.get(`${system}.${did}`);
  const found = new Map<string, Map<string, FoundRow>>();
  /** Rows reached through one of the person's references (not only matched). */
  const reached = new Map<string, Set<string>>();
  /** The identity values that matched each row. */
  const hits = new Map<string, Map<string, IdentityHit[]>>();
  const excluded = new Map<string, Set<string>>();
  const searched: Record<string, DatasetSearch> = Object.fromEntries(
    Object.entries(sys.datasets)
      .filter(([, ds]) => !ds.derived)
      .map(([d]) => [d, { by: [] }]),
  );
  const matched: Record<string, Record<string, number>> = {};
  const fresh: string[] = [];

  /**
   * Adds rows of a dataset: matched by an identity, reached down an owner reference, or reached up a detail reference.
   * A row is the person's when a (not only shared) identity matched it, or when one of the person's references reached
   * it and its dataset's rows are not people.
   */
  const add = (did: string, rows: Row[], how: { hit?: IdentityHit; seed?: boolean; detail?: boolean } = {}) => {
    const ds = sys.datasets[did];
    let m = found.get(did);
    if (!m) found.set(did, (m = new Map()));
    let r = reached.get(did);
    if (!r) reached.set(did, (r = new Set()));
    for (const row of rows) {
      const k = rowKey(ds, row);
      if (how.hit && review?.(did, k) === "other") {
        let x = excluded.get(did);
        if (!x) excluded.set(did, (x = new Set()));
        x.add(k);
      }
      if (excluded.get(did)?.has(k)) continue;
      if (how.hit) {
        let h = hits.get(did);
        if (!h) hits.set(did, (h = new Map()));
        const list = h.get(k) ?? [];
        if (!list.some((x) => x.field === how.hit!.field && x.value === how.hit!.value)) h.set(k, [...list, how.hit]);
      }
      if (!how.hit && !how.seed) r.add(k);
      const prev = m.get(k);
      const field = how.hit?.field ?? (how.seed ? SEED : undefined);
      const by =
        field && !prev?.matchedBy.includes(field) ? [...(prev?.matchedBy ?? []), field] : (prev?.matchedBy ?? []);
      // A row found only by a shared identity (an office phone) is someone's, not yet the person's: people's rows go to
      // review, other rows are left alone.
      const strong = by.includes(SEED) || (hits.get(did)?.get(k) ?? []).some((h) => !h.shared);
      const isMatch = by.length > 0 && (strong || !!ds.subject);
      const own =
        isMatch ||
        (r.has(k) && reachedRowsAreOwn(nodeOf(did))) ||
        (!!seeds?.ownByReference && r.has(k) && !how.detail && !prev?.detail);
      const matchedBy = isMatch ? by : [];
      // A row is a mere detail only as long as nothing else led to it.
      const detail = !!how.detail && (!prev || !!prev.detail) && !isMatch;
      if (prev && prev.own === own && !!prev.detail === detail && prev.matchedBy.length === matchedBy.length) continue;
      m.set(k, { row, matchedBy, own, ...(detail ? { detail } : {}) });
      if (own && (!prev?.own || (prev.detail && !detail))) fresh.push(did);
    }
  };
  const count = (type: string, value: string) => {
    const t = (matched[type] ??= {});
    t[value] = (t[value] ?? 0) + 1;
  };

  // 1. entry points: identity fields, matched the way the data holds them (a view stores nothing: never searched)
  for (const [did, ds] of Object.entries(sys.datasets)) {
    if (ds.derived) continue;
    for (const [fname, f] of Object.entries(ds.fields)) {
      if (!f.identity) continue;
      const values = identities[f.identity] ?? [];
      if (!values.length) continue;
      searched[did].by.push(`${fname} (${f.identity})`);
      const matches = await findByIdentity(connector, did, ds, fname, fieldMatch(f), values, region);
      for (const h of matches) {
        if (review?.(did, rowKey(ds, h.row)) !== "other") count(f.identity, h.value);
        add(did, [h.row], { hit: { field: fname, type: f.identity, value: h.value, shared: !!f.shared } });
      }
    }
  }
  // 2. references into another system's identity: the child is searched by that identity's values
  for (const e of graph.edges.filter((x) => x.from.startsWith(`${system}.`))) {
    const type = identityReference(graph, e);
    const values = type ? (identities[type] ?? []) : [];
    if (!type || !values.length) continue;
    const did = e.from.slice(system.length + 1);
    searched[did].by.push(`${e.fromField} → ${e.to}.${e.toField} (${type})`);
    const matches = await findByIdentity(
      connector,
      did,
      sys.datasets[did],
      e.fromField,
      fieldMatch({ identity: type }),
      values,
      region,
    );
    for (const h of matches) {
      count(type, h.value);
      add(did, [h.row], { hit: { field: e.fromField, type, value: h.value, shared: false } });
    }
  }
  // 2b. an identity matched on a detail row (the phone on an address) identifies the rows that point at it (the
  // customer): they are matched by it too, and several of them are a question for staff like any other.
  for (const [did, m] of [...found]) {
    const hitRows = [...m.entries()].filter(([k, r]) => r.matchedBy.length && hits.get(did)?.get(k)?.length);
    if (!hitRows.length) continue;
    for (const e of detailReferrers(graph, `${system}.${did}`)) {
      const from = e.from.slice(system.length + 1);
      const byValue = new Map<string, IdentityHit[]>();
      for (const [k, r] of hitRows) {
        const v = r.row[e.toField];
        if (v !== null && v !== undefined) byValue.set(String(v), hits.get(did)!.get(k)!);
      }
      if (!byValue.size) continue;
      const how = `${e.fromField} → ${did}.${e.toField}`;
      if (!searched[from].by.includes(how)) searched[from].by.push(how);
      const rows = await connector.find(datasetTarget(from, sys.datasets[from]), {
        field: e.fromField,
        values: [...byValue.keys()],
      });
      for (const row of rows)
        for (const h of byValue.get(String(row[e.fromField])) ?? [])
          add(from, [row], { hit: { ...h, field: `${e.fromField} → ${did}.${h.field}` } });
    }
  }
  // Seeds: rows the collection is about, whoever they belong to.
  if (seeds) {
    searched[seeds.dataset]?.by.push("retention clock");
    add(seeds.dataset, seeds.rows, { seed: true });
  }

  // Several rows of people matched, and staff have not said which are the person's: nothing is followed from them,
  // and their identities search nothing, until they do.
  const ambiguous: SystemCollection["ambiguous"] = [];
  for (const [did, m] of found) {
    const ds = sys.datasets[did];
    if (!ds.subject) continue;
    const mine = [...m.entries()].filter(([, r]) => r.matchedBy.some((f) => f !== SEED));
    if (mine.length < 2 || mine.every(([k]) => review?.(did, k) === "person")) continue;
    const pk = primaryKeyOf(ds);
    ambiguous.push({
      dataset: did,
      rows: mine.length,
      keys: mine.map(([k]) => k).sort(),
      candidates: mine
        .map(([k, r]) => ({
          key: k,
          shown: (pk.length ? pk : rowKeyFields(ds, r.row)).map((f) => `${f} ${String(r.row[f] ?? "")}`).join(", "),
          matched: hits.get(did)?.get(k) ?? [],
          ...(review?.(did, k) ? { decided: review(did, k) } : {}),
        }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    });
    for (const [k, r] of mine) m.set(k, { ...r, pending: true });
  }

  // 3. references from the person's rows: owner references down, detail references up
  const asked = new Map<string, Set<string>>();
  while (fresh.length) {
    const did = fresh.shift()!;
    const own = [...(found.get(did)?.values() ?? [])].filter((r) => r.own && !r.pending);
    for (const f of followedEdges(graph, `${system}.${did}`)) {
      const next = f.next.slice(system.length + 1);
      // Nothing is followed down from a detail: other people's rows may hang off a shared address.
      const from = f.direction === "down" ? own.filter((r) => !r.detail) : own;
      // down: children whose key points at our rows; up: the detail rows our key points at
      const [fromField, toField] =
        f.direction === "down" ? [f.edge.toField, f.edge.fromField] : [f.edge.fromField, f.edge.toField];
      const seen = asked.get(`${f.edge.from}.${f.edge.fromField}`) ?? new Set<string>();
      asked.set(`${f.edge.from}.${f.edge.fromField}`, seen);
      const values: Value[] = [];
      for (const r of from) {
        const v = r.row[fromField];
        if (v === null || v === undefined || seen.has(String(v))) continue;
        seen.add(String(v));
        values.push(v as Value);
      }
      const how =
        f.direction === "down"
          ? `${f.edge.fromField} → ${did}.${f.edge.toField}`
          : `${did}.${f.edge.fromField} → ${f.edge.toField}`;
      if (!searched[next].by.includes(how)) searched[next].by.push(how);
      if (values.length)
        add(next, await connector.find(datasetTarget(next, sys.datasets[next]), { field: toField, values }), {
          detail: f.direction === "up",
        });
    }
  }

  const datasets = Object.fromEntries([...found].map(([d, m]) => [d, [...m.values()]]));

  // Every identity found in the person's rows (matched, or reached through their references) searches every system,
  // but for a shared identity, and rows staff have not decided on yet.
  const discovered: Identities = {};
  const storedForms: Identities = {};
  for (const [did, rows] of Object.entries(datasets)) {
    for (const [fname, f] of Object.entries(sys.datasets[did].fields)) {
      if (!identitySeeds(f) || WEAK_IDENTITIES.has(f.identity!)) continue;
      for (const { row, own, pending: waiting } of rows) {
        const v = row[fname];
        if (!own || waiting || v === null || v === undefined || String(v).trim() === "") continue;
        if (f.identity === "phone" && !parsePhone(String(v), region)) continue;
        const canonical = normalizeIdentity(f.identity!, String(v), region);
        const list = (discovered[f.identity!] ??= []);
        if (!list.includes(canonical)) list.push(canonical);
        const stored = String(v).trim();
        if (stored !== canonical && fieldMatch(f) === "case_insensitive") {
          const forms = (storedForms[f.identity!] ??= []);
          if (!forms.includes(stored)) forms.push(stored);
        }
      }
    }
  }

  // Rows naming the person as an actor (staff on a rental) are counted, never collected.
  const actors: ActorMention[] = [];
  for (const e of graph.edges) {
    if (e.relation !== "actor" || e.crossSystem || !e.to.startsWith(`${system}.`)) continue;
    const of = e.to.slice(system.length + 1);
    const child = e.from.slice(system.length + 1);
    const values = [
      ...new Set(
        (datasets[of] ?? [])
          .filter((r) => r.own && !r.pending)
          .map((r) => r.row[e.toField])
          .filter((v) => v !== null && v !== undefined),
      ),
    ] as Value[];
    if (!values.length) continue;
    const counts = await connector.count(datasetTarget(child, sys.datasets[child]), e.fromField, values);
    const rows = [...counts.values()].reduce((a, b) => a + b, 0);
    if (rows) actors.push({ dataset: child, field: e.fromField, of, rows });
  }

  const lookups = await lookupsOf(decl, system, connector, datasets);

  for (const [did, s] of Object.entries(searched)) {
    if (s.by.length) continue;
    const why = notReachedReason(graph, system, did);
    s.notReached = why.text;
    s.notReachedFacts = why.facts;
  }
  return {
    system,
    datasets,
    discovered,
    storedForms,
    matched,
    searched,
    actors,
    ambiguous,
    excluded: [...excluded].map(([dataset, keys]) => ({ dataset, rows: keys.size })),
    lookups,
  };
}

/**
 * For exports: what each lookup reference shows beside its key, its `show` path followed through the lookup's rows
 * (`title`, or `film_id.title` through the inventory row to its film), read for the person's own rows only.
 */
async function lookupsOf(
  decl: Declaration,
  system: string,
  connector: Connector,
  datasets: Record<string, FoundRow[]>,
): Promise<SystemCollection["lookups"]> {
  const sys = decl.systems[system];
  const graph = graphOf(decl);
  const lookups: SystemCollection["lookups"] = {};
  for (const [did, rows] of Object.entries(datasets)) {
    for (const [fname, f] of Object.entries(sys.datasets[did].fields)) {
      if (f.relation !== "lookup" || !f.show || !f.references) continue;
      const e = graph.edges.find((x) => x.from === `${system}.${did}` && x.fromField === fname);
      if (!e || e.crossSystem) continue;
      const keys = [
        ...new Set(
          rows
            .filter((r) => r.own && !r.pending)
            .map((r) => r.row[fname])
            .filter((v) => v !== null && v !== undefined),
        ),
      ] as Value[];
      if (!keys.length) continue;
      // Each step: the rows of `target` whose `keyField` holds the values, then the next field of the path.
      let target = e.to.slice(system.length + 1);
      let keyField = e.toField;
      let current = new Map<string, unknown>(keys.map((k) => [String(k), k]));
      const path = f.show.split(".");
      for (const [i, step] of path.entries()) {
        const values = [...new Set([...current.values()].filter((v) => v !== null && v !== undefined))] as Value[];
        const byKey = new Map<string, Row>();
        if (values.length)
          for (const r of await connector.find(datasetTarget(target, sys.datasets[target]), {
            field: keyField,
            values,
          }))
            byKey.set(String(r[keyField]), r);
        current = new Map(
          [...current].map(([k, v]) => [
            k,
            v === null || v === undefined ? null : (byKey.get(String(v))?.[step] ?? null),
          ]),
        );
        if (i === path.length - 1) break;
        const next = graph.edges.find((x) => x.from === `${system}.${target}` && x.fromField === step);
        if (!next || next.crossSystem) break;
        target = next.to.slice(system.length + 1);
        keyField = next.toField;
      }
      (lookups[did] ??= {})[fname] = Object.fromEntries(current);
    }
  }
  return lookups;
}

/** Why a dataset was never searched for this request. */
function notReachedReason(graph: DatasetGraph, system: string, did: string): { text: string; facts: NotReachedFacts } {
  const node = graph.nodes.get(`${system}.${did}`)!;
  const types = [...new Set(Object.values(node.identities))];
  if (types.length) {
    const weak = types.filter((t) => WEAK_IDENTITIES.has(t));
    return {
      text:
        `searched only by ${types.join(", ")}, which this request does not know` +
        `${weak.length ? ` (${weak.join(", ")} is used only when the person gives it)` : ""}`,
      facts: { types },
    };
  }
  const from = [
    ...graph.edges.filter((e) => e.from === node.key && e.relation === "owner" && !e.crossSystem).map((e) => e.to),
    ...graph.edges.filter((e) => e.to === node.key && e.relation === "detail").map((e) => e.from),
  ];
  if (from.length)
    return {
      text: `reached only from ${[...new Set(from)].join(", ")}, where none of the person's rows was found`,
      facts: { from: [...new Set(from)] },
    };
  return { text: "no identity field, owner reference or detail reference leads here", facts: {} };
}

/** Why a dataset was not searched, as facts: the identity types it is searched by, or what it is reached from. */
export interface NotReachedFacts {
  types?: string[];
  /** `system.dataset` keys. */
  from?: string[];
}

/**
 * The datasets holding personal data (or identities) that a collection never searched, with why: what a report calls
 * "not reached".
 */
export function notReached(
  decl: Declaration,
  collection: SystemCollection,
): { dataset: string; why: string; facts?: NotReachedFacts }[] {
  const sys = decl.systems[collection.system];
  return Object.entries(collection.searched)
    .filter(([d, s]) => s.notReached && Object.values(sys.datasets[d].fields).some((f) => f.category || f.identity))
    .map(([dataset, s]) => ({
      dataset,
      why: s.notReached!,
      ...(s.notReachedFacts ? { facts: s.notReachedFacts } : {}),
    }));
}

/** Merges identity sets; returns the merged set and whether anything was new. */
export function mergeIdentities(a: Identities, b: Identities): { merged: Identities; grew: boolean } {
  const merged: Identities = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, [...v]]));
  let grew = false;
  for (const [k, vs] of Object.entries(b)) {
    const list = (merged[k] ??= []);
    for (const v of vs) {
      if (!list.includes(v)) {
        list.push(v);
        grew = true;
      }
    }
  }
  return { merged, grew };
}
