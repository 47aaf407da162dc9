/**
 * Routes of staff accounts: the sign-in steps after the password (code, new password, second-factor set-up), the
 * invitation and reset links, each user's account page, and the owner's user management.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import {
  AuthError,
  acceptUserLink,
  changePassword,
  confirmTotpEnrolment,
  createApiToken,
  enableUser,
  hitRateLimits,
  inviteUser,
  listSessions,
  listUsers,
  listUserTokens,
  pendingTotpEnrolment,
  type Principal,
  ROLES,
  type Role,
  removeTwoFactor,
  resetUserByMail,
  revokeSession,
  revokeUserToken,
  setSessionStage,
  setUserRole,
  type StaffUser,
  stageAfterSecondFactor,
  startTotpEnrolment,
  twoFactorStatus,
  userOfLink,
  verifySecondFactor,
} from "../auth/index.js";
import type { Declaration } from "../declaration/index.js";
import { disableStaff } from "../governance/index.js";
import { MailError } from "../mail/index.js";
import type { RequestsContext } from "../requests/index.js";
import {
  accountPageHtml,
  changePasswordPageHtml,
  codePageHtml,
  enrolPageHtml,
  recoveryCodesPageHtml,
  usersPageHtml,
  welcomePageHtml,
} from "../web/index.js";
import { crossSite, SESSION_COOKIE } from "./admin-routes.js";
import { clientIp } from "./privacy-center-routes.js";
import { type RouteTable, STAGE_PAGES } from "./routes.js";
import { PAGE } from "./schemas.js";

/** The roles the declaration requires a second factor for. */
export const twoFactorRoles = (decl: Declaration): readonly Role[] => decl.staff?.twoFactor ?? [];

/** What a finished action says on the page it leads back to: fixed texts, so nothing from the URL is shown. */
const FLASHES: Record<string, string> = {
  invited: "Invitation sent.",
  role: "Role changed.",
  disabled: "User disabled: their sessions and API tokens no longer work.",
  enabled: "User enabled.",
  reset: "Reset: the user was mailed a link to choose a new password.",
  password: "Password changed. Your other sessions were signed out.",
  session: "Session signed out.",
  token_revoked: "Token revoked.",
  two_factor_removed: "Second factor removed.",
};
const Flash = z.object({ done: z.string().max(40).optional() });
const flashOf = (q: { done?: string }) => (q.done ? FLASHES[q.done] : undefined);

const PasswordBody = z.object({
  current: z.string().max(1000),
  next: z.string().max(1000),
  confirm: z.string().max(1000),
});

