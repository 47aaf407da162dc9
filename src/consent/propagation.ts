/**
 * Consent withdrawals reach processors. When a person withdraws a consent they had given (by the banner with their
 * account, or by unsubscribing from a newsletter), each processor system reached over HTTP whose recipient serves one
 * of those purposes gets the spec's consent operation — unsubscribe, else suppress — for the person's email. Each is
 * a durable row, retried with backoff by the worker, and shown on the consent record with the vendor's answer. The
 * email is kept only until the row settles.
 */
import { createHmac } from "node:crypto";
import {
  ConnectorError,
  createVendorConnector,
  VendorRetryLater,
  type HttpConnectorConfig,
} from "../connectors/index.js";
import type { Declaration } from "../declaration/index.js";
import { getSecret, type Store } from "../store/index.js";

/** What running propagations needs. */
export interface PropagationContext {
  store: Store;
  declaration: () => Declaration;
  env: Record<string, string | undefined>;
  cwd: string;
  clock: () => Date;
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

/** The processor systems (HTTP) whose recipient serves one of `purposes` (all HTTP processors when it names none). */
export function propagationTargets(
  decl: Declaration,
  purposes: readonly string[],
): { system: string; vendor: string }[] {
  const recipients = new Set(purposes.flatMap((p) => decl.purposes[p]?.recipients ?? []));
  return Object.entries(decl.systems)
    .filter(([, s]) => s.connector?.engine === "http")
    .filter(([, s]) => {
      const r = (s.connector as { recipient?: string }).recipient ?? s.location?.hostedBy;
      return r ? recipients.has(r) : false;
    })
    .map(([system, s]) => {
      const r = (s.connector as { recipient?: string }).recipient ?? s.location?.hostedBy;
      return { system, vendor: (r && decl.recipients[r]?.name) || s.name };
    });
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
        operation: "unsubscribe",
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
  const decl = ctx.declaration();
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
    const c = decl.systems[row.system]?.connector;
    if (c?.engine !== "http" || !row.identity) {
      await settle("failed", "the system is no longer declared as reached over HTTP");
      continue;
    }
    try {
      const vc = createVendorConnector(row.system, c as HttpConnectorConfig, ctx.env, ctx.cwd);
      const op = (["unsubscribe", "suppress"] as const).find((o) => vc.spec.operations[o]);
      if (!op) {
        await settle(
          "failed",
          `${vc.spec.name}'s spec has no unsubscribe or suppress operation: tell them another way`,
        );
        continue;
      }
      const out = await vc.consent(op, { [row.identity_type]: [row.identity] }, row.source);
      await settle(
        "done",
        `${op}: answered ${out.statuses.join(", ")}${out.jobs.length ? ` (job ${out.jobs.join(", ")})` : ""}`,
        op,
      );
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
