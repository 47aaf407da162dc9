/** What the governance registers ask of staff now: the counts a console shows with their links. */
import { listAccessRequests } from "./access.js";
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
  legalOpen: number;
}

export async function governanceOverview(ctx: GovernanceContext): Promise<GovernanceOverview> {
  const access = await listAccessRequests(ctx);
  const custody = await listCustody(ctx);
  const incidents = (await listIncidents(ctx)).filter((i) => i.status === "open");
  const clocks = incidents.flatMap((i) => i.clocks.filter((c) => c.countdown));
  const legal = await ctx.store.db.selectFrom("gov_legal_requests").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "in", ["received", "verified", "decided"]).executeTakeFirst();
  return {
    accessAwaiting: access.filter((a) => a.status === "awaiting_approval" || a.status === "awaiting_customer").length,
    grantsInForce: access.filter((a) => a.status === "approved").length,
    custodyOverdue: custody.filter((c) => c.state === "overdue").length,
    custodyDueSoon: custody.filter((c) => c.state === "due_soon").length,
    incidentsOpen: incidents.length,
    clocksOverdue: clocks.filter((c) => c.countdown!.state === "overdue").length,
    clocksDueSoon: clocks.filter((c) => c.countdown!.state === "due_soon").length,
    agreementsExpiring: (await expiringAgreements(ctx)).length,
    legalOpen: Number(legal?.n ?? 0),
  };
}
