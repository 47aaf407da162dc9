/**
 * Telling recipients of a person's data about an erasure, rectification or
 * restriction (GDPR Art 19): by a webhook signed with HMAC-SHA256, or by email.
 * A failure throws, so the task is retried with backoff.
 */
import { categoriesReceived, categoryWithin, identitiesReceived, type Declaration } from "../declaration/index.js";
import { postWebhook, resolveWebhook } from "../webhooks/index.js";
import type { Identities } from "../execution/index.js";
import type { RequestsContext } from "./model.js";

/**
 * Recipients that have a way to be told. For an opt-out of sale or sharing,
 * only those the data was sold or shared with: the recipients of purposes that
 * sell or share (11 CCR § 7026(f)(2)).
 */
export function recipientsToNotify(decl: Declaration, right?: string): string[] {
  const soldTo = new Set(
    Object.values(decl.purposes)
      .filter((p) => p.sold || p.shared)
      .flatMap((p) => p.recipients),
  );
  return Object.entries(decl.recipients)
    .filter(([id, r]) => (r.notify?.webhook || r.notify?.email) && (right !== "opt_out_sale" || soldTo.has(id)))
    .map(([id]) => id);
}

/** The corrections of the categories a recipient received: it is never sent a value of one it did not have. */
export function correctionsReceived(
  decl: Declaration,
  recipientId: string | undefined,
  corrections: Record<string, string>,
): Record<string, string> {
  const received = recipientId ? categoriesReceived(decl, recipientId) : [];
  return Object.fromEntries(
    Object.entries(corrections).filter(([cat]) => received.some((c) => categoryWithin(cat, c))),
  );
}

/**
 * Tells a recipient of a person's request, with only what the declaration
 * says it received: the identifiers of those types, and corrections of those
 * categories. A recipient that received none of the person's identifiers is
 * not told (there is nothing it could match), and the task says why.
 */
export async function notifyRecipient(
  ctx: RequestsContext,
  recipientId: string,
  event: { requestId: string; right: string; identities: Identities; corrections: Record<string, string> },
): Promise<{ channel: "webhook" | "email"; status?: number; identityTypes: string[] } | { skipped: string }> {
  const decl = ctx.declaration();
  const r = decl.recipients[recipientId];
  if (!r?.notify) throw new Error(`recipient ${recipientId} has no notify settings`);
  const types = new Set(identitiesReceived(decl, recipientId));
  const identities = Object.fromEntries(
    Object.entries(event.identities).filter(([type, values]) => types.has(type) && values.length),
  );
  if (!Object.keys(identities).length) {
    return {
      skipped:
        `${r.name} received none of the identifiers found (` +
        `${Object.keys(event.identities).join(", ") || "none"}), as the declaration ` +
        `says: it was not told`,
    };
  }
  const corrections = correctionsReceived(decl, recipientId, event.corrections);
  const payload = {
    type: `pledge.request.${event.right}`,
    request: event.requestId,
    right: event.right,
    identities,
    ...(event.right === "rectification" ? { corrections } : {}),
    at: ctx.clock().toISOString(),
  };
  const identityTypes = Object.keys(identities);
  if (r.notify.webhook) {
    const wh = resolveWebhook(r.notify.webhook, ctx.env);
    if ("error" in wh) throw new Error(`${recipientId}: ${wh.error}`);
    return { channel: "webhook", status: await postWebhook(wh.url, wh.secret, payload, ctx.clock()), identityTypes };
  }
  await ctx.mailer.send({
    to: r.notify.email!,
    subject: `Data subject request: ${event.right} (${event.requestId})`,
    text: `${
      event.right === "opt_out_sale"
        ? "A person whose data we sold or shared with you opted out of its sale and " +
          "sharing (Cal. Civ. Code 1798.120; 11 CCR § 7026(f)). Stop selling or sharing " +
          "it."
        : `A person whose data we shared with you exercised the right of ${event.right} (GDPR Art 19).`
    }\n\nIdentifiers you received from us:\n${Object.entries(identities)
      .map(([k, v]) => `  ${k}: ${v.join(", ")}`)
      .join("\n")}\n${
      event.right === "rectification" && Object.keys(corrections).length
        ? `\nCorrections:\n${Object.entries(corrections)
            .map(([k, v]) => `  ${k}: ${v}`)
            .join("\n")}\n`
        : ""
    }\nPlease apply it to the data you hold. Reference: ${event.requestId}\n`,
  });
  return { channel: "email", identityTypes };
}
