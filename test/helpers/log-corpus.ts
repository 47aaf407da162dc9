/**
 * A second labelled corpus, written apart from the detectors: it imports nothing from `src/` and no library the
 * detectors use (no libphonenumber, no validator, no ibantools). Phone numbers come from hand-written tables of the
 * ranges each country allocates; names, streets, cities, IBANs, cards and addresses come from faker's locales.
 *
 * Its lines look like what operations teams keep: JSON lines with Python's `json.dumps` spacing, logfmt, CSV rows,
 * web-server access lines, deploy and database logs, and support tickets in several languages. The decoys are the
 * shapes that fooled detectors before: Unix epochs, byte counts, an HTTP status followed by a size, all-digit short
 * SHAs, versions, order and invoice numbers, prices, durations, pids and ports, UUIDs, trace ids, event dates and
 * street names that are people's names.
 *
 * Labels are the spans a redactor must hide; `score` compares any detector's spans with them.
 */
import {
  type Faker,
  fakerDE,
  fakerEN_GB,
  fakerEN_US,
  fakerES,
  fakerFR,
  fakerIT,
  fakerNL,
  fakerPT_BR,
} from "@faker-js/faker";

export type Kind = "email" | "phone" | "ip" | "card" | "iban" | "ssn" | "dob" | "name" | "address";
export const KINDS: readonly Kind[] = ["email", "phone", "ip", "card", "iban", "ssn", "dob", "name", "address"];

export interface Span {
  start: number;
  end: number;
}
export interface LogLine {
  text: string;
  format: "json" | "logfmt" | "csv" | "access" | "text";
  labels: (Span & { type: Kind })[];
  decoys: (Span & { kind: string })[];
}

type Part = string | { type: Kind; v: string } | { decoy: string; v: string };

function assemble(parts: Part[], format: LogLine["format"]): LogLine {
  let text = "";
  const labels: LogLine["labels"] = [];
  const decoys: LogLine["decoys"] = [];
  for (const p of parts) {
    if (typeof p === "string") text += p;
    else if ("type" in p) {
      labels.push({ type: p.type, start: text.length, end: text.length + p.v.length });
      text += p.v;
    } else {
      decoys.push({ kind: p.decoy, start: text.length, end: text.length + p.v.length });
      text += p.v;
    }
  }
  return { text, format, labels, decoys };
}

// ---- the countries, with faker's locale and the phone ranges they allocate --------------------------------------

type Country = "US" | "GB" | "DE" | "FR" | "ES" | "BR" | "IT" | "NL";
const FAKER: Record<Country, Faker> = {
  US: fakerEN_US,
  GB: fakerEN_GB,
  DE: fakerDE,
  FR: fakerFR,
  ES: fakerES,
  BR: fakerPT_BR,
  IT: fakerIT,
  NL: fakerNL,
};

/** A digit string of `n` digits, the first from `first`. */
function digits(f: Faker, n: number, first = "0123456789"): string {
  let s = first[f.number.int(first.length - 1)];
  while (s.length < n) s += String(f.number.int(9));
  return s;
}

/**
 * A phone number as people write it, from allocated ranges: NANP area codes in service with exchanges 2–9 (not
 * 555, not N11), UK 07 mobiles and geographic codes, German mobile prefixes and city codes, French 06/07 and
 * geographic 01–05, Spanish 6/7 and 9, Brazilian two-digit area codes with a 9 before mobile numbers, Italian 3xx
 * mobiles, Dutch 06. `national` picks the national form, else the international one.
 */
