import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Governance registers: customers and their contacts, staff access requests
 * and grants, remote sessions, recordings and temporary copies, requests from
 * authorities, agreements, sub-processor changes with objections, and
 * incidents with the mailing list of the people a breach affected.
 */
export function governance(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      const t = (name: string) =>
        db.schema.createTable(name).addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey());
      await t("gov_counterparties")
        .addColumn("account", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("contact_email", "text", (c) => c.notNull())
        .addColumn("contact_set_by", "text", (c) => c.notNull())
        .addColumn("jurisdictions", "text", (c) => c.notNull())
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await t("gov_access_requests")
        .addColumn("requester", "text", (c) => c.notNull())
        .addColumn("requester_role", "text", (c) => c.notNull())
        .addColumn("account", "text", (c) => c.notNull())
        .addColumn("classes", "text", (c) => c.notNull())
        .addColumn("basis", "text", (c) => c.notNull())
        .addColumn("reason_id", "text", (c) => c.notNull())
        .addColumn("justification", "text", (c) => c.notNull())
        .addColumn("starts_at", "text", (c) => c.notNull())
        .addColumn("ends_at", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("token_hash", "text")
        .addColumn("decided_by", "text")
        .addColumn("decided_at", "text")
        .addColumn("decided_ip", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("gov_access_gate")
        .on("gov_access_requests")
        .columns(["requester", "account", "status"])
        .execute();
      await t("gov_sessions")
        .addColumn("account", "text", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("requested_by", "text", (c) => c.notNull())
        .addColumn("form_status", "text", (c) => c.notNull())
        .addColumn("form_token_hash", "text")
        .addColumn("form_sent_at", "text")
        .addColumn("form_name", "text")
        .addColumn("form_hash", "text")
        .addColumn("form_document", ctx.blobType)
        .addColumn("form_signed_at", "text")
        .addColumn("form_signed_by", "text")
        .addColumn("form_signed_ip", "text")
        .addColumn("started_at", "text")
        .addColumn("started_by", "text")
        .addColumn("ended_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await t("gov_custody")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("account", "text")
        .addColumn("session_id", "integer")
        .addColumn("label", "text", (c) => c.notNull())
        .addColumn("location", "text", (c) => c.notNull())
        .addColumn("made_at", "text", (c) => c.notNull())
        .addColumn("due_at", "text", (c) => c.notNull())
        .addColumn("done_at", "text")
        .addColumn("done_by", "text")
        .addColumn("evidence", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .execute();
      await t("gov_legal_requests")
        .addColumn("reference", "text", (c) => c.notNull())
        .addColumn("authority", "text", (c) => c.notNull())
        .addColumn("instrument", "text", (c) => c.notNull())
        .addColumn("jurisdiction", "text", (c) => c.notNull())
        .addColumn("accounts", "text", (c) => c.notNull())
        .addColumn("data_asked", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("outcome", "text")
        .addColumn("steps", "text", (c) => c.notNull())
        .addColumn("gag_until", "text")
        .addColumn("package_hash", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await t("gov_agreements")
        .addColumn("account", "text", (c) => c.notNull())
        .addColumn("agreement", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("template_version", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("document", ctx.blobType)
        .addColumn("document_name", "text")
        .addColumn("document_hash", "text")
        .addColumn("requested_at", "text", (c) => c.notNull())
        .addColumn("received_at", "text")
        .addColumn("received_by", "text")
        .addColumn("accepted_at", "text")
        .addColumn("accepted_by", "text")
        .addColumn("expires_at", "text")
        .addColumn("reminded_at", "text")
        .addColumn("note", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("gov_agreements_account").on("gov_agreements").columns(["account", "type"]).execute();
      await t("gov_subprocessor_changes")
        .addColumn("version", "text", (c) => c.notNull().unique())
        .addColumn("previous_version", "text", (c) => c.notNull())
        .addColumn("changes", "text", (c) => c.notNull())
        .addColumn("effective_date", "text", (c) => c.notNull())
        .addColumn("objection_until", "text", (c) => c.notNull())
        .addColumn("notified", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await t("gov_objections")
        .addColumn("change_id", "integer", (c) => c.notNull())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("account", "text")
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("ip", "text")
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await t("gov_incidents")
        .addColumn("reference", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("occurred_at", "text", (c) => c.notNull())
        .addColumn("aware_at", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("details", "text", (c) => c.notNull())
        .addColumn("notified", "text", (c) => c.notNull())
        .addColumn("affected", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("closed_at", "text")
        .execute();
      await db.schema
        .createTable("gov_incident_recipients")
        .addColumn("incident_id", "integer", (c) => c.notNull())
        .addColumn("email", "text", (c) => c.notNull())
        .addColumn("jurisdiction", "text")
        .execute();
      await db.schema
        .createIndex("gov_incident_recipients_incident")
        .on("gov_incident_recipients")
        .column("incident_id")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const name of [
        "gov_incident_recipients",
        "gov_incidents",
        "gov_objections",
        "gov_subprocessor_changes",
        "gov_agreements",
        "gov_legal_requests",
        "gov_custody",
        "gov_sessions",
        "gov_access_requests",
        "gov_counterparties",
      ])
        await db.schema.dropTable(name).execute();
    },
  };
}
