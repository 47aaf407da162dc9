/**
 * Redis: a dataset is a key pattern with `{field}` placeholders (`session:{email}`)
 * holding a hash, a string or a JSON document. A look-up by a placeholder field
 * reads the key directly; any other field is matched by scanning the pattern.
 */
import { Redis } from "ioredis";
import {
  clockOfRow,
  ConnectorError,
  countValues,
  isDueSelector,
  isKeySelector,
  rowCovered,
  rowMatches,
  summarizeDue,
  type DueQuery,
  type DuePage,
  type DueRow,
  type DueSummary,
  type Connector,
  type ConnectorOptions,
  type DatasetTarget,
  type Mutation,
  type MutationResult,
  type Row,
  type Selector,
} from "../types.js";
import type { SchemaSnapshot, TableInfo } from "../schema.js";

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;
const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
/** A glob matching a value in any case: `[aA][dD][aA]@…`. */
const globFold = (s: string) =>
  [...s]
    .map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : globEscape(c)))
    .join("");

/**
 * A key's pattern: segments after the first that vary per record become `{id}` (`cart:42` and `cart:43` → `cart:{id}`;
 * `session:tok7` → `session:{id}`).
 */
export function keyShape(key: string): string {
  return key
    .split(":")
    .map((seg, i) =>
      new RegExp(
        String.raw`^\d+$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|@|` +
          String.raw`^[0-9a-f]{16,}$|^[A-Za-z0-9_-]{20,}$`,
        "i",
      ).test(seg) ||
      (i > 0 && /\d/.test(seg))
        ? "{id}"
        : seg,
    )
    .join(":");
}

/** How many keys a listing of patterns reads: enough for their shapes, bounded on a cache of millions. */
const KEYS_FOR_PATTERNS = 10_000;

