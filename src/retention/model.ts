/** The retention domain's context, errors and shared helpers. */
import { createHash } from "node:crypto";
import {
  parseDuration,
  resolveBindings,
  addDuration,
  type Declaration,
  type ResolvedBinding,
} from "../declaration/index.js";
import { createConnector, type Connector } from "../connectors/index.js";
import { dueQuery } from "../execution/index.js";

export { dueQuery };
import type { Store } from "../store/index.js";

export interface RetentionContext {
  store: Store;
  declaration: () => Declaration;
  env: Record<string, string | undefined>;
  /** Where relative connector paths are resolved. */
  cwd?: string;
  clock: () => Date;
  /** The mail outbox directory (outbox mode), swept by `ownData.outbox`. */
  outboxDir?: string;
  /** Opens a system's connector; by default from the declaration (tests pass their own). */
  connect?: (system: string) => Connector | undefined;
}

/** A retention operation that cannot be done: an unknown rule, a hold without a target. */
export class RetentionError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "INVALID" | "BUSY" | "UNREACHABLE",
    message: string,
  ) {
    super(message);
    this.name = "RetentionError";
  }
}

/** A hold that is placed, but whose system could not be reached to keep its keys from expiring. */
export class HoldIncompleteError extends RetentionError {
  constructor(
    readonly holdId: number,
    message: string,
  ) {
    super("UNREACHABLE", message);
    this.name = "HoldIncompleteError";
  }
}

/** Every rule bound to data in the declaration, optionally only one rule's. */
export function bindingsOf(decl: Declaration, rule?: string): ResolvedBinding[] {
  const all = resolveBindings(decl).bindings;
  if (rule && !decl.retention[rule])
    throw new RetentionError(
      "NOT_FOUND",
      `no retention rule '${rule}' (rules: ${Object.keys(decl.retention).join(", ")})`,
    );
  return rule ? all.filter((b) => b.ruleId === rule) : all;
}

/**
 * The moment before which a binding's clock must have started for a row to be due now; undefined when nothing is due
 * (an obsolescence date not reached or not set).
 */
export async function cutoffOf(
  ctx: RetentionContext,
  b: ResolvedBinding,
  now: Date,
): Promise<{ cutoff?: Date; note?: string }> {
  const period = parseDuration(b.rule.period as string)!;
  if (b.rule.from === "system_obsolescence" && !b.clock.length) {
    const date = await obsolescenceOf(ctx, b.system);
    if (!date) return { note: `${b.system} has no obsolescence date: set it in the declaration or the console` };
    const ends = addDuration(new Date(`${date}T00:00:00Z`), period);
    return ends <= now
      ? { cutoff: new Date(8.64e15) }
      : {
          note:
            `kept until ${ends.toISOString().slice(0, 10)} (${b.rule.period} after ` +
            `${b.system} went out of use on ${date})`,
        };
  }
  return { cutoff: addDuration(now, { amount: -period.amount, unit: period.unit }) };
}

/** A system's obsolescence date: set from the console, else declared. */
export async function obsolescenceOf(ctx: RetentionContext, system: string): Promise<string | undefined> {
  const row = await ctx.store.db
    .selectFrom("system_dates")
    .select("obsolescence")
    .where("system", "=", system)
    .executeTakeFirst();
  return row?.obsolescence ?? ctx.declaration().systems[system]?.obsolescence;
}

/** The period of a rule in milliseconds, roughly (months of 30.44 days): for ages and Redis expiries. */
export function periodMs(period: string): number {
  const d = parseDuration(period)!;
  const day = 86_400_000;
  return d.amount * { hour: day / 24, day, week: 7 * day, month: 30.436875 * day, year: 365.2425 * day }[d.unit];
}

/** A row's fingerprint: what a resumed sweep compares to tell whether its batch was applied. */
export function fingerprint(row: Record<string, unknown>): string {
  return createHash("sha256")
    .update(
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((k) => [k, row[k] ?? null]),
      ),
    )
    .digest("hex")
    .slice(0, 32);
}

/** Opens a system's connector from the context. */
export function connectorFor(ctx: RetentionContext, system: string): Connector {
  const c = ctx.connect
    ? ctx.connect(system)
    : createConnector(system, ctx.declaration().systems[system]?.connector, ctx.env, ctx.cwd);
  if (!c) throw new RetentionError("INVALID", `${system} has no connector`);
  return c;
}
