import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Consent choices counted per day and category (from the banner and GPC), kept as records are written: the console's
 * charts read these, so a page costs the same at a thousand records and at a million. The counts are not personal
 * data and stay when old records are deleted. Existing records are counted once, in pages.
 */
export function consentDaily(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("consent_daily")
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("category", "text", (c) => c.notNull())
        .addColumn("given", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("consent_daily_pk", ["day", "category"])
        .execute();
      const acc = new Map<string, { given: number; total: number }>();
      let after = 0;
      for (;;) {
        const page = await sql<{ id: number; at: string; categories: string }>`
          select id, at, categories from consent_events
          where id > ${after} and method in ('banner', 'gpc') order by id limit 5000`.execute(db);
        if (!page.rows.length) break;
        for (const r of page.rows) {
          for (const [cat, state] of Object.entries(JSON.parse(r.categories) as Record<string, string>)) {
            const k = `${r.at.slice(0, 10)}|${cat}`;
            const a = acc.get(k) ?? { given: 0, total: 0 };
            a.total++;
            if (state === "given") a.given++;
            acc.set(k, a);
          }
        }
        after = Number(page.rows[page.rows.length - 1].id);
      }
      for (const [k, v] of acc) {
        const [day, category] = k.split("|");
        await sql`insert into consent_daily (day, category, given, total)
          values (${day}, ${category}, ${v.given}, ${v.total})`.execute(db);
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("consent_daily").execute();
    },
  };
}
