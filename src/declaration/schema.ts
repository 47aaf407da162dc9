/**
 * The declaration schema: one zod schema from which the TypeScript types, the
 * published JSON Schema (`pledge schema`) and the loader's validation all derive.
 *
 * Conventions: ids are snake_case; data categories are dotted keys
 * (`user.contact.email`); durations are written as people write them
 * (`14 months`, `180 days`, `24 hours`).
 */
import { z } from "zod";
import { BREACH_REGIMES } from "./breach-law.js";
import { KNOWN_JURISDICTIONS } from "./law.js";
import { didYouMean } from "./suggest.js";

export const ID_PATTERN = /^[a-z][a-z0-9_]*$/;
export const CATEGORY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
export const DURATION_PATTERN = /^([1-9][0-9]*)\s*(hour|day|week|month|year)s?$/;

const text = z.string().trim().min(1, "must not be empty");
const id = z.string().regex(ID_PATTERN, "expected an id of lowercase letters, digits and _ (e.g. web_analytics)");
export const DATASET_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
/** A dataset's key: as its table is named, lower case or PascalCase (`InvoiceLine`). */
const datasetId = z
  .string()
  .regex(DATASET_ID_PATTERN, "expected a dataset key of letters, digits and _ (e.g. orders, InvoiceLine)");
/** A newsletter's id: an id that is not one of the words of the newsletter addresses (`/newsletter/confirm/…`). */
const NewsletterId = z
  .string()
  .regex(
    /^(?!(?:confirm|unsubscribe|preferences)$)[a-z][a-z0-9_]*$/,
    "expected an id of lowercase letters, digits and _, other than confirm, unsubscribe and preferences " +
      "(the newsletter addresses use them)",
  );
const categoryKey = z.string().regex(CATEGORY_PATTERN, "expected a dotted data category key (e.g. user.contact.email)");
const url = z.url({ message: "expected a URL" });
/**
 * A calendar date, YYYY-MM-DD, that exists: 2026-02-30 and 2026-13-45 are refused. JSON Schema: `format: date` with a
 * pattern that knows month lengths and leap years, so a validator that ignores formats refuses them too.
 */
export const IsoDate = z.iso.date({
  error: (iss) =>
    typeof iss.input === "string" && /^\d{4}-\d{2}-\d{2}$/.test(iss.input)
      ? `${iss.input} is not a date in the calendar`
      : "expected a date as YYYY-MM-DD",
});
const isoDate = IsoDate;
/** ISO 3166-1 alpha-2 country code, upper case. */
const country = z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 country code (e.g. US, FR)");
/**
 * A jurisdiction: a country (`BR`), a region (`EU`, `EEA`) or a subdivision (`US-CA`), from the closed list of Pledge's
 * law table (an enum in the JSON Schema): a place the table does not know would get another law's deadlines.
 */
const jurisdiction = z.enum(KNOWN_JURISDICTIONS as [string, ...string[]], {
  error: (iss) =>
    `unknown jurisdiction '${String(iss.input)}'${didYouMean(String(iss.input), KNOWN_JURISDICTIONS)}` +
    `: Pledge's law table knows EU, EEA, the EEA countries, UK, CH, CA, CA-QC, BR, ` +
    `US and the US states with a privacy law (US-CA, US-VA, …)`,
});
/** A human duration: `14 months`, `180 days`, `6 weeks`, `1 year`, `24 hours`. */
export const Duration = z
  .string()
  .regex(DURATION_PATTERN, "expected a duration such as 14 months, 180 days, 6 weeks, 1 year or 24 hours");
/** A secret or connection string never written in the file: the name of an environment variable. */
const EnvRef = z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "expected an environment variable name") });

export const LEGAL_BASES = [
  "consent",
  "contract",
  "legal_obligation",
  "vital_interests",
  "public_task",
  "legitimate_interests",
] as const;
export const LegalBasis = z.enum(LEGAL_BASES);

/** GDPR Art 9(2) (a)–(j): the conditions that lift the ban on special-category data. */
export const ART9_CONDITIONS = [
  "explicit_consent",
  "employment_social_security",
  "vital_interests",
  "not_for_profit_body",
  "made_public_by_subject",
  "legal_claims",
  "substantial_public_interest",
  "health_or_social_care",
  "public_health",
  "archiving_research_statistics",
] as const;

/** GDPR Art 9(1) special categories. */
export const SPECIAL_CATEGORIES = [
  "racial_ethnic_origin",
  "political_opinions",
  "religious_beliefs",
  "trade_union_membership",
  "genetic",
  "biometric",
  "health",
  "sex_life_orientation",
] as const;

export const TRANSFER_MECHANISMS = [
  "adequacy",
  "dpf",
  "scc_2021",
  "bcr",
  "uk_us_data_bridge",
  "uk_idta",
  "uk_addendum",
  "code_of_conduct",
  "certification",
  "art49_explicit_consent",
  "art49_contract",
  "art49_public_interest",
  "art49_legal_claims",
  "art49_vital_interests",
  "art49_public_register",
  "art49_compelling_interest",
  "safe_harbor",
  "privacy_shield",
  "scc_pre2021",
] as const;
export const TransferMechanism = z.enum(TRANSFER_MECHANISMS);

export const RIGHTS = [
  "access",
  "rectification",
  "erasure",
  "restriction",
  "portability",
  "objection",
  "automated_decision",
  "withdraw_consent",
  "complaint",
  "opt_out_marketing",
  "opt_out_sale",
  "limit_sensitive",
  "opt_out_targeted_advertising",
  "opt_out_profiling",
] as const;
export const Right = z.enum(RIGHTS);

export const MASKING_STRATEGIES = ["delete_row", "null", "fixed", "random", "hmac", "deidentify", "keep"] as const;

const Contact = z.strictObject({
  name: text.optional(),
  email: z.email({ message: "expected an email address" }).optional(),
  phone: text.optional(),
  fax: text.optional(),
  url: url.optional(),
  address: text.optional(),
});

