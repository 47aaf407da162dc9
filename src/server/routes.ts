/**
 * The route table: every route is declared once with its zod schemas, which
 * both validate the request and produce the OpenAPI document. Handlers stay
 * thin: they parse, call a domain function, and render.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { hasRole, safeEqual, type Principal, type Role } from "../auth/index.js";
import { HttpError } from "./errors.js";

export type Method = "get" | "post" | "put" | "patch" | "delete";
/** Who may call a route: anyone, or an authenticated staff member (sessions and API tokens). */
export type Access = "public" | "admin";

export interface RouteResponse {
  description: string;
  contentType?: string;
  schema?: z.ZodType;
}

export interface RouteSpec<Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: Method;
  /** Hono syntax: `/privacy/versions/:version`. */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  /** For admin routes: the weakest role allowed (viewer when absent). */
  role?: Role;
  /** Hot paths logged at debug rather than info. */
  quiet?: boolean;
  query?: Q;
  params?: P;
  /** JSON or form body. */
  body?: B;
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

async function readBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/json")) {
    try {
      return await c.req.json();
    } catch {
      throw new HttpError(400, "invalid_json", "body: not valid JSON");
    }
  }
  if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    return await c.req.parseBody({ all: true });
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
        if (!principal) throw new HttpError(401, "unauthenticated", "sign in at /admin/login, or send an API token as a Bearer token");
      }
      const query = spec.query ? parseInput(spec.query, c.req.query(), "query") : undefined;
      const params = spec.params ? parseInput(spec.params, c.req.param(), "params") : undefined;
      const raw = spec.body ? await readBody(c) : undefined;
      if (principal?.via === "session" && spec.method !== "get") {
        // CSRF: a cookie session must echo its token in the form or a header.
        const sent = c.req.header("x-csrf-token") ?? (raw && typeof raw === "object" ? (raw as Record<string, unknown>)._csrf : undefined);
        if (typeof sent !== "string" || !principal.csrf || !safeEqual(sent, principal.csrf)) throw new HttpError(403, "csrf", "missing or wrong CSRF token; reload the page and try again");
      }
      if (principal && !hasRole(principal.user.role, spec.role ?? "viewer")) throw new HttpError(403, "forbidden", `this needs the ${spec.role} role`);
      const body = spec.body ? parseInput(spec.body, raw, "body") : undefined;
      return handler(c, { query, params, body, principal } as RouteInput<Out<Q>, Out<P>, Out<B>>);
    });
  }
}

export const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).meta({ id: "Error" });

/** The OpenAPI 3.1 document of a route table. */
export function openApiDocument(routes: readonly RouteSpec[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const json = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
  const parameters = (schema: z.ZodType | undefined, where: "query" | "path") => {
    if (!schema) return [];
    const js = json(schema) as { properties?: Record<string, unknown>; required?: string[] };
    return Object.entries(js.properties ?? {}).map(([name, s]) => ({ name, in: where, required: where === "path" || (js.required ?? []).includes(name), schema: s }));
  };
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: r.tags,
      ...(r.access === "admin" ? { security: [{ session: [] }, { bearer: [] }] } : {}),
      parameters: [...parameters(r.params, "path"), ...parameters(r.query, "query")],
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: json(r.body) } } } } : {}),
      responses: Object.fromEntries(
        Object.entries({ ...r.responses, 400: r.responses[400] ?? { description: "Invalid request", schema: ErrorSchema } }).map(([status, resp]) => [
          status,
          { description: resp.description, ...(resp.schema ? { content: { [resp.contentType ?? "application/json"]: { schema: json(resp.schema) } } } : resp.contentType ? { content: { [resp.contentType]: {} } } : {}) },
        ]),
      ),
    };
  }
  return {
    openapi: "3.1.0",
    info,
    paths,
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "pledge_session" },
        bearer: { type: "http", scheme: "bearer" },
      },
    },
  };
}
