/**
 * The breach register. An incident records what happened and when the
 * organization became aware, which starts the clocks of every regime that
 * applies (from the law table, `BREACH_CLOCKS`); each clock is a task with a
 * countdown until it is marked done. From the record Pledge drafts the
 * authority's notification (GDPR Art 33(3)), the letter to the people
 * affected (Art 34(2)) and the controllers' notice, and computes who was
 * affected through the connectors. Every breach is documented, notified or
 * not (Art 33(5)).
 */
import { z } from "zod";
import { createConnector, type Connector, type Row, type Value } from "../connectors/index.js";
import {
  addDeadline,
  BREACH_CLOCKS,
  PLACE_BREACH_REGIMES,
  categoriesOf,
  categoryName,
  normalizeIdentity,
  regimeFor,
  regimesOf,
  type BreachClock,
  type Declaration,
} from "../declaration/index.js";
import { datasetTarget, graphOf, rowKey, rowKeyFields } from "../execution/index.js";
import {
  parseWith,
  textList,
  actorOf,
  audit,
  countdown,
  GovernanceError,
  isoOf,
  type Actor,
  type GovernanceContext,
} from "./model.js";
import { hasRole } from "../auth/index.js";
import { toCsv } from "../csv/index.js";

export const NATURES = ["confidentiality", "integrity", "availability"] as const;
export const RISKS = ["none", "risk", "high"] as const;
export const RISK_LABELS: Record<(typeof RISKS)[number], string> = {
  none: "Unlikely to result in a risk",
  risk: "A risk to people",
  high: "A high risk to people",
};

export const IncidentInput = z.strictObject({
  title: z.string().trim().min(3).max(300),
  occurredAt: z.string().min(4).max(40),
  awareAt: z.string().min(4).max(40),
  nature: z
    .union([z.enum(NATURES), z.array(z.enum(NATURES))])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.enum(NATURES)).min(1, "choose at least one: confidentiality, integrity, availability")),
  /** `system.dataset` of the declaration. */
  datasets: textList(100),
  people: z.coerce.number().int().min(0).max(1e10).optional(),
  records: z.coerce.number().int().min(0).max(1e12).optional(),
  jurisdictions: textList(30),
  encrypted: z
    .union([z.boolean(), z.enum(["on", "true", "false"])])
    .optional()
    .transform((v) => v === true || v === "on" || v === "true"),
  risk: z.enum(RISKS),
  riskReasoning: z.string().trim().min(3, "give the reasoning behind the risk").max(4000),
  consequences: z.string().trim().max(4000).optional(),
  measures: z.string().trim().max(4000).optional(),
  description: z.string().trim().max(8000).optional(),
});
export type IncidentInput = z.input<typeof IncidentInput>;

interface Details {
  nature: (typeof NATURES)[number][];
  datasets: string[];
  categories: string[];
  people: number | null;
  records: number | null;
  jurisdictions: string[];
  encrypted: boolean;
  risk: (typeof RISKS)[number];
  riskReasoning: string;
  consequences: string;
  measures: string;
  description: string;
}

export interface Affected {
  datasets: string[];
  field: string;
  from: string;
  to: string;
  rows: number;
  people: number;
  byJurisdiction: Record<string, number>;
  withoutEmail: number;
  notReached: { dataset: string; why: string }[];
  computedAt: string;
  computedBy: string;
}

export interface IncidentClock {
  key: string;
  regime: BreachClock["regime"];
  notify: BreachClock["notify"];
  /** Who exactly is told, where the law names them. */
  to?: string;
  /** The place whose law sets the clock (`US-TX`), for a law of residence. */
  jurisdiction?: string;
  /** The law table's row has not been re-read in the statute (docs/law.md). */
  check?: boolean;
  cite: string;
  when: string;
  condition?: string;
  /** The deadline, where the law gives a fixed clock. */
  dueAt: string | null;
  /** Whether the duty arises on what the record says: `check` where a count or a fact decides. */
  applies: "yes" | "no" | "check";
  why: string;
  done?: { at: string; by: string; note: string };
  countdown?: ReturnType<typeof countdown>;
}

export interface IncidentView extends Details {
  id: number;
  reference: string;
  title: string;
  occurredAt: string;
  awareAt: string;
  status: "open" | "closed";
  clocks: IncidentClock[];
  affected: Affected | null;
  /** Addresses on the mailing list, while the letter to the people needs it. */
  mailingList: number;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  /** When the register may drop the record: the longest period of the regimes that set one. */
  keepUntil: string | null;
}

