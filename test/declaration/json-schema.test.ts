/**
 * The published JSON Schema (`pledge.schema.json`) against the CLI, with a validator that is not Pledge's: ajv in
 * draft 2020-12 mode with its formats. On every example and on a set of broken declarations, `pledge check` and ajv
 * must say the same thing (valid or not), so an editor that validates with the schema warns where the CLI refuses.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import { EXAMPLES, ROOT, runCli } from "../helpers/cli.js";
import { minimalYaml } from "../helpers/declarations.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, "pledge.schema.json"), "utf8")) as object);

const dir = mkdtempSync(join(tmpdir(), "pledge-schema-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cliValid(file: string): Promise<boolean> {
  const r = await runCli(["check", file, "--format", "json"]);
  return (JSON.parse(r.stdout) as { valid: boolean }).valid;
}

/** Runs `fn` over `items`, two at a time (the machine has two cores). */
async function inPairs<T, R>(items: T[], fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 2) out.push(...(await Promise.all(items.slice(i, i + 2).map(fn))));
  return out;
}

const swap = (from: string, to: string) => {
  const base = minimalYaml();
  assert.ok(base.includes(from), `the minimal declaration has '${from}'`);
  return base.replace(from, to);
};

/** Broken declarations, each with one fault a JSON Schema can express, and two valid edge cases. */
const CASES: { name: string; yaml: string; valid: boolean }[] = [
  { name: "30 February", yaml: swap("effectiveDate: 2025-01-01", "effectiveDate: 2026-02-30"), valid: false },
  { name: "month 13, day 45", yaml: swap("effectiveDate: 2025-01-01", "effectiveDate: 2026-13-45"), valid: false },
  {
    name: "29 February of a common year",
    yaml: swap("effectiveDate: 2025-01-01", "effectiveDate: 2025-02-29"),
    valid: false,
  },
  { name: "31 April", yaml: swap("effectiveDate: 2025-01-01", "effectiveDate: 2025-04-31"), valid: false },
  {
    name: "a date written day first",
    yaml: swap("effectiveDate: 2025-01-01", 'effectiveDate: "01/02/2025"'),
    valid: false,
  },
  {
    name: "29 February of a leap year",
    yaml: swap("effectiveDate: 2025-01-01", "effectiveDate: 2024-02-29"),
    valid: true,
  },
  { name: "an unknown US state", yaml: swap("jurisdictions: [EU]", "jurisdictions: [EU, US-ZZ]"), valid: false },
  { name: "a country outside the law table", yaml: swap("jurisdictions: [EU]", "jurisdictions: [XX]"), valid: false },
  { name: "a jurisdiction in lower case", yaml: swap("jurisdictions: [EU]", "jurisdictions: [eu]"), valid: false },
  { name: "no jurisdiction", yaml: swap("jurisdictions: [EU]", "jurisdictions: []"), valid: false },
  {
    name: "a subdivision the table knows",
    yaml: swap("jurisdictions: [EU]", "jurisdictions: [EU, US-CA]"),
    valid: true,
  },
  { name: "a misspelt legal basis", yaml: swap("legalBasis: contract", "legalBasis: contrakt"), valid: false },
  { name: "no organization name", yaml: swap("  name: Acme GmbH\n", ""), valid: false },
  { name: "an unknown top-level key", yaml: minimalYaml("purpose: {}\n"), valid: false },
  { name: "a duration in fortnights", yaml: swap("period: 2 years", "period: 2 fortnights"), valid: false },
  { name: "a misspelt role", yaml: swap("roles: [controller]", "roles: [controler]"), valid: false },
  { name: "a country in lower case", yaml: swap("country: DE", "country: de"), valid: false },
  {
    name: "a purpose id in capitals",
    yaml: swap("  orders:\n    name: Orders", "  Orders:\n    name: Orders"),
    valid: false,
  },
  { name: "an unknown retention action", yaml: swap("action: delete", "action: shred"), valid: false },
  {
    name: "an unknown right",
    yaml: swap("offered: [access,", "offered: [teleport, access,"),
    valid: false,
  },
  {
    name: "categories as a string",
    yaml: swap("dataCategories: [user.contact.email]", "dataCategories: 7"),
    valid: false,
  },
  { name: "no rights", yaml: swap("rights:\n", "rites:\n"), valid: false },
  {
    name: "a newsletter named like one of the newsletter addresses",
    yaml: minimalYaml("consent:\n  newsletters:\n    confirm: { name: News, purpose: orders }\n"),
    valid: false,
  },
];

describe("pledge.schema.json and `pledge check` agree (ajv, draft 2020-12, with formats)", () => {
  it("on every example and the demo declaration", async () => {
    const files = [...readdirYaml(EXAMPLES).map((f) => join(EXAMPLES, f)), join(ROOT, "demo/pledge.yaml")];
    const cli = await inPairs(files, cliValid);
    files.forEach((f, i) => {
      const ok = validate(parse(readFileSync(f, "utf8")));
      assert.equal(ok, true, `${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      assert.equal(cli[i], true, `${f}: the CLI refuses it`);
    });
  });

  it("on broken declarations, impossible dates among them, and on the valid edge cases", async () => {
    const files = CASES.map((c, i) => {
      const f = join(dir, `case-${i}.yaml`);
      writeFileSync(f, c.yaml);
      return f;
    });
    const cli = await inPairs(files, cliValid);
    CASES.forEach((c, i) => {
      const schema = validate(parse(c.yaml));
      assert.equal(cli[i], c.valid, `${c.name}: the CLI says ${cli[i] ? "valid" : "invalid"}`);
      assert.equal(schema, c.valid, `${c.name}: ajv says ${schema ? "valid" : "invalid"}`);
    });
  });

  it("the schema states the date format and the closed list of jurisdictions", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "pledge.schema.json"), "utf8")) as {
      properties: { effectiveDate: { format?: string; pattern?: string } };
    };
    assert.equal(schema.properties.effectiveDate.format, "date");
    assert.ok(schema.properties.effectiveDate.pattern, "a pattern for validators that ignore formats");
    const text = readFileSync(join(ROOT, "pledge.schema.json"), "utf8");
    assert.match(text, /"enum": \[[^\]]*"US-CA"/);
  });
});

function readdirYaml(d: string): string[] {
  return readdirSync(d).filter((f) => f.endsWith(".yaml"));
}
