/**
 * Consent withdrawals reach processors. When a person withdraws a consent they had given (by the banner with their
 * account, or by unsubscribing from a newsletter), each processor system reached over HTTP whose recipient serves one
 * of those purposes gets the spec's consent operation — unsubscribe, else suppress — for the person's email; each
 * other recipient of those purposes with a `notify` webhook or address is told by it. Only a recipient that received
 * the person's email is given it. Each is a durable row, retried with backoff by the worker, and shown on the consent
 * record with the answer. The email is kept only until the row settles.
 */
import { createHmac } from "node:crypto";
import {
  ConnectorError,
  createVendorConnector,
  VendorRetryLater,
  type HttpConnectorConfig,
} from "../connectors/index.js";
import { identitiesReceived, type Declaration } from "../declaration/index.js";
import { processorRecipient } from "../requests/index.js";
import type { Mailer } from "../mail/index.js";
import { getSecret, type Store } from "../store/index.js";
import { postWebhook, resolveWebhook } from "../webhooks/index.js";

/** What running propagations needs. */
export interface PropagationContext {
  store: Store;
  declaration: () => Declaration;
  env: Record<string, string | undefined>;
  cwd: string;
  clock: () => Date;
  /** Tells recipients whose `notify` is an address; without it, those rows fail with the reason. */
  mailer?: Mailer;
}

