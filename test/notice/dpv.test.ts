/**
 * Every W3C DPV IRI Pledge emits exists in DPV 2.3: the JSON-LD record of processing of every example and of the
 * demo, expanded by the `jsonld` library (so prefixes resolve as any RDF tool resolves them), and the built-in
 * taxonomy, checked against the published term list (`shared/dpv/dpv-2.3-terms.csv`, kept outside the project).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import jsonld from "jsonld";
import { parse } from "yaml";
import { BUILTIN_CATEGORIES, LEGAL_BASIS_INFO, parseDeclaration } from "../../src/declaration/index.js";
import { buildRopa, ropaToJsonLd } from "../../src/notice/index.js";
import { EXAMPLES, ROOT } from "../helpers/cli.js";

/**
 * The term list, read where it is kept (never copied into the project): `PLEDGE_DPV_TERMS`, or `shared/dpv` beside the
 * checkout or one of its parents, or `/work/shared/dpv` (where CI's fresh clone finds it).
 */
const TERMS_FILE = (() => {
  if (process.env.PLEDGE_DPV_TERMS) return process.env.PLEDGE_DPV_TERMS;
  for (let d = ROOT; ; d = dirname(d)) {
    const f = join(d, "shared/dpv/dpv-2.3-terms.csv");
    if (existsSync(f)) return f;
    if (dirname(d) === d) break;
  }
  return existsSync("/work/shared/dpv/dpv-2.3-terms.csv") ? "/work/shared/dpv/dpv-2.3-terms.csv" : undefined;
})();
const skip = TERMS_FILE
  ? false
  : process.env.CI === "true"
    ? false
    : "the DPV 2.3 term list (shared/dpv/dpv-2.3-terms.csv) is not on this machine";

/** The IRIs of the term list: the third column of each row (the CSV quotes every field). */
function terms(): Set<string> {
  if (!TERMS_FILE) throw new Error("CI=true and the DPV 2.3 term list (shared/dpv/dpv-2.3-terms.csv) is missing");
  const out = new Set<string>();
  for (const m of readFileSync(TERMS_FILE, "utf8").matchAll(/^"[^"]*","[^"]*","(https:\/\/w3id\.org\/dpv[^"]*)"/gm))
    out.add(m[1]);
  assert.ok(out.size > 1500, `the term list has ${out.size} IRIs`);
  return out;
}

/** Every IRI in an expanded JSON-LD document: property names, types and node ids. */
function irisOf(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) irisOf(n, into);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (!k.startsWith("@")) into.add(k);
      if (k === "@type") for (const t of [v].flat()) into.add(String(t));
      else if (k === "@id") into.add(String(v));
      else if (k !== "@value") irisOf(v, into);
    }
  }
  return into;
}

const files = [
  ...readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(EXAMPLES, f)),
  join(ROOT, "demo/pledge.yaml"),
];

describe("W3C DPV terms", { skip }, () => {
  it("every DPV IRI in the JSON-LD record of processing of every example and the demo is in DPV 2.3", async () => {
    const known = terms();
    let checked = 0;
    for (const file of files) {
      const { declaration } = parseDeclaration(readFileSync(file, "utf8"), file);
      const doc = ropaToJsonLd(buildRopa(declaration), declaration);
      // No remote context: the document carries its own, and a download would be refused.
      const expanded = await jsonld.expand(doc as jsonld.JsonLdDocument, {
        documentLoader: async (url: string) => {
          throw new Error(`no remote context expected: ${url}`);
        },
      });
      assert.ok(expanded.length > 0, file);
      const dpv = [...irisOf(expanded)].filter((i) => i.startsWith("https://w3id.org/dpv"));
      const unknown = dpv.filter((i) => !known.has(i));
      assert.deepEqual(unknown, [], `${file}: not in DPV 2.3`);
      // Countries are concepts with their ISO code, never bare text.
      const text = JSON.stringify(expanded);
      assert.doesNotMatch(text, /"https:\/\/w3id\.org\/dpv#has(Third)?Country":\[\{"@value"/, file);
      checked += dpv.length;
    }
    assert.ok(checked > 100, `${checked} IRIs checked`);
  });

  it("a country in the record is a dpv:Country (or ThirdCountry) with its ISO 3166 code", async () => {
    const { declaration } = parseDeclaration(readFileSync(join(EXAMPLES, "numfocus-2020.yaml"), "utf8"), "n.yaml");
    const doc = JSON.stringify(ropaToJsonLd(buildRopa(declaration), declaration));
    assert.ok(
      doc.includes('"dpv:hasThirdCountry":{"@type":"dpv:ThirdCountry","dpv:hasIdentifier":"US","rdfs:label":'),
      "a transfer's third country",
    );
    assert.ok(
      doc.includes('"dpv:hasCountry":{"@type":"dpv:Country","dpv:hasIdentifier":"US"'),
      "a recipient's country",
    );
  });

  it("every DPV IRI of the built-in taxonomy and of the legal bases is in DPV 2.3", () => {
    const known = terms();
    const iris = [
      ...Object.values(BUILTIN_CATEGORIES).flatMap((c) => (c.dpv ? [c.dpv] : [])),
      ...Object.values(LEGAL_BASIS_INFO).flatMap((b) => [b.dpv, b.gdpr]),
    ];
    assert.ok(iris.length > 40, `${iris.length} IRIs`);
    assert.deepEqual(
      iris.filter((i) => !known.has(i)),
      [],
    );
  });

  it("every DPV IRI an example declares for its own categories and purposes is in DPV 2.3", () => {
    const known = terms();
    const own: string[] = [];
    for (const file of files) {
      const raw = JSON.stringify(parse(readFileSync(file, "utf8")));
      for (const m of raw.matchAll(/"dpv":"([^"]+)"/g)) own.push(m[1]);
    }
    assert.deepEqual(
      own.filter((i) => !known.has(i)),
      [],
    );
  });
});
