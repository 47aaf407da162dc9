/**
 * The notice's words in French. Each entry says what the English one says (words.ts); names of US statutes and of
 * foreign authorities stay in their own language.
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

const UNITS: Record<WordUnit, [one: string, many: string]> = {
  minute: ["minute", "minutes"],
  hour: ["heure", "heures"],
  day: ["jour", "jours"],
  week: ["semaine", "semaines"],
  month: ["mois", "mois"],
  year: ["an", "ans"],
  business_day: ["jour ouvrable", "jours ouvrables"],
};
const SESSION = "session";
const amountOf = (amount: number, unit: WordUnit) => `${amount} ${UNITS[unit][amount === 1 ? 0 : 1]}`;
const clock = (r: DeadlineRule) => amountOf(r.amount, RULE_UNIT[r.unit]);

const ITEM_TITLES: Record<NoticeItemId, string> = {
  controller: "Qui nous sommes",
  dpo: "Délégué à la protection des données",
  representative: "Nos représentants",
  purposes: "Ce que nous collectons, pourquoi et sur quelle base légale",
  recipients: "Qui reçoit vos données",
  transfers: "Transferts hors de l’EEE",
  retention: "Combien de temps nous conservons vos données",
  rights: "Vos droits",
  automated: "Décisions automatisées",
  cookies: "Cookies et vos choix",
  newsletters: "Lettres d’information",
  ccpa: "Avis lors de la collecte pour les résidents de Californie",
  us_states: "Résidents d’autres États américains",
  other_laws: "Résidents du Canada, du Québec, du Brésil et de Suisse",
  children: "Enfants",
  processing: "Données que nous traitons pour nos clients",
  governance: "Confidentialité, demandes des autorités et violations de données",
  security: "Comment nous protégeons vos données",
  changes: "Modifications de cette politique",
};

const RIGHTS: Record<RightName, [name: string, text: string]> = {
  access: [
    "Accès",
    "de savoir si nous traitons vos données et d’en obtenir une copie, avec les informations sur leur traitement",
  ],
  rectification: ["Rectification", "de faire corriger des données inexactes ou incomplètes"],
  erasure: ["Effacement", "de faire supprimer vos données lorsque rien ne justifie de les conserver"],
  restriction: ["Limitation", "de faire bloquer ou suspendre le traitement de vos données"],
  portability: [
    "Portabilité",
    "de recevoir les données que vous nous avez fournies dans un format structuré, couramment utilisé et lisible " +
      "par machine",
  ],
  objection: [
    "Opposition",
    "de vous opposer à un traitement fondé sur l’intérêt légitime, et à la prospection à tout moment",
  ],
  automated_decision: [
    "Décisions automatisées",
    "de ne pas faire l’objet d’une décision fondée exclusivement sur un traitement automatisé vous affectant de " +
      "manière significative",
  ],
  withdraw_consent: [
    "Retrait du consentement",
    "de retirer votre consentement à tout moment, sans remettre en cause le traitement effectué avant ce retrait",
  ],
  complaint: ["Réclamation", "d’introduire une réclamation auprès d’une autorité de contrôle"],
  opt_out_marketing: ["Refus de la prospection", "de ne plus recevoir de messages de prospection, à tout moment"],
  opt_out_sale: [
    "Opposition à la vente ou au partage",
    "de vous opposer à la vente ou au partage de vos informations personnelles",
  ],
  limit_sensitive: [
    "Limitation des données sensibles",
    "de limiter l’usage de vos informations personnelles sensibles",
  ],
  opt_out_targeted_advertising: [
    "Opposition à la publicité ciblée",
    "de vous opposer au traitement de vos données personnelles à des fins de publicité ciblée",
  ],
  opt_out_profiling: [
    "Opposition au profilage",
    "de vous opposer au profilage servant à des décisions produisant des effets juridiques ou d’une importance " +
      "similaire vous concernant",
  ],
};

const BASES: Record<string, string> = {
  consent: "Consentement",
  contract: "Exécution d’un contrat",
  legal_obligation: "Obligation légale",
  vital_interests: "Intérêts vitaux",
  public_task: "Mission d’intérêt public",
  legitimate_interests: "Intérêts légitimes",
};

const ART9: Record<string, string> = {
  explicit_consent: "le consentement explicite (art. 9, par. 2, point a), du RGPD)",
  employment_social_security: "le droit du travail et de la sécurité sociale (art. 9, par. 2, point b), du RGPD)",
  vital_interests: "les intérêts vitaux (art. 9, par. 2, point c), du RGPD)",
  not_for_profit_body: "les membres d’un organisme à but non lucratif (art. 9, par. 2, point d), du RGPD)",
  made_public_by_subject: "des données rendues publiques par la personne (art. 9, par. 2, point e), du RGPD)",
  legal_claims: "la défense de droits en justice (art. 9, par. 2, point f), du RGPD)",
  substantial_public_interest: "un intérêt public important (art. 9, par. 2, point g), du RGPD)",
  health_or_social_care: "la prise en charge sanitaire ou sociale (art. 9, par. 2, point h), du RGPD)",
  public_health: "la santé publique (art. 9, par. 2, point i), du RGPD)",
  archiving_research_statistics: "l’archivage, la recherche ou les statistiques (art. 9, par. 2, point j), du RGPD)",
};

const MECHANISMS: Record<string, string> = {
  adequacy: "une décision d’adéquation",
  dpf: "le cadre de protection des données UE–États-Unis (Data Privacy Framework)",
  uk_us_data_bridge: "le « data bridge » Royaume-Uni–États-Unis",
  scc_2021: "les clauses contractuelles types de 2021",
  uk_idta: "l’International Data Transfer Agreement du Royaume-Uni",
  uk_addendum: "l’addendum du Royaume-Uni aux clauses contractuelles types de l’UE",
  bcr: "des règles d’entreprise contraignantes",
  code_of_conduct: "un code de conduite approuvé, avec des engagements contraignants de l’importateur",
  certification: "une certification approuvée, avec des engagements contraignants de l’importateur",
  art49_explicit_consent: "le consentement explicite de la personne (dérogation de l’art. 49 du RGPD)",
  art49_contract: "l’exécution d’un contrat (dérogation de l’art. 49 du RGPD)",
  art49_public_interest: "des motifs importants d’intérêt public (dérogation de l’art. 49 du RGPD)",
  art49_legal_claims: "la défense de droits en justice (dérogation de l’art. 49 du RGPD)",
  art49_vital_interests: "les intérêts vitaux (dérogation de l’art. 49 du RGPD)",
  art49_public_register: "un registre public (dérogation de l’art. 49 du RGPD)",
  art49_compelling_interest: "des intérêts légitimes impérieux (dérogation de l’art. 49 du RGPD)",
  safe_harbor: "le Safe Harbor UE–États-Unis",
  privacy_shield: "le Privacy Shield UE–États-Unis",
  scc_pre2021: "les clauses contractuelles types antérieures à 2021",
};

/** Each law's name, and the same after "en vertu". */
const REGIME_NAMES: Partial<Record<RegimeId, [name: string, of: string]>> = {
  gdpr: ["RGPD", "du RGPD"],
  uk_gdpr: ["UK GDPR", "du UK GDPR"],
  ccpa: ["CCPA/CPRA", "du CCPA/CPRA"],
  nhpa: ["Loi du New Hampshire sur la vie privée", "de la loi du New Hampshire sur la vie privée"],
  lgpd: ["LGPD (Brésil)", "de la LGPD"],
  pipeda: ["LPRPDE (Canada)", "de la LPRPDE"],
  quebec: ["Loi 25 du Québec (secteur privé)", "de la Loi 25 du Québec"],
  fadp: ["Loi fédérale suisse sur la protection des données (LPD)", "de la LPD suisse"],
  appi: ["APPI (Japon)", "de l’APPI japonaise"],
  pipa_kr: ["PIPA (Corée du Sud)", "de la PIPA coréenne"],
  pdpa_sg: ["PDPA (Singapour)", "de la PDPA de Singapour"],
  privacy_au: ["Privacy Act (Australie)", "du Privacy Act australien"],
  privacy_nz: ["Privacy Act (Nouvelle-Zélande)", "du Privacy Act néo-zélandais"],
  dpdp: ["DPDP Act (Inde)", "du DPDP Act indien"],
  pipl: ["PIPL (Chine)", "de la PIPL chinoise"],
  popia: ["POPIA (Afrique du Sud)", "de la POPIA sud-africaine"],
  kvkk: ["KVKK (Turquie)", "de la KVKK turque"],
  pdpa_th: ["PDPA (Thaïlande)", "de la PDPA thaïlandaise"],
  dpa_ph: ["Data Privacy Act (Philippines)", "du Data Privacy Act philippin"],
  lfpdppp: ["LFPDPPP (Mexique)", "de la LFPDPPP mexicaine"],
  pdpa_ar: ["Loi 25.326 (Argentine)", "de la loi argentine 25.326"],
};
const regimeName = (id: RegimeId) => REGIME_NAMES[id]?.[0] ?? REGIMES[id].name;
const regimeOf = (id: RegimeId) => REGIME_NAMES[id]?.[1] ?? `du ${REGIMES[id].name}`;

