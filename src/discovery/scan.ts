/**
 * `pledge scan`: every table and column, key pattern and file of every system
 * with a connector, read through a bounded sample (spread across the data),
 * classified by the detectors and the column's name, and compared with the
 * declaration. Findings have the linter's shape; each one that a declaration
 * change would settle carries the YAML fragment that would.
 */
import { stringify } from "yaml";
import { createConnector, type Connector, type Row, type TableInfo } from "../connectors/index.js";
import {
  isStoreConnector,
  citedArticle,
  type Dataset,
  type Declaration,
  type Finding,
  type LawId,
  type Severity,
} from "../declaration/index.js";
import { datasetTarget } from "../execution/index.js";
import { detect, ENTITY_CATEGORY, maskValue, phoneOf, phoneRegions, type EntityType } from "./detect.js";
import { FIRST_NAMES } from "./lexicon.js";

/** What a finding cites where no law the declaration serves applies. */
const PRACTICE = "Pledge: the declaration covers what the systems hold";

/** Every rule of the scan. */
export const SCAN_RULES = {
  "scan-undeclared": {
    severity: "warning",
    cites: { gdpr: "GDPR Art 30(1)(c), 15, 17", uk: "UK GDPR Art 30(1)(c), 15, 17", pledge: PRACTICE },
    summary:
      "Personal data in a table, column, key or file the declaration does not " +
      "mention: no request or retention rule reaches it.",
  },
  "scan-category-mismatch": {
    severity: "warning",
    cites: { gdpr: "GDPR Art 30(1)(c)", uk: "UK GDPR Art 30(1)(c)", pledge: PRACTICE },
    summary: "A declared field holds data of another category than the declaration says.",
  },
  "scan-identity-candidate": {
    severity: "info",
    cites: { gdpr: "GDPR Art 15, 17", uk: "UK GDPR Art 15, 17", pledge: PRACTICE },
    summary: "A field of emails or phone numbers that is not marked as an identity: requests do not find people by it.",
  },
  "scan-unreachable": {
    severity: "warning",
    cites: { gdpr: "GDPR Art 17", uk: "UK GDPR Art 17", pledge: PRACTICE },
    summary: "A table of personal data with no identity column and no reference to one: erasure cannot reach its rows.",
  },
  "scan-view": {
    severity: "info",
    cites: { gdpr: "GDPR Art 30(1)(c)", uk: "UK GDPR Art 30(1)(c)", pledge: PRACTICE },
    summary:
      "A view that shows personal data: it stores nothing of its own (a materialized view keeps a copy until it is " +
      "refreshed); declare it derived.",
  },
  "scan-table-unread": {
    severity: "warning",
    cites: { gdpr: "GDPR Art 30(1)", uk: "UK GDPR Art 30(1)", pledge: PRACTICE },
    summary: "A table (or view) that could not be read: nothing is known of what it holds; the others were scanned.",
  },
  "scan-system-unreachable": {
    severity: "error",
    cites: { gdpr: "GDPR Art 30(1)", uk: "UK GDPR Art 30(1)", pledge: PRACTICE },
    summary: "A system that could not be scanned: nothing is known of what it holds.",
  },
} as const satisfies Record<string, { severity: Severity; cites: Partial<Record<LawId, string>>; summary: string }>;

export type ScanRuleId = keyof typeof SCAN_RULES;

/**
 * What a column holds: what the detectors find in text, or what only a column's name and its values' shape can say
 * (a password hash, a user name, a picture).
 */
export type ColumnType = EntityType | "credential" | "username" | "picture";

/** The declaration's data category for each type a column can hold. */
const COLUMN_CATEGORY: Readonly<Record<ColumnType, string>> = {
  ...ENTITY_CATEGORY,
  credential: "user.account.password",
  username: "user.account.username",
  picture: "user.photo",
};

/** Column names that say the column holds a postcode: its values are short codes, not street addresses. */
const POSTCODE = /(^|_)(post_?code|postal_?code|zip|zip_?code|plz|postleitzahl|code_?postal|cap)(_|$)/i;
/** Column names of people that are not called names: who composed, wrote or made something. */
const PERSON_ROLE = /(^|_)(composer|composers|author|authors|writer|lyricist|songwriter|creator)(_|$)/i;
/**
 * A bare `name` names anything, and so does a thing's name (`lang_name`, `product_name`, `file_name`): a person only
 * when its values look like people's names. Only a person's qualifier (`first_name`, `customer_name`) says a person.
 */
