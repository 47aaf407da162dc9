/**
 * Requests from authorities (LuxSci, NumFOCUS): each is verified for
 * legitimacy and authenticity against a checklist, a second staff member
 * decides whether the law requires compliance, and only then is the named
 * accounts' data collected (the same collection as an access request) into a
 * package whose hash is recorded. Pledge keeps the hash, not the package. A
 * gag date says from when the customer may be told. The yearly transparency
 * report counts requests by instrument and outcome, without personal data.
 */
import { z } from "zod";
import type { Identities } from "../execution/index.js";
import { collectPeople, jsonOf, parseIdentity } from "./collect.js";
import {
  parseWith,
  textList,
  actorOf,
  audit,
  GovernanceError,
  isoOf,
  sha256,
  type Actor,
  type GovernanceContext,
} from "./model.js";
import { hasRole } from "../auth/index.js";

export const INSTRUMENTS = [
  "subpoena",
  "court_order",
  "warrant",
  "national_security_letter",
  "emergency_request",
  "other",
] as const;
export const INSTRUMENT_LABELS: Record<(typeof INSTRUMENTS)[number], string> = {
  subpoena: "Subpoena",
  court_order: "Court order",
  warrant: "Search warrant",
  national_security_letter: "National security letter",
  emergency_request: "Emergency request",
  other: "Other",
};

/** What staff check before anything is disclosed. */
export const VERIFICATION_CHECKS = {
  issuer_identified:
    "The issuing authority and official are identified, and their contact was confirmed through an independent channel",
  authentic_document: "The document is signed or sealed, and genuine",
  proper_service: "It was served through a proper channel to the right legal entity",
  jurisdiction: "The authority has jurisdiction over the organization and the data",
  specific_scope: "It names specific accounts and data, not a general trawl",
} as const;

export const LegalRequestInput = z.strictObject({
  reference: z.string().trim().min(1).max(200),
  authority: z.string().trim().min(2).max(300),
  instrument: z.enum(INSTRUMENTS),
  jurisdiction: z.string().trim().min(2).max(20),
  /** The accounts named: `email:…`, `phone:…`, or emails, one per line or comma. */
  accounts: textList(100, z.string().max(320)),
  dataAsked: z.string().trim().min(3).max(4000),
  receivedAt: z.string().max(40).optional(),
});

export type LegalStatus = "received" | "verified" | "rejected" | "decided" | "disclosed" | "closed";
export type LegalOutcome = "rejected_unverified" | "refused" | "complied" | "complied_partly" | "no_data";

export interface LegalStep {
  step: "received" | "verified" | "rejected" | "decided" | "disclosed" | "gag" | "customer_told";
  by: string;
  at: string;
  data: Record<string, unknown>;
}

export interface LegalRequestView {
  id: number;
  reference: string;
  authority: string;
  instrument: (typeof INSTRUMENTS)[number];
  jurisdiction: string;
  accounts: string[];
  dataAsked: string;
  receivedAt: string;
  status: LegalStatus;
  outcome: LegalOutcome | null;
  steps: LegalStep[];
  gagUntil: string | null;
  packageHash: string | null;
  /** Whether the customer may be told now. */
  mayTell: boolean;
}

const rowOf = (ctx: GovernanceContext, id: number) =>
  ctx.store.db.selectFrom("gov_legal_requests").selectAll().where("id", "=", id).executeTakeFirst();
type Row = NonNullable<Awaited<ReturnType<typeof rowOf>>>;
const view = (r: Row, now: Date): LegalRequestView => ({
  id: Number(r.id),
  reference: r.reference,
  authority: r.authority,
  instrument: r.instrument as LegalRequestView["instrument"],
  jurisdiction: r.jurisdiction,
  accounts: JSON.parse(r.accounts) as string[],
  dataAsked: r.data_asked,
  receivedAt: r.received_at,
  status: r.status as LegalStatus,
  outcome: r.outcome as LegalOutcome | null,
  steps: JSON.parse(r.steps) as LegalStep[],
  gagUntil: r.gag_until,
  packageHash: r.package_hash,
  mayTell: !r.gag_until || Date.parse(r.gag_until) <= now.getTime(),
});

