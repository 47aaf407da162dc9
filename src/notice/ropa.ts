/**
 * The record of processing activities (GDPR Art 30): 30(1) for a controller,
 * 30(2) for a processor, as JSON, CSV or JSON-LD with W3C DPV terms.
 */
import {
  EEA_COUNTRIES,
  basesOf,
  LEGAL_BASIS_INFO,
  TRANSFER_MECHANISM_INFO,
  categoriesOf,
  categoryName,
  subjectsOf,
  type Declaration,
  type TransferInfo,
  writtenOf,
} from "../declaration/index.js";
import { toCsv } from "../csv/index.js";
import { countryName, describeRetention, placeOf, retentionForCategory } from "./model.js";

export interface RopaParty {
  name: string;
  contact: string;
}

export interface RopaTransfer {
  to: string;
  country: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  safeguards: string[];
}

export interface ControllerActivity {
  id: string;
  /** 30(1)(b) */
  purpose: string;
  legalBasis?: string;
  /** 30(1)(c) */
  dataSubjects: string[];
  dataCategories: { key: string; name: string; dpv?: string }[];
  /** 30(1)(d) */
  /** `countryCode` (ISO 3166-1 alpha-2) where the recipient is in a country, not the public or other users. */
  recipients: { name: string; role: string; country: string; countryCode?: string }[];
  /** 30(1)(e) */
  transfers: RopaTransfer[];
  /** 30(1)(f), the purpose's rule */
  erasureTimeLimit?: string;
  /**
   * 30(1)(f), per data category: the rules that govern each category of the purpose (its own and any naming the
   * category).
   */
  erasureTimeLimits: { category: string; limits: string[] }[];
  dpvPurpose?: string;
  /** Where the declaration states each field (`purposes.billing.retention`), as `pledge notice --explain` does. */
  sources: Partial<
    Record<
      "purpose" | "legalBasis" | "dataSubjects" | "dataCategories" | "recipients" | "transfers" | "erasureTimeLimit",
      string[]
    >
  >;
}

export interface ProcessorActivityRecord {
  id: string;
  name: string;
  /** 30(2)(a): each controller served, with contact details where declared. */
  controllers: RopaParty[];
  /** 30(2)(b) */
  categoriesOfProcessing: string[];
  dataCategories: { key: string; name: string; dpv?: string }[];
  /** 30(2)(c): the processor's own transfers and its sub-processors'. */
  transfers: RopaTransfer[];
  subProcessors: { name: string; country: string }[];
  /** Where the declaration states each field. */
  sources: Partial<
    Record<"controllers" | "categoriesOfProcessing" | "dataCategories" | "transfers" | "subProcessors", string[]>
  >;
}

export interface ControllerRecord {
  kind: "controller";
  article: "GDPR Art 30(1)";
  /** 30(1)(a) */
  controller: RopaParty;
  jointControllers: RopaParty[];
  representative?: RopaParty;
  ukRepresentative?: RopaParty;
  dpo?: RopaParty;
  activities: ControllerActivity[];
  /** 30(1)(g) */
  securityMeasures: string[];
}

export interface ProcessorRecord {
  kind: "processor";
  article: "GDPR Art 30(2)";
  /** 30(2)(a) */
  processor: RopaParty;
  representative?: RopaParty;
  ukRepresentative?: RopaParty;
  dpo?: RopaParty;
  activities: ProcessorActivityRecord[];
  /** 30(2)(d) */
  securityMeasures: string[];
}

export interface Ropa {
  organization: string;
  version: string;
  effectiveDate: string;
  records: (ControllerRecord | ProcessorRecord)[];
}

const party = (
  p: { name?: string; email?: string; phone?: string; address?: string; url?: string } | undefined,
  fallback = "",
): RopaParty | undefined =>
  p
    ? { name: p.name ?? fallback, contact: [p.address, p.email, p.phone, p.url].filter(Boolean).join("; ") }
    : undefined;

function transfersOf(who: string, country: string | undefined, t: TransferInfo | undefined): RopaTransfer[] {
  if (!country || EEA_COUNTRIES.has(country)) return [];
  return [
    {
      to: who,
      country: countryName(country),
      countryCode: country,
      safeguards: t ? t.mechanisms.map((m) => TRANSFER_MECHANISM_INFO[m].name) : ["none stated"],
    },
  ];
}

/** Only the paths the author wrote: a field the schema filled in has no source to show. */
function stated<T extends Record<string, string[]>>(decl: Declaration, sources: T): T {
  const written = writtenOf(decl);
  const out: Record<string, string[]> = {};
  for (const [field, paths] of Object.entries(sources)) {
    const kept = paths.filter((p) => written.has(p.split(".")));
    if (kept.length) out[field] = kept;
  }
  return out as T;
}

