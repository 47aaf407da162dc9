/**
 * A labelled corpus of personal data in text, generated with faker: log lines,
 * support tickets and CRM notes in several languages and phone formats, each
 * entity's span recorded, and decoys that look like personal data but are not
 * (order numbers, version strings, timestamps, invalid cards and IBANs, UUIDs).
 * Used by the detector tests and by bench/scan.
 */
import { allFakers, base, en, Faker } from "@faker-js/faker";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import type { EntityType } from "../../src/discovery/index.js";

export interface Label {
  type: EntityType;
  start: number;
  end: number;
}

export interface CorpusLine {
  text: string;
  labels: Label[];
  /** Spans of decoys: nothing may be detected there. */
  decoys: { kind: string; start: number; end: number }[];
}

type Part = string | { type: EntityType; value: string } | { decoy: string; value: string };

const LOCALES = ["en_US", "en_GB", "de", "fr", "es", "it", "nl", "pt_PT", "sv"] as const;
const REGION: Record<(typeof LOCALES)[number], string> = {
  en_US: "US",
  en_GB: "GB",
  de: "DE",
  fr: "FR",
  es: "ES",
  it: "IT",
  nl: "NL",
  pt_PT: "PT",
  sv: "SE",
};

/** Luhn check digit for a number without it. */
function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Phone numbers per region, in the formats people write (national, international, dotted, dashed, bracketed),
 * drawn again until the number is one the region allocates: a real person's number always is.
 */
function phone(f: Faker, region: string): string {
  for (let i = 0; i < 50; i++) {
    const v = phoneShape(f, region);
    if (parsePhoneNumberFromString(v, region as CountryCode)?.isValid()) return v;
  }
  throw new Error(`no valid ${region} phone number drawn`);
}

function phoneShape(f: Faker, region: string): string {
  const n = (k: number) => f.string.numeric({ length: k, allowLeadingZeros: true });
  const nz = (k: number) => f.string.numeric({ length: 1, exclude: ["0", "1"] }) + n(k - 1);
  switch (region) {
    case "US": {
      const area = f.helpers.arrayElement(["212", "415", "312", "617", "206", "303", "512", "702"]);
      const ex = nz(3);
      const line = n(4);
      return f.helpers.arrayElement([
        `(${area}) ${ex}-${line}`,
        `${area}-${ex}-${line}`,
        `${area}.${ex}.${line}`,
        `+1 ${area} ${ex} ${line}`,
        `+1-${area}-${ex}-${line}`,
      ]);
    }
    case "GB": {
      const rest = `7${f.helpers.arrayElement(["400", "700", "800", "900", "500"])}${n(6)}`;
      return f.helpers.arrayElement([
        `0${rest.slice(0, 4)} ${rest.slice(4)}`,
        `+44 ${rest.slice(0, 4)} ${rest.slice(4)}`,
        `+44 20 7${n(3)} ${n(4)}`,
        `020 7${n(3)} ${n(4)}`,
      ]);
    }
    case "DE": {
      const mob = `15${f.helpers.arrayElement(["1", "2", "7", "9"])}${n(8)}`;
      return f.helpers.arrayElement([
        `0${mob.slice(0, 3)} ${mob.slice(3)}`,
        `+49 ${mob.slice(0, 3)} ${mob.slice(3)}`,
        `030 ${nz(8)}`,
        `+49 30 ${nz(8)}`,
        `0049 89 ${nz(7)}`,
        `030/${nz(7)}`,
      ]);
    }
    case "FR": {
      const p = `6${n(8)}`;
      const pairs = p.match(/.{1,2}/g)!.join(" ");
      return f.helpers.arrayElement([
        `0${pairs}`,
        `+33 ${pairs}`,
        `0${p.slice(0, 1)}.${p.slice(1, 3)}.${p.slice(3, 5)}.${p.slice(5, 7)}.${p.slice(7)}`,
      ]);
    }
    case "ES":
      return f.helpers.arrayElement([
        `6${n(2)} ${n(3)} ${n(3)}`,
        `+34 6${n(2)} ${n(3)} ${n(3)}`,
        `+34 91 ${nz(3)} ${n(2)} ${n(2)}`,
      ]);
    case "IT":
      return f.helpers.arrayElement([
        `+39 3${f.helpers.arrayElement(["20", "33", "47", "49"])} ${n(3)} ${n(4)}`,
        `3${f.helpers.arrayElement(["20", "33", "47"])} ${n(7)}`,
        `+39 06 ${nz(4)} ${n(4)}`,
      ]);
    case "NL":
      return f.helpers.arrayElement([`06-${nz(8)}`, `+31 6 ${nz(8)}`, `020 ${nz(3)} ${n(4)}`]);
    case "PT":
      return f.helpers.arrayElement([
        `+351 9${f.helpers.arrayElement(["1", "3", "6"])}${n(1)} ${n(3)} ${n(3)}`,
        `9${f.helpers.arrayElement(["1", "3", "6"])}${n(1)} ${n(3)} ${n(3)}`,
      ]);
    default:
      return f.helpers.arrayElement([
        `07${f.helpers.arrayElement(["0", "2", "3", "6"])}-${nz(3)} ${n(2)} ${n(2)}`,
        `+46 7${f.helpers.arrayElement(["0", "2", "3", "6"])} ${nz(3)} ${n(2)} ${n(2)}`,
      ]);
  }
}

