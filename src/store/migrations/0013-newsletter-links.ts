import type { Kysely } from "kysely";
import type { MigrationContext } from "./index.js";

/**
 * Newsletter manage links of their own: each subscription gets a random nonce from which its manage token is derived,
 * so a subscriber's links can be revoked (a new nonce) without touching anyone else's. Subscriptions made before keep
 * the token derived from their address until their links are revoked.
 */
export function newsletterLinks(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("newsletter_subscriptions").addColumn("manage_nonce", "text").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("newsletter_subscriptions").dropColumn("manage_nonce").execute();
    },
  };
}
