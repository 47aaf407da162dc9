/**
 * The Data Rights Protocol's messages (DRP 1.0, the same in content as 0.9.4): what an agent signs, how the signature
 * is read, and the Exercise Status object a covered business answers with. Signatures are Ed25519 in libsodium's
 * combined mode (64 bytes of signature, then the JSON), base64-encoded, sent as `text/plain`; they are verified with
 * `@noble/ed25519` in RFC 8032's strict mode, as libsodium verifies.
 */
import { verifyAsync } from "@noble/ed25519";
import { z } from "zod";

/** The versions accepted: 1.0, and 0.9.4, whose content 1.0 repeats. */
export const DRP_VERSIONS = ["1.0", "0.9.4"] as const;

/** The rights actions of DRP (§ 3.01); `sale:opt-out`, as the specification's own example spells it, is read alike. */
export const DRP_ACTIONS = [
  "sale:opt_out",
  "sale:opt_in",
  "deletion",
  "access",
  "access:categories",
  "access:specific",
];

/** The right each DRP action is carried out as; `sale:opt_in` has none (a consent is given through the banner). */
export const ACTION_RIGHTS: Record<string, "opt_out_sale" | "erasure" | "access" | undefined> = {
  "sale:opt_out": "opt_out_sale",
  deletion: "erasure",
  access: "access",
  "access:categories": "access",
  "access:specific": "access",
};

/** A refusal of a DRP call: the HTTP status, and whether it is worth retrying (`fatal` per § 3.06). */
export class DrpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    message: string,
    /** Why, for the audit log: `bad_signature`, `replayed`, `expired`, `unknown_agent`… */
    readonly reason: string,
    readonly fatal = false,
  ) {
    super(message);
  }
}

const iso = z.iso.datetime({ offset: true, message: "expected an ISO 8601 timestamp with its offset" });

/** The claims that bind a message to one agent, one business and a short window (§ 2.01, § 3.07). */
const Envelope = {
  "agent-id": z.string().min(1).max(100),
  "business-id": z.string().min(1).max(100),
  "issued-at": iso,
  "expires-at": iso,
  "drp.version": z.enum(DRP_VERSIONS, { message: `expected one of ${DRP_VERSIONS.join(", ")}` }),
};

/** The signed body of `POST /v1/agent/{agent-id}` (§ 2.05). */
export const PairwiseSetup = z.object(Envelope);

/** An OpenID Connect address claim (Core 1.0 § 5.1.1), or a plain string. */
const AddressClaim = z.union([
  z.string().max(500),
  z
    .object({
      formatted: z.string().max(500).optional(),
      street_address: z.string().max(300).optional(),
      locality: z.string().max(200).optional(),
      region: z.string().max(200).optional(),
      postal_code: z.string().max(40).optional(),
      country: z.string().max(100).optional(),
    })
    .loose(),
]);

/** The signed body of `POST /v1/data-rights-request` (§ 2.01, identity claims § 3.04). */
export const ExerciseRequest = z
  .object({
    ...Envelope,
    "agent-request-id": z.string().max(200).optional(),
    exercise: z
      .string()
      .transform((s) => (s === "sale:opt-out" ? "sale:opt_out" : s === "sale:opt-in" ? "sale:opt_in" : s))
      .pipe(z.enum(DRP_ACTIONS as [string, ...string[]], { message: `expected one of ${DRP_ACTIONS.join(", ")}` })),
    regime: z.string().max(40).optional(),
    relationships: z.array(z.string().max(100)).max(20).optional(),
    status_callback: z.url().max(2000).optional(),
    name: z.string().max(300).optional(),
    email: z.string().max(320).optional(),
    email_verified: z.boolean().optional(),
    phone_number: z.string().max(40).optional(),
    phone_number_verified: z.boolean().optional(),
    address: AddressClaim.optional(),
    address_verified: z.boolean().optional(),
    power_of_attorney: z.string().max(2000).optional(),
  })
  .loose();
export type ExerciseRequest = z.output<typeof ExerciseRequest>;

/** The signed body of `DELETE /v1/data-rights-request/{id}` (§ 2.04): a reason, and the envelope if sent. */
export const RevokeRequest = z
  .object({
    reason: z.string().max(1000).optional(),
    "agent-id": Envelope["agent-id"].optional(),
    "business-id": Envelope["business-id"].optional(),
    "issued-at": iso.optional(),
    "expires-at": iso.optional(),
  })
  .loose();

/** The statuses of § 3.02. */
export type DrpStatus = "open" | "in_progress" | "fulfilled" | "revoked" | "denied" | "expired";

/** The Exercise Status object (§ 3.03). */
export interface ExerciseStatus {
  request_id: string;
  agent_request_id?: string;
  received_at: string;
  expected_by?: string;
  status: DrpStatus;
  reason?: string;
  processing_details?: string;
  user_verification_url?: string;
  expires_at?: string;
}

// --- the answers, as the OpenAPI document shows them -----------------------------------------------------------------

