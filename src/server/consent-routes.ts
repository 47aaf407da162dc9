/** Routes of consent: the banner, records and receipts, decisions, newsletters, the GPC stance. */
import type { Context } from "hono";
import { cors } from "hono/cors";
import type { Hono } from "hono";
import { z } from "zod";
import {
  bannerBundle,
  bannerConfig,
  confirmSubscription,
  emailFits,
  peekConfirmation,
  confirmedSubscribers,
  consentReceipt,
  decide,
  gpcStance,
  gppConfig,
  tcfConfig,
  GvlError,
  type GvlSource,
  linkDevice,
  pickLanguage,
  recordConsent,
  signUp,
  subscriptionsOf,
  unsubscribe,
  LANGUAGES,
  NewsletterError,
  type DecisionContext,
  type NewsletterContext,
  ReceiptSchema,
} from "../consent/index.js";
import { hasRole } from "../auth/index.js";
import { toCsv } from "../csv/index.js";
import { MailError } from "../mail/index.js";
import { IsoDate, own, type Declaration } from "../declaration/index.js";
import type { Store } from "../store/index.js";
import {
  newsletterFormHtml,
  newsletterMessageHtml,
  newsletterConfirmHtml,
  newsletterPreferencesHtml,
  unsubscribePageHtml,
  negotiateLang,
  pageTexts,
} from "../web/index.js";
import { HttpError } from "./errors.js";
import { clientIp } from "./privacy-center-routes.js";
import type { RouteTable } from "./routes.js";
import { ConsentRecordSchema, DecisionSchema, OkSchema, PAGE } from "./schemas.js";

export interface ConsentDeps {
  store: Store;
  declaration: () => Declaration;
  decisions: DecisionContext;
  newsletters: NewsletterContext;
  trustProxy: number;
  /** Origins allowed to post consent records from the organization's site (`*` by default). */
  allowedOrigins: string[];
  /** Serve `/consent/demo`, a sample page with the banner (the demo only). */
  demoPage?: boolean;
  /** PLEDGE_PUBLIC_URL, where set: the banner posts there whatever Host a request names. */
  publicUrl?: string;
  /** The organization's Global Vendor List, for the TCF plugin (read from its file or downloaded on a schedule). */
  gvl?: GvlSource;
}

const gpcHeader = (c: Context) => c.req.header("sec-gpc") === "1";

/** A banner's choice is a few hundred bytes; this leaves room for a large declaration and no more. */
const CONSENT_MAX_BODY = 16 * 1024;
/** More services than any banner shows; each must also be one the declaration names. */
const MAX_SERVICES = 200;

