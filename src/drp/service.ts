/**
 * The covered business's side of the Data Rights Protocol: pairwise tokens for approved agents, requests filed,
 * polled and revoked, and the status told to each agent's callback. A request filed here is a rights request like
 * any other: the same verification (the person's own code where the law lets the business confirm with them), the
 * same deadlines, systems, processors and report. Every refusal is audited with its reason, never with the message.
 */
import { createHash } from "node:crypto";
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { sql } from "kysely";
import { appendAudit } from "../audit/index.js";
import { REGIMES, type Declaration } from "../declaration/index.js";
import {
  RequestError,
  RequestInputSchema,
  getRequest,
  submitRequest,
  withdrawRequest,
  type RequestView,
  type RequestsContext,
} from "../requests/index.js";
import { agentOfToken, getAgent, issueToken, type AgentView } from "./agents.js";
import {
  ACTION_RIGHTS,
  DRP_ACTIONS,
  DrpError,
  ExerciseRequest,
  PairwiseSetup,
  RevokeRequest,
  checkEnvelope,
  decodeSigned,
  openSigned,
  type ExerciseStatus,
  type SignedMessage,
} from "./protocol.js";

export interface DrpContext {
  requests: RequestsContext;
  /**
   * Status callbacks to `http://` and to loopback or private addresses. Off in production: an agent's callback is a
   * URL the server fetches, and must not reach inside the organization's network. Tests and a local agent turn it on
   * (`PLEDGE_DRP_INSECURE_CALLBACKS=1`).
   */
  insecureCallbacks?: boolean;
}

