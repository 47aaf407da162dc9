/** What the governance registers ask of staff now: the counts a console shows with their links. */
import { expiringAgreements } from "./agreements.js";
import { listIncidents } from "./breaches.js";
import { listCustody } from "./custody.js";
import type { GovernanceContext } from "./model.js";

export interface GovernanceOverview {
  accessAwaiting: number;
  grantsInForce: number;
  custodyOverdue: number;
  custodyDueSoon: number;
  incidentsOpen: number;
  clocksOverdue: number;
  clocksDueSoon: number;
  agreementsExpiring: number;
  /** Requests from authorities open: for the console only, since gagged ones are among them. */
  legalOpen: number;
  /**
   * Open requests from authorities that may be counted outside the console: none under a running gag, and no national
   * security letter, whose count the law allows published only as a band (50 U.S.C. 1874(a)).
   */
  legalOpenUngagged: number;
}

/** Counted in the store, not from the first page of each list: a long register never hides what is waiting. */
export async function governanceOverview(ctx: GovernanceContext): Promise<GovernanceOverview> {
  const db = ctx.store.db;
  const now = ctx.clock().toISOString();
  const count = async (q: { executeTakeFirst(): Promise<{ n: unknown } | undefined> }) =>
    Number((await q.executeTakeFirst())?.n ?? 0);
  const custody = (await listCustody(ctx, { destroyed: 0 })).filter((c) => !c.doneAt);
  const incidents = await listIncidents(ctx, { openOnly: true });
  const clocks = incidents.flatMap((i) => i.clocks.filter((c) => c.countdown));
  return {
    accessAwaiting: await count(
      db
        .selectFrom("gov_access_requests")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "in", ["awaiting_approval", "awaiting_customer"])
        .where("ends_at", ">", now),
    ),
    grantsInForce: await count(
      db
        .selectFrom("gov_access_requests")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "=", "approved")
        .where("starts_at", "<=", now)
        .where("ends_at", ">", now),
    ),
    custodyOverdue: custody.filter((c) => c.state === "overdue").length,
    custodyDueSoon: custody.filter((c) => c.state === "due_soon").length,
    incidentsOpen: incidents.length,
    clocksOverdue: clocks.filter((c) => c.countdown!.state === "overdue").length,
    clocksDueSoon: clocks.filter((c) => c.countdown!.state === "due_soon").length,
    agreementsExpiring: (await expiringAgreements(ctx)).length,
    legalOpen: await count(
      db
        .selectFrom("gov_legal_requests")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "in", ["received", "verified", "decided"]),
    ),
    legalOpenUngagged: await count(
      db
        .selectFrom("gov_legal_requests")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "in", ["received", "verified", "decided"])
        .where("instrument", "!=", "national_security_letter")
        .where((eb) => eb.or([eb("gag_until", "is", null), eb("gag_until", "<=", now)])),
    ),
  };
}
