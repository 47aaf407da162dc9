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
  REGIMES,
  RIGHT_INFO,
  basesOf,
  localizeDeclaration,
  fitsWithin,
  objectionKind,
  parseDuration,
  retentionBindings,
  promisedResponseTime,
  purposeJurisdictions,
  regimesOf,
  categoriesOf,
  categoryName,
  categoryWithin,
  regimeFor,
  servesEu,
  subjectsOf,
  type Declaration,
  type NoticeItemId,
  type Purpose,
  type Recipient,
  type RegimeId,
  type RetentionRule,
} from "../declaration/index.js";
import { EN, type NoticeLang, type NoticeWords, withOverrides } from "./words.js";
import { DE } from "./words-de.js";
import { FR } from "./words-fr.js";
import { builtinCategoryName, builtinSubjectName } from "./taxonomy-words.js";

/** The notice's words in each language it is published in. */
export const NOTICE_WORDS: Readonly<Record<NoticeLang, NoticeWords>> = { en: EN, de: DE, fr: FR };

export type Inline = string | { text: string; href: string };
export type Block =
  | { kind: "p"; content: Inline[] }
  | { kind: "h3"; text: string; id?: string }
  | { kind: "list"; items: Inline[][] }
  | { kind: "fields"; rows: [string, Inline[]][] }
  | { kind: "table"; head: string[]; rows: Inline[][][] };

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

function contactLines(
  c: {
    name?: string;
    email?: string;
    phone?: string;
    fax?: string;
    url?: string;
    address?: string;
    country?: string;
  },
  w: NoticeWords,
): Inline[][] {
  const lines: Inline[][] = [];
  if (c.name) lines.push([c.name]);
  if (c.address) {
    const country = c.country ? countryName(c.country, w.lang) : undefined;
    lines.push([`${w.contact.address}${c.address}${country && !c.address.includes(country) ? ` (${country})` : ""}`]);
  }
  if (c.email) lines.push([w.contact.email, mail(c.email)]);
  if (c.phone) lines.push([`${w.contact.phone}${c.phone}`]);
  if (c.fax) lines.push([`${w.contact.fax}${c.fax}`]);
  if (c.url) lines.push([w.contact.web, link(c.url)]);
  return lines;
}

/**
 * One sentence describing a retention rule. With `category`, only the
 * exceptions that cover that category are given (an exception scoped to SEPA
 * mandates is not printed for contact details).
 */
export function describeRetention(
  rule: RetentionRule,
  category?: string,
  options: { brief?: boolean; words?: NoticeWords } = {},
): string {
  const w = options.words ?? EN;
  if (options.brief && rule.period === "indefinite") return w.keptIndefinitely.brief;
  const base =
    rule.period === "indefinite"
      ? `${w.keptIndefinitely.full}${rule.reason ? `: ${rule.reason.replace(/\.$/, "")}` : ""}`
      : w.retentionSentence({ period: w.duration(rule.period), from: rule.from, action: rule.action });
  const scope = rule.jurisdictions?.length ? w.appliesTo(rule.jurisdictions) : "";
  const exceptions = options.brief
    ? []
    : rule.exceptions.filter(
        (e) =>
          !category ||
          !e.dataCategories.length ||
          e.dataCategories.some((c) => categoryWithin(category, c) || categoryWithin(c, category)),
      );
  const ex = exceptions.length
    ? w.exceptions(
        exceptions.map(
          (e) =>
            e.reason.replace(/\.$/, "") +
            (e.period ? w.upTo(w.duration(e.period)) : "") +
            (e.basis === "legal_obligation" || e.basis === "legal_claims" ? w.blockedFromOtherUse : ""),
        ),
      )
    : "";
  return base + scope + ex;
}

/** Retention rules that apply to a category: through the purposes using it and rules naming it. */
export function retentionForCategory(decl: Declaration, cat: string): { id: string; rule: RetentionRule }[] {
  const ids = new Set<string>();
  for (const p of Object.values(decl.purposes)) {
    if (p.retention && p.dataCategories.some((c) => categoryWithin(cat, c) || categoryWithin(c, cat)))
      ids.add(p.retention);
  }
  for (const [id, r] of Object.entries(decl.retention)) {
    if (r.dataCategories.some((c) => categoryWithin(cat, c))) ids.add(id);
  }
  for (const sys of Object.values(decl.systems)) {
    for (const ds of Object.values(sys.datasets)) {
      if (Object.values(ds.fields).some((f) => f.category && categoryWithin(f.category, cat)))
        retentionBindings(ds).forEach((b) => ids.add(b.rule));
    }
  }
  return [...ids].filter((id) => decl.retention[id]).map((id) => ({ id, rule: decl.retention[id] }));
}

