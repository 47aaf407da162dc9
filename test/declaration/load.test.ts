import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeclarationError, formatIssue, parseDeclaration, declarationJsonSchema } from "../../src/declaration/index.js";
import { minimalYaml } from "../helpers/declarations.js";

function errorsOf(yaml: string): string[] {
  try {
    parseDeclaration(yaml, "pledge.yaml");
  } catch (err) {
    assert.ok(err instanceof DeclarationError, `expected DeclarationError, got ${String(err)}`);
    return err.issues.map(formatIssue);
  }
  assert.fail("expected the declaration to be rejected");
}

describe("loading a declaration", () => {
  it("accepts a minimal declaration and fills defaults", () => {
    const { declaration, hash } = parseDeclaration(minimalYaml(), "pledge.yaml");
    assert.equal(declaration.organization.name, "Acme GmbH");
    assert.deepEqual(declaration.purposes.orders.sources, ["subject"]);
    assert.equal(
      declaration.rights.verification,
      undefined,
      "a default is not a promise: the notice says nothing of verification unless declared",
    );
    assert.equal(declaration.rights.fee, undefined);
    assert.match(hash, /^[0-9a-f]{64}$/);
  });

  it("points a wrong enum value at its line and column, listing what is expected", () => {
    const yaml = minimalYaml().replace("legalBasis: contract", "legalBasis: contrakt");
    const [msg] = errorsOf(yaml);
    const line = yaml.split("\n").findIndex((l) => l.includes("contrakt")) + 1;
    const col = yaml.split("\n")[line - 1].indexOf("contrakt") + 1;
    assert.equal(
      msg,
      `pledge.yaml:${line}:${col} purposes.orders.legalBasis: expected one of consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests, got 'contrakt'; did you mean 'contract'?`,
    );
  });

  it("rejects an unknown key with a did-you-mean, located at the key", () => {
    const yaml = minimalYaml().replace("    retention: two_years\n", "    retention: two_years\n    recipents: []\n");
    const [msg] = errorsOf(yaml);
    const line = yaml.split("\n").findIndex((l) => l.includes("recipents")) + 1;
    assert.match(
      msg,
      new RegExp(
        `^pledge\\.yaml:${line}:5 purposes\\.orders\\.recipents: unknown key 'recipents'; did you mean 'recipients'\\?`,
      ),
    );
  });

  it("rejects references to things that do not exist", () => {
    const yaml = minimalYaml().replace(
      "dataCategories: [user.contact.email]",
      "dataCategories: [user.contact.emial]\n    recipients: [stripe]",
    );
    const msgs = errorsOf(yaml);
    assert.ok(
      msgs.some((m) =>
        /purposes\.orders\.dataCategories\[0\]: unknown data category 'user\.contact\.emial'; did you mean 'user\.contact\.email'\?/.test(
          m,
        ),
      ),
      msgs.join("\n"),
    );
    assert.ok(
      msgs.some((m) => /purposes\.orders\.recipients\[0\]: unknown recipient 'stripe'/.test(m)),
      msgs.join("\n"),
    );
  });

  it("rejects a retention rule, subject or foreign key that does not exist", () => {
    const yaml = minimalYaml(`systems:
  db:
    name: DB
    connector: { engine: postgres, url: { env: DB_URL } }
    datasets:
      orders:
        fields:
          customer_id: { references: customers.id }
`)
      .replace("retention: two_years\nretention:", "retention: two_yaers\nretention:")
      .replace("dataSubjects: [customer]", "dataSubjects: [custommer]");
    const msgs = errorsOf(yaml).join("\n");
    assert.match(msgs, /purposes\.orders\.retention: unknown retention rule 'two_yaers'; did you mean 'two_years'\?/);
    assert.match(
      msgs,
      /purposes\.orders\.dataSubjects\[0\]: unknown data subject 'custommer'; did you mean 'customer'\?/,
    );
    assert.match(msgs, /systems\.db\.datasets\.orders\.fields\.customer_id\.references: unknown dataset 'customers'/);
  });

  it("refuses a literal connection string: connections come from the environment", () => {
    const yaml = minimalYaml(`systems:
  db:
    name: DB
    connector: { engine: postgres, url: "postgres://admin:hunter2@db/prod" }
`);
    const msgs = errorsOf(yaml).join("\n");
    assert.match(msgs, /systems\.db\.connector\.url: expected mapping/);
  });

  it("names a missing required field at its parent", () => {
    const yaml = minimalYaml().replace("  country: DE\n", "");
    const [msg] = errorsOf(yaml);
    assert.match(msg, /^pledge\.yaml:4:3 organization\.country: missing required text 'country'/);
  });

  it("asks to quote a version that YAML reads as a number", () => {
    const [msg] = errorsOf(minimalYaml().replace('version: "1"', "version: 1.0"));
    assert.match(msg, /^pledge\.yaml:1:10 version: expected text, got number 1 \(quote it: "1"\)/);
  });

  it("locates YAML syntax errors", () => {
    const [msg] = errorsOf("version: '1'\norganization: [unclosed\n");
    assert.match(msg, /^pledge\.yaml:\d+:\d+ \(document\): invalid YAML: /);
  });

  it("rejects an empty document and a duplicate key", () => {
    assert.match(errorsOf("")[0], /^pledge\.yaml:1:1 \(document\): the declaration is empty/);
    assert.match(
      errorsOf(minimalYaml().replace('version: "1"', 'version: "1"\nversion: "2"'))[0],
      /invalid YAML: Map keys must be unique/,
    );
  });

  it("derives a JSON Schema with the declaration's keys and enums", () => {
    const schema = declarationJsonSchema() as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
      required: string[];
    };
    assert.deepEqual(schema.required.sort(), ["effectiveDate", "organization", "purposes", "rights", "version"]);
    const text = JSON.stringify(schema);
    assert.ok(text.includes('"legitimate_interests"'));
    assert.ok(text.includes('"privacy_shield"'));
    assert.ok(schema.properties.organization.properties?.jurisdictions);
  });
});

describe("the published JSON Schema", () => {
  it("pledge.schema.json is the schema derived from the code (regenerate with `pledge schema > pledge.schema.json`)", async () => {
    const { readFileSync } = await import("node:fs");
    const committed = JSON.parse(readFileSync(new URL("../../pledge.schema.json", import.meta.url), "utf8")) as unknown;
    assert.deepEqual(committed, declarationJsonSchema());
  });
  it("pledge-vendor.schema.json, which the built-in specs name, is the vendor spec's (`pledge schema --vendor-spec`)", async () => {
    const { readFileSync } = await import("node:fs");
    const { vendorSpecJsonSchema } = await import("../../src/connectors/index.js");
    const committed = JSON.parse(readFileSync(new URL("../../pledge-vendor.schema.json", import.meta.url), "utf8"));
    assert.deepEqual(committed, vendorSpecJsonSchema());
  });
});
