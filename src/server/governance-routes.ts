/**
 * Routes of the governance registers: the console's pages and forms (which
 * answer JSON to API clients), the machine APIs (`/v1/access-grants/check`,
 * `/v1/agreements`, `/api/v1/governance/*`), and the public pages reached by a
 * link (a customer's consent, a session form, an objection) or published (the
 * transparency report, the sub-processor list). Each handler parses, calls one
 * governance function, and renders.
 */
import type { Context } from "hono";
import { z } from "zod";
import { hasRole, type Principal } from "../auth/index.js";
import {
  AccessGateCache,
  accessConsentView,
  agreementDocument,
  agreementInForce,
  closeIncident,
  computeAffected,
  confirmDestroyed,
  decideByCustomer,
  decideByStaff,
  decideLegalRequest,
  discloseLegalRequest,
  previewDisclosure,
  draftNotifications,
  endSession,
  getIncident,
  getLegalRequest,
  governanceOverview,
  GovernanceError,
  GRANTS_CHANNEL,
  listAccessRequests,
  listAgreements,
  listCounterparties,
  listCustody,
  listIncidents,
  listLegalRequests,
  listSessions,
  listSubProcessorChanges,
  mailingList,
  markNotified,
  objectionLink,
  planSession,
  receiveAgreement,
  recordCustomerTold,
  recordObjection,
  registerCustody,
  registerIncident,
  registerLegalRequest,
  requestAccess,
  requestAgreement,
  reviewAgreement,
  revokeAccess,
  saveCounterparty,
  sendSessionForm,
  sessionByFormToken,
  sessionForm,
  setGag,
  signSessionForm,
  startSession,
  subProcessorsOf,
  transparencyReport,
  transparencyYears,
  updateIncident,
  uploadSessionForm,
  VERIFICATION_CHECKS,
  verifyLegalRequest,
  checkAccess,
  type Actor,
  type GovernanceContext,
} from "../governance/index.js";
import type { RequestsContext } from "../requests/index.js";
import {
  accessConsentHtml,
  accessPageHtml,
  agreementsPageHtml,
  customersPageHtml,
  governanceHomeHtml,
  incidentPageHtml,
  incidentReportHtml,
  incidentsPageHtml,
  legalDetailHtml,
  disclosurePreviewHtml,
  legalListHtml,
  messagePageHtml,
  objectionHtml,
  sessionFormHtml,
  sessionsPageHtml,
  subProcessorsAdminHtml,
  subProcessorsHtml,
  transparencyHtml,
} from "../web/index.js";
import { GOVERNANCE_STATUS, HttpError } from "./errors.js";
import { clientIp } from "./privacy-center-routes.js";
import { isApiCall as isApi, type RouteTable } from "./routes.js";
import { OkResultSchema, PAGE, RegisterRowSchema } from "./schemas.js";

/** A console form or a JSON body: the governance functions parse and name what is wrong. */
const Form = z.record(z.string(), z.unknown());
const NumId = z.object({ id: z.coerce.number().int().positive() });
const Token = z.object({ token: z.string().min(20).max(200) });
const UPLOAD_MAX = 5 * 1024 * 1024;

const actorOf = (p: Principal): Actor => ({ email: p.user.email, role: p.user.role });
const fields = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== "_csrf" && v !== ""));
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** A stored document as a download (never rendered by the browser), or 404. */
function download(c: Context, f: { name: string; data: Uint8Array } | undefined, missing: string): Response {
  if (!f) throw new HttpError(404, "not_found", missing);
  return c.body(f.data as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/octet-stream",
    "content-disposition": `attachment; filename="${f.name.replace(/[^\w.\- ]/g, "_")}"`,
    "x-content-type-options": "nosniff",
  });
}

async function fileOf(v: unknown): Promise<{ name: string; data: Uint8Array }> {
  if (!(v instanceof File) || v.size === 0) throw new GovernanceError("INVALID", "file: choose the signed document");
  return { name: v.name.replace(/[^\w.\- ]/g, "_").slice(0, 100), data: new Uint8Array(await v.arrayBuffer()) };
}

