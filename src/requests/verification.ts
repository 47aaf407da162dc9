/**
 * One-time codes: 6 digits, 10 minutes, at most 5 tries, stored only as a
 * salted hash. Sending is rate-limited per address and per IP, across every
 * server sharing the store.
 */
import { createHash, randomBytes, randomInt } from "node:crypto";
import type { Store } from "../store/index.js";
import { safeEqual } from "../auth/index.js";

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

const hashCode = (requestId: string, code: string, salt: string) =>
  `${salt}:${createHash("sha256").update(`${salt}:${requestId}:${code}`).digest("hex")}`;

export interface NewCode {
  /** The code, to be mailed; it is stored only as a hash. */
  code: string;
  /**
   * Stores it as the request's code, replacing any earlier one: after the mail went out, so that a code nobody received
   * never replaces one somebody did.
   */
  save(store: Store): Promise<void>;
}

/** A new code for a request. */
export function newCode(requestId: string, now: Date): NewCode {
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const salt = randomBytes(8).toString("hex");
  const row = {
    code_hash: hashCode(requestId, code, salt),
    expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
    attempts: 0,
    sent_at: now.toISOString(),
    consumed_at: null,
  };
  return {
    code,
    async save(store) {
      await store.db
        .insertInto("verifications")
        .values({ request_id: requestId, ...row })
        .onConflict((oc) => oc.column("request_id").doUpdateSet(row))
        .execute();
    },
  };
}

export type CodeCheck =
  | { ok: true }
  | { ok: false; reason: "no_code" | "expired" | "exhausted" | "wrong" | "used"; triesLeft: number };

/** Checks a code. Every try counts, right or wrong; the 6th try fails even with the right code. */
export async function checkCode(store: Store, requestId: string, code: string, now: Date): Promise<CodeCheck> {
  return store.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom("verifications").selectAll().where("request_id", "=", requestId);
    if (store.capabilities.rowLocks) q = q.forUpdate();
    const v = await q.executeTakeFirst();
    if (!v) return { ok: false, reason: "no_code", triesLeft: 0 } as const;
    if (v.consumed_at) return { ok: false, reason: "used", triesLeft: 0 } as const;
    const attempts = v.attempts + 1;
    await trx.updateTable("verifications").set({ attempts }).where("request_id", "=", requestId).execute();
    const triesLeft = Math.max(0, MAX_CODE_ATTEMPTS - attempts);
    if (attempts > MAX_CODE_ATTEMPTS) return { ok: false, reason: "exhausted", triesLeft: 0 } as const;
    if (v.expires_at <= now.toISOString()) return { ok: false, reason: "expired", triesLeft } as const;
    const [salt] = v.code_hash.split(":");
    if (!/^\d{6}$/.test(code) || !safeEqual(hashCode(requestId, code, salt), v.code_hash))
      return { ok: false, reason: triesLeft === 0 ? "exhausted" : "wrong", triesLeft } as const;
    await trx
      .updateTable("verifications")
      .set({ consumed_at: now.toISOString() })
      .where("request_id", "=", requestId)
      .execute();
    return { ok: true } as const;
  });
}
