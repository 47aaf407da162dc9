/**
 * The IAB side on the server: the organization's vendor list read from a file or downloaded again once its refresh is
 * due (the last good copy kept while a download fails), cut down to the disclosed vendors; the GPP sections a
 * declaration's places need; and the linter's refusal of a TCF purpose mapped twice or to an essential category.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { GvlError, GvlSource, gppConfig } from "../../src/consent/index.js";
import { DeclarationError, parseDeclaration, type Declaration } from "../../src/declaration/index.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/gvl/", import.meta.url));
const GVL = JSON.parse(readFileSync(`${FIXTURES}vendor-list.json`, "utf8")) as { vendorListVersion: number };
const DEMO = readFileSync(new URL("../../demo/pledge.yaml", import.meta.url), "utf8");

function declaration(iab: object, places = ["EU", "US-CA"]): Declaration {
  const doc = YAML.parse(DEMO) as Record<string, Record<string, unknown>>;
  (doc.organization as Record<string, unknown>).jurisdictions = places;
  (doc.consent as Record<string, unknown>).iab = iab;
  return parseDeclaration(YAML.stringify(doc), "pledge.yaml").declaration;
}
const tcf = (gvl: object, extra: object = {}) => ({
  tcf: { cmpId: 412, gvl, purposes: { marketing: [1, 2] }, vendors: [8, 25, 91, 4242], ...extra },
});

describe("the vendor list", () => {
  it("is read from its file beside the declaration and cut down to the vendors disclosed", async () => {
    const got = await new GvlSource(() => FIXTURES).get(declaration(tcf({ file: "vendor-list.json" })));
    assert.deepEqual(Object.keys(got.list.vendors).sort(), ["25", "8"]);
    assert.deepEqual(got.missing, [91, 4242], "a deleted vendor and one the list never held are named");
    assert.equal(got.list.vendorListVersion, GVL.vendorListVersion);
  });

  it("names the file it cannot read", async () => {
    await assert.rejects(
      new GvlSource(() => FIXTURES).get(declaration(tcf({ file: "missing.json" }))),
      (err: Error) => err instanceof GvlError && /gvl\.file: cannot read missing\.json/.test(err.message),
    );
  });

  it("is downloaded once, again after its refresh, and the last good copy serves while a download fails", async () => {
    let calls = 0;
    let fail = false;
    const fetcher = (async () => {
      calls++;
      if (fail) return new Response("down", { status: 503 });
      return Response.json({ ...GVL, vendorListVersion: 150 + calls });
    }) as typeof fetch;
    const decl = declaration(tcf({ url: "https://gvl.example/v3/vendor-list.json", refresh: "1 day" }));
    const source = new GvlSource(() => FIXTURES, fetcher);
    const t0 = new Date("2026-12-01T00:00:00Z");
    assert.equal((await source.get(decl, t0)).list.vendorListVersion, 151);
    assert.equal((await source.get(decl, new Date(t0.getTime() + 3600_000))).list.vendorListVersion, 151);
    assert.equal(calls, 1, "not downloaded again within the day");
    const later = new Date(t0.getTime() + 25 * 3600_000);
    assert.equal((await source.get(decl, later)).list.vendorListVersion, 152);
    fail = true;
    const stillServed = await source.get(decl, new Date(later.getTime() + 25 * 3600_000));
    assert.equal(stillServed.list.vendorListVersion, 152, "the last good copy");
    await assert.rejects(
      new GvlSource(() => FIXTURES, fetcher).get(decl, t0),
      /gvl\.url: cannot download it \(answered 503\)/,
    );
  });

  it("costs one download however many ask at once, and a failure is not tried again for a minute", async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const fetcher = (async () => {
      calls++;
      await gate;
      return new Response("down", { status: 503 });
    }) as typeof fetch;
    const decl = declaration(tcf({ url: "https://gvl.example/v3/vendor-list.json" }));
    const source = new GvlSource(() => FIXTURES, fetcher);
    const t0 = new Date("2026-12-01T00:00:00Z");
    const asked = Array.from({ length: 20 }, () => source.get(decl, t0).catch((e: Error) => e.message));
    release();
    const answers = await Promise.all(asked);
    assert.equal(calls, 1, "twenty requests, one download");
    assert.ok(answers.every((a) => /answered 503/.test(String(a))));
    await assert.rejects(source.get(decl, new Date(t0.getTime() + 30_000)), /answered 503/);
    assert.equal(calls, 1, "not tried again within the minute");
    await assert.rejects(source.get(decl, new Date(t0.getTime() + 61_000)), /answered 503/);
    assert.equal(calls, 2, "tried again after it");
  });

  it("refuses a document that is not a v3 list", async () => {
    const fetcher = (async () => Response.json({ vendors: {} })) as typeof fetch;
    await assert.rejects(
      new GvlSource(() => FIXTURES, fetcher).get(declaration(tcf({ url: "https://gvl.example/x.json" }))),
      /not a Global Vendor List/,
    );
  });
});

describe("the GPP sections", () => {
  it("are US National and each served state's, with only the fields each section has", () => {
    const g = gppConfig(declaration({ gpp: { cmpId: 412 } }, ["EU", "US-CA", "US-VA", "US-TX", "BR"]))!;
    assert.deepEqual(
      g.sections.map((s) => s.name),
      ["usnat", "usca", "usva", "ustx"],
    );
    const byName = Object.fromEntries(g.sections.map((s) => [s.name, s]));
    // The demo's advertising is shared, not sold: sale is not applicable, sharing is the person's to answer.
    assert.equal(byName.usnat.fixed.SaleOptOut, 0);
    assert.equal(byName.usnat.fixed.SaleOptOutNotice, 0);
    assert.equal(byName.usnat.optOuts.SharingOptOut, "share");
    assert.equal(byName.usnat.fixed.SharingOptOutNotice, 1);
    assert.equal(byName.usva.optOuts.SharingOptOut, undefined, "Virginia's section has no sharing field");
    assert.equal(byName.usva.gpc, false);
    assert.equal(byName.usca.gpc, true);
    assert.equal(byName.usnat.fixed.MspaCoveredTransaction, 2);
    assert.deepEqual(g.kinds.share, ["marketing"]);
  });
});

describe("the TCF mapping", () => {
  it("refuses a purpose mapped to two categories, an essential category, and an unknown one", () => {
    assert.throws(
      () =>
        declaration(
          tcf(
            { file: "vendor-list.json" },
            { purposes: { marketing: [1, 2], analytics: [2], essential: [3], nope: [4] } },
          ),
        ),
      (err: Error) => {
        assert.ok(err instanceof DeclarationError);
        assert.match(err.message, /TCF purpose 2 already stands for marketing/);
        assert.match(err.message, /essential is essential/);
        assert.match(err.message, /unknown consent category 'nope'/);
        return true;
      },
    );
  });
});
