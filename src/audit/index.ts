/**
 * The audit log: append-only, each entry hash-chained to the one before, with
 * the chain's head kept apart. `verifyAudit` finds an edited, inserted or
 * deleted entry and names it. Every domain writes here.
 */
import { createHash } from "node:crypto";
import type { Store } from "../store/index.js";

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
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redactSecrets(v)]));
  }
  return value;
}

/** The hash of an entry: SHA-256 over the previous hash and the entry's fields. */
export function hashEntry(prevHash: string, e: { seq: number; at: string; actor: string; action: string; subject: string | null; data: string }): string {
  return createHash("sha256")
    .update(prevHash)
    .update("\n")
    .update(JSON.stringify([e.seq, e.at, e.actor, e.action, e.subject, e.data]))
    .digest("hex");
}

/**
 * Appends an entry, chained to the current head, in one transaction.
 *
 * ```ts
 * await appendAudit(store, { actor: "system", action: "declaration.published", subject: "2018.05.22" });
 * ```
 */
export async function appendAudit(store: Store, input: AuditInput, now: Date = new Date()): Promise<AuditEntry> {
  const data = JSON.stringify(redactSecrets(input.data ?? {}));
  return store.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom("audit_head").select(["seq", "hash"]).where("id", "=", 1);
    if (store.capabilities.rowLocks) q = q.forUpdate();
    const head = await q.executeTakeFirstOrThrow();
    const row = { seq: head.seq + 1, at: now.toISOString(), actor: input.actor, action: input.action, subject: input.subject ?? null, data };
    const hash = hashEntry(head.hash, row);
    await trx.insertInto("audit_log").values({ ...row, prev_hash: head.hash, hash }).execute();
    await trx.updateTable("audit_head").set({ seq: row.seq, hash }).where("id", "=", 1).execute();
    return { ...row, data: JSON.parse(data) as Record<string, unknown>, prevHash: head.hash, hash };
  });
}

export interface AuditProblem {
  seq: number;
  kind: "edited" | "inserted" | "deleted" | "truncated";
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
  const problems: AuditProblem[] = [];
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let count = 0;
  let after = 0;
  const page = 2000;
  for (;;) {
    const rows = await store.db.selectFrom("audit_log").selectAll().where("seq", ">", after).orderBy("seq").limit(page).execute();
    for (const r of rows) {
      count++;
      if (r.seq > expected) {
        const missing = r.seq - expected === 1 ? `entry ${expected} was deleted` : `entries ${expected}–${r.seq - 1} were deleted`;
        problems.push({ seq: expected, kind: "deleted", message: missing });
      } else if (r.seq < expected) {
        problems.push({ seq: r.seq, kind: "inserted", message: `entry ${r.seq} is out of sequence (inserted)` });
      }
      const recomputed = hashEntry(r.prev_hash, r);
      if (recomputed !== r.hash) {
        problems.push({ seq: r.seq, kind: "edited", message: `entry ${r.seq} (${r.action}) was edited: its content no longer matches its hash` });
      } else if (r.prev_hash !== prevHash) {
        const before = r.seq - 1;
        problems.push({ seq: r.seq, kind: "inserted", message: `entry ${r.seq} (${r.action}) does not follow entry ${before}: entry ${before} was rewritten, or an entry was inserted or deleted between them` });
      }
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
        ? { seq: expected, kind: "truncated", message: `entries ${expected}–${head.seq} were deleted from the end of the log` }
        : { seq: head.seq, kind: "edited", message: `the audit head (entry ${head.seq}) does not match the last entry (${expected - 1})` },
    );
  }
  return { ok: problems.length === 0, entries: count, headSeq: head?.seq ?? 0, headHash: head?.hash ?? "", problems };
}

/** Entries, newest first, optionally for one subject. */
export async function listAudit(store: Store, options: { subject?: string; limit?: number } = {}): Promise<AuditEntry[]> {
  let q = store.db.selectFrom("audit_log").selectAll().orderBy("seq", "desc").limit(options.limit ?? 100);
  if (options.subject) q = q.where("subject", "=", options.subject);
  const rows = await q.execute();
  return rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, data: JSON.parse(r.data) as Record<string, unknown>, prevHash: r.prev_hash, hash: r.hash }));
}
