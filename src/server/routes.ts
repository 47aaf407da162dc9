/**
 * The route table: every route is declared once with its zod schemas, which
 * both validate the request and produce the OpenAPI document. Handlers stay
 * thin: they parse, call a domain function, and render.
 */
import type { Context, Hono } from "hono";
import type { z } from "zod";
import { hasRole, type Principal, type Role, type SessionStage, safeEqual } from "../auth/index.js";
import { HttpError } from "./errors.js";
import { readForm } from "./forms.js";

export type Method = "get" | "post" | "put" | "patch" | "delete";
/**
 * Who may call a route: anyone, an authenticated staff member (sessions and API tokens), or an authorized agent of the
 * Data Rights Protocol (its pairwise bearer token, checked by the DRP domain with the request's signature).
 */
export type Access = "public" | "admin" | "agent";

/**
 * One response of a route. `schema` is a JSON body (or, with `contentType`, a body of that type); `contentType` alone a
 * file (CSV, ZIP, a script); `html` a page for a browser, beside JSON for API callers when both are given. A redirect
 * (3xx) needs none; an error without a body of its own is the `Error` object.
 */
export interface RouteResponse {
  description: string;
  contentType?: string;
  schema?: z.ZodType;
  html?: boolean;
  /** The response has no body at all. */
  empty?: boolean;
  /** Other text media types the same response may take (`text/markdown`), chosen by a query parameter. */
  also?: string[];
}

export interface RouteSpec<
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** The OpenAPI operationId; derived from the method and path when absent (`getAdminRequestsById`). */
  operationId?: string;
  /** Hono syntax: `/privacy/versions/:version`. */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  /** For admin routes: the weakest role allowed (viewer when absent). */
  role?: Role;
  /** For admin routes: the sign-in stages a session may be at (only `full` when absent). */
  stages?: SessionStage[];
  /** Hot paths logged at debug rather than info. */
  quiet?: boolean;
  query?: Q;
  params?: P;
  /** JSON or form body. A route without one refuses any body. */
  body?: B;
  /** The body as the OpenAPI document shows it, where `body` is a looser shape the handler parses itself. */
  documentedBody?: z.ZodType;
  /** The body is `text/plain` (a signed DRP message), handed to `body` as a string; other media types get 415. */
  textBody?: boolean;
  /**
   * The largest body accepted, in bytes (answered with 413 beyond it); 64 KB by default. Beyond 256 KB only a multipart
   * body (a file upload) is accepted.
   */
  maxBody?: number;
  /** The most form fields (or multipart parts) accepted, counted as it is read (413 beyond it); 100 by default. */
  maxFields?: number;
  responses: Record<number, RouteResponse>;
}

export interface RouteInput<Q, P, B> {
  query: Q;
  params: P;
  body: B;
  /** The authenticated staff member, on admin routes. */
  principal: Principal;
}

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

/** Parses one part of a request, turning zod issues into a 400 naming where and what. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const msg = r.error.issues
    .map((i) => {
      const path = [where, ...i.path.map(String)].join(".");
      if (i.code === "unrecognized_keys") return `${path}: unknown field(s) ${i.keys.join(", ")}`;
      return `${path}: ${i.message}`;
    })
    .join("; ");
  throw new HttpError(400, "invalid_request", msg);
}

/** The body cap of a route that does not name one: enough for any form or JSON call of Pledge's. */
export const DEFAULT_MAX_BODY = 64 * 1024;

const hasBody = (c: Context) =>
  Number(c.req.header("content-length") ?? 0) > 0 || c.req.header("transfer-encoding") !== undefined;

/**
 * Reads the raw body, at most `max` bytes: a longer one is refused with 413 as soon as it passes the cap, before it is
 * all read.
 */