const GENERIC_NAME = new RegExp(
  String.raw`^(?:name|names|display_?name|(?!(?:first|last|full|given|family|middle|maiden|sur|customer|user|` +
    String.raw`contact|person|patient|employee|client|member|holder|owner|recipient|sender|buyer|` +
    String.raw`account_?holder)_?name$)` +
    String.raw`[a-z]+_name)$`,
  "i",
);

/** Words of column names, in the languages the banner speaks, that say what a column holds. */
const NAME_HINTS: readonly [ColumnType, RegExp][] = [
  ["credential", /(^|_)(password|passwd|pwd|pass_?hash|password_?hash|password_?digest|pin_?hash)(_|$)/i],
  ["username", /(^|_)(user_?name|login|login_?name|handle|screen_?name|nickname)(_|$)/i],
  ["picture", /(^|_)(picture|photo|photograph|avatar|portrait|headshot|profile_?image|mugshot)(_|$)/i],
  ["email", /(^|_)(e_?mail|mail|email_?address|correo|courriel|epost|e_post)(_|$)/i],
  [
    "phone",
    /(^|_)(phone|tel|telephone|telefon|telefono|teléfono|téléphone|mobile|mobil|cell|handy|msisdn|fax|gsm)(_|$|\d)/i,
  ],
  ["ip", /(^|_)(ip|ip_?addr(ess)?|remote_addr|client_ip|ipv4|ipv6)(_|$)/i],
  ["card", /(^|_)(card|card_?number|cc_?number|pan|credit_?card)(_|$)/i],
  ["iban", /(^|_)(iban|bank_?account)(_|$)/i],
  ["ssn", /(^|_)(ssn|social_?security)(_|$)/i],
  ["nino", /(^|_)(nino|national_?insurance)(_|$)/i],
  ["national_id", /(^|_)(personnummer|dni|nie|nir|cpf|bsn|sin|steuer_?id|tax_?id|national_?id)(_|$)/i],
  [
    "dob",
    new RegExp(
      String.raw`(^|_)(dob|birth|birthday|birth_?date|date_?of_?birth|geburtsdatum|geburtstag|` +
        String.raw`fecha_?nacimiento|naissance|nascita)(_|$)`,
      "i",
    ),
  ],
  ["geo", /(^|_)(lat|lng|lon|latitude|longitude|geo|coords?|gps)(_|$)/i],
  ["name", PERSON_ROLE],
  [
    "name",
    new RegExp(
      String.raw`(^|_)(name|first_?name|last_?name|full_?name|surname|given_?name|vorname|` +
        String.raw`nachname|nom|prenom|prénom|nombre|apellidos?|cognome|voornaam|achternaam|` +
        String.raw`fornamn|efternamn)(_|$)`,
      "i",
    ),
  ],
  [
    "address",
    new RegExp(
      String.raw`(^|_)(address|addr|street|strasse|straße|adresse|direccion|dirección|` +
        String.raw`indirizzo|adres|postcode|zip|postal_?code|plz)(_|$)`,
      "i",
    ),
  ],
];

/** What a column holds, as far as a sample shows. */
export interface ColumnClass {
  column: string;
  type: ColumnType;
  category: string;
  confidence: number;
  /** Of the sampled values that were not empty, the share in which the detector found the type. */
  share: number;
  sampled: number;
  evidence: string[];
  /** One value, masked. */
  example?: string;
}

export interface ScanOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Only this system. */
  system?: string;
  /** Rows (keys, records) sampled per table; 200 by default. */
  sampleRows?: number;
  /** Phone regions; from the declaration by default. */
  regions?: readonly string[];
  onProgress?: (p: { system: string; table: string; done: number; total: number }) => void;
  /** Opens a system read-only; the connectors' own factory by default. */
  connect?: (system: string) => Connector | undefined;
}

