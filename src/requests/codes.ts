/** Verification codes by mail: the code mail, which is also the confirmation of receipt, and its events. */
import { REGIMES } from "../declaration/index.js";
import type { MailMessage } from "../mail/index.js";
import { receiptDueDate } from "./deadlines.js";
import { recordEvent } from "./events.js";
import { maskEmail } from "./identities.js";
import type { RequestsContext, RequestView } from "./model.js";
import { CODE_TTL_MS, newCode } from "./verification.js";

/** The request's row as stored. */
export async function loadRow(ctx: RequestsContext, id: string) {
  return ctx.store.db.selectFrom("requests").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * The mail that carries a code: to the person, or, for an agent's request, to the person to confirm they gave
 * permission.
 */
export function codeMail(
  ctx: RequestsContext,
  r: {
    id: string;
    code_to: string;
    agent_name: string | null;
    right: string;
    received?: Date;
    due?: Date;
    contact_email?: string | null;
  },
  code: string,
): MailMessage {
  const org = ctx.declaration().organization;
  const confirm = `${ctx.publicUrl}/privacy-center/verify/${r.id}`;
  // The first code mail is also the confirmation of receipt (11 CCR § 7021(a)): when it came, and by when it is
  // answered.
  const receipt =
    r.received && r.due
      ? `We received your request (${r.right.replace(/_/g, " ")}, reference ${r.id}) ` +
        `on ${r.received.toISOString().slice(0, 10)}. Once you confirm it, we answer ` +
        `by ${r.due.toISOString().slice(0, 10)}.\n\n`
      : "";
  const text = r.agent_name
    ? `${receipt}${r.agent_name}, who says they are your authorized agent, asked ` +
      `${org.shortName ?? org.name} on your behalf to act on your personal data (` +
      `${r.right.replace(/_/g, " ")}).\n\nIf you gave them permission, confirm it. ` +
      `Your verification code is ${code}. Enter it at ${confirm}, or give it to ` +
      `them.\n\nIt is valid for ${CODE_TTL_MS / 60_000} minutes. If you did not give ` +
      `permission, ignore this email: nothing happens without the code.\n`
    : `${receipt}Your verification code is ${code}.\n\nIt is valid for ` +
      `${CODE_TTL_MS / 60_000} minutes. If you did not ask for it, ignore this ` +
      `email.\n\nOnce you confirm, the link to follow your request and to download ` +
      `its result comes to this address, and only here.${
        r.contact_email && r.contact_email.toLowerCase() !== r.code_to.toLowerCase()
          ? ` News of it, without the link, also goes to ${maskEmail(r.contact_email)}, as the request asked.`
          : ""
      } Never read this code out to anyone.\n`;
  return { to: r.code_to, subject: `Your verification code for ${org.shortName ?? org.name}`, text };
}

/**
 * The confirmation of receipt (11 CCR § 7021(a): within 10 business days of
 * receipt, not after verification) is the first code mail: it says when the
 * request came and by when it is answered. It goes only where a code may go
 * (the email given, or the address on file for another identity), never to an
 * address the requester typed. The event records it against the law's clock.
 */
export async function receiptConfirmed(
  ctx: RequestsContext,
  id: string,
  r: { regime: string; received_at: string },
): Promise<void> {
  const done = await ctx.store.db
    .selectFrom("request_events")
    .select("id")
    .where("request_id", "=", id)
    .where("kind", "=", "receipt_confirmed")
    .executeTakeFirst();
  if (done) return;
  const regime = r.regime as RequestView["regime"];
  const by = receiptDueDate(regime, new Date(r.received_at));
  await recordEvent(
    ctx,
    id,
    "system",
    "receipt_confirmed",
    `receipt confirmed with the code mail` +
      `${by ? ` (the law's limit: ${by.toISOString().slice(0, 10)}, ${REGIMES[regime].receipt!.cite})` : ""}`,
  );
}

export async function codeSent(ctx: RequestsContext, requestId: string, to: string, code: string): Promise<void> {
  // The operator reads the code off the terminal in outbox mode: the request and a masked address say whose it is, and
  // the address itself stays out of a log that nothing ever deletes.
  if (ctx.mailer.mode === "outbox")
    ctx.console?.(`Verification code for ${maskEmail(to)} (request ${requestId}): ${code}`);
  await recordEvent(ctx, requestId, "system", "code_sent", `verification code sent to ${maskEmail(to)}`);
}

/**
 * Mails a new code to the request's code address (the code never goes
 * anywhere else), and only then makes it the request's code. Without a code
 * address, the request gets a code nobody has.
 *
 * @throws MailError when mail is down: the earlier code still stands
 */
export async function sendCode(ctx: RequestsContext, requestId: string): Promise<void> {
  const r = (await loadRow(ctx, requestId))!;
  const code = newCode(requestId, ctx.clock());
  if (r.code_to)
    await ctx.mailer.send(
      codeMail(
        ctx,
        { ...r, code_to: r.code_to, received: new Date(r.received_at), due: new Date(r.due_at) },
        code.code,
      ),
    );
  await code.save(ctx.store);
  if (r.code_to) {
    await codeSent(ctx, requestId, r.code_to, code.code);
    await receiptConfirmed(ctx, requestId, r);
  }
}
