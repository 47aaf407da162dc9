/**
 * The durable task runner. A request's work is a set of tasks in the store —
 * one per system and step — claimed with a lease, so a request survives a
 * crash: a task whose worker died is claimed again when its lease runs out.
 * A failing system is retried with exponential backoff, then left for a
 * person, without blocking the other systems.
 *
 * Rows never enter the store. A `collect` task keeps counts, the hashes of
 * the person's identities and an HMAC of what it found, as proof; an `erase`,
 * `rectify` or `export` task collects again, in memory, and acts on what is
 * there now. When the person's identities match several rows of a dataset of
 * people, the collection stops for review and nothing is erased or exported
 * until staff confirm exactly those rows.
 *
 * A task starts as soon as it is queued: `insertTask` signals the store, which
 * wakes every worker (LISTEN/NOTIFY on PostgreSQL, in-process on SQLite);
 * polling is only the fallback.
 */
import { createHmac, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { ConnectorError, createConnector, type Connector } from "../connectors/index.js";
import { loadVendorSpec, VendorRetryLater } from "../connectors/index.js";
import { addDuration, isProcessorConnector, isStoreConnector, parseDuration } from "../declaration/index.js";
import {
  consentOperationFor,
  identitiesAt,
  processorLine,
  processorName,
  processorStanding,
  processorRecipient,
  processorSystems,
  runProcessorTask,
  vendorConnector,
  type ProcessorResult,
} from "./processors.js";
import {
  collectSystem,
  findContactChannels,
  mergeIdentities,
  notReached,
  prepareErasure,
  planRectification,
  remainingIdentities,
  type ContactChannel,
  type Identities,
  type ReviewDecision,
  type ReviewDecisions,
  type SystemCollection,
  type NotReachedFacts,
} from "../execution/index.js";
import { getSecret, type Store } from "../store/index.js";
import { buildExport } from "./export.js";
import { sealExport } from "./export-seal.js";
import { hashIdentities, identityHash, maskEmail, maskIdentity } from "./identities.js";
import {
  exportExpiry,
  exportPeriod,
  type ConnectorCache,
  type RequestsContext,
  type RequestReport,
  type SystemReport,
  type TaskKind,
  type TaskStatus,
  type DatasetReport,
  type ProcessorReport,
} from "./model.js";
import { notifyRecipient, recipientsToNotify } from "./notify.js";
import { redactRequest, sweepRequests } from "./records.js";
import { sendCode } from "./codes.js";
import { legalHoldsOn, recordEvent, statusRecipient } from "./events.js";

/** The channel that wakes workers when a task is queued. */
export const TASKS_CHANNEL = "tasks";

/** Systems with a connector and datasets, systems that need a person, and processors' systems. */
/** Systems by their declared names, for a timeline line: "Web shop database, Support desk". */
const systemList = (ctx: RequestsContext, ids: string[]) =>
  ids.map((id) => ctx.declaration().systems[id]?.name ?? id).join(", ");

export function systemsOf(ctx: RequestsContext) {
  const decl = ctx.declaration();
  const automated: string[] = [];
  const manual: string[] = [];
  for (const [id, s] of Object.entries(decl.systems)) {
    if (isProcessorConnector(s.connector)) continue;
    // A system declared to be done by hand (paper files) needs its person even when it declares no datasets.
    if (s.connector?.engine === "manual") manual.push(id);
    else if (Object.keys(s.datasets).length) (isStoreConnector(s.connector) ? automated : manual).push(id);
  }
  return { automated, manual, processors: processorSystems(decl) };
}

/** The processors a consent right reaches: those whose spec has the operation and whose purposes it concerns. */
function consentProcessors(ctx: RequestsContext, right: string, purposes: string[]): string[] {
  const decl = ctx.declaration();
  const ops = consentOperationFor(right);
  if (!ops.length) return [];
  const concerned = new Set(
    Object.entries(decl.purposes)
      // Only the sale reaches vendors among the opt-outs (consentOperationFor): the purposes that sell or share.
      .filter(([id, p]) => (right === "opt_out_sale" ? p.sold || p.shared : !purposes.length || purposes.includes(id)))
      .flatMap(([, p]) => p.recipients),
  );
  return processorSystems(decl).filter((system) => {
    const c = decl.systems[system].connector;
    if (c?.engine !== "http") return false;
    const r = processorRecipient(decl, system);
    if (r && !concerned.has(r)) return false;
    // A spec that cannot be read is queued anyway: its task fails with the reason, for staff to see.
    try {
      const spec = loadVendorSpec(c.spec, ctx.cwd);
      return ops.some((op) => spec.operations[op]);
    } catch {
      return true;
    }
  });
}

/** Queues a task (once per request, kind and target) and wakes the workers. */
export async function insertTask(
  ctx: RequestsContext,
  requestId: string,
  kind: TaskKind,
  target: string,
  status: TaskStatus = "pending",
): Promise<void> {
  const now = ctx.clock().toISOString();
  await ctx.store.db
    .insertInto("request_tasks")
    .values({
      request_id: requestId,
      kind,
      target,
      status,
      attempts: 0,
      next_run_at: now,
      lease_until: null,
      lease_owner: null,
      result: null,
      error: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["request_id", "kind", "target"]).doNothing())
    .execute();
  if (status === "pending") await ctx.store.signal(TASKS_CHANNEL);
}

/** The rights that reach the person's rows in each system (collect, then erase, correct or export). */
export const DATA_RIGHTS = new Set(["access", "portability", "erasure", "rectification"]);

/** The processors a request of this right is sent to: a mail-only vendor only for the rights its agreement names. */
export function processorsAsked(ctx: RequestsContext, right: string): string[] {
  const decl = ctx.declaration();
  if (!DATA_RIGHTS.has(right)) return [];
  return processorSystems(decl).filter((system) => {
    const c = decl.systems[system].connector;
    return !(c?.engine === "mail" && c.rights && !(c.rights as string[]).includes(right));
  });
}

const FLAG_KINDS: Record<string, string> = {
  restriction: "restricted",
  objection: "objection",
  withdraw_consent: "consent_withdrawn",
  opt_out_sale: "opt_out_sale",
  limit_sensitive: "limit_sensitive",
  opt_out_targeted_advertising: "opt_out_targeted_advertising",
  opt_out_profiling: "opt_out_profiling",
};

/**
 * Records what a request asks the decision API to refuse from now on, for every
 * identity of the person (by hash), once: `null` purpose for the person as a
 * whole. Returns the flags as `kind` or `kind:purpose`.
 */
export async function recordFlags(
  ctx: RequestsContext,
  req: { id: string; right: string; identities: string },
  purposes: (string | null)[],
): Promise<string[]> {
  const kind = FLAG_KINDS[req.right];
  const now = ctx.clock().toISOString();
  const db = ctx.store.db;
  for (const h of await hashIdentities(
    { store: ctx.store, env: ctx.env, declaration: ctx.declaration },
    JSON.parse(req.identities) as Identities,
  )) {
    for (const p of purposes) {
      const exists = await db
        .selectFrom("subject_flags")
        .select("id")
        .where("identity_hash", "=", h)
        .where("kind", "=", kind)
        .where("request_id", "=", req.id)
        .where("purpose", p === null ? "is" : "=", p)
        .executeTakeFirst();
      if (!exists)
        await db
          .insertInto("subject_flags")
          .values({ identity_hash: h, kind, purpose: p, request_id: req.id, created_at: now, lifted_at: null })
          .execute();
    }
  }
  return purposes.map((p) => (p ? `${kind}:${p}` : kind));
}

/** Creates the first tasks of a request that has started. */
export async function planTasks(ctx: RequestsContext, requestId: string): Promise<void> {
  const r = await ctx.store.db
    .selectFrom("requests")
    .select(["right", "details"])
    .where("id", "=", requestId)
    .executeTakeFirstOrThrow();
  const { automated, manual } = systemsOf(ctx);
  if (DATA_RIGHTS.has(r.right)) {
    for (const s of automated) await insertTask(ctx, requestId, "collect", s);
    for (const s of manual) {
      await insertTask(ctx, requestId, "manual", s, "manual");
      await assignManualTask(ctx, requestId, s);
    }
  } else {
    await insertTask(ctx, requestId, "flag", r.right);
    const details = JSON.parse(r.details) as { purposes?: string[] };
    for (const s of consentProcessors(ctx, r.right, details.purposes ?? []))
      await insertTask(ctx, requestId, "processor", s);
  }
  await recordEvent(
    ctx,
    requestId,
    "system",
    "started",
    DATA_RIGHTS.has(r.right)
      ? `started: ${systemList(ctx, automated) || "no system"} searched automatically` +
          `${manual.length ? `; ${systemList(ctx, manual)} by hand` : ""}`
      : "started: recorded for the decision API",
  );
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
  error?: string | null;
}

/** A row a collection stopped on, as the console shows it: never a raw identity or another person's key. */
export interface CandidateView {
  /** An HMAC naming the row in staff's decisions. */
  ref: string;
  /** The row's primary key: `EmployeeId 4`. */
  shown: string;
  /** Which identity values matched it, masked; `shared` when the field holds an identity several people may share. */
  matched: { field: string; type: string; shown: string; shared: boolean }[];
  decided?: ReviewDecision;
}

/**
 * What a collection keeps as proof: counts, identity hashes, an HMAC of the rows. Never a row; while it waits for
 * review, the keys and masked identities of the rows it stopped on, removed when the request is redacted.
 */
export interface CollectResult {
  identitiesKey: string;
  proof: string;
  datasets: { dataset: string; found: number; notMatched: number; excluded?: number }[];
  notReached: { dataset: string; why: string; facts?: NotReachedFacts }[];
  actors: SystemCollection["actors"];
  /** Identity hash → rows it matched. */
  matched: Record<string, number>;
  ambiguous: { dataset: string; rows: number; candidates: CandidateView[] }[];
  /** Staff's decisions on rows of people, by row HMAC. */
  decisions?: Record<string, ReviewDecision>;
}

const resultOf = <T>(t: { result: string | null } | undefined): T | undefined =>
  t?.result ? (JSON.parse(t.result) as T) : undefined;

/**
 * Moves a request forward after a task changed: creates the next tasks,
 * refreshes stale ones, and completes the request when everything is done.
 */
export async function advanceRequest(ctx: RequestsContext, requestId: string, depth = 0): Promise<void> {
  const db = ctx.store.db;
  const req = await db.selectFrom("requests").selectAll().where("id", "=", requestId).executeTakeFirst();
  if (!req || !["in_progress", "needs_attention"].includes(req.status)) return;
  const now = ctx.clock().toISOString();
  const tasks = (await db
    .selectFrom("request_tasks")
    .select(["id", "request_id", "kind", "target", "status", "attempts", "result", "error"])
    .where("request_id", "=", requestId)
    .execute()) as TaskRow[];
  const key = await identitiesKey(ctx, JSON.parse(req.identities) as Identities);
  const byKey = new Map(tasks.map((t) => [`${t.kind}:${t.target}`, t]));
  // Run again with the identities found since: a new run, not a retry, so its count of tries starts over.
  const requeue = async (t: TaskRow) => {
    await db
      .updateTable("request_tasks")
      .set({ status: "pending", next_run_at: now, updated_at: now, attempts: 0 })
      .where("id", "=", t.id)
      .execute();
    t.status = "pending";
    await ctx.store.signal(TASKS_CHANNEL);
  };

  // Work done with fewer identities than the request now knows is done again.
  for (const t of tasks.filter(
    (x) => ["collect", "erase", "rectify", "processor"].includes(x.kind) && x.status === "done",
  )) {
    const r = resultOf<{ identitiesKey?: string; via?: string }>(t);
    // A vendor's API is asked again with the new identities; a vendor asked by mail keeps its answer (staff write to
    // it again if the new identities matter there).
    if (t.kind === "processor" && r?.via !== "api") continue;
    if (r?.identitiesKey && r.identitiesKey !== key) await requeue(t);
  }
  const collects = tasks.filter((t) => t.kind === "collect");
  const inReview = tasks.filter((t) => t.status === "review");
  const allCollected = collects.every((t) => t.status === "done");
  // Erasure waits until every system has been searched once, so that nothing is erased before a search that may stop
  // for review;
  // a system that cannot be reached (its collection failing) does not hold the others back.
  const searchedOnce = collects.every((t) => t.status === "done" || t.error);

  if (inReview.length) {
    // Identities matched several rows of a dataset of people: nothing is erased or exported until staff confirm.
    if (req.status !== "needs_attention") {
      await db
        .updateTable("requests")
        .set({ status: "needs_attention", attention: "review" })
        .where("id", "=", requestId)
        .execute();
      await recordEvent(
        ctx,
        requestId,
        "system",
        "review",
        `stopped before any change: ` +
          `${inReview
            .map((t) =>
              (resultOf<CollectResult>(t)?.ambiguous ?? [])
                .map((a) => `${a.rows} rows of ${t.target}.${a.dataset} matched, where one person is ` + `expected`)
                .join("; "),
            )
            .join("; ")}` +
          `; confirm they are one person's, or deny the request`,
      );
    }
    return;
  }

  if ((req.right === "erasure" || req.right === "rectification") && searchedOnce) {
    const kind = req.right === "erasure" ? "erase" : "rectify";
    for (const c of collects.filter((x) => x.status === "done")) {
      const step = byKey.get(`${kind}:${c.target}`);
      if (!step) await insertTask(ctx, requestId, kind, c.target);
      else if (step.status === "waiting") await requeue(step);
    }
  }
  // Processors are asked once every own system has been searched, with every identity found there.
  const vendors = processorsAsked(ctx, req.right);
  if (searchedOnce)
    for (const system of vendors)
      if (!byKey.has(`processor:${system}`)) await insertTask(ctx, requestId, "processor", system);
  // The export waits for staff and processors too, so that it says what they found.
  const manualDone = tasks
    .filter((t) => t.kind === "manual" || t.kind === "processor")
    .every((t) => t.status === "done" || t.status === "skipped");
  const vendorsAsked = !vendors.length || tasks.some((t) => t.kind === "processor");
  if ((req.right === "access" || req.right === "portability") && allCollected && manualDone && vendorsAsked) {
    const exp = byKey.get("export:zip");
    if (!exp) await insertTask(ctx, requestId, "export", "zip");
    else if (exp.status === "waiting") await requeue(exp);
  }

  // Recipients are told once every system is done.
  const fresh = (await db
    .selectFrom("request_tasks")
    .select(["id", "kind", "target", "status"])
    .where("request_id", "=", requestId)
    .execute()) as TaskRow[];
  const decl = ctx.declaration();
  const notifies = new Set<string>(decl.rights.notifyRecipients);
  const mainDone = fresh.filter((t) => t.kind !== "notify").every((t) => t.status === "done" || t.status === "skipped");
  if (mainDone && notifies.has(req.right as "erasure")) {
    // Recipients hear only of a person whose data was found: telling them of anyone else would disclose that they
    // asked.
    const found = tasks.some(
      (t) => t.kind === "collect" && (resultOf<CollectResult>(t)?.datasets ?? []).some((d) => d.found > 0),
    );
    if (found) for (const rid of recipientsToNotify(decl)) await insertTask(ctx, requestId, "notify", rid);
  }
  // An opt-out of sale or sharing is passed on to the third parties the data was sold or shared with (11 CCR §
  // 7026(f)(2)).
  if (mainDone && req.right === "opt_out_sale")
    for (const rid of recipientsToNotify(decl, "opt_out_sale")) await insertTask(ctx, requestId, "notify", rid);

  const final = (await db
    .selectFrom("request_tasks")
    .select(["id", "request_id", "kind", "target", "status", "attempts", "result"])
    .where("request_id", "=", requestId)
    .execute()) as TaskRow[];
  if (final.some((t) => t.status === "failed")) {
    await db
      .updateTable("requests")
      .set({ status: "needs_attention" })
      .where("id", "=", requestId)
      .where("status", "=", "in_progress")
      .execute();
    return;
  }
  if (final.length === 0 || !final.every((t) => t.status === "done" || t.status === "skipped")) return;
  // The steps above were decided on the tasks as they were when this call began. Another process may have finished
  // one since (a collection done while this call read it pending): then the next steps it calls for may not exist
  // yet, and "everything is done" is not true. Decide again on what is there now, never complete on a stale view.
  const seen = new Map(tasks.map((t) => [String(t.id), t.status]));
  if (final.some((t) => seen.has(String(t.id)) && seen.get(String(t.id)) !== t.status)) {
    if (depth < 5) await advanceRequest(ctx, requestId, depth + 1);
    return;
  }
  const report = await buildReport(ctx, final, req.right, JSON.parse(req.identities) as Identities);
  const nothing = report.outcome === "nothing_found";
  const completed = await db
    .updateTable("requests")
    .set({
      status: "completed",
      completed_at: now,
      report: JSON.stringify(report),
      attention: nothing && req.right === "erasure" ? "nothing_found" : null,
    })
    .where("id", "=", requestId)
    .where("status", "in", ["in_progress", "needs_attention"])
    .executeTakeFirst();
  if (Number(completed.numUpdatedRows) === 0) return;
  const missing = report.identities.filter((i) => !i.found);
  if (missing.length)
    await recordEvent(
      ctx,
      requestId,
      "system",
      "nothing_found",
      `nothing found for ${missing.map((i) => `${i.type} ${i.shown}`).join(", ")}` +
        `${nothing ? " — no system holds a row of this person's" : ""}`,
    );
  await recordEvent(
    ctx,
    requestId,
    "system",
    "completed",
    `${req.right} request completed${nothing ? ": nothing found" : ""}`,
  );
  const statusLink = `${ctx.publicUrl}/privacy-center/requests/`;
  const data = req.right === "access" || req.right === "portability";
  const foundNothing = missing.length
    ? `\nWe found no data under ` +
      `${missing.map((i) => `${i.type.replace(/_/g, " ")} ${i.shown}`).join(", ")}` +
      `${
        nothing && req.right === "erasure"
          ? ", so there was nothing to erase. If you have used other details with us, send " + "a new request with them"
          : ""
      }` +
      `.\n`
    : "";
  const to = statusRecipient(req);
  if (to)
    await ctx.mailer.send({
      to,
      subject: nothing ? "Your privacy request: we found no data" : "Your privacy request is complete",
      text:
        `${req.name && !req.agent_name ? `Dear ${req.name},` : "Hello,"}\n\nYour ` +
        `request is complete.${foundNothing}\nOpen it with the link in the email we ` +
        `sent when you confirmed it (${statusLink}…) to see the result` +
        `${
          data
            ? ` and download your data; the download expires after ` +
              `${exportPeriod(ctx.declaration(), ctx.settings.exportTtlDays)}`
            : ""
        }` +
        `.\n`,
    });
  await redactRequest(ctx, requestId);
}

/**
 * The report of a completed request: per system what was found, changed, kept and not reached, and which identities
 * found nothing.
 */
async function buildReport(
  ctx: RequestsContext,
  tasks: TaskRow[],
  right: string,
  identities: Identities,
): Promise<RequestReport> {
  const systems: SystemReport[] = [];
  const matched = new Map<string, number>();
  let found = 0;
  for (const t of tasks) {
    const res = resultOf<Record<string, unknown>>(t) ?? {};
    if (t.kind === "manual")
      systems.push({
        system: t.target,
        status: t.status === "done" ? "done" : "skipped",
        datasets: [],
        notReached: [],
        actors: [],
        note: String(res.note ?? ""),
      });
    if (t.kind !== "collect") continue;
    const c = res as unknown as CollectResult;
    for (const [h, n] of Object.entries(c.matched ?? {})) matched.set(h, (matched.get(h) ?? 0) + n);
    found += (c.datasets ?? []).reduce((a, d) => a + d.found, 0);
    const step = tasks.find((x) => x.target === t.target && (x.kind === "erase" || x.kind === "rectify"));
    const acted = resultOf<{
      report?: DatasetReport[];
      verified?: boolean;
      held?: boolean;
      notReached?: CollectResult["notReached"];
      actors?: CollectResult["actors"];
    }>(step);
    if (acted?.report) {
      systems.push({
        system: t.target,
        status: acted.held ? "held" : "done",
        datasets: acted.report,
        notReached: acted.notReached ?? c.notReached,
        actors: acted.actors ?? c.actors,
        ...(right === "erasure" ? { verified: !!acted.verified } : {}),
      });
    } else {
      systems.push({
        system: t.target,
        status: "done",
        datasets: (c.datasets ?? [])
          .filter((d) => d.found || d.notMatched)
          .map((d) => ({ dataset: d.dataset, found: d.found, ...(d.notMatched ? { notMatched: d.notMatched } : {}) })),
        notReached: c.notReached ?? [],
        actors: c.actors ?? [],
      });
    }
  }
  const shown: RequestReport["identities"] = [];
  for (const [type, values] of Object.entries(identities)) {
    for (const v of values)
      shown.push({
        type,
        shown: maskIdentity(type, v),
        found:
          (matched.get(await identityHash({ store: ctx.store, env: ctx.env, declaration: ctx.declaration }, type, v)) ??
            0) > 0,
      });
  }
  const dataRight = DATA_RIGHTS.has(right);
  const processors: ProcessorReport[] = tasks
    .filter((t) => t.kind === "processor")
    .map((t) => {
      const r = resultOf<ProcessorResult>(t) ?? {
        vendor: processorName(ctx.declaration(), t.target),
        via: "api",
        operation: "",
      };
      return {
        system: t.target,
        vendor: r.vendor,
        state: t.status === "skipped" ? "closed" : r.notAsked ? "not_asked" : r.confirmedAt ? "confirmed" : "waiting",
        line: processorLine(r, t.status),
        standing: processorStanding(r, t.status),
        ...(r.found !== undefined ? { found: r.found } : {}),
        ...(r.askedAt ? { askedAt: r.askedAt } : {}),
        ...(r.confirmedAt ? { confirmedAt: r.confirmedAt } : {}),
        ...(r.closedReason ? { closedReason: r.closedReason } : {}),
      };
    });
  found += processors.reduce((a, p) => a + (p.found ?? 0), 0);
  return {
    outcome: dataRight && found === 0 ? "nothing_found" : "done",
    identities: dataRight ? shown : [],
    systems,
    ...(processors.length ? { processors } : {}),
    recipientsNotified: tasks.filter((t) => t.kind === "notify" && t.status === "done").map((t) => t.target),
    flags: tasks.filter((t) => t.kind === "flag").flatMap((t) => resultOf<{ flags?: string[] }>(t)?.flags ?? []),
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
      .where((eb) =>
        eb.or([
          eb.and([eb("status", "=", "pending"), eb("next_run_at", "<=", iso)]),
          eb.and([eb("status", "=", "running"), eb("lease_until", "<", iso)]),
        ]),
      )
      .orderBy("next_run_at")
      .limit(1);
    if (ctx.store.capabilities.rowLocks) q = q.forUpdate().skipLocked();
    const t = (await q.executeTakeFirst()) as TaskRow | undefined;
    if (!t) return undefined;
    await trx
      .updateTable("request_tasks")
      .set({
        status: "running",
        lease_owner: owner,
        lease_until: new Date(now.getTime() + ctx.settings.leaseMs).toISOString(),
        attempts: sql`attempts + 1`,
        updated_at: iso,
      })
      .where("id", "=", t.id)
      .execute();
    return { ...t, attempts: t.attempts + 1 };
  });
}

