/**
 * Redis: a dataset is a key pattern with `{field}` placeholders (`session:{email}`)
 * holding a hash, a string or a JSON document. A look-up by a placeholder field
 * reads the key directly; any other field is matched by scanning the pattern.
 */
import { Redis } from "ioredis";
import { ConnectorError, rowMatches, type Connector, type DatasetTarget, type Mutation, type MutationResult, type Row, type Selector } from "../types.js";

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;
const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

function placeholders(pattern: string): string[] {
  return [...pattern.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** The values of the placeholders in a concrete key, or undefined if it does not fit the pattern. */
function parseKey(pattern: string, key: string): Row | undefined {
  const names: string[] = [];
  const re = new RegExp(
    "^" + pattern.split(PLACEHOLDER).map((part, i) => (i % 2 === 1 ? (names.push(part), "(.+?)") : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("") + "$",
  );
  const m = re.exec(key);
  if (!m) return undefined;
  return Object.fromEntries(names.map((n, i) => [n, m[i + 1]]));
}

export function createRedisConnector(system: string, url: string): Connector {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5000, retryStrategy: (times) => (times > 3 ? null : 200 * times) });
  client.on("error", () => {
    /* surfaced by the next command */
  });
  const u = new URL(url);
  const fail = (what: string, err: unknown) => new ConnectorError(system, `${what} on redis://${u.host} failed: ${(err as Error).message}`, { cause: err });
  const ready = async () => {
    if (client.status === "wait" || client.status === "end") await client.connect();
  };

  async function keysFor(ds: DatasetTarget, sel: Selector): Promise<string[]> {
    const pattern = ds.keyPattern ?? ds.name;
    const names = placeholders(pattern);
    if (names.length === 1 && names[0] === sel.field) {
      return sel.values.map((v) => pattern.replace(PLACEHOLDER, String(v)));
    }
    const globs = names.includes(sel.field) ? sel.values.map((v) => pattern.replace(PLACEHOLDER, (_, n: string) => (n === sel.field ? globEscape(String(v)) : "*"))) : [pattern.replace(PLACEHOLDER, "*")];
    const keys = new Set<string>();
    for (const match of globs) {
      let cursor = "0";
      do {
        const [next, batch] = await client.scan(cursor, "MATCH", match, "COUNT", 1000);
        batch.forEach((k) => keys.add(k));
        cursor = next;
      } while (cursor !== "0");
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
        return doc && typeof doc === "object" && !Array.isArray(doc) ? { ...fromKey, ...(doc as Row) } : { ...fromKey, value: doc };
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

  return {
    engine: "redis",
    capabilities: { atomic: false, tabular: false },
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
    async apply(mutations: readonly Mutation[]): Promise<MutationResult[]> {
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
              const unset = Object.entries(m.set).filter(([, v]) => v === null).map(([k]) => k);
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
