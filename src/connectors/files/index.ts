/**
 * Files: JSON-lines and CSV logs (web access logs and the like). Access streams
 * the file and returns matching lines; erasure rewrites it to a temporary file
 * beside it and renames it into place, so a crash leaves the old or the new
 * file, never half of one.
 */
import { createReadStream, existsSync } from "node:fs";
import type { Dirent } from "node:fs";
import { open, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, basename, join, relative, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import {
  clockOfRow,
  ConnectorError,
  countValues,
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
} from "../types.js";
import type { SchemaSnapshot, TableInfo } from "../schema.js";
import { formatCsvLine, parseCsvLine } from "./csv.js";

interface Parsed {
  raw: string;
  row?: Row;
}

async function* lines(path: string, format: "jsonl" | "csv"): AsyncGenerator<Parsed & { header?: string[] }> {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let header: string[] | undefined;
  for await (const raw of rl) {
    if (format === "csv") {
      if (!header) {
        header = parseCsvLine(raw);
        yield { raw, header };
        continue;
      }
      const cells = parseCsvLine(raw);
      yield { raw, row: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""])) };
    } else {
      if (!raw.trim()) {
        yield { raw };
        continue;
      }
      try {
        const v = JSON.parse(raw) as unknown;
        yield { raw, row: v && typeof v === "object" && !Array.isArray(v) ? (v as Row) : undefined };
      } catch {
        yield { raw };
      }
    }
  }
}

/**
 * A rewrite's temporary file: `.<name>.pledge-<pid>-<hex>` (or, from before the pid was in it, `.<name>.pledge-<hex>`).
 */
const TEMP_FILE = /^\..+\.pledge-(?:(\d+)-)?[0-9a-f]{12}$/;
/** The temporary files this process is writing now. */
const writing = new Set<string>();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Removes the temporary files of rewrites that were killed midway: they hold
 * the old file's lines, other people's among them, and nothing else would
 * ever delete them. A file of a live process's rewrite is left alone.
 */
export async function removeStaleRewrites(base: string, dir = base): Promise<string[]> {
  const removed: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith(".")) removed.push(...(await removeStaleRewrites(base, p)));
    const m = e.isFile() ? TEMP_FILE.exec(e.name) : null;
    if (!m || writing.has(p)) continue;
    const pid = m[1] ? Number(m[1]) : undefined;
    if (pid !== undefined && pid !== process.pid && alive(pid)) continue;
    await rm(p, { force: true });
    removed.push(relative(base, p));
  }
  return removed;
}

/** Every file under a directory, as paths relative to it; Pledge's own temporary files are left out. */
async function walk(base: string, dir = base): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(base, p)));
    else if (e.isFile()) out.push(relative(base, p));
  }
  return out;
}

