/**
 * The retention sweep: for one rule bound to one dataset, the rows whose clock
 * ran out are deleted, de-identified or blocked, in batches by primary key,
 * each batch one short transaction in the organization's database.
 *
 * - Deletion is erasure's plan (`prepareErasure`): what belongs to a row goes
 *   with it, children first; shared details stay; rows the law requires stay
 *   intact and blocked, with what they need.
 * - Held rows (a system, a dataset, a case, a person) are skipped and counted;
 *   rows already kept and blocked are not planned again.
 * - One sweep of a binding runs at a time across servers (a lease in the store).
 * - Every batch is journalled with the fingerprints of the rows it plans to
 *   change before it is applied. A sweep killed midway resumes its run: a
 *   journalled batch whose rows all still match their fingerprints never ran
 *   and is planned again; one whose rows changed ran, and is only recorded.
 *   No batch is applied twice.
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { appendAudit } from "../audit/index.js";
import { followedEdges, type Declaration, type ResolvedBinding } from "../declaration/index.js";
import type {
  Connector,
  DuePage,
  DueRange,
  DueRow,
  DueSummary,
  Mutation,
  MutationResult,
  Row,
  Value,
} from "../connectors/index.js";
import {
  collectSystem,
  datasetTarget,
  graphOf,
  legalExceptionOf,
  planRetentionAction,
  prepareErasure,
  rowKey,
  rowClocks,
  rowKeyFields,
  type ErasurePlan,
  type FoundRow,
  type SystemCollection,
  type PlannedBlock,
} from "../execution/index.js";
import { hashIdentities } from "../requests/index.js";
import { getSecret } from "../store/index.js";
import { blockedKeys, recordBlocks } from "./blocks.js";
import { anyPersonHolds, heldReason, holdsFor, personHeld, setExpiries } from "./holds.js";
import { sweepOwnData } from "./own-data.js";
import {
  bindingsOf,
  connectorFor,
  cutoffOf,
  dueQuery,
  fingerprint,
  RetentionError,
  type RetentionContext,
} from "./model.js";

export interface SweepProgress {
  binding: string;
  /** Due rows handled so far (changed, kept or held). */
  done: number;
  /** Due rows when the sweep started. */
  due: number;
  batches: number;
  rowsPerSecond: number;
}

export interface SweepOptions {
  /** Rows per batch (and per transaction); 2000 by default. */
  batchSize?: number;
  /**
   * Key ranges deleted at once, each in its own transaction on its own
   * connection (1 by default): for a catching-up sweep of a large table that
   * nothing references. Other sweeps run one batch at a time.
   */
  parallel?: number;
  trigger?: "schedule" | "cli" | "console";
  /** Who started it, for the audit log. */
  actor?: string;
  onProgress?: (p: SweepProgress) => void;
  /** How often the lease is renewed while the sweep runs, in ms (30 s by default). */
  leaseRenewMs?: number;
  /**
   * For tests: called after each batch is applied and before it is recorded (a crash there is what resuming must
   * survive).
   */
  afterApply?: (batch: number) => void | Promise<void>;
}

export interface SweepReport {
  binding: string;
  rule: string;
  action: "delete" | "deidentify" | "block";
  /** Rows whose clock started before this were due. */
  cutoff: string | null;
  /** Why nothing was due (an obsolescence date not reached), or why the sweep did not run. */
  note?: string;
  skipped?: boolean;
  due: number;
  /** Rows deleted, masked and newly kept-and-blocked, across the dataset and what belongs to its rows. */
  deleted: number;
  masked: number;
  blocked: number;
  held: { reason: string; rows: number }[];
  /** Due rows already kept and blocked by an earlier sweep or request (a legal period not over). */
  alreadyBlocked: number;
  batches: number;
  resumed: boolean;
  /**
   * Key-range batches a killed sweep applied before it could record how many rows they deleted: their rows are gone and
   * not in `deleted`.
   */
  uncountedBatches?: number;
  /** Redis: keys given an expiry. */
  expiriesSet?: number;
  /** Redis: keys a legal hold keeps, their expiry removed. */
  expiriesHeld?: number;
  /** Due rows left after the sweep (held and blocked ones among them). */
  remaining: number;
  runId?: number;
  ms: number;
}

interface Counts {
  deleted: number;
  masked: number;
  blocked: number;
  alreadyBlocked: number;
  held: Record<string, number>;
  batches: number;
  done: number;
  uncounted?: number;
}

