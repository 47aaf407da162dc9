import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/** Audit entries committed with their records and waiting to be chained (see audit/index.ts). */
export function auditPending(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("audit_pending")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("subject", "text")
        .addColumn("data", "text", (c) => c.notNull())
        .execute();
    },
  };
}
