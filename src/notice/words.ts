/**
 * The notice's own words in one language: labels, the sentences around declared facts, and the law's names for
 * rights, bases and safeguards. The facts come from the declaration; these only say them. English is the source;
 * German and French (words-de.ts, words-fr.ts) give the same statements, each reviewed against the English.
 */
import {
  ART9_CONDITION_TEXT,
  LEGAL_BASIS_INFO,
  NOTICE_ITEMS,
  REGIMES,
  RIGHT_INFO,
  TRANSFER_MECHANISM_INFO,
  formatRule,
  type DeadlineRule,
  type ExtensionReason,
  type NoticeItemId,
  type RegimeId,
  type RetentionRule,
  type RightName,
} from "../declaration/index.js";

export type NoticeLang = "en" | "de" | "fr";

type Source = "subject" | "observed" | "third_party" | "public";
type Requirement = "statutory" | "contractual" | "contract_prerequisite" | "voluntary";
type Verification = "email_code" | "account" | "signed_form" | "id_document" | "none";
type ChannelType = "web" | "email" | "phone" | "post" | "in_app" | "support_ticket" | "account";

/** A law's own words for its time where it sets no number of days. */
export type LawWords = "without delay" | "within a reasonable period" | "promptly";

/** What answerTimes says of one law. */
export interface AnswerTime {
  regime: RegimeId;
  /** The promised time where shorter than the law's, as declared (`30 days`), or the law's clock. */
  within: { declared: string } | { rule: DeadlineRule } | { words: LawWords };
  deadline: DeadlineRule;
  extension?: DeadlineRule;
  /** Why the law lets the answer be extended: its own grounds, in its own words. */
  extensionReason?: ExtensionReason;
  optOut?: DeadlineRule;
  /** The opt-out clock also covers limiting sensitive data (offered). */
  limits?: boolean;
  receipt?: DeadlineRule;
  /** A withdrawal of consent takes effect within this time (offered rights include withdrawing consent). */
  revocation?: DeadlineRule;
  /** The law asks for a simplified answer at once, and the complete one within the deadline (LGPD Art 19). */
  simplifiedAtOnce?: boolean;
}

export interface NoticeWords {
  lang: NoticeLang;
  /** A declared duration (`6 months`) in words; `dat` is the form after "within" where the language declines it. */
  duration(text: string, grammaticalCase?: "acc" | "dat"): string;
  /** A legal clock (`1 month`, `15 business days`). */
  clock(rule: DeadlineRule, grammaticalCase?: "acc" | "dat"): string;
  /** A law's article (`GDPR Art 6(1)(a)`) as the language cites it. */
  cite(article: string): string;
  /** A list joined with "and" / "or". */
  quote(text: string): string;
  /** A label and its colon (`web: `; French puts a space before it). */
  colon: string;

  title(org: string): string;
  versionLine(version: string, effective: string): string;
  sectionsLabel: string;
  itemTitle(id: NoticeItemId): string;
  rightsTitle(eu: boolean): string;
  representativesTitle(eu: boolean, uk: boolean): string;

  place: { public: string; otherUsers: string };
  contact: { address: string; email: string; phone: string; fax: string; web: string };
  source: Record<Source, string>;
  retentionFrom: Record<RetentionRule["from"], string>;
  retentionWhile: Partial<Record<RetentionRule["from"], string>>;
  retentionAction: Record<RetentionRule["action"], string>;
  keptIndefinitely: { brief: string; full: string };
  retentionSentence(o: { period: string; from: RetentionRule["from"]; action: RetentionRule["action"] }): string;
  appliesTo(jurisdictions: string[]): string;
  exceptions(list: string[]): string;
  upTo(duration: string): string;
  blockedFromOtherUse: string;
  noRetentionStated: string;

