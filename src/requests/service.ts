/**
 * The life of a rights request: submitted, verified (by a code that only the
 * person receives, or by staff), approved where needed, executed by durable
 * tasks (runner.ts), completed and redacted — with every step on its timeline
 * and in the audit log.
 *
 * Where the code goes: for an email identity, to that email and nowhere else;
 * for any other identity, to the contact address the organization's own data
 * holds for it (a `contact` task finds it). An address the requester types
 * receives status mail only once the person is verified. The privacy center
 * answers alike whether or not an identity exists.
 */
import { processorName, processorStanding, type ProcessorResult, type ProcessorStanding } from "./processors.js";
import { createHash, randomBytes } from "node:crypto";
import { type Insertable, sql } from "kysely";
import type { Database } from "../store/index.js";
import { takeRateLimits, type Principal } from "../auth/index.js";
import { MailError, type MailMessage } from "../mail/index.js";
import {
  REGIMES,
  basesOf,
  categoryWithin,
  categoryName,
  categoriesOf,
  durationRule,
  normalizeIdentity,
  objectionKind,
  parseDuration,
  phoneReadings,
  phoneRegions,
  promisedResponseTime,
  type DeadlineRule,
  type Declaration,
} from "../declaration/index.js";
import { appealDueDate, dueDate, extendedDueDate, regimeOf } from "./deadlines.js";
import { closedSql, clockRunsSql, dueInForce, effectiveDue, openSql } from "./clocks.js";
import { refusalRights, requestReference } from "./wording.js";
import { exportPublicKey, openExport } from "./export-seal.js";
import { hashIdentities, identityHash, maskEmail, type HashContext } from "./identities.js";
import {
  RequestError,
  type RequestEvent,
  type RequestInput,
  type RequestReport,
  type RequestRight,
  type RequestChannel,
  type RequestStatus,
  type RequestView,
  type RequestsContext,
  type TaskView,
  type Verification,
  UNVERIFIED_RIGHTS,
  isOpen,
} from "./model.js";
import { deleteExports, redactRequest } from "./records.js";
import { checkCode, newCode, type CodeCheck } from "./verification.js";
import { advanceRequest, insertTask, planTasks, recordFlags, type CollectResult } from "./runner.js";
import { codeMail, codeSent, loadRow, receiptConfirmed, sendCode } from "./codes.js";
import { linkRecipient, recordEvent, statusRecipient } from "./events.js";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

type Row = Awaited<ReturnType<typeof loadRow>>;

/** The rate limits on sending codes: per identity (whatever address it leads to) and per network. */
function codeLimits(ctx: RequestsContext, type: string, identity: string, ip: string | undefined) {
  return [
    { key: `code:identity:${sha256(`${type}:${identity.toLowerCase()}`)}`, ...ctx.settings.codeLimitPerAddress },
    ...(ip ? [{ key: `code:ip:${ip}`, ...ctx.settings.codeLimitPerIp }] : []),
  ];
}

/**
 * Where the code went, as the privacy center may say it: for an email identity, that email, masked; for any other,
 * nothing, so that no answer tells whether the identity exists.
 */
export function codeSentTo(r: { identityType: string; identity: string }): string | undefined {
  return r.identityType === "email" ? maskEmail(r.identity) : undefined;
}

/** How a request arrived, as the timeline says it. */
const CHANNEL_WORDS: Record<RequestChannel, string> = {
  web: "through the privacy center",
  email: "by email",
  letter: "by letter",
  phone: "by phone",
  in_person: "in person",
  drp: "by an authorized agent over the Data Rights Protocol",
};

/** A request staff entered by hand: who, how it came, when it arrived, and the verification they did (if any). */
export interface StaffEntry {
  by: Principal;
  channel: RequestChannel;
  receivedAt?: Date;
  /** How staff checked who the person is ("passport seen at the counter"); without it a code is mailed as usual. */
  verified?: string;
}

/**
 * Inserts a request under the next reference of its year (`R-2026-0142`). Two requests inserted at once may take the
 * same number: the unique index refuses the second, which takes the next.
 */
async function insertWithReference(
  ctx: RequestsContext,
  received: Date,
  values: (reference: string) => Insertable<Database["requests"]>,
): Promise<string> {
  const year = received.toISOString().slice(0, 4);
  for (let attempt = 0; ; attempt++) {
    const last = await ctx.store.db
      .selectFrom("requests")
      .select((eb) => eb.fn.max("reference").as("ref"))
      .where("reference", ">=", `R-${year}-`)
      .where("reference", "<", `R-${year}.`)
      .executeTakeFirst();
    const n = Number(/-(\d+)$/.exec(String(last?.ref ?? ""))?.[1] ?? 0) + 1 + attempt;
    const reference = `R-${year}-${String(n).padStart(4, "0")}`;
    try {
      await ctx.store.db.insertInto("requests").values(values(reference)).execute();
      return reference;
    } catch (err) {
      if (attempt >= 8 || !/unique|duplicate/i.test(String((err as Error).message))) throw err;
    }
  }
}

function toView(r: NonNullable<Row>): RequestView {
  const details = JSON.parse(r.details) as RequestView["details"];
  const view: RequestView = {
    id: r.id,
    reference: r.reference ?? r.id,
    channel: (r.channel ?? "web") as RequestChannel,
    ...(r.assignee ? { assignee: r.assignee } : {}),
    right: r.right as RequestRight,
    status: r.status as RequestStatus,
    identityType: r.identity_type,
    identity: r.identity_value,
    contactEmail: r.contact_email,
    ...(r.name ? { name: r.name } : {}),
    jurisdiction: r.jurisdiction,
    regime: r.regime as RequestView["regime"],
    receivedAt: r.received_at,
    ...(r.verified_at ? { verifiedAt: r.verified_at } : {}),
    dueAt: r.due_at,
    effectiveDueAt: dueInForce(r),
    ...(r.extended_due_at ? { extendedDueAt: r.extended_due_at, extensionReason: r.extension_reason ?? "" } : {}),
    ...(r.completed_at ? { completedAt: r.completed_at } : {}),
    ...(r.agent_name && r.agent_email ? { agent: { name: r.agent_name, email: r.agent_email } } : {}),
    details,
    ...(r.report ? { report: JSON.parse(r.report) as RequestReport } : {}),
    ...(r.denial_reason ? { denialReason: r.denial_reason } : {}),
    declarationVersion: r.declaration_version,
    ...(r.verification ? { verification: JSON.parse(r.verification) as Verification } : {}),
    ...(r.attention ? { attention: r.attention } : {}),
    redacted: !!r.redacted_at,
    appealable: !!REGIMES[r.regime as RequestView["regime"]]?.appeal,
    ...(r.appealed_at && r.appeal_due_at
      ? {
          appeal: {
            appealedAt: r.appealed_at,
            dueAt: r.appeal_due_at,
            reason: r.appeal_reason ?? "",
            ...(r.appeal_outcome
              ? { outcome: r.appeal_outcome as "upheld" | "reversed", answer: r.appeal_answer ?? "" }
              : {}),
          },
        }
      : {}),
  };
  return view;
}

/**
 * The organization's promised response time for a jurisdiction, as a clock (never beyond the law: dueDate takes the
 * sooner).
 */
function promisedRule(decl: Declaration, jurisdiction: string): DeadlineRule | undefined {
  const p = promisedResponseTime(decl, jurisdiction);
  const d = p ? parseDuration(p) : undefined;
  return d ? durationRule(d) : undefined;
}

/**
 * The purposes an objection covers (GDPR Art 21): those named, or every
 * purpose that can be objected to; a purpose on contract, legal obligation or
 * consent cannot be (consent is withdrawn instead).
 *
 * @throws RequestError REQUEST_INVALID
 */
function objectionPurposes(decl: Declaration, named: string[]): string[] {
  const objectable = Object.keys(decl.purposes).filter((p) => objectionKind(decl.purposes[p]));
  if (!named.length) {
    if (!objectable.length)
      throw new RequestError(
        "REQUEST_INVALID",
        "purposes: none of our purposes can be objected to (they rely on a contract, a " +
          "legal obligation or consent; withdraw consent instead)",
      );
    return objectable;
  }
  const not = named.filter((p) => !objectable.includes(p));
  if (not.length)
    throw new RequestError(
      "REQUEST_INVALID",
      `purposes: ${not.map((p) => decl.purposes[p].name).join(", ")} cannot be objected to: ${not
        .map(
          (p) =>
            basesOf(decl.purposes[p])
              .map((b) => b.basis.replace(/_/g, " "))
              .join(" and ") || "no basis",
        )
        .join(", ")} is not legitimate interests or a public task (GDPR Art 21)`,
    );
  return named;
}

