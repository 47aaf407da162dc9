/**
 * Building a vendor call from its template. Every value is encoded for its place: a path placeholder fills exactly one
 * segment (`/` and `?` encoded; `.` and `..` refused, since URL parsers resolve them even encoded), a query or form
 * value goes through URLSearchParams, a JSON value stays a JSON value. The built URL is checked against the base URL
 * once more: whatever the data holds, a connector calls only its declared host, under its base path.
 */
import type { RequestTemplate } from "./spec.js";

/** The values a template may name: `email`, `record`, `job`, `correction`, `reference`. */
export type TemplateValues = Record<string, unknown>;

/** A call a vendor spec refused to build: a value that does not fit its place, or a URL off the declared host. */
export class VendorRequestError extends Error {
  readonly code = "VENDOR_REQUEST";
  constructor(message: string) {
    super(message);
    this.name = "VendorRequestError";
  }
}

/** A value at a dot path (`data.0.id`, `result.*.contact`: `*` spreads an object's values or an array's items). */
export function readPath(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const part of path.split(".")) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== "object") continue;
      if (part === "*") next.push(...(Array.isArray(v) ? v : Object.values(v)));
      else if (Object.hasOwn(v, part)) next.push((v as Record<string, unknown>)[part]);
    }
    current = next;
  }
  return current;
}

/** The one value at a path, or undefined. */
export function readOne(value: unknown, path: string): unknown {
  return readPath(value, path)[0];
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}/g;

function lookup(values: TemplateValues, name: string): unknown {
  const [head, ...rest] = name.split(".");
  if (!Object.hasOwn(values, head)) throw new VendorRequestError(`the template names {${name}}, which has no value`);
  let v: unknown = values[head];
  // `correction.user.name`: a correction is keyed by the whole category.
  if (head === "correction" && rest.length) {
    const key = rest.join(".");
    const map = v as Record<string, unknown>;
    if (!map || !Object.hasOwn(map, key)) throw new VendorRequestError(`no correction of ${key} was asked for`);
    return map[key];
  }
  for (const part of rest) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, part))
      throw new VendorRequestError(`the template names {${name}}, which has no value`);
    v = (v as Record<string, unknown>)[part];
  }
  if (v === null || v === undefined) throw new VendorRequestError(`the template names {${name}}, which is empty`);
  return v;
}

const scalar = (v: unknown, name: string): string => {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  throw new VendorRequestError(`{${name}} is not a single value`);
};

/** A template filled as text, each value passed through `encode` (the place's own encoding). */
export function fill(template: string, values: TemplateValues, encode: (v: string, name: string) => string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => encode(scalar(lookup(values, name), name), name));
}

/** A path segment's value: one segment, never a dot segment. */
function pathSegment(v: string, name: string): string {
  if (v === "" || v === "." || v === "..")
    throw new VendorRequestError(`{${name}} cannot fill a path segment: it is empty or a dot segment`);
  return encodeURIComponent(v);
}

function fillJson(t: unknown, values: TemplateValues): unknown {
  if (typeof t === "string") {
    const whole = /^\{([A-Za-z_][A-Za-z0-9_.]*)\}$/.exec(t);
    if (whole) return lookup(values, whole[1]);
    return fill(t, values, (v) => v);
  }
  if (Array.isArray(t)) return t.map((x) => fillJson(x, values));
  if (t && typeof t === "object")
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, fillJson(v, values)]));
  return t;
}

/** A call ready to send: never holds a secret (auth is added when it is sent). */
export interface BuiltRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** The template's path, to name the call in errors without the person's values. */
  shown: string;
}

/** Whether `url` lies on the base URL's origin and under its path. */
export function onBase(url: URL, base: URL): boolean {
  const root = base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
  return url.origin === base.origin && `${url.pathname}/`.startsWith(root) && !url.username && !url.password;
}

/**
 * Builds a call from its template under `base`.
 *
 * ```ts
 * buildRequest(base, { method: "DELETE", path: "/v1/customers/{record.id}" }, { record: { id: "cus_1" } })
 * ```
 */
export function buildRequest(base: URL, t: RequestTemplate, values: TemplateValues): BuiltRequest {
  const basePath = base.pathname.replace(/\/$/, "");
  const path = fill(t.path, values, pathSegment);
  const url = new URL(base.origin);
  url.pathname = `${basePath}${path}`;
  // The parser must have kept the path as built: nothing resolved away, nothing moved off the base.
  if (url.pathname !== `${basePath}${path}` || !onBase(url, base))
    throw new VendorRequestError(`${t.method} ${t.path}: the built URL leaves ${base.origin}${basePath || "/"}`);
  for (const [k, v] of Object.entries(t.query ?? {}))
    url.searchParams.append(
      k,
      fill(v, values, (x) => x),
    );
  const headers: Record<string, string> = { accept: "application/json" };
  for (const [k, v] of Object.entries(t.headers ?? {})) {
    const value = fill(v, values, (x) => x);
    if (/[\r\n]/.test(value)) throw new VendorRequestError(`header ${k} would hold a line break`);
    headers[k.toLowerCase()] = value;
  }
  let body: string | undefined;
  if (t.json !== undefined) {
    body = JSON.stringify(fillJson(t.json, values));
    headers["content-type"] ??= "application/json";
  } else if (t.form) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(t.form))
      form.append(
        k,
        fill(v, values, (x) => x),
      );
    body = form.toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  return { method: t.method, url, headers, ...(body !== undefined ? { body } : {}), shown: `${t.method} ${t.path}` };
}
