/**
 * Agreements per customer (LuxSci): a BAA binds only once a signed copy is
 * received, reviewed and accepted by the declared role (not by whoever filed
 * the copy); a GDPR addendum that
 * the declaration makes automatic is in force for every GDPR customer from the
 * customer's start. `agreementInForce` answers the organization's product,
 * which gates features (HIPAA mail) on an accepted BAA.
 */
import { z } from "zod";
import { hasRole } from "../auth/index.js";
import type { Declaration } from "../declaration/index.js";
import {
  parseWith,
  actorOf,
  audit,
  GovernanceError,
  getCounterparty,
  isoOf,
  listCounterparties,
  requireCounterparty,
  sha256,
  type Actor,
  type Counterparty,
  type GovernanceContext,
} from "./model.js";

export const AGREEMENT_STATUSES = [
  "requested",
  "received",
  "under_review",
  "accepted",
  "rejected",
  "expired",
  "superseded",
] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];
type DeclaredAgreement = NonNullable<Declaration["governance"]>["agreements"][number];

export const AgreementInput = z.strictObject({
  account: z.string().trim().min(1).max(200),
  /** The declared agreement's id (`hipaa_baa`). */
  agreement: z.string().trim().min(1).max(100),
  templateVersion: z.string().trim().max(100).optional(),
  expiresAt: z.string().max(40).optional(),
  note: z.string().trim().max(2000).optional(),
});

export interface AgreementView {
  id: number | null;
  account: string;
  agreement: string;
  name: string;
  type: string;
  templateVersion: string | null;
  /** `expired` once past its end, whatever was recorded. */
  status: AgreementStatus;
  automatic: boolean;
  documentName: string | null;
  documentHash: string | null;
  requestedAt: string;
  receivedAt: string | null;
  acceptedAt: string | null;
  acceptedBy: string | null;
  expiresAt: string | null;
  note: string | null;
  /** Signed on an older template than the declaration's current one. */
  outdated: boolean;
}

function declared(ctx: GovernanceContext, id: string): DeclaredAgreement {
  const list = ctx.declaration().governance?.agreements ?? [];
  const a = list.find((x) => x.id === id);
  if (!a)
    throw new GovernanceError(
      "INVALID",
      `agreement: no declared agreement '${id}' (declared: ${list.map((x) => x.id).join(", ") || "none"})`,
    );
  return a;
}

const rowOf = (ctx: GovernanceContext, id: number) =>
  ctx.store.db.selectFrom("gov_agreements").selectAll().where("id", "=", id).executeTakeFirst();
type Row = NonNullable<Awaited<ReturnType<typeof rowOf>>>;

function view(ctx: GovernanceContext, r: Row): AgreementView {
  const d = (ctx.declaration().governance?.agreements ?? []).find((x) => x.id === r.agreement);
  const expired =
    r.expires_at && Date.parse(r.expires_at) <= ctx.clock().getTime() && !["rejected", "superseded"].includes(r.status);
  return {
    id: Number(r.id),
    account: r.account,
    agreement: r.agreement,
    name: d?.name ?? r.agreement,
    type: r.type,
    templateVersion: r.template_version,
    status: expired ? "expired" : (r.status as AgreementStatus),
    automatic: false,
    documentName: r.document_name,
    documentHash: r.document_hash,
    requestedAt: r.requested_at,
    receivedAt: r.received_at,
    acceptedAt: r.accepted_at,
    acceptedBy: r.accepted_by,
    expiresAt: r.expires_at,
    note: r.note,
    outdated: !!(d?.templateVersion && r.template_version && r.template_version !== d.templateVersion),
  };
}

/** The automatic agreements in force for a customer, from the customer's start. */
function automaticFor(decl: Declaration, c: Counterparty): AgreementView[] {
  return (decl.governance?.agreements ?? [])
    .filter((a) => a.automatic && (a.appliesTo === "all" || c.gdpr))
    .map((a) => ({
      id: null,
      account: c.account,
      agreement: a.id,
      name: a.name,
      type: a.type,
      templateVersion: a.templateVersion ?? null,
      status: "accepted" as const,
      automatic: true,
      documentName: null,
      documentHash: null,
      requestedAt: c.startedAt,
      receivedAt: null,
      acceptedAt: c.startedAt,
      acceptedBy: "automatic (declaration)",
      expiresAt: null,
      note:
        a.appliesTo === "gdpr"
          ? "included for every customer whose data falls under the GDPR"
          : "included for every customer",
      outdated: false,
    }));
}

/**
 * Opens an explicit agreement for a customer: requested, until a signed copy arrives. Automatic ones need no record.
 */
