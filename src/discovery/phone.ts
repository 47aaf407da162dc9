/**
 * Phone validation compiled once per region from libphonenumber-js's own metadata (the "max" set): each region's
 * possible lengths, its national number pattern, the union of its number types' patterns and its national prefix.
 * `parsePhoneNumberFromString` builds a RegExp for every pattern it tests and tries every NANP country for a +1
 * number; this tests the same patterns, compiled once, and remembers each answer by its digit string.
 *
 * The metadata's accessors used here (`nationalNumberPattern`, `type(…).pattern()`, `nationalPrefixForParsing`,
 * `nationalPrefixTransformRule`) are the library's own, though its type declarations leave them out; the tests
 * compare this validator with `isValid()` on thousands of numbers, so a change in the library shows there.
 */
import { Metadata } from "libphonenumber-js/core";
import metadata from "libphonenumber-js/metadata.max.json";

interface Plan {
  possibleLengths(): number[];
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  type(t: string): { pattern(): string } | undefined;
}
interface Meta {
  selectNumberingPlan(country: string): void;
  numberingPlan: Plan;
  countryCallingCodes(): Record<string, string[]>;
}

const TYPES = [
  "FIXED_LINE",
  "MOBILE",
  "TOLL_FREE",
  "PREMIUM_RATE",
  "PERSONAL_NUMBER",
  "VOICEMAIL",
  "UAN",
  "PAGER",
  "VOIP",
  "SHARED_COST",
];

interface Compiled {
  lengths: ReadonlySet<number>;
  /** The national number pattern and the union of the types' patterns: valid when both match. */
  general: RegExp;
  typed: RegExp;
  /** The national prefix (and carrier codes) to strip from a number written nationally. */
  prefix?: RegExp;
  transform?: string;
}

/** Regions whose national format always begins with the trunk prefix 0: "030 1234567", "020 7946 0000". */
const TRUNK_ZERO = new Set(["GB", "DE", "FR", "NL", "AT", "CH", "BE", "SE", "IE", "AU", "NZ", "FI", "JP", "KR"]);

let meta: Meta | undefined;
/** The metadata, read once. */
const getMeta = (): Meta => (meta ??= new (Metadata as unknown as new (m: unknown) => Meta)(metadata));
const compiled = new Map<string, Compiled | null>();
const memo = new Map<string, boolean>();

function plan(region: string): Compiled | null {
  let c = compiled.get(region);
  if (c !== undefined) return c;
  const meta = getMeta();
  try {
    meta.selectNumberingPlan(region);
    const p = meta.numberingPlan;
    const typed = TYPES.map((t) => p.type(t)?.pattern()).filter((x): x is string => !!x);
    const prefix = p.nationalPrefixForParsing();
    c = {
      lengths: new Set(p.possibleLengths()),
      general: new RegExp(`^(?:${p.nationalNumberPattern()})$`),
      typed: new RegExp(`^(?:${typed.join("|") || p.nationalNumberPattern()})$`),
      prefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
      transform: p.nationalPrefixTransformRule() || undefined,
    };
  } catch {
    c = null; // not a region the metadata knows
  }
  compiled.set(region, c);
  return c;
}

const fits = (c: Compiled, nn: string) => c.lengths.has(nn.length) && c.general.test(nn) && c.typed.test(nn);

/** `nn` with the region's national prefix (and carrier code) taken off, if it begins with one. */
function stripped(c: Compiled, nn: string): string | undefined {
  if (!c.prefix) return undefined;
  const m = c.prefix.exec(nn);
  if (!m?.[0]) return undefined;
  return c.transform ? nn.replace(c.prefix, c.transform) : nn.slice(m[0].length);
}

/**
 * Whether `nn` is a valid number of any of `regions`, as written or with the national prefix of `own` taken off
 * (libphonenumber takes it off by the metadata of the region it parses in, then finds the region by the digits).
 */
function validAmong(own: string, regions: readonly string[], nn: string): boolean {
  const c = plan(own);
  if (!c) return false;
  const s = stripped(c, nn);
  for (const r of regions) {
    const p = plan(r);
    if (p && (fits(p, nn) || (s !== undefined && fits(p, s)))) return true;
  }
  return false;
}

/** The regions that share a region's calling code: a US number may be allocated in Canada or the Dominican Republic. */
function siblings(region: string): readonly string[] {
  if (!sharing) {
    sharing = new Map();
    for (const [code, list] of Object.entries(getMeta().countryCallingCodes()))
      for (const r of list) {
        sharing.set(r, list);
        codeOf.set(r, code);
      }
  }
  return sharing.get(region) ?? [region];
}
let sharing: Map<string, readonly string[]> | undefined;
const codeOf = new Map<string, string>();

/** Whether digits written nationally are a valid number of `region` (or of a region sharing its calling code). */
function nationalValid(region: string, digits: string): boolean {
  const c = plan(region);
  if (!c) return false;
  const regions = siblings(region);
  // the country code written without its +: "34679357906" in Spain
  const code = codeOf.get(region);
  if (code && digits.startsWith(code) && validAmong(region, regions, digits.slice(code.length))) return true;
  // a region with a trunk prefix writes its numbers with it: without it, the digits are not a national number
  if (TRUNK_ZERO.has(region) && stripped(c, digits) === undefined) return false;
  return validAmong(region, regions, digits);
}

/** The regions of a country calling code, and the code's length, for digits after a `+`. */
function callingCode(digits: string): { regions: string[]; length: number } | undefined {
  const codes = getMeta().countryCallingCodes();
  for (let k = 1; k <= 3; k++) {
    const r = codes[digits.slice(0, k)];
    if (r) return { regions: r, length: k };
  }
  return undefined;
}

/**
 * Whether a digit string is a valid phone number: international (the digits after `+` or `00`) or national in one
 * of `regions`. A national number in a region with a trunk prefix (0 in DE, GB, FR, NL) must be written with it.
 */
export function validPhone(digits: string, international: boolean, regions: readonly string[]): boolean {
  if (digits.length < 7 || digits.length > 15) return false;
  const key = international ? `+${digits}` : `${regions.join()}:${digits}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let ok: boolean;
  if (international) {
    const cc = callingCode(digits);
    // "+44 (0)20 …": the national prefix written after the code is taken off, as libphonenumber does
    ok = !!cc && validAmong(cc.regions[0], cc.regions, digits.slice(cc.length));
  } else ok = regions.some((r) => nationalValid(r, digits));
  if (memo.size > 100_000) memo.clear();
  memo.set(key, ok);
  return ok;
}

/** Empties the memoised answers (the compiled regions stay). */
export function clearPhoneMemo(): void {
  memo.clear();
}
