import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * A request's identities as the person's rows store them, where that differs from the canonical form only in case
 * (JSON, `{ email: ["Grace.Hopper@Example.NET"] }`): a vendor that compares case-sensitively is searched by each.
 * Cleared with the identities when the request closes.
 */
export function identityForms(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("requests").addColumn("identity_forms", "text").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("requests").dropColumn("identity_forms").execute();
    },
  };
}
