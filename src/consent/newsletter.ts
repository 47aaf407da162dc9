/**
 * Newsletters with double opt-in: a sign-up is pending until the person
 * follows the single-use link mailed to them within the window (24 hours by
 * default); after it, the sign-up is blocked, and a scheduled sweep deletes it
 * after a month. Proof kept: sign-up time and IP, when the confirmation mail
 * went out and its exact text, confirmation time and IP, and the declaration
 * version. Unsubscribing takes one click, with RFC 8058 headers in every mail.
 */
import { queuePropagation } from "./propagation.js";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { appendAudit } from "../audit/index.js";
import { addDuration, doubleOptInOf, own, parseDuration, type Declaration } from "../declaration/index.js";
import { takeRateLimits, type RateLimit } from "../auth/index.js";
import type { Mailer } from "../mail/index.js";
import { DEFAULT_SETTINGS } from "../requests/index.js";
import { getSecret, type Store } from "../store/index.js";
import { postWebhook, resolveWebhook } from "../webhooks/index.js";
import { truncateIp } from "./records.js";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const token = () => randomBytes(24).toString("base64url");

/**
 * A subscription's manage token (unsubscribe and preferences): derived from the organization's key and the
 * subscription's own random nonce, so the server can put it in every mail and in the sending tool's list without
 * storing it, and a new nonce revokes it (`revokeManageLinks`). Subscriptions made before nonces existed derive it
 * from the address until their links are revoked.
 */
async function manageToken(
  ctx: Pick<NewsletterContext, "store" | "env">,
  row: { email: string; manage_nonce: string | null },
): Promise<string> {
  const key = await getSecret(ctx.store, "org_key", ctx.env.PLEDGE_SECRET);
  const input = row.manage_nonce ? `newsletter-link:${row.manage_nonce}` : `newsletter:${row.email}`;
  return createHmac("sha256", key).update(input).digest("base64url");
}

export interface NewsletterContext {
  store: Store;
  declaration: () => Declaration;
  mailer: Mailer;
  publicUrl: string;
  env: Record<string, string | undefined>;
  clock: () => Date;
  /** Reports a webhook that could not be delivered (it is logged, not retried). */
  onWebhookError?: (err: unknown) => void;
  /** Sign-ups per address and per network address: the limits of verification codes by default. */
  limits?: { perAddress: { max: number; windowMs: number }; perIp: { max: number; windowMs: number } };
}

/** The same limits as verification codes, by default. */
const SIGNUP_LIMITS = { perAddress: DEFAULT_SETTINGS.codeLimitPerAddress, perIp: DEFAULT_SETTINGS.codeLimitPerIp };

/** A newsletter that does not exist, a link that is not valid. */
export class NewsletterError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "REQUEST_INVALID" | "LINK_EXPIRED" | "LINK_USED" | "RATE_LIMITED",
    message: string,
  ) {
    super(message);
    this.name = "NewsletterError";
  }
}

function listOf(ctx: NewsletterContext, list: string) {
  const n = own(ctx.declaration().consent?.newsletters, list);
  if (!n) throw new NewsletterError("NOT_FOUND", `no newsletter '${list}'`);
  return n;
}

async function notify(ctx: NewsletterContext, list: string, event: string, email: string): Promise<void> {
  const wh = listOf(ctx, list).webhook;
  if (!wh) return;
  const r = resolveWebhook(wh, ctx.env);
  if ("error" in r) return ctx.onWebhookError?.(new Error(r.error));
  await postWebhook(
    r.url,
    r.secret,
    { type: `pledge.newsletter.${event}`, list, email, at: ctx.clock().toISOString() },
    ctx.clock(),
  ).catch((err) => ctx.onWebhookError?.(err));
}

