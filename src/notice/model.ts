/**
 * The notice as a structure: sections in the order of GDPR Arts 13 and 14,
 * each built only from what the declaration says. Renderers (HTML, Markdown)
 * turn it into text; they never add facts.
 */
import {
  ADEQUACY,
  EEA_COUNTRIES,
  LEGAL_BASIS_INFO,
  NOTICE_ITEMS,
  OPT_OUT_CLOCK_RIGHTS,
  REGIMES,
  RIGHT_INFO,
  basesOf,
  localizeDeclaration,
  notLongerThan,
  objectionKind,
  parseDuration,
  retentionBindings,
  promisedResponseTime,
  purposeJurisdictions,
  regimesOf,
  categoriesOf,
  categoryName,
  categoryWithin,
  sensitiveAmong,
  regimeFor,
  servesEu,
  subjectsOf,
  type Declaration,
  type NoticeItemId,
  type Purpose,
  type Recipient,
  type RegimeId,
  type RetentionRule,
  type RightName,
  type DocPath,
  writtenOf,
} from "../declaration/index.js";
import { EN, type NoticeLang, type NoticeWords, withOverrides } from "./words.js";
import { DE } from "./words-de.js";
import { FR } from "./words-fr.js";
import { builtinCategoryName, builtinSubjectName } from "./taxonomy-words.js";
import { Trace, itemText, type Inline, type Item, type Src } from "./trace.js";

/** The notice's words in each language it is published in. */
export const NOTICE_WORDS: Readonly<Record<NoticeLang, NoticeWords>> = { en: EN, de: DE, fr: FR };

export type { Inline, Item, Src } from "./trace.js";

/**
 * A block of the notice. Every paragraph, list item, field and table cell is an `Item` that carries its source;
 * headings carry one where they print a declared text.
 */
export type Block =
  | { kind: "p"; content: Inline[]; src: Src }
  | { kind: "h3"; text: string; id?: string; src?: Src }
  | { kind: "list"; items: Item[] }
  | { kind: "fields"; rows: (Item & { label: string })[] }
  | { kind: "table"; head: string[]; rows: Item[][] };

export interface NoticeSection {
  /** The anchor: a notice item's id, or another section's (a change notice's). */
  id: string;
  title: string;
  article: string;
  blocks: Block[];
}

export interface NoticeDoc {
  /** The language of the notice's own words (the declaration's texts are as it gives them in that language). */
  lang: NoticeLang;
  title: string;
  organization: string;
  version: string;
  effectiveDate: string;
  /** The version line under the title, in the notice's language. */
  meta: string;
  /** The label of the table of contents. */
  sectionsLabel: string;
  sections: NoticeSection[];
}

const regionNames = new Map<string, Intl.DisplayNames>();
/**
 * A country's name for display in a language (`SE` → Sweden, Schweden, Suède), falling back to its code;
 * `undefined` (a recipient that is an audience) shows as such.
 */
