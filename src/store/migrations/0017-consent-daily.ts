import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Consent choices counted per day and category (from the banner and GPC), rolled up from the records by the worker
 * (`consent.rollUpConsent`, from a watermark in `settings`): the console's charts read these, so a page costs the same
 * at a thousand records and at a million. The counts are not personal data and stay when old records are deleted.
 * Records stored before are counted by the worker's first runs.
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
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("consent_daily").execute();
    },
  };
}
