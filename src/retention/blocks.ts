/**
 * Rows kept and blocked: past their time but required by law (an invoice for
 * the bookkeeping law), or under a `block` rule. The fields kept are blocked:
 * the decision API denies every purpose that uses their categories for the
 * person, until the block ends.
 */
import type { Kysely, Transaction } from "kysely";
import type { PlannedBlock } from "../execution/index.js";
import type { Database } from "../store/index.js";
import type { RetentionContext } from "./model.js";

/** Records planned blocks, one row per identity of the person they are about (or one without). */
export async function recordBlocks(
  db: Kysely<Database> | Transaction<Database>,
  system: string,
  blocks: readonly (PlannedBlock & { identityHashes?: string[] })[],
  meta: { rule: string | null; source: string; now: Date },
): Promise<number> {
  let n = 0;
  for (const b of blocks) {
    // A row already kept for the same reason is not recorded again.
    const known = await db
      .selectFrom("retention_blocks")
      .select("id")
      .where("system", "=", system)
      .where("dataset", "=", b.dataset)
      .where("row_key", "=", b.key)
      .where("reason", "=", b.reason)
      .executeTakeFirst();
    if (known) continue;
    const hashes = b.identityHashes?.length ? b.identityHashes : [null];
    for (const h of hashes) {
      await db
        .insertInto("retention_blocks")
        .values({
          system,
          dataset: b.dataset,
          row_key: b.key,
          identity_hash: h,
          rule: meta.rule,
          reason: b.reason,
          categories: JSON.stringify(b.categories),
          until: b.until,
          source: meta.source,
          created_at: meta.now.toISOString(),
        })
        .execute();
    }
    n++;
  }
  return n;
}

/** Of these row keys, those blocked now. */
export async function blockedKeys(
  ctx: RetentionContext,
  system: string,
  dataset: string,
  keys: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  const now = ctx.clock().toISOString();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await ctx.store.db
      .selectFrom("retention_blocks")
      .select("row_key")
      .where("system", "=", system)
      .where("dataset", "=", dataset)
      .where("row_key", "in", keys.slice(i, i + 500))
      .where((eb) => eb.or([eb("until", "is", null), eb("until", ">", now)]))
      .execute();
    rows.forEach((r) => out.add(r.row_key));
  }
  return out;
}

/** The blocks in force on a person (by identity hash): what the decision API denies. */
export async function blocksOn(
  ctx: Pick<RetentionContext, "store">,
  identityHash: string,
  now: Date,
): Promise<{ categories: string[]; until: string | null; reason: string; rule: string | null }[]> {
  const rows = await ctx.store.db
    .selectFrom("retention_blocks")
    .select(["categories", "until", "reason", "rule"])
    .where("identity_hash", "=", identityHash)
    .where((eb) => eb.or([eb("until", "is", null), eb("until", ">", now.toISOString())]))
    .execute();
  return rows.map((r) => ({
    categories: JSON.parse(r.categories) as string[],
    until: r.until,
    reason: r.reason,
    rule: r.rule,
  }));
}

/** How many rows are blocked now, per system and dataset. */
export async function blockCounts(ctx: RetentionContext): Promise<{ system: string; dataset: string; rows: number }[]> {
  const now = ctx.clock().toISOString();
  const rows = await ctx.store.db
    .selectFrom("retention_blocks")
    .select(["system", "dataset", (eb) => eb.fn.count<number>("row_key").distinct().as("n")])
    .where((eb) => eb.or([eb("until", "is", null), eb("until", ">", now)]))
    .groupBy(["system", "dataset"])
    .execute();
  return rows.map((r) => ({ system: r.system, dataset: r.dataset, rows: Number(r.n) }));
}