export interface SubmitResult {
  requestId: string;
  /**
   * For an email identity: where the code went, masked. For any other identity nothing is said, so that no answer tells
   * whether it exists.
   */
  sentTo?: string;
  /** For rights that need no verification (an opt-out of sale): the status token, at once. */
  statusToken?: string;
}

const hashCtx = (ctx: RequestsContext): HashContext => ({
  store: ctx.store,
  env: ctx.env,
  declaration: ctx.declaration,
});

/**
 * Takes a request from the privacy center or the API: stores it unverified,
 * and sends the person a one-time code — to the email given, or, for another
 * identity, to the address the organization's data holds for it.
 *
 * @throws RequestError RATE_LIMITED, REQUEST_INVALID
 */
export async function submitRequest(
  ctx: RequestsContext,
  input: RequestInput,
  meta: {
    ip?: string;
    authorization?: { filename: string; contentType: string; data: Uint8Array };
    /** Entered by staff from a letter, a call, a visit or a mail: no rate limit; verified by hand when `verified`. */
    entered?: StaffEntry;
    /** Filed by an agent over the Data Rights Protocol (its signed request is the authorization). */
    channel?: "drp";
  },
): Promise<SubmitResult> {
  const decl = ctx.declaration();
  const offered = new Set<string>(decl.rights.offered);
  if (!offered.has(input.right))
    throw new RequestError("REQUEST_INVALID", `right: ${input.right} is not offered by ${decl.organization.name}`);
  if (!decl.rights.identities.includes(input.identityType))
    throw new RequestError("REQUEST_INVALID", `identityType: expected one of ${decl.rights.identities.join(", ")}`);
  if (input.agent && !decl.rights.authorizedAgents?.allowed)
    throw new RequestError("REQUEST_INVALID", "agent: requests by authorized agents are not accepted");
  if (input.agent && decl.rights.authorizedAgents?.requireSignedAuthorization !== false && !meta.authorization) {
    throw new RequestError(
      "REQUEST_INVALID",
      "authorization: an authorized agent must upload the signed authorization",
    );
  }
  const unknown = input.purposes.filter((p) => !Object.hasOwn(decl.purposes, p));
  if (unknown.length) throw new RequestError("REQUEST_INVALID", `purposes: unknown purpose ${unknown.join(", ")}`);
  const region = phoneRegions(decl);
  // A number as the person knows it: with its country code, or national in the organization's country or a place it
  // serves. A national number that reads as a valid number in several of those places is searched in each reading.
  const readings = input.identityType === "phone" ? phoneReadings(input.identity, region).map((r) => r.e164) : [];
  if (input.identityType === "phone" && !readings.length)
    throw new RequestError(
      "REQUEST_INVALID",
      "identity: expected a phone number: with its country code (+…), or as it is written in the country it is from",
    );
  const identity = readings[0] ?? normalizeIdentity(input.identityType, input.identity, region);
  const codeTo = input.identityType === "email" ? identity : undefined;

  const now = ctx.clock();
  const entered = meta.entered;
  const limits = entered ? [] : codeLimits(ctx, input.identityType, identity, meta.ip);
  // The place is taken before the mail goes, so codes asked for at once are counted as they come; it is given back when
  // the mail cannot be sent.
  const taken = await takeRateLimits(ctx.store, limits, now);
  const limited = taken.reached;
  if (limited)
    throw new RequestError(
      "RATE_LIMITED",
      `too many codes requested ` +
        `${limited.key.startsWith("code:ip") ? "from your network" : "for this address"}` +
        `; try again in ${Math.ceil(limited.windowMs / 60_000)} minutes`,
    );

  const jurisdiction =
    input.jurisdiction ?? decl.organization.defaultJurisdiction ?? decl.organization.jurisdictions[0];
  const regime = regimeOf(jurisdiction);
  const purposes = input.right === "objection" ? objectionPurposes(decl, input.purposes) : input.purposes;
  const id = `req_${randomBytes(9).toString("base64url")}`;
  const identities = { [input.identityType]: readings.length ? readings : [identity] };
  const verification: Verification | undefined = codeTo
    ? { subject: "person", method: "code", to: maskEmail(codeTo), source: "the email address given" }
    : undefined;
  // An agent's opt-out needs a code unless it came signed over DRP: the approved registration is its permission, and an
  // opt-out may not demand more (11 CCR § 7026(d)).
  const needsCode =
    (!UNVERIFIED_RIGHTS.has(input.right) || (!!input.agent && meta.channel !== "drp")) && !entered?.verified;
  const code = needsCode ? newCode(id, now) : undefined;
  // GDPR Art 12(3): the month runs from receipt, so a letter opened today counts from the day it arrived.
  const received = entered?.receivedAt ?? now;
  if (received.getTime() > now.getTime() + 60_000)
    throw new RequestError("REQUEST_INVALID", "receivedAt: a request cannot arrive in the future");
  // The code is mailed before anything is stored: when mail is down, the request is not half-made
  // (no request waiting for a code nobody got) and no limit is spent. The person is told to try again.
  const due = dueDate(regime, received, input.right, promisedRule(decl, jurisdiction));
  if (code && codeTo) {
    try {
      await ctx.mailer.send(
        codeMail(
          ctx,
          {
            id,
            code_to: codeTo,
            agent_name: input.agent?.name ?? null,
            right: input.right,
            received,
            due,
            contact_email: input.contactEmail ?? null,
          },
          code.code,
        ),
      );
    } catch (err) {
      await taken.release();
      throw err;
    }
  }
  const identityHashes = JSON.stringify(await hashIdentities(hashCtx(ctx), identities));
  await insertWithReference(ctx, received, (reference) => ({
    id,
    reference,
    channel: meta.entered?.channel ?? meta.channel ?? "web",
    right: input.right,
    status: "unverified",
    identity_type: input.identityType,
    identity_value: identity,
    contact_email: (
      input.contactEmail ??
      codeTo ??
      (meta.channel === "drp" ? "" : input.agent?.email) ??
      ""
    ).toLowerCase(),
    name: input.name ?? null,
    jurisdiction,
    regime,
    received_at: received.toISOString(),
    verified_at: null,
    due_at: due.toISOString(),
    extended_due_at: null,
    extension_reason: null,
    completed_at: null,
    status_token_hash: sha256(randomBytes(32).toString("hex")),
    agent_name: input.agent?.name ?? null,
    // A DRP agent follows the request through the protocol: status mail and links go to the person, not to the agent.
    agent_email: meta.channel === "drp" ? null : (input.agent?.email.toLowerCase() ?? null),
    details: JSON.stringify({ corrections: input.corrections, purposes }),
    identities: JSON.stringify(identities),
    report: null,
    denial_reason: null,
    declaration_version: decl.version,
    code_to: codeTo ?? null,
    verification: verification ? JSON.stringify(verification) : null,
    identity_hashes: identityHashes,
    export_key: null,
    attention: null,
    redacted_at: null,
    appealed_at: null,
    appeal_due_at: null,
    appeal_reason: null,
    appeal_outcome: null,
    appeal_answer: null,
  }));
  if (meta.authorization) {
    await ctx.store.db
      .insertInto("request_documents")
      .values({
        request_id: id,
        kind: "authorization",
        filename: meta.authorization.filename,
        content_type: meta.authorization.contentType,
        data: meta.authorization.data,
        uploaded_at: now.toISOString(),
      })
      .execute();
  }
  await recordEvent(
    ctx,
    id,
    entered ? actorOf(entered.by) : input.agent ? "agent" : "requester",
    "received",
    `${input.right} request received${input.agent ? ` from authorized agent ${input.agent.name}` : ""}` +
      (entered ? ` ${CHANNEL_WORDS[entered.channel]}, entered by ${entered.by.user.name}` : ""),
    { jurisdiction, regime },
  );
  if (entered?.verified) {
    const statusToken = await startVerified(
      ctx,
      id,
      { subject: "person", method: "staff", by: entered.by.user.name, note: entered.verified },
      actorOf(entered.by),
    );
    return { requestId: id, statusToken };
  }
  if (!code) {
    const statusToken = await startVerified(ctx, id, {
      subject: "none",
      method: "none",
      note: "no verification is needed for this right",
    });
    const sentTo = codeSentTo({ identityType: input.identityType, identity });
    return { requestId: id, ...(sentTo ? { sentTo } : {}), statusToken };
  }
  // For another identity, a code nobody has stands until the contact address is found, so that the code form behaves
  // alike either way.
  await code.save(ctx.store);
  if (codeTo) {
    await codeSent(ctx, id, codeTo, code.code);
    await receiptConfirmed(ctx, id, { regime, received_at: now.toISOString() });
    return { requestId: id, sentTo: codeSentTo({ identityType: input.identityType, identity }) };
  }
  await insertTask(ctx, id, "contact", input.identityType);
  return { requestId: id };
}