  requirement: Record<Requirement, string>;
  ifYouDoNot(consequence: string): string;
  field: {
    legalBasis: string;
    legalBases: string;
    notStated: string;
    specialCategories: string;
    data: string;
    about: string;
    source: string;
    mustProvide: string;
    sharedWith: string;
    kept: string;
    directMarketing: string;
    onlyFor: string;
    notFor: string;
    channels: string;
    withdrawConsent: string;
    automatedDecision: string;
    soldOrShared: string;
    targetedAdvertising: string;
    profiling: string;
    forWhom: string;
    whatWeDo: string;
    where: string;
    subProcessors: string;
  };
  yes: string;
  processedUnder(condition: string): string;
  basisFor(scope: string): string;
  mayObjectMarketing: string;
  sold: string;
  sharedForAds: string;
  channel: Record<"email" | "phone" | "post" | "sms" | "web", string>;

  basisName(basis: string): string;
  art9(condition: string): string;
  mechanism(id: string): string;
  adequacy(scope?: string): string;
  rightName(r: RightName): string;
  rightText(r: RightName): string;
  regimeName(id: RegimeId): string;
  complaintTo(id: RegimeId): string;

  controllerIs(named: string, alsoProcessor: boolean): string;
  processorFor(named: string): string;
  jointControllers: string;
  responsibleFor(what: string): string;
  disputeResolution(free: boolean): string;
  certifications(list: string[]): string;
  dpoLead: string;
  euRepresentative: string;
  ukRepresentative: string;

  recipientsHead: [string, string, string, string];
  recipientRole(role: string): string;
  publicAuthorities(policy: string): string;
  noneStated: string;
  transfersLead: string;
  transfersCopy: string;
  supplementaryMeasures(list: string[]): string;
  backups(system: string, period: string, description?: string): string;
  minimisationLead: string;
  transfersHead: [string, string, string, string];
  retentionHead: [string, string, string];
  noAutomatedDecisionFor(purpose: string): string;

  cookiesOnlyNeeded: string;
  cookiesOnByDefault(names: string[]): string;
  cookiesOptIn: string;
  cookiesChange: string;
  cookiesValidity(duration: string): string;
  cookiesHead: [string, string, string, string];
  cookieDefault: { always: string; on: string; off: string };
  gpc: string;
  dnt: string;

  noDoubleOptIn: string;
  doubleOptIn(confirmWithin?: string, deleteAfter?: string): string;
  doubleOptInProof(proof: ("time" | "ip_address" | "confirmation_text")[]): string;
  newsletterRequired(fields: string[]): string;
  newsletterOptional(fields: string[]): string;
  newsletterUnsubscribe(ways: string[]): string;

  childrenNotDirected(age: number): string;
  parentalConsent(age: number): string;
  noSaleUnder16: string;

  staffAccess: string;
  except(what: string): string;
  staffPurposesLead: string;
  exceptionsLead: string;
  remoteSessions(form: string, retention?: string): string;
  temporaryCopies(within: string): string;
  requestsFromAuthorities: string;
  verifiedRequests: string;
  transparencyReport: string;
  transparencyCounts: string;
  agreements: string;
  includedAutomatically: string;
  subProcessorsList: string;
  subProcessorsSentence(o: { subscribe: boolean; window?: string; notice?: string }): string;
  dataBreaches: string;
  mergers: string;
  businessTransfers(ways: string[]): string;
  assessments(frequency: string, owner?: string): string;

  versionSentence(version: string, effective: string): string;
  changeNotification(ways: string[], advance?: string, hedge?: "generally"): string;
  earlierVersions: string;

  howToAskLead: string;
  channelType(type: ChannelType): string;
  verification(method: Verification, description?: string): string;
  agents(signed: boolean, description?: string): string;
  fee(kind: "free" | "reasonable"): string;
  answerTime(a: AnswerTime): string;
  promisedAnswer(duration: string): string;

