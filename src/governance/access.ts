/**
 * Staff access to customer data (LuxSci, Data Intensity): a staff member asks
 * to see protected classes of one customer's data, for a declared purpose or
 * under a declared exception, with a justification and a time window. A
 * purpose is granted only by the customer's explicit consent, given through
 * approve/deny links mailed to the customer's registered contact (a lockbox);
 * an exception only by a second staff member with the declared role. Grants
 * end with their window. `checkAccess` is the runtime gate that the
 * organization's own admin tools ask before opening a mailbox.
 */
import { z } from "zod";
import { disableUser, hasRole, staffStatus, type StaffUser } from "../auth/index.js";
import { addDuration, parseDuration } from "../declaration/index.js";
import {
  parseWith,
  textList,
  actorOf,
  audit,
  checkApprover,
  GovernanceError,
  isoOf,
  newToken,
  requireCounterparty,
  sha256,
  type Actor,
  type GovernanceContext,
} from "./model.js";

/** Signalled on every grant decision, so that each server's gate forgets its cached answers. */
export const GRANTS_CHANNEL = "access_grants";

export const AccessInput = z.strictObject({
  account: z.string().trim().min(1).max(200),
  classes: textList(20).pipe(z.array(z.string()).min(1, "choose at least one data class")),
  /** `purpose:<id>` (the customer consents) or `exception:<id>` (a second staff member approves). */
  reason: z.string().regex(/^(purpose|exception):[A-Za-z0-9_-]+$/, "expected purpose:<id> or exception:<id>"),
  justification: z.string().trim().min(10, "explain why, in at least 10 characters").max(4000),
  startsAt: z.string().max(40).optional(),
  endsAt: z.string().min(4).max(40),
});
export type AccessInput = z.input<typeof AccessInput>;

export type AccessStatus = "awaiting_customer" | "awaiting_approval" | "approved" | "denied" | "revoked" | "expired";

export interface AccessRequestView {
  id: number;
  requester: string;
  account: string;
  classes: string[];
  basis: "purpose" | "exception";
  reasonId: string;
  justification: string;
  startsAt: string;
  endsAt: string;
  /** `expired` once an approved window has ended. */
  status: AccessStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decidedIp: string | null;
  createdAt: string;
}

function staffAccessOf(ctx: GovernanceContext) {
  const sa = ctx.declaration().governance?.staffAccess;
  if (!sa?.protectedClasses.length)
    throw new GovernanceError(
      "INVALID",
      "the declaration names no protected data classes (governance.staffAccess.protectedClasses)",
    );
  return sa;
}

type Row = Awaited<ReturnType<typeof rowOf>>;
const rowOf = (ctx: GovernanceContext, id: number) =>
  ctx.store.db.selectFrom("gov_access_requests").selectAll().where("id", "=", id).executeTakeFirst();

function view(r: NonNullable<Row>, now: Date): AccessRequestView {
  const status =
    r.status === "approved" && Date.parse(r.ends_at) <= now.getTime() ? "expired" : (r.status as AccessStatus);
  return {
    id: Number(r.id),
    requester: r.requester,
    account: r.account,
    classes: JSON.parse(r.classes) as string[],
    basis: r.basis,
    reasonId: r.reason_id,
    justification: r.justification,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decidedIp: r.decided_ip,
    createdAt: r.created_at,
  };
}

/**
 * Asks for access. For a purpose, mails the customer's registered contact an
 * approve/deny link; for an exception, waits for a second staff member.
 */