const COMPLAINT_TO: Partial<Record<RegimeId, string>> = {
  ccpa: "la California Privacy Protection Agency ou l’Attorney General de Californie",
  lgpd: "l’Autorité nationale de protection des données (ANPD) (art. 18 § 1 LGPD)",
  pipeda: "le Commissariat à la protection de la vie privée du Canada (LPRPDE, art. 11)",
  quebec: "la Commission d’accès à l’information du Québec (art. 42)",
  fadp: "le Préposé fédéral à la protection des données et à la transparence (PFPDT)",
  appi: "la Personal Information Protection Commission (PPC) du Japon",
  pipa_kr: "la Personal Information Protection Commission (PIPC) de Corée",
  pdpa_sg: "la Personal Data Protection Commission (PDPC) de Singapour",
  privacy_au: "l’Office of the Australian Information Commissioner (OAIC)",
  privacy_nz: "le Privacy Commissioner de Nouvelle-Zélande",
  dpdp: "le Data Protection Board of India",
  pipl: "les autorités chinoises chargées de la protection des informations personnelles",
  popia: "l’Information Regulator d’Afrique du Sud",
  kvkk: "l’Autorité turque de protection des données personnelles (KVKK)",
  pdpa_th: "le Personal Data Protection Committee de Thaïlande",
  dpa_ph: "la National Privacy Commission des Philippines",
  lfpdppp: "la Secretaría Anticorrupción y Buen Gobierno (Mexique)",
  pdpa_ar: "l’Agence d’accès à l’information publique (AAIP) d’Argentine",
};
function complaintTo(id: RegimeId): string {
  if (COMPLAINT_TO[id]) return COMPLAINT_TO[id];
  const state = attorneyGeneralState(id);
  return state ? `l’Attorney General de l’État (${state})` : REGIMES[id].complaintTo;
}