/** A cache of connectors for one worker (see ConnectorCache). */
export function createConnectorCache(ctx: RequestsContext, idleMs = 30_000): ConnectorCache {
  const open = new Map<string, { key: string; connector: Connector; usedAt: number }>();
  const drop = async (system: string) => {
    const e = open.get(system);
    open.delete(system);
    await e?.connector.close().catch(() => {});
  };
  return {
    async use(system, fn) {
      const config = ctx.declaration().systems[system]?.connector;
      const key = JSON.stringify(config ?? null);
      let e = open.get(system);
      if (e && e.key !== key) await drop(system);
      e = open.get(system);
      if (!e) {
        const connector = createConnector(system, config, ctx.env, ctx.cwd);
        if (!connector) throw new Error(`${system} has no connector`);
        open.set(system, (e = { key, connector, usedAt: Date.now() }));
      }
      try {
        return await fn(e.connector);
      } catch (err) {
        await drop(system);
        throw err;
      } finally {
        e.usedAt = Date.now();
      }
    },
    async sweep() {
      for (const [system, e] of [...open]) if (Date.now() - e.usedAt > idleMs) await drop(system);
    },
    async close() {
      for (const system of [...open.keys()]) await drop(system);
    },
  };
}

/** Runs `fn` with a system's connector: the worker's open one, or one opened and closed for this task. */
export async function withConnector<T>(
  ctx: RequestsContext,
  system: string,
  fn: (c: Connector) => Promise<T>,
): Promise<T> {
  if (ctx.connectors) return ctx.connectors.use(system, fn);
  const c = createConnector(system, ctx.declaration().systems[system]?.connector, ctx.env, ctx.cwd);
  if (!c) throw new Error(`${system} has no connector`);
  try {
    return await fn(c);
  } finally {
    await c.close().catch(() => {});
  }
}

