/**
 * The notice's words in German. Each entry says what the English one says (words.ts); names of US statutes and of
 * foreign authorities stay in their own language, as German notices cite them.
 */
import {
  type DeadlineRule,
  type ExtensionReason,
  NOTICE_ITEMS,
  type NoticeItemId,
  REGIMES,
  RIGHT_INFO,
  type RegimeId,
  type RightName,
} from "../declaration/index.js";
import {
  attorneyGeneralState,
  durationParts,
  joinLast,
  type LawWords,
  type NoticeWords,
  RULE_UNIT,
  rewriteGdprCites,
  type WordUnit,
} from "./words.js";

const UNITS: Record<WordUnit, [one: string, many: string, manyDative: string]> = {
  minute: ["Minute", "Minuten", "Minuten"],
  hour: ["Stunde", "Stunden", "Stunden"],
  day: ["Tag", "Tage", "Tagen"],
  week: ["Woche", "Wochen", "Wochen"],
  month: ["Monat", "Monate", "Monaten"],
  year: ["Jahr", "Jahre", "Jahren"],
  business_day: ["Werktag", "Werktage", "Werktagen"],
};
const SESSION = "Sitzung";
const amountOf = (amount: number, unit: WordUnit, grammaticalCase: "acc" | "dat" = "acc") =>
  `${amount} ${amount === 1 ? UNITS[unit][0] : UNITS[unit][grammaticalCase === "dat" ? 2 : 1]}`;
const clock = (r: DeadlineRule, c: "acc" | "dat" = "acc") => amountOf(r.amount, RULE_UNIT[r.unit], c);

const ITEM_TITLES: Record<NoticeItemId, string> = {
  controller: "Wer wir sind",
  dpo: "Datenschutzbeauftragter",
  representative: "Unsere Vertreter",
  purposes: "Was wir erheben, wozu und auf welcher Rechtsgrundlage",
  recipients: "Wer Ihre Daten erhält",
  transfers: "Übermittlungen außerhalb des EWR",
  retention: "Wie lange wir Ihre Daten speichern",
  rights: "Ihre Rechte",
  automated: "Automatisierte Entscheidungen",
  cookies: "Cookies und Ihre Wahl",
  newsletters: "Newsletter",
  ccpa: "Hinweis bei der Erhebung für Einwohner Kaliforniens",
  us_states: "Einwohner anderer US-Bundesstaaten",
  other_laws: "Einwohner Kanadas, Québecs, Brasiliens und der Schweiz",
  children: "Kinder",
  processing: "Daten, die wir für unsere Kunden verarbeiten",
  governance: "Vertraulichkeit, behördliche Anfragen und Datenpannen",
  security: "Wie wir Ihre Daten schützen",
  changes: "Änderungen dieser Erklärung",
};

const RIGHTS: Record<RightName, [name: string, text: string]> = {
  access: [
    "Auskunft",
    "zu erfahren, ob wir Ihre Daten verarbeiten, und eine Kopie davon mit " +
      "den Einzelheiten ihrer Verarbeitung zu erhalten",
  ],
  rectification: ["Berichtigung", "unrichtige oder unvollständige Daten berichtigen zu lassen"],
  erasure: ["Löschung", "Ihre Daten löschen zu lassen, wenn es keinen Grund gibt, sie aufzubewahren"],
  restriction: ["Einschränkung", "die Verarbeitung Ihrer Daten sperren oder einschränken zu lassen"],
  portability: [
    "Datenübertragbarkeit",
    "die Daten, die Sie uns gegeben haben, in einem strukturierten, gängigen und maschinenlesbaren Format zu erhalten",
  ],
  objection: [
    "Widerspruch",
    "einer Verarbeitung auf Grundlage berechtigter Interessen zu widersprechen, und der Direktwerbung jederzeit",
  ],
  automated_decision: [
    "Automatisierte Entscheidungen",
    "keiner ausschließlich automatisierten Entscheidung unterworfen zu werden, die Sie erheblich beeinträchtigt",
  ],
  withdraw_consent: [
    "Widerruf der Einwilligung",
    "eine Einwilligung jederzeit zu widerrufen, ohne dass die Verarbeitung bis zum Widerruf berührt wird",
  ],
  complaint: ["Beschwerde", "sich bei einer Aufsichtsbehörde zu beschweren"],
  opt_out_marketing: ["Abmeldung von Werbung", "Werbenachrichten jederzeit abzubestellen"],
  opt_out_sale: [
    "Widerspruch gegen Verkauf oder Weitergabe",
    "dem Verkauf oder der Weitergabe Ihrer personenbezogenen Daten zu widersprechen",
  ],
  limit_sensitive: [
    "Begrenzung sensibler Daten",
    "die Verwendung Ihrer sensiblen personenbezogenen Daten zu begrenzen",
  ],
  opt_out_targeted_advertising: [
    "Widerspruch gegen gezielte Werbung",
    "der Verarbeitung Ihrer personenbezogenen Daten für gezielte Werbung zu widersprechen",
  ],
  opt_out_profiling: [
    "Widerspruch gegen Profiling",
    "einem Profiling zu widersprechen, das Entscheidungen mit rechtlicher oder ähnlich erheblicher Wirkung für Sie " +
      "dient",
  ],
};