/** `GDPR Art 6(1)(a)` → `art. 6, par. 1, point a), du RGPD`. */
function cite(article: string): string {
  return rewriteGdprCites(
    article,
    (uk, n, par, point) =>
      `art. ${n}${par ? `, par. ${par}` : ""}${point ? `, point ${point})` : ""}${par || point ? "," : ""} ` +
      `du ${uk ? "UK GDPR" : "RGPD"}`,
  );
}

const ou = (items: string[]) => joinLast(items, "ou");
const et = (items: string[]) => joinLast(items, "et");

/** "every …" for a period of one unit. */
const EVERY = { day: "chaque jour", week: "chaque semaine", month: "chaque mois", year: "chaque année" };

const NOTIFIED = { rectification: "rectification", erasure: "effacement", restriction: "limitation" };

const LAW_WORDS_FR: Record<LawWords, string> = {
  "without delay": "sans délai",
  "within a reasonable period": "dans un délai raisonnable",
  promptly: "promptement",
};

const GROUNDS_FR: Record<ExtensionReason, string> = {
  complex_or_many: "si une demande est complexe ou si nous en recevons beaucoup",
  complexity_and_number: "si cela est raisonnablement nécessaire compte tenu de la complexité et du nombre de demandes",
  reasonably_necessary: "si cela est raisonnablement nécessaire",
  pipeda:
    "si respecter le délai entraverait sérieusement nos activités, ou si nous devons consulter des tiers ou " +
    "convertir " +
    "les données",
  date_given: "",
};

