/**
 * The notice as a structure: sections in the order of GDPR Arts 13 and 14,
 * each built only from what the declaration says. Renderers (HTML, Markdown)
 * turn it into text; they never add facts.
 */
import {
  ART9_CONDITION_TEXT,
  EEA_COUNTRIES,
  LEGAL_BASIS_INFO,
  NOTICE_ITEMS,
  REGIMES,
  RIGHT_INFO,
  TRANSFER_MECHANISM_INFO,
  categoriesOf,
  categoryName,
  categoryWithin,
  regimeFor,
  servesEu,
  subjectsOf,
  type Declaration,
  type NoticeItemId,
  type Purpose,
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
  id: NoticeItemId;
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
/** A country's English name for display (`SE` → Sweden), falling back to its code. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const mail = (email: string): Inline => ({ text: email, href: `mailto:${email}` });
const link = (url: string): Inline => ({ text: url, href: url });

function contactLines(c: { name?: string; email?: string; phone?: string; fax?: string; url?: string; address?: string; country?: string }): Inline[][] {
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
};

const ACTION_TEXT: Record<RetentionRule["action"], string> = { delete: "then deleted", deidentify: "then de-identified", block: "then blocked from further use" };

/** One sentence describing a retention rule. */
export function describeRetention(rule: RetentionRule): string {
  const base =
    rule.period === "indefinite"
      ? `Kept indefinitely${rule.reason ? `: ${rule.reason.replace(/\.$/, "")}` : ""}`
      : `${rule.period} ${FROM_TEXT[rule.from]}, ${ACTION_TEXT[rule.action]}`;
  const scope = rule.jurisdictions?.length ? ` (applies to ${rule.jurisdictions.join(", ")})` : "";
  const ex = rule.exceptions.length ? `. Exceptions: ${rule.exceptions.map((e) => e.reason + (e.period ? ` (up to ${e.period})` : "")).join("; ")}` : "";
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
    if (p.retention && p.dataCategories.some((c) => categoryWithin(cat, c) || categoryWithin(c, cat))) ids.add(p.retention);
  }
  for (const [id, r] of Object.entries(decl.retention)) {
    if (r.dataCategories.some((c) => categoryWithin(cat, c))) ids.add(id);
  }
  for (const sys of Object.values(decl.systems)) {
    for (const ds of Object.values(sys.datasets)) {
      if (ds.retention && Object.values(ds.fields).some((f) => f.category && categoryWithin(f.category, cat))) ids.add(ds.retention);
    }
  }
  return [...ids].filter((id) => decl.retention[id]).map((id) => ({ id, rule: decl.retention[id] }));
}

/** Every data category the purposes and processor activities name, in first-use order. */
export function collectedCategories(decl: Declaration): string[] {
  return [...new Set([...Object.values(decl.purposes).flatMap((p) => p.dataCategories), ...Object.values(decl.processorActivities).flatMap((a) => a.dataCategories)])];
}

