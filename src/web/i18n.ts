/**
 * The languages of the public pages (English, German, French), chosen from Accept-Language or `?lang=`, with texts
 * the declaration may override per language (`texts.de["center.intro"]`). The banner has its own texts
 * (consent/texts.ts); these are the privacy center's and the pages around it.
 */
export const LANGS = ["en", "de", "fr"] as const;
export type Lang = (typeof LANGS)[number];

/** The best of LANGS for an Accept-Language header (`de-DE,de;q=0.9,en;q=0.8`), English when none fits. */
export function negotiateLang(accept: string | undefined, override?: string): Lang {
  if (override && (LANGS as readonly string[]).includes(override)) return override as Lang;
  const ranked = (accept ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().toLowerCase().split("-")[0], q: q ? Number(q) : 1 };
    })
    .filter((x) => x.lang && x.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked.find((x) => (LANGS as readonly string[]).includes(x.lang))?.lang as Lang) ?? "en";
}

const EN = {
  "center.title": "Privacy center",
  "center.intro":
    "Ask {org} about your personal data. We email you a code to confirm it is you: " +
    "to the email address you give, or, if you give another identity, to the email " +
    "address we already hold for it.",
  "center.choose": "What would you like to do?",
  "center.continue": "Continue",
  "center.change": "Choose something else",
  "center.who": "Who are you?",
  "center.knownBy": "We know you by your",
  "center.identity": "Your {identity}",
  "center.contactEmail":
    "Email for updates (only if the identity above is not an email address; the " +
    "code still goes to the address we hold for you)",
  "center.name": "Your name (optional; we use it only to greet you)",
  "center.where": "Where do you live?",
  "center.chooseOption": "Choose…",
  "center.corrections": "What should we correct?",
  "center.correct": "Correct {field}",
  "center.purposes": "Which uses? (none chosen means all that apply)",
  "center.agent": "Asking for someone else?",
  "center.isAgent": "I am an authorized agent acting for the person above",
  "center.agentName": "Your name",
  "center.agentEmail": "Your email",
  "center.authorization": "The signed authorization (PDF or image, up to 5 MB)",
  "center.send": "Send my request",
  "center.fix": "Please fix this:",
  "center.fixMany": "Please fix these:",
  "center.readNotice": "Read our privacy notice",
  "verify.title": "Confirm it is you",
  "verify.sent": "We sent a 6-digit code to {to}. It is valid for 10 minutes.",
  "verify.sentMaybe":
    "If we hold an email address for this {identity}, we have sent a 6-digit code " +
    "to it; it is valid for 10 minutes. If no code arrives, our privacy team will " +
    "verify your identity another way.",
  "verify.code": "Code",
  "verify.confirm": "Confirm",
  "verify.resend": "Send a new code",
  "err.identity": "Give the email address (or other identity) we know you by.",
  "err.jurisdiction": "Choose where you live.",
  "err.contactEmail": "Give a valid email address.",
  "err.corrections": "Give at least one corrected value.",
  "right.access": "Get a copy of my data",
  "right.access.help": "We send you everything we hold about you, with what we do with it.",
  "right.portability": "Take my data elsewhere",
  "right.portability.help": "The data you gave us, in machine-readable files.",
  "right.erasure": "Delete my data",
  "right.erasure.help": "We erase your data everywhere we can, and tell you what the law makes us keep.",
  "right.rectification": "Correct my data",
  "right.rectification.help": "Tell us what is wrong and what it should be.",
  "right.restriction": "Restrict the use of my data",
  "right.restriction.help": "We keep your data but stop using it.",
  "right.objection": "Object to a use of my data",
  "right.objection.help": "Direct marketing stops at once; other uses unless we have compelling grounds.",
  "right.withdraw_consent": "Withdraw my consent",
  "right.withdraw_consent.help": "This does not affect what was done before.",
  "right.opt_out_sale": "Do not sell or share my personal information",
  "right.opt_out_sale.help":
    "We stop selling or sharing your data, and tell those we sold or shared it with. No code is needed.",
  "right.limit_sensitive": "Limit the use of my sensitive personal information",
  "right.limit_sensitive.help": "We use it only as needed to provide what you asked for. No code is needed.",
  "identity.email": "email address",
  "identity.phone": "phone number",
  "identity.account_id": "account number",
  "identity.job_number": "job number",
  "identity.device_id": "device id",
  "purpose.direct_marketing": "direct marketing: stops at once",
  "purpose.balancing": "we stop unless we have compelling grounds",
  "purpose.consent": "withdraw consent",
  "status.title": "Your request",
  "status.status": "Status",
  "status.received": "Received",
  "status.answerBy": "We answer by",
  "status.download": "Download your data (ZIP)",
  "status.until": "available until {date}",
  "status.expired": "Your download has expired. Ask again if you need it.",
  "status.timeline": "Timeline",
  "status.private": "Keep this page's address private: it is the key to your request.",
  "status.delayed":
    "One of our systems is taking longer than usual; we are retrying, and our team is told. You need not do anything.",
  "state.unverified": "Waiting for your code",
  "state.pending_approval": "Waiting for our privacy team to approve it",
  "state.in_progress": "In progress",
  "state.needs_attention": "In progress — our team is handling part of it by hand",
  "state.completed": "Done",
  "state.denied": "Declined",
  "state.appealed": "Appealed — our privacy team is reviewing the decision",
  "state.expired": "Not confirmed in time",
  "error.title": "Something went wrong",
  "error.notFound": "This page does not exist",
  "error.back": "Back to the privacy center",
};
export type TextKey = keyof typeof EN;

