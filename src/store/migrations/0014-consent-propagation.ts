import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Consent withdrawals passed on to processors: one row per vendor and operation, retried until the vendor answers.
 * The identity a vendor is asked about is kept only until the row settles, then cleared; its HMAC stays as proof.
 */
export function consentPropagation(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("consent_propagations")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("system", "text", (c) => c.notNull())
        .addColumn("vendor", "text", (c) => c.notNull())
        .addColumn("operation", "text", (c) => c.notNull())
        .addColumn("identity_type", "text", (c) => c.notNull())
        .addColumn("identity", "text")
        .addColumn("identity_hash", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("answer", "text")
        .addColumn("next_run_at", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("consent_propagations_due")
        .on("consent_propagations")
        .columns(["status", "next_run_at"])
        .execute();
      await db.schema.createIndex("consent_propagations_source").on("consent_propagations").column("source").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("consent_propagations").execute();
    },
  };
}
