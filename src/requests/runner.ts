/**
 * The durable task runner. A request's work is a set of tasks in the store —
 * one per system and step — claimed with a lease, so a request survives a
 * crash: a task whose worker died is claimed again when its lease runs out.
 * A failing system is retried with exponential backoff, then left for a
 * person, without blocking the other systems.
 */
import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { createConnector, type Connector } from "../connectors/index.js";
import { collectSystem, mergeIdentities, planErasure, planRectification, remainingIdentities, type Identities, type SystemCollection } from "../execution/index.js";
import { getSecret } from "../store/index.js";
import { buildExport } from "./export.js";
import type { RequestReport, RequestsContext, SystemReport, TaskKind, TaskStatus } from "./model.js";
import { notifyRecipient, recipientsToNotify } from "./notify.js";
import { identityHash, legalHoldsOn, recordEvent } from "./service.js";

const hashOf = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 16);

/** Systems with a connector and datasets, and systems that need a person. */
function systemsOf(ctx: RequestsContext) {
  const decl = ctx.declaration();
  const automated: string[] = [];
  const manual: string[] = [];
  for (const [id, s] of Object.entries(decl.systems)) {
    if (!Object.keys(s.datasets).length) continue;
    (s.connector && s.connector.engine !== "manual" ? automated : manual).push(id);
  }
  return { automated, manual };
}

