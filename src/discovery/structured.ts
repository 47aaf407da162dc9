/**
 * Redaction that keeps a structured log valid in its format: JSON lines, logfmt and CSV are redacted value by
 * value, never their structure, and every unchanged byte is copied as it was (numbers too: a 64-bit id is not
 * rounded by a parse). Field names are a signal: an `email`, `ip`, `user_agent` or `phone` field is redacted by its
 * name, and a `time`, `bytes`, `duration_ms` or `pid` field is never read as a phone number. A JSON key is kept
 * unless it is itself personal data (an object keyed by email addresses).
 */
import { type DetectOptions, ENTITY_TYPES, type EntityType, redactText } from "./detect.js";

/** What a redacted value is replaced by: an entity type, or a field's kind named by its key. */
export type RedactLabel = EntityType | "user_agent";

/** The formats a line can have. */
export type LineFormat = "json" | "logfmt" | "csv" | "text";

/** The words of a key: `customerEmail`, `customer-email` and `customer_email` are all `customer email`. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const BY_NAME: readonly [RegExp, RedactLabel][] = [
  [/^(?:e?mail|email_?address|e_mail)$/, "email"],
  [/^(?:ip|ip_?addr(?:ess)?|client_?ip|remote_?addr(?:ess)?|remote_?ip|x_?forwarded_?for|forwarded_?for)$/, "ip"],
  [/^(?:user_?agent|ua|http_?user_?agent)$/, "user_agent"],
  [/^(?:phone|phone_?number|mobile|mobile_?number|tel|telephone|fax|msisdn|cell)$/, "phone"],
  [/^(?:dob|date_?of_?birth|birth_?date|birthdate|birthday)$/, "dob"],
  [/^(?:ssn|social_?security(?:_?number)?)$/, "ssn"],
  [/^(?:iban|bank_?account)$/, "iban"],
  [/^(?:full_?name|first_?name|last_?name|given_?name|family_?name|surname|customer_?name|display_?name)$/, "name"],
];
/** Keys whose values are times, sizes, counts or ids of things: never phone numbers. */
const NEVER = new RegExp(
  "^(?:time|ts|timestamp|date|at|created|updated|level|severity|bytes|size|length|duration|elapsed|latency|ms|" +
    "pid|port|status|code|count|total|rows|items|id|version|trace|span|seq)$",
);

/** Keys that hold a person when their value has a name's shape: `name`, `customer`, `assignee`, `contact_name`. */
const PERSON_KEYS = new Set(
  "name names customer contact user client recipient sender holder owner assignee agent patient employee author".split(
    " ",
  ),
);
/** A thing's name (`lang_name`, `product_name`) is not a person's; these qualifiers say a person. */
const PERSON_QUALIFIERS = new Set(
  "customer contact user client recipient sender holder owner patient employee member buyer account person".split(" "),
);
/** A value with the shape of a person's name: two to five capitalised words, particles between. */
const NAME_SHAPE = new RegExp(
  String.raw`^\p{Lu}[\p{L}'’.-]+(?: (?:\p{Lu}[\p{L}'’.-]+|` +
    String.raw`van|von|der|den|de|del|della|da|das|do|dos|du|des|di|la|le|zu|y)){1,4}$`,
  "u",
);

/**
 * What a key says of its values: a label to redact them by, `person` for a name when the value has a name's shape,
 * `not_phone` for times, sizes and counts (searched for everything but phone numbers), or nothing.
 */
function byKey(key: string | undefined): RedactLabel | "person" | "not_phone" | undefined {
  if (!key) return undefined;
  const words = keyWords(key);
  const joined = words.join("_");
  const last = words[words.length - 1] ?? "";
  for (const [re, label] of BY_NAME) if (re.test(joined) || re.test(last)) return label;
  if (NEVER.test(last) || /^(?:updated|created|deleted|modified)_at$/.test(joined)) return "not_phone";
  if (PERSON_KEYS.has(last) && (words.length === 1 || last !== "name" || PERSON_QUALIFIERS.has(words.at(-2) ?? "")))
    return "person";
  return undefined;
}