  gdprLead(regions: ("gdpr" | "uk_gdpr")[]): string;
  gdprRight(r: RightName): string;
  rightToObject: string;
  objectBalancing(purposes: string[]): string;
  objectMarketing(purposes: string[]): string;
  notifyRecipients(rights: ("rectification" | "erasure" | "restriction")[]): string;
  complain(authority?: string): string;
  withdrawConsent: string;
  youMayAsk: string;
  plainRight(r: RightName): string;

  ccpaLead: string;
  ccpaHead: [string, string, string, string, string, string];
  sensitive: string;
  none: string;
  soldShared(sold: boolean, shared: boolean): string;
  youHaveTheRight: string;
  ccpaRight(r: RightName, article: string): string;
  ccpaAgent(signed: boolean): string;
  nonDiscrimination: string;
  doNotSell: string;
  limitSensitive: string;

  usStateRights(rights: RightName[], answer: string): string;
  appeal(within: DeadlineRule, extension: DeadlineRule | undefined, complaintTo: string): string;
  otherLawRights(rights: RightName[], answer: string, extendable: boolean): string;
  complainTo(authority: string): string;

  mapHeading: string;
  mapLead: string;
  mapTitle(org: string): string;
  /** The map's words: its description for a screen reader, each kind of box, and the two places of a country. */
  map: {
    desc(n: { systems: number; purposes: number; recipients: number; countries: number; transfers: number }): string;
    kinds: Record<"system" | "dataset" | "purpose" | "recipient" | "country", string>;
    eea: string;
    outsideEea: string;
  };
  versions: { title: string; version: string; effective: string; published: string; current: string };
  earlierVersion: string;
  readCurrent: string;
}

/** The units the notice's durations are counted in. */
export type WordUnit = "minute" | "hour" | "day" | "week" | "month" | "year" | "business_day";

/** A legal clock's unit, in the notice's units. */
export const RULE_UNIT: Readonly<Record<DeadlineRule["unit"], WordUnit>> = {
  days: "day",
  months: "month",
  business_days: "business_day",
  hours: "hour",
};

/** A declared duration's amount and unit (`6 months`, `30 minutes`), `session`, or undefined for other text. */
export function durationParts(text: string): { amount: number; unit: WordUnit } | "session" | undefined {
  if (text.trim() === "session") return "session";
  const m = /^([1-9][0-9]*)\s*(minute|hour|day|week|month|year)s?$/.exec(text.trim());
  return m ? { amount: Number(m[1]), unit: m[2] as WordUnit } : undefined;
}

/** The state a US state law sends complaints to (`the Virginia Attorney General` → Virginia), if it is one of them. */
export function attorneyGeneralState(id: RegimeId): string | undefined {
  return /^the (.+) Attorney General$/.exec(REGIMES[id].complaintTo)?.[1];
}

/** Rewrites each `GDPR Art 6(1)(a)` (or `UK GDPR …`) of a citation in a language's form. */
export function rewriteGdprCites(
  article: string,
  form: (uk: boolean, article: string, paragraph?: string, point?: string) => string,
): string {
  return article.replace(
    /\b(UK )?GDPR Art (\d+)(?:\((\d+)\))?(?:\(([a-z])\))?/g,
    (_m, uk: string | undefined, n: string, par?: string, point?: string) => form(!!uk, n, par, point),
  );
}

/** `a, b or c`: a list with the language's word before its last item. */
export function joinLast(items: string[], word: string): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}

/** `1 months` → `1 month`: a declaration may write either. */
export function singularDuration(d: string): string {
  return d.replace(/^1\s*(hour|day|week|month|year)s\b/, "1 $1");
}

/** The law's grounds for extending an answer, as the notice gives them. */
const EXTENSION_GROUNDS: Record<ExtensionReason, string> = {
  complex_or_many: "where a request is complex or we receive many",
  complexity_and_number: "where reasonably necessary given the complexity and number of requests",
  reasonably_necessary: "where reasonably necessary",
  pipeda:
    "where meeting the time limit would unreasonably interfere with our activities, or we need to consult others or " +
    "convert the data into another form",
  date_given: "",
};