async function insertTask(ctx: RequestsContext, requestId: string, kind: TaskKind, target: string, status: TaskStatus = "pending"): Promise<void> {
  const now = ctx.clock().toISOString();
  await ctx.store.db
    .insertInto("request_tasks")
    .values({ request_id: requestId, kind, target, status, attempts: 0, next_run_at: now, lease_until: null, lease_owner: null, result: null, error: null, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(["request_id", "kind", "target"]).doNothing())
    .execute();
}

const DATA_RIGHTS = new Set(["access", "portability", "erasure", "rectification"]);

/** Creates the first tasks of a request that has started. */
export async function planTasks(ctx: RequestsContext, requestId: string): Promise<void> {
  const r = await ctx.store.db.selectFrom("requests").select(["right"]).where("id", "=", requestId).executeTakeFirstOrThrow();
  const { automated, manual } = systemsOf(ctx);
  if (DATA_RIGHTS.has(r.right)) {
    for (const s of automated) await insertTask(ctx, requestId, "collect", s);
    for (const s of manual) await insertTask(ctx, requestId, "manual", s, "manual");
  } else {
    await insertTask(ctx, requestId, "flag", r.right);
  }
  await recordEvent(ctx, requestId, "system", "started", `execution planned: ${DATA_RIGHTS.has(r.right) ? `${automated.length} automated system(s), ${manual.length} manual` : r.right}`);
  await advanceRequest(ctx, requestId);
}

interface TaskRow {
  id: number;
  request_id: string;
  kind: string;
  target: string;
  status: string;
  attempts: number;
  result: string | null;
}

/**
 * Moves a request forward after a task changed: creates the next tasks,
 * refreshes stale ones, and completes the request when everything is done.
 */
export async function advanceRequest(ctx: RequestsContext, requestId: string): Promise<void> {
  const db = ctx.store.db;
  const req = await db.selectFrom("requests").selectAll().where("id", "=", requestId).executeTakeFirst();
  if (!req || !["in_progress", "needs_attention"].includes(req.status)) return;
  const now = ctx.clock().toISOString();
  const tasks = (await db.selectFrom("request_tasks").select(["id", "request_id", "kind", "target", "status", "attempts", "result"]).where("request_id", "=", requestId).execute()) as TaskRow[];
  const identitiesKey = hashOf(JSON.parse(req.identities));
  const byKey = new Map(tasks.map((t) => [`${t.kind}:${t.target}`, t]));
  const resultOf = (t: TaskRow | undefined) => (t?.result ? (JSON.parse(t.result) as { identitiesKey?: string; hash?: string; collectHash?: string }) : undefined);

  // A collection made with fewer identities than the request now knows is collected again.
  for (const t of tasks.filter((x) => x.kind === "collect" && x.status === "done")) {
    if (resultOf(t)?.identitiesKey !== identitiesKey) {
      await db.updateTable("request_tasks").set({ status: "pending", next_run_at: now, updated_at: now }).where("id", "=", t.id).execute();
      t.status = "pending";
    }
  }
  const collects = tasks.filter((t) => t.kind === "collect");
  const allCollected = collects.every((t) => t.status === "done");

  if (req.right === "erasure" || req.right === "rectification") {
    const kind = req.right === "erasure" ? "erase" : "rectify";
    for (const c of collects) {
      const step = byKey.get(`${kind}:${c.target}`);
      if (c.status !== "done") {
        if (step && step.status === "pending") await db.updateTable("request_tasks").set({ status: "waiting", updated_at: now }).where("id", "=", step.id).execute();
        continue;
      }
      const collectHash = resultOf(c)?.hash;
      if (!step) await insertTask(ctx, requestId, kind, c.target);
      else if ((step.status === "waiting" || step.status === "done") && resultOf(step)?.collectHash !== collectHash) {
        await db.updateTable("request_tasks").set({ status: "pending", next_run_at: now, updated_at: now }).where("id", "=", step.id).execute();
      }
    }
  }
  // The export waits for staff too, so that it says what they found in systems without a connector.
  const manualDone = tasks.filter((t) => t.kind === "manual").every((t) => t.status === "done" || t.status === "skipped");
  if ((req.right === "access" || req.right === "portability") && allCollected && manualDone && !byKey.has("export:zip")) await insertTask(ctx, requestId, "export", "zip");

  // Recipients are told once every system is done.
  const fresh = (await db.selectFrom("request_tasks").select(["id", "kind", "target", "status"]).where("request_id", "=", requestId).execute()) as TaskRow[];
  const decl = ctx.declaration();
  const notifies = new Set<string>(decl.rights.notifyRecipients);
  const mainDone = fresh.filter((t) => t.kind !== "notify").every((t) => t.status === "done" || t.status === "skipped");
  if (mainDone && notifies.has(req.right as "erasure")) {
    for (const rid of recipientsToNotify(decl)) await insertTask(ctx, requestId, "notify", rid);
  }

  const final = (await db.selectFrom("request_tasks").select(["id", "kind", "target", "status", "result"]).where("request_id", "=", requestId).execute()) as TaskRow[];
  if (final.some((t) => t.status === "failed")) {
    await db.updateTable("requests").set({ status: "needs_attention" }).where("id", "=", requestId).where("status", "=", "in_progress").execute();
    return;
  }
  if (final.length === 0 || !final.every((t) => t.status === "done" || t.status === "skipped")) return;
  const report = buildReport(final, req.right);
  const done = await db
    .updateTable("requests")
    .set({ status: "completed", completed_at: now, report: JSON.stringify(report) })
    .where("id", "=", requestId)
    .where("status", "in", ["in_progress", "needs_attention"])
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) return;
  await recordEvent(ctx, requestId, "system", "completed", `${req.right} request completed`);
  const statusLink = `${ctx.publicUrl}/privacy-center/requests/`;
  await ctx.mailer.send({
    to: req.agent_email ?? req.contact_email,
    subject: "Your privacy request is complete",
    text: `${req.name ? `Dear ${req.name},` : "Hello,"}\n\nYour request is complete. Open it with the link in the email we sent when you confirmed it (${statusLink}…) to see the result${req.right === "access" || req.right === "portability" ? ` and download your data; the download expires after ${ctx.settings.exportTtlDays} days` : ""}.\n`,
  });
}

function buildReport(tasks: TaskRow[], right: string): RequestReport {
  const systems: SystemReport[] = [];
  const parse = (t: TaskRow) => (t.result ? (JSON.parse(t.result) as Record<string, unknown>) : {});
  for (const t of tasks) {
    if (t.kind === "manual") systems.push({ system: t.target, status: t.status === "done" ? "done" : "skipped", datasets: [], note: String(parse(t).note ?? "") });
    if (t.kind === "collect" && (right === "access" || right === "portability")) {
      const counts = (parse(t).counts ?? {}) as Record<string, number>;
      systems.push({ system: t.target, status: "done", datasets: Object.entries(counts).map(([dataset, rows]) => ({ dataset, rows })) });
    }
    if (t.kind === "erase" || t.kind === "rectify") {
      const res = parse(t) as { report?: SystemReport["datasets"]; verified?: boolean };
      systems.push({ system: t.target, status: "done", datasets: res.report ?? [], verified: res.verified });
    }
  }
  return {
    systems,
    recipientsNotified: tasks.filter((t) => t.kind === "notify" && t.status === "done").map((t) => t.target),
    flags: tasks.filter((t) => t.kind === "flag").flatMap((t) => (parse(t).flags as string[]) ?? []),
  };
}