const BASES: Record<string, string> = {
  consent: "Einwilligung",
  contract: "Erfüllung eines Vertrags",
  legal_obligation: "Rechtliche Verpflichtung",
  vital_interests: "Lebenswichtige Interessen",
  public_task: "Öffentliche Aufgabe",
  legitimate_interests: "Berechtigte Interessen",
};

const ART9: Record<string, string> = {
  explicit_consent: "ausdrücklicher Einwilligung (Art. 9 Abs. 2 lit. a DSGVO)",
  employment_social_security: "dem Arbeits- und Sozialrecht (Art. 9 Abs. 2 lit. b DSGVO)",
  vital_interests: "lebenswichtigen Interessen (Art. 9 Abs. 2 lit. c DSGVO)",
  not_for_profit_body: "den Mitgliedern einer Organisation ohne Gewinnerzielungsabsicht (Art. 9 Abs. 2 lit. d DSGVO)",
  made_public_by_subject: "von der Person selbst öffentlich gemachten Daten (Art. 9 Abs. 2 lit. e DSGVO)",
  legal_claims: "Rechtsansprüchen (Art. 9 Abs. 2 lit. f DSGVO)",
  substantial_public_interest: "einem erheblichen öffentlichen Interesse (Art. 9 Abs. 2 lit. g DSGVO)",
  health_or_social_care: "der Gesundheits- oder Sozialversorgung (Art. 9 Abs. 2 lit. h DSGVO)",
  public_health: "der öffentlichen Gesundheit (Art. 9 Abs. 2 lit. i DSGVO)",
  archiving_research_statistics: "Archiv-, Forschungs- oder statistischen Zwecken (Art. 9 Abs. 2 lit. j DSGVO)",
};

const MECHANISMS: Record<string, string> = {
  adequacy: "ein Angemessenheitsbeschluss",
  dpf: "das EU-US Data Privacy Framework",
  uk_us_data_bridge: "die UK-US-Datenbrücke",
  scc_2021: "die Standardvertragsklauseln von 2021",
  uk_idta: "das britische International Data Transfer Agreement",
  uk_addendum: "das britische Addendum zu den EU-Standardvertragsklauseln",
  bcr: "verbindliche interne Datenschutzvorschriften",
  code_of_conduct: "genehmigte Verhaltensregeln mit verbindlichen Verpflichtungen des Empfängers",
  certification: "eine genehmigte Zertifizierung mit verbindlichen Verpflichtungen des Empfängers",
  art49_explicit_consent: "die ausdrückliche Einwilligung der Person (Ausnahme nach Art. 49 DSGVO)",
  art49_contract: "die Erfüllung eines Vertrags (Ausnahme nach Art. 49 DSGVO)",
  art49_public_interest: "wichtige Gründe des öffentlichen Interesses (Ausnahme nach Art. 49 DSGVO)",
  art49_legal_claims: "Rechtsansprüche (Ausnahme nach Art. 49 DSGVO)",
  art49_vital_interests: "lebenswichtige Interessen (Ausnahme nach Art. 49 DSGVO)",
  art49_public_register: "ein öffentliches Register (Ausnahme nach Art. 49 DSGVO)",
  art49_compelling_interest: "zwingende berechtigte Interessen (Ausnahme nach Art. 49 DSGVO)",
  safe_harbor: "das US-EU Safe Harbor",
  privacy_shield: "der EU-US Privacy Shield",
  scc_pre2021: "die Standardvertragsklauseln aus der Zeit vor 2021",
};