const Party = Contact.extend({ country: country.optional() });

const Transfer = z.strictObject({
  mechanisms: z.array(TransferMechanism).min(1),
  note: text.optional(),
  transferImpactAssessment: z.boolean().optional(),
  /** Measures beyond the mechanism (EDPB Recommendations 01/2020): "encrypted with keys held in the EU". */
  supplementaryMeasures: z.array(text).default([]),
});

/** A legal basis with where it applies: "contract for customers; legitimate interests for prospects". */
const ScopedBasis = z.strictObject({
  basis: z.enum(["consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"]),
  /** To what or whom this basis applies (a part of the purpose, a kind of person). */
  scope: text.optional(),
  legitimateInterest: text.optional(),
});

const Organization = z.strictObject({
  name: text,
  shortName: text.optional(),
  roles: z.array(z.enum(["controller", "processor", "joint_controller"])).min(1),
  country,
  contact: Contact,
  dpo: Party.optional(),
  euRepresentative: Party.optional(),
  ukRepresentative: Party.optional(),
  /** Art 26, 30(1)(a): controllers that determine purposes and means together with the organization. */
  jointControllers: z.array(Party.extend({ name: text, responsibilities: text.optional() })).default([]),
  supervisoryAuthority: Party.optional(),
  disputeResolution: Party.extend({ free: z.boolean().optional() }).optional(),
  officers: z
    .array(
      z.strictObject({
        role: text,
        name: text.optional(),
        contact: Contact.optional(),
        responsibilities: z.array(text).default([]),
      }),
    )
    .default([]),
  jurisdictions: z.array(jurisdiction).min(1),
  defaultJurisdiction: jurisdiction.optional(),
  /** How data from the EEA reaches the organization itself when it is established outside it. */
  transfer: Transfer.optional(),
  certifications: z.array(text).default([]),
});

const CategoryDef = z.strictObject({
  name: text,
  description: text.optional(),
  dpv: url.optional(),
  special: z.enum(SPECIAL_CATEGORIES).optional(),
  /** CCPA "sensitive personal information". */
  sensitive: z.boolean().optional(),
});

const SubjectDef = z.strictObject({
  name: text,
  description: text.optional(),
  /** WP248 criterion 7: people in a weaker position (children, employees, patients, the elderly, asylum seekers). */
  vulnerable: z.enum(["child", "employee", "patient", "elderly", "asylum_seeker", "other"]).optional(),
});

const Taxonomy = z.strictObject({
  dataCategories: z.record(categoryKey, CategoryDef).default({}),
  dataSubjects: z.record(id, SubjectDef).default({}),
});

const Purpose = z.strictObject({
  name: text,
  description: text.optional(),
  legalBasis: LegalBasis.optional(),
  /**
   * More than one basis, each with its scope, as notices state them ("contract for customers, legitimate interests for
   * prospects").
   */
  legalBases: z.array(ScopedBasis).default([]),
  /** Art 13(1)(d): the interest pursued, required when the basis is legitimate_interests. */
  legitimateInterest: text.optional(),
  specialCategoryCondition: z.enum(ART9_CONDITIONS).optional(),
  dataCategories: z.array(categoryKey).min(1),
  dataSubjects: z.array(id).min(1),
  /** Direct marketing (GDPR Art 21(2)-(3)): an objection stops it at once, without a balancing test. */
  directMarketing: z.boolean().optional(),
  /** Where the data comes from: the person, observation of the person, a third party, public sources. */
  sources: z.array(z.enum(["subject", "observed", "third_party", "public"])).default(["subject"]),
  sourceDescription: text.optional(),
  /** Art 13(2)(e): whether providing the data is required, and what follows if not. */
  requirement: z
    .strictObject({
      type: z.enum(["statutory", "contractual", "contract_prerequisite", "voluntary"]),
      consequence: text.optional(),
    })
    .optional(),
  recipients: z.array(id).default([]),
  systems: z.array(id).default([]),
  retention: id.optional(),
  /** Where this purpose applies: e.g. phone marketing to US and Canadian contacts only. */
  jurisdictions: z
    .strictObject({ only: z.array(jurisdiction).optional(), except: z.array(jurisdiction).optional() })
    .optional(),
  /** Art 13(2)(f), Art 22. */
  automatedDecision: z
    .strictObject({ used: z.boolean(), logic: text.optional(), significance: text.optional() })
    .optional(),
  /** Art 7(3): how consent is withdrawn (an unsubscribe link, the cookie preferences, an email address). */
  withdrawal: z.array(text).default([]),
  /** The W3C DPV purpose IRI. */
  dpv: url.optional(),
  /** CCPA: whether the data is sold or shared for cross-context behavioural advertising. */
  sold: z.boolean().default(false),
  shared: z.boolean().default(false),
  /** US state laws: the data is processed for targeted advertising (opt-out right, assessment duty). */
  targetedAdvertising: z.boolean().optional(),
  /** US state laws: profiling in furtherance of decisions with legal or similarly significant effects. */
  profiling: z.boolean().optional(),
  /** The data protection assessment the US state laws require for targeted advertising, sale or profiling. */
  assessment: z.strictObject({ date: isoDate, reference: text.optional() }).optional(),
  /** Channels used, for marketing purposes (email, phone, post, sms). */
  channels: z.array(z.enum(["email", "phone", "post", "sms", "web"])).default([]),
  /**
   * What the DPIA screening (GDPR Art 35, WP248 rev.01) cannot read from the rest of the declaration: the scale,
   * new technology, datasets combined from elsewhere, a public area monitored, a right or service it can deny.
   */
  dpia: z
    .strictObject({
      /** The controller's own judgement that the processing is large-scale (WP248: people, volume, duration, area). */
      largeScale: z.boolean().optional(),
      /** Roughly how many people the processing concerns. */
      subjects: z.number().int().min(0).optional(),
      innovativeTechnology: text.optional(),
      combinesDatasets: text.optional(),
      publiclyAccessibleArea: z.boolean().optional(),
      preventsRightOrService: text.optional(),
    })
    .optional(),
});