/** The label a key redacts its whole value by, if the types asked for include it. */
function labelOf(key: string | undefined, options: DetectOptions): RedactLabel | undefined {
  const said = byKey(key);
  if (!said || said === "person" || said === "not_phone") return undefined;
  return wants(options, said) ? said : undefined;
}

/** Whether the types asked for include a label (`user_agent` is no entity type: only when all are asked for). */
const wants = (options: DetectOptions, label: RedactLabel) =>
  !options.types || options.types.includes(label as EntityType);

/** A value under a key: redacted whole when the key names it, else searched, with what the key rules out. */
function redactValue(
  value: string,
  key: string | undefined,
  options: DetectOptions,
  onMask: (l: RedactLabel) => void,
): string {
  if (value === "") return value;
  const said = byKey(key);
  if (said === "not_phone")
    return redactText(
      value,
      { ...options, types: (options.types ?? ENTITY_TYPES).filter((t) => t !== "phone") },
      onMask,
    );
  const label =
    said === "person"
      ? NAME_SHAPE.test(value.trim()) && wants(options, "name")
        ? "name"
        : undefined
      : labelOf(key, options);
  if (label) {
    onMask(label);
    return `[${label}]`;
  }
  return redactText(value, options, onMask);
}

// ---- JSON lines ------------------------------------------------------------------------------------------------

/**
 * Redacts one JSON line in place: string values are redacted, keys only when they are personal data themselves,
 * numbers only under a key that names personal data. Returns undefined when the line is not JSON.
 */
