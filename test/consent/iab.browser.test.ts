/**
 * The banner's IAB plugins in Chromium, on a site of its own origin against a real Pledge server: what the page's
 * `__gpp` and `__tcfapi` return is decoded with the IAB's own libraries and compared with the person's choice after
 * accept, reject, customise and GPC; the consent record keeps the same strings. The plugins load only when the
 * declaration enables them, and each bundle stays within its gzipped budget.
 */
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { GppModel } from "@iabgpp/cmpapi";
import { TCString } from "@iabtcf/core";
import type { BrowserContext, Page } from "playwright-core";
import YAML from "yaml";
import { parseDeclaration, type LoadedDeclaration } from "../../src/declaration/index.js";
import { bannerSite } from "../helpers/banner-site.js";

const DEMO = readFileSync(new URL("../../demo/pledge.yaml", import.meta.url), "utf8");
const GVL = fileURLToPath(new URL("../fixtures/gvl/vendor-list.json", import.meta.url));

/** The demo's declaration with GPP and TCF on, advertising sold and targeted too, serving California and Virginia. */
function declaration(dir: string): LoadedDeclaration {
  const doc = YAML.parse(DEMO) as Record<string, Record<string, unknown>>;
  const purposes = doc.purposes as Record<string, Record<string, unknown>>;
  Object.assign(purposes.advertising, { sold: true, targetedAdvertising: true });
  (doc.organization as Record<string, unknown>).jurisdictions = ["EU", "US-CA", "US-VA"];
  (doc.consent as Record<string, unknown>).iab = {
    gpp: { cmpId: 412, mspaCoveredTransaction: false },
    tcf: {
      cmpId: 412,
      cmpVersion: 3,
      gvl: { file: "vendor-list.json" },
      purposes: { analytics: [8, 9], marketing: [1, 2, 3, 4, 7] },
      specialFeatures: { marketing: [1] },
      vendors: [8, 25, 52, 91, 755],
    },
  };
  copyFileSync(GVL, join(dir, "vendor-list.json"));
  return parseDeclaration(YAML.stringify(doc), join(dir, "pledge.yaml")) as LoadedDeclaration;
}

