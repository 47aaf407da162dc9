/**
 * How identities match the way data stores hold them: an email in any case,
 * a phone number in any of its formats (`+1 267-546-5296`, `(267) 546 5296`,
 * `2675465296`, `+49 0711 2842222` with the trunk zero kept), anything else
 * exactly. A field may declare its own `match`.
 */
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber as Parsed } from "libphonenumber-js";
import { EEA_COUNTRIES } from "./law.js";
import type { Declaration, Field, MatchMode } from "./schema.js";

/** The default matching of identity types; any other type matches exactly. */
export const DEFAULT_MATCH: Readonly<Record<string, MatchMode>> = { email: "case_insensitive", phone: "phone" };

/** How an identity type matches when a field says nothing. */
export function identityMatch(type: string): MatchMode {
  return DEFAULT_MATCH[type] ?? "exact";
}

/** How an identity field is compared with the values a person gives. */
export function fieldMatch(field: Pick<Field, "identity" | "match">): MatchMode {
  return field.match ?? (field.identity ? identityMatch(field.identity) : "exact");
}

export interface PhoneNumber {
  /** `+12675465296` */
  e164: string;
  /**
   * The digit strings a database may hold for the number once its separators
   * are stripped: with the country code, national, with the trunk prefix, with
   * the country code and the trunk prefix (`4907112842222`), and with the
   * international call prefixes.
   */
  candidates: string[];
}

/**
 * Where a phone number written without its country code may be from, in tiers: the organization's country, then the
 * countries it serves by name (`US-CA` is the US, `UK` is GB), then the EEA's when it serves the EU or the EEA. A
 * number is read in the first tier where it is a valid number.
 */
export type PhoneRegions = readonly (readonly string[])[];

/** The tiers of regions a declaration's phone numbers are read in (see `PhoneRegions`). */
export function phoneRegions(decl: Pick<Declaration, "organization">): PhoneRegions {
  const own = decl.organization.country;
  const named = new Set<string>();
  let eea = false;
  for (const j of decl.organization.jurisdictions) {
    if (j === "EU" || j === "EEA") eea = true;
    else {
      const c = j.split("-")[0];
      named.add(c === "UK" ? "GB" : c);
    }
  }
  named.delete(own);
  const rest = eea ? [...EEA_COUNTRIES].filter((c) => c !== own && !named.has(c)).sort() : [];
  return [[own], [...named].sort(), rest].filter((t) => t.length);
}

const tiersOf = (regions: string | PhoneRegions | undefined): PhoneRegions =>
  regions === undefined ? [[]] : typeof regions === "string" ? [[regions]] : regions;

function candidatesOf(p: Parsed): string[] {
  const digits = p.number.slice(1);
  const national = p.formatNational().replace(/\D/g, "");
  const nn = p.nationalNumber;
  // The trunk prefix the country dials before a national number ("0" in Germany), kept by many databases after the
  // country code (+49 0711 …).
  const trunk = national.endsWith(nn) ? national.slice(0, national.length - nn.length) : "";
  const cc = p.countryCallingCode;
  return [
    ...new Set([
      digits,
      nn,
      national,
      `00${digits}`,
      `011${digits}`,
      ...(trunk ? [`${cc}${trunk}${nn}`, `00${cc}${trunk}${nn}`] : []),
    ]),
  ];
}

/**
 * Every reading of a phone number written in any format: one when it has its country code (`+…`, `00…`), else its
 * readings in the first tier of regions where it is a valid number (a German `0711 2842222` served across the EU may
 * be Austrian, Finnish or Italian too). Empty when it is no possible number anywhere.
 *
 * ```ts
 * phoneReadings("(267) 546 5296", [["US"]])[0].e164 // "+12675465296"
 * ```
 */
export function phoneReadings(value: string, regions?: string | PhoneRegions): PhoneNumber[] {
  let v = value.trim();
  let possible: PhoneNumber | undefined;
  if (/^(\+|00)/.test(v)) {
    const p = parsePhoneNumberFromString(v.replace(/^00/, "+"));
    if (p?.isValid()) return [{ e164: p.number, candidates: candidatesOf(p) }];
    if (p?.isPossible()) possible = { e164: p.number, candidates: candidatesOf(p) };
    // A "+" before national digits (+6172235589), as some forms store them: read the digits as a national number.
    v = v.replace(/^(\+|00)\s*/, "");
  }
  for (const tier of tiersOf(regions)) {
    const valid: PhoneNumber[] = [];
    for (const r of tier.length ? tier : [undefined]) {
      const p = parsePhoneNumberFromString(v, r as CountryCode | undefined);
      if (!p?.isPossible()) continue;
      const reading = { e164: p.number, candidates: candidatesOf(p) };
      possible ??= reading;
      if (p.isValid() && !valid.some((x) => x.e164 === reading.e164)) valid.push(reading);
    }
    if (valid.length) return valid;
  }
  // A number valid nowhere served, but possible: read as the first region reads it, as before.
  return possible ? [possible] : [];
}

/**
 * Parses a phone number written in any format; numbers without a country code
 * are read in `region` (the organization's country), or in the tiers of
 * `phoneRegions`, taking the first reading.
 *
 * ```ts
 * parsePhone("(267) 546 5296", "US")?.e164 // "+12675465296"
 * ```
 */
export function parsePhone(value: string, region?: string | PhoneRegions): PhoneNumber | undefined {
  return phoneReadings(value, region)[0];
}

/**
 * The canonical form of an identity value: how it is compared, stored while a
 * request runs, and hashed. Emails are lower-cased, phones become E.164 (when
 * they parse), other identities are trimmed.
 */
export function normalizeIdentity(type: string, value: string, region?: string | PhoneRegions): string {
  const v = value.trim();
  switch (identityMatch(type)) {
    case "case_insensitive":
      return v.toLowerCase();
    case "phone":
      return parsePhone(v, region)?.e164 ?? v;
    default:
      return v;
  }
}

/** Whether a stored value is the same identity as a canonical one, under a field's matching. */
export function identityEquals(
  mode: MatchMode,
  stored: unknown,
  canonical: string,
  region?: string | PhoneRegions,
): boolean {
  if (stored === null || stored === undefined) return false;
  const s = String(stored).trim();
  if (mode === "case_insensitive") return s.toLowerCase() === canonical.toLowerCase();
  if (mode === "phone") {
    const asked = parsePhoneNumberFromString(canonical, tiersOf(region)[0][0] as CountryCode | undefined);
    if (!asked) return false;
    // Stored as the digits of one of the number's forms: bare national digits, with the trunk zero after the country
    // code, or with a stray "+" before national digits.
    if (candidatesOf(asked).includes(s.replace(/\D/g, ""))) return true;
    // A number stored without a country code is read in the region of the number asked for.
    const p = parsePhoneNumberFromString(s, (asked.country ?? tiersOf(region)[0][0]) as CountryCode | undefined);
    return !!p && p.number === asked.number;
  }
  return s === canonical;
}
