/**
 * The HTTP connector: a processor's API, driven by a vendor spec (a built-in under `vendors/`, or a file of the
 * organization's own). It finds a person by the identities the vendor received, exports what it finds, erases,
 * rectifies, and runs consent operations, synchronously or as a job Pledge checks until it is done. Records live in
 * memory only: what a task keeps is counts, job ids and the vendor's status codes.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Declaration, Finding } from "../../declaration/index.js";
import { ConnectorConfigError, ConnectorError } from "../types.js";
import { createVendorClient, type VendorClient } from "./client.js";
import { buildRequest, onBase, readOne, readPath, type TemplateValues } from "./request.js";
import {
  VendorSpec,
  type ConsentOperationName,
  type VendorAsync,
  type VendorExpand,
  type VendorFind,
  type VendorOperation,
} from "./spec.js";

export { VendorSpec, vendorSpecJsonSchema, CONSENT_OPERATIONS, type ConsentOperationName } from "./spec.js";
export { buildRequest, readPath, VendorRequestError, type BuiltRequest } from "./request.js";
export { createVendorClient, VendorRetryLater, gateStats, maskEmails, vendorMessage, retryAfterMs } from "./client.js";

type Env = Record<string, string | undefined>;

/** Where the built-in specs are: `vendors/` at the package's root (from `src/` and `dist/` alike). */
export const BUILT_IN_SPECS = resolve(dirname(fileURLToPath(import.meta.url)), "../../../vendors");