/**
 * What a reference says about the person (GDPR Art 17 reaches only the person's own rows):
 * - `owner`: the row belongs to the person of the referenced row (`orders.customer_id`);
 * - `detail`: the person's row points at a detail of theirs (`customer.address_id → address`);
 *   it is erased only when no other row still points at it;
 * - `actor`: the row names someone else acting on it (`rental.staff_id`); never followed;
 * - `lookup`: the referenced row is not personal (`film_id`, `city_id`); never erased.
 */
export const RELATIONS = ["owner", "detail", "actor", "lookup"] as const;

/** How an identity field is compared with the value a person gives. */
export const MATCH_MODES = ["exact", "case_insensitive", "phone"] as const;

const Field = z.strictObject({
  category: categoryKey.optional(),
  /** The field holds an identity of the person (email, phone, account_id, device_id, job_number, …). */
  identity: id.optional(),
  /** How the identity is matched; by default emails case-insensitively, phones across formats, others exactly. */
  match: z.enum(MATCH_MODES).optional(),
  /**
   * The identity is one several people may hold (an office phone, a shared mailbox): it finds rows, which staff review
   * when several people's match, but its values never lead to further searches.
   */
  shared: z.boolean().optional(),
  /** The field holds the person's own contact address: verification codes for other identities go here. */
  contact: z.enum(["email"]).optional(),
  primaryKey: z.boolean().optional(),
  /** A foreign key: `dataset.field` in the same system, or `system.dataset.field`. */
  references: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){1,2}$/, "expected dataset.field or system.dataset.field")
    .optional(),
  /** What the reference means; `owner` when absent. */
  relation: z.enum(RELATIONS).optional(),
  /**
   * For a `lookup` reference: the referenced field that exports show beside the key (a film's `title`), or a path
   * through the referenced row's own references (`film_id.title`: the inventory row's film's title).
   */
  show: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/,
      "expected a field, or a path of fields (film_id.title)",
    )
    .optional(),
  /** `false` marks a field that is not personal data (a surrogate key, a lookup id, a flag). */
  personal: z.boolean().optional(),
  masking: z.enum(MASKING_STRATEGIES).optional(),
  /** The replacement for `fixed` masking. */
  maskValue: z.string().optional(),
  description: text.optional(),
  /**
   * What people call the field in an export's summary ("Order total"); its data category's name when absent.
   * Translated like any text (`systems.shop.datasets.orders.fields.total_cents.label`).
   */
  label: text.optional(),
  /** The field is an amount in the currency's minor units (cents, öre): exports show it as money (`SEK`). */
  money: z
    .string()
    .regex(/^[A-Z]{3}$/, "expected an ISO 4217 currency code (EUR, SEK, USD)")
    .optional(),
  /** How the field is minimised before it is stored (GDPR Art 5(1)(c)): "truncated to /24". Stated in the notice. */
  minimisation: text.optional(),
});

/**
 * A field of the dataset (`created_at`), or of the row it belongs to through owner references (`accounts.closed_at`).
 */
const FieldRef = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/,
    "expected a field (created_at) or dataset.field of the row this one belongs to (accounts.closed_at)",
  );
const Scalar = z.union([z.string(), z.number(), z.boolean()]);
/**
 * A clock read from the rows that belong to this one: the latest `Invoice.InvoiceDate` of a customer's invoices ("two
 * years after the last purchase"), their dataset reaching this one through owner references.
 */
const LatestOf = z.strictObject({
  latest: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/,
      "expected dataset.field of the rows that belong to this one (invoices.created_at)",
    ),
});
const ClockRef = z.union([FieldRef, LatestOf]);

/**
 * How a retention rule binds to a dataset's rows: where the clock starts, and
 * which rows it covers.
 */
const RetentionBinding = z.strictObject({
  rule: id,
  /**
   * Where the clock starts: a timestamp field (`created_at`); the latest of
   * several (`[last_login_at, last_commission_at]`: inactive means neither
   * happened within the period); or a field of the row this one belongs to
   * (`accounts.closed_at`), reached through owner references; or the latest
   * of a field of the rows that belong to this one (`{ latest:
   * invoices.created_at }`: the last purchase). Not needed for rules that run
   * from a system's obsolescence date.
   */
  clock: z.union([ClockRef, z.array(ClockRef).min(1)]).optional(),
  /**
   * Only rows whose fields hold these values (`{ account_type: free }`, a list for any of several); `dataset.field` for
   * the row this one belongs to.
   */
  where: z.record(FieldRef, z.union([Scalar, z.array(Scalar).min(1)])).optional(),
  /** The field holding the person's country (ISO code), for a rule limited to jurisdictions ("EU customers only"). */
  countryField: FieldRef.optional(),
});

const Dataset = z.strictObject({
  /** The name in the engine (table, key pattern, file); defaults to the dataset's key. */
  name: text.optional(),
  /**
   * What people call these records ("Orders"), as reports and exports name them; never the table's name. Without it,
   * people read the kinds of data the records hold. Translated like any text (`systems.shop.datasets.orders.label`).
   */
  label: text.optional(),
  description: text.optional(),
  /**
   * The retention rule of the dataset's rows: its id, or the rule with the clock and conditions that bind it to the
   * rows (a list for several: free trials and closed accounts).
   */
  retention: z.union([id, RetentionBinding, z.array(RetentionBinding).min(1)]).optional(),
  /** Files: path of a JSON-lines or CSV log; `{id}`-style globs are not supported. */
  path: text.optional(),
  format: z.enum(["jsonl", "csv"]).optional(),
  /** Redis: the key pattern, with `{field}` placeholders (`session:{email}`) and the value type. */
  keyPattern: text.optional(),
  type: z.enum(["hash", "string", "json"]).optional(),
  /** A temporary copy that must be purged after use (Data Intensity). */
  temporary: z.boolean().optional(),
  /** Each row is one person of this kind (a data subject id): a request expects to match one row, never several. */
  subject: id.optional(),
  /**
   * A view (or a materialized view) over other datasets: it stores nothing of its own, so requests and retention never
   * act on it; what it shows goes when the rows it reads go (a materialized view once it is refreshed).
   */
  derived: z.boolean().optional(),
  fields: z.record(z.string().min(1), Field),
});