function purposeBlocks(decl: Declaration, id: string, p: Purpose): Block[] {
  const cats = categoriesOf(decl);
  const subjects = subjectsOf(decl);
  const rows: [string, Inline[]][] = [];
  if (p.legalBasis) {
    const info = LEGAL_BASIS_INFO[p.legalBasis];
    rows.push(["Legal basis", [`${info.name} (${info.article})${p.legitimateInterest ? `: ${p.legitimateInterest}` : ""}`]]);
  } else {
    rows.push(["Legal basis", ["Not stated"]]);
  }
  if (p.specialCategoryCondition) rows.push(["Special categories", [`Processed under ${ART9_CONDITION_TEXT[p.specialCategoryCondition]}`]]);
  rows.push(["Data", [p.dataCategories.map((c) => categoryName(c, cats)).join(", ")]]);
  rows.push(["About", [p.dataSubjects.map((s) => subjects[s]?.name ?? s).join(", ")]]);
  const src = p.sources.map((s) => SOURCE_TEXT[s]).join("; ");
  rows.push(["Source", [src + (p.sourceDescription ? ` (${p.sourceDescription})` : "")]]);
  if (p.requirement) rows.push(["Must you provide it?", [`${REQUIREMENT_TEXT[p.requirement.type]}${p.requirement.consequence ? `. If you do not: ${p.requirement.consequence}` : ""}`]]);
  if (p.recipients.length) rows.push(["Shared with", [p.recipients.map((r) => decl.recipients[r]?.name ?? r).join(", ")]]);
  if (p.retention && decl.retention[p.retention]) rows.push(["Kept", [describeRetention(decl.retention[p.retention])]]);
  if (p.jurisdictions?.only) rows.push(["Only for", [p.jurisdictions.only.join(", ")]]);
  if (p.jurisdictions?.except) rows.push(["Not for", [p.jurisdictions.except.join(", ")]]);
  if (p.channels.length) rows.push(["Channels", [p.channels.join(", ")]]);
  if (p.withdrawal.length) rows.push(["Withdraw consent", [p.withdrawal.join("; ")]]);
  if (p.automatedDecision?.used) rows.push(["Automated decision", [p.automatedDecision.logic ?? "Yes"]]);
  if (p.sold || p.shared) rows.push(["Sold or shared", [[p.sold && "sold", p.shared && "shared for cross-context advertising"].filter(Boolean).join(", ")]]);
  const blocks: Block[] = [{ kind: "h3", text: p.name, id: `purpose-${id}` }];
  if (p.description) blocks.push({ kind: "p", content: [p.description] });
  blocks.push({ kind: "fields", rows });
  return blocks;
}

/**
 * Builds the notice of a declaration. Only sections the declaration has data
 * for are included; `changes` and `rights` are always present.
 */
