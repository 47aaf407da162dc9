/**
 * The accounts an owner manages and each user's own: invitations and resets by a single-use link (mailed to the
 * user's own address, kept as a hash), roles, disabling (sessions and the user's API tokens stop at once), password
 * changes, the sessions a user sees and revokes, and the one-time password the CLI prints for a locked-out owner.
 */
import { randomBytes } from "node:crypto";
import { appendAudit } from "../audit/index.js";
import type { Mailer } from "../mail/index.js";
import type { Store } from "../store/index.js";
import {
  AuthError,
  createSession,
  hashPassword,
  ROLES,
  type Role,
  type SessionStage,
  type StaffUser,
  sha256,
  stageAfterSecondFactor,
  TOKENS_CHANNEL,
  verifyPassword,
} from "./staff.js";
import { clearTwoFactor } from "./totp.js";

/** How long an invitation or reset link works. */
export const LINK_HOURS = 72;

/** A staff member as the owner's list shows them. */
export interface StaffAccount extends StaffUser {
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  twoFactor: boolean;
  /** Invited or reset, and no password chosen yet. */
  pending: boolean;
}

/** Every staff member, owners first. */
export async function listUsers(store: Store): Promise<StaffAccount[]> {
  const rows = await store.db.selectFrom("users").selectAll().orderBy("id").execute();
  return rows
    .map((u) => ({
      id: Number(u.id),
      email: u.email,
      name: u.name,
      role: u.role as Role,
      disabled: !!u.disabled,
      createdAt: u.created_at,
      lastSignInAt: u.last_sign_in_at,
      twoFactor: !!u.totp_secret,
      pending: u.password_hash === "",
    }))
    .sort((a, b) => ROLES.indexOf(b.role) - ROLES.indexOf(a.role) || a.id - b.id);
}

async function userById(store: Store, id: number): Promise<StaffAccount> {
  const u = (await listUsers(store)).find((x) => x.id === id);
  if (!u) throw new AuthError(`no user ${id}`);
  return u;
}

/** The actor an audit entry names for a staff member. */
const actorOf = (by: StaffUser | string) => (typeof by === "string" ? by : `user:${by.email}`);