export function createFilesConnector(system: string, directory: string, options: ConnectorOptions = {}): Connector {
  const base = resolve(directory);
  const pathOf = (ds: DatasetTarget) => {
    const p = resolve(base, ds.path ?? ds.name);
    if (!p.startsWith(`${base}/`) && p !== base)
      throw new ConnectorError(system, `dataset path ${ds.path} leaves the connector's directory`);
    return p;
  };
  /**
   * The dataset's file and its rotated copies beside it (`access.jsonl.1`, `access.jsonl-20250101`); compressed copies
   * are not read.
   */
  const filesOf = async (ds: DatasetTarget): Promise<string[]> => {
    const path = pathOf(ds);
    const dir = dirname(path);
    const name = basename(path);
    let names: string[] = [];
    try {
      names = (await readdir(dir, { withFileTypes: true }))
        .filter(
          (e) =>
            e.isFile() &&
            (e.name.startsWith(`${name}.`) || e.name.startsWith(`${name}-`)) &&
            !/\.(gz|bz2|xz|zst|zip)$/i.test(e.name),
        )
        .map((e) => e.name);
    } catch {
      return [];
    }
    return [...(existsSync(path) ? [path] : []), ...names.sort().map((n) => join(dir, n))];
  };
  /** Every row of every file of the dataset. */
  async function* rowsOf(ds: DatasetTarget): AsyncGenerator<Row> {
    for (const path of await filesOf(ds))
      for await (const l of lines(path, ds.format ?? "jsonl")) if (l.row) yield l.row;
  }
  const fail = (what: string, err: unknown) =>
    err instanceof ConnectorError
      ? err
      : new ConnectorError(system, `${what} failed: ${(err as Error).message}`, { cause: err });
  // On start, the leftovers of a rewrite killed midway go, before anything reads the directory.
  let cleaned: Promise<unknown> | undefined;
  const started = () =>
    (cleaned ??= existsSync(base) && !options.readOnly ? removeStaleRewrites(base) : Promise.resolve());

  return {
    engine: "files",
    capabilities: { atomic: true, tabular: false, keyset: false, ttl: false },
    async ping() {
      if (!existsSync(base)) throw new ConnectorError(system, `directory ${base} does not exist`);
      await started();
    },
    async find(ds, sel) {
      await started();
      const out: Row[] = [];
      try {
        for await (const row of rowsOf(ds)) if (rowMatches(row, sel)) out.push(row);
      } catch (err) {
        throw fail(`reading ${pathOf(ds)}`, err);
      }
      return out;
    },
    async due(page: DuePage): Promise<DueRow[]> {
      await started();
      const out: DueRow[] = [];
      try {
        for await (const row of rowsOf(page.dataset)) {
          const c = clockOfRow(row, page.clock);
          if (c && c < page.before && (!page.since || c >= page.since) && rowCovered(row, page))
            out.push({ row, clock: c.toISOString() });
        }
      } catch (err) {
        throw fail(`reading ${pathOf(page.dataset)}`, err);
      }
      return out;
    },
    async dueSummary(query: DueQuery, before: Date): Promise<DueSummary> {
      await started();
      try {
        return await summarizeDue(rowsOf(query.dataset), query, before);
      } catch (err) {
        throw fail(`reading ${pathOf(query.dataset)}`, err);
      }
    },
    async count(ds, field, values) {
      return countValues(await this.find(ds, { field, values }), field, values);
    },
    async sample(rel: string, limit: number): Promise<{ rows: Row[]; method: string }> {
      // A reservoir over the whole file: every record has the same chance. Lines that are not records (a plain
      // log) come back as `{ "(line)": text }`.
      const path = pathOf({ name: rel, path: rel, fields: [], primaryKey: [] });
      const format = /\.csv$/i.test(rel) ? "csv" : "jsonl";
      const rows: Row[] = [];
      // A binary file (a database, an archive) is not text: it is said, not read as lines.
      const head = Buffer.alloc(4096);
      const fh = await open(path, "r");
      try {
        const { bytesRead } = await fh.read(head, 0, head.length, 0);
        if (head.subarray(0, bytesRead).includes(0)) return { rows, method: "binary: not read" };
      } finally {
        await fh.close();
      }
      let seen = 0;
      try {
        for await (const l of lines(path, format)) {
          if (l.header || !l.raw.trim()) continue;
          const row = l.row ?? { "(line)": l.raw };
          seen++;
          if (rows.length < limit) rows.push(row);
          else {
            const j = Math.floor(Math.random() * seen);
            if (j < limit) rows[j] = row;
          }
        }
      } catch (err) {
        throw fail(`reading ${rel}`, err);
      }
      return { rows, method: `${rows.length} of ${seen} records, a reservoir over the whole file` };
    },
    async introspect(paths?: readonly string[]): Promise<SchemaSnapshot> {
      // A file is a table: a CSV's header, or the keys of a JSON-lines file's first hundred records, are its columns.
      const tables: TableInfo[] = [];
      try {
        for (const rel of paths ?? (existsSync(base) ? await walk(base) : [])) {
          const path = pathOf({ name: rel, path: rel, fields: [], primaryKey: [] });
          if (!existsSync(path)) continue;
          const format = /\.csv$/i.test(rel) ? "csv" : "jsonl";
          const columns = new Set<string>();
          let n = 0;
          for await (const l of lines(path, format)) {
            if (l.header) l.header.forEach((h) => columns.add(h));
            else if (l.row) Object.keys(l.row).forEach((k) => columns.add(k));
            if (format === "csv" || ++n >= 100) break;
          }
          tables.push({
            name: rel,
            columns: [...columns].map((name) => ({ name, type: "text", dbType: format, nullable: true })),
            primaryKey: [],
            foreignKeys: [],
            indexes: [],
          });
        }
      } catch (err) {
        throw fail(`reading ${base}`, err);
      }
      return { engine: "files", tables };
    },
    async apply(mutations: readonly Mutation[]): Promise<MutationResult[]> {
      if (options.readOnly) throw new ConnectorError(system, "opened read-only: no writes");
      await started();
      const results: MutationResult[] = mutations.map(() => ({ affected: 0 }));
      const byFile = new Map<string, number[]>();
      const rotated = new Set<string>();
      for (const [i, m] of mutations.entries()) {
        const files = await filesOf(m.dataset);
        files.forEach((p, n) => {
          byFile.set(p, [...(byFile.get(p) ?? []), i]);
          if (n > 0 || p !== pathOf(m.dataset)) rotated.add(p);
        });
      }
      for (const [path, indexes] of byFile) {
        if (!existsSync(path)) continue;
        const format = mutations[indexes[0]].dataset.format ?? "jsonl";
        const tmp = join(dirname(path), `.${basename(path)}.pledge-${process.pid}-${randomBytes(6).toString("hex")}`);
        const out = await open(tmp, "w", (await stat(path)).mode);
        writing.add(tmp);
        let kept = 0;
        try {
          let header: string[] | undefined;
          for await (const l of lines(path, format)) {
            if (l.header) header = l.header;
            let text: string | undefined = l.raw;
            if (l.row) {
              let row = l.row;
              let changed = false;
              for (const i of indexes) {
                const m = mutations[i];
                if (!rowMatches(row, m.where)) continue;
                results[i].affected++;
                if (m.kind === "delete") {
                  text = undefined;
                  break;
                }
                row = { ...row, ...m.set };
                changed = true;
              }
              if (text !== undefined && changed)
                text =
                  format === "csv"
                    ? formatCsvLine((header ?? Object.keys(row)).map((h) => row[h]))
                    : JSON.stringify(row);
            }
            if (text !== undefined) await out.write(`${text}\n`);
            if (text !== undefined && l.row) kept++;
          }
          await out.sync();
          await out.close();
          // A rotated copy with nothing left goes altogether.
          if (!kept && rotated.has(path)) {
            await rm(tmp, { force: true });
            await rm(path, { force: true });
          } else await rename(tmp, path);
        } catch (err) {
          await out.close().catch(() => {});
          await rm(tmp, { force: true });
          throw fail(`rewriting ${path}`, err);
        } finally {
          writing.delete(tmp);
        }
      }
      return results;
    },
    async close() {},
  };
}
