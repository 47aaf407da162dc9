/**
 * Requests at processors. A system reached over a vendor's API (`http`) or by mail to it (`mail`) gets one
 * `processor` task per request: it finds the person there with only the identifiers that vendor received, erases,
 * rectifies or runs the consent operation, and stays open until the vendor has confirmed — at once, when a job it
 * checks is done, or when staff record the vendor's answer — or until staff close it with a reason. A request never
 * completes before every processor task has. What the vendor answered stays in memory: a task keeps counts, job ids,
 * dates and the vendor's status codes.
 */
import {
  addDuration,
  identitiesReceived,
  isProcessorConnector,
  parseDuration,
  type Declaration,
} from "../declaration/index.js";
import {
  createVendorConnector,
  type ConsentOperationName,
  type HttpConnectorConfig,
  type VendorConnector,
} from "../connectors/index.js";
import type { Identities } from "../execution/index.js";
import { recordEvent } from "./events.js";
import { correctionsReceived } from "./notify.js";
import { maskIdentity } from "./identities.js";
import type { RequestsContext, TaskStatus } from "./model.js";

/** What a processor task keeps: never a record, never a vendor's answer body. */
export interface ProcessorResult {
  vendor: string;
  via: "api" | "mail" | "staff";
  /** What was asked: erase, rectify, find, unsubscribe, suppress, optOutSale. */
  operation: string;
  /** How the vendor erases, from its spec. */
  mode?: string;
  found?: number;
  calls?: number;
  statuses?: number[];
  askedAt?: string;
  /** When the vendor's answer is owed, and why that date. */
  due?: string;
  dueBasis?: string;
  jobs?: string[];
  /** When the vendor confirmed (its API, a finished job, or the answer staff recorded). */
  confirmedAt?: string;
  /** Staff's answer or closing reason, and who. */
  answer?: string;
  closedReason?: string;
  by?: string;
  evidence?: number;
  remindedAt?: string;
  /** Not asked, because the declaration says it received none of the person's identifiers, or none of the data
   * being corrected. */
  notAsked?: "identifiers" | "corrections";
  /** The masked address a mail went to. */
  to?: string;
  identityTypes?: string[];
  identitiesKey?: string;
}

/** The systems that are processors': reached over their API or by mail. */
export function processorSystems(decl: Declaration): string[] {
  return Object.entries(decl.systems)
    .filter(([, s]) => isProcessorConnector(s.connector))
    .map(([id]) => id);
}

/** The recipient a processor system stands for: its connector's, or the one hosting it. */
export function processorRecipient(decl: Declaration, system: string): string | undefined {
  const s = decl.systems[system];
  const c = s?.connector;
  return (isProcessorConnector(c) ? c.recipient : undefined) ?? s?.location?.hostedBy;
}

/** The processor's name as people read it: the recipient's, else the system's. */
export function processorName(decl: Declaration, system: string): string {
  const r = processorRecipient(decl, system);
  return (r ? decl.recipients[r]?.name : undefined) ?? decl.systems[system]?.name ?? system;
}

/**
 * The person's identities a processor may be given: only those of the types the declaration says it received (GDPR
 * Art 19 passes a request on without disclosing more), as recipients are told; none when it says of none.
 */
export function identitiesFor(decl: Declaration, system: string, identities: Identities): Identities {
  const r = processorRecipient(decl, system);
  const types = r ? identitiesReceived(decl, r) : [];
  return Object.fromEntries(Object.entries(identities).filter(([t, v]) => types.includes(t) && v.length));
}

/**
 * When a processor's answer is owed: the agreement's time (`within` on the mail connector, the recipient's
 * `assistWithin`), else the declared default (`rights.processorDeadline`), else a week before the request's own
 * deadline (Art 28(3)(e) sets no number; the controller must still answer within Art 12(3)'s).
 */