/** Every data category the purposes and processor activities name, in first-use order. */
export function collectedCategories(decl: Declaration): string[] {
  return [
    ...new Set([
      ...Object.values(decl.purposes).flatMap((p) => p.dataCategories),
      ...Object.values(decl.processorActivities).flatMap((a) => a.dataCategories),
    ]),
  ];
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

function purposeBlocks(decl: Declaration, id: string, p: Purpose, eu: boolean, w: NoticeWords): Block[] {
  const rows: [string, Inline[]][] = [];
  const f = w.field;
  const bases = basesOf(p);
  // The legal basis is a GDPR notion: stated where the GDPR applies, or where the declaration gives it.
  if (bases.length) {
    const text = bases.map((b) => {
      const interest = b.legitimateInterest ?? (b.basis === "legitimate_interests" ? p.legitimateInterest : undefined);
      return (
        `${w.basisName(b.basis)}${eu ? ` (${w.cite(LEGAL_BASIS_INFO[b.basis].article)})` : ""}` +
        `${b.scope ? w.basisFor(b.scope) : ""}${interest ? w.colon + interest : ""}`
      );
    });
    rows.push([bases.length > 1 ? f.legalBases : f.legalBasis, [text.join("; ")]]);
  } else if (eu) {
    rows.push([f.legalBasis, [f.notStated]]);
  }
  if (p.specialCategoryCondition)
    rows.push([f.specialCategories, [w.processedUnder(w.art9(p.specialCategoryCondition))]]);
  rows.push([f.data, [p.dataCategories.map((c) => catName(decl, c, w)).join(", ")]]);
  rows.push([f.about, [p.dataSubjects.map((s) => subjectName(decl, s, w)).join(", ")]]);
  const src = p.sources.map((s) => w.source[s]).join("; ");
  rows.push([f.source, [src + (p.sourceDescription ? ` (${p.sourceDescription})` : "")]]);
  if (p.requirement)
    rows.push([
      f.mustProvide,
      [w.requirement[p.requirement.type] + (p.requirement.consequence ? w.ifYouDoNot(p.requirement.consequence) : "")],
    ]);
  if (p.recipients.length)
    rows.push([f.sharedWith, [p.recipients.map((r) => decl.recipients[r]?.name ?? r).join(", ")]]);
  if (p.retention && decl.retention[p.retention])
    rows.push([f.kept, [describeRetention(decl.retention[p.retention], undefined, { words: w })]]);
  if (p.directMarketing || objectionKind(p) === "direct_marketing")
    rows.push([f.directMarketing, [w.mayObjectMarketing]]);
  if (p.jurisdictions?.only) rows.push([f.onlyFor, [p.jurisdictions.only.join(", ")]]);
  if (p.jurisdictions?.except) rows.push([f.notFor, [p.jurisdictions.except.join(", ")]]);
  if (p.channels.length) rows.push([f.channels, [p.channels.map((c) => w.channel[c]).join(", ")]]);
  if (p.withdrawal.length) rows.push([f.withdrawConsent, [p.withdrawal.join("; ")]]);
  if (p.automatedDecision?.used) rows.push([f.automatedDecision, [p.automatedDecision.logic ?? w.yes]]);
  if (p.sold || p.shared)
    rows.push([f.soldOrShared, [[p.sold && w.sold, p.shared && w.sharedForAds].filter(Boolean).join(", ")]]);
  const blocks: Block[] = [{ kind: "h3", text: p.name, id: `purpose-${id}` }];
  if (p.description) blocks.push({ kind: "p", content: [p.description] });
  blocks.push({ kind: "fields", rows });
  return blocks;
}

/**
 * The retention of the data: one row per category and rule, naming the purposes it serves; exceptions only where they
 * cover the category.
 */
function retentionRows(decl: Declaration, w: NoticeWords): Inline[][][] {
  const rows: Inline[][][] = [];
  for (const cat of collectedCategories(decl)) {
    const rules = retentionForCategory(decl, cat);
    if (!rules.length) {
      rows.push([[catName(decl, cat, w)], ["—"], [w.noRetentionStated]]);
      continue;
    }
    for (const r of rules) {
      const purposes = Object.values(decl.purposes).filter(
        (p) => p.retention === r.id && p.dataCategories.some((c) => categoryWithin(cat, c) || categoryWithin(c, cat)),
      );
      rows.push([
        [catName(decl, cat, w)],
        [purposes.map((p) => p.name).join(", ") || "—"],
        [describeRetention(r.rule, cat, { words: w })],
      ]);
    }
  }
  return rows;
}

/**
 * Builds the notice of a declaration in a language. Only sections and sentences the declaration has data for are
 * included: a schema default is never a promise, and a law is cited only where the organization serves its people.
 * The declaration's own texts (purpose names, descriptions, policies) are taken in the language from its
 * `translations`, and as written where it gives none.
 */
export function buildNotice(source: Declaration, lang: NoticeLang = "en"): NoticeDoc {
  const decl = localizeDeclaration(source, lang);
  const w = withOverrides(NOTICE_WORDS[lang], decl.texts?.[lang]);
  const org = decl.organization;
  const orgName = org.shortName ?? org.name;
  const sections = new Map<NoticeItemId, Block[]>();
  const rightsScope = decl.rights.appliesTo ?? org.jurisdictions;
  const regimes = regimesOf(org.jurisdictions);
  const eu = servesEu(org.jurisdictions);
  const controller = org.roles.includes("controller") || org.roles.includes("joint_controller");
  const contacts = (c: Parameters<typeof contactLines>[0]) => contactLines(c, w);

  // Art 13(1)(a)
  const intro: Block[] = [];
  const named = `${org.name}${org.shortName ? ` (${w.quote(org.shortName)})` : ""}`;
  const roleText = controller ? w.controllerIs(named, org.roles.includes("processor")) : w.processorFor(named);
  intro.push({ kind: "p", content: [roleText] });
  intro.push({
    kind: "list",
    items: contacts({ ...org.contact, country: org.contact.address ? org.country : undefined }),
  });
  if (org.jointControllers.length) {
    intro.push({ kind: "p", content: [w.jointControllers] });
    for (const j of org.jointControllers)
      intro.push({
        kind: "list",
        items: [...contacts(j), ...(j.responsibilities ? [[w.responsibleFor(j.responsibilities)]] : [])],
      });
  }
  for (const o of org.officers) {
    intro.push({
      kind: "p",
      content: [
        `${o.role}${o.name ? `: ${o.name}` : ""}` +
          (o.responsibilities.length ? `. ${w.responsibleFor(o.responsibilities.join("; "))}` : ""),
      ],
    });
    if (o.contact) intro.push({ kind: "list", items: contacts(o.contact) });
  }
  if (org.disputeResolution) {
    intro.push({ kind: "p", content: [w.disputeResolution(!!org.disputeResolution.free)] });
    intro.push({ kind: "list", items: contacts(org.disputeResolution) });
  }
  if (org.certifications.length) intro.push({ kind: "p", content: [w.certifications(org.certifications)] });
  sections.set("controller", intro);

  if (org.dpo)
    sections.set("dpo", [
      { kind: "p", content: [w.dpoLead] },
      { kind: "list", items: contacts(org.dpo) },
    ]);
  const reps: Block[] = [];
  if (org.euRepresentative)
    reps.push({ kind: "p", content: [w.euRepresentative] }, { kind: "list", items: contacts(org.euRepresentative) });
  if (org.ukRepresentative)
    reps.push({ kind: "p", content: [w.ukRepresentative] }, { kind: "list", items: contacts(org.ukRepresentative) });
  if (reps.length) sections.set("representative", reps);

  // Art 13(1)(c)-(d), 13(2)(e), 14(1)(d), 14(2)(f)
  sections.set(
    "purposes",
    Object.entries(decl.purposes).flatMap(([id, p]) =>
      purposeBlocks(decl, id, p, servesEu(purposeJurisdictions(decl, p)), w),
    ),
  );

  // Art 13(1)(e)
  const recipients = Object.entries(decl.recipients);
  if (recipients.length) {
    const purposeNames = (rid: string) =>
      Object.values(decl.purposes)
        .filter((p) => p.recipients.includes(rid))
        .map((p) => p.name)
        .join(", ");
    sections.set("recipients", [
      {
        kind: "table",
        head: [...w.recipientsHead],
        rows: recipients.map(([rid, r]) => [
          r.privacyPolicy ? [{ text: r.name, href: r.privacyPolicy }] : [r.name],
          [w.recipientRole(r.role)],
          [placeOf(r, w)],
          [[r.description, purposeNames(rid)].filter(Boolean).join(". ") || "—"],
        ]),
      },
    ]);
  }
  if (decl.governance?.legalRequests) {
    const blocks = sections.get("recipients") ?? [];
    blocks.push({ kind: "p", content: [w.publicAuthorities(decl.governance.legalRequests.policy)] });
    sections.set("recipients", blocks);
  }

  // Art 13(1)(f): only where the GDPR applies.
  const transferRows: Inline[][][] = [];
  if (eu) {
    if (org.transfer && !EEA_COUNTRIES.has(org.country)) {
      transferRows.push([
        [org.name],
        [countryName(org.country, lang)],
        [org.transfer.mechanisms.map((m) => w.mechanism(m)).join("; ")],
        [org.transfer.note ?? ""],
      ]);
    }
    for (const r of Object.values(decl.recipients)) {
      if (!r.country || EEA_COUNTRIES.has(r.country)) continue;
      const mech =
        r.transfer?.mechanisms.map((m) => w.mechanism(m)).join("; ") ??
        (ADEQUACY[r.country] ? w.adequacy(ADEQUACY[r.country].scope) : w.noneStated);
      transferRows.push([[r.name], [countryName(r.country, lang)], [mech], [r.transfer?.note ?? ""]]);
    }
  }
  if (transferRows.length) {
    sections.set("transfers", [
      { kind: "p", content: [w.transfersLead] },
      { kind: "table", head: [...w.transfersHead], rows: transferRows },
    ]);
  }

  // Art 13(2)(a): per category and purpose
  const retention = retentionRows(decl, w);
  if (retention.length) sections.set("retention", [{ kind: "table", head: [...w.retentionHead], rows: retention }]);

  // Rights, per law served.
  if (controller) {
    const rightsBlocks = rightsSection(decl, rightsScope, w);
    if (rightsBlocks.length) sections.set("rights", rightsBlocks);
  }

  const automated = Object.values(decl.purposes).filter((p) => p.automatedDecision);
  if (automated.length) {
    const used = automated.filter((p) => p.automatedDecision?.used);
    sections.set(
      "automated",
      used.length
        ? used.map(
            (p): Block => ({
              kind: "p",
              content: [
                `${p.name}: ${p.automatedDecision?.logic ?? ""} ${p.automatedDecision?.significance ?? ""}`.trim(),
              ],
            }),
          )
        : [{ kind: "p", content: [w.noAutomatedDecisions] }],
    );
  }

  if (decl.consent && Object.keys(decl.consent.categories).length) {
    const c = decl.consent;
    const inLang = (cat: (typeof c.categories)[string]) => ({
      name: cat.translations?.[lang]?.name ?? cat.name,
      description: cat.translations?.[lang]?.description ?? cat.description,
    });
    const optional = Object.values(c.categories).filter((x) => !x.essential);
    const onByDefault = optional.filter((x) => x.default);
    const lead = !optional.length
      ? w.cookiesOnlyNeeded
      : onByDefault.length
        ? w.cookiesOnByDefault(onByDefault.map((x) => inLang(x).name))
        : w.cookiesOptIn;
    const validity = c.validity ? w.cookiesValidity(w.duration(c.validity)) : "";
    const blocks: Block[] = [
      { kind: "p", content: [`${lead} ${w.cookiesChange}${validity}`] },
      {
        kind: "table",
        head: [...w.cookiesHead],
        rows: Object.values(c.categories).map((cat) => [
          [inLang(cat).name],
          [inLang(cat).description],
          [
            cat.services
              .map(
                (s) =>
                  s.name +
                  (s.cookies.length
                    ? ` (` +
                      `${s.cookies.map((k) => k.name + (k.duration ? `, ${w.duration(k.duration)}` : "")).join("; ")}` +
                      `)`
                    : ""),
              )
              .join(", ") || "—",
          ],
          [cat.essential ? w.cookieDefault.always : cat.default ? w.cookieDefault.on : w.cookieDefault.off],
        ]),
      },
    ];
    const signals: string[] = [];
    if (c.signals?.gpc === true) signals.push(w.gpc);
    if (c.signals?.dnt === true) signals.push(w.dnt);
    if (signals.length) blocks.push({ kind: "p", content: [signals.join(" ")] });
    sections.set("cookies", blocks);
  }

  const newsletters = Object.values(decl.consent?.newsletters ?? {});
  if (newsletters.length) {
    sections.set(
      "newsletters",
      newsletters.flatMap((n): Block[] => {
        const d = n.doubleOptIn;
        const optIn = !d
          ? undefined
          : d.enabled === false
            ? w.noDoubleOptIn
            : w.doubleOptIn(
                d.confirmWithin ? w.duration(d.confirmWithin, "dat") : undefined,
                d.confirmWithin && d.deleteUnconfirmedAfter ? w.duration(d.deleteUnconfirmedAfter, "dat") : undefined,
              );
        const fields = [
          n.requiredFields.length && w.newsletterRequired(n.requiredFields),
          n.optionalFields.length && w.newsletterOptional(n.optionalFields),
          n.unsubscribe.length && w.newsletterUnsubscribe(n.unsubscribe),
        ]
          .filter(Boolean)
          .join(" ");
        return [
          { kind: "h3", text: n.name },
          ...(n.description ? [{ kind: "p", content: [n.description] } as Block] : []),
          ...(optIn ? [{ kind: "p", content: [optIn] } as Block] : []),
          ...(fields ? [{ kind: "p", content: [fields] } as Block] : []),
        ];
      }),
    );
  }

  if (regimes.includes("ccpa") && controller) sections.set("ccpa", ccpaSection(decl, w));
  const states = regimes.filter((r) => REGIMES[r].family === "us_state" && r !== "ccpa");
  if (states.length && controller) sections.set("us_states", usStatesSection(decl, states, w));
  const others = regimes.filter((r) => REGIMES[r].family === "other");
  if (others.length && controller) sections.set("other_laws", otherLawsSection(decl, others, w));

  if (decl.children) {
    const k = decl.children;
    const lines = [w.childrenNotDirected(k.minimumAge)];
    if (k.parentalConsentBelow) lines.push(w.parentalConsent(k.parentalConsentBelow));
    if (k.noSaleUnder16) lines.push(w.noSaleUnder16);
    if (k.description) lines.push(k.description);
    sections.set("children", [{ kind: "p", content: [lines.join(" ")] }]);
  }

  const activities = Object.values(decl.processorActivities);
  if (activities.length) {
    const row = (label: string, text: string): [string, Inline[]] => [label, [text]];
    sections.set(
      "processing",
      activities.flatMap((a): Block[] => [
        { kind: "h3", text: a.name },
        ...(a.description ? [{ kind: "p", content: [a.description] } as Block] : []),
        {
          kind: "fields",
          rows: [
            row(w.field.forWhom, a.controllers.map((c) => (typeof c === "string" ? c : c.name)).join(", ")),
            row(w.field.whatWeDo, a.processing.join("; ")),
            ...(a.dataCategories.length
              ? [row(w.field.data, a.dataCategories.map((c) => catName(decl, c, w)).join(", "))]
              : []),
            ...(a.locations.length
              ? [row(w.field.where, a.locations.map((l) => countryName(l, lang)).join(", "))]
              : []),
            ...(a.subProcessors.length
              ? [
                  row(
                    w.field.subProcessors,
                    a.subProcessors
                      .map((r) => {
                        const rec = decl.recipients[r];
                        return `${rec?.name ?? r} (${rec ? placeOf(rec, w) : "—"})`;
                      })
                      .join(", "),
                  ),
                ]
              : []),
          ],
        },
      ]),
    );
  }

  const gov = decl.governance;
  if (gov) sections.set("governance", governanceBlocks(gov, w));
  if (!sections.get("governance")?.length) sections.delete("governance");

  if (decl.security) sections.set("security", [{ kind: "list", items: decl.security.measures.map((m) => [m]) }]);

  const changes: Block[] = [{ kind: "p", content: [w.versionSentence(decl.version, decl.effectiveDate)] }];
  if (decl.notice.changeNotification.length) {
    changes.push({
      kind: "p",
      content: [
        w.changeNotification(
          decl.notice.changeNotification,
          decl.notice.advanceNotice ? w.duration(decl.notice.advanceNotice) : undefined,
        ),
      ],
    });
  }
  if (decl.notice.changeNotice) changes.push({ kind: "p", content: [decl.notice.changeNotice] });
  changes.push({
    kind: "p",
    content: [{ text: w.earlierVersions, href: `/privacy/versions${lang === "en" ? "" : `?lang=${lang}`}` }],
  });
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
    sections: NOTICE_ITEMS.filter((i) => sections.has(i.id)).map((i) => ({
      id: i.id,
      title: titles[i.id] ?? w.itemTitle(i.id),
      article: i.article,
      blocks: sections.get(i.id)!,
    })),
  };
}