/** A US SSN the SSA could issue: area 001–665 or 667–899, group 01–99, serial 0001–9999. */
function ssn(f: Faker): string {
  let area = f.number.int({ min: 1, max: 899 });
  if (area === 666) area = 667;
  const g = String(f.number.int({ min: 1, max: 99 })).padStart(2, "0");
  const s = String(f.number.int({ min: 1, max: 9999 })).padStart(4, "0");
  return `${String(area).padStart(3, "0")}-${g}-${s}`;
}

function card(f: Faker): string {
  const body = f.helpers.arrayElement(["4", "51", "52", "53", "54", "55", "2221", "34", "37", "6011"]);
  const len = body === "34" || body === "37" ? 15 : 16;
  const digits = body + f.string.numeric({ length: len - body.length - 1, allowLeadingZeros: true });
  const full = digits + luhnDigit(digits);
  if (len === 15) return f.helpers.arrayElement([full, `${full.slice(0, 4)} ${full.slice(4, 10)} ${full.slice(10)}`]);
  return f.helpers.arrayElement([full, full.match(/.{4}/g)!.join(" "), full.match(/.{4}/g)!.join("-")]);
}

function invalidCard(f: Faker): string {
  const c = card(f).replace(/\D/g, "");
  const last = (Number(c[c.length - 1]) + f.number.int({ min: 1, max: 9 })) % 10;
  return (c.slice(0, -1) + last).match(/.{1,4}/g)!.join(" ");
}

function iban(f: Faker, spaced: boolean): string {
  // faker's IBANs carry right IBAN check digits but not the national ones (Spain's, France's RIB key, …), which a real
  // account always has and ibantools checks: the corpus takes countries whose account numbers have none.
  return f.finance.iban({
    formatted: spaced,
    countryCode: f.helpers.arrayElement(["DE", "NL", "GB", "AT", "CH", "IE", "LU", "DK"]),
  });
}

function invalidIban(f: Faker): string {
  const v = iban(f, true);
  // change one digit of the account: the mod-97 check fails
  const i = v.length - 2;
  const d = v[i];
  const nd = /\d/.test(d) ? String((Number(d) + 1) % 10) : d === "A" ? "B" : "A";
  return v.slice(0, i) + nd + v.slice(i + 1);
}

function ipv6(f: Faker): string {
  return f.helpers.arrayElement([
    f.internet.ipv6(),
    `2001:db8::${f.string.hexadecimal({ length: 4, prefix: "" }).toLowerCase()}:${f.string.hexadecimal({ length: 2, prefix: "" }).toLowerCase()}`,
    `fe80::${f.string.hexadecimal({ length: 3, prefix: "" }).toLowerCase()}:${f.string.hexadecimal({ length: 4, prefix: "" }).toLowerCase()}`,
  ]);
}

const decoy = (f: Faker): Part =>
  f.helpers.arrayElement([
    () => ({
      decoy: "order",
      value: `order #${f.string.numeric({ length: { min: 6, max: 12 }, allowLeadingZeros: false })}`,
    }),
    () => ({ decoy: "order", value: `ORD-${f.string.numeric(8)}` }),
    () => ({ decoy: "version", value: `v${f.system.semver()}` }),
    () => ({
      decoy: "version",
      value: `build ${f.number.int(9)}.${f.number.int(20)}.${f.number.int(30)}.${f.number.int(999)}`,
    }),
    () => ({ decoy: "timestamp", value: f.date.recent({ days: 400 }).toISOString() }),
    () => ({
      decoy: "timestamp",
      value: `${f.date.recent().toISOString().slice(0, 10)} ${f.date.recent().toISOString().slice(11, 19)}`,
    }),
    () => ({ decoy: "uuid", value: f.string.uuid() }),
    () => ({ decoy: "card", value: invalidCard(f) }),
    () => ({ decoy: "iban", value: invalidIban(f) }),
    () => ({ decoy: "amount", value: `${f.finance.amount({ min: 1, max: 99999, dec: 2 })} EUR` }),
  ])();