const rowOf = (ctx: GovernanceContext, id: number) =>
  ctx.store.db.selectFrom("gov_incidents").selectAll().where("id", "=", id).executeTakeFirst();
type IncidentRow = NonNullable<Awaited<ReturnType<typeof rowOf>>>;

/** The datasets' data categories, from the declaration's fields. */
function categoriesOfDatasets(decl: Declaration, datasets: string[]): string[] {
  const out = new Set<string>();
  for (const key of datasets) {
    const [sid, did] = key.split(".");
    for (const f of Object.values(decl.systems[sid]?.datasets[did]?.fields ?? {})) if (f.category) out.add(f.category);
  }
  return [...out].sort();
}

const isUs = (j: string) => j === "US" || j.startsWith("US-");

/** How many of the incident's people live in a place: computed, or the declared count when it is the only place. */
function peopleIn(
  d: { people: number | null; jurisdictions: string[]; affectedBy?: Record<string, number> },
  j: string,
) {
  if (d.affectedBy) return d.affectedBy[j] ?? 0;
  if (d.jurisdictions.length === 1 && d.jurisdictions[0] === j && d.people !== null) return d.people;
  return undefined;
}

/**
 * The clocks of the incident: every declared regime the incident's places bring in, every sector rule declared, and the
 * breach law of every place its people live (US states, DC, the territories, the countries Pledge knows), with whether
 * each duty arises on what the record says.
 */
export function incidentClocks(
  decl: Declaration,
  d: Details & {
    awareAt: string;
    notified: Record<string, { at: string; by: string; note: string }>;
    affectedBy?: Record<string, number>;
  },
  now: Date,
): IncidentClock[] {
  const declared: readonly string[] = decl.governance?.breach?.regimes ?? [];
  const places = new Set([...d.jurisdictions, ...Object.keys(d.affectedBy ?? {})]);
  const inPlay = new Set<string>();
  for (const j of places) {
    const r = regimeFor(j);
    if (r) inPlay.add(r);
    if (isUs(j)) inPlay.add("hipaa");
  }
  // A national law the organization serves (its jurisdictions) applies to its people who live there, named or not.
  const served = new Set<string>(regimesOf(decl.organization.jurisdictions));
  const includes = (c: BreachClock) => {
    const lives = !!c.jurisdictions?.some((j) => places.has(j));
    if (PLACE_BREACH_REGIMES.has(c.regime))
      return (
        (declared.includes(c.regime) && (!places.size || inPlay.has(c.regime))) ||
        lives ||
        (c.regime !== "hipaa" && served.has(c.regime) && inPlay.has(c.regime))
      );
    return c.jurisdictions ? lives : declared.includes(c.regime);
  };
  const processor = decl.organization.roles.includes("processor");
  const aware = new Date(d.awareAt);
  const out: IncidentClock[] = [];
  const after: { clock: IncidentClock; rule: BreachClock }[] = [];
  for (const c of BREACH_CLOCKS) {
    if (!includes(c)) continue;
    if ((c.notify === "controller" || c.notify === "covered_entity") && !processor) continue;
    let [applies, why] = arises(c, d);
    let within = c.within;
    let when = c.when;
    if (c.notify === "controller" && c.regime === "gdpr" && decl.governance?.breach?.controllerNoticeHours) {
      within = { amount: decl.governance.breach.controllerNoticeHours, unit: "hours" };
      when = `within ${within.amount} hours, as the DPAs with the controllers require`;
    }
    if (c.threshold && applies !== "no") {
      const j = c.jurisdictions?.[0];
      const n = j ? peopleIn(d, j) : (d.people ?? undefined);
      if (n === undefined) [applies, why] = ["check", `count the people${j ? ` living in ${j}` : ""}: ${c.condition}`];
      else if (n < c.threshold)
        [applies, why] = ["no", `${n} ${j ? `people in ${j}` : "people"}, under the threshold of ${c.threshold}`];
      else why = `${n} ${j ? `people in ${j}` : "people"}: ${c.condition}`;
    }
    const key = `${c.regime}:${c.notify}`;
    const holidays = c.holidays ?? c.jurisdictions?.[0];
    const dueAt = within && !c.after ? addDeadline(aware, within, holidays).toISOString() : null;
    const done = d.notified[key];
    const clock: IncidentClock = {
      key,
      regime: c.regime,
      notify: c.notify,
      ...(c.to ? { to: c.to } : {}),
      ...(c.jurisdictions ? { jurisdiction: c.jurisdictions[0] } : {}),
      cite: c.cite,
      when,
      ...(c.condition ? { condition: c.condition } : {}),
      dueAt,
      applies,
      why,
      ...(c.check ? { check: true } : {}),
      ...(done ? { done } : {}),
    };
    if (c.after && within) after.push({ clock, rule: { ...c, within } });
    out.push(clock);
  }
  // A clock that runs from another notice of the same law: from when it was sent, else from its own deadline.
  for (const { clock, rule } of after) {
    const first = out.find((x) => x.regime === rule.regime && x.notify === rule.after);
    const from = first?.done?.at ?? first?.dueAt;
    if (from) clock.dueAt = addDeadline(new Date(from), rule.within!, clock.jurisdiction).toISOString();
  }
  for (const clock of out)
    if (clock.dueAt && !clock.done && clock.applies !== "no")
      clock.countdown = countdown(new Date(clock.dueAt), now, Date.parse(clock.dueAt) - aware.getTime());
  return out;
}

