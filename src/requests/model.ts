/** Rights requests: what a person submits, and how a request looks once stored. */
import { z } from "zod";
import { addDuration, parseDuration, type Declaration, type RegimeId } from "../declaration/index.js";
import type { Connector } from "../connectors/index.js";
import type { ActorMention, KeepReason, NotReachedFacts } from "../execution/index.js";
import type { Mailer } from "../mail/index.js";
import type { Store } from "../store/index.js";
import type { ProcessorStanding } from "./processors.js";

/** The rights the privacy center takes. */
export const REQUEST_RIGHTS = [
  "access",
  "portability",
  "erasure",
  "rectification",
  "restriction",
  "objection",
  "withdraw_consent",
  "opt_out_sale",
  "limit_sensitive",
  "opt_out_targeted_advertising",
  "opt_out_profiling",
] as const;

/**
 * Rights acted on without a code: an opt-out of sale or sharing and a request to limit sensitive data need no
 * verification (11 CCR § 7026(d), § 7027(e)).
 */
export const UNVERIFIED_RIGHTS: ReadonlySet<RequestRight> = new Set([
  "opt_out_sale",
  "limit_sensitive",
  // The state laws' opt-outs need no verification either (e.g. Va. Code § 59.1-577(B)(5); 4 CCR 904-3 Rule 12.02).
  "opt_out_targeted_advertising",
  "opt_out_profiling",
]);
export type RequestRight = (typeof REQUEST_RIGHTS)[number];

/** Categories a person may correct from the privacy center, with their labels. */
export const RECTIFIABLE: Readonly<Record<string, string>> = {
  "user.name": "Name",
  "user.contact.phone_number": "Phone number",
  "user.contact.address": "Postal address",
  "user.contact.email": "Email address",
};

/** An email address, international ones included (`björn@example.se`): people are asked for the address they use. */
const email = (message = "expected an email address") => z.email({ pattern: z.regexes.unicodeEmail, message });

const optionalText = z
  .string()
  .trim()
  .max(500)
  .optional()
  .transform((s) => (s ? s : undefined));

/** What a person (or their agent) submits. Validated at every edge (form, API). */
export const RequestInputSchema = z
  .object({
    right: z.enum(REQUEST_RIGHTS),
    identityType: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .default("email"),
    identity: z.string().trim().min(1, "give the email address (or other identity) we know you by").max(320),
    /**
     * Where status mail goes once the person is verified; defaults to the identity when it is an email. Never the code.
     */
    contactEmail: email()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    name: optionalText,
    jurisdiction: z
      .string()
      .regex(/^(EU|EEA|[A-Z]{2}(-[A-Z0-9]{1,3})?)$/, "choose where you live")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Rectification: corrected values by data category. */
    corrections: z.record(z.string(), z.string().trim().max(500)).default({}),
    /** Objection and withdrawal of consent: the purposes concerned (all when empty). */
    purposes: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).default([]),
    agent: z.object({ name: z.string().trim().min(1).max(200), email: email() }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.identityType === "email" && !email().safeParse(v.identity).success)
      ctx.addIssue({ code: "custom", path: ["identity"], message: "expected an email address" });
    if (v.identityType !== "email" && !v.contactEmail && !v.agent)
      ctx.addIssue({
        code: "custom",
        path: ["contactEmail"],
        message: "give an email address where we can write to you once you are verified",
      });
    for (const k of Object.keys(v.corrections))
      if (!Object.hasOwn(RECTIFIABLE, k))
        ctx.addIssue({
          code: "custom",
          path: ["corrections", k],
          message: `not a category that can be corrected here (${Object.keys(RECTIFIABLE).join(", ")})`,
        });
    if (v.right === "rectification" && !Object.values(v.corrections).some((x) => x))
      ctx.addIssue({ code: "custom", path: ["corrections"], message: "give at least one corrected value" });
  });

export type RequestInput = z.output<typeof RequestInputSchema>;