async function readCapped(c: Context, max: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(c.req.header("content-length") ?? NaN);
  if (declared > max) throw new HttpError(413, "body_too_large", `body: larger than ${max} bytes`);
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new HttpError(413, "body_too_large", `body: larger than ${max} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * A key `__proto__` in a JSON body is refused: parsed, it is an own key, but copied into a record (by zod, by any
 * `{ ...spread }`) it would set the record's prototype and silently vanish.
 */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === "__proto__") throw new HttpError(400, "invalid_json", "body: a key named __proto__ is not accepted");
  return value;
}

/** The field cap of a route that does not name one: more than any form of Pledge's has. */
export const DEFAULT_MAX_FIELDS = 100;

/** Only a multipart body carries files: a JSON or urlencoded body is never larger than this, whatever the cap. */
export const MAX_TEXT_BODY = 256 * 1024;

/** The caps a route's body is read within, by the body's kind. */
export function bodyCaps(spec: Pick<RouteSpec, "maxBody" | "maxFields">): {
  multipart: number;
  text: number;
  fields: number;
} {
  const multipart = spec.maxBody ?? DEFAULT_MAX_BODY;
  return { multipart, text: Math.min(multipart, MAX_TEXT_BODY), fields: spec.maxFields ?? DEFAULT_MAX_FIELDS };
}

/**
 * The body of a request as JSON or form fields, within the route's cap. An
 * empty body is an empty object; anything else is refused with 400 (not JSON,
 * a malformed form), 413 (too large) or 415 (another media type).
 */
async function readBody(c: Context, caps: ReturnType<typeof bodyCaps>, textBody = false): Promise<unknown> {
  const header = c.req.header("content-type") ?? "";
  // Matched in lower case; the multipart boundary is case-sensitive and is passed on as sent.
  const type = header.toLowerCase();
  if (textBody) {
    if (!type.startsWith("text/plain")) throw new HttpError(415, "unsupported_media_type", "body: send text/plain");
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(await readCapped(c, caps.text));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(400, "invalid_body", "body: not valid UTF-8");
    }
  }
  if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
    const bytes = type.startsWith("multipart/") ? caps.multipart : caps.text;
    const declared = Number(c.req.header("content-length") ?? NaN);
    if (declared > bytes) throw new HttpError(413, "body_too_large", `body: larger than ${bytes} bytes`);
    return readForm(c.req.raw.body, header, { bytes, fields: caps.fields });
  }
  const bytes = await readCapped(c, caps.text);
  if (bytes.byteLength === 0) return {};
  if (type.startsWith("application/json")) {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new HttpError(400, "invalid_json", "body: not valid UTF-8");
    }
    try {
      return JSON.parse(text, refuseProtoKeys) as unknown;
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(400, "invalid_json", "body: not valid JSON");
    }
  }
  throw new HttpError(415, "unsupported_media_type", "body: send application/json or a form");
}

/** The routes registered so far, in order; `/openapi.json` and the auth tests walk it. */
export class RouteTable {
  readonly routes: RouteSpec[] = [];

  constructor(
    private app: Hono,
    private authenticate: (c: Context) => Promise<Principal | undefined> = async () => undefined,
  ) {}

  /**
   * Declares and mounts a route.
   *
   * ```ts
   * routes.add({ method: "get", path: "/healthz", summary: "Health", tags: ["ops"], access: "public",
   *   responses: { 200: { description: "ok" } } }, (c) => c.json({ ok: true }));
   * ```
   */
  add<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType>(
    spec: RouteSpec<Q, P, B>,
    handler: (c: Context, input: RouteInput<Out<Q>, Out<P>, Out<B>>) => Response | Promise<Response>,
  ): void {
    this.routes.push(spec as unknown as RouteSpec);
    this.app.on(spec.method.toUpperCase(), spec.path, async (c) => {
      let principal: Principal | undefined;
      if (spec.access === "admin") {
        principal = await this.authenticate(c);
        const browser = spec.method === "get" && wantsHtml(c);
        if (!principal) {
          // A person who opens the console in a browser is sent to sign in and brought back; machines get JSON.
          if (browser) return c.redirect(`/admin/login?next=${encodeURIComponent(pathAndQuery(c))}`, 303);
          throw new HttpError(
            401,
            "unauthenticated",
            "sign in at /admin/login, or send an API token as a Bearer token",
          );
        }
        const stage = principal.stage ?? "full";
        if (principal.via === "session" && !(spec.stages ?? ["full"]).includes(stage)) {
          if (browser) return c.redirect(STAGE_PAGES[stage], 303);
          throw new HttpError(401, "sign_in_unfinished", `finish signing in at ${STAGE_PAGES[stage]}`);
        }
      }
      const query = spec.query ? parseInput(spec.query, c.req.query(), "query") : undefined;
      const params = spec.params ? parseInput(spec.params, c.req.param(), "params") : undefined;
      let raw: unknown;
      if (spec.body) raw = await readBody(c, bodyCaps(spec), spec.textBody);
      else if (hasBody(c))
        throw new HttpError(400, "unexpected_body", `body: ${spec.method.toUpperCase()} ${spec.path} takes no body`);
      if (principal?.via === "session" && spec.method !== "get") {
        // CSRF: a cookie session must echo its token in the form or a header.
        const sent =
          c.req.header("x-csrf-token") ??
          (raw && typeof raw === "object" ? (raw as Record<string, unknown>)._csrf : undefined);
        if (typeof sent !== "string" || !principal.csrf || !safeEqual(sent, principal.csrf))
          throw new HttpError(403, "csrf", "missing or wrong CSRF token; reload the page and try again");
      }
      if (principal && !hasRole(principal.user.role, spec.role ?? "viewer"))
        throw new HttpError(403, "forbidden", `this needs the ${spec.role} role`);
      const body = spec.body ? parseInput(spec.body, raw, "body") : undefined;
      return handler(c, { query, params, body, principal } as RouteInput<Out<Q>, Out<P>, Out<B>>);
    });
  }
}

/** Where a session at each stage of signing in goes next. */
export const STAGE_PAGES: Record<SessionStage, string> = {
  password: "/admin/password",
  mfa: "/admin/login/code",
  enroll: "/admin/account/two-factor",
  full: "/admin",
};

/** Whether a form route was called by a machine (a JSON body or an API token): it answers JSON, not a page. */
export function isApiCall(c: Context): boolean {
  return (
    (c.req.header("content-type") ?? "").includes("application/json") ||
    c.req.header("authorization")?.startsWith("Bearer ") === true
  );
}

/** Whether a path is one of the machine APIs (`/v1/…`, `/api/…`): JSON only, never a page, never cached. */
export const isApiPath = (path: string): boolean => path.startsWith("/v1/") || path.startsWith("/api/");

/** Whether the client is a browser asking for a page (its Accept names HTML). */
export function wantsHtml(c: Context): boolean {
  return (c.req.header("accept") ?? "").includes("text/html");
}

const pathAndQuery = (c: Context) => {
  const u = new URL(c.req.url);
  return u.pathname + u.search;
};