function placeholders(pattern: string): string[] {
  return [...pattern.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** The values of the placeholders in a concrete key, or undefined if it does not fit the pattern. */
function parseKey(pattern: string, key: string): Row | undefined {
  const names: string[] = [];
  const capture = (name: string) => {
    names.push(name);
    return "(.+?)";
  };
  const re = new RegExp(
    `^${pattern
      .split(PLACEHOLDER)
      .map((part, i) => (i % 2 === 1 ? capture(part) : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
  );
  const m = re.exec(key);
  if (!m) return undefined;
  return Object.fromEntries(names.map((n, i) => [n, m[i + 1]]));
}

export function createRedisConnector(system: string, url: string, options: ConnectorOptions = {}): Connector {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5000,
    retryStrategy: (times) => (times > 3 ? null : 200 * times),
  });
  client.on("error", () => {
    /* surfaced by the next command */
  });
  const u = new URL(url);
  const fail = (what: string, err: unknown) =>
    new ConnectorError(system, `${what} on redis://${u.host} failed: ${(err as Error).message}`, { cause: err });
  const ready = async () => {
    if (client.status === "wait" || client.status === "end") await client.connect();
  };

  async function keysFor(ds: DatasetTarget, sel: Selector): Promise<string[]> {
    const pattern = ds.keyPattern ?? ds.name;
    const names = placeholders(pattern);
    const field = isKeySelector(sel) || isDueSelector(sel) ? undefined : sel;
    if (field && (field.compare ?? "exact") === "exact" && names.length === 1 && names[0] === field.field) {
      return field.values.map((v) => pattern.replace(PLACEHOLDER, String(v)));
    }
    // A placeholder compared exactly or by case is matched by the glob; digits and other fields are filtered after a
    // scan.
    const globbed = field && names.includes(field.field) && field.compare !== "digits";
    const globs = globbed
      ? field.values.map((v) =>
          pattern.replace(PLACEHOLDER, (_, n: string) =>
            n === field.field ? (field.compare === "fold" ? globFold(String(v)) : globEscape(String(v))) : "*",
          ),
        )
      : [pattern.replace(PLACEHOLDER, "*")];
    return scan(globs);
  }

  async function scan(globs: string[], limit = Infinity): Promise<string[]> {
    const keys = new Set<string>();
    for (const match of globs) {
      let cursor = "0";
      do {
        const [next, batch] = await client.scan(cursor, "MATCH", match, "COUNT", 1000);
        batch.forEach((k) => keys.add(k));
        cursor = next;
      } while (cursor !== "0" && keys.size < limit);
    }
    return [...keys];
  }

  async function load(ds: DatasetTarget, key: string): Promise<Row | undefined> {
    const fromKey = parseKey(ds.keyPattern ?? ds.name, key) ?? {};
    if ((ds.type ?? "hash") === "hash") {
      const h = await client.hgetall(key);
      return Object.keys(h).length ? { ...fromKey, ...h } : undefined;
    }
    const s = await client.get(key);
    if (s === null) return undefined;
    if (ds.type === "json") {
      try {
        const doc = JSON.parse(s) as unknown;
        return doc && typeof doc === "object" && !Array.isArray(doc)
          ? { ...fromKey, ...(doc as Row) }
          : { ...fromKey, value: doc };
      } catch {
        return { ...fromKey, value: s };
      }
    }
    return { ...fromKey, value: s };
  }

  async function matching(ds: DatasetTarget, sel: Selector): Promise<[string, Row][]> {
    const out: [string, Row][] = [];
    for (const key of await keysFor(ds, sel)) {
      const row = await load(ds, key);
      if (row && rowMatches(row, sel)) out.push([key, row]);
    }
    return out;
  }

  /** Every key of a dataset with its row. */
  async function all(ds: DatasetTarget): Promise<[string, Row][]> {
    const out: [string, Row][] = [];
    for (const key of await scan([(ds.keyPattern ?? ds.name).replace(PLACEHOLDER, "*")])) {
      const row = await load(ds, key);
      if (row) out.push([key, row]);
    }
    return out;
  }

  return {
    engine: "redis",
    capabilities: { atomic: false, tabular: false, keyset: false, ttl: true },
    async due(page: DuePage): Promise<DueRow[]> {
      try {
        await ready();
        const out: DueRow[] = [];
        for (const [, row] of await all(page.dataset)) {
          const c = clockOfRow(row, page.clock);
          if (c && c < page.before && (!page.since || c >= page.since) && rowCovered(row, page))
            out.push({ row, clock: c.toISOString() });
        }
        return out;
      } catch (err) {
        throw fail(`reading ${page.dataset.keyPattern ?? page.dataset.name}`, err);
      }
    },
    async dueSummary(query: DueQuery, before: Date): Promise<DueSummary> {
      try {
        await ready();
        return await summarizeDue(
          (await all(query.dataset)).map(([, row]) => row),
          query,
          before,
        );
      } catch (err) {
        throw fail(`reading ${query.dataset.keyPattern ?? query.dataset.name}`, err);
      }
    },
    async expire(query, periodMs, now, isHeld) {
      if (options.readOnly) throw new ConnectorError(system, "opened read-only: no writes");
      try {
        await ready();
        let set = 0;
        let held = 0;
        for (const [key, row] of await all(query.dataset)) {
          if (!rowCovered(row, query)) continue;
          const c = query.clock.length ? clockOfRow(row, query.clock) : undefined;
          if (isHeld && (await isHeld(row, c ? c.toISOString() : null))) {
            await client.persist(key);
            held++;
          } else if (c) {
            // Redis deletes the key itself when its clock runs out; one already past is the sweep's.
            if (c.getTime() + periodMs > now.getTime()) set += await client.pexpireat(key, c.getTime() + periodMs);
          } else {
            // No clock: the key may live the period from now, and no longer (an expiry the application set further out
            // is brought in).
            const left = await client.pttl(key);
            if (left === -1 || left > periodMs) set += await client.pexpire(key, periodMs);
          }
        }
        return { set, held };
      } catch (err) {
        throw fail(`setting expiries on ${query.dataset.keyPattern ?? query.dataset.name}`, err);
      }
    },
    async unexpiring(query, periodMs) {
      try {
        await ready();
        let rows = 0;
        const unexpiring: Row[] = [];
        for (const [key, row] of await all(query.dataset)) {
          if (!rowCovered(row, query)) continue;
          rows++;
          const left = await client.pttl(key);
          // -1: no expiry; -2: gone meanwhile. An expiry is relative to now, as the sweep set it.
          if (left === -1 || left > periodMs) unexpiring.push(row);
        }
        return { rows, unexpiring };
      } catch (err) {
        throw fail(`reading the expiries of ${query.dataset.keyPattern ?? query.dataset.name}`, err);
      }
    },
    async ping() {
      try {
        await ready();
        await client.ping();
      } catch (err) {
        throw fail("connecting", err);
      }
    },
    async find(ds, sel) {
      try {
        await ready();
        return (await matching(ds, sel)).map(([, row]) => row);
      } catch (err) {
        throw fail(`reading ${ds.keyPattern ?? ds.name}`, err);
      }
    },
    async count(ds, field, values) {
      try {
        await ready();
        return countValues(
          (await matching(ds, { field, values })).map(([, row]) => row),
          field,
          values,
        );
      } catch (err) {
        throw fail(`counting ${ds.keyPattern ?? ds.name}`, err);
      }
    },
    async sample(pattern: string, limit: number): Promise<{ rows: Row[]; method: string }> {
      try {
        await ready();
        const keys = await scan([pattern.replace(PLACEHOLDER, "*")], limit * 20);
        const picked =
          keys.length <= limit
            ? keys
            : Array.from({ length: limit }, (_, i) => keys[Math.floor((i * keys.length) / limit)]);
        const rows: Row[] = [];
        for (const key of picked) {
          const kind = await client.type(key);
          if (kind !== "hash" && kind !== "string") continue;
          const row = await load(
            { name: pattern, keyPattern: pattern, fields: [], primaryKey: [], type: kind === "hash" ? "hash" : "json" },
            key,
          );
          if (row) rows.push({ "(key)": key, ...row });
        }
        return {
          rows,
          method:
            `${picked.length} of ${keys.length}${keys.length >= limit * 20 ? "+" : ""} ` + `keys, spread across a SCAN`,
        };
      } catch (err) {
        throw fail(`sampling ${pattern}`, err);
      }
    },
    async introspect(patterns?: readonly string[]): Promise<SchemaSnapshot> {
      // Key patterns have no schema: each named pattern is described by the fields of a sample of its keys.
      // Without names, the patterns are read from the keys themselves: a SCAN of up to 10,000, each segment that
      // looks like an id (digits, a UUID, an email, hex) taken as a placeholder (`session:{id}`).
      const tables: TableInfo[] = [];
      let incomplete: string | undefined;
      try {
        await ready();
        if (!patterns) {
          const keys = await scan(["*"], KEYS_FOR_PATTERNS);
          if (keys.length >= KEYS_FOR_PATTERNS)
            incomplete =
              `key patterns read from the first ${keys.length.toLocaleString("en")} keys of ` +
              `a SCAN; patterns whose keys all come later are not seen`;
          patterns = [...new Set(keys.map(keyShape))].sort();
        }
        for (const pattern of patterns) {
          const keys = await scan([pattern.replace(PLACEHOLDER, "*")], 1000);
          if (!keys.length) continue;
          const fields = new Set<string>(placeholders(pattern));
          for (const key of keys.slice(0, 20)) {
            const type = (await client.type(key)) === "hash" ? "hash" : "json";
            Object.keys(
              (await load({ name: pattern, keyPattern: pattern, fields: [], primaryKey: [], type }, key)) ?? {},
            ).forEach((f) => fields.add(f));
          }
          tables.push({
            name: pattern,
            columns: [...fields].map((name) => ({ name, type: "text", dbType: "string", nullable: true })),
            primaryKey: placeholders(pattern),
            foreignKeys: [],
            indexes: [],
          });
        }
      } catch (err) {
        throw fail("sampling keys", err);
      }
      return { engine: "redis", tables, ...(incomplete ? { incomplete } : {}) };
    },
    async apply(mutations: readonly Mutation[]): Promise<MutationResult[]> {
      if (options.readOnly) throw new ConnectorError(system, "opened read-only: no writes");
      const results: MutationResult[] = [];
      try {
        await ready();
        for (const m of mutations) {
          const hits = await matching(m.dataset, m.where);
          if (!hits.length) {
            results.push({ affected: 0 });
            continue;
          }
          const tx = client.multi();
          for (const [key, row] of hits) {
            if (m.kind === "delete") tx.del(key);
            else if ((m.dataset.type ?? "hash") === "hash") {
              const set = Object.entries(m.set).filter(([, v]) => v !== null);
              const unset = Object.entries(m.set)
                .filter(([, v]) => v === null)
                .map(([k]) => k);
              if (set.length) tx.hset(key, Object.fromEntries(set.map(([k, v]) => [k, String(v)])));
              if (unset.length) tx.hdel(key, ...unset);
            } else if (m.dataset.type === "json") {
              const names = placeholders(m.dataset.keyPattern ?? m.dataset.name);
              const doc = Object.fromEntries(Object.entries({ ...row, ...m.set }).filter(([k]) => !names.includes(k)));
              tx.set(key, JSON.stringify(doc), "KEEPTTL");
            } else if ("value" in m.set) {
              tx.set(key, String(m.set.value ?? ""), "KEEPTTL");
            }
          }
          await tx.exec();
          results.push({ affected: hits.length });
        }
      } catch (err) {
        throw fail("writing", err);
      }
      return results;
    },
    async close() {
      client.disconnect();
    },
  };
}