export function registerConsent(app: Hono, routes: RouteTable, deps: ConsentDeps): void {
  const decl = () => deps.declaration();
  const sites = cors({
    origin: deps.allowedOrigins.includes("*") ? "*" : deps.allowedOrigins,
    allowMethods: ["GET", "POST"],
    allowHeaders: ["content-type"],
    maxAge: 600,
  });
  // The receipt holds the person's choices with a truncated IP and the user agent: only the organization's own sites
  // (named origins, never a wildcard) may read it from a script.
  const named = deps.allowedOrigins.filter((o) => o !== "*");
  const receiptSites = cors({ origin: (o) => (named.includes(o) ? o : null), allowMethods: ["GET"], maxAge: 600 });
  app.use("/consent/*", (c, next) => (c.req.path === "/consent/receipt" ? receiptSites(c, next) : sites(c, next)));

  routes.add(
    {
      method: "get",
      path: "/.well-known/gpc.json",
      summary: "The Global Privacy Control stance",
      tags: ["consent"],
      access: "public",
      responses: {
        200: {
          description: "Whether the site honours the signal, and since when (the declaration's effective date)",
          schema: z.object({ gpc: z.boolean(), lastUpdate: IsoDate }),
        },
      },
    },
    (c) => c.json(gpcStance(decl())),
  );

  routes.add(
    {
      method: "get",
      path: "/consent/banner.js",
      summary: "The consent banner: one script tag on the organization's site",
      tags: ["consent"],
      access: "public",
      query: z.object({ lang: z.enum(LANGUAGES).optional() }),
      responses: { 200: { description: "JavaScript", contentType: "application/javascript" } },
    },
    async (c, { query }) => {
      const language = query.lang ?? pickLanguage(c.req.header("accept-language"));
      // Where the banner posts choices: the configured public URL; without one, the Host asked for,
      // and a cache in front must then keep one copy per Host (Vary), or one request could poison it for all.
      const base = deps.publicUrl ? deps.publicUrl.replace(/\/+$/, "") : new URL(c.req.url).origin;
      const d = decl();
      const gpp = gppConfig(d);
      const tcf = tcfConfig(d, base);
      const config = {
        ...bannerConfig(d, language),
        serverGpc: gpcHeader(c),
        endpoint: `${base}/consent/records`,
        noticeUrl: `${base}/privacy#cookies`,
        // The plugins the declaration enables, loaded by the banner only then.
        ...(gpp || tcf
          ? {
              iab: {
                ...(gpp ? { gpp: { ...gpp, src: `${base}/consent/gpp.js` } } : {}),
                ...(tcf ? { tcf: { ...tcf, src: `${base}/consent/tcf.js` } } : {}),
              },
            }
          : {}),
      };
      const js =
        `window.PledgeConsentConfig=${JSON.stringify(config).replace(/</g, "\\u003c")}` + `;\n${await bannerBundle()}`;
      return c.body(js, 200, {
        "content-type": "application/javascript; charset=utf-8",
        "cache-control": "no-cache",
        vary: deps.publicUrl ? "Accept-Language, Sec-GPC" : "Host, Accept-Language, Sec-GPC",
      });
    },
  );

  for (const [name, what, enabled] of [
    ["gpp.js", "The banner's GPP plugin (__gpp, US sections); 404 unless the declaration enables GPP", gppConfig],
    ["tcf.js", "The banner's TCF v2.3 plugin (__tcfapi); 404 unless the declaration enables TCF", tcfConfig],
  ] as const)
    routes.add(
      {
        method: "get",
        path: `/consent/${name}`,
        summary: what,
        tags: ["consent"],
        access: "public",
        responses: {
          200: { description: "JavaScript", contentType: "application/javascript" },
          404: { description: "Not enabled" },
        },
      },
      async (c) => {
        if (!enabled(decl())) throw new HttpError(404, "not_found", `the declaration does not enable ${name}`);
        return c.body(await bannerBundle(name), 200, {
          "content-type": "application/javascript; charset=utf-8",
          "cache-control": "public, max-age=300",
        });
      },
    );
  routes.add(
    {
      method: "get",
      path: "/consent/tcf/vendor-list.json",
      summary: "The organization's Global Vendor List, cut down to the vendors it discloses (for the TCF plugin)",
      tags: ["consent"],
      access: "public",
      responses: {
        200: {
          description: "A GVL v3 document",
          schema: z.looseObject({
            gvlSpecificationVersion: z.number(),
            vendorListVersion: z.number(),
            tcfPolicyVersion: z.number(),
            lastUpdated: z.string(),
            purposes: z.record(z.string(), z.unknown()),
            vendors: z.record(z.string(), z.unknown()),
          }),
        },
        404: { description: "TCF not enabled" },
        503: { description: "The vendor list cannot be read or downloaded now" },
      },
    },
    async (c) => {
      const d = decl();
      if (!d.consent?.iab?.tcf || !deps.gvl)
        throw new HttpError(404, "not_found", "the declaration does not enable TCF");
      let got: Awaited<ReturnType<GvlSource["get"]>>;
      try {
        got = await deps.gvl.get(d);
      } catch (err) {
        if (err instanceof GvlError) throw new HttpError(503, "vendor_list_unavailable", err.message);
        throw err;
      }
      return c.json(got.list, 200, { "cache-control": "public, max-age=300" });
    },
  );

  const State = z.enum(["given", "refused", "withdrawn"]);
  routes.add(
    {
      method: "post",
      path: "/consent/records",
      summary:
        "Store a choice from the banner (201 once it is durable); Sec-GPC: 1 turns " +
        "marketing off and records method gpc",
      tags: ["consent"],
      access: "public",
      maxBody: CONSENT_MAX_BODY,
      body: z.strictObject({
        deviceId: z.string().regex(/^[A-Za-z0-9-]{16,64}$/, "expected the device id the banner generated"),
        categories: z.record(z.string().max(64), State),
        services: z
          .record(z.string().max(64), z.enum(["given", "refused"]))
          .refine((m) => Object.keys(m).length <= MAX_SERVICES, `at most ${MAX_SERVICES} services`)
          .default({}),
        language: z.enum(LANGUAGES).default("en"),
        materialKey: z.string().max(64).optional(),
        method: z.enum(["banner", "gpc"]).default("banner"),
        /** The IAB strings the banner's plugins set with this choice (decoded and checked before they are kept). */
        gppString: z.string().max(8192).optional(),
        tcString: z.string().max(16_384).optional(),
      }),
      responses: {
        201: {
          description: "Stored",
          schema: z.object({
            recordId: z.string(),
            validUntil: z.string(),
            method: z.string(),
            categories: z.record(z.string(), z.string()),
          }),
        },
        422: {
          description: "A choice the declaration does not allow (an unknown category or service, bad IAB strings)",
        },
      },
    },
    async (c, { body }) => {
      const rec = await recordConsent(deps.store, decl(), {
        deviceId: body.deviceId,
        categories: body.categories,
        services: body.services,
        language: body.language,
        method: body.method,
        gpcSignal: gpcHeader(c),
        gppString: body.gppString,
        tcString: body.tcString,
        ip: clientIp(c, deps.trustProxy),
        userAgent: c.req.header("user-agent"),
      });
      deps.decisions.cache.invalidate(`device:${body.deviceId}`);
      return c.json(
        { recordId: rec.recordId, validUntil: rec.validUntil, method: rec.method, categories: rec.categories },
        201,
      );
    },
  );

  routes.add(
    {
      method: "get",
      path: "/consent/receipt",
      summary: "A receipt (JSON) of every choice of a device",
      tags: ["consent"],
      access: "public",
      query: z.object({ device: z.string().regex(/^[A-Za-z0-9-]{16,64}$/) }),
      responses: { 200: { description: "The receipt (ISO/IEC TS 27560 fields)", schema: ReceiptSchema } },
    },
    async (c, { query }) => {
      c.header("content-disposition", 'attachment; filename="consent-receipt.json"');
      c.header("cache-control", "no-store");
      const noticeUrl = deps.publicUrl ? `${deps.publicUrl.replace(/\/$/, "")}/privacy` : undefined;
      return c.json(await consentReceipt(deps.store, decl(), { deviceId: query.device }, new Date(), { noticeUrl }));
    },
  );

  if (deps.demoPage) {
    routes.add(
      {
        method: "get",
        path: "/consent/demo",
        summary: "A sample shop page with the banner and blocked scripts (demo only)",
        tags: ["consent"],
        access: "public",
        responses: { 200: PAGE },
      },
      (c) =>
        c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="/favicon.ico">
        <title>Fjord Outfitters — demo shop</title>
<script src="/consent/banner.js"></script>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}.tag{padding:.5rem;
border:1px dashed #999;margin:.5rem 0}</style></head>
<body><h1>Fjord Outfitters</h1>
<p>A demo page of the organization's site. The scripts below only run once their category is allowed.</p>
<div class="tag" id="analytics-status">Analytics: blocked</div>
<div class="tag" id="marketing-status">Marketing: blocked</div>
<script type="text/plain" data-category="analytics" src="/consent/demo-tag.js?category=analytics"></script>
<script type="text/plain" data-category="marketing" data-service="meta_pixel"
  src="/consent/demo-tag.js?category=marketing"></script>
<p><a href="/privacy#cookies">Cookies in the privacy notice</a></p></body></html>`),
    );
    routes.add(
      {
        method: "get",
        path: "/consent/demo-tag.js",
        summary: "A stand-in for a third-party tag (demo only)",
        tags: ["consent"],
        access: "public",
        query: z.object({ category: z.enum(["analytics", "marketing"]) }),
        responses: { 200: { description: "JavaScript", contentType: "application/javascript" } },
      },
      (c, { query }) =>
        c.body(
          `document.getElementById(${JSON.stringify(`${query.category}-status`)}` +
            `).textContent = ` +
            `${JSON.stringify(
              `${query.category[0].toUpperCase()}${query.category.slice(1)}: running ` + `(consent given)`,
            )}` +
            `;`,
          200,
          { "content-type": "application/javascript" },
        ),
    );
  }

  // --- decisions: called by back ends on hot paths --------------------------------
  const DecisionQuery = z.object({
    subject: z.string().min(1).max(320),
    purpose: z.string().regex(/^[a-z][a-z0-9_]*$/),
    subjectType: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .default("email"),
  });
  routes.add(
    {
      method: "get",
      path: "/v1/decisions",
      summary: "May this purpose be carried out for this subject now? allow or deny, with the reason",
      tags: ["consent"],
      access: "admin",
      quiet: true,
      query: DecisionQuery,
      responses: { 200: { description: "The decision", schema: DecisionSchema } },
    },
    async (c, { query }) => c.json(await decide(deps.decisions, query.subject, query.purpose, query.subjectType)),
  );
  routes.add(
    {
      method: "post",
      path: "/v1/decisions",
      summary: "Decisions in a batch (up to 500)",
      tags: ["consent"],
      access: "admin",
      quiet: true,
      maxBody: 256 * 1024,
      body: z.object({ items: z.array(DecisionQuery).min(1).max(500) }),
      responses: {
        200: {
          description: "The decisions, in the order asked",
          schema: z.object({ decisions: z.array(DecisionSchema) }),
        },
      },
    },
    async (c, { body }) =>
      c.json({
        decisions: await Promise.all(
          body.items.map((i) => decide(deps.decisions, i.subject, i.purpose, i.subjectType)),
        ),
      }),
  );
  routes.add(
    {
      method: "post",
      path: "/v1/consent/records",
      summary: "Record consent from a form, an API or an import, for a person",
      tags: ["consent"],
      access: "admin",
      role: "officer",
      body: z.strictObject({
        subjectId: z.string().min(1).max(320),
        categories: z.record(z.string(), State).default({}),
        purposes: z.record(z.string(), State).default({}),
        language: z.enum(LANGUAGES).default("en"),
        method: z.enum(["form", "api", "import"]),
        jurisdiction: z.string().optional(),
      }),
      responses: {
        201: { description: "The record", schema: ConsentRecordSchema },
        422: { description: "A category or purpose the declaration does not have" },
      },
    },
    async (c, { body }) => {
      const rec = await recordConsent(deps.store, decl(), {
        subjectId: body.subjectId,
        categories: body.categories,
        purposes: body.purposes,
        language: body.language,
        method: body.method,
        jurisdiction: body.jurisdiction,
      });
      deps.decisions.cache.invalidate(body.subjectId);
      return c.json(rec, 201);
    },
  );
  routes.add(
    {
      method: "post",
      path: "/v1/consent/link",
      summary: "Link a device's choices to a person at login",
      tags: ["consent"],
      access: "admin",
      role: "officer",
      body: z.strictObject({ deviceId: z.string().min(16).max(64), subjectId: z.string().min(1).max(320) }),
      responses: { 200: { description: "Linked", schema: OkSchema } },
    },
    async (c, { body }) => {
      await linkDevice(deps.store, body.deviceId, body.subjectId);
      deps.decisions.cache.invalidate(body.subjectId);
      return c.json({ ok: true });
    },
  );

  // --- newsletters ----------------------------------------------------------------
  const List = z.object({ list: z.string().regex(/^[a-z][a-z0-9_]*$/) });
  const Token = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
  const wantsJson = (c: Context) => (c.req.header("content-type") ?? "").includes("application/json");
  /** The page's language: `?lang=` (the forms carry it on), else the browser's Accept-Language. */
  const langOf = (c: Context) => negotiateLang(c.req.header("accept-language"), c.req.query("lang"));
  const textsOf = (c: Context) => {
    const lang = langOf(c);
    return { lang, t: pageTexts(decl(), lang) };
  };
  const newsletterError = async (c: Context, err: unknown) => {
    const { lang, t } = textsOf(c);
    if (err instanceof MailError) {
      if (wantsJson(c)) return c.json({ error: { code: "mail_unavailable", message: err.message } }, 503);
      return c.html(
        await newsletterMessageHtml({ decl: decl(), lang, title: t("news.later"), message: t("news.laterText") }),
        503,
      );
    }
    if (!(err instanceof NewsletterError)) throw err;
    const status =
      err.code === "NOT_FOUND"
        ? 404
        : err.code === "LINK_EXPIRED"
          ? 410
          : err.code === "LINK_USED"
            ? 409
            : err.code === "RATE_LIMITED"
              ? 429
              : 422;
    if (wantsJson(c)) return c.json({ error: { code: err.code.toLowerCase(), message: err.message } }, status);
    const limited = err.code === "RATE_LIMITED";
    const title = t(limited ? "news.tooMany" : "news.unusableTitle");
    // English keeps the service's own message (it says how long to wait); the others say it in their words.
    const message = lang === "en" ? err.message : t(limited ? "news.tooManyText" : "news.unusable");
    return c.html(await newsletterMessageHtml({ decl: decl(), lang, title, message }), status);
  };

  routes.add(
    {
      method: "get",
      path: "/newsletter/:list",
      summary: "The sign-up form of a newsletter",
      tags: ["newsletters"],
      access: "public",
      params: List,
      responses: { 200: PAGE, 404: { description: "No such newsletter" } },
    },
    async (c, { params }) => {
      const n = own(decl().consent?.newsletters, params.list);
      if (!n) throw new HttpError(404, "not_found", `no newsletter '${params.list}'`);
      return c.html(await newsletterFormHtml({ decl: decl(), list: params.list, lang: langOf(c) }));
    },
  );
  routes.add(
    {
      method: "post",
      path: "/newsletter/:list",
      summary: "Sign up (form or JSON); a confirmation link is mailed",
      tags: ["newsletters"],
      access: "public",
      params: List,
      body: z.object({
        email: z
          .email({ message: "expected an email address" })
          .refine(emailFits, "at most 64 characters before the @ and 254 in all"),
        name: z.string().trim().max(200, "at most 200 characters").optional(),
      }),
      responses: {
        202: {
          description: "Pending confirmation (a JSON caller): a mail went out, or the address is already subscribed",
          schema: z.object({ status: z.enum(["pending", "confirmed"]) }),
        },
        303: { description: "A form: to the page that says a mail went out" },
        404: { description: "No such newsletter" },
        429: { description: "Too many sign-ups from this address or network" },
      },
    },
    async (c, { params, body }) => {
      try {
        const r = await signUp(deps.newsletters, params.list, {
          email: body.email,
          name: body.name || undefined,
          ip: clientIp(c, deps.trustProxy),
        });
        if (wantsJson(c)) return c.json(r, 202);
        // Post, redirect, get: a reload shows the page again instead of signing up again.
        return c.redirect(`/newsletter/${params.list}/sent?status=${r.status}&lang=${langOf(c)}`, 303);
      } catch (err) {
        return newsletterError(c, err);
      }
    },
  );
  routes.add(
    {
      method: "get",
      path: "/newsletter/:list/sent",
      summary: "What a sign-up leads to (the page the form redirects to)",
      tags: ["newsletters"],
      access: "public",
      params: List,
      query: z.object({
        status: z.enum(["pending", "confirmed"]).default("pending"),
        lang: z.string().max(5).optional(),
      }),
      responses: { 200: PAGE },
    },
    async (c, { params, query }) => {
      const n = own(decl().consent?.newsletters, params.list);
      if (!n) throw new HttpError(404, "not_found", `no newsletter '${params.list}'`);
      // The same words whether or not the address was subscribed already: the form tells nobody who subscribes.
      const { lang, t } = textsOf(c);
      const confirmed = query.status === "confirmed";
      return c.html(
        await newsletterMessageHtml({
          decl: decl(),
          lang,
          title: t(confirmed ? "news.thanks" : "news.checkEmail"),
          message: t(confirmed ? "news.subscribedTo" : "news.sent", { list: n.name }),
        }),
      );
    },
  );
  routes.add(
    {
      method: "get",
      path: "/newsletter/confirm/:token",
      summary:
        "The confirmation page, naming the list and the address (a button, so that mail scanners do not confirm)",
      tags: ["newsletters"],
      access: "public",
      params: Token,
      responses: {
        200: PAGE,
        404: { description: "Used or unknown" },
        410: { description: "Expired" },
      },
    },
    async (c, { params }) => {
      const p = await peekConfirmation(deps.newsletters, params.token);
      const { lang, t } = textsOf(c);
      if ("problem" in p) {
        const expired = p.problem === "expired";
        return c.html(
          await newsletterMessageHtml({
            decl: decl(),
            lang,
            title: t(expired ? "news.expiredTitle" : "news.unusableTitle"),
            message: t(expired ? "news.expired" : "news.unusable"),
          }),
          expired ? 410 : 404,
        );
      }
      return c.html(
        await newsletterConfirmHtml({ decl: decl(), token: params.token, listName: p.listName, email: p.email, lang }),
      );
    },
  );
  routes.add(
    {
      method: "post",
      path: "/newsletter/confirm/:token",
      summary: "Confirm a sign-up (the link works once, within the window)",
      tags: ["newsletters"],
      access: "public",
      params: Token,
      body: z.object({}),
      responses: {
        200: {
          description: "Confirmed: a page, or JSON for a JSON caller",
          html: true,
          schema: z.object({ confirmed: z.literal(true), list: z.string() }),
        },
        409: { description: "Used" },
        410: { description: "Expired" },
      },
    },
    async (c, { params }) => {
      try {
        const r = await confirmSubscription(deps.newsletters, params.token, clientIp(c, deps.trustProxy));
        if (wantsJson(c)) return c.json({ confirmed: true, list: r.list });
        const { lang, t } = textsOf(c);
        return c.html(
          await newsletterMessageHtml({
            decl: decl(),
            lang,
            title: t("news.subscribed"),
            message: t("news.confirmed", { list: decl().consent?.newsletters[r.list]?.name ?? r.list }),
          }),
        );
      } catch (err) {
        return newsletterError(c, err);
      }
    },
  );
  routes.add(
    {
      method: "get",
      path: "/newsletter/unsubscribe/:token",
      summary: "The unsubscribe page",
      tags: ["newsletters"],
      access: "public",
      params: Token,
      responses: { 200: PAGE },
    },
    async (c, { params }) => {
      const subs = await subscriptionsOf(deps.newsletters, params.token);
      // A link used already shows where things stand, not a button that does nothing.
      const { lang, t } = textsOf(c);
      if (subs && !subs.subscriptions.some((x) => x.status === "confirmed" || x.status === "pending"))
        return c.html(
          await newsletterMessageHtml({ decl: decl(), lang, title: t("news.isUnsubscribed"), message: t("news.none") }),
        );
      return c.html(await unsubscribePageHtml({ decl: decl(), token: params.token, lang }));
    },
  );
  routes.add(
    {
      method: "post",
      path: "/newsletter/unsubscribe/:token",
      summary: "Unsubscribe in one click (RFC 8058 List-Unsubscribe-Post), no login",
      tags: ["newsletters"],
      access: "public",
      params: Token,
      query: z.object({ list: z.string().optional(), lang: z.string().max(5).optional() }),
      body: z.object({ "List-Unsubscribe": z.string().max(100).optional() }),
      responses: {
        200: {
          description: "Unsubscribed: a page, or a line of text for a mail client's one-click POST",
          html: true,
          also: ["text/plain"],
        },
        404: { description: "Unknown link" },
      },
    },
    async (c, { params, query }) => {
      try {
        const n = await unsubscribe(deps.newsletters, params.token, query.list);
        if (
          (c.req.header("content-type") ?? "").includes("application/x-www-form-urlencoded") &&
          !(c.req.header("accept") ?? "").includes("text/html")
        )
          return c.text(`unsubscribed (${n})`);
        const { lang, t } = textsOf(c);
        return c.html(
          await newsletterMessageHtml({ decl: decl(), lang, title: t("news.unsubscribed"), message: t("news.noMore") }),
        );
      } catch (err) {
        return newsletterError(c, err);
      }
    },
  );
  routes.add(
    {
      method: "get",
      path: "/newsletter/preferences/:token",
      summary: "Every subscription of the person, with unsubscribe buttons",
      tags: ["newsletters"],
      access: "public",
      params: Token,
      responses: { 200: PAGE, 404: { description: "Unknown link" } },
    },
    async (c, { params }) => {
      const subs = await subscriptionsOf(deps.newsletters, params.token);
      if (!subs) throw new HttpError(404, "not_found", "this link is not valid");
      // The page shows the subscriber's address: no shared cache or back-button copy keeps it.
      c.header("cache-control", "no-store");
      return c.html(
        await newsletterPreferencesHtml({
          decl: decl(),
          lang: langOf(c),
          token: params.token,
          email: subs.email,
          subscriptions: subs.subscriptions.map((s) => ({
            list: s.list,
            status: s.status,
            signupAt: s.signup_at,
            confirmedAt: s.confirmed_at,
          })),
        }),
      );
    },
  );
  routes.add(
    {
      method: "get",
      path: "/v1/newsletters/:list/subscribers",
      summary:
        "The confirmed list, for the sending tool (JSON or CSV); each subscriber's one-click unsubscribe URL for " +
        "officers and their tokens only",
      tags: ["newsletters"],
      access: "admin",
      params: List,
      query: z.object({ format: z.enum(["json", "csv"]).default("json") }),
      responses: {
        200: {
          description: "The confirmed subscribers (format=json, or CSV with format=csv)",
          schema: z.object({
            list: z.string(),
            subscribers: z.array(
              z.object({
                email: z.string(),
                name: z.string().nullable(),
                confirmed_at: z.string().nullable(),
                unsubscribeUrl: z.string().optional(),
              }),
            ),
          }),
          also: ["text/csv"],
        },
        404: { description: "No such newsletter" },
      },
    },
    async (c, { params, query, principal }) => {
      if (!own(decl().consent?.newsletters, params.list))
        throw new HttpError(404, "not_found", `no newsletter '${params.list}'`);
      // An unsubscribe URL is a key to the subscriber's preferences: the sending tool needs it, a viewer does not.
      const links = hasRole(principal.user.role, "officer");
      const rows = (await confirmedSubscribers(deps.newsletters, params.list)).map(({ unsubscribeUrl, ...r }) =>
        links ? { ...r, unsubscribeUrl } : r,
      );
      if (query.format === "csv")
        return c.body(
          toCsv(
            ["email", "name", "confirmed_at", ...(links ? ["unsubscribe_url"] : [])],
            rows.map((r) => [r.email, r.name, r.confirmed_at, ...("unsubscribeUrl" in r ? [r.unsubscribeUrl] : [])]),
          ),
          200,
          { "content-type": "text/csv; charset=utf-8" },
        );
      return c.json({ list: params.list, subscribers: rows });
    },
  );
}
