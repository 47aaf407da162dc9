/**
 * Routes of the Data Rights Protocol (DRP 1.0), the covered business's endpoints, and the console's register of
 * authorized agents. Protocol calls carry a signed `text/plain` body and the agent's pairwise bearer token; errors are
 * the protocol's `{ code, message, fatal }` (§ 3.06), and a refused key setup is a bare 403 (§ 2.05.1).
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { hasRole, type Principal } from "../auth/index.js";
import {
  AgentDocument,
  AgentError,
  BusinessDocumentSchema,
  DrpError,
  DrpErrorSchema,
  ExerciseStatusSchema,
  PairwiseTokenSchema,
  agentInformation,
  approveAgent,
  businessDocument,
  fileRequest,
  filedPerAgent,
  listAgents,
  registerAgent,
  requestStatus,
  revokeAgent,
  revokeRequest,
  setUpAgent,
  type DrpContext,
} from "../drp/index.js";
import type { RequestsContext } from "../requests/index.js";
import { agentsPageHtml } from "../web/index.js";
import { HttpError } from "./errors.js";
import { isApiCall as isApi, type RouteTable } from "./routes.js";
import { ErrorSchema, OkResultSchema, PAGE } from "./schemas.js";

/** A signed DRP message: a request's claims are a few hundred bytes; this leaves room and no more. */
const DRP_MAX_BODY = 32 * 1024;
const Signed = z.string().max(DRP_MAX_BODY);
const AgentId = z.object({ agentId: z.string().regex(/^[A-Z_]{1,100}$/) });
const RequestId = z.object({ id: z.string().min(1).max(100) });
const Form = z.record(z.string(), z.unknown());
const DrpOrPledgeError = z.union([ErrorSchema, DrpErrorSchema]);

const bearer = (c: Context) => {
  const h = c.req.header("authorization") ?? "";
  return /^Bearer\s+(\S{1,200})$/i.exec(h)?.[1];
};

/** § 3.06: `{ code, message, fatal }` with the HTTP status. */
function drpError(c: Context, err: unknown): Response {
  if (!(err instanceof DrpError)) throw err;
  return c.json(
    { code: String(err.status), message: err.message, ...(err.fatal ? { fatal: true } : {}) },
    err.status as ContentfulStatusCode,
  );
}

/** A protocol handler's answer as JSON, or its refusal as § 3.06 says. */
const answer =
  <I>(fn: (c: Context, input: I) => Promise<object> | object) =>
  async (c: Context, input: I): Promise<Response> => {
    try {
      return c.json(await fn(c, input));
    } catch (err) {
      return drpError(c, err);
    }
  };

const drpResponses = {
  400: { description: "A malformed call: Pledge's Error, or a bad message as § 3.06", schema: DrpOrPledgeError },
  401: { description: "No bearer token", schema: DrpErrorSchema },
  403: {
    description: "Unknown token, another agent's request, or a bad, replayed or expired signature",
    schema: DrpErrorSchema,
  },
  404: { description: "No such request, or the organization takes no DRP requests", schema: DrpErrorSchema },
};
const STATUS = { description: "The Exercise Status (§ 3.03)", schema: ExerciseStatusSchema };