/** A table (key pattern, file) as the scan saw it. */
export interface ScannedTable {
  system: string;
  table: string;
  /** The declared dataset it is, if any. */
  dataset?: string;
  method: string;
  sampled: number;
  columns: ColumnClass[];
}

export interface ScanResult {
  tables: ScannedTable[];
  /** Each finding with the YAML that would settle it, and `subject`: what it is about, the same in the next scan. */
  findings: (Finding & { fragment?: string; subject: string })[];
  /** Systems not scanned (no connector, manual), with why. */
  skipped: { system: string; reason: string }[];
  /** Tables, key patterns or files seen and not read (a binary file), with why: nothing is known of what they hold. */
  notRead: { system: string; table: string; reason: string }[];
}

const TEXT_COLUMNS = new Set(["(line)"]);

/**
 * Classifies a column from its name and sampled values: each type the detectors
 * find in enough of the values, or that the name says and the values do not
 * contradict.
 *
 * ```ts
 * classifyColumn("contact", ["anna@example.org", "bob@example.net"], ["DE"])
 * // [{ type: "email", share: 1, confidence: 0.99, … }]
 * ```
 */
export function classifyColumn(column: string, values: readonly unknown[], regions: readonly string[]): ColumnClass[] {
  const texts = values
    .filter((v) => v !== null && v !== undefined && String(v).trim() !== "")
    .map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v)).slice(0, 4000));
  // PascalCase and camelCase names read as words (BillingPostalCode is billing_postal_code).
  const words = column.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2");
  const hint = NAME_HINTS.find(([, re]) => re.test(words))?.[0];
  const found = new Map<EntityType, { values: number; confidence: number; evidence: string; example: string }>();
  for (const t of texts) {
    const seen = new Set<EntityType>();
    for (const d of detect(t, { regions })) {
      if (seen.has(d.type)) continue;
      seen.add(d.type);
      const f = found.get(d.type) ?? {
        values: 0,
        confidence: 0,
        evidence: d.evidence,
        example: maskValue(d.type, t.slice(d.start, d.end)),
      };
      f.values++;
      if (d.confidence > f.confidence) {
        f.confidence = d.confidence;
        f.evidence = d.evidence;
      }
      found.set(d.type, f);
    }
  }
  const out: ColumnClass[] = [];
  const n = texts.length;
  const text = TEXT_COLUMNS.has(column);
  for (const [type, f] of found) {
    const share = n ? f.values / n : 0;
    const named = hint === type;
    // A column of one kind holds it in most values; free text (notes, log lines) in some.
    const enough = text
      ? f.values >= 1 && (f.confidence >= 0.9 || f.values >= 3)
      : share >= 0.5 || (named && share >= 0.1) || (share >= 0.2 && f.confidence >= 0.95);
    if (!enough) continue;
    const confidence = Math.min(0.99, (text ? f.confidence : f.confidence * (0.5 + 0.5 * share)) + (named ? 0.05 : 0));
    const evidence = [
      `${Math.round(share * 100)} % of ${n} sampled values: ${f.evidence}`,
      ...(named ? [`the name ${column}`] : []),
    ];
    out.push({
      column,
      type,
      category: ENTITY_CATEGORY[type],
      confidence: Number(confidence.toFixed(2)),
      share: Number(share.toFixed(3)),
      sampled: n,
      evidence,
      example: f.example,
    });
  }
  // Names, addresses, dates of birth and coordinates: the detectors are weak on a bare value, the column's name is
  // strong.
  if (hint && !out.some((c) => c.type === hint) && n) {
    const plausible: Partial<Record<ColumnType, (s: string) => boolean>> = {
      // A bare "name" names anything (a genre, a language, a track): a person's name begins with a given name.
      name: GENERIC_NAME.test(words)
        ? (s) => FIRST_NAMES.has(s.split(/[\s,]+/)[0].toLowerCase()) && /\s/.test(s.trim())
        : PERSON_ROLE.test(words)
          ? (s) => /^\p{L}[\p{L}'’.,&/ -]{1,200}$/u.test(s)
          : (s) => /^\p{L}[\p{L}'’. -]{1,80}$/u.test(s),
      // A postcode is a short code of digits and letters; any other address has words.
      address: POSTCODE.test(words)
        ? (s) => /^[A-Z0-9][A-Z0-9 -]{1,9}$/i.test(s) && /\d/.test(s)
        : (s) => /\p{L}/u.test(s) && s.length <= 200,
      dob: (s) => !Number.isNaN(Date.parse(s)) && /\d{4}/.test(s),
      geo: (s) => /^-?\d{1,3}\.\d{3,}$/.test(s),
      // Bare digits, as many stores keep phone numbers: a valid number in a region served.
      phone: (s) => /^\+?[\d ().-]{6,20}$/.test(s) && phoneOf(s, regions),
      credential: (s) => s.length >= 4,
      username: (s) => /^[\p{L}\d._@+-]{2,64}$/u.test(s),
      picture: (s) =>
        /^data:image\//i.test(s) ||
        /\.(jpe?g|png|gif|webp|heic|bmp)(\?|$)/i.test(s) ||
        /^\{"type":"Buffer"/.test(s) ||
        (/^[A-Za-z0-9+/=\s]{40,}$/.test(s) && s.length >= 40),
    };
    const test = plausible[hint];
    // A bare "name" needs fewer of its values to be people's: surnames and rarer given names are not in the lexicon.
    const needed = hint === "name" && GENERIC_NAME.test(words) ? 0.4 : 0.8;
    const share = test ? texts.filter(test).length / n : 0;
    if (share >= needed)
      out.push({
        column,
        type: hint,
        category: COLUMN_CATEGORY[hint],
        confidence: Number((0.7 + 0.2 * share).toFixed(2)),
        share: Number(share.toFixed(3)),
        sampled: n,
        evidence: [`the name ${column}`, `${Math.round(share * 100)} % of ${n} sampled values have the shape`],
        example: hint in ENTITY_CATEGORY ? maskValue(hint as EntityType, texts.find(test!)!) : "[redacted]",
      });
  }
  return out.sort((a, b) => b.confidence - a.confidence);
}

const fold = (s: string) => s.toLowerCase();
const shapeOf = (pattern: string) => pattern.replace(/\{[^}]*\}/g, "{}");
/** A declared key pattern as a test of a key (`session:{token}` matches `session:abc`). */
const patternRegex = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split(/\{[^}]*\}/)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^:]+")}$`,
  );

