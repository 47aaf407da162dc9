/**
 * The notice states only what the declaration says: every statement's paths are written in the YAML (not filled in by
 * a schema default), a statement with no path is the law's wording with its article, and removing a path's value
 * removes the statements it made. Run on every example, the demo, and declarations generated from them.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse as parseYaml, stringify } from "yaml";
import {
  DeclarationError,
  formatPath,
  parseDeclaration,
  writtenIn,
  writtenOf,
  type DocPath,
} from "../../src/declaration/index.js";
import {
  buildNotice,
  buildRopa,
  changeNotice,
  checkProvenance,
  diffDeclarations,
  statementsOf,
  type NoticeDoc,
} from "../../src/notice/index.js";
import { EXAMPLES, ROOT, runCli } from "../helpers/cli.js";
import { minimalYaml } from "../helpers/declarations.js";

const FILES: [string, string][] = [
  ...readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".yaml"))
    .map((f): [string, string] => [f, readFileSync(EXAMPLES + f, "utf8")]),
  ["demo/pledge.yaml", readFileSync(`${ROOT}demo/pledge.yaml`, "utf8")],
];

/** The raw document with one path removed (a key deleted, an array item spliced out). */
function without(raw: unknown, path: DocPath): unknown {
  const copy = structuredClone(raw) as Record<string | number, unknown>;
  let node: unknown = copy;
  for (const part of path.slice(0, -1)) node = (node as Record<string | number, unknown>)?.[part];
  const last = path[path.length - 1];
  if (Array.isArray(node) && typeof last === "number") node.splice(last, 1);
  else if (node && typeof node === "object") delete (node as Record<string | number, unknown>)[last];
  return copy;
}

/** The notice of a raw document, or undefined when the document is no longer a valid declaration. */
function noticeOf(raw: unknown): NoticeDoc | undefined {
  try {
    return buildNotice(parseDeclaration(stringify(raw), "x.yaml").declaration, "en");
  } catch (err) {
    if (err instanceof DeclarationError) return undefined;
    throw err;
  }
}

const counts = (doc: NoticeDoc) => {
  const m = new Map<string, number>();
  for (const s of statementsOf(doc)) m.set(s.text, (m.get(s.text) ?? 0) + 1);
  return m;
};
const key = (p: DocPath) => JSON.stringify(p);
const within = (p: DocPath, prefix: DocPath) => prefix.every((x, i) => p[i] === x);

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every path of a raw document that holds a value. */
function pathsOf(node: unknown, at: DocPath = []): DocPath[] {
  if (node === null || typeof node !== "object") return [at];
  const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
  return [at, ...entries.flatMap(([k, v]) => pathsOf(v, [...at, k]))].filter((p) => p.length);
}

