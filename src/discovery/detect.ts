/**
 * Detectors: personal data in free text and in column values.
 *
 * One pass of one regular expression finds candidates; each is then validated
 * by a library made for it (validator's `isEmail`, `isCreditCard` and `isTaxID`,
 * ipaddr.js, ibantools, libphonenumber-js) or by the identifier's own rules (US
 * SSN ranges, UK NINO prefixes, France's NIR key). Dates of birth are dates with a birth word before them.
 * Names and postal addresses are found by context and lexicons only: see
 * docs/discovery.md for how well.
 *
 * A detection carries where it is and how sure it is, never the value: callers
 * that must show one use `maskValue`.
 */
import ipaddr from "ipaddr.js";
import { electronicFormatIBAN, isValidIBAN } from "ibantools";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import isCreditCardModule from "validator/lib/isCreditCard.js";
import isEmailModule from "validator/lib/isEmail.js";
import isTaxIDModule from "validator/lib/isTaxID.js";
import { FIRST_NAMES } from "./lexicon.js";

// validator is CommonJS: its default export is the function, typed as `.default`.
const isEmail = isEmailModule.default;
const isCreditCard = isCreditCardModule.default;
const isTaxID = isTaxIDModule.default;

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
   * first is tried first. None: US, GB and DE.
   */
  regions?: readonly string[];
  /** Entity types to look for; all by default. */
  types?: readonly EntityType[];
}

// Context words, in the languages the banner speaks (en, de, fr, es, it, nl, pt, sv).
const BIRTH_WORDS = new RegExp(
  String.raw`(?:born|birth|d\.?o\.?b|geboren|geburt|né|née|naissance|nacimiento|nacido|` +
    String.raw`nacida|nascita|nato|nata|geboorte|nascimento|nascido|född|` +
    String.raw`fødsel)\W{0,12}(?:on\W{0,3}|am\W{0,3}|le\W{0,3}|el\W{0,3}|il\W{0,3}|op\W{0,3}|` +
    String.raw`em\W{0,3}|den\W{0,3}|:\W{0,3})?$`,
  "i",
);
const PHONE_WORDS = new RegExp(
  String.raw`(?:phone|tel|mobile|cell|call|fax|sms|whatsapp|telefon|handy|rufnummer|` +
    String.raw`téléphone|portable|teléfono|móvil|telefono|cellulare|telefoon|mobiel|telefone|` +
    String.raw`celular|mobil)\b\W{0,12}$`,
  "i",
);
const NAME_WORDS = new RegExp(
  String.raw`(?:\b(?:name|customer|client|contact|user|agent|caller|from|by|dear|hi|hello|` +
    String.raw`mr|mrs|ms|miss|dr|herr|frau|monsieur|madame|mme|señor|señora|sr|sra|signor|` +
    String.raw`signora|sig|meneer|mevrouw|kund(?:e|in)|kunde|cliente|klant|` +
    String.raw`kund)\b\.?[:,]?\s{1,3})$`,
  "i",
);
const GEO_WORDS = new RegExp(
  String.raw`(?:lat|lng|lon|latitude|longitude|coord|coordinates|gps|location|position|` +
    String.raw`standort|breite|länge|posición|ubicación|posizione|positie|localização|` +
    String.raw`plats)\W{0,12}$`,
  "i",
);