/** The one-click unsubscribe headers of RFC 8058, and the link for the mail body. */
export function unsubscribeHeaders(publicUrl: string, manageToken: string): Record<string, string> {
  return {
    "List-Unsubscribe": `<${publicUrl}/newsletter/unsubscribe/${manageToken}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

/**
 * What to tell the operator at start when newsletters are on and the public URL is not HTTPS: RFC 8058 § 3 requires
 * the one-click unsubscribe address to be HTTPS, and mail providers ignore (or mark as spam) an http one.
 */
export function unsubscribeUrlWarning(decl: Declaration, publicUrl: string): string | undefined {
  const lists = Object.keys(decl.consent?.newsletters ?? {});
  if (!lists.length || publicUrl.startsWith("https://")) return undefined;
  return (
    `warning: newsletters are on (${lists.join(", ")}) and the public URL ${publicUrl || "(not set)"} is not HTTPS: ` +
    "the one-click unsubscribe link in each mail (List-Unsubscribe, RFC 8058) must be https://. " +
    "Set PLEDGE_PUBLIC_URL to the https:// address people reach Pledge at."
  );
}

/**
 * The text of a mail with its links' tokens replaced, as proof keeps it: the text the person got, and no key anyone
 * could use.
 */
export function redactMailTokens(text: string): string {
  return text.replace(/(\/newsletter\/(?:confirm|unsubscribe|preferences)\/)[A-Za-z0-9_-]{20,100}/g, "$1[redacted]");
}

/**
 * Signs a person up: mails the confirmation link, then stores the pending
 * sign-up with its proof. The answer is the same whether or not the address
 * is already subscribed (a subscriber gets a mail saying so, with their
 * manage link), so that the form tells nobody who subscribes. Sign-ups are
 * limited per address and per network address; a mail that cannot be sent
 * leaves nothing stored and no limit spent.
 *
 * @throws NewsletterError RATE_LIMITED, NOT_FOUND; MailError when mail is down
 */
export async function signUp(
  ctx: NewsletterContext,
  list: string,
  input: { email: string; name?: string; ip?: string },
): Promise<{ status: "pending" | "confirmed" }> {
  const n = listOf(ctx, list);
  const email = input.email.trim().toLowerCase();
  if (!emailFits(email))
    throw new NewsletterError("REQUEST_INVALID", "email: at most 64 characters before the @ and 254 in all");
  const now = ctx.clock();
  const decl = ctx.declaration();
  const limits = ctx.limits ?? SIGNUP_LIMITS;
  const rate: RateLimit[] = [
    { key: `newsletter:address:${sha256(email)}`, ...limits.perAddress },
    ...(input.ip ? [{ key: `newsletter:ip:${input.ip}`, ...limits.perIp }] : []),
  ];
  // The place is taken first, so sign-ups at once are counted as they come; it is given back when the mail fails.
  const taken = await takeRateLimits(ctx.store, rate, now);
  const reached = taken.reached;
  if (reached)
    throw new NewsletterError(
      "RATE_LIMITED",
      `too many sign-ups ` +
        `${reached.key.startsWith("newsletter:ip") ? "from your network" : "for this address"}` +
        `; try again in ${Math.ceil(reached.windowMs / 60_000)} minutes`,
    );
  const answer = { status: doubleOptInOf(n).enabled ? ("pending" as const) : ("confirmed" as const) };
  const existing = await ctx.store.db
    .selectFrom("newsletter_subscriptions")
    .select(["id", "email", "manage_nonce"])
    .where("list", "=", list)
    .where("email", "=", email)
    .where("status", "=", "confirmed")
    .executeTakeFirst();
  if (existing) {
    const manage = await manageToken(ctx, existing);
    if (doubleOptInOf(n).enabled) {
      const text =
        `You asked to receive ${n.name}, and you are already subscribed: nothing ` +
        `changes.\n\nIf it was not you, ignore this email. Manage or end your ` +
        `subscriptions at any time: ${ctx.publicUrl}/newsletter/preferences/${manage}\n`;
      await ctx.mailer
        .send({
          to: email,
          subject: `You are already subscribed to ${n.name}`,
          text,
          headers: unsubscribeHeaders(ctx.publicUrl, manage),
        })
        .catch(async (err: unknown) => {
          await taken.release();
          throw err;
        });
    }
    return answer;
  }
  const confirm = token();
  const nonce = token();
  const manage = await manageToken(ctx, { email, manage_nonce: nonce });
  const consentText =
    `I want to receive ${n.name}${n.description ? ` (${n.description})` : ""} from ` +
    `${decl.organization.name}. I can unsubscribe at any time.`;
  const window = doubleOptInOf(n).confirmWithin;
  const text =
    `Please confirm that you want to receive ${n.name}.\n\nConfirm: ` +
    `${ctx.publicUrl}/newsletter/confirm/${confirm}\n\nThe link works once and ` +
    `expires in ${window}. If you did not sign up, ignore this email; nothing more ` +
    `will be sent.\n\nUnsubscribe at any time: ${ctx.publicUrl}` +
    `/newsletter/unsubscribe/${manage}\n`;
  // The mail goes first: when it cannot be sent, nothing is stored and no limit is spent.
  if (doubleOptInOf(n).enabled)
    await ctx.mailer
      .send({
        to: email,
        subject: `Confirm your subscription to ${n.name}`,
        text,
        headers: unsubscribeHeaders(ctx.publicUrl, manage),
      })
      .catch(async (err: unknown) => {
        await taken.release();
        throw err;
      });
  const row = await ctx.store.db
    .insertInto("newsletter_subscriptions")
    .values({
      list,
      email,
      name: input.name ?? null,
      status: doubleOptInOf(n).enabled ? "pending" : "confirmed",
      confirm_token_hash: doubleOptInOf(n).enabled ? sha256(confirm) : null,
      manage_token_hash: sha256(manage),
      manage_nonce: nonce,
      signup_at: now.toISOString(),
      signup_ip: truncateIp(input.ip),
      mail_sent_at: doubleOptInOf(n).enabled ? ctx.clock().toISOString() : null,
      mail_text: doubleOptInOf(n).enabled ? redactMailTokens(text) : null,
      confirmed_at: doubleOptInOf(n).enabled ? null : now.toISOString(),
      confirm_ip: null,
      unsubscribed_at: null,
      declaration_version: decl.version,
      consent_text: consentText,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await appendAudit(
    ctx.store,
    { actor: "subscriber", action: "newsletter.signed_up", subject: `${list}:${row.id}`, data: { list } },
    now,
  );
  await notify(ctx, list, doubleOptInOf(n).enabled ? "pending" : "confirmed", email);
  return answer;
}

/**
 * What a confirmation link is for, to show on its page before the person presses Confirm: the list and the address,
 * or why the link cannot be used (used, expired, unknown). Reads only; a mail scanner that opens it confirms nothing.
 */
export async function peekConfirmation(
  ctx: NewsletterContext,
  confirmToken: string,
): Promise<{ list: string; listName: string; email: string } | { problem: "unknown" | "expired" }> {
  const s = await ctx.store.db
    .selectFrom("newsletter_subscriptions")
    .select(["list", "email", "status", "signup_at"])
    .where("confirm_token_hash", "=", sha256(confirmToken))
    .executeTakeFirst();
  const n = s ? ctx.declaration().consent?.newsletters[s.list] : undefined;
  if (!s || !n || s.status !== "pending") return { problem: "unknown" };
  const deadline = addDuration(new Date(s.signup_at), parseDuration(doubleOptInOf(n).confirmWithin)!);
  if (ctx.clock() > deadline) return { problem: "expired" };
  return { list: s.list, listName: n.name, email: s.email };
}

/** An email address a mail server takes: at most 64 characters before the @ and 254 in all (RFC 5321 § 4.5.3.1). */
export function emailFits(email: string): boolean {
  const at = email.lastIndexOf("@");
  return at > 0 && at <= 64 && email.length <= 254;
}

/** Confirms a sign-up from its single-use link, within the window; returns the manage token's page path. */
export async function confirmSubscription(
  ctx: NewsletterContext,
  confirmToken: string,
  ip?: string,
): Promise<{ list: string; email: string }> {
  const now = ctx.clock();
  const s = await ctx.store.db
    .selectFrom("newsletter_subscriptions")
    .selectAll()
    .where("confirm_token_hash", "=", sha256(confirmToken))
    .executeTakeFirst();
  if (!s) throw new NewsletterError("LINK_USED", "this link is not valid, or was used already");
  const n = listOf(ctx, s.list);
  const deadline = addDuration(new Date(s.signup_at), parseDuration(doubleOptInOf(n).confirmWithin)!);
  if (s.status !== "pending" || now > deadline) {
    if (s.status === "pending")
      await ctx.store.db
        .updateTable("newsletter_subscriptions")
        .set({ status: "blocked" })
        .where("id", "=", s.id)
        .execute();
    throw new NewsletterError(
      "LINK_EXPIRED",
      `this link expired: sign-ups must be confirmed within ${doubleOptInOf(n).confirmWithin}`,
    );
  }
  const res = await ctx.store.db
    .updateTable("newsletter_subscriptions")
    .set({ status: "confirmed", confirmed_at: now.toISOString(), confirm_ip: truncateIp(ip), confirm_token_hash: null })
    .where("id", "=", s.id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new NewsletterError("LINK_USED", "this link was used already");
  await appendAudit(
    ctx.store,
    { actor: "subscriber", action: "newsletter.confirmed", subject: `${s.list}:${s.id}`, data: {} },
    now,
  );
  await notify(ctx, s.list, "confirmed", s.email);
  return { list: s.list, email: s.email };
}

/** Unsubscribes with the manage token from any mail (one click, no login). */
export async function unsubscribe(ctx: NewsletterContext, manageToken: string, list?: string): Promise<number> {
  const now = ctx.clock();
  const s = await ctx.store.db
    .selectFrom("newsletter_subscriptions")
    .select(["email"])
    .where("manage_token_hash", "=", sha256(manageToken))
    .executeTakeFirst();
  if (!s) throw new NewsletterError("NOT_FOUND", "this link is not valid");
  let q = ctx.store.db
    .updateTable("newsletter_subscriptions")
    .set({ status: "unsubscribed", unsubscribed_at: now.toISOString() })
    .where("email", "=", s.email)
    .where("status", "in", ["pending", "confirmed"]);
  if (list) q = q.where("list", "=", list);
  const res = await q.executeTakeFirst();
  const n = Number(res.numUpdatedRows);
  await appendAudit(
    ctx.store,
    { actor: "subscriber", action: "newsletter.unsubscribed", subject: list ?? "all", data: { count: n } },
    now,
  );
  const newsletters = ctx.declaration().consent?.newsletters ?? {};
  for (const l of list ? [list] : Object.keys(newsletters)) {
    await notify(ctx, l, "unsubscribed", s.email);
    // The processors that send this list stop too.
    if (n && newsletters[l])
      await queuePropagation(ctx.store, ctx.declaration(), `newsletter:${l}`, s.email, [newsletters[l].purpose], now);
  }
  return n;
}

/** Every subscription of the person behind a manage token: the preference page. */
export async function subscriptionsOf(ctx: NewsletterContext, manageToken: string) {
  const s = await ctx.store.db
    .selectFrom("newsletter_subscriptions")
    .select(["email"])
    .where("manage_token_hash", "=", sha256(manageToken))
    .executeTakeFirst();
  if (!s) return undefined;
  const rows = await ctx.store.db
    .selectFrom("newsletter_subscriptions")
    .selectAll()
    .where("email", "=", s.email)
    .orderBy("id")
    .execute();
  return { email: s.email, subscriptions: rows };
}

/**
 * The scheduled sweep: pending sign-ups past the window are blocked; blocked or
 * pending ones past `deleteUnconfirmedAfter` are deleted. Returns the counts.
 */
export async function sweepNewsletters(
  ctx: Pick<NewsletterContext, "store" | "declaration" | "clock">,
): Promise<{ blocked: number; deleted: number }> {
  const now = ctx.clock();
  let blocked = 0;
  let deleted = 0;
  for (const [list, n] of Object.entries(ctx.declaration().consent?.newsletters ?? {})) {
    const window = parseDuration(doubleOptInOf(n).confirmWithin)!;
    const keep = parseDuration(doubleOptInOf(n).deleteUnconfirmedAfter)!;
    const blockBefore = new Date(now.getTime() - (addDuration(now, window).getTime() - now.getTime())).toISOString();
    const deleteBefore = new Date(now.getTime() - (addDuration(now, keep).getTime() - now.getTime())).toISOString();
    const d = await ctx.store.db
      .deleteFrom("newsletter_subscriptions")
      .where("list", "=", list)
      .where("status", "in", ["pending", "blocked"])
      .where("signup_at", "<", deleteBefore)
      .executeTakeFirst();
    const b = await ctx.store.db
      .updateTable("newsletter_subscriptions")
      .set({ status: "blocked" })
      .where("list", "=", list)
      .where("status", "=", "pending")
      .where("signup_at", "<", blockBefore)
      .executeTakeFirst();
    deleted += Number(d.numDeletedRows);
    blocked += Number(b.numUpdatedRows);
  }
  if (blocked || deleted)
    await appendAudit(ctx.store, { actor: "system", action: "newsletter.swept", data: { blocked, deleted } }, now);
  return { blocked, deleted };
}

/**
 * The confirmed subscribers of a list, for the sending tool, each with the one-click unsubscribe URL its mails must
 * carry (RFC 8058).
 */
export async function confirmedSubscribers(ctx: Pick<NewsletterContext, "store" | "env" | "publicUrl">, list: string) {
  const rows = await ctx.store.db
    .selectFrom("newsletter_subscriptions")
    .select(["email", "name", "confirmed_at", "manage_nonce"])
    .where("list", "=", list)
    .where("status", "=", "confirmed")
    .orderBy("id")
    .execute();
  return Promise.all(
    rows.map(async ({ manage_nonce, ...r }) => {
      const token = await manageToken(ctx, { email: r.email, manage_nonce });
      return { ...r, unsubscribeUrl: `${ctx.publicUrl}/newsletter/unsubscribe/${token}` };
    }),
  );
}

/**
 * Revokes every manage link of an address (unsubscribe and preference links in mails already sent, and the sending
 * tool's copies): each of its subscriptions gets a new nonce. The next mail carries the new link.
 */
export async function revokeManageLinks(
  ctx: Pick<NewsletterContext, "store" | "env" | "clock">,
  email: string,
  actor: string,
) {
  const address = email.trim().toLowerCase();
  const rows = await ctx.store.db
    .selectFrom("newsletter_subscriptions")
    .select(["id"])
    .where("email", "=", address)
    .execute();
  for (const r of rows) {
    const nonce = token();
    await ctx.store.db
      .updateTable("newsletter_subscriptions")
      .set({
        manage_nonce: nonce,
        manage_token_hash: sha256(await manageToken(ctx, { email: address, manage_nonce: nonce })),
      })
      .where("id", "=", r.id)
      .execute();
  }
  await appendAudit(
    ctx.store,
    {
      actor,
      action: "newsletter.links_revoked",
      subject: `subscriber:${sha256(address).slice(0, 16)}`,
      data: { subscriptions: rows.length },
    },
    ctx.clock(),
  );
  return rows.length;
}

/** A subscription with its proof, as the console shows it. */
export type SubscriptionRecord = Awaited<ReturnType<typeof recentSubscriptions>>[number];

/** Recent subscriptions with their proof, for the console. */
export async function recentSubscriptions(store: Store, limit = 200) {
  return store.db.selectFrom("newsletter_subscriptions").selectAll().orderBy("id", "desc").limit(limit).execute();
}
