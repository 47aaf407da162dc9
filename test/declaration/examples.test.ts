import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../helpers/cli.js";
import { SEED_FILES } from "../helpers/declarations.js";

interface CheckJson {
  valid: boolean;
  errors: number;
  findings: { rule: string; severity: string; message: string; article: string; location: { file: string; line: number; column: number } }[];
}

async function check(file: string): Promise<{ code: number; json: CheckJson; text: string }> {
  const [j, t] = await Promise.all([runCli(["check", `examples/${file}`, "--format", "json"]), runCli(["check", `examples/${file}`])]);
  assert.equal(j.code, t.code);
  return { code: j.code, json: JSON.parse(j.stdout) as CheckJson, text: t.stdout };
}

describe("the seed declarations through `pledge check`", () => {
  it("all five load", async () => {
    for (const file of Object.values(SEED_FILES)) {
      const { json } = await check(file);
      assert.equal(json.valid, true, file);
    }
  });

  it("LuxSci 2018: flags the Privacy Shield transfers, the missing legal bases and the missing EU representative", async () => {
    const { code, json, text } = await check(SEED_FILES.luxsci2018);
    assert.equal(code, 1);
    const shield = json.findings.filter((f) => f.rule === "transfer-invalid-mechanism");
    assert.ok(shield.some((f) => f.message.startsWith("Authorize.net: the transfer relies on the EU–US Privacy Shield, invalid since 2020-07-16")));
    assert.ok(shield.some((f) => f.message.startsWith("Lux Scientiae, Incorporated: the transfer relies on the EU–US Privacy Shield")));
    assert.ok(json.findings.some((f) => f.rule === "purpose-no-legal-basis" && f.message.includes("Website traffic analysis")));
    assert.ok(json.findings.some((f) => f.rule === "purpose-no-retention" && f.message.includes("Tell-a-friend")));
    assert.ok(json.findings.some((f) => f.rule === "representative-missing"));
    assert.ok(json.findings.some((f) => f.rule === "rights-missing" && f.message.includes("portability")));
    assert.ok(json.findings.some((f) => f.rule === "processor-no-dpa" && f.message.includes("Google Analytics")));
    // the text form prints each finding with its location and the article
    assert.match(text, /^luxsci-2018\.yaml:\d+:\d+ error \[transfer-invalid-mechanism\] recipients\.authorize_net\.transfer\.mechanisms\[0\]: Authorize\.net: .*\(GDPR Art 44-46\)$/m);
    assert.match(text, /^luxsci-2018\.yaml: \d+ errors, \d+ warnings?, \d+ info$/m);
  });

  it("Lutron 2021: flags Privacy Shield; the US and Canada-only phone marketing is not judged by the GDPR", async () => {
    const { code, json } = await check(SEED_FILES.lutron);
    assert.equal(code, 1);
    assert.ok(json.findings.some((f) => f.rule === "transfer-invalid-mechanism" && f.message.startsWith("Cloud service providers in the United States: the transfer relies on the EU–US Privacy Shield")));
    // `jurisdictions: { only: [US, CA] }`: GDPR Art 7(3) does not reach it.
    assert.ok(!json.findings.some((f) => f.message.includes("Sales calls") && f.article.includes("GDPR")), JSON.stringify(json.findings.filter((f) => f.message.includes("Sales calls"))));
    assert.ok(json.findings.some((f) => f.rule === "processor-no-dpa" && f.message.includes("GoToAssist")));
    assert.ok(!json.findings.some((f) => f.rule === "representative-missing"), "Lutron names an EU representative");
  });

  it("Data Intensity: flags the Safe Harbor basis", async () => {
    const { code, json } = await check(SEED_FILES.dataIntensity);
    assert.equal(code, 1);
    const harbor = json.findings.filter((f) => f.rule === "transfer-invalid-mechanism");
    assert.ok(harbor.some((f) => f.message === "Data Intensity: the transfer relies on the US–EU Safe Harbor, invalid since 2015-10-06 (CJEU C-362/14 (Schrems I))"));
    assert.ok(harbor.every((f) => f.message.includes("Safe Harbor")));
  });

  it("NumFOCUS 2020: flags US transfers with no stated safeguard and analytics cookies on by default", async () => {
    const { code, json } = await check(SEED_FILES.numfocus);
    assert.equal(code, 1);
    assert.ok(json.findings.some((f) => f.rule === "transfer-no-safeguard" && f.message.startsWith("Cloudflare (US)")));
    assert.ok(!json.findings.some((f) => f.rule === "transfer-no-safeguard" && f.message.startsWith("TypeForm")), "TypeForm is in Spain");
    assert.ok(json.findings.some((f) => f.rule === "consent-default-on" && f.message.includes("Analytics")));
    assert.ok(!json.findings.some((f) => f.rule === "processor-no-dpa"), "NumFOCUS states controller-processor agreements");
  });

  it("LuxSci 2009: a US-only notice: nothing cites the GDPR, and no law there asks for retention periods", async () => {
    const { code, json } = await check(SEED_FILES.luxsci2009);
    assert.equal(code, 0);
    assert.deepEqual(json.findings.filter((f) => /GDPR|ePrivacy/.test(f.article)), []);
    assert.ok(!json.findings.some((f) => f.rule === "purpose-no-legal-basis" || f.rule === "purpose-no-retention" || f.rule === "rights-missing"));
    // Pledge's own checks still run, and say so.
    assert.ok(json.findings.some((f) => f.rule === "manual-system" && f.article === "request execution"));
  });

  it("the demo declaration has no errors", async () => {
    const r = await runCli(["check", "demo/pledge.yaml"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /pledge\.yaml: 0 errors/);
  });
});
