/**
 * Sending vendor calls: auth from the environment, the vendor's limits across the process (calls in flight and per
 * second), `429` with `Retry-After` honoured, and errors that name the vendor's own message with email addresses
 * masked. Answers are parsed in memory and never logged or stored.
 */
import { Agent, request } from "undici";
import { ConnectorError } from "../types.js";
import { onBase, type BuiltRequest } from "./request.js";
import type { VendorSpec } from "./spec.js";

type Env = Record<string, string | undefined>;

/** An answer, parsed. */
export interface VendorAnswer {
  status: number;
  body: unknown;
}

/** Waits up to this long in the task for a `Retry-After`; longer waits reschedule the task instead. */
const MAX_INLINE_WAIT_MS = 30_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

interface Gate {
  inFlight: number;
  queue: (() => void)[];
  nextStart: number;
  /** Set by a 429: nobody starts before this. */
  pausedUntil: number;
}
const gates = new Map<string, Gate>();

/** How long a vendor has to send the head of its answer, and then between parts of its body. */
const CALL_TIMEOUT_MS = 30_000;
/**
 * One connection pool for every vendor, whose timeouts bound each call without a timer per call: a vendor that stalls
 * fails the call after 30 s. Redirects are never followed (undici's `request` follows none): a 3xx is an error.
 */
const agent = new Agent({
  headersTimeout: CALL_TIMEOUT_MS,
  bodyTimeout: CALL_TIMEOUT_MS,
  connectTimeout: 10_000,
  keepAliveTimeout: 4_000,
});

/** Calls made per gate, for tests and the benchmark: the most that were ever in flight at once. */
export const gateStats = new Map<string, { calls: number; maxInFlight: number }>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function acquire(key: string, limits: VendorSpec["limits"]): Promise<() => void> {
  let g = gates.get(key);
  if (!g) gates.set(key, (g = { inFlight: 0, queue: [], nextStart: 0, pausedUntil: 0 }));
  const gate = g;
  // A released slot passes straight to the first waiter, so that no newcomer takes it in between.
  if (gate.inFlight >= limits.concurrency) await new Promise<void>((r) => gate.queue.push(r));
  else gate.inFlight++;
  const stats = gateStats.get(key) ?? { calls: 0, maxInFlight: 0 };
  stats.calls++;
  stats.maxInFlight = Math.max(stats.maxInFlight, gate.inFlight);
  gateStats.set(key, stats);
  const spacing = limits.perSecond ? 1000 / limits.perSecond : 0;
  const start = Math.max(Date.now(), gate.nextStart, gate.pausedUntil);
  gate.nextStart = start + spacing;
  if (start > Date.now()) await sleep(start - Date.now());
  return () => {
    const next = gate.queue.shift();
    if (next) next();
    else gate.inFlight--;
  };
}

