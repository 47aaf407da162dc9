/**
 * Pledge keeps its own promises: the personal data in its own store has
 * limits too, and `plan` and `verify` check them beside the organization's.
 *
 * - unconfirmed newsletter sign-ups: the newsletter purpose's rule from
 *   `unconfirmed_signup` (else the newsletter's `deleteUnconfirmedAfter`);
 * - request records: `rights.requestRecords` after a request closes (11 CCR § 7101: 24 months);
 * - exports: until they expire;
 * - console sessions and verification codes: `ownData.sessions` and
 *   `ownData.verificationCodes` after they expire;
 * - consent records: `ownData.consentProof` after each record's `valid_until`;
 * - the mail outbox's files: at the age `ownData.outbox`.
 *
 * The first and the last are swept here (and by every server's worker); request
 * records by the requests worker, which also redacts them.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { appendAudit } from "../audit/index.js";
import { addDuration, doubleOptInOf, parseDuration } from "../declaration/index.js";
import { DEFAULT_SETTINGS, exportPeriod } from "../requests/index.js";
import { periodMs, type RetentionContext } from "./model.js";
import type { PlanEntry } from "./plan.js";

interface OwnData {
  binding: string;
  rule: string;
  period: string;
  /** Covered rows, due rows, and the oldest clock. */
  measure(ctx: RetentionContext, now: Date): Promise<{ rows: number; due: number; oldest: string | null }>;
  /** Said in the plan instead of the default. */
  note?: string;
  /** What the clock is, where it is not the row's creation (then ages are counted from it). */
  clockLabel?: string;
  /** Deletes what is due; returns how many. Undefined when another job sweeps it. */
  sweep?(ctx: RetentionContext, now: Date): Promise<number>;
}

const before = (now: Date, period: string) => {
  const d = parseDuration(period)!;
  return addDuration(now, { amount: -d.amount, unit: d.unit }).toISOString();
};

function ownData(ctx: RetentionContext): OwnData[] {
  const decl = ctx.declaration();
  const out: OwnData[] = [];
  for (const [list, n] of Object.entries(decl.consent?.newsletters ?? {})) {
    const rid = decl.purposes[n.purpose]?.retention;
    const rule = rid ? decl.retention[rid] : undefined;
    const period =
      rule?.from === "unconfirmed_signup" && rule.period !== "indefinite"
        ? rule.period
        : doubleOptInOf(n).deleteUnconfirmedAfter;
    const q = (now: Date) =>
      ctx.store.db
        .selectFrom("newsletter_subscriptions")
        .where("list", "=", list)
        .where("status", "in", ["pending", "blocked"]);
    out.push({
      binding: `pledge.newsletter_subscriptions/${list}`,
      rule: rule?.from === "unconfirmed_signup" ? rid! : "doubleOptIn.deleteUnconfirmedAfter",
      period,
      async measure(c, now) {
        const r = await q(now)
          .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("signup_at").as("oldest")])
          .executeTakeFirst();
        const due = await q(now)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("signup_at", "<", before(now, period))
          .executeTakeFirst();
        return { rows: Number(r?.n ?? 0), due: Number(due?.n ?? 0), oldest: (r?.oldest as string | null) ?? null };
      },
      async sweep(c, now) {
        const r = await c.store.db
          .deleteFrom("newsletter_subscriptions")
          .where("list", "=", list)
          .where("status", "in", ["pending", "blocked"])
          .where("signup_at", "<", before(now, period))
          .executeTakeFirst();
        return Number(r.numDeletedRows);
      },
    });
  }
  out.push({
    binding: "pledge.requests/requestRecords",
    rule: "rights.requestRecords",
    period: decl.rights.requestRecords,
    async measure(c, now) {
      const base = c.store.db.selectFrom("requests").where("completed_at", "is not", null);
      const r = await base
        .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("completed_at").as("oldest")])
        .executeTakeFirst();
      const due = await base
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("completed_at", "<", before(now, decl.rights.requestRecords))
        .executeTakeFirst();
      return { rows: Number(r?.n ?? 0), due: Number(due?.n ?? 0), oldest: (r?.oldest as string | null) ?? null };
    },
  });
  const exportDays = Number(ctx.env.PLEDGE_EXPORT_TTL_DAYS) || DEFAULT_SETTINGS.exportTtlDays;
  out.push({
    binding: "pledge.exports/expiry",
    rule: decl.ownData.exports ? "ownData.exports" : "PLEDGE_EXPORT_TTL_DAYS",
    period: exportPeriod(decl, exportDays),
    async measure(c, now) {
      const r = await c.store.db
        .selectFrom("exports")
        .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("created_at").as("oldest")])
        .executeTakeFirst();
      const due = await c.store.db
        .selectFrom("exports")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("expires_at", "<=", now.toISOString())
        .executeTakeFirst();
      return { rows: Number(r?.n ?? 0), due: Number(due?.n ?? 0), oldest: (r?.oldest as string | null) ?? null };
    },
    async sweep(c, now) {
      const r = await c.store.db.deleteFrom("exports").where("expires_at", "<=", now.toISOString()).executeTakeFirst();
      const n = Number(r.numDeletedRows);
      if (n) await c.store.scrub();
      return n;
    },
  });
  // Recordings of remote sessions and temporary copies of customer data are destroyed outside Pledge; a
  // person confirms it. Until then a copy past its date is due here, and `verify` fails on it.
  const custody = (kind: "recording" | "temporary_copy", binding: string, rule: string, period: string): OwnData => ({
    binding,
    rule,
    period,
    note:
      kind === "recording"
        ? "destroyed outside Pledge: due until a person confirms the destruction on the governance page"
        : "due at each copy's purge deadline, until a person confirms the purge with evidence",
    async measure(c, now) {
      const base = c.store.db.selectFrom("gov_custody").where("kind", "=", kind).where("done_at", "is", null);
      const r = await base
        .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("made_at").as("oldest")])
        .executeTakeFirst();
      const due = await base
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("due_at", "<=", now.toISOString())
        .executeTakeFirst();
      return { rows: Number(r?.n ?? 0), due: Number(due?.n ?? 0), oldest: (r?.oldest as string | null) ?? null };
    },
  });
  const gov = decl.governance;
  if (gov?.remoteSessions)
    out.push(
      custody(
        "recording",
        "pledge.recordings/recordingRetention",
        "governance.remoteSessions.recordingRetention",
        gov.remoteSessions.recordingRetention,
      ),
    );
  if (gov?.temporaryCopies)
    out.push(
      custody(
        "temporary_copy",
        "pledge.temporary_copies/purgeWithin",
        "governance.temporaryCopies.purgeWithin",
        gov.temporaryCopies.purgeWithin,
      ),
    );
  const own = decl.ownData;
  out.push(
    expiring(ctx, "pledge.sessions/sessions", "ownData.sessions", own.sessions, "sessions", "expires_at", "expiry"),
  );
  out.push(
    expiring(
      ctx,
      "pledge.verifications/verificationCodes",
      "ownData.verificationCodes",
      own.verificationCodes,
      "verifications",
      "expires_at",
      "expiry",
    ),
  );
  // A consent record proves a choice until its validity ends, and is kept as proof for consentProof after.
  out.push(
    expiring(
      ctx,
      "pledge.consent_events/consentProof",
      "ownData.consentProof",
      own.consentProof,
      "consent_events",
      "valid_until",
      "end of validity",
    ),
  );
  if (ctx.outboxDir) {
    const dir = ctx.outboxDir;
    const files = () => {
      try {
        return readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => ({ path: join(dir, e.name), at: statSync(join(dir, e.name)).mtime.toISOString() }));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw err;
      }
    };
    out.push({
      binding: "pledge.outbox/outbox",
      rule: "ownData.outbox",
      period: own.outbox,
      async measure(_c, now) {
        const all = files();
        const cut = before(now, own.outbox);
        return {
          rows: all.length,
          due: all.filter((f) => f.at < cut).length,
          oldest: all.map((f) => f.at).sort()[0] ?? null,
        };
      },
      async sweep(_c, now) {
        const cut = before(now, own.outbox);
        let n = 0;
        for (const f of files()) {
          if (f.at >= cut) continue;
          rmSync(f.path, { force: true });
          n++;
        }
        return n;
      },
    });
  }
  return out;
}

