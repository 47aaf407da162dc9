/**
 * Signed webhooks: a JSON POST with `Pledge-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "t.body">`. A receiver recomputes the HMAC with the shared
 * secret and rejects stale timestamps. A non-2xx answer throws, for a retry.
 */
import { createHmac } from "node:crypto";

/** The signature header value. */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** Posts a signed JSON payload; throws on a network error or a non-2xx answer. */
export async function postWebhook(
  url: string,
  secret: string,
  payload: unknown,
  now: Date = new Date(),
): Promise<number> {
  const body = JSON.stringify(payload);
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "pledge-signature": signWebhook(secret, body, Math.floor(now.getTime() / 1000)),
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`webhook ${new URL(url).host} answered ${res.status}`);
  return res.status;
}

/** Resolves a webhook's URL and secret from the environment; undefined when the secret is not set. */
export function resolveWebhook(
  wh: { url: string | { env: string }; secret: { env: string } },
  env: Record<string, string | undefined>,
): { url: string; secret: string } | { error: string } {
  const url = typeof wh.url === "string" ? wh.url : env[wh.url.env];
  const secret = env[wh.secret.env];
  if (!url) return { error: `the webhook URL (${typeof wh.url === "string" ? "" : wh.url.env}) is not set` };
  if (!secret) return { error: `environment variable ${wh.secret.env} (the webhook secret) is not set` };
  return { url, secret };
}
