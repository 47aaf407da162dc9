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

/** "a" or "an", by the sound the role's name starts with (an officer, a viewer). */
const article = (word: string) => (/^[aeiou]/i.test(word) ? "an" : "a");

/** Creates a staff user. Passwords need 12 characters or more. */
export async function createUser(
  store: Store,
  input: { email: string; name: string; role: Role; password: string; mustChangePassword?: boolean },
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
      must_change_password: input.mustChangePassword ? 1 : 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await appendAudit(store, { actor, action: "user.created", subject: email, data: { role: input.role } });
  return { id: Number(row.id), email, name: input.name, role: input.role };
}

/**
 * Creates the first owner of an empty store, once however many servers start together: the insert names the email,
 * and only a store without users takes it. Returns the user when this call made it, undefined when a user existed.
 */
export async function createFirstOwner(
  store: Store,
  input: { email: string; name: string; password: string; mustChangePassword?: boolean },
  actor = "cli",
): Promise<StaffUser | undefined> {
  if (input.password.length < 12) throw new AuthError("the password must have at least 12 characters");
  const email = input.email.trim().toLowerCase();
  if (await store.db.selectFrom("users").select("id").limit(1).executeTakeFirst()) return undefined;
  const row = await store.db
    .insertInto("users")
    .values({
      email,
      name: input.name,
      role: "owner",
      password_hash: await hashPassword(input.password),
      created_at: new Date().toISOString(),
      must_change_password: input.mustChangePassword ? 1 : 0,
    })
    .onConflict((oc) => oc.column("email").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) return undefined;
  await appendAudit(store, { actor, action: "user.created", subject: email, data: { role: "owner" } });
  return { id: Number(row.id), email, name: input.name, role: "owner" };
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

/** Where a session stands in signing in: only a `full` session reaches the console. */
export type SessionStage = "password" | "mfa" | "enroll" | "full";

/** Opens a session; returns the cookie value (never stored) and its CSRF token. */
export async function createSession(
  store: Store,
  user: StaffUser,
  options: { stage?: SessionStage; ip?: string; userAgent?: string } = {},
): Promise<{ token: string; csrf: string }> {
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
      stage: options.stage ?? "full",
      last_seen_at: now.toISOString(),
      ip: options.ip ?? null,
      user_agent: options.userAgent?.slice(0, 300) ?? null,
      public_id: randomBytes(9).toString("base64url"),
    })
    .execute();
  await appendAudit(store, {
    actor: `user:${user.email}`,
    action: "session.opened",
    data: { stage: options.stage ?? "full" },
  });
  return { token, csrf };
}

/** Moves a session to its next sign-in stage (the cookie stays the same). */
export async function setSessionStage(store: Store, token: string, stage: SessionStage): Promise<void> {
  await store.db.updateTable("sessions").set({ stage }).where("id_hash", "=", sha256(token)).execute();
}

export interface Principal {
  user: StaffUser;
  /** Present for cookie sessions: unsafe requests must echo it. */
  csrf?: string;
  via: "session" | "token";
  /** For sessions: how far signing in has come; only `full` reaches the console. */
  stage?: SessionStage;
  /** For sessions: the id its owner sees it by. */
  sessionId?: string;
}

/** How often a session's last-seen time is written: at most once a minute, not on every request. */
const SEEN_EVERY_MS = 60_000;

/** The staff member behind a session cookie, if the session is live and its user not disabled. */
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
      "sessions.stage",
      "sessions.last_seen_at",
      "sessions.public_id",
    ])
    .where("sessions.id_hash", "=", sha256(token))
    .executeTakeFirst();
  const now = new Date();
  if (!row || row.disabled || row.expires_at < now.toISOString()) return undefined;
  if (!row.last_seen_at || Date.parse(row.last_seen_at) < now.getTime() - SEEN_EVERY_MS)
    await store.db
      .updateTable("sessions")
      .set({ last_seen_at: now.toISOString() })
      .where("id_hash", "=", sha256(token))
      .execute();
  return {
    user: { id: Number(row.id), email: row.email, name: row.name, role: row.role as Role },
    csrf: row.csrf_token,
    via: "session",
    stage: row.stage as SessionStage,
    sessionId: row.public_id ?? undefined,
  };
}

export async function deleteSession(store: Store, token: string): Promise<void> {
  await store.db.deleteFrom("sessions").where("id_hash", "=", sha256(token)).execute();
}