/** The declaration paths of each field of a purpose's record. */
function purposeSources(decl: Declaration, id: string): ControllerActivity["sources"] {
  const p = decl.purposes[id];
  const at = (k: string) => `purposes.${id}.${k}`;
  return stated(decl, {
    purpose: [at("name"), ...(p.description ? [at("description")] : [])],
    ...(basesOf(p).length ? { legalBasis: [p.legalBases.length ? at("legalBases") : at("legalBasis")] } : {}),
    dataSubjects: [at("dataSubjects")],
    dataCategories: [at("dataCategories")],
    ...(p.recipients.length ? { recipients: [at("recipients")] } : {}),
    transfers: [
      ...(decl.organization.transfer ? ["organization.transfer"] : []),
      ...p.recipients.filter((r) => decl.recipients[r]).map((r) => `recipients.${r}.transfer`),
    ],
    ...(p.retention ? { erasureTimeLimit: [at("retention"), `retention.${p.retention}`] } : {}),
  });
}

/** Builds the record of processing: a controller record, a processor record, or both, by the organization's roles. */
export function buildRopa(decl: Declaration): Ropa {
  const org = decl.organization;
  const cats = categoriesOf(decl);
  const subjects = subjectsOf(decl);
  const catList = (keys: string[]) =>
    keys.map((k) => ({ key: k, name: categoryName(k, cats), ...(cats[k]?.dpv ? { dpv: cats[k].dpv } : {}) }));
  const records: Ropa["records"] = [];
  const measures = decl.security?.measures ?? [];
  const rep = party(org.euRepresentative, "EU representative");
  const ukRep = party(org.ukRepresentative, "UK representative");
  const reps = { ...(rep ? { representative: rep } : {}), ...(ukRep ? { ukRepresentative: ukRep } : {}) };
  const dpo = party(org.dpo, "Data protection officer");
  const self = party({ ...org.contact, name: org.name })!;

  if (org.roles.includes("controller") || org.roles.includes("joint_controller")) {
    records.push({
      kind: "controller",
      article: "GDPR Art 30(1)",
      controller: self,
      jointControllers: org.jointControllers.map((j) => party(j)!),
      ...reps,
      ...(dpo ? { dpo } : {}),
      activities: Object.entries(decl.purposes).map(([id, p]) => ({
        id,
        purpose: p.name + (p.description ? `: ${p.description}` : ""),
        ...(basesOf(p).length
          ? {
              legalBasis: basesOf(p)
                .map(
                  (b) =>
                    `${LEGAL_BASIS_INFO[b.basis].name} (${LEGAL_BASIS_INFO[b.basis].article})` +
                    `${b.scope ? `, for ${b.scope}` : ""}`,
                )
                .join("; "),
            }
          : {}),
        dataSubjects: p.dataSubjects.map((s) => subjects[s]?.name ?? s),
        dataCategories: catList(p.dataCategories),
        recipients: p.recipients
          .map((r) => decl.recipients[r])
          .filter(Boolean)
          .map((r) => ({
            name: r.name,
            role: r.role,
            country: placeOf(r),
            ...(r.audience === "public" || r.audience === "other_users" ? {} : { countryCode: r.country }),
          })),
        transfers: [
          ...(org.transfer ? transfersOf(org.name, org.country, org.transfer) : []),
          ...p.recipients.flatMap((rid) => {
            const r = decl.recipients[rid];
            return r ? transfersOf(r.name, r.country, r.transfer) : [];
          }),
        ],
        ...(p.retention && decl.retention[p.retention]
          ? { erasureTimeLimit: describeRetention(decl.retention[p.retention]) }
          : {}),
        erasureTimeLimits: p.dataCategories.map((c) => {
          const rules = retentionForCategory(decl, c).filter(
            (r) => r.id === p.retention || r.rule.dataCategories.length > 0,
          );
          return { category: categoryName(c, cats), limits: rules.map((r) => describeRetention(r.rule, c)) };
        }),
        ...(p.dpv ? { dpvPurpose: p.dpv } : {}),
        sources: purposeSources(decl, id),
      })),
      securityMeasures: measures,
    });
  }
  if (org.roles.includes("processor")) {
    records.push({
      kind: "processor",
      article: "GDPR Art 30(2)",
      processor: self,
      ...reps,
      ...(dpo ? { dpo } : {}),
      activities: Object.entries(decl.processorActivities).map(([id, a]) => {
        // The sub-processors the activity names, or, when it names none, every recipient engaged as a sub-processor
        // or as a processor that none of the organization's own purposes uses (it serves the customers' data).
        const ownUse = new Set(Object.values(decl.purposes).flatMap((p) => p.recipients));
        const subIds = (
          a.subProcessors.length
            ? a.subProcessors
            : Object.keys(decl.recipients).filter(
                (r) =>
                  decl.recipients[r].role === "sub_processor" ||
                  (decl.recipients[r].role === "processor" && !ownUse.has(r)),
              )
        ).filter((r) => decl.recipients[r]);
        const subs = subIds.map((r) => decl.recipients[r]);
        return {
          id,
          name: a.name,
          controllers: a.controllers.map((c) => (typeof c === "string" ? { name: c, contact: "" } : party(c)!)),
          categoriesOfProcessing: a.processing,
          dataCategories: catList(a.dataCategories),
          transfers: [
            ...a.locations
              .filter((c) => !EEA_COUNTRIES.has(c))
              .flatMap((c) => transfersOf(org.name, c, a.transfer ?? org.transfer)),
            ...subs.flatMap((r) => transfersOf(`${r.name} (sub-processor)`, r.country, r.transfer)),
          ],
          subProcessors: subs.map((r) => ({ name: r.name, country: placeOf(r) })),
          sources: stated(decl, {
            controllers: [`processorActivities.${id}.controllers`],
            categoriesOfProcessing: [`processorActivities.${id}.processing`],
            dataCategories: [`processorActivities.${id}.dataCategories`],
            transfers: [
              `processorActivities.${id}.locations`,
              ...(a.transfer ? [`processorActivities.${id}.transfer`] : org.transfer ? ["organization.transfer"] : []),
              ...subIds.map((r) => `recipients.${r}.transfer`),
            ],
            subProcessors: a.subProcessors.length
              ? [`processorActivities.${id}.subProcessors`]
              : subIds.map((r) => `recipients.${r}.role`),
          }),
        };
      }),
      securityMeasures: measures,
    });
  }
  return { organization: org.name, version: decl.version, effectiveDate: decl.effectiveDate, records };
}