const REGIME_NAMES: Partial<Record<RegimeId, [name: string, dative: string]>> = {
  gdpr: ["DSGVO", "der DSGVO"],
  uk_gdpr: ["UK GDPR", "der UK GDPR"],
  ccpa: ["CCPA/CPRA", "dem CCPA/CPRA"],
  nhpa: ["Datenschutzgesetz von New Hampshire", "dem Datenschutzgesetz von New Hampshire"],
  lgpd: ["LGPD (Brasilien)", "der LGPD"],
  pipeda: ["PIPEDA (Kanada)", "dem PIPEDA"],
  quebec: ["Québecer Datenschutzgesetz für den Privatsektor (Gesetz 25)", "dem Québecer Gesetz 25"],
  fadp: ["Schweizer Datenschutzgesetz (DSG)", "dem DSG"],
  appi: ["APPI (Japan)", "dem japanischen APPI"],
  pipa_kr: ["PIPA (Südkorea)", "dem koreanischen PIPA"],
  pdpa_sg: ["PDPA (Singapur)", "dem PDPA von Singapur"],
  privacy_au: ["Privacy Act (Australien)", "dem australischen Privacy Act"],
  privacy_nz: ["Privacy Act (Neuseeland)", "dem neuseeländischen Privacy Act"],
  dpdp: ["DPDP Act (Indien)", "dem indischen DPDP Act"],
  pipl: ["PIPL (China)", "dem chinesischen PIPL"],
  popia: ["POPIA (Südafrika)", "dem südafrikanischen POPIA"],
  kvkk: ["KVKK (Türkei)", "dem türkischen KVKK"],
  pdpa_th: ["PDPA (Thailand)", "dem thailändischen PDPA"],
  dpa_ph: ["Data Privacy Act (Philippinen)", "dem philippinischen Data Privacy Act"],
  lfpdppp: ["LFPDPPP (Mexiko)", "dem mexikanischen LFPDPPP"],
  pdpa_ar: ["Gesetz 25.326 (Argentinien)", "dem argentinischen Gesetz 25.326"],
};
const regimeName = (id: RegimeId) => REGIME_NAMES[id]?.[0] ?? REGIMES[id].name;
const regimeDative = (id: RegimeId) => REGIME_NAMES[id]?.[1] ?? `dem ${REGIMES[id].name}`;

/** Where to complain, as the object of "bei …" (dative). */
const COMPLAINT_TO: Partial<Record<RegimeId, string>> = {
  ccpa: "der California Privacy Protection Agency oder dem California Attorney General",
  lgpd: "der nationalen Datenschutzbehörde ANPD (Art. 18 § 1 LGPD)",
  pipeda: "dem Office of the Privacy Commissioner of Canada (PIPEDA s 11)",
  quebec: "der Commission d’accès à l’information du Québec (Art. 42)",
  fadp: "dem Eidgenössischen Datenschutz- und Öffentlichkeitsbeauftragten (EDÖB)",
  appi: "der japanischen Personal Information Protection Commission (PPC)",
  pipa_kr: "der koreanischen Personal Information Protection Commission (PIPC)",
  pdpa_sg: "der Personal Data Protection Commission (PDPC) von Singapur",
  privacy_au: "dem Office of the Australian Information Commissioner (OAIC)",
  privacy_nz: "dem Privacy Commissioner von Neuseeland",
  dpdp: "dem Data Protection Board of India",
  pipl: "den chinesischen Behörden für den Schutz personenbezogener Informationen",
  popia: "dem Information Regulator von Südafrika",
  kvkk: "der türkischen Datenschutzbehörde (KVKK)",
  pdpa_th: "dem Personal Data Protection Committee von Thailand",
  dpa_ph: "der National Privacy Commission der Philippinen",
  lfpdppp: "der Secretaría Anticorrupción y Buen Gobierno (Mexiko)",
  pdpa_ar: "der argentinischen Agentur für den Zugang zu öffentlichen Informationen (AAIP)",
};
function complaintTo(id: RegimeId): string {
  if (COMPLAINT_TO[id]) return COMPLAINT_TO[id];
  const state = attorneyGeneralState(id);
  return state ? `dem Attorney General von ${state}` : REGIMES[id].complaintTo;
}

/** `GDPR Art 6(1)(a)` → `Art. 6 Abs. 1 lit. a DSGVO`. */
function cite(article: string): string {
  return rewriteGdprCites(
    article,
    (uk, n, abs, lit) =>
      `Art. ${n}${abs ? ` Abs. ${abs}` : ""}${lit ? ` lit. ${lit}` : ""} ${uk ? "UK GDPR" : "DSGVO"}`,
  );
}

const oder = (items: string[]) => joinLast(items, "oder");
const und = (items: string[]) => joinLast(items, "und");

/** "every …" for a period of one unit. */
const EVERY = { day: "täglich", week: "wöchentlich", month: "monatlich", year: "jährlich" };

const NOTIFIED = { rectification: "Berichtigung", erasure: "Löschung", restriction: "Einschränkung" };

const LAW_WORDS_DE: Record<LawWords, string> = {
  "without delay": "unverzüglich",
  "within a reasonable period": "innerhalb einer angemessenen Frist",
  promptly: "umgehend",
};

const GROUNDS_DE: Record<ExtensionReason, string> = {
  complex_or_many: "ist eine Anfrage komplex oder erhalten wir viele",
  complexity_and_number: "ist es angesichts der Komplexität und Zahl der Anfragen vernünftigerweise erforderlich",
  reasonably_necessary: "ist es vernünftigerweise erforderlich",
  pipeda:
    "würde die Frist unsere Tätigkeit unzumutbar beeinträchtigen oder müssen wir andere konsultieren oder die Daten " +
    "umwandeln",
  date_given: "",
};

