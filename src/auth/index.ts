/**
 * Staff authentication and authorization: users with scrypt-hashed passwords,
 * sessions with a CSRF token each, API tokens for machines, and four roles.
 * Secrets (passwords, session ids, tokens) are stored only as hashes.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { appendAudit } from "../audit/index.js";
import type { Store } from "../store/index.js";

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  keylen: number,
  opts: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

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
  const got = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(expected, got);
}

/** The SHA-256 of text or bytes, as hex. */
export const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

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
export async function createUser(
  store: Store,
  input: { email: string; name: string; role: Role; password: string },
  actor = "cli",
): Promise<StaffUser> {
  if (input.password.length < 12) throw new AuthError("the password must have at least 12 characters");
  if (!ROLES.includes(input.role)) throw new AuthError(`role must be one of ${ROLES.join(", ")}`);
  const email = input.email.trim().toLowerCase();
  const existing = await store.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (existing) throw new AuthError(`a user ${email} already exists`);
  const row = await store.db
    .insertInto("users")
    .values({
      email,
      name: input.name,
      role: input.role,
      password_hash: await hashPassword(input.password),
      created_at: new Date().toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await appendAudit(store, { actor, action: "user.created", subject: email, data: { role: input.role } });
  return { id: Number(row.id), email, name: input.name, role: input.role };
}

/** The user with this email and password, or undefined. Takes the same time whether or not the user exists. */
export async function authenticate(store: Store, email: string, password: string): Promise<StaffUser | undefined> {
  const u = await store.db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", email.trim().toLowerCase())
    .where("disabled", "=", 0)
    .executeTakeFirst();
  const ok = await verifyPassword(
    password,
    u?.password_hash ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
  );
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
    .values({
      id_hash: sha256(token),
      user_id: user.id,
      csrf_token: csrf,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
    })
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
    .select([
      "users.id",
      "users.email",
      "users.name",
      "users.role",
      "users.disabled",
      "sessions.csrf_token",
      "sessions.expires_at",
    ])
    .where("sessions.id_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row || row.disabled || row.expires_at < new Date().toISOString()) return undefined;
  return {
    user: { id: Number(row.id), email: row.email, name: row.name, role: row.role as Role },
    csrf: row.csrf_token,
    via: "session",
  };
}

export async function deleteSession(store: Store, token: string): Promise<void> {
  await store.db.deleteFrom("sessions").where("id_hash", "=", sha256(token)).execute();
}

/** Creates an API token for a machine; the token is shown once. */
export async function createApiToken(store: Store, name: string, role: Role, actor = "cli"): Promise<string> {
  if (!ROLES.includes(role)) throw new AuthError(`role must be one of ${ROLES.join(", ")}`);
  const token = `plg_${randomBytes(30).toString("base64url")}`;
  await store.db
    .insertInto("api_tokens")
    .values({ name, token_hash: sha256(token), role, created_at: new Date().toISOString() })
    .execute();
  await appendAudit(store, { actor, action: "token.created", subject: name, data: { role } });
  return token;
}

/** The channel on which a revocation tells every server to forget the tokens it cached. */
export const TOKENS_CHANNEL = "tokens";

export interface ApiTokenInfo {
  id: number;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

/** The API tokens, without their secrets. */
export async function listApiTokens(store: Store): Promise<ApiTokenInfo[]> {
  const rows = await store.db
    .selectFrom("api_tokens")
    .select(["id", "name", "role", "created_at", "last_used_at", "revoked"])
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    role: r.role,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revoked: !!r.revoked,
  }));
}

/**
 * Revokes the live API tokens with this id or name; returns how many. The
 * revoking process forgets them at once, and so does every server on a
 * PostgreSQL store (a signal); a server on another process of a SQLite store
 * stops accepting them when its cache entry expires (TOKEN_CACHE_MS).
 */
export async function revokeApiToken(store: Store, idOrName: string, actor = "cli"): Promise<number> {
  let q = store.db.updateTable("api_tokens").set({ revoked: 1 }).where("revoked", "=", 0);
  q = /^\d+$/.test(idOrName) ? q.where("id", "=", Number(idOrName)) : q.where("name", "=", idOrName);
  const n = Number((await q.executeTakeFirst()).numUpdatedRows);
  if (n) {
    await appendAudit(store, { actor, action: "token.revoked", subject: idOrName, data: { count: n } });
    await store.signal(TOKENS_CHANNEL);
  }
  return n;
}

/**
 * How long a server trusts a token it looked up: the longest a revocation from another process of a SQLite store takes
 * to bite.
 */
export const TOKEN_CACHE_MS = 10_000;

/** The machine behind a bearer token, if it is live. */
export async function tokenPrincipal(store: Store, token: string): Promise<Principal | undefined> {
  const row = await store.db
    .selectFrom("api_tokens")
    .selectAll()
    .where("token_hash", "=", sha256(token))
    .where("revoked", "=", 0)
    .executeTakeFirst();
  if (!row) return undefined;
  await store.db
    .updateTable("api_tokens")
    .set({ last_used_at: new Date().toISOString() })
    .where("id", "=", row.id)
    .execute();
  return {
    user: { id: -Number(row.id), email: `token:${row.name}`, name: row.name, role: row.role as Role },
    via: "token",
  };
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
 * The first limit that is used up, or undefined (counted in the store, so
 * every server shares the count). Nothing is recorded: see `recordRateEvents`.
 */
export async function rateLimitReached(store: Store, limits: RateLimit[], now: Date): Promise<RateLimit | undefined> {
  for (const l of limits) if ((await countRateEvents(store, l, now)) >= l.max) return l;
  return undefined;
}

/** Counts one event against each limit. */
export async function recordRateEvents(store: Store, limits: RateLimit[], now: Date): Promise<void> {
  for (const l of limits)
    await store.db.insertInto("rate_events").values({ key: l.key, at: now.toISOString() }).execute();
}

/**
 * Forgets rate events older than `before`: they hold network addresses, and no limit looks back further than an hour.
 */
export async function pruneRateEvents(store: Store, before: Date): Promise<number> {
  const r = await store.db.deleteFrom("rate_events").where("at", "<", before.toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}

/**
 * Counts an event against each limit; returns the first limit exceeded,
 * recording nothing then. Used where the event costs something whether or
 * not it succeeds (a code try).
 */
export async function hitRateLimits(store: Store, limits: RateLimit[], now: Date): Promise<RateLimit | undefined> {
  const reached = await rateLimitReached(store, limits, now);
  if (!reached) await recordRateEvents(store, limits, now);
  return reached;
}

export type SignInResult =
  | { ok: true; user: StaffUser; token: string }
  | { ok: false; reason: "rate_limited" | "wrong" };

const SIGN_IN_WINDOW = 15 * 60_000;
/**
 * Failed sign-ins of one address, from every network, beyond which each try waits: it slows a spread-out guesser and
 * never locks the owner out.
 */
const SLOW_AFTER = 10;
const MAX_DELAY_MS = 3000;

/**
 * Signs a staff member in. Wrong passwords are limited per network address
 * (30 in 15 minutes) and per pair of email and network address (10), so
 * that nobody can lock another person out by failing on their email: the
 * owner, from their own network, still signs in. Failures for one email from
 * anywhere beyond 10 slow every further try by up to 3 s. On success, a new
 * session whose cookie value is returned.
 */
export async function signIn(
  store: Store,
  input: { email: string; password: string; ip?: string },
  now: Date = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const ip = input.ip ?? "unknown";
  const limits: RateLimit[] = [
    { key: `login:ip:${ip}`, max: 30, windowMs: SIGN_IN_WINDOW },
    { key: `login:pair:${sha256(`${email}\u0000${ip}`)}`, max: 10, windowMs: SIGN_IN_WINDOW },
  ];
  if (await rateLimitReached(store, limits, now)) return { ok: false, reason: "rate_limited" };
  const byEmail: RateLimit = { key: `login:email:${sha256(email)}`, max: SLOW_AFTER, windowMs: SIGN_IN_WINDOW };
  const failures = await countRateEvents(store, byEmail, now);
  if (failures >= SLOW_AFTER)
    await new Promise((r) => setTimeout(r, Math.min(MAX_DELAY_MS, 250 * (failures - SLOW_AFTER + 1))));
  const user = await authenticate(store, email, input.password);
  if (!user) {
    await recordRateEvents(store, [...limits, byEmail], now);
    return { ok: false, reason: "wrong" };
  }
  const { token } = await createSession(store, user);
  return { ok: true, user, token };
}

async function countRateEvents(store: Store, l: RateLimit, now: Date): Promise<number> {
  const since = new Date(now.getTime() - l.windowMs).toISOString();
  const row = await store.db
    .selectFrom("rate_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("key", "=", l.key)
    .where("at", ">", since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