export function buildNotice(decl: Declaration): NoticeDoc {
  const org = decl.organization;
  const orgName = org.shortName ?? org.name;
  const cats = categoriesOf(decl);
  const sections = new Map<NoticeItemId, Block[]>();
  const eu = servesEu(org.jurisdictions);

  // Art 13(1)(a)
  const intro: Block[] = [];
  const roleText = org.roles.includes("controller")
    ? `${org.name}${org.shortName ? ` ("${org.shortName}")` : ""} is the controller of the personal data described in this notice.`
    : `${org.name}${org.shortName ? ` ("${org.shortName}")` : ""} processes personal data on behalf of its customers, as a processor.`;
  intro.push({ kind: "p", content: [roleText + (org.roles.includes("processor") && org.roles.includes("controller") ? " For data we process on our customers' behalf, the customer is the controller." : "")] });
  intro.push({ kind: "list", items: contactLines({ ...org.contact, country: org.contact.address ? org.country : undefined }) });
  for (const o of org.officers) {
    intro.push({ kind: "p", content: [`${o.role}${o.name ? `: ${o.name}` : ""}${o.responsibilities.length ? `. Responsible for: ${o.responsibilities.join("; ")}` : ""}`] });
    if (o.contact) intro.push({ kind: "list", items: contactLines(o.contact) });
  }
  if (org.disputeResolution) {
    intro.push({ kind: "p", content: [`If a concern is not resolved, you may contact our dispute resolution provider${org.disputeResolution.free ? " (free of charge)" : ""}:`] });
    intro.push({ kind: "list", items: contactLines(org.disputeResolution) });
  }
  if (org.certifications.length) intro.push({ kind: "p", content: [`Certifications: ${org.certifications.join(", ")}.`] });
  sections.set("controller", intro);

  if (org.dpo) sections.set("dpo", [{ kind: "p", content: ["You can reach our data protection officer at:"] }, { kind: "list", items: contactLines(org.dpo) }]);
  const reps: Block[] = [];
  if (org.euRepresentative) reps.push({ kind: "p", content: ["Our representative in the European Union (GDPR Art 27):"] }, { kind: "list", items: contactLines(org.euRepresentative) });
  if (org.ukRepresentative) reps.push({ kind: "p", content: ["Our representative in the United Kingdom:"] }, { kind: "list", items: contactLines(org.ukRepresentative) });
  if (reps.length) sections.set("representative", reps);

  // Art 13(1)(c)-(d), 13(2)(e), 14(1)(d), 14(2)(f)
  const purposes = Object.entries(decl.purposes).flatMap(([id, p]) => purposeBlocks(decl, id, p));
  sections.set("purposes", purposes);

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
        head: ["Recipient", "Role", "Country", "Why"],
        rows: recipients.map(([rid, r]) => [
          r.privacyPolicy ? [{ text: r.name, href: r.privacyPolicy }] : [r.name],
          [r.role.replace(/_/g, " ")],
          [countryName(r.country)],
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

  // Art 13(1)(f)
  const transferRows: Inline[][][] = [];
  if (org.transfer && !EEA_COUNTRIES.has(org.country)) {
    transferRows.push([[org.name], [countryName(org.country)], [org.transfer.mechanisms.map((m) => TRANSFER_MECHANISM_INFO[m].name).join("; ")], [org.transfer.note ?? ""]]);
  }
  for (const r of Object.values(decl.recipients)) {
    if (EEA_COUNTRIES.has(r.country)) continue;
    const mech = r.transfer?.mechanisms.map((m) => TRANSFER_MECHANISM_INFO[m].name).join("; ") ?? "None stated";
    transferRows.push([[r.name], [countryName(r.country)], [mech], [r.transfer?.note ?? ""]]);
  }
  if (transferRows.length && (eu || transferRows.some((row) => row[2][0] !== "None stated"))) {
    sections.set("transfers", [
      { kind: "p", content: ["Your data is transferred outside the European Economic Area as follows. You may ask us for a copy of the safeguards."] },
      { kind: "table", head: ["Who", "Country", "Safeguard", "Notes"], rows: transferRows },
    ]);
  }

  // Art 13(2)(a): per category
  const retentionRows: Inline[][][] = [];
  for (const cat of collectedCategories(decl)) {
    const rules = retentionForCategory(decl, cat);
    retentionRows.push([[categoryName(cat, cats)], [rules.length ? rules.map((r) => describeRetention(r.rule)).join(" / ") : "No retention period stated"]]);
  }
  if (retentionRows.length) sections.set("retention", [{ kind: "table", head: ["Data", "How long we keep it"], rows: retentionRows }]);

  // Art 13(2)(b)-(d)
  const rights = decl.rights;
  const rightsBlocks: Block[] = [];
  rightsBlocks.push({ kind: "p", content: [`You have the following rights${rights.appliesTo ? ` (if you are in ${rights.appliesTo.join(", ")})` : ""}:`] });
  rightsBlocks.push({ kind: "list", items: rights.offered.map((r) => [`${RIGHT_INFO[r].name}: the right ${RIGHT_INFO[r].text} (${RIGHT_INFO[r].article}).`]) });
  rightsBlocks.push({ kind: "p", content: ["To exercise them, contact us by:"] });
  rightsBlocks.push({
    kind: "list",
    items: rights.channels.map((c) => (c.type === "email" ? [`email: `, mail(c.address)] : c.type === "web" && /^https?:/.test(c.address) ? ["web: ", link(c.address)] : [`${c.type.replace(/_/g, " ")}: ${c.address}`])),
  });
  const verif: Record<string, string> = {
    email_code: "we send a one-time code to your email address",
    account: "we ask you to confirm the request from within your account",
    signed_form: "we ask for a signed form",
    id_document: "we ask for proof of identity",
    none: "no verification is needed",
  };
  rightsBlocks.push({ kind: "p", content: [`To protect your data, we verify who is asking: ${verif[rights.verification.method]}${rights.verification.description ? ` (${rights.verification.description})` : ""}.`] });
  if (rights.authorizedAgents?.allowed) {
    rightsBlocks.push({ kind: "p", content: [`An authorized agent may make a request on your behalf${rights.authorizedAgents.requireSignedAuthorization ? " with your signed permission" : ""}.${rights.authorizedAgents.description ? ` ${rights.authorizedAgents.description}` : ""}`] });
  }
  const deadlines = [...new Set(org.jurisdictions.map(regimeFor).filter((r): r is NonNullable<typeof r> => !!r))].map((id) => {
    const r = REGIMES[id];
    return `${r.name}: ${r.deadline.amount} ${r.deadline.unit.replace("_", " ")}${r.extension ? `, extendable by ${r.extension.amount} ${r.extension.unit.replace("_", " ")} with notice and reasons` : ""}`;
  });
  rightsBlocks.push({ kind: "p", content: [`Requests are ${rights.fee === "free" ? "free of charge" : "free unless manifestly unfounded or excessive"}. We answer within ${rights.responseTime ?? "the legal deadline"}${deadlines.length ? ` (${deadlines.join("; ")})` : ""}.`] });
  if (rights.notifyRecipients.length) rightsBlocks.push({ kind: "p", content: [`We tell the recipients of your data about any ${rights.notifyRecipients.join(", ")} (GDPR Art 19).`] });
  const sa = org.supervisoryAuthority;
  rightsBlocks.push({ kind: "p", content: [`You may complain to a supervisory authority${sa ? `: ${sa.name ?? ""}` : ", in particular in the country where you live or work"}.`] });
  if (sa) rightsBlocks.push({ kind: "list", items: contactLines({ ...sa, name: undefined }) });
  if (Object.values(decl.purposes).some((p) => p.legalBasis === "consent")) {
    rightsBlocks.push({ kind: "p", content: ["Where we rely on your consent, you may withdraw it at any time; this does not affect processing before the withdrawal (GDPR Art 7(3))."] });
  }
  sections.set("rights", rightsBlocks);

  const automated = Object.values(decl.purposes).filter((p) => p.automatedDecision);
  if (automated.length) {
    const used = automated.filter((p) => p.automatedDecision?.used);
    sections.set(
      "automated",
      used.length
        ? used.map((p) => ({ kind: "p", content: [`${p.name}: ${p.automatedDecision?.logic ?? ""} ${p.automatedDecision?.significance ?? ""}`.trim()] }) as Block)
        : [{ kind: "p", content: ["We do not make decisions based solely on automated processing, including profiling, that have legal or similarly significant effects on you."] }],
    );
  }

  if (decl.consent && Object.keys(decl.consent.categories).length) {
    const c = decl.consent;
    const blocks: Block[] = [
      { kind: "p", content: [`Non-essential cookies are set only after you opt in. You can change your choices at any time; they last up to ${c.validity}.`] },
      {
        kind: "table",
        head: ["Category", "What it does", "Services and cookies", "Default"],
        rows: Object.values(c.categories).map((cat) => [
          [cat.name],
          [cat.description],
          [cat.services.map((s) => s.name + (s.cookies.length ? ` (${s.cookies.map((k) => k.name + (k.duration ? `, ${k.duration}` : "")).join("; ")})` : "")).join(", ") || "—"],
          [cat.essential ? "Always on" : cat.default ? "On" : "Off until you opt in"],
        ]),
      },
    ];
    const signals: string[] = [];
    if (c.signals.gpc) signals.push("We honour Global Privacy Control: a browser that sends it is opted out of sale, sharing and marketing cookies.");
    if (c.signals.dnt) signals.push("We honour Do Not Track: a browser that sends it is treated as having refused non-essential cookies.");
    if (signals.length) blocks.push({ kind: "p", content: [signals.join(" ")] });
    sections.set("cookies", blocks);
  }

  const newsletters = Object.values(decl.consent?.newsletters ?? {});
  if (newsletters.length) {
    sections.set(
      "newsletters",
      newsletters.flatMap((n): Block[] => {
        const d = n.doubleOptIn;
        return [
          { kind: "h3", text: n.name },
          ...(n.description ? [{ kind: "p", content: [n.description] } as Block] : []),
          {
            kind: "p",
            content: [
              d.enabled
                ? `We use double opt-in: after you sign up we email you a link to confirm. If you do not confirm within ${d.confirmWithin}, your sign-up is blocked, and it is deleted after ${d.deleteUnconfirmedAfter}. We keep the time and IP address of your sign-up and confirmation, and the text of the confirmation email, as proof.`
                : "Sign-up takes effect at once, without a confirmation email.",
            ],
          },
          { kind: "p", content: [`Required: ${n.requiredFields.join(", ")}${n.optionalFields.length ? `; optional: ${n.optionalFields.join(", ")}` : ""}. Unsubscribe at any time: ${n.unsubscribe.join("; ")}.`] },
        ];
      }),
    );
  }

  if (org.jurisdictions.includes("US-CA")) {
    const rows: Inline[][][] = collectedCategories(decl).map((cat) => {
      const using = Object.values(decl.purposes).filter((p) => p.dataCategories.includes(cat));
      const sold = using.some((p) => p.sold);
      const shared = using.some((p) => p.shared);
      const rules = retentionForCategory(decl, cat);
      return [
        [categoryName(cat, cats) + (cats[cat]?.sensitive ? " (sensitive)" : "")],
        [using.map((p) => p.name).join(", ")],
        [sold || shared ? [sold && "Sold", shared && "Shared"].filter(Boolean).join(", ") : "Neither sold nor shared"],
        [rules.map((r) => describeRetention(r.rule)).join(" / ") || "No retention period stated"],
      ];
    });
    const blocks: Block[] = [{ kind: "table", head: ["Category", "Purposes", "Sold or shared", "Retention"], rows }];
    if (Object.values(decl.purposes).some((p) => p.sold || p.shared)) {
      blocks.push({ kind: "p", content: [{ text: "Do Not Sell or Share My Personal Information", href: "/privacy-center?right=opt_out_sale" }] });
    }
    sections.set("ccpa", blocks);
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
            ["For", [a.controllers.join(", ")]],
            ["What we do", [a.processing.join("; ")]],
            ...(a.dataCategories.length ? [["Data", [a.dataCategories.map((c) => categoryName(c, cats)).join(", ")]] as [string, Inline[]]] : []),
            ...(a.locations.length ? [["Where", [a.locations.map(countryName).join(", ")]] as [string, Inline[]]] : []),
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
        blocks.push({ kind: "list", items: gov.staffAccess.protectedClasses.map((c) => [`${c.name}${c.description ? `: ${c.description}` : ""}${c.excludes ? ` (except ${c.excludes})` : ""}`]) });
      }
      if (gov.staffAccess.exceptions.length) blocks.push({ kind: "p", content: ["Exceptions:"] }, { kind: "list", items: gov.staffAccess.exceptions.map((e) => [e.description]) });
    }
    if (gov.legalRequests) {
      blocks.push({ kind: "h3", text: "Requests from authorities" }, { kind: "p", content: [`${gov.legalRequests.policy}${gov.legalRequests.verificationRequired ? " Every such request is verified before we act on it." : ""}`] });
    }
    if (gov.agreements.length) {
      blocks.push({ kind: "h3", text: "Agreements" }, { kind: "list", items: gov.agreements.map((a) => [a.url ? { text: a.name, href: a.url } : a.name, `${a.description ? `: ${a.description}` : ""}${a.automatic ? " (included automatically)" : ""}`]) });
    }
    if (gov.breach) blocks.push({ kind: "h3", text: "Data breaches" }, { kind: "p", content: [gov.breach.procedure] });
    if (gov.businessTransfers) blocks.push({ kind: "h3", text: "Mergers and acquisitions" }, { kind: "p", content: [`If our business changes hands, we tell you by ${gov.businessTransfers.notify.join(" and ")}.`] });
    if (gov.assessments) blocks.push({ kind: "p", content: [`Our practices are assessed every ${gov.assessments.frequency}${gov.assessments.owner ? ` under the ${gov.assessments.owner}` : ""}.`] });
    if (blocks.length) sections.set("governance", blocks);
  }

  if (decl.security) sections.set("security", [{ kind: "list", items: decl.security.measures.map((m) => [m]) }]);

  const changes: Block[] = [{ kind: "p", content: [`This is version ${decl.version} of our notice, effective ${decl.effectiveDate}.`] }];
  if (decl.notice.changeNotification.length) {
    changes.push({ kind: "p", content: [`If we make material changes, we tell you by ${decl.notice.changeNotification.join(", ")} before they take effect.`] });
  }
  if (decl.notice.changeNotice) changes.push({ kind: "p", content: [decl.notice.changeNotice] });
  changes.push({ kind: "p", content: [{ text: "Earlier versions", href: "/privacy/versions" }] });
  sections.set("changes", changes);

  return {
    title: `Privacy notice — ${orgName}`,
    organization: org.name,
    version: decl.version,
    effectiveDate: decl.effectiveDate,
    sections: NOTICE_ITEMS.filter((i) => sections.has(i.id)).map((i) => ({ id: i.id, title: i.title, article: i.article, blocks: sections.get(i.id)! })),
  };
}