/** Whether a clock's duty arises on what the record says, and why. */
function arises(
  c: BreachClock,
  d: Details & { affectedBy?: Record<string, number> },
): [IncidentClock["applies"], string] {
  const people = d.people ?? 0;
  const why = c.condition ?? "always";
  if (c.regime === "hipaa") {
    if (d.encrypted)
      return ["no", "the data was encrypted: secured PHI is not a breach of unsecured PHI (45 CFR 164.402)"];
    if (c.notify === "media") {
      // 45 CFR 164.406: more than 500 residents of one state; once the people are counted, their states decide.
      const states = Object.entries(d.affectedBy ?? {}).filter(([j, n]) => /^US-[A-Z]{2}$/.test(j) && n > 500);
      if (d.affectedBy)
        return states.length
          ? ["yes", `more than 500 residents of ${states.map(([j, n]) => `${j} (${n})`).join(", ")}`]
          : ["no", "no state has more than 500 of the people affected"];
      return people > 500
        ? ["check", "count the residents of each state: over 500 in one state brings in the media"]
        : ["no", "500 or fewer people affected"];
    }
    if (c.notify === "authority")
      return people >= 500
        ? ["yes", "500 or more people: HHS is told with the people"]
        : ["yes", "under 500 people: in the annual log to HHS within 60 days of the year's end"];
    return ["yes", why];
  }
  // A US state's law (California's included): encrypted data is exempt unless the key was taken too.
  if (c.jurisdictions?.some(isUs) && (c.notify === "individuals" || c.notify === "authority") && d.encrypted)
    return ["no", "the data was encrypted: exempt unless the key was also taken"];
  if (c.riskBased)
    return d.risk === "high"
      ? ["yes", why]
      : d.risk === "risk"
        ? ["check", why]
        : ["no", "assessed as no risk of harm"];
  if (c.notify === "authority" && d.risk === "none" && ["gdpr", "uk_gdpr", "lgpd"].includes(c.regime))
    return ["no", "assessed as unlikely to result in a risk to people: documented only (GDPR Art 33(5))"];
  if (c.notify === "individuals" && (c.regime === "gdpr" || c.regime === "uk_gdpr")) {
    if (d.risk !== "high") return ["no", "not assessed as a high risk (Art 34(1))"];
    if (d.encrypted)
      return [
        "check",
        "a high risk, but the data was encrypted: not required if it is unintelligible to anyone not authorised " +
          "(Art 34(3)(a))",
      ];
  }
  if (c.notify === "individuals" && c.regime === "lgpd")
    return d.risk === "high" ? ["yes", why] : d.risk === "risk" ? ["check", why] : ["no", "no relevant risk or damage"];
  return ["yes", why];
}

function view(ctx: GovernanceContext, r: IncidentRow, mailingList: number): IncidentView {
  const d = JSON.parse(r.details) as Details;
  const notified = JSON.parse(r.notified) as Record<string, { at: string; by: string; note: string }>;
  const affected = r.affected ? (JSON.parse(r.affected) as Affected) : null;
  const decl = ctx.declaration();
  const regimes = decl.governance?.breach?.regimes ?? [];
  // ANPD Resolution 15/2024 Art 10: the register is kept 5 years; PIPEDA Breach Regulations s 6: 24 months.
  const months = [...(regimes.includes("lgpd") ? [60] : []), ...(regimes.includes("pipeda") ? [24] : [])];
  const keepUntil = months.length
    ? addDeadline(new Date(r.closed_at ?? r.created_at), { amount: Math.max(...months), unit: "months" }).toISOString()
    : null;
  return {
    ...d,
    id: Number(r.id),
    reference: r.reference,
    title: r.title,
    occurredAt: r.occurred_at,
    awareAt: r.aware_at,
    status: r.status as "open" | "closed",
    clocks: incidentClocks(
      decl,
      {
        ...d,
        awareAt: r.aware_at,
        notified,
        ...(affected ? { people: affected.people, affectedBy: affected.byJurisdiction } : {}),
      },
      ctx.clock(),
    ),
    affected,
    mailingList,
    createdBy: r.created_by,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    keepUntil,
  };
}