/**
 * Sends a new code (rate-limited like the first). The answer is the same whether or not a contact address was found.
 */
export async function resendCode(
  ctx: RequestsContext,
  requestId: string,
  meta: { ip?: string },
): Promise<SubmitResult> {
  const r = await loadRow(ctx, requestId);
  if (r?.status !== "unverified") throw new RequestError("NOT_FOUND", "no request waiting for a code");
  const limits = codeLimits(ctx, r.identity_type, r.identity_value, meta.ip);
  const taken = await takeRateLimits(ctx.store, limits, ctx.clock());
  if (taken.reached) throw new RequestError("RATE_LIMITED", "too many codes requested; try again later");
  try {
    await sendCode(ctx, requestId);
  } catch (err) {
    await taken.release();
    throw err;
  }
  const sentTo = codeSentTo({ identityType: r.identity_type, identity: r.identity_value });
  return { requestId, ...(sentTo ? { sentTo } : {}) };
}

export type VerifyResult = { ok: true; statusToken: string } | ({ ok: false } & Exclude<CodeCheck, { ok: true }>);

/**
 * Checks the code; on success the request gets its secret status token and
 * either waits for approval or starts.
 */
export async function verifyRequest(ctx: RequestsContext, requestId: string, code: string): Promise<VerifyResult> {
  const r = await loadRow(ctx, requestId);
  if (r?.status !== "unverified") return { ok: false, reason: "no_code", triesLeft: 0 };
  const check = await checkCode(ctx.store, requestId, code.trim(), ctx.clock());
  if (!check.ok) {
    await recordEvent(ctx, requestId, "requester", "code_rejected", `verification failed: ${check.reason}`);
    return check;
  }
  // A code that nobody was sent cannot be right; should it be, refuse it all the same.
  if (!r.code_to || !r.verification) return { ok: false, reason: "wrong", triesLeft: 0 };
  return { ok: true, statusToken: await startVerified(ctx, requestId, JSON.parse(r.verification) as Verification) };
}

/**
 * Staff verify the person by other means (an ID checked, a call to the number
 * on file), for a request whose code could not be sent to an address of the
 * person's own. Status mail then goes to the address they gave.
 */
export async function verifyByStaff(ctx: RequestsContext, id: string, note: string, by: Principal): Promise<void> {
  const r = await loadRow(ctx, id);
  if (r?.status !== "unverified")
    throw new RequestError("REQUEST_CONFLICT", "only a request waiting for verification can be verified");
  await startVerified(ctx, id, { subject: "person", method: "staff", by: by.user.name, note }, actorOf(by));
}

/**
 * Whether a rectification corrects a category the declaration wants staff to review first (names and contact fields by
 * default).
 */
function needsReview(ctx: RequestsContext, right: string, corrections: Record<string, string>): string[] {
  if (right !== "rectification") return [];
  const review = ctx.declaration().rights.rectification.review;
  return Object.keys(corrections).filter((c) => review.some((r) => categoryWithin(c, r)));
}

/**
 * A verified request: it gets its secret status token (mailed as a receipt to
 * the person, or to their agent), then waits for approval or starts.
 */
async function startVerified(
  ctx: RequestsContext,
  requestId: string,
  verification: Verification,
  actor = "requester",
): Promise<string> {
  const r = (await loadRow(ctx, requestId))!;
  const token = randomBytes(32).toString("base64url");
  const now = ctx.clock();
  const decl = ctx.declaration();
  const reviewed = needsReview(ctx, r.right, (JSON.parse(r.details) as RequestView["details"]).corrections);
  // UK GDPR: the clock starts when identity is confirmed.
  const due =
    r.regime === "uk_gdpr"
      ? dueDate("uk_gdpr", now, r.right, promisedRule(decl, r.jurisdiction)).toISOString()
      : r.due_at;
  // An objection to direct marketing applies at once (Art 21(3)); one to processing on legitimate interests waits for
  // staff to weigh compelling grounds (Art 21(1)).
  const objected = r.right === "objection" ? (JSON.parse(r.details) as RequestView["details"]).purposes : [];
  const balancing = objected.filter((p) => decl.purposes[p] && objectionKind(decl.purposes[p]) === "balancing");
  const marketing = objected.filter((p) => decl.purposes[p] && objectionKind(decl.purposes[p]) === "direct_marketing");
  // An agent's uploaded authorization is checked by an approver. A DRP agent's signed request is its authorization: an
  // owner approved the agent, its key and its identity assurance when registering it (11 CCR § 7063(a)).
  const needsApproval =
    (!!r.agent_name && r.channel !== "drp") ||
    decl.rights.manualApproval ||
    reviewed.length > 0 ||
    balancing.length > 0;
  const done = await ctx.store.db
    .updateTable("requests")
    .set({
      status: needsApproval ? "pending_approval" : "in_progress",
      verified_at: now.toISOString(),
      status_token_hash: sha256(token),
      due_at: due,
      verification: JSON.stringify({ ...verification, at: now.toISOString() }),
      export_key: exportPublicKey(token, requestId),
      attention: null,
    })
    .where("id", "=", requestId)
    .where("status", "=", "unverified")
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0)
    throw new RequestError("REQUEST_CONFLICT", "this request was verified already");
  await ctx.store.db.deleteFrom("verifications").where("request_id", "=", requestId).execute();
  await recordEvent(ctx, requestId, actor, "verified", describeVerification(verification, !!r.agent_name));
  // The receipt: the link, the deadline, and nothing personal. The link is the key to the export: it goes only to
  // the address the person was verified at (or to their agent, or where staff verified them), never merely to an
  // address the requester typed, which hears of the request without it.
  const org = decl.organization;
  const verifiedRow = { ...r, verified_at: now.toISOString(), verification: JSON.stringify(verification) };
  const to = linkRecipient(verifiedRow);
  const news = statusRecipient(verifiedRow);
  /** Mails, or, with mail down, tells staff what did not go: the request stands, the person is on its page already. */
  const mailOrNote = async (m: MailMessage, kind: string, note: string) => {
    try {
      await ctx.mailer.send(m);
    } catch (err) {
      if (!(err instanceof MailError)) throw err;
      await recordEvent(ctx, requestId, "system", kind, note);
    }
  };
  if (to)
    await mailOrNote(
      {
        to,
        subject: `We received your privacy request`,
        text:
          `${r.name && !r.agent_name ? `Dear ${r.name},` : "Hello,"}\n\nWe received your ` +
          `request and will answer by ${due.slice(0, 10)}. Follow it, and download the ` +
          `result when it is ready, at:\n\n${ctx.publicUrl}/privacy-center/requests/` +
          `${token}\n\nKeep this link private: it is the key to your request.\n\n` +
          `${org.shortName ?? org.name}\n`,
      },
      "receipt_not_sent",
      "the receipt with the status link could not be mailed: mail was down",
    );
  if (news && news !== to)
    await mailOrNote(
      {
        to: news,
        subject: `We received your privacy request`,
        text:
          `Hello,\n\nA privacy request (reference ${requestId}) gave this address for news of it. It ` +
          `was confirmed, and we will answer by ${due.slice(0, 10)}. We will write here when it is ` +
          `done. The link to follow it and to download its result went only to the address it was ` +
          `confirmed at.\n\n${org.shortName ?? org.name}\n`,
      },
      "news_not_sent",
      "the mail telling the contact address of the request could not be sent: mail was down",
    );
  if (needsApproval && marketing.length && !r.agent_name) {
    const flags = await recordFlags(ctx, r, marketing);
    await recordEvent(
      ctx,
      requestId,
      "system",
      "flagged",
      `objection to direct marketing applied at once: recorded ${flags.join(", ")}`,
    );
  }
  if (needsApproval) {
    const why = reviewed.length
      ? `held for staff review: the correction of the ${reviewed
          .map((c) => categoryName(c, categoriesOf(decl)).toLowerCase())
          .join(", ")} is applied only once reviewed`
      : r.agent_name
        ? "filed by an authorized agent: held until an approver checks the signed authorization"
        : balancing.length
          ? `objection to ${balancing.map((p) => decl.purposes[p].name).join(", ")} ` +
            `(legitimate interests or public task): staff stop the processing, or refuse ` +
            `with the compelling legitimate grounds that override it (GDPR Art 21(1))`
          : "held for manual approval";
    await recordEvent(ctx, requestId, "system", "awaiting_approval", why);
  } else await planTasks(ctx, requestId);
  return token;
}

/** How a request was verified, in words for the timeline and the console. */
export function describeVerification(v: Verification, agent: boolean): string {
  const by =
    v.method === "code"
      ? `the person, by a one-time code sent to ${v.to}${v.source ? ` (${v.source})` : ""}`
      : v.method === "staff"
        ? `the person, checked by hand by ${v.by}: ${v.note}`
        : (v.note ?? "not verified: this right needs no verification");
  return (
    `${v.method === "none" ? by : `verified ${by}`}` +
    `${agent ? "; the authorized agent who filed it was not verified by the code" : ""}`
  );
}

