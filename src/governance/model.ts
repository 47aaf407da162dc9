/**
 * What every governance register shares: its context, its errors, who acts,
 * and the register of customers (counterparties) whose contact receives
 * consent mails and whose agreements are tracked.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/index.js";
import { hasRole, ROLES, sha256, type Role } from "../auth/index.js";
import { servesEu } from "../declaration/index.js";
import type { RequestsContext } from "../requests/index.js";

/**
 * What the registers need of a server: the store, the declaration, mail with its public URL for links, connector
 * settings and the clock (a request context has them all).
 */
export type GovernanceContext = Pick<
  RequestsContext,
  "store" | "declaration" | "mailer" | "publicUrl" | "env" | "cwd" | "clock"
>;

/** The staff member taking a step: who they are and their role. */
export interface Actor {
  email: string;
  role: Role;
}

export type GovernanceErrorCode = "NOT_FOUND" | "INVALID" | "FORBIDDEN" | "CONFLICT" | "LINK_INVALID";

/** A governance step refused: unknown record, bad input, a role too weak, a step out of order, a dead link. */
export class GovernanceError extends Error {
  constructor(
    readonly code: GovernanceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "GovernanceError";
  }
}

export { sha256 };
export const newToken = () => randomBytes(24).toString("base64url");
export const actorOf = (a: Actor) => `user:${a.email}`;

/** Records one step in the audit log under `governance.*`. */
export async function audit(
  ctx: Pick<GovernanceContext, "store" | "clock">,
  actor: string,
  action: string,
  subject: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(ctx.store, { actor, action: `governance.${action}`, subject, data }, ctx.clock());
}

/**
 * Refuses an approval that is not four-eyed: the approver must not be the
 * requester, must hold `needed`, and must rank above the requester (an owner's
 * request is approved by another owner, since no role ranks above it).
 */
export function checkApprover(approver: Actor, requester: { email: string; role: string }, needed: Role): void {
  if (approver.email.toLowerCase() === requester.email.toLowerCase())
    throw new GovernanceError("FORBIDDEN", "nobody approves their own request: a second staff member must");
  if (!hasRole(approver.role, needed))
    throw new GovernanceError("FORBIDDEN", `approving this needs the ${needed} role`);
  const above =
    ROLES.indexOf(approver.role) > ROLES.indexOf(requester.role as Role) ||
    (approver.role === "owner" && requester.role === "owner");
  if (!above)
    throw new GovernanceError(
      "FORBIDDEN",
      `approving a request by ${/^[aeiou]/.test(requester.role) ? "an" : "a"} ${requester.role} needs a role above it`,
    );
}

/** A date as given in a form (`2026-12-02` or a full timestamp) to ISO, or an error naming the field. */
export function isoOf(value: string, field: string): string {
  // A date, or a form's datetime-local without a zone, is UTC (as the forms say), not the server's local time.
  const d = new Date(
    /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? `${value}T00:00:00Z`
      : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
        ? `${value}Z`
        : value,
  );
  if (Number.isNaN(d.getTime()))
    throw new GovernanceError("INVALID", `${field}: expected a date (YYYY-MM-DD) or a timestamp, got '${value}'`);
  // Date rolls 30 February over to 2 March; a day the calendar does not have is refused instead.
  const day = /^(\d{4}-\d{2}-\d{2})(T|$)/.exec(value)?.[1];
  if (day && d.toISOString().slice(0, 10) !== day)
    throw new GovernanceError("INVALID", `${field}: ${day} is not a date in the calendar`);
  return d.toISOString();
}

// --- counterparties -------------------------------------------------------------

/** A list from JSON (an array) or a form (one value, or a comma- or line-separated text). */
export const textList = (max: number, item = z.string().trim().min(1).max(200)) =>
  z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\n,]/)).map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(max));

export const CounterpartyInput = z.strictObject({
  account: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(300),
  contactEmail: z.email().max(320),
  jurisdictions: textList(20, z.string().min(2).max(10)).default([]),
  startedAt: z.string().trim().min(4).max(40),
});
export type CounterpartyInput = z.input<typeof CounterpartyInput>;

export interface Counterparty {
  account: string;
  name: string;
  contactEmail: string;
  contactSetBy: string;
  jurisdictions: string[];
  startedAt: string;
  /** Whether the GDPR or UK GDPR covers the customer's data. */
  gdpr: boolean;
}

