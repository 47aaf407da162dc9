/**
 * The audit log: append-only, each entry hash-chained to the one before, with
 * the chain's head kept apart. `verifyAudit` finds an edited, inserted or
 * deleted entry and names it. Every domain writes here.
 *
 * Writers never wait for the chain: an entry is inserted into `audit_pending`
 * (in the writer's own transaction, so it commits with the record it is
 * about), and `chainPending` links pending entries into the chain in batches,
 * under the head's lock. Servers chain every 200 ms; verifying and listing
 * chain first. So many writers on many servers commit in parallel, and an
 * entry is part of the tamper-evident chain within a fraction of a second.
 */
import { createHash } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database, Store } from "../store/index.js";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditInput {
  /** Who acted: `system`, `user:<id>`, `subject:<request id>`, `cli`. */
  actor: string;
  /** What happened, dotted: `declaration.published`, `request.verified`. */
  action: string;
  /** What it happened to: a request id, a declaration version. */
  subject?: string;
  data?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

const SECRET_KEYS = /pass(word)?|secret|token|code|authorization|cookie|otp/i;

/** Replaces the values of secret-looking keys, at any depth, before they reach the log. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redactSecrets(v)]),
    );
  }
  return value;
}

/** The hash of an entry: SHA-256 over the previous hash and the entry's fields. */
export function hashEntry(
  prevHash: string,
  e: { seq: number; at: string; actor: string; action: string; subject: string | null; data: string },
): string {
  return createHash("sha256")
    .update(prevHash)
    .update("\n")
    .update(JSON.stringify([e.seq, e.at, e.actor, e.action, e.subject, e.data]))
    .digest("hex");
}

/**
 * Appends an entry. It is committed at once and chained within moments.
 *
 * ```ts
 * await appendAudit(store, { actor: "system", action: "declaration.published", subject: "2018.05.22" });
 * ```
 */
export async function appendAudit(store: Store, input: AuditInput, now: Date = new Date()): Promise<void> {
  await appendAuditIn(store.db, input, now);
}

/**
 * Appends an entry inside a transaction the caller holds, so that a record and
 * its audit entry commit together (never one without the other).
 */
export async function appendAuditIn(
  db: Kysely<Database> | Transaction<Database>,
  input: AuditInput,
  now: Date = new Date(),
): Promise<void> {
  await db
    .insertInto("audit_pending")
    .values({
      at: now.toISOString(),
      actor: input.actor,
      action: input.action,
      subject: input.subject ?? null,
      data: JSON.stringify(redactSecrets(input.data ?? {})),
    })
    .execute();
}

/**
 * Appends many entries in one statement, inside a transaction the caller holds (a group commit of records that each
 * have their entry). They join the chain in the order given.
 */
export async function appendAuditBatchIn(
  db: Kysely<Database> | Transaction<Database>,
  entries: { input: AuditInput; at: Date }[],
): Promise<void> {
  if (!entries.length) return;
  await db.insertInto("audit_pending").values(auditRows(entries)).execute();
}

/** The rows of `audit_pending` for entries, for a caller that writes them in a statement of its own. */
export function auditRows(entries: { input: AuditInput; at: Date }[]) {
  return entries.map(({ input, at }) => ({
    at: at.toISOString(),
    actor: input.actor,
    action: input.action,
    subject: input.subject ?? null,
    data: JSON.stringify(redactSecrets(input.data ?? {})),
  }));
}

/** Links pending entries into the chain, oldest first, in one transaction; returns how many. */
export async function chainPending(store: Store, batch = 2000): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    // SQLite: take the write lock first (as BEGIN IMMEDIATE would). A transaction that reads first and writes after
    // fails with SQLITE_BUSY_SNAPSHOT when another server sharing the file wrote in between; one that writes first
    // waits its turn under busy_timeout.
    if (!store.capabilities.rowLocks) await sql`UPDATE audit_head SET seq = seq WHERE id = 1`.execute(trx);
    let q = trx.selectFrom("audit_head").select(["seq", "hash"]).where("id", "=", 1);
    if (store.capabilities.rowLocks) q = q.forUpdate();
    const head = await q.executeTakeFirstOrThrow();
    const pending = await trx.selectFrom("audit_pending").selectAll().orderBy("id").limit(batch).execute();
    if (!pending.length) return 0;
    let { seq, hash } = head;
    // Times never go backwards along the chain: an entry whose writer's clock was behind the entry
    // before it (another server's, a moment's skew) takes that entry's time, and keeps its own in `data`.
    let lastAt = head.seq
      ? ((await trx.selectFrom("audit_log").select("at").where("seq", "=", head.seq).executeTakeFirst())?.at ?? "")
      : "";
    const rows = pending.map((p) => {
      const behind = p.at < lastAt;
      const at = behind ? lastAt : p.at;
      lastAt = at;
      const data = behind
        ? JSON.stringify({ ...(JSON.parse(p.data) as Record<string, unknown>), writerClock: p.at })
        : p.data;
      const row = { seq: ++seq, at, actor: p.actor, action: p.action, subject: p.subject, data };
      const prev = hash;
      hash = hashEntry(prev, row);
      return { ...row, prev_hash: prev, hash };
    });
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto("audit_log")
        .values(rows.slice(i, i + 200))
        .execute();
    for (let i = 0; i < pending.length; i += 500)
      await trx
        .deleteFrom("audit_pending")
        .where(
          "id",
          "in",
          pending.slice(i, i + 500).map((p) => p.id),
        )
        .execute();
    await trx.updateTable("audit_head").set({ seq, hash }).where("id", "=", 1).execute();
    return rows.length;
  });
}

