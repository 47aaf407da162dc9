/**
 * A person's identities as Pledge keeps them: canonical values while a request
 * runs; afterwards only their HMACs (what flags and legal holds match) and
 * masked forms for display.
 */
import { createHmac } from "node:crypto";
import { normalizeIdentity, phoneRegions, type Declaration } from "../declaration/index.js";
import { getSecret, type Store } from "../store/index.js";

export interface HashContext {
  store: Store;
  env: Record<string, string | undefined>;
  /** For the region phone numbers without a country code are read in. */
  declaration?: () => Declaration;
}

/** `a***@example.com` */
export function maskEmail(email: string): string {
  const [local, domain] = email.split("@");
  return `${local.slice(0, 1)}***@${domain ?? ""}`;
}

/** An identity as staff and the person see it once redacted: `a***@example.com`, `***5296`, `1***`. */
export function maskIdentity(type: string, value: string): string {
  if (value.includes("@")) return maskEmail(value);
  if (type === "phone") return `***${value.replace(/\D/g, "").slice(-4)}`;
  return `${value.slice(0, 1)}***`;
}

/**
 * The HMAC of an identity under the organization's key: how flags and holds
 * find a person without storing who they are. Values are canonical first, so
 * `Ada@Example.net` and `ada@example.net`, or two formats of one phone number,
 * hash alike.
 */
export async function identityHash(ctx: HashContext, type: string, value: string): Promise<string> {
  const key = await getSecret(ctx.store, "org_key", ctx.env.PLEDGE_SECRET);
  const decl = ctx.declaration?.();
  const region = decl ? phoneRegions(decl) : undefined;
  return createHmac("sha256", key)
    .update(`${type}:${normalizeIdentity(type, value, region).toLowerCase()}`)
    .digest("hex");
}

/** The hashes of every identity in a set. */
export async function hashIdentities(ctx: HashContext, identities: Record<string, string[]>): Promise<string[]> {
  return Promise.all(
    Object.entries(identities).flatMap(([type, values]) => values.map((v) => identityHash(ctx, type, v))),
  );
}