const toCounterparty = (r: {
  account: string;
  name: string;
  contact_email: string;
  contact_set_by: string;
  jurisdictions: string;
  started_at: string;
}): Counterparty => {
  const jurisdictions = JSON.parse(r.jurisdictions) as string[];
  return {
    account: r.account,
    name: r.name,
    contactEmail: r.contact_email,
    contactSetBy: r.contact_set_by,
    jurisdictions,
    startedAt: r.started_at,
    gdpr: servesEu(jurisdictions),
  };
};

/**
 * Adds a customer, or updates one; the contact is the only address that approves staff access to the customer's data.
 */
export async function saveCounterparty(
  ctx: GovernanceContext,
  input: CounterpartyInput,
  actor: Actor,
): Promise<Counterparty> {
  if (!hasRole(actor.role, "officer"))
    throw new GovernanceError("FORBIDDEN", "keeping the customer register needs the officer role");
  const v = parseWith(CounterpartyInput, input);
  const row = {
    account: v.account,
    name: v.name,
    contact_email: v.contactEmail.toLowerCase(),
    contact_set_by: actorOf(actor),
    jurisdictions: JSON.stringify(v.jurisdictions),
    started_at: isoOf(v.startedAt, "startedAt"),
  };
  const prior = await ctx.store.db
    .selectFrom("gov_counterparties")
    .select(["id", "contact_email", "contact_set_by"])
    .where("account", "=", v.account)
    .executeTakeFirst();
  if (prior) {
    // Whoever saves the contact answers for it: the same address saved by another officer is confirmed by them, and
    // consents and forms may then be mailed there at the request of the officer who first set it.
    await ctx.store.db.updateTable("gov_counterparties").set(row).where("id", "=", prior.id).execute();
  } else
    await ctx.store.db
      .insertInto("gov_counterparties")
      .values({ ...row, created_at: ctx.clock().toISOString() })
      .execute();
  await audit(ctx, actorOf(actor), prior ? "customer.updated" : "customer.added", v.account, {
    contactChanged: !prior || prior.contact_email !== row.contact_email,
    ...(prior && prior.contact_email === row.contact_email && prior.contact_set_by !== row.contact_set_by
      ? { contactConfirmedBy: row.contact_set_by }
      : {}),
  });
  return (await getCounterparty(ctx, v.account))!;
}

export async function getCounterparty(
  ctx: Pick<GovernanceContext, "store">,
  account: string,
): Promise<Counterparty | undefined> {
  const r = await ctx.store.db
    .selectFrom("gov_counterparties")
    .selectAll()
    .where("account", "=", account)
    .executeTakeFirst();
  return r ? toCounterparty(r) : undefined;
}

export async function listCounterparties(ctx: Pick<GovernanceContext, "store">): Promise<Counterparty[]> {
  return (await ctx.store.db.selectFrom("gov_counterparties").selectAll().orderBy("name").execute()).map(
    toCounterparty,
  );
}

/** The customer, or a NOT_FOUND naming the account. */
export async function requireCounterparty(
  ctx: Pick<GovernanceContext, "store">,
  account: string,
): Promise<Counterparty> {
  const c = await getCounterparty(ctx, account);
  if (!c)
    throw new GovernanceError("NOT_FOUND", `no customer '${account}' in the register: add it with its contact first`);
  return c;
}

/**
 * How long until `at`, in the words a countdown shows ("in 2 d 4 h", "3 h 0 min overdue"),
 * and its state: due soon in the last third of a clock of `totalMs` (the last day at least).
 */
export function countdown(
  at: Date,
  now: Date,
  totalMs = 7 * 86_400_000,
): { ms: number; text: string; state: "overdue" | "due_soon" | "on_time" } {
  const ms = at.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const span = d ? `${d} d ${h} h` : `${h} h ${Math.floor((abs % 3_600_000) / 60_000)} min`;
  const soon = Math.max(86_400_000, totalMs / 3);
  return {
    ms,
    text: ms < 0 ? `${span} overdue` : `in ${span}`,
    state: ms < 0 ? "overdue" : ms <= soon ? "due_soon" : "on_time",
  };
}

/** Parses input with a schema; a mismatch is an INVALID error naming each field and what is wrong. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new GovernanceError(
    "INVALID",
    r.error.issues
      .map(
        (i) =>
          `${i.path.map(String).join(".") || "input"}: ` +
          `${i.code === "unrecognized_keys" ? `unknown field(s) ${i.keys.join(", ")}` : i.message}`,
      )
      .join("; "),
  );
}