/** The declared dataset a table, key pattern or file is, by its name in the engine. */
function declaredDataset(decl: Declaration, system: string, table: string): string | undefined {
  for (const [did, ds] of Object.entries(decl.systems[system]?.datasets ?? {})) {
    const name = datasetTarget(did, ds).name;
    if (
      fold(name) === fold(table) ||
      (ds.keyPattern && (shapeOf(ds.keyPattern) === shapeOf(table) || patternRegex(ds.keyPattern).test(table)))
    )
      return did;
    // a rotated copy of a declared log
    if (
      (ds.path ?? ds.name) &&
      (table.startsWith(`${ds.path ?? ds.name}.`) || table.startsWith(`${ds.path ?? ds.name}-`))
    )
      return did;
  }
  return undefined;
}

const IDENTITY_OF: Partial<Record<ColumnType, string>> = { email: "email", phone: "phone" };

/** The declared categories a detected type fits: a billing address is an address, a local network address an IP. */
const FITS: Readonly<Record<ColumnType, readonly string[]>> = {
  credential: ["user.account.password", "user.account.security_questions"],
  username: ["user.account.username", "user.account.id", "user.contact.email"],
  picture: ["user.photo", "user.biometric"],
  email: ["user.contact.email", "user.account.username"],
  phone: ["user.contact.phone_number", "user.contact.fax"],
  ip: ["user.device"],
  card: ["user.financial"],
  iban: ["user.financial"],
  ssn: ["user.government_id"],
  nino: ["user.government_id"],
  national_id: ["user.government_id"],
  dob: ["user.date_of_birth", "user.demographic"],
  geo: ["user.location"],
  name: ["user.name", "user.financial.billing", "user.account.username", "user.organization.name"],
  address: ["user.contact.address", "user.financial.billing_address", "user.location"],
};
const fits = (type: ColumnType, category: string) =>
  FITS[type].some(
    (c) => category === c || category.startsWith(`${c}.`) || (c.endsWith("billing") && category.startsWith(c)),
  );