const Connector = z.discriminatedUnion("engine", [
  z.strictObject({ engine: z.literal("postgres"), url: EnvRef, schema: text.optional() }),
  z.strictObject({ engine: z.literal("mysql"), url: EnvRef }),
  z.strictObject({ engine: z.literal("sqlite"), path: z.union([text, EnvRef]) }),
  z.strictObject({ engine: z.literal("redis"), url: EnvRef }),
  z.strictObject({ engine: z.literal("files"), directory: z.union([text, EnvRef]).optional() }),
  /**
   * A processor's API, driven by a vendor spec: a built-in (`stripe`, `sendgrid`, …) or a path to the organization's
   * own. `recipient` names the processor in the recipients register; `baseUrl` points at a regional host (or a test
   * stand-in); `identities` maps the spec's identity types to the declaration's (`email: customer_email`).
   */
  z.strictObject({
    engine: z.literal("http"),
    spec: text,
    recipient: id.optional(),
    baseUrl: z.union([url, EnvRef]).optional(),
    identities: z.record(z.string(), id).optional(),
  }),
  /**
   * A processor with no API: Pledge mails its privacy contact the request with only the identifiers it received, and
   * keeps a task open until staff record its answer. `to` overrides the recipient's `privacyContact`; `within`, the
   * deadline its agreement sets.
   */
  z.strictObject({
    engine: z.literal("mail"),
    recipient: id,
    to: z.email().optional(),
    within: Duration.optional(),
    /**
     * The requests the vendor is mailed about (`[erasure, rectification]` when a copy of what it holds is already in
     * the organization's own systems); every request about a person's data when absent.
     */
    rights: z
      .array(z.enum(["access", "portability", "erasure", "rectification"]))
      .min(1)
      .optional(),
  }),
  /**
   * Nothing can reach it (paper files, a CRM with no API): a person does it. `assignee` is told by mail; `due` is
   * counted from the day the task opens; `checklist` is what they confirm.
   */
  z.strictObject({
    engine: z.literal("manual"),
    instructions: text,
    contact: text.optional(),
    assignee: z.email().optional(),
    due: Duration.optional(),
    checklist: z.array(text).default([]),
  }),
]);

/** The engines of the organization's own stores, which Pledge reads and changes row by row. */
export const STORE_ENGINES = ["postgres", "mysql", "sqlite", "redis", "files"] as const;

/** Whether a system's connector reaches one of the organization's own stores (not a processor, not a person). */
export function isStoreConnector(
  c: z.output<typeof Connector> | undefined,
): c is Extract<z.output<typeof Connector>, { engine: (typeof STORE_ENGINES)[number] }> {
  return !!c && (STORE_ENGINES as readonly string[]).includes(c.engine);
}

/** Whether a system is a processor's: reached over its API (`http`) or by mail to it (`mail`). */
export function isProcessorConnector(
  c: z.output<typeof Connector> | undefined,
): c is Extract<z.output<typeof Connector>, { engine: "http" | "mail" }> {
  return c?.engine === "http" || c?.engine === "mail";
}

const System = z.strictObject({
  name: text,
  description: text.optional(),
  /** Where it runs: a country, and the recipient hosting it if any. */
  location: z.strictObject({ country, hostedBy: id.optional() }).optional(),
  /**
   * When the system goes out of use: the clock of rules that run from system obsolescence (it can also be set from the
   * console).
   */
  obsolescence: isoDate.optional(),
  /** How long backups keep data after it is deleted from the system: stated in the notice's retention section. */
  backups: z.strictObject({ period: Duration, description: text.optional() }).optional(),
  connector: Connector.optional(),
  /** Keyed as the organization names its tables: `customers`, or `Customer` for a schema in PascalCase. */
  datasets: z.record(datasetId, Dataset).default({}),
});

const Recipient = z.strictObject({
  name: text,
  description: text.optional(),
  role: z.enum([
    "processor",
    "sub_processor",
    "controller",
    "joint_controller",
    "public_authority",
    "third_party",
    "group_company",
  ]),
  /** Where the recipient is; absent for recipients that are not in one country (audience). */
  country: country.optional(),
  /**
   * Recipients that are not one organization in one country: the public (a public profile), other users of the service.
   */
  audience: z.enum(["public", "other_users"]).optional(),
  dataCategories: z.array(categoryKey).default([]),
  /** Art 28(3): a data processing agreement is in place. */
  dpa: z.boolean().optional(),
  /** Art 28(3)(e): how long the agreement gives the processor to carry out a request passed on to it. */
  assistWithin: Duration.optional(),
  /** Where the processor takes privacy requests (its DPA's notice address). */
  privacyContact: z.email().optional(),
  transfer: Transfer.optional(),
  privacyPolicy: url.optional(),
  certifications: z.array(text).default([]),
  /** How the recipient is told of rectification, erasure and restriction (Art 19). */
  notify: z
    .strictObject({
      webhook: z.strictObject({ url: z.union([url, EnvRef]), secret: EnvRef }).optional(),
      email: z.email().optional(),
    })
    .optional(),
});