/** Chains until nothing is pending. */
export async function chainAll(store: Store): Promise<number> {
  let total = 0;
  for (let n = await chainPending(store); n > 0; n = await chainPending(store)) total += n;
  return total;
}

/** Chains pending entries every `intervalMs` in the background. */
export function startAuditChainer(
  store: Store,
  options: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? 0 : chainAll(store).catch((err) => options.onError?.(err))));
  }, options.intervalMs ?? 200);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await chainAll(store).catch((err) => options.onError?.(err));
    },
  };
}

export interface AuditProblem {
  seq: number;
  kind: "edited" | "inserted" | "deleted" | "truncated" | "time";
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  headSeq: number;
  headHash: string;
  problems: AuditProblem[];
}

/** Walks the whole chain and reports every break, naming the entry. */
export async function verifyAudit(store: Store, onProgress?: (checked: number) => void): Promise<AuditVerification> {
  await chainAll(store);
  const problems: AuditProblem[] = [];
  let prevHash = GENESIS_HASH;
  let prevAt = "";
  let expected = 1;
  let count = 0;
  let after = 0;
  const page = 2000;
  for (;;) {
    const rows = await store.db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", ">", after)
      .orderBy("seq")
      .limit(page)
      .execute();
    for (const r of rows) {
      count++;
      if (r.seq > expected) {
        const missing =
          r.seq - expected === 1 ? `entry ${expected} was deleted` : `entries ${expected}–${r.seq - 1} were deleted`;
        problems.push({ seq: expected, kind: "deleted", message: missing });
      } else if (r.seq < expected) {
        problems.push({ seq: r.seq, kind: "inserted", message: `entry ${r.seq} is out of sequence (inserted)` });
      }
      const recomputed = hashEntry(r.prev_hash, r);
      if (recomputed !== r.hash) {
        problems.push({
          seq: r.seq,
          kind: "edited",
          message: `entry ${r.seq} (${r.action}) was edited: its content no longer matches its hash`,
        });
      } else if (r.prev_hash !== prevHash) {
        const before = r.seq - 1;
        problems.push({
          seq: r.seq,
          kind: "inserted",
          message:
            `entry ${r.seq} (${r.action}) does not follow entry ${before}: entry ${before} ` +
            `was rewritten, or an entry was inserted or deleted between them`,
        });
      }
      if (r.at < prevAt)
        problems.push({
          seq: r.seq,
          kind: "time",
          message:
            `entry ${r.seq} (${r.action}) is dated ${r.at}, before the entry ahead of it (` +
            `${prevAt}): the log's times go backwards`,
        });
      prevAt = r.at;
      prevHash = r.hash;
      expected = r.seq + 1;
      after = r.seq;
    }
    onProgress?.(count);
    if (rows.length < page) break;
  }
  const head = await store.db.selectFrom("audit_head").select(["seq", "hash"]).where("id", "=", 1).executeTakeFirst();
  if (!head) {
    problems.push({ seq: 0, kind: "truncated", message: "the audit head is missing" });
  } else if (head.seq !== expected - 1 || head.hash !== prevHash) {
    problems.push(
      head.seq > expected - 1
        ? {
            seq: expected,
            kind: "truncated",
            message: `entries ${expected}–${head.seq} were deleted from the end of the log`,
          }
        : {
            seq: head.seq,
            kind: "edited",
            message: `the audit head (entry ${head.seq}) does not match the last entry (${expected - 1})`,
          },
    );
  }
  return { ok: problems.length === 0, entries: count, headSeq: head?.seq ?? 0, headHash: head?.hash ?? "", problems };
}

/** Entries, newest first, optionally for one subject. */
export async function listAudit(
  store: Store,
  options: { subject?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  await chainAll(store);
  let q = store.db
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("seq", "desc")
    .limit(options.limit ?? 100);
  if (options.subject) q = q.where("subject", "=", options.subject);
  const rows = await q.execute();
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    data: JSON.parse(r.data) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}
