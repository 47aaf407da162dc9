/**
 * Remote sessions, their recordings, and temporary copies of customer data
 * (Lutron, Data Intensity). A session cannot start before the customer's
 * verification form is signed: uploaded by staff, or signed online by the
 * customer's registered contact through a one-time link. Recordings are due
 * for destruction `recordingRetention` after they are made, and temporary
 * copies by their purge deadline; each stays flagged, and fails the retention
 * check, until a person confirms its end with evidence.
 */
import { z } from "zod";
import { addDuration, parseDuration } from "../declaration/index.js";
import {
  parseWith,
  actorOf,
  audit,
  countdown,
  GovernanceError,
  isoOf,
  newToken,
  requireCounterparty,
  sha256,
  type Actor,
  type GovernanceContext,
} from "./model.js";

/**
 * How long a mailed form link can be signed: a signature months later would attest to a session no one remembers asking
 * for.
 */
export const FORM_LINK_DAYS = 14;

export const SessionInput = z.strictObject({
  account: z.string().trim().min(1).max(200),
  purpose: z.string().trim().min(5, "say what the session is for").max(2000),
});

export interface SessionView {
  id: number;
  account: string;
  purpose: string;
  requestedBy: string;
  form: {
    status: "unsigned" | "sent" | "signed";
    name: string | null;
    hash: string | null;
    signedAt: string | null;
    signedBy: string | null;
    signedIp: string | null;
  };
  startedAt: string | null;
  startedBy: string | null;
  endedAt: string | null;
  createdAt: string;
}

function sessionsOf(ctx: GovernanceContext) {
  const rs = ctx.declaration().governance?.remoteSessions;
  if (!rs) throw new GovernanceError("INVALID", "the declaration has no governance.remoteSessions");
  return rs;
}

const sessionRow = (ctx: GovernanceContext, id: number) =>
  ctx.store.db.selectFrom("gov_sessions").selectAll().where("id", "=", id).executeTakeFirst();
type SessionRow = NonNullable<Awaited<ReturnType<typeof sessionRow>>>;
const sessionView = (r: SessionRow): SessionView => ({
  id: Number(r.id),
  account: r.account,
  purpose: r.purpose,
  requestedBy: r.requested_by,
  form: {
    status: r.form_status as SessionView["form"]["status"],
    name: r.form_name,
    hash: r.form_hash,
    signedAt: r.form_signed_at,
    signedBy: r.form_signed_by,
    signedIp: r.form_signed_ip,
  },
  startedAt: r.started_at,
  startedBy: r.started_by,
  endedAt: r.ended_at,
  createdAt: r.created_at,
});

async function requireSession(ctx: GovernanceContext, id: number): Promise<SessionRow> {
  const r = await sessionRow(ctx, id);
  if (!r) throw new GovernanceError("NOT_FOUND", `no remote session ${id}`);
  return r;
}