export function processorDue(
  decl: Declaration,
  system: string,
  askedAt: Date,
  requestDue: Date,
): { due: Date; basis: string } {
  const c = decl.systems[system]?.connector;
  const r = processorRecipient(decl, system);
  const agreed = (c?.engine === "mail" ? c.within : undefined) ?? (r ? decl.recipients[r]?.assistWithin : undefined);
  if (agreed) {
    const d = parseDuration(agreed);
    if (d) return { due: addDuration(askedAt, d), basis: `${agreed} under the data processing agreement` };
  }
  if (decl.rights.processorDeadline) {
    const d = parseDuration(decl.rights.processorDeadline);
    if (d) return { due: addDuration(askedAt, d), basis: `${decl.rights.processorDeadline}, as declared` };
  }
  const weekBefore = new Date(requestDue.getTime() - 7 * 86_400_000);
  const floor = new Date(askedAt.getTime() + 86_400_000);
  return {
    due: weekBefore > floor ? weekBefore : floor,
    basis: "a week before the request is due (Art 28(3)(e): the processor assists the controller in time)",
  };
}

/** Where a mail-only processor is written: the connector's `to`, else its privacy contact, else its notify address. */
export function processorAddress(decl: Declaration, system: string): string | undefined {
  const c = decl.systems[system]?.connector;
  const r = processorRecipient(decl, system);
  const recipient = r ? decl.recipients[r] : undefined;
  return (c?.engine === "mail" ? c.to : undefined) ?? recipient?.privacyContact ?? recipient?.notify?.email;
}

/**
 * Reminds each mail-only processor that has not answered, once, before its answer is due: three days before, or
 * half-way when it was given less than six days. The reminder names the reference and the date, never the person's
 * identifiers again. Run by every worker's sweep; a task already reminded is left alone. Returns how many were sent.
 */
export async function remindProcessors(ctx: RequestsContext): Promise<number> {
  const now = ctx.clock();
  const decl = ctx.declaration();
  const rows = await ctx.store.db
    .selectFrom("request_tasks")
    .innerJoin("requests", "requests.id", "request_tasks.request_id")
    .select(["request_tasks.id", "request_tasks.request_id", "request_tasks.target", "request_tasks.result"])
    .where("request_tasks.kind", "=", "processor")
    .where("request_tasks.status", "=", "asked")
    .where("requests.status", "in", ["in_progress", "needs_attention"])
    .execute();
  let sent = 0;
  for (const t of rows) {
    const r = t.result ? (JSON.parse(t.result) as ProcessorResult) : undefined;
    if (r?.via !== "mail" || r.remindedAt || !r.due || !r.askedAt) continue;
    const due = new Date(r.due);
    const asked = new Date(r.askedAt);
    const lead = Math.min(3 * 86_400_000, (due.getTime() - asked.getTime()) / 2);
    if (now.getTime() < due.getTime() - lead) continue;
    const to = processorAddress(decl, t.target);
    if (!to) continue;
    const result: ProcessorResult = { ...r, remindedAt: now.toISOString() };
    // Taken first, so that two workers sweeping at once send one reminder.
    const claimed = await ctx.store.db
      .updateTable("request_tasks")
      .set({ result: JSON.stringify(result), updated_at: now.toISOString() })
      .where("id", "=", t.id)
      .where("status", "=", "asked")
      .where("result", "=", t.result)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    const day = r.due.slice(0, 10);
    await ctx.mailer.send({
      to,
      subject: `Reminder: data subject request ${t.request_id}: your answer is due ${day}`,
      text:
        `On ${r.askedAt.slice(0, 10)} ${decl.organization.name} asked you, as our processor, to act on the data ` +
        `subject request with the reference ${t.request_id} (${r.operation}).\n\n` +
        `We have not had your answer yet. It is due by ${day}${r.dueBasis ? ` (${r.dueBasis})` : ""}. Please ` +
        `answer the first mail, quoting the reference ${t.request_id}.\n`,
    });
    await recordEvent(
      ctx,
      t.request_id,
      "system",
      "processor_reminded",
      `${r.vendor} reminded by mail (${maskIdentity("email", to)}); its answer is due ${day}`,
    );
    sent++;
  }
  return sent;
}

/** The vendor connector of a processor system reached over HTTP. */
export function vendorConnector(ctx: RequestsContext, system: string): VendorConnector {
  const c = ctx.declaration().systems[system]?.connector;
  if (c?.engine !== "http") throw new Error(`${system} is not reached over HTTP`);
  return createVendorConnector(system, c as HttpConnectorConfig, ctx.env, ctx.cwd);
}

