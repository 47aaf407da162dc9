/** The notice in German and French: Pledge's own words translated, the declaration's texts from its translations. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DeclarationError, parseDeclaration } from "../../src/declaration/index.js";
import { NOTICE_WORDS, buildNotice, renderNoticeHtml, renderNoticeMarkdown } from "../../src/notice/index.js";
import { runCli, ROOT } from "../helpers/cli.js";
import { MORE_EXAMPLES, SEED_FILES, example, minimalYaml } from "../helpers/declarations.js";

const DEMO = `${ROOT}/demo/pledge.yaml`;
const demo = () => parseDeclaration(readFileSync(DEMO, "utf8"), "pledge.yaml").declaration;

/**
 * The English fixed texts of the notice: every plain string of the English words, and the parts of each sentence
 * around its facts (each function called with a marker for its arguments). A German or French notice that holds one of
 * them said something in English.
 */
function englishFragments(): string[] {
  const out = new Set<string>();
  const MARK = "\u0001";
  const visit = (v: unknown) => {
    if (typeof v === "string") out.add(v);
    else if (typeof v === "function") {
      for (const args of [
        [MARK, MARK, MARK],
        [[MARK], MARK, MARK],
        [true, MARK],
        [{ amount: 2, unit: "days" }, { amount: 3, unit: "days" }, MARK],
      ]) {
        try {
          const text = (v as (...a: unknown[]) => unknown).apply(NOTICE_WORDS.en, args);
          if (typeof text === "string") for (const part of text.split(MARK)) out.add(part);
        } catch {
          // a function that wants other arguments: its plain strings are checked through the others
        }
      }
    } else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(NOTICE_WORDS.en);
  // Long enough to be a phrase, not a name that stays the same in every language ("Newsletter", "Marketing").
  return [...out].map((s) => s.trim()).filter((s) => s.length >= 16 && s.includes(" "));
}

const declarations = () => [
  ["demo", demo()] as const,
  ...Object.values(SEED_FILES).map((f) => [f, example(f).declaration] as const),
  ...Object.values(MORE_EXAMPLES).map((f) => [f, example(f).declaration] as const),
];

describe("the notice in German and French", () => {
  const english = englishFragments();

  it("holds none of Pledge's English phrases, over the demo and every example", () => {
    assert.ok(english.length > 100, `only ${english.length} English phrases collected`);
    for (const lang of ["de", "fr"] as const) {
      for (const [name, decl] of declarations()) {
        const md = renderNoticeMarkdown(buildNotice(decl, lang));
        const left = english.filter((phrase) => md.includes(phrase));
        assert.deepEqual(left, [], `${name} in ${lang} still says, in English: ${left.join(" | ")}`);
      }
    }
  });

  it("speaks German in its titles, sentences and law citations, with the declaration's own texts translated", () => {
    const doc = buildNotice(demo(), "de");
    assert.equal(doc.lang, "de");
    assert.equal(doc.title, "Datenschutzerklärung — Fjord Outfitters");
    assert.equal(doc.meta, "Version 2026.1, gültig ab 2026-01-15");
    assert.deepEqual(
      doc.sections.slice(0, 4).map((s) => s.title),
      [
        "Wer wir sind",
        "Datenschutzbeauftragter",
        "Was wir erheben, wozu und auf welcher Rechtsgrundlage",
        "Wer Ihre Daten erhält",
      ],
    );
    const md = renderNoticeMarkdown(doc);
    assert.match(md, /### Verkauf und Lieferung Ihrer Bestellungen/);
    assert.match(md, /\*\*Rechtsgrundlage:\*\* Erfüllung eines Vertrags \(Art\. 6 Abs\. 1 lit\. b DSGVO\)/);
    assert.match(md, /\| Postmark \(ActiveCampaign LLC\) \| Vereinigte Staaten \| das EU-US Data Privacy Framework/);
    assert.match(md, /Nach der DSGVO antworten wir innerhalb von 1 Monat nach Eingang Ihrer Anfrage/);
    assert.match(md, /1 Monat, nachdem eine Anmeldung unbestätigt geblieben ist, danach gelöscht/);
    assert.match(md, /Auskunft: das Recht, zu erfahren, ob wir Ihre Daten verarbeiten/);
    assert.match(md, /Hosting in Deutschland/);
    assert.match(renderNoticeHtml(doc), /<html lang="de"[ >]/);
  });

  it("speaks French, with French typography", () => {
    const md = renderNoticeMarkdown(buildNotice(demo(), "fr"));
    assert.match(md, /^# Politique de confidentialité — Fjord Outfitters/);
    assert.match(md, /Fjord Outfitters AB \(« Fjord Outfitters »\) est le responsable du traitement/);
    assert.match(md, /En vertu du RGPD, nous répondons dans un délai de 1 mois/);
    assert.match(md, /- e-mail : \[privacy@fjord-outfitters\.example\]/);
    assert.match(md, /\(art\. 6, par\. 1, point b\), du RGPD\)/);
    assert.match(md, /### Vente et livraison de vos commandes/);
  });

  it("states the declaration's texts as written where it gives no translation, and English stays as it was", () => {
    const decl = parseDeclaration(minimalYaml(), "pledge.yaml").declaration;
    const de = renderNoticeMarkdown(buildNotice(decl, "de"));
    assert.match(de, /### Orders/);
    assert.match(de, /^# Datenschutzerklärung — Acme GmbH/);
    assert.equal(renderNoticeMarkdown(buildNotice(decl)), renderNoticeMarkdown(buildNotice(decl, "en")));
  });

  it("refuses a translation whose path leads to no text of the declaration, naming it", () => {
    const yaml = `${minimalYaml()}\ntranslations:\n  de:\n    purposes.orders.nmae: Bestellungen\n`;
    assert.throws(
      () => parseDeclaration(yaml, "pledge.yaml"),
      (err: unknown) =>
        err instanceof DeclarationError &&
        /translations\.de\.purposes\.orders\.nmae/.test(err.message) &&
        /leads to no text to translate/.test(err.message),
    );
  });

  it("the declaration rewords a fixed text of the notice per language; pledge check warns of a key that rewords nothing", async () => {
    const yaml =
      `${minimalYaml()}\ntexts:\n  de:\n    notice.field.kept: Aufbewahrung\n` +
      `    notice.retentionFrom.collection: ab dem Tag der Erhebung\n    notice.field.kpt: Tippfehler\n`;
    const decl = parseDeclaration(yaml, "pledge.yaml").declaration;
    const de = renderNoticeMarkdown(buildNotice(decl, "de"));
    assert.match(de, /\*\*Aufbewahrung:\*\* .*ab dem Tag der Erhebung/);
    assert.doesNotMatch(de, /\*\*Speicherdauer:\*\*/);
    assert.match(renderNoticeMarkdown(buildNotice(decl, "en")), /\*\*Kept:\*\*/, "only the language it is given for");
    const dir = mkdtempSync(join(tmpdir(), "pledge-texts-"));
    writeFileSync(join(dir, "pledge.yaml"), yaml);
    const check = await runCli(["check", join(dir, "pledge.yaml")]);
    assert.match(
      check.stdout + check.stderr,
      /warning \[unknown-text\] texts\.de\.notice\.field\.kpt: no page or notice text has the key 'notice\.field\.kpt', so it rewords nothing; did you mean 'notice\.field\.kept'\?\n/,
    );
    assert.doesNotMatch(check.stdout + check.stderr, /key 'notice\.(field\.kept|retentionFrom\.collection)'/);
    rmSync(dir, { recursive: true });
  });

  it("pledge notice --lang fr writes the French notice; a language it does not speak is refused", async () => {
    const fr = await runCli(["notice", DEMO, "--format", "md", "--lang", "fr"]);
    assert.equal(fr.code, 0, fr.stderr);
    assert.match(fr.stdout, /^# Politique de confidentialité/);
    const es = await runCli(["notice", DEMO, "--lang", "es"]);
    assert.equal(es.code, 2);
    assert.match(es.stderr, /lang/);
  });
});
