/** Routes of the data map and the declaration's source in the console. */
import { z } from "zod";
import { type LoadedDeclaration, lintDeclaration } from "../declaration/index.js";
import { buildDataMap, filterDataMap, type MapFilter, renderDataMapSvg } from "../map/index.js";
import { declarationSourceHtml, mapPageHtml } from "../web/index.js";
import type { RouteTable } from "./routes.js";
import { PAGE } from "./schemas.js";

const Filter = z.object({
  purpose: z.string().max(100).optional(),
  category: z.string().max(200).optional(),
  country: z.string().max(10).optional(),
});
const filterOf = (q: z.output<typeof Filter>): MapFilter => ({
  purpose: q.purpose || undefined,
  category: q.category || undefined,
  country: q.country || undefined,
});

export function registerMap(routes: RouteTable, ctx: { declaration: () => LoadedDeclaration }): void {
  const mapOf = (filter: MapFilter) => {
    const decl = ctx.declaration().declaration;
    return filterDataMap(buildDataMap(decl, lintDeclaration(decl)), filter);
  };
  routes.add(
    {
      method: "get",
      path: "/admin/map",
      summary: "The data map: systems, datasets, purposes, recipients and countries, with transfers marked",
      tags: ["admin"],
      access: "admin",
      query: Filter,
      responses: { 200: PAGE },
    },
    async (c, { query, principal }) => {
      const loaded = ctx.declaration();
      const decl = loaded.declaration;
      const full = buildDataMap(decl);
      return c.html(
        await mapPageHtml({
          decl,
          map: mapOf(filterOf(query)),
          filter: filterOf(query),
          categories: [...new Set(full.nodes.flatMap((n) => n.categories))].sort(),
          countries: full.nodes.filter((n) => n.kind === "country").map((n) => n.country!),
          lineOf: (n) => (n.path ? loaded.locate(n.path.split(".")).line : undefined),
          csrf: principal.csrf,
          user: principal.user.name,
        }),
      );
    },
  );
  routes.add(
    {
      method: "get",
      path: "/admin/map.svg",
      summary: "The data map as an SVG file (the same filters)",
      tags: ["admin"],
      access: "admin",
      query: Filter,
      responses: { 200: { description: "SVG", contentType: "image/svg+xml" } },
    },
    async (c, { query }) =>
      c.body(
        await renderDataMapSvg(
          mapOf(filterOf(query)),
          `Data map of ${ctx.declaration().declaration.organization.name}`,
        ),
        200,
        {
          "content-type": "image/svg+xml; charset=utf-8",
          "content-disposition": 'attachment; filename="data-map.svg"',
        },
      ),
  );
  routes.add(
    {
      method: "get",
      path: "/admin/declaration",
      summary: "The declaration being served, with numbered lines (where the map's nodes link)",
      tags: ["admin"],
      access: "admin",
      responses: { 200: PAGE },
    },
    async (c, { principal }) => {
      const loaded = ctx.declaration();
      return c.html(
        await declarationSourceHtml({
          decl: loaded.declaration,
          file: loaded.file,
          source: loaded.source,
          csrf: principal.csrf,
          user: principal.user.name,
        }),
      );
    },
  );
}
