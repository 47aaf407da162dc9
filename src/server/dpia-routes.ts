/** Routes of DPIA screening and records in the console. */
import { z } from "zod";
import { hasRole } from "../auth/index.js";
import type { Declaration } from "../declaration/index.js";
import {
  type DpiaBody,
  getDpiaRecord,
  listDpiaVersions,
  openDpiaRecord,
  saveDpiaRecord,
  screenDeclaration,
} from "../dpia/index.js";
import type { Store } from "../store/index.js";
import { dpiaPageHtml, dpiaRecordHtml } from "../web/index.js";
import { HttpError } from "./errors.js";
import type { RouteTable } from "./routes.js";
import { PAGE } from "./schemas.js";

export function registerDpia(routes: RouteTable, ctx: { store: Store; declaration: () => Declaration }): void {
  const Purpose = z.object({ purpose: z.string().regex(/^[a-z0-9_]{1,64}$/, "not a purpose id") });
  const known = (purpose: string) => {
    if (!ctx.declaration().purposes[purpose]) throw new HttpError(404, "not_found", `no purpose '${purpose}'`);
  };
  routes.add(
    {
      method: "get",
      path: "/admin/dpia",
      summary: "DPIA screening of every purpose, from the declaration",
      tags: ["admin"],
      access: "admin",
      responses: { 200: PAGE },
    },
    async (c, { principal }) => {
      const decl = ctx.declaration();
      const records: Record<string, number> = {};
      for (const p of Object.keys(decl.purposes)) {
        const r = await getDpiaRecord(ctx.store, p);
        if (r) records[p] = r.version;
      }
      return c.html(
        await dpiaPageHtml({
          decl,
          screenings: screenDeclaration(decl),
          records,
          canAct: hasRole(principal.user.role, "officer"),
          csrf: principal.csrf,
          user: principal.user.name,
        }),
      );
    },
  );
  routes.add(
    {
      method: "get",
      path: "/api/v1/dpia",
      summary: "DPIA screening of every purpose, as JSON",
      tags: ["admin"],
      access: "admin",
      responses: {
        200: {
          description: "The screening of each purpose",
          schema: z.object({
            screenings: z.array(
              z.looseObject({
                purpose: z.string(),
                name: z.string(),
                result: z.string(),
                reasons: z.array(z.string()),
              }),
            ),
          }),
        },
      },
    },
    async (c) => c.json({ screenings: screenDeclaration(ctx.declaration()) }),
  );
  routes.add(
    {
      method: "post",
      path: "/admin/dpia/:purpose/open",
      summary: "Open a purpose's DPIA record, drafted from the declaration",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: Purpose,
      body: z.object({}),
      responses: { 303: { description: "To the record" } },
    },
    async (c, { params, principal }) => {
      known(params.purpose);
      await openDpiaRecord(ctx.store, ctx.declaration(), params.purpose, `user:${principal.user.email}`);
      return c.redirect(`/admin/dpia/${params.purpose}`, 303);
    },
  );
  routes.add(
    {
      method: "get",
      path: "/admin/dpia/:purpose",
      summary: "A purpose's DPIA record, the latest version or the one asked for",
      tags: ["admin"],
      access: "admin",
      params: Purpose,
      query: z.object({ version: z.coerce.number().int().positive().optional(), saved: z.literal("1").optional() }),
      responses: { 200: PAGE, 404: { description: "No record" } },
    },
    async (c, { params, query, principal }) => {
      known(params.purpose);
      const record = await getDpiaRecord(ctx.store, params.purpose, query.version);
      if (!record)
        throw new HttpError(
          404,
          "not_found",
          `no DPIA record of '${params.purpose}'${query.version ? ` version ${query.version}` : ""}`,
        );
      const versions = await listDpiaVersions(ctx.store, params.purpose);
      return c.html(
        await dpiaRecordHtml({
          decl: ctx.declaration(),
          record,
          versions,
          latest: versions[0].version,
          canAct: hasRole(principal.user.role, "officer"),
          saved: query.saved === "1",
          csrf: principal.csrf,
          user: principal.user.name,
        }),
      );
    },
  );
  routes.add(
    {
      method: "post",
      path: "/admin/dpia/:purpose",
      summary: "Save a new version of a purpose's DPIA record",
      tags: ["admin"],
      access: "admin",
      role: "officer",
      params: Purpose,
      body: z
        .object({
          description: z.string().max(20_000),
          necessity: z.string().max(20_000),
          measures: z.string().max(20_000),
          conclusion: z.string().max(20_000),
        })
        .catchall(z.string().max(20_000)),
      maxBody: 256 * 1024,
      responses: { 303: { description: "Saved" } },
    },
    async (c, { params, body, principal }) => {
      known(params.purpose);
      const last = await getDpiaRecord(ctx.store, params.purpose);
      if (!last) throw new HttpError(404, "not_found", "open the record first");
      const risks: DpiaBody["risks"] = [];
      for (let i = 0; typeof body[`criterion${i}`] === "string"; i++)
        risks.push({ criterion: body[`criterion${i}`], risk: body[`risk${i}`] ?? "" });
      const saved = await saveDpiaRecord(
        ctx.store,
        ctx.declaration(),
        params.purpose,
        {
          description: body.description.replace(/\r\n/g, "\n"),
          necessity: body.necessity.replace(/\r\n/g, "\n"),
          risks,
          measures: body.measures
            .split(/\r?\n/)
            .map((m) => m.trim())
            .filter(Boolean),
          conclusion: body.conclusion.replace(/\r\n/g, "\n"),
          screening: last.body.screening,
        },
        `user:${principal.user.email}`,
      );
      return c.redirect(`/admin/dpia/${params.purpose}?saved=1&version=${saved.version}`, 303);
    },
  );
}