describe("provenance of the notice", () => {
  for (const [name, text] of FILES) {
    it(`${name}: every statement rests on written paths or names the law's article, in en, de and fr`, () => {
      const loaded = parseDeclaration(text, name);
      for (const lang of ["en", "de", "fr"] as const) {
        const doc = buildNotice(loaded.declaration, lang);
        assert.deepEqual(checkProvenance(doc, writtenOf(loaded.declaration)), [], `${name} (${lang})`);
        assert.ok(statementsOf(doc).length > 10, `${name} (${lang}) states something`);
      }
    });

    it(`${name}: removing a path's value removes the statements it made`, () => {
      const raw = parseYaml(text);
      const before = buildNotice(parseDeclaration(text, name).declaration, "en");
      const statements = statementsOf(before);
      const cited = new Map<string, DocPath>();
      for (const s of statements) for (const p of s.src.paths) cited.set(key(p), p);
      const failures: string[] = [];
      let tried = 0;
      const countBefore = counts(before);
      for (const path of cited.values()) {
        const after = noticeOf(without(raw, path));
        if (!after) continue; // the schema requires it: it cannot be removed
        tried++;
        const countAfter = counts(after);
        const made = new Map<string, number>();
        for (const s of statements)
          if (
            s.src.paths.some((p) => within(p, path)) ||
            (s.src.anyOf?.length && s.src.anyOf.every((p) => within(p, path)))
          )
            made.set(s.text, (made.get(s.text) ?? 0) + 1);
        for (const [t, n] of made)
          if ((countAfter.get(t) ?? 0) > (countBefore.get(t) ?? 0) - n)
            failures.push(`${formatPath(path)} removed, still printed: ${t.slice(0, 100)}`);
      }
      assert.ok(tried > 3, `${name}: ${tried} paths could be removed`);
      assert.deepEqual(failures, []);
    });

    it(`${name}: generated declarations (optional values dropped at random) state only what they still say`, () => {
      const raw = parseYaml(text);
      const paths = pathsOf(raw);
      const next = random(name.length * 7919);
      let checked = 0;
      for (let n = 0; n < 12; n++) {
        let doc: unknown = raw;
        for (let k = 0; k < 8; k++) {
          const candidate = without(doc, paths[Math.floor(next() * paths.length)]);
          if (noticeOf(candidate)) doc = candidate;
        }
        const loaded = parseDeclaration(stringify(doc), "generated.yaml");
        for (const lang of ["en", "de", "fr"] as const) {
          const problems = checkProvenance(buildNotice(loaded.declaration, lang), writtenOf(loaded.declaration));
          assert.deepEqual(problems, [], `generated from ${name}, #${n} (${lang})`);
        }
        checked++;
      }
      assert.equal(checked, 12);
    });
  }
});

describe("the provenance checker", () => {
  const doc = (blocks: NoticeDoc["sections"][number]["blocks"]) => ({ sections: [{ id: "s", blocks }] });
  const written = writtenIn({ purposes: { a: { retention: "r" } } });

  it("refuses a statement resting on a path the author did not write (a default)", () => {
    const problems = checkProvenance(
      doc([{ kind: "p", content: ["You give it to us."], src: { paths: [["purposes", "a", "sources"]] } }]),
      written,
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0].problem, /purposes\.a\.sources is not written/);
  });

  it("refuses a statement with no source, and law wording that names no article", () => {
    const problems = checkProvenance(
      doc([
        { kind: "p", content: ["We never sell your data."], src: { paths: [] } },
        { kind: "list", items: [{ content: ["You can change your choices."], src: { paths: [], law: "the law" } }] },
      ]),
      written,
    );
    assert.deepEqual(
      problems.map((p) => p.problem),
      ["no declaration path and no article", "the law it cites names no article: 'the law'"],
    );
  });

  it("accepts a written path, and the law's wording with its article", () => {
    assert.deepEqual(
      checkProvenance(
        doc([
          { kind: "p", content: ["Kept 2 years."], src: { paths: [["purposes", "a", "retention"]] } },
          { kind: "p", content: ["You may complain."], src: { paths: [], law: "GDPR Art 13(2)(d)" } },
        ]),
        written,
      ),
      [],
    );
  });

  it("a default is not stated: no source row, no 'neither sold nor shared', no proof sentence", () => {
    const yaml = minimalYaml(`consent:
  newsletters:
    news:
      name: News
      purpose: orders
      doubleOptIn: { confirmWithin: 24 hours }
`)
      .replace("organization:", "organization:")
      .replace("jurisdictions: [EU]", "jurisdictions: [EU, US-CA]");
    const d = parseDeclaration(yaml).declaration;
    const html = JSON.stringify(buildNotice(d, "en"));
    assert.doesNotMatch(html, /you give it to us/);
    assert.doesNotMatch(html, /Neither sold nor shared/);
    assert.doesNotMatch(html, /IP address/);
    const stated = parseDeclaration(
      yaml
        .replace(
          "retention: two_years\n",
          "retention: two_years\n    sources: [subject]\n    sold: false\n    shared: false\n",
        )
        .replace("confirmWithin: 24 hours }", "confirmWithin: 24 hours, proof: [time, ip_address] }"),
    ).declaration;
    const text = JSON.stringify(buildNotice(stated, "en"));
    assert.match(text, /you give it to us/);
    assert.match(text, /Neither sold nor shared/);
    assert.match(text, /the IP address they came from/);
  });
});

