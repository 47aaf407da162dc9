import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/** Rights requests, their durable tasks, verification, exports; staff users, sessions and tokens; subject flags. */
export function requests(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s
        .createTable("requests")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("right", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("identity_type", "text", (c) => c.notNull())
        .addColumn("identity_value", "text", (c) => c.notNull())
        .addColumn("contact_email", "text", (c) => c.notNull())
        .addColumn("name", "text")
        .addColumn("jurisdiction", "text", (c) => c.notNull())
        .addColumn("regime", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addColumn("verified_at", "text")
        .addColumn("due_at", "text", (c) => c.notNull())
        .addColumn("extended_due_at", "text")
        .addColumn("extension_reason", "text")
        .addColumn("completed_at", "text")
        .addColumn("status_token_hash", "text", (c) => c.notNull().unique())
        .addColumn("agent_name", "text")
        .addColumn("agent_email", "text")
        .addColumn("details", "text", (c) => c.notNull())
        .addColumn("identities", "text", (c) => c.notNull())
        .addColumn("report", "text")
        .addColumn("denial_reason", "text")
        .addColumn("declaration_version", "text", (c) => c.notNull())
        .execute();
      await s.createIndex("requests_status_due").on("requests").columns(["status", "due_at"]).execute();

      await s
        .createTable("request_events")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("request_id", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .execute();
      await s.createIndex("request_events_request").on("request_events").column("request_id").execute();

      await s
        .createTable("request_tasks")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("request_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("next_run_at", "text", (c) => c.notNull())
        .addColumn("lease_until", "text")
        .addColumn("lease_owner", "text")
        .addColumn("result", "text")
        .addColumn("error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await s.createIndex("request_tasks_due").on("request_tasks").columns(["status", "next_run_at"]).execute();
      await s
        .createIndex("request_tasks_request")
        .on("request_tasks")
        .columns(["request_id", "kind", "target"])
        .unique()
        .execute();

      await s
        .createTable("verifications")
        .addColumn("request_id", "text", (c) => c.primaryKey())
        .addColumn("code_hash", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("sent_at", "text", (c) => c.notNull())
        .addColumn("consumed_at", "text")
        .execute();

      await s
        .createTable("rate_events")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await s.createIndex("rate_events_key_at").on("rate_events").columns(["key", "at"]).execute();

      await s
        .createTable("exports")
        .addColumn("request_id", "text", (c) => c.primaryKey())
        .addColumn("filename", "text", (c) => c.notNull())
        .addColumn("data", ctx.blobType, (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();

      await s
        .createTable("request_documents")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("request_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("filename", "text", (c) => c.notNull())
        .addColumn("content_type", "text", (c) => c.notNull())
        .addColumn("data", ctx.blobType, (c) => c.notNull())
        .addColumn("uploaded_at", "text", (c) => c.notNull())
        .execute();

      await s
        .createTable("subject_flags")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("identity_hash", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("purpose", "text")
        .addColumn("request_id", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("lifted_at", "text")
        .execute();
      await s.createIndex("subject_flags_identity").on("subject_flags").column("identity_hash").execute();

      await s
        .createTable("users")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await s
        .createTable("sessions")
        .addColumn("id_hash", "text", (c) => c.primaryKey())
        .addColumn("user_id", "integer", (c) => c.notNull())
        .addColumn("csrf_token", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await s
        .createTable("api_tokens")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_used_at", "text")
        .addColumn("revoked", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await s
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
    },
  };
}
