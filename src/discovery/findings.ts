/**
 * Discovery over time: scans recorded with their findings, each kept by a
 * stable key with when it was first and last seen; a person may dismiss one
 * with a reason (audited), and it stays dismissed; a finding no scan saw
 * before is told to the officer by mail and webhook, once. Scheduled scans run
 * on every server's worker; the first server to claim a time slot scans.
 */
import { Cron } from "croner";
import { appendAudit } from "../audit/index.js";
import { createHash } from "node:crypto";
import type { Declaration } from "../declaration/index.js";
import type { Mailer } from "../mail/index.js";
import type { Store } from "../store/index.js";
import { postWebhook, resolveWebhook } from "../webhooks/index.js";
import { scanSystems, type ScanOptions, type ScanResult } from "./scan.js";
import { DiscoveryError } from "./text-scan.js";

export interface DiscoveryContext {
  store: Store;
  declaration: () => Declaration;
  env: Record<string, string | undefined>;
  cwd: string;
  clock: () => Date;
  mailer?: Mailer;
}

/** Scans run weekly, Monday at 04:00 UTC, unless the declaration says otherwise. */
export const DEFAULT_SCAN_SCHEDULE = "0 4 * * 1";

/** A finding as the store keeps it. */
export interface StoredFinding {
  id: number;
  system: string;
  rule: string;
  severity: string;
  path: (string | number)[];
  message: string;
  fragment: string | null;
  firstSeen: string;
  lastSeen: string;
  /**
   * open: seen by the latest scan of its system; gone: that scan did not see it; dismissed: a person said why it needs
   * nothing.
   */
  status: "open" | "gone" | "dismissed";
  dismissed: { by: string; at: string; reason: string } | null;
  notifiedAt: string | null;
}

export interface RecordedScan {
  scanId: number;
  result: ScanResult;
  /** Findings no scan saw before. */
  newFindings: StoredFinding[];
  /** How the officer was told of them, or why not. */
  notified: { mail?: string; webhook?: string };
}

const keyOf = (f: ScanResult["findings"][number]) =>
  createHash("sha256").update(`${f.rule}\u0000${f.subject}`).digest("hex").slice(0, 32);

/**
 * Scans, and records what it found: new findings inserted, known ones seen
 * again, and the officer told of the new ones that nobody dismissed.
 *
 * ```ts
 * const { newFindings } = await recordScan(ctx, { trigger: "cli", actor: "cli:ada" });
 * ```
 */
