/**
 * The detector's one pass: a tokenizer over char codes that dispatches on `@`, digit runs, `+`, capitals and the
 * known prefixes, and validates only real candidates. Context is the word before a candidate (or its field's key),
 * looked up in sets (words.ts). Names and addresses are judged afterwards on the words the pass kept.
 *
 * Decoys are told apart by structure: a bare digit run with no separator, no `+` and no phone word before it is
 * never a phone (Unix epochs, byte counts, pids, all-digit SHAs); an HTTP status and a size are two numbers; a
 * number glued to a letter, `/`, `.` or `#` belongs to a larger token (a version, a user agent, an order number).
 */
import { electronicFormatIBAN, getCountrySpecifications, isValidIBAN } from "ibantools";
import ipaddr from "ipaddr.js";
import isCreditCardModule from "validator/lib/isCreditCard.js";
import isEmailModule from "validator/lib/isEmail.js";
import isTaxIDModule from "validator/lib/isTaxID.js";
import type { Detection, EntityType } from "./detect.js";
import { FIRST_NAMES } from "./lexicon.js";
import { validPhone } from "./phone.js";
import {
  BIRTH_FILLERS,
  BIRTH_WORDS,
  GREETINGS,
  MONTHS,
  NAME_CUES,
  NOT_NAMES,
  NOT_PERSONAL_WORDS,
  PARTICLES,
  PHONE_WORDS,
  STREET_SUFFIXES,
  STREET_WORDS,
  TITLES,
  UNIT_WORDS,
} from "./words.js";

// validator is CommonJS: its default export is the function, typed as `.default`.
const isCreditCard = isCreditCardModule.default;
const isEmail = isEmailModule.default;
const isTaxID = isTaxIDModule.default;
const IBAN_SPECS = getCountrySpecifications();

// ---- char classes -----------------------------------------------------------------------------------------------

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7);
const isLower = (c: number) => (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0x24f && c !== 0xf7);
const isLetter = (c: number) => isUpper(c) || isLower(c) || (c > 0x24f && c < 0x2000);
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
/** Characters that glue a number to a larger token: letters, digits, `_ . / # : @ \` and a second `-`. */
const gluesBefore = (c: number) =>
  isLetter(c) || isDigit(c) || c === 95 || c === 46 || c === 47 || c === 35 || c === 64 || c === 92 || c === 58;

interface Word {
  start: number;
  end: number;
  /** Lower-case text, computed once. */
  lower: string;
  cap: boolean;
}

/** A number run: its span, its digits and the separators between its groups. */
interface Run {
  start: number;
  end: number;
  digits: string;
  groups: number[];
  seps: string;
  plus: boolean;
}

export interface ScanContext {
  regions: readonly string[];
  minConfidence: number;
  want?: ReadonlySet<EntityType>;
}

// ---- validators -------------------------------------------------------------------------------------------------

function mod97(s: string): boolean {
  let r = 0;
  const t = s.slice(4) + s.slice(0, 4);
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    r = c < 58 ? (r * 10 + (c - 48)) % 97 : (r * 100 + (c - 55)) % 97;
  }
  return r === 1;
}