export function redactJsonLine(
  line: string,
  options: DetectOptions,
  onMask: (l: RedactLabel) => void,
): string | undefined {
  const t = line.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return undefined;
  try {
    JSON.parse(t);
  } catch {
    return undefined;
  }
  let out = "";
  const stack: ("o" | "a")[] = [];
  let expectKey = false;
  let key: string | undefined;
  const keys: (string | undefined)[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === "{" || c === "[") {
      stack.push(c === "{" ? "o" : "a");
      keys.push(key);
      expectKey = c === "{";
      out += c;
      i++;
    } else if (c === "}" || c === "]") {
      stack.pop();
      key = keys.pop();
      out += c;
      i++;
    } else if (c === ",") {
      expectKey = stack[stack.length - 1] === "o";
      out += c;
      i++;
    } else if (c === ":") {
      expectKey = false;
      out += c;
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === "\\" ? 2 : 1;
      const raw = line.slice(i, j + 1);
      if (expectKey) {
        key = JSON.parse(raw) as string;
        const red = redactText(key, options, onMask);
        out += red === key ? raw : JSON.stringify(red);
      } else {
        const value = JSON.parse(raw) as string;
        const red = redactValue(value, key, options, onMask);
        out += red === value ? raw : JSON.stringify(red);
      }
      i = j + 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      let j = i + 1;
      while (j < line.length && /[0-9eE.+-]/.test(line[j])) j++;
      const label = labelOf(key, options);
      if (label) {
        onMask(label);
        out += JSON.stringify(`[${label}]`);
      } else out += line.slice(i, j);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// ---- logfmt ----------------------------------------------------------------------------------------------------

const LOGFMT_PAIR = /([A-Za-z_][\w.\-/]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)/y;

/** Whether a line is logfmt: nothing but `key=value` pairs (two or more) and spaces. */
function logfmtPairs(line: string): { key: string; value: string; start: number; end: number }[] | undefined {
  const pairs: { key: string; value: string; start: number; end: number }[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " " || line[i] === "\t") {
      i++;
      continue;
    }
    LOGFMT_PAIR.lastIndex = i;
    const m = LOGFMT_PAIR.exec(line);
    if (!m) return undefined;
    pairs.push({ key: m[1], value: m[2], start: i + m[1].length + 1, end: i + m[0].length });
    i += m[0].length;
    if (i < line.length && line[i] !== " " && line[i] !== "\t") return undefined;
  }
  return pairs.length >= 2 ? pairs : undefined;
}

/** Redacts a logfmt line's values; a bare value stays bare (`[email]` has no space), a quoted one quoted. */
export function redactLogfmtLine(
  line: string,
  options: DetectOptions,
  onMask: (l: RedactLabel) => void,
): string | undefined {
  const pairs = logfmtPairs(line);
  if (!pairs) return undefined;
  let out = "";
  let at = 0;
  for (const p of pairs) {
    const quoted = p.value.startsWith('"');
    const value = quoted ? (JSON.parse(p.value) as string) : p.value;
    const red = redactValue(value, p.key, options, onMask);
    if (red === value) continue;
    out += line.slice(at, p.start) + (quoted || /[\s"=]/.test(red) ? JSON.stringify(red) : red);
    at = p.end;
  }
  return out + line.slice(at);
}

// ---- CSV -------------------------------------------------------------------------------------------------------

/** Splits one CSV record (RFC 4180: quoted fields, doubled quotes) into its fields' raw text and values. */
export function csvFields(record: string, delimiter = ","): { raw: string; value: string }[] | undefined {
  const out: { raw: string; value: string }[] = [];
  let i = 0;
  for (;;) {
    if (record[i] === '"') {
      let j = i + 1;
      let value = "";
      for (;;) {
        if (j >= record.length) return undefined; // an unclosed quote
        if (record[j] === '"') {
          if (record[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += record[j++];
      }
      out.push({ raw: record.slice(i, j + 1), value });
      i = j + 1;
      if (i < record.length && record[i] !== delimiter) return undefined;
    } else {
      const j = record.indexOf(delimiter, i);
      const end = j < 0 ? record.length : j;
      out.push({ raw: record.slice(i, end), value: record.slice(i, end) });
      i = end;
    }
    if (i >= record.length) return out;
    i++; // the delimiter
    if (i === record.length) {
      out.push({ raw: "", value: "" });
      return out;
    }
  }
}

const quoteCsv = (v: string, delimiter: string) =>
  v.includes(delimiter) || v.includes('"') || v.includes("\n") || v.includes("\r") ? `"${v.replace(/"/g, '""')}"` : v;

/**
 * Whether a first line is a CSV header: two or more names, each a field name. Without `spaces` (as `--format auto`
 * reads), a name has no space, so that a sentence with a comma ("Starting up, please wait") is not a header.
 */
export function csvHeader(line: string, spaces = true): { names: string[]; delimiter: string } | undefined {
  const name = spaces ? /^[A-Za-z_][\w .\-/]{0,63}$/ : /^[A-Za-z_][\w.\-/]{0,63}$/;
  for (const delimiter of [",", ";", "\t"]) {
    const f = csvFields(line, delimiter);
    if (f && f.length >= 2 && f.every((x) => name.test(x.value.trim())))
      return { names: f.map((x) => x.value.trim()), delimiter };
  }
  return undefined;
}

/** Redacts one CSV record under its header; fields left unchanged keep their bytes. */
export function redactCsvRecord(
  record: string,
  header: { names: string[]; delimiter: string },
  options: DetectOptions,
  onMask: (l: RedactLabel) => void,
): string | undefined {
  const fields = csvFields(record, header.delimiter);
  if (!fields) return undefined;
  return fields
    .map((f, k) => {
      const red = redactValue(f.value, header.names[k], options, onMask);
      return red === f.value ? f.raw : quoteCsv(red, header.delimiter);
    })
    .join(header.delimiter);
}

/** Whether a CSV record's quotes are balanced: an odd count means a quoted field runs onto the next line. */
export const csvRecordOpen = (record: string) => (record.match(/"/g)?.length ?? 0) % 2 === 1;
