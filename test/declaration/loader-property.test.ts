import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DeclarationError, parseDeclaration, lintDeclaration } from "../../src/declaration/index.js";
import { EXAMPLES } from "../helpers/cli.js";

const seeds = ["luxsci-2018.yaml", "lutron-remote-service-2021.yaml", "numfocus-2020.yaml"].map((f) =>
  readFileSync(EXAMPLES + f, "utf8"),
);

/** Either a valid declaration (that lints without throwing), or located issues; nothing else. */
function assertLoadsOrLocates(text: string): void {
  let loaded: ReturnType<typeof parseDeclaration>;
  try {
    loaded = parseDeclaration(text, "fuzz.yaml");
  } catch (err) {
    assert.ok(err instanceof DeclarationError, `not a DeclarationError: ${(err as Error)?.stack}`);
    assert.ok(err.issues.length > 0);
    const lines = text.split("\n").length;
    for (const i of err.issues) {
      assert.equal(i.location.file, "fuzz.yaml");
      assert.ok(
        Number.isInteger(i.location.line) && i.location.line >= 1 && i.location.line <= lines + 1,
        `line ${i.location.line} of ${lines}`,
      );
      assert.ok(Number.isInteger(i.location.column) && i.location.column >= 1, `column ${i.location.column}`);
      assert.ok(i.message.length > 0);
    }
    return;
  }
  lintDeclaration(loaded.declaration);
}

describe("the loader under random input", () => {
  it("never crashes on arbitrary text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), assertLoadsOrLocates), { numRuns: 300 });
  });

  it("never crashes on truncated declarations", () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(), (seed, n) =>
        assertLoadsOrLocates(seed.slice(0, n % (seed.length + 1))),
      ),
      { numRuns: 200 },
    );
  });

  it("never crashes on mutated declarations (characters replaced, inserted, deleted)", () => {
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom("replace", "insert", "delete"),
      ch: fc.constantFrom(":", "-", " ", "\n", "[", "{", "'", '"', "&", "*", "!", "#", "x", "0", "\t", "|", ">"),
    });
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 }), (seed, muts) => {
        let t = seed;
        for (const m of muts) {
          const at = m.at % (t.length + 1);
          t =
            m.kind === "insert"
              ? t.slice(0, at) + m.ch + t.slice(at)
              : m.kind === "replace"
                ? t.slice(0, at) + m.ch + t.slice(at + 1)
                : t.slice(0, at) + t.slice(at + 1);
        }
        assertLoadsOrLocates(t);
      }),
      { numRuns: 300 },
    );
  });

  it("never crashes on random YAML-shaped documents", () => {
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        scalar,
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    const topKeys = fc.constantFrom(
      "version",
      "effectiveDate",
      "organization",
      "purposes",
      "systems",
      "recipients",
      "retention",
      "consent",
      "rights",
      "taxonomy",
    );
    fc.assert(
      fc.property(fc.dictionary(topKeys, value, { maxKeys: 8 }), (doc) => {
        const yaml = Object.entries(doc)
          .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
          .join("\n");
        assertLoadsOrLocates(yaml);
      }),
      { numRuns: 300 },
    );
  });
});