function validSsn(d: string): boolean {
  const area = Number(d.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (d.slice(3, 5) === "00" || d.slice(5) === "0000") return false;
  return d !== "078051120" && d !== "219099999" && d !== "123456789";
}

function validNir(v: string): boolean {
  const s = v.replace(/\s/g, "").toUpperCase();
  if (!/^[12]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/.test(s)) return false;
  const body = s.slice(0, 13).replace("2A", "19").replace("2B", "18");
  return 97 - Number(BigInt(body) % 97n) === Number(s.slice(13));
}

const taxId = (v: string, locale: string) => isTaxID(v.replace(/[\s.-]/g, ""), locale);

function validYmd(y: number, m: number, d: number): boolean {
  return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

// ---- the pass ---------------------------------------------------------------------------------------------------

/** Finds personal data in one text. */
export function scanText(text: string, ctx: ScanContext): Detection[] {
  return new Pass(text, ctx).run();
}

/** One pass over one text: the state the tokenizer and the validators share. */
class Pass {
  readonly out: Detection[] = [];
  readonly n: number;
  readonly regions: readonly string[];
  readonly words: Word[] = [];
  /** Number runs of 1–5 digits standing alone: house numbers and postcodes for the address pass. */
  readonly smallNumbers: number[] = [];
  /** Whether a small number stands next to a word: without one, no address is looked for. */
  addressHint = false;

  constructor(
    readonly text: string,
    readonly ctx: ScanContext,
  ) {
    this.n = text.length;
    this.regions = ctx.regions;
  }

  served(c: string): boolean {
    return this.regions.includes(c);
  }

  push(type: EntityType, start: number, end: number, confidence: number, evidence: string): void {
    if (confidence >= this.ctx.minConfidence && (!this.ctx.want || this.ctx.want.has(type)))
      this.out.push({ type, start, end, confidence, evidence });
  }

  wordBefore(pos: number): Word | undefined {
    const { text, words } = this;
    let k = words.length - 1;
    while (k >= 0 && words[k].end > pos) k--;
    if (k < 0) return undefined;
    const w = words[k];
    if (pos - w.end > 16) return undefined;
    for (let i = w.end; i < pos; i++) if (isDigit(text.charCodeAt(i)) || isLetter(text.charCodeAt(i))) return undefined;
    return w;
  }

  keyIn(w: Word | undefined, s: ReadonlySet<string>): boolean {
    return !!w && keyHas(w.lower, s);
  }

  notPersonalBefore(pos: number) {
    const w = this.wordBefore(pos);
    return !!w && NOT_PERSONAL_WORDS.has(w.lower);
  }

  /** A birth word before `pos`, with up to two small words between: "born on", "geboren am", "date of birth:". */
  birthBefore(pos: number): boolean {
    let at = pos;
    for (let k = 0; k < 3; k++) {
      const w = this.wordBefore(at);
      if (!w) return false;
      if (this.keyIn(w, BIRTH_WORDS)) return true;
      if (!BIRTH_FILLERS.has(w.lower)) return false;
      at = w.start;
    }
    return false;
  }

  run(): Detection[] {
    const { text, n, words } = this;
    const out = this.out;
    const smallNumbers = this.smallNumbers;
    // emails first: each @ is expanded left over the local part and right over the domain
    const emails: [number, number][] = [];
    for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
      let s = at;
      while (s > 0 && s > at - 64) {
        const c = text.charCodeAt(s - 1);
        if (
          isDigit(c) ||
          (c >= 65 && c <= 90) ||
          (c >= 97 && c <= 122) ||
          c === 46 ||
          c === 95 ||
          c === 37 ||
          c === 43 ||
          c === 45
        )
          s--;
        else break;
      }
      while (s < at && text.charCodeAt(s) === 46) s++;
      let e = at + 1;
      let dot = -1;
      while (e < n && e < at + 255) {
        const c = text.charCodeAt(e);
        if (isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45) e++;
        else if (c === 46 && e + 1 < n && (isLetter(text.charCodeAt(e + 1)) || isDigit(text.charCodeAt(e + 1)))) {
          dot = e;
          e++;
        } else break;
      }
      if (s === at || dot < 0 || e - dot - 1 < 2) continue;
      if (!isEmail(text.slice(s, e), { allow_utf8_local_part: false })) continue;
      emails.push([s, e]);
      this.push("email", s, e, 0.99, "a valid address");
    }

    let emailAt = 0;
    let i = 0;
    while (i < n) {
      if (emailAt < emails.length && i >= emails[emailAt][0]) {
        i = Math.max(i, emails[emailAt][1]);
        emailAt++;
        continue;
      }
      const c = text.charCodeAt(i);
      if (isDigit(c) || ((c === 43 || c === 40) && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) i = this.number(i);
      else if (isLetter(c)) i = this.word(i);
      else i++;
    }

    // ---- addresses and names, on the words kept -----------------------------------------------------------------

    const taken = out.map((x) => [x.start, x.end] as const);
    const free = (s: number, e: number) => !taken.some(([a, b]) => s < b && a < e);
    const addresses = this.addressHint ? findAddresses(text, words, smallNumbers, free) : [];
    for (const a of addresses) {
      this.push("address", a.start, a.end, a.confidence, a.evidence);
      taken.push([a.start, a.end]);
    }
    findNames(text, words, free, (type, s, e, c, why) => this.push(type, s, e, c, why));
    // a number inside an address is its postcode or house number, not a phone
    if (addresses.length)
      return out.filter(
        (x) =>
          x.type === "address" || !addresses.some((a) => x.start >= a.start && x.end <= a.end && x.type === "phone"),
      );
    return out;
  }

  // ---- words ------------------------------------------------------------------------------------------------------

  word(s: number): number {
    const { text, n, words } = this;
    let e = s + 1;
    let plain = text.charCodeAt(s) >= 97 && text.charCodeAt(s) <= 122;
    while (e < n) {
      const c = text.charCodeAt(e);
      if (c >= 97 && c <= 122) e++;
      else if (isLetter(c) || isDigit(c) || c === 95) {
        plain = false;
        e++;
      } else if ((c === 45 || c === 39 || c === 0x2019) && e + 1 < n && isLetter(text.charCodeAt(e + 1))) e++;
      else break;
    }
    const c0 = text.charCodeAt(s);
    // IBAN: two capitals, two check digits
    if (
      isUpper(c0) &&
      e - s >= 4 &&
      isUpper(text.charCodeAt(s + 1)) &&
      isDigit(text.charCodeAt(s + 2)) &&
      isDigit(text.charCodeAt(s + 3))
    ) {
      const end = this.iban(s);
      if (end > 0) return end;
    }
    // IPv6 that begins with a letter
    if (e < n && text.charCodeAt(e) === 58 && e - s <= 4 && isHex(c0)) {
      const end = this.ipv6(s);
      if (end > 0) return end;
    }
    const lower = plain ? text.slice(s, e) : text.slice(s, e).toLowerCase();
    // an abbreviation keeps its dot: "Str.", "Dr.", "Prof."
    const dotted =
      e < n &&
      text.charCodeAt(e) === 46 &&
      (TITLES.has(`${lower}.`) || STREET_WORDS.has(`${lower}.`) || lower.endsWith("str"));
    const w: Word = { start: s, end: dotted ? e + 1 : e, lower: dotted ? `${lower}.` : lower, cap: isUpper(c0) };
    words.push(w);
    // UK NINO: two letters, six digits, a letter A–D
    if (w.cap && e - s === 2 && /^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]$/.test(text.slice(s, e))) {
      const m = /^ ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/.exec(text.slice(e, e + 13));
      if (m && !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].includes(text.slice(s, e))) {
        this.push("nino", s, e + m[0].length, 0.95, "HMRC prefix and suffix rules");
        return e + m[0].length;
      }
    } else if (w.cap && e - s === 9 && /^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(text.slice(s, e))) {
      if (!["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].includes(text.slice(s, s + 2)))
        this.push("nino", s, e, 0.95, "HMRC prefix and suffix rules");
    } else if (
      (e - s === 9 || e - s === 10) &&
      w.cap &&
      /^[XYZ]\d{7,8}[A-Z]$/.test(text.slice(s, e)) &&
      this.served("ES")
    ) {
      if (taxId(text.slice(s, e), "es-ES")) this.push("national_id", s, e, 0.95, "Spain's DNI or NIE letter");
    }
    // a date written with a month's name: "June 19, 1996", "JUN 19 1996"
    if (MONTHS.has(lower)) {
      const m = /^\.? (\d{1,2}),? (\d{4})\b/.exec(text.slice(e, e + 12));
      if (m && Number(m[1]) <= 31) {
        const end = e + m[0].length;
        if (this.birthBefore(s)) this.push("dob", s, end, 0.9, "a date after a birth word");
        return end;
      }
    }
    return w.end;
  }

  iban(s: number): number {
    const { text, n } = this;
    let e = s;
    let chars = "";
    while (e < n && chars.length < 34) {
      const c = text.charCodeAt(e);
      if (isDigit(c) || (c >= 65 && c <= 90)) {
        chars += text[e];
        e++;
      } else if (
        c === 32 &&
        chars.length % 4 === 0 &&
        e + 1 < n &&
        (isDigit(text.charCodeAt(e + 1)) || isUpper(text.charCodeAt(e + 1)))
      )
        e++;
      else break;
    }
    if (e < n && (isLetter(text.charCodeAt(e)) || isDigit(text.charCodeAt(e)))) return -1;
    // a trailing group that is a word of its own ("DE89 3704 0044 0532 0130 00 EUR"): shorten to the country's length
    const spec = IBAN_SPECS[chars.slice(0, 2)];
    // a broken IBAN is consumed whole, so that its digit groups are not read as a phone number
    if (!spec?.chars || chars.length < spec.chars) return chars.length >= 15 ? e : -1;
    if (chars.length > spec.chars) {
      let k = 0;
      let end = s;
      while (k < spec.chars) {
        if (text.charCodeAt(end) !== 32) k++;
        end++;
      }
      if (end < n && text.charCodeAt(end) !== 32) return -1;
      e = end;
      chars = chars.slice(0, spec.chars);
    }
    if (!mod97(chars)) return e;
    if (isValidIBAN(electronicFormatIBAN(chars) ?? ""))
      this.push("iban", s, e, 0.99, "IBAN check digits (mod 97) and the national format");
    else this.push("iban", s, e, 0.8, "IBAN check digits (mod 97); the national check digits fail");
    return e;
  }

  ipv6(s: number): number {
    const { text, n } = this;
    let e = s;
    let colons = 0;
    while (e < n) {
      const c = text.charCodeAt(e);
      if (isHex(c) || c === 46) e++;
      else if (c === 58) {
        colons++;
        e++;
      } else break;
    }
    if (e < n && (isLetter(text.charCodeAt(e)) || text.charCodeAt(e) === 95)) return -1;
    let v = text.slice(s, e);
    if (v.endsWith(":") && !v.endsWith("::")) v = v.slice(0, -1); // "from fe80::1: timeout"
    if (colons < 2 || !/[0-9A-Fa-f]/.test(v) || !ipaddr.IPv6.isValid(v)) return -1;
    this.push("ip", s, s + v.length, 0.97, "a valid IPv6 address");
    return s + v.length;
  }

  // ---- numbers ----------------------------------------------------------------------------------------------------

  number(s: number): number {
    const { text, n } = this;
    // a number glued to a larger token is part of it: "v1.2.3", "Chrome/131.0", "#4821", "0x1f", "50590ms"
    const before = s > 0 ? text.charCodeAt(s - 1) : 32;
    if (gluesBefore(before) && !(before === 58 && text.charCodeAt(s) === 43)) return this.skipToken(s);
    // IPv6 beginning with a digit: "2001:db8::1"
    const c0 = text.charCodeAt(s);
    if (isDigit(c0)) {
      let k = s;
      while (k < n && k - s < 5 && isHex(text.charCodeAt(k))) k++;
      if (k < n && text.charCodeAt(k) === 58 && (text.charCodeAt(k + 1) === 58 || isHex(text.charCodeAt(k + 1)))) {
        const end = this.ipv6(s);
        if (end > 0) return end;
      }
    }
    // Brazil's CPF mixes dots and a dash: 529.982.247-25
    CPF.lastIndex = s;
    if (CPF.test(text)) {
      const v = text.slice(s, CPF.lastIndex);
      if (this.served("BR") && taxId(v, "pt-BR"))
        this.push("national_id", s, CPF.lastIndex, 0.95, "Brazil's CPF check digits");
      return CPF.lastIndex;
    }
    // a card in its printed groups, before a longer run can swallow it: "3452 164000 43192", "5319-2287-2882-1432"
    CARD.lastIndex = s;
    if (CARD.test(text) && !(CARD.lastIndex < n && isLetter(text.charCodeAt(CARD.lastIndex)))) {
      const v = text.slice(s, CARD.lastIndex).replace(/[ -]/g, "");
      if (isCreditCard(v) && !this.notPersonalBefore(s)) {
        this.push("card", s, CARD.lastIndex, 0.98, "issuer prefix and Luhn check");
        return CARD.lastIndex;
      }
    }
    const r = this.readRun(s);
    // a time, or a date and a time: "2026-12-05 19:21:09", "12:30"
    if (r.end < n && text.charCodeAt(r.end) === 58 && isDigit(text.charCodeAt(r.end + 1))) return this.skipToken(r.end);
    const after = r.end < n ? text.charCodeAt(r.end) : 32;
    // glued after: a unit ("50590ms"), a letter of an identifier; a DNI's letter is the one exception
    if (isLetter(after) || after === 95 || after === 64) {
      if (r.groups.length === 1 && r.digits.length === 8 && isUpper(after) && this.served("ES")) {
        const tail = r.end + 1 < n ? text.charCodeAt(r.end + 1) : 32;
        if (!isLetter(tail) && !isDigit(tail) && taxId(text.slice(s, r.end + 1), "es-ES")) {
          this.push("national_id", s, r.end + 1, 0.95, "Spain's DNI or NIE letter");
          return r.end + 1;
        }
      }
      // a date with a time: "2026-12-02T13:45"
      if (!(after === 84 && /^\d{4}-\d{2}-\d{2}$/.test(text.slice(s, r.end)))) return this.skipToken(r.end);
    }
    return Math.max(this.classify(r), s + 1);
  }

  skipToken(s: number): number {
    const { text, n } = this;
    let e = s;
    while (e < n) {
      const c = text.charCodeAt(e);
      if (isLetter(c) || isDigit(c) || c === 95 || c === 46 || c === 45 || c === 47 || c === 58) e++;
      else break;
    }
    return Math.max(e, s + 1);
  }

  readRun(s: number): Run {
    const { text, n } = this;
    let e = s;
    const groups: number[] = [];
    let seps = "";
    let g = 0;
    const plus = text.charCodeAt(s) === 43;
    if (plus) e++;
    let parens = false;
    let open = false;
    /** Whether the run's separators are dots: set by the first one. */
    let dotRun: boolean | undefined;
    while (e < n && e - s < 24) {
      const c = text.charCodeAt(e);
      if (isDigit(c)) {
        g++;
        e++;
        continue;
      }
      const next = e + 1 < n ? text.charCodeAt(e + 1) : 0;
      if (c === 40 && !open && (isDigit(next) || next === 48) && (g === 0 || text.charCodeAt(e - 1) === 32)) {
        open = true;
        parens = true;
        if (g) groups.push(g);
        g = 0;
        e++;
        continue;
      }
      if (c === 41 && open && g > 0) {
        open = false;
        groups.push(g);
        g = 0;
        if (next === 32 && e + 2 < n && isDigit(text.charCodeAt(e + 2))) {
          seps += ")";
          e += 2;
          continue;
        }
        if (isDigit(next)) {
          seps += ")";
          e++;
          continue;
        }
        e++;
        break;
      }
      // a separator joins groups of up to eight digits: "4480439488871683 69069.08" is a card and an amount
      if (
        (c === 32 || c === 45 || c === 46 || c === 47) &&
        g > 0 &&
        g <= 8 &&
        (isDigit(next) || (c === 32 && next === 40))
      ) {
        // a dot only joins groups written with dots alone: "5.20.37" after "8659451 " is a version of its own
        const dot = c === 46;
        if (dotRun !== undefined && dotRun !== dot) break;
        dotRun = dot;
        // after a dash or a slash, a space ends a run of four-digit groups: "5319-2287-2882-1432 76843.07"
        if (c === 32 && g >= 4 && /[-/]/.test(seps)) break;
        groups.push(g);
        g = 0;
        seps += text[e];
        e++;
        continue;
      }
      break;
    }
    if (g) groups.push(g);
    if (open) {
      // an unclosed bracket: the run ends before it
      const at = text.lastIndexOf("(", e);
      return this.readRunUntil(s, at);
    }
    const raw = text.slice(plus ? s + 1 : s, e);
    return { start: s, end: e, digits: seps || parens ? raw.replace(/\D/g, "") : raw, groups, seps, plus };
  }

  readRunUntil(s: number, stop: number): Run {
    const { text } = this;
    const v = text.slice(s, stop).trimEnd();
    return {
      start: s,
      end: s + v.length,
      digits: v.replace(/\D/g, ""),
      groups: v
        .split(/\D+/)
        .filter(Boolean)
        .map((x) => x.length),
      seps: v.replace(/[\d+]/g, ""),
      plus: v.startsWith("+"),
    };
  }

  /** Reports what a run is; returns where the pass goes on (past a date's month and year, a coordinate's pair). */
  classify(r: Run): number {
    const { text, words, regions } = this;
    const v = text.slice(r.start, r.end);
    const d = r.digits;
    const gs = r.groups;
    const seps = r.seps;
    const only = (ch: string) => seps.length > 0 && [...seps].every((x) => x === ch);
    // IPv4
    if (gs.length === 4 && only(".") && gs.every((k) => k <= 3)) {
      const afterSha = /(?:^|\s)[0-9a-f]{7,40} $/.test(text.slice(Math.max(0, r.start - 42), r.start));
      if (ipaddr.IPv4.isValidFourPartDecimal(v) && !afterSha && !this.notPersonalBefore(r.start))
        this.push("ip", r.start, r.end, 0.97, "a valid IPv4 address");
      return r.end;
    }
    // dates: ISO, day.month.year, month/day/year
    const date = this.dateOf(v, gs, seps);
    if (date) {
      if (this.birthBefore(r.start)) this.push("dob", r.start, r.end, 0.9, "a date after a birth word");
      return r.end;
    }
    // a day before a month's name: "29 May 1975", "1. enero 1990", "3 de março de 1982"
    if (gs.length === 1 && d.length <= 2 && Number(d) >= 1 && Number(d) <= 31) {
      const m = /^\.? (?:de )?(\p{L}{3,10})\.?,? (?:de )?(\d{4})\b/u.exec(text.slice(r.end, r.end + 26));
      if (m && MONTHS.has(m[1].toLowerCase())) {
        const end = r.end + m[0].length;
        if (this.birthBefore(r.start)) this.push("dob", r.start, end, 0.9, "a date after a birth word");
        words.push({
          start: r.end + m[0].indexOf(m[1]),
          end: r.end + m[0].indexOf(m[1]) + m[1].length,
          lower: m[1].toLowerCase(),
          cap: false,
        });
        return end;
      }
    }
    // geo coordinates: two decimals with four or more places
    if (gs.length === 2 && only(".") && gs[1] >= 4 && gs[0] <= 3) {
      const m = /^, ?(-?\d{1,3}\.\d{4,8})(?![\d.])/.exec(text.slice(r.end, r.end + 16));
      if (m) {
        const lat = Number((r.start > 0 && text[r.start - 1] === "-" ? "-" : "") + v);
        const lon = Number(m[1]);
        const s = r.start > 0 && text[r.start - 1] === "-" ? r.start - 1 : r.start;
        if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
          const geoWord = this.keyIn(this.wordBefore(s), GEO_WORDS);
          this.push(
            "geo",
            s,
            r.end + m[0].length,
            geoWord ? 0.95 : 0.7,
            geoWord ? "latitude and longitude after a location word" : "latitude and longitude in range",
          );
          return r.end + m[0].length;
        }
      }
      return r.end;
    }
    // national identifiers with a fixed shape, where their country is served (Brazil's CPF is read in `number`)
    if (this.served("SE") && /^(?:19|20)?\d{6}[-+]\d{4}$/.test(v) && taxId(v.length > 11 ? v.slice(2) : v, "sv-SE")) {
      this.push("national_id", r.start, r.end, 0.95, "Sweden's personnummer: a date and the Luhn check");
      return r.end;
    }
    if (this.served("FR") && d.length === 15 && /^[12]/.test(d) && validNir(v)) {
      this.push("national_id", r.start, r.end, 0.95, "France's NIR key");
      return r.end;
    }
    const w = this.wordBefore(r.start);
    const quiet = !!w && NOT_PERSONAL_WORDS.has(w.lower);
    // SSN: 3-2-4 with dashes or spaces
    if (gs.length === 3 && gs[0] === 3 && gs[1] === 2 && gs[2] === 4 && (only("-") || only(" "))) {
      if (validSsn(d) && !quiet) this.push("ssn", r.start, r.end, 0.95, "SSA number rules");
      return r.end;
    }
    // an identifier after its name: "BSN 111222333", "SIN 130 692 544", "Steuer-ID 86095742719"
    const named = r.plus ? undefined : this.namedId(d, w);
    if (named) {
      this.push("national_id", r.start, r.end, 0.95, named);
      return r.end;
    }
    // bare digits: a card, or a phone only after a phone word
    if (gs.length === 1 && !r.plus) {
      if (d.length <= 5) {
        this.smallNumbers.push(r.start, r.end);
        // next to a word ("12 rue", "Hauptstraße 5,", "Str. 23", "86 4th"): an address may be here
        if (this.besideWord(r.start, r.end)) this.addressHint = true;
      }
      if (d.length >= 13 && d.length <= 19 && !quiet && isCreditCard(d)) {
        this.push("card", r.start, r.end, 0.9, "issuer prefix and Luhn check");
        return r.end;
      }
      if (
        this.keyIn(w, PHONE_WORDS) &&
        d.length >= 7 &&
        (validPhone(d, false, regions) || (d.startsWith("00") && validPhone(d.slice(2), true, regions)))
      )
        this.push("phone", r.start, r.end, 0.9, "a valid phone number after a phone word");
      return r.end;
    }
    if (quiet) return r.end;
    // cards: 4-4-4-4(-3), 4-6-5, 4-6-4 with one kind of separator
    if (d.length >= 13 && d.length <= 19 && !r.plus && (only(" ") || only("-"))) {
      const shape = gs.join("-");
      if (/^4-4-4-4(?:-3)?$|^4-6-[45]$/.test(shape)) {
        if (isCreditCard(d)) this.push("card", r.start, r.end, 0.98, "issuer prefix and Luhn check");
        return r.end;
      }
    }
    // phones: international, or national with separators (at least nine digits without a phone word)
    if (/[:]/.test(v)) return r.end;
    if (r.seps.includes(".") && !only(".")) return r.end;
    if (only(".") && gs.some((k) => k > 4 || k < 2)) return r.end; // versions and amounts
    // a US ZIP+4 (12345-6789) or a Brazilian CEP (12345-678)
    if (gs.length === 2 && gs[0] === 5 && (gs[1] === 4 || gs[1] === 3) && only("-")) return r.end;
    // an HTTP status and a size: "200 5784361"
    if (
      gs.length === 2 &&
      gs[0] === 3 &&
      only(" ") &&
      HTTP_STATUS.has(d.slice(0, 3)) &&
      gs[1] >= 4 &&
      !this.keyIn(w, PHONE_WORDS)
    )
      return r.end;
    const intl = r.plus || d.startsWith("00");
    const phoneWord = this.keyIn(w, PHONE_WORDS);
    if (!intl && d.length < (phoneWord ? 7 : 9)) return r.end;
    // "+44 (0)20 7946 0000": the trunk 0 in brackets after the code
    const digits = intl ? (r.plus ? d : d.slice(2)) : d;
    if (validPhone(digits, intl, regions))
      this.push(
        "phone",
        r.start,
        r.end,
        intl || phoneWord ? 0.97 : 0.9,
        phoneWord ? "a valid phone number after a phone word" : "a valid phone number",
      );
    return r.end;
  }

  /** Whether a word stands before `s` or after `e`, across one space or a comma and a space. */
  besideWord(s: number, e: number): boolean {
    const { text, n } = this;
    let b = s - 1;
    while (b >= 0 && s - b <= 2 && (text.charCodeAt(b) === 32 || text.charCodeAt(b) === 44)) b--;
    if (b < s - 1 && b >= 0 && (isLetter(text.charCodeAt(b)) || text.charCodeAt(b) === 46)) return true;
    let a = e;
    while (a < n && a - e < 2 && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 44)) a++;
    return a > e && a < n && (isLetter(text.charCodeAt(a)) || isDigit(text.charCodeAt(a)));
  }

  dateOf(v: string, gs: number[], seps: string): boolean {
    if (gs.length !== 3) return false;
    const p = v.split(/[-./ ]/).map(Number);
    if (seps === "--" && gs[0] === 4) return validYmd(p[0], p[1], p[2]);
    if ((seps === ".." || seps === "//" || seps === "--") && gs[2] === 4 && gs[0] <= 2 && gs[1] <= 2)
      return validYmd(p[2], p[1] > 12 ? p[0] : p[1], p[1] > 12 ? p[1] : p[0]);
    return false;
  }

  namedId(v: string, w: Word | undefined): string | undefined {
    if (!w) return undefined;
    const k = w.lower;
    if (this.served("NL") && (k === "bsn" || k === "burgerservicenummer" || k === "sofinummer") && taxId(v, "nl-NL"))
      return "the Netherlands' BSN 11-proof, after its name";
    if (this.served("CA") && (k === "sin" || k === "nas") && !/^[08]/.test(v) && taxId(v, "en-CA"))
      return "Canada's SIN Luhn check, after its name";
    if (
      this.served("DE") &&
      (k === "steuer-id" || k === "steuerid" || k === "idnr" || k === "steueridentifikationsnummer") &&
      taxId(v, "de-DE")
    )
      return "Germany's Steuer-ID check digit, after its name";
    return undefined;
  }
}