/** Street words after which, with a house number, text reads as a postal address. */
const STREET =
  "(?:street|st\\.?|avenue|ave\\.?|road|rd\\.?|lane|ln\\.?|drive|dr\\.?|" +
  "boulevard|blvd\\.?|way|court|ct\\.?|place|pl\\.?|square|sq\\.?|terrace|close|" +
  "alley|bypass|causeway|circle|cir|crescent|crest|crossing|estates?|expressway|" +
  "extension|freeway|gardens?|gateway|glen|green|grove|harbor|heights|highway|" +
  "hwy|hill|hollow|junction|key|knolls?|landing|loop|mall|manor|meadows?|mews|" +
  "mill|motorway|parkway|pkwy|park|pass|path|pike|plaza|point|port|ridge|route|" +
  "row|run|shore|spring|springs|summit|trace|track|trail|turnpike|valley|via|" +
  "view|villa|village|vista|walk|wall|wells?|strasse|straße|str\\.|weg|allee|" +
  "gasse|platz|ring|damm|chaussee|ufer|rue|avenue|boulevard|chemin|allée|impasse|" +
  "quai|cours|route|calle|avenida|plaza|paseo|camino|carretera|ronda|travesía|" +
  "glorieta|rambla|pasaje|explanada|via|viale|piazza|piazzale|corso|largo|vicolo|" +
  "borgo|contrada|strada|straat|laan|plein|gracht|kade|singel|dijk|rua|travessa|" +
  "praça|estrada|alameda|beco|calçada|gatan|vägen|gata|väg|gränd|torget)";
const STREET_WORD = new RegExp(`^${STREET}$`, "i");
/** Compound street names: Hauptstraße, Kungsgatan, Dorpsstraat. */
const STREET_SUFFIX = new RegExp(
  String.raw`\p{L}(?:straße|strasse|str\.|weg|allee|gasse|platz|damm|kamp|stieg|ufer|` +
    String.raw`chaussee|pfad|gatan|vägen|gränd|straat|laan|gracht|plein|kade|singel)$`,
  "iu",
);

/**
 * The candidates, one alternative per shape; order matters where shapes overlap
 * (an IBAN before a phone, a date before a phone).
 */
const CANDIDATES = new RegExp(
  [
    // email: a local part, @, a dotted domain
    String.raw`(?<email>[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24})`,
    // IBAN: two letters, two check digits, 11–30 alphanumerics in groups of four or not
    String.raw`(?<iban>\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b)`,
    // a date (for dates of birth; also keeps dates from reading as phone numbers)
    String.raw`(?<date>\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{1,2}\.?\s(?:jan|feb|mar|apr|` +
      String.raw`may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|okt|dez|janvier|février|` +
      String.raw`mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|` +
      String.raw`abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|` +
      String.raw`diciembre)[a-zé]*\.?\s\d{4})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|` +
      String.raw`[+-]\d{2}:?\d{2})?)?)`,
    // geo coordinates: a latitude and a longitude with at least four decimals
    String.raw`(?<geo>(?<![\w.])-?\d{1,2}\.\d{4,8},\s?-?\d{1,3}\.\d{4,8}(?![\w.]))`,
    // IPv6 (at least two colons and a hex group), before IPv4
    String.raw`(?<ipv6>(?<![\w:.-])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w.-]|:[\w:]))`,
    // IPv4
    String.raw`(?<ipv4>(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d))`,
    // national identifiers with a fixed shape: Brazil's CPF, Sweden's personnummer, Spain's DNI and NIE, France's NIR
    String.raw`(?<natid>(?<![\w.-])(?:\d{3}\.\d{3}\.\d{3}-\d{2}|(?:19|20)?\d{6}[-+]\d{4}|` +
      String.raw`[XYZ]?\d{7,8}-?[A-Z]|[12] ?\d{2} ?\d{2} ?(?:\d{2}|2A|2B) ?\d{3} ?\d{3} ?\d{2})(?![\w-]))`,
    // US SSN, written with dashes or spaces
    String.raw`(?<ssn>\b\d{3}[- ]\d{2}[- ]\d{4}\b)`,
    // UK NINO
    String.raw`(?<nino>\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]\b)`,
    // payment card: 13–19 digits in groups
    String.raw`(?<card>(?<![+\w.\-/:])(?:\d{4}(?<sep>[ -]?)\d{4}\k<sep>\d{4}\k<sep>\d{4}(?:\k<sep>\d{3})?|` +
      String.raw`\d{4}[ -]?\d{6}[ -]?\d{5}|\d{13,19})(?![\w\-/:]|\.\d))`,
    // phone: a leading + or (, or digit groups; validated by libphonenumber
    String.raw`(?<phone>(?:(?<![\w+])\+|(?<![\w.\-/:])\(|(?<![\w.\-/:]))\d[\d ().\-/]{5,18}\d(?![\w\-/:]|\.\d))`,
    // a capitalised word (names, street names): validated by context and lexicons
    String.raw`(?<word>\b[A-ZÀ-Ý][a-zß-ÿ'-]{1,20}(?:\s[A-ZÀ-Ý][a-zß-ÿ'-]{1,20}){0,2}\b)`,
  ].join("|"),
  "gu",
);