/** Staff access, remote sessions, authorities, agreements, sub-processors, breaches, mergers, assessments. */
function governanceBlocks(gov: NonNullable<Declaration["governance"]>, w: NoticeWords): Block[] {
  const blocks: Block[] = [];
  if (gov.staffAccess) {
    blocks.push({ kind: "h3", text: w.staffAccess }, { kind: "p", content: [gov.staffAccess.policy] });
    if (gov.staffAccess.protectedClasses.length) {
      blocks.push({
        kind: "list",
        items: gov.staffAccess.protectedClasses.map((c) => [
          `${c.name}${c.description ? `: ${c.description}` : ""}${c.excludes ? w.except(c.excludes) : ""}`,
        ]),
      });
    }
    if (gov.staffAccess.purposes.length)
      blocks.push(
        { kind: "p", content: [w.staffPurposesLead] },
        { kind: "list", items: gov.staffAccess.purposes.map((p) => [p.description]) },
      );
    if (gov.staffAccess.exceptions.length)
      blocks.push(
        { kind: "p", content: [w.exceptionsLead] },
        { kind: "list", items: gov.staffAccess.exceptions.map((e) => [e.description]) },
      );
  }
  if (gov.remoteSessions)
    blocks.push({
      kind: "p",
      content: [w.remoteSessions(gov.remoteSessions.form, w.duration(gov.remoteSessions.recordingRetention))],
    });
  if (gov.temporaryCopies)
    blocks.push({ kind: "p", content: [w.temporaryCopies(w.duration(gov.temporaryCopies.purgeWithin))] });
  if (gov.legalRequests) {
    blocks.push(
      { kind: "h3", text: w.requestsFromAuthorities },
      {
        kind: "p",
        content: [
          gov.legalRequests.policy + (gov.legalRequests.verificationRequired ? w.verifiedRequests : ""),
          ...(gov.legalRequests.transparencyReport
            ? [" ", { text: w.transparencyReport, href: "/privacy/transparency" }, w.transparencyCounts]
            : []),
        ],
      },
    );
  }
  if (gov.agreements.length) {
    blocks.push(
      { kind: "h3", text: w.agreements },
      {
        kind: "list",
        items: gov.agreements.map((a) => [
          a.url ? { text: a.name, href: a.url } : a.name,
          `${a.description ? `: ${a.description}` : ""}${a.automatic ? w.includedAutomatically : ""}`,
        ]),
      },
    );
  }
  if (gov.subProcessors)
    blocks.push(
      { kind: "h3", text: w.field.subProcessors },
      {
        kind: "p",
        content: [
          { text: w.subProcessorsList, href: "/privacy/subprocessors" },
          w.subProcessorsSentence(w.duration(gov.subProcessors.objectionWindow, "dat")),
        ],
      },
    );
  if (gov.breach) blocks.push({ kind: "h3", text: w.dataBreaches }, { kind: "p", content: [gov.breach.procedure] });
  if (gov.businessTransfers)
    blocks.push(
      { kind: "h3", text: w.mergers },
      { kind: "p", content: [w.businessTransfers(gov.businessTransfers.notify)] },
    );
  if (gov.assessments)
    blocks.push({ kind: "p", content: [w.assessments(gov.assessments.frequency, gov.assessments.owner)] });
  return blocks;
}