function details(ctx: GovernanceContext, v: z.output<typeof IncidentInput>): Details {
  const decl = ctx.declaration();
  for (const key of v.datasets) {
    const [sid, did] = key.split(".");
    if (!decl.systems[sid]?.datasets[did])
      throw new GovernanceError("INVALID", `datasets: '${key}' is not a system.dataset of the declaration`);
  }
  return {
    nature: v.nature,
    datasets: v.datasets,
    categories: categoriesOfDatasets(decl, v.datasets),
    people: v.people ?? null,
    records: v.records ?? null,
    jurisdictions: v.jurisdictions,
    encrypted: v.encrypted,
    risk: v.risk,
    riskReasoning: v.riskReasoning,
    consequences: v.consequences ?? "",
    measures: v.measures ?? "",
    description: v.description ?? "",
  };
}

const officer = (a: Actor, what: string) => {
  if (!hasRole(a.role, "officer")) throw new GovernanceError("FORBIDDEN", `${what} needs the officer role`);
};

/** Registers an incident; its clocks run from `awareAt`. */
export async function registerIncident(
  ctx: GovernanceContext,
  input: IncidentInput,
  actor: Actor,
): Promise<IncidentView> {
  officer(actor, "registering an incident");
  const v = parseWith(IncidentInput, input);
  const occurred = isoOf(v.occurredAt, "occurredAt");
  const aware = isoOf(v.awareAt, "awareAt");
  if (aware < occurred)
    throw new GovernanceError("INVALID", "awareAt: the organization cannot become aware before the breach happened");
  if (Date.parse(aware) > ctx.clock().getTime() + 60_000)
    throw new GovernanceError("INVALID", "awareAt: in the future");
  const now = ctx.clock().toISOString();
  const year = now.slice(0, 4);
  const n = await ctx.store.db
    .selectFrom("gov_incidents")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("created_at", ">=", `${year}-01-01`)
    .executeTakeFirst();
  const reference = `INC-${year}-${String(Number(n?.n ?? 0) + 1).padStart(3, "0")}`;
  const r = await ctx.store.db
    .insertInto("gov_incidents")
    .values({
      reference,
      title: v.title,
      occurred_at: occurred,
      aware_at: aware,
      status: "open",
      details: JSON.stringify(details(ctx, v)),
      notified: "{}",
      created_by: actorOf(actor),
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(ctx, actorOf(actor), "incident.registered", `incident:${r.id}`, {
    reference,
    awareAt: aware,
    risk: v.risk,
    datasets: v.datasets,
  });
  return getIncident(ctx, Number(r.id));
}

/**
 * Updates the assessment (risk, numbers, measures) as the investigation goes; the clocks keep counting from awareness.
 */
export async function updateIncident(
  ctx: GovernanceContext,
  id: number,
  input: Omit<IncidentInput, "awareAt"> & { awareAt?: string },
  actor: Actor,
): Promise<IncidentView> {
  officer(actor, "updating an incident");
  const r = await requireIncident(ctx, id);
  const v = parseWith(IncidentInput, { ...input, awareAt: input.awareAt ?? r.aware_at });
  // A form shows awareness to the minute: the same minute is the same moment.
  if (Math.abs(Date.parse(isoOf(v.awareAt, "awareAt")) - Date.parse(r.aware_at)) >= 60_000)
    throw new GovernanceError(
      "INVALID",
      "awareAt: the moment of awareness starts the clocks and cannot be moved; note the correction instead",
    );
  await ctx.store.db
    .updateTable("gov_incidents")
    .set({ title: v.title, occurred_at: isoOf(v.occurredAt, "occurredAt"), details: JSON.stringify(details(ctx, v)) })
    .where("id", "=", id)
    .execute();
  await audit(ctx, actorOf(actor), "incident.updated", `incident:${id}`, { risk: v.risk });
  return getIncident(ctx, id);
}

async function requireIncident(ctx: GovernanceContext, id: number): Promise<IncidentRow> {
  const r = await rowOf(ctx, id);
  if (!r) throw new GovernanceError("NOT_FOUND", `no incident ${id}`);
  return r;
}

export async function getIncident(ctx: GovernanceContext, id: number): Promise<IncidentView> {
  const r = await requireIncident(ctx, id);
  const m = await ctx.store.db
    .selectFrom("gov_incident_recipients")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("incident_id", "=", id)
    .executeTakeFirst();
  return view(ctx, r, Number(m?.n ?? 0));
}

/** Every open incident, then the latest closed ones; newest first within each. */
export async function listIncidents(
  ctx: GovernanceContext,
  options: { closed?: number; openOnly?: boolean } = {},
): Promise<IncidentView[]> {
  const open = await ctx.store.db
    .selectFrom("gov_incidents")
    .selectAll()
    .where("status", "=", "open")
    .orderBy("aware_at", "desc")
    .execute();
  const closed = options.openOnly
    ? []
    : await ctx.store.db
        .selectFrom("gov_incidents")
        .selectAll()
        .where("status", "!=", "open")
        .orderBy("aware_at", "desc")
        .limit(options.closed ?? 200)
        .execute();
  const rows = [...open, ...closed];
  const counts = await ctx.store.db
    .selectFrom("gov_incident_recipients")
    .select(["incident_id", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("incident_id")
    .execute();
  return rows.map((r) => view(ctx, r, Number(counts.find((c) => c.incident_id === Number(r.id))?.n ?? 0)));
}

/** Marks a clock's notification done; once every letter to people is sent, the mailing list is deleted. */
export async function markNotified(
  ctx: GovernanceContext,
  id: number,
  key: string,
  note: string,
  actor: Actor,
): Promise<IncidentView> {
  officer(actor, "recording a notification");
  const r = await requireIncident(ctx, id);
  const v = view(ctx, r, 0);
  if (!v.clocks.some((c) => c.key === key))
    throw new GovernanceError(
      "INVALID",
      `no clock '${key}' on incident ${id} (${v.clocks.map((c) => c.key).join(", ")})`,
    );
  const notified = {
    ...(JSON.parse(r.notified) as Record<string, unknown>),
    [key]: { at: ctx.clock().toISOString(), by: actorOf(actor), note: note.trim() },
  };
  await ctx.store.db
    .updateTable("gov_incidents")
    .set({ notified: JSON.stringify(notified) })
    .where("id", "=", id)
    .execute();
  await audit(ctx, actorOf(actor), "incident.notified", `incident:${id}`, { clock: key, note: note.trim() });
  const after = await getIncident(ctx, id);
  const letters = after.clocks.filter((c) => c.notify === "individuals" && c.applies !== "no");
  if (letters.length && letters.every((c) => c.done))
    await dropMailingList(ctx, id, "every letter to the people affected is sent");
  return getIncident(ctx, id);
}

async function dropMailingList(ctx: GovernanceContext, id: number, why: string): Promise<void> {
  const n = await ctx.store.db.deleteFrom("gov_incident_recipients").where("incident_id", "=", id).executeTakeFirst();
  if (Number(n.numDeletedRows)) {
    await ctx.store.scrub();
    await audit(ctx, "system", "incident.mailing_list_deleted", `incident:${id}`, {
      addresses: Number(n.numDeletedRows),
      why,
    });
  }
}

/** Closes the incident: its mailing list goes; the record stays for the register's period. */
export async function closeIncident(
  ctx: GovernanceContext,
  id: number,
  note: string,
  actor: Actor,
): Promise<IncidentView> {
  officer(actor, "closing an incident");
  const r = await requireIncident(ctx, id);
  if (r.status === "closed") throw new GovernanceError("CONFLICT", `incident ${id} is closed`);
  const open = view(ctx, r, 0).clocks.filter((c) => c.applies === "yes" && !c.done);
  if (open.length && note.trim().length < 10)
    throw new GovernanceError(
      "INVALID",
      `note: ${open.map((c) => c.key).join(", ")} ${open.length > 1 ? "are" : "is"} ` +
        `not marked done; say why the incident closes anyway`,
    );
  await ctx.store.db
    .updateTable("gov_incidents")
    .set({ status: "closed", closed_at: ctx.clock().toISOString() })
    .where("id", "=", id)
    .execute();
  await dropMailingList(ctx, id, "the incident is closed");
  await audit(ctx, actorOf(actor), "incident.closed", `incident:${id}`, {
    note: note.trim(),
    open: open.map((c) => c.key),
  });
  return getIncident(ctx, id);
}

// --- drafts --------------------------------------------------------------------------

export interface Drafts {
  authority: string;
  individuals: string;
  controllers: string | null;
}

const fmt = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** Drafts of the notifications, for a person to edit and send. */
export function draftNotifications(decl: Declaration, i: IncidentView, now: Date = new Date()): Drafts {
  const org = decl.organization;
  const contactParty = org.dpo ?? org.contact;
  const contact =
    decl.governance?.breach?.contact ??
    [org.dpo ? "Data protection officer" : "Privacy contact", contactParty.name, contactParty.email, contactParty.phone]
      .filter(Boolean)
      .join(", ");
  const cats = categoriesOf(decl);
  const categories = i.categories.map((c) => categoryName(c, cats)).join(", ") || "not yet determined";
  const people = i.affected?.people ?? i.people;
  const records = i.affected?.rows ?? i.records;
  const approx = (n: number | null | undefined, what: string) =>
    n === null || n === undefined
      ? `the number of ${what} is not yet known`
      : `approximately ${n.toLocaleString("en")} ${what}`;
  const authorityClock = i.clocks.find(
    (c) => c.notify === "authority" && (c.regime === "gdpr" || c.regime === "uk_gdpr"),
  );
  const late = authorityClock?.dueAt && Date.parse(authorityClock.dueAt) < now.getTime() && !authorityClock.done;
  const authority = [
    `Personal data breach notification — ${org.name} — ${i.reference}`,
    "",
    `Controller: ${org.name}${org.contact.address ? `, ${org.contact.address}` : ""}`,
    `Became aware: ${fmt(i.awareAt)}; the breach occurred: ${fmt(i.occurredAt)}.`,
    "",
    "(a) Nature of the breach (Art 33(3)(a))",
    `${i.title}. A breach of ${i.nature.join(", ")}.${i.description ? ` ${i.description}` : ""}`,
    `Categories of personal data: ${categories}.`,
    `Categories and approximate number of people concerned: ${approx(people, "people")}${
      i.affected
        ? ` (by jurisdiction: ${Object.entries(i.affected.byJurisdiction)
            .map(([j, n]) => `${j} ${n}`)
            .join(", ")})`
        : ""
    }${
      i.affected?.notReached.length
        ? `; not yet counted in ${i.affected.notReached.map((n) => n.dataset).join(", ")}` +
          `, so the number may be higher`
        : ""
    }.`,
    `Approximate number of records concerned: ${approx(records, "records")}.`,
    `Systems and datasets: ${i.datasets.join(", ") || "not yet determined"}. The ` +
      `data was ${i.encrypted ? "" : "not "}encrypted.`,
    "",
    "(b) Contact point for more information (Art 33(3)(b))",
    contact,
    "",
    "(c) Likely consequences (Art 33(3)(c))",
    i.consequences || "[describe the likely consequences for the people concerned]",
    `Our assessment: ${RISK_LABELS[i.risk].toLowerCase()}. ${i.riskReasoning}`,
    "",
    "(d) Measures taken or proposed, including to mitigate possible adverse effects (Art 33(3)(d))",
    i.measures || "[describe the measures taken and proposed]",
    ...(late
      ? ["", "Reasons for the delay (Art 33(1))", "[this notification is made after 72 hours: give the reasons]"]
      : []),
  ].join("\n");
  const individuals = [
    `Subject: Important: a security incident involving your data at ${org.name}`,
    "",
    "Dear customer,",
    "",
    `We are writing to tell you about a security incident at ${org.name} that involves your personal data.`,
    "",
    "What happened",
    `${i.title}. ` +
      `${
        i.description ||
        `It happened on ${i.occurredAt.slice(0, 10)}, and we found out on ` + `${i.awareAt.slice(0, 10)}.`
      }`,
    "",
    "What data was involved",
    categories ? `${categories}.` : "",
    "",
    "What this may mean for you",
    i.consequences || "[describe in plain words what could happen to the person]",
    "",
    "What we are doing",
    i.measures || "[describe what the organization has done]",
    "",
    "What you can do",
    "[practical steps: change your password, watch for suspicious mail, contact your bank]",
    "",
    "Who to contact",
    contact,
  ].join("\n");
  const controllers = decl.organization.roles.includes("processor")
    ? [
        `Notice of a personal data breach to our controllers — ${org.name} — ${i.reference}`,
        "",
        `As your processor we tell you, without undue delay (GDPR Art 33(2)), of a ` +
          `breach that we became aware of at ${fmt(i.awareAt)}.`,
        `${i.title}: a breach of ${i.nature.join(", ")}. Categories of data: ` +
          `${categories}. ${approx(people, "people")}; ${approx(records, "records")}.`,
        `Likely consequences: ${i.consequences || "[to be completed]"}`,
        `Measures: ${i.measures || "[to be completed]"}`,
        `Contact: ${contact}`,
      ].join("\n")
    : null;
  return { authority, individuals, controllers };
}

// --- who was affected ----------------------------------------------------------------

export const AffectedInput = z.strictObject({
  /** The field that dates each row of the affected datasets (`created_at`). */
  field: z.string().trim().min(1).max(100),
  from: z.string().min(4).max(40),
  to: z.string().min(4).max(40),
  /** `dataset.field` holding the person's country or state, on the row or on the row it belongs to. */
  jurisdictionField: z.string().trim().max(200).optional(),
});

/** Emails (or contact fields) of a dataset. */
const emailFields = (fields: Record<string, { identity?: string; contact?: string }>) =>
  Object.entries(fields)
    .filter(([, f]) => f.identity === "email" || f.contact === "email")
    .map(([n]) => n);

/**
 * The people affected: the rows of the incident's datasets dated in the
 * window, each traced up its owner references (the same graph as requests) to
 * the row with the person's email. Counts per jurisdiction, and keeps the
 * mailing list only until the letters are sent.
 */
export async function computeAffected(
  ctx: GovernanceContext,
  id: number,
  input: z.input<typeof AffectedInput>,
  actor: Actor,
  onProgress?: (dataset: string, rows: number) => void,
): Promise<IncidentView> {
  officer(actor, "computing the people affected");
  const incident = await requireIncident(ctx, id);
  const d = JSON.parse(incident.details) as Details;
  if (!d.datasets.length) throw new GovernanceError("INVALID", "the incident names no datasets");
  const v = parseWith(AffectedInput, input);
  const from = isoOf(v.from, "from");
  const to = isoOf(v.to, "to");
  if (to <= from) throw new GovernanceError("INVALID", "to: the window must end after it starts");
  const decl = ctx.declaration();
  const graph = graphOf(decl);
  const people = new Map<string, { email: string | null; jurisdiction: string | null }>();
  let total = 0;
  const notReached: Affected["notReached"] = [];
  const [jDataset, jField] = v.jurisdictionField ? v.jurisdictionField.split(".") : [];
  for (const key of d.datasets) {
    const [sid, did] = key.split(".");
    const sys = decl.systems[sid];
    const ds = sys.datasets[did];
    if (!(v.field in ds.fields)) {
      notReached.push({ dataset: key, why: `no field '${v.field}' dates its rows` });
      continue;
    }
    let c: Connector | undefined;
    try {
      c = createConnector(sid, sys.connector, ctx.env, ctx.cwd, { readOnly: true });
    } catch (err) {
      notReached.push({ dataset: key, why: (err as Error).message });
      continue;
    }
    if (!c) {
      notReached.push({ dataset: key, why: "no connector: count by hand" });
      continue;
    }
    try {
      const rows: Row[] = [];
      let after: Value[] | undefined;
      const target = datasetTarget(did, ds);
      for (;;) {
        const page = await c.due({
          dataset: target,
          joins: [],
          clock: [{ step: 0, field: v.field }],
          where: [],
          before: new Date(to),
          since: new Date(from),
          ...(after ? { after } : {}),
          limit: 1000,
        });
        for (const r of page) if (r.clock >= from) rows.push(r.row);
        onProgress?.(key, rows.length);
        if (!c.capabilities.keyset || page.length < 1000) break;
        const last = page[page.length - 1].row;
        after = rowKeyFields(ds, last).map((f) => last[f] as Value);
      }
      total += rows.length;
      // Trace each row to its person: up owner references until a row of a person (an email, or a
      // dataset of people). A person is that row (two customers sharing an email are two people).
      let level: { dataset: string; rows: { origin: number; row: Row }[] } = {
        dataset: did,
        rows: rows.map((row, origin) => ({ origin, row })),
      };
      const found = new Map<number, { person?: string; email?: string; jurisdiction?: string }>();
      for (let depth = 0; depth < 5 && level.rows.length; depth++) {
        const lds = sys.datasets[level.dataset];
        const emails = emailFields(lds.fields);
        const next: typeof level.rows = [];
        for (const { origin, row } of level.rows) {
          const f = found.get(origin) ?? {};
          if (jDataset === level.dataset && jField && row[jField] !== null && row[jField] !== undefined)
            f.jurisdiction = String(row[jField]);
          if (emails.length || lds.subject) {
            f.person = `${sid}.${level.dataset}:${rowKey(lds, row)}`;
            const email = emails.map((e) => row[e]).find((x) => typeof x === "string" && x.includes("@")) as
              | string
              | undefined;
            if (email) f.email = normalizeIdentity("email", email);
          }
          found.set(origin, f);
          if (!f.person) next.push({ origin, row });
        }
        const up = graph.edges.find(
          (e) => e.from === `${sid}.${level.dataset}` && e.relation === "owner" && !e.crossSystem,
        );
        if (!up || !next.length) break;
        const parent = up.to.slice(sid.length + 1);
        const values = [
          ...new Set(
            next
              .map((x) => x.row[up.fromField])
              .filter((x) => x !== null && x !== undefined)
              .map(String),
          ),
        ];
        const parents = new Map<string, Row>();
        for (let i = 0; i < values.length; i += 500)
          for (const p of await c.find(datasetTarget(parent, sys.datasets[parent]), {
            field: up.toField,
            values: values.slice(i, i + 500),
          }))
            parents.set(String(p[up.toField]), p);
        level = {
          dataset: parent,
          rows: next.flatMap((x) =>
            parents.has(String(x.row[up.fromField]))
              ? [{ origin: x.origin, row: parents.get(String(x.row[up.fromField]))! }]
              : [],
          ),
        };
      }
      rows.forEach((row, i) => {
        const f = found.get(i) ?? {};
        const person = f.person ?? `${key}:${rowKey(ds, row)}`;
        const prev = people.get(person);
        people.set(person, {
          email: f.email ?? prev?.email ?? null,
          jurisdiction: f.jurisdiction ?? prev?.jurisdiction ?? null,
        });
      });
    } catch (err) {
      notReached.push({ dataset: key, why: (err as Error).message });
    } finally {
      await c.close().catch(() => {});
    }
  }
  const byJurisdiction: Record<string, number> = {};
  for (const p of people.values())
    byJurisdiction[p.jurisdiction ?? "unknown"] = (byJurisdiction[p.jurisdiction ?? "unknown"] ?? 0) + 1;
  const withoutEmail = [...people.values()].filter((p) => !p.email).length;
  const list = new Map<string, string | null>();
  for (const p of people.values()) if (p.email && !list.get(p.email)) list.set(p.email, p.jurisdiction);
  const affected: Affected = {
    datasets: d.datasets,
    field: v.field,
    from,
    to,
    rows: total,
    people: people.size,
    byJurisdiction,
    withoutEmail,
    notReached,
    computedAt: ctx.clock().toISOString(),
    computedBy: actorOf(actor),
  };
  await ctx.store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom("gov_incident_recipients").where("incident_id", "=", id).execute();
    const out = [...list];
    for (let i = 0; i < out.length; i += 500)
      await tx
        .insertInto("gov_incident_recipients")
        .values(out.slice(i, i + 500).map(([email, j]) => ({ incident_id: id, email, jurisdiction: j })))
        .execute();
    await tx
      .updateTable("gov_incidents")
      .set({ affected: JSON.stringify(affected) })
      .where("id", "=", id)
      .execute();
  });
  await audit(ctx, actorOf(actor), "incident.affected_computed", `incident:${id}`, {
    rows: total,
    people: people.size,
    byJurisdiction,
    notReached: notReached.length,
  });
  return getIncident(ctx, id);
}

/** The mailing list for the letter to the people affected, as CSV. */
export async function mailingList(ctx: GovernanceContext, id: number, actor: Actor): Promise<string> {
  officer(actor, "downloading the mailing list");
  await requireIncident(ctx, id);
  const rows = await ctx.store.db
    .selectFrom("gov_incident_recipients")
    .select(["email", "jurisdiction"])
    .where("incident_id", "=", id)
    .orderBy("email")
    .execute();
  await audit(ctx, actorOf(actor), "incident.mailing_list_downloaded", `incident:${id}`, { addresses: rows.length });
  return toCsv(
    ["email", "jurisdiction"],
    rows.map((r) => [r.email, r.jurisdiction ?? ""]),
  );
}
