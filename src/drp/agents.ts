/**
 * The authorized agents an organization accepts requests from over DRP. An agent is registered from its entry in the
 * DRP service directory (§ 3.05.1) and waits until an owner approves it and its key; a new key puts it back to wait.
 * Approving is the organization's decision that the agent's identity assurance is good enough to act on.
 */
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "../audit/index.js";
import type { Database, Store } from "../store/index.js";
import type { Selectable } from "kysely";
import { decodeVerifyKey } from "./protocol.js";

const https = z
  .url({ protocol: /^https$/, message: "expected an https:// URL" })
  .max(2000)
  .optional()
  .or(z.literal("").transform(() => undefined));

/** An agent's entry in the DRP service directory (§ 3.05.1), as an owner pastes or types it. */
export const AgentDocument = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[A-Z_]{1,100}$/, { message: "expected upper-case letters and _ (the agent's id in the DRP directory)" }),
  name: z.string().trim().min(1, { message: "give the agent's name" }).max(200),
  verify_key: z
    .string()
    .trim()
    .refine(
      (k) => {
        try {
          decodeVerifyKey(k);
          return true;
        } catch {
          return false;
        }
      },
      { message: "expected the base64 of a 32-byte Ed25519 public key" },
    ),
  web_url: https,
  identity_assurance_url: https,
  technical_contact: z.email({ message: "expected an email address" }),
  business_contact: z
    .email({ message: "expected an email address" })
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
export type AgentDocument = z.output<typeof AgentDocument>;

export type AgentStatus = "pending" | "approved" | "revoked";

export interface AgentView {
  id: string;
  name: string;
  verifyKey: string;
  /** The first 16 hex digits of the key's SHA-256, to compare with the agent by phone or mail before approving. */
  fingerprint: string;
  webUrl?: string;
  identityAssuranceUrl?: string;
  technicalContact?: string;
  businessContact?: string;
  status: AgentStatus;
  registeredBy: string;
  registeredAt: string;
  approvedBy?: string;
  approvedAt?: string;
}

/** A registry change that cannot be made (an unknown agent, approving a revoked one). */
export class AgentError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "REQUEST_CONFLICT",
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (s: string | Uint8Array) => createHash("sha256").update(s).digest("hex");

/** The key's fingerprint, as the console shows it. */
export function keyFingerprint(verifyKey: string): string {
  return sha256(decodeVerifyKey(verifyKey)).slice(0, 16);
}

type Row = Selectable<Database["drp_agents"]>;

function toView(r: Row): AgentView {
  return {
    id: r.id,
    name: r.name,
    verifyKey: r.verify_key,
    fingerprint: keyFingerprint(r.verify_key),
    ...(r.web_url ? { webUrl: r.web_url } : {}),
    ...(r.identity_assurance_url ? { identityAssuranceUrl: r.identity_assurance_url } : {}),
    ...(r.technical_contact ? { technicalContact: r.technical_contact } : {}),
    ...(r.business_contact ? { businessContact: r.business_contact } : {}),
    status: r.status as AgentStatus,
    registeredBy: r.registered_by,
    registeredAt: r.registered_at,
    ...(r.approved_by ? { approvedBy: r.approved_by } : {}),
    ...(r.approved_at ? { approvedAt: r.approved_at } : {}),
  };
}

/**
 * Registers an agent, or updates its entry. A new key (or a revoked agent registered again) waits for approval, and
 * the agent's tokens end; an approved agent whose key is unchanged stays approved.
 */