/** HTTP statuses a web server logs before a response's size. */
const HTTP_STATUS = new Set(
  [
    "100 101 200 201 202 203 204 206 207 301 302 303 304 307 308",
    "400 401 403 404 405 406 408 409 410 412 413 415 416 422 429 499 500 501 502 503 504",
  ]
    .join(" ")
    .split(" "),
);
const CARD = /\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?(?![\d.,])|\d{4}([ -])\d{6}\2\d{4,5}(?![\d.,])/y;
/** Small words a street's name can begin with: "van de Veldenstraat", "de Haandijk", "la Rambla". */
const STREET_STARTS = new Set("van de den der het la le les du des di da do dos das del della von zum zur".split(" "));
const CPF = /\d{3}\.\d{3}\.\d{3}-\d{2}(?![\d-])/y;

const GEO_WORDS = new Set(
  [
    "lat lng lon latitude longitude coord coords coordinates gps location position",
    "standort breite länge posición ubicación posizione positie localização plats geo",
  ]
    .join(" ")
    .split(" "),
);

/**
 * Whether a word, or a field's key split at `_` and `-` (`customer_email`, `phone-number`), is in a set. A key that
 * ends in `_id` names an identifier of the thing, not the thing: `contact_id` is not a phone word.
 */
function keyHas(lower: string, s: ReadonlySet<string>): boolean {
  if (s.has(lower)) return true;
  if (!lower.includes("_") && !lower.includes("-")) return false;
  if (lower.endsWith("_id") || lower.endsWith("-id")) return false;
  return lower.split(/[_-]/).some((p) => s.has(p));
}