export const EN: NoticeWords = {
  lang: "en",
  duration: (d) => singularDuration(d),
  clock: (r) => formatRule(r),
  cite: (a) => a,
  quote: (t) => `"${t}"`,
  colon: ": ",

  title: (org) => `Privacy notice — ${org}`,
  versionLine: (v, e) => `Version ${v}, effective ${e}`,
  sectionsLabel: "Sections of this notice",
  itemTitle: (id) => NOTICE_ITEMS.find((i) => i.id === id)?.title ?? id,
  rightsTitle: (eu) => (eu ? "Your rights" : "Your choices and requests"),
  representativesTitle: (eu, uk) =>
    eu && uk
      ? "Our representatives in the EU and the UK"
      : uk
        ? "Our representative in the UK"
        : "Our representative in the EU",

  place: { public: "Public", otherUsers: "Other users of the service" },
  contact: { address: "Address: ", email: "Email: ", phone: "Phone: ", fax: "Fax: ", web: "Web: " },
  source: {
    subject: "you give it to us",
    observed: "we record it automatically when you use our services",
    third_party: "we receive it from someone else",
    public: "publicly available sources",
  },
  retentionFrom: {
    collection: "from collection",
    last_activity: "after the last activity",
    account_closure: "after the account is closed",
    end_of_contract: "after the end of the contract",
    system_obsolescence: "after the system becomes obsolete",
    unconfirmed_signup: "after a sign-up is left unconfirmed",
    loss_of_interest: "after it is determined that the person is no longer interested",
    session_end: "after the session ends",
    use_completed: "after the use it was made for is completed",
    membership_end: "after the membership ends",
    subscription_end: "after the subscription ends",
  },
  retentionWhile: {
    account_closure: "for as long as the account is open",
    end_of_contract: "for as long as the contract lasts",
    membership_end: "for as long as the membership lasts",
    subscription_end: "for as long as the subscription lasts",
  },
  retentionAction: { delete: "then deleted", deidentify: "then de-identified", block: "then blocked from further use" },
  keptIndefinitely: { brief: "kept indefinitely", full: "Kept indefinitely" },
  retentionSentence({ period, from, action }) {
    const whileText = this.retentionWhile[from];
    return whileText
      ? `Kept ${whileText}, and ${period} ${this.retentionFrom[from]}; ${this.retentionAction[action]}`
      : `${period} ${this.retentionFrom[from]}, ${this.retentionAction[action]}`;
  },
  appliesTo: (j) => ` (applies to ${j.join(", ")})`,
  exceptions: (l) => `. Exceptions: ${l.join("; ")}`,
  upTo: (d) => ` (up to ${d})`,
  blockedFromOtherUse: " — blocked from any other use",
  noRetentionStated: "No retention period stated",

  requirement: {
    statutory: "Required by law",
    contractual: "Required by contract",
    contract_prerequisite: "Required to enter into a contract with us",
    voluntary: "Voluntary",
  },
  ifYouDoNot: (c) => `. If you do not: ${c}`,
  field: {
    legalBasis: "Legal basis",
    legalBases: "Legal bases",
    notStated: "Not stated",
    specialCategories: "Special categories",
    data: "Data",
    about: "About",
    source: "Source",
    mustProvide: "Must you provide it?",
    sharedWith: "Shared with",
    kept: "Kept",
    directMarketing: "Direct marketing",
    onlyFor: "Only for",
    notFor: "Not for",
    channels: "Channels",
    withdrawConsent: "Withdraw consent",
    automatedDecision: "Automated decision",
    soldOrShared: "Sold or shared",
    targetedAdvertising: "Used for targeted advertising",
    profiling: "Used for profiling with significant effects",
    forWhom: "For",
    whatWeDo: "What we do",
    where: "Where",
    subProcessors: "Sub-processors",
  },
  yes: "Yes",
  processedUnder: (c) => `Processed under ${c}`,
  basisFor: (s) => `, for ${s}`,
  mayObjectMarketing: "You may object at any time, and we stop",
  sold: "sold",
  sharedForAds: "shared for cross-context advertising",
  channel: { email: "email", phone: "phone", post: "post", sms: "sms", web: "web" },

  basisName: (b) => LEGAL_BASIS_INFO[b]?.name ?? b,
  art9: (c) => ART9_CONDITION_TEXT[c] ?? c,
  mechanism: (m) => TRANSFER_MECHANISM_INFO[m]?.name ?? m,
  adequacy: (scope) => `an adequacy decision${scope ? ` (for ${scope})` : ""}`,
  rightName: (r) => RIGHT_INFO[r].name,
  rightText: (r) => RIGHT_INFO[r].text,
  regimeName: (id) => REGIMES[id].name,
  complaintTo: (id) => REGIMES[id].complaintTo,

  controllerIs: (named, alsoProcessor) =>
    `${named} is the controller of the personal data described in this notice.` +
    (alsoProcessor ? " For data we process on our customers' behalf, the customer is the controller." : ""),
  processorFor: (named) =>
    `${named} processes personal data on behalf of its customers, as a processor. Each customer is the controller ` +
    "of its data: a request about that data goes to the customer, and we help them answer it.",
  jointControllers: "We decide on some of this processing together with joint controllers:",
  responsibleFor: (w) => `Responsible for: ${w}`,
  disputeResolution: (free) =>
    `If a concern is not resolved, you may contact our dispute resolution provider${free ? " (free of charge)" : ""}:`,
  certifications: (l) => `Certifications: ${l.join(", ")}.`,
  dpoLead: "You can reach our data protection officer at:",
  euRepresentative: "Our representative in the European Union (GDPR Art 27):",
  ukRepresentative: "Our representative in the United Kingdom (UK GDPR Art 27):",

  recipientsHead: ["Recipient", "Role", "Where", "Why"],
  recipientRole: (r) => r.replace(/_/g, " "),
  publicAuthorities: (p) => `Public authorities: ${p}`,
  noneStated: "None stated",
  transfersLead: "Your data is transferred outside the European Economic Area as follows.",
  transfersCopy: "You may ask us for a copy of the safeguards.",
  supplementaryMeasures: (l) => `Supplementary measures: ${l.join("; ")}.`,
  backups: (system, period, description) =>
    `Backups of ${system} keep data for up to ${period} after it is deleted from the system` +
    `${description ? ` (${description.replace(/\.$/, "")})` : ""}.`,
  minimisationLead: "We reduce these data before we store them:",
  transfersHead: ["Who", "Country", "Safeguard", "Notes"],
  retentionHead: ["Data", "For", "How long we keep it"],
  noAutomatedDecisionFor: (p) =>
    `${p}: no decision based solely on automated processing, including profiling, that has legal or similarly ` +
    "significant effects on you.",

  cookiesOnlyNeeded: "We use only cookies that are needed for the service.",
  cookiesOnByDefault: (names) =>
    `${names.join(", ")} ${names.length === 1 ? "is" : "are"} on unless ` +
    `you turn ${names.length === 1 ? "it" : "them"} ` +
    "off; other non-essential cookies are set only after you opt in.",
  cookiesOptIn: "Non-essential cookies are set only after you opt in.",
  cookiesChange: "You can change your choices at any time.",
  cookiesValidity: (d) => ` Your choices last ${d}; then we ask again.`,
  cookiesHead: ["Category", "What it does", "Services and cookies", "Default"],
  cookieDefault: { always: "Always on", on: "On", off: "Off until you opt in" },
  gpc: "We honour Global Privacy Control: a browser that sends it is opted out of sale, sharing and marketing cookies.",
  dnt: "We honour Do Not Track: a browser that sends it is treated as having refused non-essential cookies.",

  noDoubleOptIn: "Sign-up takes effect at once, without a confirmation email.",
  doubleOptIn: (confirmWithin, deleteAfter) =>
    "We use double opt-in: after you sign up we email you a link to confirm." +
    (confirmWithin
      ? ` If you do not confirm within ${confirmWithin}, your sign-up is blocked` +
        (deleteAfter ? `, and it is deleted after ${deleteAfter}` : "") +
        "."
      : ""),
  doubleOptInProof: (proof) =>
    `As proof we keep ${joinLast(
      proof.map(
        (x) =>
          ({
            time: "the time of your sign-up and confirmation",
            ip_address: "the IP address they came from",
            confirmation_text: "the text of the confirmation email",
          })[x],
      ),
      "and",
    )}.`,
  newsletterRequired: (f) => `Required: ${f.join(", ")}.`,
  newsletterOptional: (f) => `Optional: ${f.join(", ")}.`,
  newsletterUnsubscribe: (w) => `Unsubscribe at any time: ${w.join("; ")}.`,

  childrenNotDirected: (age) => `Our services are not directed to children under ${age}.`,
  parentalConsent: (age) => `For children under ${age}, a parent or guardian gives consent.`,
  noSaleUnder16: "We do not sell or share the personal information of anyone under 16.",

  staffAccess: "Staff access",
  except: (w) => ` (except ${w})`,
  staffPurposesLead: "Staff access it only for these purposes, each time with the customer's explicit consent:",
  exceptionsLead: "Exceptions:",
  remoteSessions: (form, retention) =>
    `No remote session into a customer's systems starts before the customer has signed the ${form}.` +
    (retention ? ` Recordings of sessions are destroyed ${retention} after they are made.` : ""),
  temporaryCopies: (within) =>
    `Temporary copies of customer data made for maintenance are purged at the latest ${within} after they are made.`,
  requestsFromAuthorities: "Requests from authorities",
  verifiedRequests: " Every such request is verified before we act on it.",
  transparencyReport: "Our transparency report",
  transparencyCounts: " counts them each year.",
  agreements: "Agreements",
  includedAutomatically: " (included automatically)",
  subProcessorsList: "The list of our sub-processors",
  subProcessorsSentence: ({ subscribe, window, notice }) =>
    " is published" +
    (subscribe
      ? "; subscribe there to be told when one is added or changed, with the date the change takes effect"
      : "") +
    (notice ? `; we tell customers of a new sub-processor at least ${notice} before it is engaged` : "") +
    (window ? `; a customer may object within ${window}` : "") +
    ".",
  dataBreaches: "Data breaches",
  mergers: "Mergers and acquisitions",
  businessTransfers: (ways) => `If our business changes hands, we tell you by ${ways.join(" and ")}.`,
  assessments: (f, owner) =>
    `Our practices are assessed every ${singularDuration(f).replace(/^1 /, "")}${owner ? ` under the ${owner}` : ""}.`,

  versionSentence: (v, e) => `This is version ${v} of our notice, effective ${e}.`,
  changeNotification: (ways, advance, hedge) =>
    `If we make material changes, we tell you by ${ways.join(", ")}` +
    (advance ? `, ${hedge === "generally" ? "generally " : ""}at least ${advance} before they take effect` : "") +
    ".",
  earlierVersions: "Earlier versions",

  howToAskLead: "To make a request, contact us by:",
  channelType: (t) => t.replace(/_/g, " "),
  verification: (method, description) =>
    "To protect your data, we verify who is asking: " +
    {
      email_code: "we send a one-time code to your email address",
      account: "we ask you to confirm the request from within your account",
      signed_form: "we ask for a signed form",
      id_document: "we ask for proof of identity",
      none: "no verification is needed",
    }[method] +
    (description ? ` (${description})` : "") +
    ".",
  agents: (signed, description) =>
    `An authorized agent may make a request on your behalf${signed ? " with your signed permission" : ""}.` +
    (description ? ` ${description}` : ""),
  fee: (kind) =>
    kind === "free"
      ? "Requests are free of charge."
      : "Requests are free unless they are manifestly unfounded or excessive.",
  answerTime(a) {
    if ("words" in a.within)
      return `Under the ${REGIMES[a.regime].name}, we answer ${a.within.words} after receiving your request`;
    const within = "declared" in a.within ? singularDuration(a.within.declared) : formatRule(a.within.rule);
    const first =
      a.deadline.amount === 1
        ? `first ${formatRule(a.deadline).replace(/^1 /, "")}`
        : `first ${formatRule(a.deadline)}`;
    return (
      `Under the ${REGIMES[a.regime].name}, we answer within ${within} of receiving your request` +
      (a.simplifiedAtOnce ? "; a simplified answer comes at once, and the complete answer within that time" : "") +
      (a.extension
        ? `; ${EXTENSION_GROUNDS[a.extensionReason ?? "complex_or_many"]}, we may extend this by up to ` +
          `${formatRule(a.extension)}, and tell you why within the ${first}`
        : a.extensionReason === "date_given"
          ? "; where we cannot answer within that time, we tell you within it the date by which we will"
          : "") +
      (a.optOut
        ? `; requests to opt out${a.limits ? " or to limit the use of sensitive data" : ""} within ` +
          `${formatRule(a.optOut)}, without extension`
        : "") +
      (a.revocation ? `; a withdrawal of consent takes effect within ${formatRule(a.revocation)}` : "") +
      (a.receipt ? `; we confirm receipt within ${formatRule(a.receipt)}` : "")
    );
  },
  promisedAnswer: (d) => `We answer within ${d}.`,

  gdprLead: (regions) =>
    `If you are in ` +
    `${regions.map((r) => (r === "gdpr" ? "the European Economic Area" : "the United Kingdom")).join(" or ")}` +
    ", you have the following rights:",
  gdprRight: (r) => `${RIGHT_INFO[r].name}: the right ${RIGHT_INFO[r].text} (${RIGHT_INFO[r].article}).`,
  rightToObject: "Your right to object",
  objectBalancing: (p) =>
    "You have the right to object, on grounds relating to your particular situation, to processing based on our " +
    (`legitimate interests or a public task (${p.join(", ")}); we then stop ` +
      `unless we demonstrate compelling legitimate `) +
    "grounds that override your interests, or need the data for legal claims (GDPR Art 21(1)).",
  objectMarketing: (p) =>
    `You have the right to object at any time to direct marketing (${p.join(", ")}); we then stop it at once ` +
    "(GDPR Art 21(2)-(3)).",
  notifyRecipients: (rights) => `We tell the recipients of your data about any ${rights.join(", ")} (GDPR Art 19).`,
  complain: (authority) =>
    `You may complain to a supervisory authority` +
    `${authority ? `: ${authority}` : ", in particular in the country where you live or work"}` +
    ", and you may seek a judicial remedy before the courts (GDPR Art 77, 79).",
  withdrawConsent:
    "Where we rely on your consent, you may withdraw it at any time; this does not affect processing before the " +
    "withdrawal (GDPR Art 7(3)).",
  youMayAsk: "You may ask us:",
  plainRight: (r) => `${RIGHT_INFO[r].name}: ${RIGHT_INFO[r].text}.`,

  ccpaLead:
    "If you live in California, this is our notice at collection and what the California Consumer Privacy Act " +
    "requires our privacy policy to say.",
  ccpaHead: ["Category", "Purposes", "Sources", "Disclosed to", "Sold or shared", "Retention"],
  sensitive: " (sensitive)",
  none: "None",
  soldShared: (sold, shared) =>
    sold || shared ? [sold && "Sold", shared && "Shared"].filter(Boolean).join(", ") : "Neither sold nor shared",
  youHaveTheRight: "You have the right:",
  ccpaRight: (r, article) => `${RIGHT_INFO[r].text.replace(/^to /, "To ")} (${article}).`,
  ccpaAgent: (signed) => `You may use an authorized agent${signed ? ", who must give us your signed permission" : ""}.`,
  nonDiscrimination:
    "We do not discriminate against you for exercising your rights: we do not deny you goods or services, charge " +
    "different prices or give a different quality of service because you did (Cal. Civ. Code 1798.125).",
  doNotSell: "Do Not Sell or Share My Personal Information",
  limitSensitive: "Limit the Use of My Sensitive Personal Information",

  usStateRights: (rights, answer) =>
    `If you live there, you may ask us: ${rights.map((x) => RIGHT_INFO[x].name.toLowerCase()).join(", ")}. ${answer}.`,
  appeal: (within, extension, to) =>
    "If we decline to act on your request, you may appeal our decision through the same channels. We answer an " +
    `appeal within ` +
    (`${formatRule(within)}` +
      `${extension ? ` (extendable by ${formatRule(extension)})` : ""}. If ` +
      `we deny the appeal, you `) +
    `may complain to ${to}.`,
  otherLawRights: (rights, answer, extendable) =>
    `You may ask us: ${rights.map((x) => RIGHT_INFO[x].name.toLowerCase()).join(", ")}. ${answer}` +
    `${extendable ? "" : "; this deadline cannot be extended"}.`,
  complainTo: (a) => `You may complain to ${a}.`,

  mapHeading: "Where your data goes",
  mapLead:
    "Each purpose, the recipients it shares data with, and the countries they are in, as this notice states them.",
  mapTitle: (org) => `Where ${org} sends personal data`,
  map: {
    desc: (n) =>
      `${n.systems} systems, ${n.purposes} purposes, ${n.recipients} recipients in ${n.countries} countries; ` +
      `${n.transfers} transfers out of the EEA.`,
    kinds: { system: "system", dataset: "dataset", purpose: "purpose", recipient: "recipient", country: "country" },
    eea: "EEA",
    outsideEea: "outside the EEA",
  },
  versions: {
    title: "Versions of the privacy notice",
    version: "Version",
    effective: "Effective",
    published: "Published",
    current: "(current)",
  },
  earlierVersion: "This is an earlier version of the notice.",
  readCurrent: "Read the current notice",
};