/** An answer's body as text, refused once it passes the limit (a vendor that sends no length is read until then). */
async function readText(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new Error("answer over the limit");
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Email addresses in a vendor's text, masked (`a•••@example.com`). */
export function maskEmails(text: string): string {
  return text.replace(/([^\s@"'<>(),;:]{1,64})@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, (_, local: string, domain: string) => {
    return `${local[0]}•••@${domain}`;
  });
}

/** The vendor's own error message from the shapes vendors use, short and masked. */
export function vendorMessage(body: unknown): string {
  const pick = (b: unknown): string | undefined => {
    if (typeof b === "string") return b;
    if (!b || typeof b !== "object") return undefined;
    const o = b as Record<string, unknown>;
    // A problem document with the fields at fault (RFC 9457 extensions, as contract mocks answer).
    if (Array.isArray(o.validation) && o.validation.length)
      return o.validation.map((v) => (v as { message?: string }).message ?? "").join("; ");
    for (const k of ["message", "detail", "title", "error_description", "description"])
      if (typeof o[k] === "string") return o[k] as string;
    if (o.error) return pick(o.error);
    if (Array.isArray(o.errors))
      return o.errors
        .map(pick)
        .filter((x): x is string => !!x)
        .join("; ");
    return undefined;
  };
  const raw = pick(body) ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a vendor's text is stripped of control characters
  return maskEmails(raw.replace(/[\u0000-\u001f\u007f]+/g, " ").trim()).slice(0, 300);
}

/** The delay a `Retry-After` asks for, in ms (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const t = Date.parse(header);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/** A vendor asked to be called again later than a task should wait: the task is rescheduled, not failed. */
export class VendorRetryLater extends ConnectorError {
  constructor(
    system: string,
    message: string,
    readonly retryAt: Date,
  ) {
    super(system, message);
    this.name = "VendorRetryLater";
  }
}

const tokens = new Map<string, { token: string; until: number }>();

function need(env: Env, ref: { env: string }, system: string, what: string): string {
  const v = env[ref.env];
  if (!v) throw new ConnectorError(system, `environment variable ${ref.env} (${what}) is not set`, { permanent: true });
  return v;
}

/** A client for one system's vendor. */
export interface VendorClient {
  send(req: BuiltRequest, options?: { none?: readonly number[]; done?: readonly number[] }): Promise<VendorAnswer>;
  /** The base URL calls go under. */
  readonly base: URL;
}

/**
 * A client for a vendor spec at `base`, authenticated from `env`.
 *
 * ```ts
 * const client = createVendorClient("stripe", spec, new URL(spec.baseUrl), process.env);
 * ```
 */
export function createVendorClient(system: string, spec: VendorSpec, base: URL, env: Env): VendorClient {
  const key = `${spec.name}@${base.origin}`;
  const auth = async (): Promise<Record<string, string>> => {
    const a = spec.auth;
    switch (a.type) {
      case "header":
        return { [a.name.toLowerCase()]: `${a.prefix ?? ""}${need(env, a.value, system, "the API key")}` };
      case "bearer":
        return { authorization: `Bearer ${need(env, a.token, system, "the API token")}` };
      case "basic": {
        const user = typeof a.username === "string" ? a.username : need(env, a.username, system, "the API user");
        const pass = a.password ? need(env, a.password, system, "the API password") : "";
        return { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}` };
      }
      case "body":
        return {};
      case "oauth2": {
        const id = need(env, a.clientId, system, "the OAuth client id");
        const cached = tokens.get(`${a.tokenUrl} ${id}`);
        if (cached && cached.until > Date.now() + 30_000) return { authorization: `Bearer ${cached.token}` };
        const form = new URLSearchParams({ grant_type: "client_credentials" });
        if (a.scope) form.set("scope", a.scope);
        const basic = Buffer.from(`${id}:${need(env, a.clientSecret, system, "the OAuth client secret")}`);
        // Through the same agent as every vendor call: its timeouts, and no redirect followed.
        const res = await request(a.tokenUrl, {
          dispatcher: agent,
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: `Basic ${basic.toString("base64")}`,
          },
          body: form.toString(),
        }).catch((err: unknown) => {
          throw new ConnectorError(system, `${spec.name}'s token endpoint could not be reached`, { cause: err });
        });
        const body = (await res.body.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
        if (res.statusCode < 200 || res.statusCode >= 300 || !body.access_token)
          throw new ConnectorError(system, `${spec.name}'s token endpoint answered ${res.statusCode}`, {
            permanent: res.statusCode >= 300 && res.statusCode < 500,
          });
        tokens.set(`${a.tokenUrl} ${id}`, {
          token: body.access_token,
          until: Date.now() + (body.expires_in ?? 3600) * 1000,
        });
        return { authorization: `Bearer ${body.access_token}` };
      }
    }
  };
  return {
    base,
    async send(req, options = {}) {
      if (!onBase(req.url, base)) throw new ConnectorError(system, `${req.shown}: refused, off ${base.origin}`);
      let sentBody = req.body;
      if (spec.auth.type === "body") {
        // The key travels in the JSON body (Mailchimp Transactional): added here, never part of a built call.
        const fields = sentBody ? (JSON.parse(sentBody) as Record<string, unknown>) : {};
        sentBody = JSON.stringify({ [spec.auth.name]: need(env, spec.auth.value, system, "the API key"), ...fields });
        req = { ...req, headers: { ...req.headers, "content-type": "application/json" } };
      }
      for (let attempt = 1; ; attempt++) {
        const release = await acquire(key, spec.limits);
        let status: number;
        let retryAfter: string | undefined;
        let text: string;
        try {
          const res = await request(req.url, {
            dispatcher: agent,
            method: req.method as "GET",
            headers: { ...req.headers, ...(await auth()) },
            ...(sentBody !== undefined ? { body: sentBody } : {}),
          });
          status = res.statusCode;
          const ra = res.headers["retry-after"];
          retryAfter = Array.isArray(ra) ? ra[0] : ra;
          const length = Number(res.headers["content-length"] ?? 0);
          if (length > MAX_BODY_BYTES) {
            res.body.destroy();
            throw new Error(`answer of ${length} bytes is over the limit`);
          }
          // A stated length within the limit is read at once; an answer without one is counted as it comes.
          text = res.headers["content-length"] !== undefined ? await res.body.text() : await readText(res.body);
        } catch (err) {
          if (err instanceof ConnectorError) throw err;
          throw new ConnectorError(system, `${spec.name} could not be reached on ${req.shown}`, { cause: err });
        } finally {
          release();
        }
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {}
        const ok = status >= 200 && status < 300;
        if (status === 429) {
          const wait = retryAfterMs(retryAfter ?? null) ?? Math.min(60_000, 1000 * 2 ** attempt);
          const gate = gates.get(key);
          if (gate) gate.pausedUntil = Math.max(gate.pausedUntil, Date.now() + wait);
          if (wait > MAX_INLINE_WAIT_MS || attempt >= 4)
            throw new VendorRetryLater(
              system,
              `${spec.name} asked to wait (429) on ${req.shown}`,
              new Date(Date.now() + wait),
            );
          await sleep(wait);
          continue;
        }
        if (ok || options.none?.includes(status) || options.done?.includes(status)) return { status, body };
        const said = vendorMessage(body);
        throw new ConnectorError(
          system,
          `${spec.name} answered ${status} on ${req.shown}${said ? `: ${said}` : ""}`,
          // A 4xx (and a redirect, never followed) says the same on every try: staff see it at once. A 5xx passes, and
          // is retried.
          { permanent: status >= 300 && status < 500 && status !== 408 && status !== 409 },
        );
      }
    },
  };
}