// ---- addresses --------------------------------------------------------------------------------------------------

interface Found {
  start: number;
  end: number;
  confidence: number;
  evidence: string;
}

const isStreetWord = (w: Word) => {
  if (STREET_WORDS.has(w.lower)) return true;
  if (!w.cap) return false;
  for (const s of STREET_SUFFIXES) if (w.lower.length > s.length + 2 && w.lower.endsWith(s)) return true;
  return false;
};

const CAP = String.raw`[A-ZÀ-ÖØ-Þ][\p{L}'’.]*(?:-[\p{L}'’.]+)*`;
const PART =
  String.raw`(?:de|del|della|da|das|do|dos|du|des|la|le|les|lo|di|van|der|den|ten|ter|von|zu|zum|zur|am|an|` +
  String.raw`im|of|the|y|e|upon|under|on|sur|en|rue|avenue|boulevard|chemin|impasse|allée|place|via|viale|` +
  String.raw`calle|rua|avenida|quai|route|bis|ter)(?![\p{L}])`;
const NAMEW = `(?:${CAP}|${PART}|[dl]['’]${CAP}|\\d{1,3}(?:st|nd|rd|th)|[NSEW])`;
const UNIT =
  String.raw`(?:,? (?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Fl\.|Room|#|Appt\.?|Bât\.?|Bat\.|` +
  String.raw`apto\.?|Apto\.?|ap\.|Whg\.|Wohnung|App\.|Piano|Appartamento|int\.|` +
  String.raw`Interno)\s?[A-Z0-9][A-Za-z0-9-]{0,4}|,? \d{1,2}(?:º|ª|°)\s?[A-Z]?|, \d{1,2}e étage|-\d{1,3}\b|` +
  String.raw`-[IVX]{1,4}\b| [A-Z](?=,))`;