export const FR: NoticeWords = {
  lang: "fr",
  duration(text) {
    const parts = durationParts(text);
    if (parts === "session") return SESSION;
    return parts ? amountOf(parts.amount, parts.unit) : text;
  },
  clock,
  cite,
  quote: (t) => `« ${t} »`,
  colon: " : ",

  title: (org) => `Politique de confidentialité — ${org}`,
  versionLine: (v, e) => `Version ${v}, en vigueur le ${e}`,
  sectionsLabel: "Sections de cette politique",
  itemTitle: (id) => ITEM_TITLES[id] ?? NOTICE_ITEMS.find((i) => i.id === id)?.title ?? id,
  rightsTitle: (eu) => (eu ? "Vos droits" : "Vos choix et vos demandes"),
  representativesTitle: (eu, uk) =>
    eu && uk
      ? "Nos représentants dans l’UE et au Royaume-Uni"
      : uk
        ? "Notre représentant au Royaume-Uni"
        : "Notre représentant dans l’UE",

  place: { public: "Public", otherUsers: "Autres utilisateurs du service" },
  contact: { address: "Adresse : ", email: "E-mail : ", phone: "Téléphone : ", fax: "Fax : ", web: "Web : " },
  source: {
    subject: "vous nous les fournissez",
    observed: "nous les enregistrons automatiquement lorsque vous utilisez nos services",
    third_party: "nous les recevons d’un tiers",
    public: "sources accessibles au public",
  },
  retentionFrom: {
    collection: "à compter de la collecte",
    last_activity: "après la dernière activité",
    account_closure: "après la clôture du compte",
    end_of_contract: "après la fin du contrat",
    system_obsolescence: "après la mise hors service du système",
    unconfirmed_signup: "après une inscription restée non confirmée",
    loss_of_interest: "après qu’il est établi que la personne n’est plus intéressée",
    session_end: "après la fin de la session",
    use_completed: "après la fin de l’usage pour lequel elles ont été collectées",
    membership_end: "après la fin de l’adhésion",
    subscription_end: "après la fin de l’abonnement",
  },
  retentionWhile: {
    account_closure: "tant que le compte est ouvert",
    end_of_contract: "tant que le contrat est en cours",
    membership_end: "tant que l’adhésion est en cours",
    subscription_end: "tant que l’abonnement est en cours",
  },
  retentionAction: {
    delete: "puis supprimées",
    deidentify: "puis anonymisées",
    block: "puis bloquées pour tout autre usage",
  },
  keptIndefinitely: { brief: "conservées sans limite de durée", full: "Conservées sans limite de durée" },
  retentionSentence({ period, from, action }) {
    const whileText = this.retentionWhile[from];
    return whileText
      ? `Conservées ${whileText}, puis ${period} ${this.retentionFrom[from]} ; ${this.retentionAction[action]}`
      : `${period} ${this.retentionFrom[from]}, ${this.retentionAction[action]}`;
  },
  appliesTo: (j) => ` (s’applique à : ${j.join(", ")})`,
  exceptions: (l) => `. Exceptions : ${l.join(" ; ")}`,
  upTo: (d) => ` (jusqu’à ${d})`,
  blockedFromOtherUse: " — bloquées pour tout autre usage",
  noRetentionStated: "Aucune durée de conservation indiquée",

  requirement: {
    statutory: "Exigé par la loi",
    contractual: "Exigé par le contrat",
    contract_prerequisite: "Nécessaire pour conclure un contrat avec nous",
    voluntary: "Facultatif",
  },
  ifYouDoNot: (c) => `. À défaut : ${c}`,
  field: {
    legalBasis: "Base légale",
    legalBases: "Bases légales",
    notStated: "Non indiquée",
    specialCategories: "Catégories particulières",
    data: "Données",
    about: "Personnes concernées",
    source: "Origine",
    mustProvide: "Êtes-vous tenu de les fournir ?",
    sharedWith: "Communiquées à",
    kept: "Conservation",
    directMarketing: "Prospection",
    onlyFor: "Uniquement pour",
    notFor: "Sauf pour",
    channels: "Canaux",
    withdrawConsent: "Retirer le consentement",
    automatedDecision: "Décision automatisée",
    soldOrShared: "Vendues ou partagées",
    targetedAdvertising: "Utilisées pour la publicité ciblée",
    profiling: "Utilisées pour un profilage aux effets importants",
    forWhom: "Pour",
    whatWeDo: "Ce que nous faisons",
    where: "Où",
    subProcessors: "Sous-traitants ultérieurs",
  },
  yes: "Oui",
  processedUnder: (c) => `Traitées sur le fondement de ${c}`,
  basisFor: (s) => `, pour ${s}`,
  mayObjectMarketing: "Vous pouvez vous y opposer à tout moment, et nous cessons",
  sold: "vendues",
  sharedForAds: "partagées pour la publicité ciblée entre contextes",
  channel: { email: "e-mail", phone: "téléphone", post: "courrier", sms: "SMS", web: "web" },

  basisName: (b) => BASES[b] ?? b,
  art9: (c) => ART9[c] ?? c,
  mechanism: (m) => MECHANISMS[m] ?? m,
  adequacy: (scope) => `une décision d’adéquation${scope ? ` (pour ${scope})` : ""}`,
  rightName: (r) => RIGHTS[r][0],
  rightText: (r) => RIGHTS[r][1],
  regimeName,
  complaintTo,

  controllerIs: (named, alsoProcessor) =>
    `${named} est le responsable du traitement des données personnelles décrites dans cette politique.` +
    (alsoProcessor
      ? " Pour les données que nous traitons pour le compte de nos clients, le client est le responsable du traitement."
      : ""),
  processorFor: (named) =>
    `${named} traite des données personnelles pour le compte de ses ` +
    `clients, en tant que sous-traitant. Chaque client ` +
    "est responsable du traitement de ses données : une demande concernant ces données s’adresse au client, et nous " +
    "l’aidons à y répondre.",
  jointControllers: "Nous décidons d’une partie de ces traitements avec des responsables conjoints :",
  responsibleFor: (w) => `Chargé de : ${w}`,
  disputeResolution: (free) =>
    `Si une préoccupation n’est pas résolue, vous pouvez contacter notre médiateur${free ? " (gratuitement)" : ""} :`,
  certifications: (l) => `Certifications : ${l.join(", ")}.`,
  dpoLead: "Vous pouvez joindre notre délégué à la protection des données :",
  euRepresentative: "Notre représentant dans l’Union européenne (art. 27 du RGPD) :",
  ukRepresentative: "Notre représentant au Royaume-Uni (art. 27 du UK GDPR) :",

  recipientsHead: ["Destinataire", "Rôle", "Où", "Pourquoi"],
  recipientRole: (r) =>
    ({
      processor: "sous-traitant",
      sub_processor: "sous-traitant ultérieur",
      controller: "responsable du traitement",
      joint_controller: "responsable conjoint",
      public_authority: "autorité publique",
      third_party: "tiers",
      group_company: "société du groupe",
    })[r] ?? r.replace(/_/g, " "),
  publicAuthorities: (p) => `Autorités publiques : ${p}`,
  noneStated: "Aucune indiquée",
  transfersLead: "Vos données sont transférées hors de l’Espace économique européen comme suit.",
  transfersCopy: "Vous pouvez nous demander une copie des garanties.",
  supplementaryMeasures: (l) => `Mesures supplémentaires : ${l.join(" ; ")}.`,
  backups: (system, period, description) =>
    `Les sauvegardes de ${system} conservent les données jusqu’à ${period} après leur suppression du système` +
    `${description ? ` (${description.replace(/\.$/, "")})` : ""}.`,
  minimisationLead: "Nous réduisons ces données avant de les enregistrer :",
  transfersHead: ["Qui", "Pays", "Garantie", "Remarques"],
  retentionHead: ["Données", "Pour", "Durée de conservation"],
  noAutomatedDecisionFor: (p) =>
    `${p} : aucune décision fondée exclusivement sur un traitement automatisé, y compris le profilage, ` +
    "produisant des " +
    "effets juridiques vous concernant ou vous affectant de manière significative de façon similaire.",

  cookiesOnlyNeeded: "Nous n’utilisons que des cookies nécessaires au service.",
  cookiesOnByDefault: (names) =>
    `${et(names)} ${names.length === 1 ? "est activé" : "sont activés"} sauf si vous ` +
    `${names.length === 1 ? "le désactivez" : "les désactivez"} ; les autres cookies non essentiels ne sont déposés ` +
    "qu’après votre accord.",
  cookiesOptIn: "Les cookies non essentiels ne sont déposés qu’après votre accord.",
  cookiesChange: "Vous pouvez modifier vos choix à tout moment.",
  cookiesValidity: (d) => ` Vos choix valent ${d} ; ensuite, nous vous les redemandons.`,
  cookiesHead: ["Catégorie", "À quoi elle sert", "Services et cookies", "Par défaut"],
  cookieDefault: { always: "Toujours actif", on: "Activé", off: "Désactivé jusqu’à votre accord" },
  gpc:
    "Nous respectons le signal Global Privacy Control : un navigateur qui l’envoie est exclu de la vente, du partage " +
    "et des cookies de marketing.",
  dnt:
    "Nous respectons Do Not Track : un navigateur qui l’envoie est traité " +
    "comme ayant refusé les cookies non essentiels.",

  noDoubleOptIn: "L’inscription prend effet immédiatement, sans e-mail de confirmation.",
  doubleOptIn: (confirmWithin, deleteAfter) =>
    "Nous utilisons le double opt-in : après votre inscription, nous vous " +
    "envoyons un lien de confirmation par e-mail." +
    (confirmWithin
      ? ` Si vous ne confirmez pas dans un délai de ${confirmWithin}, votre inscription est bloquée` +
        (deleteAfter ? `, puis supprimée après ${deleteAfter}` : "") +
        "."
      : ""),
  doubleOptInProof: (proof) =>
    `Nous conservons comme preuve ${et(
      proof.map(
        (x) =>
          ({
            time: "l’heure de votre inscription et de votre confirmation",
            ip_address: "l’adresse IP d’où elles proviennent",
            confirmation_text: "le texte de l’e-mail de confirmation",
          })[x],
      ),
    )}.`,
  newsletterRequired: (f) => `Obligatoire : ${f.join(", ")}.`,
  newsletterOptional: (f) => `Facultatif : ${f.join(", ")}.`,
  newsletterUnsubscribe: (w) => `Désinscription à tout moment : ${w.join(" ; ")}.`,

  childrenNotDirected: (age) => `Nos services ne s’adressent pas aux enfants de moins de ${age} ans.`,
  parentalConsent: (age) => `Pour les enfants de moins de ${age} ans, un parent ou tuteur donne son consentement.`,
  noSaleUnder16: "Nous ne vendons ni ne partageons les informations personnelles de personnes de moins de 16 ans.",

  staffAccess: "Accès du personnel",
  except: (w) => ` (sauf ${w})`,
  staffPurposesLead:
    "Le personnel n’y accède que pour ces finalités, chaque fois avec le consentement explicite du client :",
  exceptionsLead: "Exceptions :",
  remoteSessions: (form, retention) =>
    "Aucune session à distance sur les systèmes d’un client ne commence avant que le client ait signé le document " +
    `${form}.` +
    (retention ? ` Les enregistrements des sessions sont détruits ${retention} après leur réalisation.` : ""),
  temporaryCopies: (within) =>
    "Les copies temporaires de données de clients faites pour la maintenance sont purgées au plus tard " +
    `${within} après leur réalisation.`,
  requestsFromAuthorities: "Demandes des autorités",
  verifiedRequests: " Chaque demande de ce type est vérifiée avant que nous y donnions suite.",
  transparencyReport: "Notre rapport de transparence",
  transparencyCounts: " les recense chaque année.",
  agreements: "Accords",
  includedAutomatically: " (inclus automatiquement)",
  subProcessorsList: "La liste de nos sous-traitants ultérieurs",
  subProcessorsSentence: ({ subscribe, window, notice }) =>
    " est publiée" +
    (subscribe
      ? " ; abonnez-vous y pour être informé de tout ajout ou changement, avec sa date de prise d’effet"
      : "") +
    (notice
      ? ` ; nous informons les clients d’un nouveau sous-traitant au moins ${notice} avant de le solliciter`
      : "") +
    (window ? ` ; un client peut s’y opposer dans un délai de ${window}` : "") +
    ".",
  dataBreaches: "Violations de données",
  mergers: "Fusions et acquisitions",
  businessTransfers: (ways) => `Si notre entreprise change de mains, nous vous en informons par ${et(ways)}.`,
  assessments(f, owner) {
    const parts = durationParts(f);
    const every =
      typeof parts === "object" && parts.amount === 1 && parts.unit in EVERY
        ? EVERY[parts.unit as keyof typeof EVERY]
        : `tous les ${this.duration(f)}`;
    return `Nos pratiques sont évaluées ${every}${owner ? ` (${owner})` : ""}.`;
  },

  versionSentence: (v, e) => `Ceci est la version ${v} de notre politique, en vigueur le ${e}.`,
  changeNotification: (ways, advance, hedge) =>
    `En cas de modification importante, nous vous en informons par ${ways.join(", ")}` +
    (advance ? `, ${hedge === "generally" ? "en général " : ""}au moins ${advance} avant son entrée en vigueur` : "") +
    ".",
  earlierVersions: "Versions précédentes",

  howToAskLead: "Pour faire une demande, contactez-nous par :",
  channelType: (t) =>
    ({
      web: "web",
      email: "e-mail",
      phone: "téléphone",
      post: "courrier",
      in_app: "dans l’application",
      support_ticket: "ticket d’assistance",
      account: "votre compte",
    })[t],
  verification: (method, description) =>
    "Pour protéger vos données, nous vérifions qui fait la demande : " +
    {
      email_code: "nous envoyons un code à usage unique à votre adresse e-mail",
      account: "nous vous demandons de confirmer la demande depuis votre compte",
      signed_form: "nous demandons un formulaire signé",
      id_document: "nous demandons une preuve d’identité",
      none: "aucune vérification n’est nécessaire",
    }[method] +
    (description ? ` (${description})` : "") +
    ".",
  agents: (signed, description) =>
    `Un mandataire peut faire une demande en votre nom${signed ? ", avec votre autorisation signée" : ""}.` +
    (description ? ` ${description}` : ""),
  fee: (kind) =>
    kind === "free"
      ? "Les demandes sont gratuites."
      : "Les demandes sont gratuites, sauf si elles sont manifestement infondées ou excessives.",
  answerTime(a) {
    if ("words" in a.within)
      return (
        `En vertu ${regimeOf(a.regime)}, nous répondons ${LAW_WORDS_FR[a.within.words]} après réception de ` +
        "votre demande"
      );
    const within = "declared" in a.within ? this.duration(a.within.declared) : clock(a.within.rule);
    return (
      `En vertu ${regimeOf(a.regime)}, nous répondons dans un délai de ${within} à compter de la réception de votre ` +
      "demande" +
      (a.simplifiedAtOnce ? " ; une réponse simplifiée est donnée aussitôt, la réponse complète dans ce délai" : "") +
      (a.extension
        ? ` ; ${GROUNDS_FR[a.extensionReason ?? "complex_or_many"]}, nous pouvons prolonger ce délai de ` +
          `${clock(a.extension)} au plus, en vous en indiquant les raisons dans le délai initial`
        : a.extensionReason === "date_given"
          ? " ; si nous ne pouvons répondre dans ce délai, nous vous indiquons dans ce délai la date de notre réponse"
          : "") +
      (a.optOut
        ? ` ; les oppositions${a.limits ? " et les demandes de limitation des données sensibles" : ""} dans un ` +
          `délai de ${clock(a.optOut)}, sans prolongation`
        : "") +
      (a.revocation ? ` ; un retrait du consentement prend effet dans un délai de ${clock(a.revocation)}` : "") +
      (a.receipt ? ` ; nous accusons réception dans un délai de ${clock(a.receipt)}` : "")
    );
  },
  promisedAnswer: (d) => `Nous répondons dans un délai de ${d}.`,

  gdprLead: (regions) =>
    `Si vous vous trouvez ` +
    `${ou(regions.map((r) => (r === "gdpr" ? "dans l’Espace économique européen" : "au Royaume-Uni")))}` +
    ", vous disposez des droits suivants :",
  gdprRight: (r) => `${RIGHTS[r][0]} : le droit ${RIGHTS[r][1]} (${cite(RIGHT_INFO[r].article)}).`,
  rightToObject: "Votre droit d’opposition",
  objectBalancing: (p) =>
    "Vous avez le droit de vous opposer, pour des raisons tenant à votre situation particulière, à un traitement " +
    `fondé sur nos intérêts légitimes ou sur une mission d’intérêt public (${p.join(", ")}) ; nous y mettons alors ` +
    "fin, sauf si nous démontrons des motifs légitimes impérieux qui prévalent sur vos intérêts, ou si les données " +
    "sont nécessaires à la défense de droits en justice (art. 21, par. 1, du RGPD).",
  objectMarketing: (p) =>
    `Vous avez le droit de vous opposer à tout moment à la prospection (${p.join(", ")}) ; nous y mettons alors fin ` +
    "immédiatement (art. 21, par. 2 et 3, du RGPD).",
  notifyRecipients: (rights) =>
    "Nous informons les destinataires de vos données de toute " +
    (`${ou(rights.map((r) => NOTIFIED[r]))}` + ` `) +
    "(art. 19 du RGPD).",
  complain: (authority) =>
    `Vous pouvez introduire une réclamation auprès d’une autorité de ` +
    `contrôle` +
    `${authority ? ` : ${authority}` : ", notamment dans le pays où vous vivez ou travaillez"}` +
    ", et former un recours juridictionnel (art. 77 et 79 du RGPD).",
  withdrawConsent:
    "Lorsque nous nous fondons sur votre consentement, vous pouvez le retirer à tout moment ; cela ne remet pas en " +
    "cause le traitement effectué avant ce retrait (art. 7, par. 3, du RGPD).",
  youMayAsk: "Vous pouvez nous demander :",
  plainRight: (r) => `${RIGHTS[r][0]} : ${RIGHTS[r][1]}.`,

  ccpaLead:
    "Si vous vivez en Californie, voici notre avis lors de la collecte et ce que le California Consumer Privacy Act " +
    "exige de notre politique de confidentialité.",
  ccpaHead: ["Catégorie", "Finalités", "Origine", "Communiquées à", "Vendues ou partagées", "Conservation"],
  sensitive: " (sensibles)",
  none: "Aucun",
  soldShared: (sold, shared) =>
    sold || shared ? [sold && "Vendues", shared && "Partagées"].filter(Boolean).join(", ") : "Ni vendues ni partagées",
  youHaveTheRight: "Vous avez le droit :",
  ccpaRight: (r, article) => `${RIGHTS[r][1]} (${article}).`,
  ccpaAgent: (signed) =>
    `Vous pouvez recourir à un mandataire${signed ? ", qui doit nous remettre votre autorisation signée" : ""}.`,
  nonDiscrimination:
    "Nous ne vous discriminons pas parce que vous exercez vos droits : nous ne vous refusons pas de biens ou de " +
    ("services, ne pratiquons pas d’autres prix et n’offrons pas une autre " +
      "qualité de service (Cal. Civ. Code 1798.125)."),
  doNotSell: "Ne pas vendre ni partager mes informations personnelles",
  limitSensitive: "Limiter l’usage de mes informations personnelles sensibles",

  usStateRights: (rights, answer) =>
    `Si vous y vivez, vous pouvez nous demander : ` +
    `${rights.map((x) => RIGHTS[x][0].toLowerCase()).join(", ")}. ${answer}` +
    `.`,
  appeal: (within, extension, to) =>
    "Si nous refusons de donner suite à votre demande, vous pouvez faire appel par les mêmes canaux. Nous " +
    (`répondons à un appel dans un délai de ${clock(within)}` +
      `${extension ? ` (prolongeable de ${clock(extension)})` : ""}. `) +
    `Si nous rejetons l’appel, vous pouvez saisir ${to}.`,
  otherLawRights: (rights, answer, extendable) =>
    `Vous pouvez nous demander : ${rights.map((x) => RIGHTS[x][0].toLowerCase()).join(", ")}. ${answer}` +
    `${extendable ? "" : " ; ce délai ne peut pas être prolongé"}.`,
  complainTo: (a) => `Vous pouvez saisir ${a}.`,

  mapHeading: "Où vont vos données",
  mapLead:
    "Chaque finalité, les destinataires auxquels elle communique des données et leurs pays, tels que cette politique " +
    "les indique.",
  mapTitle: (org) => `Où ${org} envoie des données personnelles`,
  map: {
    desc: (n) =>
      `${n.systems} systèmes, ${n.purposes} finalités, ${n.recipients} destinataires dans ${n.countries} pays ; ` +
      `${n.transfers} transferts hors de l'EEE.`,
    kinds: {
      system: "système",
      dataset: "ensemble de données",
      purpose: "finalité",
      recipient: "destinataire",
      country: "pays",
    },
    eea: "EEE",
    outsideEea: "hors de l'EEE",
  },
  versions: {
    title: "Versions de la politique de confidentialité",
    version: "Version",
    effective: "En vigueur le",
    published: "Publiée le",
    current: "(actuelle)",
  },
  earlierVersion: "Ceci est une version précédente de la politique.",
  readCurrent: "Lire la politique actuelle",
};
