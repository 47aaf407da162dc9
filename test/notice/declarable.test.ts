/**
 * What real notices needed and the schema could not say: each can now be declared, and the notice states it in
 * English, German and French.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { lintDeclaration, parseDeclaration } from "../../src/declaration/index.js";
import { buildNotice, statementsOf } from "../../src/notice/index.js";
import { runCli } from "../helpers/cli.js";

const yaml = `version: "3"
effectiveDate: 2026-12-01
organization:
  name: Acme, Inc.
  roles: [controller]
  country: US
  contact: { url: "https://acme.example/contact" }
  euRepresentative: { name: Acme EU Rep, email: rep@acme.example }
  jurisdictions: [EU, US-VA]
  transfer: { mechanisms: [dpf] }
purposes:
  health:
    name: Health coaching
    legalBasis: consent
    specialCategoryCondition: explicit_consent
    dataCategories: [user.health, user.contact.email]
    dataSubjects: [customer]
    withdrawal: [the settings page]
    retention: r
  ads:
    name: Ads
    legalBasis: consent
    targetedAdvertising: true
    profiling: true
    assessment: { date: 2026-10-01 }
    dataCategories: [user.behavior.browsing_history]
    dataSubjects: [customer]
    withdrawal: [the cookie settings]
    recipients: [adco]
    retention: r
retention:
  r: { period: 1 year, from: collection, action: delete }
recipients:
  adco:
    name: AdCo Ltd
    role: third_party
    country: IN
    transfer:
      mechanisms: [art49_explicit_consent]
      supplementaryMeasures: [encrypted with keys held in the EU]
systems:
  app:
    name: Coaching app
    backups: { period: 35 days }
    datasets:
      visits:
        fields:
          email: { category: user.contact.email, identity: email }
          ip: { category: user.device.ip_address, minimisation: truncated to /24 }
rights:
  offered: [access, rectification, erasure, portability, withdraw_consent, complaint, opt_out_targeted_advertising, opt_out_profiling]
  channels: [{ type: web, address: "https://acme.example/privacy-form" }]
  responseTime: { EU: 30 days }
governance:
  subProcessors: { url: "https://acme.example/subprocessors", noticePeriod: 30 days }
notice:
  changeNotification: [email]
  advanceNotice: 14 days
  advanceNoticeHedge: generally
`;

const WORDS: Record<"en" | "de" | "fr", RegExp[]> = {
  en: [
    /explicit consent \(Art 9\(2\)\(a\)\)/,
    /the person's explicit consent \(Art 49 derogation\)/,
    /IP address: truncated to \/24/,
    /Supplementary measures: encrypted with keys held in the EU\./,
    /Backups of Coaching app keep data for up to 35 days after it is deleted from the system\./,
    /The list of our sub-processors <https:\/\/acme\.example\/subprocessors> is published; we tell customers of a new sub-processor at least 30 days before it is engaged\./,
    /generally at least 14 days before they take effect/,
    /web: https:\/\/acme\.example\/privacy-form/,
    /Web: https:\/\/acme\.example\/contact/,
    /opt out of targeted advertising, opt out of profiling/,
    /we answer within 30 days of receiving your request/,
  ],
  de: [
    /ausdrücklicher Einwilligung \(Art\. 9 Abs\. 2 lit\. a DSGVO\)/,
    /die ausdrückliche Einwilligung der Person \(Ausnahme nach Art\. 49 DSGVO\)/,
    /Web: https:\/\/acme\.example\/contact/,
    /Web: https:\/\/acme\.example\/privacy-form/,
    /IP-Adresse: truncated to \/24/,
    /Zusätzliche Maßnahmen: encrypted with keys held in the EU\./,
    /Sicherungskopien von Coaching app enthalten Daten bis zu 35 Tage/,
    /über einen neuen Unterauftragsverarbeiter informieren wir Kunden mindestens 30 Tage vorher/,
    /in der Regel mindestens 14 Tage/,
    /Widerspruch gegen gezielte Werbung, Widerspruch gegen Profiling/,
  ],
  fr: [
    /le consentement explicite \(art\. 9, par\. 2, point a\), du RGPD\)/,
    /le consentement explicite de la personne \(dérogation de l’art\. 49 du RGPD\)/,
    /Web : https:\/\/acme\.example\/contact/,
    /web : https:\/\/acme\.example\/privacy-form/,
    /Adresse IP : truncated to \/24/,
    /Mesures supplémentaires : encrypted with keys held in the EU\./,
    /Les sauvegardes de Coaching app conservent les données jusqu’à 35 jours/,
    /nous informons les clients d’un nouveau sous-traitant au moins 30 jours avant de le solliciter/,
    /en général au moins 14 jours/,
    /opposition à la publicité ciblée, opposition au profilage/,
  ],
};

describe("what the schema could not say before", () => {
  const d = parseDeclaration(yaml).declaration;

  for (const lang of ["en", "de", "fr"] as const)
    it(`is declared and stated in the notice (${lang})`, () => {
      const text = statementsOf(buildNotice(d, lang))
        .map((s) => s.text)
        .join("\n");
      for (const re of WORDS[lang]) assert.match(text, re);
    });

  it("a contact channel with no email address, and 30 days promised in the EEA, are not errors", () => {
    const errors = lintDeclaration(d).filter((f) => f.severity === "error");
    assert.deepEqual(
      errors.map((e) => `${e.rule}: ${e.message}`),
      [],
    );
  });

  it("Nevada, Florida and Washington are stated with their own laws and clocks (en, de, fr)", () => {
    const us = parseDeclaration(
      yaml.replace("jurisdictions: [EU, US-VA]", "jurisdictions: [EU, US-NV, US-FL, US-WA]"),
    ).declaration;
    const said = (lang: "en" | "de" | "fr") =>
      statementsOf(buildNotice(us, lang))
        .map((x) => x.text)
        .join("\n");
    assert.match(said("en"), /Under the Florida Digital Bill of Rights, we answer within 45 days/);
    assert.match(said("en"), /Under the Washington My Health My Data Act, we answer within 45 days/);
    assert.match(said("de"), /Nach dem Florida Digital Bill of Rights antworten wir innerhalb von 45 Tagen/);
    assert.match(said("fr"), /En vertu du Florida Digital Bill of Rights, nous répondons dans un délai de 45 jours/);
    // Nevada's only right is the opt-out of sale, which this declaration does not offer: nothing is promised there.
    assert.doesNotMatch(said("en"), /Under the Nevada/);
  });

  it("pledge check accepts the places the law table now knows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-places-"));
    try {
      const places = [
        "US-NV",
        "US-FL",
        "US-WA",
        "JP",
        "KR",
        "SG",
        "AU",
        "NZ",
        "IN",
        "CN",
        "ZA",
        "TR",
        "TH",
        "PH",
        "MX",
        "AR",
      ];
      const file = join(dir, "pledge.yaml");
      writeFileSync(
        file,
        yaml.replace("jurisdictions: [EU, US-VA]", `jurisdictions: [EU, US-VA, ${places.join(", ")}]`),
      );
      const r = await runCli(["check", file, "--format", "json"]);
      const out = JSON.parse(r.stdout) as { findings: { rule: string; severity: string; message: string }[] };
      const unknown = out.findings.filter((f) => /jurisdiction|unknown/i.test(f.message) && f.severity === "error");
      assert.deepEqual(unknown, []);
      assert.equal(r.code, 0, r.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the laws of the countries the table now knows, in the notice", () => {
  const jp = parseDeclaration(
    yaml.replace("jurisdictions: [EU, US-VA]", "jurisdictions: [EU, US-VA, JP, ZA]"),
  ).declaration;
  const said = (lang: "en" | "de" | "fr") =>
    statementsOf(buildNotice(jp, lang))
      .map((s) => s.text)
      .join("\n");

  it("each in the notice's language, with where to complain", () => {
    // The APPI says "without delay": Pledge's 14-day working target is not promised.
    assert.match(said("en"), /Under the Japan APPI, we answer without delay after receiving your request/);
    assert.doesNotMatch(said("en"), /APPI, we answer within 14 days/);
    assert.match(said("en"), /You may complain to the Information Regulator\./);
    assert.match(said("de"), /Nach dem japanischen APPI antworten wir unverzüglich nach Eingang/);
    assert.match(said("de"), /bei dem Information Regulator von Südafrika beschweren/);
    assert.match(said("fr"), /En vertu de l’APPI japonaise, nous répondons sans délai après réception/);
    assert.match(said("fr"), /saisir l’Information Regulator d’Afrique du Sud/);
  });
});
