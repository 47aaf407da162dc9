/**
 * Sub-processors, when the organization is a processor (GDPR Art 28(2), (4)):
 * the list is published from the declaration; customers subscribe to changes
 * on a declared newsletter list (double opt-in, as any newsletter); a newly
 * published declaration that adds or changes a sub-processor mails the
 * subscribers the change, its effective date and the objection window, with a
 * link that records an objection in the register.
 */
import { createHmac } from "node:crypto";
import { confirmedSubscribers } from "../consent/index.js";
import { addDuration, parseDuration, TRANSFER_MECHANISM_INFO, type Declaration } from "../declaration/index.js";
import { getSecret } from "../store/index.js";
import { audit, GovernanceError, type GovernanceContext } from "./model.js";

export interface SubProcessor {
  id: string;
  name: string;
  purpose: string;
  country: string | null;
  safeguard: string;
}

export interface SubProcessorChange {
  kind: "added" | "removed" | "changed";
  id: string;
  name: string;
  what: string;
}

/**
 * The sub-processors a declaration names: recipients engaged by processor activities, and recipients declared as
 * sub-processors.
 */
export function subProcessorsOf(decl: Declaration): SubProcessor[] {
  const ids = new Set<string>();
  for (const a of Object.values(decl.processorActivities)) for (const r of a.subProcessors) ids.add(r);
  for (const [id, r] of Object.entries(decl.recipients)) if (r.role === "sub_processor") ids.add(id);
  return [...ids]
    .filter((id) => decl.recipients[id])
    .map((id) => {
      const r = decl.recipients[id];
      const activities = Object.values(decl.processorActivities)
        .filter((a) => a.subProcessors.includes(id))
        .map((a) => a.name);
      const mechanisms = r.transfer?.mechanisms.map((m) => TRANSFER_MECHANISM_INFO[m]?.name ?? m) ?? [];
      return {
        id,
        name: r.name,
        purpose: r.description ?? activities.join("; ") ?? "",
        country: r.country ?? null,
        safeguard: mechanisms.length ? mechanisms.join(", ") : "none declared",
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What changed in the list between two declarations. */
export function diffSubProcessors(before: Declaration | undefined, after: Declaration): SubProcessorChange[] {
  const a = new Map((before ? subProcessorsOf(before) : []).map((s) => [s.id, s]));
  const b = new Map(subProcessorsOf(after).map((s) => [s.id, s]));
  const out: SubProcessorChange[] = [];
  for (const [id, s] of b) {
    const old = a.get(id);
    if (!old)
      out.push({
        kind: "added",
        id,
        name: s.name,
        what:
          `${s.name} (${s.country ?? "no single country"}) will process customer data: ` +
          `${s.purpose}; safeguard: ${s.safeguard}`,
      });
    else {
      const diffs = (["name", "purpose", "country", "safeguard"] as const)
        .filter((k) => old[k] !== s[k])
        .map((k) => `${k}: ${old[k] ?? "none"} → ${s[k] ?? "none"}`);
      if (diffs.length) out.push({ kind: "changed", id, name: s.name, what: `${s.name}: ${diffs.join("; ")}` });
    }
  }
  for (const [id, s] of a)
    if (!b.has(id))
      out.push({ kind: "removed", id, name: s.name, what: `${s.name} no longer processes customer data` });
  return out;
}

async function objectionToken(
  ctx: Pick<GovernanceContext, "store" | "env">,
  changeId: number,
  email: string,
): Promise<string> {
  const key = await getSecret(ctx.store, "org_key", ctx.env.PLEDGE_SECRET);
  const mac = createHmac("sha256", key)
    .update(`subprocessor-objection:${changeId}:${email.toLowerCase()}`)
    .digest("base64url")
    .slice(0, 32);
  return `${Buffer.from(email.toLowerCase()).toString("base64url")}.${mac}`;
}

/**
 * After a declaration is published: if its sub-processors differ from the
 * previous version's, records the change once and mails every confirmed
 * subscriber of the declared list. Returns the change's id and how many were
 * mailed, or undefined when nothing changed (or the change was announced).
 */
export async function announceSubProcessorChanges(
  ctx: GovernanceContext,
  previous: Declaration | undefined,
  key: string,
): Promise<{ changeId: number; notified: number; failed: number } | undefined> {
  const decl = ctx.declaration();
  const sp = decl.governance?.subProcessors;
  // Customers subscribe on a list Pledge keeps; an organization that publishes its own list tells them itself.
  if (!sp?.list || !previous) return undefined;
  const list = sp.list;
  const changes = diffSubProcessors(previous, decl);
  if (!changes.length) return undefined;
  const now = ctx.clock();
  const effective =
    decl.effectiveDate > now.toISOString().slice(0, 10) ? decl.effectiveDate : now.toISOString().slice(0, 10);
  const until = addDuration(now, parseDuration(sp.objectionWindow)!).toISOString();
  const inserted = await ctx.store.db
    .insertInto("gov_subprocessor_changes")
    .values({
      version: key,
      previous_version: previous.version,
      changes: JSON.stringify(changes),
      effective_date: effective,
      objection_until: until,
      notified: 0,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column("version").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return undefined;
  const changeId = Number(inserted.id);
  let notified = 0;
  let failed = 0;
  for (const s of await confirmedSubscribers({ store: ctx.store, env: ctx.env, publicUrl: ctx.publicUrl }, list)) {
    const token = await objectionToken(ctx, changeId, s.email);
    try {
      await ctx.mailer.send({
        to: s.email,
        subject: `${decl.organization.name}: changes to our sub-processors`,
        text: [
          `${decl.organization.name} will change the sub-processors that process your data:`,
          "",
          ...changes.map((c) => `- ${c.kind}: ${c.what}`),
          "",
          `Effective: ${effective}`,
          `You may object until ${until.slice(0, 10)} (${sp.objectionWindow}): ` +
            `${ctx.publicUrl}/privacy/subprocessors/object/${changeId}/${token}`,
          `The full list: ${ctx.publicUrl}/privacy/subprocessors`,
          "",
          `Unsubscribe from these notices: ${s.unsubscribeUrl}`,
        ].join("\n"),
        headers: { "List-Unsubscribe": `<${s.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      });
      notified++;
    } catch {
      failed++;
    }
  }
  await ctx.store.db.updateTable("gov_subprocessor_changes").set({ notified }).where("id", "=", changeId).execute();
  await audit(ctx, "system", "subprocessors.announced", `subprocessors:${changeId}`, {
    version: decl.version,
    changes: changes.map((c) => `${c.kind} ${c.id}`),
    notified,
    failed,
  });
  return { changeId, notified, failed };
}

/** The change and subscriber a link is for, checked; throws LINK_INVALID otherwise. */
export async function objectionLink(
  ctx: GovernanceContext,
  changeId: number,
  token: string,
): Promise<{
  email: string;
  change: { id: number; changes: SubProcessorChange[]; effectiveDate: string; objectionUntil: string; open: boolean };
}> {
  const c = await ctx.store.db
    .selectFrom("gov_subprocessor_changes")
    .selectAll()
    .where("id", "=", changeId)
    .executeTakeFirst();
  const [b64] = token.split(".");
  const email = Buffer.from(b64 ?? "", "base64url").toString("utf8");
  if (!c || !email.includes("@") || (await objectionToken(ctx, changeId, email)) !== token)
    throw new GovernanceError("LINK_INVALID", "this objection link is not valid");
  return {
    email,
    change: {
      id: changeId,
      changes: JSON.parse(c.changes) as SubProcessorChange[],
      effectiveDate: c.effective_date,
      objectionUntil: c.objection_until,
      open: Date.parse(c.objection_until) > ctx.clock().getTime(),
    },
  };
}

/** Records a subscriber's objection in the register, against the customer whose contact they are. */
export async function recordObjection(
  ctx: GovernanceContext,
  changeId: number,
  token: string,
  reason: string,
  ip: string | undefined,
): Promise<void> {
  const { email, change } = await objectionLink(ctx, changeId, token);
  if (!change.open)
    throw new GovernanceError("CONFLICT", `the objection window closed on ${change.objectionUntil.slice(0, 10)}`);
  const text = reason.trim();
  if (text.length < 3) throw new GovernanceError("INVALID", "reason: say why you object");
  const customer = await ctx.store.db
    .selectFrom("gov_counterparties")
    .select("account")
    .where("contact_email", "=", email)
    .executeTakeFirst();
  await ctx.store.db
    .insertInto("gov_objections")
    .values({
      change_id: changeId,
      email,
      account: customer?.account ?? null,
      reason: text.slice(0, 4000),
      ip: ip ?? null,
      at: ctx.clock().toISOString(),
    })
    .execute();
  await audit(ctx, `subscriber:${email}`, "subprocessors.objection", `subprocessors:${changeId}`, {
    account: customer?.account ?? null,
  });
}

export interface ChangeView {
  id: number;
  version: string;
  previousVersion: string;
  changes: SubProcessorChange[];
  effectiveDate: string;
  objectionUntil: string;
  notified: number;
  createdAt: string;
  objections: { email: string; account: string | null; reason: string; at: string }[];
}

export async function listSubProcessorChanges(ctx: GovernanceContext): Promise<ChangeView[]> {
  const rows = await ctx.store.db
    .selectFrom("gov_subprocessor_changes")
    .selectAll()
    .orderBy("id", "desc")
    .limit(100)
    .execute();
  const objections = await ctx.store.db.selectFrom("gov_objections").selectAll().orderBy("id").execute();
  return rows.map((r) => ({
    id: Number(r.id),
    version: r.version.split("#")[0],
    previousVersion: r.previous_version,
    changes: JSON.parse(r.changes) as SubProcessorChange[],
    effectiveDate: r.effective_date,
    objectionUntil: r.objection_until,
    notified: r.notified,
    createdAt: r.created_at,
    objections: objections
      .filter((o) => o.change_id === Number(r.id))
      .map((o) => ({ email: o.email, account: o.account, reason: o.reason, at: o.at })),
  }));
}