function phone(f: Faker, c: Country, national: boolean): string {
  const pick = <T>(xs: readonly T[]) => xs[f.number.int(xs.length - 1)];
  switch (c) {
    case "US": {
      const area = pick(["212", "415", "312", "617", "206", "303", "512", "702", "404", "305", "213", "646", "718"]);
      let ex = digits(f, 3, "23456789");
      while (ex === "555" || ex.endsWith("11")) ex = digits(f, 3, "23456789");
      const line = digits(f, 4);
      return national
        ? pick([`(${area}) ${ex}-${line}`, `${area}-${ex}-${line}`, `${area}.${ex}.${line}`, `1-${area}-${ex}-${line}`])
        : pick([`+1 ${area} ${ex} ${line}`, `+1-${area}-${ex}-${line}`, `+1 (${area}) ${ex}-${line}`]);
    }
    case "GB": {
      if (f.datatype.boolean()) {
        const m = `7${pick(["4", "5", "7", "8", "9"])}${digits(f, 2)}`;
        const rest = digits(f, 6);
        return national ? pick([`0${m} ${rest}`, `0${m}${rest}`]) : pick([`+44 ${m} ${rest}`, `+44 (0)${m} ${rest}`]);
      }
      const [code, n] = pick([
        ["20", `${pick(["7", "8"])}${digits(f, 3)} ${digits(f, 4)}`],
        ["161", `${digits(f, 3, "2345678")} ${digits(f, 4)}`],
        ["113", `${digits(f, 3, "2345")} ${digits(f, 4)}`],
        ["131", `${digits(f, 3, "2345")} ${digits(f, 4)}`],
      ] as const);
      return national ? `0${code} ${n}` : `+44 ${code} ${n}`;
    }
    case "DE": {
      if (f.datatype.boolean()) {
        const pre = pick(["151", "152", "157", "160", "162", "170", "171", "172", "175", "176", "177", "178", "179"]);
        const n = digits(f, pre.startsWith("15") || pre === "176" ? 8 : 7, "123456789");
        return national ? pick([`0${pre} ${n}`, `0${pre}-${n}`, `0${pre}/${n}`]) : `+49 ${pre} ${n}`;
      }
      const [code, len] = pick([
        ["30", 8],
        ["40", 8],
        ["89", 8],
        ["221", 7],
        ["69", 8],
        ["711", 7],
      ] as const);
      const n = digits(f, len, "2345678");
      return national
        ? pick([`0${code} ${n}`, `(0${code}) ${n}`, `0${code}/${n}`])
        : pick([`+49 ${code} ${n}`, `+49 (0)${code} ${n}`]);
    }
    case "FR": {
      const body = pick(["6", "7", "1", "2", "3", "4", "5"]) + digits(f, 8);
      const pairs = (x: string, sep: string) => x.match(/../g)!.join(sep);
      return national
        ? pick([pairs(`0${body}`, " "), pairs(`0${body}`, ".")])
        : `+33 ${body[0]} ${pairs(body.slice(1), " ")}`;
    }
    case "ES": {
      const n = `${pick(["6", "71", "72", "73", "74", "91", "93", "96"])}`;
      const body = n + digits(f, 9 - n.length);
      const spaced = `${body.slice(0, 3)} ${body.slice(3, 6)} ${body.slice(6)}`;
      return national ? spaced : `+34 ${spaced}`;
    }
    case "BR": {
      const ddd = pick(["11", "21", "31", "41", "51", "61", "71", "81", "85", "19"]);
      const mobile = f.datatype.boolean();
      const n = mobile ? `9${digits(f, 4, "6789")}-${digits(f, 4)}` : `${digits(f, 4, "2345")}-${digits(f, 4)}`;
      return national ? pick([`(${ddd}) ${n}`, `${ddd} ${n}`]) : `+55 ${ddd} ${n}`;
    }
    case "IT": {
      const n = `3${pick(["20", "28", "33", "35", "38", "40", "47", "49"])} ${digits(f, 3)} ${digits(f, 4)}`;
      return national ? n : `+39 ${n}`;
    }
    case "NL": {
      const n = `6 ${digits(f, 4, "1234")} ${digits(f, 4)}`;
      return national ? `0${n}` : `+31 ${n}`;
    }
  }
}

/** A US SSN in the ranges the SSA issues: no 000, 666 or 9xx area, no 00 group, no 0000 serial. */
function ssn(f: Faker): string {
  let area = f.number.int({ min: 1, max: 899 });
  if (area === 666) area = 667;
  const group = f.number.int({ min: 1, max: 99 });
  const serial = f.number.int({ min: 1, max: 9999 });
  const p = (n: number, k: number) => String(n).padStart(k, "0");
  return f.datatype.boolean(0.85)
    ? `${p(area, 3)}-${p(group, 2)}-${p(serial, 4)}`
    : `${p(area, 3)} ${p(group, 2)} ${p(serial, 4)}`;
}

