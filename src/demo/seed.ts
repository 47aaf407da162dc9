/**
 * The work a fresh demo's console shows, as the README promises it: a correction of a name waiting for review, an
 * objection past its deadline (received by letter five weeks ago, given to the demo owner), and a breach whose
 * clocks run. Made once, on the first start, through the same functions staff use.
 */
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Principal, StaffUser } from "../auth/index.js";
import { registerIncident } from "../governance/index.js";
import { assignRequests, type RequestsContext, submitRequest } from "../requests/index.js";

const DAY = 86_400_000;

/** A demo customer as the shop stores them, so that the requests read as real ones. */
function customer(dir: string, id: number): { name: string; email: string } {
  const db = new BetterSqlite3(join(dir, "shop.db"), { readonly: true });
  try {
    const row = db.prepare("SELECT name, email FROM customers WHERE id = ?").get(id) as
      | { name: string; email: string }
      | undefined;
    return { name: row?.name ?? "Jon Rask", email: (row?.email ?? "jon.rask@example.net").toLowerCase() };
  } finally {
    db.close();
  }
}

export async function seedDemoWork(ctx: RequestsContext, owner: StaffUser, dir = ".pledge/demo"): Promise<void> {
  const by: Principal = { user: owner, via: "token" };
  const third = customer(dir, 3);
  const fourth = customer(dir, 4);
  const married = `${third.name.split(" ")[0]} Lindqvist`;
  const now = ctx.clock().getTime();
  await submitRequest(
    ctx,
    {
      right: "rectification",
      identityType: "account_id",
      identity: "3",
      name: married,
      contactEmail: third.email,
      // Married since the account was opened: the name changes everywhere but on issued invoices.
      corrections: { "user.name": married },
      purposes: [],
    },
    {
      entered: {
        by,
        channel: "email",
        receivedAt: new Date(now - 2 * DAY),
        verified: "Mailed from the address on the account; the order number given matches",
      },
    },
  );
  const late = await submitRequest(
    ctx,
    {
      right: "objection",
      identityType: "account_id",
      identity: "4",
      name: fourth.name,
      contactEmail: fourth.email,
      corrections: {},
      purposes: ["fraud_prevention"],
    },
    {
      entered: {
        by,
        channel: "letter",
        receivedAt: new Date(now - 35 * DAY),
        verified: "Signed letter; the signature and address match the account",
      },
    },
  );
  await assignRequests(ctx, [late.requestId], owner.email, by);
  await registerIncident(
    ctx,
    {
      title: "Support mailbox forwarded to a former agency",
      occurredAt: new Date(now - 2 * DAY).toISOString(),
      awareAt: new Date(now - 30 * 3_600_000).toISOString(),
      nature: ["confidentiality"],
      datasets: ["support.tickets"],
      people: 140,
      records: 310,
      jurisdictions: ["EU"],
      risk: "risk",
      riskReasoning: "Names, emails and ticket text of 140 customers; no payment data; the agency confirmed deletion",
      measures: "Forwarding rule removed; the agency's deletion confirmed in writing",
    },
    { email: owner.email, role: owner.role },
  );
}
