/**
 * The HTTP application: a Hono app over the store and the current declaration.
 * Routes are declared in the route table (validation and OpenAPI from the same
 * zod schemas); every error leaves in one JSON shape.
 */
import { dirname, resolve } from "node:path";
import { type Context, Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { z } from "zod";
import { localizeDeclaration, type LoadedDeclaration } from "../declaration/index.js";
import { buildNotice, getPublishedDeclaration, listPublishedVersions, renderNoticeMarkdown } from "../notice/index.js";
import { taskBacklog, type RequestsContext } from "../requests/index.js";
import { pingStore, type Store } from "../store/index.js";
import { registerAccounts } from "./account-routes.js";
import { registerMap } from "./map-routes.js";
import { registerDpia } from "./dpia-routes.js";
import { registerAdmin, staffAuthenticator } from "./admin-routes.js";
import { registerPrivacyCenter } from "./privacy-center-routes.js";
import { registerConsent } from "./consent-routes.js";
import { registerGovernance } from "./governance-routes.js";
import { registerDrp } from "./drp-routes.js";
import { DecisionCache, GvlSource, type NewsletterContext } from "../consent/index.js";
import { errorPageHtml, negotiateLang, noticePageHtml, versionsPageHtml } from "../web/index.js";
import { stylesheetCss, stylesheetPath } from "../style/index.js";
import { buildDataMap, simplifiedDataMap } from "../map/index.js";
import { HttpError, toErrorResponse } from "./errors.js";
import type { Logger } from "./logger.js";
import { Metrics } from "./metrics.js";
import { retentionStats } from "../retention/index.js";
import { governanceOverview } from "../governance/index.js";
import { openApiDocument } from "./openapi.js";
import { isApiPath, RouteTable, wantsHtml } from "./routes.js";
import { ErrorSchema } from "./schemas.js";
import { safeEqual } from "../auth/index.js";

export interface AppContext {
  store: Store;
  /** The declaration being served now (a function, so it can be reloaded). */
  declaration: () => LoadedDeclaration;
  logger: Logger;
  metrics?: Metrics;
  /** Rights requests: the privacy center, the admin console and the staff API. */
  requests?: RequestsContext;
  /** Behind how many proxies the server runs: the client's address is the one the nearest of them added. */
  trustProxy?: number;
  /** The bearer token that `/metrics` asks for (PLEDGE_METRICS_TOKEN); staff API tokens are taken too. */
  metricsToken?: string;
  /** Mark the session cookie Secure (served over HTTPS). */
  secureCookies?: boolean;
  /** Consent and newsletters (needs `requests` for mail and settings). */
  consent?: {
    newsletters: NewsletterContext;
    cache?: DecisionCache;
    allowedOrigins?: string[];
    demoPage?: boolean;
    publicUrl?: string;
  };
}

export interface PledgeApp {
  app: Hono;
  routes: RouteTable;
  metrics: Metrics;
  /** The metrics in the Prometheus text format, read fresh: for the metrics listener. */
  renderMetrics: () => Promise<string>;
}

/** The Prometheus text format's content type. */
export const METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const PKG_VERSION = "0.1.0";

/** The site's icon: a shield, drawn as SVG (browsers take it at /favicon.ico by its content type). */
const FAVICON =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 4 ` +
  `7v8c0 7.5 5.1 13.4 12 15 6.9-1.6 12-7.5 12-15V7z" fill="#0b57d0"/><path ` +
  `d="m11 16 4 4 7-8" stroke="#fff" stroke-width="3" fill="none" ` +
  `stroke-linecap="round" stroke-linejoin="round"/></svg>`;

/**
 * The route pattern a request matched (`/privacy-center/requests/:token`), or `unmatched`: what logs and metrics name.
 */
const routeOf = (routePath: string | undefined) =>
  routePath && routePath !== "*" && routePath !== "/*" && routePath !== "/consent/*" ? routePath : "unmatched";

/** The notice's JSON form (format=json): its sections, each sentence with what it traces to. */
const NoticeSchema = z
  .looseObject({
    lang: z.string(),
    title: z.string(),
    organization: z.string(),
    version: z.string(),
    effectiveDate: z.string(),
    meta: z.string(),
    sectionsLabel: z.string(),
    sections: z.array(z.looseObject({ id: z.string(), title: z.string() })),
  })
  .meta({ id: "Notice" });
const NOTICE_RESPONSE = {
  description: "The notice as HTML (the default), Markdown (format=md) or JSON (format=json)",
  html: true,
  schema: NoticeSchema,
  also: ["text/markdown"],
};

/**
 * Builds the application.
 *
 * ```ts
 * const { app } = createApp({ store, declaration: () => loaded, logger });
 * const res = await app.request("/healthz");
 * ```
 */
export function createApp(ctx: AppContext): PledgeApp {
  const app = new Hono();
  const metrics = ctx.metrics ?? new Metrics();
  const routes = new RouteTable(app, staffAuthenticator(ctx.store));
  const quiet = new Set<string>();

  // Documents get the full set of security headers; machine APIs (JSON for back ends, on hot
  // paths) get the ones that matter to them, which keeps every response small.
  // One framing rule: CSP frame-ancestors (X-Frame-Options would say SAMEORIGIN beside it). No page of Pledge's uses
  // a camera, a microphone, a location, payment or other powerful features, so none may be asked for.
  const pageHeaders = secureHeaders({
    crossOriginResourcePolicy: false,
    xFrameOptions: false,
    permissionsPolicy: {
      accelerometer: [],
      camera: [],
      displayCapture: [],
      geolocation: [],
      gyroscope: [],
      hid: [],
      magnetometer: [],
      microphone: [],
      midi: [],
      payment: [],
      serial: [],
      usb: [],
    },
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      frameAncestors: ["'none'"],
    },
  });
  app.use("*", async (c, next) => {
    if (!isApiPath(c.req.path)) return pageHeaders(c, next);
    await next();
    c.res.headers.set("x-content-type-options", "nosniff");
    c.res.headers.set("cache-control", "no-store");
  });
  // The banner and its endpoints are loaded by the organization's own site, on another origin.
  app.use("/consent/*", async (c, next) => {
    await next();
    c.res.headers.set("cross-origin-resource-policy", "cross-origin");
  });
  // The access log names the route's pattern, never the path: paths carry status, export and
  // newsletter tokens (`/privacy-center/requests/<token>/export`), which are keys to a person's data.
  app.use("*", async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = routeOf(c.req.routePath);
      const seconds = (performance.now() - started) / 1000;
      metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
      metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
      const line = { method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) };
      if (quiet.has(route) && c.res.status < 400) ctx.logger.debug(line, "request");
      else ctx.logger.info(line, "request");
    }
  });

  // A person in a browser gets a page in the site's style; machines (and the APIs) keep JSON.
  const browser = (c: Context) => wantsHtml(c) && !isApiPath(c.req.path);
  const errorPage = async (c: Context, status: number, code: string, message: string) => {
    const d = ctx.declaration().declaration;
    return c.html(
      await errorPageHtml({
        organization: d.organization.name,
        status,
        code,
        message,
        lang: negotiateLang(c.req.header("accept-language")),
        admin: c.req.path.startsWith("/admin"),
      }),
      status as 400,
    );
  };
  app.onError(async (err, c) => {
    const { status, body, exposed } = toErrorResponse(err);
    if (!exposed) ctx.logger.error({ err, method: c.req.method, route: routeOf(c.req.routePath) }, "unhandled error");
    if (browser(c)) return errorPage(c, status, body.error.code, exposed ? body.error.message : "");
    return c.json(body, status);
  });
  app.notFound(async (c) => {
    if (browser(c)) return errorPage(c, 404, "not_found", "");
    return c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } }, 404);
  });
  // The stylesheet: its name carries its hash, so it is kept for a year and a release changes the name.
  app.get("/assets/:file", (c) =>
    c.req.path === stylesheetPath()
      ? c.body(stylesheetCss(), 200, {
          "content-type": "text/css; charset=utf-8",
          "cache-control": "public, max-age=31536000, immutable",
        })
      : c.notFound(),
  );
  app.get("/favicon.ico", (c) =>
    c.body(FAVICON, 200, { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" }),
  );

  // --- operations -----------------------------------------------------------
  routes.add(
    {
      method: "get",
      path: "/healthz",
      summary: "Liveness and store health",
      tags: ["operations"],
      access: "public",
      responses: {
        200: {
          description: "Healthy",
          schema: z.object({ status: z.literal("ok"), store: z.string(), declaration: z.string() }),
        },
        503: { description: "The store does not answer", schema: ErrorSchema },
      },
    },
    async (c) => {
      if (!(await pingStore(ctx.store))) throw new HttpError(503, "store_unavailable", "the store does not answer");
      return c.json({
        status: "ok" as const,
        store: ctx.store.engine,
        declaration: ctx.declaration().declaration.version,
      });
    },
  );
  /** The metrics, read fresh from the store: what `/metrics` and the metrics listener answer. */
  const renderMetrics = async (): Promise<string> => {
    metrics.declaration.set({ version: ctx.declaration().declaration.version }, 1);
    const head = await ctx.store.db.selectFrom("audit_head").select("seq").where("id", "=", 1).executeTakeFirst();
    metrics.auditEntries.set({}, head?.seq ?? 0);
    const backlog = await taskBacklog(ctx.store, new Date());
    metrics.tasks.reset();
    for (const t of backlog.unfinished) metrics.tasks.set({ kind: t.kind, state: t.status }, t.count);
    metrics.tasksDue.set({}, backlog.due);
    const now = new Date();
    for (const g of [
      metrics.retentionOldest,
      metrics.retentionLimit,
      metrics.retentionRemaining,
      metrics.retentionRows,
      metrics.retentionLastSweep,
    ])
      g.reset();
    for (const s of await retentionStats(
      { store: ctx.store, declaration: () => ctx.declaration().declaration, env: {}, clock: () => now },
      { days: 1 },
    )) {
      const labels = { binding: s.binding, rule: s.rule, dataset: `${s.system}.${s.dataset}` };
      metrics.retentionLimit.set(labels, s.limitSeconds);
      if (s.oldest)
        metrics.retentionOldest.set(labels, Math.max(0, Math.round((now.getTime() - Date.parse(s.oldest)) / 1000)));
      if (s.remaining !== null) metrics.retentionRemaining.set({ binding: s.binding }, s.remaining);
      for (const [outcome, n] of Object.entries(s.totals))
        metrics.retentionRows.set({ binding: s.binding, outcome }, n);
      if (s.lastSweep)
        metrics.retentionLastSweep.set({ binding: s.binding }, Math.round(Date.parse(s.lastSweep) / 1000));
    }
    metrics.governance.reset();
    if (ctx.requests) {
      const o = await governanceOverview(ctx.requests);
      const items: Record<string, number> = {
        breach_clocks_overdue: o.clocksOverdue,
        breach_clocks_due_soon: o.clocksDueSoon,
        incidents_open: o.incidentsOpen,
        access_awaiting: o.accessAwaiting,
        custody_overdue: o.custodyOverdue,
        // A request under a gag, or an instrument whose count the law allows only as a band, is never counted here.
        legal_open: o.legalOpenUngagged,
        agreements_expiring: o.agreementsExpiring,
      };
      for (const [item, n] of Object.entries(items)) metrics.governance.set({ item }, n);
    }
    return metrics.render();
  };
  const authenticate = staffAuthenticator(ctx.store);
  routes.add(
    {
      method: "get",
      path: "/metrics",
      summary:
        "Prometheus metrics: with the metrics token (PLEDGE_METRICS_TOKEN) or a staff API token as a Bearer token, " +
        "or without one on the metrics listener (PLEDGE_METRICS_PORT)",
      tags: ["operations"],
      access: "public",
      responses: {
        200: { description: "Metrics in the Prometheus text format", contentType: "text/plain; version=0.0.4" },
        401: { description: "No metrics token", schema: ErrorSchema },
      },
    },
    async (c) => {
      const auth = c.req.header("authorization") ?? "";
      const byToken = !!ctx.metricsToken && safeEqual(auth, `Bearer ${ctx.metricsToken}`);
      if (!byToken && !(await authenticate(c)))
        throw new HttpError(
          401,
          "unauthenticated",
          "send the metrics token (PLEDGE_METRICS_TOKEN) or a staff API token as a Bearer token, " +
            "or scrape the metrics listener (PLEDGE_METRICS_PORT)",
        );
      return c.text(await renderMetrics(), 200, { "content-type": METRICS_TYPE });
    },
  );
  let openApi: { serverUrl: string; body: Record<string, unknown> } | undefined;
  routes.add(
    {
      method: "get",
      path: "/openapi.json",
      summary: "This API's OpenAPI document",
      tags: ["operations"],
      access: "public",
      responses: {
        200: {
          description: "OpenAPI 3.1",
          schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
        },
      },
    },
    (c) => {
      // The public URL it is reached at (PLEDGE_PUBLIC_URL), or the address this call came to.
      const serverUrl = ctx.requests?.publicUrl || new URL(c.req.url).origin;
      // The route table is fixed once the app is built: the document is made once per server address, not per call.
      if (openApi?.serverUrl !== serverUrl)
        openApi = {
          serverUrl,
          body: openApiDocument(routes.routes, { title: "Pledge", version: PKG_VERSION, serverUrl }),
        };
      return c.json(openApi.body);
    },
  );

  // --- the notice -------------------------------------------------------------
  const Format = z.object({
    format: z.enum(["html", "md", "json"]).default("html"),
    /** The language (`en`, `de`, `fr`); the browser's Accept-Language when absent. */
    lang: z.enum(["en", "de", "fr"]).optional(),
  });
  const renderNotice = async (
    c: Parameters<Parameters<RouteTable["add"]>[1]>[0],
    loaded: LoadedDeclaration,
    query: z.infer<typeof Format>,
    archived: boolean,
  ) => {
    const lang = negotiateLang(c.req.header("accept-language"), query.lang);
    const doc = buildNotice(loaded.declaration, lang);
    // The same address answers in the browser's language: caches keep one copy per language.
    c.header("Content-Language", lang);
    c.header("Vary", "Accept-Language");
    if (query.format === "md")
      return c.body(renderNoticeMarkdown(doc), 200, { "content-type": "text/markdown; charset=utf-8" });
    if (query.format === "json") return c.json(doc);
    const d = localizeDeclaration(loaded.declaration, lang);
    const map = d.notice.map ? simplifiedDataMap(buildDataMap(d, [], { lang })) : undefined;
    return c.html(await noticePageHtml({ doc, archived, map }));
  };
  routes.add(
    {
      method: "get",
      path: "/privacy",
      summary: "The current privacy notice",
      tags: ["notice"],
      access: "public",
      query: Format,
      responses: { 200: NOTICE_RESPONSE },
    },
    (c, { query }) => renderNotice(c, ctx.declaration(), query, false),
  );
  routes.add(
    {
      method: "get",
      path: "/privacy/versions",
      summary: "Published versions of the notice",
      tags: ["notice"],
      access: "public",
      query: z.object({
        format: z.enum(["html", "json"]).default("html"),
        lang: z.enum(["en", "de", "fr"]).optional(),
      }),
      responses: {
        200: {
          description: "The versions, newest first (format=json), or the page",
          html: true,
          schema: z.object({
            versions: z.array(
              z.object({ version: z.string(), effectiveDate: z.string(), hash: z.string(), publishedAt: z.string() }),
            ),
          }),
        },
      },
    },
    async (c, { query }) => {
      const versions = await listPublishedVersions(ctx.store);
      if (query.format === "json") return c.json({ versions });
      const d = ctx.declaration().declaration;
      const lang = negotiateLang(c.req.header("accept-language"), query.lang);
      c.header("Content-Language", lang);
      c.header("Vary", "Accept-Language");
      return c.html(await versionsPageHtml({ organization: d.organization.name, versions, current: d.version, lang }));
    },
  );
  routes.add(
    {
      method: "get",
      path: "/privacy/versions/:version",
      summary: "An earlier version of the notice",
      tags: ["notice"],
      access: "public",
      params: z.object({ version: z.string().min(1).max(200) }),
      query: Format,
      responses: {
        200: NOTICE_RESPONSE,
        404: { description: "No such version", schema: ErrorSchema },
      },
    },
    async (c, { params, query }) => {
      const loaded = await getPublishedDeclaration(ctx.store, params.version);
      if (!loaded) throw new HttpError(404, "not_found", `no published version '${params.version}'`);
      return renderNotice(c, loaded, query, loaded.declaration.version !== ctx.declaration().declaration.version);
    },
  );

  if (ctx.requests) {
    registerPrivacyCenter(routes, ctx.requests, { trustProxy: ctx.trustProxy ?? 0 });
    registerAdmin(routes, ctx.requests, { trustProxy: ctx.trustProxy ?? 0, secureCookies: !!ctx.secureCookies });
    registerAccounts(routes, ctx.requests, { trustProxy: ctx.trustProxy ?? 0, secureCookies: !!ctx.secureCookies });
    registerMap(routes, { declaration: ctx.declaration });
    registerDpia(routes, { store: ctx.store, declaration: () => ctx.declaration().declaration });
    registerGovernance(routes, ctx.requests, { trustProxy: ctx.trustProxy ?? 0 });
    registerDrp(routes, ctx.requests);
  }
  if (ctx.consent && ctx.requests) {
    const r = ctx.requests;
    registerConsent(app, routes, {
      store: ctx.store,
      declaration: () => ctx.declaration().declaration,
      decisions: {
        store: ctx.store,
        declaration: () => ctx.declaration().declaration,
        env: r.env,
        cache: ctx.consent.cache ?? new DecisionCache(),
        clock: r.clock,
      },
      newsletters: ctx.consent.newsletters,
      trustProxy: ctx.trustProxy ?? 0,
      allowedOrigins: ctx.consent.allowedOrigins ?? ["*"],
      demoPage: ctx.consent.demoPage,
      publicUrl: ctx.consent.publicUrl,
      gvl: new GvlSource(() => dirname(resolve(ctx.declaration().file))),
    });
  }
  for (const r of routes.routes) if (r.quiet) quiet.add(r.path);

  return { app, routes, metrics, renderMetrics };
}