const sha256 = (b: string | Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The DRP settings of the declaration; DRP calls are refused (404) when it does not take them. */
function drpSettings(decl: Declaration) {
  const a = decl.rights.authorizedAgents;
  if (!a?.allowed || !a.drp)
    throw new DrpError(404, "this organization does not take Data Rights Protocol requests", "disabled");
  return a.drp;
}

/** Audits a refusal (who, which call, why) and throws it on. */
async function refuse(ctx: DrpContext, call: string, agentId: string | undefined, err: unknown): Promise<never> {
  if (err instanceof DrpError && err.reason !== "disabled")
    await appendAudit(
      ctx.requests.store,
      { actor: agentId ? `drp:${agentId}` : "drp", action: "drp.refused", data: { call, reason: err.reason } },
      ctx.requests.clock(),
    );
  throw err;
}

/** Keeps a signature until its message expires; the same signature again is a replay, refused. */
async function rememberSignature(
  ctx: DrpContext,
  signed: SignedMessage,
  agentId: string,
  expiresAt: string | undefined,
): Promise<void> {
  const now = ctx.requests.clock();
  const until = expiresAt ?? new Date(now.getTime() + 24 * 3600_000).toISOString();
  const res = await ctx.requests.store.db
    .insertInto("drp_signatures")
    .values({ signature_hash: sha256(signed.signature), agent_id: agentId, expires_at: until })
    .onConflict((oc) => oc.column("signature_hash").doNothing())
    .returning("signature_hash")
    .execute();
  if (res.length === 0) throw new DrpError(403, "this signed message was used before", "replayed", true);
}

async function bearerAgent(token: string | undefined, ctx: DrpContext): Promise<AgentView> {
  if (!token) throw new DrpError(401, "send the pairwise token as Authorization: Bearer <token>", "no_token");
  const agent = await agentOfToken(ctx.requests.store, token);
  if (!agent) throw new DrpError(403, "this token belongs to no approved agent", "unknown_token");
  return agent;
}

/**
 * Pair-wise key setup (§ 2.05): an approved agent signs a short message; the answer is a new bearer token.
 *
 * @throws DrpError 403 for an agent not approved, a bad, replayed or expired signature
 */
export async function setUpAgent(
  ctx: DrpContext,
  agentId: string,
  body: string,
): Promise<{ "agent-id": string; token: string }> {
  const decl = ctx.requests.declaration();
  try {
    const { businessId } = drpSettings(decl);
    const agent = await getAgent(ctx.requests.store, agentId);
    if (agent?.status !== "approved")
      throw new DrpError(403, "no approved agent has this id", agent ? `agent_${agent.status}` : "unknown_agent");
    const signed = decodeSigned(body);
    const msg = await openSigned(signed, agent.verifyKey, PairwiseSetup);
    checkEnvelope(msg, { agentId, businessId }, ctx.requests.clock());
    await rememberSignature(ctx, signed, agentId, msg["expires-at"]);
    const token = await issueToken(ctx.requests.store, agentId, ctx.requests.clock());
    await appendAudit(
      ctx.requests.store,
      { actor: `drp:${agentId}`, action: "drp.token_issued", subject: agentId },
      ctx.requests.clock(),
    );
    return { "agent-id": agentId, token };
  } catch (err) {
    return refuse(ctx, "agent", agentId, err);
  }
}

/** Agent information (§ 2.06): `{}` when the token belongs to the agent named. */
export async function agentInformation(ctx: DrpContext, agentId: string, token: string | undefined): Promise<object> {
  try {
    drpSettings(ctx.requests.declaration());
    const agent = await bearerAgent(token, ctx);
    if (agent.id !== agentId) throw new DrpError(403, "this token belongs to another agent", "agent_mismatch");
    return {};
  } catch (err) {
    return refuse(ctx, "agent-info", undefined, err);
  }
}

/** Where each DRP regime's requests are handled, from the law table (DRP 1.0 names CCPA only; CPRA amended it). */
const CALIFORNIA = REGIMES.ccpa.jurisdictions[0];
const REGIME_PLACES: Record<string, string> = { ccpa: CALIFORNIA, cpra: CALIFORNIA };

function placeOf(decl: Declaration, regime: string | undefined): { place?: string; served: boolean } {
  const served = decl.rights.appliesTo ?? decl.organization.jurisdictions;
  if (regime === undefined || regime === "" || regime === "voluntary") {
    // Voluntary: handled under California's rules where the organization serves it, else its default.
    const place = served.includes(CALIFORNIA)
      ? CALIFORNIA
      : (decl.organization.defaultJurisdiction ?? decl.organization.jurisdictions[0]);
    return { place, served: true };
  }
  const place = REGIME_PLACES[regime.toLowerCase()];
  if (!place) throw new DrpError(400, `regime: DRP 1.0 defines ccpa only, not ${regime.slice(0, 40)}`, "regime");
  return { place, served: served.includes(place) };
}

/** Callback URLs: https, unless insecure callbacks are on for tests. */
function checkCallback(ctx: DrpContext, url: string | undefined): void {
  if (!url) return;
  const u = new URL(url);
  if (u.protocol !== "https:" && !(ctx.insecureCallbacks && u.protocol === "http:"))
    throw new DrpError(400, "status_callback: expected an https:// URL", "callback_scheme");
  if (u.username || u.password) throw new DrpError(400, "status_callback: no credentials in the URL", "callback_auth");
}

/**
 * A Data Rights Exercise request (§ 2.01): checked in the order of § 3.07, then filed as a rights request.
 *
 * @returns the Exercise Status (§ 3.03)
 * @throws DrpError 401/403 (token, signature, replay, expiry), 400 (message, unsupported action), 429 (rate limit)
 */
export async function fileRequest(ctx: DrpContext, token: string | undefined, body: string): Promise<ExerciseStatus> {
  const rc = ctx.requests;
  let agentId: string | undefined;
  try {
    const decl = rc.declaration();
    const settings = drpSettings(decl);
    const agent = await bearerAgent(token, ctx);
    agentId = agent.id;
    const signed = decodeSigned(body);
    const msg = await openSigned(signed, agent.verifyKey, ExerciseRequest);
    const now = rc.clock();
    checkEnvelope(msg, { agentId: agent.id, businessId: settings.businessId }, now);
    await rememberSignature(ctx, signed, agent.id, msg["expires-at"]);
    // The same agent request id again (signed anew): the request already filed, not a second one.
    if (msg["agent-request-id"]) {
      const same = await rc.store.db
        .selectFrom("drp_requests")
        .selectAll()
        .where("agent_id", "=", agent.id)
        .where("agent_request_id", "=", msg["agent-request-id"])
        .executeTakeFirst();
      if (same) return (await statusOf(ctx, same)).status;
    }
    const right = ACTION_RIGHTS[msg.exercise];
    if (!right || !decl.rights.offered.includes(right))
      throw new DrpError(
        400,
        `exercise: ${msg.exercise} is not supported here (supported: ${supportedActions(decl).join(", ")})`,
        "unsupported_action",
      );
    checkCallback(ctx, msg.status_callback);
    const { place, served } = placeOf(decl, msg.regime);
    const identityType = settings.supportedVerifications[0] === "phone_number" ? "phone" : "email";
    const claim = identityType === "phone" ? msg.phone_number : msg.email;
    if (!claim)
      throw new DrpError(
        400,
        `message.${settings.supportedVerifications[0]}: required; ${decl.organization.name} verifies by it`,
        "identity_missing",
      );
    if (!decl.rights.identities.includes(identityType))
      throw new DrpError(400, `message: ${identityType} is not an identity this organization searches by`, "identity");
    const base = {
      agent_id: agent.id,
      agent_request_id: msg["agent-request-id"] ?? null,
      exercise: msg.exercise,
      regime: msg.regime ?? null,
      status_callback: msg.status_callback ?? null,
      callback_attempts: 0,
      callback_error: null,
      created_at: now.toISOString(),
    };
    if (!served) {
      // § 3.02: denied, outside_jurisdiction — answered at once, never filed as a rights request.
      const row = {
        ...base,
        request_id: `drp_${sha256(signed.signature).slice(0, 24)}`,
        denied_reason: "outside_jurisdiction",
        told: null,
        callback_due_at: null,
      };
      await rc.store.db.insertInto("drp_requests").values(row).execute();
      await appendAudit(
        rc.store,
        {
          actor: `drp:${agent.id}`,
          action: "drp.request_denied",
          subject: row.request_id,
          data: { exercise: msg.exercise, reason: "outside_jurisdiction" },
        },
        rc.clock(),
      );
      return (await statusOf(ctx, row)).status;
    }
    const input = RequestInputSchema.safeParse({
      right,
      identityType,
      identity: claim,
      ...(msg.name ? { name: msg.name.slice(0, 500) } : {}),
      ...(identityType === "phone" && msg.email ? { contactEmail: msg.email } : {}),
      jurisdiction: place,
      agent: { name: agent.name, email: agent.technicalContact },
    });
    if (!input.success)
      throw new DrpError(
        400,
        input.error.issues.map((i) => `message.${i.path.join(".") || "claims"}: ${i.message}`).join("; "),
        "invalid_claims",
      );
    let submitted: { requestId: string };
    try {
      submitted = await submitRequest(rc, input.data, {
        channel: "drp",
        // The agent's signed request, as received, is the authorization kept with the request.
        authorization: {
          filename: "drp-request.txt",
          contentType: "text/plain",
          data: new TextEncoder().encode(body.trim()),
        },
      });
    } catch (err) {
      if (err instanceof RequestError)
        throw new DrpError(err.code === "RATE_LIMITED" ? 429 : 400, err.message, err.code.toLowerCase());
      throw err;
    }
    const row = { ...base, request_id: submitted.requestId, denied_reason: null, told: null, callback_due_at: null };
    await rc.store.db.insertInto("drp_requests").values(row).execute();
    await appendAudit(
      rc.store,
      {
        actor: `drp:${agent.id}`,
        action: "drp.request_filed",
        subject: submitted.requestId,
        data: { exercise: msg.exercise, regime: msg.regime ?? "voluntary" },
      },
      rc.clock(),
    );
    // What the agent was answered is what it knows: the callback tells it of the next change.
    return await answerAndMark(ctx, row);
  } catch (err) {
    return refuse(ctx, "exercise", agentId, err);
  }
}

type DrpRow = {
  request_id: string;
  agent_id: string;
  agent_request_id: string | null;
  denied_reason: string | null;
  created_at: string;
};

async function ownRow(ctx: DrpContext, agent: AgentView, requestId: string) {
  const row = await ctx.requests.store.db
    .selectFrom("drp_requests")
    .selectAll()
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  if (!row) throw new DrpError(404, "no request with this id", "not_found");
  // § 2.02.1: a request managed by another agent is Forbidden.
  if (row.agent_id !== agent.id) throw new DrpError(403, "this request was filed by another agent", "not_yours");
  return row;
}

/** Data Rights Status (§ 2.02): the request's status, for the agent that filed it only. */
export async function requestStatus(
  ctx: DrpContext,
  token: string | undefined,
  requestId: string,
): Promise<ExerciseStatus> {
  let agentId: string | undefined;
  try {
    drpSettings(ctx.requests.declaration());
    const agent = await bearerAgent(token, ctx);
    agentId = agent.id;
    return (await statusOf(ctx, await ownRow(ctx, agent, requestId))).status;
  } catch (err) {
    return refuse(ctx, "status", agentId, err);
  }
}

/**
 * Data Rights Revoke (§ 2.04): the agent withdraws an open request, signed; the answer carries the `revoked` state.
 *
 * @throws DrpError 409 when the request is already closed
 */
export async function revokeRequest(
  ctx: DrpContext,
  token: string | undefined,
  requestId: string,
  body: string,
): Promise<ExerciseStatus> {
  let agentId: string | undefined;
  try {
    const { businessId } = drpSettings(ctx.requests.declaration());
    const agent = await bearerAgent(token, ctx);
    agentId = agent.id;
    const signed = decodeSigned(body);
    const msg = await openSigned(signed, agent.verifyKey, RevokeRequest);
    checkEnvelope(msg, { agentId: agent.id, businessId }, ctx.requests.clock());
    const row = await ownRow(ctx, agent, requestId);
    await rememberSignature(ctx, signed, agent.id, msg["expires-at"]);
    if (row.denied_reason) throw new DrpError(409, "this request was denied; there is nothing to revoke", "closed");
    try {
      await withdrawRequest(ctx.requests, requestId, `drp:${agent.id}`, msg.reason?.slice(0, 500));
    } catch (err) {
      if (err instanceof RequestError && err.code === "REQUEST_CONFLICT")
        throw new DrpError(409, "this request is already closed", "closed");
      throw err;
    }
    return await answerAndMark(ctx, row);
  } catch (err) {
    return refuse(ctx, "revoke", agentId, err);
  }
}

/**
 * What the agent's callback follows: the rights request's status and its deadline in force (an extension is news too,
 * § 3.08). Kept in `told` once told; written in SQL too, so the worker selects only the requests that changed.
 */
const triggerOf = (r: { status: string; extendedDueAt?: string; dueAt: string }) =>
  `${r.status}|${r.extendedDueAt ?? r.dueAt}`;
const TRIGGER = sql<string>`requests.status || '|' || coalesce(requests.extended_due_at, requests.due_at)`;

/** The request's status as an answer, and marks it told: the callback starts from what the agent now knows. */
async function answerAndMark(ctx: DrpContext, row: DrpRow): Promise<ExerciseStatus> {
  const { status, trigger } = await statusOf(ctx, row);
  if (trigger)
    await ctx.requests.store.db
      .updateTable("drp_requests")
      .set({ told: trigger })
      .where("request_id", "=", row.request_id)
      .execute();
  return status;
}

/**
 * The DRP status of a filed request, from the rights request it became (§ 3.02), and what its callback follows
 * (none for a request refused before it became one).
 */
async function statusOf(ctx: DrpContext, row: DrpRow): Promise<{ status: ExerciseStatus; trigger?: string }> {
  const base = {
    request_id: row.request_id,
    ...(row.agent_request_id ? { agent_request_id: row.agent_request_id } : {}),
  };
  if (row.denied_reason)
    return {
      status: {
        ...base,
        received_at: row.created_at,
        status: "denied",
        reason: row.denied_reason,
        processing_details: "The organization does not take requests under this law.",
      },
    };
  let r: RequestView;
  try {
    r = await getRequest(ctx.requests, row.request_id);
  } catch {
    return { status: { ...base, received_at: row.created_at, status: "denied", reason: "other" } };
  }
  return { status: fromRequest(base, r, ctx.requests.publicUrl), trigger: triggerOf(r) };
}

function fromRequest(
  base: { request_id: string; agent_request_id?: string },
  r: RequestView,
  publicUrl: string,
): ExerciseStatus {
  const out: ExerciseStatus = { ...base, received_at: r.receivedAt, status: "in_progress" };
  const expected = { expected_by: r.effectiveDueAt };
  switch (r.status) {
    case "unverified":
      return {
        ...out,
        ...expected,
        reason: "need_user_verification",
        processing_details:
          "The person was sent a code to confirm the request; it starts once they enter it on the page linked.",
        user_verification_url: `${publicUrl}/privacy-center/verify/${encodeURIComponent(r.id)}`,
      };
    case "pending_approval":
      return { ...out, ...expected, processing_details: "Held for review by the organization's staff." };
    case "in_progress":
    case "needs_attention":
      return {
        ...out,
        ...expected,
        ...(r.extensionReason ? { processing_details: `Extended: ${r.extensionReason}` } : {}),
      };
    case "appealed":
      return { ...out, ...expected, processing_details: "The person appealed the denial; staff are answering it." };
    case "completed":
      // § 3.02 denied/no_match: nothing held matched the person's identity.
      if (r.report?.outcome === "nothing_found" && r.right !== "opt_out_sale")
        return {
          ...out,
          status: "denied",
          reason: "no_match",
          processing_details: "No data about the person was found under the identity given.",
        };
      return { ...out, status: "fulfilled", processing_details: fulfilledDetails(r) };
    case "withdrawn":
      return { ...out, status: "revoked" };
    case "expired":
      return {
        ...out,
        status: "denied",
        reason: "insuf_verification",
        processing_details: "The person did not confirm the request in time.",
      };
    default:
      return {
        ...out,
        status: "denied",
        reason: "other",
        ...(r.denialReason ? { processing_details: r.denialReason.slice(0, 500) } : {}),
      };
  }
}

function fulfilledDetails(r: RequestView): string {
  if (r.right === "access")
    return "The person's data was delivered to them through their own status link, not through the agent.";
  if (r.right === "opt_out_sale") return "The person's personal information is no longer sold or shared.";
  return "Done in every system and at every processor that holds the person's data.";
}

/** The DRP actions this organization takes: those whose right it offers. */
export function supportedActions(decl: Declaration): string[] {
  return DRP_ACTIONS.filter((a) => {
    const right = ACTION_RIGHTS[a];
    return !!right && decl.rights.offered.includes(right);
  });
}

/**
 * The organization's entry for the DRP service directory (§ 3.05.2): what to send the network's operators, and what
 * Pledge also serves at `/.well-known/data-rights.json` for agents that still look there (DRP 0.8).
 */
export function businessDocument(decl: Declaration, publicUrl: string) {
  const s = drpSettings(decl);
  return {
    id: s.businessId,
    name: decl.organization.name,
    logo: null,
    api_base: publicUrl,
    supported_actions: supportedActions(decl),
    supported_verifications: s.supportedVerifications,
    privacy_policy_url: `${publicUrl}/privacy`,
    web_url: publicUrl,
    technical_contact: decl.organization.contact.email ?? "",
    business_contact: decl.organization.dpo?.email ?? decl.organization.contact.email ?? "",
  };
}

/** How long a failed callback waits before the next try: 30 s doubling, at most six hours. */
const backoff = (attempt: number) => Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 6 * 3600_000);
/** Tries before a callback is given up (the agent can still poll the status). */
export const MAX_CALLBACK_ATTEMPTS = 12;

