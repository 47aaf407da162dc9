/**
 * The languages of the public pages (English, German, French), chosen from Accept-Language or `?lang=`, with texts
 * the declaration may override per language (`texts.de["center.intro"]`). The banner has its own texts
 * (consent/texts.ts); these are the privacy center's and the pages around it.
 */
import { type Declaration, didYouMean, type Finding } from "../declaration/index.js";
import { noticeTextKeys } from "../notice/index.js";

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
  "verify.agent":
    "The code goes to the person you act for, never to you: they confirm the request by entering it here, or at " +
    "the link in their email, or by giving it to you.",
  "rep.whatFound": "What we found",
  "rep.whatDid": "What we did",
  "rep.noData": "We found no data about you",
  "rep.noDataWhere": " in the systems we searched automatically",
  "rep.nothingToErase": ", so there was nothing to erase",
  "rep.otherDetails": ". If you have used other details with us, send a new request with them.",
  "rep.notFoundFor": "Nothing was found for: {list}.",
  "rep.told": "Told {name}",
  "rep.byStaff": "handled by our staff",
  "rep.held": "nothing erased: under a legal hold",
  "rep.nothing": "nothing found",
  "rep.erasedVerified": "erased where the law allows — verified: a new search by every identity finds nothing",
  "rep.notVerified": "not verified",
  "rep.row": "{n} row",
  "rep.rows": "{n} rows",
  "rep.found": "{rows} found",
  "rep.deleted": "{n} deleted",
  "rep.masked": "{n} masked and kept",
  "rep.keptAsIt": "{n} kept as it is",
  "rep.keptAsThey": "{n} kept as they are",
  "rep.corrected": "{n} corrected",
  "rep.keptBecause": " — kept because: {list}",
  "rep.fieldsKept": " — fields kept: {list}",
  "rep.othersLeft": " — {rows} of other people reached through a reference were left alone",
  "rep.actor":
    "{dataset}: you appear as the person handling {rows} ({field}); they are about other people and were not touched",
  "rep.notSearched": "{dataset}: not searched — {why}",
  "flag.restricted": "Recorded: the use of your data is restricted",
  "flag.objection": "Recorded: your objection to {name}",
  "flag.objectionAll": "Recorded: your objection",
  "flag.consent": "Recorded: your consent to {name} is withdrawn",
  "flag.consentAll": "Recorded: your consent is withdrawn",
  "flag.optOut": "Recorded: your opt-out of the sale and sharing of your personal information",
  "flag.limit": "Recorded: the use of your sensitive personal information is limited",
  "flag.other": "Recorded: {flag}",
  "status.reason": "Reason: {reason}",
  "status.extendedBecause": " (extended: {reason})",
  "appeal.on": "Appealed on {date}; we answer by {due}.",
  "appeal.reversed": " Outcome: we will act on your request.",
  "appeal.upheld": " Outcome: our decision stands.",
  "appeal.contact": " You may contact {to}.",
  "appeal.title": "Appeal this decision",
  "appeal.law": "The law of {place} lets you appeal. We answer within {within}.",
  "appeal.why": "Why should we reconsider?",
  "event.received": "Request received",
  "event.code_sent": "Code sent",
  "event.code_rejected": "A wrong code was entered",
  "event.verified": "Identity confirmed",
  "event.awaiting_approval": "Waiting for our privacy team to approve it",
  "event.approved": "Approved by our privacy team",
  "event.started": "Work started on our systems",
  "event.export_ready": "Your data is ready to download",
  "event.erased":
    "One of our systems was searched and the erasure applied there: the " +
    "report says what was found, deleted and kept",
  "event.rectified":
    "One of our systems was searched and the correction applied there: the " + "report says what was corrected",
  "event.flagged": "Your choice was recorded",
  "event.notified": "A recipient of your data was told",
  "event.not_notified": "Some recipients could not be told",
  "event.nothing_found": "Nothing was found for one or more of the details you gave",
  "event.completed": "Done",
  "event.denied": "Declined",
  "event.extended": "The deadline was extended",
  "event.appealed": "You appealed",
  "event.appeal_answered": "Your appeal was answered",
  "event.held": "Part of your data is under a legal hold",
  "event.attention": "Our team is handling part of it by hand",
  "event.receipt_confirmed": "Receipt confirmed",
  "msg.nothingToConfirm": "Nothing to confirm",
  "msg.nothingToConfirmText":
    "This request is not waiting for a code. If you confirmed it already, use the link to its status page.",
  "msg.notFound": "Request not found",
  "msg.notFoundText": "No request has this address. Check the link in your email.",
  "msg.noAppeal": "This request cannot be appealed",
  "verify.wrong": "That code is not right. {n} tries left.",
  "verify.wrongOne": "That code is not right. 1 try left.",
  "verify.wrongNone": "That code is not right. Send a new code.",
  "verify.expired": "That code has expired. Send a new code.",
  "verify.exhausted": "Too many wrong tries. Send a new code.",
  "verify.used": "This code was already used.",
  "verify.noCode": "There is no code for this request.",
  "verify.resent": "We sent a new code.",
  "verify.tooMany": "Too many codes were requested. Try again later.",
  "verify.mailDown":
    "We could not send a new code just now. Your last code still works; or try again in a few minutes.",
  "news.email": "Email address (required)",
  "news.name": "Name (optional, to address you personally)",
  "news.confirmWithin": "We will email you a link to confirm; it is valid for {duration}.",
  "news.anyTime": "You can unsubscribe at any time.",
  "news.howWeHandle": "How we handle your data",
  "news.subscribe": "Subscribe",
  "news.confirmTitle": "Confirm your subscription",
  "news.confirmQuestion":
    "Subscribe {email} to {list} from {org}? You can unsubscribe at any time, from any of its emails.",
  "news.yes": "Yes, subscribe me",
  "news.unsubscribe": "Unsubscribe",
  "news.unsubscribeAll": "Unsubscribe from everything",
  "news.seeAll": "See all your subscriptions",
  "news.yours": "Your subscriptions",
  "news.for": "For {email}",
  "news.newsletter": "Newsletter",
  "news.status": "Status",
  "news.signedUp": "Signed up",
  "news.state.pending": "Waiting for your confirmation",
  "news.state.confirmed": "Subscribed",
  "news.state.blocked": "Not confirmed in time",
  "news.state.unsubscribed": "Unsubscribed",
  "news.thanks": "Thank you",
  "news.subscribedTo": "You are subscribed to {list}.",
  "news.checkEmail": "Check your email",
  "news.sent": "We sent you an email. To subscribe to {list}, follow the link in it; it works once.",
  "news.expiredTitle": "This link has expired",
  "news.expired": "Sign up again to get a new link.",
  "news.unusableTitle": "This link cannot be used",
  "news.unusable":
    "It was used already, or it is not a link we sent. If you confirmed your subscription, you need do nothing more.",
  "news.subscribed": "Subscribed",
  "news.confirmed": "Thank you: your subscription to {list} is confirmed.",
  "news.isUnsubscribed": "You are unsubscribed",
  "news.none": "You get none of our newsletters. Nothing more to do.",
  "news.unsubscribed": "Unsubscribed",
  "news.noMore": "You will get no more of these emails.",
  "news.tooMany": "Too many sign-ups",
  "news.tooManyText": "There have been too many sign-ups from your network or for this address. Try again later.",
  "news.later": "Please try again later",
  "news.laterText": "We could not send you the email just now, so nothing was saved. Try again in a few minutes.",
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
  "verify.agent":
    "Der Code geht an die Person, für die Sie handeln, nie an Sie: Sie bestätigt die Anfrage, indem sie ihn hier " +
    "eingibt, über den Link in ihrer E-Mail oder indem sie ihn Ihnen gibt.",
  "rep.whatFound": "Was wir gefunden haben",
  "rep.whatDid": "Was wir getan haben",
  "rep.noData": "Wir haben keine Daten über Sie gefunden",
  "rep.noDataWhere": " in den Systemen, die wir automatisch durchsucht haben",
  "rep.nothingToErase": ", es gab also nichts zu löschen",
  "rep.otherDetails": ". Wenn Sie bei uns andere Angaben verwendet haben, senden Sie eine neue Anfrage mit diesen.",
  "rep.notFoundFor": "Nichts gefunden für: {list}.",
  "rep.told": "{name} informiert",
  "rep.byStaff": "von unserem Team bearbeitet",
  "rep.held": "nichts gelöscht: gesetzliche Aufbewahrung (Legal Hold)",
  "rep.nothing": "nichts gefunden",
  "rep.erasedVerified":
    "gelöscht, soweit das Gesetz es erlaubt — geprüft: eine neue Suche nach jeder Kennung findet nichts",
  "rep.notVerified": "nicht geprüft",
  "rep.row": "{n} Datensatz",
  "rep.rows": "{n} Datensätze",
  "rep.found": "{rows} gefunden",
  "rep.deleted": "{n} gelöscht",
  "rep.masked": "{n} unkenntlich gemacht und aufbewahrt",
  "rep.keptAsIt": "{n} unverändert aufbewahrt",
  "rep.keptAsThey": "{n} unverändert aufbewahrt",
  "rep.corrected": "{n} berichtigt",
  "rep.keptBecause": " — aufbewahrt, weil: {list}",
  "rep.fieldsKept": " — aufbewahrte Felder: {list}",
  "rep.othersLeft": " — {rows} anderer Personen, über einen Verweis erreicht, blieben unberührt",
  "rep.actor":
    "{dataset}: Sie erscheinen als bearbeitende Person in {rows} ({field}); sie betreffen andere Personen und " +
    "wurden nicht verändert",
  "rep.notSearched": "{dataset}: nicht durchsucht — {why}",
  "flag.restricted": "Vermerkt: die Verwendung Ihrer Daten ist eingeschränkt",
  "flag.objection": "Vermerkt: Ihr Widerspruch gegen {name}",
  "flag.objectionAll": "Vermerkt: Ihr Widerspruch",
  "flag.consent": "Vermerkt: Ihre Einwilligung in {name} ist widerrufen",
  "flag.consentAll": "Vermerkt: Ihre Einwilligung ist widerrufen",
  "flag.optOut": "Vermerkt: Ihr Widerspruch gegen Verkauf und Weitergabe Ihrer personenbezogenen Daten",
  "flag.limit": "Vermerkt: die Verwendung Ihrer sensiblen personenbezogenen Daten ist begrenzt",
  "flag.other": "Vermerkt: {flag}",
  "status.reason": "Begründung: {reason}",
  "status.extendedBecause": " (verlängert: {reason})",
  "appeal.on": "Einspruch eingelegt am {date}; wir antworten bis {due}.",
  "appeal.reversed": " Ergebnis: Wir kommen Ihrer Anfrage nach.",
  "appeal.upheld": " Ergebnis: Unsere Entscheidung bleibt bestehen.",
  "appeal.contact": " Sie können sich bei {to} beschweren.",
  "appeal.title": "Einspruch gegen diese Entscheidung",
  "appeal.law": "Das Recht von {place} erlaubt einen Einspruch. Wir antworten innerhalb von {within}.",
  "appeal.why": "Warum sollten wir die Entscheidung überdenken?",
  "event.received": "Anfrage eingegangen",
  "event.code_sent": "Code gesendet",
  "event.code_rejected": "Ein falscher Code wurde eingegeben",
  "event.verified": "Identität bestätigt",
  "event.awaiting_approval": "Wartet auf die Freigabe durch unser Datenschutzteam",
  "event.approved": "Von unserem Datenschutzteam freigegeben",
  "event.started": "Bearbeitung in unseren Systemen begonnen",
  "event.export_ready": "Ihre Daten stehen zum Download bereit",
  "event.erased":
    "Ein System wurde durchsucht und die Löschung dort angewandt: was " +
    "gefunden, gelöscht und aufbewahrt wurde, steht im Bericht",
  "event.rectified":
    "Ein System wurde durchsucht und die Berichtigung dort angewandt: was " + "berichtigt wurde, steht im Bericht",
  "event.flagged": "Ihre Wahl wurde vermerkt",
  "event.notified": "Ein Empfänger Ihrer Daten wurde informiert",
  "event.not_notified": "Einige Empfänger konnten nicht informiert werden",
  "event.nothing_found": "Für eine oder mehrere Ihrer Angaben wurde nichts gefunden",
  "event.completed": "Erledigt",
  "event.denied": "Abgelehnt",
  "event.extended": "Die Frist wurde verlängert",
  "event.appealed": "Sie haben Einspruch eingelegt",
  "event.appeal_answered": "Ihr Einspruch wurde beantwortet",
  "event.held": "Ein Teil Ihrer Daten unterliegt einer gesetzlichen Aufbewahrung",
  "event.attention": "Unser Team erledigt einen Teil von Hand",
  "event.receipt_confirmed": "Eingang bestätigt",
  "msg.nothingToConfirm": "Nichts zu bestätigen",
  "msg.nothingToConfirmText":
    "Diese Anfrage wartet auf keinen Code. Wenn Sie sie bereits bestätigt " +
    "haben, nutzen Sie den Link zu ihrer Statusseite.",
  "msg.notFound": "Anfrage nicht gefunden",
  "msg.notFoundText": "Keine Anfrage hat diese Adresse. Prüfen Sie den Link in Ihrer E-Mail.",
  "msg.noAppeal": "Gegen diese Anfrage ist kein Einspruch möglich",
  "verify.wrong": "Dieser Code stimmt nicht. Noch {n} Versuche.",
  "verify.wrongOne": "Dieser Code stimmt nicht. Noch 1 Versuch.",
  "verify.wrongNone": "Dieser Code stimmt nicht. Fordern Sie einen neuen Code an.",
  "verify.expired": "Dieser Code ist abgelaufen. Fordern Sie einen neuen Code an.",
  "verify.exhausted": "Zu viele falsche Versuche. Fordern Sie einen neuen Code an.",
  "verify.used": "Dieser Code wurde bereits verwendet.",
  "verify.noCode": "Für diese Anfrage gibt es keinen Code.",
  "verify.resent": "Wir haben einen neuen Code gesendet.",
  "verify.tooMany": "Es wurden zu viele Codes angefordert. Versuchen Sie es später noch einmal.",
  "verify.mailDown":
    "Wir konnten gerade keinen neuen Code senden. Ihr letzter Code gilt weiter; oder versuchen Sie es in ein paar " +
    "Minuten noch einmal.",
  "news.email": "E-Mail-Adresse (Pflichtfeld)",
  "news.name": "Name (freiwillig, für eine persönliche Anrede)",
  "news.confirmWithin": "Wir senden Ihnen einen Link zur Bestätigung; er ist {duration} gültig.",
  "news.anyTime": "Sie können sich jederzeit abmelden.",
  "news.howWeHandle": "Wie wir mit Ihren Daten umgehen",
  "news.subscribe": "Abonnieren",
  "news.confirmTitle": "Bestätigen Sie Ihr Abonnement",
  "news.confirmQuestion":
    "{email} für {list} von {org} anmelden? Sie können sich jederzeit abmelden, aus jeder dieser E-Mails.",
  "news.yes": "Ja, anmelden",
  "news.unsubscribe": "Abmelden",
  "news.unsubscribeAll": "Von allem abmelden",
  "news.seeAll": "Alle Ihre Abonnements ansehen",
  "news.yours": "Ihre Abonnements",
  "news.for": "Für {email}",
  "news.newsletter": "Newsletter",
  "news.status": "Stand",
  "news.signedUp": "Angemeldet am",
  "news.state.pending": "Wartet auf Ihre Bestätigung",
  "news.state.confirmed": "Abonniert",
  "news.state.blocked": "Nicht rechtzeitig bestätigt",
  "news.state.unsubscribed": "Abgemeldet",
  "news.thanks": "Vielen Dank",
  "news.subscribedTo": "Sie haben {list} abonniert.",
  "news.checkEmail": "Sehen Sie in Ihr Postfach",
  "news.sent":
    "Wir haben Ihnen eine E-Mail gesendet. Um {list} zu abonnieren, folgen Sie dem Link darin; er funktioniert einmal.",
  "news.expiredTitle": "Dieser Link ist abgelaufen",
  "news.expired": "Melden Sie sich erneut an, um einen neuen Link zu erhalten.",
  "news.unusableTitle": "Dieser Link kann nicht verwendet werden",
  "news.unusable":
    "Er wurde bereits verwendet oder stammt nicht von uns. Wenn Sie Ihr Abonnement bestätigt haben, müssen Sie " +
    "nichts weiter tun.",
  "news.subscribed": "Abonniert",
  "news.confirmed": "Vielen Dank: Ihr Abonnement von {list} ist bestätigt.",
  "news.isUnsubscribed": "Sie sind abgemeldet",
  "news.none": "Sie erhalten keinen unserer Newsletter. Sie müssen nichts weiter tun.",
  "news.unsubscribed": "Abgemeldet",
  "news.noMore": "Sie erhalten keine dieser E-Mails mehr.",
  "news.tooMany": "Zu viele Anmeldungen",
  "news.tooManyText":
    "Aus Ihrem Netzwerk oder für diese Adresse gab es zu viele Anmeldungen. Versuchen Sie es später noch einmal.",
  "news.later": "Bitte versuchen Sie es später noch einmal",
  "news.laterText":
    "Wir konnten Ihnen die E-Mail gerade nicht senden, daher wurde nichts gespeichert. Versuchen Sie es in ein " +
    "paar Minuten noch einmal.",
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
  "verify.agent":
    "Le code est envoyé à la personne pour qui vous agissez, jamais à vous " +
    ": elle confirme la demande en le saisissant " +
    "ici, via le lien de son e-mail, ou en vous le transmettant.",
  "rep.whatFound": "Ce que nous avons trouvé",
  "rep.whatDid": "Ce que nous avons fait",
  "rep.noData": "Nous n’avons trouvé aucune donnée vous concernant",
  "rep.noDataWhere": " dans les systèmes que nous avons consultés automatiquement",
  "rep.nothingToErase": ", il n’y avait donc rien à effacer",
  "rep.otherDetails":
    ". Si vous avez utilisé d’autres coordonnées chez nous, envoyez une nouvelle demande avec celles-ci.",
  "rep.notFoundFor": "Rien n’a été trouvé pour : {list}.",
  "rep.told": "{name} informé",
  "rep.byStaff": "traité par notre équipe",
  "rep.held": "rien effacé : conservation légale en cours",
  "rep.nothing": "rien trouvé",
  "rep.erasedVerified":
    "effacé dans la mesure où la loi le permet — vérifié : une nouvelle " +
    "recherche par chaque identifiant ne trouve rien",
  "rep.notVerified": "non vérifié",
  "rep.row": "{n} enregistrement",
  "rep.rows": "{n} enregistrements",
  "rep.found": "{rows} trouvé(s)",
  "rep.deleted": "{n} supprimé(s)",
  "rep.masked": "{n} masqué(s) et conservé(s)",
  "rep.keptAsIt": "{n} conservé tel quel",
  "rep.keptAsThey": "{n} conservés tels quels",
  "rep.corrected": "{n} corrigé(s)",
  "rep.keptBecause": " — conservé(s) parce que : {list}",
  "rep.fieldsKept": " — champs conservés : {list}",
  "rep.othersLeft": " — {rows} d’autres personnes, atteints par une référence, n’ont pas été touchés",
  "rep.actor":
    "{dataset} : vous apparaissez comme la personne qui traite {rows} ({field}) ; ils concernent d’autres personnes " +
    "et n’ont pas été touchés",
  "rep.notSearched": "{dataset} : non consulté — {why}",
  "flag.restricted": "Enregistré : l’utilisation de vos données est limitée",
  "flag.objection": "Enregistré : votre opposition à {name}",
  "flag.objectionAll": "Enregistré : votre opposition",
  "flag.consent": "Enregistré : votre consentement à {name} est retiré",
  "flag.consentAll": "Enregistré : votre consentement est retiré",
  "flag.optOut": "Enregistré : votre opposition à la vente et au partage de vos informations personnelles",
  "flag.limit": "Enregistré : l’usage de vos informations personnelles sensibles est limité",
  "flag.other": "Enregistré : {flag}",
  "status.reason": "Motif : {reason}",
  "status.extendedBecause": " (prolongé : {reason})",
  "appeal.on": "Appel formé le {date} ; nous répondons d’ici le {due}.",
  "appeal.reversed": " Résultat : nous donnons suite à votre demande.",
  "appeal.upheld": " Résultat : notre décision est maintenue.",
  "appeal.contact": " Vous pouvez saisir {to}.",
  "appeal.title": "Faire appel de cette décision",
  "appeal.law": "Le droit de {place} vous permet de faire appel. Nous répondons dans un délai de {within}.",
  "appeal.why": "Pourquoi devrions-nous reconsidérer ?",
  "event.received": "Demande reçue",
  "event.code_sent": "Code envoyé",
  "event.code_rejected": "Un code erroné a été saisi",
  "event.verified": "Identité confirmée",
  "event.awaiting_approval": "En attente de l’accord de notre équipe",
  "event.approved": "Approuvée par notre équipe",
  "event.started": "Traitement commencé dans nos systèmes",
  "event.export_ready": "Vos données sont prêtes à être téléchargées",
  "event.erased":
    "Un système a été consulté et l’effacement y a été appliqué : le " +
    "rapport indique ce qui a été trouvé, supprimé et conservé",
  "event.rectified":
    "Un système a été consulté et la correction y a été appliquée : le " + "rapport indique ce qui a été corrigé",
  "event.flagged": "Votre choix a été enregistré",
  "event.notified": "Un destinataire de vos données a été informé",
  "event.not_notified": "Certains destinataires n’ont pas pu être informés",
  "event.nothing_found": "Rien n’a été trouvé pour une ou plusieurs de vos coordonnées",
  "event.completed": "Terminée",
  "event.denied": "Refusée",
  "event.extended": "Le délai a été prolongé",
  "event.appealed": "Vous avez fait appel",
  "event.appeal_answered": "Votre appel a reçu une réponse",
  "event.held": "Une partie de vos données fait l’objet d’une conservation légale",
  "event.attention": "Notre équipe traite une partie à la main",
  "event.receipt_confirmed": "Réception confirmée",
  "msg.nothingToConfirm": "Rien à confirmer",
  "msg.nothingToConfirmText":
    "Cette demande n’attend pas de code. Si vous l’avez déjà confirmée, utilisez le lien vers sa page de suivi.",
  "msg.notFound": "Demande introuvable",
  "msg.notFoundText": "Aucune demande ne correspond à cette adresse. Vérifiez le lien de votre e-mail.",
  "msg.noAppeal": "Il n’est pas possible de faire appel de cette demande",
  "verify.wrong": "Ce code n’est pas le bon. Il vous reste {n} essais.",
  "verify.wrongOne": "Ce code n’est pas le bon. Il vous reste 1 essai.",
  "verify.wrongNone": "Ce code n’est pas le bon. Demandez un nouveau code.",
  "verify.expired": "Ce code a expiré. Demandez un nouveau code.",
  "verify.exhausted": "Trop d’essais erronés. Demandez un nouveau code.",
  "verify.used": "Ce code a déjà été utilisé.",
  "verify.noCode": "Il n’y a pas de code pour cette demande.",
  "verify.resent": "Nous avons envoyé un nouveau code.",
  "verify.tooMany": "Trop de codes ont été demandés. Réessayez plus tard.",
  "verify.mailDown":
    "Nous n’avons pas pu envoyer de nouveau code pour l’instant. Votre " +
    "dernier code reste valable ; ou réessayez dans " +
    "quelques minutes.",
  "news.email": "Adresse e-mail (obligatoire)",
  "news.name": "Nom (facultatif, pour nous adresser à vous personnellement)",
  "news.confirmWithin": "Nous vous enverrons un lien de confirmation par e-mail ; il est valable {duration}.",
  "news.anyTime": "Vous pouvez vous désinscrire à tout moment.",
  "news.howWeHandle": "Comment nous traitons vos données",
  "news.subscribe": "S’abonner",
  "news.confirmTitle": "Confirmez votre abonnement",
  "news.confirmQuestion":
    "Abonner {email} à {list} de {org} ? Vous pouvez vous désinscrire à tout moment, depuis chacun de ses e-mails.",
  "news.yes": "Oui, m’abonner",
  "news.unsubscribe": "Se désinscrire",
  "news.unsubscribeAll": "Se désinscrire de tout",
  "news.seeAll": "Voir tous vos abonnements",
  "news.yours": "Vos abonnements",
  "news.for": "Pour {email}",
  "news.newsletter": "Lettre d’information",
  "news.status": "État",
  "news.signedUp": "Inscription",
  "news.state.pending": "En attente de votre confirmation",
  "news.state.confirmed": "Abonné",
  "news.state.blocked": "Non confirmé à temps",
  "news.state.unsubscribed": "Désinscrit",
  "news.thanks": "Merci",
  "news.subscribedTo": "Vous êtes abonné à {list}.",
  "news.checkEmail": "Consultez vos e-mails",
  "news.sent":
    "Nous vous avons envoyé un e-mail. Pour vous abonner à {list}, suivez le lien qu’il contient ; il ne fonctionne " +
    "qu’une fois.",
  "news.expiredTitle": "Ce lien a expiré",
  "news.expired": "Inscrivez-vous à nouveau pour recevoir un nouveau lien.",
  "news.unusableTitle": "Ce lien ne peut pas être utilisé",
  "news.unusable":
    "Il a déjà été utilisé, ou ce n’est pas un lien de notre part. Si vous avez confirmé votre abonnement, vous " +
    "n’avez plus rien à faire.",
  "news.subscribed": "Abonnement confirmé",
  "news.confirmed": "Merci : votre abonnement à {list} est confirmé.",
  "news.isUnsubscribed": "Vous êtes désinscrit",
  "news.none": "Vous ne recevez aucune de nos lettres d’information. Vous n’avez rien d’autre à faire.",
  "news.unsubscribed": "Désinscription effectuée",
  "news.noMore": "Vous ne recevrez plus ces e-mails.",
  "news.tooMany": "Trop d’inscriptions",
  "news.tooManyText": "Il y a eu trop d’inscriptions depuis votre réseau ou pour cette adresse. Réessayez plus tard.",
  "news.later": "Veuillez réessayer plus tard",
  "news.laterText":
    "Nous n’avons pas pu vous envoyer l’e-mail pour l’instant, rien n’a donc été enregistré. Réessayez dans " +
    "quelques minutes.",
};