const RetentionRule = z.strictObject({
  description: text.optional(),
  period: z.union([Duration, z.literal("indefinite")]),
  from: z.enum([
    "collection",
    "last_activity",
    "account_closure",
    "end_of_contract",
    "system_obsolescence",
    "unconfirmed_signup",
    "loss_of_interest",
    "session_end",
    "use_completed",
    "membership_end",
    "subscription_end",
  ]),
  action: z.enum(["delete", "deidentify", "block"]),
  /** When the sweep runs, as a cron expression in UTC (`0 3 * * *`); daily at 03:00 when absent. */
  schedule: z.string().trim().min(1).optional(),
  /** De-identification: the masking of fields of these categories, over each field's own. */
  masking: z.record(categoryKey, z.enum(MASKING_STRATEGIES)).optional(),
  /** Required when the period is indefinite. */
  reason: text.optional(),
  dataCategories: z.array(categoryKey).default([]),
  jurisdictions: z.array(jurisdiction).optional(),
  exceptions: z
    .array(
      z.strictObject({
        reason: text,
        basis: z.enum([
          "legal_obligation",
          "legal_claims",
          "security",
          "statistics",
          "contract_enforcement",
          "request_records",
          "consent",
        ]),
        period: Duration.optional(),
        dataCategories: z.array(categoryKey).default([]),
      }),
    )
    .default([]),
});

const CookieService = z.strictObject({
  id,
  name: text,
  description: text.optional(),
  recipient: id.optional(),
  cookies: z
    .array(
      z.strictObject({ name: text, duration: text.optional(), domain: text.optional(), description: text.optional() }),
    )
    .default([]),
});

const ConsentCategory = z.strictObject({
  name: text,
  description: text,
  /** The name and description in other languages the banner speaks (`de`, `fr`). */
  translations: z
    .partialRecord(z.enum(["en", "de", "fr"]), z.strictObject({ name: text, description: text.optional() }))
    .optional(),
  purposes: z.array(id).default([]),
  /** Only essential categories may be on by default (ePrivacy Art 5(3)). */
  default: z.boolean().default(false),
  essential: z.boolean().default(false),
  services: z.array(CookieService).default([]),
});

const Newsletter = z.strictObject({
  name: text,
  description: text.optional(),
  purpose: id,
  /**
   * Pledge runs double opt-in (24 hours to confirm, unconfirmed sign-ups deleted after a month) unless told otherwise;
   * the notice states only what is declared here.
   */
  doubleOptIn: z
    .strictObject({
      enabled: z.boolean().optional(),
      confirmWithin: Duration.optional(),
      deleteUnconfirmedAfter: Duration.optional(),
      /** What is kept as proof of the sign-up and its confirmation, as the notice states it. */
      proof: z.array(z.enum(["time", "ip_address", "confirmation_text"])).optional(),
    })
    .optional(),
  requiredFields: z.array(text).default([]),
  optionalFields: z.array(text).default([]),
  /** How people unsubscribe, in the notice's words (every mail Pledge sends carries a one-click link either way). */
  unsubscribe: z.array(text).default([]),
  /** A signed webhook told of every subscription change (the sending tool keeps its list in step). */
  webhook: z.strictObject({ url: z.union([url, EnvRef]), secret: EnvRef }).optional(),
});