/** Whether a callback's host resolves only to public addresses (unless insecure callbacks are on). */
async function publicHost(ctx: DrpContext, url: URL): Promise<boolean> {
  if (ctx.insecureCallbacks) return true;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  return addresses.length > 0 && addresses.every((a) => ipaddr.process(a).range() === "unicast");
}

const lastForget = new WeakMap<object, number>();
/**
 * Forgets signatures whose messages have expired, at most once a minute per store, and writes only when there is one
 * to forget: the worker calls this every tick, and an idle write would contend with every other writer of the store.
 */
async function forgetExpiredSignatures(ctx: DrpContext, now: Date): Promise<void> {
  const store = ctx.requests.store;
  if (now.getTime() - (lastForget.get(store) ?? 0) < 60_000) return;
  lastForget.set(store, now.getTime());
  const expired = await store.db
    .selectFrom("drp_signatures")
    .select("signature_hash")
    .where("expires_at", "<", now.toISOString())
    .limit(1)
    .executeTakeFirst();
  if (expired) await store.db.deleteFrom("drp_signatures").where("expires_at", "<", now.toISOString()).execute();
}

/**
 * Tells agents of their requests' new statuses (§ 2.03): each filed request whose status changed since the agent was
 * last told is posted to its `status_callback`; a failure is tried again later, up to `MAX_CALLBACK_ATTEMPTS`. Signed
 * messages past their expiry are forgotten on the way. The worker runs it on each tick.
 *
 * @returns how many callbacks were delivered
 */