function templates(f: Faker, region: string): Part[][] {
  const name = (): Part => ({ type: "name", value: `${f.person.firstName()} ${f.person.lastName()}` });
  const email = (): Part => ({ type: "email", value: f.internet.email().toLowerCase() });
  const EMAIL = (): Part => ({ type: "email", value: f.internet.email() });
  const tel = (): Part => ({ type: "phone", value: phone(f, region) });
  const ip4 = (): Part => ({ type: "ip", value: f.internet.ipv4() });
  const ip6 = (): Part => ({ type: "ip", value: ipv6(f) });
  const addr = (): Part => ({ type: "address", value: f.location.streetAddress() });
  const ts = f.date.recent({ days: 30 }).toISOString();
  return [
    [`${ts} INFO auth login ok user=`, email(), ` ip=`, ip4(), ` req=`, decoy(f)],
    [`${ts} WARN checkout failed for `, EMAIL(), ` from `, ip6(), `: `, decoy(f)],
    [`${ts} DEBUG payment card=`, { type: "card", value: card(f) }, ` `, decoy(f), ` amount ok`],
    [`Ticket: customer `, name(), ` called from `, tel(), ` about `, decoy(f), `.`],
    [`CRM note: spoke to `, name(), ` (`, email(), `), prefers phone `, tel(), `.`],
    [`Refund to IBAN `, { type: "iban", value: iban(f, f.datatype.boolean()) }, ` for `, decoy(f), `.`],
    [`SSN on file: `, { type: "ssn", value: ssn(f) }, `; ticket `, decoy(f)],
    [`Kunde `, name(), `, Tel. `, tel(), `, schrieb wegen `, decoy(f), `.`],
    [`Client `, name(), ` joignable au `, tel(), ` — `, decoy(f)],
    [`Cliente `, name(), `, teléfono `, tel(), `, correo `, email(), `.`],
    [`Ship to `, addr(), ` — `, decoy(f)],
    [`${ts} ERROR upstream `, decoy(f), ` timeout after 3000 ms (`, decoy(f), `)`],
    [`Release `, decoy(f), ` deployed; `, decoy(f), ` checked`],
  ];
}

/**
 * `n` labelled lines, the same for the same seed.
 *
 * ```ts
 * const lines = corpus(1000, 42);
 * ```
 */
export function corpus(n: number, seed = 1): CorpusLine[] {
  const out: CorpusLine[] = [];
  const fakers = LOCALES.map((l) => {
    const f = new Faker({ locale: [allFakers[l].rawDefinitions, en, base] });
    f.seed(seed);
    return { f, region: REGION[l] };
  });
  for (let i = 0; i < n; i++) {
    const { f, region } = fakers[i % fakers.length];
    const parts = f.helpers.arrayElement(templates(f, region));
    let text = "";
    const labels: Label[] = [];
    const decoys: CorpusLine["decoys"] = [];
    for (const p of parts) {
      if (typeof p === "string") text += p;
      else if ("type" in p) {
        labels.push({ type: p.type, start: text.length, end: text.length + p.value.length });
        text += p.value;
      } else {
        decoys.push({ kind: p.decoy, start: text.length, end: text.length + p.value.length });
        text += p.value;
      }
    }
    out.push({ text, labels, decoys });
  }
  return out;
}

/** The regions a corpus's phone numbers come from: what a declaration serving them would give the detector. */
export const CORPUS_REGIONS = Object.values(REGION);

export interface Score {
  type: EntityType;
  labels: number;
  detected: number;
  truePositives: number;
  precision: number;
  recall: number;
}

/**
 * Precision and recall per entity type: a detection is right when a label of its
 * type overlaps it; every other detection (a decoy, plain text) is wrong.
 */
export function score(
  lines: readonly CorpusLine[],
  find: (text: string) => readonly { type: EntityType; start: number; end: number }[],
): {
  scores: Score[];
  misses: { text: string; label: Label }[];
  falsePositives: { text: string; found: string; type: EntityType }[];
} {
  const by = new Map<EntityType, { labels: number; detected: number; tp: number }>();
  const at = (t: EntityType) => {
    if (!by.has(t)) by.set(t, { labels: 0, detected: 0, tp: 0 });
    return by.get(t)!;
  };
  const misses: { text: string; label: Label }[] = [];
  const falsePositives: { text: string; found: string; type: EntityType }[] = [];
  const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
    a.start < b.end && b.start < a.end;
  for (const line of lines) {
    const found = find(line.text);
    for (const l of line.labels) {
      at(l.type).labels++;
      if (found.some((d) => d.type === l.type && overlaps(d, l))) at(l.type).tp++;
      else misses.push({ text: line.text, label: l });
    }
    for (const d of found) {
      at(d.type).detected++;
      if (!line.labels.some((l) => l.type === d.type && overlaps(d, l))) {
        falsePositives.push({ text: line.text, found: line.text.slice(d.start, d.end), type: d.type });
        // a detection that is right is counted once per label above; here only the wrong ones
      }
    }
  }
  const scores = [...by.entries()].map(([type, s]) => {
    const wrong = falsePositives.filter((x) => x.type === type).length;
    const right = s.detected - wrong;
    return {
      type,
      labels: s.labels,
      detected: s.detected,
      truePositives: s.tp,
      precision: s.detected ? right / s.detected : 1,
      recall: s.labels ? s.tp / s.labels : 1,
    };
  });
  return { scores: scores.sort((a, b) => a.type.localeCompare(b.type)), misses, falsePositives };
}
