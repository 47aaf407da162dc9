import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../helpers/cli.js";
import { MORE_EXAMPLES, SEED_FILES } from "../helpers/declarations.js";
import type { ProcessorRecord } from "../../src/notice/index.js";

interface CheckJson {
  valid: boolean;
  errors: number;
  findings: {
    rule: string;
    severity: string;
    message: string;
    article: string;
    location: { file: string; line: number; column: number };
  }[];
}

async function check(file: string): Promise<{ code: number; json: CheckJson; text: string }> {
  const [j, t] = await Promise.all([
    runCli(["check", `examples/${file}`, "--format", "json"]),
    runCli(["check", `examples/${file}`]),
  ]);
  assert.equal(j.code, t.code);
  return { code: j.code, json: JSON.parse(j.stdout) as CheckJson, text: t.stdout };
}

describe("the seed declarations through `pledge check`", () => {
  it("all eight load", async () => {
    for (const file of [...Object.values(SEED_FILES), ...Object.values(MORE_EXAMPLES)]) {
      const { json } = await check(file);
      assert.equal(json.valid, true, file);
    }
  });

  it("LuxSci 2018: flags the Privacy Shield transfers, the missing legal bases and the missing EU representative", async () => {
    const { code, json, text } = await check(SEED_FILES.luxsci2018);
    assert.equal(code, 1);
    const shield = json.findings.filter((f) => f.rule === "transfer-invalid-mechanism");
    assert.ok(
      shield.some((f) =>
        f.message.startsWith(
          "Authorize.net: the transfer relies on the EU–US Privacy Shield, invalid since 2020-07-16",
        ),
      ),
    );
    assert.ok(
      shield.some((f) =>
        f.message.startsWith("Lux Scientiae, Incorporated: the transfer relies on the EU–US Privacy Shield"),
      ),
    );
    assert.ok(
      json.findings.some((f) => f.rule === "purpose-no-legal-basis" && f.message.includes("Website traffic analysis")),
    );
    assert.ok(json.findings.some((f) => f.rule === "purpose-no-retention" && f.message.includes("Tell-a-friend")));
    assert.ok(json.findings.some((f) => f.rule === "representative-missing"));
    assert.ok(json.findings.some((f) => f.rule === "rights-missing" && f.message.includes("portability")));
    assert.ok(json.findings.some((f) => f.rule === "processor-no-dpa" && f.message.includes("Google Analytics")));
    // the text form prints each finding with its location and the article
    assert.match(
      text,
      /^luxsci-2018\.yaml:\d+:\d+ error \[transfer-invalid-mechanism\] recipients\.authorize_net\.transfer\.mechanisms\[0\]: Authorize\.net: .*\(GDPR Art 44-46\)$/m,
    );
    assert.match(text, /^luxsci-2018\.yaml: \d+ errors, \d+ warnings?, \d+ info$/m);
  });

  it("Lutron 2021: flags Privacy Shield; the US and Canada-only phone marketing is not judged by the GDPR", async () => {
    const { code, json } = await check(SEED_FILES.lutron);
    assert.equal(code, 1);
    assert.ok(
      json.findings.some(
        (f) =>
          f.rule === "transfer-invalid-mechanism" &&
          f.message.startsWith(
            "Cloud service providers in the United States: the transfer relies on the EU–US Privacy Shield",
          ),
      ),
    );
    // `jurisdictions: { only: [US, CA] }`: GDPR Art 7(3) does not reach it.
    assert.ok(
      !json.findings.some((f) => f.message.includes("Sales calls") && f.article.includes("GDPR")),
      JSON.stringify(json.findings.filter((f) => f.message.includes("Sales calls"))),
    );
    assert.ok(json.findings.some((f) => f.rule === "processor-no-dpa" && f.message.includes("GoToAssist")));
    assert.ok(!json.findings.some((f) => f.rule === "representative-missing"), "Lutron names an EU representative");
  });

  it("Data Intensity: flags the Safe Harbor basis", async () => {
    const { code, json } = await check(SEED_FILES.dataIntensity);
    assert.equal(code, 1);
    const harbor = json.findings.filter((f) => f.rule === "transfer-invalid-mechanism");
    assert.ok(
      harbor.some(
        (f) =>
          f.message ===
          "Data Intensity: the transfer relies on the US–EU Safe Harbor, invalid since 2015-10-06 (CJEU C-362/14 (Schrems I))",
      ),
    );
    assert.ok(harbor.every((f) => f.message.includes("Safe Harbor")));
  });

  it("NumFOCUS 2020: flags US transfers with no stated safeguard and analytics cookies on by default", async () => {
    const { code, json } = await check(SEED_FILES.numfocus);
    assert.equal(code, 1);
    assert.ok(json.findings.some((f) => f.rule === "transfer-no-safeguard" && f.message.startsWith("Cloudflare (US)")));
    assert.ok(
      !json.findings.some((f) => f.rule === "transfer-no-safeguard" && f.message.startsWith("TypeForm")),
      "TypeForm is in Spain",
    );
    assert.ok(json.findings.some((f) => f.rule === "consent-default-on" && f.message.includes("Analytics")));
    assert.ok(
      !json.findings.some((f) => f.rule === "processor-no-dpa"),
      "NumFOCUS states controller-processor agreements",
    );
  });

  it("LuxSci 2009: a US-only notice: nothing cites the GDPR, and no law there asks for retention periods", async () => {
    const { code, json } = await check(SEED_FILES.luxsci2009);
    assert.equal(code, 0);
    assert.deepEqual(
      json.findings.filter((f) => /GDPR|ePrivacy/.test(f.article)),
      [],
    );
    assert.ok(
      !json.findings.some(
        (f) => f.rule === "purpose-no-legal-basis" || f.rule === "purpose-no-retention" || f.rule === "rights-missing",
      ),
    );
    // Pledge's own checks still run, and say so.
    assert.ok(json.findings.some((f) => f.rule === "manual-system" && f.article === "request execution"));
  });

  it("senior-vision e.V. (a German non-profit): three legal bases with their scopes, and no error", async () => {
    const { code, json } = await check(MORE_EXAMPLES.seniorVision);
    assert.equal(code, 0, JSON.stringify(json.findings));
    assert.deepEqual(
      json.findings.map((f) => f.rule),
      // The tax records' 10 years outlast the membership rule's 3: the linter asks that the law behind them be confirmed.
      ["no-systems", "retention-exception-longer"],
    );
    // The notice prints the tax and SEPA exceptions only beside the records they cover.
    const md = (await runCli(["notice", `examples/${MORE_EXAMPLES.seniorVision}`, "--format", "md"])).stdout;
    assert.match(
      md,
      /^\| SEPA direct debit mandate \| Membership management \| Kept for as long as the membership lasts, and 3 years after the membership ends; then deleted\. Exceptions: SEPA mandate data is deleted after the direct debit authorisation ends and civil limitation periods expire \|$/m,
    );
    assert.match(
      md,
      /^\| Email address \| Membership management \| Kept for as long as the membership lasts, and 3 years after the membership ends; then deleted \|$/m,
    );
    assert.match(md, /Legitimate interests \(GDPR Art 6\(1\)\(f\)\), for organising the association/);
  });

  it("Menicon (health data on explicit consent): the consent the order needs is not 'bundled' — a false positive kept as a test", async () => {
    const { json } = await check(MORE_EXAMPLES.menicon);
    assert.ok(
      !json.findings.some((f) => f.rule === "consent-bundled"),
      "explicit consent for the health data an order needs is not consent traded for the service",
    );
    assert.ok(!json.findings.some((f) => f.rule === "special-category-no-condition"));
    assert.ok(!json.findings.some((f) => f.rule === "consent-no-withdrawal"));
    // What the parts read do not say is reported: no retention period, and rights other than withdrawal.
    assert.ok(json.findings.some((f) => f.rule === "purpose-no-retention"));
    assert.ok(json.findings.some((f) => f.rule === "rights-missing"));
  });

  it("Silktide (a UK processor): the EU clauses alone do not cover UK transfers; no rights are asked of a processor; its ROPA lists the sub-processors' transfers", async () => {
    const { code, json } = await check(MORE_EXAMPLES.silktide);
    assert.equal(code, 0);
    const uk = json.findings.filter((f) => f.rule === "uk-transfer-no-safeguard");
    assert.deepEqual(uk.map((f) => f.message.split(":")[0]).sort(), [
      "Amazon Web Services Australia Pty Ltd (AWS) (AU)",
      "Amazon Web Services, Inc. (AWS) (US)",
    ]);
    assert.ok(uk.every((f) => f.article.startsWith("UK GDPR")));
    assert.ok(
      !json.findings.some((f) => f.rule === "rights-missing" || /^GDPR/.test(f.article)),
      "a UK-only processor: no EU GDPR, no rights of its own",
    );
    const ropa = JSON.parse(
      (await runCli(["ropa", `examples/${MORE_EXAMPLES.silktide}`, "--format", "json"])).stdout,
    ) as { records: ProcessorRecord[] };
    const [activity] = ropa.records[0].activities;
    assert.deepEqual(
      activity.transfers.map((t) => `${t.to} → ${t.country}: ${t.safeguards.join(", ")}`),
      [
        "Amazon Web Services, Inc. (AWS) (sub-processor) → United States: the 2021 standard contractual clauses",
        "Amazon Web Services Australia Pty Ltd (AWS) (sub-processor) → Australia: the 2021 standard contractual clauses",
      ],
    );
  });

  it("the demo declaration has no errors", async () => {
    const r = await runCli(["check", "demo/pledge.yaml"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /pledge\.yaml: 0 errors/);
  });
});