export async function deliverCallbacks(ctx: DrpContext, limit = 100): Promise<number> {
  const rc = ctx.requests;
  const decl = rc.declaration();
  if (!decl.rights.authorizedAgents?.drp) return 0;
  const now = rc.clock();
  await forgetExpiredSignatures(ctx, now);
  // Only the requests whose status or deadline changed since the agent was told: however many stay as they are, none
  // holds a changed one back.
  const rows = await rc.store.db
    .selectFrom("drp_requests")
    .innerJoin("requests", "requests.id", "drp_requests.request_id")
    .selectAll("drp_requests")
    .where("drp_requests.status_callback", "is not", null)
    .where((eb) => eb.or([eb("drp_requests.told", "is", null), eb("drp_requests.told", "<>", TRIGGER)]))
    .where((eb) =>
      eb.or([
        eb("drp_requests.callback_due_at", "is", null),
        eb("drp_requests.callback_due_at", "<=", now.toISOString()),
      ]),
    )
    .orderBy("drp_requests.created_at")
    .limit(limit)
    .execute();
  let delivered = 0;
  for (const row of rows) {
    const { status, trigger } = await statusOf(ctx, row);
    const key = trigger ?? null;
    let error: string | undefined;
    try {
      const url = new URL(row.status_callback!);
      if (!(await publicHost(ctx, url))) throw new Error("the callback's host is not a public address");
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(status),
        redirect: "manual",
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) error = `the agent answered ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message.slice(0, 200) : "failed";
    }
    if (!error) {
      delivered++;
      await rc.store.db
        .updateTable("drp_requests")
        .set({ told: key, callback_attempts: 0, callback_due_at: null, callback_error: null })
        .where("request_id", "=", row.request_id)
        .execute();
      continue;
    }
    const attempts = row.callback_attempts + 1;
    const giveUp = attempts >= MAX_CALLBACK_ATTEMPTS;
    await rc.store.db
      .updateTable("drp_requests")
      .set({
        callback_attempts: giveUp ? 0 : attempts,
        callback_error: error,
        // Given up: this status is not told again; the next change is.
        ...(giveUp
          ? { told: key, callback_due_at: null }
          : { callback_due_at: new Date(now.getTime() + backoff(attempts)).toISOString() }),
      })
      .where("request_id", "=", row.request_id)
      .execute();
    if (giveUp)
      await appendAudit(
        rc.store,
        {
          actor: "system",
          action: "drp.callback_failed",
          subject: row.request_id,
          data: { agent: row.agent_id, status: `${status.status}/${status.reason ?? ""}`, error },
        },
        rc.clock(),
      );
  }
  return delivered;
}