export async function recordScan(
  ctx: DiscoveryContext,
  options: { trigger: string; actor: string; slot?: string } & Omit<ScanOptions, "env" | "cwd"> = {
    trigger: "cli",
    actor: "cli",
  },
): Promise<RecordedScan | undefined> {
  const db = ctx.store.db;
  const started = ctx.clock().toISOString();
  let scanId: number;
  try {
    scanId = (
      await db
        .insertInto("discovery_scans")
        .values({
          trigger: options.trigger,
          slot: options.slot ?? null,
          started_at: started,
          finished_at: null,
          tables: 0,
          findings: 0,
          new_findings: 0,
          systems: "{}",
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  } catch (err) {
    if (options.slot) return undefined; // another server claimed this slot
    throw err;
  }
  const decl = ctx.declaration();
  const result = await scanSystems(decl, {
    ...options,
    sampleRows: options.sampleRows ?? decl.discovery?.sampleRows,
    env: ctx.env,
    cwd: ctx.cwd,
  });
  const now = ctx.clock().toISOString();
  const fresh: number[] = [];
  for (const f of result.findings) {
    const key = keyOf(f);
    const values = {
      system: f.path[1] as string,
      rule: f.rule,
      severity: f.severity,
      path: JSON.stringify(f.path),
      message: f.message,
      fragment: f.fragment ?? null,
      last_seen: now,
      last_scan: scanId,
    };
    const updated = await db.updateTable("discovery_findings").set(values).where("key", "=", key).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const id = (
        await db
          .insertInto("discovery_findings")
          .values({
            ...values,
            key,
            first_seen: now,
            dismissed_by: null,
            dismissed_at: null,
            dismiss_reason: null,
            notified_at: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      fresh.push(id);
    }
  }
  const scanned = [...new Set(result.tables.map((t) => t.system))];
  const systems: Record<string, { tables: number; findings: number; error?: string }> = {};
  for (const s of scanned)
    systems[s] = {
      tables: result.tables.filter((t) => t.system === s).length,
      findings: result.findings.filter((f) => f.path[1] === s).length,
    };
  for (const f of result.findings)
    if (f.rule === "scan-system-unreachable")
      systems[f.path[1] as string] = { tables: 0, findings: 1, error: f.message };
  // Finished first: what is open is judged against this scan, so a finding it no longer saw is gone.
  await db
    .updateTable("discovery_scans")
    .set({
      finished_at: now,
      tables: result.tables.length,
      new_findings: fresh.length,
      systems: JSON.stringify(systems),
    })
    .where("id", "=", scanId)
    .execute();
  const all = await listFindings(ctx);
  await db
    .updateTable("discovery_scans")
    .set({ findings: all.filter((f) => f.status === "open").length })
    .where("id", "=", scanId)
    .execute();
  const newFindings = all.filter((f) => fresh.includes(f.id));
  const notified = await notify(ctx, decl, newFindings);
  await appendAudit(
    ctx.store,
    {
      actor: options.actor,
      action: "discovery.scanned",
      subject: `scan:${scanId}`,
      data: {
        trigger: options.trigger,
        tables: result.tables.length,
        findings: result.findings.length,
        new: fresh.length,
        notRead: result.notRead.length,
        ...notified,
      },
    },
    ctx.clock(),
  );
  return { scanId, result, newFindings, notified };
}

/** Tells the officer of new findings: a mail listing them (masked examples only) and the declared webhook. */
async function notify(
  ctx: DiscoveryContext,
  decl: Declaration,
  found: readonly StoredFinding[],
): Promise<{ mail?: string; webhook?: string }> {
  if (!found.length) return {};
  const out: { mail?: string; webhook?: string } = {};
  const to = decl.discovery?.notify?.email ?? decl.organization.contact.email;
  if (ctx.mailer && to) {
    try {
      await ctx.mailer.send({
        to,
        subject: `Pledge found ${found.length} new thing${found.length === 1 ? "" : "s"} the declaration does not say`,
        text:
          `A scan of ${decl.organization.name}'s systems found:\n\n` +
          `${found.map((f) => `- [${f.rule}] ${f.message}`).join("\n")}\n\nReview them ` +
          `on the console's discovery page; \`pledge scan --format yaml\` prints what ` +
          `would declare them.\n`,
      });
      out.mail = "sent";
    } catch (err) {
      out.mail = `failed: ${(err as Error).message}`;
    }
  } else out.mail = to ? "no mailer" : "no address";
  const wh = decl.discovery?.notify?.webhook;
  if (wh) {
    const target = resolveWebhook(wh, ctx.env);
    if ("error" in target) out.webhook = `not sent: ${target.error}`;
    else {
      try {
        await postWebhook(
          target.url,
          target.secret,
          {
            event: "discovery.new_findings",
            findings: found.map((f) => ({
              id: f.id,
              rule: f.rule,
              system: f.system,
              path: f.path,
              message: f.message,
            })),
          },
          ctx.clock(),
        );
        out.webhook = "sent";
      } catch (err) {
        out.webhook = `failed: ${(err as Error).message}`;
      }
    }
  }
  const at = ctx.clock().toISOString();
  if (out.mail === "sent" || out.webhook === "sent")
    await ctx.store.db
      .updateTable("discovery_findings")
      .set({ notified_at: at })
      .where(
        "id",
        "in",
        found.map((f) => f.id),
      )
      .execute();
  return out;
}

/**
 * The findings, newest first; `status` filters. A finding is gone when the latest finished scan of its system did not
 * see it.
 */
export async function listFindings(
  ctx: Pick<DiscoveryContext, "store">,
  filter: { status?: StoredFinding["status"]; system?: string } = {},
): Promise<StoredFinding[]> {
  const db = ctx.store.db;
  const rows = await db.selectFrom("discovery_findings").selectAll().orderBy("id", "desc").execute();
  // The latest scan that read each system, and the latest that tried: a system it could not reach tells nothing
  // of its data, so its findings stay as they were (only its own "unreachable" finding follows the attempts).
  const latestRead = new Map<string, number>();
  const latestTried = new Map<string, number>();
  for (const s of await db
    .selectFrom("discovery_scans")
    .select(["id", "systems"])
    .where("finished_at", "is not", null)
    .orderBy("id", "asc")
    .execute()) {
    for (const [sys, r] of Object.entries(JSON.parse(s.systems) as Record<string, { error?: string }>)) {
      latestTried.set(sys, s.id);
      if (!r.error) latestRead.set(sys, s.id);
    }
  }
  const out: StoredFinding[] = rows.map((r) => ({
    id: Number(r.id),
    system: r.system,
    rule: r.rule,
    severity: r.severity,
    path: JSON.parse(r.path) as (string | number)[],
    message: r.message,
    fragment: r.fragment,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    status: r.dismissed_at
      ? "dismissed"
      : Number(r.last_scan) >= ((r.rule === "scan-system-unreachable" ? latestTried : latestRead).get(r.system) ?? 0)
        ? "open"
        : "gone",
    dismissed: r.dismissed_at ? { by: r.dismissed_by ?? "", at: r.dismissed_at, reason: r.dismiss_reason ?? "" } : null,
    notifiedAt: r.notified_at,
  }));
  return out.filter(
    (f) => (!filter.status || f.status === filter.status) && (!filter.system || f.system === filter.system),
  );
}

/**
 * Dismisses a finding: a person says why it needs nothing (test data, already
 * pseudonymised, …). Audited; it stays dismissed in later scans.
 */
export async function dismissFinding(
  ctx: Pick<DiscoveryContext, "store" | "clock">,
  id: number,
  actor: string,
  reason: string,
): Promise<StoredFinding> {
  const why = reason.trim();
  if (why.length < 3)
    throw new DiscoveryError("INVALID", "a dismissal needs a reason: say why this finding needs nothing");
  const at = ctx.clock().toISOString();
  const r = await ctx.store.db
    .updateTable("discovery_findings")
    .set({ dismissed_by: actor, dismissed_at: at, dismiss_reason: why.slice(0, 1000) })
    .where("id", "=", id)
    .where("dismissed_at", "is", null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) {
    const exists = await ctx.store.db
      .selectFrom("discovery_findings")
      .select("id")
      .where("id", "=", id)
      .executeTakeFirst();
    throw new DiscoveryError(
      exists ? "INVALID" : "NOT_FOUND",
      exists ? `finding ${id} is already dismissed` : `no finding ${id}`,
    );
  }
  await appendAudit(
    ctx.store,
    { actor, action: "discovery.dismissed", subject: `finding:${id}`, data: { reason: why } },
    ctx.clock(),
  );
  return (await listFindings(ctx)).find((f) => f.id === id)!;
}

/** The scans, oldest first, for the console's chart. */
export async function scanHistory(
  ctx: Pick<DiscoveryContext, "store">,
  limit = 60,
): Promise<
  {
    id: number;
    at: string;
    trigger: string;
    tables: number;
    findings: number;
    newFindings: number;
    systems: Record<string, { tables: number; findings: number; error?: string }>;
  }[]
> {
  const rows = await ctx.store.db
    .selectFrom("discovery_scans")
    .selectAll()
    .where("finished_at", "is not", null)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.reverse().map((r) => ({
    id: Number(r.id),
    at: r.finished_at!,
    trigger: r.trigger,
    tables: r.tables,
    findings: r.findings,
    newFindings: r.new_findings,
    systems: JSON.parse(r.systems),
  }));
}

/**
 * Starts scheduled scans (the declaration's `discovery.schedule`, weekly by
 * default, `off` for none); returns the function that stops them.
 */
export function startDiscoverySchedule(
  ctx: DiscoveryContext,
  hooks: { onScan?: (r: RecordedScan) => void; onError?: (err: unknown) => void } = {},
): () => void {
  const schedule = ctx.declaration().discovery?.schedule ?? DEFAULT_SCAN_SCHEDULE;
  if (schedule === "off") return () => {};
  let running = false;
  const job = new Cron(schedule, { timezone: "UTC", protect: true, unref: true }, async (self: Cron) => {
    if (running) return;
    running = true;
    try {
      const slot = (self.currentRun() ?? ctx.clock()).toISOString();
      const r = await recordScan(ctx, { trigger: "schedule", actor: "schedule", slot });
      if (r) hooks.onScan?.(r);
    } catch (err) {
      hooks.onError?.(err);
    } finally {
      running = false;
    }
  });
  return () => job.stop();
}