async function requireRequest(ctx: GovernanceContext, id: number): Promise<Row> {
  const r = await rowOf(ctx, id);
  if (!r) throw new GovernanceError("NOT_FOUND", `no legal request ${id}`);
  return r;
}

/**
 * Records a step, only if the request is still in the status it was read in (two staff acting at once: the second is
 * refused).
 */
async function step(
  ctx: GovernanceContext,
  r: Row,
  s: LegalStep,
  set: Partial<Pick<Row, "status" | "outcome" | "gag_until" | "package_hash">> = {},
): Promise<void> {
  const steps = [...(JSON.parse(r.steps) as LegalStep[]), s];
  const n = await ctx.store.db
    .updateTable("gov_legal_requests")
    .set({ ...set, steps: JSON.stringify(steps) })
    .where("id", "=", r.id)
    .where("status", "=", r.status)
    .where("steps", "=", r.steps)
    .executeTakeFirst();
  if (!Number(n.numUpdatedRows))
    throw new GovernanceError("CONFLICT", `legal request ${r.id} changed while you acted on it: reload it`);
  await audit(ctx, s.by, `legal.${s.step}`, `legal:${r.id}`, s.data);
}

const officer = (a: Actor, what: string) => {
  if (!hasRole(a.role, "officer")) throw new GovernanceError("FORBIDDEN", `${what} needs the officer role`);
};