const DE: Record<TextKey, string> = {
  "center.title": "Datenschutz-Center",
  "center.intro":
    "Fragen Sie {org} nach Ihren personenbezogenen Daten. Wir senden Ihnen einen " +
    "Code, um zu bestätigen, dass Sie es sind: an die E-Mail-Adresse, die Sie " +
    "angeben, oder – bei einer anderen Kennung – an die E-Mail-Adresse, die wir " +
    "dazu bereits haben.",
  "center.choose": "Was möchten Sie tun?",
  "center.continue": "Weiter",
  "center.change": "Etwas anderes wählen",
  "center.who": "Wer sind Sie?",
  "center.knownBy": "Wir kennen Sie unter Ihrer",
  "center.identity": "Ihre {identity}",
  "center.contactEmail":
    "E-Mail-Adresse für Neuigkeiten (nur wenn die Kennung oben keine " +
    "E-Mail-Adresse ist; der Code geht weiterhin an die Adresse, die wir von Ihnen " +
    "haben)",
  "center.name": "Ihr Name (freiwillig; wir verwenden ihn nur für die Anrede)",
  "center.where": "Wo wohnen Sie?",
  "center.chooseOption": "Bitte wählen…",
  "center.corrections": "Was sollen wir berichtigen?",
  "center.correct": "{field} berichtigen",
  "center.purposes": "Welche Verwendungen? (keine Auswahl bedeutet alle zutreffenden)",
  "center.agent": "Fragen Sie für jemand anderen?",
  "center.isAgent": "Ich bin bevollmächtigt und handle für die oben genannte Person",
  "center.agentName": "Ihr Name",
  "center.agentEmail": "Ihre E-Mail-Adresse",
  "center.authorization": "Die unterschriebene Vollmacht (PDF oder Bild, bis 5 MB)",
  "center.send": "Anfrage senden",
  "center.fix": "Bitte korrigieren Sie:",
  "center.fixMany": "Bitte korrigieren Sie:",
  "center.readNotice": "Unsere Datenschutzerklärung lesen",
  "verify.title": "Bestätigen Sie, dass Sie es sind",
  "verify.sent": "Wir haben einen 6-stelligen Code an {to} gesendet. Er ist 10 Minuten gültig.",
  "verify.sentMaybe":
    "Wenn wir zu dieser {identity} eine E-Mail-Adresse haben, haben wir einen " +
    "6-stelligen Code dorthin gesendet; er ist 10 Minuten gültig. Kommt kein Code " +
    "an, prüft unser Datenschutzteam Ihre Identität auf andere Weise.",
  "verify.code": "Code",
  "verify.confirm": "Bestätigen",
  "verify.resend": "Neuen Code senden",
  "err.identity": "Geben Sie die E-Mail-Adresse (oder andere Kennung) an, unter der wir Sie kennen.",
  "err.jurisdiction": "Wählen Sie, wo Sie wohnen.",
  "err.contactEmail": "Geben Sie eine gültige E-Mail-Adresse an.",
  "err.corrections": "Geben Sie mindestens einen berichtigten Wert an.",
  "right.access": "Eine Kopie meiner Daten erhalten",
  "right.access.help": "Wir senden Ihnen alles, was wir über Sie gespeichert haben, und wofür wir es verwenden.",
  "right.portability": "Meine Daten mitnehmen",
  "right.portability.help": "Die Daten, die Sie uns gegeben haben, in maschinenlesbaren Dateien.",
  "right.erasure": "Meine Daten löschen",
  "right.erasure.help":
    "Wir löschen Ihre Daten überall, wo wir können, und sagen Ihnen, was wir gesetzlich aufbewahren müssen.",
  "right.rectification": "Meine Daten berichtigen",
  "right.rectification.help": "Sagen Sie uns, was falsch ist und wie es richtig lautet.",
  "right.restriction": "Die Verwendung meiner Daten einschränken",
  "right.restriction.help": "Wir bewahren Ihre Daten auf, verwenden sie aber nicht mehr.",
  "right.objection": "Einer Verwendung meiner Daten widersprechen",
  "right.objection.help": "Direktwerbung endet sofort; andere Verwendungen, sofern wir keine zwingenden Gründe haben.",
  "right.withdraw_consent": "Meine Einwilligung widerrufen",
  "right.withdraw_consent.help": "Das berührt nicht, was vorher geschehen ist.",
  "right.opt_out_sale": "Meine personenbezogenen Daten nicht verkaufen oder weitergeben",
  "right.opt_out_sale.help":
    "Wir verkaufen oder teilen Ihre Daten nicht mehr und informieren die Empfänger. Kein Code nötig.",
  "right.limit_sensitive": "Die Verwendung meiner sensiblen Daten begrenzen",
  "right.limit_sensitive.help": "Wir verwenden sie nur, soweit es für das Gewünschte nötig ist. Kein Code nötig.",
  "identity.email": "E-Mail-Adresse",
  "identity.phone": "Telefonnummer",
  "identity.account_id": "Kundennummer",
  "identity.job_number": "Auftragsnummer",
  "identity.device_id": "Gerätekennung",
  "purpose.direct_marketing": "Direktwerbung: endet sofort",
  "purpose.balancing": "wir hören auf, sofern wir keine zwingenden Gründe haben",
  "purpose.consent": "Einwilligung widerrufen",
  "status.title": "Ihre Anfrage",
  "status.status": "Stand",
  "status.received": "Eingegangen",
  "status.answerBy": "Wir antworten bis",
  "status.download": "Ihre Daten herunterladen (ZIP)",
  "status.until": "verfügbar bis {date}",
  "status.expired": "Ihr Download ist abgelaufen. Fragen Sie erneut, wenn Sie ihn brauchen.",
  "status.timeline": "Verlauf",
  "status.private": "Halten Sie die Adresse dieser Seite geheim: Sie ist der Schlüssel zu Ihrer Anfrage.",
  "status.delayed":
    "Eines unserer Systeme braucht länger als üblich; wir versuchen es erneut, und " +
    "unser Team ist informiert. Sie müssen nichts tun.",
  "state.unverified": "Wartet auf Ihren Code",
  "state.pending_approval": "Wartet auf die Freigabe durch unser Datenschutzteam",
  "state.in_progress": "In Bearbeitung",
  "state.needs_attention": "In Bearbeitung – ein Teil wird von unserem Team von Hand erledigt",
  "state.completed": "Erledigt",
  "state.denied": "Abgelehnt",
  "state.appealed": "Widerspruch eingelegt – unser Datenschutzteam prüft die Entscheidung",
  "state.expired": "Nicht rechtzeitig bestätigt",
  "error.title": "Etwas ist schiefgegangen",
  "error.notFound": "Diese Seite gibt es nicht",
  "error.back": "Zurück zum Datenschutz-Center",
};