const TEXTS: Record<Lang, Record<TextKey, string>> = { en: EN, de: DE, fr: FR };

/** A function that gives a text in `lang`, the declaration's override first, with `{name}` filled in. */
export type T = (key: TextKey, vars?: Record<string, string>) => string;

export function translator(lang: Lang, overrides?: Record<string, string>): T {
  return (key, vars = {}) =>
    (overrides?.[key] ?? TEXTS[lang][key] ?? EN[key]).replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
}

/** The public pages' texts in a language, with the declaration's own wording of them (`texts`) first. */
export function pageTexts(decl: { texts?: Partial<Record<string, Record<string, string>>> }, lang: Lang): T {
  return translator(lang, decl.texts?.[lang]);
}

/** Every text key, for the declaration's schema and tests. */
export const TEXT_KEYS = Object.keys(EN) as TextKey[];

/**
 * A warning for each key of a declaration's `texts` that rewords nothing: not a page's text (TEXT_KEYS) nor one of
 * the notice's fixed texts (`notice.*`). Each is a typo, or a text Pledge no longer has; `pledge check` prints them.
 */
export function unknownTextFindings(decl: Pick<Declaration, "texts">): Finding[] {
  const known = [...TEXT_KEYS, ...noticeTextKeys()];
  return Object.entries(decl.texts ?? {}).flatMap(([lang, byKey]) =>
    Object.keys(byKey ?? {})
      .filter((key) => !known.includes(key))
      .map((key) => ({
        rule: "unknown-text",
        severity: "warning" as const,
        article: "",
        path: ["texts", lang, key],
        message: `no page or notice text has the key '${key}', so it rewords nothing${didYouMean(key, known)}`,
      })),
  );
}