export const orgKey = (ctx: RequestsContext) => getSecret(ctx.store, "org_key", ctx.env.PLEDGE_SECRET);
const hmac = (key: string, v: unknown) =>
  createHmac("sha256", key).update(JSON.stringify(v)).digest("hex").slice(0, 32);

/** A key of the identities a step used: if more are found later, the step runs again with them. */
async function identitiesKey(ctx: RequestsContext, identities: Identities): Promise<string> {
  return hmac(
    await orgKey(ctx),
    Object.entries(identities)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, [...v].sort()]),
  );
}

interface Outcome {
  result: object;
  /** The task's status when it is not simply done. */
  status?: TaskStatus;
  /** With `pending`: when to run again (a vendor's job to check); not a retry, so its tries start over. */
  runAt?: string;
}

/** Runs one claimed task; returns its outcome, or throws to retry. */
async function execute(ctx: RequestsContext, t: TaskRow): Promise<Outcome> {
  const db = ctx.store.db;
  const decl = ctx.declaration();
  const req = await db.selectFrom("requests").selectAll().where("id", "=", t.request_id).executeTakeFirstOrThrow();
  const hashCtx = { store: ctx.store, env: ctx.env, declaration: ctx.declaration };

  const key0 = await orgKey(ctx);
  /** A row of a system as staff's decisions name it: an HMAC, so the store never holds another person's key. */
  const rowRef = (system: string, dataset: string, rowKey: string) => hmac(key0, [system, dataset, rowKey]);
  /** What staff decided on the rows a system's collection stopped on. */
  const decisionsOf = async (system: string): Promise<Record<string, ReviewDecision>> => {
    const c = await db
      .selectFrom("request_tasks")
      .select("result")
      .where("request_id", "=", t.request_id)
      .where("kind", "=", "collect")
      .where("target", "=", system)
      .executeTakeFirst();
    return resultOf<CollectResult>(c)?.decisions ?? {};
  };
  /** Those decisions as collection asks for them, by dataset and row key. */
  const reviewOf =
    (system: string, decisions: Record<string, ReviewDecision>): ReviewDecisions =>
    (dataset, k) =>
      decisions[rowRef(system, dataset, k)];

  /**
   * Collects a system now. Identities found in the person's rows are searched for too, in this system until nothing
   * new turns up, and merged into the request's, so that every other system searches by them.
   */
  const collect = async (
    system: string,
    c: Connector,
  ): Promise<{ collection: SystemCollection; key: string; decisions: Record<string, ReviewDecision> }> => {
    const row = await db
      .selectFrom("requests")
      .select(["identities", "identity_forms"])
      .where("id", "=", t.request_id)
      .executeTakeFirstOrThrow();
    let current = JSON.parse(row.identities) as Identities;
    let forms = JSON.parse(row.identity_forms ?? "{}") as Identities;
    const formsBefore = JSON.stringify(forms);
    const decisions = await decisionsOf(system);
    const review = reviewOf(system, decisions);
    const found = new Set<string>();
    let collection = await collectSystem(decl, system, c, current, undefined, review);
    for (let round = 0; round < 8; round++) {
      forms = mergeIdentities(forms, collection.storedForms).merged;
      const { merged, grew } = mergeIdentities(current, collection.discovered);
      if (!grew) break;
      for (const k of Object.keys(collection.discovered))
        if (collection.discovered[k].some((v) => !(current[k] ?? []).includes(v))) found.add(k);
      current = merged;
      collection = await collectSystem(decl, system, c, current, undefined, review);
    }
    forms = mergeIdentities(forms, collection.storedForms).merged;
    if (found.size || JSON.stringify(forms) !== formsBefore) {
      // Merged under the request's lock with what is stored now: another system's collect, on another worker, may
      // have added identities or forms meanwhile, and neither write may lose the other's.
      await db.transaction().execute(async (trx) => {
        let q = trx.selectFrom("requests").select(["identities", "identity_forms"]).where("id", "=", t.request_id);
        if (ctx.store.capabilities.rowLocks) q = q.forUpdate();
        const stored = await q.executeTakeFirstOrThrow();
        const identities = mergeIdentities(JSON.parse(stored.identities) as Identities, current).merged;
        await trx
          .updateTable("requests")
          .set({
            identities: JSON.stringify(identities),
            identity_hashes: JSON.stringify(await hashIdentities(hashCtx, identities)),
            identity_forms: JSON.stringify(
              mergeIdentities(JSON.parse(stored.identity_forms ?? "{}") as Identities, forms).merged,
            ),
          })
          .where("id", "=", t.request_id)
          .execute();
      });
    }
    if (found.size)
      await recordEvent(
        ctx,
        t.request_id,
        "system",
        "identities",
        `more identities found in ${system}: ${[...found].join(", ")}`,
      );
    return { collection, key: await identitiesKey(ctx, current), decisions };
  };
  /** The rows a collection stopped on, as staff see them: masked values, never another person's raw identity. */
  const candidatesOf = (collection: SystemCollection): NonNullable<CollectResult["ambiguous"]> =>
    collection.ambiguous.map((a) => ({
      dataset: a.dataset,
      rows: a.rows,
      candidates: a.candidates.map((cand) => ({
        ref: rowRef(collection.system, a.dataset, cand.key),
        shown: cand.shown,
        matched: cand.matched.map((h) => ({
          field: h.field,
          type: h.type,
          shown: maskIdentity(h.type, h.value),
          shared: h.shared,
        })),
        ...(cand.decided ? { decided: cand.decided } : {}),
      })),
    }));
  /**
   * Whether a fresh collection may be acted on: when several rows of people match and staff have not said which are
   * the person's, the system's collection goes back to review and this task waits.
   */
  const confirmedOrReview = async (system: string, collection: SystemCollection): Promise<boolean> => {
    if (!collection.ambiguous.length) return true;
    const c = await db
      .selectFrom("request_tasks")
      .selectAll()
      .where("request_id", "=", t.request_id)
      .where("kind", "=", "collect")
      .where("target", "=", system)
      .executeTakeFirst();
    if (c) {
      const result = { ...(resultOf<CollectResult>(c) ?? {}), ambiguous: candidatesOf(collection) };
      await db
        .updateTable("request_tasks")
        .set({ status: "review", result: JSON.stringify(result), updated_at: ctx.clock().toISOString() })
        .where("id", "=", c.id)
        .execute();
    }
    return false;
  };
  const summary = async (
    collection: SystemCollection,
    key: string,
    decisions: Record<string, ReviewDecision>,
  ): Promise<CollectResult> => {
    const matched: Record<string, number> = {};
    for (const [type, byValue] of Object.entries(collection.matched))
      for (const [v, n] of Object.entries(byValue)) matched[await identityHash(hashCtx, type, v)] = n;
    const sys = decl.systems[collection.system];
    return {
      identitiesKey: key,
      proof: hmac(
        key0,
        Object.entries(collection.datasets).map(([d, rows]) => [d, rows.map((r) => r.row)]),
      ),
      datasets: Object.keys(sys.datasets)
        .filter((d) => collection.searched[d]?.by.length)
        .map((d) => ({
          dataset: d,
          found: (collection.datasets[d] ?? []).filter((r) => r.own && !r.pending).length,
          notMatched: (collection.datasets[d] ?? []).filter((r) => !r.own).length,
          ...Object.fromEntries(
            collection.excluded.filter((x) => x.dataset === d && x.rows).map((x) => ["excluded", x.rows]),
          ),
        })),
      notReached: notReached(decl, collection),
      actors: collection.actors,
      matched,
      ambiguous: candidatesOf(collection),
      decisions,
    };
  };

  switch (t.kind as TaskKind) {
    case "contact": {
      if (req.status !== "unverified")
        return { result: { skipped: "the request is no longer waiting for verification" } };
      const channels: ContactChannel[] = [];
      for (const s of systemsOf(ctx).automated) {
        for (const ch of await withConnector(ctx, s, (c) =>
          findContactChannels(
            decl,
            s,
            c,
            req.identity_type,
            (JSON.parse(req.identities) as Identities)[req.identity_type] ?? [req.identity_value],
          ),
        ))
          if (!channels.some((x) => x.address === ch.address)) channels.push(ch);
      }
      if (channels.length === 1) {
        const [ch] = channels;
        await db
          .updateTable("requests")
          .set({
            code_to: ch.address,
            verification: JSON.stringify({
              subject: "person",
              method: "code",
              to: maskEmail(ch.address),
              source: `the address on file in ${ch.source}`,
            }),
          })
          .where("id", "=", req.id)
          .execute();
        await sendCode(ctx, req.id);
        return { result: { channels: 1, source: ch.source } };
      }
      await db.updateTable("requests").set({ attention: "manual_verification" }).where("id", "=", req.id).execute();
      await recordEvent(
        ctx,
        req.id,
        "system",
        "manual_verification",
        `${channels.length ? `${channels.length} different contact addresses are` : "no contact address is"}` +
          ` held for this ${req.identity_type.replace(/_/g, " ")}: no code was sent; ` +
          `verify the person by other means`,
      );
      return { result: { channels: channels.length } };
    }
    case "collect": {
      const { collection, key, decisions } = await withConnector(ctx, t.target, (c) => collect(t.target, c));
      const result = await summary(collection, key, decisions);
      return result.ambiguous.length ? { result, status: "review" } : { result };
    }
    case "erase": {
      const holds = await legalHoldsOn(hashCtx, JSON.parse(req.identities) as Identities);
      return withConnector(ctx, t.target, async (c) => {
        const { collection, key, decisions } = await collect(t.target, c);
        if (!(await confirmedOrReview(t.target, collection))) return { result: {}, status: "waiting" };
        const seen = { notReached: notReached(decl, collection), actors: collection.actors };
        if (holds.length) {
          // A legal hold preserves the person's data as it is: nothing is deleted or masked.
          const report: DatasetReport[] = Object.entries(collection.datasets)
            .map(([dataset, rows]) => ({ dataset, found: rows.filter((r) => r.own).length }))
            .filter((d) => d.found)
            .map((d) => ({
              ...d,
              deleted: 0,
              masked: 0,
              unchanged: d.found,
              kept: [{ kind: "legal_hold" as const, why: `legal hold: ${holds.join("; ")}`, rows: d.found }],
            }));
          await recordEvent(
            ctx,
            t.request_id,
            "system",
            "held",
            `${t.target}: nothing erased, under legal hold (${holds.join("; ")})`,
          );
          return { result: { identitiesKey: key, report, verified: false, held: true, ...seen } };
        }
        const plan = await prepareErasure(decl, collection, c, { key: await orgKey(ctx), now: ctx.clock() });
        if (plan.mutations.length) await c.apply(plan.mutations);
        // Rows the law requires stay, blocked for the person until their period ends (the decision API denies their
        // use).
        if (plan.blocks.length) {
          const hashes = JSON.parse(req.identity_hashes ?? "[]") as string[];
          const at = ctx.clock().toISOString();
          for (const b of plan.blocks) {
            for (const h of hashes.length ? hashes : [null]) {
              await db
                .insertInto("retention_blocks")
                .values({
                  system: t.target,
                  dataset: b.dataset,
                  row_key: b.key,
                  identity_hash: h,
                  rule: null,
                  reason: b.reason,
                  categories: JSON.stringify(b.categories),
                  until: b.until,
                  source: `request:${t.request_id}`,
                  created_at: at,
                })
                .execute();
            }
          }
        }
        // A step that runs again (more identities were found, or staff decided on rows) adds to what it did before.
        const report = mergeReports(resultOf<{ report?: DatasetReport[] }>(t)?.report, plan.report);
        // Verify: search again by every identity the request knows now, those found in the person's rows among them.
        // What the erasure kept, and rows that are not the person's, may still be found; nothing else may.
        const identities = JSON.parse(
          (
            await db
              .selectFrom("requests")
              .select("identities")
              .where("id", "=", t.request_id)
              .executeTakeFirstOrThrow()
          ).identities,
        ) as Identities;
        const recheck = await collectSystem(decl, t.target, c, identities, undefined, reviewOf(t.target, decisions));
        // The new search matched rows of people nobody has decided on: staff say whose they are, then this step goes
        // on from where it is.
        if (!(await confirmedOrReview(t.target, recheck)))
          return { result: { identitiesKey: key, report, ...seen }, status: "waiting" };
        const remaining = remainingIdentities(decl, recheck, plan.kept);
        if (remaining.length)
          throw new Error(
            `erasure not verified: ` +
              `${remaining.map((r) => `${r.count} row(s) of ${r.dataset} still found by ${r.field}`).join("; ")}`,
          );
        const found = report.reduce((a, d) => a + d.found, 0);
        await recordEvent(
          ctx,
          t.request_id,
          "system",
          "erased",
          `${t.target}: ${
            plan.report
              .filter((d) => d.found || d.notMatched)
              .map(
                (d) =>
                  `${d.dataset} ${d.deleted} deleted${d.masked ? `, ${d.masked} masked` : ""}` +
                  `${d.unchanged ? `, ${d.unchanged} kept` : ""}` +
                  `${d.notMatched ? `, ${d.notMatched} not the person's` : ""}`,
              )
              .join("; ") || "nothing found"
          }`,
        );
        return { result: { identitiesKey: key, report, verified: found > 0, ...seen } };
      });
    }
    case "rectify": {
      const details = JSON.parse(req.details) as { corrections: Record<string, string> };
      return withConnector(ctx, t.target, async (c) => {
        const { collection, key } = await collect(t.target, c);
        if (!(await confirmedOrReview(t.target, collection))) return { result: {}, status: "waiting" };
        const plan = planRectification(decl, collection, details.corrections);
        if (plan.mutations.length) await c.apply(plan.mutations);
        await recordEvent(
          ctx,
          t.request_id,
          "system",
          "rectified",
          `${t.target}: ` +
            `${
              plan.report
                .map(
                  (d) =>
                    `${d.dataset} ${d.corrected} row(s) corrected` +
                    `${d.kept.length ? ` (${d.kept.map((k) => k.why).join("; ")})` : ""}`,
                )
                .join("; ") || "nothing to correct"
            }`,
        );
        return {
          result: {
            identitiesKey: key,
            report: mergeReports(resultOf<{ report?: DatasetReport[] }>(t)?.report, plan.report),
            notReached: notReached(decl, collection),
            actors: collection.actors,
          },
        };
      });
    }
    case "export": {
      const collections: SystemCollection[] = [];
      for (const system of systemsOf(ctx).automated) {
        const { collection } = await withConnector(ctx, system, (c) => collect(system, c));
        if (!(await confirmedOrReview(system, collection))) return { result: {}, status: "waiting" };
        collections.push(collection);
      }
      const collects = await db
        .selectFrom("request_tasks")
        .select(["target", "result"])
        .where("request_id", "=", t.request_id)
        .where("kind", "=", "collect")
        .execute();
      const manual = await db
        .selectFrom("request_tasks")
        .select(["target", "result"])
        .where("request_id", "=", t.request_id)
        .where("kind", "=", "manual")
        .execute();
      // What each processor holds, read again now over its API, in memory only; a line for those asked otherwise.
      const processors: NonNullable<Parameters<typeof buildExport>[1]["processors"]> = [];
      for (const p of await db
        .selectFrom("request_tasks")
        .select(["target", "result", "status"])
        .where("request_id", "=", t.request_id)
        .where("kind", "=", "processor")
        .execute()) {
        const r = resultOf<ProcessorResult>(p) ?? {
          vendor: processorName(decl, p.target),
          via: "api",
          operation: "find",
        };
        if (decl.systems[p.target]?.connector?.engine === "http" && p.status === "done" && r.found) {
          const vc = vendorConnector(ctx, p.target);
          const ids = identitiesAt(
            decl,
            p.target,
            vc,
            JSON.parse(req.identities) as Identities,
            JSON.parse(req.identity_forms ?? "{}") as Identities,
          );
          processors.push({
            system: p.target,
            vendor: r.vendor,
            records: await vc.exportRecords(await vc.find(ids)),
            line: "",
          });
        } else processors.push({ system: p.target, vendor: r.vendor, line: processorLine(r, p.status) });
      }
      const { filename, data } = await buildExport(decl, {
        processors,
        requestId: req.id,
        right: req.right as "access" | "portability",
        name: req.name ?? undefined,
        generatedAt: ctx.clock(),
        collections,
        notReached: collects.map((c) => ({ system: c.target, datasets: resultOf<CollectResult>(c)?.notReached ?? [] })),
        manual: manual.map((m) => ({
          system: m.target,
          note: m.result ? String((JSON.parse(m.result) as { note?: string }).note ?? "") : "",
        })),
      });
      if (!req.export_key) throw new Error("the request has no export key: it was not verified");
      const sealed = sealExport(req.export_key, data);
      const now = ctx.clock();
      const expires = exportExpiry(ctx.declaration(), ctx.settings.exportTtlDays, now).toISOString();
      await db.deleteFrom("exports").where("request_id", "=", req.id).execute();
      await db
        .insertInto("exports")
        .values({ request_id: req.id, filename, data: sealed, created_at: now.toISOString(), expires_at: expires })
        .execute();
      await recordEvent(
        ctx,
        t.request_id,
        "system",
        "export_ready",
        `the download is ready until ${expires.slice(0, 10)}; only the person's status link opens it`,
      );
      return { result: { bytes: data.length, expiresAt: expires } };
    }
    case "flag": {
      const details = JSON.parse(req.details) as { purposes: string[] };
      // Restriction, an opt-out and a limit cover the person as a whole; objections and withdrawals name purposes (all
      // when none).
      const purposes = [
        "restriction",
        "opt_out_sale",
        "limit_sensitive",
        "opt_out_targeted_advertising",
        "opt_out_profiling",
      ].includes(req.right)
        ? [null]
        : details.purposes.length
          ? details.purposes
          : [null];
      const flags = await recordFlags(ctx, req, purposes);
      await recordEvent(ctx, t.request_id, "system", "flagged", `recorded ${flags.join(", ")}`);
      return { result: { flags } };
    }
    case "notify": {
      const res = await notifyRecipient(ctx, t.target, {
        requestId: req.id,
        right: req.right,
        identities: JSON.parse(req.identities) as Identities,
        corrections: (JSON.parse(req.details) as { corrections: Record<string, string> }).corrections,
      });
      if ("skipped" in res) {
        await recordEvent(ctx, t.request_id, "system", "not_notified", res.skipped);
        return { result: res, status: "skipped" };
      }
      await recordEvent(
        ctx,
        t.request_id,
        "system",
        "notified",
        `${decl.recipients[t.target]?.name ?? t.target} told by ${res.channel}, of the ` +
          `${res.identityTypes.join(", ").replace(/_/g, " ")} it received`,
      );
      return { result: res };
    }
    case "processor": {
      const identities = JSON.parse(req.identities) as Identities;
      return runProcessorTask(
        ctx,
        t.target,
        {
          id: req.id,
          right: req.right,
          identities,
          storedForms: JSON.parse(req.identity_forms ?? "{}") as Identities,
          corrections: (JSON.parse(req.details) as { corrections?: Record<string, string> }).corrections ?? {},
          due: new Date(req.extended_due_at ?? req.due_at),
        },
        resultOf<ProcessorResult>(t),
      ).then(async (o) => {
        const r = o.result;
        if (o.status === "asked" && !resultOf<ProcessorResult>(t)?.askedAt)
          await recordEvent(
            ctx,
            t.request_id,
            "system",
            "processor_asked",
            `${r.vendor} asked${r.via === "mail" ? ` by mail (${r.to})` : ""}${r.answer ? `: ${r.answer}` : ""}` +
              `${r.due ? `; answer due ${r.due.slice(0, 10)} (${r.dueBasis})` : ""}`,
          );
        else if (o.status === "pending" && !resultOf<ProcessorResult>(t)?.jobs)
          await recordEvent(
            ctx,
            t.request_id,
            "system",
            "processor_asked",
            `${r.vendor} accepted the ${r.operation} as ${r.jobs?.length} job(s); Pledge checks until it is done`,
          );
        else if (!o.status && r.confirmedAt)
          await recordEvent(ctx, t.request_id, "system", "processor_confirmed", processorLine(r, "done"));
        return { ...o, result: { ...r, identitiesKey: await identitiesKey(ctx, identities) } };
      });
    }
    case "manual":
      throw new Error("manual tasks are done by staff");
  }
}

