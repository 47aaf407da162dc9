import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Retention: legal holds on systems, datasets and cases; rows kept and blocked
 * under a legal obligation; sweep runs with their journal of batches (so a
 * killed sweep resumes without applying a batch twice); one lease per rule so
 * one sweep of it runs at a time; obsolescence dates set from the console.
 */
export function retention(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("retention_holds")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("system", "text", (c) => c.notNull())
        .addColumn("dataset", "text")
        .addColumn("row_key", "text")
        .addColumn("before", "text")
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("placed_by", "text", (c) => c.notNull())
        .addColumn("placed_at", "text", (c) => c.notNull())
        .addColumn("ends_at", "text")
        .addColumn("lifted_at", "text")
        .addColumn("lifted_by", "text")
        .execute();
      await db.schema
        .createTable("retention_blocks")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("system", "text", (c) => c.notNull())
        .addColumn("dataset", "text", (c) => c.notNull())
        .addColumn("row_key", "text", (c) => c.notNull())
        .addColumn("identity_hash", "text")
        .addColumn("rule", "text")
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("categories", "text", (c) => c.notNull())
        .addColumn("until", "text")
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("retention_blocks_row")
        .on("retention_blocks")
        .columns(["system", "dataset", "row_key"])
        .execute();
      await db.schema.createIndex("retention_blocks_identity").on("retention_blocks").column("identity_hash").execute();
      await db.schema
        .createTable("retention_runs")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("binding", "text", (c) => c.notNull())
        .addColumn("rule", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("trigger", "text", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("cutoff", "text", (c) => c.notNull())
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("heartbeat_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .addColumn("cursor", "text")
        .addColumn("counts", "text", (c) => c.notNull())
        .addColumn("error", "text")
        .execute();
      await db.schema
        .createIndex("retention_runs_binding")
        .on("retention_runs")
        .columns(["binding", "status"])
        .execute();
      await db.schema
        .createTable("retention_batches")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("run_id", "integer", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("rows", "text", (c) => c.notNull())
        .addColumn("counts", "text")
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("applied_at", "text")
        .execute();
      await db.schema.createIndex("retention_batches_run").on("retention_batches").columns(["run_id", "seq"]).execute();
      await db.schema
        .createTable("retention_leases")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("until", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("system_dates")
        .addColumn("system", "text", (c) => c.primaryKey())
        .addColumn("obsolescence", "text", (c) => c.notNull())
        .addColumn("set_by", "text", (c) => c.notNull())
        .addColumn("set_at", "text", (c) => c.notNull())
        .execute();
    },
  };
}