const LEASE_MS = 5 * 60_000;
/** How often a running sweep renews its lease: well inside LEASE_MS, and not a store write per batch. */
const LEASE_RENEW_MS = 30_000;

/** Takes the lease on a name until `until`, if it is free or ours; false when another holder has it. */
export async function takeLease(ctx: RetentionContext, name: string, owner: string, now: Date): Promise<boolean> {
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  const db = ctx.store.db;
  try {
    await db.insertInto("retention_leases").values({ name, owner, until }).execute();
    return true;
  } catch {
    const r = await db
      .updateTable("retention_leases")
      .set({ owner, until })
      .where("name", "=", name)
      .where((eb) => eb.or([eb("owner", "=", owner), eb("until", "<", now.toISOString())]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}

async function releaseLease(ctx: RetentionContext, name: string, owner: string): Promise<void> {
  await ctx.store.db.deleteFrom("retention_leases").where("name", "=", name).where("owner", "=", owner).execute();
}

interface JournalRow {
  dataset: string;
  fields: string[];
  values: Value[];
  fp: string;
}
interface Journal {
  rows: JournalRow[];
  blocks: (PlannedBlock & { identityHashes: string[] })[];
  counts: { deleted: number; masked: number; blocked: number };
  cursorAfter: Value[] | null;
  /** A whole-dataset deletion by clock (files, Redis): applied when nothing is due any more. */
  byClock?: boolean;
  /**
   * A page deleted by its key range and clock (a dataset nothing else references): applied when no row of the range is
   * still due.
   */
  range?: { from: Value[]; to: Value[]; after: Value[] | null };
}

/**
 * Sweeps one binding. Returns what it did; `skipped` when another server's
 * sweep of the same binding holds the lease.
 *
 * ```ts
 * const [b] = bindingsOf(decl, "web_logs");
 * const report = await sweepBinding(ctx, b, { onProgress: (p) => bar(p) });
 * ```
 */
export async function sweepBinding(
  ctx: RetentionContext,
  b: ResolvedBinding,
  options: SweepOptions = {},
): Promise<SweepReport> {
  const started = Date.now();
  const decl = ctx.declaration();
  const owner = randomUUID();
  const leaseName = `retention:${b.id}`;
  const base = { binding: b.id, rule: b.ruleId, action: b.rule.action } as const;
  const now = ctx.clock();
  const empty = {
    due: 0,
    deleted: 0,
    masked: 0,
    blocked: 0,
    held: [],
    alreadyBlocked: 0,
    batches: 0,
    resumed: false,
    remaining: 0,
  };
  if (!(await takeLease(ctx, leaseName, owner, now)))
    return {
      ...base,
      ...empty,
      cutoff: null,
      skipped: true,
      note: "another sweep of this binding is running",
      ms: Date.now() - started,
    };
  let renewedAt = Date.now();
  /**
   * Keeps the lease while the sweep runs; a sweep that lost it (stalled past LEASE_MS, taken over) stops rather than
   * run beside the new holder.
   */
  const renewLease = async () => {
    if (Date.now() - renewedAt < (options.leaseRenewMs ?? LEASE_RENEW_MS)) return;
    if (!(await takeLease(ctx, leaseName, owner, ctx.clock())))
      throw new RetentionError(
        "BUSY",
        `${b.id}: the sweep's lease was taken over by another server; this sweep stopped`,
      );
    renewedAt = Date.now();
  };
  const connector = connectorFor(ctx, b.system);
  try {
    const db = ctx.store.db;
    const q = dueQuery(decl, b);
    const ds = decl.systems[b.system].datasets[b.dataset];
    let run = await db
      .selectFrom("retention_runs")
      .selectAll()
      .where("binding", "=", b.id)
      .where("status", "in", ["running", "failed"])
      .orderBy("id", "desc")
      .executeTakeFirst();
    let cutoff: Date;
    if (run) {
      cutoff = new Date(run.cutoff);
    } else {
      const c = await cutoffOf(ctx, b, now);
      if (!c.cutoff) return { ...base, ...empty, cutoff: null, note: c.note, ms: Date.now() - started };
      cutoff = c.cutoff;
      const zero: Counts = { deleted: 0, masked: 0, blocked: 0, alreadyBlocked: 0, held: {}, batches: 0, done: 0 };
      const id = (
        await db
          .insertInto("retention_runs")
          .values({
            binding: b.id,
            rule: b.ruleId,
            status: "running",
            trigger: options.trigger ?? "cli",
            owner,
            cutoff: cutoff.toISOString(),
            started_at: now.toISOString(),
            heartbeat_at: now.toISOString(),
            finished_at: null,
            cursor: null,
            counts: JSON.stringify(zero),
            error: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      run = await db.selectFrom("retention_runs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    }
    const resumed = run.owner !== owner;
    const runId = run.id;
    await db
      .updateTable("retention_runs")
      .set({ owner, status: "running", error: null })
      .where("id", "=", runId)
      .execute();
    const counts = JSON.parse(run.counts) as Counts;
    let cursor = run.cursor ? (JSON.parse(run.cursor) as Value[]) : undefined;
    let seq = Number(
      (
        await db
          .selectFrom("retention_batches")
          .select((eb) => eb.fn.max("seq").as("m"))
          .where("run_id", "=", runId)
          .executeTakeFirst()
      )?.m ?? 0,
    );

    // A batch journalled and not recorded: applied or not, by its rows' fingerprints.
    for (const batch of await db
      .selectFrom("retention_batches")
      .selectAll()
      .where("run_id", "=", runId)
      .where("status", "=", "applying")
      .orderBy("seq")
      .execute()) {
      const j = JSON.parse(batch.rows) as Journal;
      const applied = j.byClock
        ? (await connector.dueSummary(q, cutoff, { total: false })).due === 0
        : j.range
          ? !(await rangeStillDue(connector, q, cutoff, j.range))
          : await anyChanged(connector, decl, b.system, j.rows);
      if (!applied) {
        await db.updateTable("retention_batches").set({ status: "abandoned" }).where("id", "=", batch.id).execute();
        continue;
      }
      if (j.range) counts.uncounted = (counts.uncounted ?? 0) + 1; // the statement's count was lost with the process
      await commitBatch(ctx, b, runId, batch.id, j, counts, now);
      if (j.cursorAfter) cursor = j.cursorAfter;
    }

    const ttlOnlyBinding = !b.clock.length && b.rule.from !== "system_obsolescence";
    const summary = ttlOnlyBinding ? { due: 0 } : await connector.dueSummary(q, cutoff, { total: false });
    const due = summary.due + counts.done;
    const pc = await pageContext(ctx, b, connector, now);
    const { holds, personHolds, anyBlocks, hasChildren } = pc;
    const graph = graphOf(decl);
    const node = `${b.system}.${b.dataset}`;
    // A dataset no reference in its system touches, with nothing held, kept or blocked: each page is deleted by its key
    // range, the clock checked again in the statement.
    const byRange =
      connector.capabilities.keyset &&
      b.rule.action === "delete" &&
      !b.joins.length &&
      !graph.edges.some((e) => !e.crossSystem && (e.from === node || e.to === node)) &&
      !legalExceptionOf(decl, ds) &&
      !anyBlocks &&
      !personHolds &&
      !holds.whole.length &&
      !Object.keys(holds.rows).length;
    const seen: Tally = { deleted: new Set(), masked: new Set(), blocked: new Set() };
    const batchSize = options.batchSize ?? 2000;
    const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
    const t0 = Date.now();
    let handled = 0;

    // Keys without a clock (Redis) are not swept: their TTL is the limit.
    const ttlOnly = !b.clock.length && b.rule.from !== "system_obsolescence";
    // Integer keys, once the first page shows their spread: the next range is
    // stepped from the rows the last one held instead of read, and a step that
    // finds nothing falls back to reading where the next due row is.
    const stepper = byRange ? new KeyStepper(batchSize) : undefined;
    let sweepDue = due;
    let finalSummary: DueSummary | undefined;
    for (; !ttlOnly; ) {
      if (byRange && stepper) {
        if (cursor && sweepDue >= 0 && counts.done >= sweepDue) {
          // Every row counted due at the start is handled: the count answers by the clock's index where reading on
          // would scan the rest of the table.
          finalSummary = await connector.dueSummary(q, cutoff, { total: false });
          if (!finalSummary.due) break;
          finalSummary = undefined;
          cursor = undefined; // rows changed meanwhile or behind the cursor: one read pass from the start
          sweepDue = -1;
          continue;
        }
        // A round of up to `parallel` ranges, each journalled, applied at once on their own connections, then recorded
        // in key order.
        const round: {
          range: NonNullable<Journal["range"]>;
          stepped: boolean;
          journal: Journal;
          batchId: number;
          seq: number;
        }[] = [];
        let from = cursor;
        while (round.length < parallel) {
          let range: NonNullable<Journal["range"]> | undefined;
          const stepped = from && counts.done + round.length * batchSize < sweepDue ? stepper.next(from[0]) : undefined;
          if (stepped) range = { from: [stepped.from], to: [stepped.to], after: from ?? null };
          else if (round.length && (sweepDue < 0 || counts.done + round.length * batchSize >= sweepDue))
            break; // what was counted due is planned: the round is complete
          else {
            const pageQuery = { ...q, before: cutoff, after: from, limit: batchSize, keysOnly: true };
            const bounds =
              connector.dueRange && q.dataset.primaryKey.length === 1
                ? await connector.dueRange(pageQuery)
                : await keyRangeOf(connector, pageQuery);
            if (!bounds) break;
            stepper.learn(bounds);
            range = { from: [...bounds.from], to: [...bounds.to], after: from ?? null };
          }
          const journal: Journal = {
            rows: [],
            blocks: [],
            counts: { deleted: 0, masked: 0, blocked: 0 },
            cursorAfter: range.to,
            range,
          };
          seq++;
          const batchId = (
            await db
              .insertInto("retention_batches")
              .values({
                run_id: runId,
                seq,
                status: "applying",
                rows: JSON.stringify(journal),
                counts: null,
                started_at: ctx.clock().toISOString(),
                applied_at: null,
              })
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id;
          round.push({ range, stepped: !!stepped, journal, batchId, seq });
          from = range.to;
        }
        if (!round.length) break;
        const applied = await Promise.allSettled(
          round.map((x) =>
            connector.apply([
              { kind: "delete", dataset: q.dataset, where: { due: q, before: cutoff.toISOString(), range: x.range } },
            ]),
          ),
        );
        const failed = applied.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) throw failed.reason;
        for (const [i, x] of round.entries()) {
          const [res] = (applied[i] as PromiseFulfilledResult<MutationResult[]>).value;
          x.journal.counts.deleted = res.affected;
          if (x.stepped) stepper.observe(res.affected);
          await options.afterApply?.(x.seq);
          await commitBatch(ctx, b, runId, x.batchId, x.journal, counts, ctx.clock());
          counts.done += res.affected;
          handled += res.affected;
          cursor = x.range.to;
        }
        await renewLease();
        options.onProgress?.({
          binding: b.id,
          done: counts.done,
          due,
          batches: counts.batches,
          rowsPerSecond: Math.round(handled / Math.max((Date.now() - t0) / 1000, 0.001)),
        });
        continue;
      }
      const page: DueRow[] = await connector.due({ ...q, before: cutoff, after: cursor, limit: batchSize });
      if (!page.length) break;
      const last = page[page.length - 1].row;
      const cursorAfter = connector.capabilities.keyset
        ? (q.dataset.primaryKey.map((f) => last[f] ?? null) as Value[])
        : null;
      const live = await livePage(pc, page, counts);
      const journal: Journal = { rows: [], blocks: [], counts: { deleted: 0, masked: 0, blocked: 0 }, cursorAfter };
      const mutations: Mutation[] = [];
      // Files and Redis, nothing held or kept: one pass deletes by the clock itself (a log rewritten once, not line by
      // line).
      const simple =
        !connector.capabilities.keyset &&
        b.rule.action === "delete" &&
        live.length === page.length &&
        !hasChildren &&
        !legalExceptionOf(decl, ds);
      if (simple) {
        mutations.push({ kind: "delete", dataset: q.dataset, where: { due: q, before: cutoff.toISOString() } });
        journal.byClock = true;
        journal.counts.deleted = live.length;
      } else if (live.length) {
        for (const { collection, plan } of await planSeeds(pc, live)) {
          mutations.push(...plan.mutations);
          const hashes = plan.blocks.length
            ? await hashIdentities(
                { store: ctx.store, env: ctx.env, declaration: ctx.declaration },
                collection.discovered,
              )
            : [];
          journal.blocks.push(...plan.blocks.map((x) => ({ ...x, identityHashes: hashes })));
          for (const r of plan.report)
            for (const k of r.kept)
              if (k.kind === "legal_hold") counts.held["legal hold"] = (counts.held["legal hold"] ?? 0) + k.rows;
          // Each row counted once in the run, however many seeds' plans it is in: the dry run counts alike.
          const t = tally(decl, b, { collection, plan }, seen);
          journal.counts.deleted += t.deleted;
          journal.counts.masked += t.masked;
          journal.counts.blocked += t.blocked;
          for (const [did, rows] of Object.entries(collection.datasets) as [string, FoundRow[]][]) {
            const d = decl.systems[b.system].datasets[did];
            for (const r of rows) {
              if (!r.own) continue;
              const fields = rowKeyFields(d, r.row);
              journal.rows.push({
                dataset: did,
                fields,
                values: fields.map((f) => (r.row[f] ?? null) as Value),
                fp: fingerprint(r.row),
              });
            }
          }
        }
      }
      seq++;
      const batchId = (
        await db
          .insertInto("retention_batches")
          .values({
            run_id: runId,
            seq,
            status: "applying",
            rows: JSON.stringify(journal),
            counts: null,
            started_at: ctx.clock().toISOString(),
            applied_at: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      if (mutations.length) await connector.apply(mutations);
      await options.afterApply?.(seq);
      await commitBatch(ctx, b, runId, batchId, journal, counts, ctx.clock());
      counts.done += page.length;
      handled += page.length;
      if (cursorAfter) cursor = cursorAfter;
      await db
        .updateTable("retention_runs")
        .set({ counts: JSON.stringify(counts), heartbeat_at: ctx.clock().toISOString() })
        .where("id", "=", runId)
        .execute();
      await renewLease();
      const secs = Math.max((Date.now() - t0) / 1000, 0.001);
      options.onProgress?.({
        binding: b.id,
        done: counts.done,
        due,
        batches: counts.batches,
        rowsPerSecond: Math.round(handled / secs),
      });
      if (!connector.capabilities.keyset) break;
    }

    const expiries = await setExpiries(ctx, b, connector, { holds, personHolds });
    const post = ttlOnly ? undefined : (finalSummary ?? (await connector.dueSummary(q, cutoff, { total: false })));
    const remaining = post?.due ?? 0;
    Object.assign(counts, { remaining, oldest: post?.oldest ?? null });
    const finished = ctx.clock().toISOString();
    await db
      .updateTable("retention_runs")
      .set({ status: "done", finished_at: finished, counts: JSON.stringify(counts), heartbeat_at: finished })
      .where("id", "=", runId)
      .execute();
    const held = Object.entries(counts.held).map(([reason, rows]) => ({ reason, rows }));
    const report: SweepReport = {
      ...base,
      cutoff: cutoff.toISOString(),
      due,
      deleted: counts.deleted,
      masked: counts.masked,
      blocked: counts.blocked,
      held,
      alreadyBlocked: counts.alreadyBlocked,
      batches: counts.batches,
      resumed,
      ...(counts.uncounted ? { uncountedBatches: counts.uncounted } : {}),
      ...(expiries ? { expiriesSet: expiries.set, ...(expiries.held ? { expiriesHeld: expiries.held } : {}) } : {}),
      remaining,
      runId,
      ms: Date.now() - started,
    };
    await appendAudit(
      ctx.store,
      {
        actor: options.actor ?? "retention",
        action: "retention.swept",
        subject: b.id,
        data: {
          rule: b.ruleId,
          action: b.rule.action,
          cutoff: report.cutoff,
          due,
          deleted: report.deleted,
          masked: report.masked,
          blocked: report.blocked,
          held,
          alreadyBlocked: report.alreadyBlocked,
          batches: report.batches,
          resumed,
          ...(counts.uncounted ? { uncountedBatches: counts.uncounted } : {}),
          remaining,
          run: runId,
        },
      },
      ctx.clock(),
    );
    return report;
  } catch (err) {
    await ctx.store.db
      .updateTable("retention_runs")
      .set({ status: "failed", error: (err as Error).message.slice(0, 500) })
      .where("binding", "=", b.id)
      .where("status", "=", "running")
      .where("owner", "=", owner)
      .execute();
    throw err;
  } finally {
    await connector.close().catch(() => {});
    await releaseLease(ctx, leaseName, owner);
  }
}

/** What a sweep of one binding knows while it plans a page of due rows. */
interface PageContext {
  ctx: RetentionContext;
  b: ResolvedBinding;
  connector: Connector;
  holds: Awaited<ReturnType<typeof holdsFor>>;
  anyBlocks: boolean;
  personHolds: boolean;
  hasChildren: boolean;
  /** The organization's key, for HMAC masking. */
  key: string;
  now: Date;
  heldRows: Record<string, Set<string>>;
}

/** What the sweep and the dry run read once per binding before they plan its pages. */
async function pageContext(
  ctx: RetentionContext,
  b: ResolvedBinding,
  connector: Connector,
  now: Date,
): Promise<PageContext> {
  const holds = await holdsFor(ctx, b.system, b.dataset, connector);
  return {
    ctx,
    b,
    connector,
    holds,
    anyBlocks: !!(await ctx.store.db
      .selectFrom("retention_blocks")
      .select("id")
      .where("system", "=", b.system)
      .limit(1)
      .executeTakeFirst()),
    personHolds: await anyPersonHolds(ctx),
    hasChildren: followedEdges(graphOf(ctx.declaration()), `${b.system}.${b.dataset}`).length > 0,
    key: await getSecret(ctx.store, "org_key", ctx.env.PLEDGE_SECRET),
    now,
    heldRows: Object.fromEntries(Object.entries(holds.rows).map(([d, m]) => [d, new Set(m.keys())])),
  };
}

/** The due rows of a page the sweep acts on: not held (counted by reason), not kept and blocked already (counted). */
async function livePage(
  pc: PageContext,
  page: DueRow[],
  counts: Pick<Counts, "held" | "alreadyBlocked">,
): Promise<Row[]> {
  const { ctx, b } = pc;
  const ds = ctx.declaration().systems[b.system].datasets[b.dataset];
  let live: Row[] = [];
  for (const { row, clock } of page) {
    const reason = heldReason(pc.holds, b.dataset, ds, row, clock);
    if (reason) counts.held[reason] = (counts.held[reason] ?? 0) + 1;
    else live.push(row);
  }
  if (pc.anyBlocks && live.length) {
    const blocked = await blockedKeys(
      ctx,
      b.system,
      b.dataset,
      live.map((r) => rowKey(ds, r)),
    );
    counts.alreadyBlocked += blocked.size;
    live = live.filter((r) => !blocked.has(rowKey(ds, r)));
  }
  if (pc.personHolds && live.length) {
    const heldPeople: Row[] = [];
    for (const r of live) if (await personHeld(ctx, ds, r)) heldPeople.push(r);
    if (heldPeople.length)
      counts.held["legal hold on the person"] = (counts.held["legal hold on the person"] ?? 0) + heldPeople.length;
    live = live.filter((r) => !heldPeople.includes(r));
  }
  return live;
}

/**
 * The plans for a page's live rows: what belongs to each is collected, and erasure's plan (or the rule's own action)
 * says what goes, what is masked and what stays. A dataset others hang off is planned row by row.
 */
async function planSeeds(pc: PageContext, live: Row[]): Promise<{ collection: SystemCollection; plan: ErasurePlan }[]> {
  const { ctx, b, connector } = pc;
  const decl = ctx.declaration();
  const out: { collection: SystemCollection; plan: ErasurePlan }[] = [];
  for (const group of pc.hasChildren ? live.map((r) => [r]) : [live]) {
    const collection = await collectSystem(
      decl,
      b.system,
      connector,
      {},
      { dataset: b.dataset, rows: group, ownByReference: true },
    );
    const ectx = { key: pc.key, now: pc.now, held: pc.heldRows };
    const plan: ErasurePlan =
      b.rule.action === "delete"
        ? await prepareErasure(decl, collection, connector, ectx)
        : planRetentionAction(decl, collection, b.ruleId, b.rule.action, {
            ...ectx,
            clocks: await rowClocks(decl, collection, connector),
          });
    out.push({ collection, plan });
  }
  return out;
}

/** What a sweep of a binding would do now, worked out as the sweep works it out, and nothing done. */
export interface SweepSimulation {
  /** Rows deleted, masked and newly kept and blocked, across the dataset and what belongs to its rows. */
  deleted: number;
  masked: number;
  blocked: number;
  /** Due rows of the dataset itself that stay: masked, or kept because rows kept under the law reference them. */
  keptOfDataset: number;
  /** Due rows of the dataset itself that go. */
  deletedOfDataset: number;
}

/**
 * The dry run of a sweep: the same pages, holds, collections and plans as `sweepBinding`, without a lease, a journal
 * or a write. Rows two seeds share are counted once.
 */
export async function simulateSweep(
  ctx: RetentionContext,
  b: ResolvedBinding,
  connector: Connector,
  cutoff: Date,
  options: { batchSize?: number } = {},
): Promise<SweepSimulation> {
  const decl = ctx.declaration();
  const pc = await pageContext(ctx, b, connector, ctx.clock());
  const q = dueQuery(decl, b);
  const counts = { held: {} as Record<string, number>, alreadyBlocked: 0 };
  const seen: Tally = { deleted: new Set(), masked: new Set(), blocked: new Set() };
  const out: SweepSimulation = { deleted: 0, masked: 0, blocked: 0, keptOfDataset: 0, deletedOfDataset: 0 };
  let after: Value[] | undefined;
  for (;;) {
    const page = await connector.due({ ...q, before: cutoff, after, limit: options.batchSize ?? 2000 });
    if (!page.length) break;
    const live = await livePage(pc, page, counts);
    for (const p of await planSeeds(pc, live)) {
      const t = tally(decl, b, p, seen);
      out.deleted += t.deleted;
      out.masked += t.masked;
      out.blocked += t.blocked;
      out.deletedOfDataset += t.deletedOfDataset;
      out.keptOfDataset += t.keptOfDataset;
    }
    if (!connector.capabilities.keyset) break;
    const last = page[page.length - 1].row;
    after = q.dataset.primaryKey.map((f) => last[f] ?? null) as Value[];
  }
  return out;
}

/** The rows a sweep run has counted: each once, however many seeds' plans it appears in. */
interface Tally {
  deleted: Set<string>;
  masked: Set<string>;
  blocked: Set<string>;
}

/**
 * What one plan adds to a run's counts: its deleted, masked and blocked rows not counted before. The sweep and the dry
 * run count alike, so their figures agree.
 */
function tally(
  decl: Declaration,
  b: ResolvedBinding,
  { collection, plan }: { collection: SystemCollection; plan: ErasurePlan },
  seen: Tally,
): { deleted: number; masked: number; blocked: number; deletedOfDataset: number; keptOfDataset: number } {
  const out = { deleted: 0, masked: 0, blocked: 0, deletedOfDataset: 0, keptOfDataset: 0 };
  for (const [did, rows] of Object.entries(collection.datasets)) {
    const d = decl.systems[b.system].datasets[did];
    const kept = new Set(plan.kept[did] ?? []);
    const masked = new Set(plan.masked[did] ?? []);
    for (const r of rows) {
      if (!r.own) continue;
      const key = rowKey(d, r.row);
      const k = `${did}\u0000${key}`;
      if (!kept.has(key)) {
        if (seen.deleted.has(k)) continue;
        seen.deleted.add(k);
        out.deleted++;
        if (did === b.dataset) out.deletedOfDataset++;
      } else if (did === b.dataset && !seen.masked.has(k) && !seen.deleted.has(k)) out.keptOfDataset++;
    }
    for (const key of masked) {
      const k = `${did}\u0000${key}`;
      if (seen.masked.has(k)) continue;
      seen.masked.add(k);
      out.masked++;
    }
  }
  for (const x of plan.blocks) {
    const k = `${x.dataset}\u0000${x.key}`;
    if (seen.blocked.has(k)) continue;
    seen.blocked.add(k);
    out.blocked++;
  }
  return out;
}

/**
 * Marks a journalled batch applied: its blocks recorded, the run's counts and cursor moved, in one store transaction.
 */
async function commitBatch(
  ctx: RetentionContext,
  b: ResolvedBinding,
  runId: number,
  batchId: number,
  j: Journal,
  counts: Counts,
  now: Date,
): Promise<void> {
  counts.deleted += j.counts.deleted;
  counts.masked += j.counts.masked;
  counts.blocked += j.counts.blocked;
  counts.batches++;
  await ctx.store.db.transaction().execute(async (trx) => {
    if (j.blocks.length) await recordBlocks(trx, b.system, j.blocks, { rule: b.ruleId, source: "sweep", now });
    await trx
      .updateTable("retention_batches")
      .set({ status: "applied", applied_at: now.toISOString(), counts: JSON.stringify(j.counts) })
      .where("id", "=", batchId)
      .execute();
    await trx
      .updateTable("retention_runs")
      .set({
        cursor: j.cursorAfter ? JSON.stringify(j.cursorAfter) : sql<string | null>`cursor`,
        counts: JSON.stringify(counts),
        heartbeat_at: now.toISOString(),
      })
      .where("id", "=", runId)
      .execute();
  });
}

/**
 * Steps through integer keys without reading them: the span of the last read
 * page gives the keys per due row, each stepped batch corrects it, growth is at
 * most double per batch and the span at most eight batches, so a batch that
 * meets denser rows than expected stays bounded. Two empty steps in a row hand
 * back to a read, which jumps to the next due row.
 */
class KeyStepper {
  private span = 0n;
  private empty = 0;
  constructor(private readonly batch: number) {}
  private static int(v: Value | undefined): bigint | undefined {
    if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
    if (typeof v === "string" && /^-?\d{1,18}$/.test(v)) return BigInt(v);
    if (typeof v === "bigint") return v;
    return undefined;
  }
  private static out(n: bigint): Value {
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
  }
  learn(bounds: DueRange): void {
    const lo = bounds.from.length === 1 ? KeyStepper.int(bounds.from[0]) : undefined;
    const hi = bounds.to.length === 1 ? KeyStepper.int(bounds.to[0]) : undefined;
    this.empty = 0;
    if (lo === undefined || hi === undefined || bounds.rows < this.batch) {
      this.span = 0n; // not integers, or the last page: read on
      return;
    }
    const span = ((hi - lo + 1n) * BigInt(this.batch)) / BigInt(bounds.rows);
    this.span = span > BigInt(this.batch) * 8n ? 0n : span; // sparse due rows: reading finds them faster
  }
  next(after: Value): { from: Value; to: Value } | undefined {
    const a = KeyStepper.int(after);
    if (a === undefined || this.span <= 0n || this.empty >= 2) return undefined;
    return { from: KeyStepper.out(a + 1n), to: KeyStepper.out(a + this.span) };
  }
  observe(affected: number): void {
    const max = BigInt(this.batch) * 8n;
    if (!affected) {
      this.empty++;
      this.span = this.span * 2n > max ? max : this.span * 2n;
      return;
    }
    this.empty = affected * 4 < this.batch && this.span >= max ? 2 : 0;
    let span = (this.span * BigInt(this.batch)) / BigInt(affected);
    if (span > this.span * 2n) span = this.span * 2n;
    if (span > max) span = max;
    this.span = span < 1n ? 1n : span;
  }
}

/** The key range of a page of due rows, read by their keys (engines without `dueRange`, composite keys). */
async function keyRangeOf(connector: Connector, page: DuePage): Promise<DueRange | null> {
  const rows = await connector.due(page);
  if (!rows.length) return null;
  const key = (r: Row) => page.dataset.primaryKey.map((f) => r[f] ?? null) as Value[];
  return { from: key(rows[0].row), to: key(rows[rows.length - 1].row), rows: rows.length };
}

/** Whether a row of a journalled key range is still due: then its deletion never reached the database. */
async function rangeStillDue(
  connector: Connector,
  q: ReturnType<typeof dueQuery>,
  cutoff: Date,
  range: NonNullable<Journal["range"]>,
): Promise<boolean> {
  const [first] = await connector.due({
    ...q,
    before: cutoff,
    after: range.after ?? undefined,
    limit: 1,
    keysOnly: true,
  });
  if (!first) return false;
  const key = q.dataset.primaryKey.map((f) => first.row[f] ?? null) as Value[];
  return rowMatchesRange(key, range.to);
}

/** Whether a key is at or before `to` in key order. */
function rowMatchesRange(key: Value[], to: Value[]): boolean {
  for (let i = 0; i < key.length; i++) {
    const a = key[i];
    const b = to[i];
    if (a === b || String(a) === String(b)) continue;
    return typeof a === "number" && typeof b === "number"
      ? a < b
      : /^-?\d+$/.test(String(a)) && /^-?\d+$/.test(String(b))
        ? BigInt(String(a)) < BigInt(String(b))
        : String(a) < String(b);
  }
  return true;
}

/** Whether any journalled row no longer holds what it held before the batch: then the batch was applied. */
async function anyChanged(
  connector: Connector,
  decl: ReturnType<RetentionContext["declaration"]>,
  system: string,
  rows: JournalRow[],
): Promise<boolean> {
  for (const r of rows) {
    const ds = decl.systems[system].datasets[r.dataset];
    const found = await connector.find(datasetTarget(r.dataset, ds), { fields: r.fields, keys: [r.values] });
    if (found.length !== 1 || fingerprint(found[0]) !== r.fp) return true;
  }
  return false;
}

/**
 * Sweeps every binding (or one rule's), one after another; a binding whose
 * system cannot be reached is reported and the rest still run.
 */
export async function sweepRetention(
  ctx: RetentionContext,
  options: SweepOptions & { rule?: string } = {},
): Promise<{
  reports: SweepReport[];
  failures: { binding: string; error: string }[];
  ownData: { binding: string; deleted: number }[];
}> {
  const reports: SweepReport[] = [];
  const failures: { binding: string; error: string }[] = [];
  const ownData = options.rule ? [] : await sweepOwnData(ctx, ctx.clock());
  for (const b of bindingsOf(ctx.declaration(), options.rule)) {
    try {
      reports.push(await sweepBinding(ctx, b, options));
    } catch (err) {
      failures.push({ binding: b.id, error: (err as Error).message });
    }
  }
  return { reports, failures, ownData };
}