/** Claims one due task (pending and due, or running with an expired lease). */
async function claimTask(ctx: RequestsContext, owner: string): Promise<TaskRow | undefined> {
  const now = ctx.clock();
  const iso = now.toISOString();
  return ctx.store.db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom("request_tasks")
      .select(["id", "request_id", "kind", "target", "status", "attempts", "result"])
      .where((eb) => eb.or([eb.and([eb("status", "=", "pending"), eb("next_run_at", "<=", iso)]), eb.and([eb("status", "=", "running"), eb("lease_until", "<", iso)])]))
      .orderBy("next_run_at")
      .limit(1);
    if (ctx.store.capabilities.rowLocks) q = q.forUpdate().skipLocked();
    const t = (await q.executeTakeFirst()) as TaskRow | undefined;
    if (!t) return undefined;
    await trx
      .updateTable("request_tasks")
      .set({ status: "running", lease_owner: owner, lease_until: new Date(now.getTime() + ctx.settings.leaseMs).toISOString(), attempts: sql`attempts + 1`, updated_at: iso })
      .where("id", "=", t.id)
      .execute();
    return { ...t, attempts: t.attempts + 1 };
  });
}

async function withConnector<T>(ctx: RequestsContext, system: string, fn: (c: Connector) => Promise<T>): Promise<T> {
  const c = createConnector(system, ctx.declaration().systems[system]?.connector, ctx.env, ctx.cwd);
  if (!c) throw new Error(`${system} has no connector`);
  try {
    return await fn(c);
  } finally {
    await c.close().catch(() => {});
  }
}

