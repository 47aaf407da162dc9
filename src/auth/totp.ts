/**
 * The TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s, one step of drift either way) and its recovery codes.
 * A code is accepted once: the last time step used is kept. Recovery codes are random, shown once, stored as
 * SHA-256 hashes and spent on use. The TOTP secret must be read back to check a code, so it cannot be hashed: it is
 * sealed with AES-256-GCM under a key derived from the organization key (PLEDGE_SECRET where set, so that a copy of
 * the database alone does not give the secrets), bound to its user's row.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { renderSVG } from "uqr";
import { appendAudit } from "../audit/index.js";
import { getSecret, type Store } from "../store/index.js";
import { AuthError, type Role, type StaffUser, safeEqual, sha256 } from "./staff.js";

const PERIOD = 30;
const SEALED = "v1.";

async function sealKey(store: Store, pledgeSecret: string | undefined): Promise<Buffer> {
  const orgKey = await getSecret(store, "org_key", pledgeSecret);
  return createHmac("sha256", orgKey).update("pledge totp secret v1").digest();
}

/** Seals a TOTP secret for a user's row: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
async function sealSecret(store: Store, userId: number, secret: string, pledgeSecret?: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await sealKey(store, pledgeSecret), iv);
  cipher.setAAD(Buffer.from(`user:${userId}`));
  const ct = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return SEALED + [iv, cipher.getAuthTag(), ct].map((b) => b.toString("base64url")).join(".");
}

/**
 * Opens a sealed secret; one stored before sealing (base32 only) is read as it is.
 *
 * @throws AuthError when it cannot be opened: the key changed, or the value was moved to another user's row
 */
async function openSecret(store: Store, userId: number, stored: string, pledgeSecret?: string): Promise<string> {
  if (!stored.startsWith(SEALED)) return stored;
  const [iv, tag, ct] = stored
    .slice(SEALED.length)
    .split(".")
    .map((p) => Buffer.from(p, "base64url"));
  try {
    const decipher = createDecipheriv("aes-256-gcm", await sealKey(store, pledgeSecret), iv);
    decipher.setAAD(Buffer.from(`user:${userId}`));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString("utf8");
  } catch {
    throw new AuthError(
      "the second factor cannot be read with this server's key (PLEDGE_SECRET changed?); an owner can reset it " +
        "with pledge users reset",
    );
  }
}
const RECOVERY_CODES = 10;

const totpFor = (secret: string, issuer: string, email: string) =>
  new TOTP({ issuer, label: email, secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: PERIOD });

/** What a person needs to add the account to an authenticator app: the URI, its QR code as SVG, and the secret. */
export interface TotpEnrolment {
  uri: string;
  qrSvg: string;
  secret: string;
}

/**
 * Starts enrolment: a new secret, pending until the first code confirms it (a scan that failed leaves the current
 * factor, if any, in force).
 */
export async function startTotpEnrolment(
  store: Store,
  user: StaffUser,
  issuer: string,
  pledgeSecret?: string,
): Promise<TotpEnrolment> {
  const secret = new Secret({ size: 20 }).base32;
  const sealed = await sealSecret(store, user.id, secret, pledgeSecret);
  await store.db.updateTable("users").set({ totp_pending: sealed }).where("id", "=", user.id).execute();
  return enrolmentOf(secret, issuer, user.email);
}

/** The pending enrolment, to show it again (a reload of the page), or undefined. */
export async function pendingTotpEnrolment(
  store: Store,
  user: StaffUser,
  issuer: string,
  pledgeSecret?: string,
): Promise<TotpEnrolment | undefined> {
  const u = await store.db.selectFrom("users").select("totp_pending").where("id", "=", user.id).executeTakeFirst();
  return u?.totp_pending
    ? enrolmentOf(await openSecret(store, user.id, u.totp_pending, pledgeSecret), issuer, user.email)
    : undefined;
}

function enrolmentOf(secret: string, issuer: string, email: string): TotpEnrolment {
  const uri = totpFor(secret, issuer, email).toString();
  return { uri, qrSvg: renderSVG(uri, { border: 2 }), secret };
}