const TITLES: Record<Country, readonly string[]> = {
  US: ["Mr.", "Mrs.", "Ms.", "Dr.", "Prof."],
  GB: ["Mr", "Mrs", "Ms", "Dr", "Prof."],
  DE: ["Herr", "Frau", "Dr.", "Prof. Dr.", "Herr Dr."],
  FR: ["M.", "Mme", "Monsieur", "Madame", "Dr"],
  ES: ["Sr.", "Sra.", "D.", "Dña."],
  BR: ["Sr.", "Sra.", "Dr.", "Dra."],
  IT: ["Sig.", "Sig.ra", "Dott.", "Dott.ssa"],
  NL: ["Dhr.", "Mevr.", "Dr."],
};
const PARTICLES: Record<Country, readonly string[]> = {
  US: [],
  GB: [],
  DE: ["von", "von der", "zu"],
  FR: ["de", "du", "Le"],
  ES: ["de", "del", "de la"],
  BR: ["da", "dos", "de"],
  IT: ["De", "Di", "Lo"],
  NL: ["van", "van der", "de", "van den"],
};

/** A person's full name, sometimes with a particle, a second surname or a second given name. */
function personName(f: Faker, c: Country): string {
  const first = f.person.firstName();
  let last = f.person.lastName();
  const r = f.number.float();
  if (r < 0.2 && PARTICLES[c].length) last = `${PARTICLES[c][f.number.int(PARTICLES[c].length - 1)]} ${last}`;
  else if (r < 0.35 && (c === "ES" || c === "BR")) last = `${last} ${f.person.lastName()}`;
  else if (r < 0.45) return `${first} ${f.person.firstName()} ${last}`;
  return `${first} ${last}`;
}

const MONTHS_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const MONTHS: Partial<Record<Country, readonly string[]>> = {
  DE: [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
  ],
  FR: [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
  ],
  ES: [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
  ],
  BR: [
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
  ],
};

/** A date in the forms people write one: ISO, day-month-year with dots or slashes, month names first or second. */
function dateText(f: Faker, c: Country, y: number): string {
  const m = f.number.int({ min: 1, max: 12 });
  const d = f.number.int({ min: 1, max: 28 });
  const p = (n: number) => String(n).padStart(2, "0");
  const names = MONTHS[c] ?? MONTHS_EN;
  const name = names[m - 1];
  const en = MONTHS_EN[m - 1];
  const forms = [
    `${y}-${p(m)}-${p(d)}`,
    c === "US" ? `${p(m)}/${p(d)}/${y}` : `${p(d)}.${p(m)}.${y}`,
    c === "US" || c === "GB" ? `${en} ${d}, ${y}` : `${d}. ${name} ${y}`,
    `${d} ${c === "US" || c === "GB" ? en : name} ${y}`,
    `${d} ${en.slice(0, 3)} ${y}`,
    `${en.slice(0, 3).toUpperCase()} ${d} ${y}`,
    c === "FR" || c === "ES" || c === "BR" || c === "IT" ? `${p(d)}/${p(m)}/${y}` : `${d}/${m}/${y}`,
  ];
  return forms[f.number.int(forms.length - 1)];
}