/** The consent operation a right asks of a vendor, in order of preference among what its spec offers. */
export function consentOperationFor(right: string): ConsentOperationName[] {
  if (right === "opt_out_sale") return ["optOutSale", "suppress"];
  if (right === "withdraw_consent" || right === "objection") return ["unsubscribe", "suppress"];
  return [];
}

/** The outcome of one run of a processor task. */
export interface ProcessorOutcome {
  result: ProcessorResult;
  status?: TaskStatus;
  /** Run again then (a job to check). */
  runAt?: string;
}

/** Where a processor stands, as people read it (in their language: the page words it). Dates are days. */
export interface ProcessorStanding {
  kind:
    | "closed"
    | "not_received"
    | "not_received_corrections"
    | "nothing"
    | "deleted"
    | "suppressed"
    | "searched"
    | "done"
    | "confirmed"
    | "waiting"
    | "not_asked";
  vendor: string;
  askedAt?: string;
  confirmedAt?: string;
  due?: string;
  /** Staff's reason for closing without the vendor's confirmation. */
  reason?: string;
}

/** A processor task's standing: deleted, searched, asked and confirmed, waiting, closed by staff. */
export function processorStanding(r: ProcessorResult, status: string): ProcessorStanding {
  const day = (iso?: string) => iso?.slice(0, 10);
  const base = { vendor: r.vendor };
  if (status === "skipped" && r.closedReason) return { ...base, kind: "closed", reason: r.closedReason };
  // The declaration says it received none of the person's identifiers (or of the data corrected): it was not asked,
  // and nothing was searched.
  if (r.notAsked) return { ...base, kind: r.notAsked === "corrections" ? "not_received_corrections" : "not_received" };
  if (r.confirmedAt) {
    const confirmedAt = day(r.confirmedAt);
    if (r.via === "api" && r.found === 0 && !r.jobs?.length) return { ...base, kind: "nothing", confirmedAt };
    if (r.via === "api" && !r.jobs?.length && r.askedAt === r.confirmedAt) {
      const kind =
        r.operation === "find"
          ? "searched"
          : r.operation === "erase"
            ? r.mode === "suppress"
              ? "suppressed"
              : "deleted"
            : "done";
      return { ...base, kind, confirmedAt };
    }
    return { ...base, kind: "confirmed", askedAt: day(r.askedAt), confirmedAt };
  }
  if (r.askedAt) return { ...base, kind: "waiting", askedAt: day(r.askedAt), ...(r.due ? { due: day(r.due) } : {}) };
  return { ...base, kind: "not_asked" };
}

/** A processor's standing in English, for the console, the timeline and the report's line. */
export function standingLine(s: ProcessorStanding): string {
  switch (s.kind) {
    case "closed":
      return `closed by staff at ${s.vendor}: ${s.reason}`;
    case "not_received":
      return `not asked: ${s.vendor} received none of the person's identifiers`;
    case "not_received_corrections":
      return `not asked: ${s.vendor} received none of the data corrected`;
    case "nothing":
      return `nothing held at ${s.vendor} (searched ${s.confirmedAt})`;
    case "deleted":
    case "suppressed":
    case "searched":
    case "done":
      return `${s.kind} at ${s.vendor} on ${s.confirmedAt}`;
    case "confirmed":
      return `asked ${s.vendor} on ${s.askedAt}, confirmed on ${s.confirmedAt}`;
    case "waiting":
      return `waiting for ${s.vendor} since ${s.askedAt}${s.due ? ` (due ${s.due})` : ""}`;
    case "not_asked":
      return `not yet asked: ${s.vendor}`;
  }
}

/** What a processor task says to people, as its state: deleted, asked, confirmed, waiting, closed. */
export function processorLine(r: ProcessorResult, status: string): string {
  return standingLine(processorStanding(r, status));
}

/**
 * The canonical identities with the forms the person's rows stored them in (`Grace.Hopper@Example.NET` after
 * `grace.hopper@example.net`): a vendor comparing case-sensitively finds the record under the form it was given.
 */