/** Options of the governance routes: the request context's store, mail and clock, and the gate's cache. */
export function registerGovernance(
  routes: RouteTable,
  rctx: RequestsContext,
  options: { trustProxy: number; gateCache?: AccessGateCache },
): void {
  // The request context itself: its public URL is set once the server listens, and read when a mail is written.
  const ctx: GovernanceContext = rctx;
  const decl = () => ctx.declaration();
  const cache = options.gateCache ?? new AccessGateCache();
  rctx.store.listen(GRANTS_CHANNEL, () => cache.clear());

  type Chrome = { error?: string; notice?: string };
  const chrome = (p: Principal, extra: Chrome = {}) => ({ decl: decl(), csrf: p.csrf, user: p.user.name, ...extra });
  const canAct = (p: Principal) => hasRole(p.user.role, "officer");
  const pages = {
    home: async (p: Principal, x?: Chrome) => governanceHomeHtml({ ...chrome(p, x), o: await governanceOverview(ctx) }),
    customers: async (p: Principal, x?: Chrome) =>
      customersPageHtml({ ...chrome(p, x), customers: await listCounterparties(ctx), canAct: canAct(p) }),
    access: async (p: Principal, x?: Chrome) =>
      accessPageHtml({
        ...chrome(p, x),
        requests: await listAccessRequests(ctx),
        customers: await listCounterparties(ctx),
        me: p.user.email.toLowerCase(),
      }),
    sessions: async (p: Principal, x?: Chrome) =>
      sessionsPageHtml({
        ...chrome(p, x),
        sessions: await listSessions(ctx),
        custody: await listCustody(ctx),
        customers: await listCounterparties(ctx),
      }),
    legal: async (p: Principal, x?: Chrome) =>
      legalListHtml({ ...chrome(p, x), requests: await listLegalRequests(ctx), canAct: canAct(p) }),
    agreements: async (p: Principal, x?: Chrome) =>
      agreementsPageHtml({
        ...chrome(p, x),
        agreements: await listAgreements(ctx),
        customers: await listCounterparties(ctx),
        canAct: canAct(p),
        changes: await listSubProcessorChanges(ctx),
      }),
    incidents: async (p: Principal, x?: Chrome) =>
      incidentsPageHtml({ ...chrome(p, x), incidents: await listIncidents(ctx), canAct: canAct(p) }),
  };
  type PageName = keyof typeof pages;

  /**
   * Runs a step: JSON for API clients; for a form, back to `back`, or the page
   * again (`again`, given the refusal) with the refusal shown: the forms work
   * without JavaScript.
   */
  const act = async (
    c: Context,
    back: string,
    again: (error: string) => Promise<string>,
    fn: () => Promise<unknown>,
  ) => {
    try {
      const result = await fn();
      return isApi(c) ? c.json({ ok: true, result: result ?? null }) : c.redirect(back, 303);
    } catch (err) {
      if (!(err instanceof GovernanceError) || isApi(c)) throw err;
      return c.html(await again(err.message), GOVERNANCE_STATUS[err.code]);
    }
  };
  const step = (c: Context, p: Principal, page: PageName, back: string, fn: () => Promise<unknown>) =>
    act(c, back, (error) => pages[page](p, { error }), fn);
  const html = (tags: string[]) => ({
    method: "get" as const,
    tags,
    access: "admin" as const,
    responses: { 200: PAGE },
  });
  const post = (summary: string, role: "approver" | "officer" | "viewer" = "officer", maxBody?: number) => ({
    method: "post" as const,
    summary,
    tags: ["governance"],
    access: "admin" as const,
    role,
    body: Form,
    ...(maxBody ? { maxBody } : {}),
    responses: {
      200: { description: "Done (an API caller), with the record", schema: OkResultSchema },
      303: { description: "Form: back to the page" },
      403: { description: "Role too weak, or not four-eyed" },
      409: { description: "Out of order" },
      422: { description: "Invalid" },
    },
  });

  // --- console pages ------------------------------------------------------------------
  routes.add(
    { ...html(["governance"]), path: "/admin/governance", summary: "Governance: what the registers ask of staff now" },
    async (c, { principal }) => c.html(await pages.home(principal)),
  );
  routes.add(
    {
      ...html(["governance"]),
      path: "/admin/governance/customers",
      summary: "The customer register with each customer's contact",
    },
    async (c, { principal }) => c.html(await pages.customers(principal)),
  );
  routes.add(
    {
      ...post("Add or update a customer (account, name, contactEmail, jurisdictions, startedAt)"),
      path: "/admin/governance/customers",
    },
    async (c, { body, principal }) =>
      step(c, principal, "customers", "/admin/governance/customers", () =>
        saveCounterparty(ctx, fields(body) as never, actorOf(principal)),
      ),
  );

  routes.add(
    { ...html(["governance"]), path: "/admin/governance/access", summary: "Staff access requests and grants" },
    async (c, { principal }) => c.html(await pages.access(principal)),
  );
  routes.add(
    {
      ...post(
        "Ask for access to a customer's protected data (account, classes, reason " +
          "purpose:<id>|exception:<id>, justification, endsAt)",
        "viewer",
      ),
      path: "/admin/governance/access",
    },
    async (c, { body, principal }) =>
      step(c, principal, "access", "/admin/governance/access", () =>
        requestAccess(ctx, fields(body) as never, actorOf(principal)),
      ),
  );
  for (const [verb, decision] of [
    ["approve", "approve"],
    ["deny", "deny"],
  ] as const) {
    routes.add(
      {
        ...post(
          `${verb === "approve" ? "Approve" : "Deny"} an exception: a second staff ` +
            `member, of the declared role and above the requester's`,
          "approver",
        ),
        path: `/admin/governance/access/:id/${verb}`,
        params: NumId,
      },
      async (c, { params, body, principal }) =>
        step(c, principal, "access", "/admin/governance/access", () =>
          decideByStaff(ctx, params.id, decision, actorOf(principal), str(body.note) || undefined),
        ),
    );
  }
  routes.add(
    {
      ...post("Revoke a grant or withdraw a request", "viewer"),
      path: "/admin/governance/access/:id/revoke",
      params: NumId,
    },
    async (c, { params, principal }) =>
      step(c, principal, "access", "/admin/governance/access", () => revokeAccess(ctx, params.id, actorOf(principal))),
  );

  routes.add(
    {
      ...html(["governance"]),
      path: "/admin/governance/sessions",
      summary: "Remote sessions, recordings and temporary copies",
    },
    async (c, { principal }) => c.html(await pages.sessions(principal)),
  );
  routes.add(
    { ...post("Plan a remote session (account, purpose)", "viewer"), path: "/admin/governance/sessions" },
    async (c, { body, principal }) =>
      step(c, principal, "sessions", "/admin/governance/sessions", () =>
        planSession(ctx, fields(body) as never, actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...post("Mail the customer's contact a one-time link to sign the session form", "viewer"),
      path: "/admin/governance/sessions/:id/send-form",
      params: NumId,
    },
    async (c, { params, principal }) =>
      step(c, principal, "sessions", "/admin/governance/sessions", () =>
        sendSessionForm(ctx, params.id, actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...post(
        "Upload the form the customer signed (multipart, field file); not by the session's requester",
        "approver",
        UPLOAD_MAX,
      ),
      path: "/admin/governance/sessions/:id/form",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      step(c, principal, "sessions", "/admin/governance/sessions", async () =>
        uploadSessionForm(ctx, params.id, await fileOf(body.file), actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...html(["governance"]),
      path: "/admin/governance/sessions/:id/form",
      params: NumId,
      summary: "The signed session form",
    },
    async (c, { params }) => {
      return download(c, await sessionForm(ctx, params.id), "no signed form");
    },
  );
  routes.add(
    {
      ...post("Mark a session started: refused until its form is signed", "viewer"),
      path: "/admin/governance/sessions/:id/start",
      params: NumId,
    },
    async (c, { params, principal }) =>
      step(c, principal, "sessions", "/admin/governance/sessions", () =>
        startSession(ctx, params.id, actorOf(principal)),
      ),
  );
  routes.add(
    { ...post("Mark a session ended", "viewer"), path: "/admin/governance/sessions/:id/end", params: NumId },
    async (c, { params, principal }) =>
      step(c, principal, "sessions", "/admin/governance/sessions", () =>
        endSession(ctx, params.id, actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...post("Register a recording or a temporary copy (kind, account, label, location, madeAt, purgeBy)", "viewer"),
      path: "/admin/governance/custody",
    },
    async (c, { body, principal }) =>
      step(c, principal, "sessions", "/admin/governance/sessions", () =>
        registerCustody(ctx, fields(body) as never, actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...post("Confirm a recording destroyed or a copy purged, with evidence"),
      path: "/admin/governance/custody/:id/destroyed",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      step(c, principal, "sessions", "/admin/governance/sessions", () =>
        confirmDestroyed(ctx, params.id, str(body.evidence), actorOf(principal)),
      ),
  );

  routes.add(
    { ...html(["governance"]), path: "/admin/governance/legal", summary: "Requests from authorities" },
    async (c, { principal }) => c.html(await pages.legal(principal)),
  );
  routes.add(
    {
      ...post(
        "Register a request from an authority (reference, authority, instrument, jurisdiction, accounts, dataAsked)",
      ),
      path: "/admin/governance/legal",
    },
    async (c, { body, principal }) =>
      step(c, principal, "legal", "/admin/governance/legal", () =>
        registerLegalRequest(ctx, fields(body) as never, actorOf(principal)),
      ),
  );
  const legalPage = (p: Principal, id: number, x?: { error?: string }) => async () =>
    legalDetailHtml({ ...chrome(p, x), r: await getLegalRequest(ctx, id), canAct: canAct(p) });
  routes.add(
    {
      ...html(["governance"]),
      path: "/admin/governance/legal/:id",
      params: NumId,
      summary: "A request from an authority with its steps",
    },
    async (c, { params, principal }) => c.html(await legalPage(principal, params.id)()),
  );
  const legalAction = (c: Context, p: Principal, id: number, fn: () => Promise<unknown>) =>
    act(c, `/admin/governance/legal/${id}`, (error) => legalPage(p, id, { error })(), fn);
  routes.add(
    {
      ...post(
        `Record the verification: each check (${Object.keys(VERIFICATION_CHECKS).join(", ")}) on or off, and a note`,
      ),
      path: "/admin/governance/legal/:id/verify",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      legalAction(c, principal, params.id, () =>
        verifyLegalRequest(
          ctx,
          params.id,
          {
            checks: Object.fromEntries(
              Object.keys(VERIFICATION_CHECKS).map((k) => [
                k,
                body[k] === true || body[k] === "on" || body[k] === "true",
              ]),
            ),
            note: str(body.note),
          },
          actorOf(principal),
        ),
      ),
  );
  routes.add(
    {
      ...post(
        "Decide whether the law requires compliance (comply yes/no, reason, scope, gagUntil); not by the verifier",
      ),
      path: "/admin/governance/legal/:id/decide",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      legalAction(c, principal, params.id, () =>
        decideLegalRequest(
          ctx,
          params.id,
          {
            comply: body.comply === true || body.comply === "yes",
            reason: str(body.reason),
            scope: str(body.scope),
            gagUntil: str(body.gagUntil) || undefined,
          },
          actorOf(principal),
        ),
      ),
  );
  routes.add(
    {
      ...html(["governance"]),
      role: "officer",
      path: "/admin/governance/legal/:id/disclose",
      params: NumId,
      summary: "What the disclosure package will hold (rows per system and dataset), to confirm before it is built",
    },
    async (c, { params, principal }) => {
      try {
        const preview = await previewDisclosure(ctx, params.id, actorOf(principal));
        return c.html(await disclosurePreviewHtml({ ...chrome(principal), id: params.id, preview }));
      } catch (err) {
        if (err instanceof GovernanceError && err.code === "CONFLICT")
          return c.redirect(`/admin/governance/legal/${params.id}`, 303);
        throw err;
      }
    },
  );
  routes.add(
    {
      ...post("Collect the named accounts' rows and download the package; the register keeps its hash"),
      path: "/admin/governance/legal/:id/disclose",
      params: NumId,
      responses: {
        200: { description: "The package (a JSON file to download)", contentType: "application/json" },
        409: { description: "Not decided for compliance" },
      },
    },
    async (c, { params, principal, body }) => {
      // A form that did not come through the preview is sent to it: nothing leaves unseen.
      if (!isApi(c) && body.confirm !== "yes") return c.redirect(`/admin/governance/legal/${params.id}/disclose`, 303);
      try {
        const pkg = await discloseLegalRequest(ctx, params.id, actorOf(principal));
        return c.body(pkg.data as Uint8Array<ArrayBuffer>, 200, {
          "content-type": "application/json",
          "content-disposition": `attachment; filename="${pkg.filename}"`,
          "x-package-sha256": pkg.sha256,
          "x-content-type-options": "nosniff",
          "cache-control": "no-store",
        });
      } catch (err) {
        if (!(err instanceof GovernanceError) || isApi(c)) throw err;
        return c.html(await legalPage(principal, params.id, { error: err.message })(), GOVERNANCE_STATUS[err.code]);
      }
    },
  );
  routes.add(
    {
      ...post(
        "Set or move the date before which the customer may not be told (gagUntil; empty lifts it), with the reason",
      ),
      path: "/admin/governance/legal/:id/gag",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      legalAction(c, principal, params.id, () =>
        setGag(ctx, params.id, str(body.gagUntil) || null, str(body.reason), actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...post("Record that the customer was told (refused while a gag runs)"),
      path: "/admin/governance/legal/:id/told",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      legalAction(c, principal, params.id, () => recordCustomerTold(ctx, params.id, str(body.how), actorOf(principal))),
  );

  routes.add(
    { ...html(["governance"]), path: "/admin/governance/agreements", summary: "Agreements per customer" },
    async (c, { principal }) => c.html(await pages.agreements(principal)),
  );
  routes.add(
    {
      ...post("Open an explicit agreement for a customer (account, agreement, expiresAt)"),
      path: "/admin/governance/agreements",
    },
    async (c, { body, principal }) =>
      step(c, principal, "agreements", "/admin/governance/agreements", () =>
        requestAgreement(ctx, fields(body) as never, actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...post("Upload the signed copy (multipart, field file): the agreement goes under review", "officer", UPLOAD_MAX),
      path: "/admin/governance/agreements/:id/document",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      step(c, principal, "agreements", "/admin/governance/agreements", async () =>
        receiveAgreement(ctx, params.id, await fileOf(body.file), actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...html(["governance"]),
      path: "/admin/governance/agreements/:id/document",
      params: NumId,
      responses: { 200: { description: "The signed copy", contentType: "application/octet-stream" } },
      summary: "The signed copy of an agreement",
    },
    async (c, { params }) => {
      return download(c, await agreementDocument(ctx, params.id), "no signed copy");
    },
  );
  for (const [verb, decision] of [
    ["accept", "accept"],
    ["reject", "reject"],
  ] as const) {
    routes.add(
      {
        ...post(
          `${verb === "accept" ? "Accept (in force from now)" : "Reject"} a reviewed ` +
            `agreement; the declared role decides`,
        ),
        path: `/admin/governance/agreements/:id/${verb}`,
        params: NumId,
      },
      async (c, { params, body, principal }) =>
        step(c, principal, "agreements", "/admin/governance/agreements", () =>
          reviewAgreement(ctx, params.id, decision, actorOf(principal), str(body.note) || undefined),
        ),
    );
  }

  routes.add(
    {
      ...html(["governance"]),
      path: "/admin/governance/subprocessors",
      summary: "Sub-processors, the changes announced and their objections",
    },
    async (c, { principal }) =>
      c.html(
        await subProcessorsAdminHtml({
          ...chrome(principal),
          list: subProcessorsOf(decl()),
          changes: await listSubProcessorChanges(ctx),
        }),
      ),
  );

  routes.add(
    { ...html(["governance"]), path: "/admin/governance/incidents", summary: "The breach register" },
    async (c, { principal }) => c.html(await pages.incidents(principal)),
  );
  routes.add(
    { ...post("Register an incident; its clocks run from awareAt"), path: "/admin/governance/incidents" },
    async (c, { body, principal }) => {
      try {
        const i = await registerIncident(ctx, fields(body) as never, actorOf(principal));
        return isApi(c) ? c.json({ ok: true, result: i }) : c.redirect(`/admin/governance/incidents/${i.id}`, 303);
      } catch (err) {
        if (!(err instanceof GovernanceError) || isApi(c)) throw err;
        return c.html(await pages.incidents(principal, { error: err.message }), GOVERNANCE_STATUS[err.code]);
      }
    },
  );
  const incidentPage = (p: Principal, id: number, x?: Chrome) => async () => {
    const i = await getIncident(ctx, id);
    return incidentPageHtml({
      ...chrome(p, x),
      i,
      drafts: draftNotifications(decl(), i, ctx.clock()),
      canAct: canAct(p),
    });
  };
  const incidentAction = (c: Context, p: Principal, id: number, fn: () => Promise<unknown>) =>
    act(c, `/admin/governance/incidents/${id}`, (error) => incidentPage(p, id, { error })(), fn);
  routes.add(
    {
      ...html(["governance"]),
      path: "/admin/governance/incidents/:id",
      params: NumId,
      summary: "An incident: its clocks, the people affected, drafted notifications",
    },
    async (c, { params, principal }) => c.html(await incidentPage(principal, params.id)()),
  );
  routes.add(
    { ...post("Update an incident's assessment"), path: "/admin/governance/incidents/:id", params: NumId },
    async (c, { params, body, principal }) =>
      incidentAction(c, principal, params.id, () =>
        updateIncident(ctx, params.id, fields(body) as never, actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...post("Compute the people affected in a time window (field, from, to, jurisdictionField)"),
      path: "/admin/governance/incidents/:id/affected",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      incidentAction(c, principal, params.id, () =>
        computeAffected(ctx, params.id, fields(body) as never, actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...post("Mark a clock's notification done (clock, note)"),
      path: "/admin/governance/incidents/:id/notified",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      incidentAction(c, principal, params.id, () =>
        markNotified(ctx, params.id, str(body.clock), str(body.note), actorOf(principal)),
      ),
  );
  routes.add(
    {
      ...post("Close an incident (note; required while a clock is not done)"),
      path: "/admin/governance/incidents/:id/close",
      params: NumId,
    },
    async (c, { params, body, principal }) =>
      incidentAction(c, principal, params.id, () => closeIncident(ctx, params.id, str(body.note), actorOf(principal))),
  );
  routes.add(
    {
      ...html(["governance"]),
      path: "/admin/governance/incidents/:id/report",
      params: NumId,
      summary: "The printable incident report (Art 33(5))",
    },
    async (c, { params }) => {
      const i = await getIncident(ctx, params.id);
      return c.html(await incidentReportHtml({ decl: decl(), i, drafts: draftNotifications(decl(), i, ctx.clock()) }));
    },
  );
  routes.add(
    {
      ...html(["governance"]),
      path: "/admin/governance/incidents/:id/mailing-list.csv",
      params: NumId,
      responses: { 200: { description: "The mailing list", contentType: "text/csv" } },
      role: "officer",
      summary: "The mailing list for the letter to the people affected (CSV), kept until the letters are sent",
    },
    async (c, { params, principal }) =>
      c.body(await mailingList(ctx, params.id, actorOf(principal)), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="incident-${params.id}-mailing-list.csv"`,
        "cache-control": "no-store",
      }),
  );

  // --- machine APIs ------------------------------------------------------------------------
  routes.add(
    {
      method: "get",
      path: "/v1/access-grants/check",
      summary: "May this staff member open this class of this customer's data now? allow or deny, with the grant",
      tags: ["governance"],
      access: "admin",
      quiet: true,
      query: z.object({
        staff: z.string().min(3).max(320),
        account: z.string().min(1).max(200),
        class: z.string().min(1).max(100),
      }),
      responses: {
        200: {
          description: "allow or deny, why, and the grant that allows it",
          schema: z.object({
            staff: z.string(),
            account: z.string(),
            class: z.string(),
            decision: z.enum(["allow", "deny"]),
            reason: z.string(),
            grant: z
              .object({
                id: z.number(),
                basis: z.enum(["purpose", "exception"]),
                reason: z.string(),
                until: z.string(),
                approvedBy: z.string(),
              })
              .optional(),
          }),
        },
      },
    },
    async (c, { query }) =>
      c.json({
        staff: query.staff,
        account: query.account,
        class: query.class,
        ...(await checkAccess(ctx, cache, query)),
      }),
  );
  routes.add(
    {
      method: "get",
      path: "/v1/agreements",
      summary: "Whether an agreement (of a type) is in force with a counterparty now",
      tags: ["governance"],
      access: "admin",
      quiet: true,
      query: z.object({ counterparty: z.string().min(1).max(200), type: z.string().min(2).max(40).optional() }),
      responses: {
        200: {
          description: "Whether an agreement is in force, with the agreements that count",
          schema: z.looseObject({
            counterparty: z.string(),
            type: z.string().nullable(),
            inForce: z.boolean(),
            agreements: z.array(z.looseObject({ agreement: z.string(), name: z.string(), type: z.string() })),
            reason: z.string(),
          }),
        },
      },
    },
    async (c, { query }) => c.json(await agreementInForce(ctx, query.counterparty, query.type)),
  );
  const list = (path: string, summary: string, fn: () => Promise<unknown>) =>
    routes.add(
      {
        method: "get",
        path: `/api/v1/governance/${path}`,
        summary,
        tags: ["api"],
        access: "admin",
        responses: {
          200: {
            description: `The register, under the key ${path}`,
            schema: z.object({ [path]: z.array(RegisterRowSchema) }),
          },
        },
      },
      async (c) => c.json({ [path]: await fn() }),
    );
  list("access", "Staff access requests and grants", () => listAccessRequests(ctx));
  list("sessions", "Remote sessions", () => listSessions(ctx));
  list("custody", "Recordings and temporary copies with their dates", () => listCustody(ctx));
  list("legal", "Requests from authorities with their steps", () => listLegalRequests(ctx));
  list("agreements", "Agreements, automatic ones included", () => listAgreements(ctx));
  list("subprocessors", "Sub-processor changes announced, with objections", () => listSubProcessorChanges(ctx));
  list("incidents", "Incidents with their clocks", () => listIncidents(ctx));
  list("customers", "The customer register", () => listCounterparties(ctx));

  // --- public pages ------------------------------------------------------------------------
  const linkError = async (c: Context, err: unknown) => {
    if (!(err instanceof GovernanceError)) throw err;
    return c.html(
      await messagePageHtml({
        decl: decl(),
        title: err.code === "LINK_INVALID" ? "This link does not work" : "Not done",
        message: err.message,
      }),
      GOVERNANCE_STATUS[err.code],
    );
  };
  routes.add(
    {
      method: "get",
      path: "/access-consent/:token",
      summary: "A customer's page to approve or deny staff access (a button: mail scanners do not decide)",
      tags: ["governance"],
      access: "public",
      params: Token,
      responses: { 200: PAGE, 410: { description: "Used or expired" } },
    },
    async (c, { params }) => {
      try {
        const v = await accessConsentView(ctx, params.token);
        return c.html(
          await accessConsentHtml({
            decl: decl(),
            r: v.request,
            classes: v.classes,
            purpose: v.purpose,
            token: params.token,
          }),
        );
      } catch (err) {
        return linkError(c, err);
      }
    },
  );
  routes.add(
    {
      method: "post",
      path: "/access-consent/:token",
      summary: "The customer approves or denies; recorded with time and IP; the link works once",
      tags: ["governance"],
      access: "public",
      params: Token,
      body: z.object({ decision: z.enum(["approve", "deny"]) }),
      responses: { 200: PAGE, 410: { description: "Used or expired" } },
    },
    async (c, { params, body }) => {
      try {
        const r = await decideByCustomer(ctx, params.token, body.decision, clientIp(c, options.trustProxy));
        return c.html(
          await messagePageHtml({
            decl: decl(),
            title: r.status === "approved" ? "Access approved" : "Access denied",
            message:
              r.status === "approved"
                ? `You allowed ${r.requester} to access this data until ` +
                  `${r.endsAt.slice(0, 16).replace("T", " ")} UTC. The access ends then by ` +
                  `itself.`
                : "Nobody will access this data on this request.",
          }),
        );
      } catch (err) {
        return linkError(c, err);
      }
    },
  );
  routes.add(
    {
      method: "get",
      path: "/session-form/:token",
      summary: "The session verification form for the customer to sign",
      tags: ["governance"],
      access: "public",
      params: Token,
      responses: { 200: PAGE, 410: { description: "Used" } },
    },
    async (c, { params }) => {
      try {
        return c.html(
          await sessionFormHtml({ decl: decl(), s: await sessionByFormToken(ctx, params.token), token: params.token }),
        );
      } catch (err) {
        return linkError(c, err);
      }
    },
  );
  routes.add(
    {
      method: "post",
      path: "/session-form/:token",
      summary: "Sign the session form online (the typed name, time and IP)",
      tags: ["governance"],
      access: "public",
      params: Token,
      body: z.object({ name: z.string().max(200) }),
      responses: { 200: PAGE, 410: { description: "Used" } },
    },
    async (c, { params, body }) => {
      try {
        await signSessionForm(ctx, params.token, body.name, clientIp(c, options.trustProxy));
        return c.html(
          await messagePageHtml({
            decl: decl(),
            title: "Signed",
            message: "Thank you: the form is signed, and the session may start.",
          }),
        );
      } catch (err) {
        if (err instanceof GovernanceError && err.code === "INVALID")
          return c.html(
            await sessionFormHtml({
              decl: decl(),
              s: await sessionByFormToken(ctx, params.token),
              token: params.token,
              error: err.message,
            }),
            422,
          );
        return linkError(c, err);
      }
    },
  );
  routes.add(
    {
      method: "get",
      path: "/privacy/transparency",
      summary:
        "The yearly transparency report, where the declaration publishes it: requests " +
        "from authorities by instrument and outcome",
      tags: ["notice"],
      access: "public",
      query: z.object({
        year: z.coerce.number().int().min(2000).max(2100).optional(),
        format: z.enum(["html", "json"]).default("html"),
      }),
      responses: {
        200: {
          description: "The report as a page, or as JSON (format=json): counts only, never names",
          html: true,
          schema: z.object({
            year: z.number(),
            total: z.number(),
            byInstrument: z.record(z.string(), z.record(z.string(), z.number())),
            nslBand: z.string(),
            accounts: z.number(),
          }),
        },
        404: { description: "Not published (governance.legalRequests.transparencyReport)" },
      },
    },
    async (c, { query }) => {
      if (!decl().governance?.legalRequests?.transparencyReport)
        throw new HttpError(404, "not_found", "no transparency report is published");
      const report = await transparencyReport(ctx, query.year ?? ctx.clock().getUTCFullYear());
      if (query.format === "json") return c.json(report);
      return c.html(
        await transparencyHtml({
          decl: decl(),
          report,
          years: (await transparencyYears(ctx)).filter((y) => y !== report.year),
        }),
      );
    },
  );
  routes.add(
    {
      method: "get",
      path: "/privacy/subprocessors",
      summary: "The sub-processors, with a sign-up for changes",
      tags: ["notice"],
      access: "public",
      query: z.object({ format: z.enum(["html", "json"]).default("html") }),
      responses: {
        200: {
          description: "The list as a page, or as JSON (format=json)",
          html: true,
          schema: z.object({
            subProcessors: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                purpose: z.string(),
                country: z.string().nullable(),
                safeguard: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (c, { query }) => {
      const list = subProcessorsOf(decl());
      if (query.format === "json") return c.json({ subProcessors: list });
      const sp = decl().governance?.subProcessors;
      return c.html(
        await subProcessorsHtml({ decl: decl(), list, list_id: sp?.list, objectionWindow: sp?.objectionWindow }),
      );
    },
  );
  const Objection = z.object({ change: z.coerce.number().int().positive(), token: z.string().min(20).max(600) });
  routes.add(
    {
      method: "get",
      path: "/privacy/subprocessors/object/:change/:token",
      summary: "A subscriber's objection form for a sub-processor change",
      tags: ["governance"],
      access: "public",
      params: Objection,
      responses: { 200: PAGE, 410: { description: "Not a valid link" } },
    },
    async (c, { params }) => {
      try {
        const l = await objectionLink(ctx, params.change, params.token);
        return c.html(
          await objectionHtml({
            decl: decl(),
            email: l.email,
            change: l.change,
            action: `/privacy/subprocessors/object/${params.change}/${params.token}`,
          }),
        );
      } catch (err) {
        return linkError(c, err);
      }
    },
  );
  routes.add(
    {
      method: "post",
      path: "/privacy/subprocessors/object/:change/:token",
      summary: "Record an objection to a sub-processor change in the register",
      tags: ["governance"],
      access: "public",
      params: Objection,
      body: z.object({ reason: z.string().max(4000) }),
      responses: {
        200: PAGE,
        409: { description: "The window closed" },
        410: { description: "Not a valid link" },
      },
    },
    async (c, { params, body }) => {
      try {
        await recordObjection(ctx, params.change, params.token, body.reason, clientIp(c, options.trustProxy));
        const l = await objectionLink(ctx, params.change, params.token);
        return c.html(await objectionHtml({ decl: decl(), email: l.email, change: l.change, action: "", done: true }));
      } catch (err) {
        return linkError(c, err);
      }
    },
  );
}