const ZIP =
  String.raw`(?:\d{5}(?:-\d{3,4})?|\d{4} ?[A-Z]{2}(?![\p{L}])|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}|` +
  String.raw`\d{4}(?![\d-]))`;
const CITY = `${CAP}(?:[ -]${NAMEW}){0,4}`;
const TAIL =
  String.raw`(?:,? (?:${ZIP} ${CITY}|${CITY}(?:, (?:[A-Z]{2}|${CAP})(?: ${ZIP})?| - [A-Z]{2}(?:, ${ZIP})?|` +
  String.raw` ${ZIP}|(?=[,.;)]|$))))`;
const NUM = String.raw`\d{1,5}(?![.,]\d)(?:[a-zA-Z](?![\p{L}])|-\d{1,3}(?![\d]))?(?: bis| ter)?`;
/** Number first: "684 Martin Luther King Boulevard, Apt 5, Springfield, IL 62704", "12 rue de la Paix, 75002 Paris". */
const NUMBER_FIRST = new RegExp(
  String.raw`(?:Flat \d{1,4}, )?${NUM},? ${NAMEW}(?: ${NAMEW}){0,5}${UNIT}?${TAIL}?`,
  "uy",
);
/** Street first: "Carl-Duisberg-Str. 23, 51373 Leverkusen", "Rua Augusta, 1500, apto 42, São Paulo - SP, 01304-001". */
const STREET_FIRST = new RegExp(String.raw`${NAMEW}(?: ${NAMEW}){0,5},? ${NUM}${UNIT}?${TAIL}?`, "uy");
const HAS_TAIL = new RegExp(`${TAIL}$`, "u");