describe("pledge notice --explain", () => {
  it("prints each sentence beside the file:line of its source", async () => {
    const r = await runCli(["notice", "demo/pledge.yaml", "--explain"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(`${ROOT}demo/pledge.yaml`, "utf8").split("\n");
    const refs = [...r.stdout.matchAll(/pledge\.yaml:(\d+) ([\w.[\]-]+)/g)];
    assert.ok(refs.length > 50, `${refs.length} sources shown`);
    for (const [, line, path] of refs.slice(0, 200)) {
      const last = String(path.split(".").pop()).replace(/\[\d+\]$/, "");
      const text = lines[Number(line) - 1];
      assert.ok(text.includes(last) || /^\s*-/.test(text), `${path} at line ${line}: ${text}`);
    }
    assert.match(r.stdout, /law: GDPR Art 13\(2\)\(d\)/);
  });
});

describe("the console's declaration view", () => {
  it("shows beside each sentence of the notice the line of the declaration it comes from", async () => {
    const { declarationSourceHtml } = await import("../../src/web/map.js");
    const text = readFileSync(`${ROOT}demo/pledge.yaml`, "utf8");
    const loaded = parseDeclaration(text, "pledge.yaml");
    const html = await declarationSourceHtml({
      decl: loaded.declaration,
      file: loaded.file,
      source: text,
      user: "olga",
    });
    const [name, purpose] = Object.entries(loaded.declaration.purposes)[0];
    const line = loaded.locate(["purposes", name, "name"]).line;
    assert.match(text.split("\n")[line - 1], new RegExp(`name: ${purpose.name}`));
    const row = new RegExp(
      `<td>${purpose.name}</td><td><a href="#L${line}">line ${line}</a> <code>purposes\\.${name}\\.name</code>`,
    );
    assert.match(html, row);
    assert.match(html, /the law: GDPR Art 13\(2\)\(d\)/);
    assert.match(html, new RegExp(`<li id="L${line}">`));
  });
});

describe("provenance of the record of processing and the change notice", () => {
  for (const [name, text] of FILES) {
    it(`${name}: each field of each activity names the written paths that state it`, () => {
      const loaded = parseDeclaration(text, name);
      const written = writtenOf(loaded.declaration);
      for (const record of buildRopa(loaded.declaration).records)
        for (const a of record.activities) {
          const paths = Object.values(a.sources).flat();
          assert.ok(paths.length >= 3, `${name} ${a.id}: ${JSON.stringify(a.sources)}`);
          for (const p of paths) assert.ok(written.has(p.split(".")), `${name} ${a.id}: ${p} is written`);
        }
    });
  }

  it("each change of the change notice names where the declaration says it, in the new version or the old", () => {
    const text = readFileSync(`${ROOT}demo/pledge.yaml`, "utf8");
    const before = parseDeclaration(text, "a.yaml");
    const raw = parseYaml(text) as { purposes: Record<string, { dataSubjects: string[] }>; version: string };
    const [first] = Object.keys(raw.purposes);
    raw.purposes[first].dataSubjects.push("employee");
    raw.version = "next";
    const next = parseDeclaration(stringify(raw), "b.yaml");
    const doc = changeNotice(diffDeclarations(before.declaration, next.declaration), next.declaration);
    const statements = statementsOf(doc);
    assert.ok(statements.some((s) => s.src.paths.some((p) => formatPath(p) === `purposes.${first}`)));
    for (const s of statements)
      for (const p of s.src.paths)
        assert.ok(
          writtenOf(next.declaration).has(p) || writtenOf(before.declaration).has(p),
          `${formatPath(p)}: ${s.text}`,
        );
  });
});
