import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/** The audit log, its head, and the published declaration versions. */
export function initial(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("audit_log")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("subject", "text")
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("audit_log_subject").on("audit_log").column("subject").execute();
      await db.schema
        .createTable("audit_head")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
      // The head starts at the genesis of the chain, so appenders only ever update it.
      await db
        .insertInto("audit_head" as never)
        .values({ id: 1, seq: 0, hash: "0".repeat(64) } as never)
        .execute();
      await db.schema
        .createTable("declaration_versions")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("version", "text", (c) => c.notNull())
        .addColumn("effective_date", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull().unique())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("file", "text", (c) => c.notNull())
        .addColumn("published_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("declaration_versions_version")
        .on("declaration_versions")
        .column("version")
        .execute();
    },
  };
}