/** The record as CSV: one row per activity, one column per Art 30 letter. */
export function ropaToCsv(ropa: Ropa): string {
  const header = [
    "record",
    "organization",
    "contact",
    "representative",
    "dpo",
    "activity",
    "purpose_or_processing",
    "controllers",
    "legal_basis",
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "erasure_time_limit",
    "security_measures",
  ];
  const rows: string[][] = [];
  const tr = (t: RopaTransfer[]) => t.map((x) => `${x.to} (${x.country}): ${x.safeguards.join(", ")}`).join("; ");
  for (const r of ropa.records) {
    const who = r.kind === "controller" ? r.controller : r.processor;
    const common = [
      r.article,
      who.name,
      who.contact,
      r.representative ? `${r.representative.name}: ${r.representative.contact}` : "",
      r.dpo ? `${r.dpo.name}: ${r.dpo.contact}` : "",
    ];
    for (const a of r.activities) {
      if (r.kind === "controller") {
        const ca = a as ControllerActivity;
        rows.push([
          ...common,
          ca.id,
          ca.purpose,
          r.jointControllers.map((j) => `joint controller ${j.name}: ${j.contact}`).join("; "),
          ca.legalBasis ?? "",
          ca.dataSubjects.join("; "),
          ca.dataCategories.map((c) => c.name).join("; "),
          ca.recipients.map((x) => `${x.name} (${x.role}, ${x.country})`).join("; "),
          tr(ca.transfers),
          ca.erasureTimeLimits.map((l) => `${l.category}: ${l.limits.join("; ") || "not stated"}`).join(" | ") ||
            (ca.erasureTimeLimit ?? ""),
          r.securityMeasures.join("; "),
        ]);
      } else {
        const pa = a as ProcessorActivityRecord;
        rows.push([
          ...common,
          pa.id,
          `${pa.name}: ${pa.categoriesOfProcessing.join("; ")}`,
          pa.controllers.map((c) => (c.contact ? `${c.name}: ${c.contact}` : c.name)).join("; "),
          "",
          "",
          pa.dataCategories.map((c) => c.name).join("; "),
          pa.subProcessors.map((x) => `${x.name} (sub-processor, ${x.country})`).join("; "),
          tr(pa.transfers),
          "",
          r.securityMeasures.join("; "),
        ]);
      }
    }
  }
  return toCsv(header, rows);
}