/** The time step a code matches (within one step either way), or undefined. */
function matchingStep(secret: string, code: string, now: Date): number | undefined {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = totpFor(secret, "x", "x").validate({ token, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/**
 * Confirms a pending enrolment with a code from the app; returns the recovery codes, shown once. Replaces any
 * earlier factor and earlier recovery codes.
 *
 * @throws AuthError when nothing is pending or the code is wrong
 */
export async function confirmTotpEnrolment(
  store: Store,
  user: StaffUser,
  code: string,
  now: Date = new Date(),
  pledgeSecret?: string,
): Promise<string[]> {
  const u = await store.db.selectFrom("users").select("totp_pending").where("id", "=", user.id).executeTakeFirst();
  if (!u?.totp_pending) throw new AuthError("start the set-up again: no second factor is waiting for a code");
  const step = matchingStep(await openSecret(store, user.id, u.totp_pending, pledgeSecret), code, now);
  if (step === undefined) throw new AuthError("that code is not the one the app shows now; try the next one");
  const codes = Array.from({ length: RECOVERY_CODES }, () => recoveryCode());
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({
        totp_secret: u.totp_pending,
        totp_pending: null,
        totp_enabled_at: now.toISOString(),
        totp_last_step: step,
      })
      .where("id", "=", user.id)
      .execute();
    await trx.deleteFrom("recovery_codes").where("user_id", "=", user.id).execute();
    await trx
      .insertInto("recovery_codes")
      .values(codes.map((c) => ({ user_id: user.id, code_hash: sha256(normalizeRecovery(c)), used_at: null })))
      .execute();
  });
  await appendAudit(store, { actor: `user:${user.email}`, action: "user.two_factor_enabled", subject: user.email });
  return codes;
}

/** `xxxxx-xxxxx` from an alphabet without look-alikes: 50 bits, enough for a hash that is never salted. */
function recoveryCode(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

const normalizeRecovery = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, "");

/**
 * Checks a second factor at sign-in: a current TOTP code (each accepted once), or an unused recovery code (spent).
 * Returns how it was given, or undefined when neither matches.
 */
export async function verifySecondFactor(
  store: Store,
  user: StaffUser,
  code: string,
  now: Date = new Date(),
  pledgeSecret?: string,
): Promise<"totp" | "recovery" | undefined> {
  const u = await store.db
    .selectFrom("users")
    .select(["totp_secret", "totp_last_step"])
    .where("id", "=", user.id)
    .executeTakeFirst();
  if (!u?.totp_secret) return undefined;
  const step = matchingStep(await openSecret(store, user.id, u.totp_secret, pledgeSecret), code, now);
  if (step !== undefined) {
    // The update only succeeds for a step later than the last one used: a code seen over a shoulder is spent.
    const r = await store.db
      .updateTable("users")
      .set({ totp_last_step: step })
      .where("id", "=", user.id)
      .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? "totp" : undefined;
  }
  const hash = sha256(normalizeRecovery(code));
  const unused = await store.db
    .selectFrom("recovery_codes")
    .select(["id", "code_hash"])
    .where("user_id", "=", user.id)
    .where("used_at", "is", null)
    .execute();
  const match = unused.find((r) => safeEqual(r.code_hash, hash));
  if (!match) return undefined;
  const spent = await store.db
    .updateTable("recovery_codes")
    .set({ used_at: now.toISOString() })
    .where("id", "=", match.id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) return undefined;
  await appendAudit(store, {
    actor: `user:${user.email}`,
    action: "user.recovery_code_used",
    subject: user.email,
    data: { left: unused.length - 1 },
  });
  return "recovery";
}

/** Whether the user has a second factor, and how many recovery codes are left. */
export async function twoFactorStatus(
  store: Store,
  userId: number,
): Promise<{ enabled: boolean; since?: string; recoveryLeft: number }> {
  const u = await store.db.selectFrom("users").select("totp_enabled_at").where("id", "=", userId).executeTakeFirst();
  const left = await store.db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return u?.totp_enabled_at
    ? { enabled: true, since: u.totp_enabled_at, recoveryLeft: Number(left?.n ?? 0) }
    : { enabled: false, recoveryLeft: 0 };
}

/**
 * Removes a user's own second factor. Refused where the declaration requires one for the user's role.
 *
 * @throws AuthError when it is required
 */
export async function removeTwoFactor(store: Store, user: StaffUser, requiredFor: readonly Role[]): Promise<void> {
  if (requiredFor.includes(user.role))
    throw new AuthError(`a second factor is required for the ${user.role} role; set up a new one instead`);
  await clearTwoFactor(store, user.id);
  await appendAudit(store, { actor: `user:${user.email}`, action: "user.two_factor_removed", subject: user.email });
}

/** Forgets a user's second factor and recovery codes (a reset). */
export async function clearTwoFactor(store: Store, userId: number): Promise<void> {
  await store.db
    .updateTable("users")
    .set({ totp_secret: null, totp_pending: null, totp_enabled_at: null, totp_last_step: null })
    .where("id", "=", userId)
    .execute();
  await store.db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
}
