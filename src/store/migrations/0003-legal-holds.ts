import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/** Legal holds on a person, by identity hash: their data is preserved as it is until the hold is lifted. */
export function legalHolds(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("legal_holds")
        .addColumn("id", ctx.autoIncrementType, (c) => c.primaryKey())
        .addColumn("identity_hash", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("placed_by", "text", (c) => c.notNull())
        .addColumn("placed_at", "text", (c) => c.notNull())
        .addColumn("lifted_at", "text")
        .execute();
      await db.schema.createIndex("legal_holds_identity").on("legal_holds").column("identity_hash").execute();
    },
  };
}