/** The Exercise Status object (§ 3.03), as a schema. */
export const ExerciseStatusSchema = z
  .object({
    request_id: z.string(),
    agent_request_id: z.string().optional(),
    received_at: z.string(),
    expected_by: z.string().optional(),
    status: z.enum(["open", "in_progress", "fulfilled", "revoked", "denied", "expired"]),
    reason: z.string().optional(),
    processing_details: z.string().optional(),
    user_verification_url: z.string().optional(),
    expires_at: z.string().optional(),
  })
  .meta({ id: "DrpExerciseStatus", description: "DRP 1.0 § 3.03" });

/** An error as § 3.06 gives it. */
export const DrpErrorSchema = z
  .object({ code: z.string(), message: z.string(), fatal: z.boolean().optional() })
  .meta({ id: "DrpError", description: "DRP 1.0 § 3.06" });

/** The answer to a pairwise key setup (§ 2.05). */
export const PairwiseTokenSchema = z.object({ "agent-id": z.string(), token: z.string() }).meta({ id: "DrpToken" });

/** This organization's directory entry (§ 3.05.2). */
export const BusinessDocumentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    logo: z.string().nullable(),
    api_base: z.string(),
    supported_actions: z.array(z.string()),
    supported_verifications: z.array(z.string()),
    privacy_policy_url: z.string(),
    web_url: z.string(),
    technical_contact: z.string(),
    business_contact: z.string(),
  })
  .meta({ id: "DrpBusiness", description: "DRP 1.0 § 3.05.2" });

/** The message of a signed body and its signature, before the signature is checked. */
export interface SignedMessage {
  signature: Uint8Array;
  message: Uint8Array;
}

/** Reads a base64 signed body (standard or URL-safe alphabet, padding optional). */
export function decodeSigned(body: string): SignedMessage {
  const text = body.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text))
    throw new DrpError(400, "body: expected a base64-encoded signed message", "not_base64");
  const bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (bytes.length <= 64) throw new DrpError(400, "body: shorter than a signature and a message", "not_signed");
  return { signature: new Uint8Array(bytes.subarray(0, 64)), message: new Uint8Array(bytes.subarray(64)) };
}

/** Reads an agent's verify key: base64 of 32 bytes (§ 3.05.1). */
export function decodeVerifyKey(key: string): Uint8Array {
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(key.trim()) ? Buffer.from(key.trim(), "base64") : Buffer.alloc(0);
  if (bytes.length !== 32) throw new Error("verify_key: expected the base64 of a 32-byte Ed25519 public key");
  return new Uint8Array(bytes);
}

/**
 * Checks a signed message against an agent's key and parses its JSON with `schema`.
 *
 * @throws DrpError 403 `bad_signature` when the signature does not verify; 400 when the message is not the JSON asked
 */
export async function openSigned<T extends z.ZodType>(
  signed: SignedMessage,
  verifyKey: string,
  schema: T,
): Promise<z.output<T>> {
  let ok = false;
  try {
    ok = await verifyAsync(signed.signature, signed.message, decodeVerifyKey(verifyKey), { zip215: false });
  } catch {
    ok = false;
  }
  if (!ok) throw new DrpError(403, "the signature does not verify with the agent's key", "bad_signature");
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(signed.message), (k, v) => {
      if (k === "__proto__") throw new Error("__proto__");
      return v as unknown;
    });
  } catch {
    throw new DrpError(400, "the signed message is not JSON", "not_json");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new DrpError(
      400,
      parsed.error.issues.map((i) => `${["message", ...i.path.map(String)].join(".")}: ${i.message}`).join("; "),
      "invalid_message",
    );
  return parsed.data;
}

/** How far a sender's clock may run ahead of this server's before `issued-at` is refused as in the future. */
export const CLOCK_SKEW_MS = 60_000;
/** The longest life a signed message may claim: DRP recommends ten minutes; anything past an hour is refused. */
export const MAX_MESSAGE_LIFE_MS = 60 * 60_000;

/**
 * The checks of § 3.07 after the signature: the agent named is the one the key belongs to, the business is this one,
 * and now lies between `issued-at` and `expires-at`.
 */
export function checkEnvelope(
  m: { "agent-id"?: string; "business-id"?: string; "issued-at"?: string; "expires-at"?: string },
  expected: { agentId: string; businessId: string },
  now: Date,
): void {
  if (m["agent-id"] !== undefined && m["agent-id"] !== expected.agentId)
    throw new DrpError(403, "agent-id: not the agent this token or key belongs to", "agent_mismatch");
  if (m["business-id"] !== undefined && m["business-id"] !== expected.businessId)
    throw new DrpError(403, `business-id: this is ${expected.businessId}`, "business_mismatch");
  if (m["issued-at"] === undefined || m["expires-at"] === undefined) return;
  const issued = Date.parse(m["issued-at"]);
  const expires = Date.parse(m["expires-at"]);
  if (issued > now.getTime() + CLOCK_SKEW_MS)
    throw new DrpError(403, "issued-at: in the future (check the agent's clock)", "not_yet_valid");
  if (expires <= now.getTime()) throw new DrpError(403, "expires-at: the signed message has expired", "expired", true);
  if (expires - issued > MAX_MESSAGE_LIFE_MS)
    throw new DrpError(403, "expires-at: more than an hour after issued-at; sign messages for minutes", "too_long");
}
