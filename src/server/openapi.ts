/**
 * The OpenAPI 3.1 document of the route table: every operation with its operationId, parameters, request bodies in
 * each media type it accepts, success and error responses with their schemas, and its security. Schemas that carry
 * an id (`.meta({ id })`) are written once under `components/schemas` and referenced from there.
 */
import { z } from "zod";
import { ErrorSchema } from "./schemas.js";
import { isApiPath, type RouteResponse, type RouteSpec } from "./routes.js";

type Json = Record<string, unknown>;

/** `post /admin/requests/:id/tasks/:taskId/confirm` → `postAdminRequestsByIdTasksByTaskIdConfirm`. */
export function operationIdOf(spec: Pick<RouteSpec, "method" | "path" | "operationId">): string {
  if (spec.operationId) return spec.operationId;
  const words = spec.path
    .split(/[/.\-_]+/)
    .filter(Boolean)
    .map((w) => (w.startsWith(":") ? `By${cap(w.slice(1))}` : cap(w)));
  return spec.method + (words.join("") || "Root");
}
const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/**
 * Collects the schemas with an id into `components/schemas` and points every reference there. A name given to two
 * different schemas (or to one whose request and response forms differ) is refused when the document is built.
 */
class Components {
  readonly schemas: Record<string, Json> = {};

  /** The JSON Schema of a zod schema, its named parts moved to the components. */
  of(schema: z.ZodType, io: "input" | "output"): Json {
    const js = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
    delete js.$schema;
    const defs = (js.$defs ?? {}) as Record<string, Json>;
    delete js.$defs;
    for (const [name, def] of Object.entries(defs)) {
      const moved = rewrite(def) as Json;
      const known = this.schemas[name];
      if (known && JSON.stringify(known) !== JSON.stringify(moved))
        throw new Error(`two different schemas are named ${name} in the OpenAPI document`);
      this.schemas[name] = moved;
    }
    return rewrite(js) as Json;
  }
}

/** Points `#/$defs/X` references at `#/components/schemas/X`. */
function rewrite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewrite);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node))
    out[k] =
      k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")
        ? `#/components/schemas/${v.slice("#/$defs/".length)}`
        : rewrite(v);
  return out;
}

const STRING = { type: "string" };
const BINARY = { type: "string", format: "binary" };
const textual = (type: string) => /^text\/|javascript|json|svg|xml/.test(type);

function contentOf(resp: RouteResponse, status: number, components: Components, path: string): Json | undefined {
  const content: Json = {};
  if (resp.empty) return undefined;
  if (resp.schema) content[resp.contentType ?? "application/json"] = { schema: components.of(resp.schema, "output") };
  else if (resp.contentType) content[resp.contentType] = { schema: textual(resp.contentType) ? STRING : BINARY };
  if (resp.html) content["text/html"] = { schema: STRING };
  for (const type of resp.also ?? []) content[type] = { schema: STRING };
  if (!Object.keys(content).length && status >= 400) {
    content["application/json"] = { schema: components.of(ErrorSchema, "output") };
    // A person in a browser gets the error as a page; the API paths answer JSON only.
    if (!isApiPath(path)) content["text/html"] = { schema: STRING };
  }
  return Object.keys(content).length ? content : undefined;
}

/** The errors every operation of its kind may answer, unless it documents its own. */
function defaultErrors(r: RouteSpec): Record<number, RouteResponse> {
  const out: Record<number, RouteResponse> = { 400: { description: "Invalid request: where and what" } };
  if (r.access !== "public") {
    out[401] = { description: "Not signed in, or no valid token" };
    out[403] = {
      description:
        r.access === "agent" ? "Not this agent's, or a bad signature" : "The role is too weak, or a missing CSRF token",
    };
  }
  if (r.body) {
    out[413] = { description: "The body is larger than the route accepts" };
    out[415] = { description: "A media type the route does not accept" };
  }
  return out;
}

function requestBody(r: RouteSpec, components: Components): Json | undefined {
  if (!r.body) return undefined;
  if (r.textBody) return { required: true, content: { "text/plain": { schema: STRING } } };
  // Every body route reads JSON, urlencoded and multipart forms alike (an upload only fits in multipart).
  const schema = components.of(r.documentedBody ?? r.body, "input");
  return {
    required: true,
    content: {
      "application/json": { schema },
      "application/x-www-form-urlencoded": { schema },
      "multipart/form-data": { schema },
    },
  };
}

function parameters(schema: z.ZodType | undefined, where: "query" | "path", components: Components): Json[] {
  if (!schema) return [];
  const js = components.of(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (js.required ?? []).includes(name),
    schema: s,
  }));
}

export interface OpenApiInfo {
  title: string;
  version: string;
  /** The public URL the API is reached at: the document's only server. */
  serverUrl: string;
}

/** The OpenAPI 3.1 document of a route table. */
export function openApiDocument(routes: readonly RouteSpec[], info: OpenApiInfo): Json {
  const components = new Components();
  const paths: Record<string, Json> = {};
  const ids = new Set<string>();
  const tags = new Set<string>();
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, "{$1}");
    const operationId = operationIdOf(r);
    if (ids.has(operationId)) throw new Error(`two operations are called ${operationId}`);
    ids.add(operationId);
    for (const t of r.tags) tags.add(t);
    const responses: Json = {};
    const all = { ...defaultErrors(r), ...r.responses };
    for (const [code, resp] of Object.entries(all)) {
      const status = Number(code);
      const content = contentOf(resp, status, components, r.path);
      responses[code] = {
        description: resp.description,
        ...(status >= 300 && status < 400
          ? { headers: { Location: { description: "Where to go next", required: true, schema: STRING } } }
          : {}),
        ...(content ? { content } : {}),
      };
    }
    paths[path] ??= {};
    paths[path][r.method] = {
      operationId,
      summary: r.summary,
      tags: r.tags,
      security:
        r.access === "admin" ? [{ session: [] }, { bearer: [] }] : r.access === "agent" ? [{ drpAgent: [] }] : [],
      parameters: [...parameters(r.params, "path", components), ...parameters(r.query, "query", components)],
      ...(r.body ? { requestBody: requestBody(r, components) } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description:
        "Pledge's HTTP API: the privacy notice, the privacy center, consent, newsletters, the Data Rights Protocol, " +
        "and the console's operations, which answer JSON to API tokens.",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: info.serverUrl }],
    tags: [...tags].sort().map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "pledge_session", description: "A console session" },
        bearer: { type: "http", scheme: "bearer", description: "A staff API token (pledge tokens create)" },
        drpAgent: {
          type: "http",
          scheme: "bearer",
          description: "The pairwise token of a Data Rights Protocol agent, from POST /v1/agent/{agentId}",
        },
      },
    },
  };
}

const TAG_DESCRIPTIONS: Record<string, string> = {
  ops: "Health and the OpenAPI document",
  operations: "Health, metrics and the OpenAPI document",
  notice: "The privacy notice and its versions",
  "privacy center": "Requests from the people whose data it is",
  admin: "The console: requests, consent, discovery, retention",
  api: "JSON APIs for API tokens",
  account: "Signing in and a staff member's own account",
  governance: "The governance registers",
  consent: "The banner, consent records and decisions",
  newsletters: "Newsletters with double opt-in",
  drp: "The Data Rights Protocol, for authorized agents",
  map: "The data map",
  dpia: "DPIA screening",
};