/** Creates an API token for a machine; the token is shown once. */
export async function createApiToken(
  store: Store,
  name: string,
  role: Role,
  actor = "cli",
  owner?: StaffUser,
): Promise<string> {
  if (!ROLES.includes(role)) throw new AuthError(`role must be one of ${ROLES.join(", ")}`);
  if (owner && !hasRole(owner.role, role))
    throw new AuthError(`${article(owner.role)} ${owner.role} cannot make ${article(role)} ${role} token`);
  const token = `plg_${randomBytes(30).toString("base64url")}`;
  await store.db
    .insertInto("api_tokens")
    .values({ name, token_hash: sha256(token), role, created_at: new Date().toISOString(), user_id: owner?.id ?? null })
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
  let role = row.role as Role;
  if (row.user_id !== null) {
    // A user's token stops with the user, and never does more than the user's role now allows.
    const owner = await store.db
      .selectFrom("users")
      .select(["role", "disabled"])
      .where("id", "=", row.user_id)
      .executeTakeFirst();
    if (!owner || owner.disabled) return undefined;
    if (!hasRole(owner.role, role)) role = owner.role as Role;
  }
  await store.db
    .updateTable("api_tokens")
    .set({ last_used_at: new Date().toISOString() })
    .where("id", "=", row.id)
    .execute();
  return {
    user: { id: -Number(row.id), email: `token:${row.name}`, name: row.name, role },
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

/** A place taken under rate limits: `reached` names the limit that refused it; `release` gives the place back. */
export interface RateTaken {
  reached?: RateLimit;
  /** Forgets this event (a try that turned out not to count: a right password, a mail that could not be sent). */
  release(): Promise<void>;
}

/**
 * Takes a place under each limit, safely when requests arrive at once: the event is recorded first and the limit
 * checked after, counting every event recorded so far, so however many arrive together, at most `max` pass. A refused
 * event is forgotten at once.
 *
 * ```ts
 * const t = await takeRateLimits(store, [{ key: `code:${email}`, max: 5, windowMs: 3600_000 }], now);
 * if (t.reached) throw new Error("too many");
 * ```
 */
export async function takeRateLimits(store: Store, limits: RateLimit[], now: Date): Promise<RateTaken> {
  const ids: number[] = [];
  for (const l of limits)
    ids.push(
      (
        await store.db
          .insertInto("rate_events")
          .values({ key: l.key, at: now.toISOString() })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id,
    );
  const release = async () => {
    if (ids.length) await store.db.deleteFrom("rate_events").where("id", "in", ids).execute();
    ids.length = 0;
  };
  for (const l of limits) {
    if ((await countRateEvents(store, l, now)) > l.max) {
      await release();
      return { reached: l, release };
    }
  }
  return { release };
}

/**
 * Counts an event against each limit; returns the first limit exceeded,
 * recording nothing then. Used where the event costs something whether or
 * not it succeeds (a code try).
 */
export async function hitRateLimits(store: Store, limits: RateLimit[], now: Date): Promise<RateLimit | undefined> {
  return (await takeRateLimits(store, limits, now)).reached;
}

export type SignInResult =
  | { ok: true; user: StaffUser; token: string; stage: SessionStage }
  | { ok: false; reason: "rate_limited" | "wrong" };

const SIGN_IN_WINDOW = 15 * 60_000;
/**
 * Failed sign-ins of one address, from every network, beyond which each try waits: it slows a spread-out guesser.
 */
const SLOW_AFTER = 10;
const MAX_DELAY_MS = 3000;
/**
 * Failed sign-ins of one address, from every network, after which it is refused until the window passes: a guesser
 * with many networks gets no more tries than this. An owner locked out so is let in by `pledge users reset`.
 */
const EMAIL_CAP = 50;

/**
 * Signs a staff member in. Wrong passwords are limited per network address
 * (30 in 15 minutes), per pair of email and network address (10), so that
 * nobody can lock another person out from one network by failing on their
 * email, and per email from anywhere (50). Failures for one email beyond 10
 * slow every further try by up to 3 s. Each try takes its place under the
 * limits before the password is checked, so tries that arrive at once are
 * counted as they come; a right password gives its place back. On success, a
 * new session whose cookie value is returned.
 */
export async function signIn(
  store: Store,
  input: { email: string; password: string; ip?: string; userAgent?: string; twoFactorFor?: readonly Role[] },
  now: Date = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const ip = input.ip ?? "unknown";
  const byEmail: RateLimit = { key: `login:email:${sha256(email)}`, max: EMAIL_CAP, windowMs: SIGN_IN_WINDOW };
  const limits: RateLimit[] = [
    { key: `login:ip:${ip}`, max: 30, windowMs: SIGN_IN_WINDOW },
    { key: `login:pair:${sha256(`${email}\u0000${ip}`)}`, max: 10, windowMs: SIGN_IN_WINDOW },
    byEmail,
  ];
  const taken = await takeRateLimits(store, limits, now);
  if (taken.reached) return { ok: false, reason: "rate_limited" };
  // This try is among the events counted: the tries before it decide its wait.
  const failures = (await countRateEvents(store, byEmail, now)) - 1;
  if (failures >= SLOW_AFTER)
    await new Promise((r) => setTimeout(r, Math.min(MAX_DELAY_MS, 250 * (failures - SLOW_AFTER + 1))));
  const user = await authenticate(store, email, input.password);
  if (!user) return { ok: false, reason: "wrong" };
  await taken.release();
  const stage = await signInStage(store, user, input.twoFactorFor ?? []);
  const { token } = await createSession(store, user, { stage, ip: input.ip, userAgent: input.userAgent });
  await store.db.updateTable("users").set({ last_sign_in_at: now.toISOString() }).where("id", "=", user.id).execute();
  return { ok: true, user, token, stage };
}

/** The first stage of a new session: a code first when the user has a second factor, then what is left. */
async function signInStage(store: Store, user: StaffUser, twoFactorFor: readonly Role[]): Promise<SessionStage> {
  const u = await store.db.selectFrom("users").select("totp_secret").where("id", "=", user.id).executeTakeFirst();
  return u?.totp_secret ? "mfa" : stageAfterSecondFactor(store, user, twoFactorFor);
}

/**
 * What a session still needs once its code is given (or none was needed): a new password when the current one
 * was issued by someone else, then a second factor where the declaration requires one for the user's role.
 */
export async function stageAfterSecondFactor(
  store: Store,
  user: StaffUser,
  twoFactorFor: readonly Role[],
): Promise<SessionStage> {
  const u = await store.db
    .selectFrom("users")
    .select(["must_change_password", "totp_secret", "role"])
    .where("id", "=", user.id)
    .executeTakeFirst();
  if (!u) return "password";
  if (u.must_change_password) return "password";
  if (!u.totp_secret && twoFactorFor.includes(u.role as Role)) return "enroll";
  return "full";
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