/** Registers a planned remote session; its form is unsigned. */
export async function planSession(
  ctx: GovernanceContext,
  input: z.input<typeof SessionInput>,
  actor: Actor,
): Promise<SessionView> {
  sessionsOf(ctx);
  const v = parseWith(SessionInput, input);
  await requireCounterparty(ctx, v.account);
  const r = await ctx.store.db
    .insertInto("gov_sessions")
    .values({
      account: v.account,
      purpose: v.purpose,
      requested_by: actorOf(actor),
      form_status: "unsigned",
      created_at: ctx.clock().toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(ctx, actorOf(actor), "session.planned", `session:${r.id}`, { account: v.account });
  return sessionView(await requireSession(ctx, Number(r.id)));
}

/** Mails the customer's registered contact a one-time link to read and sign the verification form. */
export async function sendSessionForm(ctx: GovernanceContext, id: number, actor: Actor): Promise<void> {
  const rs = sessionsOf(ctx);
  const s = await requireSession(ctx, id);
  if (s.form_status === "signed") throw new GovernanceError("CONFLICT", `the form of session ${id} is already signed`);
  const customer = await requireCounterparty(ctx, s.account);
  // A form signed from an address the sender or the requester chose proves nothing about the customer.
  if (customer.contactSetBy === actorOf(actor) || customer.contactSetBy === s.requested_by)
    throw new GovernanceError(
      "FORBIDDEN",
      `${customer.contactSetBy === actorOf(actor) ? "you" : "the session's requester"} set ${s.account}'s ` +
        `contact address; another officer must confirm it before the form is mailed there`,
    );
  const token = newToken();
  await ctx.mailer.send({
    to: customer.contactEmail,
    subject: `${ctx.declaration().organization.name}: please sign the ${rs.form}`,
    text: [
      `Hello ${customer.name},`,
      "",
      `Before we connect to your systems (${s.purpose}), we need the ${rs.form} signed.`,
      `Read and sign it here (the link works once, for ${FORM_LINK_DAYS} days): ${ctx.publicUrl}/session-form/${token}`,
      "",
      "No session starts until it is signed.",
    ].join("\n"),
  });
  await ctx.store.db
    .updateTable("gov_sessions")
    .set({ form_status: "sent", form_token_hash: sha256(token), form_sent_at: ctx.clock().toISOString() })
    .where("id", "=", id)
    .execute();
  await audit(ctx, actorOf(actor), "session.form_sent", `session:${id}`, { to: customer.contactEmail });
}

/** The session a form link is for, without signing (mail scanners open links). */
export async function sessionByFormToken(
  ctx: GovernanceContext,
  token: string,
): Promise<SessionView & { form_text: string; customer: string }> {
  const r = await ctx.store.db
    .selectFrom("gov_sessions")
    .selectAll()
    .where("form_token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (r?.form_status !== "sent")
    throw new GovernanceError("LINK_INVALID", "this link is not valid or has already been used");
  if (Date.parse(r.form_sent_at ?? "") + FORM_LINK_DAYS * 86_400_000 <= ctx.clock().getTime())
    throw new GovernanceError("LINK_INVALID", `this link was valid for ${FORM_LINK_DAYS} days: ask for a new one`);
  const customer = await requireCounterparty(ctx, r.account);
  return { ...sessionView(r), form_text: sessionsOf(ctx).form, customer: customer.name };
}

/** The customer signs online: their typed name, the time and IP are the signature; the link is used up. */
export async function signSessionForm(
  ctx: GovernanceContext,
  token: string,
  signer: string,
  ip: string | undefined,
): Promise<SessionView> {
  const s = await sessionByFormToken(ctx, token);
  const name = signer.trim();
  if (name.length < 2) throw new GovernanceError("INVALID", "type your full name to sign");
  const customer = await requireCounterparty(ctx, s.account);
  const at = ctx.clock().toISOString();
  const signed =
    `${s.form_text}\nSession ${s.id} for ${customer.name}: ${s.purpose}\nSigned by ` +
    `${name} (${customer.contactEmail}) at ${at}`;
  await ctx.store.db
    .updateTable("gov_sessions")
    .set({
      form_status: "signed",
      form_token_hash: null,
      form_name: "signed online",
      form_hash: sha256(signed),
      form_document: new TextEncoder().encode(signed),
      form_signed_at: at,
      form_signed_by: `${name} <${customer.contactEmail}>`,
      form_signed_ip: ip ?? null,
    })
    .where("id", "=", s.id)
    .where("form_status", "=", "sent")
    .execute();
  await audit(ctx, `customer:${customer.contactEmail}`, "session.form_signed", `session:${s.id}`, {
    via: "online",
    ip: ip ?? null,
  });
  return sessionView(await requireSession(ctx, s.id));
}

/** A staff member other than the session's requester uploads the form the customer signed and returned. */
export async function uploadSessionForm(
  ctx: GovernanceContext,
  id: number,
  file: { name: string; data: Uint8Array },
  actor: Actor,
): Promise<SessionView> {
  const s = await requireSession(ctx, id);
  if (s.form_status === "signed") throw new GovernanceError("CONFLICT", `the form of session ${id} is already signed`);
  // Whoever wants the session cannot also attest that the customer signed: a second staff member uploads the form.
  if (s.requested_by === actorOf(actor))
    throw new GovernanceError(
      "FORBIDDEN",
      "you planned this session: another staff member uploads the customer's signed " +
        "form (or mail the customer the form to sign online)",
    );
  if (!file.data.length) throw new GovernanceError("INVALID", "file: the signed form is empty");
  await ctx.store.db
    .updateTable("gov_sessions")
    .set({
      form_status: "signed",
      form_token_hash: null,
      form_name: file.name.slice(0, 200),
      form_hash: sha256(file.data),
      form_document: file.data,
      form_signed_at: ctx.clock().toISOString(),
      form_signed_by: `uploaded by ${actor.email}`,
    })
    .where("id", "=", id)
    .execute();
  await audit(ctx, actorOf(actor), "session.form_uploaded", `session:${id}`, {
    file: file.name,
    sha256: sha256(file.data),
  });
  return sessionView(await requireSession(ctx, id));
}

/** Marks a session started: refused until its verification form is signed. */
export async function startSession(ctx: GovernanceContext, id: number, actor: Actor): Promise<SessionView> {
  const rs = sessionsOf(ctx);
  const s = await requireSession(ctx, id);
  if (s.form_status !== "signed")
    throw new GovernanceError("CONFLICT", `session ${id} cannot start: the customer has not signed the ${rs.form}`);
  if (s.started_at) throw new GovernanceError("CONFLICT", `session ${id} started at ${s.started_at}`);
  const online = !s.form_signed_by?.startsWith("uploaded by ");
  if (online && (await requireCounterparty(ctx, s.account)).contactSetBy === actorOf(actor))
    throw new GovernanceError(
      "FORBIDDEN",
      `the form was signed from ${s.account}'s contact address, which you set: another staff member starts ` +
        `the session`,
    );
  await ctx.store.db
    .updateTable("gov_sessions")
    .set({ started_at: ctx.clock().toISOString(), started_by: actorOf(actor) })
    .where("id", "=", id)
    .execute();
  await audit(ctx, actorOf(actor), "session.started", `session:${id}`);
  return sessionView(await requireSession(ctx, id));
}

export async function endSession(ctx: GovernanceContext, id: number, actor: Actor): Promise<SessionView> {
  const s = await requireSession(ctx, id);
  if (!s.started_at || s.ended_at) throw new GovernanceError("CONFLICT", `session ${id} is not running`);
  await ctx.store.db
    .updateTable("gov_sessions")
    .set({ ended_at: ctx.clock().toISOString() })
    .where("id", "=", id)
    .execute();
  await audit(ctx, actorOf(actor), "session.ended", `session:${id}`);
  return sessionView(await requireSession(ctx, id));
}

export async function listSessions(ctx: GovernanceContext): Promise<SessionView[]> {
  return (await ctx.store.db.selectFrom("gov_sessions").selectAll().orderBy("id", "desc").limit(200).execute()).map(
    sessionView,
  );
}

/** The signed form's bytes, for staff to read. */
export async function sessionForm(
  ctx: GovernanceContext,
  id: number,
): Promise<{ name: string; data: Uint8Array } | undefined> {
  const s = await requireSession(ctx, id);
  return s.form_document ? { name: s.form_name ?? "form", data: s.form_document } : undefined;
}

// --- recordings and temporary copies ---------------------------------------------

export const CustodyInput = z.strictObject({
  kind: z.enum(["recording", "temporary_copy"]),
  account: z.string().trim().max(200).optional(),
  sessionId: z.coerce.number().int().positive().optional(),
  /** What it is: the recording's name, the copy's purpose. */
  label: z.string().trim().min(3, "say what it is").max(500),
  location: z.string().trim().min(2, "say where it is kept").max(500),
  madeAt: z.string().max(40).optional(),
  /** A temporary copy's purge deadline (at most `purgeWithin` after it is made). */
  purgeBy: z.string().max(40).optional(),
});

export interface CustodyView {
  id: number;
  kind: "recording" | "temporary_copy";
  account: string | null;
  sessionId: number | null;
  label: string;
  location: string;
  madeAt: string;
  dueAt: string;
  doneAt: string | null;
  doneBy: string | null;
  evidence: string | null;
  /** `overdue` past its date until destruction is confirmed. */
  state: "destroyed" | "overdue" | "due_soon" | "kept";
  countdown: string;
}

/**
 * Registers a recording (due for destruction after the declared period) or a temporary copy (due by its purge
 * deadline).
 */
export async function registerCustody(
  ctx: GovernanceContext,
  input: z.input<typeof CustodyInput>,
  actor: Actor,
): Promise<CustodyView> {
  const v = parseWith(CustodyInput, input);
  const gov = ctx.declaration().governance;
  const made = v.madeAt ? isoOf(v.madeAt, "madeAt") : ctx.clock().toISOString();
  let due: string;
  if (v.kind === "recording") {
    if (!gov?.remoteSessions)
      throw new GovernanceError("INVALID", "the declaration has no governance.remoteSessions (recordingRetention)");
    due = addDuration(new Date(made), parseDuration(gov.remoteSessions.recordingRetention)!).toISOString();
  } else {
    if (!gov?.temporaryCopies)
      throw new GovernanceError("INVALID", "the declaration has no governance.temporaryCopies (purgeWithin)");
    const latest = addDuration(new Date(made), parseDuration(gov.temporaryCopies.purgeWithin)!).toISOString();
    due = v.purgeBy ? isoOf(v.purgeBy, "purgeBy") : latest;
    if (due > latest)
      throw new GovernanceError(
        "INVALID",
        `purgeBy: a temporary copy is purged within ${gov.temporaryCopies.purgeWithin} (by ${latest.slice(0, 10)})`,
      );
    if (due <= made) throw new GovernanceError("INVALID", "purgeBy: the deadline must come after the copy is made");
  }
  if (v.sessionId) await requireSession(ctx, v.sessionId);
  const r = await ctx.store.db
    .insertInto("gov_custody")
    .values({
      kind: v.kind,
      account: v.account || null,
      session_id: v.sessionId ?? null,
      label: v.label,
      location: v.location,
      made_at: made,
      due_at: due,
      created_by: actorOf(actor),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(ctx, actorOf(actor), `${v.kind}.registered`, `custody:${r.id}`, { dueAt: due });
  return custodyView((await custodyRow(ctx, Number(r.id)))!, ctx.clock());
}

/** A person confirms the recording destroyed or the copy purged, with evidence (how, where, a ticket). */
export async function confirmDestroyed(
  ctx: GovernanceContext,
  id: number,
  evidence: string,
  actor: Actor,
): Promise<void> {
  const text = evidence.trim();
  if (text.length < 5)
    throw new GovernanceError("INVALID", "evidence: say how it was destroyed (at least 5 characters)");
  const n = await ctx.store.db
    .updateTable("gov_custody")
    .set({ done_at: ctx.clock().toISOString(), done_by: actorOf(actor), evidence: text })
    .where("id", "=", id)
    .where("done_at", "is", null)
    .executeTakeFirst();
  if (!Number(n.numUpdatedRows))
    throw new GovernanceError("NOT_FOUND", `no recording or copy ${id} waiting for destruction`);
  await audit(ctx, actorOf(actor), "custody.destroyed", `custody:${id}`, { evidence: text });
}

type CustodyRow = NonNullable<Awaited<ReturnType<typeof custodyRow>>>;
const custodyRow = (ctx: GovernanceContext, id: number) =>
  ctx.store.db.selectFrom("gov_custody").selectAll().where("id", "=", id).executeTakeFirst();

function custodyView(r: CustodyRow, now: Date): CustodyView {
  const c = countdown(new Date(r.due_at), now, Date.parse(r.due_at) - Date.parse(r.made_at));
  const state: CustodyView["state"] = r.done_at
    ? "destroyed"
    : c.state === "overdue"
      ? "overdue"
      : c.state === "due_soon"
        ? "due_soon"
        : "kept";
  return {
    id: Number(r.id),
    kind: r.kind,
    account: r.account,
    sessionId: r.session_id,
    label: r.label,
    location: r.location,
    madeAt: r.made_at,
    dueAt: r.due_at,
    doneAt: r.done_at,
    doneBy: r.done_by,
    evidence: r.evidence,
    state,
    countdown: r.done_at ? "" : c.text,
  };
}

/**
 * Every recording and copy still waiting for destruction, soonest first, then
 * the latest `destroyed` ones: nothing waiting is ever left off the list.
 */
export async function listCustody(
  ctx: GovernanceContext,
  options: { destroyed?: number } = {},
): Promise<CustodyView[]> {
  const now = ctx.clock();
  const waiting = await ctx.store.db
    .selectFrom("gov_custody")
    .selectAll()
    .where("done_at", "is", null)
    .orderBy("due_at")
    .execute();
  const done = await ctx.store.db
    .selectFrom("gov_custody")
    .selectAll()
    .where("done_at", "is not", null)
    .orderBy("done_at", "desc")
    .limit(options.destroyed ?? 200)
    .execute();
  return [...waiting, ...done].map((r) => custodyView(r, now));
}
