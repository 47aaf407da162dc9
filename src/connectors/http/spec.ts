/**
 * The vendor spec: a YAML file that says how Pledge reaches one processor's API — its one host, its auth, and the
 * privacy operations it offers (find a person, export, erase, rectify, unsubscribe, suppress, opt out of sale). Each
 * request is a template; values are encoded for their place when it is built (see `request.ts`). The JSON Schema
 * (`pledge schema --vendor-spec`) comes from this zod schema, so editors complete a spec as it is written.
 */
import { z } from "zod";
import { DURATION_PATTERN } from "../../declaration/index.js";

const text = z.string().trim().min(1);
const Duration = z.string().regex(DURATION_PATTERN, "expected a duration such as 1 hour, 2 days or 30 days");
const EnvRef = z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "expected an environment variable name") });
/** A dot path into a JSON response: `data`, `result.*.contact`, `data.regulation.overallStatus`. */
const JsonPath = z
  .string()
  .regex(/^([A-Za-z0-9_$@-]+|\*)(\.([A-Za-z0-9_$@-]+|\*))*$/, "expected a dot path such as data.id or *");

/** A template: `{email}`, `{record.id}`, `{job.id}`, `{correction.user.name}`, `{reference}` placed in text. */
const Template = z.string();
/** A JSON body template: strings are templates; a string that is one placeholder keeps the value's own type. */
const JsonTemplate: z.ZodType<unknown> = z.lazy(() =>
  z.union([Template, z.number(), z.boolean(), z.null(), z.array(JsonTemplate), z.record(z.string(), JsonTemplate)]),
);

/** One HTTP call, as a template. */
export const RequestTemplate = z
  .strictObject({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
    /** Under the base URL: `/v1/customers/{record.id}`; each placeholder fills one path segment, encoded. */
    path: z.string().regex(/^\/[^?#]*$/, "expected a path starting with / and without a query"),
    query: z.record(z.string(), Template).optional(),
    /** Headers other than auth (`Intercom-Version: "2.14"`, `Content-Type` of a vendor media type). */
    headers: z.record(z.string(), Template).optional(),
    /** A JSON body. */
    json: JsonTemplate.optional(),
    /** A form body (`application/x-www-form-urlencoded`, as Stripe and Twilio take it). */
    form: z.record(z.string(), Template).optional(),
    /** Answers that mean "no such person" rather than failure (SendGrid's search answers 404 when none match). */
    none: z.array(z.number().int().min(400).max(499)).optional(),
  })
  .refine((r) => !(r.json !== undefined && r.form), { message: "a request has a json body or a form body, not both" });
export type RequestTemplate = z.output<typeof RequestTemplate>;

/** How a find pages through its answers; at most `maxPages` pages are read (50 by default). */
const Page = z.union([
  /** A cursor parameter taken from the last record (`starting_after` = the last customer's id) while `more` is true. */
  z.strictObject({ param: text, fromRecord: JsonPath, more: JsonPath, maxPages: z.number().int().min(1).optional() }),
  /** A cursor parameter taken from the answer (`pages.next.starting_after`), until it is absent. */
  z.strictObject({ param: text, fromAnswer: JsonPath, maxPages: z.number().int().min(1).optional() }),
  /** The next page's URL in the answer (`next_page_uri`); it must be on the spec's host and base path. */
  z.strictObject({ nextUrl: JsonPath, maxPages: z.number().int().min(1).optional() }),
]);

/** Records found from each record of a search (a call's recordings): `{record.…}` is the parent. */
const Expand = z.strictObject({
  request: RequestTemplate,
  records: JsonPath,
  id: JsonPath,
  /** What the records are, as later templates name it (`{kind}`): `Recordings`. */
  kind: text.optional(),
  page: Page.optional(),
});

/** Finding a person by one identity type. */
const FindOne = z.strictObject({
  request: RequestTemplate,
  /** Where the records are in the answer (`data`; `result.*.contact` for an object keyed by email). */
  records: JsonPath,
  /** The record's id, as later templates name it (`{id}`, and the record itself as `{record.…}`). */
  id: JsonPath,
  /** What the records are, as later templates name it (`{kind}`): Twilio's `Messages` and `Calls`. */
  kind: text.optional(),
  page: Page.optional(),
  expand: z.array(Expand).optional(),
});
/** One search, or several (messages sent to the number, and from it). */
const Find = z.union([FindOne, z.array(FindOne).min(1)]);

/**
 * An asynchronous operation: the answer names a job, which Pledge checks every `every` until it is done, for at most
 * `within`. `check: find` means done once a new search finds the person no more.
 */
const Async = z.strictObject({
  /** Where the job's id is in the answer (`job_id`, `data.regulateId`). */
  job: JsonPath,
  check: z.union([
    z.literal("find"),
    z.strictObject({
      request: RequestTemplate,
      /** Done when the value at `path` is one of `done`; failed when one of `failed`. */
      path: JsonPath,
      done: z.array(z.string()).min(1),
      failed: z.array(z.string()).default([]),
    }),
  ]),
  every: Duration.default("1 hour"),
  within: Duration.default("30 days"),
});

/** An operation run once per record found (`{record.…}`) or once per identity value (`{email}`). */
const Operation = z.strictObject({
  request: RequestTemplate,
  /** `record`: once per record found (the default where records are found); `identity`: once per identity value. */
  per: z.enum(["record", "identity"]).default("record"),
  /** Answers that mean the work is already done (a 404 on a delete: the record is gone). */
  done: z.array(z.number().int().min(400).max(499)).optional(),
  /** A second call after the first, with the same values (Zendesk: a user deleted, then deleted for good). */
  after: RequestTemplate.optional(),
  async: Async.optional(),
});

/** Erasure: how it erases (said in the report) and the call. */
const Erase = Operation.extend({ mode: z.enum(["delete", "anonymise", "suppress"]) });

/**
 * Rectification: the vendor's field for each data category it can correct (`user.name: name`); the call's body holds
 * the corrected fields only, as JSON or a form.
 */
const Rectify = Operation.extend({ fields: z.record(text, text), body: z.enum(["json", "form"]).default("json") });

/** A consent operation, run once per identity value (the default) or per record found. */
const ConsentOperation = Operation.extend({ per: z.enum(["record", "identity"]).default("identity") });

const Auth = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("header"), name: text, value: EnvRef, prefix: z.string().optional() }),
  z.strictObject({ type: z.literal("bearer"), token: EnvRef }),
  z.strictObject({ type: z.literal("basic"), username: z.union([EnvRef, text]), password: EnvRef.optional() }),
  /** The key as a field of every JSON body (Mailchimp Transactional's `key`). */
  z.strictObject({ type: z.literal("body"), name: text, value: EnvRef }),
  z.strictObject({
    type: z.literal("oauth2"),
    /** The token endpoint, fixed in the spec: the one other host the connector may call. */
    tokenUrl: z.url({ protocol: /^https?$/ }),
    clientId: EnvRef,
    clientSecret: EnvRef,
    scope: z.string().optional(),
  }),
]);