/**
 * Scans the systems of a declaration and compares what they hold with what it says.
 *
 * ```ts
 * const { findings } = await scanSystems(decl, { env: process.env, sampleRows: 500 });
 * ```
 */
export async function scanSystems(decl: Declaration, options: ScanOptions = {}): Promise<ScanResult> {
  // none: the detectors' default
  const regions = options.regions ?? phoneRegions(decl.organization.country, decl.organization.jurisdictions);
  const limit = options.sampleRows ?? 200;
  const result: ScanResult = { tables: [], findings: [], skipped: [], notRead: [] };
  const add = (rule: ScanRuleId, subject: string, path: (string | number)[], message: string, fragment?: string) => {
    const r = SCAN_RULES[rule];
    result.findings.push({
      rule,
      subject,
      severity: r.severity,
      // Only the laws the declaration serves are cited.
      article: citedArticle(r.cites, decl.organization.jurisdictions),
      message,
      path,
      ...(fragment ? { fragment } : {}),
    });
  };
  for (const [sid, sys] of Object.entries(decl.systems)) {
    if (options.system && sid !== options.system) continue;
    if (!isStoreConnector(sys.connector)) {
      result.skipped.push({ system: sid, reason: "no connector" });
      continue;
    }
    let connector: Connector | undefined;
    try {
      connector = options.connect
        ? options.connect(sid)
        : createConnector(sid, sys.connector, options.env ?? process.env, options.cwd ?? process.cwd(), {
            readOnly: true,
          });
      if (!connector?.sample) {
        result.skipped.push({ system: sid, reason: `the ${sys.connector.engine} connector cannot sample` });
        continue;
      }
      await connector.ping();
      const { tables, incomplete } = await connector.introspect();
      if (incomplete) result.notRead.push({ system: sid, table: "*", reason: incomplete });
      let done = 0;
      const scanned: { info: TableInfo; t: ScannedTable }[] = [];
      for (const info of tables) {
        options.onProgress?.({ system: sid, table: info.name, done: done++, total: tables.length });
        let sampled: { rows: Row[]; method: string };
        try {
          sampled = await connector.sample(info.name, limit);
        } catch (err) {
          // One relation that cannot be read stops nothing else: it is a finding of its own.
          const message = (err as Error).message;
          if (info.kind === "materialized_view" && /not been populated/i.test(message))
            result.notRead.push({
              system: sid,
              table: info.name,
              reason: "a materialized view never populated (REFRESH MATERIALIZED VIEW fills it): it holds no rows yet",
            });
          else
            add(
              "scan-table-unread",
              `${sid}:${info.name}:unread`,
              ["systems", sid, "datasets"],
              `${sid}: the ${info.kind === "view" ? "view" : "table"} ${info.name} could not be read: ${message}`,
            );
          continue;
        }
        const { rows, method } = sampled;
        if (method.startsWith("binary")) {
          result.notRead.push({ system: sid, table: info.name, reason: method });
          continue;
        }
        // A column at a time, letting the server answer in between: a scan from the console shares its process.
        const columns: ColumnClass[] = [];
        for (const c of columnsOf(info, rows)) {
          columns.push(
            ...classifyColumn(
              c,
              rows.map((r) => r[c]),
              regions,
            ),
          );
          await new Promise((resolve) => setImmediate(resolve));
        }
        const dataset = declaredDataset(decl, sid, info.name);
        const t: ScannedTable = {
          system: sid,
          table: info.name,
          ...(dataset ? { dataset } : {}),
          method,
          sampled: rows.length,
          columns,
        };
        result.tables.push(t);
        scanned.push({ info, t });
      }
      options.onProgress?.({ system: sid, table: "", done: tables.length, total: tables.length });
      for (const { info, t } of scanned) compare(decl, sid, info, t, scanned, add);
    } catch (err) {
      add("scan-system-unreachable", sid, ["systems", sid, "connector"], `${sys.name}: ${(err as Error).message}`);
    } finally {
      await connector?.close().catch(() => {});
    }
  }
  return result;
}

