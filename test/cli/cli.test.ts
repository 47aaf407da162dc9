import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCli } from "../helpers/cli.js";
import { minimalYaml } from "../helpers/declarations.js";

const dir = mkdtempSync(join(tmpdir(), "pledge-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("the pledge command", () => {
  it("check: warnings alone exit 0; the declaration is found as ./pledge.yaml", async () => {
    file("pledge.yaml", minimalYaml());
    const r = await runCli(["check"], {}, { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^pledge\.yaml:1:1 warning \[no-systems\] systems: /m);
    assert.match(r.stdout, /^pledge\.yaml: 0 errors, 1 warning, 0 info$/m);
  });

  it("check: an invalid declaration prints located problems and exits 1", async () => {
    const p = file("broken.yaml", minimalYaml().replace("legalBasis: contract", "legalBasis: contrakt"));
    const r = await runCli(["check", p]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^broken\.yaml:12:17 purposes\.orders\.legalBasis: expected one of consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests, got 'contrakt'; did you mean 'contract'\?$/m,
    );
    assert.match(r.stderr, /^1 problem: the declaration is invalid$/m);
    const j = await runCli(["check", p, "--format", "json"]);
    assert.equal(j.code, 1);
    const body = JSON.parse(j.stdout) as {
      valid: boolean;
      issues: { pathText: string; location: { line: number; column: number } }[];
    };
    assert.equal(body.valid, false);
    assert.deepEqual(body.issues[0].location, { file: "broken.yaml", line: 12, column: 17 });
    assert.equal(body.issues[0].pathText, "purposes.orders.legalBasis");
  });

  it("check: a missing file says so and exits 1", async () => {
    const r = await runCli(["check", join(dir, "nope.yaml")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nope\.yaml: no such file/);
  });

  it("usage errors exit 2 with a message", async () => {
    const unknown = await runCli(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^pledge: unknown command 'frobnicate'/);
    const flag = await runCli(["check", "--colour"]);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /^pledge check: Unknown option '--colour'/);
    const none = await runCli([]);
    assert.equal(none.code, 2);
    const help = await runCli(["help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /pledge check \[pledge\.yaml\]/);
  });

  it("schema: prints the JSON Schema for editors", async () => {
    const r = await runCli(["schema"]);
    assert.equal(r.code, 0);
    const schema = JSON.parse(r.stdout) as { title: string; properties: Record<string, unknown> };
    assert.equal(schema.title, "Pledge declaration");
    assert.ok(schema.properties.purposes && schema.properties.recipients && schema.properties.consent);
  });
});

describe("pledge law", () => {
  it("prints every place's request deadline and breach clocks with their citations", async () => {
    const r = await runCli(["law"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\| Texas TDPSA \| US-TX \| 45 days \|/);
    assert.match(r.stdout, /\| US-TX \| the Texas Attorney General \| 30 days \|.*521\.053\(i\)/);
    assert.match(r.stdout, /\| JP \| the Personal Information Protection Commission \|/);
  });
});
