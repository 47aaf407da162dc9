/**
 * Response schemas shared by several routes, named so that the OpenAPI document writes each once under
 * `components/schemas`.
 */
import { z } from "zod";

export const ErrorSchema = z
  .object({ error: z.looseObject({ code: z.string(), message: z.string() }) })
  .meta({ id: "Error", description: "What went wrong: a stable code and a message that says where and what" });

/** A console form's answer to an API caller: done. */
export const OkSchema = z.looseObject({ ok: z.literal(true) }).meta({ id: "Ok" });

/** A governance or agents form's answer to an API caller: done, with the record it made or changed. */
export const OkResultSchema = z
  .object({ ok: z.literal(true), result: z.unknown() })
  .meta({ id: "OkResult", description: "Done; result is the record made or changed (null when there is none)" });

/** A page for a browser. */
export const PAGE = { description: "The page", html: true } as const;
/** A console form's redirect back to its page. */
export const BACK = { description: "Back to the page (a browser's form)" } as const;

// --- the console's JSON APIs: the fields a client relies on; records may carry more ---------------------------------

export const RequestViewSchema = z
  .looseObject({
    id: z.string(),
    reference: z.string(),
    channel: z.string(),
    right: z.string(),
    status: z.string(),
    identityType: z.string(),
    identity: z.string(),
    jurisdiction: z.string(),
    receivedAt: z.string(),
    dueAt: z.string(),
    effectiveDueAt: z.string(),
    redacted: z.boolean(),
  })
  .meta({ id: "Request", description: "A rights request" });

export const TaskViewSchema = z
  .looseObject({
    id: z.number(),
    kind: z.string(),
    target: z.string(),
    status: z.string(),
    attempts: z.number(),
    nextRunAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Task", description: "One step of a request in one system or at one processor" });

export const RequestEventSchema = z
  .object({ at: z.string(), actor: z.string(), kind: z.string(), message: z.string() })
  .meta({ id: "RequestEvent" });

export const ApiTokenSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    role: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revoked: z.boolean(),
  })
  .meta({ id: "ApiToken", description: "An API token, never its secret" });

export const FindingSchema = z
  .looseObject({
    id: z.number(),
    system: z.string(),
    rule: z.string(),
    severity: z.string(),
    path: z.array(z.union([z.string(), z.number()])),
    message: z.string(),
    firstSeen: z.string(),
    lastSeen: z.string(),
    status: z.enum(["open", "gone", "dismissed"]),
  })
  .meta({ id: "Finding", description: "Personal data found where the declaration does not say it is" });

export const SweepReportSchema = z
  .looseObject({
    binding: z.string(),
    rule: z.string(),
    action: z.enum(["delete", "deidentify", "block"]),
    cutoff: z.string().nullable(),
    due: z.number(),
    deleted: z.number(),
    masked: z.number(),
  })
  .meta({ id: "SweepReport", description: "What one retention sweep found due, deleted, masked and kept" });

/** A register's rows (governance): each a record with its id. */
export const RegisterRowSchema = z.looseObject({ id: z.union([z.number(), z.string()]) }).meta({ id: "RegisterRow" });

/** The decision API's answer. */
export const DecisionSchema = z
  .object({ subject: z.string(), purpose: z.string(), decision: z.enum(["allow", "deny"]), reason: z.string() })
  .meta({ id: "Decision" });

/** A stored consent event with its proof. */
export const ConsentRecordSchema = z
  .looseObject({
    recordId: z.string(),
    deviceId: z.string().nullable(),
    subjectId: z.string().nullable(),
    categories: z.record(z.string(), z.string()),
    purposes: z.record(z.string(), z.string()),
    declarationVersion: z.string(),
    textHash: z.string(),
    language: z.string(),
    jurisdiction: z.string(),
    method: z.string(),
    at: z.string(),
    validUntil: z.string(),
  })
  .meta({ id: "ConsentRecord" });