/** A TCF purpose or special feature id (TCF v2.3: purposes 1–11, special features 1–2). */
const tcfId = (max: number, what: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(max, { message: `expected a TCF ${what} id from 1 to ${max}` });

/**
 * The IAB's signals for ad tech, each an optional plugin of the banner loaded only when declared: the Global Privacy
 * Platform's US sections (`__gpp`), and the Transparency and Consent Framework v2.3 (`__tcfapi`).
 */
const Iab = z.strictObject({
  gpp: z
    .strictObject({
      /** The CMP id from the organization's IAB registration (the same registry serves GPP and TCF). */
      cmpId: z.number().int().min(2).max(4095),
      cmpVersion: z.number().int().min(1).max(4095).default(1),
      /** Whether the site's sales and sharing are covered transactions under the IAB's MSPA (No when not said). */
      mspaCoveredTransaction: z.boolean().default(false),
    })
    .optional(),
  tcf: z
    .strictObject({
      /** The CMP id the organization's own IAB registration gave it (TCF Policies: only a registered CMP sets one). */
      cmpId: z.number().int().min(2).max(4095),
      cmpVersion: z.number().int().min(1).max(4095).default(1),
      /** The Global Vendor List: a file (relative to the declaration) or a URL downloaded on a schedule. */
      gvl: z.union([z.strictObject({ file: text }), z.strictObject({ url, refresh: Duration.default("1 week") })]),
      /** Which consent category stands for each TCF purpose: category id → purpose ids. */
      purposes: z.record(id, z.array(tcfId(11, "purpose")).min(1)),
      /** Which consent category opts in to each TCF special feature (precise geolocation, device scanning). */
      specialFeatures: z.record(id, z.array(tcfId(2, "special feature")).min(1)).default({}),
      /** The GVL vendors the site works with and discloses to the person (TCF v2.3 DisclosedVendors). */
      vendors: z.array(z.number().int().min(1).max(65535)).min(1),
      /** The publisher's country (ISO 3166-1 alpha-2); the organization's when not said. */
      publisherCountryCode: z
        .string()
        .regex(/^[A-Z]{2}$/)
        .optional(),
    })
    .optional(),
});

const Consent = z.strictObject({
  /** How long a choice stays valid before it is asked again (Pledge asks again after a year when this is not said). */
  validity: Duration.optional(),
  /**
   * Browser signals honoured; Pledge honours Global Privacy Control unless `gpc: false`, but the notice says only what
   * is declared.
   */
  signals: z.strictObject({ gpc: z.boolean().optional(), dnt: z.boolean().optional() }).optional(),
  categories: z.record(id, ConsentCategory).default({}),
  /** Overrides of the banner's texts, per language (`en`, `de`, `fr`). */
  texts: z.record(z.string().regex(/^[a-z]{2}$/), z.record(z.string(), z.string())).default({}),
  /** Each list's id is in its public addresses (`/newsletter/trail_notes`): not a word those addresses already use. */
  newsletters: z.record(NewsletterId, Newsletter).default({}),
  iab: Iab.optional(),
});

const Rights = z.strictObject({
  offered: z.array(Right).min(1),
  /** The jurisdictions whose residents the rights are offered to; all when absent. */
  appliesTo: z.array(jurisdiction).optional(),
  channels: z
    .array(
      z.strictObject({
        type: z.enum(["web", "email", "phone", "post", "in_app", "support_ticket", "account"]),
        address: text,
      }),
    )
    .min(1),
  identities: z.array(id).default(["email"]),
  /** How requesters are verified, as the notice states it (Pledge's privacy center sends one-time codes either way). */
  verification: z
    .strictObject({
      method: z.enum(["email_code", "account", "signed_form", "id_document", "none"]),
      description: text.optional(),
    })
    .optional(),
  authorizedAgents: z
    .strictObject({
      allowed: z.boolean(),
      requireSignedAuthorization: z.boolean().default(true),
      description: text.optional(),
      /**
       * The Data Rights Protocol (1.0): agents registered and approved in the console file requests over
       * `/v1/data-rights-request`, signed with Ed25519. `businessId` is this organization's id in the DRP service
       * directory; a request for another business is refused.
       */
      drp: z
        .strictObject({
          businessId: z.string().regex(/^[A-Z_]+$/, { message: "expected upper-case letters and _, as DRP ids are" }),
          /** The identity claims a request must carry; the first is the identity searched and confirmed. */
          supportedVerifications: z
            .array(z.enum(["email", "phone_number"]))
            .min(1)
            .default(["email"]),
        })
        .optional(),
    })
    .optional(),
  fee: z.enum(["free", "reasonable"]).optional(),
  /**
   * A response time the organization promises, tighter than the law's: one for all, or one per jurisdiction (`{ EU: 1
   * month, US-CA: 45 days }`).
   */
  responseTime: z.union([Duration, z.partialRecord(jurisdiction, Duration)]).optional(),
  notifyRecipients: z.array(z.enum(["rectification", "erasure", "restriction"])).default([]),
  /**
   * How long a processor is given to carry out a request when its agreement says nothing (Art 28(3)(e) sets no number);
   * without it, a week before the request's own deadline.
   */
  processorDeadline: Duration.optional(),
  /**
   * Corrections of these categories wait for staff review before they are applied (names and contact fields by
   * default).
   */
  rectification: z
    .strictObject({ review: z.array(categoryKey).default(["user.name", "user.contact"]) })
    .default({ review: ["user.name", "user.contact"] }),
  /** How long request records are kept as proof after a request closes (11 CCR § 7101: 24 months). */
  requestRecords: Duration.default("24 months"),
  manualApproval: z.boolean().default(false),
  /** CCPA 1798.125: people who exercise their rights are not treated differently (said in the notice when declared). */
  nonDiscrimination: z.boolean().optional(),
  exportFormats: z.array(z.enum(["json", "csv", "html"])).default(["json", "csv", "html"]),
});

/** The staff roles that may approve a governance step (`auth` holds the full list). */
const ApproverRole = z.enum(["approver", "officer", "owner"]);

const Governance = z.strictObject({
  staffAccess: z
    .strictObject({
      policy: text,
      protectedClasses: z
        .array(z.strictObject({ id, name: text, description: text.optional(), excludes: text.optional() }))
        .default([]),
      /**
       * The purposes for which staff may access customer data, each granted by the customer's explicit consent (Data
       * Intensity's list).
       */
      purposes: z.array(z.strictObject({ id, description: text })).default([]),
      /**
       * Cases where staff may look without the customer's consent; a second staff member of `approver` role or above
       * grants each (LuxSci's three).
       */
      exceptions: z
        .array(z.strictObject({ id, description: text, approver: ApproverRole.default("officer") }))
        .default([]),
      leastPrivilege: z.boolean().optional(),
      /** The longest window a grant may have. */
      maxWindow: Duration.default("7 days"),
    })
    .optional(),
  /**
   * Remote sessions into a customer's systems (Lutron): none starts before the customer signs the verification form;
   * recordings are destroyed after `recordingRetention`.
   */
  remoteSessions: z.strictObject({ form: text, recordingRetention: Duration.default("180 days") }).optional(),
  /**
   * Temporary copies of customer data made for maintenance (Data Intensity): each is purged by its deadline, at most
   * `purgeWithin` after it is made.
   */
  temporaryCopies: z.strictObject({ purgeWithin: Duration.default("30 days") }).optional(),
  legalRequests: z
    .strictObject({
      policy: text,
      verificationRequired: z.boolean(),
      notifySubject: z.boolean().default(false),
      /**
       * Publish the yearly transparency report at /privacy/transparency (national security letters only in bands of
       * 1,000, 50 U.S.C. 1874(a)(1)).
       */
      transparencyReport: z.boolean().optional(),
    })
    .optional(),
  agreements: z
    .array(
      z.strictObject({
        id,
        name: text,
        type: z.enum(["dpa", "gdpr_addendum", "baa", "msa", "msa_addendum", "scc", "idta", "nda", "other"]),
        /**
         * In force for every customer it applies to from the customer's start, without signature (a GDPR addendum in
         * the MSA).
         */
        automatic: z.boolean().default(false),
        /**
         * For an automatic agreement: the customers it covers (`gdpr`: those whose data falls under the GDPR or UK
         * GDPR).
         */
        appliesTo: z.enum(["all", "gdpr"]).default("all"),
        /** The current template's version: an agreement signed on an older one is flagged. */
        templateVersion: text.optional(),
        /** The role that accepts a signed copy (LuxSci's HIPAA Privacy Officer: officer). */
        acceptedBy: ApproverRole.default("officer"),
        description: text.optional(),
        url: url.optional(),
      }),
    )
    .default([]),
  /**
   * GDPR Art 28(2), (4): customers subscribe to sub-processor changes on a declared newsletter list, and may object
   * within the window.
   */
  subProcessors: z
    .strictObject({
      /** A newsletter list customers subscribe to for changes (Pledge publishes the list at /privacy/subprocessors). */
      list: id.optional(),
      /** Or the organization's own published list. */
      url: url.optional(),
      objectionWindow: Duration.default("30 days"),
      /** How long before a new sub-processor is engaged customers are told. */
      noticePeriod: Duration.optional(),
    })
    .refine((s) => s.list || s.url, { message: "give the newsletter list to publish or the url of your own list" })
    .optional(),
  breach: z
    .strictObject({
      procedure: text,
      /**
       * The regimes of the organization's sector or role: the GDPR, HIPAA, the GLBA Safeguards Rule, SEC rules, NY DFS,
       * NIS2, DORA. The breach laws of the places the affected people live apply without being named.
       */
      regimes: z.array(z.enum(BREACH_REGIMES)).default([]),
      /**
       * As a processor: the hours its DPAs allow to tell the controllers (GDPR Art 33(2) says only "without undue
       * delay").
       */
      controllerNoticeHours: z.number().int().min(1).max(720).optional(),
      /** Who answers an authority's questions (Art 33(3)(b)); the organization's DPO or contact when absent. */
      contact: text.optional(),
    })
    .optional(),
  assessments: z.strictObject({ frequency: Duration, owner: text.optional(), description: text.optional() }).optional(),
  businessTransfers: z.strictObject({ notify: z.array(text).min(1) }).optional(),
});

const ProcessorActivity = z.strictObject({
  name: text,
  /** Art 30(2)(a): the controllers served: a category of customers, or named controllers with their contacts. */
  controllers: z.array(z.union([text, Party.extend({ name: text })])).min(1),
  /** Art 30(2)(c): the sub-processors (recipients) engaged for this activity; their transfers are the activity's. */
  subProcessors: z.array(id).default([]),
  description: text.optional(),
  /** Art 30(2)(b): the categories of processing carried out for them. */
  processing: z.array(text).min(1),
  dataCategories: z.array(categoryKey).default([]),
  dataSubjects: z.array(id).default([]),
  locations: z.array(country).default([]),
  transfer: Transfer.optional(),
});

const NoticeSettings = z.strictObject({
  url: url.optional(),
  /** How people are told of material changes (email, a notice on the site, a blog post, the portal). */
  changeNotification: z.array(text).default([]),
  changeNotice: text.optional(),
  /** How long before a material change takes effect people are told. */
  advanceNotice: Duration.optional(),
  /** A hedge in the promise itself, stated with it: "generally at least 14 days". */
  advanceNoticeHedge: z.enum(["generally"]).optional(),
  /** Show people a simplified map of where their data goes: purposes, recipients, countries and safeguards. */
  map: z.boolean().optional(),
});

/**
 * Children's data: the youngest age served, and consent below the thresholds (GDPR Art 8, COPPA, CCPA § 1798.120(c)).
 */
const Children = z.strictObject({
  /** The service is not directed to people below this age. */
  minimumAge: z.number().int().min(0).max(21),
  /** Below this age a parent or guardian consents (GDPR Art 8: 16, or 13-16 by member state; COPPA: 13). */
  parentalConsentBelow: z.number().int().min(0).max(21).optional(),
  /** Data of people under 16 is never sold or shared (CCPA: opt-in required, § 1798.120(c)). */
  noSaleUnder16: z.boolean().optional(),
  description: text.optional(),
});

/**
 * How long Pledge keeps its own records of people (request records are set in
 * `rights.requestRecords`). Each is swept by the retention worker and listed in
 * `pledge retention plan` and `verify`.
 */
const OwnData = z.strictObject({
  /** Console sessions: deleted this long after they expire. */
  sessions: Duration.default("1 day"),
  /** Verification codes of rights requests: deleted this long after they expire. */
  verificationCodes: Duration.default("1 day"),
  /** Consent records: kept as proof this long after the choice's validity ends, then deleted. */
  consentProof: Duration.default("3 years"),
  /** Mail written to the outbox directory (outbox mode, without SMTP): deleted at this age. */
  outbox: Duration.default("30 days"),
  /**
   * An access or portability download: kept this long after it is ready, then deleted (else the operator's
   * PLEDGE_EXPORT_TTL_DAYS, 7 days by default).
   */
  exports: Duration.optional(),
});

/** Discovery (`pledge scan`) over time: when scans run, how much they read, who is told of a new finding. */
const Discovery = z.strictObject({
  /** A cron expression (UTC), or `off`; weekly, Monday at 04:00, when not given. */
  schedule: z.string().trim().min(1).optional(),
  /** Rows, keys or records sampled per table (200 when not given). */
  sampleRows: z.number().int().min(1).max(100_000).optional(),
  /**
   * A new finding is mailed to this address (the organization's privacy contact when not given) and posted to the
   * webhook.
   */
  notify: z
    .strictObject({
      email: z.email({ message: "expected an email address" }).optional(),
      webhook: z.strictObject({ url: z.union([url, EnvRef]), secret: EnvRef }).optional(),
    })
    .optional(),
});

export const DeclarationBase = z.strictObject({
  version: text.describe("The version of the declaration, as published in the notice."),
  effectiveDate: isoDate,
  organization: Organization,
  taxonomy: Taxonomy.default({ dataCategories: {}, dataSubjects: {} }),
  purposes: z.record(id, Purpose),
  systems: z.record(id, System).default({}),
  recipients: z.record(id, Recipient).default({}),
  retention: z.record(id, RetentionRule).default({}),
  consent: Consent.optional(),
  rights: Rights,
  discovery: Discovery.optional(),
  ownData: OwnData.default({
    sessions: "1 day",
    verificationCodes: "1 day",
    consentProof: "3 years",
    outbox: "30 days",
  }),
  security: z.strictObject({ measures: z.array(text).min(1) }).optional(),
  /** The public pages' texts in each language, by key, where the organization words them its own way. */
  texts: z
    .partialRecord(z.enum(["en", "de", "fr"]), z.record(z.string().regex(/^[a-z_]+(\.[A-Za-z_]+)*$/), text))
    .optional(),
  /**
   * The declaration's own texts in another language, by the path of the text (`purposes.newsletter.name`,
   * `security.measures.0`): the notice in that language states them so.
   */
  translations: z
    .partialRecord(z.enum(["en", "de", "fr"]), z.record(z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/), text))
    .optional(),
  /** The console's staff: the roles that must sign in with a second factor (TOTP). */
  staff: z
    .strictObject({ twoFactor: z.array(z.enum(["viewer", "approver", "officer", "owner"])).default([]) })
    .optional(),
  governance: Governance.optional(),
  processorActivities: z.record(id, ProcessorActivity).default({}),
  children: Children.optional(),
  notice: NoticeSettings.default({ changeNotification: [] }),
});

