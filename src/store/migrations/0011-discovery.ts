import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Discovery over time: each scan's summary, and its findings kept by a stable
 * key with when each was first and last seen, whether a person dismissed it
 * (who, when, why), and when its officer was told.
 */
export function discovery(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("discovery_scans")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("trigger", "text", (c) => c.notNull())
        .addColumn("slot", "text", (c) => c.unique())
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .addColumn("tables", "integer", (c) => c.notNull())
        .addColumn("findings", "integer", (c) => c.notNull())
        .addColumn("new_findings", "integer", (c) => c.notNull())
        .addColumn("systems", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("discovery_findings")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("key", "text", (c) => c.notNull().unique())
        .addColumn("system", "text", (c) => c.notNull())
        .addColumn("rule", "text", (c) => c.notNull())
        .addColumn("severity", "text", (c) => c.notNull())
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("fragment", "text")
        .addColumn("first_seen", "text", (c) => c.notNull())
        .addColumn("last_seen", "text", (c) => c.notNull())
        .addColumn("last_scan", "integer", (c) => c.notNull())
        .addColumn("dismissed_by", "text")
        .addColumn("dismissed_at", "text")
        .addColumn("dismiss_reason", "text")
        .addColumn("notified_at", "text")
        .execute();
      await db.schema
        .createIndex("discovery_findings_system")
        .on("discovery_findings")
        .columns(["system", "last_scan"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("discovery_findings").execute();
      await db.schema.dropTable("discovery_scans").execute();
    },
  };
}