/** The names of the built-in specs. */
export function builtInSpecs(): string[] {
  return readdirSync(BUILT_IN_SPECS)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** A vendor spec could not be read: where, and what was expected. */
export class VendorSpecError extends Error {
  readonly code = "VENDOR_SPEC";
  constructor(message: string) {
    super(message);
    this.name = "VendorSpecError";
  }
}

const loaded = new Map<string, VendorSpec>();

/**
 * A spec by built-in name (`stripe`) or by path (`./vendors/acme.yaml`, from `cwd`).
 *
 * ```ts
 * const spec = loadVendorSpec("sendgrid");
 * ```
 */
export function loadVendorSpec(name: string, cwd = process.cwd()): VendorSpec {
  const file = /^[a-z0-9-]+$/.test(name) ? join(BUILT_IN_SPECS, `${name}.yaml`) : resolve(cwd, name);
  const cached = loaded.get(file);
  if (cached) return cached;
  if (!existsSync(file))
    throw new VendorSpecError(
      /^[a-z0-9-]+$/.test(name)
        ? `no built-in vendor spec '${name}' (built in: ${builtInSpecs().join(", ")}); give a path for your own`
        : `vendor spec ${file} does not exist`,
    );
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new VendorSpecError(`${file}: not YAML: ${(err as Error).message}`);
  }
  const parsed = VendorSpec.safeParse(doc);
  if (!parsed.success)
    throw new VendorSpecError(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  loaded.set(file, parsed.data);
  return parsed.data;
}

/** What a system's `connector: { engine: http }` holds. */
export interface HttpConnectorConfig {
  engine: "http";
  spec: string;
  /** A base URL other than the spec's (a regional host, a test fake): a URL, or an environment variable naming one. */
  baseUrl?: string | { env: string };
  /** The declared identity type behind each of the spec's (`email: customer_email`). */
  identities?: Record<string, string>;
}

/** A record at a vendor, in memory only. */
export interface VendorRecord {
  id: string;
  record: unknown;
  /** What the record is, where a spec finds several kinds (`Messages`, `Calls`). */
  kind?: string;
}

/** The outcome of an operation: done now, or a job to check. */
export interface VendorOutcome {
  calls: number;
  /** The statuses the vendor answered, in order. */
  statuses: number[];
  /** Jobs still running at the vendor, to check with `check`. */
  jobs: string[];
}

/** A processor reached over its API. */
export interface VendorConnector {
  readonly engine: "http";
  readonly system: string;
  readonly spec: VendorSpec;
  readonly base: URL;
  /** The declared identity types the vendor can be searched by. */
  searchable(): string[];
  /** The person's records at the vendor, by each identity value it can be searched by; one entry per record id. */
  find(identities: Record<string, readonly string[]>): Promise<VendorRecord[]>;
  /** The records in full, for an export. */
  exportRecords(records: readonly VendorRecord[]): Promise<unknown[]>;
  /** `reference`: the request's, for vendors that keep a note with the change. */
  erase(
    records: readonly VendorRecord[],
    identities: Record<string, readonly string[]>,
    reference?: string,
  ): Promise<VendorOutcome>;
  rectify(records: readonly VendorRecord[], corrections: Record<string, string>): Promise<VendorOutcome>;
  consent(
    op: ConsentOperationName,
    identities: Record<string, readonly string[]>,
    reference?: string,
  ): Promise<VendorOutcome>;
  /** Checks an operation's jobs: `done`, `running`, or failed with the vendor's status. */
  check(
    op: "erase" | ConsentOperationName,
    jobs: readonly string[],
    identities: Record<string, readonly string[]>,
  ): Promise<{ state: "done" | "running" } | { state: "failed"; why: string }>;
  close(): Promise<void>;
}

/**
 * A live connector for a system whose processor is reached over HTTP.
 *
 * ```ts
 * const stripe = createVendorConnector("billing", { engine: "http", spec: "stripe" }, process.env);
 * const records = await stripe.find({ email: ["ada@example.com"] });
 * ```
 */
export function createVendorConnector(
  system: string,
  config: HttpConnectorConfig,
  env: Env = process.env,
  cwd = process.cwd(),
): VendorConnector {
  const spec = loadVendorSpec(config.spec, cwd);
  const declaredBase =
    config.baseUrl === undefined
      ? spec.baseUrl
      : typeof config.baseUrl === "string"
        ? config.baseUrl
        : env[config.baseUrl.env];
  if (!declaredBase)
    throw new ConnectorConfigError(
      `${system}: environment variable ${(config.baseUrl as { env: string }).env} (the vendor's base URL) is not set`,
    );
  let base: URL;
  try {
    base = new URL(declaredBase);
  } catch {
    throw new ConnectorConfigError(`${system}: the vendor's base URL is not a URL`);
  }
  if (!/^https?:$/.test(base.protocol) || base.username || base.password || base.search)
    throw new ConnectorConfigError(`${system}: the vendor's base URL must be http(s), without credentials or query`);
  const client: VendorClient = createVendorClient(system, spec, base, env);
  const declaredType = (t: string) => config.identities?.[t] ?? t;
  const values = (identities: Record<string, readonly string[]>) =>
    spec.identities.flatMap((t) => (identities[declaredType(t)] ?? []).map((v) => ({ type: t, value: v })));

  const vars: TemplateValues = {
    vars: Object.fromEntries(
      Object.entries(spec.vars ?? {}).map(([k, ref]) => {
        const v = env[ref.env];
        if (!v)
          throw new ConnectorConfigError(`${system}: environment variable ${ref.env} (${spec.name}'s ${k}) is not set`);
        return [k, v];
      }),
    ),
  };

  /** One search's records, page by page (at most `maxPages`). */
  const search = async (f: VendorFind | VendorExpand, given: TemplateValues): Promise<VendorRecord[]> => {
    const out: VendorRecord[] = [];
    let request = buildRequest(base, f.request, given);
    const maxPages = f.page?.maxPages ?? 50;
    for (let page = 1; ; page++) {
      const answer = await client.send(request, { none: f.request.none ?? [] });
      if (f.request.none?.includes(answer.status)) break;
      const records = readPath(answer.body, f.records).flatMap((r) => (Array.isArray(r) ? r : [r]));
      for (const r of records) {
        const id = readOne(r, f.id);
        if (typeof id === "string" || typeof id === "number")
          out.push({ id: String(id), record: r, ...(f.kind ? { kind: f.kind } : {}) });
      }
      const p = f.page;
      if (!p || page >= maxPages || !records.length) break;
      const next = (param: string, cursor: unknown) =>
        buildRequest(base, { ...f.request, query: { ...f.request.query, [param]: String(cursor) } }, given);
      if ("fromRecord" in p) {
        const cursor = readOne(records[records.length - 1], p.fromRecord);
        if (readOne(answer.body, p.more) !== true || cursor === undefined || cursor === null) break;
        request = next(p.param, cursor);
      } else if ("fromAnswer" in p) {
        const cursor = readOne(answer.body, p.fromAnswer);
        if (cursor === undefined || cursor === null || cursor === "") break;
        request = next(p.param, cursor);
      } else {
        const link = readOne(answer.body, p.nextUrl);
        if (typeof link !== "string" || !link) break;
        const url = new URL(link, base);
        // The vendor names the next page; it is followed only on the declared host and base path.
        if (!onBase(url, base))
          throw new ConnectorError(system, `${spec.name} named a next page off ${base.origin}: not followed`, {
            permanent: true,
          });
        request = { ...request, url };
      }
    }
    return out;
  };

  /** Runs an operation per record or per identity value; collects job ids from asynchronous answers. */
  const run = async (
    op: VendorOperation,
    records: readonly VendorRecord[],
    identities: Record<string, readonly string[]>,
    extra: TemplateValues = {},
  ): Promise<VendorOutcome> => {
    const items: TemplateValues[] =
      op.per === "record"
        ? records.map((r) => ({ ...vars, record: r.record, id: r.id, kind: r.kind ?? "", ...extra }))
        : values(identities).map((v) => ({ ...vars, [v.type]: v.value, ...extra }));
    const out: VendorOutcome = { calls: 0, statuses: [], jobs: [] };
    await Promise.all(
      items.map(async (item) => {
        const answer = await client.send(buildRequest(base, op.request, item), { done: op.done ?? [] });
        out.calls++;
        out.statuses.push(answer.status);
        if (op.after && !(op.done ?? []).includes(answer.status)) {
          const second = await client.send(buildRequest(base, op.after, item), { done: op.done ?? [] });
          out.calls++;
          out.statuses.push(second.status);
        }
        if (op.async && !(op.done ?? []).includes(answer.status)) {
          const job = readOne(answer.body, op.async.job);
          if (typeof job !== "string" && typeof job !== "number")
            throw new ConnectorError(
              system,
              `${spec.name} answered ${op.request.method} ${op.request.path} without a job id`,
              {
                permanent: true,
              },
            );
          out.jobs.push(String(job));
        }
      }),
    );
    return out;
  };

  const connector: VendorConnector = {
    engine: "http",
    system,
    spec,
    base,
    searchable: () => Object.keys(spec.operations.find ?? {}).map(declaredType),
    async find(identities) {
      const found = new Map<string, VendorRecord>();
      for (const { type, value } of values(identities)) {
        const f = spec.operations.find?.[type as keyof NonNullable<typeof spec.operations.find>];
        for (const one of f ? (Array.isArray(f) ? f : [f]) : []) {
          for (const r of await search(one, { ...vars, [type]: value })) {
            found.set(`${r.kind ?? ""}/${r.id}`, r);
            for (const x of one.expand ?? [])
              for (const child of await search(x, { ...vars, record: r.record, id: r.id }))
                found.set(`${child.kind ?? ""}/${child.id}`, child);
          }
        }
      }
      return [...found.values()];
    },
    async exportRecords(records) {
      const op = spec.operations.export;
      if (!op) return records.map((r) => r.record);
      const out: unknown[] = [];
      for (const r of records)
        out.push((await client.send(buildRequest(base, op.request, { ...vars, record: r.record, id: r.id }))).body);
      return out;
    },
    async erase(records, identities, reference = "pledge") {
      const op = spec.operations.erase;
      if (!op) throw new ConnectorError(system, `${spec.name}'s spec has no erase operation`, { permanent: true });
      return run(op, records, identities, { reference });
    },
    async rectify(records, corrections) {
      const op = spec.operations.rectify;
      if (!op) throw new ConnectorError(system, `${spec.name}'s spec has no rectify operation`, { permanent: true });
      const correction: Record<string, string> = {};
      for (const [category, field] of Object.entries(op.fields))
        if (Object.hasOwn(corrections, category)) correction[field] = corrections[category];
      if (!Object.keys(correction).length) return { calls: 0, statuses: [], jobs: [] };
      // The body holds the corrected fields only, each value through a placeholder: never read as a template.
      const fields = Object.fromEntries(Object.keys(correction).map((f) => [f, `{correction.${f}}`]));
      const request = { ...op.request, ...(op.body === "form" ? { form: fields } : { json: fields }) };
      return run({ ...op, request }, records, {}, { correction });
    },
    async consent(op, identities, reference = "pledge") {
      const o = spec.operations[op];
      if (!o) throw new ConnectorError(system, `${spec.name}'s spec has no ${op} operation`, { permanent: true });
      return run(o, o.per === "record" ? await connector.find(identities) : [], identities, { reference });
    },
    async check(op, jobs, identities) {
      const a: VendorAsync | undefined = spec.operations[op]?.async;
      if (!a) return { state: "done" };
      if (a.check === "find")
        return (await connector.find(identities)).length ? { state: "running" } : { state: "done" };
      const check = a.check;
      for (const job of jobs) {
        const answer = await client.send(buildRequest(base, check.request, { ...vars, job: { id: job } }));
        const state = String(readOne(answer.body, check.path) ?? "");
        if (check.failed.includes(state)) return { state: "failed", why: `${spec.name} reports the job ${state}` };
        if (!check.done.includes(state)) return { state: "running" };
      }
      return { state: "done" };
    },
    async close() {},
  };
  return connector;
}

/** Whether an operation of a spec is asynchronous. */
export function isAsync(spec: VendorSpec, op: "erase" | ConsentOperationName): boolean {
  return !!spec.operations[op]?.async;
}

/** Every `{ env: NAME }` a value holds, at any depth (a spec's auth and vars, a connector's base URL). */
function envNames(value: unknown): string[] {
  if (!value || typeof value !== "object") return [];
  const o = value as Record<string, unknown>;
  if (typeof o.env === "string" && Object.keys(o).length === 1) return [o.env];
  return Object.values(o).flatMap(envNames);
}

/**
 * What `pledge check` says of the processors reached over HTTP: a spec that cannot be read (a misspelled built-in, a
 * missing or invalid file) is an error before any request needs it; with `env` (`--live`), so is a secret or base URL
 * the environment does not set.
 */
export function vendorSpecFindings(
  decl: Declaration,
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Finding[] {
  const out: Finding[] = [];
  for (const [sid, sys] of Object.entries(decl.systems)) {
    const c = sys.connector;
    if (c?.engine !== "http") continue;
    let spec: VendorSpec;
    try {
      spec = loadVendorSpec(c.spec, options.cwd);
    } catch (err) {
      out.push({
        rule: "vendor-spec-unreadable",
        severity: "error",
        article: "",
        path: ["systems", sid, "connector", "spec"],
        message: `${sys.name}: ${(err as Error).message}`,
      });
      continue;
    }
    if (!options.env) continue;
    const env = options.env;
    const unset = [...new Set([...envNames(spec.auth), ...envNames(spec.vars), ...envNames(c.baseUrl)])].filter(
      (n) => !env[n],
    );
    if (unset.length)
      out.push({
        rule: "vendor-secret-unset",
        severity: "error",
        article: "",
        path: ["systems", sid, "connector"],
        message:
          `${sys.name}: ${unset.join(", ")} ${unset.length === 1 ? "is" : "are"} not set: every request and ` +
          `consent withdrawal for ${spec.name} would fail`,
      });
  }
  return out;
}