export function countryName(code: string | undefined, lang: NoticeLang = "en"): string {
  if (!code) return "—";
  let names = regionNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([lang], { type: "region" });
    regionNames.set(lang, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Where a recipient is, in words: a country, the public, or other users. */
export function placeOf(r: Recipient, w: NoticeWords = EN): string {
  return r.audience === "public"
    ? w.place.public
    : r.audience === "other_users"
      ? w.place.otherUsers
      : countryName(r.country, w.lang);
}

const mail = (email: string): Inline => ({ text: email, href: `mailto:${email}` });
const link = (url: string): Inline => ({ text: url, href: url });
type P = DocPath;
const sub = (base: P, ...more: (string | number)[]): P => [...base, ...more];
const defined = <T>(x: T | undefined | false | null | ""): x is T => !!x;

/** A paragraph from a traced item; nothing where the item was not made. */
const para = (i: Item | undefined): Block[] => (i ? [{ kind: "p", content: i.content, src: i.src }] : []);
/** A list of the items that were made; nothing where none was. */
const list = (items: (Item | undefined)[]): Block[] => {
  const made = items.filter(defined);
  return made.length ? [{ kind: "list", items: made }] : [];
};
/** Fields: each made row with its label. */
const row = (label: string, i: Item | undefined): (Item & { label: string })[] => (i ? [{ ...i, label }] : []);

interface ContactLike {
  name?: string;
  email?: string;
  phone?: string;
  fax?: string;
  url?: string;
  address?: string;
}

/** A party's contact details, each line traced to its own key. */
function contactLines(c: ContactLike, base: P, t: Trace, w: NoticeWords, country?: { code: string; path: P }): Item[] {
  const name = country ? countryName(country.code, w.lang) : undefined;
  return [
    c.name ? t.say(c.name, sub(base, "name")) : undefined,
    c.address
      ? name && !c.address.includes(name)
        ? t.say(`${w.contact.address}${c.address} (${name})`, sub(base, "address"), country!.path)
        : t.say(`${w.contact.address}${c.address}`, sub(base, "address"))
      : undefined,
    c.email ? t.say([w.contact.email, mail(c.email)], sub(base, "email")) : undefined,
    c.phone ? t.say(`${w.contact.phone}${c.phone}`, sub(base, "phone")) : undefined,
    c.fax ? t.say(`${w.contact.fax}${c.fax}`, sub(base, "fax")) : undefined,
    c.url ? t.say([w.contact.web, link(c.url)], sub(base, "url")) : undefined,
  ].filter(defined);
}

/** Whether an exception of a rule covers one of these categories (all, when it names none or none are given). */
function exceptionCovers(e: RetentionRule["exceptions"][number], categories: readonly string[] | undefined): boolean {
  return (
    !categories?.length ||
    !e.dataCategories.length ||
    e.dataCategories.some((c) => categories.some((cat) => categoryWithin(cat, c) || categoryWithin(c, cat)))
  );
}

/** The words of one exception: its reason, and its period where declared. */
function exceptionText(e: RetentionRule["exceptions"][number], w: NoticeWords): string {
  return e.reason.replace(/\\.$/, "") + (e.period ? w.upTo(w.duration(e.period)) : "");
}

/**
 * One sentence describing a retention rule. With `category`, only the exceptions that cover that category are given
 * (an exception scoped to SEPA mandates is not printed for contact details).
 */
export function describeRetention(
  rule: RetentionRule,
  category?: string | readonly string[],
  options: { brief?: boolean; words?: NoticeWords } = {},
): string {
  const w = options.words ?? EN;
  if (options.brief && rule.period === "indefinite") return w.keptIndefinitely.brief;
  const base =
    rule.period === "indefinite"
      ? `${w.keptIndefinitely.full}${rule.reason ? `: ${rule.reason.replace(/\\.$/, "")}` : ""}`
      : w.retentionSentence({ period: w.duration(rule.period), from: rule.from, action: rule.action });
  const scope = rule.jurisdictions?.length ? w.appliesTo(rule.jurisdictions) : "";
  const cats = typeof category === "string" ? [category] : category;
  const exceptions = options.brief ? [] : rule.exceptions.filter((e) => exceptionCovers(e, cats));
  const ex = exceptions.length ? w.exceptions(exceptions.map((e) => exceptionText(e, w))) : "";
  return base + scope + ex;
}

/** A retention rule's sentence with the paths it rests on: the rule's own keys and each exception it prints. */
function tracedRetention(
  decl: Declaration,
  id: string,
  t: Trace,
  w: NoticeWords,
  categories?: readonly string[],
): Item | undefined {
  const rule = decl.retention[id];
  if (!rule) return undefined;
  const base: P = ["retention", id];
  const paths: P[] = [sub(base, "period")];
  if (rule.period === "indefinite") {
    if (rule.reason) paths.push(sub(base, "reason"));
  } else paths.push(sub(base, "from"), sub(base, "action"));
  if (rule.jurisdictions?.length) paths.push(sub(base, "jurisdictions"));
  rule.exceptions.forEach((e, i) => {
    if (exceptionCovers(e, categories)) paths.push(sub(base, "exceptions", i));
  });
  return t.say(describeRetention(rule, categories, { words: w }), ...paths);
}

/** Retention rules that apply to a category: through the purposes using it and rules naming it. */
export function retentionForCategory(decl: Declaration, cat: string): { id: string; rule: RetentionRule }[] {
  return retentionSources(decl, cat).map(({ id }) => ({ id, rule: decl.retention[id] }));
}

/** The retention rules of a category, each with the paths that bind it to the category. */
function retentionSources(decl: Declaration, cat: string): { id: string; via: P[] }[] {
  const via = new Map<string, P[]>();
  const add = (id: string, path: P) => via.set(id, [...(via.get(id) ?? []), path]);
  for (const [pid, p] of Object.entries(decl.purposes)) {
    if (p.retention && p.dataCategories.some((c) => categoryWithin(cat, c) || categoryWithin(c, cat)))
      add(p.retention, ["purposes", pid, "retention"]);
  }
  for (const [id, r] of Object.entries(decl.retention)) {
    const i = r.dataCategories.findIndex((c) => categoryWithin(cat, c));
    if (i >= 0) add(id, ["retention", id, "dataCategories", i]);
  }
  for (const [sid, sys] of Object.entries(decl.systems)) {
    for (const [did, ds] of Object.entries(sys.datasets)) {
      if (Object.values(ds.fields).some((f) => f.category && categoryWithin(f.category, cat)))
        for (const b of retentionBindings(ds)) add(b.rule, ["systems", sid, "datasets", did, "retention"]);
    }
  }
  return [...via].filter(([id]) => decl.retention[id]).map(([id, paths]) => ({ id, via: paths }));
}

/** Every data category the purposes and processor activities name, in first-use order. */
export function collectedCategories(decl: Declaration): string[] {
  return [...collectedWhere(decl).keys()];
}

/** Each collected category with every path that names it. */
function collectedWhere(decl: Declaration): Map<string, P[]> {
  const out = new Map<string, P[]>();
  const add = (c: string, p: P) => out.set(c, [...(out.get(c) ?? []), p]);
  for (const [id, p] of Object.entries(decl.purposes))
    p.dataCategories.forEach((c, i) => add(c, ["purposes", id, "dataCategories", i]));
  for (const [id, a] of Object.entries(decl.processorActivities))
    a.dataCategories.forEach((c, i) => add(c, ["processorActivities", id, "dataCategories", i]));
  return out;
}

/** A data category's name in the notice's language: the declaration's own, else Pledge's built-in one. */
function catName(decl: Declaration, key: string, w: NoticeWords): string {
  return (
    decl.taxonomy.dataCategories[key]?.name ?? builtinCategoryName(key, w.lang) ?? categoryName(key, categoriesOf(decl))
  );
}

function subjectName(decl: Declaration, key: string, w: NoticeWords): string {
  return decl.taxonomy.dataSubjects[key]?.name ?? builtinSubjectName(key, w.lang) ?? subjectsOf(decl)[key]?.name ?? key;
}

/** The purpose's legal bases with the paths that state them. */
function basisItem(p: Purpose, base: P, eu: boolean, t: Trace, w: NoticeWords): Item | undefined {
  const parts: { text: string; paths: P[] }[] = [];
  const cite = (b: string) => (eu ? ` (${w.cite(LEGAL_BASIS_INFO[b].article)})` : "");
  if (p.legalBases.length)
    p.legalBases.forEach((b, i) => {
      const at = sub(base, "legalBases", i);
      const interest = b.legitimateInterest ?? (b.basis === "legitimate_interests" ? p.legitimateInterest : undefined);
      parts.push({
        text:
          `${w.basisName(b.basis)}${cite(b.basis)}${b.scope ? w.basisFor(b.scope) : ""}` +
          `${interest ? w.colon + interest : ""}`,
        paths: [
          sub(at, "basis"),
          ...(interest ? [b.legitimateInterest ? sub(at, "legitimateInterest") : sub(base, "legitimateInterest")] : []),
        ],
      });
    });
  else if (p.legalBasis) {
    const interest = p.legalBasis === "legitimate_interests" ? p.legitimateInterest : undefined;
    parts.push({
      text: `${w.basisName(p.legalBasis)}${cite(p.legalBasis)}${interest ? w.colon + interest : ""}`,
      paths: [sub(base, "legalBasis"), ...(interest ? [sub(base, "legitimateInterest")] : [])],
    });
  }
  if (!parts.length) return eu ? t.law("GDPR Art 13(1)(c)", w.field.notStated) : undefined;
  return t.say(parts.map((x) => x.text).join("; "), ...parts.flatMap((x) => x.paths));
}

function purposeBlocks(decl: Declaration, id: string, p: Purpose, eu: boolean, t: Trace, w: NoticeWords): Block[] {
  const f = w.field;
  const base: P = ["purposes", id];
  const at = (...k: (string | number)[]) => sub(base, ...k);
  const categories = p.dataCategories;
  const sources = t.has(at("sources")) ? p.sources.map((s) => w.source[s]).join("; ") : "";
  const described = p.sourceDescription && t.has(at("sourceDescription"));
  const rows = [
    ...row(p.legalBases.length > 1 ? f.legalBases : f.legalBasis, basisItem(p, base, eu, t, w)),
    ...row(
      f.specialCategories,
      p.specialCategoryCondition
        ? t.say(w.processedUnder(w.art9(p.specialCategoryCondition)), at("specialCategoryCondition"))
        : undefined,
    ),
    ...row(f.data, t.say(categories.map((c) => catName(decl, c, w)).join(", "), at("dataCategories"))),
    ...row(f.about, t.say(p.dataSubjects.map((s) => subjectName(decl, s, w)).join(", "), at("dataSubjects"))),
    ...row(
      f.source,
      sources && described
        ? t.say(`${sources} (${p.sourceDescription})`, at("sources"), at("sourceDescription"))
        : sources
          ? t.say(sources, at("sources"))
          : described
            ? t.say(p.sourceDescription!, at("sourceDescription"))
            : undefined,
    ),
    ...row(
      f.mustProvide,
      p.requirement
        ? p.requirement.consequence
          ? t.say(
              w.requirement[p.requirement.type] + w.ifYouDoNot(p.requirement.consequence),
              at("requirement", "type"),
              at("requirement", "consequence"),
            )
          : t.say(w.requirement[p.requirement.type], at("requirement", "type"))
        : undefined,
    ),
    ...row(
      f.sharedWith,
      p.recipients.length
        ? t.say(
            p.recipients.map((r) => decl.recipients[r]?.name ?? r).join(", "),
            at("recipients"),
            ...p.recipients.filter((r) => decl.recipients[r]).map((r) => ["recipients", r, "name"]),
          )
        : undefined,
    ),
    ...row(
      f.kept,
      p.retention ? withPaths(tracedRetention(decl, p.retention, t, w, categories), at("retention")) : undefined,
    ),
    ...row(
      f.directMarketing,
      objectionKind(p) === "direct_marketing"
        ? t.law(
            "GDPR Art 21(2)-(3)",
            w.mayObjectMarketing,
            p.directMarketing !== undefined ? at("directMarketing") : at("channels"),
          )
        : undefined,
    ),
    ...row(
      f.onlyFor,
      p.jurisdictions?.only ? t.say(p.jurisdictions.only.join(", "), at("jurisdictions", "only")) : undefined,
    ),
    ...row(
      f.notFor,
      p.jurisdictions?.except ? t.say(p.jurisdictions.except.join(", "), at("jurisdictions", "except")) : undefined,
    ),
    ...row(
      f.channels,
      p.channels.length ? t.say(p.channels.map((c) => w.channel[c]).join(", "), at("channels")) : undefined,
    ),
    ...row(f.withdrawConsent, p.withdrawal.length ? t.say(p.withdrawal.join("; "), at("withdrawal")) : undefined),
    ...row(
      f.automatedDecision,
      p.automatedDecision?.used
        ? p.automatedDecision.logic
          ? t.say(p.automatedDecision.logic, at("automatedDecision", "used"), at("automatedDecision", "logic"))
          : t.say(w.yes, at("automatedDecision", "used"))
        : undefined,
    ),
    ...row(
      f.soldOrShared,
      p.sold || p.shared
        ? t.say(
            [p.sold && w.sold, p.shared && w.sharedForAds].filter(Boolean).join(", "),
            ...(p.sold ? [at("sold")] : []),
            ...(p.shared ? [at("shared")] : []),
          )
        : undefined,
    ),
    ...row(f.targetedAdvertising, p.targetedAdvertising ? t.say(w.yes, at("targetedAdvertising")) : undefined),
    ...row(f.profiling, p.profiling ? t.say(w.yes, at("profiling")) : undefined),
  ];
  const blocks: Block[] = [{ kind: "h3", text: p.name, id: `purpose-${id}`, src: { paths: [at("name")] } }];
  if (p.description) blocks.push(...para(t.say(p.description, at("description"))));
  if (rows.length) blocks.push({ kind: "fields", rows });
  return blocks;
}

/** The item with more paths it rests on (a purpose's link to its rule). */
function withPaths(i: Item | undefined, ...paths: P[]): Item | undefined {
  return i ? { content: i.content, src: { ...i.src, paths: [...paths, ...i.src.paths] } } : undefined;
}

/** The item stated through any one of these links (a rule bound to a category by two purposes). */
function viaAny(i: Item | undefined, t: Trace, via: P[]): Item | undefined {
  const stated = via.filter((p) => t.has(p));
  if (!i || !stated.length) return undefined;
  return { content: i.content, src: { ...i.src, anyOf: [...(i.src.anyOf ?? []), ...stated] } };
}

/**
 * The retention of the data: one row per category and rule, naming the purposes it serves; exceptions only where they
 * cover the category. Backups follow, where declared.
 */
function retentionBlocks(decl: Declaration, t: Trace, w: NoticeWords): Block[] {
  const rows: Item[][] = [];
  for (const [cat, named] of collectedWhere(decl)) {
    const name = t.sayAny(catName(decl, cat, w), named)!;
    const rules = retentionSources(decl, cat);
    if (!rules.length) {
      rows.push([name, t.empty(), t.law("GDPR Art 13(2)(a)", w.noRetentionStated)!]);
      continue;
    }
    for (const r of rules) {
      const purposes = Object.entries(decl.purposes).filter(
        ([, p]) =>
          p.retention === r.id && p.dataCategories.some((c) => categoryWithin(cat, c) || categoryWithin(c, cat)),
      );
      rows.push([
        name,
        purposes.length
          ? t.say(
              purposes.map(([, p]) => p.name).join(", "),
              ...purposes.map(([pid]): P => ["purposes", pid, "retention"]),
            )!
          : t.empty(),
        viaAny(tracedRetention(decl, r.id, t, w, [cat]), t, r.via) ?? t.empty(),
      ]);
    }
  }
  const blocks: Block[] = rows.length ? [{ kind: "table", head: [...w.retentionHead], rows }] : [];
  const backups = Object.entries(decl.systems)
    .filter(([, s]) => s.backups)
    .map(([sid, s]) =>
      t.say(
        w.backups(s.name ?? sid, w.duration(s.backups!.period), s.backups!.description),
        ["systems", sid, "backups", "period"],
        ...(s.name ? [["systems", sid, "name"] as P] : []),
        ...(s.backups!.description ? [["systems", sid, "backups", "description"] as P] : []),
      ),
    );
  return [...blocks, ...list(backups)];
}

/**
 * Builds the notice of a declaration in a language. Every statement is traced to the declaration paths that state it
 * (see trace.ts), and made only where the author wrote them: a schema default is never a promise, and a law is cited
 * only where the organization serves its people. The declaration's own texts (purpose names, descriptions, policies)
 * are taken in the language from its `translations`, and as written where it gives none.
 */
export function buildNotice(source: Declaration, lang: NoticeLang = "en"): NoticeDoc {
  const decl = localizeDeclaration(source, lang);
  const t = new Trace(writtenOf(decl));
  const w = withOverrides(NOTICE_WORDS[lang], decl.texts?.[lang]);
  const org = decl.organization;
  const orgName = org.shortName ?? org.name;
  const sections = new Map<NoticeItemId, Block[]>();
  const rightsScope = decl.rights.appliesTo ?? org.jurisdictions;
  const regimes = regimesOf(org.jurisdictions);
  const eu = servesEu(org.jurisdictions);
  const controller = org.roles.includes("controller") || org.roles.includes("joint_controller");
  const O: P = ["organization"];
  const contacts = (c: ContactLike, base: P, country?: { code: string; path: P }) =>
    list(contactLines(c, base, t, w, country));

  // Art 13(1)(a)
  const intro: Block[] = [];
  const named = `${org.name}${org.shortName ? ` (${w.quote(org.shortName)})` : ""}`;
  const namePaths: P[] = [sub(O, "name"), ...(org.shortName ? [sub(O, "shortName")] : []), sub(O, "roles")];
  intro.push(
    ...para(
      controller
        ? t.say(w.controllerIs(named, org.roles.includes("processor")), ...namePaths)
        : t.say(w.processorFor(named), ...namePaths),
    ),
  );
  intro.push(
    ...contacts(
      org.contact,
      sub(O, "contact"),
      org.contact.address ? { code: org.country, path: sub(O, "country") } : undefined,
    ),
  );
  if (org.jointControllers.length) {
    intro.push(...para(t.say(w.jointControllers, sub(O, "jointControllers"))));
    org.jointControllers.forEach((j, i) => {
      const jb = sub(O, "jointControllers", i);
      intro.push(
        ...list([
          ...contactLines(j, jb, t, w),
          j.responsibilities ? t.say(w.responsibleFor(j.responsibilities), sub(jb, "responsibilities")) : undefined,
        ]),
      );
    });
  }
  org.officers.forEach((o, i) => {
    const ob = sub(O, "officers", i);
    intro.push(
      ...para(
        t.say(
          `${o.role}${o.name ? `: ${o.name}` : ""}` +
            (o.responsibilities.length ? `. ${w.responsibleFor(o.responsibilities.join("; "))}` : ""),
          sub(ob, "role"),
          ...(o.name ? [sub(ob, "name")] : []),
          ...(o.responsibilities.length ? [sub(ob, "responsibilities")] : []),
        ),
      ),
    );
    if (o.contact) intro.push(...contacts(o.contact, sub(ob, "contact")));
  });
  if (org.disputeResolution) {
    const free = !!org.disputeResolution.free;
    intro.push(
      ...para(
        t.say(
          w.disputeResolution(free),
          sub(O, "disputeResolution"),
          ...(free ? [sub(O, "disputeResolution", "free")] : []),
        ),
      ),
    );
    intro.push(...contacts(org.disputeResolution, sub(O, "disputeResolution")));
  }
  if (org.certifications.length)
    intro.push(...para(t.say(w.certifications(org.certifications), sub(O, "certifications"))));
  sections.set("controller", intro);

  if (org.dpo) sections.set("dpo", [...para(t.say(w.dpoLead, sub(O, "dpo"))), ...contacts(org.dpo, sub(O, "dpo"))]);
  const reps: Block[] = [];
  if (org.euRepresentative)
    reps.push(
      ...para(t.say(w.euRepresentative, sub(O, "euRepresentative"))),
      ...contacts(org.euRepresentative, sub(O, "euRepresentative")),
    );
  if (org.ukRepresentative)
    reps.push(
      ...para(t.say(w.ukRepresentative, sub(O, "ukRepresentative"))),
      ...contacts(org.ukRepresentative, sub(O, "ukRepresentative")),
    );
  if (reps.length) sections.set("representative", reps);

  // Art 13(1)(c)-(d), 13(2)(e), 14(1)(d), 14(2)(f)
  sections.set(
    "purposes",
    Object.entries(decl.purposes).flatMap(([id, p]) =>
      purposeBlocks(decl, id, p, servesEu(purposeJurisdictions(decl, p)), t, w),
    ),
  );

  // Art 13(1)(e)
  const recipients = Object.entries(decl.recipients);
  if (recipients.length) {
    sections.set("recipients", [
      {
        kind: "table",
        head: [...w.recipientsHead],
        rows: recipients.map(([rid, r]) => {
          const rb: P = ["recipients", rid];
          const using = Object.entries(decl.purposes).filter(([, p]) => p.recipients.includes(rid));
          const why = [r.description, using.map(([, p]) => p.name).join(", ")].filter(Boolean).join(". ");
          return [
            t.say(r.privacyPolicy ? [{ text: r.name, href: r.privacyPolicy }] : [r.name], sub(rb, "name"))!,
            t.say(w.recipientRole(r.role), sub(rb, "role")) ?? t.empty(),
            (r.audience
              ? t.say(placeOf(r, w), sub(rb, "audience"))
              : r.country
                ? t.say(placeOf(r, w), sub(rb, "country"))
                : undefined) ?? t.empty(),
            why
              ? t.say(
                  why,
                  ...(r.description ? [sub(rb, "description")] : []),
                  ...using.map(([pid, p]): P => ["purposes", pid, "recipients", p.recipients.indexOf(rid)]),
                )!
              : t.empty(),
          ];
        }),
      },
    ]);
  }
  if (decl.governance?.legalRequests) {
    const blocks = sections.get("recipients") ?? [];
    blocks.push(
      ...para(
        t.say(w.publicAuthorities(decl.governance.legalRequests.policy), ["governance", "legalRequests", "policy"]),
      ),
    );
    sections.set("recipients", blocks);
  }

  // Art 13(1)(f): only where the GDPR applies.
  const transferRows: Item[][] = [];
  let copies = false;
  if (eu) {
    const mechanisms = (tr: NonNullable<Recipient["transfer"]>, base: P) => {
      if (tr.mechanisms.some((m) => COPY_OBTAINABLE.has(m))) copies = true;
      return t.say(tr.mechanisms.map((m) => w.mechanism(m)).join("; "), sub(base, "mechanisms"))!;
    };
    const notes = (tr: Recipient["transfer"], base: P) => {
      const parts = [
        tr?.note && t.say(tr.note, sub(base, "note")),
        !!tr?.supplementaryMeasures.length &&
          t.say(w.supplementaryMeasures(tr.supplementaryMeasures), sub(base, "supplementaryMeasures")),
      ].filter(defined);
      return parts.length
        ? {
            content: parts.flatMap((x, i) => (i ? [" ", ...x.content] : x.content)),
            src: { paths: parts.flatMap((x) => x.src.paths) },
          }
        : t.empty("");
    };
    if (org.transfer && !EEA_COUNTRIES.has(org.country)) {
      transferRows.push([
        t.say(org.name, sub(O, "name"))!,
        t.say(countryName(org.country, lang), sub(O, "country"))!,
        mechanisms(org.transfer, sub(O, "transfer")),
        notes(org.transfer, sub(O, "transfer")),
      ]);
    }
    for (const [rid, r] of Object.entries(decl.recipients)) {
      if (!r.country || EEA_COUNTRIES.has(r.country)) continue;
      const rb: P = ["recipients", rid];
      const mech = r.transfer
        ? mechanisms(r.transfer, sub(rb, "transfer"))
        : ADEQUACY[r.country]
          ? t.law(
              `GDPR Art 45(3), ${ADEQUACY[r.country].cite}`,
              w.adequacy(ADEQUACY[r.country].scope),
              sub(rb, "country"),
            )!
          : t.law("GDPR Art 13(1)(f)", w.noneStated, sub(rb, "country"))!;
      transferRows.push([
        t.say(r.name, sub(rb, "name"))!,
        t.say(countryName(r.country, lang), sub(rb, "country"))!,
        mech,
        notes(r.transfer, sub(rb, "transfer")),
      ]);
    }
  }
  if (transferRows.length) {
    sections.set("transfers", [
      ...para(t.law("GDPR Art 13(1)(f)", copies ? `${w.transfersLead} ${w.transfersCopy}` : w.transfersLead)),
      { kind: "table", head: [...w.transfersHead], rows: transferRows },
    ]);
  }

  // Art 13(2)(a): per category and purpose
  const retention = retentionBlocks(decl, t, w);
  if (retention.length) sections.set("retention", retention);

  // Rights, per law served.
  if (controller) {
    const rightsBlocks = rightsSection(decl, rightsScope, t, w);
    if (rightsBlocks.length) sections.set("rights", rightsBlocks);
  }

  // Art 13(2)(f): each purpose's own answer; nothing is said for the organization as a whole.
  const automated = Object.entries(decl.purposes).filter(([, p]) => p.automatedDecision);
  if (automated.length) {
    sections.set(
      "automated",
      automated.flatMap(([id, p]) => {
        const ab: P = ["purposes", id, "automatedDecision"];
        const a = p.automatedDecision!;
        const text = a.used
          ? `${p.name}: ${[a.logic, a.significance].filter(Boolean).join(" ")}`.trim()
          : w.noAutomatedDecisionFor(p.name);
        return para(
          t.say(
            text,
            ["purposes", id, "name"],
            sub(ab, "used"),
            ...(a.used && a.logic ? [sub(ab, "logic")] : []),
            ...(a.used && a.significance ? [sub(ab, "significance")] : []),
          ),
        );
      }),
    );
  }

  if (decl.consent && Object.keys(decl.consent.categories).length) sections.set("cookies", cookieBlocks(decl, t, w));

  const newsletters = Object.entries(decl.consent?.newsletters ?? {});
  if (newsletters.length) {
    sections.set(
      "newsletters",
      newsletters.flatMap(([nid, n]): Block[] => {
        const nb: P = ["consent", "newsletters", nid];
        const d = n.doubleOptIn;
        const db = sub(nb, "doubleOptIn");
        const confirm = d?.confirmWithin ? w.duration(d.confirmWithin, "dat") : undefined;
        const optIn = !d
          ? undefined
          : d.enabled === false
            ? t.say(w.noDoubleOptIn, sub(db, "enabled"))
            : t.say(
                w.doubleOptIn(
                  confirm,
                  confirm && d.deleteUnconfirmedAfter ? w.duration(d.deleteUnconfirmedAfter, "dat") : undefined,
                ),
                db,
                ...(confirm ? [sub(db, "confirmWithin")] : []),
                ...(confirm && d.deleteUnconfirmedAfter ? [sub(db, "deleteUnconfirmedAfter")] : []),
              );
        const proof =
          d?.enabled !== false && d?.proof?.length ? t.say(w.doubleOptInProof(d.proof), sub(db, "proof")) : undefined;
        const fields = [
          n.requiredFields.length
            ? t.say(w.newsletterRequired(n.requiredFields), sub(nb, "requiredFields"))
            : undefined,
          n.optionalFields.length
            ? t.say(w.newsletterOptional(n.optionalFields), sub(nb, "optionalFields"))
            : undefined,
          n.unsubscribe.length ? t.say(w.newsletterUnsubscribe(n.unsubscribe), sub(nb, "unsubscribe")) : undefined,
        ].filter(defined);
        return [
          { kind: "h3", text: n.name, src: { paths: [sub(nb, "name")] } },
          ...(n.description ? para(t.say(n.description, sub(nb, "description"))) : []),
          ...para(joinItems([optIn, proof])),
          ...para(joinItems(fields)),
        ];
      }),
    );
  }

  if (regimes.includes("ccpa") && controller) sections.set("ccpa", ccpaSection(decl, t, w));
  const states = regimes.filter((r) => REGIMES[r].family === "us_state" && r !== "ccpa");
  if (states.length && controller) sections.set("us_states", usStatesSection(decl, states, t, w));
  const others = regimes.filter((r) => REGIMES[r].family === "other");
  if (others.length && controller) sections.set("other_laws", otherLawsSection(decl, others, t, w));

  if (decl.children) {
    const k = decl.children;
    const kb: P = ["children"];
    sections.set(
      "children",
      para(
        joinItems([
          t.say(w.childrenNotDirected(k.minimumAge), sub(kb, "minimumAge")),
          k.parentalConsentBelow
            ? t.say(w.parentalConsent(k.parentalConsentBelow), sub(kb, "parentalConsentBelow"))
            : undefined,
          k.noSaleUnder16 ? t.say(w.noSaleUnder16, sub(kb, "noSaleUnder16")) : undefined,
          k.description ? t.say(k.description, sub(kb, "description")) : undefined,
        ]),
      ),
    );
  }

  const activities = Object.entries(decl.processorActivities);
  if (activities.length) {
    sections.set(
      "processing",
      activities.flatMap(([aid, a]): Block[] => {
        const ab: P = ["processorActivities", aid];
        const rows = [
          ...row(
            w.field.forWhom,
            // "; " between controllers: a name may hold a comma ("Acme, Inc.").
            t.say(a.controllers.map((c) => (typeof c === "string" ? c : c.name)).join("; "), sub(ab, "controllers")),
          ),
          ...row(w.field.whatWeDo, t.say(a.processing.join("; "), sub(ab, "processing"))),
          ...row(
            w.field.data,
            a.dataCategories.length
              ? t.say(a.dataCategories.map((c) => catName(decl, c, w)).join(", "), sub(ab, "dataCategories"))
              : undefined,
          ),
          ...row(
            w.field.where,
            a.locations.length
              ? t.say(a.locations.map((l) => countryName(l, lang)).join(", "), sub(ab, "locations"))
              : undefined,
          ),
          ...row(
            w.field.subProcessors,
            a.subProcessors.length
              ? t.say(
                  a.subProcessors
                    .map((r) => {
                      const rec = decl.recipients[r];
                      return `${rec?.name ?? r} (${rec ? placeOf(rec, w) : "—"})`;
                    })
                    .join(", "),
                  sub(ab, "subProcessors"),
                )
              : undefined,
          ),
        ];
        return [
          { kind: "h3", text: a.name, src: { paths: [sub(ab, "name")] } },
          ...(a.description ? para(t.say(a.description, sub(ab, "description"))) : []),
          ...(rows.length ? [{ kind: "fields", rows } as Block] : []),
        ];
      }),
    );
  }

  const gov = decl.governance;
  if (gov) sections.set("governance", governanceBlocks(gov, t, w));
  if (!sections.get("governance")?.length) sections.delete("governance");

  const security: Block[] = [];
  if (decl.security)
    security.push(...list(decl.security.measures.map((m, i) => t.say(m, ["security", "measures", i]))));
  const minimised = minimisations(decl, t, w);
  if (minimised.length) security.push(...para(t.law("GDPR Art 5(1)(c)", w.minimisationLead)), ...list(minimised));
  if (security.length) sections.set("security", security);

  const nb: P = ["notice"];
  const changes: Block[] = [
    ...para(t.say(w.versionSentence(decl.version, decl.effectiveDate), ["version"], ["effectiveDate"])),
  ];
  if (decl.notice.changeNotification.length) {
    const advance = decl.notice.advanceNotice;
    const hedge = advance ? decl.notice.advanceNoticeHedge : undefined;
    changes.push(
      ...para(
        t.say(
          w.changeNotification(decl.notice.changeNotification, advance ? w.duration(advance) : undefined, hedge),
          sub(nb, "changeNotification"),
          ...(advance ? [sub(nb, "advanceNotice")] : []),
          ...(hedge ? [sub(nb, "advanceNoticeHedge")] : []),
        ),
      ),
    );
  }
  if (decl.notice.changeNotice) changes.push(...para(t.say(decl.notice.changeNotice, sub(nb, "changeNotice"))));
  changes.push(
    ...para(
      t.say(
        [{ text: w.earlierVersions, href: `/privacy/versions${lang === "en" ? "" : `?lang=${lang}`}` }],
        ["version"],
      ),
    ),
  );
  sections.set("changes", changes);

  const titles: Partial<Record<NoticeItemId, string>> = {
    rights: w.rightsTitle(eu),
    representative: w.representativesTitle(!!org.euRepresentative, !!org.ukRepresentative),
  };
  return {
    lang,
    title: w.title(orgName),
    organization: org.name,
    version: decl.version,
    effectiveDate: decl.effectiveDate,
    meta: w.versionLine(decl.version, decl.effectiveDate),
    sectionsLabel: w.sectionsLabel,
    sections: NOTICE_ITEMS.filter((i) => sections.get(i.id)?.length).map((i) => ({
      id: i.id,
      title: titles[i.id] ?? w.itemTitle(i.id),
      article: i.article,
      blocks: sections.get(i.id)!,
    })),
  };
}

/** Safeguards of which a copy can be given (Art 13(1)(f): "the means by which to obtain a copy of them"). */
const COPY_OBTAINABLE = new Set([
  "scc_2021",
  "scc_pre2021",
  "bcr",
  "uk_idta",
  "uk_addendum",
  "code_of_conduct",
  "certification",
]);

/** Several traced sentences as one paragraph, resting on all their paths. */
function joinItems(items: (Item | undefined)[], separator = " "): Item | undefined {
  const made = items.filter(defined);
  if (!made.length) return undefined;
  const law = made.map((i) => i.src.law).filter(defined);
  const anyOf = made.flatMap((i) => i.src.anyOf ?? []);
  return {
    content: made.flatMap((i, n) => (n ? [separator, ...i.content] : i.content)),
    src: {
      paths: made.flatMap((i) => i.src.paths),
      ...(anyOf.length ? { anyOf } : {}),
      ...(law.length ? { law: law.join("; ") } : {}),
    },
  };
}

/**
 * The item stated for the places the rights apply to: `rights.appliesTo`, or the organization's jurisdictions where it
 * gives none (either says it).
 */
function scoped(i: Item | undefined, decl: Declaration, t: Trace): Item | undefined {
  return viaAny(
    i,
    t,
    decl.rights.appliesTo
      ? [
          ["rights", "appliesTo"],
          ["organization", "jurisdictions"],
        ]
      : [["organization", "jurisdictions"]],
  );
}

/** The fields the declaration minimises (an IP address truncated to /24), each with its system and dataset. */
function minimisations(decl: Declaration, t: Trace, w: NoticeWords): Item[] {
  const out: Item[] = [];
  for (const [sid, s] of Object.entries(decl.systems))
    for (const [did, ds] of Object.entries(s.datasets))
      for (const [fid, f] of Object.entries(ds.fields)) {
        if (!f.minimisation) continue;
        const fb: P = ["systems", sid, "datasets", did, "fields", fid];
        const what = f.label ?? (f.category ? catName(decl, f.category, w) : fid);
        const item = t.say(
          `${what}${w.colon}${f.minimisation}`,
          sub(fb, "minimisation"),
          ...(f.label ? [sub(fb, "label")] : f.category ? [sub(fb, "category")] : []),
        );
        if (item) out.push(item);
      }
  return out;
}

/** A cookie with its lifetime. */
const cookieText = (k: { name: string; duration?: string }, w: NoticeWords) =>
  k.name + (k.duration ? `, ${w.duration(k.duration)}` : "");

/** The cookie section: the lead that the categories bear out, the table, and the signals honoured. */
function cookieBlocks(decl: Declaration, t: Trace, w: NoticeWords): Block[] {
  const c = decl.consent!;
  const lang = w.lang;
  const cb: P = ["consent", "categories"];
  const inLang = (cat: (typeof c.categories)[string]) => ({
    name: cat.translations?.[lang]?.name ?? cat.name,
    description: cat.translations?.[lang]?.description ?? cat.description,
  });
  const entries = Object.entries(c.categories);
  const optional = entries.filter(([, x]) => !x.essential);
  const onByDefault = optional.filter(([, x]) => x.default);
  const lead = !optional.length
    ? t.say(w.cookiesOnlyNeeded, ...entries.map(([id]) => sub(cb, id, "essential")))
    : onByDefault.length
      ? t.law(
          "ePrivacy Directive Art 5(3)",
          w.cookiesOnByDefault(onByDefault.map(([, x]) => inLang(x).name)),
          ...onByDefault.map(([id]) => sub(cb, id, "default")),
        )
      : t.lawAny(
          "ePrivacy Directive Art 5(3)",
          w.cookiesOptIn,
          optional.map(([id]) => sub(cb, id)),
        );
  const change = optional.length
    ? t.lawAny(
        "GDPR Art 7(3)",
        w.cookiesChange,
        optional.map(([id]) => sub(cb, id)),
      )
    : undefined;
  const validity = c.validity
    ? t.say(w.cookiesValidity(w.duration(c.validity)).trim(), ["consent", "validity"])
    : undefined;
  const signals = [
    c.signals?.gpc === true ? t.say(w.gpc, ["consent", "signals", "gpc"]) : undefined,
    c.signals?.dnt === true ? t.say(w.dnt, ["consent", "signals", "dnt"]) : undefined,
  ];
  return [
    ...para(joinItems([lead, change, validity])),
    {
      kind: "table",
      head: [...w.cookiesHead],
      rows: entries.map(([id, cat]) => {
        const at = sub(cb, id);
        return [
          t.say(inLang(cat).name, sub(at, "name"))!,
          cat.description ? t.say(inLang(cat).description ?? "", sub(at, "description"))! : t.empty(),
          cat.services.length
            ? t.say(
                cat.services
                  .map(
                    (s) => s.name + (s.cookies.length ? ` (${s.cookies.map((k) => cookieText(k, w)).join("; ")})` : ""),
                  )
                  .join(", "),
                sub(at, "services"),
              )!
            : t.empty(),
          cat.essential
            ? t.say(w.cookieDefault.always, sub(at, "essential"))!
            : cat.default
              ? t.say(w.cookieDefault.on, sub(at, "default"))!
              : t.law("ePrivacy Directive Art 5(3)", w.cookieDefault.off)!,
        ];
      }),
    },
    ...para(joinItems(signals)),
  ];
}

/** Staff access, remote sessions, authorities, agreements, sub-processors, breaches, mergers, assessments. */
function governanceBlocks(gov: NonNullable<Declaration["governance"]>, t: Trace, w: NoticeWords): Block[] {
  const G: P = ["governance"];
  const blocks: Block[] = [];
  if (gov.staffAccess) {
    const sb = sub(G, "staffAccess");
    const s = gov.staffAccess;
    blocks.push({ kind: "h3", text: w.staffAccess }, ...para(t.say(s.policy, sub(sb, "policy"))));
    blocks.push(
      ...list(
        s.protectedClasses.map((c, i) =>
          t.say(
            `${c.name}${c.description ? `: ${c.description}` : ""}${c.excludes ? w.except(c.excludes) : ""}`,
            sub(sb, "protectedClasses", i),
          ),
        ),
      ),
    );
    if (s.purposes.length)
      blocks.push(
        ...para(t.say(w.staffPurposesLead, sub(sb, "purposes"))),
        ...list(s.purposes.map((p, i) => t.say(p.description, sub(sb, "purposes", i, "description")))),
      );
    if (s.exceptions.length)
      blocks.push(
        ...para(t.say(w.exceptionsLead, sub(sb, "exceptions"))),
        ...list(s.exceptions.map((e, i) => t.say(e.description, sub(sb, "exceptions", i, "description")))),
      );
  }
  if (gov.remoteSessions) {
    const rb = sub(G, "remoteSessions");
    const kept = t.has(sub(rb, "recordingRetention"));
    blocks.push(
      ...para(
        t.say(
          w.remoteSessions(
            gov.remoteSessions.form,
            kept ? w.duration(gov.remoteSessions.recordingRetention) : undefined,
          ),
          sub(rb, "form"),
          ...(kept ? [sub(rb, "recordingRetention")] : []),
        ),
      ),
    );
  }
  if (gov.temporaryCopies)
    blocks.push(
      ...para(
        t.say(w.temporaryCopies(w.duration(gov.temporaryCopies.purgeWithin)), sub(G, "temporaryCopies", "purgeWithin")),
      ),
    );
  if (gov.legalRequests) {
    const lb = sub(G, "legalRequests");
    const l = gov.legalRequests;
    const verified = l.verificationRequired
      ? t.say(w.verifiedRequests.trim(), sub(lb, "verificationRequired"))
      : undefined;
    const report = l.transparencyReport
      ? t.say(
          [{ text: w.transparencyReport, href: "/privacy/transparency" }, w.transparencyCounts],
          sub(lb, "transparencyReport"),
        )
      : undefined;
    blocks.push(
      { kind: "h3", text: w.requestsFromAuthorities },
      ...para(joinItems([t.say(l.policy, sub(lb, "policy")), verified, report])),
    );
  }
  if (gov.agreements.length) {
    blocks.push(
      { kind: "h3", text: w.agreements },
      ...list(
        gov.agreements.map((a, i) => {
          const ab = sub(G, "agreements", i);
          return t.say(
            [
              a.url ? { text: a.name, href: a.url } : a.name,
              `${a.description ? `: ${a.description}` : ""}${a.automatic ? w.includedAutomatically : ""}`,
            ],
            sub(ab, "name"),
            ...(a.url ? [sub(ab, "url")] : []),
            ...(a.description ? [sub(ab, "description")] : []),
            ...(a.automatic ? [sub(ab, "automatic")] : []),
          );
        }),
      ),
    );
  }
  if (gov.subProcessors) {
    const sb = sub(G, "subProcessors");
    const sp = gov.subProcessors;
    const window = t.has(sub(sb, "objectionWindow")) ? w.duration(sp.objectionWindow, "dat") : undefined;
    const notice = sp.noticePeriod ? w.duration(sp.noticePeriod) : undefined;
    const href = sp.url ?? "/privacy/subprocessors";
    blocks.push(
      { kind: "h3", text: w.field.subProcessors },
      ...para(
        t.say(
          [{ text: w.subProcessorsList, href }, w.subProcessorsSentence({ subscribe: !!sp.list, window, notice })],
          sp.url ? sub(sb, "url") : sub(sb, "list"),
          ...(window ? [sub(sb, "objectionWindow")] : []),
          ...(notice ? [sub(sb, "noticePeriod")] : []),
        ),
      ),
    );
  }
  if (gov.breach)
    blocks.push(
      { kind: "h3", text: w.dataBreaches },
      ...para(t.say(gov.breach.procedure, sub(G, "breach", "procedure"))),
    );
  if (gov.businessTransfers)
    blocks.push(
      { kind: "h3", text: w.mergers },
      ...para(t.say(w.businessTransfers(gov.businessTransfers.notify), sub(G, "businessTransfers", "notify"))),
    );
  if (gov.assessments)
    blocks.push(
      ...para(
        t.say(
          w.assessments(gov.assessments.frequency, gov.assessments.owner),
          sub(G, "assessments", "frequency"),
          ...(gov.assessments.owner ? [sub(G, "assessments", "owner")] : []),
        ),
      ),
    );
  return blocks.filter((b, i, all) => b.kind !== "h3" || (all[i + 1] && all[i + 1].kind !== "h3"));
}

/** How to make a request: the declared channels, verification, agents and fee, each only when declared. */
function howToAsk(decl: Declaration, t: Trace, w: NoticeWords): Block[] {
  const rights = decl.rights;
  const R: P = ["rights"];
  const blocks: Block[] = [...para(t.say(w.howToAskLead, sub(R, "channels")))];
  blocks.push(
    ...list(
      rights.channels.map((c, i) =>
        t.say(
          c.type === "email"
            ? [w.channelType("email") + w.colon, mail(c.address)]
            : c.type === "web" && /^https?:/.test(c.address)
              ? [w.channelType("web") + w.colon, link(c.address)]
              : [w.channelType(c.type) + w.colon + c.address],
          sub(R, "channels", i),
        ),
      ),
    ),
  );
  const v = rights.verification;
  if (v)
    blocks.push(
      ...para(
        t.say(
          w.verification(v.method, v.description),
          sub(R, "verification", "method"),
          ...(v.description ? [sub(R, "verification", "description")] : []),
        ),
      ),
    );
  const a = rights.authorizedAgents;
  if (a?.allowed) {
    const signedPath = sub(R, "authorizedAgents", "requireSignedAuthorization");
    const signed = t.has(signedPath) && a.requireSignedAuthorization;
    blocks.push(
      ...para(
        t.say(
          w.agents(signed, a.description),
          sub(R, "authorizedAgents", "allowed"),
          ...(signed ? [signedPath] : []),
          ...(a.description ? [sub(R, "authorizedAgents", "description")] : []),
        ),
      ),
    );
  }
  if (rights.fee) blocks.push(...para(t.say(w.fee(rights.fee), sub(R, "fee"))));
  return blocks;
}

/** Whether the organization offers one of these rights: the answer time of a right not offered is not promised. */
const offers = (decl: Declaration, rights: readonly RightName[]) => rights.some((r) => decl.rights.offered.includes(r));

/**
 * When each law's requests are answered: the promise where it is shorter, never beyond the law. The sentence is the
 * law's (its article), resting on the jurisdictions served and any promise.
 */
function answerTimes(
  decl: Declaration,
  regimes: RegimeId[],
  scope: readonly string[],
  t: Trace,
  w: NoticeWords,
): Item | undefined {
  const items = regimes.map((id) => {
    const r = REGIMES[id];
    const j = scope.find((x) => regimeFor(x) === id) ?? r.jurisdictions[0];
    const promised = promisedResponseTime(decl, j);
    const parsed = promised ? parseDuration(promised) : undefined;
    const kept = parsed && notLongerThan(parsed, r.deadline);
    const rt = decl.rights.responseTime;
    const promisePath: P = typeof rt === "string" ? ["rights", "responseTime"] : ["rights", "responseTime", j];
    const optOut = r.optOutDeadline && offers(decl, OPT_OUT_CLOCK_RIGHTS) ? r.optOutDeadline : undefined;
    return scoped(
      t.law(
        [r.cite, optOut?.cite, r.simplifiedAtOnce, offers(decl, ["withdraw_consent"]) && r.consentRevocation?.cite]
          .filter(Boolean)
          .join("; "),
        w.answerTime({
          regime: id,
          // Where the law sets no number ("without delay"), the notice says the law's words: Pledge's working target is
          // not a promise.
          within: kept ? { declared: promised! } : r.deadlineWords ? { words: r.deadlineWords } : { rule: r.deadline },
          deadline: r.deadline,
          extension: r.extension,
          extensionReason: r.extensionReason,
          optOut,
          limits: !!optOut && offers(decl, ["limit_sensitive"]),
          receipt: r.receipt,
          simplifiedAtOnce: !!r.simplifiedAtOnce,
          ...(r.consentRevocation && offers(decl, ["withdraw_consent"]) ? { revocation: r.consentRevocation } : {}),
        }),
        ...(kept ? [promisePath] : []),
      ),
      decl,
      t,
    );
  });
  return joinItems(items);
}

/** Each offered right of a law, traced to its place in `rights.offered` and cited to the law's article. */
function offeredRights(decl: Declaration, within: readonly RightName[]): { right: RightName; path: P }[] {
  return decl.rights.offered
    .map((right, i) => ({ right, path: ["rights", "offered", i] as P }))
    .filter((x) => within.includes(x.right));
}

/** The EU/UK GDPR rights (with articles, Art 21(4) objection separately), and the rights under no specific law. */
function rightsSection(decl: Declaration, scope: readonly string[], t: Trace, w: NoticeWords): Block[] {
  const org = decl.organization;
  const rights = decl.rights;
  const gdprRegimes = regimesOf(scope).filter((r) => REGIMES[r].family === "gdpr");
  const blocks: Block[] = [];
  if (gdprRegimes.length) {
    const listed = offeredRights(decl, GDPR_LISTED);
    blocks.push(
      ...para(scoped(t.law("GDPR Art 13(2)(b)", w.gdprLead(gdprRegimes as ("gdpr" | "uk_gdpr")[])), decl, t)),
    );
    blocks.push(...list(listed.map((x) => t.law(RIGHT_INFO[x.right].article, w.gdprRight(x.right), x.path))));
    const objection = offeredRights(decl, ["objection"])[0];
    if (objection) {
      const purposes = (kind: string) => Object.entries(decl.purposes).filter(([, p]) => objectionKind(p) === kind);
      const balancing = purposes("balancing");
      const marketing = purposes("direct_marketing");
      const item = joinItems([
        balancing.length
          ? t.law(
              "GDPR Art 21(1), (4)",
              w.objectBalancing(balancing.map(([, p]) => p.name)),
              objection.path,
              ...balancing.map(([id]): P => ["purposes", id, "name"]),
            )
          : undefined,
        marketing.length
          ? t.law(
              "GDPR Art 21(2)-(4)",
              w.objectMarketing(marketing.map(([, p]) => p.name)),
              objection.path,
              ...marketing.map(([id]): P => ["purposes", id, "name"]),
            )
          : undefined,
      ]);
      if (item) blocks.push({ kind: "h3", text: w.rightToObject }, ...para(item));
    }
    blocks.push(...howToAsk(decl, t, w));
    blocks.push(...para(terminate(answerTimes(decl, gdprRegimes, scope, t, w))));
    if (rights.notifyRecipients.length)
      blocks.push(
        ...para(t.law("GDPR Art 19", w.notifyRecipients(rights.notifyRecipients), ["rights", "notifyRecipients"])),
      );
    const sa = org.supervisoryAuthority;
    blocks.push(
      ...para(
        sa?.name
          ? t.law("GDPR Art 13(2)(d)", w.complain(sa.name), ["organization", "supervisoryAuthority", "name"])
          : scoped(t.law("GDPR Art 13(2)(d)", w.complain(undefined)), decl, t),
      ),
    );
    if (sa)
      blocks.push(...list(contactLines({ ...sa, name: undefined }, ["organization", "supervisoryAuthority"], t, w)));
    const consent = Object.entries(decl.purposes).filter(([, p]) => basesOf(p).some((b) => b.basis === "consent"));
    if (consent.length)
      blocks.push(
        ...para(
          t.lawAny(
            "GDPR Art 13(2)(c)",
            w.withdrawConsent,
            consent.map(
              ([id, p]): P =>
                p.legalBases.length
                  ? ["purposes", id, "legalBases", p.legalBases.findIndex((b) => b.basis === "consent"), "basis"]
                  : ["purposes", id, "legalBasis"],
            ),
          ),
        ),
      );
    return blocks;
  }
  // No GDPR: the rights the organization offers, in plain words, without articles; the laws' own sections follow.
  if (!regimesOf(scope).some((r) => REGIMES[r].family !== "none")) {
    const offered = rights.offered.map((r, i) => ({ r, i })).filter((x) => x.r !== "complaint");
    blocks.push(...para(t.say(w.youMayAsk, ["rights", "offered"])));
    blocks.push(...list(offered.map((x) => t.say(w.plainRight(x.r), ["rights", "offered", x.i]))));
    blocks.push(...howToAsk(decl, t, w));
    const promised = promisedResponseTime(decl, scope[0] ?? "US");
    const rt = rights.responseTime;
    if (promised)
      blocks.push(
        ...para(
          t.say(
            w.promisedAnswer(w.duration(promised, "dat")),
            typeof rt === "string" ? ["rights", "responseTime"] : ["rights", "responseTime", scope[0] ?? "US"],
          ),
        ),
      );
  }
  return blocks;
}

/** The GDPR rights listed one by one (objection has its own paragraph, Art 21(4)). */
const GDPR_LISTED: RightName[] = (Object.keys(RIGHT_INFO) as RightName[]).filter(
  (r) => RIGHT_INFO[r].article.startsWith("GDPR") && r !== "objection",
);

/** The item ending in a full stop. */
function terminate(i: Item | undefined): Item | undefined {
  return i ? { ...i, content: [...i.content, "."] } : undefined;
}

/** CCPA: the notice at collection and the privacy-policy items (11 CCR § 7011, § 7012). */
function ccpaSection(decl: Declaration, t: Trace, w: NoticeWords): Block[] {
  const cats = categoriesOf(decl);
  const ca = Object.entries(decl.purposes).filter(([, p]) => purposeJurisdictions(decl, p).includes("US-CA"));
  const collected = [...new Set(ca.flatMap(([, p]) => p.dataCategories))];
  // Sensitive as the purposes hold it: a card number only with its security code (1798.140(ae)(1)(B)).
  const sensitive = new Set(ca.flatMap(([, p]) => sensitiveAmong(p.dataCategories, cats)));
  const rows: Item[][] = collected.map((cat) => {
    const using = ca.filter(([, p]) => p.dataCategories.includes(cat));
    const at = (id: string, ...k: (string | number)[]): P => ["purposes", id, ...k];
    const named = using.map(([id, p]) => at(id, "dataCategories", p.dataCategories.indexOf(cat)));
    const withSources = using.filter(([id]) => t.has(at(id, "sources")));
    const sources = [...new Set(withSources.flatMap(([, p]) => p.sources))].map((s) => w.source[s]);
    const soldPaths = using.filter(([id, p]) => p.sold && t.has(at(id, "sold"))).map(([id]) => at(id, "sold"));
    const sharedPaths = using.filter(([id, p]) => p.shared && t.has(at(id, "shared"))).map(([id]) => at(id, "shared"));
    const statedNo = using.filter(([id]) => t.has(at(id, "sold")) && t.has(at(id, "shared")));
    const thirdParties = using.flatMap(([id, p]) =>
      p.recipients
        .filter((r) => decl.recipients[r])
        .map((r) => ({
          role: w.recipientRole(decl.recipients[r].role),
          path: ["recipients", r, "role"] as P,
          via: at(id, "recipients"),
        })),
    );
    const rules = retentionSources(decl, cat);
    const retention = joinSemicolon(rules.map((r) => viaAny(tracedRetention(decl, r.id, t, w, [cat]), t, r.via)));
    return [
      t.sayAny(catName(decl, cat, w) + (sensitive.has(cat) ? w.sensitive : ""), named)!,
      t.say(using.map(([, p]) => p.name).join(", "), ...using.map(([id]) => at(id, "name")))!,
      sources.length
        ? t.sayAny(
            sources.join("; "),
            withSources.map(([id]) => at(id, "sources")),
          )!
        : t.law("Cal. Civ. Code § 1798.110(c)(2)", w.field.notStated)!,
      thirdParties.length
        ? t.sayAny(
            [...new Set(thirdParties.map((x) => x.role))].join(", "),
            thirdParties.map((x) => x.via),
          )!
        : t.law("Cal. Civ. Code § 1798.110(c)(4)", w.none, ...named)!,
      soldPaths.length || sharedPaths.length
        ? t.sayAny(w.soldShared(!!soldPaths.length, !!sharedPaths.length), [...soldPaths, ...sharedPaths])!
        : statedNo.length === using.length
          ? t.say(w.soldShared(false, false), ...statedNo.flatMap(([id]) => [at(id, "sold"), at(id, "shared")]))!
          : t.law("Cal. Civ. Code § 1798.115(c)", w.field.notStated)!,
      retention ?? t.law("Cal. Civ. Code § 1798.100(a)(3)", w.noRetentionStated)!,
    ];
  });
  const scope: P = ["organization", "jurisdictions"];
  const blocks: Block[] = [
    ...para(t.law("Cal. Civ. Code § 1798.100(a); 11 CCR § 7011", w.ccpaLead, scope)),
    { kind: "table", head: [...w.ccpaHead], rows },
  ];
  const offered = offeredRights(decl, REGIMES.ccpa.rights);
  if (offered.length) {
    blocks.push(...para(t.law("11 CCR § 7011(e)(2)", w.youHaveTheRight, scope)));
    blocks.push(
      ...list(
        offered.map((x) =>
          t.law(
            CCPA_ARTICLE[x.right] ?? RIGHT_INFO[x.right].article,
            w.ccpaRight(x.right, CCPA_ARTICLE[x.right] ?? RIGHT_INFO[x.right].article),
            x.path,
          ),
        ),
      ),
    );
  }
  blocks.push(...para(terminate(answerTimes(decl, ["ccpa"], ["US-CA"], t, w))));
  const agents = decl.rights.authorizedAgents;
  if (agents?.allowed) {
    const signedPath: P = ["rights", "authorizedAgents", "requireSignedAuthorization"];
    const signed = t.has(signedPath) && agents.requireSignedAuthorization;
    blocks.push(
      ...para(t.say(w.ccpaAgent(signed), ["rights", "authorizedAgents", "allowed"], ...(signed ? [signedPath] : []))),
    );
  }
  if (decl.rights.nonDiscrimination)
    blocks.push(...para(t.law("Cal. Civ. Code 1798.125", w.nonDiscrimination, ["rights", "nonDiscrimination"])));
  const selling = ca.filter(([, p]) => p.sold || p.shared);
  const sale = offeredRights(decl, ["opt_out_sale"])[0];
  if (selling.length && sale)
    blocks.push(
      ...para(
        t.law(
          "Cal. Civ. Code 1798.135(a)(1)",
          [
            {
              text: w.doNotSell,
              href: `/privacy-center?right=opt_out_sale${w.lang === "en" ? "" : `&lang=${w.lang}`}`,
            },
          ],
          sale.path,
        ),
      ),
    );
  const limit = offeredRights(decl, ["limit_sensitive"])[0];
  if (limit && sensitive.size)
    blocks.push(
      ...para(
        t.law(
          "Cal. Civ. Code 1798.135(a)(2)",
          [
            {
              text: w.limitSensitive,
              href: `/privacy-center?right=limit_sensitive${w.lang === "en" ? "" : `&lang=${w.lang}`}`,
            },
          ],
          limit.path,
        ),
      ),
    );
  return blocks;
}

/** Several items in one cell, separated by semicolons. */
function joinSemicolon(items: (Item | undefined)[]): Item | undefined {
  return joinItems(items, "; ");
}

const CCPA_ARTICLE: Partial<Record<string, string>> = {
  access: "Cal. Civ. Code 1798.110",
  erasure: "Cal. Civ. Code 1798.105",
  rectification: "Cal. Civ. Code 1798.106",
  opt_out_sale: "Cal. Civ. Code 1798.120",
  limit_sensitive: "Cal. Civ. Code 1798.121",
};

/** The US state laws other than California: rights, deadlines and the appeal. */
function usStatesSection(decl: Declaration, regimes: RegimeId[], t: Trace, w: NoticeWords): Block[] {
  const blocks: Block[] = [];
  for (const id of regimes) {
    const r = REGIMES[id];
    const offered = offeredRights(decl, r.rights);
    const answer = answerTimes(decl, [id], r.jurisdictions, t, w);
    const body: Block[] = [];
    if (offered.length && answer)
      body.push(
        ...para(
          t.law(
            r.cite,
            w.usStateRights(
              offered.map((x) => x.right),
              itemText(answer.content),
            ),
            ...offered.map((x) => x.path),
            ...answer.src.paths,
          ) && {
            content: [
              w.usStateRights(
                offered.map((x) => x.right),
                itemText(answer.content),
              ),
            ],
            src: { ...answer.src, law: r.cite, paths: [...offered.map((x) => x.path), ...answer.src.paths] },
          },
        ),
      );
    if (r.appeal && offered.length)
      body.push(
        ...para(
          t.law(
            r.appeal.cite,
            w.appeal(r.appeal, r.appeal.extension, w.complaintTo(id)),
            ["rights", "channels"],
            ...offered.map((x) => x.path),
          ),
        ),
      );
    if (body.length) blocks.push({ kind: "h3", text: w.regimeName(id) }, ...body);
  }
  return blocks;
}

/** PIPEDA, Quebec, LGPD, Switzerland and the other national laws. */
function otherLawsSection(decl: Declaration, regimes: RegimeId[], t: Trace, w: NoticeWords): Block[] {
  const blocks: Block[] = [];
  const scope: P = ["organization", "jurisdictions"];
  for (const id of regimes) {
    const r = REGIMES[id];
    const offered = offeredRights(
      decl,
      r.rights.filter((x) => x !== "complaint"),
    );
    const answer = answerTimes(decl, [id], r.jurisdictions, t, w);
    blocks.push({ kind: "h3", text: w.regimeName(id) });
    if (offered.length && answer)
      blocks.push(
        ...para(
          t.law(
            r.cite,
            w.otherLawRights(
              offered.map((x) => x.right),
              itemText(answer.content),
              !!r.extension,
            ),
            ...offered.map((x) => x.path),
            ...answer.src.paths,
          ) && {
            content: [
              w.otherLawRights(
                offered.map((x) => x.right),
                itemText(answer.content),
                !!r.extension,
              ),
            ],
            src: { ...answer.src, law: r.cite, paths: [...offered.map((x) => x.path), ...answer.src.paths] },
          },
        ),
      );
    blocks.push(...para(t.law(r.complaintCite ?? r.cite, w.complainTo(w.complaintTo(id)), scope)));
  }
  return blocks;
}