/** How to make a request: the declared channels, verification, agents and fee, each only when declared. */
function howToAsk(decl: Declaration, w: NoticeWords): Block[] {
  const rights = decl.rights;
  const blocks: Block[] = [{ kind: "p", content: [w.howToAskLead] }];
  blocks.push({
    kind: "list",
    items: rights.channels.map((c) =>
      c.type === "email"
        ? [w.channelType("email") + w.colon, mail(c.address)]
        : c.type === "web" && /^https?:/.test(c.address)
          ? [w.channelType("web") + w.colon, link(c.address)]
          : [w.channelType(c.type) + w.colon + c.address],
    ),
  });
  if (rights.verification)
    blocks.push({
      kind: "p",
      content: [w.verification(rights.verification.method, rights.verification.description)],
    });
  if (rights.authorizedAgents?.allowed) {
    blocks.push({
      kind: "p",
      content: [w.agents(!!rights.authorizedAgents.requireSignedAuthorization, rights.authorizedAgents.description)],
    });
  }
  if (rights.fee) blocks.push({ kind: "p", content: [w.fee(rights.fee)] });
  return blocks;
}

/** When each law's requests are answered: the promise where it is shorter, never beyond the law. */
function answerTimes(decl: Declaration, regimes: RegimeId[], scope: readonly string[], w: NoticeWords): string[] {
  return regimes.map((id) => {
    const r = REGIMES[id];
    const j = scope.find((x) => regimeFor(x) === id) ?? r.jurisdictions[0];
    const promised = promisedResponseTime(decl, j);
    const parsed = promised ? parseDuration(promised) : undefined;
    return w.answerTime({
      regime: id,
      within: parsed && fitsWithin(parsed, r.deadline) ? { declared: promised! } : { rule: r.deadline },
      deadline: r.deadline,
      extension: r.extension,
      optOut: r.optOutDeadline,
      receipt: r.receipt,
    });
  });
}

