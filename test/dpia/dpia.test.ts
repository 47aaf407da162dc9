/** DPIA screening from declarations (GDPR Art 35(3), WP248) and DPIA records with versions on both stores. */
import assert from "node:assert/strict";
import { it } from "node:test";
import { listAudit } from "../../src/audit/index.js";
import { loadDeclaration, parseDeclaration } from "../../src/declaration/index.js";
import {
  getDpiaRecord,
  listDpiaVersions,
  openDpiaRecord,
  saveDpiaRecord,
  screenDeclaration,
  screenPurpose,
} from "../../src/dpia/index.js";
import { runCli } from "../helpers/cli.js";
import { forEachStore } from "../helpers/stores.js";

const lutron = (await loadDeclaration("examples/lutron-remote-service-2021.yaml")).declaration;

const hr = parseDeclaration(`version: "1"
effectiveDate: 2026-01-01
organization: { name: Acme, roles: [controller], country: DE, contact: { email: privacy@acme.example }, jurisdictions: [EU] }
purposes:
  sick_leave: { name: Sick leave, legalBasis: legal_obligation, specialCategoryCondition: employment_social_security, dataCategories: [user.health, user.name], dataSubjects: [employee] }
  payroll: { name: Payroll, legalBasis: contract, dataCategories: [user.name, user.financial], dataSubjects: [employee] }
  diagnostics: { name: Diagnostics at scale, legalBasis: consent, dataCategories: [user.health], dataSubjects: [patient], dpia: { largeScale: true, subjects: 2000000 } }
  cctv: { name: Store cameras, legalBasis: legitimate_interests, legitimateInterest: Theft prevention, dataCategories: [user.name], dataSubjects: [visitor], sources: [observed], dpia: { largeScale: true, publiclyAccessibleArea: true } }
  newsletter: { name: Newsletter, legalBasis: consent, dataCategories: [user.contact.email], dataSubjects: [customer], withdrawal: [link] }
taxonomy:
  dataSubjects:
    patient: { name: Patients, vulnerable: patient }
rights: { offered: [access], channels: [{ type: email, address: privacy@acme.example }] }
`).declaration;

it("the Lutron remote-session recordings purpose is marked with its criteria", () => {
  const s = screenPurpose(lutron, "session_recording");
  assert.equal(s.result, "recommended");
  assert.deepEqual(
    s.criteria.map((c) => c.id),
    ["systematic_monitoring"],
  );
  assert.match(s.criteria[0].because, /observed/);
  assert.ok(s.transfers.some((t) => /GoToAssist in US, with no safeguard stated/.test(t)));
  assert.match(s.reasons.at(-1)!, /recommended/);
  // US and Canadian phone sales: the GDPR does not reach them, so Art 35 is not cited.
  const phone = screenPurpose(lutron, "phone_sales");
  assert.equal(phone.result, "not indicated");
  assert.match(phone.reasons[0], /Art 35 does not apply/);
});

it("special-category data of employees requires a DPIA; so do the Art 35(3) cases; a plain newsletter does not", () => {
  const sick = screenPurpose(hr, "sick_leave");
  assert.equal(sick.result, "required");
  assert.deepEqual(sick.criteria.map((c) => c.id).sort(), ["sensitive_data", "vulnerable_subjects"]);
  assert.match(sick.reasons.at(-1)!, /2 WP248 criteria are met/);
  assert.equal(screenPurpose(hr, "payroll").result, "recommended", "employees alone: one criterion");
  const diag = screenPurpose(hr, "diagnostics");
  assert.equal(diag.result, "required");
  assert.deepEqual(
    diag.art35.map((c) => c.case),
    ["b"],
  );
  assert.ok(diag.criteria.some((c) => c.id === "vulnerable_subjects" && /Patients \(patient\)/.test(c.because)));
  assert.deepEqual(
    screenPurpose(hr, "cctv").art35.map((c) => c.case),
    ["c"],
  );
  const news = screenPurpose(hr, "newsletter");
  assert.equal(news.result, "not indicated");
  assert.deepEqual(news.criteria, []);
  assert.deepEqual(
    screenDeclaration(hr)
      .map((s) => s.result)
      .slice(0, 3),
    ["required", "required", "required"],
  );
});

it("`pledge dpia` prints the screening, for one purpose or all", async () => {
  const one = await runCli(["dpia", "examples/lutron-remote-service-2021.yaml", "session_recording"]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(
    one.stdout,
    /^session_recording \(Remote session recording\): DPIA recommended\n {2}- Systematic monitoring: /,
  );
  const all = await runCli(["dpia", "examples/lutron-remote-service-2021.yaml", "--format", "json"]);
  assert.equal((JSON.parse(all.stdout) as unknown[]).length, Object.keys(lutron.purposes).length);
  const typo = await runCli(["dpia", "examples/lutron-remote-service-2021.yaml", "session_recordings"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /did you mean 'session_recording'/);
});

forEachStore("DPIA records", (target) => {
  it("a record opens pre-filled from the declaration and keeps every version", async () => {
    const store = await target.open();
    try {
      const first = await openDpiaRecord(store, hr, "sick_leave", "user:olive@acme.example");
      assert.equal(first.version, 1);
      assert.match(first.body.description, /^Sick leave\.\nData categories: user\.health, user\.name\./);
      assert.match(first.body.necessity, /Legal basis: legal obligation\./);
      assert.equal(first.body.risks.length, 2);
      assert.equal(first.body.screening.result, "required");
      assert.equal(
        (await openDpiaRecord(store, hr, "sick_leave", "user:x")).version,
        1,
        "opening again opens the same",
      );
      const second = await saveDpiaRecord(
        store,
        hr,
        "sick_leave",
        { ...first.body, conclusion: "Go ahead with access limited to HR." },
        "user:vic@acme.example",
      );
      assert.equal(second.version, 2);
      assert.equal((await getDpiaRecord(store, "sick_leave"))?.body.conclusion, "Go ahead with access limited to HR.");
      assert.equal((await getDpiaRecord(store, "sick_leave", 1))?.body.conclusion, "", "version 1 is unchanged");
      assert.deepEqual(
        (await listDpiaVersions(store, "sick_leave")).map((v) => v.version),
        [2, 1],
      );
      assert.ok(
        (await listAudit(store, { subject: "sick_leave", limit: 10 })).filter((e) => e.action === "dpia.saved")
          .length === 2,
      );
      // Measures come from security.measures of the declaration.
      const measures = await openDpiaRecord(store, lutron, "session_recording", "user:x");
      assert.deepEqual(measures.body.measures, lutron.security!.measures);
    } finally {
      await store.close();
    }
  });
});