export function withStoredForms(identities: Identities, forms: Identities = {}): Identities {
  const out: Identities = {};
  for (const [t, vs] of Object.entries(identities)) {
    const extra = (forms[t] ?? []).filter(
      (f) => vs.some((v) => v.toLowerCase() === f.toLowerCase()) && !vs.includes(f),
    );
    out[t] = [...vs, ...new Set(extra)];
  }
  return out;
}

/**
 * What a processor is asked with: the identities it received, and for a vendor comparing case-sensitively the forms
 * the person's rows stored them in too.
 */
export function identitiesAt(
  decl: Declaration,
  system: string,
  vc: VendorConnector | undefined,
  identities: Identities,
  storedForms?: Identities,
): Identities {
  return identitiesFor(decl, system, vc?.spec.caseSensitive ? withStoredForms(identities, storedForms) : identities);
}

/** A request as a processor task reads it. */
export interface ProcessorRequest {
  id: string;
  right: string;
  identities: Identities;
  /** The identities as the person's rows stored them, where only their case differs: searched for too. */
  storedForms?: Identities;
  corrections: Record<string, string>;
  /** The request's own deadline. */
  due: Date;
}

/**
 * Runs one step of a processor task: asks the vendor (over its API, or by mail), checks a job it runs, or confirms
 * that a new search finds the person no more. Throws to retry; a vendor's 4xx is a permanent ConnectorError.
 */