/** A whole postal address: number, street, unit, city, region and postcode, in the country's order. */
function address(f: Faker, c: Country): string {
  const street = f.location.street();
  const n = String(f.number.int({ min: 1, max: 2400 }));
  const city = f.location.city();
  const zip = f.location.zipCode();
  const unit = f.datatype.boolean(0.35);
  switch (c) {
    case "US": {
      const famous = [
        "Martin Luther King Boulevard",
        "George Washington Street",
        "Rosa Parks Avenue",
        "John F Kennedy Drive",
      ];
      const s = f.datatype.boolean(0.2) ? famous[f.number.int(famous.length - 1)] : street;
      const st = f.location.state({ abbreviated: true });
      return `${n} ${s}${unit ? `, ${f.helpers.arrayElement(["Apt", "Apt.", "Suite", "Unit", "#"])} ${f.number.int({ min: 1, max: 40 })}${f.helpers.arrayElement(["", "B", "C"])}` : ""}, ${city}, ${st} ${zip}`;
    }
    case "GB": {
      const L = "ABCDEFGHJKLMNPRSTUWYZ";
      const letter = () => L[f.number.int(L.length - 1)];
      const out = f.helpers.arrayElement([
        `${letter()}${f.number.int({ min: 1, max: 9 })}`,
        `${letter()}${letter()}${f.number.int({ min: 1, max: 28 })}`,
        `${letter()}${f.number.int({ min: 1, max: 9 })}${letter()}`,
      ]);
      const zip = `${out} ${f.number.int(9)}${letter()}${letter()}`;
      return `${unit ? `Flat ${f.number.int({ min: 1, max: 30 })}, ` : ""}${f.number.int({ min: 1, max: 300 })} ${street}, ${city} ${zip}`;
    }
    case "DE": {
      const compound = ["Carl-Duisberg-Str.", "Konrad-Adenauer-Straße", "Friedrich-Ebert-Allee", "Karl-Marx-Straße"];
      const s = f.datatype.boolean(0.3) ? compound[f.number.int(compound.length - 1)] : street;
      const num = `${f.number.int({ min: 1, max: 180 })}${f.helpers.arrayElement(["", "", "a", "b"])}`;
      return `${s} ${num}${unit ? `, ${f.helpers.arrayElement(["Whg.", "App."])} ${f.number.int({ min: 1, max: 20 })}` : ""}, ${zip} ${city}`;
    }
    case "FR":
      return `${f.number.int({ min: 1, max: 200 })}${f.helpers.arrayElement(["", " bis"])} ${street}${unit ? `, ${f.helpers.arrayElement(["Bât. B", "Appt 12", "3e étage"])}` : ""}, ${zip} ${city}`;
    case "ES":
      return `${street} ${f.number.int({ min: 1, max: 200 })}${unit ? `, ${f.number.int({ min: 1, max: 9 })}º ${f.helpers.arrayElement(["A", "B", "C"])}` : ""}, ${zip} ${city}`;
    case "BR":
      return `${street}, ${f.number.int({ min: 1, max: 3000 })}${unit ? `, apto ${f.number.int({ min: 11, max: 190 })}` : ""}, ${city} - ${f.location.state({ abbreviated: true })}, ${zip}`;
    case "IT":
      return `${street} ${f.number.int({ min: 1, max: 200 })}, ${zip} ${city}`;
    case "NL":
      return `${street} ${f.number.int({ min: 1, max: 300 })}${unit ? f.helpers.arrayElement(["-2", " A", "-III"]) : ""}, ${zip} ${city}`;
  }
}

// ---- decoys -----------------------------------------------------------------------------------------------------

const epoch = (f: Faker) => String(f.number.int({ min: 1_500_000_000, max: 1_900_000_000 }));
const bytes = (f: Faker) => String(f.number.int({ min: 100_000, max: 999_999_999 }));
/** A short SHA; one in four is all digits, as happens to 7-character hex strings about once in 23. */
const sha = (f: Faker) => (f.datatype.boolean(0.25) ? digits(f, 7, "123456789") : f.git.commitSha({ length: 7 }));
const version = (f: Faker) =>
  f.helpers.arrayElement([
    `v${f.number.int(9)}.${f.number.int(30)}.${f.number.int(40)}`,
    `${f.number.int(9)}.${f.number.int(30)}.${f.number.int(40)}.${f.number.int(999)}`,
    `${f.number.int({ min: 1, max: 9 })}.${f.number.int(30)}.${f.number.int(40)}`,
  ]);
const orderNo = (f: Faker) =>
  f.helpers.arrayElement([
    `#${digits(f, 8, "123456789")}`,
    `ORD-${digits(f, 8, "123456789")}`,
    `INV-2026-${digits(f, 6)}`,
    `${digits(f, 3, "123456789")}-${digits(f, 7)}-${digits(f, 7)}`,
  ]);