/** One propagation, as the console shows it. */
export interface PropagationView {
  id: number;
  /** What it passes on: `consent:<record id>` or `newsletter:<list>`. */
  source: string;
  vendor: string;
  operation: string;
  status: string;
  attempts: number;
  answer: string | null;
  at: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether a recipient may be given the person's email: the declaration says it received email addresses. */
const receivedEmail = (decl: Declaration, recipient: string) => identitiesReceived(decl, recipient).includes("email");

/** Where a withdrawal goes: a processor system over HTTP, or a recipient told by its `notify` webhook or address. */
export interface PropagationTarget {
  /** The system's id, or `recipient:<id>` for one told by its notify. */
  system: string;
  vendor: string;
  via: "api" | "webhook" | "mail";
}

/**
 * Who is told of a withdrawal of `purposes`: each recipient serving one of them that received the person's email, at
 * its HTTP processor system when it has one, else by its `notify` webhook, else by its `notify` address.
 */
export function propagationTargets(decl: Declaration, purposes: readonly string[]): PropagationTarget[] {
  // Asked on every consent write that refuses something: worked out once per declaration and set of purposes.
  let memo = targetMemo.get(decl);
  if (!memo) targetMemo.set(decl, (memo = new Map()));
  // Only declared purposes make a key: what a caller names beyond them cannot grow the memo.
  const known = purposes.filter((p) => Object.hasOwn(decl.purposes, p));
  const key = known.sort().join(" ");
  let targets = memo.get(key);
  if (!targets) memo.set(key, (targets = findTargets(decl, known)));
  return targets;
}
const targetMemo = new WeakMap<Declaration, Map<string, PropagationTarget[]>>();

function findTargets(decl: Declaration, purposes: readonly string[]): PropagationTarget[] {
  const recipients = new Set(purposes.flatMap((p) => decl.purposes[p]?.recipients ?? []));
  const out: PropagationTarget[] = [];
  const reached = new Set<string>();
  for (const [system, s] of Object.entries(decl.systems)) {
    if (s.connector?.engine !== "http") continue;
    const r = processorRecipient(decl, system);
    if (!r || !recipients.has(r) || !receivedEmail(decl, r)) continue;
    reached.add(r);
    out.push({ system, vendor: decl.recipients[r]?.name || s.name, via: "api" });
  }
  for (const r of recipients) {
    const rec = decl.recipients[r];
    if (!rec || reached.has(r) || !receivedEmail(decl, r)) continue;
    if (rec.notify?.webhook) out.push({ system: `recipient:${r}`, vendor: rec.name, via: "webhook" });
    else if (rec.notify?.email) out.push({ system: `recipient:${r}`, vendor: rec.name, via: "mail" });
  }
  return out;
}

/**
 * Queues the withdrawal of `purposes` for an email at each processor concerned; returns how many were queued.
 *
 * ```ts
 * await queuePropagation(store, decl, "newsletter:news", "ada@example.net", ["newsletter"], now);
 * ```
 */
export async function queuePropagation(
  store: Store,
  decl: Declaration,
  source: string,
  email: string,
  purposes: readonly string[],
  now: Date,
): Promise<number> {
  if (!EMAIL.test(email) || !purposes.length) return 0;
  const targets = propagationTargets(decl, purposes);
  if (!targets.length) return 0;
  const value = email.trim().toLowerCase();
  const hash = createHmac("sha256", await getSecret(store, "org_key"))
    .update(`email:${value}`)
    .digest("hex");
  const at = now.toISOString();
  for (const t of targets)
    await store.db
      .insertInto("consent_propagations")
      .values({
        source,
        system: t.system,
        vendor: t.vendor,
        operation: t.via === "api" ? "unsubscribe" : `tell by ${t.via}`,
        identity_type: "email",
        identity: value,
        identity_hash: hash,
        status: "pending",
        attempts: 0,
        answer: null,
        next_run_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
  await store.signal("propagations");
  return targets.length;
}

const MAX_ATTEMPTS = 8;
const mask = (text: string, value: string) => text.split(value).join(`${value[0]}•••@${value.split("@")[1] ?? ""}`);

/** Runs due propagations (at most `limit`); returns how many ran. */
export async function runPropagations(ctx: PropagationContext, limit = 50): Promise<number> {
  const now = ctx.clock();
  const due = await ctx.store.db
    .selectFrom("consent_propagations")
    .selectAll()
    .where("status", "=", "pending")
    .where("next_run_at", "<=", now.toISOString())
    .orderBy("id")
    .limit(limit)
    .execute();
  for (const row of due) {
    const attempts = row.attempts + 1;
    const settle = async (status: string, answer: string, operation = row.operation, next?: string) =>
      ctx.store.db
        .updateTable("consent_propagations")
        .set({
          status,
          answer,
          operation,
          attempts,
          updated_at: ctx.clock().toISOString(),
          next_run_at: next ?? row.next_run_at,
          ...(status === "pending" ? {} : { identity: null }),
        })
        .where("id", "=", row.id)
        .execute();
    if (!row.identity) {
      await settle("failed", "the address was dropped before the row settled");
      continue;
    }
    try {
      const out = row.system.startsWith("recipient:")
        ? {
            answer: await tellRecipient(ctx, row.system.slice("recipient:".length), row.source, row.identity),
            operation: row.operation,
          }
        : await askVendor(ctx, row.system, row.source, row.identity_type, row.identity);
      if ("failed" in out) await settle("failed", out.failed);
      else await settle("done", out.answer, out.operation);
    } catch (err) {
      const message = mask((err as Error).message, row.identity);
      if (err instanceof VendorRetryLater) await settle("pending", message, row.operation, err.retryAt.toISOString());
      else {
        const permanent = (err instanceof ConnectorError && err.permanent) || attempts >= MAX_ATTEMPTS;
        const next = new Date(now.getTime() + Math.min(3_600_000, 30_000 * 2 ** attempts)).toISOString();
        await settle(permanent ? "failed" : "pending", message, row.operation, next);
      }
    }
  }
  return due.length;
}

/** Runs the spec's unsubscribe (else suppress) at a processor system over HTTP; throws to retry. */
async function askVendor(
  ctx: PropagationContext,
  system: string,
  source: string,
  type: string,
  value: string,
): Promise<{ answer: string; operation: string } | { failed: string }> {
  const c = ctx.declaration().systems[system]?.connector;
  if (c?.engine !== "http") return { failed: "the system is no longer declared as reached over HTTP" };
  const vc = createVendorConnector(system, c as HttpConnectorConfig, ctx.env, ctx.cwd);
  const op = (["unsubscribe", "suppress"] as const).find((o) => vc.spec.operations[o]);
  if (!op) return { failed: `${vc.spec.name}'s spec has no unsubscribe or suppress operation: tell them another way` };
  const out = await vc.consent(op, { [type]: [value] }, source);
  return {
    answer: `${op}: answered ${out.statuses.join(", ")}${out.jobs.length ? ` (job ${out.jobs.join(", ")})` : ""}`,
    operation: op,
  };
}

/** The purposes a source withdrew that a recipient serves: from the consent record, or the newsletter's purpose. */
async function withdrawnPurposes(store: Store, decl: Declaration, source: string, recipient: string) {
  const serves = (p: string) => decl.purposes[p]?.recipients.includes(recipient);
  if (source.startsWith("newsletter:")) {
    const purpose = decl.consent?.newsletters?.[source.slice("newsletter:".length)]?.purpose;
    return purpose && serves(purpose) ? [purpose] : [];
  }
  const row = await store.db
    .selectFrom("consent_events")
    .select("purposes")
    .where("record_id", "=", source.slice("consent:".length))
    .executeTakeFirst();
  const states = row ? (JSON.parse(row.purposes) as Record<string, string>) : {};
  return Object.entries(states)
    .filter(([p, st]) => (st === "refused" || st === "withdrawn") && serves(p))
    .map(([p]) => p);
}

/**
 * Tells a recipient with no API of a withdrawal: a signed webhook (`pledge.consent.withdrawn`), else a mail to its
 * notify address, with the reference, the purposes and the email. Returns the answer to keep; throws to retry.
 */
async function tellRecipient(ctx: PropagationContext, recipient: string, source: string, email: string) {
  const decl = ctx.declaration();
  const rec = decl.recipients[recipient];
  if (!rec?.notify) throw new Error(`recipient ${recipient} is no longer declared with a notify webhook or address`);
  const purposes = await withdrawnPurposes(ctx.store, decl, source, recipient);
  const names = purposes.map((p) => decl.purposes[p]?.name ?? p);
  if (rec.notify.webhook) {
    const wh = resolveWebhook(rec.notify.webhook, ctx.env);
    if ("error" in wh) throw new Error(wh.error);
    const status = await postWebhook(
      wh.url,
      wh.secret,
      { type: "pledge.consent.withdrawn", reference: source, purposes, email, at: ctx.clock().toISOString() },
      ctx.clock(),
    );
    return `answered ${status}`;
  }
  if (!ctx.mailer) throw new Error("no mailer to tell the recipient by mail");
  const to = rec.notify.email!;
  await ctx.mailer.send({
    to,
    subject: `Consent withdrawn (${source})`,
    text:
      `A person withdrew their consent to ${names.join(", ") || "the purposes you serve for us"}, with ` +
      `${decl.organization.name}.\n\nTheir email address, as you received it from us: ${email}\n\n` +
      `Please stop processing their data for ${purposes.length === 1 ? "that purpose" : "those purposes"} ` +
      `(reference ${source}).\n`,
  });
  return `sent to ${to.replace(/^(.).*@/, "$1***@")}`;
}

/** The propagations of a consent record or newsletter source, oldest first. */
export async function propagationsOf(store: Store, source: string): Promise<PropagationView[]> {
  const rows = await store.db
    .selectFrom("consent_propagations")
    .select(["id", "source", "vendor", "operation", "status", "attempts", "answer", "updated_at"])
    .where("source", "=", source)
    .orderBy("id")
    .execute();
  return rows.map(({ updated_at, ...r }) => ({ ...r, id: Number(r.id), at: updated_at }));
}

/** The propagations of several consent records at once, by source. */
export async function propagationsOfMany(
  store: Store,
  sources: readonly string[],
): Promise<Map<string, PropagationView[]>> {
  const out = new Map<string, PropagationView[]>();
  for (let i = 0; i < sources.length; i += 500) {
    const rows = await store.db
      .selectFrom("consent_propagations")
      .select(["id", "source", "vendor", "operation", "status", "attempts", "answer", "updated_at"])
      .where("source", "in", sources.slice(i, i + 500))
      .orderBy("id")
      .execute();
    for (const { updated_at, ...r } of rows) {
      const list = out.get(r.source) ?? [];
      list.push({ ...r, id: Number(r.id), at: updated_at });
      out.set(r.source, list);
    }
  }
  return out;
}

/** The newest propagations, for the console: what went to which vendor, and what it answered. Never the email. */
export async function recentPropagations(store: Store, limit = 100): Promise<PropagationView[]> {
  const rows = await store.db
    .selectFrom("consent_propagations")
    .select(["id", "source", "vendor", "operation", "status", "attempts", "answer", "updated_at"])
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(({ updated_at, ...r }) => ({ ...r, id: Number(r.id), at: updated_at }));
}