/** The request behind a status token, or undefined. The token is the only key a requester holds. */
export async function findRequestByToken(ctx: RequestsContext, token: string): Promise<RequestView | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const r = await ctx.store.db
    .selectFrom("requests")
    .selectAll()
    .where("status_token_hash", "=", sha256(token))
    .executeTakeFirst();
  return r ? toView(r) : undefined;
}

export async function getRequest(ctx: RequestsContext, id: string): Promise<RequestView> {
  const r = await loadRow(ctx, id);
  if (!r) throw new RequestError("NOT_FOUND", `no request ${id}`);
  return toView(r);
}

/**
 * A page of requests, in the database's order: open ones first by the deadline in force, then closed ones, latest
 * first.
 */
/** Which requests a list shows: by status, right, jurisdiction, deadline, or a search of identities and ids. */
export interface RequestFilter {
  status?: RequestStatus;
  right?: string;
  regime?: string;
  /** `open`: clock running; `overdue`: past the deadline; `soon`: due within 7
   * days; `unverified`: waiting for a code. */
  due?: "open" | "overdue" | "soon" | "unverified";
  /** Part of an identity, a contact address or a request id (closed requests keep only masked identities). */
  q?: string;
  /** A staff member's email: their requests; `none`: nobody's. */
  assignee?: string;
}

/** At most this many requests match a search; a search is for finding one request, not for listing thousands. */
const SEARCH_LIMIT = 500;

/**
 * The ids a search matches: a reference (`R-2026-142`, leading zeros or not), the start of an identity or a contact
 * address (as stored: emails in lower case, phones in E.164, so a phone is read as people write it), or an exact id.
 * Each is an index range read on its own, so a search that finds nothing reads nothing; in PostgreSQL the ranges are
 * taken in byte order ("C"), which is what a prefix means, whatever the database's collation.
 */
async function searchIds(ctx: RequestsContext, query: string): Promise<string[]> {
  const text = query.trim();
  const ref = /^R-(\d{4})-(\d{1,6})$/i.exec(text);
  const db = ctx.store.db;
  if (ref) {
    const reference = `R-${ref[1]}-${String(Number(ref[2])).padStart(4, "0")}`;
    return (await db.selectFrom("requests").select("id").where("reference", "=", reference).execute()).map((r) => r.id);
  }
  const phone = /^[+\d][\d\s().-]{5,}$/.test(text) ? phoneReadings(text, phoneRegions(ctx.declaration())) : [];
  const prefixes = [...new Set([text.toLowerCase(), ...phone.map((r) => r.e164)])];
  const bytes = (column: string) =>
    ctx.store.engine === "postgres" ? sql`${sql.ref(column)} collate "C"` : sql`${sql.ref(column)}`;
  const ids = new Set<string>();
  for (const column of ["identity_value", "contact_email"])
    for (const prefix of prefixes)
      for (const r of await db
        .selectFrom("requests")
        .select("id")
        .where(sql<boolean>`${bytes(column)} >= ${prefix} and ${bytes(column)} < ${`${prefix}\u{10FFFF}`}`)
        .limit(SEARCH_LIMIT)
        .execute())
        ids.add(r.id);
  for (const r of await db.selectFrom("requests").select("id").where("id", "=", text).execute()) ids.add(r.id);
  return [...ids].slice(0, SEARCH_LIMIT);
}

/** The filter with its search read into ids first (see `searchIds`). */
async function resolved(ctx: RequestsContext, f: RequestFilter): Promise<RequestFilter & { ids?: string[] }> {
  return f.q?.trim() ? { ...f, ids: await searchIds(ctx, f.q) } : f;
}

function filtered<Q extends { where: (...a: never[]) => Q }>(
  ctx: RequestsContext,
  query: Q,
  f: RequestFilter & { ids?: string[] },
): Q {
  // biome-ignore lint/suspicious/noExplicitAny: the same filter on a select and a count
  let q = query as any;
  const now = ctx.clock().getTime();
  if (f.status) q = q.where("status", "=", f.status);
  if (f.right) q = q.where("right", "=", f.right);
  if (f.regime) q = q.where("regime", "=", f.regime);
  if (f.assignee === "none") q = q.where("assignee", "is", null);
  else if (f.assignee) q = q.where("assignee", "=", f.assignee.toLowerCase());
  if (f.due === "open") q = q.where(sql`${clockRunsSql}`);
  if (f.due === "unverified") q = q.where("status", "=", "unverified");
  if (f.due === "overdue")
    q = q.where(sql`${clockRunsSql} and ${effectiveDue} <= ${new Date(now - 86_400_000).toISOString()}`);
  if (f.due === "soon")
    q = q.where(
      sql`${clockRunsSql} and ${effectiveDue} > ${new Date(now - 86_400_000).toISOString()} and ${effectiveDue} <=
        ${new Date(now + 7 * 86_400_000).toISOString()}`,
    );
  if (f.ids) q = f.ids.length ? q.where("id", "in", f.ids) : q.where(sql<boolean>`1 = 0`);
  return q as Q;
}

export async function listRequests(
  ctx: RequestsContext,
  options: RequestFilter & { limit?: number; offset?: number } = {},
): Promise<RequestView[]> {
  const limit = options.limit ?? 100;
  const offset = options.offset ?? 0;
  const f = await resolved(ctx, options);
  if (f.ids && !f.ids.length) return [];
  // Open requests first, by the deadline in force; then closed ones, latest first. Each part is read on its own
  // index (status, completed_at), so a page costs what it holds, not the whole table sorted again.
  const open = await filtered(ctx, ctx.store.db.selectFrom("requests").selectAll(), f)
    .where(sql<boolean>`${openSql}`)
    .orderBy(effectiveDue)
    .orderBy("id")
    .limit(limit)
    .offset(offset)
    .execute();
  if (open.length === limit) return open.map(toView);
  const openCount = open.length
    ? offset + open.length
    : Number(
        (
          await filtered(ctx, ctx.store.db.selectFrom("requests"), f)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where(sql<boolean>`${openSql}`)
            .executeTakeFirst()
        )?.n ?? 0,
      );
  const closed = await filtered(ctx, ctx.store.db.selectFrom("requests").selectAll(), f)
    .where(sql<boolean>`${closedSql}`)
    .orderBy("completed_at", "desc")
    .orderBy("id")
    .limit(limit - open.length)
    .offset(Math.max(0, offset - openCount))
    .execute();
  return [...open, ...closed].map(toView);
}

/**
 * Every request the filter matches, a page at a time in the order they were received, for a download: each page
 * starts after the last row of the one before (keyset), so the cost of a page does not grow with the pages before
 * it, whatever the number of requests.
 *
 * ```ts
 * for await (const page of requestPages(ctx, { status: "completed" })) write(page);
 * ```
 */
export async function* requestPages(
  ctx: RequestsContext,
  filter: RequestFilter = {},
  pageSize = 1000,
): AsyncGenerator<RequestView[]> {
  let after: { received: string; id: string } | undefined;
  const f = await resolved(ctx, filter);
  if (f.ids && !f.ids.length) return;
  for (;;) {
    let q = filtered(ctx, ctx.store.db.selectFrom("requests").selectAll(), f);
    // A row value, which both engines compare along the (received_at, id) index.
    if (after) q = q.where(sql<boolean>`(received_at, id) > (${after.received}, ${after.id})`);
    const rows = await q.orderBy("received_at").orderBy("id").limit(pageSize).execute();
    if (!rows.length) return;
    yield rows.map(toView);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = { received: last.received_at, id: last.id };
  }
}

/**
 * Open requests by the day their deadline in force falls on, and how many are late already, for the chart of what
 * falls due: counted by the database, so the chart costs the same for fifty open requests and for five thousand.
 */
export async function openDeadlines(ctx: RequestsContext): Promise<{ late: number; byDay: Record<string, number> }> {
  const now = ctx.clock().toISOString();
  const rows = await ctx.store.db
    .selectFrom("requests")
    .select([
      sql<string>`case when ${effectiveDue} < ${now} then 'late' else substr(${effectiveDue}, 1, 10) end`.as("day"),
      sql<number>`count(*)`.as("n"),
    ])
    .where(sql<boolean>`${openSql} and status <> 'unverified'`)
    // By position: the same expression written twice would be two parameters to PostgreSQL, not one grouping.
    .groupBy(sql`1`)
    .execute();
  const byDay: Record<string, number> = {};
  let late = 0;
  for (const r of rows) {
    if (r.day === "late") late = Number(r.n);
    else byDay[r.day] = Number(r.n);
  }
  return { late, byDay };
}

