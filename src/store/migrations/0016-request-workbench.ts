import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * The request workbench:
 * - `reference`: a short reference staff can say on the phone (`R-2026-0142`), numbered per year of receipt;
 * - `assignee`: the staff member (by email) who owns the request;
 * - `channel`: how it arrived (`web`, `email`, `letter`, `phone`, `in_person`); Art 12 does not limit the channel;
 * - `reminded_due`: the deadline the assignee was last reminded of, so a reminder goes once per deadline;
 * - indexes for the download (by arrival) and the search (identity, contact address).
 * Requests already stored get references in the order they were received.
 */
export function requestWorkbench(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("requests").addColumn("reference", "text").execute();
      await db.schema.alterTable("requests").addColumn("assignee", "text").execute();
      await db.schema
        .alterTable("requests")
        .addColumn("channel", "text", (c) => c.notNull().defaultTo("web"))
        .execute();
      await db.schema.alterTable("requests").addColumn("reminded_due", "text").execute();
      const rows = await sql<{ id: string; received_at: string }>`
        select id, received_at from requests order by received_at, id`.execute(db);
      const perYear = new Map<string, number>();
      for (const r of rows.rows) {
        const year = r.received_at.slice(0, 4);
        const n = (perYear.get(year) ?? 0) + 1;
        perYear.set(year, n);
        const reference = `R-${year}-${String(n).padStart(4, "0")}`;
        await sql`update requests set reference = ${reference} where id = ${r.id}`.execute(db);
      }
      await db.schema.createIndex("requests_reference").unique().on("requests").column("reference").execute();
      await db.schema.createIndex("requests_assignee").on("requests").columns(["assignee", "status"]).execute();
      // The download reads in the order requests arrived, a page after the last row; the search looks an identity or
      // a contact address up from its start.
      await db.schema.createIndex("requests_received").on("requests").columns(["received_at", "id"]).execute();
      // The clocks of open requests (the home page's counts and chart) read from the index alone, never the rows.
      await db.schema
        .createIndex("requests_clocks")
        .on("requests")
        .columns(["status", "due_at", "extended_due_at", "appeal_due_at"])
        .execute();
      // PostgreSQL: in byte order, the order of a prefix ("C"), whatever the database's collation.
      for (const [name, column] of [
        ["requests_identity", "identity_value"],
        ["requests_contact", "contact_email"],
      ] as const)
        await (ctx.autoIncrementType === "serial"
          ? sql`create index ${sql.id(name)} on requests (${sql.id(column)} collate "C")`.execute(db)
          : db.schema.createIndex(name).on("requests").column(column).execute());
    },
    async down(db: Kysely<unknown>) {
      const indexes = [
        "requests_clocks",
        "requests_contact",
        "requests_identity",
        "requests_received",
        "requests_assignee",
      ];
      for (const i of indexes) await db.schema.dropIndex(i).execute();
      await db.schema.dropIndex("requests_reference").execute();
      for (const c of ["reminded_due", "channel", "assignee", "reference"])
        await db.schema.alterTable("requests").dropColumn(c).execute();
    },
  };
}
