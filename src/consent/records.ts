/**
 * Consent records, following ISO/IEC TS 27560: every choice is an event that
 * is never rewritten; the current state of a device or person is derived from
 * the events. The banner's configuration carries a material key (a hash of
 * what people consent to) and the hash of the exact text shown.
 */
import { propagationsOfMany, propagationTargets, queuePropagation } from "./propagation.js";
import { createHash, randomBytes } from "node:crypto";
import { appendAudit, appendAuditBatchIn, auditRows, type AuditInput } from "../audit/index.js";
import { BatchLookup, GroupCommit } from "./group-commit.js";
import { checkIabStrings } from "./iab.js";
import { addDuration, honoursGpc, parseDuration, type Declaration } from "../declaration/index.js";
import type { Database, Store } from "../store/index.js";
import type { Insertable } from "kysely";
import { DEFAULT_TEXTS, type Language } from "./texts.js";

type PendingRecord = { row: Insertable<Database["consent_events"]>; audit: { input: AuditInput; at: Date } };
const writers = new WeakMap<Store, GroupCommit<PendingRecord>>();

/**
 * The store's consent writer: records that arrive together commit together, each event with its audit entry, in one
 * transaction; a caller is answered only once its transaction has committed.
 */
function writerOf(store: Store): GroupCommit<PendingRecord> {
  let w = writers.get(store);
  if (!w) {
    w = new GroupCommit<PendingRecord>((items) =>
      store.engine === "postgres"
        ? // One statement is one transaction: the events and their entries commit together in one round trip.
          store.db
            .with("events", (db) =>
              db
                .insertInto("consent_events")
                .values(items.map((i) => i.row))
                .returning("id"),
            )
            .insertInto("audit_pending")
            .values(auditRows(items.map((i) => i.audit)))
            .execute()
            .then(() => undefined)
        : store.db.transaction().execute(async (trx) => {
            await trx
              .insertInto("consent_events")
              .values(items.map((i) => i.row))
              .execute();
            await appendAuditBatchIn(
              trx,
              items.map((i) => i.audit),
            );
          }),
    );
    writers.set(store, w);
  }
  return w;
}

const links = new WeakMap<Store, BatchLookup<string, string>>();
/** The person each device is linked to, read for the devices of concurrent records in one query. */
function linksOf(store: Store): BatchLookup<string, string> {
  let l = links.get(store);
  if (!l) {
    l = new BatchLookup(async (devices) => {
      const rows = await store.db
        .selectFrom("consent_links")
        .select(["device_id", "subject_id"])
        .where("device_id", "in", devices)
        .execute();
      return new Map(rows.map((r) => [r.device_id, r.subject_id]));
    });
    links.set(store, l);
  }
  return l;
}

export type ConsentState = "given" | "refused" | "withdrawn" | "expired";
export const CONSENT_METHODS = ["banner", "form", "api", "gpc", "import"] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

const sha = (v: unknown) =>
  createHash("sha256")
    .update(typeof v === "string" ? v : JSON.stringify(v))
    .digest("hex");

/**
 * The material key of the consent a declaration asks for: it changes when
 * categories, services, or the purposes behind them change in substance (not
 * when only the version number or wording elsewhere changes). A stored choice
 * made under another key is asked again.
 */
export function materialKey(decl: Declaration): string {
  const c = decl.consent;
  if (!c) return "none";
  const cats = Object.entries(c.categories).map(([id, cat]) => ({
    id,
    essential: cat.essential,
    services: cat.services.map((s) => [s.id, s.recipient ?? null]),
    purposes: cat.purposes.map((p) => {
      const pu = decl.purposes[p];
      // Further bases (legalBases) join the key only when declared, so that keys made before them stay the same.
      return [
        p,
        pu?.legalBasis ?? null,
        [...(pu?.dataCategories ?? [])].sort(),
        [...(pu?.recipients ?? [])].sort(),
        pu?.sold ?? false,
        pu?.shared ?? false,
        ...(pu?.legalBases.length ? [pu.legalBases.map((b) => b.basis).sort()] : []),
        // Joins the key only when declared, as above: targeted advertising is a material fact of the purpose.
        ...(pu?.targetedAdvertising ? ["targeted_advertising"] : []),
      ];
    }),
  }));
  return sha(cats).slice(0, 16);
}

export interface BannerCategory {
  id: string;
  name: string;
  description: string;
  essential: boolean;
  /** Turned off by Global Privacy Control. */
  marketing: boolean;
  services: { id: string; name: string }[];
}