/** Tells a manual task's assignee, by mail, what to do and by when; the due date is kept on the task. */
async function assignManualTask(ctx: RequestsContext, requestId: string, system: string): Promise<void> {
  const decl = ctx.declaration();
  const c = decl.systems[system]?.connector;
  if (c?.engine !== "manual") return;
  const now = ctx.clock();
  const d = c.due ? parseDuration(c.due) : undefined;
  const due = d ? addDuration(now, d).toISOString() : undefined;
  const t = await ctx.store.db
    .selectFrom("request_tasks")
    .select(["id", "result"])
    .where("request_id", "=", requestId)
    .where("kind", "=", "manual")
    .where("target", "=", system)
    .executeTakeFirst();
  if (!t || t.result) return;
  await ctx.store.db
    .updateTable("request_tasks")
    .set({
      result: JSON.stringify({ assignee: c.assignee ?? null, due: due ?? null, checklist: c.checklist }),
    })
    .where("id", "=", t.id)
    .execute();
  if (!c.assignee) return;
  await ctx.mailer.send({
    to: c.assignee,
    subject:
      `Privacy request ${requestId}: ${decl.systems[system].name} needs you` +
      `${due ? ` by ${due.slice(0, 10)}` : ""}`,
    text:
      `A privacy request needs work in ${decl.systems[system].name}, which Pledge cannot reach.\n\n` +
      `${c.instructions}\n\n` +
      `${c.checklist.length ? `Confirm each:\n${c.checklist.map((x) => `  [ ] ${x}`).join("\n")}\n\n` : ""}` +
      `${due ? `Due: ${due.slice(0, 10)}.\n` : ""}` +
      `Record what you did, with evidence, on the request in the console: ` +
      `${ctx.publicUrl}/admin/requests/${requestId}\n`,
  });
}

