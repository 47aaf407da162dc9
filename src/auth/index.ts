/**
 * Staff authentication and authorization: users with scrypt-hashed passwords,
 * sessions with a CSRF token each, API tokens for machines, and four roles.
 * Secrets (passwords, session ids, tokens) are stored only as hashes.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { appendAudit } from "../audit/index.js";
import type { Store } from "../store/index.js";

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, keylen: number, opts: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** Roles, weakest first: a role may do everything the ones before it may. */
export const ROLES = ["viewer", "approver", "officer", "owner"] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` includes `needed`. */
export function hasRole(role: string, needed: Role): boolean {
  return ROLES.indexOf(role as Role) >= ROLES.indexOf(needed);
}

const N = 16384;
const R = 8;
const P = 1;

/** `scrypt$N$r$p$salt$hash`, base64 parts. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const got = await scrypt(password, Buffer.from(salt, "base64"), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(expected, got);
}

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** A password or token that is not good enough. */
export class AuthError extends Error {
  readonly code = "AUTH_INVALID";
}

export interface StaffUser {
  id: number;
  email: string;
  name: string;
  role: Role;
}

/** Creates a staff user. Passwords need 12 characters or more. */
export async function createUser(store: Store, input: { email: string; name: string; role: Role; password: string }, actor = "cli"): Promise<StaffUser> {
  if (input.password.length < 12) throw new AuthError("the password must have at least 12 characters");
  if (!ROLES.includes(input.role)) throw new AuthError(`role must be one of ${ROLES.join(", ")}`);
  const email = input.email.trim().toLowerCase();
  const existing = await store.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (existing) throw new AuthError(`a user ${email} already exists`);
  const row = await store.db
    .insertInto("users")
    .values({ email, name: input.name, role: input.role, password_hash: await hashPassword(input.password), created_at: new Date().toISOString() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await appendAudit(store, { actor, action: "user.created", subject: email, data: { role: input.role } });
  return { id: Number(row.id), email, name: input.name, role: input.role };
}

/** The user with this email and password, or undefined. Takes the same time whether or not the user exists. */
export async function authenticate(store: Store, email: string, password: string): Promise<StaffUser | undefined> {
  const u = await store.db.selectFrom("users").selectAll().where("email", "=", email.trim().toLowerCase()).where("disabled", "=", 0).executeTakeFirst();
  const ok = await verifyPassword(password, u?.password_hash ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  return u && ok ? { id: Number(u.id), email: u.email, name: u.name, role: u.role as Role } : undefined;
}

export const SESSION_HOURS = 12;

/** Opens a session; returns the cookie value (never stored) and its CSRF token. */
export async function createSession(store: Store, user: StaffUser): Promise<{ token: string; csrf: string }> {
  const token = randomBytes(32).toString("base64url");
  const csrf = randomBytes(24).toString("base64url");
  const now = new Date();
  await store.db
    .insertInto("sessions")
    .values({ id_hash: sha256(token), user_id: user.id, csrf_token: csrf, created_at: now.toISOString(), expires_at: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString() })
    .execute();
  await appendAudit(store, { actor: `user:${user.email}`, action: "session.opened" });
  return { token, csrf };
}

export interface Principal {
  user: StaffUser;
  /** Present for cookie sessions: unsafe requests must echo it. */
  csrf?: string;
  via: "session" | "token";
}

/** The staff member behind a session cookie, if the session is live. */
export async function sessionPrincipal(store: Store, token: string): Promise<Principal | undefined> {
  const row = await store.db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.email", "users.name", "users.role", "users.disabled", "sessions.csrf_token", "sessions.expires_at"])
    .where("sessions.id_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row || row.disabled || row.expires_at < new Date().toISOString()) return undefined;
  return { user: { id: Number(row.id), email: row.email, name: row.name, role: row.role as Role }, csrf: row.csrf_token, via: "session" };
}

export async function deleteSession(store: Store, token: string): Promise<void> {
  await store.db.deleteFrom("sessions").where("id_hash", "=", sha256(token)).execute();
}

/** Creates an API token for a machine; the token is shown once. */
export async function createApiToken(store: Store, name: string, role: Role, actor = "cli"): Promise<string> {
  if (!ROLES.includes(role)) throw new AuthError(`role must be one of ${ROLES.join(", ")}`);
  const token = `plg_${randomBytes(30).toString("base64url")}`;
  await store.db.insertInto("api_tokens").values({ name, token_hash: sha256(token), role, created_at: new Date().toISOString() }).execute();
  await appendAudit(store, { actor, action: "token.created", subject: name, data: { role } });
  return token;
}

/** The machine behind a bearer token, if it is live. */
export async function tokenPrincipal(store: Store, token: string): Promise<Principal | undefined> {
  const row = await store.db.selectFrom("api_tokens").selectAll().where("token_hash", "=", sha256(token)).where("revoked", "=", 0).executeTakeFirst();
  if (!row) return undefined;
  await store.db.updateTable("api_tokens").set({ last_used_at: new Date().toISOString() }).where("id", "=", row.id).execute();
  return { user: { id: -Number(row.id), email: `token:${row.name}`, name: row.name, role: row.role as Role }, via: "token" };
}

/** Constant-time comparison of two secrets. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface RateLimit {
  key: string;
  max: number;
  windowMs: number;
}

/**
 * Counts an event against each limit (in the store, so every server shares the
 * count); returns the first limit exceeded, recording nothing then. Used for
 * sending verification codes and for signing in.
 */
export async function hitRateLimits(store: Store, limits: RateLimit[], now: Date): Promise<RateLimit | undefined> {
  for (const l of limits) {
    const since = new Date(now.getTime() - l.windowMs).toISOString();
    const row = await store.db.selectFrom("rate_events").select((eb) => eb.fn.countAll<number>().as("n")).where("key", "=", l.key).where("at", ">", since).executeTakeFirst();
    if (Number(row?.n ?? 0) >= l.max) return l;
  }
  for (const l of limits) await store.db.insertInto("rate_events").values({ key: l.key, at: now.toISOString() }).execute();
  return undefined;
}

export type SignInResult = { ok: true; user: StaffUser; token: string } | { ok: false; reason: "rate_limited" | "wrong" };

/**
 * Signs a staff member in: at most 10 tries per address and 30 per network
 * address in 15 minutes; on success, a new session whose cookie value is returned.
 */
export async function signIn(store: Store, input: { email: string; password: string; ip?: string }, now: Date = new Date()): Promise<SignInResult> {
  const window = 15 * 60_000;
  const limited = await hitRateLimits(store, [{ key: `login:email:${input.email.trim().toLowerCase()}`, max: 10, windowMs: window }, ...(input.ip ? [{ key: `login:ip:${input.ip}`, max: 30, windowMs: window }] : [])], now);
  if (limited) return { ok: false, reason: "rate_limited" };
  const user = await authenticate(store, input.email, input.password);
  if (!user) return { ok: false, reason: "wrong" };
  const { token } = await createSession(store, user);
  return { ok: true, user, token };
}