const FR: Record<TextKey, string> = {
  "center.title": "Centre de confidentialité",
  "center.intro":
    "Interrogez {org} sur vos données personnelles. Nous vous envoyons un code " +
    "pour confirmer que c’est bien vous : à l’adresse e-mail que vous indiquez ou, " +
    "pour un autre identifiant, à l’adresse e-mail que nous avons déjà.",
  "center.choose": "Que souhaitez-vous faire ?",
  "center.continue": "Continuer",
  "center.change": "Choisir autre chose",
  "center.who": "Qui êtes-vous ?",
  "center.knownBy": "Nous vous connaissons par votre",
  "center.identity": "Votre {identity}",
  "center.contactEmail":
    "E-mail pour le suivi (seulement si l’identifiant ci-dessus n’est pas une " +
    "adresse e-mail ; le code part toujours à l’adresse que nous avons)",
  "center.name": "Votre nom (facultatif ; seulement pour vous saluer)",
  "center.where": "Où habitez-vous ?",
  "center.chooseOption": "Choisir…",
  "center.corrections": "Que devons-nous corriger ?",
  "center.correct": "Corriger : {field}",
  "center.purposes": "Quels usages ? (aucun choix signifie tous ceux qui s’appliquent)",
  "center.agent": "Vous demandez pour quelqu’un d’autre ?",
  "center.isAgent": "Je suis mandataire et j’agis pour la personne ci-dessus",
  "center.agentName": "Votre nom",
  "center.agentEmail": "Votre e-mail",
  "center.authorization": "Le mandat signé (PDF ou image, 5 Mo au plus)",
  "center.send": "Envoyer ma demande",
  "center.fix": "Merci de corriger :",
  "center.fixMany": "Merci de corriger :",
  "center.readNotice": "Lire notre politique de confidentialité",
  "verify.title": "Confirmez que c’est vous",
  "verify.sent": "Nous avons envoyé un code à 6 chiffres à {to}. Il est valable 10 minutes.",
  "verify.sentMaybe":
    "Si nous avons une adresse e-mail pour ce {identity}, nous y avons envoyé un " +
    "code à 6 chiffres, valable 10 minutes. Si aucun code n’arrive, notre équipe " +
    "vérifiera votre identité autrement.",
  "verify.code": "Code",
  "verify.confirm": "Confirmer",
  "verify.resend": "Envoyer un nouveau code",
  "err.identity": "Indiquez l’adresse e-mail (ou autre identifiant) sous laquelle nous vous connaissons.",
  "err.jurisdiction": "Choisissez votre lieu de résidence.",
  "err.contactEmail": "Indiquez une adresse e-mail valide.",
  "err.corrections": "Indiquez au moins une valeur corrigée.",
  "right.access": "Obtenir une copie de mes données",
  "right.access.help": "Nous vous envoyons tout ce que nous détenons sur vous, avec l’usage que nous en faisons.",
  "right.portability": "Récupérer mes données",
  "right.portability.help": "Les données que vous nous avez fournies, dans des fichiers lisibles par machine.",
  "right.erasure": "Supprimer mes données",
  "right.erasure.help":
    "Nous effaçons vos données partout où nous le pouvons et vous disons ce que la loi nous oblige à garder.",
  "right.rectification": "Corriger mes données",
  "right.rectification.help": "Dites-nous ce qui est faux et ce qui est juste.",
  "right.restriction": "Limiter l’utilisation de mes données",
  "right.restriction.help": "Nous gardons vos données mais cessons de les utiliser.",
  "right.objection": "M’opposer à un usage de mes données",
  "right.objection.help": "La prospection cesse aussitôt ; les autres usages, sauf motifs impérieux.",
  "right.withdraw_consent": "Retirer mon consentement",
  "right.withdraw_consent.help": "Cela ne remet pas en cause ce qui a été fait avant.",
  "right.opt_out_sale": "Ne pas vendre ni partager mes informations personnelles",
  "right.opt_out_sale.help":
    "Nous cessons de vendre ou de partager vos données et prévenons les destinataires. Aucun code n’est nécessaire.",
  "right.limit_sensitive": "Limiter l’usage de mes informations sensibles",
  "right.limit_sensitive.help": "Nous ne les utilisons que pour ce que vous avez demandé. Aucun code n’est nécessaire.",
  "identity.email": "adresse e-mail",
  "identity.phone": "numéro de téléphone",
  "identity.account_id": "numéro de client",
  "identity.job_number": "numéro de dossier",
  "identity.device_id": "identifiant d’appareil",
  "purpose.direct_marketing": "prospection : cesse aussitôt",
  "purpose.balancing": "nous cessons sauf motifs impérieux",
  "purpose.consent": "retirer le consentement",
  "status.title": "Votre demande",
  "status.status": "État",
  "status.received": "Reçue le",
  "status.answerBy": "Nous répondons d’ici le",
  "status.download": "Télécharger vos données (ZIP)",
  "status.until": "disponible jusqu’au {date}",
  "status.expired": "Votre téléchargement a expiré. Redemandez-le si besoin.",
  "status.timeline": "Historique",
  "status.private": "Gardez l’adresse de cette page privée : c’est la clé de votre demande.",
  "status.delayed":
    "Un de nos systèmes prend plus de temps que d’habitude ; nous réessayons et " +
    "notre équipe est prévenue. Vous n’avez rien à faire.",
  "state.unverified": "En attente de votre code",
  "state.pending_approval": "En attente de l’accord de notre équipe",
  "state.in_progress": "En cours",
  "state.needs_attention": "En cours — notre équipe traite une partie à la main",
  "state.completed": "Terminée",
  "state.denied": "Refusée",
  "state.appealed": "Recours en cours — notre équipe réexamine la décision",
  "state.expired": "Non confirmée à temps",
  "error.title": "Un problème est survenu",
  "error.notFound": "Cette page n’existe pas",
  "error.back": "Retour au centre de confidentialité",
};

const TEXTS: Record<Lang, Record<TextKey, string>> = { en: EN, de: DE, fr: FR };

/** A function that gives a text in `lang`, the declaration's override first, with `{name}` filled in. */
export type T = (key: TextKey, vars?: Record<string, string>) => string;

export function translator(lang: Lang, overrides?: Record<string, string>): T {
  return (key, vars = {}) =>
    (overrides?.[key] ?? TEXTS[lang][key] ?? EN[key]).replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
}

/** Every text key, for the declaration's schema and tests. */
export const TEXT_KEYS = Object.keys(EN) as TextKey[];