export const DE: NoticeWords = {
  lang: "de",
  duration(text, c = "acc") {
    const parts = durationParts(text);
    if (parts === "session") return SESSION;
    return parts ? amountOf(parts.amount, parts.unit, c) : text;
  },
  clock,
  cite,
  quote: (t) => `„${t}“`,
  colon: ": ",

  title: (org) => `Datenschutzerklärung — ${org}`,
  versionLine: (v, e) => `Version ${v}, gültig ab ${e}`,
  sectionsLabel: "Abschnitte dieser Erklärung",
  itemTitle: (id) => ITEM_TITLES[id] ?? NOTICE_ITEMS.find((i) => i.id === id)?.title ?? id,
  rightsTitle: (eu) => (eu ? "Ihre Rechte" : "Ihre Wahlmöglichkeiten und Anfragen"),
  representativesTitle: (eu, uk) =>
    eu && uk
      ? "Unsere Vertreter in der EU und im Vereinigten Königreich"
      : uk
        ? "Unser Vertreter im Vereinigten Königreich"
        : "Unser Vertreter in der EU",

  place: { public: "Öffentlichkeit", otherUsers: "Andere Nutzer des Dienstes" },
  contact: { address: "Anschrift: ", email: "E-Mail: ", phone: "Telefon: ", fax: "Fax: ", web: "Web: " },
  source: {
    subject: "Sie geben sie uns",
    observed: "wir erfassen sie automatisch, wenn Sie unsere Dienste nutzen",
    third_party: "wir erhalten sie von Dritten",
    public: "öffentlich zugängliche Quellen",
  },
  retentionFrom: {
    collection: "ab der Erhebung",
    last_activity: "nach der letzten Aktivität",
    account_closure: "nach Schließung des Kontos",
    end_of_contract: "nach Ende des Vertrags",
    system_obsolescence: "nachdem das System außer Betrieb genommen ist",
    unconfirmed_signup: "nachdem eine Anmeldung unbestätigt geblieben ist",
    loss_of_interest: "nachdem feststeht, dass die Person kein Interesse mehr hat",
    session_end: "nach Ende der Sitzung",
    use_completed: "nach Abschluss der Verwendung, für die sie erhoben wurden",
    membership_end: "nach Ende der Mitgliedschaft",
    subscription_end: "nach Ende des Abonnements",
  },
  retentionWhile: {
    account_closure: "solange das Konto besteht",
    end_of_contract: "solange der Vertrag läuft",
    membership_end: "solange die Mitgliedschaft besteht",
    subscription_end: "solange das Abonnement läuft",
  },
  retentionAction: {
    delete: "danach gelöscht",
    deidentify: "danach anonymisiert",
    block: "danach für jede weitere Verwendung gesperrt",
  },
  keptIndefinitely: { brief: "unbefristet gespeichert", full: "Unbefristet gespeichert" },
  retentionSentence({ period, from, action }) {
    const whileText = this.retentionWhile[from];
    return whileText
      ? `Gespeichert, ${whileText}, und ${period} ${this.retentionFrom[from]}; ${this.retentionAction[action]}`
      : `${period}${/^(nachdem|solange)/.test(this.retentionFrom[from]) ? "," : ""} ${this.retentionFrom[from]}, ` +
          this.retentionAction[action];
  },
  appliesTo: (j) => ` (gilt für ${j.join(", ")})`,
  exceptions: (l) => `. Ausnahmen: ${l.join("; ")}`,
  upTo: (d) => ` (bis zu ${d})`,
  blockedFromOtherUse: " — für jede andere Verwendung gesperrt",
  noRetentionStated: "Keine Speicherdauer angegeben",

  requirement: {
    statutory: "Gesetzlich vorgeschrieben",
    contractual: "Vertraglich vorgeschrieben",
    contract_prerequisite: "Für einen Vertragsabschluss mit uns erforderlich",
    voluntary: "Freiwillig",
  },
  ifYouDoNot: (c) => `. Wenn Sie sie nicht angeben: ${c}`,
  field: {
    legalBasis: "Rechtsgrundlage",
    legalBases: "Rechtsgrundlagen",
    notStated: "Nicht angegeben",
    specialCategories: "Besondere Kategorien",
    data: "Daten",
    about: "Betroffene",
    source: "Herkunft",
    mustProvide: "Müssen Sie sie angeben?",
    sharedWith: "Weitergegeben an",
    kept: "Speicherdauer",
    directMarketing: "Direktwerbung",
    onlyFor: "Nur für",
    notFor: "Nicht für",
    channels: "Kanäle",
    withdrawConsent: "Einwilligung widerrufen",
    automatedDecision: "Automatisierte Entscheidung",
    soldOrShared: "Verkauft oder weitergegeben",
    targetedAdvertising: "Für gezielte Werbung verwendet",
    profiling: "Für Profiling mit erheblicher Wirkung verwendet",
    forWhom: "Für",
    whatWeDo: "Was wir tun",
    where: "Wo",
    subProcessors: "Unterauftragsverarbeiter",
  },
  yes: "Ja",
  processedUnder: (c) => `Verarbeitet auf Grundlage von ${c}`,
  basisFor: (s) => `, für ${s}`,
  mayObjectMarketing: "Sie können jederzeit widersprechen, und wir hören damit auf",
  sold: "verkauft",
  sharedForAds: "für kontextübergreifende Werbung weitergegeben",
  channel: { email: "E-Mail", phone: "Telefon", post: "Post", sms: "SMS", web: "Web" },

  basisName: (b) => BASES[b] ?? b,
  art9: (c) => ART9[c] ?? c,
  mechanism: (m) => MECHANISMS[m] ?? m,
  adequacy: (scope) => `ein Angemessenheitsbeschluss${scope ? ` (für ${scope})` : ""}`,
  rightName: (r) => RIGHTS[r][0],
  rightText: (r) => RIGHTS[r][1],
  regimeName,
  complaintTo,

  controllerIs: (named, alsoProcessor) =>
    `${named} ist der Verantwortliche für die in dieser Erklärung beschriebenen personenbezogenen Daten.` +
    (alsoProcessor
      ? " Für Daten, die wir im Auftrag unserer Kunden verarbeiten, ist der Kunde der Verantwortliche."
      : ""),
  processorFor: (named) =>
    `${named} verarbeitet personenbezogene Daten im Auftrag seiner Kunden, als Auftragsverarbeiter. Jeder Kunde ist ` +
    ("der Verantwortliche für seine Daten: Eine Anfrage zu diesen Daten " +
      "richtet sich an den Kunden, und wir helfen ihm, ") +
    "sie zu beantworten.",
  jointControllers: "Über einen Teil dieser Verarbeitung entscheiden wir gemeinsam mit gemeinsam Verantwortlichen:",
  responsibleFor: (w) => `Zuständig für: ${w}`,
  disputeResolution: (free) =>
    "Wird ein Anliegen nicht gelöst, können Sie sich an unsere Streitbeilegungsstelle wenden" +
    `${free ? " (kostenlos)" : ""}:`,
  certifications: (l) => `Zertifizierungen: ${l.join(", ")}.`,
  dpoLead: "Sie erreichen unseren Datenschutzbeauftragten unter:",
  euRepresentative: "Unser Vertreter in der Europäischen Union (Art. 27 DSGVO):",
  ukRepresentative: "Unser Vertreter im Vereinigten Königreich (Art. 27 UK GDPR):",

  recipientsHead: ["Empfänger", "Rolle", "Wo", "Warum"],
  recipientRole: (r) =>
    ({
      processor: "Auftragsverarbeiter",
      sub_processor: "Unterauftragsverarbeiter",
      controller: "Verantwortlicher",
      joint_controller: "gemeinsam Verantwortlicher",
      public_authority: "Behörde",
      third_party: "Dritter",
      group_company: "Konzernunternehmen",
    })[r] ?? r.replace(/_/g, " "),
  publicAuthorities: (p) => `Behörden: ${p}`,
  noneStated: "Keine angegeben",
  transfersLead: "Ihre Daten werden wie folgt außerhalb des Europäischen Wirtschaftsraums übermittelt.",
  transfersCopy: "Sie können eine Kopie der Garantien bei uns anfordern.",
  supplementaryMeasures: (l) => `Zusätzliche Maßnahmen: ${l.join("; ")}.`,
  backups: (system, period, description) =>
    `Sicherungskopien von ${system} enthalten Daten bis zu ${period}, nachdem sie im System gelöscht wurden` +
    `${description ? ` (${description.replace(/\.$/, "")})` : ""}.`,
  minimisationLead: "Diese Daten verringern wir, bevor wir sie speichern:",
  transfersHead: ["Wer", "Land", "Garantie", "Hinweise"],
  retentionHead: ["Daten", "Für", "Wie lange wir sie speichern"],
  noAutomatedDecisionFor: (p) =>
    `${p}: keine ausschließlich auf einer automatisierten Verarbeitung – einschließlich Profiling – beruhende ` +
    "Entscheidung, die Ihnen gegenüber rechtliche Wirkung entfaltet oder Sie in ähnlicher Weise erheblich " +
    "beeinträchtigt.",

  cookiesOnlyNeeded: "Wir verwenden nur Cookies, die für den Dienst notwendig sind.",
  cookiesOnByDefault: (names) =>
    `${und(names)} ${names.length === 1 ? "ist" : "sind"} aktiv, solange ` +
    `Sie ${names.length === 1 ? "es" : "sie"} nicht ` +
    "ausschalten; andere nicht notwendige Cookies werden erst gesetzt, nachdem Sie eingewilligt haben.",
  cookiesOptIn: "Nicht notwendige Cookies werden erst gesetzt, nachdem Sie eingewilligt haben.",
  cookiesChange: "Sie können Ihre Wahl jederzeit ändern.",
  cookiesValidity: (d) => ` Ihre Wahl gilt ${d}; danach fragen wir erneut.`,
  cookiesHead: ["Kategorie", "Wozu", "Dienste und Cookies", "Voreinstellung"],
  cookieDefault: { always: "Immer aktiv", on: "Aktiv", off: "Aus, bis Sie einwilligen" },
  gpc:
    "Wir beachten Global Privacy Control: Ein Browser, der dieses Signal sendet, wird von Verkauf, Weitergabe und " +
    "Marketing-Cookies ausgenommen.",
  dnt:
    "Wir beachten Do Not Track: Ein Browser, der dieses Signal sendet, " +
    "gilt als Ablehnung nicht notwendiger Cookies.",

  noDoubleOptIn: "Die Anmeldung wirkt sofort, ohne Bestätigungs-E-Mail.",
  doubleOptIn: (confirmWithin, deleteAfter) =>
    "Wir verwenden das Double-Opt-in-Verfahren: Nach Ihrer Anmeldung senden wir Ihnen einen Link zur Bestätigung." +
    (confirmWithin
      ? ` Bestätigen Sie nicht innerhalb von ${confirmWithin}, wird Ihre Anmeldung gesperrt` +
        (deleteAfter ? ` und nach ${deleteAfter} gelöscht` : "") +
        "."
      : ""),
  doubleOptInProof: (proof) =>
    `Als Nachweis speichern wir ${und(
      proof.map(
        (x) =>
          ({
            time: "den Zeitpunkt Ihrer Anmeldung und Bestätigung",
            ip_address: "die IP-Adresse, von der sie kamen",
            confirmation_text: "den Text der Bestätigungs-E-Mail",
          })[x],
      ),
    )}.`,
  newsletterRequired: (f) => `Pflichtangaben: ${f.join(", ")}.`,
  newsletterOptional: (f) => `Freiwillig: ${f.join(", ")}.`,
  newsletterUnsubscribe: (w) => `Jederzeit abbestellen: ${w.join("; ")}.`,

  childrenNotDirected: (age) => `Unsere Dienste richten sich nicht an Kinder unter ${age} Jahren.`,
  parentalConsent: (age) => `Für Kinder unter ${age} Jahren willigt ein Elternteil oder Vormund ein.`,
  noSaleUnder16: "Wir verkaufen oder teilen keine personenbezogenen Daten von Personen unter 16 Jahren.",

  staffAccess: "Zugriff durch Mitarbeitende",
  except: (w) => ` (außer ${w})`,
  staffPurposesLead:
    "Mitarbeitende greifen nur zu diesen Zwecken darauf zu, jedes Mal mit der ausdrücklichen Einwilligung des Kunden:",
  exceptionsLead: "Ausnahmen:",
  remoteSessions: (form, retention) =>
    "Keine Fernwartungssitzung auf den Systemen eines Kunden beginnt, bevor der Kunde das Dokument " +
    `${form} unterschrieben hat.` +
    (retention ? ` Aufzeichnungen von Sitzungen werden ${retention} nach ihrer Erstellung vernichtet.` : ""),
  temporaryCopies: (within) =>
    "Vorübergehende Kopien von Kundendaten, die für Wartungsarbeiten angefertigt werden, werden spätestens " +
    `${within} nach ihrer Erstellung gelöscht.`,
  requestsFromAuthorities: "Anfragen von Behörden",
  verifiedRequests: " Jede solche Anfrage wird geprüft, bevor wir ihr nachkommen.",
  transparencyReport: "Unser Transparenzbericht",
  transparencyCounts: " zählt sie jedes Jahr.",
  agreements: "Vereinbarungen",
  includedAutomatically: " (automatisch einbezogen)",
  subProcessorsList: "Die Liste unserer Unterauftragsverarbeiter",
  subProcessorsSentence: ({ subscribe, window, notice }) =>
    " ist veröffentlicht" +
    (subscribe
      ? "; abonnieren Sie sie dort, um zu erfahren, wenn einer hinzukommt oder sich ändert, mit dem Datum, ab " +
        "dem die " +
        "Änderung gilt"
      : "") +
    (notice ? `; über einen neuen Unterauftragsverarbeiter informieren wir Kunden mindestens ${notice} vorher` : "") +
    (window ? `; Kunden können innerhalb von ${window} widersprechen` : "") +
    ".",
  dataBreaches: "Datenpannen",
  mergers: "Fusionen und Übernahmen",
  businessTransfers: (ways) => `Wechselt unser Unternehmen den Inhaber, informieren wir Sie per ${und(ways)}.`,
  assessments(f, owner) {
    const parts = durationParts(f);
    const every =
      typeof parts === "object" && parts.amount === 1 && parts.unit in EVERY
        ? EVERY[parts.unit as keyof typeof EVERY]
        : `alle ${this.duration(f)}`;
    return `Unsere Verfahren werden ${every} überprüft${owner ? ` (${owner})` : ""}.`;
  },

  versionSentence: (v, e) => `Dies ist Version ${v} unserer Erklärung, gültig ab ${e}.`,
  changeNotification: (ways, advance, hedge) =>
    `Bei wesentlichen Änderungen informieren wir Sie per ${ways.join(", ")}` +
    (advance ? `, ${hedge === "generally" ? "in der Regel " : ""}mindestens ${advance} bevor sie wirksam werden` : "") +
    ".",
  earlierVersions: "Frühere Versionen",

  howToAskLead: "Für eine Anfrage erreichen Sie uns über:",
  channelType: (t) =>
    ({
      web: "Web",
      email: "E-Mail",
      phone: "Telefon",
      post: "Post",
      in_app: "in der App",
      support_ticket: "Support-Ticket",
      account: "Ihr Konto",
    })[t],
  verification: (method, description) =>
    "Zum Schutz Ihrer Daten prüfen wir, wer fragt: " +
    {
      email_code: "Wir senden einen Einmalcode an Ihre E-Mail-Adresse",
      account: "Wir bitten Sie, die Anfrage in Ihrem Konto zu bestätigen",
      signed_form: "Wir bitten um ein unterschriebenes Formular",
      id_document: "Wir bitten um einen Identitätsnachweis",
      none: "Eine Prüfung ist nicht nötig",
    }[method] +
    (description ? ` (${description})` : "") +
    ".",
  agents: (signed, description) =>
    `Ein bevollmächtigter Vertreter kann eine Anfrage in Ihrem Namen ` +
    `stellen${signed ? ", mit Ihrer unterschriebenen Vollmacht" : ""}.` +
    (description ? ` ${description}` : ""),
  fee: (kind) =>
    kind === "free"
      ? "Anfragen sind kostenlos."
      : "Anfragen sind kostenlos, sofern sie nicht offenkundig unbegründet oder exzessiv sind.",
  answerTime(a) {
    if ("words" in a.within)
      return `Nach ${regimeDative(a.regime)} antworten wir ${LAW_WORDS_DE[a.within.words]} nach Eingang Ihrer Anfrage`;
    const within = "declared" in a.within ? this.duration(a.within.declared, "dat") : clock(a.within.rule, "dat");
    return (
      `Nach ${regimeDative(a.regime)} antworten wir innerhalb von ${within} nach Eingang Ihrer Anfrage` +
      (a.simplifiedAtOnce
        ? "; eine vereinfachte Antwort erhalten Sie sofort, die vollständige Antwort innerhalb dieser Frist"
        : "") +
      (a.extension
        ? `; ${GROUNDS_DE[a.extensionReason ?? "complex_or_many"]}, können wir diese Frist um bis zu ` +
          `${clock(a.extension)} verlängern und teilen Ihnen die Gründe innerhalb der ursprünglichen Frist mit`
        : a.extensionReason === "date_given"
          ? "; können wir nicht innerhalb dieser Frist antworten, nennen wir Ihnen innerhalb der Frist das Datum " +
            "der Antwort"
          : "") +
      (a.optOut
        ? `; Widersprüche${a.limits ? " und Anträge auf Begrenzung sensibler Daten" : ""} innerhalb von ` +
          `${clock(a.optOut, "dat")}, ohne Verlängerung`
        : "") +
      (a.revocation ? `; ein Widerruf der Einwilligung wirkt innerhalb von ${clock(a.revocation, "dat")}` : "") +
      (a.receipt ? `; den Eingang bestätigen wir innerhalb von ${clock(a.receipt, "dat")}` : "")
    );
  },
  promisedAnswer: (d) => `Wir antworten innerhalb von ${d}.`,

  gdprLead: (regions) =>
    `Wenn Sie sich ` +
    `${oder(regions.map((r) => (r === "gdpr" ? "im Europäischen Wirtschaftsraum" : "im Vereinigten Königreich")))}` +
    ` ` +
    "aufhalten, haben Sie die folgenden Rechte:",
  gdprRight: (r) => `${RIGHTS[r][0]}: das Recht, ${RIGHTS[r][1]} (${cite(RIGHT_INFO[r].article)}).`,
  rightToObject: "Ihr Widerspruchsrecht",
  objectBalancing: (p) =>
    "Sie haben das Recht, aus Gründen, die sich aus Ihrer besonderen Situation ergeben, einer Verarbeitung zu " +
    (`widersprechen, die auf unseren berechtigten Interessen oder einer ` +
      `öffentlichen Aufgabe beruht (${p.join(", ")}); `) +
    "wir beenden sie dann, es sei denn, wir weisen zwingende schutzwürdige Gründe nach, die Ihre Interessen " +
    "überwiegen, oder benötigen die Daten für Rechtsansprüche (Art. 21 Abs. 1 DSGVO).",
  objectMarketing: (p) =>
    `Sie haben das Recht, der Direktwerbung (${p.join(", ")}) jederzeit zu ` +
    `widersprechen; wir beenden sie dann sofort ` +
    "(Art. 21 Abs. 2 und 3 DSGVO).",
  notifyRecipients: (rights) =>
    `Wir teilen den Empfängern Ihrer Daten jede ` +
    `${oder(rights.map((r) => NOTIFIED[r]))}` +
    ` ` +
    "mit (Art. 19 DSGVO).",
  complain: (authority) =>
    `Sie können sich bei einer Aufsichtsbehörde beschweren` +
    `${authority ? `: ${authority}` : ", insbesondere in dem Land, in dem Sie leben oder arbeiten"}` +
    ", und einen gerichtlichen Rechtsbehelf einlegen (Art. 77, 79 DSGVO).",
  withdrawConsent:
    "Soweit wir uns auf Ihre Einwilligung stützen, können Sie sie jederzeit widerrufen; die Rechtmäßigkeit der " +
    "Verarbeitung bis zum Widerruf bleibt davon unberührt (Art. 7 Abs. 3 DSGVO).",
  youMayAsk: "Sie können von uns verlangen:",
  plainRight: (r) => `${RIGHTS[r][0]}: ${RIGHTS[r][1]}.`,

  ccpaLead:
    "Wenn Sie in Kalifornien leben, ist dies unser Hinweis bei der Erhebung und das, was der California Consumer " +
    "Privacy Act von unserer Datenschutzerklärung verlangt.",
  ccpaHead: ["Kategorie", "Zwecke", "Herkunft", "Offengelegt an", "Verkauft oder weitergegeben", "Speicherdauer"],
  sensitive: " (sensibel)",
  none: "Niemand",
  soldShared: (sold, shared) =>
    sold || shared
      ? [sold && "Verkauft", shared && "Weitergegeben"].filter(Boolean).join(", ")
      : "Weder verkauft noch weitergegeben",
  youHaveTheRight: "Sie haben das Recht,",
  ccpaRight: (r, article) => `${RIGHTS[r][1]} (${article}).`,
  ccpaAgent: (signed) =>
    `Sie können einen bevollmächtigten Vertreter beauftragen` +
    `${signed ? ", der uns Ihre unterschriebene Vollmacht vorlegen muss" : ""}` +
    `.`,
  nonDiscrimination:
    "Wir benachteiligen Sie nicht, weil Sie Ihre Rechte ausüben: Wir verweigern Ihnen deshalb keine Waren oder " +
    "Dienstleistungen, verlangen keine anderen Preise und bieten keine andere Qualität (Cal. Civ. Code 1798.125).",
  doNotSell: "Meine personenbezogenen Daten nicht verkaufen oder weitergeben",
  limitSensitive: "Die Verwendung meiner sensiblen personenbezogenen Daten begrenzen",

  usStateRights: (rights, answer) =>
    `Wenn Sie dort leben, können Sie von uns verlangen: ${rights.map((x) => RIGHTS[x][0]).join(", ")}. ${answer}.`,
  appeal: (within, extension, to) =>
    "Lehnen wir Ihre Anfrage ab, können Sie über dieselben Kanäle Einspruch einlegen. Wir antworten auf einen " +
    `Einspruch innerhalb von ${clock(within, "dat")}${extension ? ` (verlängerbar um ${clock(extension)})` : ""}. ` +
    `Weisen wir den Einspruch zurück, können Sie sich bei ${to} beschweren.`,
  otherLawRights: (rights, answer, extendable) =>
    `Sie können von uns verlangen: ${rights.map((x) => RIGHTS[x][0]).join(", ")}. ${answer}` +
    `${extendable ? "" : "; diese Frist kann nicht verlängert werden"}.`,
  complainTo: (a) => `Sie können sich bei ${a} beschweren.`,

  mapHeading: "Wohin Ihre Daten gehen",
  mapLead: "Jeder Zweck, die Empfänger, an die er Daten weitergibt, und deren Länder, wie diese Erklärung sie angibt.",
  mapTitle: (org) => `Wohin ${org} personenbezogene Daten sendet`,
  map: {
    desc: (n) =>
      `${n.systems} Systeme, ${n.purposes} Zwecke, ${n.recipients} Empfänger in ${n.countries} Ländern; ` +
      `${n.transfers} Übermittlungen aus dem EWR.`,
    kinds: { system: "System", dataset: "Datenbestand", purpose: "Zweck", recipient: "Empfänger", country: "Land" },
    eea: "EWR",
    outsideEea: "außerhalb des EWR",
  },
  versions: {
    title: "Versionen der Datenschutzerklärung",
    version: "Version",
    effective: "Gültig ab",
    published: "Veröffentlicht",
    current: "(aktuell)",
  },
  earlierVersion: "Dies ist eine frühere Version der Erklärung.",
  readCurrent: "Die aktuelle Erklärung lesen",
};