/** Runs one claimed task; returns its result, or throws to retry. */
async function execute(ctx: RequestsContext, t: TaskRow): Promise<Record<string, unknown>> {
  const db = ctx.store.db;
  const decl = ctx.declaration();
  const req = await db.selectFrom("requests").selectAll().where("id", "=", t.request_id).executeTakeFirstOrThrow();
  const identities = JSON.parse(req.identities) as Identities;
  const collectionOf = async (system: string): Promise<{ collection: SystemCollection; hash: string }> => {
    const c = await db.selectFrom("request_tasks").select(["status", "result"]).where("request_id", "=", t.request_id).where("kind", "=", "collect").where("target", "=", system).executeTakeFirst();
    if (c?.status !== "done" || !c.result) throw new Error(`the collection of ${system} is not done`);
    const r = JSON.parse(c.result) as { collection: SystemCollection; hash: string };
    return r;
  };

  switch (t.kind as TaskKind) {
    case "collect": {
      const collection = await withConnector(ctx, t.target, (c) => collectSystem(decl, t.target, c, identities));
      const { merged, grew } = mergeIdentities(identities, collection.discovered);
      if (grew) {
        await db.updateTable("requests").set({ identities: JSON.stringify(merged) }).where("id", "=", t.request_id).execute();
        const fresh = Object.keys(collection.discovered).filter((k) => collection.discovered[k].some((v) => !(identities[k] ?? []).includes(v)));
        await recordEvent(ctx, t.request_id, "system", "identities", `more identities found in ${t.target}: ${fresh.join(", ")}`);
      }
      const counts = Object.fromEntries(Object.entries(collection.datasets).map(([d, rows]) => [d, rows.length]));
      // The key of the identities this collection used: if it found new ones, it runs again with them too.
      return { identitiesKey: hashOf(identities), hash: hashOf(collection.datasets), counts, collection };
    }
    case "erase": {
      const { collection, hash } = await collectionOf(t.target);
      const holds = await legalHoldsOn(ctx, identities);
      if (holds.length) {
        // A legal hold preserves the person's data as it is: nothing is deleted or masked.
        const report = Object.entries(collection.datasets).map(([dataset, rows]) => ({ dataset, deleted: 0, masked: 0, kept: rows.length, keptBecause: holds.map((h) => `legal hold: ${h}`) }));
        await recordEvent(ctx, t.request_id, "system", "held", `${t.target}: nothing erased, under legal hold (${holds.join("; ")})`);
        return { collectHash: hash, report, verified: false, held: true };
      }
      const key = await getSecret(ctx.store, "org_key", ctx.env.PLEDGE_SECRET);
      const plan = planErasure(decl, collection, { key });
      return withConnector(ctx, t.target, async (c) => {
        if (plan.mutations.length) await c.apply(plan.mutations);
        // Verify: search again with every identity the request knows.
        const recheck = await collectSystem(decl, t.target, c, JSON.parse((await db.selectFrom("requests").select("identities").where("id", "=", t.request_id).executeTakeFirstOrThrow()).identities) as Identities);
        const remaining = remainingIdentities(decl, recheck);
        if (remaining.length) throw new Error(`erasure not verified: ${remaining.map((r) => `${r.count} row(s) of ${r.dataset} still found by ${r.field}`).join("; ")}`);
        await recordEvent(ctx, t.request_id, "system", "erased", `${t.target}: ${plan.report.map((d) => `${d.dataset} ${d.deleted} deleted${d.masked ? `, ${d.masked} masked` : ""}`).join("; ")}`);
        return { collectHash: hash, report: plan.report, verified: true };
      });
    }
    case "rectify": {
      const { collection, hash } = await collectionOf(t.target);
      const details = JSON.parse(req.details) as { corrections: Record<string, string> };
      const plan = planRectification(decl, collection, details.corrections);
      await withConnector(ctx, t.target, async (c) => {
        if (plan.mutations.length) await c.apply(plan.mutations);
      });
      await recordEvent(ctx, t.request_id, "system", "rectified", `${t.target}: ${plan.report.map((d) => `${d.dataset} ${d.masked} row(s) corrected`).join("; ") || "nothing to correct"}`);
      return { collectHash: hash, report: plan.report, verified: true };
    }
    case "export": {
      const collects = await db.selectFrom("request_tasks").select(["target", "result"]).where("request_id", "=", t.request_id).where("kind", "=", "collect").execute();
      const manual = await db.selectFrom("request_tasks").select(["target", "result"]).where("request_id", "=", t.request_id).where("kind", "=", "manual").execute();
      const { filename, data } = await buildExport(decl, {
        requestId: req.id,
        right: req.right as "access" | "portability",
        name: req.name ?? undefined,
        generatedAt: ctx.clock(),
        collections: collects.map((c) => (JSON.parse(c.result!) as { collection: SystemCollection }).collection),
        manual: manual.map((m) => ({ system: m.target, note: m.result ? String((JSON.parse(m.result) as { note?: string }).note ?? "") : "" })),
      });
      const now = ctx.clock();
      const expires = new Date(now.getTime() + ctx.settings.exportTtlDays * 86_400_000).toISOString();
      await db.deleteFrom("exports").where("request_id", "=", req.id).execute();
      await db.insertInto("exports").values({ request_id: req.id, filename, data, created_at: now.toISOString(), expires_at: expires }).execute();
      await recordEvent(ctx, t.request_id, "system", "export_ready", `export ready (${data.length} bytes), available until ${expires.slice(0, 10)}`);
      return { bytes: data.length, expiresAt: expires };
    }
    case "flag": {
      const details = JSON.parse(req.details) as { purposes: string[] };
      const flags: string[] = [];
      const now = ctx.clock().toISOString();
      const KINDS: Record<string, string> = { restriction: "restricted", objection: "objection", withdraw_consent: "consent_withdrawn", opt_out_sale: "opt_out_sale" };
      const kind = KINDS[req.right];
      // Restriction and an opt-out of sale cover the person as a whole; objections and withdrawals name purposes (all when none).
      const purposes = req.right === "restriction" || req.right === "opt_out_sale" ? [null] : details.purposes.length ? details.purposes : [null];
      for (const [type, values] of Object.entries(identities)) {
        for (const v of values) {
          const h = await identityHash(ctx, type, v);
          for (const p of purposes) {
            const exists = await db.selectFrom("subject_flags").select("id").where("identity_hash", "=", h).where("kind", "=", kind).where("request_id", "=", req.id).where("purpose", p === null ? "is" : "=", p).executeTakeFirst();
            if (!exists) await db.insertInto("subject_flags").values({ identity_hash: h, kind, purpose: p, request_id: req.id, created_at: now, lifted_at: null }).execute();
          }
        }
      }
      flags.push(...purposes.map((p) => (p ? `${kind}:${p}` : kind)));
      await recordEvent(ctx, t.request_id, "system", "flagged", `recorded ${flags.join(", ")}`);
      return { flags };
    }
    case "notify": {
      const res = await notifyRecipient(ctx, t.target, { requestId: req.id, right: req.right, identities, corrections: (JSON.parse(req.details) as { corrections: Record<string, string> }).corrections });
      await recordEvent(ctx, t.request_id, "system", "notified", `${decl.recipients[t.target]?.name ?? t.target} told by ${res.channel}`);
      return res;
    }
    case "manual":
      throw new Error("manual tasks are done by staff");
  }
}