function findAddresses(
  text: string,
  words: readonly Word[],
  numbers: readonly number[],
  free: (s: number, e: number) => boolean,
): Found[] {
  const out: Found[] = [];
  /** `numberAt`: where the house number ends in `v`; a postcode is looked for after it. */
  const judge = (s: number, v: string, numberAt: number): void => {
    const e = s + v.length;
    const inside = words.filter((w) => w.start >= s && w.end <= e);
    const street = inside.some(isStreetWord);
    const rest = v.slice(numberAt);
    const tail = HAS_TAIL.test(rest);
    const zipped =
      /(?:^|[ ,])(?:\d{5}(?:-\d{3,4})?|\d{4} ?[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}|\d{4})(?:[ ,]|$)/.test(rest);
    if (!street && !zipped) return;
    if (!tail && !street) return;
    // words that are not an address's: a name word or a title right inside
    // (a state's two capitals, such as HI or MS, are not the greeting or the title they spell)
    const word = (w: Word) => w.end - w.start > 2 || !isUpper(text.charCodeAt(w.start + 1));
    if (inside.some((w) => word(w) && (TITLES.has(w.lower) || NAME_CUES.has(w.lower) || PHONE_WORDS.has(w.lower))))
      return;
    const trimmed = v.replace(/[,.\s]+$/, "");
    if (free(s, s + trimmed.length))
      out.push({
        start: s,
        end: s + trimmed.length,
        confidence: zipped && street ? 0.9 : 0.8,
        evidence: zipped ? "a street, a house number and a postcode" : "a house number and a street word",
      });
  };
  // number first, from each small number followed by a word
  for (let k = 0; k < numbers.length; k += 2) {
    let s = numbers[k];
    // "Flat 5, 295 Mia Hill": the unit before the house number belongs to the address
    const flat = /Flat \d{1,4}, $/.exec(text.slice(Math.max(0, s - 11), s));
    if (flat) s -= flat[0].length;
    NUMBER_FIRST.lastIndex = s;
    const m = NUMBER_FIRST.exec(text);
    if (m) judge(s, m[0], numbers[k + 1] - s);
  }
  // street first, from up to five words before a street word or a number
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (!(w.cap || STREET_WORDS.has(w.lower))) continue;
    if (!isStreetWord(w) && !(w.cap && /^,? \d{1,5}/.test(text.slice(w.end, w.end + 7)))) continue;
    for (let b = Math.max(0, k - 5); b <= k; b++) {
      const first = words[b];
      if (!first.cap && !STREET_WORDS.has(first.lower) && !STREET_STARTS.has(first.lower)) continue;
      if (NAME_CUES.has(first.lower) || NOT_PERSONAL_WORDS.has(first.lower)) continue;
      STREET_FIRST.lastIndex = first.start;
      const m = STREET_FIRST.exec(text);
      if (m && m[0].length >= w.end - first.start) {
        const before = out.length;
        judge(first.start, m[0], m[0].search(/\d(?!\d)/) + 1);
        if (out.length > before) break;
      }
    }
  }
  // the longest of overlapping candidates wins
  out.sort((a, b) => b.end - b.start - (a.end - a.start));
  const kept: Found[] = [];
  for (const a of out) if (!kept.some((k) => a.start < k.end && k.start < a.end)) kept.push(a);
  return kept;
}

