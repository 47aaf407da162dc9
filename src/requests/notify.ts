/**
 * Telling recipients of a person's data about an erasure, rectification or
 * restriction (GDPR Art 19): by a webhook signed with HMAC-SHA256, or by email.
 * A failure throws, so the task is retried with backoff.
 */
import type { Declaration } from "../declaration/index.js";
import { postWebhook, resolveWebhook } from "../webhooks/index.js";
import type { Identities } from "../execution/index.js";
import type { RequestsContext } from "./model.js";

/** Recipients that have a way to be told. */
export function recipientsToNotify(decl: Declaration): string[] {
  return Object.entries(decl.recipients)
    .filter(([, r]) => r.notify?.webhook || r.notify?.email)
    .map(([id]) => id);
}

export async function notifyRecipient(
  ctx: RequestsContext,
  recipientId: string,
  event: { requestId: string; right: string; identities: Identities; corrections: Record<string, string> },
): Promise<{ channel: "webhook" | "email"; status?: number }> {
  const r = ctx.declaration().recipients[recipientId];
  if (!r?.notify) throw new Error(`recipient ${recipientId} has no notify settings`);
  const payload = {
    type: `pledge.request.${event.right}`,
    request: event.requestId,
    right: event.right,
    identities: event.identities,
    ...(event.right === "rectification" ? { corrections: event.corrections } : {}),
    at: ctx.clock().toISOString(),
  };
  if (r.notify.webhook) {
    const wh = resolveWebhook(r.notify.webhook, ctx.env);
    if ("error" in wh) throw new Error(`${recipientId}: ${wh.error}`);
    return { channel: "webhook", status: await postWebhook(wh.url, wh.secret, payload, ctx.clock()) };
  }
  await ctx.mailer.send({
    to: r.notify.email!,
    subject: `Data subject request: ${event.right} (${event.requestId})`,
    text: `A person whose data we shared with you exercised the right of ${event.right} (GDPR Art 19).\n\nIdentities:\n${Object.entries(event.identities).map(([k, v]) => `  ${k}: ${v.join(", ")}`).join("\n")}\n${event.right === "rectification" ? `\nCorrections:\n${Object.entries(event.corrections).map(([k, v]) => `  ${k}: ${v}`).join("\n")}\n` : ""}\nPlease apply it to the data you hold. Reference: ${event.requestId}\n`,
  });
  return { channel: "email" };
}