/** The text with every identity value of the request replaced by its masked form, in any case. */
async function maskIdentitiesIn(ctx: RequestsContext, requestId: string, text: string): Promise<string> {
  const r = await ctx.store.db
    .selectFrom("requests")
    .select("identities")
    .where("id", "=", requestId)
    .executeTakeFirst();
  let out = text;
  for (const [type, values] of Object.entries(JSON.parse(r?.identities ?? "{}") as Identities)) {
    for (const v of values)
      if (v.length >= 3)
        out = out.replace(new RegExp(v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), maskIdentity(type, v));
  }
  return out;
}

/**
 * The work not yet finished, across every worker on the store: unfinished
 * tasks by kind and status (done and skipped ones are history), and how many
 * are due to run now and not yet claimed. What `/metrics` reports.
 */
export async function taskBacklog(
  store: Store,
  now: Date,
): Promise<{ unfinished: { kind: string; status: string; count: number }[]; due: number }> {
  const rows = await store.db
    .selectFrom("request_tasks")
    .select(["kind", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("status", "not in", ["done", "skipped"])
    .groupBy(["kind", "status"])
    .execute();
  const due = await store.db
    .selectFrom("request_tasks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "pending")
    .where("next_run_at", "<=", now.toISOString())
    .executeTakeFirst();
  return {
    unfinished: rows.map((r) => ({ kind: r.kind, status: r.status, count: Number(r.n) })),
    due: Number(due?.n ?? 0),
  };
}

/** What a step did over its runs: counts added, reasons joined, per dataset. */
export function mergeReports(before: DatasetReport[] | undefined, now: DatasetReport[]): DatasetReport[] {
  if (!before?.length) return now;
  const out = new Map(
    before.map((d) => [d.dataset, { ...d, kept: [...(d.kept ?? [])], keptFields: [...(d.keptFields ?? [])] }]),
  );
  const add = (a?: number, b?: number) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  for (const d of now) {
    const p = out.get(d.dataset);
    if (!p) {
      out.set(d.dataset, { ...d, kept: [...(d.kept ?? [])], keptFields: [...(d.keptFields ?? [])] });
      continue;
    }
    for (const k of ["found", "notMatched", "deleted", "masked", "unchanged", "corrected"] as const) {
      const v = add(p[k], d[k]);
      if (v !== undefined) p[k] = v;
    }
    for (const r of d.kept ?? []) {
      const same = p.kept.find((x) => x.kind === r.kind && x.why === r.why);
      if (same) same.rows += r.rows;
      else p.kept.push({ ...r });
    }
    p.keptFields = [...new Set([...p.keptFields, ...(d.keptFields ?? [])])];
  }
  return [...out.values()];
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
export async function runDueTasks(
  ctx: RequestsContext,
  options: { owner?: string; limit?: number } = {},
): Promise<number> {
  const owner = options.owner ?? `worker-${process.pid}-${randomBytes(3).toString("hex")}`;
  let ran = 0;
  while (ran < (options.limit ?? Infinity)) {
    const t = await claimTask(ctx, owner);
    if (!t) break;
    ran++;
    const heartbeat = setInterval(
      () => {
        void ctx.store.db
          .updateTable("request_tasks")
          .set({ lease_until: new Date(ctx.clock().getTime() + ctx.settings.leaseMs).toISOString() })
          .where("id", "=", t.id)
          .where("lease_owner", "=", owner)
          .execute()
          .catch(() => {});
      },
      Math.max(250, ctx.settings.leaseMs / 3),
    );
    try {
      const { result, status, runAt } = await execute(ctx, t);
      const now = ctx.clock().toISOString();
      await ctx.store.db
        .updateTable("request_tasks")
        .set({
          status: status ?? "done",
          result: JSON.stringify(result),
          error: null,
          lease_until: null,
          lease_owner: null,
          updated_at: now,
          ...(runAt ? { next_run_at: runAt, attempts: 0 } : {}),
        })
        .where("id", "=", t.id)
        .execute();
    } catch (err) {
      if (err instanceof VendorRetryLater) {
        // The vendor asked to be called later: the task waits until then, and the wait is not a failed try.
        await ctx.store.db
          .updateTable("request_tasks")
          .set({
            status: "pending",
            error: err.message,
            next_run_at: err.retryAt.toISOString(),
            attempts: Math.max(0, t.attempts - 1),
            lease_until: null,
            lease_owner: null,
            updated_at: ctx.clock().toISOString(),
          })
          .where("id", "=", t.id)
          .execute();
        await recordEvent(ctx, t.request_id, "system", "task_retry", `${t.kind} ${t.target}: ${err.message}`);
        continue;
      }
      // A database may quote the value it choked on ("invalid input syntax for type integer: …"): the
      // person's identities are masked before the error reaches the task, the timeline and the log.
      const message = await maskIdentitiesIn(ctx, t.request_id, (err as Error).message);
      // Retries are for faults that pass (a connection lost, a lock timeout); a constraint that refused the change, or
      // a mask that does not fit its column, fails the same way every time: staff see it at once.
      const permanent =
        (err instanceof ConnectorError && err.permanent) || (err as { code?: string }).code === "ERASURE_PLAN";
      const exhausted = permanent || t.attempts >= ctx.settings.maxAttempts;
      const next = new Date(
        ctx.clock().getTime() + backoffMs(t.attempts, ctx.settings.backoffBaseMs, ctx.settings.backoffMaxMs),
      ).toISOString();
      await ctx.store.db
        .updateTable("request_tasks")
        .set({
          status: exhausted ? "failed" : "pending",
          error: message,
          next_run_at: next,
          lease_until: null,
          lease_owner: null,
          updated_at: ctx.clock().toISOString(),
        })
        .where("id", "=", t.id)
        .execute();
      ctx.onTaskError?.({
        requestId: t.request_id,
        taskId: Number(t.id),
        kind: t.kind as TaskKind,
        target: t.target,
        attempt: t.attempts,
        exhausted,
        error: message,
      });
      await recordEvent(
        ctx,
        t.request_id,
        "system",
        exhausted ? "task_failed" : "task_retry",
        `${t.kind} ${t.target} ` +
          (permanent
            ? "failed, and would fail the same way again; left for a person"
            : exhausted
              ? `failed after ${t.attempts} tries; left for a person`
              : `failed (try ${t.attempts}), retrying`) +
          `: ${message}`,
      );
      // A request still waiting for its code cannot move on by itself: staff verify the person by hand, or retry.
      if (exhausted && t.kind === "contact")
        await ctx.store.db
          .updateTable("requests")
          .set({ attention: "manual_verification" })
          .where("id", "=", t.request_id)
          .execute();
    } finally {
      clearInterval(heartbeat);
    }
    await advanceRequest(ctx, t.request_id);
    if (ctx.settings.throttleMs) await new Promise((r) => setTimeout(r, ctx.settings.throttleMs));
  }
  return ran;
}

/**
 * Moves on the requests whose last step finished but whose worker died before it could move them on (a task marked
 * done, then the process killed before the next tasks were written): open requests with no task queued or running,
 * and no task touched within a lease, go through `advanceRequest` again, which is idempotent. Returns how many.
 */
export async function advanceStalledRequests(ctx: RequestsContext, limit = 50): Promise<number> {
  const cutoff = new Date(ctx.clock().getTime() - ctx.settings.leaseMs).toISOString();
  const rows = await ctx.store.db
    .selectFrom("requests")
    .select("requests.id")
    .where("requests.status", "in", ["in_progress", "needs_attention"])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("request_tasks")
            .select("request_tasks.id")
            .whereRef("request_tasks.request_id", "=", "requests.id")
            .where((w) =>
              w.or([
                w("request_tasks.status", "in", ["pending", "running"]),
                w("request_tasks.updated_at", ">", cutoff),
              ]),
            ),
        ),
      ),
    )
    .limit(limit)
    .execute();
  for (const r of rows) await advanceRequest(ctx, r.id);
  return rows.length;
}

export interface Worker {
  stop(): Promise<void>;
}

/**
 * Runs due tasks in the background: at once when a task is queued anywhere
 * on the store, and every `intervalMs` as a fallback (a retry's backoff
 * ending, a signal missed while a database connection was down). Expired
 * exports and old request records are swept every `settings.sweepIntervalMs`.
 */
export function startWorker(
  ctx: RequestsContext,
  options: {
    intervalMs?: number;
    onError?: (err: unknown) => void;
    /** Other durable work run on each tick after the tasks (consent withdrawals passed on to processors). */
    alsoRun?: { channel: string; run: () => Promise<unknown> }[];
  } = {},
): Worker {
  let stopped = false;
  let running: Promise<unknown> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const owner = `worker-${process.pid}-${randomBytes(3).toString("hex")}`;
  const connectors = ctx.connectors ?? createConnectorCache(ctx);
  const workCtx: RequestsContext = { ...ctx, connectors };
  let lastStallCheck = 0;
  const tick = () => {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    running = runDueTasks(workCtx, { owner })
      .then(async (ran) => {
        for (const extra of options.alsoRun ?? []) await extra.run().catch((err) => options.onError?.(err));
        // Idle, and at most once a lease: pick up what a dead worker left between a task and the next step.
        if (ran === 0 && Date.now() - lastStallCheck >= ctx.settings.leaseMs) {
          lastStallCheck = Date.now();
          if (await advanceStalledRequests(workCtx)) again = true;
        }
      })
      .catch((err) => options.onError?.(err))
      .finally(() => {
        running = undefined;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(tick);
        } else timer = setTimeout(tick, options.intervalMs ?? 1000);
      });
  };
  const unlistens = [TASKS_CHANNEL, ...(options.alsoRun ?? []).map((x) => x.channel)].map((ch) =>
    ctx.store.listen(ch, tick),
  );
  const unlisten = () => {
    for (const u of unlistens) u();
  };
  const sweep = () => {
    void sweepRequests(ctx).catch((err) => options.onError?.(err));
    void connectors.sweep();
  };
  const sweeper = setInterval(sweep, ctx.settings.sweepIntervalMs);
  sweeper.unref();
  sweep();
  tick();
  return {
    async stop() {
      stopped = true;
      unlisten();
      clearInterval(sweeper);
      if (timer) clearTimeout(timer);
      await running;
      if (!ctx.connectors) await connectors.close();
    },
  };
}
