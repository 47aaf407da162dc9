import { sql, type Kysely } from "kysely";

/**
 * Requests that keep proof rather than copies: where the code goes and who was
 * verified, the hashes of the person's identities (kept after the values are
 * redacted), the public key exports are sealed to, and a flag for staff.
 * Exports written before sealing existed are dropped: they expire within days
 * and held the person's rows in plain text.
 */
export function requestProof() {
  return {
    async up(db: Kysely<unknown>) {
      for (const [name, type] of [
        ["code_to", "text"],
        ["verification", "text"],
        ["identity_hashes", "text"],
        ["export_key", "text"],
        ["attention", "text"],
        ["redacted_at", "text"],
      ] as const) {
        await db.schema.alterTable("requests").addColumn(name, type).execute();
      }
      await sql`DELETE FROM exports`.execute(db);
      await db.schema.createIndex("requests_completed").on("requests").column("completed_at").execute();
    },
  };
}