/** The delay before the next try: exponential with jitter, capped. */
export function backoffMs(attempt: number, base: number, max: number): number {
  const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.75 + Math.random() * 0.5));
}

/**
 * Runs due tasks until none is left or `limit` were run; returns how many ran.
 *
 * ```ts
 * await runDueTasks(ctx); // in tests: drive execution without a background worker
 * ```
 */
export async function runDueTasks(ctx: RequestsContext, options: { owner?: string; limit?: number } = {}): Promise<number> {
  const owner = options.owner ?? `worker-${process.pid}-${randomBytes(3).toString("hex")}`;
  let ran = 0;
  while (ran < (options.limit ?? Infinity)) {
    const t = await claimTask(ctx, owner);
    if (!t) break;
    ran++;
    const heartbeat = setInterval(() => {
      void ctx.store.db
        .updateTable("request_tasks")
        .set({ lease_until: new Date(ctx.clock().getTime() + ctx.settings.leaseMs).toISOString() })
        .where("id", "=", t.id)
        .where("lease_owner", "=", owner)
        .execute()
        .catch(() => {});
    }, Math.max(250, ctx.settings.leaseMs / 3));
    try {
      const result = await execute(ctx, t);
      const now = ctx.clock().toISOString();
      await ctx.store.db.updateTable("request_tasks").set({ status: "done", result: JSON.stringify(result), error: null, lease_until: null, lease_owner: null, updated_at: now }).where("id", "=", t.id).execute();
    } catch (err) {
      const message = (err as Error).message;
      const exhausted = t.attempts >= ctx.settings.maxAttempts;
      const next = new Date(ctx.clock().getTime() + backoffMs(t.attempts, ctx.settings.backoffBaseMs, ctx.settings.backoffMaxMs)).toISOString();
      await ctx.store.db
        .updateTable("request_tasks")
        .set({ status: exhausted ? "failed" : "pending", error: message, next_run_at: next, lease_until: null, lease_owner: null, updated_at: ctx.clock().toISOString() })
        .where("id", "=", t.id)
        .execute();
      await recordEvent(ctx, t.request_id, "system", exhausted ? "task_failed" : "task_retry", `${t.kind} ${t.target} ${exhausted ? `failed after ${t.attempts} tries; left for a person` : `failed (try ${t.attempts}), retrying`}: ${message}`);
    } finally {
      clearInterval(heartbeat);
    }
    await advanceRequest(ctx, t.request_id);
    if (ctx.settings.throttleMs) await new Promise((r) => setTimeout(r, ctx.settings.throttleMs));
  }
  return ran;
}

export interface Worker {
  stop(): Promise<void>;
}

/** Runs due tasks in the background, polling every `intervalMs`. */
export function startWorker(ctx: RequestsContext, options: { intervalMs?: number; onError?: (err: unknown) => void } = {}): Worker {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const owner = `worker-${process.pid}-${randomBytes(3).toString("hex")}`;
  const tick = () => {
    if (stopped) return;
    current = runDueTasks(ctx, { owner })
      .catch((err) => options.onError?.(err))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 500);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
