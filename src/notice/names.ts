/**
 * The names people read for the organization's systems, records and data, in the page's language: never a table, a
 * column or an id. A system is named by its declared name (translated where the declaration says); a dataset by its
 * `label`, else by the kinds of data it holds; a field by its data category.
 */
import { type Declaration, categoriesOf, categoryName, localizeDeclaration } from "../declaration/index.js";
import { builtinCategoryName } from "./taxonomy-words.js";

export type NameLang = "en" | "de" | "fr";

const NUMBER: Record<NameLang, string> = { en: "No.", de: "Nr.", fr: "N°" };

const localized = new WeakMap<Declaration, Map<string, Declaration>>();
/** The declaration with its texts in the language (its `translations`), made once per declaration and language. */
function inLang(decl: Declaration, lang: NameLang): Declaration {
  if (lang === "en") return decl;
  const byLang = localized.get(decl) ?? new Map<string, Declaration>();
  localized.set(decl, byLang);
  let d = byLang.get(lang);
  if (!d) byLang.set(lang, (d = localizeDeclaration(decl, lang)));
  return d;
}

/** A data category in the language: the declaration's own name, else Pledge's built-in one. */
export function categoryLabel(decl: Declaration, key: string, lang: NameLang = "en"): string {
  return (
    inLang(decl, lang).taxonomy.dataCategories[key]?.name ??
    (lang === "en" ? undefined : builtinCategoryName(key, lang)) ??
    categoryName(key, categoriesOf(decl))
  );
}

/** A system's name in the language. */
export function systemLabel(decl: Declaration, system: string, lang: NameLang = "en"): string {
  return inLang(decl, lang).systems[system]?.name ?? system.replace(/_/g, " ");
}

/** The categories a dataset's fields hold, named in the language, each once. */
function heldCategories(decl: Declaration, system: string, dataset: string, lang: NameLang): string[] {
  const fields = decl.systems[system]?.datasets[dataset]?.fields ?? {};
  return [
    ...new Set(
      Object.values(fields)
        .map((f) => f.category)
        .filter((c): c is string => !!c)
        .map((c) => categoryLabel(decl, c, lang)),
    ),
  ];
}

/** A dataset as people name it: its label in the language, else the kinds of data it holds. */
export function datasetLabel(decl: Declaration, system: string, dataset: string, lang: NameLang = "en"): string {
  const label = inLang(decl, lang).systems[system]?.datasets[dataset]?.label;
  if (label) return label;
  const held = heldCategories(decl, system, dataset, lang);
  return held.length ? held.slice(0, 3).join(", ") : dataset.replace(/_/g, " ");
}

/** A field of a dataset as people name it: its label, else the data category it holds, else its name in words. */
export function fieldLabel(
  decl: Declaration,
  system: string,
  dataset: string,
  field: string,
  lang: NameLang = "en",
): string {
  const f = inLang(decl, lang).systems[system]?.datasets[dataset]?.fields[field];
  if (f?.label) return f.label;
  if (f?.category) return categoryLabel(decl, f.category, lang);
  const no = NUMBER[lang];
  // A key is a number people can quote; a reference, the number of the record it points at.
  if (f?.primaryKey) return no;
  const target = f?.references?.split(".");
  if (target && target.length === 2) return `${datasetLabel(decl, system, target[0], lang)} (${no})`;
  return field.replace(/_/g, " ");
}

/**
 * A stored value as people read it: an amount in minor units as money, a timestamp as a date and time, anything else
 * as it is.
 */
export function valueText(
  decl: Declaration,
  system: string,
  dataset: string,
  field: string,
  value: unknown,
  lang: NameLang = "en",
): string {
  if (value === null || value === undefined) return "";
  const f = decl.systems[system]?.datasets[dataset]?.fields[field];
  if (f?.money && typeof value !== "object" && value !== "" && Number.isFinite(Number(value))) {
    const format = new Intl.NumberFormat(lang, { style: "currency", currency: f.money });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(Number(value) / 10 ** digits);
  }
  const text = value instanceof Date ? value.toISOString() : String(value);
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  return iso ? `${iso[1]} ${iso[2]}` : text;
}