/** Order and reference numbers, versions and times that share a shape with personal data. */
const DECOY_BEFORE = new RegExp(
  String.raw`(?:order|ord|invoice|inv|ticket|ref|reference|case|tracking|sku|build|version|` +
    String.raw`ver|v|release|id|uuid|#|no\.|nr\.?|nummer|número|numéro|commande|bestellung|` +
    String.raw`pedido|ordine)\W{0,3}$`,
  "i",
);

// ---- national identifiers with check digits, for the jurisdictions served --------------------------------
// validator's isTaxID checks each country's own rules: Sweden's personnummer (a date and Luhn), Spain's DNI and
// NIE (the letter mod 23), Brazil's CPF (two check digits), the Netherlands' BSN (11-proof), Canada's SIN
// (Luhn), Germany's Steuer-ID (ISO 7064 MOD 11,10). France's NIR is not a tax number, so its key is checked here.
const taxId = (v: string, locale: string) => isTaxID(v.replace(/[\s.-]/g, ""), locale);

/**
 * France's NIR (numéro de sécurité sociale): 13 characters and a key of 97 − (number mod 97); Corsica's 2A and 2B read
 * as 19 and 18.
 */
function validNir(v: string): boolean {
  const s = v.replace(/\s/g, "").toUpperCase();
  if (!/^[12]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/.test(s)) return false;
  const body = s.slice(0, 13).replace("2A", "19").replace("2B", "18");
  return 97 - Number(BigInt(body) % 97n) === Number(s.slice(13));
}

/** Which fixed-shape identifier a candidate is, where its country is served. */
function fixedId(v: string, regions: readonly string[]): string | undefined {
  const served = (c: string) => regions.includes(c);
  if (served("BR") && /^\d{3}\.\d{3}\.\d{3}-\d{2}$/.test(v) && taxId(v, "pt-BR")) return "Brazil's CPF check digits";
  // the ten-digit form with its separator; a twelve-digit one is read without the century
  if (served("SE") && /^\d{6,8}[-+]\d{4}$/.test(v) && taxId(v.length > 11 ? v.slice(2) : v, "sv-SE"))
    return "Sweden's personnummer: a date and the Luhn check";
  if (served("ES") && /^[XYZ]?\d{7,8}-?[A-Z]$/.test(v) && taxId(v, "es-ES")) return "Spain's DNI or NIE letter";
  if (served("FR") && /^[12]/.test(v) && validNir(v)) return "France's NIR key";
  return undefined;
}

