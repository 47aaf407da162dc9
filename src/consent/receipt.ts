/**
 * The consent receipt a person downloads: every consent event of their device (or of them and their linked devices),
 * in the record structure of ISO/IEC TS 27560:2023, each field filled from the stored event and the declaration in
 * force. `RECEIPT_FIELDS` names each field with the 27560 element it carries; docs/protocols.md lists them.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { categoriesOf, categoryName, type Declaration } from "../declaration/index.js";
import type { Store } from "../store/index.js";
import { currentState, eventsOf, toRecord, type ConsentRecord, withPropagations } from "./records.js";

export const RECEIPT_SCHEMA_VERSION = "pledge-consent-receipt/2 (ISO/IEC TS 27560:2023)";

/** The receipt's fields and the ISO/IEC TS 27560 element each carries. */
export const RECEIPT_FIELDS: Readonly<Record<string, string>> = {
  schemaVersion: "schema version",
  receiptId: "record id (of this receipt)",
  "records[].recordId": "record id (of each consent event)",
  piiPrincipalId: "PII principal id",
  "controllers[].name, id, type, address, contact": "PII controller: name, id, type, address, contact",
  "records[].notice": "privacy notice presented (declaration version, hash of the text shown) and its language",
  "records[].purposes[].purpose": "purpose",
  "records[].purposes[].lawfulBasis": "lawful basis",
  "records[].purposes[].piiTypes": "PII types (data categories)",
  "records[].purposes[].storageLocations": "storage locations",
  "records[].purposes[].retention": "retention period",
  "records[].purposes[].recipients": "recipients (third parties and processors, with their country)",
  "records[].jurisdiction": "jurisdiction",
  "records[].consentType": "consent type",
  "records[].event.type, time, by, state": "event type, event time, entity (by whom), state",
  "records[].validUntil": "validity",
  withdraw: "how to withdraw",
};

/** The receipt as the OpenAPI document shows it: the fields above, each record with the stored event's own. */
export const ReceiptSchema = z
  .object({
    schemaVersion: z.string(),
    receiptId: z.string(),
    generatedAt: z.string(),
    piiPrincipalId: z.string(),
    controllers: z.array(
      z.object({ name: z.string(), id: z.string(), type: z.string(), address: z.string(), contact: z.string() }),
    ),
    records: z.array(
      z.looseObject({
        recordId: z.string(),
        at: z.string(),
        validUntil: z.string(),
        language: z.string(),
        jurisdiction: z.string(),
        method: z.string(),
        consentType: z.string(),
        notice: z.object({
          version: z.string(),
          textHash: z.string(),
          language: z.string(),
          url: z.string().optional(),
        }),
        event: z.object({
          type: z.string(),
          time: z.string(),
          by: z.string(),
          state: z.record(z.string(), z.string()),
        }),
        purposes: z.array(z.looseObject({ purpose: z.string(), state: z.string() })),
        choices: z.record(z.string(), z.string()),
      }),
    ),
    current: z.record(z.string(), z.looseObject({ state: z.string() })),
    withdraw: z.string(),
  })
  .meta({ id: "ConsentReceipt", description: "A consent receipt with the record fields of ISO/IEC TS 27560:2023" });

/** The purpose entries of a receipt record: what the person was asked about, from the declaration in force. */
function purposesOf(decl: Declaration, categories: ReturnType<typeof categoriesOf>, states: Record<string, string>) {
  return Object.entries(states).map(([id, state]) => {
    const p = decl.purposes[id];
    if (!p) return { purpose: id, state, note: "no longer in the declaration" };
    const rule = p.retention ? decl.retention[p.retention] : undefined;
    const systems = p.systems.map((s) => decl.systems[s]).filter((s) => s !== undefined);
    return {
      purpose: p.name,
      purposeId: id,
      state,
      lawfulBasis: p.legalBasis ?? "consent",
      piiTypes: p.dataCategories.map((c) => categoryName(c, categories)),
      storageLocations: systems.map((s) => ({
        system: s.name,
        ...(s.location ? { country: s.location.country } : {}),
      })),
      retention: rule ? { period: rule.period, from: rule.from, action: rule.action } : "not stated",
      recipients: p.recipients.flatMap((r) => {
        const x = decl.recipients[r];
        return x ? [{ name: x.name, role: x.role, ...(x.country ? { country: x.country } : {}) }] : [];
      }),
    };
  });
}

/** 27560's event types, from a record's states: one record may give some purposes and refuse others. */
function eventType(r: ConsentRecord): string {
  const states = new Set(Object.values(r.purposes));
  if (states.size === 1) return [...states][0];
  return "choice (per purpose)";
}

/**
 * The person's receipt. Only the device's or person's own events are read; the caller has proved that it holds the
 * device id or is the signed-in person.
 */
export async function consentReceipt(
  store: Store,
  decl: Declaration,
  who: { deviceId?: string; subjectId?: string },
  now: Date = new Date(),
  options: { noticeUrl?: string } = {},
) {
  const org = decl.organization;
  const principal = who.subjectId ?? `device:${who.deviceId ?? ""}`;
  const records = await withPropagations(store, (await eventsOf(store, who)).map(toRecord));
  const categories = categoriesOf(decl);
  return {
    schemaVersion: RECEIPT_SCHEMA_VERSION,
    receiptId: randomUUID(),
    generatedAt: now.toISOString(),
    piiPrincipalId: principal,
    controllers: [
      {
        name: org.name,
        id: org.contact.url ?? org.contact.email ?? org.name,
        type: "legal entity",
        address: org.contact.address ?? "not stated",
        contact: org.contact.email ?? org.contact.url ?? org.contact.phone ?? "",
      },
      ...org.jointControllers.map((j) => ({
        name: j.name,
        id: j.url ?? j.email ?? j.name,
        type: "legal entity (joint controller)",
        address: j.address ?? "not stated",
        contact: j.email ?? j.url ?? j.phone ?? "",
      })),
    ],
    records: records.map((r) => ({
      ...r,
      notice: {
        version: r.declarationVersion,
        textHash: r.textHash,
        language: r.language,
        ...(options.noticeUrl ? { url: options.noticeUrl } : {}),
      },
      consentType: r.method === "gpc" ? "signal (Global Privacy Control)" : "expressed",
      event: { type: eventType(r), time: r.at, by: r.subjectId ?? `device:${r.deviceId ?? ""}`, state: r.purposes },
      purposes: purposesOf(decl, categories, r.purposes),
      choices: r.purposes,
    })),
    current: await currentState(store, who, now),
    withdraw: "Open the privacy settings on the site and change your choices, or ask through the privacy center.",
  };
}