const price = (f: Faker) =>
  f.helpers.arrayElement([
    `$${f.number.int({ min: 1, max: 9 })},${digits(f, 3)}.${digits(f, 2)}`,
    `${f.number.int({ min: 1, max: 9 })}.${digits(f, 3)},${digits(f, 2)} €`,
    `EUR ${f.number.int({ min: 10, max: 99999 })}.${digits(f, 2)}`,
  ]);

// ---- line templates ---------------------------------------------------------------------------------------------

const COUNTRIES: readonly Country[] = ["US", "GB", "DE", "FR", "ES", "BR", "IT", "NL"];

/** Python's `json.dumps` spacing: `{"k": v, "k2": v2}`. */
function jsonLine(fields: [string, Part | number][]): Part[] {
  const out: Part[] = ["{"];
  fields.forEach(([k, v], i) => {
    out.push(`${i ? ", " : ""}"${k}": `);
    if (typeof v === "number") out.push(String(v));
    else if (typeof v === "string") out.push(JSON.stringify(v));
    else if ("decoy" in v && /^[1-9]\d*$/.test(v.v)) out.push(v);
    else out.push('"', v, '"');
  });
  out.push("}");
  return out;
}

function line(f: Faker, k: number): LogLine {
  const c = COUNTRIES[f.number.int(COUNTRIES.length - 1)];
  const fc = FAKER[c];
  fc.seed(f.number.int(2 ** 31));
  const email = (): Part => {
    const e = fc.internet.email({ firstName: fc.person.firstName(), lastName: fc.person.lastName() });
    return { type: "email", v: f.datatype.boolean(0.15) ? e.toUpperCase() : e };
  };
  const name = (): Part => ({ type: "name", v: personName(fc, c) });
  const tel = (national = f.datatype.boolean(0.6)): Part => ({ type: "phone", v: phone(fc, c, national) });
  const ip = (): Part => ({ type: "ip", v: f.datatype.boolean(0.8) ? fc.internet.ipv4() : fc.internet.ipv6() });
  const dob = (): Part => ({ type: "dob", v: dateText(fc, c, f.number.int({ min: 1940, max: 2006 })) });
  const addr = (): Part => ({ type: "address", v: address(fc, c) });
  const iban = (): Part => {
    const raw = fc.finance.iban();
    return { type: "iban", v: f.datatype.boolean(0.5) ? raw.replace(/(.{4})/g, "$1 ").trim() : raw };
  };
  const card = (): Part => ({
    type: "card",
    v: fc.finance.creditCardNumber(f.helpers.arrayElement(["visa", "mastercard", "amex", "discover"])),
  });
  const d = (kind: string, v: string): Part => ({ decoy: kind, v });
  const time = new Date(Number(epoch(f)) * 1000).toISOString();
  switch (k % 16) {
    case 0:
      return assemble(
        jsonLine([
          ["time", d("epoch", epoch(f))],
          ["level", "info"],
          ["event", "user.login"],
          ["email", email()],
          ["ip", ip()],
          ["bytes", d("bytes", bytes(f))],
          ["duration_ms", f.number.int({ min: 1, max: 9000 })],
        ]),
        "json",
      );
    case 1:
      return assemble(
        jsonLine([
          ["time", d("epoch", epoch(f))],
          ["level", "warning"],
          ["msg", "profile updated"],
          ["user_id", f.number.int({ min: 1000, max: 99_999_999 })],
          ["name", name()],
          ["phone", tel()],
          [
            "dob",
            {
              type: "dob",
              v: `${f.number.int({ min: 1940, max: 2006 })}-0${f.number.int({ min: 1, max: 9 })}-1${f.number.int(8)}`,
            },
          ],
          ["updated_at", d("epoch", epoch(f))],
        ]),
        "json",
      );
    case 2:
      return assemble(
        [
          `time=${time} level=error msg="payment failed" customer_email=`,
          email(),
          ` card=`,
          card(),
          ` amount=`,
          d("price", `${f.number.int({ min: 1, max: 9999 })}.${digits(f, 2)}`),
          ` order=`,
          d("order", orderNo(f)),
          ` pid=`,
          d("pid", String(f.number.int({ min: 100, max: 4_000_000 }))),
        ],
        "logfmt",
      );
    case 3:
      return assemble(
        [
          ip(),
          ` - - [05/Dec/2026:${digits(f, 2, "01")}:${digits(f, 2, "012345")}:${digits(f, 2, "012345")} +0000] "GET /api/orders/`,
          d("order", digits(f, 8, "123456789")),
          ` HTTP/1.1" `,
          d("status+size", `${f.helpers.arrayElement(["200", "206", "304", "404"])} ${bytes(f)}`),
          ` "-" "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.${f.number.int(9999)}.${f.number.int(200)}"`,
        ],
        "access",
      );
    case 4:
      return assemble(
        [
          `${time} deploy commit `,
          d("sha", sha(f)),
          ` ${version(f)} migration 00${f.number.int({ min: 10, max: 99 })}: `,
          d("bytes", bytes(f)),
          ` rows migrated in ${f.number.int({ min: 1, max: 900 })}s, updated at `,
          d("epoch", epoch(f)),
          `, cache 0.${digits(f, 2)}`,
        ],
        "text",
      );
    case 5: {
      const title = TITLES[c][f.number.int(TITLES[c].length - 1)];
      return assemble(
        [
          `ticket #${f.number.int({ min: 1000, max: 99999 })}: ${title} `,
          name(),
          ` asked us to call back on `,
          tel(),
          f.datatype.boolean() ? `, born ` : `, date of birth: `,
          dob(),
          ".",
        ],
        "text",
      );
    }
    case 6:
      return assemble(
        [
          `Please update the shipping address for `,
          name(),
          ` to `,
          addr(),
          `. Order `,
          d("order", orderNo(f)),
          ` total `,
          d("price", price(f)),
          `.`,
        ],
        "text",
      );
    case 7:
      return assemble(
        [
          `time=${time} event=sepa.transfer status=booked iban="`,
          iban(),
          `" ref="`,
          d("order", `RF${digits(f, 2)} ${digits(f, 4)} ${digits(f, 4)}`),
          `" amount=`,
          d("price", `${f.number.int({ min: 1, max: 99999 })}.${digits(f, 2)}`),
          ` trace_id=${f.string.hexadecimal({ length: 32, casing: "lower", prefix: "" })}`,
        ],
        "logfmt",
      );
    case 8:
      return assemble(
        [
          `${f.number.int({ min: 10000, max: 999999 })},"`,
          name(),
          `",`,
          email(),
          `,`,
          tel(),
          `,"`,
          addr(),
          `",`,
          d("epoch", epoch(f)),
          `,${f.helpers.arrayElement(["English", "German", "Portuguese", "French", "Spanish"])}`,
        ],
        "csv",
      );
    case 9:
      return assemble(
        [
          `time=${time} level=info msg="kyc check passed for `,
          name(),
          `" ssn=`,
          { type: "ssn", v: ssn(f).replace(/ /g, "-") },
          ` dob=`,
          {
            type: "dob",
            v: `${f.number.int({ min: 1940, max: 2006 })}-0${f.number.int({ min: 1, max: 9 })}-2${f.number.int(8)}`,
          },
          ` request_id=${f.string.uuid()}`,
        ],
        "logfmt",
      );
    case 10:
      return assemble(
        [
          f.helpers.arrayElement(["Hi ", "Hello ", "Dear ", "Hallo ", "Bonjour ", "Hola ", "Olá "]),
          { type: "name", v: fc.person.firstName() },
          `, your refund of `,
          d("price", price(f)),
          ` for order `,
          d("order", orderNo(f)),
          ` was issued on ${dateText(fc, c, 2026)}. Questions? Reply to this mail or call `,
          tel(false),
          `.`,
        ],
        "text",
      );
    case 11:
      return assemble(
        [
          `${time} worker pid=`,
          d("pid", String(f.number.int({ min: 100, max: 4_000_000 }))),
          ` port=${f.number.int({ min: 1024, max: 65535 })} processed `,
          d("bytes", bytes(f)),
          ` bytes in ${f.number.int({ min: 1, max: 99999 })}ms (${f.number.int({ min: 1, max: 999 })} jobs), heap `,
          d("bytes", bytes(f)),
          `, build `,
          d("sha", sha(f)),
        ],
        "text",
      );
    case 12:
      return assemble(
        [
          `Refund requested for `,
          name(),
          ` (`,
          email(),
          `), ${f.helpers.arrayElement(["IBAN", "account"])} `,
          iban(),
          `, from `,
          ip(),
        ],
        "text",
      );
    case 13:
      return assemble([`Customer notes: DOB `, dob(), `; lives at `, addr(), `; mobile `, tel()], "text");
    case 14:
      return assemble(
        jsonLine([
          ["ts", d("epoch", `${epoch(f)}${digits(f, 3)}`)],
          ["level", "info"],
          ["msg", "checkout"],
          ["user_agent", `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${f.number.int(6)} like Mac OS X)`],
          ["client_ip", ip()],
          ["card_last4", d("last4", digits(f, 4))],
          ["total", f.number.int({ min: 1, max: 99999 }) / 100],
          ["items", f.number.int({ min: 1, max: 12 })],
        ]),
        "json",
      );
    default:
      return assemble(
        [
          `Assigned to `,
          name(),
          `: ship to `,
          addr(),
          `, tel. `,
          tel(),
          `, invoice `,
          d("order", orderNo(f)),
          `, v`,
          d("version", version(f).replace(/^v/, "")),
        ],
        "text",
      );
  }
}