export async function requestAgreement(
  ctx: GovernanceContext,
  input: z.input<typeof AgreementInput>,
  actor: Actor,
): Promise<AgreementView> {
  const v = parseWith(AgreementInput, input);
  const d = declared(ctx, v.agreement);
  if (d.automatic)
    throw new GovernanceError(
      "CONFLICT",
      `${d.name} is automatic: it is in force for the customers it applies to without a record`,
    );
  await requireCounterparty(ctx, v.account);
  const r = await ctx.store.db
    .insertInto("gov_agreements")
    .values({
      account: v.account,
      agreement: d.id,
      type: d.type,
      template_version: v.templateVersion || d.templateVersion || null,
      status: "requested",
      requested_at: ctx.clock().toISOString(),
      expires_at: v.expiresAt ? isoOf(v.expiresAt, "expiresAt") : null,
      note: v.note || null,
      created_by: actorOf(actor),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(ctx, actorOf(actor), "agreement.requested", `agreement:${r.id}`, { account: v.account, agreement: d.id });
  return view(ctx, (await rowOf(ctx, Number(r.id)))!);
}

async function requireRow(ctx: GovernanceContext, id: number): Promise<Row> {
  const r = await rowOf(ctx, id);
  if (!r) throw new GovernanceError("NOT_FOUND", `no agreement ${id}`);
  return r;
}

/** Stores the signed copy the customer returned, with its hash; the agreement goes under review. */
export async function receiveAgreement(
  ctx: GovernanceContext,
  id: number,
  file: { name: string; data: Uint8Array },
  actor: Actor,
): Promise<AgreementView> {
  const r = await requireRow(ctx, id);
  if (!["requested", "received", "under_review", "rejected"].includes(r.status))
    throw new GovernanceError("CONFLICT", `agreement ${id} is ${r.status}`);
  if (!file.data.length) throw new GovernanceError("INVALID", "file: the signed copy is empty");
  const hash = sha256(file.data);
  await ctx.store.db
    .updateTable("gov_agreements")
    .set({
      status: "under_review",
      document: file.data,
      document_name: file.name.slice(0, 200),
      document_hash: hash,
      received_at: ctx.clock().toISOString(),
      received_by: actorOf(actor),
    })
    .where("id", "=", id)
    .execute();
  await audit(ctx, actorOf(actor), "agreement.received", `agreement:${id}`, { file: file.name, sha256: hash });
  return view(ctx, await requireRow(ctx, id));
}

/**
 * Accepts (in force from now) or rejects a reviewed agreement; the declared role decides. An accepted one supersedes
 * the customer's earlier one.
 */
export async function reviewAgreement(
  ctx: GovernanceContext,
  id: number,
  decision: "accept" | "reject",
  actor: Actor,
  note?: string,
): Promise<AgreementView> {
  const r = await requireRow(ctx, id);
  const d = declared(ctx, r.agreement);
  if (!hasRole(actor.role, d.acceptedBy))
    throw new GovernanceError("FORBIDDEN", `${d.name} is accepted by the ${d.acceptedBy} role`);
  if (r.status !== "under_review")
    throw new GovernanceError(
      "CONFLICT",
      r.status === "requested"
        ? `agreement ${id} has no signed copy yet: upload it first`
        : `agreement ${id} is ${r.status}, not under review`,
    );
  // Four eyes: whoever filed the signed copy does not also accept it.
  if (decision === "accept" && r.received_by === actorOf(actor))
    throw new GovernanceError("FORBIDDEN", "you filed this signed copy: a second staff member reviews and accepts it");
  const at = ctx.clock().toISOString();
  // One transaction: the review claims the agreement (a second reviewer meanwhile is refused), and an acceptance
  // supersedes the customer's earlier one.
  await ctx.store.db.transaction().execute(async (tx) => {
    const n = await tx
      .updateTable("gov_agreements")
      .set(
        decision === "accept"
          ? { status: "accepted", accepted_at: at, accepted_by: actorOf(actor), note: note || r.note }
          : { status: "rejected", note: note || r.note },
      )
      .where("id", "=", id)
      .where("status", "=", "under_review")
      .executeTakeFirst();
    if (!Number(n.numUpdatedRows))
      throw new GovernanceError("CONFLICT", `agreement ${id} was reviewed by someone else meanwhile`);
    if (decision === "accept")
      await tx
        .updateTable("gov_agreements")
        .set({ status: "superseded" })
        .where("account", "=", r.account)
        .where("agreement", "=", r.agreement)
        .where("status", "=", "accepted")
        .where("id", "!=", id)
        .execute();
  });
  await audit(
    ctx,
    actorOf(actor),
    decision === "accept" ? "agreement.accepted" : "agreement.rejected",
    `agreement:${id}`,
    { account: r.account, agreement: r.agreement, ...(note ? { note } : {}) },
  );
  return view(ctx, await requireRow(ctx, id));
}

export async function agreementDocument(
  ctx: GovernanceContext,
  id: number,
): Promise<{ name: string; data: Uint8Array } | undefined> {
  const r = await requireRow(ctx, id);
  return r.document ? { name: r.document_name ?? "agreement", data: r.document } : undefined;
}

/** Every agreement of a customer (or of all), automatic ones included. */
export async function listAgreements(ctx: GovernanceContext, account?: string): Promise<AgreementView[]> {
  let q = ctx.store.db.selectFrom("gov_agreements").selectAll().orderBy("id", "desc").limit(1000);
  if (account) q = q.where("account", "=", account);
  const explicit = (await q.execute()).map((r) => view(ctx, r));
  const customers = account
    ? [await getCounterparty(ctx, account)].filter((c): c is Counterparty => !!c)
    : await listCounterparties(ctx);
  return [...customers.flatMap((c) => automaticFor(ctx.declaration(), c)), ...explicit];
}

export interface InForceAnswer {
  counterparty: string;
  type: string | null;
  inForce: boolean;
  agreements: {
    id: number | null;
    agreement: string;
    name: string;
    type: string;
    since: string | null;
    until: string | null;
    automatic: boolean;
  }[];
  reason: string;
}

/**
 * Whether an agreement (of a type, or any) is in force with a customer now.
 *
 * ```ts
 * const a = await agreementInForce(ctx, "acme", "baa");
 * if (!a.inForce) disableHipaaFeatures();
 * ```
 */
export async function agreementInForce(ctx: GovernanceContext, account: string, type?: string): Promise<InForceAnswer> {
  const c = await getCounterparty(ctx, account);
  if (!c)
    return {
      counterparty: account,
      type: type ?? null,
      inForce: false,
      agreements: [],
      reason: "no such customer in the register",
    };
  const all = (await listAgreements(ctx, account)).filter((a) => a.status === "accepted" && (!type || a.type === type));
  const agreements = all.map((a) => ({
    id: a.id,
    agreement: a.agreement,
    name: a.name,
    type: a.type,
    since: a.acceptedAt,
    until: a.expiresAt,
    automatic: a.automatic,
  }));
  const pending = type
    ? (await listAgreements(ctx, account)).find(
        (a) => a.type === type && ["requested", "received", "under_review"].includes(a.status),
      )
    : undefined;
  const reason = agreements.length
    ? `in force: ${agreements.map((a) => a.name).join(", ")}`
    : pending
      ? `no ${type?.toUpperCase()} in force: one is ${pending.status.replace("_", " ")}, and binds only once accepted`
      : `no ${type ? type.toUpperCase() : "agreement"} in force`;
  return { counterparty: account, type: type ?? null, inForce: agreements.length > 0, agreements, reason };
}

/** Agreements accepted and ending within `days`. */
export async function expiringAgreements(ctx: GovernanceContext, days = 30): Promise<AgreementView[]> {
  const now = ctx.clock();
  const limit = new Date(now.getTime() + days * 86_400_000).toISOString();
  const rows = await ctx.store.db
    .selectFrom("gov_agreements")
    .selectAll()
    .where("status", "=", "accepted")
    .where("expires_at", "is not", null)
    .where("expires_at", "<=", limit)
    .execute();
  return rows.map((r) => view(ctx, r));
}

/**
 * Mails the organization's privacy contact once about each agreement ending within 30 days; returns how many were
 * reminded.
 */
export async function remindExpiringAgreements(ctx: GovernanceContext): Promise<number> {
  const to = ctx.declaration().organization.contact?.email;
  if (!to) return 0;
  let n = 0;
  const rows = await ctx.store.db
    .selectFrom("gov_agreements")
    .selectAll()
    .where("status", "=", "accepted")
    .where("reminded_at", "is", null)
    .where("expires_at", "is not", null)
    .where("expires_at", "<=", new Date(ctx.clock().getTime() + 30 * 86_400_000).toISOString())
    .execute();
  for (const r of rows) {
    // Claimed first, so that two servers never remind twice; released if the mail fails.
    const claimed = await ctx.store.db
      .updateTable("gov_agreements")
      .set({ reminded_at: ctx.clock().toISOString() })
      .where("id", "=", r.id)
      .where("reminded_at", "is", null)
      .executeTakeFirst();
    if (!Number(claimed.numUpdatedRows)) continue;
    const v = view(ctx, r);
    try {
      await ctx.mailer.send({
        to,
        subject:
          `${v.name} with ${r.account} ` +
          `${v.status === "expired" ? "has expired" : `expires on ${r.expires_at!.slice(0, 10)}`}`,
        text:
          `${v.name} (agreement ${r.id}) with customer ${r.account} ` +
          `${v.status === "expired" ? "expired" : "expires"} on ` +
          `${r.expires_at!.slice(0, 10)}. Renew it, or what depends on it stops: ` +
          `${ctx.publicUrl}/admin/governance/agreements`,
      });
    } catch (err) {
      await ctx.store.db.updateTable("gov_agreements").set({ reminded_at: null }).where("id", "=", r.id).execute();
      throw err;
    }
    await audit(ctx, "system", "agreement.reminded", `agreement:${r.id}`, { expiresAt: r.expires_at });
    n++;
  }
  return n;
}