/** The columns a table's sample shows: its schema's, and any key a record carries. */
function columnsOf(info: TableInfo, rows: readonly Row[]): string[] {
  const cols = new Set(info.columns.map((c) => c.name));
  for (const r of rows) for (const k of Object.keys(r)) cols.add(k);
  return [...cols];
}

const describe = (c: ColumnClass) =>
  `${c.column}: ${c.type} (${c.category}, ${Math.round(c.share * 100)} % of ` +
  `${c.sampled} sampled, confidence ${c.confidence}` +
  `${c.example ? `, e.g. ${c.example}` : ""})`;

function compare(
  decl: Declaration,
  sid: string,
  info: TableInfo,
  t: ScannedTable,
  all: readonly { info: TableInfo; t: ScannedTable }[],
  add: (rule: ScanRuleId, subject: string, path: (string | number)[], message: string, fragment?: string) => void,
): void {
  if (!t.columns.length) return;
  const declared = t.dataset ? decl.systems[sid].datasets[t.dataset] : undefined;
  if (declared?.derived) return;
  // One finding per column of one kind: the strongest type it holds.
  const best = new Map<string, ColumnClass>();
  for (const c of t.columns)
    if (!best.has(c.column) || best.get(c.column)!.confidence < c.confidence) best.set(c.column, c);
  const cols = [...best.values()];
  if (info.kind && !t.dataset) {
    // A view stores nothing: it shows rows of tables, which requests and retention reach there.
    const materialized = info.kind === "materialized_view";
    add(
      "scan-view",
      `${sid}:${t.table}:view`,
      ["systems", sid, "datasets"],
      `${sid}: the ${materialized ? "materialized view" : "view"} ${t.table} shows personal data — ` +
        `${cols.map(describe).join("; ")}. ${
          materialized
            ? "It keeps a copy: what an erasure removes from the tables stays in it until it is refreshed. "
            : "It stores nothing of its own: what it shows goes with the rows of the tables it reads. "
        }Declare it derived so that it is on record and never acted on`,
      stringify({
        systems: {
          [sid]: {
            datasets: { [t.table.replace(/[^A-Za-z0-9_]/g, "_")]: { name: t.table, derived: true, fields: {} } },
          },
        },
      }),
    );
    return;
  }
  if (!t.dataset) {
    const fragment = datasetFragment(decl, sid, info, cols, all);
    const reachable =
      cols.some((c) => IDENTITY_OF[c.type]) ||
      info.foreignKeys.some(
        (fk) =>
          fk.columns.length === 1 &&
          all.some((o) => fold(o.info.name) === fold(fk.table) && (o.t.dataset || o.t.columns.length)),
      );
    const engine = decl.systems[sid].connector?.engine;
    const what = engine === "redis" ? "key pattern" : engine === "files" ? "file" : "table";
    const kinds = cols
      .map((c) => `${c.column}=${c.category}`)
      .sort()
      .join(",");
    add(
      "scan-undeclared",
      `${sid}:${t.table}:${kinds}`,
      ["systems", sid, "datasets"],
      `${sid}: the ${what} ${t.table} holds personal data the declaration does not ` +
        `mention — ${cols.map(describe).join("; ")}`,
      fragment,
    );
    if (!reachable && what === "table")
      add(
        "scan-unreachable",
        `${sid}:${t.table}`,
        ["systems", sid, "datasets"],
        `${sid}.${t.table} holds personal data and has no identity column and no ` +
          `reference to a table that has one: erasure cannot reach its rows; declare how ` +
          `its rows belong to a person`,
      );
    return;
  }
  const ds: Dataset = decl.systems[sid].datasets[t.dataset];
  const base = ["systems", sid, "datasets", t.dataset];
  const undeclared: ColumnClass[] = [];
  for (const c of cols) {
    const fname = Object.keys(ds.fields).find((f) => fold(f) === fold(c.column));
    if (!fname) {
      if (c.column !== "(key)" && c.column !== "(line)") undeclared.push(c);
      else if (!Object.values(ds.fields).some((f) => f.category === c.category)) undeclared.push(c);
      continue;
    }
    const f = ds.fields[fname];
    if (f.personal === false || (f.category && !fits(c.type, f.category) && c.confidence >= 0.8)) {
      add(
        "scan-category-mismatch",
        `${sid}:${t.dataset}.${fname}:${c.category}`,
        [...base, "fields", fname, f.personal === false ? "personal" : "category"],
        `${sid}.${t.table}.${fname} is declared ` +
          `${f.personal === false ? "not personal" : f.category}, and holds ${c.type} (` +
          `${c.category}): ${Math.round(c.share * 100)} % of ${c.sampled} sampled values` +
          `${c.example ? `, e.g. ${c.example}` : ""}`,
      );
    }
    if (IDENTITY_OF[c.type] && !f.identity && c.share >= 0.8) {
      add(
        "scan-identity-candidate",
        `${sid}:${t.dataset}.${fname}`,
        [...base, "fields", fname],
        `${sid}.${t.table}.${fname} holds ` +
          `${c.type === "email" ? "email addresses" : "phone numbers"} (` +
          `${Math.round(c.share * 100)} % of ${c.sampled} sampled) and is not an ` +
          `identity: requests do not find people by it; add identity: ` +
          `${IDENTITY_OF[c.type]}`,
        stringify({
          systems: {
            [sid]: { datasets: { [t.dataset]: { fields: { [fname]: { ...f, identity: IDENTITY_OF[c.type] } } } } },
          },
        }),
      );
    }
  }
  if (undeclared.length) {
    const fields = Object.fromEntries(undeclared.map((c) => [c.column, fieldFor(c)]));
    add(
      "scan-undeclared",
      `${sid}:${t.dataset}:${undeclared
        .map((c) => `${c.column}=${c.category}`)
        .sort()
        .join(",")}`,
      [...base, "fields"],
      `${sid}.${t.table} has personal data in columns the declaration does not ` +
        `mention — ${undeclared.map(describe).join("; ")}`,
      stringify({ systems: { [sid]: { datasets: { [t.dataset]: { fields } } } } }),
    );
  }
}

