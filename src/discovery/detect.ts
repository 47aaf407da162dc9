/**
 * Detectors: personal data in free text and in column values.
 *
 * One pass of a tokenizer over char codes finds candidates (scanner.ts); each is then validated by its own rules:
 * phone numbers by libphonenumber-js's metadata compiled once per region (phone.ts), cards by validator's
 * `isCreditCard`, IBANs by mod 97 and ibantools' national formats, national identifiers by validator's `isTaxID`,
 * US SSN ranges, UK NINO prefixes and France's NIR key. Dates of birth are dates after a birth word. Names and
 * postal addresses are found by context and lexicons: see docs/discovery.md for how well.
 *
 * A detection carries where it is and how sure it is, never the value: callers
 * that must show one use `maskValue`.
 */
import { clearPhoneMemo, validPhone } from "./phone.js";
import { scanText } from "./scanner.js";

/** What a detector finds. */
export type EntityType =
  | "email"
  | "phone"
  | "ip"
  | "card"
  | "iban"
  | "ssn"
  | "nino"
  | "national_id"
  | "dob"
  | "geo"
  | "name"
  | "address";

/** The declaration's data category for each entity. */
export const ENTITY_CATEGORY: Readonly<Record<EntityType, string>> = {
  email: "user.contact.email",
  phone: "user.contact.phone_number",
  ip: "user.device.ip_address",
  card: "user.financial.card_number",
  iban: "user.financial.bank_account",
  ssn: "user.government_id",
  nino: "user.government_id",
  national_id: "user.government_id",
  dob: "user.date_of_birth",
  geo: "user.location.precise",
  name: "user.name",
  address: "user.contact.address",
};

export const ENTITY_TYPES = Object.keys(ENTITY_CATEGORY) as EntityType[];

/** One match in a text: its span and how sure the detector is (0–1). */
export interface Detection {
  type: EntityType;
  start: number;
  end: number;
  confidence: number;
  /** Why: the validation passed, and the context word seen, if any. */
  evidence: string;
}

export interface DetectOptions {
  /**
   * Regions for phone numbers written without a country code, from the declaration's jurisdictions (`DE`, `US`); the
   * first is tried first. None: `DEFAULT_REGIONS`.
   */
  regions?: readonly string[];
  /** Entity types to look for; all by default. */
  types?: readonly EntityType[];
  /** Report findings at or above this confidence; `DEFAULT_MIN_CONFIDENCE` (0.7) by default. */
  minConfidence?: number;
}

/** Phone regions when none are given: the countries whose languages the banner speaks, and Brazil. */
export const DEFAULT_REGIONS: readonly string[] = [
  "US",
  "GB",
  "DE",
  "FR",
  "ES",
  "IT",
  "NL",
  "PT",
  "SE",
  "BR",
  "CA",
  "AU",
];

/** Findings below this confidence are not reported unless asked for: the threshold is set for precision. */
export const DEFAULT_MIN_CONFIDENCE = 0.7;

/** Whether a text is a valid phone number, with its country code or national in one of `regions`. */
export function phoneOf(raw: string, regions: readonly string[]): boolean {
  const text = raw.trim();
  const digits = text.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return false;
  // Times, dates and amounts (92233.12, 1,250.00) are not phone numbers.
  if (/\d:\d/.test(text) || /^\(?\d[\d,]*[.,]\d{1,2}$/.test(text) || /\d{4}-\d{1,2}-\d{1,2}/.test(text)) return false;
  if (text.startsWith("+")) return validPhone(digits, true, regions);
  if (text.startsWith("00")) return validPhone(digits.slice(2), true, regions);
  return validPhone(digits, false, regions.length ? regions : DEFAULT_REGIONS);
}

/**
 * The regions whose national phone formats a declaration's people use: the
 * organization's country, then each country it serves (`US-CA` → `US`). Groups
 * such as `EU` add none: numbers from abroad are written with their `+` code.
 */
export function phoneRegions(organizationCountry: string | undefined, jurisdictions: readonly string[]): string[] {
  const out = new Set<string>();
  for (const c of [organizationCountry ?? "", ...jurisdictions]) {
    const code = c.split("-")[0].toUpperCase();
    if (/^[A-Z]{2}$/.test(code) && code !== "EU") out.add(code === "UK" ? "GB" : code);
  }
  return [...out];
}

/**
 * Finds personal data in a text, in one pass (scanner.ts).
 *
 * ```ts
 * detect("Call Anna at +49 30 1234567 or anna@example.org", { regions: ["DE"] })
 * // [{ type: "email", … }, { type: "phone", … }, { type: "name", … }]
 * ```
 */
export function detect(text: string, options: DetectOptions = {}): Detection[] {
  return scanText(text, {
    regions: options.regions?.length ? options.regions : DEFAULT_REGIONS,
    minConfidence: options.minConfidence ?? DEFAULT_MIN_CONFIDENCE,
    want: options.types ? new Set(options.types) : undefined,
  });
}

/** Empties the memoised phone validations (for benchmarks that measure a cold start). */
export function clearDetectorCaches(): void {
  clearPhoneMemo();
}

/**
 * A value with all but a hint hidden, the most a finding ever shows:
 * `anna@example.net` → `a***@e***.net`, a phone → `+49 *** ***67`.
 */
export function maskValue(type: EntityType, value: string): string {
  switch (type) {
    case "email": {
      const [local, domain = ""] = value.split("@");
      const dot = domain.lastIndexOf(".");
      return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${dot > 0 ? domain.slice(dot) : ""}`;
    }
    case "ip":
      return value.includes(":") ? `${value.split(":")[0]}:***` : `${value.split(".")[0]}.***.***.***`;
    case "phone":
    case "card":
    case "iban":
    case "ssn":
    case "nino":
    case "national_id": {
      const keep = type === "phone" ? 2 : 4;
      let seen = 0;
      const digits = value.replace(/[^0-9A-Za-z]/g, "").length;
      return value.replace(/[0-9A-Za-z]/g, (ch) =>
        ++seen > digits - keep || (seen <= 2 && type !== "ssn" && type !== "card") ? ch : "*",
      );
    }
    default:
      return value.length <= 2 ? "***" : `${value.slice(0, 1)}***`;
  }
}

/**
 * Masks every detection in a text, for logs kept after the fact.
 *
 * ```ts
 * redactText("mail anna@example.org", {}) // "mail [email]"
 * ```
 */
export function redactText(text: string, options: DetectOptions = {}, onMask?: (type: EntityType) => void): string {
  const found = detect(text, options).sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const d of found) {
    if (d.start < at) continue;
    out += `${text.slice(at, d.start)}[${d.type}]`;
    at = d.end;
    onMask?.(d.type);
  }
  return out + text.slice(at);
}