export interface BannerConfig {
  version: string;
  materialKey: string;
  /** SHA-256 of the texts and categories as shown in this language. */
  textHash: string;
  language: Language;
  validityDays: number;
  honourGpc: boolean;
  honourDnt: boolean;
  texts: Record<string, string>;
  categories: BannerCategory[];
  noticeUrl: string;
}

const configs = new WeakMap<Declaration, Map<Language, BannerConfig>>();

/** What the banner shows, in one language, from the declaration (computed once per declaration and language). */
export function bannerConfig(decl: Declaration, language: Language): BannerConfig {
  let byLang = configs.get(decl);
  if (!byLang) configs.set(decl, (byLang = new Map()));
  let config = byLang.get(language);
  if (!config) byLang.set(language, (config = computeBannerConfig(decl, language)));
  return config;
}

function computeBannerConfig(decl: Declaration, language: Language): BannerConfig {
  const c = decl.consent;
  const texts = { ...DEFAULT_TEXTS[language], ...(c?.texts[language] ?? {}) };
  const categories: BannerCategory[] = Object.entries(c?.categories ?? {}).map(([id, cat]) => ({
    id,
    name: cat.translations?.[language]?.name ?? cat.name,
    description: cat.translations?.[language]?.description ?? cat.description,
    essential: cat.essential,
    marketing: isMarketingCategory(id, decl),
    services: cat.services.map((s) => ({ id: s.id, name: s.name })),
  }));
  const validity = parseDuration(c?.validity ?? "1 year");
  const validityDays = validity ? Math.round((addDuration(new Date(0), validity).getTime() - 0) / 86_400_000) : 365;
  return {
    version: decl.version,
    materialKey: materialKey(decl),
    textHash: sha({ texts, categories }),
    language,
    validityDays,
    honourGpc: honoursGpc(decl),
    honourDnt: c?.signals?.dnt ?? false,
    texts,
    categories,
    noticeUrl: "/privacy#cookies",
  };
}

export interface RecordInput {
  deviceId?: string;
  subjectId?: string;
  /** Category id → given | refused | withdrawn. */
  categories: Record<string, "given" | "refused" | "withdrawn">;
  services?: Record<string, "given" | "refused">;
  language: Language;
  jurisdiction?: string;
  method: ConsentMethod;
  ip?: string;
  userAgent?: string;
  /** Direct purpose-level choices (forms and the API), purpose id → state. */
  purposes?: Record<string, "given" | "refused" | "withdrawn">;
  /** The browser sent Global Privacy Control (`Sec-GPC: 1`). */
  gpcSignal?: boolean;
  /** The GPP string the banner's plugin set with this choice (checked by decoding it). */
  gppString?: string;
  /** The TCF TC string the banner's plugin set with this choice (checked by decoding it). */
  tcString?: string;
}

/**
 * Marketing categories: the ones Global Privacy Control turns off. By name (marketing, advertising, ads), and, given
 * the declaration, any category whose purposes sell, share or serve targeted advertising (11 CCR § 7025; Colorado's
 * universal opt-out covers targeted advertising too, 4 CCR 904-3 Rule 5).
 */
export function isMarketingCategory(id: string, decl?: Declaration): boolean {
  if (/market|advert|ads/i.test(id)) return true;
  const purposes = decl?.consent?.categories[id]?.purposes ?? [];
  return purposes.some((p) => {
    const pu = decl?.purposes[p];
    return !!pu && (pu.sold || pu.shared || !!pu.targetedAdvertising);
  });
}

export interface ConsentRecord {
  recordId: string;
  deviceId: string | null;
  subjectId: string | null;
  categories: Record<string, ConsentState>;
  purposes: Record<string, ConsentState>;
  services: Record<string, string>;
  declarationVersion: string;
  materialKey: string;
  textHash: string;
  language: string;
  jurisdiction: string;
  method: ConsentMethod;
  at: string;
  validUntil: string;
  ip: string | null;
  userAgent: string | null;
  /** What ad tech was told with this choice: the GPP and TC strings the banner set, if the declaration enables them. */
  gppString?: string;
  tcString?: string;
}