describe("the banner's IAB plugins", () => {
  // An ad script that asks before the CMP has loaded: its call waits in the stub's queue.
  const env = bannerSite(
    "pledge-iab-",
    (dir) => ({ declaration: declaration(dir), port: 0 }),
    (pledge) => `<!doctype html><html lang="en"><head><title>Shop</title>
<script src="${pledge}/consent/banner.js"></script>
<script>window.early = []; __gpp("addEventListener", function (e) { window.early.push(e.eventName); });
__tcfapi("addEventListener", 2, function (tc, ok) { if (ok) window.tcEvents = (window.tcEvents || 0) + 1; });</script>
</head><body><h1>Fjord Outfitters</h1></body></html>`,
  );

  const fresh = async (gpc = false): Promise<{ ctx: BrowserContext; page: Page }> => {
    const ctx = await env.browser.newContext(gpc ? { extraHTTPHeaders: { "Sec-GPC": "1" } } : {});
    const page = await ctx.newPage();
    await page.goto(env.siteUrl);
    await page.waitForSelector("#pledge-dialog");
    return { ctx, page };
  };
  /** What the page's `__gpp` says once its signal is ready. */
  const gppOf = async (page: Page) => {
    await page.waitForFunction(
      () =>
        new Promise((ok) =>
          (window as unknown as { __gpp: (...a: unknown[]) => void }).__gpp("ping", (p: { signalStatus: string }) =>
            ok(p.signalStatus === "ready"),
          ),
        ),
    );
    return page.evaluate(
      () =>
        new Promise<{ gppString: string; applicableSections: number[]; cmpId: number }>((ok) =>
          (window as unknown as { __gpp: (...a: unknown[]) => void }).__gpp("ping", ok),
        ),
    );
  };
  /** The TC string `__tcfapi('getTCData')` gives, once the person has chosen. */
  const tcOf = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<{ tcString: string; cmpId: number; gdprApplies: boolean; eventStatus: string }>((ok) =>
          (window as unknown as { __tcfapi: (...a: unknown[]) => void }).__tcfapi(
            "addEventListener",
            2,
            (tc: { eventStatus: string; tcString: string }, success: boolean) => {
              if (success && tc.eventStatus !== "cmpuishown" && tc.tcString) ok(tc as never);
            },
          ),
        ),
    );
  const lastRecord = async (n: number) => {
    for (let i = 0; i < 100; i++) {
      const rows = await env.server.store.db.selectFrom("consent_events").selectAll().orderBy("id", "desc").execute();
      if (rows.length >= n) return rows[0];
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`fewer than ${n} records`);
  };
  const records = async () => (await env.server.store.db.selectFrom("consent_events").select("id").execute()).length;
  const decodeGpp = (s: string) => {
    const m = new GppModel(s);
    const f = (sec: string, field: string) => m.getFieldValue(sec, field) as number | boolean;
    return { m, f };
  };

  it("serves no plugin the declaration does not enable, and each bundle is within its budget", async (t) => {
    if (env.skip) return t.skip(env.skip);
    const { checkBudget } = (await import(new URL("../../scripts/banner-bundles.mjs", import.meta.url).href)) as {
      checkBudget(n: string, text: string): { size: number; budget: number; ok: boolean };
    };
    const { bannerBundle } = await import("../../src/consent/index.js");
    for (const name of ["banner.js", "gpp.js", "tcf.js"] as const) {
      const b = checkBudget(name, await bannerBundle(name));
      assert.ok(b.ok, `${name}: ${b.size} bytes gzipped, budget ${b.budget}`);
    }
    const gvl = await fetch(`${env.server.url}/consent/tcf/vendor-list.json`);
    const list = (await gvl.json()) as { vendors: Record<string, unknown> };
    assert.deepEqual(Object.keys(list.vendors).sort(), ["25", "52", "755", "8"], "cut down, the deleted vendor out");
  });

  it("accept all: GPP says not opted out anywhere, TCF gives every mapped purpose and the vendors asking only those", async (t) => {
    if (env.skip) return t.skip(env.skip);
    const { ctx, page } = await fresh();
    // The vendors the string will say were disclosed are listed in the banner, with what they ask for.
    await page.waitForSelector("#pledge-dialog .pledge-vendors");
    await page.click("#pledge-dialog .pledge-vendors summary");
    const shown = await page.textContent("#pledge-dialog .pledge-vendors");
    assert.match(shown ?? "", /^4 advertising partners/);
    for (const name of ["Nordlys Measurement AB", "Tidewater Ads Ltd", "Harbour Analytics GmbH", "Skerry Exchange SAS"])
      assert.ok(shown?.includes(name), `${name} is shown`);
    assert.ok(!shown?.includes("Gone Vendor"), "a deleted vendor is not");
    assert.match(shown ?? "", /Measure advertising performance/);
    const before = await records();
    await page.getByRole("button", { name: "Accept all" }).click();
    // The record is sent with the strings the plugins set for the choice: once it is stored, the APIs hold them.
    const rec = await lastRecord(before + 1);
    const g = await gppOf(page);
    assert.equal(g.cmpId, 412);
    const { m, f } = decodeGpp(g.gppString);
    assert.ok(m.hasSection("usnat") && m.hasSection("usca") && m.hasSection("usva"));
    assert.equal(f("usnat", "SaleOptOut"), 2);
    assert.equal(f("usnat", "SharingOptOut"), 2);
    assert.equal(f("usnat", "TargetedAdvertisingOptOut"), 2);
    assert.equal(f("usnat", "SaleOptOutNotice"), 1);
    assert.equal(f("usca", "SaleOptOut"), 2);
    assert.equal(f("usva", "TargetedAdvertisingOptOut"), 2);
    assert.equal(f("usnat", "Gpc"), false);
    assert.equal(f("usnat", "MspaCoveredTransaction"), 2);
    const tc = await tcOf(page);
    assert.equal(tc.gdprApplies, true);
    const model = TCString.decode(tc.tcString);
    assert.equal(model.cmpId, 412);
    assert.equal(model.cmpVersion, 3);
    assert.equal(model.isServiceSpecific, true);
    assert.equal(model.policyVersion, 5);
    assert.deepEqual(
      [...model.purposeConsents.values()].sort((a, b) => a - b),
      [1, 2, 3, 4, 7, 8, 9],
    );
    assert.deepEqual([...model.specialFeatureOptins.values()], [1]);
    assert.deepEqual(
      [...model.vendorsDisclosed.values()].sort((a, b) => a - b),
      [8, 25, 52, 755],
    );
    // 52 asks consent for purpose 10, which the site never asks for: no consent.
    assert.deepEqual(
      [...model.vendorConsents.values()].sort((a, b) => a - b),
      [8, 25, 755],
    );
    assert.equal(model.purposeLegitimateInterests.size, 0);
    // The record keeps what ad tech was told.
    assert.equal(rec.gpp_string, g.gppString);
    assert.equal(rec.tc_string, tc.tcString);
    // The ad script that asked before the CMP loaded heard it.
    assert.ok(((await page.evaluate(() => (window as unknown as { early: string[] }).early)) ?? []).length > 0);
    await ctx.close();
  });

  it("reject all: GPP opted out of sale, sharing and targeting; TCF with no purpose and no vendor consent", async (t) => {
    if (env.skip) return t.skip(env.skip);
    const { ctx, page } = await fresh();
    const before = await records();
    await page.getByRole("button", { name: "Reject all" }).first().click();
    const rec = await lastRecord(before + 1);
    const { f } = decodeGpp((await gppOf(page)).gppString);
    for (const field of ["SaleOptOut", "SharingOptOut", "TargetedAdvertisingOptOut"])
      assert.equal(f("usnat", field), 1);
    assert.equal(f("usca", "SharingOptOut"), 1);
    const model = TCString.decode((await tcOf(page)).tcString);
    assert.equal(model.purposeConsents.size, 0);
    assert.equal(model.vendorConsents.size, 0);
    assert.equal(model.vendorsDisclosed.size, 4, "the vendors are disclosed whatever the choice");
    assert.equal(TCString.decode(rec.tc_string!).purposeConsents.size, 0);
    await ctx.close();
  });

  it("customise (analytics only): TCF purposes 8 and 9 and the vendor asking only those; GPP still opted out", async (t) => {
    if (env.skip) return t.skip(env.skip);
    const { ctx, page } = await fresh();
    const before = await records();
    await page.getByRole("button", { name: "Preferences" }).click();
    await page.getByLabel("Analytics").check();
    await page.getByRole("button", { name: "Save my choices" }).click();
    await lastRecord(before + 1);
    const model = TCString.decode((await tcOf(page)).tcString);
    assert.deepEqual(
      [...model.purposeConsents.values()].sort((a, b) => a - b),
      [8, 9],
    );
    assert.equal(model.vendorConsents.size, 0, "every vendor also asks purpose 1, which marketing stands for");
    const { f } = decodeGpp((await gppOf(page)).gppString);
    assert.equal(f("usnat", "SaleOptOut"), 1);
    await ctx.close();
  });

  it("GPC: the US opt-outs and the GPC field are set at once, and stay so after 'accept all'", async (t) => {
    if (env.skip) return t.skip(env.skip);
    const before = await records();
    const { ctx, page } = await fresh(true);
    let { f } = decodeGpp((await gppOf(page)).gppString);
    assert.equal(f("usnat", "Gpc"), true);
    assert.equal(f("usca", "Gpc"), true);
    assert.equal(f("usnat", "SaleOptOut"), 1);
    // The GPC record, sent before any click, carries the string too.
    const gpcRec = await lastRecord(before + 1);
    assert.equal(gpcRec.method, "gpc");
    assert.equal(decodeGpp(gpcRec.gpp_string!).f("usnat", "Gpc"), true);
    await page.getByRole("button", { name: "Accept all" }).click();
    await lastRecord(before + 2);
    ({ f } = decodeGpp((await gppOf(page)).gppString));
    for (const field of ["SaleOptOut", "SharingOptOut", "TargetedAdvertisingOptOut"])
      assert.equal(f("usnat", field), 1);
    // TCF: marketing stays refused under GPC, analytics was given.
    const model = TCString.decode((await tcOf(page)).tcString);
    assert.deepEqual(
      [...model.purposeConsents.values()].sort((a, b) => a - b),
      [8, 9],
    );
    await ctx.close();
  });

  it("refuses a consent record whose strings do not decode, or carry another CMP's id", async (t) => {
    if (env.skip) return t.skip(env.skip);
    const post = (extra: object) =>
      fetch(`${env.server.url}/consent/records`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ deviceId: "0123456789abcdef0123", categories: { analytics: "given" }, ...extra }),
      });
    const bad = await post({ tcString: "not-a-tc-string" });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /tcString/);
    const junk = await post({ gppString: "DBABMA~garbage!" });
    assert.equal(junk.status, 422);
  });
});