function fieldFor(c: ColumnClass): Record<string, unknown> {
  return { category: c.category, ...(IDENTITY_OF[c.type] ? { identity: IDENTITY_OF[c.type] } : {}) };
}

/**
 * The dataset a table would be declared as: its personal columns, its key, and its references as the schema has them.
 */
function datasetFragment(
  decl: Declaration,
  sid: string,
  info: TableInfo,
  cols: readonly ColumnClass[],
  all: readonly { info: TableInfo; t: ScannedTable }[],
): string {
  const fields: Record<string, Record<string, unknown>> = {};
  for (const k of info.primaryKey) fields[k] = { primaryKey: true };
  for (const fk of info.foreignKeys) {
    if (fk.columns.length !== 1) continue;
    const target = all.find((o) => fold(o.info.name) === fold(fk.table));
    const targetId = target?.t.dataset ?? fk.table;
    fields[fk.columns[0]] = {
      ...(fields[fk.columns[0]] ?? {}),
      references: `${targetId}.${fk.refColumns[0]}`,
      relation: "owner",
    };
  }
  for (const c of cols)
    if (c.column !== "(key)" && c.column !== "(line)")
      fields[c.column] = { ...(fields[c.column] ?? {}), ...fieldFor(c) };
  const id = info.name
    .replace(/[^A-Za-z0-9_]/g, "_")
    .replace(/^[^a-z_]/, "_$&")
    .toLowerCase();
  const engine = decl.systems[sid].connector?.engine;
  const dataset: Record<string, unknown> = {
    ...(id !== info.name
      ? engine === "redis"
        ? { keyPattern: info.name, type: "hash" }
        : engine === "files"
          ? { path: info.name, format: /\.csv$/i.test(info.name) ? "csv" : "jsonl" }
          : { name: info.name }
      : {}),
    fields,
  };
  const categories = [...new Set(cols.map((c) => c.category))];
  return (
    `# ${categories.join(", ")}: add to the purposes this data serves\n` +
    `${stringify({ systems: { [sid]: { datasets: { [id]: dataset } } } })}`
  );
}