/** Truncates an IP address: the last octet of IPv4, the last 80 bits of IPv6. */
export function truncateIp(ip: string | undefined): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.0`;
  if (ip.includes(":")) return `${ip.split(":").slice(0, 3).join(":")}::`;
  return null;
}

/** The consent input is invalid (an unknown category, no subject). */
export class ConsentError extends Error {
  readonly code = "REQUEST_INVALID";
}

/**
 * Stores a choice as a new event (and in the audit log) and returns it.
 * Essential categories are always given; purposes follow their categories.
 */
export async function recordConsent(
  store: Store,
  decl: Declaration,
  input: RecordInput,
  now: Date = new Date(),
): Promise<ConsentRecord> {
  if (!input.deviceId && !input.subjectId) throw new ConsentError("give a deviceId or a subjectId");
  const cats = decl.consent?.categories ?? {};
  for (const id of Object.keys(input.categories))
    if (!Object.hasOwn(cats, id))
      throw new ConsentError(
        `categories.${id}: unknown consent category (expected one of ${Object.keys(cats).join(", ")})`,
      );
  for (const id of Object.keys(input.purposes ?? {}))
    if (!Object.hasOwn(decl.purposes, id)) throw new ConsentError(`purposes.${id}: unknown purpose`);
  const services = new Set(Object.values(cats).flatMap((c) => c.services.map((s) => s.id)));
  for (const id of Object.keys(input.services ?? {}))
    if (!services.has(id))
      throw new ConsentError(
        `services.${id}: unknown service` +
          `${services.size ? ` (expected one of ${[...services].join(", ")})` : ": the declaration names none"}`,
      );
  if (input.gppString !== undefined || input.tcString !== undefined)
    try {
      checkIabStrings(decl, { gpp: input.gppString, tc: input.tcString });
    } catch (err) {
      throw new ConsentError((err as Error).message);
    }
  // California 11 CCR 7025, Colorado: a GPC signal is an opt-out of sale and sharing that a banner click does not undo.
  const gpc = !!input.gpcSignal && honoursGpc(decl);
  const categories: Record<string, ConsentState> = {};
  for (const [id, cat] of Object.entries(cats)) {
    if (cat.essential) categories[id] = "given";
    else if (gpc && isMarketingCategory(id, decl)) categories[id] = "refused";
    else if (input.categories[id]) categories[id] = input.categories[id];
  }
  const purposes: Record<string, ConsentState> = {};
  for (const [id, state] of Object.entries(categories)) for (const p of cats[id].purposes) purposes[p] = state;
  Object.assign(purposes, input.purposes ?? {});
  // What the person had given before this choice: a withdrawal is passed on to the processors serving those purposes.
  // Read only when this choice refuses something and a processor could be told: a choice that gives all reads nothing.
  // A device linked to a person at login stands for them: their banner choice is passed on with their address.
  const refused = Object.keys(purposes).filter((p) => purposes[p] === "refused" || purposes[p] === "withdrawn");
  const told = refused.length > 0 && propagationTargets(decl, refused).length > 0;
  const person = input.subjectId ?? (told && input.deviceId ? await linksOf(store).get(input.deviceId) : undefined);
  const before = person && told ? await currentState(store, { subjectId: person }, now) : {};
  const lang = input.language;
  const config = bannerConfig(decl, lang);
  const validity = parseDuration(decl.consent?.validity ?? "1 year") ?? { amount: 1, unit: "year" as const };
  const rec: ConsentRecord = {
    recordId: `cr_${randomBytes(12).toString("base64url")}`,
    deviceId: input.deviceId ?? null,
    subjectId: input.subjectId ?? null,
    categories,
    purposes,
    services: input.services ?? {},
    declarationVersion: decl.version,
    materialKey: config.materialKey,
    textHash: config.textHash,
    language: lang,
    jurisdiction: input.jurisdiction ?? decl.organization.defaultJurisdiction ?? decl.organization.jurisdictions[0],
    method: gpc ? "gpc" : input.method,
    at: now.toISOString(),
    validUntil: addDuration(now, validity).toISOString(),
    ip: truncateIp(input.ip),
    userAgent: input.userAgent?.slice(0, 400) ?? null,
    ...(input.gppString ? { gppString: input.gppString } : {}),
    ...(input.tcString ? { tcString: input.tcString } : {}),
  };
  await writerOf(store).submit({
    row: {
      record_id: rec.recordId,
      device_id: rec.deviceId,
      subject_id: rec.subjectId,
      categories: JSON.stringify(rec.categories),
      purposes: JSON.stringify(rec.purposes),
      services: JSON.stringify(rec.services),
      declaration_version: rec.declarationVersion,
      material_key: rec.materialKey,
      text_hash: rec.textHash,
      language: rec.language,
      jurisdiction: rec.jurisdiction,
      method: rec.method,
      at: rec.at,
      valid_until: rec.validUntil,
      ip: rec.ip,
      user_agent: rec.userAgent,
      gpp_string: rec.gppString ?? null,
      tc_string: rec.tcString ?? null,
    },
    audit: {
      input: {
        actor: rec.subjectId ? `subject:${sha(rec.subjectId).slice(0, 12)}` : "device",
        action: "consent.recorded",
        subject: rec.recordId,
        data: { method: rec.method, categories: rec.categories, version: rec.declarationVersion },
      },
      at: now,
    },
  });
  const withdrawn = Object.entries(rec.purposes)
    .filter(([p, st]) => (st === "refused" || st === "withdrawn") && before[p]?.state === "given")
    .map(([p]) => p);
  if (withdrawn.length && person)
    await queuePropagation(store, decl, `consent:${rec.recordId}`, person, withdrawn, now);
  return rec;
}

type EventRow = Awaited<ReturnType<typeof eventsOf>>[number];
export async function eventsOf(store: Store, who: { deviceId?: string; subjectId?: string }) {
  let devices: string[] = who.deviceId ? [who.deviceId] : [];
  if (who.subjectId)
    devices = [
      ...devices,
      ...(
        await store.db.selectFrom("consent_links").select("device_id").where("subject_id", "=", who.subjectId).execute()
      ).map((r) => r.device_id),
    ];
  if (!devices.length && !who.subjectId) return [];
  return store.db
    .selectFrom("consent_events")
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(devices.length ? [eb("device_id", "in", devices)] : []),
        ...(who.subjectId ? [eb("subject_id", "=", who.subjectId)] : []),
      ]),
    )
    .orderBy("at")
    .orderBy("id")
    .execute();
}

export function toRecord(r: EventRow): ConsentRecord {
  return {
    recordId: r.record_id,
    deviceId: r.device_id,
    subjectId: r.subject_id,
    categories: JSON.parse(r.categories) as Record<string, ConsentState>,
    purposes: JSON.parse(r.purposes) as Record<string, ConsentState>,
    services: JSON.parse(r.services) as Record<string, string>,
    declarationVersion: r.declaration_version,
    materialKey: r.material_key,
    textHash: r.text_hash,
    language: r.language,
    jurisdiction: r.jurisdiction,
    method: r.method as ConsentMethod,
    at: r.at,
    validUntil: r.valid_until,
    ip: r.ip,
    userAgent: r.user_agent,
    ...(r.gpp_string ? { gppString: r.gpp_string } : {}),
    ...(r.tc_string ? { tcString: r.tc_string } : {}),
  };
}

export interface PurposeState {
  state: ConsentState;
  recordId: string;
  at: string;
  validUntil: string;
  method: ConsentMethod;
}

/**
 * The current state per purpose, derived from every event of the device or
 * person (and the devices linked to them). The merge rule: per purpose, the
 * latest event wins; at the same instant, a refusal wins over a consent; a
 * refusal made by Global Privacy Control is never overridden by a later banner
 * consent to the same purpose (a later absence of the signal is not an opt-in).
 * Past its validity, a given state is `expired`.
 */
export async function currentState(
  store: Store,
  who: { deviceId?: string; subjectId?: string },
  now: Date = new Date(),
): Promise<Record<string, PurposeState>> {
  const out: Record<string, PurposeState> = {};
  for (const e of (await eventsOf(store, who)).map(toRecord)) {
    for (const [p, state] of Object.entries(e.purposes)) {
      const prev = out[p];
      if (prev && prev.method === "gpc" && prev.state === "refused" && state === "given" && e.method === "banner")
        continue;
      if (prev && prev.at === e.at && prev.state !== "given" && state === "given") continue;
      out[p] = { state, recordId: e.recordId, at: e.at, validUntil: e.validUntil, method: e.method };
    }
  }
  for (const s of Object.values(out)) if (s.state === "given" && s.validUntil <= now.toISOString()) s.state = "expired";
  return out;
}

/**
 * Each record with what its withdrawals passed on to processors: the vendor, the operation, its state and answer (a
 * record that withdrew nothing, or a device's, has none).
 */
export async function withPropagations(store: Store, records: ConsentRecord[]) {
  const by = await propagationsOfMany(
    store,
    records.map((r) => `consent:${r.recordId}`),
  );
  return records.map((r) => {
    const list = by.get(`consent:${r.recordId}`);
    return list
      ? {
          ...r,
          passedOn: list.map((p) => ({
            vendor: p.vendor,
            operation: p.operation,
            status: p.status,
            answer: p.answer,
            at: p.at,
          })),
        }
      : r;
  });
}

/** Links a device's choices to a person at login; afterwards the person's state includes the device's events. */
export async function linkDevice(
  store: Store,
  deviceId: string,
  subjectId: string,
  now: Date = new Date(),
): Promise<void> {
  await store.db
    .insertInto("consent_links")
    .values({ device_id: deviceId, subject_id: subjectId, linked_at: now.toISOString() })
    .onConflict((oc) => oc.column("device_id").doUpdateSet({ subject_id: subjectId, linked_at: now.toISOString() }))
    .execute();
  await appendAudit(store, { actor: "api", action: "consent.linked", subject: deviceId, data: {} }, now);
}

const ROLLED_UP_TO = "consent_daily_upto";
/** How old a record must be before it is counted: a writer that took an earlier id has committed by then. */
const SETTLE_MS = 10_000;

/**
 * Counts consent records into the daily counts the console charts (`consent_daily`), from the last record counted
 * on, at most `limit` records: the worker runs it every minute, and the console's pages once with a small limit, so
 * that no page pays for more than a batch. A record is counted once, by one server at a time (the watermark is read
 * under a row lock on PostgreSQL); records younger than ten seconds wait for the next run, so that a record whose
 * lower id commits late is not skipped.
 *
 * @returns how many records were counted
 */
export async function rollUpConsent(store: Store, now: Date = new Date(), limit = 50_000): Promise<number> {
  const batch = Math.min(limit, 5000);
  let counted = 0;
  while (counted < limit) {
    const n = await store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("settings")
        .values({ key: ROLLED_UP_TO, value: "0" })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute();
      let q = trx.selectFrom("settings").select("value").where("key", "=", ROLLED_UP_TO);
      if (store.capabilities.rowLocks) q = q.forUpdate();
      const upto = Number((await q.executeTakeFirstOrThrow()).value);
      const events = await trx
        .selectFrom("consent_events")
        .select(["id", "at", "method", "categories"])
        .where("id", ">", upto)
        .orderBy("id")
        .limit(batch)
        .execute();
      // Up to the first record too young to count: the watermark never passes one it has not counted.
      // SQLite commits one writer at a time, in id order: nothing can commit below the watermark later.
      const settled = new Date(now.getTime() - (store.engine === "postgres" ? SETTLE_MS : 0)).toISOString();
      const young = events.findIndex((e) => e.at > settled);
      const take = young < 0 ? events : events.slice(0, young);
      if (!take.length) return 0;
      const acc = new Map<string, { day: string; category: string; given: number; total: number }>();
      for (const e of take) {
        if (e.method !== "banner" && e.method !== "gpc") continue;
        for (const [category, state] of Object.entries(JSON.parse(e.categories) as Record<string, string>)) {
          const k = `${e.at.slice(0, 10)}|${category}`;
          const a = acc.get(k) ?? { day: e.at.slice(0, 10), category, given: 0, total: 0 };
          a.total++;
          if (state === "given") a.given++;
          acc.set(k, a);
        }
      }
      const rows = [...acc.values()];
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto("consent_daily")
          .values(rows.slice(i, i + 500))
          .onConflict((oc) =>
            oc.columns(["day", "category"]).doUpdateSet((eb) => ({
              given: eb(eb.ref("consent_daily.given"), "+", eb.ref("excluded.given")),
              total: eb(eb.ref("consent_daily.total"), "+", eb.ref("excluded.total")),
            })),
          )
          .execute();
      await trx
        .updateTable("settings")
        .set({ value: String(take[take.length - 1].id) })
        .where("key", "=", ROLLED_UP_TO)
        .execute();
      return take.length;
    });
    counted += n;
    if (n < batch) break;
  }
  return counted;
}

/** Consent given per non-essential category per day, for the console's chart (essential ones are always on). */
export async function consentRates(
  store: Store,
  decl: Declaration,
  since: Date,
): Promise<{ day: string; category: string; given: number; total: number }[]> {
  const essential = new Set(
    Object.entries(decl.consent?.categories ?? {})
      .filter(([, c]) => c.essential)
      .map(([id]) => id),
  );
  // Read from the day's counts: one row per day and category, whatever the number of records behind them.
  const rows = await store.db
    .selectFrom("consent_daily")
    .select(["day", "category", "given", "total"])
    .where("day", ">=", since.toISOString().slice(0, 10))
    .orderBy("day")
    .execute();
  return rows
    .filter((r) => !essential.has(r.category))
    .map((r) => ({ day: r.day, category: r.category, given: Number(r.given), total: Number(r.total) }));
}