/** A table of Pledge's own whose rows carry an end (`expires_at`, `valid_until`): deleted `period` after it. */
function expiring(
  ctx: RetentionContext,
  binding: string,
  rule: string,
  period: string,
  table: "sessions" | "verifications" | "consent_events",
  column: "expires_at" | "valid_until",
  clockLabel: string,
): OwnData {
  const db = ctx.store.db as unknown as Kysely<Record<string, Record<string, string>>>;
  return {
    binding,
    rule,
    period,
    clockLabel,
    async measure(_c, now) {
      const r = await db
        .selectFrom(table)
        .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min(column).as("oldest")])
        .executeTakeFirst();
      const due = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where(column, "<", before(now, period))
        .executeTakeFirst();
      return { rows: Number(r?.n ?? 0), due: Number(due?.n ?? 0), oldest: (r?.oldest as string | null) ?? null };
    },
    async sweep(_c, now) {
      const r = await db.deleteFrom(table).where(column, "<", before(now, period)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** Plan entries for Pledge's own data. */
export async function ownDataPlan(ctx: RetentionContext, now: Date): Promise<PlanEntry[]> {
  const out: PlanEntry[] = [];
  for (const o of ownData(ctx)) {
    const m = await o.measure(ctx, now);
    out.push({
      binding: o.binding,
      rule: o.rule,
      action: "delete",
      period: o.period,
      system: "pledge",
      dataset: o.binding.slice("pledge.".length).split("/")[0],
      cutoff: before(now, o.period),
      rows: m.rows,
      due: m.due,
      held: [],
      blocked: 0,
      unexplained: m.due,
      oldest: m.oldest,
      oldestDays: m.oldest ? Math.max(0, Math.floor((now.getTime() - Date.parse(m.oldest)) / 86_400_000)) : null,
      limitDays: Math.round(periodMs(o.period) / 86_400_000),
      ...(o.note
        ? { note: o.note }
        : o.sweep
          ? o.clockLabel
            ? { note: `ages counted from each row's ${o.clockLabel}` }
            : {}
          : { note: "swept by the requests worker, which redacts and deletes closed requests" }),
    });
  }
  return out;
}

/** Sweeps Pledge's own data that retention sweeps (newsletter sign-ups, exports); returns what each deleted. */
export async function sweepOwnData(ctx: RetentionContext, now: Date): Promise<{ binding: string; deleted: number }[]> {
  const out: { binding: string; deleted: number }[] = [];
  for (const o of ownData(ctx)) if (o.sweep) out.push({ binding: o.binding, deleted: await o.sweep(ctx, now) });
  const changed = out.filter((o) => o.deleted > 0);
  if (changed.length)
    await appendAudit(
      ctx.store,
      {
        actor: "retention",
        action: "retention.own_swept",
        subject: "pledge",
        data: { deleted: Object.fromEntries(changed.map((o) => [o.binding, o.deleted])) },
      },
      now,
    );
  return out;
}