/** A vendor spec. */
export const VendorSpec = z.strictObject({
  name: text,
  /** Where the vendor documents these operations. */
  docs: z.array(z.url()).default([]),
  /** What the spec was checked against: the vendor's published contract, or its documentation only. */
  contract: z.string().optional(),
  /** Every call goes under this URL and to its host only; a system may point it elsewhere (a regional host, a test). */
  baseUrl: z.url({ protocol: /^https?$/ }),
  auth: Auth,
  /** Values of the account that templates name as `{vars.…}` (Twilio's account SID in every path). */
  vars: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), EnvRef).optional(),
  /** The vendor's rate limits: calls in flight, and calls per second, per vendor across a worker. */
  limits: z
    .strictObject({
      concurrency: z.number().int().min(1).max(64).default(4),
      perSecond: z.number().min(0.01).max(1000).optional(),
    })
    .default({ concurrency: 4 }),
  /** The identity types the vendor is searched by, as the spec names them in templates (`email`, `phone`). */
  identities: z.array(z.enum(["email", "phone", "user_id", "customer_id", "device_id"])).min(1),
  /**
   * The vendor compares emails case-sensitively (Stripe): it is searched by the email as the person's rows stored it
   * too (`Grace.Hopper@Example.NET`), not only by the lower-case form.
   */
  caseSensitive: z.boolean().default(false),
  operations: z.strictObject({
    /** Finding a person, by identity type (`email: …`). */
    find: z.partialRecord(z.enum(["email", "phone", "user_id", "customer_id", "device_id"]), Find).optional(),
    /** Reading each record in full for an export (`{record.id}`); the found records are the export when absent. */
    export: Operation.optional(),
    erase: Erase.optional(),
    rectify: Rectify.optional(),
    unsubscribe: ConsentOperation.optional(),
    suppress: ConsentOperation.optional(),
    optOutSale: ConsentOperation.optional(),
  }),
});
export type VendorSpec = z.output<typeof VendorSpec>;
export type VendorOperation = z.output<typeof Operation>;
export type VendorFind = z.output<typeof FindOne>;
export type VendorExpand = z.output<typeof Expand>;
export type VendorAsync = z.output<typeof Async>;
export type ConsentOperationName = "unsubscribe" | "suppress" | "optOutSale";
export const CONSENT_OPERATIONS: readonly ConsentOperationName[] = ["unsubscribe", "suppress", "optOutSale"];

/** The JSON Schema of a vendor spec, for editors. */
export function vendorSpecJsonSchema(): unknown {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Pledge vendor spec",
    ...(z.toJSONSchema(VendorSpec, { io: "input", unrepresentable: "any" }) as object),
  };
}
