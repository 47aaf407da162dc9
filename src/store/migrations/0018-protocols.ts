import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * The ecosystem's protocols. Authorized agents of the Data Rights Protocol (registered and approved by an owner, with
 * their Ed25519 verify key), their pairwise bearer tokens (kept as hashes), the signatures already seen (a replay is
 * refused until the signed message has expired), and the requests each agent filed with the status last told to its
 * callback. Consent records keep the IAB strings (GPP, TCF) that were set with them.
 */
export function protocols(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s
        .createTable("drp_agents")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("verify_key", "text", (c) => c.notNull())
        .addColumn("web_url", "text")
        .addColumn("identity_assurance_url", "text")
        .addColumn("technical_contact", "text")
        .addColumn("business_contact", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("registered_by", "text", (c) => c.notNull())
        .addColumn("registered_at", "text", (c) => c.notNull())
        .addColumn("approved_by", "text")
        .addColumn("approved_at", "text")
        .addColumn("revoked_at", "text")
        .execute();
      await s
        .createTable("drp_tokens")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("agent_id", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await s.createIndex("drp_tokens_agent").on("drp_tokens").column("agent_id").execute();
      await s
        .createTable("drp_signatures")
        .addColumn("signature_hash", "text", (c) => c.primaryKey())
        .addColumn("agent_id", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await s.createIndex("drp_signatures_expires").on("drp_signatures").column("expires_at").execute();
      await s
        .createTable("drp_requests")
        .addColumn("request_id", "text", (c) => c.primaryKey())
        .addColumn("agent_id", "text", (c) => c.notNull())
        .addColumn("agent_request_id", "text")
        .addColumn("exercise", "text", (c) => c.notNull())
        .addColumn("regime", "text")
        .addColumn("status_callback", "text")
        .addColumn("denied_reason", "text")
        .addColumn("told", "text")
        .addColumn("callback_attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("callback_due_at", "text")
        .addColumn("callback_error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await s.createIndex("drp_requests_agent").on("drp_requests").columns(["agent_id", "created_at"]).execute();
      await s.createIndex("drp_requests_callback").on("drp_requests").column("callback_due_at").execute();
      await s.alterTable("consent_events").addColumn("gpp_string", "text").execute();
      await s.alterTable("consent_events").addColumn("tc_string", "text").execute();
      void ctx;
    },
    async down(db: Kysely<unknown>) {
      for (const t of ["drp_requests", "drp_signatures", "drp_tokens", "drp_agents"])
        await db.schema.dropTable(t).execute();
    },
  };
}