/** Registers a request from an authority as received. */
export async function registerLegalRequest(
  ctx: GovernanceContext,
  input: z.input<typeof LegalRequestInput>,
  actor: Actor,
): Promise<LegalRequestView> {
  officer(actor, "registering a legal request");
  const v = parseWith(LegalRequestInput, input);
  if (!v.accounts.length) throw new GovernanceError("INVALID", "accounts: name at least one account");
  const decl = ctx.declaration();
  const accounts = v.accounts.map((a) => {
    const id = parseIdentity(decl, a);
    return `${id.type}:${id.value}`;
  });
  const at = ctx.clock().toISOString();
  const received = v.receivedAt ? isoOf(v.receivedAt, "receivedAt") : at;
  const steps: LegalStep[] = [
    { step: "received", by: actorOf(actor), at, data: { instrument: v.instrument, authority: v.authority } },
  ];
  const r = await ctx.store.db
    .insertInto("gov_legal_requests")
    .values({
      reference: v.reference,
      authority: v.authority,
      instrument: v.instrument,
      jurisdiction: v.jurisdiction,
      accounts: JSON.stringify(accounts),
      data_asked: v.dataAsked,
      received_at: received,
      status: "received",
      steps: JSON.stringify(steps),
      created_by: actorOf(actor),
      created_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(ctx, actorOf(actor), "legal.received", `legal:${r.id}`, {
    instrument: v.instrument,
    jurisdiction: v.jurisdiction,
    accounts: accounts.length,
  });
  return view((await rowOf(ctx, Number(r.id)))!, ctx.clock());
}

/** Records the verification: every check with its answer; a request that fails one is rejected. */
export async function verifyLegalRequest(
  ctx: GovernanceContext,
  id: number,
  input: { checks: Partial<Record<keyof typeof VERIFICATION_CHECKS, boolean>>; note: string },
  actor: Actor,
): Promise<LegalRequestView> {
  officer(actor, "verifying a legal request");
  const r = await requireRequest(ctx, id);
  if (r.status !== "received")
    throw new GovernanceError("CONFLICT", `legal request ${id} is ${r.status}, not waiting for verification`);
  if (input.note.trim().length < 5)
    throw new GovernanceError("INVALID", "note: say how it was verified (who was called, what was checked)");
  const checks = Object.fromEntries(
    Object.keys(VERIFICATION_CHECKS).map((k) => [k, !!input.checks[k as keyof typeof VERIFICATION_CHECKS]]),
  );
  const failed = Object.entries(checks)
    .filter(([, ok]) => !ok)
    .map(([k]) => k);
  const ok = failed.length === 0;
  await step(
    ctx,
    r,
    {
      step: ok ? "verified" : "rejected",
      by: actorOf(actor),
      at: ctx.clock().toISOString(),
      data: { checks, note: input.note.trim(), ...(failed.length ? { failed } : {}) },
    },
    ok ? { status: "verified" } : { status: "rejected", outcome: "rejected_unverified" },
  );
  return view(await requireRequest(ctx, id), ctx.clock());
}

/**
 * Decides whether the law requires compliance, with the reason and the scope
 * to disclose. A second staff member decides: not the one who verified.
 */
export async function decideLegalRequest(
  ctx: GovernanceContext,
  id: number,
  input: { comply: boolean; reason: string; scope?: string; gagUntil?: string },
  actor: Actor,
): Promise<LegalRequestView> {
  officer(actor, "deciding a legal request");
  const r = await requireRequest(ctx, id);
  const verificationRequired = ctx.declaration().governance?.legalRequests?.verificationRequired ?? true;
  const open = verificationRequired ? ["verified"] : ["received", "verified"];
  if (!open.includes(r.status))
    throw new GovernanceError(
      "CONFLICT",
      r.status === "received"
        ? `legal request ${id} must be verified before it is decided`
        : `legal request ${id} is ${r.status}`,
    );
  const verifier = (JSON.parse(r.steps) as LegalStep[]).find((s) => s.step === "verified")?.by;
  if (verifier === actorOf(actor))
    throw new GovernanceError("FORBIDDEN", "a second staff member decides: you verified this request");
  if (input.reason.trim().length < 5)
    throw new GovernanceError("INVALID", "reason: say why the law does or does not require compliance");
  if (input.comply && !(input.scope ?? "").trim())
    throw new GovernanceError("INVALID", "scope: say what will be disclosed");
  const gag = input.gagUntil ? isoOf(input.gagUntil, "gagUntil") : null;
  await step(
    ctx,
    r,
    {
      step: "decided",
      by: actorOf(actor),
      at: ctx.clock().toISOString(),
      data: { comply: input.comply, reason: input.reason.trim(), scope: input.scope?.trim() ?? null, gagUntil: gag },
    },
    { status: input.comply ? "decided" : "closed", outcome: input.comply ? null : "refused", gag_until: gag },
  );
  return view(await requireRequest(ctx, id), ctx.clock());
}

/**
 * Collects the named accounts' rows and returns the package; the register
 * keeps its SHA-256, the row counts and the scope, never the data.
 */
export async function discloseLegalRequest(
  ctx: GovernanceContext,
  id: number,
  actor: Actor,
): Promise<{ filename: string; data: Uint8Array; sha256: string; rows: number }> {
  officer(actor, "disclosing to an authority");
  const r = await requireRequest(ctx, id);
  if (r.status !== "decided")
    throw new GovernanceError(
      "CONFLICT",
      r.status === "disclosed"
        ? `legal request ${id} was disclosed already (package ${r.package_hash?.slice(0, 12)})`
        : `legal request ${id} is ${r.status}: only a request decided for compliance is disclosed`,
    );
  const identities: Identities = {};
  for (const a of JSON.parse(r.accounts) as string[]) {
    const i = a.indexOf(":");
    (identities[a.slice(0, i)] ??= []).push(a.slice(i + 1));
  }
  const people = await collectPeople(ctx, identities);
  // An incomplete package is not a disclosure: a system that could not be read stops it, and nothing is recorded.
  const failed = people.notReached.filter((n) => n.failed);
  if (failed.length)
    throw new GovernanceError(
      "CONFLICT",
      `could not read ${failed.map((n) => `${n.system} (${n.why})`).join("; ")}: ` +
        `nothing was disclosed; try again when it answers`,
    );
  const rows = Object.values(people.systems).reduce(
    (n, s) => n + Object.values(s).reduce((m, x) => m + x.length, 0),
    0,
  );
  const decided = (JSON.parse(r.steps) as LegalStep[]).find((s) => s.step === "decided");
  const pkg = jsonOf({
    organization: ctx.declaration().organization.name,
    request: {
      reference: r.reference,
      authority: r.authority,
      instrument: r.instrument,
      jurisdiction: r.jurisdiction,
      accounts: JSON.parse(r.accounts),
      scope: decided?.data.scope ?? null,
    },
    generatedAt: ctx.clock().toISOString(),
    generatedBy: actor.email,
    systems: people.systems,
    notReached: people.notReached,
  });
  const data = new TextEncoder().encode(pkg);
  const hash = sha256(data);
  await step(
    ctx,
    r,
    {
      step: "disclosed",
      by: actorOf(actor),
      at: ctx.clock().toISOString(),
      data: {
        sha256: hash,
        rows,
        datasets: Object.entries(people.systems).flatMap(([s, d]) =>
          Object.entries(d).map(([ds, x]) => `${s}.${ds}: ${x.length}`),
        ),
        notReached: people.notReached.map((n) => `${n.system}${n.dataset ? `.${n.dataset}` : ""}: ${n.why}`),
      },
    },
    { status: "disclosed", outcome: rows || people.notReached.length ? "complied" : "no_data", package_hash: hash },
  );
  return { filename: `disclosure-${r.reference.replace(/[^A-Za-z0-9_-]+/g, "_")}.json`, data, sha256: hash, rows };
}

/** What a disclosure will hand over, counted from the same collection, before anything is recorded or given. */
export interface DisclosurePreview {
  reference: string;
  authority: string;
  scope: string | null;
  /** Accounts named, as `type:value`. */
  accounts: string[];
  datasets: { system: string; dataset: string; rows: number }[];
  notReached: { system: string; dataset?: string; why: string; failed?: boolean }[];
}

/**
 * The contents of the package `discloseLegalRequest` would build now: rows per system and dataset, and what could not
 * be read. Nothing is recorded.
 */
export async function previewDisclosure(ctx: GovernanceContext, id: number, actor: Actor): Promise<DisclosurePreview> {
  officer(actor, "disclosing to an authority");
  const r = await requireRequest(ctx, id);
  if (r.status !== "decided")
    throw new GovernanceError(
      "CONFLICT",
      `legal request ${id} is ${r.status}: only a request decided for compliance is disclosed`,
    );
  const accounts = JSON.parse(r.accounts) as string[];
  const identities: Identities = {};
  for (const a of accounts) {
    const i = a.indexOf(":");
    (identities[a.slice(0, i)] ??= []).push(a.slice(i + 1));
  }
  const people = await collectPeople(ctx, identities);
  const decided = (JSON.parse(r.steps) as LegalStep[]).find((s) => s.step === "decided");
  return {
    reference: r.reference,
    authority: r.authority,
    scope: (decided?.data.scope as string | undefined) ?? null,
    accounts,
    datasets: Object.entries(people.systems).flatMap(([system, d]) =>
      Object.entries(d).map(([dataset, x]) => ({ system, dataset, rows: x.length })),
    ),
    notReached: people.notReached,
  };
}

/** Sets or moves the gag date: until it, the customer may not be told. */
export async function setGag(
  ctx: GovernanceContext,
  id: number,
  until: string | null,
  reason: string,
  actor: Actor,
): Promise<void> {
  officer(actor, "setting a gag");
  const r = await requireRequest(ctx, id);
  if (reason.trim().length < 5)
    throw new GovernanceError(
      "INVALID",
      "reason: say what requires the customer not to be told (the order, its clause), or why it is lifted",
    );
  const gag = until ? isoOf(until, "gagUntil") : null;
  await step(
    ctx,
    r,
    { step: "gag", by: actorOf(actor), at: ctx.clock().toISOString(), data: { until: gag, reason } },
    { gag_until: gag },
  );
}

/** Records that the customer was told; refused while a gag runs. */
export async function recordCustomerTold(ctx: GovernanceContext, id: number, how: string, actor: Actor): Promise<void> {
  const r = await requireRequest(ctx, id);
  if (!view(r, ctx.clock()).mayTell)
    throw new GovernanceError("CONFLICT", `the customer may not be told before ${r.gag_until!.slice(0, 10)}`);
  await step(ctx, r, { step: "customer_told", by: actorOf(actor), at: ctx.clock().toISOString(), data: { how } });
}

export async function getLegalRequest(ctx: GovernanceContext, id: number): Promise<LegalRequestView> {
  return view(await requireRequest(ctx, id), ctx.clock());
}

export async function listLegalRequests(ctx: GovernanceContext): Promise<LegalRequestView[]> {
  return (
    await ctx.store.db.selectFrom("gov_legal_requests").selectAll().orderBy("received_at", "desc").limit(500).execute()
  ).map((r) => view(r, ctx.clock()));
}

export interface TransparencyReport {
  year: number;
  total: number;
  /**
   * instrument → outcome → count; outcome `pending` for requests still open. National security letters are not here:
   * see `nslBand`.
   */
  byInstrument: Record<string, Record<string, number>>;
  /** National security letters received, only as a band of 1,000 (50 U.S.C. 1874(a)(1)(A)): "0–999". */
  nslBand: string;
  /** Accounts named, outside national security letters. */
  accounts: number;
}

/** The band of 1,000 a count falls in, as 50 U.S.C. 1874(a)(1) allows it to be published. */
const band = (n: number) => `${Math.floor(n / 1000) * 1000}–${Math.floor(n / 1000) * 1000 + 999}`;

/**
 * The year's counts by instrument and outcome: no names, no accounts, no
 * authorities. National security letters come only as a band, with no outcomes:
 * an exact count is what their nondisclosure requirement forbids.
 */
export async function transparencyReport(ctx: GovernanceContext, year: number): Promise<TransparencyReport> {
  const rows = await ctx.store.db
    .selectFrom("gov_legal_requests")
    .select(["instrument", "outcome", "accounts"])
    .where("received_at", ">=", `${year}-01-01`)
    .where("received_at", "<", `${year + 1}-01-01`)
    .execute();
  const byInstrument: TransparencyReport["byInstrument"] = {};
  let accounts = 0;
  let nsl = 0;
  for (const r of rows) {
    if (r.instrument === "national_security_letter") {
      nsl++;
      continue;
    }
    const o = r.outcome ?? "pending";
    byInstrument[r.instrument] ??= {};
    byInstrument[r.instrument][o] = (byInstrument[r.instrument][o] ?? 0) + 1;
    accounts += (JSON.parse(r.accounts) as string[]).length;
  }
  return { year, total: rows.length - nsl, byInstrument, nslBand: band(nsl), accounts };
}

/** The years the report covers: from the first request received to `now`'s, newest first. */
export async function transparencyYears(ctx: GovernanceContext): Promise<number[]> {
  const first = await ctx.store.db
    .selectFrom("gov_legal_requests")
    .select((eb) => eb.fn.min("received_at").as("first"))
    .executeTakeFirst();
  const now = ctx.clock().getUTCFullYear();
  const from = first?.first ? Math.min(now, Number(String(first.first).slice(0, 4))) : now;
  const years: number[] = [];
  for (let y = now; y >= from; y--) years.push(y);
  return years;
}
