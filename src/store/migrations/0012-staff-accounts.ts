import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Staff accounts managed in the console: a password that must be changed, a TOTP second factor with hashed
 * recovery codes, sessions that pass through sign-in stages and show where they come from, API tokens that belong
 * to a user (and stop with them), and single-use links for invitations and resets (kept as hashes).
 */
export function staffAccounts(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("users")
        .addColumn("must_change_password", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable("users").addColumn("totp_secret", "text").execute();
      await db.schema.alterTable("users").addColumn("totp_pending", "text").execute();
      await db.schema.alterTable("users").addColumn("totp_enabled_at", "text").execute();
      await db.schema.alterTable("users").addColumn("totp_last_step", "integer").execute();
      await db.schema.alterTable("users").addColumn("last_sign_in_at", "text").execute();
      await db.schema
        .alterTable("sessions")
        .addColumn("stage", "text", (c) => c.notNull().defaultTo("full"))
        .execute();
      await db.schema.alterTable("sessions").addColumn("last_seen_at", "text").execute();
      await db.schema.alterTable("sessions").addColumn("ip", "text").execute();
      await db.schema.alterTable("sessions").addColumn("user_agent", "text").execute();
      await db.schema.alterTable("sessions").addColumn("public_id", "text").execute();
      await db.schema.alterTable("api_tokens").addColumn("user_id", "integer").execute();
      await db.schema
        .createTable("user_links")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("user_id", "integer", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("used_at", "text")
        .execute();
      await db.schema
        .createTable("recovery_codes")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("user_id", "integer", (c) => c.notNull())
        .addColumn("code_hash", "text", (c) => c.notNull())
        .addColumn("used_at", "text")
        .execute();
      await db.schema.createIndex("recovery_codes_user").on("recovery_codes").column("user_id").execute();
      await db.schema
        .createTable("dpia_records")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("declaration_version", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addUniqueConstraint("dpia_records_version", ["purpose", "version"])
        .execute();
    },
  };
}