/** The EU/UK GDPR rights (with articles, Art 21(4) objection separately), and the rights under no specific law. */
function rightsSection(decl: Declaration, scope: readonly string[], w: NoticeWords): Block[] {
  const org = decl.organization;
  const rights = decl.rights;
  const gdprRegimes = regimesOf(scope).filter((r) => REGIMES[r].family === "gdpr");
  const blocks: Block[] = [];
  if (gdprRegimes.length) {
    const listed = rights.offered.filter((r) => RIGHT_INFO[r].article.startsWith("GDPR") && r !== "objection");
    blocks.push({ kind: "p", content: [w.gdprLead(gdprRegimes as ("gdpr" | "uk_gdpr")[])] });
    blocks.push({ kind: "list", items: listed.map((r) => [w.gdprRight(r)]) });
    if (rights.offered.includes("objection")) {
      const balancing = Object.values(decl.purposes)
        .filter((p) => objectionKind(p) === "balancing")
        .map((p) => p.name);
      const marketing = Object.values(decl.purposes)
        .filter((p) => objectionKind(p) === "direct_marketing")
        .map((p) => p.name);
      const parts: string[] = [];
      if (balancing.length) parts.push(w.objectBalancing(balancing));
      if (marketing.length) parts.push(w.objectMarketing(marketing));
      if (parts.length) blocks.push({ kind: "h3", text: w.rightToObject }, { kind: "p", content: [parts.join(" ")] });
    }
    blocks.push(...howToAsk(decl, w));
    blocks.push({ kind: "p", content: [`${answerTimes(decl, gdprRegimes, scope, w).join(". ")}.`] });
    if (rights.notifyRecipients.length)
      blocks.push({ kind: "p", content: [w.notifyRecipients(rights.notifyRecipients)] });
    const sa = org.supervisoryAuthority;
    blocks.push({ kind: "p", content: [w.complain(sa?.name)] });
    if (sa) blocks.push({ kind: "list", items: contactLines({ ...sa, name: undefined }, w) });
    if (Object.values(decl.purposes).some((p) => basesOf(p).some((b) => b.basis === "consent")))
      blocks.push({ kind: "p", content: [w.withdrawConsent] });
    return blocks;
  }
  // No GDPR: the rights the organization offers, in plain words, without articles; the laws' own sections follow.
  if (!regimesOf(scope).some((r) => REGIMES[r].family !== "none")) {
    blocks.push({ kind: "p", content: [w.youMayAsk] });
    blocks.push({
      kind: "list",
      items: rights.offered.filter((r) => r !== "complaint").map((r) => [w.plainRight(r)]),
    });
    blocks.push(...howToAsk(decl, w));
    const promised = promisedResponseTime(decl, scope[0] ?? "US");
    if (promised) blocks.push({ kind: "p", content: [w.promisedAnswer(w.duration(promised, "dat"))] });
  }
  return blocks;
}