export async function runProcessorTask(
  ctx: RequestsContext,
  system: string,
  req: ProcessorRequest,
  prev: ProcessorResult | undefined,
): Promise<ProcessorOutcome> {
  const decl = ctx.declaration();
  const now = ctx.clock();
  const iso = now.toISOString();
  const vendor = processorName(decl, system);
  const c = decl.systems[system].connector;
  const vc = c?.engine === "http" ? vendorConnector(ctx, system) : undefined;
  const identities = identitiesAt(decl, system, vc, req.identities, req.storedForms);
  const corrections = correctionsReceived(decl, processorRecipient(decl, system), req.corrections);
  const types = Object.keys(identities);
  const consentOps = consentOperationFor(req.right);
  const operation =
    req.right === "erasure"
      ? "erase"
      : req.right === "rectification"
        ? "rectify"
        : req.right === "access" || req.right === "portability"
          ? "find"
          : (consentOps[0] ?? req.right);
  const base: ProcessorResult = { vendor, via: c?.engine === "mail" ? "mail" : "api", operation, identityTypes: types };
  if (!types.length) return { result: { ...base, confirmedAt: iso, notAsked: "identifiers" } };
  if (operation === "rectify" && !Object.keys(corrections).length)
    return { result: { ...base, confirmedAt: iso, notAsked: "corrections" } };

  if (c?.engine === "mail") {
    if (prev?.askedAt) return { result: prev, status: "asked" };
    const to = processorAddress(decl, system);
    if (!to)
      throw new Error(
        `${vendor} has no privacy contact: set privacyContact on the recipient, or to on the mail connector`,
      );
    const { due, basis } = processorDue(decl, system, now, req.due);
    const asks: Record<string, string> = {
      erase: "erase all personal data you hold about this person as our processor, and confirm when it is done",
      rectify: "correct the personal data you hold about this person as follows, and confirm when it is done",
      find: "send us a copy of all personal data you hold about this person as our processor",
      unsubscribe: "stop sending this person marketing, and confirm",
      suppress: "stop processing this person's data for the purposes named, and confirm",
      optOutSale: "stop selling or sharing this person's personal information, and confirm",
    };
    await ctx.mailer.send({
      to,
      subject:
        `Data subject request ${req.id}: please ${operation === "find" ? "send a copy" : operation} ` +
        `by ${due.toISOString().slice(0, 10)}`,
      text:
        `${decl.organization.name} received a data subject request (${req.right.replace(/_/g, " ")}), ` +
        `reference ${req.id}.\n\n` +
        `As our processor, please ${asks[operation] ?? operation}.\n\n` +
        `The person's identifiers, as you received them from us:\n` +
        `${Object.entries(identities)
          .map(([t, vs]) => `  ${t.replace(/_/g, " ")}: ${vs.join(", ")}`)
          .join("\n")}\n` +
        `${
          operation === "rectify"
            ? `\nCorrections:\n${Object.entries(corrections)
                .map(([k, v]) => `  ${k}: ${v}`)
                .join("\n")}\n`
            : ""
        }` +
        `\nPlease answer by ${due.toISOString().slice(0, 10)} (${basis}), quoting the reference ${req.id}.\n`,
    });
    return {
      result: { ...base, askedAt: iso, due: due.toISOString(), dueBasis: basis, to: maskIdentity("email", to) },
      status: "asked",
    };
  }

  if (!vc) throw new Error(`${system} is not reached over HTTP`);
  const asyncOf = (op: "erase" | ConsentOperationName) => vc.spec.operations[op]?.async;
  // A job asked for earlier: check it.
  if (prev?.jobs?.length && prev.askedAt && !prev.confirmedAt) {
    const op = prev.operation as "erase" | ConsentOperationName;
    const a = asyncOf(op);
    const state = await vc.check(op, prev.jobs, identities);
    if (state.state === "done") return { result: { ...prev, confirmedAt: iso } };
    if (state.state === "failed") throw new Error(`${vendor}: ${state.why}`);
    const within = parseDuration(a?.within ?? "30 days");
    if (within && addDuration(new Date(prev.askedAt), within) < now)
      throw new Error(
        `${vendor} has not finished the job within ${a?.within ?? "30 days"}: ask them, then close the task`,
      );
    const every = parseDuration(a?.every ?? "1 hour");
    return {
      result: prev,
      status: "pending",
      runAt: (every ? addDuration(now, every) : new Date(now.getTime() + 3_600_000)).toISOString(),
    };
  }
  const { due, basis } = processorDue(decl, system, now, req.due);
  const asked = { ...base, askedAt: iso, due: due.toISOString(), dueBasis: basis };
  const canFind = Object.keys(vc.spec.operations.find ?? {}).length > 0;
  const records = canFind ? await vc.find(identities) : [];

  if (operation === "find") return { result: { ...asked, found: records.length, confirmedAt: iso } };

  if (operation === "erase") {
    const op = vc.spec.operations.erase;
    if (!op)
      return {
        result: {
          ...asked,
          found: records.length,
          answer: `${vendor}'s API has no erase: ask them, then record their answer`,
        },
        status: "asked",
      };
    if (canFind && !records.length) return { result: { ...asked, found: 0, confirmedAt: iso } };
    const out = await vc.erase(records, identities, req.id);
    const result = { ...asked, mode: op.mode, found: records.length, calls: out.calls, statuses: out.statuses };
    if (out.jobs.length) {
      const every = parseDuration(op.async?.every ?? "1 hour");
      return {
        result: { ...result, jobs: out.jobs },
        status: "pending",
        runAt: (every ? addDuration(now, every) : new Date(now.getTime() + 3_600_000)).toISOString(),
      };
    }
    // Confirmed only when a new search finds the person no more.
    if (canFind) {
      const left = await vc.find(identities);
      if (left.length) throw new Error(`${vendor} still holds ${left.length} record(s) after the erasure`);
    }
    return { result: { ...result, confirmedAt: iso } };
  }

  if (operation === "rectify") {
    if (!vc.spec.operations.rectify)
      return {
        result: {
          ...asked,
          found: records.length,
          answer: `${vendor}'s API cannot correct data: ask them, then record it`,
        },
        status: "asked",
      };
    const out = await vc.rectify(records, corrections);
    return { result: { ...asked, found: records.length, calls: out.calls, statuses: out.statuses, confirmedAt: iso } };
  }

  const op = consentOps.find((o) => vc.spec.operations[o]);
  if (!op)
    return { result: { ...asked, answer: `${vendor}'s API has no ${consentOps.join(" or ")}` }, status: "asked" };
  const out = await vc.consent(op, identities, req.id);
  const result = { ...asked, operation: op, calls: out.calls, statuses: out.statuses };
  if (out.jobs.length) {
    const every = parseDuration(vc.spec.operations[op]?.async?.every ?? "1 hour");
    return {
      result: { ...result, jobs: out.jobs },
      status: "pending",
      runAt: (every ? addDuration(now, every) : new Date(now.getTime() + 3_600_000)).toISOString(),
    };
  }
  return { result: { ...result, confirmedAt: iso } };
}
