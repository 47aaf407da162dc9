/** Routes of the admin console and the staff API: sign-in, requests, and the actions on them. */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import {
  TOKEN_CACHE_MS,
  TOKENS_CHANNEL,
  deleteSession,
  hasRole,
  listApiTokens,
  revokeApiToken,
  sessionPrincipal,
  signIn,
  tokenPrincipal,
  listUsers,
  type Principal,
} from "../auth/index.js";
import {
  addNote,
  approveRequest,
  previewRequest,
  completeManualTask,
  recordProcessorAnswer,
  closeProcessorTask,
  confirmReview,
  verifyByStaff,
  denyRequest,
  answerAppeal,
  extendDeadline,
  getDocument,
  getRequest,
  listDocuments,
  listRequests,
  requestPages,
  countRequests,
  openDeadlines,
  type RequestFilter,
  REQUEST_STATUSES,
  liftLegalHold,
  placeLegalHold,
  reissueStatusLink,
  requestTasks,
  requestTimeline,
  retryTask,
  type RequestsContext,
  assignRequests,
  BULK_ACTIONS,
  bulkUpdate,
  checkBulk,
  STAFF_CHANNELS,
  REQUEST_RIGHTS,
  RequestError,
  RequestInputSchema,
  submitRequest,
} from "../requests/index.js";
import type { Store } from "../store/index.js";
import { csvCell, toCsv } from "../csv/index.js";
import { IsoDate, regimeFor } from "../declaration/index.js";
import {
  consentRates,
  recentPropagations,
  recentSubscriptions,
  revokeManageLinks,
  rollUpConsent,
} from "../consent/index.js";
import {
  consentConsoleHtml,
  discoveryPageHtml,
  homePageHtml,
  loginPageHtml,
  requestDetailHtml,
  requestListHtml,
  retentionPageHtml,
  approvePreviewHtml,
  sweepPreviewHtml,
  bulkPreviewHtml,
  requestEntryHtml,
  count,
} from "../web/index.js";
import {
  DEFAULT_SCAN_SCHEDULE,
  DiscoveryError,
  dismissFinding,
  listFindings,
  recordScan,
  scanHistory,
  type DiscoveryContext,
} from "../discovery/index.js";
import {
  bindingsOf,
  HoldIncompleteError,
  HoldInput,
  liftHold,
  listHolds,
  obsolescenceOf,
  placeHold,
  planRetention,
  lastRetentionCheck,
  verifyRetention,
  type VerifyResult,
  retentionStats,
  RetentionError,
  sweepBinding,
  type RetentionContext,
  sweepRun,
  type SweepRunSummary,
} from "../retention/index.js";
import { appendAudit } from "../audit/index.js";
import { governanceOverview } from "../governance/index.js";
import { HttpError } from "./errors.js";
import { clientIp } from "./privacy-center-routes.js";
import { type RouteTable, STAGE_PAGES } from "./routes.js";
import {
  ApiTokenSchema,
  BACK,
  FindingSchema,
  OkSchema,
  PAGE,
  RequestEventSchema,
  RequestViewSchema,
  SweepReportSchema,
  TaskViewSchema,
} from "./schemas.js";

export const SESSION_COOKIE = "pledge_session";

const Next = z.object({ next: z.string().max(2000).optional() });
/** A page of the console to return to after signing in; anything else (another site, `//host`) is dropped. */
/**
 * Where sign-in may send a browser back to: a page of the console only. The path is resolved first (`..`, `%2e%2e`,
 * backslashes, `//host`), as the browser will resolve it, and then checked.
 */
export function safeNext(next: string | undefined): string | undefined {
  if (!next) return undefined;
  let u: URL;
  try {
    u = new URL(next, "http://console.invalid");
  } catch {
    return undefined;
  }
  if (u.origin !== "http://console.invalid") return undefined;
  if (!/^\/admin(?:\/|$)/.test(u.pathname) || /^\/admin\/login(?:\/|$)/.test(u.pathname)) return undefined;
  return u.pathname + u.search + u.hash;
}

/** Requests per page of the console's list and the API's. */
const PAGE_SIZE = 100;
const Page = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });

/** The staff member behind a request: a Bearer API token, or the session cookie. */
export function staffAuthenticator(store: Store, tokenCacheMs = TOKEN_CACHE_MS) {
  // Back ends call the decision API on hot paths: a token is looked up once, then cached briefly,
  // and forgotten as soon as any token is revoked on this store.
  const tokens = new Map<string, { principal: Principal | undefined; until: number }>();
  store.listen(TOKENS_CHANNEL, () => tokens.clear());
  return async (c: Context): Promise<Principal | undefined> => {
    const auth = c.req.header("authorization");
    if (auth?.startsWith("Bearer ")) {
      const token = auth.slice(7).trim();
      const hit = tokens.get(token);
      if (hit && hit.until > Date.now()) return hit.principal;
      const principal = await tokenPrincipal(store, token);
      if (tokens.size > 10_000) tokens.clear();
      if (principal) tokens.set(token, { principal, until: Date.now() + tokenCacheMs });
      return principal;
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    return cookie ? sessionPrincipal(store, cookie) : undefined;
  };
}

/**
 * Whether a form post comes from another site: the browser says so in
 * Sec-Fetch-Site, or its Origin is neither this server's nor the public URL's.
 * A request that sends neither (a script, an old browser) is not a browser
 * acting for a victim and passes.
 */
export function crossSite(c: Context, publicUrl: string): boolean {
  const site = c.req.header("sec-fetch-site");
  // A browser that says where a request comes from is believed: under `Referrer-Policy: no-referrer` it sends `Origin:
  // null` even for its own forms.
  if (site) return site !== "same-origin" && site !== "none";
  const origin = c.req.header("origin");
  if (origin === undefined) return false;
  const own = [new URL(c.req.url).origin, ...(publicUrl ? [new URL(publicUrl).origin] : [])];
  return !own.includes(origin);
}

const isApi = (c: Context) =>
  (c.req.header("content-type") ?? "").includes("application/json") ||
  c.req.header("authorization")?.startsWith("Bearer ") === true;
/** What an action on a request says when it is done: the last segment of its route (`…/:id/approve`). */
const doneKey = (c: Context) =>
  (c.req.routePath ?? "")
    .split("/")
    .filter((x) => !x.startsWith(":"))
    .pop() ?? "";
const done = (c: Context, id: string, extra: Record<string, unknown> = {}) =>
  isApi(c) ? c.json({ ok: true, ...extra }) : c.redirect(`/admin/requests/${id}?done=${doneKey(c)}`, 303);

export function registerAdmin(
  routes: RouteTable,
  ctx: RequestsContext,
  options: { secureCookies: boolean; trustProxy: number },
): void {
  const decl = () => ctx.declaration();
  const Id = z.object({ id: z.string().regex(/^req_[A-Za-z0-9_-]{8,40}$/, "not a request id") });
  const IdTask = Id.extend({ taskId: z.coerce.number().int().positive() });
  const Reason = z.object({ reason: z.string().trim().min(3, "give a reason").max(2000) });
  const Note = z.object({ note: z.string().trim().min(1, "write a note").max(4000) });

  routes.add(
    {
      method: "get",
      path: "/admin/login",
      summary: "Sign-in form",
      tags: ["admin"],
      access: "public",
      query: Next,
      responses: { 200: PAGE },
    },
    async (c, { query }) =>
      c.html(await loginPageHtml({ organization: decl().organization.name, next: safeNext(query.next) })),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/login",
      summary: "Sign in; sets the session cookie",
      tags: ["admin"],
      access: "public",
      body: z.object({
        email: z.string().max(320),
        password: z.string().max(1000),
        next: z.string().max(2000).optional(),
      }),
      responses: {
        303: { description: "Signed in" },
        401: { description: "Wrong email or password" },
        403: { description: "Posted from another site" },
        429: { description: "Too many tries" },
      },
    },
    async (c, { body }) => {
      // Login CSRF: another site must not sign a visitor's browser into an account of its choosing.
      if (crossSite(c, ctx.publicUrl))
        throw new HttpError(403, "cross_site", "sign in from this site's own sign-in page");
      const res = await signIn(
        ctx.store,
        {
          email: body.email,
          password: body.password,
          ip: clientIp(c, options.trustProxy),
          userAgent: c.req.header("user-agent"),
          twoFactorFor: decl().staff?.twoFactor ?? [],
        },
        ctx.clock(),
      );
      if (!res.ok) {
        const error = res.reason === "rate_limited" ? "Too many tries. Wait 15 minutes." : "Wrong email or password.";
        return c.html(
          await loginPageHtml({
            organization: decl().organization.name,
            error,
            email: body.email,
            next: safeNext(body.next),
          }),
          res.reason === "rate_limited" ? 429 : 401,
        );
      }
      setCookie(c, SESSION_COOKIE, res.token, {
        httpOnly: true,
        sameSite: "Lax",
        secure: options.secureCookies,
        path: "/",
        maxAge: 12 * 3600,
      });
      // A session with steps left goes to the next one; a finished one back to the page that sent it to sign in.
      return c.redirect(res.stage === "full" ? (safeNext(body.next) ?? "/admin") : STAGE_PAGES[res.stage], 303);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/logout",
      summary: "Sign out",
      tags: ["admin"],
      access: "admin",
      stages: ["password", "mfa", "enroll", "full"],
      body: z.object({}),
      responses: { 303: { description: "Signed out" } },
    },
    async (c) => {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) await deleteSession(ctx.store, cookie);
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.redirect("/admin/login", 303);
    },
  );

  routes.add(
    {
      method: "get",
      path: "/admin",
      summary: "Home: requests due and late, the registers' counts, consent rates",
      tags: ["admin"],
      access: "admin",
      responses: { 200: PAGE },
    },
    async (c, { principal }) => {
      const now = ctx.clock();
      const findings = await listFindings(dctx(), { status: "open" });
      const weekAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString();
      return c.html(
        await homePageHtml({
          decl: decl(),
          now,
          csrf: principal.csrf,
          user: principal.user.name,
          data: {
            requests: await countRequests(ctx, {}, false),
            deadlines: await openDeadlines(ctx),
            retention: await lastRetentionCheck(ctx.store),
            discovery: { open: findings.length, newThisWeek: findings.filter((f) => f.firstSeen >= weekAgo).length },
            governance: await governanceOverview(ctx),
            rates: await rolledUpRates(30),
          },
        }),
      );
    },
  );
  const ListQuery = z.object({
    status: z.enum(REQUEST_STATUSES).or(z.literal("")).optional(),
    right: z.string().max(40).optional(),
    regime: z.string().max(20).optional(),
    due: z.enum(["open", "overdue", "soon", "unverified"]).or(z.literal("")).optional(),
    q: z.string().max(200).optional(),
    assigned: z.enum(["mine", "none"]).or(z.literal("")).optional(),
  });
  const filterOf = (q: z.output<typeof ListQuery>, me: Principal): RequestFilter => ({
    status: q.status || undefined,
    right: q.right || undefined,
    regime: q.regime || undefined,
    due: q.due || undefined,
    q: q.q?.trim() || undefined,
    assignee: q.assigned === "mine" ? me.user.email : q.assigned === "none" ? "none" : undefined,
  });
  /** The consent chart's counts, with the records since the worker's last run counted first (one batch at most). */
  const rolledUpRates = async (days: number) => {
    await rollUpConsent(ctx.store, ctx.clock(), 5000);
    return consentRates(ctx.store, decl(), new Date(ctx.clock().getTime() - days * 86_400_000));
  };
  const activeStaff = async () =>
    (await listUsers(ctx.store)).filter((u) => !u.disabled).map((u) => ({ email: u.email, name: u.name }));
  routes.add(
    {
      method: "get",
      path: "/admin/requests",
      summary: "Requests, open ones by deadline, filtered and a page at a time",
      tags: ["admin"],
      access: "admin",
      query: Page.extend(ListQuery.shape).extend({
        bulk: z.enum(["assign", "unassign", "extend", "verify"]).optional(),
        changed: z.coerce.number().int().min(0).optional(),
        failed: z.coerce.number().int().min(0).optional(),
      }),
      responses: { 200: PAGE },
    },
    async (c, { query, principal }) => {
      const filter = filterOf(query, principal);
      return c.html(
        await requestListHtml({
          decl: decl(),
          requests: await listRequests(ctx, { ...filter, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }),
          counts: await countRequests(ctx, filter),
          page: query.page,
          pageSize: PAGE_SIZE,
          now: ctx.clock(),
          csrf: principal.csrf,
          user: principal.user.name,
          filter: { ...filter, assigned: query.assigned || undefined },
          ...(query.bulk
            ? { bulk: { action: query.bulk, changed: query.changed ?? 0, failed: query.failed ?? 0 } }
            : {}),
          staff: await activeStaff(),
          statuses: REQUEST_STATUSES,
          regimes: [...new Set([...decl().organization.jurisdictions.map((j) => regimeFor(j)), "gdpr"])].filter(
            Boolean,
          ) as string[],
        }),
      );
    },
  );
  routes.add(
    {
      method: "get",
      path: "/admin/requests.csv",
      summary: "The filtered request list as CSV (spreadsheet-safe)",
      tags: ["admin"],
      access: "admin",
      query: ListQuery,
      responses: { 200: { description: "CSV", contentType: "text/csv" } },
    },
    async (c, { query, principal }) => {
      const filter = filterOf(query, principal);
      const header = ["reference", "id", "channel", "identity_type", "identity", "received", "right", "status", "law"];
      header.push("due", "completed", "assignee");
      const encoder = new TextEncoder();
      const pages = requestPages(ctx, filter, 1000);
      // Recorded when the download starts: a download cut short has still let rows out.
      await appendAudit(ctx.store, {
        actor: `user:${principal.user.email}`,
        action: "requests.exported",
        data: { filter },
      });
      // Streamed a page at a time, each read after the last row of the one before: memory and time per page stay
      // the same whatever the number of requests.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(toCsv(header, [])));
        },
        async pull(controller) {
          try {
            const next = await pages.next();
            if (next.done) {
              controller.close();
              return;
            }
            const lines = next.value.map((r) =>
              [
                r.reference,
                r.id,
                r.channel,
                r.identityType,
                r.identity,
                r.receivedAt,
                r.right,
                r.status,
                r.regime,
                r.effectiveDueAt,
                r.completedAt ?? "",
                r.assignee ?? "",
              ]
                .map(csvCell)
                .join(","),
            );
            controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
          } catch (err) {
            controller.error(err);
          }
        },
        async cancel() {
          await pages.return(undefined);
        },
      });
      return c.body(body, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="requests-${ctx.clock().toISOString().slice(0, 10)}.csv"`,
        "cache-control": "no-store",
      });
    },
  );
  const EntryBody = z.object({
    right: z.enum(REQUEST_RIGHTS),
    identityType: z.string().max(40),
    identity: z.string().max(320),
    name: z.string().max(200).optional(),
    contactEmail: z.string().max(320).optional(),
    channel: z.enum(STAFF_CHANNELS),
    receivedAt: z.string().max(10).optional(),
    verified: z.string().max(2000).optional(),
    correctCategory: z.string().max(100).optional(),
    correctValue: z.string().max(500).optional(),
    jurisdiction: z.string().max(10).optional(),
  });
  const entryPage = async (c: Context, principal: Principal, values: Record<string, string> = {}, error?: string) =>
    c.html(
      await requestEntryHtml({ decl: decl(), csrf: principal.csrf, user: principal.user.name, values, error }),
      error ? 400 : 200,
    );
  routes.add(
    {
      method: "get",
      path: "/admin/requests/new",
      summary: "Enter a request that arrived by letter, phone, mail or in person",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      responses: { 200: PAGE },
    },
    async (c, { principal }) => entryPage(c, principal),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/new",
      summary: "Record a request that arrived by letter, phone, mail or in person, with the verification done",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      body: EntryBody,
      responses: { 303: { description: "To the new request" }, 400: { description: "The form, with the error" } },
    },
    async (c, { body, principal }) => {
      const blank = (v?: string) => (v?.trim() ? v.trim() : undefined);
      const received = blank(body.receivedAt);
      const when = received ? new Date(`${received}T12:00:00Z`) : undefined;
      const values = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v ?? "")]));
      if (when && Number.isNaN(when.getTime())) return entryPage(c, principal, values, "Received: expected a date");
      const input = RequestInputSchema.safeParse({
        right: body.right,
        identityType: body.identityType,
        identity: body.identity,
        name: blank(body.name),
        contactEmail: blank(body.contactEmail) ?? "",
        jurisdiction: blank(body.jurisdiction) ?? "",
        corrections:
          body.right === "rectification" && blank(body.correctCategory) && blank(body.correctValue)
            ? { [body.correctCategory!.trim()]: body.correctValue!.trim() }
            : {},
      });
      if (!input.success)
        return entryPage(
          c,
          principal,
          values,
          input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        );
      try {
        const r = await submitRequest(ctx, input.data, {
          entered: { by: principal, channel: body.channel, receivedAt: when, verified: blank(body.verified) },
        });
        return c.redirect(`/admin/requests/${r.requestId}?done=entered`, 303);
      } catch (err) {
        if (err instanceof RequestError && err.code === "REQUEST_INVALID")
          return entryPage(c, principal, values, err.message);
        throw err;
      }
    },
  );
  const BulkBody = z.object({
    ids: z.union([z.string().max(40), z.array(z.string().max(40)).max(200)]).optional(),
    action: z.enum(BULK_ACTIONS),
    assignee: z.string().max(320).optional(),
    note: z.string().max(2000).optional(),
    confirm: z.literal("yes").optional(),
  });
  routes.add(
    {
      method: "post",
      path: "/admin/requests/bulk",
      summary: "Assign, unassign, extend or mark verified many requests at once: first shown, then confirmed",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      body: BulkBody,
      // A page of the list (100 ids) and the action's own fields.
      maxFields: 220,
      responses: {
        200: { description: "HTML: what will happen, to confirm", html: true },
        303: { description: "Done: back to the list" },
        400: { description: "Nothing selected, or a reason missing" },
      },
    },
    async (c, { body, principal }) => {
      const ids = [...new Set(body.ids === undefined ? [] : Array.isArray(body.ids) ? body.ids : [body.ids])];
      const note = body.note?.trim() ?? "";
      try {
        checkBulk(ids, body.action, note);
      } catch (err) {
        if (err instanceof RequestError) throw new HttpError(400, "invalid_bulk", err.message);
        throw err;
      }
      if (body.confirm !== "yes") {
        const staff = await activeStaff();
        return c.html(
          await bulkPreviewHtml({
            decl: decl(),
            csrf: principal.csrf,
            user: principal.user.name,
            requests: await Promise.all(ids.map((id) => getRequest(ctx, id))),
            action: body.action,
            assignee: staff.find((u) => u.email === body.assignee),
            note,
          }),
        );
      }
      const { changed, failed } = await bulkUpdate(ctx, ids, body.action, { assignee: body.assignee, note }, principal);
      await appendAudit(ctx.store, {
        actor: `user:${principal.user.email}`,
        action: `requests.bulk_${body.action}`,
        data: { requests: ids.length, changed, failed: failed.length },
      });
      const q = new URLSearchParams({ bulk: body.action, changed: String(changed), failed: String(failed.length) });
      return c.redirect(`/admin/requests?${q}`, 303);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/assign",
      summary: "Give a request to a staff member (mailed), or to nobody",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: Id,
      body: z.object({ assignee: z.string().max(320).optional() }),
      responses: { 303: { description: "Back to the request" }, 400: { description: "No such staff member" } },
    },
    async (c, { params, body, principal }) => {
      await assignRequests(ctx, [params.id], body.assignee?.trim() ? body.assignee.trim() : null, principal);
      return done(c, params.id);
    },
  );
  routes.add(
    {
      method: "get",
      path: "/admin/requests/:id",
      summary: "A request: identity, systems, timeline, actions",
      tags: ["admin"],
      access: "admin",
      params: Id,
      query: z.object({ done: z.string().max(20).optional() }),
      responses: { 200: PAGE, 404: { description: "No such request" } },
    },
    async (c, { params, principal, query }) =>
      c.html(
        await requestDetailHtml({
          decl: decl(),
          done: query.done,
          request: await getRequest(ctx, params.id),
          tasks: await requestTasks(ctx, params.id),
          events: await requestTimeline(ctx, params.id),
          documents: (await listDocuments(ctx, params.id)).map((d) => ({
            id: Number(d.id),
            filename: d.filename,
            kind: d.kind,
          })),
          now: ctx.clock(),
          csrf: principal.csrf,
          user: principal.user.name,
          canApprove: hasRole(principal.user.role, "approver"),
          canAct: hasRole(principal.user.role, "officer"),
          staff: await activeStaff(),
        }),
      ),
  );
  routes.add(
    {
      method: "get",
      path: "/admin/requests/:id/documents/:docId",
      summary: "An uploaded document (an agent's signed authorization)",
      tags: ["admin"],
      access: "admin",
      role: "approver",
      params: Id.extend({ docId: z.coerce.number().int().positive() }),
      responses: { 200: { description: "The file, as it was uploaded", contentType: "application/octet-stream" } },
    },
    async (c, { params }) => {
      const d = await getDocument(ctx, params.id, params.docId);
      if (!d) throw new HttpError(404, "not_found", "no such document");
      return c.body(d.data as Uint8Array<ArrayBuffer>, 200, {
        "content-type": d.content_type,
        "content-disposition": `attachment; filename="${d.filename}"`,
        "x-content-type-options": "nosniff",
      });
    },
  );
  routes.add(
    {
      method: "get",
      path: "/admin/requests/:id/approve",
      summary: "What approving will do in each system (a dry run: rows found, deleted, masked, kept; values corrected)",
      tags: ["admin"],
      access: "admin",
      role: "approver",
      params: Id,
      responses: { 200: PAGE, 404: { description: "No such request" } },
    },
    async (c, { params, principal }) => {
      const request = await getRequest(ctx, params.id);
      if (request.status !== "pending_approval") return c.redirect(`/admin/requests/${params.id}`, 303);
      return c.html(
        await approvePreviewHtml({
          decl: decl(),
          request,
          preview: await previewRequest(ctx, params.id),
          csrf: principal.csrf,
          user: principal.user.name,
        }),
      );
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/approve",
      summary: "Approve a request held for approval (a form must come through the preview)",
      tags: ["admin"],
      access: "admin",
      role: "approver",
      params: Id,
      body: z.object({ confirm: z.literal("yes").optional() }),
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: { description: "Form: back to the request, or to the preview when not confirmed" },
        409: { description: "Not waiting for approval" },
      },
    },
    async (c, { params, principal, body }) => {
      if (!isApi(c) && body.confirm !== "yes") return c.redirect(`/admin/requests/${params.id}/approve`, 303);
      await approveRequest(ctx, params.id, principal);
      return done(c, params.id);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/verify",
      summary: "Verify the person by hand (no code could reach an address of theirs), saying how",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: Id,
      body: Note,
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: BACK,
        409: { description: "Not waiting for verification" },
      },
    },
    async (c, { params, body, principal }) => {
      await verifyByStaff(ctx, params.id, body.note, principal);
      return done(c, params.id);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/tasks/:taskId/confirm",
      summary:
        "Say which of the rows a collection stopped on (several rows of people matched) are the person's; the others " +
        "are someone else's and are excluded",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: IdTask,
      body: z.object({
        /** The rows that are the person's (their `ref`s); the others are someone else's. All rows when absent. */
        person: z
          .union([z.string().max(64), z.array(z.string().max(64)).max(100)])
          .transform((v) => [v].flat())
          .optional(),
        /** A form says which rows it showed, so that none ticked is a choice and not an old form. */
        shown: z.union([z.string(), z.array(z.string())]).optional(),
      }),
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: BACK,
        409: { description: "Not waiting for review" },
      },
    },
    async (c, { params, body, principal }) => {
      await confirmReview(
        ctx,
        params.id,
        params.taskId,
        principal,
        body.person || body.shown ? { person: body.person ?? [] } : undefined,
      );
      return done(c, params.id);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/deny",
      summary: "Deny a request, with a reason",
      tags: ["admin"],
      access: "admin",
      role: "approver",
      params: Id,
      body: Reason,
      responses: { 200: { description: "Done (an API caller)", schema: OkSchema }, 303: BACK },
    },
    async (c, { params, body, principal }) => {
      await denyRequest(ctx, params.id, body.reason, principal);
      return done(c, params.id);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/extend",
      summary: "Extend the deadline, by the days chosen or as far as the law allows, with the reason",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: Id,
      body: Reason.extend({
        days: z.union([z.coerce.number().int().min(1).max(90), z.literal("").transform(() => undefined)]).optional(),
      }),
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: BACK,
        409: { description: "Not allowed" },
      },
    },
    async (c, { params, body, principal }) =>
      done(c, params.id, {
        extendedDueAt: await extendDeadline(
          ctx,
          params.id,
          body.reason,
          principal,
          body.days ? { amount: body.days, unit: "days" } : undefined,
        ),
      }),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/appeal",
      summary: "Answer an appeal: reverse the denial (the request is carried out) or uphold it",
      tags: ["admin"],
      access: "admin",
      role: "approver",
      params: Id,
      body: z.object({
        outcome: z.enum(["upheld", "reversed"]),
        answer: z.string().trim().min(3, "give the answer").max(2000),
      }),
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: BACK,
        409: { description: "Not appealed" },
      },
    },
    async (c, { params, body, principal }) => {
      await answerAppeal(ctx, params.id, body.outcome, body.answer, principal);
      return done(c, params.id);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/notes",
      summary: "Add a note to the timeline",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: Id,
      body: Note,
      responses: { 200: { description: "Done (an API caller)", schema: OkSchema }, 303: BACK },
    },
    async (c, { params, body, principal }) => {
      await addNote(ctx, params.id, body.note, principal);
      return done(c, params.id);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/tasks/:taskId/retry",
      summary: "Retry a failed system now",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: IdTask,
      body: z.object({}),
      responses: { 200: { description: "Done (an API caller)", schema: OkSchema }, 303: BACK },
    },
    async (c, { params, principal }) => {
      await retryTask(ctx, params.id, params.taskId, principal);
      return done(c, params.id);
    },
  );
  const evidenceOf = async (v: unknown) =>
    v instanceof File && v.size > 0
      ? { filename: v.name, contentType: v.type, data: new Uint8Array(await v.arrayBuffer()) }
      : undefined;
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/tasks/:taskId/done",
      summary:
        "Mark a manual task done: what was done, each checklist item confirmed (check-0, check-1, …), and optional " +
        "evidence (multipart: file)",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: IdTask,
      body: z.looseObject({ note: z.string().trim().min(1, "write a note").max(4000) }),
      maxBody: 6 * 1024 * 1024,
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: BACK,
        422: { description: "A checklist item not confirmed" },
      },
    },
    async (c, { params, body, principal }) => {
      const b = body as Record<string, unknown> & { note: string };
      const checked = Object.keys(b)
        .map((k) => /^check-(\d{1,3})$/.exec(k)?.[1])
        .filter((x): x is string => x !== undefined)
        .map(Number);
      await completeManualTask(ctx, params.id, params.taskId, b.note, principal, await evidenceOf(b.file), checked);
      return done(c, params.id);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/tasks/:taskId/answer",
      summary: "Record a processor's answer, with its reply as evidence (multipart: note, file)",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: IdTask,
      body: z.looseObject({ note: z.string().trim().min(1, "say what the vendor answered").max(4000) }),
      maxBody: 6 * 1024 * 1024,
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: BACK,
        409: { description: "Not open" },
      },
    },
    async (c, { params, body, principal }) => {
      const b = body as { note: string; file?: unknown };
      await recordProcessorAnswer(ctx, params.id, params.taskId, b.note, principal, await evidenceOf(b.file));
      return done(c, params.id);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/tasks/:taskId/close",
      summary: "Close a processor's task without its confirmation, with the reason the report shows",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: IdTask,
      body: z.object({ reason: z.string().trim().min(3, "give the reason").max(2000) }),
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: BACK,
        409: { description: "Not open" },
      },
    },
    async (c, { params, body, principal }) => {
      await closeProcessorTask(ctx, params.id, params.taskId, body.reason, principal);
      return done(c, params.id);
    },
  );

  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/new-link",
      summary: "Mail the person a new status link; the old one stops working (only its hash was kept)",
      tags: ["admin"],
      access: "admin",
      role: "approver",
      params: Id,
      body: z.object({}),
      responses: { 303: { description: "Sent" }, 409: { description: "Not verified, or no address" } },
    },
    async (c, { params, principal }) => {
      const r = await reissueStatusLink(ctx, params.id, principal);
      return done(c, params.id, r);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/hold",
      summary: "Place a legal hold on the person: their data is preserved until lifted",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: Id,
      body: Reason,
      responses: { 200: { description: "Done (an API caller)", schema: OkSchema }, 303: BACK },
    },
    async (c, { params, body, principal }) =>
      done(c, params.id, { identities: await placeLegalHold(ctx, params.id, body.reason, principal) }),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/requests/:id/hold/lift",
      summary: "Lift the legal holds on the person",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: Id,
      body: z.object({}),
      responses: { 200: { description: "Done (an API caller)", schema: OkSchema }, 303: BACK },
    },
    async (c, { params, principal }) => {
      await liftLegalHold(ctx, params.id, principal);
      return done(c, params.id);
    },
  );

  routes.add(
    {
      method: "get",
      path: "/admin/consent",
      summary: "Consent rates per category over time, and subscriptions with their proof",
      tags: ["admin"],
      access: "admin",
      query: z.object({ revoked: z.string().max(320).optional() }),
      responses: { 200: PAGE },
    },
    async (c, { principal, query }) =>
      c.html(
        await consentConsoleHtml({
          decl: decl(),
          rates: await rolledUpRates(90),
          subscriptions: await recentSubscriptions(ctx.store),
          propagations: await recentPropagations(ctx.store),
          user: principal.user.name,
          csrf: principal.csrf,
          canRevoke: hasRole(principal.user.role, "officer"),
          ...(query.revoked ? { revoked: query.revoked } : {}),
        }),
      ),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/consent/revoke-links",
      summary: "Revoke a subscriber's unsubscribe and preference links (the next mail carries new ones)",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      body: z.object({ email: z.email().max(320) }),
      responses: { 303: { description: "Revoked" } },
    },
    async (c, { body, principal }) => {
      await revokeManageLinks(ctx, body.email, `user:${principal.user.email}`);
      return c.redirect(`/admin/consent?revoked=${encodeURIComponent(body.email.toLowerCase())}`, 303);
    },
  );

  // --- discovery ---------------------------------------------------------
  const dctx = (): DiscoveryContext => ({
    store: ctx.store,
    declaration: decl,
    env: ctx.env,
    cwd: ctx.cwd,
    clock: ctx.clock,
    mailer: ctx.mailer,
  });
  const discoveryPage = async (c: Context, principal: Principal, extra: { notice?: string; error?: string } = {}) =>
    c.html(
      await discoveryPageHtml({
        decl: decl(),
        findings: await listFindings(dctx()),
        scans: await scanHistory(dctx()),
        schedule: decl().discovery?.schedule ?? DEFAULT_SCAN_SCHEDULE,
        csrf: principal.csrf,
        user: principal.user.name,
        canAct: hasRole(principal.user.role, "officer"),
        ...extra,
      }),
      extra.error ? 400 : 200,
    );
  routes.add(
    {
      method: "get",
      path: "/admin/discovery",
      summary: "Discovery: what recorded scans found per system, over time, with dismissals",
      tags: ["admin"],
      access: "admin",
      query: z.object({ scanned: z.coerce.number().int().positive().optional() }),
      responses: { 200: PAGE },
    },
    async (c, { principal, query }) => {
      const s = query.scanned ? (await scanHistory(dctx())).find((x) => x.id === query.scanned) : undefined;
      return discoveryPage(
        c,
        principal,
        s
          ? {
              notice:
                `Scan ${s.id}: ${count(s.tables, "table")} read, ${count(s.findings, "finding")} open, ` +
                `${s.newFindings} new.`,
            }
          : {},
      );
    },
  );
  routes.add(
    {
      method: "get",
      path: "/api/v1/discovery/findings",
      summary: "Recorded findings (open, gone, dismissed), newest first",
      tags: ["admin"],
      access: "admin",
      query: z.object({ status: z.enum(["open", "gone", "dismissed"]).optional() }),
      responses: { 200: { description: "The findings", schema: z.object({ findings: z.array(FindingSchema) }) } },
    },
    async (c, { query }) =>
      c.json({ findings: await listFindings(dctx(), query.status ? { status: query.status } : {}) }),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/discovery/scan",
      summary: "Scan every system now and record the findings",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      body: z.object({}),
      responses: {
        200: {
          description: "The scan (an API caller)",
          schema: z.object({
            scan: z.number(),
            tables: z.number(),
            findings: z.number(),
            new: z.number(),
            notRead: z.array(z.unknown()),
            notified: z.object({ mail: z.string().optional(), webhook: z.string().optional() }),
          }),
        },
        303: { description: "Form: to the page with the scan's summary" },
      },
    },
    async (c, { principal }) => {
      const r = (await recordScan(dctx(), { trigger: "console", actor: `user:${principal.user.email}` }))!;
      // After the post, a redirect: reloading the page does not scan again.
      return isApi(c)
        ? c.json({
            scan: r.scanId,
            tables: r.result.tables.length,
            findings: r.result.findings.length,
            new: r.newFindings.length,
            notRead: r.result.notRead,
            notified: r.notified,
          })
        : c.redirect(`/admin/discovery?scanned=${r.scanId}`, 303);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/discovery/findings/:id/dismiss",
      summary: "Dismiss a finding with the reason it needs nothing (audited; it stays dismissed)",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ reason: z.string().max(1000) }),
      responses: {
        200: { description: "The finding, dismissed", schema: z.object({ finding: FindingSchema }) },
        303: BACK,
        400: { description: "No reason, or already dismissed" },
        404: { description: "No such finding" },
      },
    },
    async (c, { params, body, principal }) => {
      try {
        const f = await dismissFinding(dctx(), params.id, `user:${principal.user.email}`, body.reason);
        return isApi(c) ? c.json({ finding: f }) : c.redirect("/admin/discovery", 303);
      } catch (err) {
        if (!(err instanceof DiscoveryError)) throw err;
        if (err.code === "NOT_FOUND") throw new HttpError(404, "not_found", err.message);
        return isApi(c)
          ? Promise.reject(new HttpError(400, "invalid_dismissal", err.message))
          : discoveryPage(c, principal, { error: err.message });
      }
    },
  );

  // --- retention ---------------------------------------------------------
  const rctx = (): RetentionContext => ({
    store: ctx.store,
    declaration: decl,
    env: ctx.env,
    cwd: ctx.cwd,
    clock: ctx.clock,
    outboxDir: ctx.mailer.outboxDir,
  });
  const retentionPage = async (
    c: Context,
    principal: Principal,
    extra: { result?: SweepRunSummary; verified?: VerifyResult; error?: string } = {},
  ) => {
    const r = rctx();
    const obsolescence: Record<string, string | undefined> = {};
    for (const id of Object.keys(decl().systems)) obsolescence[id] = await obsolescenceOf(r, id);
    return c.html(
      await retentionPageHtml({
        decl: decl(),
        plan: await planRetention(r),
        stats: await retentionStats(r),
        holds: await listHolds(r),
        lastCheck: await lastRetentionCheck(r.store),
        obsolescence,
        csrf: principal.csrf,
        user: principal.user.name,
        canAct: hasRole(principal.user.role, "officer"),
        ...extra,
      }),
      extra.error ? 400 : 200,
    );
  };
  const back = (c: Context) => (isApi(c) ? c.json({ ok: true }) : c.redirect("/admin/retention", 303));
  routes.add(
    {
      method: "get",
      path: "/admin/retention",
      summary: "Retention: each rule's limit against its oldest row, sweeps over time, legal holds",
      tags: ["admin"],
      access: "admin",
      query: z.object({ run: z.coerce.number().int().positive().optional() }),
      responses: { 200: PAGE },
    },
    async (c, { principal, query }) =>
      retentionPage(c, principal, query.run ? { result: await sweepRun(ctx.store, query.run) } : {}),
  );
  routes.add(
    {
      method: "get",
      path: "/admin/retention/sweep",
      summary: "What sweeping one binding now would do (the sweep's dry run), to confirm",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      query: z.object({ binding: z.string().min(3).max(300) }),
      responses: { 200: PAGE, 404: { description: "No such binding" } },
    },
    async (c, { query, principal }) => {
      const b = bindingsOf(decl()).find((x) => x.id === query.binding);
      if (!b) throw new HttpError(404, "not_found", `no retention binding '${query.binding}'`);
      const entry = (await planRetention(rctx(), { rule: b.ruleId, ownData: false, simulate: true })).find(
        (e) => e.binding === b.id,
      );
      if (!entry) throw new HttpError(404, "not_found", `no retention binding '${query.binding}'`);
      return c.html(await sweepPreviewHtml({ decl: decl(), entry, csrf: principal.csrf, user: principal.user.name }));
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/retention/verify",
      summary: "Check every rule's promise now (the same check as `pledge retention verify`), written to the audit log",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      body: z.object({}),
      responses: {
        200: {
          description: "The page with the result, or the result (an API caller)",
          html: true,
          schema: z.object({ ok: z.boolean(), failures: z.array(z.unknown()) }),
        },
      },
    },
    async (c, { principal }) => {
      const verified = await verifyRetention(rctx(), { actor: `user:${principal.user.email}` });
      return isApi(c)
        ? c.json({ ok: verified.ok, failures: verified.failures })
        : retentionPage(c, principal, { verified });
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/retention/sweep",
      summary: "Sweep one rule's binding now",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      body: z.object({ binding: z.string().min(3).max(300), confirm: z.literal("yes").optional() }),
      responses: {
        200: { description: "The sweep (an API caller)", schema: z.object({ result: SweepReportSchema }) },
        303: { description: "Form: to the preview when not confirmed; after the sweep, to the page with its result" },
        404: { description: "No such binding" },
      },
    },
    async (c, { body, principal }) => {
      const b = bindingsOf(decl()).find((x) => x.id === body.binding);
      if (!b) throw new HttpError(404, "not_found", `no retention binding '${body.binding}'`);
      // A form that did not come through the preview is sent to it: nothing is deleted unseen.
      if (!isApi(c) && body.confirm !== "yes")
        return c.redirect(`/admin/retention/sweep?binding=${encodeURIComponent(b.id)}`, 303);
      const result = await sweepBinding(rctx(), b, { trigger: "console", actor: `user:${principal.user.email}` });
      if (isApi(c)) return c.json({ result });
      return c.redirect(`/admin/retention${result.runId ? `?run=${result.runId}` : ""}#sweep-result`, 303);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/retention/holds",
      summary:
        "Place a legal hold on a system, a dataset (rows before a date) or a case (a row and what belongs to it)",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      body: z.object({
        system: z.string().min(1).max(100),
        dataset: z.string().max(100).optional(),
        key: z.string().max(500).optional(),
        before: z.string().max(10).optional(),
        endsAt: z.string().max(10).optional(),
        reason: z.string().max(2000),
      }),
      responses: {
        200: {
          description:
            "The hold's id (an API caller), with a warning when a system could not be reached to keep its " +
            "keys from expiring (the hold is placed)",
          schema: z.object({ id: z.number(), warning: z.string().optional() }),
        },
        303: BACK,
        400: { description: "A hold without a target or reason" },
      },
    },
    async (c, { body, principal }) => {
      const blank = (v?: string) => (v?.trim() ? v.trim() : undefined);
      const input = HoldInput.safeParse({
        scope: blank(body.key) ? "case" : blank(body.dataset) ? "dataset" : "system",
        system: body.system,
        dataset: blank(body.dataset),
        key: blank(body.key),
        before: blank(body.before),
        endsAt: blank(body.endsAt),
        reason: body.reason,
      });
      const fail = (message: string) =>
        isApi(c)
          ? Promise.reject(new HttpError(400, "invalid_hold", message))
          : retentionPage(c, principal, { error: message });
      if (!input.success) return fail(input.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; "));
      try {
        const id = await placeHold(rctx(), input.data, `user:${principal.user.email}`);
        return isApi(c) ? c.json({ id }) : back(c);
      } catch (err) {
        // Placed, but a system could not be reached: the hold stands, and staff are told what is not yet kept.
        if (err instanceof HoldIncompleteError)
          return isApi(c)
            ? c.json({ id: err.holdId, warning: err.message })
            : retentionPage(c, principal, { error: err.message });
        if (err instanceof RetentionError) return fail(err.message);
        throw err;
      }
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/retention/holds/:id/lift",
      summary: "Lift a legal hold",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({}),
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: BACK,
        404: { description: "No such hold in force" },
      },
    },
    async (c, { params, principal }) => {
      try {
        await liftHold(rctx(), params.id, `user:${principal.user.email}`);
      } catch (err) {
        if (err instanceof RetentionError) throw new HttpError(404, "not_found", err.message);
        throw err;
      }
      return back(c);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/retention/obsolescence",
      summary: "Set the date a system goes out of use (the clock of rules from system obsolescence)",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      body: z.object({
        system: z.string().min(1).max(100),
        date: IsoDate,
      }),
      responses: {
        200: { description: "Done (an API caller)", schema: OkSchema },
        303: BACK,
        404: { description: "No such system" },
      },
    },
    async (c, { body, principal }) => {
      if (!Object.hasOwn(decl().systems, body.system))
        throw new HttpError(404, "not_found", `no system '${body.system}'`);
      const at = ctx.clock().toISOString();
      const by = `user:${principal.user.email}`;
      await ctx.store.db.deleteFrom("system_dates").where("system", "=", body.system).execute();
      await ctx.store.db
        .insertInto("system_dates")
        .values({ system: body.system, obsolescence: body.date, set_by: by, set_at: at })
        .execute();
      await appendAudit(
        ctx.store,
        { actor: by, action: "retention.obsolescence_set", subject: body.system, data: { date: body.date } },
        ctx.clock(),
      );
      return back(c);
    },
  );

  routes.add(
    {
      method: "get",
      path: "/api/v1/requests",
      summary:
        "Requests as JSON, open ones first by deadline, then closed ones latest first; " +
        "a page at a time (`total` counts every page)",
      tags: ["api"],
      access: "admin",
      query: z.object({
        status: z.enum(REQUEST_STATUSES).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(PAGE_SIZE),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      responses: {
        200: {
          description: "A page of requests, newest first",
          schema: z.object({
            requests: z.array(RequestViewSchema),
            total: z.number(),
            limit: z.number(),
            offset: z.number(),
          }),
        },
      },
    },
    async (c, { query }) =>
      c.json({
        requests: await listRequests(ctx, query),
        total: (await countRequests(ctx, { status: query.status })).total,
        limit: query.limit,
        offset: query.offset,
      }),
  );
  routes.add(
    {
      method: "get",
      path: "/api/v1/tokens",
      summary: "API tokens, without their secrets",
      tags: ["api"],
      access: "admin",
      role: "owner",
      responses: { 200: { description: "The tokens", schema: z.object({ tokens: z.array(ApiTokenSchema) }) } },
    },
    async (c) => c.json({ tokens: await listApiTokens(ctx.store) }),
  );
  routes.add(
    {
      method: "post",
      path: "/api/v1/tokens/:id/revoke",
      summary: "Revoke an API token: refused at once by this server and by every server on a PostgreSQL store",
      tags: ["api"],
      access: "admin",
      role: "owner",
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({}),
      responses: {
        200: { description: "Revoked", schema: z.object({ revoked: z.number() }) },
        404: { description: "No live token with this id" },
      },
    },
    async (c, { params, principal }) => {
      const n = await revokeApiToken(ctx.store, String(params.id), `user:${principal.user.email}`);
      if (!n) throw new HttpError(404, "not_found", `no live token ${params.id}`);
      return c.json({ revoked: n });
    },
  );
  routes.add(
    {
      method: "get",
      path: "/api/v1/requests/:id",
      summary: "A request with its tasks and timeline",
      tags: ["api"],
      access: "admin",
      params: Id,
      responses: {
        200: {
          description: "The request with its tasks and timeline",
          schema: z.object({
            request: RequestViewSchema,
            tasks: z.array(TaskViewSchema),
            timeline: z.array(RequestEventSchema),
          }),
        },
        404: { description: "No such request" },
      },
    },
    async (c, { params }) =>
      c.json({
        request: await getRequest(ctx, params.id),
        tasks: await requestTasks(ctx, params.id),
        timeline: await requestTimeline(ctx, params.id),
      }),
  );
}
