/** Routes of the privacy center (public): the form, the code, the status page and the download. */
import type { Context } from "hono";
import { processorProgress } from "../requests/index.js";
import { getConnInfo } from "@hono/node-server/conninfo";
import { z } from "zod";
import {
  RECTIFIABLE,
  RequestError,
  appealRequest,
  RequestInputSchema,
  findRequestByToken,
  getExport,
  getExportExpiry,
  codeSentTo,
  getRequest,
  requesterTimeline,
  requestDelayed,
  isOpen,
  resendCode,
  submitRequest,
  verifyRequest,
  type RequestsContext,
} from "../requests/index.js";
import { MailError } from "../mail/index.js";
import {
  identityLabel,
  negotiateLang,
  pageTexts,
  messagePageHtml,
  requestFormHtml,
  statusPageHtml,
  STATUS_SCRIPT,
  verifyPageHtml,
  type FormState,
} from "../web/index.js";
import type { RouteTable } from "./routes.js";
import { PAGE } from "./schemas.js";

const MAX_UPLOAD = 5 * 1024 * 1024;

/**
 * The client's address for rate limits: the socket's, or, behind `trustProxy` proxies, the address the farthest of
 * them saw, which is the `trustProxy`-th X-Forwarded-For entry from the right. Entries to the left of it are written by
 * the client and are never read.
 */
export function clientIp(c: Context, trustProxy: number): string | undefined {
  let socket: string | undefined;
  try {
    socket = getConnInfo(c).remote.address;
  } catch {
    socket = undefined;
  }
  if (trustProxy <= 0) return socket;
  const hops = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  // From the socket outwards: each trusted proxy vouches for the address one step further.
  const chain = [socket, ...hops.reverse()];
  return chain[Math.min(trustProxy, chain.length - 1)] ?? socket;
}

const wantsJson = (c: Context) =>
  (c.req.header("content-type") ?? "").includes("application/json") ||
  (c.req.header("accept") ?? "").startsWith("application/json");

/** Turns the flat form (or a JSON body) into the request input shape. */
function formToInput(body: Record<string, unknown>): Record<string, unknown> {
  if (typeof body.corrections === "object" || Array.isArray(body.purposes) || typeof body.agent === "object")
    return body; // JSON already shaped
  const corrections: Record<string, string> = {};
  for (const cat of Object.keys(RECTIFIABLE)) {
    const v = body[`correct:${cat}`];
    if (typeof v === "string" && v.trim()) corrections[cat] = v.trim();
  }
  const purposes = body.purposes === undefined ? [] : Array.isArray(body.purposes) ? body.purposes : [body.purposes];
  return {
    right: body.right,
    identityType: body.identityType || undefined,
    // One box per identity (`identity:phone`): the one of the chosen identity counts.
    identity:
      body.identity ??
      (typeof body.identityType === "string" ? body[`identity:${body.identityType}`] : undefined) ??
      "",
    contactEmail: body.contactEmail,
    name: body.name,
    jurisdiction: body.jurisdiction,
    corrections,
    purposes,
    ...(body.isAgent === "yes" ? { agent: { name: body.agentName, email: body.agentEmail } } : {}),
  };
}

/** The page's language: `?lang=` or the form's `lang`, else the browser's Accept-Language. */
const langOf = (c: Context, override?: string) =>
  negotiateLang(c.req.header("accept-language"), override ?? c.req.query("lang"));

