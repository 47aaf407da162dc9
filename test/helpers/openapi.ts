/**
 * Request validation against a vendor's published OpenAPI document, in the test process: for Stripe, whose document
 * is too large for Prism to load, and for the stateful fakes' flow tests. A call is checked for its operation (method
 * and path), its path and query parameters (unknown ones refused, as Stripe refuses them), its security, and its body
 * against the operation's request schema.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

/**
 * The vendors' published documents, read where they are kept (never copied into the project): `PLEDGE_VENDOR_APIS`,
 * or `shared/vendor-apis` beside the checkout or one of its parents, or `/work/shared/vendor-apis`.
 */
export const VENDOR_APIS: string | undefined = (() => {
  if (process.env.PLEDGE_VENDOR_APIS) return process.env.PLEDGE_VENDOR_APIS;
  for (let d = join(import.meta.dirname, "../.."); ; d = dirname(d)) {
    if (existsSync(join(d, "shared/vendor-apis/README.md"))) return join(d, "shared/vendor-apis");
    if (dirname(d) === d) break;
  }
  return existsSync("/work/shared/vendor-apis/README.md") ? "/work/shared/vendor-apis" : undefined;
})();

type Doc = { openapi?: string; paths: Record<string, Record<string, Operation>>; components?: unknown };
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
  $ref?: string;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  security?: unknown[];
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;
const docs = new Map<string, { doc: Doc; ajv: Ajv | Ajv2020; compiled: Map<string, ValidateFunction> }>();

/** Loads a document once (`stripe/spec3.yaml`); Stripe's takes a few seconds. */
export function loadContract(file: string) {
  let d = docs.get(file);
  if (!d) {
    if (!VENDOR_APIS) throw new Error("the vendors' published documents (shared/vendor-apis) are not on this machine");
    const doc = parse(readFileSync(join(VENDOR_APIS, file), "utf8"), { maxAliasCount: -1 }) as Doc;
    const ajv = doc.openapi?.startsWith("3.1")
      ? new Ajv2020({ strict: false, allErrors: true, coerceTypes: true, validateFormats: true })
      : new Ajv({ strict: false, allErrors: true, coerceTypes: true, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: "doc" } as object, "doc");
    docs.set(file, (d = { doc, ajv, compiled: new Map() }));
  }
  return d;
}

const escapePointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** A violation of the contract, or undefined when the call fits it. */
export function contractViolation(
  file: string,
  call: { method: string; path: string; query: URLSearchParams; headers: Record<string, unknown>; body: string },
): string | undefined {
  const { doc, ajv, compiled } = loadContract(file);
  const method = call.method.toLowerCase();
  const match = Object.keys(doc.paths).find((p) => {
    const re = new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`);
    return re.test(call.path) && doc.paths[p][method];
  });
  if (!match) return `${call.method} ${call.path}: no such operation in ${file}`;
  const op = doc.paths[match][method];
  const resolve = (p: Parameter): Parameter => {
    if (!p.$ref) return p;
    let x: unknown = doc;
    for (const part of p.$ref.replace(/^#\//, "").split("/"))
      x = (x as Record<string, unknown>)[part.replace(/~1/g, "/")];
    return x as Parameter;
  };
  const params = [
    ...((doc.paths[match].parameters as unknown as Parameter[] | undefined) ?? []),
    ...(op.parameters ?? []),
  ].map(resolve);
  const check = (pointer: string, value: unknown, what: string): string | undefined => {
    // Wrapped in an object, so that a query's text can be coerced to the parameter's type.
    let wrapped = compiled.get(pointer);
    if (!wrapped)
      compiled.set(
        pointer,
        (wrapped = ajv.compile({ type: "object", properties: { value: { $ref: `doc#${pointer}` } } })),
      );
    if (wrapped({ value })) return undefined;
    return `${call.method} ${call.path}: ${what} ${ajv.errorsText(wrapped.errors)}`;
  };
  const opPointer = `/paths/${escapePointer(match)}/${method}`;
  for (const [k] of call.query) {
    const p = params.find((x) => x.in === "query" && (x.name === k || k.startsWith(`${x.name}[`)));
    if (!p) return `${call.method} ${call.path}: unknown query parameter ${k}`;
  }
  for (const p of params) {
    if (p.in === "query") {
      const v = call.query.get(p.name);
      if (v === null) {
        if (p.required) return `${call.method} ${call.path}: query parameter ${p.name} is required`;
        continue;
      }
      const i = (op.parameters ?? []).findIndex((x) => resolve(x).name === p.name);
      if (i >= 0 && !op.parameters?.[i].$ref && p.schema) {
        const err = check(`${opPointer}/parameters/${i}/schema`, v, `query ${p.name}`);
        if (err) return err;
      }
    }
    if (p.in === "header" && p.required && call.headers[p.name.toLowerCase()] === undefined)
      return `${call.method} ${call.path}: header ${p.name} is required`;
  }
  if (!call.headers.authorization) return `${call.method} ${call.path}: no credentials`;
  const body = op.requestBody;
  if (body) {
    const type = String(call.headers["content-type"] ?? "").split(";")[0];
    if (!call.body) return body.required ? `${call.method} ${call.path}: a body is required` : undefined;
    const media = body.content[type];
    if (!media)
      return `${call.method} ${call.path}: content type ${type} not accepted (${Object.keys(body.content).join(", ")})`;
    const value =
      type === "application/x-www-form-urlencoded"
        ? Object.fromEntries(new URLSearchParams(call.body))
        : (JSON.parse(call.body) as unknown);
    return check(`${opPointer}/requestBody/content/${escapePointer(type)}/schema`, value, "body");
  } else if (call.body && method !== "get") {
    return `${call.method} ${call.path}: the operation takes no body`;
  }
  return undefined;
}