/** The record as JSON-LD, using W3C DPV terms. */
export function ropaToJsonLd(ropa: Ropa, decl: Declaration): Record<string, unknown> {
  const slug = decl.organization.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const base = `urn:pledge:${slug}:${encodeURIComponent(ropa.version)}`;
  const category = (c: { key: string; name: string; dpv?: string }) => ({
    "@id": `${base}:category:${c.key}`,
    "@type": c.dpv ?? "dpv:PersonalData",
    "rdfs:label": c.name,
  });
  // Concepts where DPV expects concepts: a country is a dpv:Country with its ISO code, a measure a typed node.
  const country = (code: string, name: string, type = "dpv:Country") => ({
    "@type": type,
    "dpv:hasIdentifier": code,
    "rdfs:label": name,
  });
  const measures = (labels: string[], type = "dpv:TechnicalOrganisationalMeasure") =>
    labels.map((label) => ({ "@type": type, "rdfs:label": label }));
  // A transfer is a processing operation (dpv:CrossBorderTransfer), its importer a recipient in a third country.
  const transfer = (t: RopaTransfer) => ({
    "@type": "dpv:CrossBorderTransfer",
    "dpv:hasDataImporter": { "@type": "dpv:Recipient", "rdfs:label": t.to },
    "dpv:hasThirdCountry": country(t.countryCode, t.country, "dpv:ThirdCountry"),
    "dpv:hasTechnicalOrganisationalMeasure": measures(t.safeguards, "dpv:SafeguardForDataTransfer"),
  });
  const graph = ropa.records.flatMap((r): Record<string, unknown>[] =>
    r.kind === "controller"
      ? r.activities.map((a) => {
          const p = decl.purposes[a.id];
          return {
            "@id": `${base}:activity:${a.id}`,
            "@type": "dpv:PersonalDataHandling",
            "dcterms:source": r.article,
            "dpv:hasDataController": {
              "@id": `${base}:controller`,
              "@type": "dpv:DataController",
              "rdfs:label": r.controller.name,
            },
            "dpv:hasPurpose": { "@type": a.dpvPurpose ?? "dpv:Purpose", "rdfs:label": a.purpose },
            ...(p && basesOf(p).length
              ? {
                  "dpv:hasLegalBasis": basesOf(p).flatMap((b) => [
                    { "@id": LEGAL_BASIS_INFO[b.basis].dpv },
                    { "@id": LEGAL_BASIS_INFO[b.basis].gdpr },
                  ]),
                }
              : {}),
            "dpv:hasDataSubject": a.dataSubjects.map((s) => ({ "@type": "dpv:DataSubject", "rdfs:label": s })),
            "dpv:hasPersonalData": a.dataCategories.map(category),
            "dpv:hasRecipient": a.recipients.map((x) => ({
              "@type": x.role === "processor" ? "dpv:DataProcessor" : "dpv:Recipient",
              "rdfs:label": x.name,
              ...(x.countryCode ? { "dpv:hasCountry": country(x.countryCode, x.country) } : {}),
            })),
            ...(a.transfers.length ? { "dpv:hasProcessing": a.transfers.map(transfer) } : {}),
            ...(a.erasureTimeLimit
              ? { "dpv:hasStorageCondition": { "@type": "dpv:StorageDuration", "rdfs:label": a.erasureTimeLimit } }
              : {}),
            "dpv:hasTechnicalOrganisationalMeasure": measures(r.securityMeasures),
          };
        })
      : r.activities.map((a) => ({
          "@id": `${base}:processing:${a.id}`,
          "@type": "dpv:PersonalDataHandling",
          "dcterms:source": r.article,
          "dpv:hasDataProcessor": {
            "@id": `${base}:processor`,
            "@type": "dpv:DataProcessor",
            "rdfs:label": r.processor.name,
          },
          "dpv:hasDataController": a.controllers.map((c) => ({ "@type": "dpv:DataController", "rdfs:label": c.name })),
          "dpv:hasProcessing": [
            ...a.categoriesOfProcessing.map((c) => ({ "@type": "dpv:Processing", "rdfs:label": c })),
            ...a.transfers.map(transfer),
          ],
          "dpv:hasPersonalData": a.dataCategories.map(category),
          "dpv:hasTechnicalOrganisationalMeasure": measures(r.securityMeasures),
        })),
  );
  return {
    "@context": {
      dpv: "https://w3id.org/dpv#",
      pd: "https://w3id.org/dpv/pd#",
      "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
      rdfs: "http://www.w3.org/2000/01/rdf-schema#",
      dcterms: "http://purl.org/dc/terms/",
    },
    "@id": `${base}:ropa`,
    "dcterms:title": `Record of processing activities — ${ropa.organization}`,
    "dcterms:hasVersion": ropa.version,
    "dcterms:valid": ropa.effectiveDate,
    "@graph": graph,
  };
}