export interface RequestCounts {
  /** Requests with the status asked for, or all of them: what the pages go through (NaN when not asked for). */
  total: number;
  open: number;
  overdue: number;
  /** Open, and due within 7 days. */
  dueSoon: number;
  /** Waiting for the person's code: no clock runs yet. */
  unverified: number;
}

/** How many requests there are, and how many open ones are late or due within a week (as `urgencyOf` says). */
export async function countRequests(
  ctx: RequestsContext,
  options: RequestFilter = {},
  /** The home page needs the clocks, not the total: counting every request ever made grows with the years. */
  withTotal = true,
): Promise<RequestCounts> {
  const now = ctx.clock().getTime();
  const overdueBy = new Date(now - 86_400_000).toISOString();
  const soonBy = new Date(now + 7 * 86_400_000).toISOString();
  const n = (e: ReturnType<typeof sql>) => sql<number>`coalesce(sum(case when ${e} then 1 else 0 end), 0)`;
  const open = clockRunsSql;
  const f = await resolved(ctx, options);
  // The clocks are counted over open requests only (the status index); the total is a plain count.
  const total = withTotal
    ? await filtered(ctx, ctx.store.db.selectFrom("requests"), f)
        .select(sql<number>`count(*)`.as("total"))
        .executeTakeFirstOrThrow()
    : { total: Number.NaN };
  const row = await filtered(ctx, ctx.store.db.selectFrom("requests"), f)
    .where(sql<boolean>`${openSql}`)
    .select([
      n(open).as("open"),
      n(sql`${open} and ${effectiveDue} <= ${overdueBy}`).as("overdue"),
      n(sql`${open} and ${effectiveDue} > ${overdueBy} and ${effectiveDue} <= ${soonBy}`).as("due_soon"),
      n(sql`status = 'unverified'`).as("unverified"),
    ])
    .executeTakeFirstOrThrow();
  return {
    total: Number(total.total),
    open: Number(row.open),
    overdue: Number(row.overdue),
    dueSoon: Number(row.due_soon),
    unverified: Number(row.unverified),
  };
}

export async function requestTimeline(ctx: RequestsContext, id: string): Promise<RequestEvent[]> {
  return ctx.store.db
    .selectFrom("request_events")
    .select(["at", "actor", "kind", "message"])
    .where("request_id", "=", id)
    .orderBy("id")
    .execute();
}

/** Staff decisions a requester is told of; notes and task details stay internal. */
const REQUESTER_VISIBLE = new Set(["approved", "extended", "denied", "verified", "appeal_answered"]);
/** System events that say something about the organization's systems or staff work, not the request's progress. */
const STAFF_ONLY = new Set([
  "task_retry",
  "task_failed",
  "review",
  "manual_verification",
  "identities",
  "receipt_not_sent",
]);

/** The timeline as the requester sees it on their status page. */
export async function requesterTimeline(ctx: RequestsContext, id: string): Promise<RequestEvent[]> {
  return (await requestTimeline(ctx, id)).filter(
    (e) =>
      (e.actor === "system" && !STAFF_ONLY.has(e.kind)) ||
      e.actor === "requester" ||
      e.actor === "agent" ||
      REQUESTER_VISIBLE.has(e.kind),
  );
}

/**
 * Whether one of the request's tasks is failing (being retried, or left for
 * staff): the person is told that a system is taking longer, never which or why.
 */
export async function requestDelayed(ctx: RequestsContext, id: string): Promise<boolean> {
  const t = await ctx.store.db
    .selectFrom("request_tasks")
    .select("id")
    .where("request_id", "=", id)
    .where((eb) =>
      eb.or([eb("status", "=", "failed"), eb.and([eb("status", "=", "pending"), eb("error", "is not", null)])]),
    )
    .executeTakeFirst();
  return !!t;
}

export async function requestTasks(ctx: RequestsContext, id: string): Promise<TaskView[]> {
  const rows = await ctx.store.db
    .selectFrom("request_tasks")
    .selectAll()
    .where("request_id", "=", id)
    .orderBy("id")
    .execute();
  return rows.map((t) => ({
    id: Number(t.id),
    kind: t.kind as TaskView["kind"],
    target: t.target,
    status: t.status as TaskView["status"],
    attempts: t.attempts,
    nextRunAt: t.next_run_at,
    ...(t.error ? { error: t.error } : {}),
    ...(t.result ? { result: JSON.parse(t.result) as unknown } : {}),
    updatedAt: t.updated_at,
  }));
}

const actorOf = (p: Principal) => `user:${p.user.email}`;

/**
 * Approves a request held for approval (an agent's, a correction to review, or under manual approval), and starts it.
 */
export async function approveRequest(ctx: RequestsContext, id: string, by: Principal): Promise<void> {
  const res = await ctx.store.db
    .updateTable("requests")
    .set({ status: "in_progress" })
    .where("id", "=", id)
    .where("status", "=", "pending_approval")
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0)
    throw new RequestError("REQUEST_CONFLICT", "only a request waiting for approval can be approved");
  await recordEvent(ctx, id, actorOf(by), "approved", `approved by ${by.user.name}`);
  await planTasks(ctx, id);
}

/**
 * Staff decide which of the rows a collection stopped on are the person's: `person` names them (by their `ref`); the
 * others are someone else's, never collected, and their identities search nothing. Without `person`, every row is
 * the person's (one person with several accounts). The system is collected again with the decisions.
 *
 * @throws RequestError REQUEST_CONFLICT when the task is not waiting for review, REQUEST_INVALID for a row it did not
 * stop on, or when no row is left for the person
 */
export async function confirmReview(
  ctx: RequestsContext,
  id: string,
  taskId: number,
  by: Principal,
  choice?: { person: string[] },
): Promise<void> {
  const t = await ctx.store.db
    .selectFrom("request_tasks")
    .selectAll()
    .where("id", "=", taskId)
    .where("request_id", "=", id)
    .executeTakeFirst();
  if (t?.status !== "review")
    throw new RequestError("REQUEST_CONFLICT", "only a task waiting for review can be confirmed");
  const result = JSON.parse(t.result ?? "{}") as CollectResult;
  // A review stored before rows were shown one by one has none: going ahead then decides nothing, and the collection
  // stops again with its rows.
  const candidates = (result.ambiguous ?? []).flatMap((a) =>
    (a.candidates ?? []).map((c) => ({ ...c, dataset: a.dataset })),
  );
  const person = new Set(choice?.person ?? candidates.map((c) => c.ref));
  const unknown = [...person].filter((r) => !candidates.some((c) => c.ref === r));
  if (unknown.length) throw new RequestError("REQUEST_INVALID", "person: a row this review did not stop on");
  for (const a of result.ambiguous ?? [])
    if (a.candidates?.length && !a.candidates.some((c) => person.has(c.ref)))
      throw new RequestError(
        "REQUEST_INVALID",
        `person: choose the row of ${a.dataset} that is the person's, or deny the request if none is`,
      );
  const decisions = { ...(result.decisions ?? {}) };
  for (const c of candidates) decisions[c.ref] = person.has(c.ref) ? "person" : "other";
  const now = ctx.clock().toISOString();
  // The system is collected again with the decisions: what staff excluded is no longer followed or searched by.
  await ctx.store.db
    .updateTable("request_tasks")
    .set({
      status: "pending",
      next_run_at: now,
      attempts: 0,
      result: JSON.stringify({ ...result, ambiguous: [], decisions }),
      updated_at: now,
    })
    .where("id", "=", taskId)
    .execute();
  await ctx.store.db
    .updateTable("requests")
    .set({ status: "in_progress", attention: null })
    .where("id", "=", id)
    .where("status", "=", "needs_attention")
    .execute();
  // Counted, not named: the event outlives the request, and a row's key leads to whoever it is.
  const named = (list: typeof candidates) =>
    [...new Set(list.map((c) => c.dataset))]
      .map((d) => `${list.filter((c) => c.dataset === d).length} row(s) of ${d}`)
      .join(" and ");
  const others = candidates.filter((c) => !person.has(c.ref));
  await recordEvent(
    ctx,
    id,
    actorOf(by),
    "confirmed",
    `${by.user.name} confirmed ${named(candidates.filter((c) => person.has(c.ref)))} in ${t.target} as the ` +
      `person's${others.length ? `, and excluded ${named(others)} as someone else's` : ""}`,
  );
  await ctx.store.signal("tasks");
  await advanceRequest(ctx, id);
}

/**
 * Closes an open request as denied or withdrawn, and skips the tasks that have not run.
 *
 * @throws RequestError REQUEST_CONFLICT when it is already closed
 */