async function issueLink(store: Store, userId: number, purpose: "invite" | "reset", now: Date): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  // A new link replaces every earlier one of the user's: only the latest mail works.
  await store.db.deleteFrom("user_links").where("user_id", "=", userId).where("used_at", "is", null).execute();
  await store.db
    .insertInto("user_links")
    .values({
      user_id: userId,
      purpose,
      token_hash: sha256(token),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + LINK_HOURS * 3600_000).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

/** What inviting and resetting need: the store, a mailer, and where the console is served. */
export interface AccountsContext {
  store: Store;
  mailer: Mailer;
  publicUrl: string;
  organization: string;
  clock?: () => Date;
}

/**
 * Invites a staff member: the account exists at once, without a password, and a single-use link to choose one
 * goes to the address given (the account's own: whoever opens it signs in as that address).
 *
 * @throws AuthError for a taken address or an unknown role; MailError when the mail could not be sent (nothing
 *   is kept then)
 */
export async function inviteUser(
  ctx: AccountsContext,
  input: { email: string; name: string; role: Role },
  by: StaffUser,
): Promise<StaffAccount> {
  const now = ctx.clock?.() ?? new Date();
  const email = input.email.trim().toLowerCase();
  if (!ROLES.includes(input.role)) throw new AuthError(`role must be one of ${ROLES.join(", ")}`);
  if (await ctx.store.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst())
    throw new AuthError(`a user ${email} already exists`);
  const row = await ctx.store.db
    .insertInto("users")
    .values({
      email,
      name: input.name.trim() || email,
      role: input.role,
      password_hash: "",
      created_at: now.toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  try {
    const token = await issueLink(ctx.store, id, "invite", now);
    await ctx.mailer.send({
      to: email,
      subject: `You are invited to the privacy console of ${ctx.organization}`,
      text:
        `${by.name} invited you to ${ctx.organization}'s privacy console as ` +
        `${input.role}.\n\nChoose your password here (the link works once, for ` +
        `${LINK_HOURS} hours):\n${ctx.publicUrl}/admin/welcome/${token}\n\nIf you did ` +
        `not expect this, ignore this mail.\n`,
    });
  } catch (err) {
    await ctx.store.db.deleteFrom("user_links").where("user_id", "=", id).execute();
    await ctx.store.db.deleteFrom("users").where("id", "=", id).execute();
    throw err;
  }
  await appendAudit(ctx.store, {
    actor: actorOf(by),
    action: "user.invited",
    subject: email,
    data: { role: input.role },
  });
  return userById(ctx.store, id);
}

/**
 * An owner resets a user: the password and second factor are cleared, every session and the user's API tokens
 * stop, and a single-use link to choose a new password goes to the user's own address.
 */
export async function resetUserByMail(ctx: AccountsContext, userId: number, by: StaffUser): Promise<void> {
  const now = ctx.clock?.() ?? new Date();
  const user = await userById(ctx.store, userId);
  const token = await issueLink(ctx.store, userId, "reset", now);
  await ctx.mailer.send({
    to: user.email,
    subject: `Reset your password for the privacy console of ${ctx.organization}`,
    text:
      `${by.name} reset your access to ${ctx.organization}'s privacy ` +
      `console.\n\nChoose a new password here (the link works once, for ${LINK_HOURS}` +
      ` hours):\n${ctx.publicUrl}/admin/welcome/${token}\n\nYour second factor was ` +
      `removed: set it up again after signing in.\n`,
  });
  await ctx.store.db
    .updateTable("users")
    .set({ password_hash: "", must_change_password: 0 })
    .where("id", "=", userId)
    .execute();
  await clearTwoFactor(ctx.store, userId);
  await endSessions(ctx.store, userId);
  await appendAudit(ctx.store, { actor: actorOf(by), action: "user.reset", subject: user.email, data: { by: "mail" } });
}

/** The user a live invitation or reset link belongs to, or undefined. */
export async function userOfLink(
  store: Store,
  token: string,
  now: Date = new Date(),
): Promise<(StaffAccount & { purpose: string }) | undefined> {
  const link = await store.db
    .selectFrom("user_links")
    .selectAll()
    .where("token_hash", "=", sha256(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirst();
  if (!link) return undefined;
  const user = await userById(store, link.user_id).catch(() => undefined);
  return user && !user.disabled ? { ...user, purpose: link.purpose } : undefined;
}

/**
 * Spends an invitation or reset link: sets the password the user chose and opens a session, at the stage a second
 * factor asks for (`enroll` where the declaration requires one for the role).
 *
 * @throws AuthError for a used, expired or unknown link, or a password that is too short
 */
export async function acceptUserLink(
  store: Store,
  token: string,
  password: string,
  options: { ip?: string; userAgent?: string; twoFactorFor: readonly Role[]; now?: Date },
): Promise<{ user: StaffUser; session: string; stage: SessionStage }> {
  const now = options.now ?? new Date();
  checkPassword(password);
  const user = await userOfLink(store, token, now);
  if (!user) throw new AuthError("this link is used, expired or unknown: ask an owner for a new one");
  const spent = await store.db
    .updateTable("user_links")
    .set({ used_at: now.toISOString() })
    .where("token_hash", "=", sha256(token))
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) throw new AuthError("this link was just used");
  await store.db
    .updateTable("users")
    .set({ password_hash: await hashPassword(password), must_change_password: 0, last_sign_in_at: now.toISOString() })
    .where("id", "=", user.id)
    .execute();
  await appendAudit(store, {
    actor: `user:${user.email}`,
    action: "user.password_set",
    subject: user.email,
    data: { via: user.purpose },
  });
  const stage = await stageAfterSecondFactor(store, user, options.twoFactorFor);
  const { token: session } = await createSession(store, user, { stage, ip: options.ip, userAgent: options.userAgent });
  return { user, session, stage };
}

function checkPassword(password: string): void {
  if (password.length < 12) throw new AuthError("the password must have at least 12 characters");
  if (password.length > 1000) throw new AuthError("the password must have at most 1000 characters");
}

/**
 * A user changes their own password: the current one is checked (or, after a one-time password, it is the one
 * the session signed in with), and every other session of theirs ends.
 *
 * @throws AuthError for a wrong current password, a new one that is too short or the same as before
 */
export async function changePassword(
  store: Store,
  user: StaffUser,
  input: { current: string; next: string },
  keepSession?: string,
): Promise<void> {
  checkPassword(input.next);
  const u = await store.db.selectFrom("users").select("password_hash").where("id", "=", user.id).executeTakeFirst();
  if (!u || !(await verifyPassword(input.current, u.password_hash)))
    throw new AuthError("the current password is wrong");
  if (input.current === input.next) throw new AuthError("choose a password other than the current one");
  await store.db
    .updateTable("users")
    .set({ password_hash: await hashPassword(input.next), must_change_password: 0 })
    .where("id", "=", user.id)
    .execute();
  let q = store.db.deleteFrom("sessions").where("user_id", "=", user.id);
  if (keepSession) q = q.where("id_hash", "!=", sha256(keepSession));
  await q.execute();
  await appendAudit(store, { actor: `user:${user.email}`, action: "user.password_changed", subject: user.email });
}

async function enabledOwners(store: Store): Promise<number> {
  const r = await store.db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "owner")
    .where("disabled", "=", 0)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Sets a user's role. The last enabled owner keeps theirs: someone must be able to manage the others.
 *
 * @throws AuthError for an unknown role or the last owner
 */
export async function setUserRole(store: Store, userId: number, role: Role, by: StaffUser | string): Promise<void> {
  if (!ROLES.includes(role)) throw new AuthError(`role must be one of ${ROLES.join(", ")}`);
  const user = await userById(store, userId);
  if (user.role === role) return;
  if (user.role === "owner" && !user.disabled && (await enabledOwners(store)) <= 1)
    throw new AuthError("the last owner keeps the owner role: make someone else owner first");
  await store.db.updateTable("users").set({ role }).where("id", "=", userId).execute();
  await store.signal(TOKENS_CHANNEL);
  await appendAudit(store, {
    actor: actorOf(by),
    action: "user.role_changed",
    subject: user.email,
    data: { from: user.role, to: role },
  });
}

async function endSessions(store: Store, userId: number): Promise<void> {
  await store.db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  // Every server forgets the tokens it cached, so the user's API tokens are looked up (and refused) again.
  await store.signal(TOKENS_CHANNEL);
}

/**
 * Disables a user: their sessions end and their API tokens are refused from the next request on, on every
 * server. The last enabled owner cannot be disabled.
 */
export async function disableUser(store: Store, userId: number, by: StaffUser | string): Promise<void> {
  const user = await userById(store, userId);
  if (typeof by !== "string" && by.id === userId) throw new AuthError("you cannot disable yourself");
  if (user.role === "owner" && !user.disabled && (await enabledOwners(store)) <= 1)
    throw new AuthError("the last owner cannot be disabled");
  await store.db.updateTable("users").set({ disabled: 1 }).where("id", "=", userId).execute();
  // Revoked, not merely refused while disabled: enabling the user again does not bring them back.
  const revoked = await store.db
    .updateTable("api_tokens")
    .set({ revoked: 1 })
    .where("user_id", "=", userId)
    .where("revoked", "=", 0)
    .executeTakeFirst();
  await endSessions(store, userId);
  await appendAudit(store, {
    actor: actorOf(by),
    action: "user.disabled",
    subject: user.email,
    data: { tokensRevoked: Number(revoked.numUpdatedRows ?? 0) },
  });
}

/**
 * Whether `email` is a staff member who may act now: `unknown` when no account has it, `disabled` when its account is
 * disabled.
 */
export async function staffStatus(store: Store, email: string): Promise<"enabled" | "disabled" | "unknown"> {
  const u = await store.db
    .selectFrom("users")
    .select("disabled")
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
  return !u ? "unknown" : u.disabled ? "disabled" : "enabled";
}

/** Enables a disabled user again (their old sessions stay ended, their API tokens revoked). */
export async function enableUser(store: Store, userId: number, by: StaffUser | string): Promise<void> {
  const user = await userById(store, userId);
  await store.db.updateTable("users").set({ disabled: 0 }).where("id", "=", userId).execute();
  await store.signal(TOKENS_CHANNEL);
  await appendAudit(store, { actor: actorOf(by), action: "user.enabled", subject: user.email });
}

/**
 * The way back in for a locked-out owner (`pledge users reset EMAIL`): a new one-time password, to be changed at
 * the next sign-in; the second factor is cleared (the device may be what was lost), the user is enabled, and
 * every session ends. Nothing else in the store is touched.
 *
 * @throws AuthError for an unknown address
 */
export async function resetUserPassword(store: Store, email: string, actor = "cli"): Promise<string> {
  const address = email.trim().toLowerCase();
  const u = await store.db.selectFrom("users").select("id").where("email", "=", address).executeTakeFirst();
  if (!u) throw new AuthError(`no user ${address}`);
  const password = randomBytes(15).toString("base64url");
  await store.db
    .updateTable("users")
    .set({ password_hash: await hashPassword(password), must_change_password: 1, disabled: 0 })
    .where("id", "=", u.id)
    .execute();
  await clearTwoFactor(store, Number(u.id));
  await store.db.deleteFrom("user_links").where("user_id", "=", u.id).where("used_at", "is", null).execute();
  await endSessions(store, Number(u.id));
  await appendAudit(store, { actor, action: "user.reset", subject: address, data: { by: "one-time password" } });
  return password;
}

/** A session as its owner sees it. */
export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string | null;
  ip: string | null;
  userAgent: string | null;
  stage: string;
}

/** The user's live sessions, latest first. */
export async function listSessions(store: Store, userId: number, now: Date = new Date()): Promise<SessionInfo[]> {
  const rows = await store.db
    .selectFrom("sessions")
    .select(["public_id", "created_at", "last_seen_at", "ip", "user_agent", "stage"])
    .where("user_id", "=", userId)
    .where("expires_at", ">", now.toISOString())
    .orderBy("created_at", "desc")
    .execute();
  return rows
    .filter((r) => r.public_id)
    .map((r) => ({
      id: r.public_id!,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      ip: r.ip,
      userAgent: r.user_agent,
      stage: r.stage,
    }));
}

/** Ends one of the user's own sessions; returns whether there was one. */
export async function revokeSession(store: Store, user: StaffUser, sessionId: string): Promise<boolean> {
  const r = await store.db
    .deleteFrom("sessions")
    .where("user_id", "=", user.id)
    .where("public_id", "=", sessionId)
    .executeTakeFirst();
  const n = Number(r.numDeletedRows ?? 0);
  if (n) await appendAudit(store, { actor: `user:${user.email}`, action: "session.revoked", subject: user.email });
  return n > 0;
}

/** The API tokens a user made, without their secrets. */
export async function listUserTokens(
  store: Store,
  userId: number,
): Promise<{ id: number; name: string; role: string; createdAt: string; lastUsedAt: string | null }[]> {
  const rows = await store.db
    .selectFrom("api_tokens")
    .select(["id", "name", "role", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .where("revoked", "=", 0)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    role: r.role,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

/** Revokes one of the user's own tokens. */
export async function revokeUserToken(store: Store, user: StaffUser, tokenId: number): Promise<boolean> {
  const r = await store.db
    .updateTable("api_tokens")
    .set({ revoked: 1 })
    .where("id", "=", tokenId)
    .where("user_id", "=", user.id)
    .where("revoked", "=", 0)
    .executeTakeFirst();
  const n = Number(r.numUpdatedRows);
  if (n) {
    await store.signal(TOKENS_CHANNEL);
    await appendAudit(store, { actor: `user:${user.email}`, action: "token.revoked", subject: String(tokenId) });
  }
  return n > 0;
}
