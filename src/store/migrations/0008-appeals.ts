import type { Kysely } from "kysely";

/**
 * Appeals (US state laws): a denied request can be appealed from its status
 * page; the appeal has its own deadline and answer.
 */
export function appeals() {
  return {
    async up(db: Kysely<unknown>) {
      for (const name of [
        "appealed_at",
        "appeal_due_at",
        "appeal_reason",
        "appeal_outcome",
        "appeal_answer",
      ] as const) {
        await db.schema.alterTable("requests").addColumn(name, "text").execute();
      }
    },
  };
}