/** CCPA: the notice at collection and the privacy-policy items (11 CCR § 7011, § 7012). */
function ccpaSection(decl: Declaration, w: NoticeWords): Block[] {
  const cats = categoriesOf(decl);
  const ca = Object.values(decl.purposes).filter((p) => purposeJurisdictions(decl, p).includes("US-CA"));
  const collected = [...new Set(ca.flatMap((p) => p.dataCategories))];
  const rows: Inline[][][] = collected.map((cat) => {
    const using = ca.filter((p) => p.dataCategories.includes(cat));
    const sold = using.some((p) => p.sold);
    const shared = using.some((p) => p.shared);
    const rules = retentionForCategory(decl, cat);
    const sources = [...new Set(using.flatMap((p) => p.sources))].map((s) => w.source[s]);
    const thirdParties = [
      ...new Set(
        using
          .flatMap((p) => p.recipients)
          .map((r) => decl.recipients[r])
          .filter(Boolean)
          .map((r) => w.recipientRole(r.role)),
      ),
    ];
    return [
      [catName(decl, cat, w) + (cats[cat]?.sensitive ? w.sensitive : "")],
      [using.map((p) => p.name).join(", ")],
      [sources.join("; ")],
      [thirdParties.join(", ") || w.none],
      [w.soldShared(sold, shared)],
      [rules.map((r) => describeRetention(r.rule, cat, { words: w })).join("; ") || w.noRetentionStated],
    ];
  });
  const blocks: Block[] = [
    { kind: "p", content: [w.ccpaLead] },
    { kind: "table", head: [...w.ccpaHead], rows },
  ];
  const ccpa = REGIMES.ccpa;
  const offered = decl.rights.offered.filter((r) => ccpa.rights.includes(r));
  if (offered.length) {
    blocks.push({ kind: "p", content: [w.youHaveTheRight] });
    blocks.push({
      kind: "list",
      items: offered.map((r) => [w.ccpaRight(r, CCPA_ARTICLE[r] ?? RIGHT_INFO[r].article)]),
    });
  }
  blocks.push({ kind: "p", content: [`${answerTimes(decl, ["ccpa"], ["US-CA"], w).join("")}.`] });
  if (decl.rights.authorizedAgents?.allowed)
    blocks.push({ kind: "p", content: [w.ccpaAgent(!!decl.rights.authorizedAgents.requireSignedAuthorization)] });
  if (decl.rights.nonDiscrimination) blocks.push({ kind: "p", content: [w.nonDiscrimination] });
  if (ca.some((p) => p.sold || p.shared))
    blocks.push({
      kind: "p",
      content: [
        { text: w.doNotSell, href: `/privacy-center?right=opt_out_sale${w.lang === "en" ? "" : `&lang=${w.lang}`}` },
      ],
    });
  if (decl.rights.offered.includes("limit_sensitive") && collected.some((c) => cats[c]?.sensitive))
    blocks.push({
      kind: "p",
      content: [
        {
          text: w.limitSensitive,
          href: `/privacy-center?right=limit_sensitive${w.lang === "en" ? "" : `&lang=${w.lang}`}`,
        },
      ],
    });
  return blocks;
}