export function registerPrivacyCenter(routes: RouteTable, ctx: RequestsContext, options: { trustProxy: number }): void {
  const decl = () => ctx.declaration();
  /** The texts of the page's language, as the declaration words them. */
  const textOf = (c: Context) => pageTexts(decl(), langOf(c));
  const Token = z.object({ token: z.string().min(1).max(200) });
  const RequestId = z.object({ id: z.string().regex(/^req_[A-Za-z0-9_-]{8,40}$/, "not a request id") });

  routes.add(
    {
      method: "get",
      path: "/privacy-center",
      summary: "The privacy center's request form",
      tags: ["privacy center"],
      access: "public",
      query: z.object({ right: z.string().max(40).optional(), lang: z.string().max(5).optional() }),
      responses: {
        200: { description: "HTML: the choice of right, or the form of the right chosen", contentType: "text/html" },
      },
    },
    async (c, { query }) =>
      c.html(
        await requestFormHtml({
          decl: decl(),
          state: { values: { right: query.right ?? "" }, errors: {} },
          lang: langOf(c, query.lang),
        }),
      ),
  );

  routes.add(
    {
      method: "post",
      path: "/privacy-center/requests",
      summary: "Submit a rights request (form or JSON); a code is mailed to the requester",
      tags: ["privacy center"],
      access: "public",
      body: z.record(z.string(), z.unknown()),
      documentedBody: RequestInputSchema.safeExtend({
        lang: z.enum(["en", "de", "fr"]).optional(),
        authorization: z.string().optional().meta({ description: "A signed authorization (PDF or image), multipart" }),
      }),
      maxBody: MAX_UPLOAD + 256 * 1024,
      // A purpose and a correctable category each a field: room for a declaration with many of both.
      maxFields: 400,
      responses: {
        201: {
          description: "Created (a JSON caller): a code went to the address; an opt-out has its status token at once",
          schema: z.object({
            requestId: z.string(),
            sentTo: z.string().optional(),
            statusToken: z.string().optional(),
          }),
        },
        303: { description: "Form: redirect to the code page" },
        422: { description: "Invalid" },
        429: { description: "Too many codes" },
      },
    },
    async (c, { body }) => {
      const json = wantsJson(c);
      const lang = langOf(c, typeof body.lang === "string" ? body.lang : undefined);
      const parsed = RequestInputSchema.safeParse(formToInput(body));
      const file = body.authorization;
      const state: FormState = {
        values: Object.fromEntries(
          Object.entries(body).filter(([, v]) => typeof v === "string" || Array.isArray(v)),
        ) as FormState["values"],
        errors: {},
      };
      if (!parsed.success) {
        for (const i of parsed.error.issues) state.errors[String(i.path[0] ?? "form")] ??= i.message;
        if (json)
          return c.json(
            {
              error: {
                code: "invalid_request",
                message: Object.entries(state.errors)
                  .map(([k, m]) => `body.${k}: ${m}`)
                  .join("; "),
              },
            },
            422,
          );
        return c.html(await requestFormHtml({ decl: decl(), state, lang }), 422);
      }
      let authorization: { filename: string; contentType: string; data: Uint8Array } | undefined;
      if (file instanceof File && file.size > 0) {
        if (file.size > MAX_UPLOAD) state.errors.authorization = "the file is larger than 5 MB";
        else if (!/^(application\/pdf|image\/)/.test(file.type)) state.errors.authorization = "send a PDF or an image";
        else
          authorization = {
            filename: file.name.replace(/[^\w.\- ]/g, "_").slice(0, 100),
            contentType: file.type,
            data: new Uint8Array(await file.arrayBuffer()),
          };
      }
      try {
        if (state.errors.authorization)
          throw new RequestError("REQUEST_INVALID", `authorization: ${state.errors.authorization}`);
        const res = await submitRequest(ctx, parsed.data, { ip: clientIp(c, options.trustProxy), authorization });
        if (json) return c.json(res, 201);
        return c.redirect(
          res.statusToken ? `/privacy-center/requests/${res.statusToken}` : `/privacy-center/verify/${res.requestId}`,
          303,
        );
      } catch (err) {
        if (err instanceof MailError && !json) {
          state.errors.form =
            "We could not send you the email with your code just now, so nothing was " +
            "saved. Please try again in a few minutes.";
          return c.html(await requestFormHtml({ decl: decl(), state, lang }), 503);
        }
        if (!(err instanceof RequestError) || json) throw err;
        const field = /^(\w+):/.exec(err.message)?.[1] ?? "form";
        state.errors[field] = err.message.replace(/^\w+: /, "");
        return c.html(await requestFormHtml({ decl: decl(), state, lang }), err.code === "RATE_LIMITED" ? 429 : 422);
      }
    },
  );

  const verifyPage = async (c: Context, id: string, error?: string, status: 200 | 422 | 429 | 503 = 200) => {
    const r = await getRequest(ctx, id).catch(() => undefined);
    if (r?.status !== "unverified")
      return c.html(
        await messagePageHtml({
          decl: decl(),
          lang: langOf(c),
          title: textOf(c)("msg.nothingToConfirm"),
          message: textOf(c)("msg.nothingToConfirmText"),
        }),
        404,
      );
    return c.html(
      await verifyPageHtml({
        decl: decl(),
        requestId: id,
        sentTo: codeSentTo(r),
        identityLabel: identityLabel(r.identityType, textOf(c)),
        agent: !!r.agent,
        error,
        lang: langOf(c),
      }),
      status,
    );
  };

  routes.add(
    {
      method: "get",
      path: "/privacy-center/verify/:id",
      summary: "The code form of a request",
      tags: ["privacy center"],
      access: "public",
      params: RequestId,
      responses: { 200: { description: "HTML form", html: true }, 404: { description: "Not waiting for a code" } },
    },
    (c, { params }) => verifyPage(c, params.id),
  );

  routes.add(
    {
      method: "post",
      path: "/privacy-center/verify/:id",
      summary: "Confirm a request with its code (6 digits, 10 minutes, 5 tries)",
      tags: ["privacy center"],
      access: "public",
      params: RequestId,
      body: z.object({ code: z.string().max(20) }),
      responses: {
        303: { description: "Verified: redirect to the status page" },
        201: {
          description: "Verified (a JSON caller): the status token and page",
          schema: z.object({ statusToken: z.string(), statusUrl: z.string() }),
        },
        422: { description: "Wrong or expired code" },
      },
    },
    async (c, { params, body }) => {
      const res = await verifyRequest(ctx, params.id, body.code);
      if (wantsJson(c))
        return res.ok
          ? c.json({ statusToken: res.statusToken, statusUrl: `/privacy-center/requests/${res.statusToken}` }, 201)
          : c.json(
              {
                error: {
                  code: `code_${res.reason}`,
                  message: `verification failed: ${res.reason}`,
                  triesLeft: res.triesLeft,
                },
              },
              422,
            );
      if (res.ok) return c.redirect(`/privacy-center/requests/${res.statusToken}`, 303);
      const t = textOf(c);
      const messages: Record<string, string> = {
        wrong: res.triesLeft
          ? t(res.triesLeft === 1 ? "verify.wrongOne" : "verify.wrong", { n: String(res.triesLeft) })
          : t("verify.wrongNone"),
        expired: t("verify.expired"),
        exhausted: t("verify.exhausted"),
        used: t("verify.used"),
        no_code: t("verify.noCode"),
      };
      return verifyPage(c, params.id, messages[res.reason], 422);
    },
  );

  routes.add(
    {
      method: "get",
      path: "/privacy-center/status.js",
      summary: "The status page's updater: the page without a reload while a request is open",
      tags: ["privacy center"],
      access: "public",
      responses: { 200: { description: "JavaScript", contentType: "application/javascript" } },
    },
    (c) =>
      c.body(STATUS_SCRIPT, 200, {
        "content-type": "application/javascript; charset=utf-8",
        "cache-control": "public, max-age=3600",
      }),
  );

  routes.add(
    {
      method: "post",
      path: "/privacy-center/verify/:id/resend",
      summary: "Send a new code",
      tags: ["privacy center"],
      access: "public",
      params: RequestId,
      body: z.object({}),
      responses: { 200: { description: "HTML form", html: true }, 429: { description: "Too many codes" } },
    },
    async (c, { params }) => {
      try {
        await resendCode(ctx, params.id, { ip: clientIp(c, options.trustProxy) });
        return verifyPage(c, params.id, textOf(c)("verify.resent"));
      } catch (err) {
        if (err instanceof RequestError && err.code === "RATE_LIMITED")
          return verifyPage(c, params.id, langOf(c) === "en" ? err.message : textOf(c)("verify.tooMany"), 429);
        if (err instanceof MailError) return verifyPage(c, params.id, textOf(c)("verify.mailDown"), 503);
        throw err;
      }
    },
  );

  routes.add(
    {
      method: "get",
      path: "/privacy-center/requests/:token",
      summary: "The requester's status page",
      tags: ["privacy center"],
      access: "public",
      params: Token,
      responses: { 200: PAGE, 404: { description: "Unknown token" } },
    },
    async (c, { params }) => {
      c.header("cache-control", "no-store");
      const r = await findRequestByToken(ctx, params.token);
      if (!r)
        return c.html(
          await messagePageHtml({
            decl: decl(),
            lang: langOf(c),
            title: textOf(c)("msg.notFound"),
            message: textOf(c)("msg.notFoundText"),
          }),
          404,
        );
      const exp = await getExportExpiry(ctx, r.id);
      return c.html(
        await statusPageHtml({
          decl: decl(),
          request: r,
          token: params.token,
          events: await requesterTimeline(ctx, r.id),
          exportExpiresAt: exp?.expiresAt,
          exportExpired: !!exp?.expired,
          delayed: isOpen(r.status) && (await requestDelayed(ctx, r.id)),
          processors: isOpen(r.status) ? await processorProgress(ctx, r.id) : [],
          lang: langOf(c),
        }),
      );
    },
  );

  routes.add(
    {
      method: "post",
      path: "/privacy-center/requests/:token/appeal",
      summary: "Appeal a denied request (US state laws), with the reason",
      tags: ["privacy center"],
      access: "public",
      params: Token,
      body: z.object({ reason: z.string().trim().min(1, "say why we should reconsider").max(2000) }),
      responses: {
        303: { description: "Back to the status page" },
        404: { description: "Unknown token" },
        409: { description: "Not a denial that can be appealed" },
      },
    },
    async (c, { params, body }) => {
      const r = await findRequestByToken(ctx, params.token);
      if (!r)
        return c.html(
          await messagePageHtml({
            decl: decl(),
            lang: langOf(c),
            title: textOf(c)("msg.notFound"),
            message: textOf(c)("msg.notFoundText"),
          }),
          404,
        );
      try {
        await appealRequest(ctx, r.id, body.reason);
      } catch (err) {
        if (err instanceof RequestError && err.code === "REQUEST_CONFLICT")
          return c.html(
            await messagePageHtml({
              decl: decl(),
              lang: langOf(c),
              title: textOf(c)("msg.noAppeal"),
              message: err.message,
            }),
            409,
          );
        throw err;
      }
      return c.redirect(`/privacy-center/requests/${params.token}`, 303);
    },
  );

  routes.add(
    {
      method: "get",
      path: "/privacy-center/requests/:token/export",
      summary: "Download the export (ZIP) of an access or portability request",
      tags: ["privacy center"],
      access: "public",
      params: Token,
      responses: {
        200: { description: "ZIP", contentType: "application/zip" },
        404: { description: "No export" },
        410: { description: "Expired" },
      },
    },
    async (c, { params }) => {
      const r = await findRequestByToken(ctx, params.token);
      const e = r ? await getExport(ctx, r.id, params.token) : undefined;
      if (!r || !e) return c.json({ error: { code: "not_found", message: "no export for this request" } }, 404);
      if ("expired" in e)
        return c.json({ error: { code: "expired", message: "the download has expired; ask again" } }, 410);
      return c.body(e.data as Uint8Array<ArrayBuffer>, 200, {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${e.filename}"`,
        "cache-control": "no-store",
      });
    },
  );
}
