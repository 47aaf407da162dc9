/**
 * The consent-decision API's logic: may this purpose be carried out for this
 * person or device now? Contract and legal obligation are allowed unless the
 * person restricted processing; consent needs a valid, unexpired record; an
 * objection or a marketing opt-out denies. Restrictions and objections made by
 * rights requests count. Answers are cached; writes invalidate them.
 */
import {
  basesOf,
  categoriesOf,
  categoryWithin,
  objectionKind,
  own,
  sensitiveAmong,
  type Declaration,
} from "../declaration/index.js";
import { identityHash, subjectFlags } from "../requests/index.js";
import { blocksOn } from "../retention/index.js";
import type { Store } from "../store/index.js";
import { currentState } from "./records.js";

export interface Decision {
  subject: string;
  purpose: string;
  decision: "allow" | "deny";
  reason: string;
}

export class DecisionCache {
  private entries = new Map<string, { value: Decision; until: number }>();
  constructor(
    /** How long an answer may be served from memory; other servers' writes are seen after this at the latest. */
    readonly ttlMs = 1000,
    private max = 50_000,
  ) {}
  get(key: string, now: number): Decision | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until < now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }
  set(key: string, value: Decision, now: number): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until: now + this.ttlMs });
  }
  /** Drops every cached answer about a subject or device (after a write). */
  invalidate(subject: string): void {
    const prefix = `${subject}\u0000`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

export interface DecisionContext {
  store: Store;
  declaration: () => Declaration;
  env: Record<string, string | undefined>;
  cache: DecisionCache;
  clock: () => Date;
}

const MARKETING = /marketing|advertis|newsletter|sales/i;

/**
 * Decides one purpose for one subject. `subject` is a person's id (an email by
 * default; `subjectType` names another identity type) or `device:<id>`.
 */
export async function decide(
  ctx: DecisionContext,
  subject: string,
  purpose: string,
  subjectType = "email",
): Promise<Decision> {
  const now = ctx.clock();
  const key = `${subject}\u0000${purpose}\u0000${subjectType}`;
  const hit = ctx.cache.get(key, now.getTime());
  if (hit) return hit;
  const decision = await decideUncached(ctx, subject, purpose, subjectType, now);
  ctx.cache.set(key, decision, now.getTime());
  return decision;
}

async function decideUncached(
  ctx: DecisionContext,
  subject: string,
  purpose: string,
  subjectType: string,
  now: Date,
): Promise<Decision> {
  const decl = ctx.declaration();
  const p = own(decl.purposes, purpose);
  const out = (decision: "allow" | "deny", reason: string): Decision => ({ subject, purpose, decision, reason });
  if (!p) return out("deny", `unknown purpose '${purpose}'`);
  const device = subject.startsWith("device:") ? subject.slice(7) : undefined;
  const flags = device ? [] : await subjectFlags(ctx, subjectType, subject);
  if (flags.some((f) => f.kind === "restricted"))
    return out("deny", "processing is restricted at the person's request (GDPR Art 18)");
  // Data kept past its time only because a law requires it is blocked: no processing of it for any other purpose.
  if (!device) {
    const blocks = await blocksOn(ctx, await identityHash(ctx, subjectType, subject), now);
    const hit = blocks.find((b) =>
      b.categories.some((c) => p.dataCategories.some((pc) => categoryWithin(c, pc) || categoryWithin(pc, c))),
    );
    if (hit)
      return out(
        "deny",
        `the person's data this purpose uses is kept only because ${hit.reason}, and ` +
          `blocked${hit.until ? ` until ${hit.until.slice(0, 10)}` : ""} (GDPR Art ` +
          `17(3)(b), 18)`,
      );
  }
  // An objection reaches only purposes that can be objected to: never invoicing on a legal obligation.
  if (objectionKind(p) && flags.some((f) => f.kind === "objection" && (f.purpose === null || f.purpose === purpose)))
    return out("deny", "the person objected to this purpose (GDPR Art 21)");
  if (flags.some((f) => f.kind === "consent_withdrawn" && (f.purpose === null || f.purpose === purpose)))
    return out("deny", "the person withdrew consent through a rights request (GDPR Art 7(3))");
  if ((p.sold || p.shared) && flags.some((f) => f.kind === "opt_out_sale"))
    return out("deny", "the person opted out of the sale or sharing of their data (Cal. Civ. Code 1798.120)");
  if (p.targetedAdvertising && flags.some((f) => f.kind === "opt_out_targeted_advertising"))
    return out("deny", "the person opted out of targeted advertising (Va. Code § 59.1-577(A)(5))");
  if (p.profiling && flags.some((f) => f.kind === "opt_out_profiling"))
    return out("deny", "the person opted out of profiling with significant effects (Va. Code § 59.1-577(A)(5))");
  // A limit of sensitive data leaves only the uses § 7027(m) allows: providing what the person asked for, security, the
  // law.
  if (
    flags.some((f) => f.kind === "limit_sensitive") &&
    usesSensitive(decl, p.dataCategories) &&
    !basesOf(p).some((b) => b.basis === "contract" || b.basis === "legal_obligation" || b.basis === "vital_interests")
  ) {
    return out("deny", "the person limited the use of their sensitive personal information (Cal. Civ. Code 1798.121)");
  }
  const state = (await currentState(ctx.store, device ? { deviceId: device } : { subjectId: subject }, now))[purpose];
  // With several bases, the one that does not need consent decides (a purpose on contract for customers and consent for
  // prospects cannot tell them apart here).
  const bases = basesOf(p).map((b) => b.basis);
  const basis = bases.find((b) => b !== "consent") ?? bases[0];
  if (
    state &&
    state.state !== "given" &&
    MARKETING.test(`${purpose} ${p.name} ${p.dpv ?? ""}`) &&
    basis !== "consent"
  ) {
    return out("deny", `marketing opt-out (${state.state} ${state.at.slice(0, 10)}, ${state.method})`);
  }
  switch (basis) {
    case "contract":
    case "legal_obligation":
    case "vital_interests":
    case "public_task":
      return out("allow", `legal basis: ${basis.replace("_", " ")}`);
    case "legitimate_interests":
      return out(
        "allow",
        `legal basis: legitimate interests (${p.legitimateInterest ?? "stated"}); no objection recorded`,
      );
    case "consent": {
      const list = Object.entries(decl.consent?.newsletters ?? {}).find(([, n]) => n.purpose === purpose)?.[0];
      if (list && !device) {
        const sub = await ctx.store.db
          .selectFrom("newsletter_subscriptions")
          .select(["status", "confirmed_at", "unsubscribed_at"])
          .where("list", "=", list)
          .where("email", "=", subject.toLowerCase())
          .orderBy("id", "desc")
          .executeTakeFirst();
        if (sub?.status === "confirmed")
          return out("allow", `subscribed to ${list} with double opt-in, confirmed ${sub.confirmed_at?.slice(0, 10)}`);
        if (sub?.status === "unsubscribed")
          return out("deny", `unsubscribed from ${list} ${sub.unsubscribed_at?.slice(0, 10)}`);
        if (sub) return out("deny", `the ${list} sign-up is ${sub.status} (not confirmed)`);
      }
      if (!state) return out("deny", "no consent recorded");
      if (state.state === "given")
        return out(
          "allow",
          `consent given ${state.at.slice(0, 10)} (${state.method}, record ` +
            `${state.recordId}), valid until ${state.validUntil.slice(0, 10)}`,
        );
      return out("deny", `consent ${state.state} (${state.method}, record ${state.recordId})`);
    }
    default:
      return out("deny", "the purpose states no legal basis");
  }
}

/** Whether a purpose's categories include CCPA sensitive personal information. */
function usesSensitive(decl: Declaration, categories: readonly string[]): boolean {
  return sensitiveAmong(categories, categoriesOf(decl)).length > 0;
}
