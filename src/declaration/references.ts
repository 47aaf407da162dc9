/**
 * Cross-references inside a declaration: a purpose naming a category, subject,
 * recipient, system or retention rule that does not exist is an error, located
 * at the reference, with a did-you-mean.
 */
import { Cron } from "croner";
import type { z } from "zod";
import { DeclarationBase, type Declaration } from "./schema.js";
import { categoriesOf, isKnownCategory, subjectsOf } from "./taxonomy.js";
import { didYouMean } from "./suggest.js";
import { danglingTranslations, translationPath } from "./translations.js";

type Path = (string | number)[];

/** Adds an issue for every dangling reference. Used as the schema's superRefine. */
export function checkReferences(decl: Declaration, ctx: z.RefinementCtx): void {
  const report = (path: Path, message: string) => ctx.addIssue({ code: "custom", message, path });
  const categories = categoriesOf(decl);
  const subjects = subjectsOf(decl);

  const ref = (kind: string, value: string, known: Record<string, unknown>, path: Path) => {
    if (!(value in known)) report(path, `unknown ${kind} '${value}'${didYouMean(value, Object.keys(known))}`);
  };
  const categoryRef = (value: string, path: Path) => {
    if (!isKnownCategory(value, categories)) {
      report(
        path,
        `unknown data category '${value}'${didYouMean(value, Object.keys(categories))} ` +
          `(define it under taxonomy.dataCategories)`,
      );
    }
  };

  const { organization } = decl;
  if (organization.defaultJurisdiction && !organization.jurisdictions.includes(organization.defaultJurisdiction)) {
    report(
      ["organization", "defaultJurisdiction"],
      `'${organization.defaultJurisdiction}' is not one of organization.jurisdictions`,
    );
  }
  if (
    !organization.contact.email &&
    !organization.contact.url &&
    !organization.contact.address &&
    !organization.contact.phone
  ) {
    report(["organization", "contact"], "give at least one of email, url, address or phone (GDPR Art 13(1)(a))");
  }

  for (const [pid, p] of Object.entries(decl.purposes)) {
    p.dataCategories.forEach((cat, i) => categoryRef(cat, ["purposes", pid, "dataCategories", i]));
    p.dataSubjects.forEach((s, i) => ref("data subject", s, subjects, ["purposes", pid, "dataSubjects", i]));
    p.recipients.forEach((r, i) => ref("recipient", r, decl.recipients, ["purposes", pid, "recipients", i]));
    p.systems.forEach((s, i) => ref("system", s, decl.systems, ["purposes", pid, "systems", i]));
    if (p.retention) ref("retention rule", p.retention, decl.retention, ["purposes", pid, "retention"]);
  }

  for (const [sid, sys] of Object.entries(decl.systems)) {
    if (sys.location?.hostedBy)
      ref("recipient", sys.location.hostedBy, decl.recipients, ["systems", sid, "location", "hostedBy"]);
    const conn = sys.connector;
    if ((conn?.engine === "http" || conn?.engine === "mail") && conn.recipient)
      ref("recipient", conn.recipient, decl.recipients, ["systems", sid, "connector", "recipient"]);
    const engine = sys.connector?.engine;
    for (const [did, ds] of Object.entries(sys.datasets)) {
      const base: Path = ["systems", sid, "datasets", did];
      if (typeof ds.retention === "string") ref("retention rule", ds.retention, decl.retention, [...base, "retention"]);
      else if (Array.isArray(ds.retention))
        ds.retention.forEach((b, i) =>
          ref("retention rule", b.rule, decl.retention, [...base, "retention", i, "rule"]),
        );
      else if (ds.retention) ref("retention rule", ds.retention.rule, decl.retention, [...base, "retention", "rule"]);
      if (engine === "files" && (!ds.path || !ds.format)) {
        report(base, "a dataset of a files connector needs path and format (jsonl or csv)");
      }
      if (engine === "redis" && !ds.keyPattern) report(base, "a dataset of a redis connector needs keyPattern");
      if (ds.subject) ref("data subject", ds.subject, subjects, [...base, "subject"]);
      if (ds.derived && ds.retention)
        report(
          [...base, "retention"],
          "a derived dataset (a view) stores nothing to keep or delete: bind the retention rule to the datasets " +
            "it reads",
        );
      const hasIdentity = Object.values(ds.fields).some((f) => f.identity);
      for (const [fname, f] of Object.entries(ds.fields)) {
        const fpath: Path = [...base, "fields", fname];
        if (f.category) categoryRef(f.category, [...fpath, "category"]);
        if (f.masking === "fixed" && f.maskValue === undefined)
          report([...fpath, "maskValue"], "fixed masking needs maskValue");
        if (f.match && !f.identity)
          report([...fpath, "match"], "match applies to an identity field: add identity, or remove match");
        if (f.shared && !f.identity)
          report([...fpath, "shared"], "shared describes an identity field: add identity, or remove shared");
        if (f.personal === false && f.masking && f.masking !== "keep")
          report(
            [...fpath, "masking"],
            "a field that is not personal is never masked: remove masking, or personal: false",
          );
        if (f.contact && !hasIdentity)
          report(
            [...fpath, "contact"],
            "a contact field is found through an identity of the same dataset, and this dataset holds none",
          );
        if (f.personal === false && f.category)
          report(
            [...fpath, "personal"],
            `a field with the data category '${f.category}' is personal; remove personal: false or the category`,
          );
        if (f.personal === false && f.identity)
          report([...fpath, "personal"], "an identity field is personal; remove personal: false");
        if (!f.references && f.relation)
          report([...fpath, "relation"], "relation describes a reference: add references, or remove relation");
        if (f.show && f.relation !== "lookup")
          report([...fpath, "show"], "show applies to a lookup reference (relation: lookup)");
        if (f.references) {
          const parts = f.references.split(".");
          const [rs, rd, rf] = parts.length === 3 ? parts : [sid, parts[0], parts[1]];
          const target = decl.systems[rs]?.datasets[rd];
          if (!decl.systems[rs]) ref("system", rs, decl.systems, [...fpath, "references"]);
          else if (!target) ref("dataset", rd, decl.systems[rs].datasets, [...fpath, "references"]);
          else if (!(rf in target.fields)) ref(`field of ${rs}.${rd}`, rf, target.fields, [...fpath, "references"]);
          else if (f.show) {
            // A path: each step but the last a reference of the row reached, the last a field of it.
            let at = target;
            let atName = `${rs}.${rd}`;
            const steps = f.show.split(".");
            for (const [i, step] of steps.entries()) {
              if (!(step in at.fields)) {
                ref(`field of ${atName}`, step, at.fields, [...fpath, "show"]);
                break;
              }
              if (i === steps.length - 1) break;
              const next = at.fields[step].references?.split(".");
              const nextDs = next && next.length === 2 ? decl.systems[rs].datasets[next[0]] : undefined;
              if (!nextDs) {
                report(
                  [...fpath, "show"],
                  `${atName}.${step} is not a reference within ${rs}, so show cannot go on past it (${f.show})`,
                );
                break;
              }
              at = nextDs;
              atName = `${rs}.${next![0]}`;
            }
          }
          if (rs !== sid && f.relation === "detail")
            report(
              [...fpath, "relation"],
              "a detail reference must stay within one system: the detail row is erased with the person's row",
            );
        }
      }
    }
  }

  for (const [rid, r] of Object.entries(decl.recipients)) {
    if (!r.country && !r.audience)
      report(
        ["recipients", rid, "country"],
        "give the recipient's country, or audience: public or other_users for recipients that are not in one country",
      );
    if (r.country && r.audience)
      report(
        ["recipients", rid, "audience"],
        "a recipient is either in a country or an audience (the public, other users), not both",
      );
    r.dataCategories.forEach((cat, i) => categoryRef(cat, ["recipients", rid, "dataCategories", i]));
  }
  const scan = decl.discovery?.schedule;
  if (scan && scan !== "off") {
    try {
      new Cron(scan, { paused: true, timezone: "UTC" }).stop();
    } catch (err) {
      report(
        ["discovery", "schedule"],
        `not a cron expression Pledge can run (${(err as Error).message}); e.g. "0 4 * ` +
          `* 1" for Mondays at 04:00 UTC, or off`,
      );
    }
  }
  for (const [rid, rule] of Object.entries(decl.retention)) {
    if (rule.schedule) {
      try {
        new Cron(rule.schedule, { paused: true, timezone: "UTC" }).stop();
      } catch (err) {
        report(
          ["retention", rid, "schedule"],
          `not a cron expression Pledge can run (${(err as Error).message}); e.g. "0 3 * * *" for daily at 03:00 UTC`,
        );
      }
    }
    rule.dataCategories.forEach((cat, i) => categoryRef(cat, ["retention", rid, "dataCategories", i]));
    rule.exceptions.forEach((ex, j) =>
      ex.dataCategories.forEach((cat, i) => categoryRef(cat, ["retention", rid, "exceptions", j, "dataCategories", i])),
    );
  }
  if (decl.consent) {
    for (const [cid, cat] of Object.entries(decl.consent.categories)) {
      cat.purposes.forEach((p, i) => ref("purpose", p, decl.purposes, ["consent", "categories", cid, "purposes", i]));
      cat.services.forEach((s, i) => {
        if (s.recipient)
          ref("recipient", s.recipient, decl.recipients, ["consent", "categories", cid, "services", i, "recipient"]);
      });
    }
    for (const [nid, n] of Object.entries(decl.consent.newsletters)) {
      ref("purpose", n.purpose, decl.purposes, ["consent", "newsletters", nid, "purpose"]);
    }
    const tcf = decl.consent.iab?.tcf;
    if (tcf) {
      // Each TCF purpose (and special feature) stands for one category: the person's choice of it is the answer.
      for (const [key, what] of [
        ["purposes", "purpose"],
        ["specialFeatures", "special feature"],
      ] as const) {
        const owner = new Map<number, string>();
        for (const [cid, ids] of Object.entries(tcf[key])) {
          ref("consent category", cid, decl.consent.categories, ["consent", "iab", "tcf", key, cid]);
          if (decl.consent.categories[cid]?.essential)
            report(
              ["consent", "iab", "tcf", key, cid],
              `${cid} is essential: a TCF ${what} needs the person's consent, so it cannot stand for it`,
            );
          ids.forEach((n, i) => {
            const other = owner.get(n);
            if (other) report(["consent", "iab", "tcf", key, cid, i], `TCF ${what} ${n} already stands for ${other}`);
            else owner.set(n, cid);
          });
        }
      }
    }
  }
  for (const [aid, a] of Object.entries(decl.processorActivities)) {
    a.dataCategories.forEach((cat, i) => categoryRef(cat, ["processorActivities", aid, "dataCategories", i]));
    a.dataSubjects.forEach((s, i) => ref("data subject", s, subjects, ["processorActivities", aid, "dataSubjects", i]));
    a.subProcessors.forEach((r, i) =>
      ref("recipient", r, decl.recipients, ["processorActivities", aid, "subProcessors", i]),
    );
  }
  const sp = decl.governance?.subProcessors;
  if (sp?.list) ref("newsletter", sp.list, decl.consent?.newsletters ?? {}, ["governance", "subProcessors", "list"]);
  for (const { lang, key } of danglingTranslations(decl))
    report(
      ["translations", lang, key],
      `'${key}' is not a text of this declaration: ${translationPath(key).join(" → ")} leads to no text to translate`,
    );
}

/** The declaration's schema with the checks that span its parts (references between purposes, systems and datasets). */
export const DeclarationSchema = DeclarationBase.superRefine(checkReferences);