/** The one schema of a declaration. References between its parts are checked here too. */

export type Declaration = z.output<typeof DeclarationBase>;
export type DeclarationInput = z.input<typeof DeclarationBase>;
export type Purpose = Declaration["purposes"][string];
export type System = Declaration["systems"][string];
export type Dataset = System["datasets"][string];
export type Field = Dataset["fields"][string];
export type Recipient = Declaration["recipients"][string];
export type RetentionRule = Declaration["retention"][string];
export type RetentionBinding = z.output<typeof RetentionBinding>;
export type TransferInfo = z.output<typeof Transfer>;
export type ScopedLegalBasis = z.output<typeof ScopedBasis>;
export type ProcessorActivity = Declaration["processorActivities"][string];
export type LegalBasisName = (typeof LEGAL_BASES)[number];
export type RightName = (typeof RIGHTS)[number];
export type MaskingStrategy = (typeof MASKING_STRATEGIES)[number];
export type Relation = (typeof RELATIONS)[number];
export type MatchMode = (typeof MATCH_MODES)[number];
export type ConnectorConfig = NonNullable<System["connector"]>;

/** The JSON Schema of a declaration, for editors (`pledge schema > pledge.schema.json`). */
export function declarationJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(DeclarationBase, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://pledge.dev/schema/declaration.json",
    title: "Pledge declaration",
    description: "An organization's processing of personal data, as Pledge executes it.",
  };
}