export async function registerAgent(
  store: Store,
  doc: AgentDocument,
  by: string,
  now = new Date(),
): Promise<AgentView> {
  const old = await store.db.selectFrom("drp_agents").selectAll().where("id", "=", doc.id).executeTakeFirst();
  const keep = old?.status === "approved" && old.verify_key === doc.verify_key;
  const row = {
    id: doc.id,
    name: doc.name,
    verify_key: doc.verify_key,
    web_url: doc.web_url ?? null,
    identity_assurance_url: doc.identity_assurance_url ?? null,
    technical_contact: doc.technical_contact,
    business_contact: doc.business_contact ?? null,
    status: keep ? "approved" : "pending",
    registered_by: by,
    registered_at: now.toISOString(),
    approved_by: keep ? old.approved_by : null,
    approved_at: keep ? old.approved_at : null,
    revoked_at: null,
  };
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("drp_agents").where("id", "=", doc.id).execute();
    await trx.insertInto("drp_agents").values(row).execute();
    if (!keep) await trx.deleteFrom("drp_tokens").where("agent_id", "=", doc.id).execute();
  });
  await appendAudit(
    store,
    {
      actor: by,
      action: "drp.agent_registered",
      subject: doc.id,
      data: { name: doc.name, fingerprint: keyFingerprint(doc.verify_key), status: row.status },
    },
    now,
  );
  return toView(row);
}

/** An owner approves a pending agent and its key: from now on its signed requests are accepted. */
export async function approveAgent(store: Store, id: string, by: string, now = new Date()): Promise<AgentView> {
  const res = await store.db
    .updateTable("drp_agents")
    .set({ status: "approved", approved_by: by, approved_at: now.toISOString() })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  const row = await store.db.selectFrom("drp_agents").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new AgentError("NOT_FOUND", `no agent ${id}`);
  if (Number(res.numUpdatedRows) === 0)
    throw new AgentError("REQUEST_CONFLICT", `agent ${id} is ${row.status}: only a pending agent is approved`);
  await appendAudit(
    store,
    { actor: by, action: "drp.agent_approved", subject: id, data: { fingerprint: keyFingerprint(row.verify_key) } },
    now,
  );
  return toView(row);
}

/** Revokes an agent: its tokens end at once and its requests are refused; requests already filed go on. */
export async function revokeAgent(store: Store, id: string, by: string, now = new Date()): Promise<void> {
  const res = await store.db
    .updateTable("drp_agents")
    .set({ status: "revoked", revoked_at: now.toISOString() })
    .where("id", "=", id)
    .where("status", "!=", "revoked")
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new AgentError("NOT_FOUND", `no agent ${id} to revoke`);
  await store.db.deleteFrom("drp_tokens").where("agent_id", "=", id).execute();
  await appendAudit(store, { actor: by, action: "drp.agent_revoked", subject: id }, now);
}

/** Every registered agent, pending first. */
export async function listAgents(store: Store): Promise<AgentView[]> {
  const rows = await store.db.selectFrom("drp_agents").selectAll().orderBy("registered_at", "desc").execute();
  const order = { pending: 0, approved: 1, revoked: 2 } as Record<string, number>;
  return rows.map(toView).sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3));
}

/** An agent by id, whatever its status. */
export async function getAgent(store: Store, id: string): Promise<AgentView | undefined> {
  const row = await store.db.selectFrom("drp_agents").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toView(row) : undefined;
}

/** How many requests each agent has filed, by agent id. */
export async function filedPerAgent(store: Store): Promise<Record<string, number>> {
  const rows = await store.db
    .selectFrom("drp_requests")
    .select(["agent_id", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("agent_id")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.agent_id, Number(r.n)]));
}

/** A new pairwise token for an approved agent (§ 2.05); only its hash is kept. */
export async function issueToken(store: Store, agentId: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await store.db
    .insertInto("drp_tokens")
    .values({ token_hash: sha256(token), agent_id: agentId, created_at: now.toISOString() })
    .execute();
  return token;
}

/** The approved agent a bearer token belongs to; undefined for an unknown token or an agent no longer approved. */
export async function agentOfToken(store: Store, token: string | undefined): Promise<AgentView | undefined> {
  if (!token || token.length > 200) return undefined;
  const row = await store.db
    .selectFrom("drp_tokens")
    .innerJoin("drp_agents", "drp_agents.id", "drp_tokens.agent_id")
    .selectAll("drp_agents")
    .where("drp_tokens.token_hash", "=", sha256(token))
    .where("drp_agents.status", "=", "approved")
    .executeTakeFirst();
  return row ? toView(row) : undefined;
}