/** `n` lines from a seed; the same seed gives the same lines. */
export function logCorpus(n: number, seed: number): LogLine[] {
  const f = fakerEN_US;
  f.seed(seed);
  const out: LogLine[] = [];
  for (let i = 0; i < n; i++) out.push(line(f, f.number.int(1000)));
  return out;
}

export interface KindScore {
  type: Kind;
  labels: number;
  detected: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Scores a detector's spans. A detection is right when it overlaps a label of its type; a label is found when
 * detections of its type cover half of it (80 % for an address, whose parts a detector must join).
 */
export function score(
  lines: readonly LogLine[],
  find: (text: string) => readonly { type: string; start: number; end: number }[],
): { scores: KindScore[]; decoyHits: Record<string, number>; misses: string[]; wrong: string[] } {
  const t = new Map<string, { labels: number; found: number; detected: number; right: number }>();
  const at = (k: string) => t.get(k) ?? (t.set(k, { labels: 0, found: 0, detected: 0, right: 0 }).get(k) as never);
  const decoyHits: Record<string, number> = {};
  const misses: string[] = [];
  const wrong: string[] = [];
  for (const l of lines) {
    const found = find(l.text);
    for (const lab of l.labels) {
      const s = at(lab.type);
      s.labels++;
      let covered = 0;
      for (const d of found)
        if (d.type === lab.type) covered += Math.max(0, Math.min(d.end, lab.end) - Math.max(d.start, lab.start));
      if (covered >= (lab.type === "address" ? 0.8 : 0.5) * (lab.end - lab.start)) s.found++;
      else misses.push(`${lab.type}: ${l.text.slice(lab.start, lab.end)} ‹ ${l.text}`);
    }
    for (const d of found) {
      const s = at(d.type);
      s.detected++;
      if (l.labels.some((lab) => lab.type === d.type && d.start < lab.end && lab.start < d.end)) s.right++;
      else {
        wrong.push(`${d.type}: ${l.text.slice(d.start, d.end)} ‹ ${l.text}`);
        for (const x of l.decoys)
          if (d.start < x.end && x.start < d.end) decoyHits[x.kind] = (decoyHits[x.kind] ?? 0) + 1;
      }
    }
  }
  const scores = KINDS.map((type) => {
    const s = at(type);
    const precision = s.detected ? s.right / s.detected : 1;
    const recall = s.labels ? s.found / s.labels : 1;
    return {
      type,
      labels: s.labels,
      detected: s.detected,
      precision,
      recall,
      f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    };
  });
  return { scores, decoyHits, misses, wrong };
}