async function closeOpen(
  ctx: RequestsContext,
  id: string,
  status: "denied" | "withdrawn",
  reason: string | null,
): Promise<void> {
  const now = ctx.clock().toISOString();
  const res = await ctx.store.db
    .updateTable("requests")
    .set({ status, denial_reason: reason, completed_at: now })
    .where("id", "=", id)
    .where("status", "in", ["unverified", "pending_approval", "in_progress", "needs_attention"])
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new RequestError("REQUEST_CONFLICT", "this request is already closed");
  await ctx.store.db
    .updateTable("request_tasks")
    .set({ status: "skipped", updated_at: now })
    .where("request_id", "=", id)
    .where("status", "in", ["pending", "waiting", "manual", "failed", "review"])
    .execute();
}

/** Denies a request, with the reason the requester is told (GDPR Art 12(4)). */
export async function denyRequest(ctx: RequestsContext, id: string, reason: string, by: Principal): Promise<void> {
  await closeOpen(ctx, id, "denied", reason);
  await recordEvent(ctx, id, actorOf(by), "denied", `denied: ${reason}`);
  const r = (await loadRow(ctx, id))!;
  // An unverified request is answered only at the address the person's identity leads to.
  const to = statusRecipient(r);
  const regime = r.regime as RequestView["regime"];
  if (to) {
    await ctx.mailer.send({
      to,
      subject: `Your privacy request ${r.reference ?? id}`,
      text:
        `${r.name && r.verified_at ? `Dear ${r.name},\n\n` : ""}We cannot act on your ` +
        `request. The reason: ${reason}\n\n${refusalRights(ctx.declaration(), regime)}` +
        `\n\n${requestReference(r?.reference ?? id, ctx.publicUrl)}\n`,
    });
  }
  // Where the law gives an appeal, the request keeps what it needs to be carried out if the appeal succeeds; the sweep
  // redacts it once the appeal window has passed.
  if (!(REGIMES[regime].appeal && r.verified_at)) await redactRequest(ctx, id);
}

/**
 * Withdraws an open request at the person's word, or their agent's (a DRP revoke): nothing more is done for it, its
 * pending tasks are skipped, the person is told at the address their identity leads to, and it is redacted as a denial
 * is. Work a task had already done (rows erased) stays done, and the request's report says so.
 *
 * @throws RequestError REQUEST_CONFLICT when the request is already closed
 */
export async function withdrawRequest(ctx: RequestsContext, id: string, by: string, reason?: string): Promise<void> {
  await closeOpen(ctx, id, "withdrawn", reason ?? null);
  await recordEvent(ctx, id, by, "withdrawn", `withdrawn${reason ? `: ${reason}` : ""}`);
  const r = (await loadRow(ctx, id))!;
  const to = statusRecipient(r);
  if (to && r.verified_at)
    await ctx.mailer.send({
      to,
      subject: `Your privacy request ${r.reference ?? id} was withdrawn`,
      text:
        `${r.agent_name ? `${r.agent_name}, acting for you, withdrew` : "You withdrew"} your ${r.right} request. ` +
        `We will do nothing more for it. If you did not ask for this, write to us.\n\n` +
        `${requestReference(r.reference ?? id, ctx.publicUrl)}\n`,
    });
  await redactRequest(ctx, id);
}

/**
 * The person appeals a denial from their status page (US state laws). The
 * appeal has its own deadline; staff answer it.
 *
 * @throws RequestError REQUEST_CONFLICT when the request is not a denial that can be appealed
 */
export async function appealRequest(ctx: RequestsContext, id: string, reason: string): Promise<string> {
  const r = await loadRow(ctx, id);
  if (!r) throw new RequestError("NOT_FOUND", `no request ${id}`);
  const regime = REGIMES[r.regime as RequestView["regime"]];
  if (!regime.appeal) throw new RequestError("REQUEST_CONFLICT", `${regime.name} gives no appeal`);
  if (r.status !== "denied" || r.appealed_at)
    throw new RequestError("REQUEST_CONFLICT", "only a denied request can be appealed, once");
  const now = ctx.clock();
  const due = appealDueDate(r.regime as RequestView["regime"], now)!;
  const res = await ctx.store.db
    .updateTable("requests")
    .set({
      status: "appealed",
      appealed_at: now.toISOString(),
      appeal_due_at: due.toISOString(),
      appeal_reason: reason,
      completed_at: null,
    })
    .where("id", "=", id)
    .where("status", "=", "denied")
    .where("appealed_at", "is", null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0)
    throw new RequestError("REQUEST_CONFLICT", "only a denied request can be appealed, once");
  await recordEvent(
    ctx,
    id,
    "requester",
    "appealed",
    `the denial was appealed; the appeal is answered by ${due.toISOString().slice(0, 10)} (${regime.appeal.cite})`,
  );
  return due.toISOString();
}

/**
 * Staff answer an appeal: `reversed` reopens the request and carries it out;
 * `upheld` keeps the denial, and the person is told how to complain to the
 * attorney general.
 */
export async function answerAppeal(
  ctx: RequestsContext,
  id: string,
  outcome: "upheld" | "reversed",
  answer: string,
  by: Principal,
): Promise<void> {
  const r = await loadRow(ctx, id);
  if (r?.status !== "appealed") throw new RequestError("REQUEST_CONFLICT", "only an appealed request can be answered");
  const now = ctx.clock().toISOString();
  const regime = REGIMES[r.regime as RequestView["regime"]];
  await ctx.store.db
    .updateTable("requests")
    .set(
      outcome === "reversed"
        ? { status: "in_progress", appeal_outcome: outcome, appeal_answer: answer, denial_reason: null }
        : { status: "denied", appeal_outcome: outcome, appeal_answer: answer, completed_at: now },
    )
    .where("id", "=", id)
    .where("status", "=", "appealed")
    .execute();
  await recordEvent(ctx, id, actorOf(by), "appeal_answered", `appeal ${outcome} by ${by.user.name}: ${answer}`);
  const to = statusRecipient(r);
  if (to) {
    await ctx.mailer.send({
      to,
      subject: `Your appeal of privacy request ${r?.reference ?? id}`,
      text:
        outcome === "reversed"
          ? `We reviewed your appeal and will now act on your request. ${answer}\n\n` +
            `${requestReference(r?.reference ?? id, ctx.publicUrl)}\n`
          : `We reviewed your appeal and our decision stands. ${answer}\n\nIf you ` +
            `disagree, you may contact ${regime.complaintTo}.\n\n` +
            `${requestReference(r?.reference ?? id, ctx.publicUrl)}\n`,
    });
  }
  if (outcome === "reversed") {
    if (r.redacted_at) {
      await recordEvent(
        ctx,
        id,
        "system",
        "attention",
        "the request was redacted before the appeal: ask the person to send it again",
      );
      await ctx.store.db
        .updateTable("requests")
        .set({ status: "needs_attention", attention: "redacted" })
        .where("id", "=", id)
        .execute();
      return;
    }
    await planTasks(ctx, id);
  } else await redactRequest(ctx, id);
}

/**
 * Extends the deadline once, as far as the law allows, with the reason the
 * requester must be given (GDPR Art 12(3): complexity or number of requests).
 */
export async function extendDeadline(
  ctx: RequestsContext,
  id: string,
  reason: string,
  by: Principal,
  length?: DeadlineRule,
): Promise<string> {
  const r = await loadRow(ctx, id);
  if (!r) throw new RequestError("NOT_FOUND", `no request ${id}`);
  if (r.extended_due_at) throw new RequestError("REQUEST_CONFLICT", "the deadline was already extended");
  if (!isOpen(r.status)) throw new RequestError("REQUEST_CONFLICT", "this request is closed");
  const ext = extendedDueDate(r.regime as RequestView["regime"], new Date(r.due_at), r.right, length);
  if (!ext && REGIMES[r.regime as RequestView["regime"]].extensionReason === "date_given")
    throw new RequestError(
      "REQUEST_INVALID",
      `${REGIMES[r.regime as RequestView["regime"]].name} sets no cap on an extension: give its length, and the ` +
        "person is told the new date (FADO Art 18(2))",
    );
  if (!ext)
    throw new RequestError(
      "REQUEST_CONFLICT",
      `${REGIMES[r.regime as RequestView["regime"]].name} allows no extension` +
        `${REGIMES[r.regime as RequestView["regime"]].extension ? " of this request" : ""}`,
    );
  if (ctx.clock().toISOString() > r.due_at)
    throw new RequestError("REQUEST_CONFLICT", "the extension must be given before the deadline passes");
  await ctx.store.db
    .updateTable("requests")
    .set({ extended_due_at: ext.toISOString(), extension_reason: reason })
    .where("id", "=", id)
    .execute();
  await recordEvent(
    ctx,
    id,
    actorOf(by),
    "extended",
    `deadline extended to ${ext.toISOString().slice(0, 10)}: ${reason}`,
  );
  const to = statusRecipient(r);
  if (to) {
    await ctx.mailer.send({
      to,
      subject: "Your privacy request needs more time",
      text:
        `${r.name && r.verified_at ? `Dear ${r.name},\n\n` : ""}We need more time to ` +
        `answer your request. The new deadline is ${ext.toISOString().slice(0, 10)}. ` +
        `The reason: ${reason}\n\n${requestReference(r?.reference ?? id, ctx.publicUrl)}\n`,
    });
  }
  return ext.toISOString();
}

