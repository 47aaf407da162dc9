/**
 * Telling recipients of a person's data about an erasure, rectification or
 * restriction (GDPR Art 19): by a webhook signed with HMAC-SHA256, or by email.
 * A failure throws, so the task is retried with backoff.
 */
import { createHmac } from "node:crypto";
import type { Declaration } from "../declaration/index.js";
import type { Identities } from "../execution/index.js";
import type { RequestsContext } from "./model.js";

/** Recipients that have a way to be told. */
export function recipientsToNotify(decl: Declaration): string[] {
  return Object.entries(decl.recipients)
    .filter(([, r]) => r.notify?.webhook || r.notify?.email)
    .map(([id]) => id);
}

/**
 * The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 * A receiver recomputes it with the shared secret and rejects old timestamps.
 */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
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
    const wh = r.notify.webhook;
    const url = typeof wh.url === "string" ? wh.url : ctx.env[wh.url.env];
    const secret = ctx.env[wh.secret.env];
    if (!url) throw new Error(`the webhook URL of ${recipientId} is not set`);
    if (!secret) throw new Error(`environment variable ${wh.secret.env} (the webhook secret of ${recipientId}) is not set`);
    const body = JSON.stringify(payload);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "pledge-signature": signWebhook(secret, body, Math.floor(ctx.clock().getTime() / 1000)) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`webhook of ${recipientId} answered ${res.status}`);
    return { channel: "webhook", status: res.status };
  }
  await ctx.mailer.send({
    to: r.notify.email!,
    subject: `Data subject request: ${event.right} (${event.requestId})`,
    text: `A person whose data we shared with you exercised the right of ${event.right} (GDPR Art 19).\n\nIdentities:\n${Object.entries(event.identities).map(([k, v]) => `  ${k}: ${v.join(", ")}`).join("\n")}\n${event.right === "rectification" ? `\nCorrections:\n${Object.entries(event.corrections).map(([k, v]) => `  ${k}: ${v}`).join("\n")}\n` : ""}\nPlease apply it to the data you hold. Reference: ${event.requestId}\n`,
  });
  return { channel: "email" };
}