const CCPA_ARTICLE: Partial<Record<string, string>> = {
  access: "Cal. Civ. Code 1798.110",
  erasure: "Cal. Civ. Code 1798.105",
  rectification: "Cal. Civ. Code 1798.106",
  opt_out_sale: "Cal. Civ. Code 1798.120",
  limit_sensitive: "Cal. Civ. Code 1798.121",
};

/** The US state laws other than California: rights, deadlines and the appeal. */
function usStatesSection(decl: Declaration, regimes: RegimeId[], w: NoticeWords): Block[] {
  const blocks: Block[] = [];
  for (const id of regimes) {
    const r = REGIMES[id];
    const offered = decl.rights.offered.filter((x) => r.rights.includes(x));
    blocks.push({ kind: "h3", text: w.regimeName(id) });
    if (offered.length)
      blocks.push({
        kind: "p",
        content: [w.usStateRights(offered, answerTimes(decl, [id], r.jurisdictions, w).join(""))],
      });
    if (r.appeal) blocks.push({ kind: "p", content: [w.appeal(r.appeal, r.appeal.extension, w.complaintTo(id))] });
  }
  return blocks;
}

/** PIPEDA, Quebec, LGPD, Switzerland. */
function otherLawsSection(decl: Declaration, regimes: RegimeId[], w: NoticeWords): Block[] {
  const blocks: Block[] = [];
  for (const id of regimes) {
    const r = REGIMES[id];
    const offered = decl.rights.offered.filter((x) => r.rights.includes(x) && x !== "complaint");
    blocks.push({ kind: "h3", text: w.regimeName(id) });
    if (offered.length)
      blocks.push({
        kind: "p",
        content: [w.otherLawRights(offered, answerTimes(decl, [id], r.jurisdictions, w).join(""), !!r.extension)],
      });
    blocks.push({ kind: "p", content: [w.complainTo(w.complaintTo(id))] });
  }
  return blocks;
}