export async function addNote(ctx: RequestsContext, id: string, note: string, by: Principal): Promise<void> {
  await getRequest(ctx, id);
  await recordEvent(ctx, id, actorOf(by), "note", note);
}

/** Puts a failed (or waiting) task back in the queue now. */
export async function retryTask(ctx: RequestsContext, id: string, taskId: number, by: Principal): Promise<void> {
  const now = ctx.clock().toISOString();
  const res = await ctx.store.db
    .updateTable("request_tasks")
    .set({ status: "pending", attempts: 0, next_run_at: now, error: null, updated_at: now })
    .where("id", "=", taskId)
    .where("request_id", "=", id)
    .where("status", "in", ["failed", "pending"])
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0)
    throw new RequestError("REQUEST_CONFLICT", "only a failed or waiting task can be retried");
  await resumeRequest(ctx, id);
  await recordEvent(ctx, id, actorOf(by), "retried", `task ${taskId} retried by ${by.user.name}`);
  await ctx.store.signal("tasks");
}

/** Evidence staff attach to a task: the vendor's reply, a scan of what was done. */
export interface TaskEvidence {
  filename: string;
  contentType: string;
  data: Uint8Array;
}

const MAX_EVIDENCE = 5 * 1024 * 1024;

async function storeEvidence(
  ctx: RequestsContext,
  id: string,
  e: TaskEvidence | undefined,
): Promise<number | undefined> {
  if (!e?.data.length) return undefined;
  if (e.data.length > MAX_EVIDENCE) throw new RequestError("REQUEST_INVALID", "evidence: the file is larger than 5 MB");
  const row = await ctx.store.db
    .insertInto("request_documents")
    .values({
      request_id: id,
      kind: "evidence",
      filename: e.filename.replace(/[^\w.\- ]/g, "_").slice(0, 100) || "evidence",
      content_type: e.contentType.slice(0, 100) || "application/octet-stream",
      data: e.data,
      uploaded_at: ctx.clock().toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Stores the evidence, then runs `settle` with its id; the evidence goes again when settling fails (a conflict). */
async function withEvidence(
  ctx: RequestsContext,
  id: string,
  evidence: TaskEvidence | undefined,
  settle: (doc: number | undefined) => Promise<void>,
): Promise<void> {
  const doc = await storeEvidence(ctx, id, evidence);
  try {
    await settle(doc);
  } catch (err) {
    if (doc !== undefined) await ctx.store.db.deleteFrom("request_documents").where("id", "=", doc).execute();
    throw err;
  }
}

async function taskOf(ctx: RequestsContext, id: string, taskId: number) {
  const t = await ctx.store.db
    .selectFrom("request_tasks")
    .selectAll()
    .where("id", "=", taskId)
    .where("request_id", "=", id)
    .executeTakeFirst();
  if (!t) throw new RequestError("NOT_FOUND", `request ${id} has no task ${taskId}`);
  return t;
}

/** Marks a manual task (a system without a connector) done, with what staff did and any evidence. */
export async function completeManualTask(
  ctx: RequestsContext,
  id: string,
  taskId: number,
  note: string,
  by: Principal,
  evidence?: TaskEvidence,
  /** The checklist's items the person confirmed, by their place in it (0 first): every one, or the task stays open. */
  checked: readonly number[] = [],
): Promise<void> {
  const now = ctx.clock().toISOString();
  const t = await taskOf(ctx, id, taskId);
  if (t.kind !== "manual" || t.status !== "manual")
    throw new RequestError("REQUEST_CONFLICT", "only a manual task can be marked done");
  const checklist = ((t.result ? JSON.parse(t.result) : {}) as { checklist?: string[] }).checklist ?? [];
  const unchecked = checklist.filter((_, i) => !checked.includes(i));
  if (unchecked.length)
    throw new RequestError(
      "REQUEST_INVALID",
      `confirm each item of the checklist; not confirmed: ${unchecked.join("; ")}`,
    );
  await withEvidence(ctx, id, evidence, async (doc) => {
    const res = await ctx.store.db
      .updateTable("request_tasks")
      .set({
        status: "done",
        result: JSON.stringify({
          ...(t.result ? (JSON.parse(t.result) as object) : {}),
          note,
          by: by.user.email,
          doneAt: now,
          ...(checklist.length ? { confirmed: checklist } : {}),
          ...(doc ? { evidence: doc } : {}),
        }),
        updated_at: now,
      })
      .where("id", "=", taskId)
      .where("status", "=", "manual")
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0)
      throw new RequestError("REQUEST_CONFLICT", "only a manual task can be marked done");
    await recordEvent(
      ctx,
      id,
      actorOf(by),
      "manual_done",
      `manual task ${taskId} done: ${note}${doc ? " (evidence attached)" : ""}`,
    );
  });
  await advanceRequest(ctx, id);
}

/** A request held for staff goes back to work once they acted on its task. */
async function resumeRequest(ctx: RequestsContext, id: string): Promise<void> {
  await ctx.store.db
    .updateTable("requests")
    .set({ status: "in_progress" })
    .where("id", "=", id)
    .where("status", "=", "needs_attention")
    .execute();
}

/**
 * Settles a processor task as staff decided: only from the state it was read in (never over a worker that took it
 * meanwhile), with the event on the timeline; the caller moves the request on.
 */
async function settleProcessorTask(
  ctx: RequestsContext,
  id: string,
  t: { id: number; status: string; target: string; result: string | null },
  status: "done" | "skipped",
  change: (prev: ProcessorResult) => ProcessorResult,
  event: { by: Principal; kind: string; message: (r: ProcessorResult) => string },
): Promise<void> {
  const prev: ProcessorResult = t.result
    ? (JSON.parse(t.result) as ProcessorResult)
    : { vendor: processorName(ctx.declaration(), t.target), via: "staff", operation: "" };
  const result = change(prev);
  const res = await ctx.store.db
    .updateTable("request_tasks")
    .set({ status, result: JSON.stringify(result), error: null, updated_at: ctx.clock().toISOString() })
    .where("id", "=", t.id)
    .where("status", "=", t.status)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0)
    throw new RequestError("REQUEST_CONFLICT", "the task changed meanwhile: reload the request and try again");
  await recordEvent(ctx, id, actorOf(event.by), event.kind, event.message(result));
  await resumeRequest(ctx, id);
}

/**
 * Records a processor's answer (its reply by mail, a confirmation from its support): the task is confirmed, with the
 * reply as evidence. Only a task waiting on the vendor (asked, failed, or waiting for its job) takes an answer.
 */
export async function recordProcessorAnswer(
  ctx: RequestsContext,
  id: string,
  taskId: number,
  answer: string,
  by: Principal,
  evidence?: TaskEvidence,
): Promise<void> {
  const t = await taskOf(ctx, id, taskId);
  if (t.kind !== "processor" || !["asked", "failed", "pending"].includes(t.status))
    throw new RequestError("REQUEST_CONFLICT", "only a processor task waiting for the vendor takes its answer");
  const now = ctx.clock().toISOString();
  await withEvidence(ctx, id, evidence, (doc) =>
    settleProcessorTask(
      ctx,
      id,
      t,
      "done",
      (prev) => ({
        ...prev,
        askedAt: prev.askedAt ?? now,
        confirmedAt: now,
        answer,
        by: by.user.email,
        ...(doc ? { evidence: doc } : {}),
      }),
      {
        by,
        kind: "processor_confirmed",
        message: (r) => `${r.vendor} confirmed: ${answer}${doc ? " (reply attached)" : ""}`,
      },
    ),
  );
  await advanceRequest(ctx, id);
}

/**
 * Closes a processor's task without its confirmation, with the reason the report shows ("the vendor holds nothing of
 * EU customers", "contract ended, data returned on 2026-03-01"). The request may then complete; it says so.
 */
export async function closeProcessorTask(
  ctx: RequestsContext,
  id: string,
  taskId: number,
  reason: string,
  by: Principal,
): Promise<void> {
  const t = await taskOf(ctx, id, taskId);
  if (t.kind !== "processor" || ["done", "skipped", "running"].includes(t.status))
    throw new RequestError("REQUEST_CONFLICT", "only an open processor task can be closed");
  await settleProcessorTask(ctx, id, t, "skipped", (prev) => ({ ...prev, closedReason: reason, by: by.user.email }), {
    by,
    kind: "processor_closed",
    message: (r) => `${r.vendor}: closed without its confirmation: ${reason}`,
  });
  await advanceRequest(ctx, id);
}

/**
 * The export ZIP of a request, opened with the status token (the only key to
 * it), if it exists and has not expired. An expired export is deleted.
 */
export async function getExport(
  ctx: RequestsContext,
  requestId: string,
  token: string,
): Promise<{ filename: string; data: Uint8Array; expiresAt: string } | { expired: true } | undefined> {
  const state = await getExportExpiry(ctx, requestId);
  if (!state) return undefined;
  if (state.expired) return { expired: true };
  const e = await ctx.store.db.selectFrom("exports").selectAll().where("request_id", "=", requestId).executeTakeFirst();
  if (!e) return { expired: true };
  const data = openExport(
    token,
    requestId,
    e.data instanceof Uint8Array ? e.data : new Uint8Array(e.data as ArrayBuffer),
  );
  return data ? { filename: e.filename, data, expiresAt: e.expires_at } : undefined;
}

/**
 * When the request's export expires, or undefined when there never was one.
 * An export found expired is deleted there and then, its bytes scrubbed from
 * the store, whether or not the sweep has come by.
 */
export async function getExportExpiry(
  ctx: RequestsContext,
  requestId: string,
): Promise<{ expiresAt: string; expired: boolean } | undefined> {
  const e = await ctx.store.db
    .selectFrom("exports")
    .select("expires_at")
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  if (!e) {
    const ready = await ctx.store.db
      .selectFrom("request_events")
      .select("id")
      .where("request_id", "=", requestId)
      .where("kind", "=", "export_ready")
      .executeTakeFirst();
    return ready ? { expiresAt: "", expired: true } : undefined;
  }
  const expired = e.expires_at <= ctx.clock().toISOString();
  if (expired) await deleteExports(ctx, { requestId });
  return { expiresAt: e.expires_at, expired };
}

export async function getDocument(ctx: RequestsContext, requestId: string, docId: number) {
  return ctx.store.db
    .selectFrom("request_documents")
    .selectAll()
    .where("request_id", "=", requestId)
    .where("id", "=", docId)
    .executeTakeFirst();
}

export async function listDocuments(ctx: RequestsContext, requestId: string) {
  return ctx.store.db
    .selectFrom("request_documents")
    .select(["id", "kind", "filename", "content_type", "uploaded_at"])
    .where("request_id", "=", requestId)
    .execute();
}

/**
 * Whether a person is restricted (GDPR Art 18), by any identity: later processing and consent decisions must say no.
 */
export async function subjectFlags(
  ctx: HashContext,
  type: string,
  value: string,
): Promise<{ kind: string; purpose: string | null }[]> {
  const h = await identityHash(ctx, type, value);
  return ctx.store.db
    .selectFrom("subject_flags")
    .select(["kind", "purpose"])
    .where("identity_hash", "=", h)
    .where("lifted_at", "is", null)
    .execute();
}

const hashesOf = (r: NonNullable<Row>) => JSON.parse(r.identity_hashes ?? "[]") as string[];

/**
 * Issues a new status link to the person (they lost the mail): a new secret replaces the old one, whose hash is
 * forgotten, so the old link stops working; the mail goes only where mail about the request goes (the code address,
 * the agent). An export is sealed to the link, so the one made for the old link is deleted and built again for the
 * new one. A closed request keeps only masked addresses (redacted at close), so it gets no new link. Returns whether
 * an export is being rebuilt.
 */
export async function reissueStatusLink(
  ctx: RequestsContext,
  id: string,
  by: Principal,
): Promise<{ exportRebuilt: boolean }> {
  const r = await loadRow(ctx, id);
  if (!r) throw new RequestError("NOT_FOUND", `no request ${id}`);
  if (!r.verified_at)
    throw new RequestError("REQUEST_CONFLICT", "the request is not verified: it has no status link yet");
  // A closed request keeps only masked addresses and hashes: there is nowhere safe to send a link, and its export was
  // sealed to the old one. The person files a new request.
  if (r.redacted_at || !isOpen(r.status))
    throw new RequestError(
      "REQUEST_CONFLICT",
      "the request is closed and its addresses are redacted: no link can be sent; the person can file a new request",
    );
  const to = linkRecipient(r);
  if (!to) throw new RequestError("REQUEST_CONFLICT", "there is no verified address to send the link to");
  const token = randomBytes(32).toString("base64url");
  const org = ctx.declaration().organization;
  const hadExport = !!(await ctx.store.db
    .selectFrom("exports")
    .select("request_id")
    .where("request_id", "=", id)
    .executeTakeFirst());
  await ctx.mailer.send({
    to,
    subject: "A new link to your privacy request",
    text:
      `Hello,\n\nHere is a new link to your request ${id}. The earlier link no ` +
      `longer works.\n\n${ctx.publicUrl}/privacy-center/requests/${token}\n\n` +
      `${hadExport ? "Your download is being prepared again for this link.\n\n" : ""}` +
      `Keep this link private: it is the key to your request.\n\n` +
      `${org.shortName ?? org.name}\n`,
  });
  await ctx.store.db
    .updateTable("requests")
    .set({ status_token_hash: sha256(token), export_key: exportPublicKey(token, id) })
    .where("id", "=", id)
    .execute();
  await ctx.store.db.deleteFrom("exports").where("request_id", "=", id).execute();
  let exportRebuilt = false;
  if (hadExport) {
    const res = await ctx.store.db
      .updateTable("request_tasks")
      .set({
        status: "pending",
        attempts: 0,
        next_run_at: ctx.clock().toISOString(),
        updated_at: ctx.clock().toISOString(),
      })
      .where("request_id", "=", id)
      .where("kind", "=", "export")
      .executeTakeFirst();
    exportRebuilt = Number(res.numUpdatedRows) > 0;
    if (exportRebuilt) await ctx.store.signal("tasks");
  }
  await recordEvent(
    ctx,
    id,
    actorOf(by),
    "status_link_reissued",
    `a new status link was mailed to ${maskEmail(to)}; the old one no longer works` +
      `${exportRebuilt ? "; the export is being built again for it" : ""}`,
  );
  return { exportRebuilt };
}

/**
 * Places a legal hold on the person of a request (every identity it knows, by
 * hash, so a closed and redacted request serves as well): their data is
 * preserved as it is, and erasures report it kept, until lifted.
 */
export async function placeLegalHold(ctx: RequestsContext, id: string, reason: string, by: Principal): Promise<number> {
  const r = await loadRow(ctx, id);
  if (!r) throw new RequestError("NOT_FOUND", `no request ${id}`);
  const hashes = hashesOf(r);
  for (const h of hashes)
    await ctx.store.db
      .insertInto("legal_holds")
      .values({
        identity_hash: h,
        reason,
        placed_by: by.user.email,
        placed_at: ctx.clock().toISOString(),
        lifted_at: null,
      })
      .execute();
  await recordEvent(
    ctx,
    id,
    actorOf(by),
    "legal_hold",
    `legal hold placed on ${hashes.length} identit${hashes.length === 1 ? "y" : "ies"}: ${reason}`,
  );
  return hashes.length;
}

/** Lifts every legal hold on the person of a request. */
export async function liftLegalHold(ctx: RequestsContext, id: string, by: Principal): Promise<void> {
  const r = await loadRow(ctx, id);
  if (!r) throw new RequestError("NOT_FOUND", `no request ${id}`);
  const hashes = hashesOf(r);
  if (hashes.length)
    await ctx.store.db
      .updateTable("legal_holds")
      .set({ lifted_at: ctx.clock().toISOString() })
      .where("identity_hash", "in", hashes)
      .where("lifted_at", "is", null)
      .execute();
  await recordEvent(ctx, id, actorOf(by), "legal_hold_lifted", "legal hold lifted");
}

/**
 * Where an open request stands at each processor, in words the person reads: "deleted at Stripe on …", "asked
 * Eventbrite on …, confirmed on …", "waiting for Typeform since …".
 */
export async function processorProgress(ctx: RequestsContext, id: string): Promise<ProcessorStanding[]> {
  const rows = await ctx.store.db
    .selectFrom("request_tasks")
    .select(["status", "result", "target"])
    .where("request_id", "=", id)
    .where("kind", "=", "processor")
    .orderBy("id")
    .execute();
  return rows.map((t) =>
    processorStanding(
      t.result
        ? (JSON.parse(t.result) as ProcessorResult)
        : { vendor: processorName(ctx.declaration(), t.target), via: "api", operation: "" },
      t.status,
    ),
  );
}
