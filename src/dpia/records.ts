/**
 * DPIA records (GDPR Art 35(7)): opened pre-filled from the declaration — the processing described, its necessity,
 * a risk per criterion the screening found, and the declared security measures — then edited by staff. Every save is
 * a new version; none is overwritten.
 */
import { appendAudit } from "../audit/index.js";
import { basesOf, type Declaration, subjectsOf } from "../declaration/index.js";
import type { Store } from "../store/index.js";
import { type Screening, screenPurpose } from "./screening.js";

/** The parts of a DPIA, as Art 35(7)(a)–(d) lists them, plus the officer's conclusion. */
export interface DpiaBody {
  /** (a) a systematic description of the processing and its purposes. */
  description: string;
  /** (b) the necessity and proportionality of the processing in relation to the purposes. */
  necessity: string;
  /** (c) the risks to the rights and freedoms of the people concerned. */
  risks: { criterion: string; risk: string }[];
  /** (d) the measures envisaged to address the risks. */
  measures: string[];
  conclusion: string;
  /** The screening when the record was opened. */
  screening: Pick<Screening, "result" | "reasons">;
}

export interface DpiaRecord {
  purpose: string;
  version: number;
  declarationVersion: string;
  createdAt: string;
  createdBy: string;
  body: DpiaBody;
}

/** What the declaration says, laid out as the first draft of a DPIA of one purpose. */
export function draftDpia(decl: Declaration, purposeId: string): DpiaBody {
  const p = decl.purposes[purposeId];
  const s = screenPurpose(decl, purposeId);
  const subjects = subjectsOf(decl);
  const systems = p.systems.map((id) => decl.systems[id]?.name ?? id);
  const recipients = p.recipients.map((id) => {
    const r = decl.recipients[id];
    return r ? `${r.name} (${r.role.replace(/_/g, " ")}${r.country ? `, ${r.country}` : ""})` : id;
  });
  const retention = p.retention ? decl.retention[p.retention] : undefined;
  const description = [
    `${p.name}${p.description ? `: ${p.description}` : "."}`,
    `Data categories: ${p.dataCategories.join(", ")}.`,
    `People concerned: ${p.dataSubjects.map((id) => subjects[id]?.name ?? id).join(", ")}.`,
    `Sources: ${p.sources.join(", ").replace(/_/g, " ")}${p.sourceDescription ? ` (${p.sourceDescription})` : ""}.`,
    systems.length ? `Systems: ${systems.join(", ")}.` : "",
    recipients.length ? `Recipients: ${recipients.join("; ")}.` : "No recipients are declared.",
    p.automatedDecision?.used ? `Automated decision-making: ${p.automatedDecision.logic ?? "declared"}.` : "",
  ]
    .filter(Boolean)
    .join("\n");
  const bases = basesOf(p);
  const necessity = [
    bases.length
      ? `Legal basis: ${bases.map((b) => `${b.basis.replace(/_/g, " ")}${b.scope ? ` (${b.scope})` : ""}`).join("; ")}.`
      : "No legal basis is declared.",
    p.legitimateInterest ? `Legitimate interest: ${p.legitimateInterest}.` : "",
    p.requirement
      ? `The data is ${p.requirement.type.replace(/_/g, " ")}` +
        `${p.requirement.consequence ? `: ${p.requirement.consequence}` : ""}.`
      : "",
    retention
      ? `Kept: ` +
        `${
          retention.description ??
          `${retention.period}` + `${retention.from ? ` from ${retention.from.toString().replace(/_/g, " ")}` : ""}`
        }` +
        `.`
      : "No retention rule is declared for this purpose.",
    "Why less data, or less intrusive means, would not serve the purpose: (to be written).",
  ]
    .filter(Boolean)
    .join("\n");
  return {
    description,
    necessity,
    risks: [
      ...s.art35.map((c) => ({
        criterion: c.text,
        risk: "(describe the likelihood and severity for the people concerned)",
      })),
      ...s.criteria.map((c) => ({
        criterion: `${c.name} — ${c.because}`,
        risk: "(describe the likelihood and severity for the people concerned)",
      })),
      ...s.transfers.map((t) => ({
        criterion: `Transfer: ${t}`,
        risk: "(access by authorities of the country, enforceability of rights)",
      })),
    ],
    measures: [...(decl.security?.measures ?? [])],
    conclusion: "",
    screening: { result: s.result, reasons: s.reasons },
  };
}

const toRecord = (r: {
  purpose: string;
  version: number;
  declaration_version: string;
  created_at: string;
  created_by: string;
  body: string;
}): DpiaRecord => ({
  purpose: r.purpose,
  version: Number(r.version),
  declarationVersion: r.declaration_version,
  createdAt: r.created_at,
  createdBy: r.created_by,
  body: JSON.parse(r.body) as DpiaBody,
});

/** The latest version of a purpose's DPIA record (or the one asked for), or undefined. */
export async function getDpiaRecord(store: Store, purpose: string, version?: number): Promise<DpiaRecord | undefined> {
  let q = store.db.selectFrom("dpia_records").selectAll().where("purpose", "=", purpose);
  q = version ? q.where("version", "=", version) : q.orderBy("version", "desc").limit(1);
  const row = await q.executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** Every version of a purpose's record, newest first, without their bodies' detail. */
export async function listDpiaVersions(
  store: Store,
  purpose: string,
): Promise<{ version: number; createdAt: string; createdBy: string; declarationVersion: string }[]> {
  const rows = await store.db
    .selectFrom("dpia_records")
    .select(["version", "created_at", "created_by", "declaration_version"])
    .where("purpose", "=", purpose)
    .orderBy("version", "desc")
    .execute();
  return rows.map((r) => ({
    version: Number(r.version),
    createdAt: r.created_at,
    createdBy: r.created_by,
    declarationVersion: r.declaration_version,
  }));
}

/** Saves a new version of a purpose's record (the first one is the draft from the declaration). Audited. */
export async function saveDpiaRecord(
  store: Store,
  decl: Declaration,
  purpose: string,
  body: DpiaBody,
  actor: string,
  now: Date = new Date(),
): Promise<DpiaRecord> {
  for (let attempt = 0; ; attempt++) {
    const last = await getDpiaRecord(store, purpose);
    const version = (last?.version ?? 0) + 1;
    try {
      await store.db
        .insertInto("dpia_records")
        .values({
          purpose,
          version,
          declaration_version: decl.version,
          body: JSON.stringify(body),
          created_at: now.toISOString(),
          created_by: actor,
        })
        .execute();
    } catch (err) {
      // Two saves at once: the unique (purpose, version) lets one win; the other takes the next number.
      if (attempt < 3) continue;
      throw err;
    }
    await appendAudit(store, { actor, action: "dpia.saved", subject: purpose, data: { version } });
    return (await getDpiaRecord(store, purpose, version))!;
  }
}

/** Opens a purpose's record: the latest version, or a first one drafted from the declaration. */
export async function openDpiaRecord(
  store: Store,
  decl: Declaration,
  purpose: string,
  actor: string,
): Promise<DpiaRecord> {
  return (await getDpiaRecord(store, purpose)) ?? saveDpiaRecord(store, decl, purpose, draftDpia(decl, purpose), actor);
}
