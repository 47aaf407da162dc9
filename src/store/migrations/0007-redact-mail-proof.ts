import { sql, type Kysely } from "kysely";

/**
 * Proof that keeps no keys. Confirmation mails stored before Pledge redacted them held live confirm and
 * unsubscribe links, which anyone reading the console could follow: their
 * tokens are replaced here, once. (New sign-ups are stored redacted by the
 * consent domain.)
 */
export function redactMailProof() {
  return {
    async up(db: Kysely<unknown>) {
      const rows = await sql<{
        id: number;
        mail_text: string;
      }>`SELECT id, mail_text FROM newsletter_subscriptions WHERE mail_text IS NOT NULL`.execute(db);
      for (const r of rows.rows) {
        const text = r.mail_text.replace(
          /(\/newsletter\/(?:confirm|unsubscribe|preferences)\/)[A-Za-z0-9_-]{20,100}/g,
          "$1[redacted]",
        );
        if (text !== r.mail_text)
          await sql`UPDATE newsletter_subscriptions SET mail_text = ${text} WHERE id = ${r.id}`.execute(db);
      }
    },
  };
}
