import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/** Consent events (never rewritten), the state derived from them, and newsletter subscriptions with their proof. */
export function consent(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s
        .createTable("consent_events")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("record_id", "text", (c) => c.notNull().unique())
        .addColumn("device_id", "text")
        .addColumn("subject_id", "text")
        .addColumn("categories", "text", (c) => c.notNull())
        .addColumn("purposes", "text", (c) => c.notNull())
        .addColumn("services", "text", (c) => c.notNull())
        .addColumn("declaration_version", "text", (c) => c.notNull())
        .addColumn("material_key", "text", (c) => c.notNull())
        .addColumn("text_hash", "text", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("jurisdiction", "text", (c) => c.notNull())
        .addColumn("method", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("valid_until", "text", (c) => c.notNull())
        .addColumn("ip", "text")
        .addColumn("user_agent", "text")
        .execute();
      await s.createIndex("consent_events_device").on("consent_events").column("device_id").execute();
      await s.createIndex("consent_events_subject").on("consent_events").column("subject_id").execute();
      await s.createIndex("consent_events_at").on("consent_events").column("at").execute();
      await s
        .createTable("consent_links")
        .addColumn("device_id", "text", (c) => c.primaryKey())
        .addColumn("subject_id", "text", (c) => c.notNull())
        .addColumn("linked_at", "text", (c) => c.notNull())
        .execute();
      await s.createIndex("consent_links_subject").on("consent_links").column("subject_id").execute();
      await s
        .createTable("newsletter_subscriptions")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("list", "text", (c) => c.notNull())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("name", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("confirm_token_hash", "text")
        .addColumn("manage_token_hash", "text", (c) => c.notNull())
        .addColumn("signup_at", "text", (c) => c.notNull())
        .addColumn("signup_ip", "text")
        .addColumn("mail_sent_at", "text")
        .addColumn("mail_text", "text")
        .addColumn("confirmed_at", "text")
        .addColumn("confirm_ip", "text")
        .addColumn("unsubscribed_at", "text")
        .addColumn("declaration_version", "text", (c) => c.notNull())
        .addColumn("consent_text", "text", (c) => c.notNull())
        .execute();
      await s.createIndex("newsletter_list_email").on("newsletter_subscriptions").columns(["list", "email"]).execute();
      await s.createIndex("newsletter_manage").on("newsletter_subscriptions").column("manage_token_hash").execute();
    },
  };
}