export function registerAccounts(
  routes: RouteTable,
  ctx: RequestsContext,
  options: { secureCookies: boolean; trustProxy: number },
): void {
  const decl = () => ctx.declaration();
  const org = () => decl().organization.name;
  const required = () => twoFactorRoles(decl());
  const accounts = () => ({
    store: ctx.store,
    mailer: ctx.mailer,
    publicUrl: ctx.publicUrl,
    organization: org(),
    clock: ctx.clock,
  });
  const setSession = (c: Context, token: string) =>
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: "Lax",
      secure: options.secureCookies,
      path: "/",
      maxAge: 12 * 3600,
    });
  const cookie = (c: Context) => getCookie(c, SESSION_COOKIE) ?? "";
  /** Moves the session on once a step is done, and goes where its next stage leads. */
  const advance = async (c: Context, principal: Principal) => {
    const stage = await stageAfterSecondFactor(ctx.store, principal.user, required());
    await setSessionStage(ctx.store, cookie(c), stage);
    return c.redirect(STAGE_PAGES[stage], 303);
  };

  // --- signing in, after the password ------------------------------------------------
  routes.add(
    {
      method: "get",
      path: "/admin/login/code",
      summary: "The second step of signing in: a code from the authenticator app or a recovery code",
      tags: ["admin"],
      access: "admin",
      stages: ["mfa"],
      responses: { 200: PAGE },
    },
    async (c, { principal }) => c.html(await codePageHtml({ organization: org(), csrf: principal.csrf })),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/login/code",
      summary: "Give the second factor",
      tags: ["admin"],
      access: "admin",
      stages: ["mfa"],
      body: z.object({ code: z.string().max(40) }),
      responses: { 303: { description: "Signed in (or the next step)" }, 401: { description: "Wrong code" } },
    },
    async (c, { body, principal }) => {
      const ip = clientIp(c, options.trustProxy) ?? "unknown";
      // Ten tries per network and thirty in all for one account in 15 minutes: someone holding the password cannot
      // walk the code space from many addresses (a locked-out owner is reset with pledge users reset).
      const limits = [
        { key: `mfa:${principal.user.id}:${ip}`, max: 10, windowMs: 15 * 60_000 },
        { key: `mfa:${principal.user.id}`, max: 30, windowMs: 15 * 60_000 },
      ];
      if (await hitRateLimits(ctx.store, limits, ctx.clock()))
        return c.html(
          await codePageHtml({ organization: org(), csrf: principal.csrf, error: "Too many tries. Wait 15 minutes." }),
          429,
        );
      const how = await verifySecondFactor(ctx.store, principal.user, body.code, ctx.clock(), ctx.env.PLEDGE_SECRET);
      if (!how)
        return c.html(
          await codePageHtml({ organization: org(), csrf: principal.csrf, error: "That code is not right." }),
          401,
        );
      return advance(c, principal);
    },
  );
  routes.add(
    {
      method: "get",
      path: "/admin/password",
      summary: "Change your password (required after a one-time password)",
      tags: ["admin"],
      access: "admin",
      stages: ["password", "full"],
      responses: { 200: PAGE },
    },
    async (c, { principal }) =>
      c.html(
        await changePasswordPageHtml({
          organization: org(),
          csrf: principal.csrf,
          forced: principal.stage === "password",
        }),
      ),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/password",
      summary: "Change your password; your other sessions end",
      tags: ["admin"],
      access: "admin",
      stages: ["password", "full"],
      body: PasswordBody,
      responses: { 303: { description: "Changed" }, 400: { description: "Wrong current password or a weak one" } },
    },
    async (c, { body, principal }) => {
      try {
        if (body.next !== body.confirm) throw new AuthError("the two new passwords differ");
        await changePassword(ctx.store, principal.user, { current: body.current, next: body.next }, cookie(c));
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        return c.html(
          await changePasswordPageHtml({
            organization: org(),
            csrf: principal.csrf,
            forced: principal.stage === "password",
            error: `${err.message[0].toUpperCase()}${err.message.slice(1)}.`,
          }),
          400,
        );
      }
      if (principal.stage === "password") return advance(c, principal);
      return c.redirect("/admin/account?done=password", 303);
    },
  );

  // --- the second factor -------------------------------------------------------------
  routes.add(
    {
      method: "get",
      path: "/admin/account/two-factor",
      summary: "Set up an authenticator app: its QR code, drawn on the server",
      tags: ["admin"],
      access: "admin",
      stages: ["enroll", "full"],
      responses: { 200: PAGE },
    },
    async (c, { principal }) =>
      c.html(
        await enrolPageHtml({
          organization: org(),
          csrf: principal.csrf,
          enrolment: await pendingTotpEnrolment(ctx.store, principal.user, org(), ctx.env.PLEDGE_SECRET),
          required: principal.stage === "enroll",
          full: principal.stage === "full",
        }),
      ),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/account/two-factor/start",
      summary: "Start setting up an authenticator app (a new secret, pending until confirmed)",
      tags: ["admin"],
      access: "admin",
      stages: ["enroll", "full"],
      body: z.object({}),
      responses: { 303: { description: "To the set-up page" } },
    },
    async (c, { principal }) => {
      if (principal.via !== "session") throw new AuthError("set up a second factor in the console");
      await startTotpEnrolment(ctx.store, principal.user, org(), ctx.env.PLEDGE_SECRET);
      return c.redirect("/admin/account/two-factor", 303);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/account/two-factor",
      summary: "Confirm the authenticator app with its first code; shows the recovery codes once",
      tags: ["admin"],
      access: "admin",
      stages: ["enroll", "full"],
      body: z.object({ code: z.string().max(20) }),
      responses: {
        200: { description: "The page with the recovery codes", html: true },
        400: { description: "Wrong code" },
      },
    },
    async (c, { body, principal }) => {
      let codes: string[];
      try {
        codes = await confirmTotpEnrolment(ctx.store, principal.user, body.code, ctx.clock(), ctx.env.PLEDGE_SECRET);
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        return c.html(
          await enrolPageHtml({
            organization: org(),
            csrf: principal.csrf,
            enrolment: await pendingTotpEnrolment(ctx.store, principal.user, org(), ctx.env.PLEDGE_SECRET),
            required: principal.stage === "enroll",
            full: principal.stage === "full",
            error: `${err.message[0].toUpperCase()}${err.message.slice(1)}.`,
          }),
          400,
        );
      }
      if (principal.stage === "enroll")
        await setSessionStage(
          ctx.store,
          cookie(c),
          await stageAfterSecondFactor(ctx.store, principal.user, required()),
        );
      c.header("cache-control", "no-store");
      return c.html(await recoveryCodesPageHtml({ organization: org(), codes }));
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/account/two-factor/remove",
      summary: "Remove your second factor (refused where your role requires one)",
      tags: ["admin"],
      access: "admin",
      body: z.object({}),
      responses: { 303: { description: "Removed" }, 400: { description: "Required for the role" } },
    },
    async (c, { principal }) => {
      await removeTwoFactor(ctx.store, principal.user, required());
      return c.redirect("/admin/account?done=two_factor_removed", 303);
    },
  );

  // --- your account ----------------------------------------------------------------
  const accountPage = async (
    c: Context,
    principal: Principal,
    extra: { flash?: string; error?: string; newToken?: string },
  ) =>
    accountPageHtml({
      organization: org(),
      csrf: principal.csrf,
      user: principal.user.name,
      email: principal.user.email,
      role: principal.user.role,
      twoFactor: await twoFactorStatus(ctx.store, principal.user.id),
      required: required().includes(principal.user.role),
      sessions: await listSessions(ctx.store, principal.user.id, ctx.clock()),
      current: principal.sessionId,
      tokens: await listUserTokens(ctx.store, principal.user.id),
      ...extra,
    });
  routes.add(
    {
      method: "get",
      path: "/admin/account",
      summary: "Your account: password, second factor, sessions, API tokens",
      tags: ["admin"],
      access: "admin",
      query: Flash,
      responses: { 200: PAGE },
    },
    async (c, { principal, query }) => {
      if (principal.via !== "session") throw new AuthError("the account page is for people signed in");
      return c.html(await accountPage(c, principal, { flash: flashOf(query) }));
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/account/sessions/:id/revoke",
      summary: "Sign one of your sessions out",
      tags: ["admin"],
      access: "admin",
      params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{6,40}$/) }),
      body: z.object({}),
      responses: { 303: { description: "Signed out" } },
    },
    async (c, { params, principal }) => {
      await revokeSession(ctx.store, principal.user, params.id);
      return c.redirect("/admin/account?done=session", 303);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/account/tokens",
      summary: "Make an API token of your own (at most your role; it stops when you are disabled)",
      tags: ["admin"],
      access: "admin",
      body: z.object({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }),
      responses: { 200: { description: "The page with the token, shown once", html: true } },
    },
    async (c, { body, principal }) => {
      if (principal.via !== "session") throw new AuthError("make tokens in the console or with pledge tokens");
      const token = await createApiToken(
        ctx.store,
        body.name,
        body.role,
        `user:${principal.user.email}`,
        principal.user,
      );
      c.header("cache-control", "no-store");
      return c.html(await accountPage(c, principal, { newToken: token }));
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/account/tokens/:id/revoke",
      summary: "Revoke one of your API tokens",
      tags: ["admin"],
      access: "admin",
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({}),
      responses: { 303: { description: "Revoked" } },
    },
    async (c, { params, principal }) => {
      await revokeUserToken(ctx.store, principal.user, params.id);
      return c.redirect("/admin/account?done=token_revoked", 303);
    },
  );

  // --- invitation and reset links ---------------------------------------------------------
  const Token = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "not a link token") });
  routes.add(
    {
      method: "get",
      path: "/admin/welcome/:token",
      summary: "The page an invitation or reset link opens: choose a password",
      tags: ["admin"],
      access: "public",
      params: Token,
      responses: { 200: PAGE, 404: { description: "Used, expired or unknown" } },
    },
    async (c, { params }) => {
      const user = await userOfLink(ctx.store, params.token, ctx.clock());
      c.header("referrer-policy", "no-referrer");
      return c.html(
        await welcomePageHtml({
          organization: org(),
          email: user?.email,
          token: params.token,
          reset: user?.purpose === "reset",
        }),
        user ? 200 : 404,
      );
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/welcome/:token",
      summary: "Choose a password with an invitation or reset link; signs in",
      tags: ["admin"],
      access: "public",
      params: Token,
      body: z.object({ next: z.string().max(1000), confirm: z.string().max(1000) }),
      responses: { 303: { description: "Signed in" }, 400: { description: "Too short, or the two differ" } },
    },
    async (c, { params, body }) => {
      if (crossSite(c, ctx.publicUrl)) throw new AuthError("choose the password on this site's own page");
      const user = await userOfLink(ctx.store, params.token, ctx.clock());
      try {
        if (body.next !== body.confirm) throw new AuthError("the two passwords differ");
        const r = await acceptUserLink(ctx.store, params.token, body.next, {
          ip: clientIp(c, options.trustProxy),
          userAgent: c.req.header("user-agent"),
          twoFactorFor: required(),
          now: ctx.clock(),
        });
        setSession(c, r.session);
        return c.redirect(STAGE_PAGES[r.stage], 303);
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        return c.html(
          await welcomePageHtml({
            organization: org(),
            email: user?.email,
            token: params.token,
            reset: user?.purpose === "reset",
            error: `${err.message[0].toUpperCase()}${err.message.slice(1)}.`,
          }),
          400,
        );
      }
    },
  );

  // --- the owner's user management ------------------------------------------------------
  const usersPage = async (principal: Principal, extra: { flash?: string; error?: string }) =>
    usersPageHtml({
      organization: org(),
      csrf: principal.csrf,
      user: principal.user.name,
      users: await listUsers(ctx.store),
      me: principal.user.id,
      required: required(),
      ...extra,
    });
  routes.add(
    {
      method: "get",
      path: "/admin/users",
      summary: "Staff users: invite, set roles, disable, reset",
      tags: ["admin"],
      access: "admin",
      role: "owner",
      query: Flash,
      responses: { 200: PAGE },
    },
    async (c, { principal, query }) => c.html(await usersPage(principal, { flash: flashOf(query) })),
  );
  /** Runs an owner's action; an AuthError or a mail failure is shown on the users page. */
  const act = async (c: Context, principal: Principal, done: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof AuthError) && !(err instanceof MailError)) throw err;
      const message =
        err instanceof MailError ? "The mail could not be sent, so nothing was changed. Try again later." : err.message;
      return c.html(await usersPage(principal, { error: `${message[0].toUpperCase()}${message.slice(1)}.` }), 400);
    }
    return c.redirect(`/admin/users?done=${done}`, 303);
  };
  routes.add(
    {
      method: "post",
      path: "/admin/users",
      summary: "Invite a user: the account is made and a single-use link mailed to it",
      tags: ["admin"],
      access: "admin",
      role: "owner",
      body: z.object({ email: z.email().max(254), name: z.string().trim().max(200), role: z.enum(ROLES) }),
      responses: { 303: { description: "Invited" }, 400: { description: "Taken address, or mail down" } },
    },
    async (c, { body, principal }) => act(c, principal, "invited", () => inviteUser(accounts(), body, principal.user)),
  );
  const UserId = z.object({ id: z.coerce.number().int().positive() });
  routes.add(
    {
      method: "post",
      path: "/admin/users/:id/role",
      summary: "Set a user's role (the last owner keeps theirs)",
      tags: ["admin"],
      access: "admin",
      role: "owner",
      params: UserId,
      body: z.object({ role: z.enum(ROLES) }),
      responses: { 303: { description: "Set" } },
    },
    async (c, { params, body, principal }) =>
      act(c, principal, "role", () => setUserRole(ctx.store, params.id, body.role, principal.user)),
  );
  const disable = async (_store: unknown, id: number, by: StaffUser) => void (await disableStaff(ctx, id, by));
  for (const [verb, fn, summary] of [
    [
      "disable",
      disable,
      "Disable a user: their sessions end, their API tokens are revoked, their access grants end, at once",
    ],
    ["enable", enableUser, "Enable a disabled user (their API tokens stay revoked)"],
  ] as const)
    routes.add(
      {
        method: "post",
        path: `/admin/users/:id/${verb}`,
        summary,
        tags: ["admin"],
        access: "admin",
        role: "owner",
        params: UserId,
        body: z.object({}),
        responses: { 303: { description: "Done" } },
      },
      async (c, { params, principal }) => act(c, principal, `${verb}d`, () => fn(ctx.store, params.id, principal.user)),
    );
  routes.add(
    {
      method: "post",
      path: "/admin/users/:id/reset",
      summary: "Reset a user: password and second factor cleared, a link to choose a new password mailed to them",
      tags: ["admin"],
      access: "admin",
      role: "owner",
      params: UserId,
      body: z.object({}),
      responses: { 303: { description: "Reset" } },
    },
    async (c, { params, principal }) =>
      act(c, principal, "reset", async () => {
        if (params.id === principal.user.id) throw new AuthError("change your own password on your account page");
        await resetUserByMail(accounts(), params.id, principal.user);
      }),
  );
}