/** `expired`: never verified within the time a code may be asked for, and redacted. */
/** `appealed`: a denial the person appealed (US state laws); open until staff answer. */
/** `withdrawn`: the person (or the agent acting for them) withdrew it before it was done. */
export const REQUEST_STATUSES = [
  "unverified",
  "pending_approval",
  "in_progress",
  "needs_attention",
  "appealed",
  "completed",
  "denied",
  "expired",
  "withdrawn",
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** The statuses of a request that is over: answered, refused, or never confirmed. */
export const CLOSED_STATUSES: readonly RequestStatus[] = ["completed", "denied", "expired", "withdrawn"];
/** Whether a request is still open (its clock runs, its page refreshes). */
export const isOpen = (status: string): boolean => !(CLOSED_STATUSES as readonly string[]).includes(status);
/** `review`: waits for staff to confirm what a task found (identities matching several people). */
/** `asked`: waiting for a processor's answer, which staff record (a mail sent, or a vendor whose API cannot do it). */
export type TaskStatus =
  | "pending"
  | "running"
  | "done"
  | "failed"
  | "manual"
  | "waiting"
  | "skipped"
  | "review"
  | "asked";
/** `contact`: finds, in the organization's own data, where to send the code for an identity that is not an email. */
export type TaskKind =
  | "contact"
  | "collect"
  | "erase"
  | "rectify"
  | "export"
  | "flag"
  | "notify"
  | "manual"
  | "processor";

/**
 * Who proved who they are, and how. An authorized agent is never what a code verifies: the person confirms with their
 * own.
 */
export interface Verification {
  /** `person`: the person themself; `none`: a right that needs no verification (an opt-out of sale). */
  subject: "person" | "none";
  /** `code`: a one-time code sent to the person; `staff`: checked by hand by a member of staff. */
  method: "code" | "staff" | "none";
  /** Where the code went, masked. */
  to?: string;
  /** Where that address came from: the email given, or the field of the organization's data that holds it. */
  source?: string;
  /** Staff who verified by hand, and how. */
  by?: string;
  note?: string;
  at?: string;
}

/**
 * How a request arrived. GDPR Art 12 does not limit the channel: staff enter what came by letter, phone or in person.
 */
export const REQUEST_CHANNELS = ["web", "email", "letter", "phone", "in_person", "drp"] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
/** The channels staff enter a request from by hand. */
export const STAFF_CHANNELS = ["email", "letter", "phone", "in_person"] as const;

export interface RequestView {
  id: string;
  /**
   * The short reference staff can say on the phone (`R-2026-0142`); the id for a request stored before there was one.
   */
  reference: string;
  channel: RequestChannel;
  /** The staff member who owns it, by email. */
  assignee?: string;
  right: RequestRight;
  status: RequestStatus;
  identityType: string;
  identity: string;
  contactEmail: string;
  name?: string;
  jurisdiction: string;
  regime: RegimeId;
  receivedAt: string;
  verifiedAt?: string;
  dueAt: string;
  /** The deadline in force: the extended one when extended. */
  effectiveDueAt: string;
  extendedDueAt?: string;
  extensionReason?: string;
  completedAt?: string;
  agent?: { name: string; email: string };
  details: { corrections: Record<string, string>; purposes: string[] };
  report?: RequestReport;
  denialReason?: string;
  declarationVersion: string;
  verification?: Verification;
  /** Staff should look: `nothing_found` (an erasure that found nothing anywhere), `review`, `manual_verification`. */
  attention?: string;
  /** The identity values were replaced by masked forms and hashes when the request closed. */
  redacted: boolean;
  /** Whether the law of the request lets a denial be appealed, and the appeal if there is one. */
  appealable: boolean;
  appeal?: { appealedAt: string; dueAt: string; reason: string; outcome?: "upheld" | "reversed"; answer?: string };
}

export interface TaskView {
  id: number;
  kind: TaskKind;
  target: string;
  status: TaskStatus;
  attempts: number;
  nextRunAt: string;
  error?: string;
  result?: unknown;
  updatedAt: string;
}

export interface RequestEvent {
  at: string;
  actor: string;
  kind: string;
  message: string;
}

/** What a request found and did in one dataset. */
export interface DatasetReport {
  dataset: string;
  /** The person's rows found. */
  found: number;
  /** Rows of people that references reached and no identity of the person matched: left alone. */
  notMatched?: number;
  deleted?: number;
  masked?: number;
  /** Rows kept as they are. */
  unchanged?: number;
  corrected?: number;
  kept?: KeepReason[];
  /** Fields left as they are in masked rows. */
  keptFields?: string[];
}

export interface SystemReport {
  system: string;
  status: "done" | "failed" | "manual" | "skipped" | "held";
  datasets: DatasetReport[];
  /** Datasets of the system that were never searched for this person, and why. */
  notReached: { dataset: string; why: string; facts?: NotReachedFacts }[];
  /** Rows that name the person as someone acting on them: counted, not the person's data. */
  actors: ActorMention[];
  /** An erasure that found the person's rows, and a new search by every identity finds none. */
  verified?: boolean;
  note?: string;
}

/** What a processor did for a request, as its report and the person's status page say it. */
export interface ProcessorReport {
  system: string;
  vendor: string;
  /** `not_asked`: the declaration says it received none of the person's identifiers, or of the data corrected. */
  state: "confirmed" | "closed" | "waiting" | "not_asked";
  /** "deleted at Stripe on 2026-12-05", "asked Eventbrite on …, confirmed on …", "closed by staff at …: reason". */
  line: string;
  /** The same, for pages to word in the reader's language (reports made before it have only the line). */
  standing?: ProcessorStanding;
  found?: number;
  askedAt?: string;
  confirmedAt?: string;
  closedReason?: string;
}

export interface RequestReport {
  /** `nothing_found`: no system holds a row of the person's (never reported as verified). */
  outcome: "done" | "nothing_found";
  /** Each identity searched, masked, and whether any row matched it. */
  identities: { type: string; shown: string; found: boolean }[];
  systems: SystemReport[];
  /** Each processor asked: confirmed, or closed by staff with the reason; never "verified" without its confirmation. */
  processors?: ProcessorReport[];
  recipientsNotified: string[];
  flags: string[];
}

/** What the requests domain needs from its surroundings. */
export interface RequestsContext {
  store: Store;
  declaration: () => Declaration;
  mailer: Mailer;
  /** Base URL for links in mail, e.g. `https://privacy.example.com`. */
  publicUrl: string;
  /** Environment for connector secrets. */
  env: Record<string, string | undefined>;
  /** Directory that relative connector paths resolve against. */
  cwd: string;
  clock: () => Date;
  /** Writes a line for an operator (verification codes when mail goes to the outbox). */
  console?: (line: string) => void;
  settings: RequestSettings;
  /** Connectors kept open between tasks (a worker's); without it each task opens and closes its own. */
  connectors?: ConnectorCache;
  /** Told of every failed try of a task, for the operator's log and metrics. The error's text is for staff only. */
  onTaskError?: (failure: TaskFailure) => void;
}

/** A try of a task that failed: retried later, or, once `exhausted`, left for a person. */
export interface TaskFailure {
  requestId: string;
  taskId: number;
  kind: TaskKind;
  target: string;
  attempt: number;
  exhausted: boolean;
  error: string;
}

/**
 * The connectors a worker keeps open between tasks, one per system, so that a
 * request's collect, erase and export tasks do not each open a new database
 * connection. An idle connector is closed after a while, a failing one at once.
 */
export interface ConnectorCache {
  use<T>(system: string, fn: (c: Connector) => Promise<T>): Promise<T>;
  /** Closes the connectors idle for longer than the cache's idle time. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

export interface RequestSettings {
  exportTtlDays: number;
  leaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxAttempts: number;
  /** A pause after each task, to spare production systems. */
  throttleMs: number;
  codeLimitPerAddress: { max: number; windowMs: number };
  codeLimitPerIp: { max: number; windowMs: number };
  /** How often the worker sweeps expired exports and old request records. */
  sweepIntervalMs: number;
  /** How long a request may wait for its code before it is dropped and redacted. */
  unverifiedTtlMs: number;
}

/**
 * How long a ready download is kept: the declaration's `ownData.exports`, else
 * the operator's `exportTtlDays`.
 *
 * ```ts
 * exportPeriod(decl, 7) // "7 days", or "2 weeks" where the declaration says so
 * ```
 */
export function exportPeriod(decl: Declaration, days: number): string {
  return decl.ownData.exports ?? `${days} day${days === 1 ? "" : "s"}`;
}

/** When a download made at `now` is deleted. */
export function exportExpiry(decl: Declaration, days: number, now: Date): Date {
  return addDuration(now, parseDuration(exportPeriod(decl, days))!);
}

export const DEFAULT_SETTINGS: RequestSettings = {
  exportTtlDays: 7,
  leaseMs: 60_000,
  backoffBaseMs: 5_000,
  backoffMaxMs: 10 * 60_000,
  maxAttempts: 8,
  throttleMs: 0,
  codeLimitPerAddress: { max: 5, windowMs: 15 * 60_000 },
  codeLimitPerIp: { max: 20, windowMs: 60 * 60_000 },
  sweepIntervalMs: 10 * 60_000,
  unverifiedTtlMs: 30 * 86_400_000,
};

/** A request that cannot be found, or may not be acted on as asked. */
export class RequestError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "REQUEST_CONFLICT" | "RATE_LIMITED" | "REQUEST_INVALID",
    message: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}
