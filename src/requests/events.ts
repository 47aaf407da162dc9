/** A request's timeline and what the runner and the service both read: legal holds, and where mail about it goes. */
import { appendAudit } from "../audit/index.js";
import { hashIdentities, type HashContext } from "./identities.js";
import type { RequestsContext } from "./model.js";

/**
 * Where mail about a request goes. Before verification, only the code address
 * (never an address the requester typed); after it, the agent who filed it, or
 * the address the person gave for updates, or the code address.
 */
export function statusRecipient(r: {
  verified_at: string | null;
  agent_email: string | null;
  contact_email: string;
  code_to: string | null;
}): string | undefined {
  if (!r.verified_at) return r.code_to ?? undefined;
  return r.agent_email ?? (r.contact_email || r.code_to || undefined);
}

/**
 * Where the status link may go, the key to the request and its export: the address the person was verified at (their
 * code went there), their agent, or, when staff verified them by other means, the address they gave. Never only an
 * address the requester typed.
 */
export function linkRecipient(r: {
  verified_at: string | null;
  agent_email: string | null;
  contact_email: string;
  code_to: string | null;
  verification: string | null;
}): string | undefined {
  if (!r.verified_at) return undefined;
  if (r.agent_email) return r.agent_email;
  if (r.code_to) return r.code_to;
  const v = r.verification ? (JSON.parse(r.verification) as { method?: string }) : undefined;
  return v?.method === "staff" ? r.contact_email || undefined : undefined;
}

/** Adds an event to the request's timeline and to the audit log. Messages never hold an identity's value. */
export async function recordEvent(
  ctx: RequestsContext,
  requestId: string,
  actor: string,
  kind: string,
  message: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  const at = ctx.clock().toISOString();
  await ctx.store.db.insertInto("request_events").values({ request_id: requestId, at, actor, kind, message }).execute();
  await appendAudit(
    ctx.store,
    { actor, action: `request.${kind}`, subject: requestId, data: { message, ...data } },
    ctx.clock(),
  );
}

/** The reasons of the live legal holds on any of these identities. */
export async function legalHoldsOn(ctx: HashContext, identities: Record<string, string[]>): Promise<string[]> {
  const hashes = await hashIdentities(ctx, identities);
  if (!hashes.length) return [];
  const rows = await ctx.store.db
    .selectFrom("legal_holds")
    .select("reason")
    .where("identity_hash", "in", hashes)
    .where("lifted_at", "is", null)
    .execute();
  return [...new Set(rows.map((r) => r.reason))];
}