export function registerDrp(routes: RouteTable, rctx: RequestsContext): void {
  const ctx: DrpContext = { requests: rctx, insecureCallbacks: rctx.env.PLEDGE_DRP_INSECURE_CALLBACKS === "1" };
  const decl = () => rctx.declaration();
  const agentRoute = { tags: ["drp"], access: "agent" as const, maxBody: DRP_MAX_BODY };

  routes.add(
    {
      method: "get",
      path: "/.well-known/data-rights.json",
      summary: "This organization's DRP directory entry (§ 3.05.2)",
      tags: ["drp"],
      access: "public",
      responses: {
        200: { description: "The business discovery document", schema: BusinessDocumentSchema },
        404: { description: "No DRP", schema: DrpErrorSchema },
      },
    },
    answer((c) => businessDocument(decl(), rctx.publicUrl || new URL(c.req.url).origin)),
  );

  routes.add(
    {
      ...agentRoute,
      access: "public",
      method: "post",
      path: "/v1/agent/:agentId",
      summary: "Pair-wise key setup: an approved agent's signed message for a bearer token (§ 2.05)",
      params: AgentId,
      body: Signed,
      textBody: true,
      responses: {
        200: { description: "The agent's pairwise bearer token", schema: PairwiseTokenSchema },
        400: drpResponses[400],
        403: { description: "Refused (no body, § 2.05.1)", empty: true },
        404: drpResponses[404],
      },
    },
    async (c, { params, body }) => {
      try {
        return c.json(await setUpAgent(ctx, params.agentId, body));
      } catch (err) {
        if (err instanceof DrpError && err.status === 403) return c.body(null, 403);
        return drpError(c, err);
      }
    },
  );

  routes.add(
    {
      ...agentRoute,
      method: "get",
      path: "/v1/agent/:agentId",
      summary: "Agent information: whether the bearer token is still good (§ 2.06)",
      params: AgentId,
      responses: { 200: { description: "{} while the token is good", schema: z.object({}) }, ...drpResponses },
    },
    answer<{ params: { agentId: string } }>((c, { params }) => agentInformation(ctx, params.agentId, bearer(c))),
  );

  routes.add(
    {
      ...agentRoute,
      method: "post",
      path: "/v1/data-rights-request",
      summary: "Data Rights Exercise: a signed request filed by an agent (§ 2.01)",
      body: Signed,
      textBody: true,
      responses: {
        200: STATUS,
        ...drpResponses,
        429: { description: "Too many requests from this agent", schema: DrpErrorSchema },
      },
    },
    answer<{ body: string }>((c, { body }) => fileRequest(ctx, bearer(c), body)),
  );

  routes.add(
    {
      ...agentRoute,
      method: "get",
      path: "/v1/data-rights-request/:id",
      summary: "Data Rights Status, for the agent that filed the request (§ 2.02)",
      params: RequestId,
      responses: { 200: STATUS, ...drpResponses },
    },
    answer<{ params: { id: string } }>((c, { params }) => requestStatus(ctx, bearer(c), params.id)),
  );

  routes.add(
    {
      ...agentRoute,
      method: "delete",
      path: "/v1/data-rights-request/:id",
      summary: "Data Rights Revoke: the agent withdraws an open request, signed (§ 2.04)",
      params: RequestId,
      body: Signed,
      textBody: true,
      responses: {
        200: { description: "The Exercise Status, revoked", schema: ExerciseStatusSchema },
        ...drpResponses,
        409: { description: "Already closed", schema: DrpErrorSchema },
      },
    },
    answer<{ params: { id: string }; body: string }>((c, { params, body }) =>
      revokeRequest(ctx, bearer(c), params.id, body),
    ),
  );

  // --- the console's register of agents ----------------------------------------------------------------------------
  const page = async (
    p: Principal,
    extra: { error?: string; notice?: string; draft?: Record<string, string> } = {},
  ) => {
    const d = decl();
    let business: Record<string, unknown> | undefined;
    try {
      business = businessDocument(d, rctx.publicUrl);
    } catch {
      business = undefined;
    }
    return agentsPageHtml({
      decl: d,
      csrf: p.csrf,
      user: p.user.name,
      agents: await listAgents(rctx.store),
      canApprove: hasRole(p.user.role, "owner"),
      canRegister: hasRole(p.user.role, "officer"),
      business,
      filed: await filedPerAgent(rctx.store),
      ...extra,
    });
  };
  const post = (summary: string, role: "officer" | "owner") => ({
    method: "post" as const,
    summary,
    tags: ["drp"],
    access: "admin" as const,
    role,
    body: Form,
    responses: {
      200: { description: "Done (an API caller), with the record", schema: OkResultSchema },
      303: { description: "Form: back to the page" },
      403: { description: "Role too weak" },
      404: { description: "No such agent" },
      409: { description: "Not in a state for this" },
      422: { description: "Invalid entry" },
    },
  });
  const who = (p: Principal) => `user:${p.user.email}`;
  /** JSON for API clients; for a form, back to the page, or the page again with the refusal. */
  const act = async (c: Context, p: Principal, fn: () => Promise<unknown>, draft?: Record<string, string>) => {
    try {
      const result = await fn();
      return isApi(c) ? c.json({ ok: true, result: result ?? null }) : c.redirect("/admin/agents", 303);
    } catch (err) {
      const status = err instanceof AgentError ? (err.code === "NOT_FOUND" ? 404 : 409) : 422;
      if (!(err instanceof AgentError || err instanceof HttpError) || isApi(c)) throw err;
      return c.html(await page(p, { error: err.message, draft }), status);
    }
  };

  routes.add(
    {
      method: "get",
      path: "/admin/agents",
      summary: "Authorized agents of the Data Rights Protocol",
      tags: ["drp"],
      access: "admin",
      responses: { 200: PAGE },
    },
    async (c, { principal }) => c.html(await page(principal)),
  );
  routes.add(
    {
      ...post(
        "Register an agent from its DRP directory entry (id, name, verify_key, technical_contact…); an owner approves",
        "officer",
      ),
      path: "/admin/agents",
      documentedBody: AgentDocument,
    },
    async (c, { body, principal }) => {
      const draft = Object.fromEntries(
        Object.entries(body).flatMap(([k, v]) =>
          typeof v === "string" && k !== "_csrf" ? [[k, v.slice(0, 500)]] : [],
        ),
      );
      return act(
        c,
        principal,
        async () => {
          const doc = AgentDocument.safeParse(draft);
          if (!doc.success)
            throw new HttpError(
              422,
              "invalid",
              doc.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
            );
          return registerAgent(rctx.store, doc.data, who(principal), rctx.clock());
        },
        draft,
      );
    },
  );
  for (const verb of ["approve", "revoke"] as const)
    routes.add(
      {
        ...post(verb === "approve" ? "Approve a pending agent and its key" : "Revoke an agent and its tokens", "owner"),
        path: `/admin/agents/:agentId/${verb}`,
        params: AgentId,
      },
      async (c, { params, principal }) =>
        act(c, principal, () =>
          verb === "approve"
            ? approveAgent(rctx.store, params.agentId, who(principal), rctx.clock())
            : revokeAgent(rctx.store, params.agentId, who(principal), rctx.clock()),
        ),
    );
}