/** Identifiers that are bare digits, read as such only after their name (the BSN, the SIN, the Steuer-ID). */
function namedId(v: string, before: string, regions: readonly string[]): string | undefined {
  const served = (c: string) => regions.includes(c);
  if (served("NL") && /\b(?:bsn|burgerservicenummer|sofinummer)\W{0,12}$/i.test(before) && taxId(v, "nl-NL"))
    return "the Netherlands' BSN 11-proof, after its name";
  if (
    served("CA") &&
    /\b(?:sin|social insurance(?: number)?|nas|num[ée]ro d'assurance sociale)\W{0,12}$/i.test(before) &&
    !/^[08]/.test(v) &&
    taxId(v, "en-CA")
  )
    return "Canada's SIN Luhn check, after its name";
  if (
    served("DE") &&
    /\b(?:steuer-?id|steueridentifikationsnummer|idnr|tax id)\W{0,12}$/i.test(before) &&
    taxId(v, "de-DE")
  )
    return "Germany's Steuer-ID check digit, after its name";
  return undefined;
}

/** US SSN rules: no 000, 666 or 9xx area, no 00 group, no 0000 serial (SSA), and the numbers printed in advertising. */
function validSsn(s: string): boolean {
  const d = s.replace(/\D/g, "");
  const area = Number(d.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (d.slice(3, 5) === "00" || d.slice(5) === "0000") return false;
  return d !== "078051120" && d !== "219099999" && d !== "123456789";
}

/** UK NINO: prefixes HMRC never issues (BG, GB, KN, NK, NT, TN, ZZ). */
function validNino(s: string): boolean {
  const p = s.slice(0, 2).toUpperCase();
  return !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].includes(p);
}

function validDate(s: string): boolean {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  const eu = /^(\d{1,2})[./](\d{1,2})[./](\d{4})/.exec(s);
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : eu
      ? [Number(eu[3]), Number(eu[2]), Number(eu[1])]
      : [1900, 1, 1];
  if (eu && Number(eu[2]) > 12 && Number(eu[1]) <= 12) return y >= 1900 && y <= 2100; // month/day/year
  return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** Whether a text is a valid phone number, with its country code or national in one of `regions`. */
export function phoneOf(raw: string, regions: readonly string[]): boolean {
  const digits = raw.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return false;
  // Times, dates and amounts (92233.12, 1,250.00) are not phone numbers.
  if (/\d:\d/.test(raw) || /^\(?\d[\d,]*[.,]\d{1,2}$/.test(raw) || /\d{4}-\d{1,2}-\d{1,2}/.test(raw)) return false;
  const text = raw.startsWith("00") ? `+${raw.slice(2)}` : raw;
  // national numbers are shorter: a card or account number
  if (!text.startsWith("+") && digits.length > 12) return false;
  if (text.startsWith("+")) return !!parsePhoneNumberFromString(text)?.isValid();
  for (const r of regions) if (parsePhoneNumberFromString(text, r as CountryCode)?.isValid()) return true;
  return false;
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
 * Finds personal data in a text.
 *
 * ```ts
 * detect("Call Anna at +49 30 1234567 or anna@example.org", { regions: ["DE"] })
 * // [{ type: "phone", … }, { type: "email", … }, { type: "name", … }]
 * ```
 */
export function detect(text: string, options: DetectOptions = {}): Detection[] {
  const regions = options.regions?.length ? options.regions : ["US", "GB", "DE"];
  const want = options.types ? new Set(options.types) : undefined;
  const out: Detection[] = [];
  const push = (type: EntityType, start: number, end: number, confidence: number, evidence: string) => {
    if (!want || want.has(type)) out.push({ type, start, end, confidence, evidence });
  };
  const before = (i: number, n = 40) => text.slice(Math.max(0, i - n), i);
  for (const m of text.matchAll(CANDIDATES)) {
    const g = m.groups!;
    const s = m.index!;
    const v = m[0];
    const e = s + v.length;
    if (g.email !== undefined) {
      if (isEmail(v, { allow_utf8_local_part: false })) push("email", s, e, 0.99, "a valid address");
    } else if (g.iban !== undefined) {
      if (isValidIBAN(electronicFormatIBAN(v) ?? "")) push("iban", s, e, 0.99, "IBAN check digits (mod 97)");
    } else if (g.date !== undefined) {
      if (validDate(v) && BIRTH_WORDS.test(before(s))) push("dob", s, e, 0.9, "a date after a birth word");
    } else if (g.geo !== undefined) {
      const [lat, lon] = v.split(",").map((x) => Number(x.trim()));
      if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180)
        push(
          "geo",
          s,
          e,
          GEO_WORDS.test(before(s)) ? 0.95 : 0.7,
          GEO_WORDS.test(before(s))
            ? "latitude and longitude after a location word"
            : "latitude and longitude in range",
        );
    } else if (g.ipv6 !== undefined) {
      const addr = v.endsWith(":") && !v.endsWith("::") ? v.slice(0, -1) : v; // "from fe80::1: timeout"
      if (ipaddr.IPv6.isValid(addr)) push("ip", s, s + addr.length, 0.97, "a valid IPv6 address");
    } else if (g.ipv4 !== undefined) {
      if (ipaddr.IPv4.isValidFourPartDecimal(v) && !DECOY_BEFORE.test(before(s)))
        push("ip", s, e, 0.97, "a valid IPv4 address");
    } else if (g.natid !== undefined) {
      const why = fixedId(v, regions);
      if (why) push("national_id", s, e, 0.95, why);
      else if (/^[+(\d]/.test(v) && !DECOY_BEFORE.test(before(s)) && phoneOf(v, regions))
        push("phone", s, e, 0.9, "a valid phone number");
    } else if (g.ssn !== undefined) {
      if (validSsn(v) && !DECOY_BEFORE.test(before(s))) push("ssn", s, e, 0.95, "SSA number rules");
    } else if (g.nino !== undefined) {
      if (validNino(v.replace(/ /g, ""))) push("nino", s, e, 0.95, "HMRC prefix and suffix rules");
    } else if (g.card !== undefined) {
      const named = namedId(v, before(s), regions); // before the decoy words: "Steuer-ID" ends in one
      if (named) {
        push("national_id", s, e, 0.95, named);
        continue;
      }
      if (DECOY_BEFORE.test(before(s))) continue;
      const digits = v.replace(/[ -]/g, "");
      if (isCreditCard(digits)) push("card", s, e, 0.98, "issuer prefix and Luhn check");
      // longer: a card number that fails its check
      else if (digits.length <= 12 && phoneOf(v, regions)) push("phone", s, e, 0.9, "a valid phone number");
    } else if (g.phone !== undefined) {
      const named = namedId(v.trim(), before(s), regions);
      if (named) {
        push("national_id", s, e, 0.95, named);
        continue;
      }
      if (DECOY_BEFORE.test(before(s))) continue;
      if (phoneOf(v.trim(), regions)) {
        const ctx = PHONE_WORDS.test(before(s));
        push(
          "phone",
          s,
          e,
          ctx || /^[+(]|^00/.test(v) ? 0.97 : 0.9,
          ctx ? "a valid phone number after a phone word" : "a valid phone number",
        );
      }
    } else if (g.word !== undefined) {
      const words = v.split(/\s/);
      const numberBefore = /\b\d{1,5}[a-z]?,?\s$/i.exec(before(s, 8));
      const numberAfter = /^,?\s\d{1,5}[a-z]?\b/i.exec(text.slice(e, e + 8));
      const last = words[words.length - 1];
      if (
        (numberBefore && STREET_WORD.test(last)) ||
        (numberAfter && (STREET_WORD.test(words[0]) || STREET_WORD.test(last) || STREET_SUFFIX.test(last)))
      ) {
        push(
          "address",
          numberBefore && !numberAfter ? s - numberBefore[0].length : s,
          e + (numberAfter && !(numberBefore && STREET_WORD.test(last)) ? numberAfter[0].length : 0),
          0.8,
          "a house number and a street word",
        );
        continue;
      }
      // A given name from the lexicon followed by a capitalised word: the name runs to the end of the words.
      // Without one, two capitalised words right after a name word ("customer", "Kunde", "Dear") read as a name too.
      let i = words.findIndex((w, k) => k < words.length - 1 && FIRST_NAMES.has(w.toLowerCase()));
      const cueAt = (k: number) => {
        const at = s + words.slice(0, k).reduce((n, w) => n + w.length + 1, 0);
        return { at, cue: NAME_WORDS.test(text.slice(Math.max(0, at - 40), at)) };
      };
      if (i < 0) {
        const k = words.length >= 3 && NAME_WORDS.test(`${words[0]} `) ? 1 : 0;
        if (
          words.length - k < 2 ||
          !cueAt(k).cue ||
          /^(?:the|a|an|der|die|das|le|la|les|el|los|il|de|het|o|os)$/i.test(words[k])
        )
          continue;
        i = k;
        push("name", cueAt(i).at, e, 0.6, "capitalised words after a name word");
        continue;
      }
      const { at, cue } = cueAt(i);
      push(
        "name",
        at,
        e,
        cue ? 0.9 : 0.75,
        cue ? "a given name and a surname after a name word" : "a given name and a surname",
      );
    }
  }
  return out;
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