// ---- names ------------------------------------------------------------------------------------------------------

function findNames(
  text: string,
  words: readonly Word[],
  free: (s: number, e: number) => boolean,
  push: (type: EntityType, start: number, end: number, confidence: number, evidence: string) => void,
): void {
  const gap = (a: Word, b: Word) => {
    const g = text.slice(a.end, b.start);
    return g === " " || g === "-";
  };
  const nameWord = (w: Word) =>
    w.cap &&
    !NOT_NAMES.has(w.lower) &&
    !NAME_CUES.has(w.lower) &&
    !isStreetWord(w) &&
    !TITLES.has(w.lower) &&
    !UNIT_WORDS.has(w.lower);
  let k = 0;
  while (k < words.length) {
    const w = words[k];
    if (!nameWord(w)) {
      k++;
      continue;
    }
    // the run of capitalised words (and particles) from here
    let e = k;
    while (e + 1 < words.length && gap(words[e], words[e + 1]) && e - k < 4) {
      const nx = words[e + 1];
      if (nameWord(nx)) {
        e++;
        continue;
      }
      // particles: "van den Klein", "de la Cruz", "von der Beh"
      let p = e + 1;
      while (
        p < words.length &&
        p - e <= 3 &&
        !words[p].cap &&
        PARTICLES.has(words[p].lower) &&
        p + 1 < words.length &&
        gap(words[p], words[p + 1])
      )
        p++;
      if (p > e + 1 && p < words.length && nameWord(words[p])) e = p;
      else break;
    }
    const count = e - k + 1;
    const first = FIRST_NAMES.has(w.lower);
    // the cue: a title, a name word or a greeting before the run
    let cue: Word | undefined;
    let title = false;
    for (let b = k - 1; b >= 0 && b >= k - 3; b--) {
      const p = words[b];
      const between = text.slice(p.end, words[b + 1].start);
      if (between.length > 4 || /[\d;]/.test(between)) break;
      if (TITLES.has(p.lower)) {
        title = true;
        continue;
      }
      if (keyHas(p.lower, NAME_CUES)) cue = p;
      // "assigned to", "sent to": a cue word two words back
      else if (
        p.lower === "to" &&
        b > 0 &&
        NAME_CUES.has(words[b - 1].lower) &&
        text.slice(words[b - 1].end, p.start) === " "
      )
        cue = words[b - 1];
      break;
    }
    const greeting = !!cue && GREETINGS.has(cue.lower);
    // a run that a street word, a unit or a number follows is a street: "Martin Luther King Boulevard"
    const after = text.slice(words[e].end, words[e].end + 3);
    // and so is one a house number begins: "151 Federico Brow"
    const streetAfter =
      (e + 1 < words.length && gap(words[e], words[e + 1]) && isStreetWord(words[e + 1])) ||
      /^ \d/.test(after) ||
      /\d,? $/.test(text.slice(Math.max(0, words[k].start - 3), words[k].start));
    const s = words[k].start;
    const end = words[e].end;
    let confidence = 0;
    let why = "";
    if (streetAfter) confidence = 0;
    else if (title && count >= 1) [confidence, why] = [0.9, "capitalised words after a title"];
    else if (greeting && count >= 1) [confidence, why] = [first || count >= 2 ? 0.9 : 0.75, "a name after a greeting"];
    else if (cue && count >= 2)
      [confidence, why] = [first ? 0.9 : 0.75, "a given name and a surname after a name word"];
    else if (first && count >= 2) [confidence, why] = [0.75, "a given name and a surname"];
    if (confidence && free(s, end)) push("name", s, end, confidence, why);
    k = e + 1;
  }
}
