/**
 * The peers of Pledge's detector, each wrapped to return typed spans so that one scorer can judge all four:
 * redact-pii and @redactpii/node return redacted text, whose placeholders are aligned back onto the input;
 * openredaction returns positions. Types the corpus does not label (URLs, usernames, "digits") are dropped.
 */
import { OpenRedaction } from "@openredaction/core";
import { Redactor } from "@redactpii/node";
import { SyncRedactor } from "redact-pii";
import type { Kind } from "../test/helpers/log-corpus.js";

export interface Found {
  type: Kind;
  start: number;
  end: number;
}

/**
 * Where the placeholders of a redacted text stand in its input: the text between placeholders is copied
 * unchanged, so each placeholder covers the input from the end of the text before it to the start of the text
 * after it.
 */
export function alignPlaceholders(
  input: string,
  output: string,
  kinds: Readonly<Record<string, Kind | null>>,
): Found[] {
  const re = new RegExp(`\\b(${Object.keys(kinds).join("|")})\\b`, "g");
  const pieces: { literal: string; placeholder?: string }[] = [];
  let last = 0;
  for (const m of output.matchAll(re)) {
    pieces.push({ literal: output.slice(last, m.index), placeholder: m[1] });
    last = m.index + m[0].length;
  }
  pieces.push({ literal: output.slice(last) });
  const out: Found[] = [];
  let at = 0;
  for (let i = 0; i < pieces.length; i++) {
    at += pieces[i].literal.length;
    const ph = pieces[i].placeholder;
    if (!ph) break;
    const next = pieces[i + 1]?.literal ?? "";
    const end = next ? input.indexOf(next, at + 1) : input.length;
    if (end < 0) break;
    const type = kinds[ph];
    if (type) out.push({ type, start: at, end: next ? end : input.length });
    at = next ? end : input.length;
  }
  return out;
}

const REDACT_PII: Record<string, Kind | null> = {
  EMAIL_ADDRESS: "email",
  PHONE_NUMBER: "phone",
  IP_ADDRESS: "ip",
  CREDIT_CARD_NUMBER: "card",
  US_SOCIAL_SECURITY_NUMBER: "ssn",
  PERSON_NAME: "name",
  STREET_ADDRESS: "address",
  ZIPCODE: "address",
  USERNAME: null,
  PASSWORD: null,
  CREDENTIALS: null,
  DIGITS: null,
  URL: null,
};

export function redactPii(): (text: string) => Found[] {
  const r = new SyncRedactor();
  return (text) => alignPlaceholders(text, r.redact(text), REDACT_PII);
}

export function redactpiiNode(): (text: string) => Found[] {
  const r = new Redactor();
  return (text) => alignPlaceholders(text, r.redact(text), REDACT_PII);
}

/** openredaction's types, by prefix: every PHONE_* is a phone, every ADDRESS_* and postcode part of an address. */
function openKind(t: string): Kind | null {
  if (t === "EMAIL") return "email";
  if (t.startsWith("PHONE")) return "phone";
  if (t === "IPV4" || t === "IPV6") return "ip";
  if (t === "CREDIT_CARD") return "card";
  if (t.endsWith("IBAN")) return "iban";
  if (t === "SSN") return "ssn";
  if (t === "DATE_OF_BIRTH" || t === "DATE") return "dob";
  if (t === "NAME") return "name";
  if (t.startsWith("ADDRESS") || t === "POSTCODE_UK" || t === "ZIP_CODE_US") return "address";
  return null;
}

export function openRedaction(): (text: string) => Promise<Found[]> {
  const o = new OpenRedaction();
  return async (text) => {
    const r = await o.detect(text);
    const out: Found[] = [];
    for (const d of r.detections) {
      const type = openKind(d.type);
      if (type && d.position) out.push({ type, start: d.position[0], end: d.position[1] });
    }
    return out;
  };
}
