/**
 * The declaration's own texts in other languages: `translations.de["purposes.newsletter.name"]` gives the German
 * wording of a text the declaration states (a purpose's name, a policy, a security measure). The notice in a language
 * takes each text from here, and as written where none is given.
 */
import type { Declaration } from "./schema.js";
import { sameWritten, valueAt as at } from "./written.js";

type Path = (string | number)[];

/** Splits a translation key into the path of the text it replaces (`security.measures.0` → [security, measures, 0]). */
export function translationPath(key: string): Path {
  return key.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The keys of a language whose path does not lead to a text of the declaration: each is a typo or a stale key. */
export function danglingTranslations(decl: Declaration): { lang: string; key: string }[] {
  return Object.entries(decl.translations ?? {}).flatMap(([lang, texts]) =>
    Object.keys(texts ?? {})
      .filter((key) => typeof at(decl, translationPath(key)) !== "string")
      .map((key) => ({ lang, key })),
  );
}

/** The declaration with its texts in `lang` where it gives them; the same object when it gives none. */
export function localizeDeclaration(decl: Declaration, lang: string): Declaration {
  const texts = decl.translations?.[lang as keyof NonNullable<Declaration["translations"]>];
  if (!texts || !Object.keys(texts).length) return decl;
  const copy = structuredClone(decl);
  for (const [key, text] of Object.entries(texts)) {
    const path = translationPath(key);
    const parent = at(copy, path.slice(0, -1));
    const last = path[path.length - 1];
    if (parent && typeof parent === "object" && typeof (parent as Record<string | number, unknown>)[last] === "string")
      (parent as Record<string | number, unknown>)[last] = text;
  }
  return sameWritten(decl, copy);
}

/**
 * A text the declaration states (an exception's reason, as a report carries it), in `lang` where the declaration gives
 * its translation; as written otherwise.
 */
export function declaredText(decl: Declaration, lang: string, text: string): string {
  const texts = decl.translations?.[lang as keyof NonNullable<Declaration["translations"]>];
  for (const [key, translated] of Object.entries(texts ?? {}))
    if (at(decl, translationPath(key)) === text) return translated;
  return text;
}
