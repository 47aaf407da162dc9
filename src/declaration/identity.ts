/**
 * How identities match the way data stores hold them: an email in any case,
 * a phone number in any of its formats (`+1 267-546-5296`, `(267) 546 5296`,
 * `2675465296`), anything else exactly. A field may declare its own `match`.
 */
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import type { Field, MatchMode } from "./schema.js";

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
   * are stripped: with the country code, national, with the trunk prefix, and
   * with the international call prefixes.
   */
  candidates: string[];
}

/**
 * Parses a phone number written in any format; numbers without a country code
 * are read in `region` (the organization's country).
 *
 * ```ts
 * parsePhone("(267) 546 5296", "US")?.e164 // "+12675465296"
 * ```
 */
export function parsePhone(value: string, region?: string): PhoneNumber | undefined {
  const p = parsePhoneNumberFromString(value, region as CountryCode | undefined);
  if (!p?.isPossible()) return undefined;
  const digits = p.number.slice(1);
  const national = p.formatNational().replace(/\D/g, "");
  const candidates = [...new Set([digits, p.nationalNumber, national, `00${digits}`, `011${digits}`])];
  return { e164: p.number, candidates };
}

/**
 * The canonical form of an identity value: how it is compared, stored while a
 * request runs, and hashed. Emails are lower-cased, phones become E.164 (when
 * they parse), other identities are trimmed.
 */
export function normalizeIdentity(type: string, value: string, region?: string): string {
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
export function identityEquals(mode: MatchMode, stored: unknown, canonical: string, region?: string): boolean {
  if (stored === null || stored === undefined) return false;
  const s = String(stored).trim();
  if (mode === "case_insensitive") return s.toLowerCase() === canonical.toLowerCase();
  if (mode === "phone") {
    // A number stored without a country code is read in the region of the number asked for.
    const asked = parsePhoneNumberFromString(canonical, region as CountryCode | undefined);
    const p = parsePhoneNumberFromString(s, (asked?.country ?? region) as CountryCode | undefined);
    return !!p && !!asked && p.number === asked.number;
  }
  return s === canonical;
}