/**
 * The keys under which a declaration may reword the notice's fixed texts: `notice.field.kept`,
 * `notice.cookiesChange`.
 */
export function noticeTextKeys(): string[] {
  const keys: string[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (typeof v === "string" && path.length && path[0] !== "lang") keys.push(["notice", ...path].join("."));
    else if (v && typeof v === "object" && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(EN, []);
  return keys;
}

/**
 * The words with the declaration's rewordings of fixed texts (`texts.de["notice.field.kept"]`) put in; the sentences
 * built around facts are Pledge's, so that a reworded label cannot change what a sentence states.
 */
export function withOverrides(words: NoticeWords, texts: Record<string, string> | undefined): NoticeWords {
  const own = Object.entries(texts ?? {}).filter(([k]) => k.startsWith("notice."));
  if (!own.length) return words;
  const out = { ...words } as Record<string, unknown>;
  for (const [key, text] of own) {
    const path = key.split(".").slice(1);
    let node: Record<string, unknown> | undefined = out;
    for (const part of path.slice(0, -1)) {
      const next: unknown = node[part];
      if (!next || typeof next !== "object" || Array.isArray(next)) {
        node = undefined;
        break;
      }
      node[part] = { ...(next as Record<string, unknown>) };
      node = node[part] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (node && typeof node[last] === "string" && last !== "lang") node[last] = text;
  }
  return out as unknown as NoticeWords;
}
