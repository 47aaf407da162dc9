/** The banner's texts in English, German and French; a declaration may override any of them per language. */

export const LANGUAGES = ["en", "de", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_TEXTS: Record<Language, Record<string, string>> = {
  en: {
    title: "Your privacy choices",
    body:
      "We use cookies and similar technologies. Essential ones keep the site " +
      "working; the others run only if you allow them. You can change your choice at " +
      "any time.",
    acceptAll: "Accept all",
    rejectAll: "Reject all",
    preferences: "Preferences",
    save: "Save my choices",
    close: "Back",
    essential: "Always on",
    gpc: "Your browser's Global Privacy Control signal was honoured: marketing is off.",
    dnt: "Your browser's Do Not Track setting was honoured.",
    settings: "Privacy settings",
    notice: "Privacy notice",
    receipt: "Download a receipt of my choices",
  },
  de: {
    title: "Ihre Datenschutz-Einstellungen",
    body:
      "Wir verwenden Cookies und ähnliche Technologien. Notwendige halten die " +
      "Website am Laufen; alle anderen nur mit Ihrer Erlaubnis. Sie können Ihre Wahl " +
      "jederzeit ändern.",
    acceptAll: "Alle akzeptieren",
    rejectAll: "Alle ablehnen",
    preferences: "Einstellungen",
    save: "Auswahl speichern",
    close: "Zurück",
    essential: "Immer aktiv",
    gpc: "Das Global-Privacy-Control-Signal Ihres Browsers wurde beachtet: Marketing ist aus.",
    dnt: "Die Do-Not-Track-Einstellung Ihres Browsers wurde beachtet.",
    settings: "Datenschutz-Einstellungen",
    notice: "Datenschutzerklärung",
    receipt: "Beleg meiner Auswahl herunterladen",
  },
  fr: {
    title: "Vos choix de confidentialité",
    body:
      "Nous utilisons des cookies et des technologies similaires. Les cookies " +
      "essentiels font fonctionner le site ; les autres ne sont utilisés qu'avec " +
      "votre accord. Vous pouvez changer d'avis à tout moment.",
    acceptAll: "Tout accepter",
    rejectAll: "Tout refuser",
    preferences: "Préférences",
    save: "Enregistrer mes choix",
    close: "Retour",
    essential: "Toujours actif",
    gpc: "Le signal Global Privacy Control de votre navigateur a été respecté : le marketing est désactivé.",
    dnt: "Le réglage Do Not Track de votre navigateur a été respecté.",
    settings: "Paramètres de confidentialité",
    notice: "Politique de confidentialité",
    receipt: "Télécharger un reçu de mes choix",
  },
};

/** The language to use from an Accept-Language header (or a list), English by default. */
export function pickLanguage(accept: string | undefined): Language {
  for (const part of (accept ?? "").split(",")) {
    const tag = part.split(";")[0].trim().slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(tag)) return tag as Language;
  }
  return "en";
}