export async function requestAccess(
  ctx: GovernanceContext,
  input: AccessInput,
  actor: Actor,
): Promise<AccessRequestView> {
  const sa = staffAccessOf(ctx);
  const v = parseWith(AccessInput, input);
  const known = new Set(sa.protectedClasses.map((c) => c.id));
  const unknown = v.classes.filter((c) => !known.has(c));
  if (unknown.length)
    throw new GovernanceError(
      "INVALID",
      `classes: ${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not a ` +
        `declared protected class (${[...known].join(", ")})`,
    );
  const [basis, reasonId] = v.reason.split(":") as ["purpose" | "exception", string];
  const declared = basis === "purpose" ? sa.purposes : sa.exceptions;
  if (!declared.some((x) => x.id === reasonId))
    throw new GovernanceError(
      "INVALID",
      `reason: no declared ${basis} '${reasonId}'` +
        `${declared.length ? ` (declared: ${declared.map((x) => x.id).join(", ")})` : ""}`,
    );
  const now = ctx.clock();
  const starts = v.startsAt ? isoOf(v.startsAt, "startsAt") : now.toISOString();
  const ends = isoOf(v.endsAt, "endsAt");
  if (ends <= starts) throw new GovernanceError("INVALID", "endsAt: the window must end after it starts");
  if (Date.parse(ends) <= now.getTime()) throw new GovernanceError("INVALID", "endsAt: the window has already ended");
  const max = parseDuration(sa.maxWindow)!;
  if (Date.parse(ends) > addDuration(new Date(starts), max).getTime())
    throw new GovernanceError(
      "INVALID",
      `endsAt: a grant lasts at most ${sa.maxWindow} (governance.staffAccess.maxWindow)`,
    );
  const customer = await requireCounterparty(ctx, v.account);
  if (basis === "purpose" && customer.contactSetBy === actorOf(actor)) {
    // A consent mailed to an address the requester chose is no consent.
    throw new GovernanceError(
      "FORBIDDEN",
      `you set ${v.account}'s contact address yourself; another officer must confirm ` +
        `it before you can ask this customer's consent`,
    );
  }
  const token = basis === "purpose" ? newToken() : undefined;
  const row = await ctx.store.db
    .insertInto("gov_access_requests")
    .values({
      requester: actor.email.toLowerCase(),
      requester_role: actor.role,
      account: v.account,
      classes: JSON.stringify(v.classes),
      basis,
      reason_id: reasonId,
      justification: v.justification,
      starts_at: starts,
      ends_at: ends,
      status: basis === "purpose" ? "awaiting_customer" : "awaiting_approval",
      token_hash: token ? sha256(token) : null,
      created_at: now.toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  if (token) {
    const decl = ctx.declaration();
    const names = v.classes.map((c) => sa.protectedClasses.find((x) => x.id === c)!.name).join(", ");
    const purpose = sa.purposes.find((p) => p.id === reasonId)!.description;
    try {
      await ctx.mailer.send({
        to: customer.contactEmail,
        subject: `${decl.organization.name} asks your permission to access your ${names}`,
        text: [
          `Hello ${customer.name},`,
          "",
          `${actor.email} at ${decl.organization.name} asks to access the following data ` +
            `of your account ${v.account}: ${names}.`,
          `Purpose: ${purpose}`,
          `Why: ${v.justification}`,
          `For: ${starts.slice(0, 16).replace("T", " ")} to ${ends.slice(0, 16).replace("T", " ")} UTC`,
          "",
          `Staff will not look at this data unless you approve. To approve or deny, ` +
            `open: ${ctx.publicUrl}/access-consent/${token}`,
          "",
          "If you did not expect this, deny it; nothing is opened without your answer.",
        ].join("\n"),
      });
    } catch (err) {
      await ctx.store.db.deleteFrom("gov_access_requests").where("id", "=", id).execute();
      throw new GovernanceError(
        "CONFLICT",
        `the consent mail to the customer could not be sent (${(err as Error).message}` +
          `); nothing was recorded, try again`,
      );
    }
  }
  await audit(ctx, actorOf(actor), "access.requested", `access:${id}`, {
    account: v.account,
    classes: v.classes,
    reason: v.reason,
    startsAt: starts,
    endsAt: ends,
  });
  return view((await rowOf(ctx, id))!, now);
}

/** What the customer's link shows: the request, without deciding anything (mail scanners open links). */
export async function accessByToken(ctx: GovernanceContext, token: string): Promise<AccessRequestView> {
  const r = await ctx.store.db
    .selectFrom("gov_access_requests")
    .selectAll()
    .where("token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (r?.status !== "awaiting_customer")
    throw new GovernanceError("LINK_INVALID", "this link is not valid or has already been used");
  if (Date.parse(r.ends_at) <= ctx.clock().getTime())
    throw new GovernanceError("LINK_INVALID", "this request's time window has ended; nothing was granted");
  return view(r, ctx.clock());
}

/**
 * The request behind a customer's link, in the words the customer reads: the classes' names and the purpose's
 * description.
 */
export async function accessConsentView(
  ctx: GovernanceContext,
  token: string,
): Promise<{ request: AccessRequestView; classes: string[]; purpose: string }> {
  const request = await accessByToken(ctx, token);
  const sa = ctx.declaration().governance?.staffAccess;
  return {
    request,
    classes: request.classes.map((id) => sa?.protectedClasses.find((x) => x.id === id)?.name ?? id),
    purpose: sa?.purposes.find((p) => p.id === request.reasonId)?.description ?? request.reasonId,
  };
}

/** The customer's answer through the mailed link: recorded with time and IP, and the link is used up. */
export async function decideByCustomer(
  ctx: GovernanceContext,
  token: string,
  decision: "approve" | "deny",
  ip: string | undefined,
): Promise<AccessRequestView> {
  const r = await accessByToken(ctx, token);
  const customer = await requireCounterparty(ctx, r.account);
  const at = ctx.clock().toISOString();
  const status = decision === "approve" ? "approved" : "denied";
  const n = await ctx.store.db
    .updateTable("gov_access_requests")
    .set({
      status,
      token_hash: null,
      decided_by: `customer:${customer.contactEmail}`,
      decided_at: at,
      decided_ip: ip ?? null,
    })
    .where("id", "=", r.id)
    .where("status", "=", "awaiting_customer")
    .executeTakeFirst();
  if (!Number(n.numUpdatedRows)) throw new GovernanceError("LINK_INVALID", "this link has already been used");
  await audit(ctx, `customer:${customer.contactEmail}`, `access.${status}`, `access:${r.id}`, {
    ip: ip ?? null,
    via: "customer consent link",
  });
  await ctx.store.signal(GRANTS_CHANNEL);
  return view((await rowOf(ctx, r.id))!, ctx.clock());
}

/** A second staff member approves or denies an exception; nobody decides their own request. */
export async function decideByStaff(
  ctx: GovernanceContext,
  id: number,
  decision: "approve" | "deny",
  actor: Actor,
  note?: string,
): Promise<AccessRequestView> {
  const r = await rowOf(ctx, id);
  if (!r) throw new GovernanceError("NOT_FOUND", `no access request ${id}`);
  if (r.status !== "awaiting_approval")
    throw new GovernanceError(
      "CONFLICT",
      r.basis === "purpose"
        ? "only the customer grants access for a purpose"
        : `access request ${id} is ${r.status}, not awaiting approval`,
    );
  const exception = ctx.declaration().governance?.staffAccess?.exceptions.find((e) => e.id === r.reason_id);
  if (!exception) throw new GovernanceError("CONFLICT", `the exception '${r.reason_id}' is no longer declared`);
  if (decision === "approve") checkApprover(actor, { email: r.requester, role: r.requester_role }, exception.approver);
  else if (actor.email.toLowerCase() !== r.requester)
    checkApprover(actor, { email: r.requester, role: r.requester_role }, exception.approver);
  const status = decision === "approve" ? "approved" : "denied";
  const n = await ctx.store.db
    .updateTable("gov_access_requests")
    .set({ status, decided_by: actorOf(actor), decided_at: ctx.clock().toISOString() })
    .where("id", "=", id)
    .where("status", "=", "awaiting_approval")
    .executeTakeFirst();
  if (!Number(n.numUpdatedRows))
    throw new GovernanceError("CONFLICT", `access request ${id} was decided by someone else meanwhile`);
  await audit(ctx, actorOf(actor), `access.${status}`, `access:${id}`, {
    exception: r.reason_id,
    ...(note ? { note } : {}),
  });
  await ctx.store.signal(GRANTS_CHANNEL);
  return view((await rowOf(ctx, id))!, ctx.clock());
}

/** Ends a grant before its window does (the work is done, or it was misused). */
export async function revokeAccess(ctx: GovernanceContext, id: number, actor: Actor): Promise<void> {
  const r = await rowOf(ctx, id);
  if (!r) throw new GovernanceError("NOT_FOUND", `no access request ${id}`);
  if (!["approved", "awaiting_customer", "awaiting_approval"].includes(r.status))
    throw new GovernanceError("CONFLICT", `access request ${id} is ${r.status}`);
  if (r.requester !== actor.email.toLowerCase() && !hasRole(actor.role, "officer"))
    throw new GovernanceError("FORBIDDEN", "revoking another's grant needs the officer role");
  await ctx.store.db
    .updateTable("gov_access_requests")
    .set({ status: "revoked", token_hash: null })
    .where("id", "=", id)
    .execute();
  await audit(ctx, actorOf(actor), "access.revoked", `access:${id}`);
  await ctx.store.signal(GRANTS_CHANNEL);
}

/**
 * Disables a staff member's account (auth's `disableUser`: sessions end, API tokens are revoked) and ends every grant
 * and access request of theirs: the gate denies them on every server from the next ask.
 */
export async function disableStaff(
  ctx: Pick<GovernanceContext, "store" | "clock">,
  userId: number,
  by: StaffUser | string,
): Promise<{ grantsEnded: number }> {
  const user = await ctx.store.db.selectFrom("users").select("email").where("id", "=", userId).executeTakeFirst();
  await disableUser(ctx.store, userId, by);
  if (!user) return { grantsEnded: 0 };
  const ended = await ctx.store.db
    .updateTable("gov_access_requests")
    .set({ status: "revoked", token_hash: null })
    .where("requester", "=", user.email.toLowerCase())
    .where("status", "in", ["approved", "awaiting_customer", "awaiting_approval"])
    .executeTakeFirst();
  const grantsEnded = Number(ended.numUpdatedRows ?? 0);
  if (grantsEnded)
    await audit(ctx, typeof by === "string" ? by : `user:${by.email}`, "access.revoked", `staff:${user.email}`, {
      reason: "the staff member's account was disabled",
      requests: grantsEnded,
    });
  await ctx.store.signal(GRANTS_CHANNEL);
  return { grantsEnded };
}

export async function listAccessRequests(
  ctx: GovernanceContext,
  options: { limit?: number } = {},
): Promise<AccessRequestView[]> {
  const rows = await ctx.store.db
    .selectFrom("gov_access_requests")
    .selectAll()
    .orderBy("id", "desc")
    .limit(options.limit ?? 200)
    .execute();
  return rows.map((r) => view(r, ctx.clock()));
}

export interface GateAnswer {
  decision: "allow" | "deny";
  reason: string;
  grant?: { id: number; basis: "purpose" | "exception"; reason: string; until: string; approvedBy: string };
}

/** Answers of the gate kept briefly in memory; every decision anywhere clears them. */
export class AccessGateCache {
  private entries = new Map<string, { value: GateAnswer; until: number }>();
  constructor(readonly ttlMs = 1000) {}
  get(key: string, now: number): GateAnswer | undefined {
    const e = this.entries.get(key);
    if (e && e.until > now) return e.value;
    if (e) this.entries.delete(key);
    return undefined;
  }
  set(key: string, value: GateAnswer, until: number): void {
    if (this.entries.size > 50_000) this.entries.clear();
    this.entries.set(key, { value, until });
  }
  clear(): void {
    this.entries.clear();
  }
}

/**
 * May `staff` open `class` of `account`'s data now? Allowed only inside the
 * window of an approved grant that names the class.
 *
 * ```ts
 * const a = await checkAccess(ctx, cache, { staff: "eve@org.example", account: "acme", class: "email" });
 * if (a.decision !== "allow") refuse(a.reason);
 * ```
 */
export async function checkAccess(
  ctx: GovernanceContext,
  cache: AccessGateCache | undefined,
  q: { staff: string; account: string; class: string },
): Promise<GateAnswer> {
  const now = ctx.clock().getTime();
  const key = `${q.staff.toLowerCase()}\u0000${q.account}\u0000${q.class}`;
  const hit = cache?.get(key, now);
  if (hit) return hit;
  const sa = ctx.declaration().governance?.staffAccess;
  let answer: GateAnswer;
  let until = now + (cache?.ttlMs ?? 0);
  const staff = sa?.protectedClasses.some((c) => c.id === q.class) ? await staffStatus(ctx.store, q.staff) : undefined;
  if (!staff) {
    answer = { decision: "deny", reason: `'${q.class}' is not a declared protected data class` };
  } else if (staff !== "enabled") {
    answer = {
      decision: "deny",
      reason: staff === "disabled" ? "the staff member's account is disabled" : "no staff member has this address",
    };
  } else {
    const nowIso = new Date(now).toISOString();
    const rows = await ctx.store.db
      .selectFrom("gov_access_requests")
      .selectAll()
      .where("requester", "=", q.staff.toLowerCase())
      .where("account", "=", q.account)
      .where("status", "=", "approved")
      .where("starts_at", "<=", nowIso)
      .where("ends_at", ">", nowIso)
      .orderBy("ends_at", "desc")
      .execute();
    const g = rows.find((r) => (JSON.parse(r.classes) as string[]).includes(q.class));
    if (g) {
      answer = {
        decision: "allow",
        reason:
          g.basis === "purpose"
            ? "the customer consented"
            : `exception ${g.reason_id}, approved by a second staff member`,
        grant: {
          id: Number(g.id),
          basis: g.basis,
          reason: g.reason_id,
          until: g.ends_at,
          approvedBy: g.decided_by ?? "",
        },
      };
      until = Math.min(until, Date.parse(g.ends_at));
    } else answer = { decision: "deny", reason: "no grant in force for this staff member, customer and data class" };
  }
  cache?.set(key, answer, until);
  return answer;
}