/**
 * The entry of a declaration map under a key that came from outside (a URL,
 * a form): only the map's own entries, so `constructor` or `__proto__` is no
 * purpose, category or newsletter.
 */
export function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Every legal basis a purpose states, each with its scope: `legalBasis` first, then `legalBases`. */
export function basesOf(p: Purpose): ScopedLegalBasis[] {
  const out: ScopedLegalBasis[] = p.legalBasis
    ? [{ basis: p.legalBasis, ...(p.legitimateInterest ? { legitimateInterest: p.legitimateInterest } : {}) }]
    : [];
  for (const b of p.legalBases) if (!out.some((o) => o.basis === b.basis && o.scope === b.scope)) out.push(b);
  return out;
}

/** The promised response time for a jurisdiction, if any. */
export function promisedResponseTime(decl: Declaration, jurisdiction: string): string | undefined {
  const t = decl.rights.responseTime;
  if (!t) return undefined;
  if (typeof t === "string") return t;
  return (
    own(t, jurisdiction) ?? (jurisdiction === "EEA" ? own(t, "EU") : jurisdiction === "EU" ? own(t, "EEA") : undefined)
  );
}

/** A recipient's place, as a notice says it: a country, the public, or other users. */
export function recipientPlace(r: Recipient): { country?: string; audience?: "public" | "other_users" } {
  return { ...(r.country ? { country: r.country } : {}), ...(r.audience ? { audience: r.audience } : {}) };
}

/**
 * How an objection to a purpose is handled (GDPR Art 21): direct marketing
 * stops at once (21(2)-(3)); processing on legitimate interests or a public
 * task stops unless staff show compelling legitimate grounds (21(1)); any
 * other basis (contract, legal obligation, consent) gives no right to object.
 * A purpose is direct marketing when it says so, or when it reaches people by
 * channels (email, phone, post, sms) on legitimate interests.
 */
export function objectionKind(p: Purpose): "direct_marketing" | "balancing" | undefined {
  const bases = basesOf(p).map((b) => b.basis);
  const direct = p.directMarketing ?? (p.channels.some((c) => c !== "web") && bases.includes("legitimate_interests"));
  if (direct) return "direct_marketing";
  if (bases.includes("legitimate_interests") || bases.includes("public_task")) return "balancing";
  return undefined;
}

/**
 * Whether Global Privacy Control is honoured: always where the declaration has
 * a consent section, unless it says `gpc: false`. (The notice states it only
 * when declared.)
 */
export function honoursGpc(decl: Declaration): boolean {
  return !!decl.consent && decl.consent.signals?.gpc !== false;
}

/**
 * How a newsletter's double opt-in runs: as declared, else Pledge's own practice (on; 24 hours to confirm; unconfirmed
 * sign-ups deleted after a month).
 */
export function doubleOptInOf(
  n: Declaration["consent"] extends infer C ? (C extends { newsletters: Record<string, infer N> } ? N : never) : never,
): { enabled: boolean; confirmWithin: string; deleteUnconfirmedAfter: string } {
  return {
    enabled: n.doubleOptIn?.enabled ?? true,
    confirmWithin: n.doubleOptIn?.confirmWithin ?? "24 hours",
    deleteUnconfirmedAfter: n.doubleOptIn?.deleteUnconfirmedAfter ?? "1 month",
  };
}
