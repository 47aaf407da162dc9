/**
 * The notice as a structure: sections in the order of GDPR Arts 13 and 14,
 * each built only from what the declaration says. Renderers (HTML, Markdown)
 * turn it into text; they never add facts.
 */
import {
  ADEQUACY,
  ART9_CONDITION_TEXT,
  EEA_COUNTRIES,
  LEGAL_BASIS_INFO,
  NOTICE_ITEMS,
  REGIMES,
  RIGHT_INFO,
  TRANSFER_MECHANISM_INFO,
  basesOf,
  fitsWithin,
  objectionKind,
  parseDuration,
  retentionBindings,
  promisedResponseTime,
  purposeJurisdictions,
  regimesOf,
  categoriesOf,
  formatRule,
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
  title: string;
  organization: string;
  version: string;
  effectiveDate: string;
  sections: NoticeSection[];
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
/**
 * A country's English name for display (`SE` → Sweden), falling back to its code; `undefined` (a recipient that is an
 * audience) shows as such.
 */
export function countryName(code: string | undefined): string {
  if (!code) return "—";
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Where a recipient is, in words: a country, the public, or other users. */
export function placeOf(r: Recipient): string {
  return r.audience === "public"
    ? "Public"
    : r.audience === "other_users"
      ? "Other users of the service"
      : countryName(r.country);
}

const mail = (email: string): Inline => ({ text: email, href: `mailto:${email}` });
const link = (url: string): Inline => ({ text: url, href: url });

function contactLines(c: {
  name?: string;
  email?: string;
  phone?: string;
  fax?: string;
  url?: string;
  address?: string;
  country?: string;
}): Inline[][] {
  const lines: Inline[][] = [];
  if (c.name) lines.push([c.name]);
  if (c.address) {
    const country = c.country ? countryName(c.country) : undefined;
    lines.push([`Address: ${c.address}${country && !c.address.includes(country) ? ` (${country})` : ""}`]);
  }
  if (c.email) lines.push(["Email: ", mail(c.email)]);
  if (c.phone) lines.push([`Phone: ${c.phone}`]);
  if (c.fax) lines.push([`Fax: ${c.fax}`]);
  if (c.url) lines.push(["Web: ", link(c.url)]);
  return lines;
}

const SOURCE_TEXT: Record<string, string> = {
  subject: "you give it to us",
  observed: "we record it automatically when you use our services",
  third_party: "we receive it from someone else",
  public: "publicly available sources",
};

const FROM_TEXT: Record<RetentionRule["from"], string> = {
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
};

/** End events: the data is kept while the relationship lasts, then for the period. */
const WHILE_TEXT: Partial<Record<RetentionRule["from"], string>> = {
  account_closure: "for as long as the account is open",
  end_of_contract: "for as long as the contract lasts",
  membership_end: "for as long as the membership lasts",
  subscription_end: "for as long as the subscription lasts",
};

const ACTION_TEXT: Record<RetentionRule["action"], string> = {
  delete: "then deleted",
  deidentify: "then de-identified",
  block: "then blocked from further use",
};

/**
 * One sentence describing a retention rule. With `category`, only the
 * exceptions that cover that category are given (an exception scoped to SEPA
 * mandates is not printed for contact details).
 */
export function describeRetention(rule: RetentionRule, category?: string, options: { brief?: boolean } = {}): string {
  if (options.brief && rule.period === "indefinite") return "kept indefinitely";
  const period = rule.period === "indefinite" ? undefined : singularDuration(rule.period);
  const whileText = WHILE_TEXT[rule.from];
  const base =
    period === undefined
      ? `Kept indefinitely${rule.reason ? `: ${rule.reason.replace(/\.$/, "")}` : ""}`
      : whileText
        ? `Kept ${whileText}, and ${period} ${FROM_TEXT[rule.from]}; ${ACTION_TEXT[rule.action]}`
        : `${period} ${FROM_TEXT[rule.from]}, ${ACTION_TEXT[rule.action]}`;
  const scope = rule.jurisdictions?.length ? ` (applies to ${rule.jurisdictions.join(", ")})` : "";
  const exceptions = options.brief
    ? []
    : rule.exceptions.filter(
        (e) =>
          !category ||
          !e.dataCategories.length ||
          e.dataCategories.some((c) => categoryWithin(category, c) || categoryWithin(c, category)),
      );
  const ex = exceptions.length
    ? `. Exceptions: ` +
      exceptions
        .map(
          (e) =>
            e.reason.replace(/\.$/, "") +
            (e.period ? ` (up to ${singularDuration(e.period)})` : "") +
            (e.basis === "legal_obligation" || e.basis === "legal_claims" ? " — blocked from any other use" : ""),
        )
        .join("; ")
    : "";
  return base + scope + ex;
}

const REQUIREMENT_TEXT: Record<string, string> = {
  statutory: "Required by law",
  contractual: "Required by contract",
  contract_prerequisite: "Required to enter into a contract with us",
  voluntary: "Voluntary",
};

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

function purposeBlocks(decl: Declaration, id: string, p: Purpose, eu: boolean): Block[] {
  const cats = categoriesOf(decl);
  const subjects = subjectsOf(decl);
  const rows: [string, Inline[]][] = [];
  const bases = basesOf(p);
  // The legal basis is a GDPR notion: stated where the GDPR applies, or where the declaration gives it.
  if (bases.length) {
    const text = bases.map((b) => {
      const info = LEGAL_BASIS_INFO[b.basis];
      const interest = b.legitimateInterest ?? (b.basis === "legitimate_interests" ? p.legitimateInterest : undefined);
      return (
        `${info.name}${eu ? ` (${info.article})` : ""}` +
        `${b.scope ? `, for ${b.scope}` : ""}${interest ? `: ${interest}` : ""}`
      );
    });
    rows.push([bases.length > 1 ? "Legal bases" : "Legal basis", [text.join("; ")]]);
  } else if (eu) {
    rows.push(["Legal basis", ["Not stated"]]);
  }
  if (p.specialCategoryCondition)
    rows.push(["Special categories", [`Processed under ${ART9_CONDITION_TEXT[p.specialCategoryCondition]}`]]);
  rows.push(["Data", [p.dataCategories.map((c) => categoryName(c, cats)).join(", ")]]);
  rows.push(["About", [p.dataSubjects.map((s) => subjects[s]?.name ?? s).join(", ")]]);
  const src = p.sources.map((s) => SOURCE_TEXT[s]).join("; ");
  rows.push(["Source", [src + (p.sourceDescription ? ` (${p.sourceDescription})` : "")]]);
  if (p.requirement)
    rows.push([
      "Must you provide it?",
      [
        `${REQUIREMENT_TEXT[p.requirement.type]}` +
          `${p.requirement.consequence ? `. If you do not: ${p.requirement.consequence}` : ""}`,
      ],
    ]);
  if (p.recipients.length)
    rows.push(["Shared with", [p.recipients.map((r) => decl.recipients[r]?.name ?? r).join(", ")]]);
  if (p.retention && decl.retention[p.retention]) rows.push(["Kept", [describeRetention(decl.retention[p.retention])]]);
  if (p.directMarketing || objectionKind(p) === "direct_marketing")
    rows.push(["Direct marketing", ["You may object at any time, and we stop"]]);
  if (p.jurisdictions?.only) rows.push(["Only for", [p.jurisdictions.only.join(", ")]]);
  if (p.jurisdictions?.except) rows.push(["Not for", [p.jurisdictions.except.join(", ")]]);
  if (p.channels.length) rows.push(["Channels", [p.channels.join(", ")]]);
  if (p.withdrawal.length) rows.push(["Withdraw consent", [p.withdrawal.join("; ")]]);
  if (p.automatedDecision?.used) rows.push(["Automated decision", [p.automatedDecision.logic ?? "Yes"]]);
  if (p.sold || p.shared)
    rows.push([
      "Sold or shared",
      [[p.sold && "sold", p.shared && "shared for cross-context advertising"].filter(Boolean).join(", ")],
    ]);
  const blocks: Block[] = [{ kind: "h3", text: p.name, id: `purpose-${id}` }];
  if (p.description) blocks.push({ kind: "p", content: [p.description] });
  blocks.push({ kind: "fields", rows });
  return blocks;
}

/**
 * The retention of the data: one row per category and rule, naming the purposes it serves; exceptions only where they
 * cover the category.
 */
function retentionRows(decl: Declaration): Inline[][][] {
  const cats = categoriesOf(decl);
  const rows: Inline[][][] = [];
  for (const cat of collectedCategories(decl)) {
    const rules = retentionForCategory(decl, cat);
    if (!rules.length) {
      rows.push([[categoryName(cat, cats)], ["—"], ["No retention period stated"]]);
      continue;
    }
    for (const r of rules) {
      const purposes = Object.values(decl.purposes).filter(
        (p) => p.retention === r.id && p.dataCategories.some((c) => categoryWithin(cat, c) || categoryWithin(c, cat)),
      );
      rows.push([
        [categoryName(cat, cats)],
        [purposes.map((p) => p.name).join(", ") || "—"],
        [describeRetention(r.rule, cat)],
      ]);
    }
  }
  return rows;
}

/**
 * Builds the notice of a declaration. Only sections and sentences the
 * declaration has data for are included: a schema default is never a promise,
 * and a law is cited only where the organization serves its people.
 */
export function buildNotice(decl: Declaration): NoticeDoc {
  const org = decl.organization;
  const orgName = org.shortName ?? org.name;
  const cats = categoriesOf(decl);
  const sections = new Map<NoticeItemId, Block[]>();
  const rightsScope = decl.rights.appliesTo ?? org.jurisdictions;
  const regimes = regimesOf(org.jurisdictions);
  const eu = servesEu(org.jurisdictions);
  const controller = org.roles.includes("controller") || org.roles.includes("joint_controller");

  // Art 13(1)(a)
  const intro: Block[] = [];
  const named = `${org.name}${org.shortName ? ` ("${org.shortName}")` : ""}`;
  const roleText = controller
    ? `${named} is the controller of the personal data described in this notice.` +
      (org.roles.includes("processor")
        ? " For data we process on our customers' behalf, the customer is the controller."
        : "")
    : `${named} processes personal data on behalf of its customers, as a processor. ` +
      `Each customer is the controller of its data: a request about that data goes ` +
      `to the customer, and we help them answer it.`;
  intro.push({ kind: "p", content: [roleText] });
  intro.push({
    kind: "list",
    items: contactLines({ ...org.contact, country: org.contact.address ? org.country : undefined }),
  });
  if (org.jointControllers.length) {
    intro.push({ kind: "p", content: ["We decide on some of this processing together with joint controllers:"] });
    for (const j of org.jointControllers)
      intro.push({
        kind: "list",
        items: [...contactLines(j), ...(j.responsibilities ? [[`Responsible for: ${j.responsibilities}`]] : [])],
      });
  }
  for (const o of org.officers) {
    intro.push({
      kind: "p",
      content: [
        `${o.role}${o.name ? `: ${o.name}` : ""}` +
          `${o.responsibilities.length ? `. Responsible for: ${o.responsibilities.join("; ")}` : ""}`,
      ],
    });
    if (o.contact) intro.push({ kind: "list", items: contactLines(o.contact) });
  }
  if (org.disputeResolution) {
    intro.push({
      kind: "p",
      content: [
        `If a concern is not resolved, you may contact our dispute resolution provider` +
          `${org.disputeResolution.free ? " (free of charge)" : ""}:`,
      ],
    });
    intro.push({ kind: "list", items: contactLines(org.disputeResolution) });
  }
  if (org.certifications.length)
    intro.push({ kind: "p", content: [`Certifications: ${org.certifications.join(", ")}.`] });
  sections.set("controller", intro);

  if (org.dpo)
    sections.set("dpo", [
      { kind: "p", content: ["You can reach our data protection officer at:"] },
      { kind: "list", items: contactLines(org.dpo) },
    ]);
  const reps: Block[] = [];
  if (org.euRepresentative)
    reps.push(
      { kind: "p", content: ["Our representative in the European Union (GDPR Art 27):"] },
      { kind: "list", items: contactLines(org.euRepresentative) },
    );
  if (org.ukRepresentative)
    reps.push(
      { kind: "p", content: ["Our representative in the United Kingdom (UK GDPR Art 27):"] },
      { kind: "list", items: contactLines(org.ukRepresentative) },
    );
  if (reps.length) sections.set("representative", reps);

  // Art 13(1)(c)-(d), 13(2)(e), 14(1)(d), 14(2)(f)
  sections.set(
    "purposes",
    Object.entries(decl.purposes).flatMap(([id, p]) =>
      purposeBlocks(decl, id, p, servesEu(purposeJurisdictions(decl, p))),
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
        head: ["Recipient", "Role", "Where", "Why"],
        rows: recipients.map(([rid, r]) => [
          r.privacyPolicy ? [{ text: r.name, href: r.privacyPolicy }] : [r.name],
          [r.role.replace(/_/g, " ")],
          [placeOf(r)],
          [[r.description, purposeNames(rid)].filter(Boolean).join(". ") || "—"],
        ]),
      },
    ]);
  }
  if (decl.governance?.legalRequests) {
    const blocks = sections.get("recipients") ?? [];
    blocks.push({ kind: "p", content: [`Public authorities: ${decl.governance.legalRequests.policy}`] });
    sections.set("recipients", blocks);
  }

  // Art 13(1)(f): only where the GDPR applies.
  const transferRows: Inline[][][] = [];
  if (eu) {
    if (org.transfer && !EEA_COUNTRIES.has(org.country)) {
      transferRows.push([
        [org.name],
        [countryName(org.country)],
        [org.transfer.mechanisms.map((m) => TRANSFER_MECHANISM_INFO[m].name).join("; ")],
        [org.transfer.note ?? ""],
      ]);
    }
    for (const r of Object.values(decl.recipients)) {
      if (!r.country || EEA_COUNTRIES.has(r.country)) continue;
      const mech =
        r.transfer?.mechanisms.map((m) => TRANSFER_MECHANISM_INFO[m].name).join("; ") ??
        (ADEQUACY[r.country]
          ? `an adequacy decision${ADEQUACY[r.country].scope ? ` (for ${ADEQUACY[r.country].scope})` : ""}`
          : "None stated");
      transferRows.push([[r.name], [countryName(r.country)], [mech], [r.transfer?.note ?? ""]]);
    }
  }
  if (transferRows.length) {
    sections.set("transfers", [
      {
        kind: "p",
        content: [
          "Your data is transferred outside the European Economic Area as follows. You " +
            "may ask us for a copy of the safeguards.",
        ],
      },
      { kind: "table", head: ["Who", "Country", "Safeguard", "Notes"], rows: transferRows },
    ]);
  }

  // Art 13(2)(a): per category and purpose
  const retention = retentionRows(decl);
  if (retention.length)
    sections.set("retention", [{ kind: "table", head: ["Data", "For", "How long we keep it"], rows: retention }]);

  // Rights, per law served.
  if (controller) {
    const rightsBlocks = rightsSection(decl, rightsScope);
    if (rightsBlocks.length) sections.set("rights", rightsBlocks);
  }

  const automated = Object.values(decl.purposes).filter((p) => p.automatedDecision);
  if (automated.length) {
    const used = automated.filter((p) => p.automatedDecision?.used);
    sections.set(
      "automated",
      used.length
        ? used.map(
            (p) =>
              ({
                kind: "p",
                content: [
                  `${p.name}: ${p.automatedDecision?.logic ?? ""} ${p.automatedDecision?.significance ?? ""}`.trim(),
                ],
              }) as Block,
          )
        : [
            {
              kind: "p",
              content: [
                "We do not make decisions based solely on automated processing, including " +
                  "profiling, that have legal or similarly significant effects on you.",
              ],
            },
          ],
    );
  }

  if (decl.consent && Object.keys(decl.consent.categories).length) {
    const c = decl.consent;
    const optional = Object.values(c.categories).filter((x) => !x.essential);
    const onByDefault = optional.filter((x) => x.default);
    const lead = !optional.length
      ? "We use only cookies that are needed for the service."
      : onByDefault.length
        ? `${onByDefault.map((x) => x.name).join(", ")} ` +
          `${onByDefault.length === 1 ? "is" : "are"} on unless you turn ` +
          `${onByDefault.length === 1 ? "it" : "them"} off; other non-essential cookies ` +
          `are set only after you opt in.`
        : "Non-essential cookies are set only after you opt in.";
    const validity = c.validity ? ` Your choices last ${singularDuration(c.validity)}; then we ask again.` : "";
    const blocks: Block[] = [
      { kind: "p", content: [`${lead} You can change your choices at any time.${validity}`] },
      {
        kind: "table",
        head: ["Category", "What it does", "Services and cookies", "Default"],
        rows: Object.values(c.categories).map((cat) => [
          [cat.name],
          [cat.description],
          [
            cat.services
              .map(
                (s) =>
                  s.name +
                  (s.cookies.length
                    ? ` (${s.cookies.map((k) => k.name + (k.duration ? `, ${k.duration}` : "")).join("; ")})`
                    : ""),
              )
              .join(", ") || "—",
          ],
          [cat.essential ? "Always on" : cat.default ? "On" : "Off until you opt in"],
        ]),
      },
    ];
    const signals: string[] = [];
    if (c.signals?.gpc === true)
      signals.push(
        "We honour Global Privacy Control: a browser that sends it is opted out of " +
          "sale, sharing and marketing cookies.",
      );
    if (c.signals?.dnt === true)
      signals.push(
        "We honour Do Not Track: a browser that sends it is treated as having refused non-essential cookies.",
      );
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
            ? "Sign-up takes effect at once, without a confirmation email."
            : `We use double opt-in: after you sign up we email you a link to confirm.` +
              `${
                d.confirmWithin
                  ? ` If you do not confirm within ${singularDuration(d.confirmWithin)}, your ` +
                    `sign-up is blocked` +
                    (d.deleteUnconfirmedAfter
                      ? `, and it is deleted after ${singularDuration(d.deleteUnconfirmedAfter)}`
                      : "") +
                    `.`
                  : ""
              }` +
              ` We keep the time and IP address of your sign-up and confirmation, and the ` +
              `text of the confirmation email, as proof.`;
        const fields = [
          n.requiredFields.length && `Required: ${n.requiredFields.join(", ")}.`,
          n.optionalFields.length && `Optional: ${n.optionalFields.join(", ")}.`,
          n.unsubscribe.length && `Unsubscribe at any time: ${n.unsubscribe.join("; ")}.`,
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

  if (regimes.includes("ccpa") && controller) sections.set("ccpa", ccpaSection(decl));
  const states = regimes.filter((r) => REGIMES[r].family === "us_state" && r !== "ccpa");
  if (states.length && controller) sections.set("us_states", usStatesSection(decl, states));
  const others = regimes.filter((r) => REGIMES[r].family === "other");
  if (others.length && controller) sections.set("other_laws", otherLawsSection(decl, others));

  if (decl.children) {
    const k = decl.children;
    const lines = [`Our services are not directed to children under ${k.minimumAge}.`];
    if (k.parentalConsentBelow)
      lines.push(`For children under ${k.parentalConsentBelow}, a parent or guardian gives consent.`);
    if (k.noSaleUnder16) lines.push("We do not sell or share the personal information of anyone under 16.");
    if (k.description) lines.push(k.description);
    sections.set("children", [{ kind: "p", content: [lines.join(" ")] }]);
  }

  const activities = Object.values(decl.processorActivities);
  if (activities.length) {
    sections.set(
      "processing",
      activities.flatMap((a): Block[] => [
        { kind: "h3", text: a.name },
        ...(a.description ? [{ kind: "p", content: [a.description] } as Block] : []),
        {
          kind: "fields",
          rows: [
            ["For", [a.controllers.map((c) => (typeof c === "string" ? c : c.name)).join(", ")]],
            ["What we do", [a.processing.join("; ")]],
            ...(a.dataCategories.length
              ? [["Data", [a.dataCategories.map((c) => categoryName(c, cats)).join(", ")]] as [string, Inline[]]]
              : []),
            ...(a.locations.length ? [["Where", [a.locations.map(countryName).join(", ")]] as [string, Inline[]]] : []),
            ...(a.subProcessors.length
              ? [
                  [
                    "Sub-processors",
                    [
                      a.subProcessors
                        .map(
                          (r) =>
                            `${decl.recipients[r]?.name ?? r} (` +
                            `${decl.recipients[r] ? placeOf(decl.recipients[r]) : "—"})`,
                        )
                        .join(", "),
                    ],
                  ] as [string, Inline[]],
                ]
              : []),
          ],
        },
      ]),
    );
  }

  const gov = decl.governance;
  if (gov) {
    const blocks: Block[] = [];
    if (gov.staffAccess) {
      blocks.push({ kind: "h3", text: "Staff access" }, { kind: "p", content: [gov.staffAccess.policy] });
      if (gov.staffAccess.protectedClasses.length) {
        blocks.push({
          kind: "list",
          items: gov.staffAccess.protectedClasses.map((c) => [
            `${c.name}${c.description ? `: ${c.description}` : ""}${c.excludes ? ` (except ${c.excludes})` : ""}`,
          ]),
        });
      }
      if (gov.staffAccess.purposes.length)
        blocks.push(
          {
            kind: "p",
            content: ["Staff access it only for these purposes, each time with the customer's explicit consent:"],
          },
          { kind: "list", items: gov.staffAccess.purposes.map((p) => [p.description]) },
        );
      if (gov.staffAccess.exceptions.length)
        blocks.push(
          { kind: "p", content: ["Exceptions:"] },
          { kind: "list", items: gov.staffAccess.exceptions.map((e) => [e.description]) },
        );
    }
    if (gov.remoteSessions)
      blocks.push({
        kind: "p",
        content: [
          `No remote session into a customer's systems starts before the customer has ` +
            `signed the ${gov.remoteSessions.form}. Recordings of sessions are destroyed ` +
            `${singularDuration(gov.remoteSessions.recordingRetention)} after they are ` +
            `made.`,
        ],
      });
    if (gov.temporaryCopies)
      blocks.push({
        kind: "p",
        content: [
          `Temporary copies of customer data made for maintenance are purged at the ` +
            `latest ${singularDuration(gov.temporaryCopies.purgeWithin)} after they are ` +
            `made.`,
        ],
      });
    if (gov.legalRequests) {
      blocks.push(
        { kind: "h3", text: "Requests from authorities" },
        {
          kind: "p",
          content: [
            `${gov.legalRequests.policy}` +
              `${gov.legalRequests.verificationRequired ? " Every such request is verified before we act on it." : ""}`,
            ...(gov.legalRequests.transparencyReport
              ? [" ", { text: "Our transparency report", href: "/privacy/transparency" }, " counts them each year."]
              : []),
          ],
        },
      );
    }
    if (gov.agreements.length) {
      blocks.push(
        { kind: "h3", text: "Agreements" },
        {
          kind: "list",
          items: gov.agreements.map((a) => [
            a.url ? { text: a.name, href: a.url } : a.name,
            `${a.description ? `: ${a.description}` : ""}${a.automatic ? " (included automatically)" : ""}`,
          ]),
        },
      );
    }
    if (gov.subProcessors)
      blocks.push(
        { kind: "h3", text: "Sub-processors" },
        {
          kind: "p",
          content: [
            { text: "The list of our sub-processors", href: "/privacy/subprocessors" },
            ` is published; subscribe there to be told when one is added or changed, with ` +
              `the date the change takes effect, and to object within ` +
              `${singularDuration(gov.subProcessors.objectionWindow)}.`,
          ],
        },
      );
    if (gov.breach) blocks.push({ kind: "h3", text: "Data breaches" }, { kind: "p", content: [gov.breach.procedure] });
    if (gov.businessTransfers)
      blocks.push(
        { kind: "h3", text: "Mergers and acquisitions" },
        {
          kind: "p",
          content: [`If our business changes hands, we tell you by ${gov.businessTransfers.notify.join(" and ")}.`],
        },
      );
    if (gov.assessments)
      blocks.push({
        kind: "p",
        content: [
          `Our practices are assessed every ` +
            `${singularDuration(gov.assessments.frequency).replace(/^1 /, "")}` +
            `${gov.assessments.owner ? ` under the ${gov.assessments.owner}` : ""}.`,
        ],
      });
    if (blocks.length) sections.set("governance", blocks);
  }

  if (decl.security) sections.set("security", [{ kind: "list", items: decl.security.measures.map((m) => [m]) }]);

  const changes: Block[] = [
    { kind: "p", content: [`This is version ${decl.version} of our notice, effective ${decl.effectiveDate}.`] },
  ];
  if (decl.notice.changeNotification.length) {
    changes.push({
      kind: "p",
      content: [
        `If we make material changes, we tell you by ` +
          `${decl.notice.changeNotification.join(", ")}` +
          `${
            decl.notice.advanceNotice
              ? `, at least ${singularDuration(decl.notice.advanceNotice)} before they take ` + `effect`
              : ""
          }` +
          `.`,
      ],
    });
  }
  if (decl.notice.changeNotice) changes.push({ kind: "p", content: [decl.notice.changeNotice] });
  changes.push({ kind: "p", content: [{ text: "Earlier versions", href: "/privacy/versions" }] });
  sections.set("changes", changes);

  const titles: Partial<Record<NoticeItemId, string>> = {
    rights: eu ? "Your rights" : "Your choices and requests",
    representative:
      org.euRepresentative && org.ukRepresentative
        ? "Our representatives in the EU and the UK"
        : org.ukRepresentative
          ? "Our representative in the UK"
          : "Our representative in the EU",
  };
  return {
    title: `Privacy notice — ${orgName}`,
    organization: org.name,
    version: decl.version,
    effectiveDate: decl.effectiveDate,
    sections: NOTICE_ITEMS.filter((i) => sections.has(i.id)).map((i) => ({
      id: i.id,
      title: titles[i.id] ?? i.title,
      article: i.article,
      blocks: sections.get(i.id)!,
    })),
  };
}

/** `1 months` → `1 month`: a declaration may write either. */
function singularDuration(d: string): string {
  return d.replace(/^1\s*(hour|day|week|month|year)s\b/, "1 $1");
}

/** How to make a request: the declared channels, verification, agents and fee, each only when declared. */
function howToAsk(decl: Declaration): Block[] {
  const rights = decl.rights;
  const blocks: Block[] = [{ kind: "p", content: ["To make a request, contact us by:"] }];
  blocks.push({
    kind: "list",
    items: rights.channels.map((c) =>
      c.type === "email"
        ? [`email: `, mail(c.address)]
        : c.type === "web" && /^https?:/.test(c.address)
          ? ["web: ", link(c.address)]
          : [`${c.type.replace(/_/g, " ")}: ${c.address}`],
    ),
  });
  const verif: Record<string, string> = {
    email_code: "we send a one-time code to your email address",
    account: "we ask you to confirm the request from within your account",
    signed_form: "we ask for a signed form",
    id_document: "we ask for proof of identity",
    none: "no verification is needed",
  };
  if (rights.verification)
    blocks.push({
      kind: "p",
      content: [
        `To protect your data, we verify who is asking: ` +
          `${verif[rights.verification.method]}` +
          `${rights.verification.description ? ` (${rights.verification.description})` : ""}` +
          `.`,
      ],
    });
  if (rights.authorizedAgents?.allowed) {
    blocks.push({
      kind: "p",
      content: [
        `An authorized agent may make a request on your behalf` +
          `${rights.authorizedAgents.requireSignedAuthorization ? " with your signed permission" : ""}` +
          `.` +
          `${rights.authorizedAgents.description ? ` ${rights.authorizedAgents.description}` : ""}`,
      ],
    });
  }
  if (rights.fee)
    blocks.push({
      kind: "p",
      content: [
        rights.fee === "free"
          ? "Requests are free of charge."
          : "Requests are free unless they are manifestly unfounded or excessive.",
      ],
    });
  return blocks;
}

/** When each law's requests are answered: the promise where it is shorter, never beyond the law. */
function answerTimes(decl: Declaration, regimes: RegimeId[], scope: readonly string[]): string[] {
  return regimes.map((id) => {
    const r = REGIMES[id];
    const j = scope.find((x) => regimeFor(x) === id) ?? r.jurisdictions[0];
    const promised = promisedResponseTime(decl, j);
    const parsed = promised ? parseDuration(promised) : undefined;
    const legal = formatRule(r.deadline);
    const within = parsed && fitsWithin(parsed, r.deadline) ? singularDuration(promised!) : legal;
    const first = r.deadline.amount === 1 ? `first ${formatRule(r.deadline).replace(/^1 /, "")}` : `first ${legal}`;
    const ext = r.extension
      ? `; where a request is complex or we receive many, we may extend this by up to ` +
        `${formatRule(r.extension)}, and tell you why within the ${first}`
      : "";
    const optOut = r.optOutDeadline
      ? `; opt-outs of sale or sharing and requests to limit sensitive data within ` +
        `${formatRule(r.optOutDeadline)}, without extension`
      : "";
    const receipt = r.receipt ? `; we confirm receipt within ${formatRule(r.receipt)}` : "";
    return `Under the ${r.name}, we answer within ${within} of receiving your request${ext}${optOut}${receipt}`;
  });
}

/** The EU/UK GDPR rights (with articles, Art 21(4) objection separately), and the rights under no specific law. */
function rightsSection(decl: Declaration, scope: readonly string[]): Block[] {
  const org = decl.organization;
  const rights = decl.rights;
  const gdprRegimes = regimesOf(scope).filter((r) => REGIMES[r].family === "gdpr");
  const blocks: Block[] = [];
  if (gdprRegimes.length) {
    const listed = rights.offered.filter((r) => RIGHT_INFO[r].article.startsWith("GDPR") && r !== "objection");
    blocks.push({
      kind: "p",
      content: [
        `If you are in ` +
          gdprRegimes.map((r) => (r === "gdpr" ? "the European Economic Area" : "the United Kingdom")).join(" or ") +
          `, you have the following rights:`,
      ],
    });
    blocks.push({
      kind: "list",
      items: listed.map((r) => [`${RIGHT_INFO[r].name}: the right ${RIGHT_INFO[r].text} (${RIGHT_INFO[r].article}).`]),
    });
    if (rights.offered.includes("objection")) {
      const balancing = Object.values(decl.purposes)
        .filter((p) => objectionKind(p) === "balancing")
        .map((p) => p.name);
      const marketing = Object.values(decl.purposes)
        .filter((p) => objectionKind(p) === "direct_marketing")
        .map((p) => p.name);
      const parts: string[] = [];
      if (balancing.length)
        parts.push(
          `You have the right to object, on grounds relating to your particular ` +
            `situation, to processing based on our legitimate interests or a public task (` +
            `${balancing.join(", ")}); we then stop unless we demonstrate compelling ` +
            `legitimate grounds that override your interests, or need the data for legal ` +
            `claims (GDPR Art 21(1)).`,
        );
      if (marketing.length)
        parts.push(
          `You have the right to object at any time to direct marketing (` +
            `${marketing.join(", ")}); we then stop it at once (GDPR Art 21(2)-(3)).`,
        );
      if (parts.length)
        blocks.push({ kind: "h3", text: "Your right to object" }, { kind: "p", content: [parts.join(" ")] });
    }
    blocks.push(...howToAsk(decl));
    blocks.push({ kind: "p", content: [`${answerTimes(decl, gdprRegimes, scope).join(". ")}.`] });
    if (rights.notifyRecipients.length)
      blocks.push({
        kind: "p",
        content: [`We tell the recipients of your data about any ${rights.notifyRecipients.join(", ")} (GDPR Art 19).`],
      });
    const sa = org.supervisoryAuthority;
    blocks.push({
      kind: "p",
      content: [
        `You may complain to a supervisory authority` +
          `${sa?.name ? `: ${sa.name}` : ", in particular in the country where you live or work"}` +
          `, and you may seek a judicial remedy before the courts (GDPR Art 77, 79).`,
      ],
    });
    if (sa) blocks.push({ kind: "list", items: contactLines({ ...sa, name: undefined }) });
    if (Object.values(decl.purposes).some((p) => basesOf(p).some((b) => b.basis === "consent"))) {
      blocks.push({
        kind: "p",
        content: [
          "Where we rely on your consent, you may withdraw it at any time; this does not " +
            "affect processing before the withdrawal (GDPR Art 7(3)).",
        ],
      });
    }
    return blocks;
  }
  // No GDPR: the rights the organization offers, in plain words, without articles; the laws' own sections follow.
  if (!regimesOf(scope).some((r) => REGIMES[r].family !== "none")) {
    blocks.push({ kind: "p", content: ["You may ask us:"] });
    blocks.push({
      kind: "list",
      items: rights.offered
        .filter((r) => r !== "complaint")
        .map((r) => [`${RIGHT_INFO[r].name}: ${RIGHT_INFO[r].text}.`]),
    });
    blocks.push(...howToAsk(decl));
    const promised = promisedResponseTime(decl, scope[0] ?? "US");
    if (promised) blocks.push({ kind: "p", content: [`We answer within ${singularDuration(promised)}.`] });
  }
  return blocks;
}

/** CCPA: the notice at collection and the privacy-policy items (11 CCR § 7011, § 7012). */
function ccpaSection(decl: Declaration): Block[] {
  const cats = categoriesOf(decl);
  const ca = Object.values(decl.purposes).filter((p) => purposeJurisdictions(decl, p).includes("US-CA"));
  const collected = [...new Set(ca.flatMap((p) => p.dataCategories))];
  const rows: Inline[][][] = collected.map((cat) => {
    const using = ca.filter((p) => p.dataCategories.includes(cat));
    const sold = using.some((p) => p.sold);
    const shared = using.some((p) => p.shared);
    const rules = retentionForCategory(decl, cat);
    const sources = [...new Set(using.flatMap((p) => p.sources))].map((s) => SOURCE_TEXT[s]);
    const thirdParties = [
      ...new Set(
        using
          .flatMap((p) => p.recipients)
          .map((r) => decl.recipients[r])
          .filter(Boolean)
          .map((r) => r.role.replace(/_/g, " ")),
      ),
    ];
    return [
      [categoryName(cat, cats) + (cats[cat]?.sensitive ? " (sensitive)" : "")],
      [using.map((p) => p.name).join(", ")],
      [sources.join("; ")],
      [thirdParties.join(", ") || "None"],
      [sold || shared ? [sold && "Sold", shared && "Shared"].filter(Boolean).join(", ") : "Neither sold nor shared"],
      [rules.map((r) => describeRetention(r.rule, cat)).join("; ") || "No retention period stated"],
    ];
  });
  const blocks: Block[] = [
    {
      kind: "p",
      content: [
        "If you live in California, this is our notice at collection and what the " +
          "California Consumer Privacy Act requires our privacy policy to say.",
      ],
    },
    { kind: "table", head: ["Category", "Purposes", "Sources", "Disclosed to", "Sold or shared", "Retention"], rows },
  ];
  const ccpa = REGIMES.ccpa;
  const offered = decl.rights.offered.filter((r) => ccpa.rights.includes(r));
  if (offered.length) {
    blocks.push({ kind: "p", content: ["You have the right:"] });
    blocks.push({
      kind: "list",
      items: offered.map((r) => [
        `${RIGHT_INFO[r].text.replace(/^to /, "To ")} (${CCPA_ARTICLE[r] ?? RIGHT_INFO[r].article}).`,
      ]),
    });
  }
  blocks.push({ kind: "p", content: [`${answerTimes(decl, ["ccpa"], ["US-CA"]).join("")}.`] });
  if (decl.rights.authorizedAgents?.allowed)
    blocks.push({
      kind: "p",
      content: [
        `You may use an authorized agent` +
          (decl.rights.authorizedAgents.requireSignedAuthorization ? ", who must give us your signed permission" : "") +
          `.`,
      ],
    });
  if (decl.rights.nonDiscrimination)
    blocks.push({
      kind: "p",
      content: [
        "We do not discriminate against you for exercising your rights: we do not deny " +
          "you goods or services, charge different prices or give a different quality of " +
          "service because you did (Cal. Civ. Code 1798.125).",
      ],
    });
  if (ca.some((p) => p.sold || p.shared)) {
    blocks.push({
      kind: "p",
      content: [{ text: "Do Not Sell or Share My Personal Information", href: "/privacy-center?right=opt_out_sale" }],
    });
  }
  if (decl.rights.offered.includes("limit_sensitive") && collected.some((c) => cats[c]?.sensitive)) {
    blocks.push({
      kind: "p",
      content: [
        { text: "Limit the Use of My Sensitive Personal Information", href: "/privacy-center?right=limit_sensitive" },
      ],
    });
  }
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
function usStatesSection(decl: Declaration, regimes: RegimeId[]): Block[] {
  const blocks: Block[] = [];
  for (const id of regimes) {
    const r = REGIMES[id];
    const offered = decl.rights.offered.filter((x) => r.rights.includes(x));
    blocks.push({ kind: "h3", text: r.name });
    if (offered.length)
      blocks.push({
        kind: "p",
        content: [
          `If you live there, you may ask us: ` +
            `${offered.map((x) => RIGHT_INFO[x].name.toLowerCase()).join(", ")}. ` +
            `${answerTimes(decl, [id], r.jurisdictions).join("")}.`,
        ],
      });
    if (r.appeal)
      blocks.push({
        kind: "p",
        content: [
          `If we decline to act on your request, you may appeal from the page of your ` +
            `request. We answer an appeal within ${formatRule(r.appeal)}` +
            `${r.appeal.extension ? ` (extendable by ${formatRule(r.appeal.extension)})` : ""}` +
            `. If we deny the appeal, you may complain to ${r.complaintTo}.`,
        ],
      });
  }
  return blocks;
}

/** PIPEDA, Quebec, LGPD, Switzerland. */
function otherLawsSection(decl: Declaration, regimes: RegimeId[]): Block[] {
  const blocks: Block[] = [];
  for (const id of regimes) {
    const r = REGIMES[id];
    const offered = decl.rights.offered.filter((x) => r.rights.includes(x) && x !== "complaint");
    blocks.push({ kind: "h3", text: r.name });
    if (offered.length)
      blocks.push({
        kind: "p",
        content: [
          `You may ask us: ` +
            `${offered.map((x) => RIGHT_INFO[x].name.toLowerCase()).join(", ")}. ` +
            `${answerTimes(decl, [id], r.jurisdictions).join("")}` +
            `${r.extension ? "" : "; this deadline cannot be extended"}.`,
        ],
      });
    blocks.push({ kind: "p", content: [`You may complain to ${r.complaintTo}.`] });
  }
  return blocks;
}
