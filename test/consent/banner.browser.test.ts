/** The banner in Chromium, on a site of its own origin, against a real Pledge server. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, it } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { bannerBundle } from "../../src/consent/index.js";
import { parseDeclaration, type LoadedDeclaration } from "../../src/declaration/index.js";
import type { ServerOptions } from "../../src/server/index.js";
import { bannerSite } from "../helpers/banner-site.js";

const DEMO = readFileSync(new URL("../../demo/pledge.yaml", import.meta.url), "utf8");

describe("the consent banner", () => {
  it("is at most 10 KB gzipped, JavaScript and CSS together", async () => {
    const js = await bannerBundle();
    const size = gzipSync(js, { level: 9 }).length;
    assert.ok(size <= 10 * 1024, `${size} bytes gzipped`);
    assert.ok(js.includes("position:fixed"), "the CSS is inside the bundle");
  });

  describe("in Chromium", () => {
    const options: ServerOptions = { declaration: parseDeclaration(DEMO, "pledge.yaml") as LoadedDeclaration, port: 0 };
    const env = bannerSite(
      "pledge-banner-",
      options,
      (
        pledge,
      ) => `<!doctype html><html lang="en"><head><title>Shop</title><script src="${pledge}/consent/banner.js"></script></head><body>
<h1>Fjord Outfitters</h1><a href="#top">Top</a>
<script type="text/plain" data-category="analytics">window.analyticsRan = (window.analyticsRan || 0) + 1;</script>
<script type="text/plain" data-category="marketing" data-service="meta_pixel">window.marketingRan = true;</script>
<iframe data-src="about:blank#video" data-category="marketing" title="video"></iframe>
</body></html>`,
    );

    const fresh = async (gpc: false | "header" | "navigator" = false): Promise<{ ctx: BrowserContext; page: Page }> => {
      const ctx = await env.browser.newContext(gpc === "header" ? { extraHTTPHeaders: { "Sec-GPC": "1" } } : {});
      // A plain string: a function would be serialized with the test runner's helpers.
      if (gpc === "navigator")
        await ctx.addInitScript({
          content:
            "Object.defineProperty(navigator, 'globalPrivacyControl', { get() { return true; }, configurable: true });",
        });
      const page = await ctx.newPage();
      await page.goto(env.siteUrl);
      await page.waitForSelector("#pledge-dialog");
      return { ctx, page };
    };
    const lastRecord = async () =>
      env.server.store.db
        .selectFrom("consent_events")
        .selectAll()
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();
    const waitForRecords = async (n: number) => {
      for (let i = 0; i < 100; i++) {
        const c = await env.server.store.db
          .selectFrom("consent_events")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
        if (Number(c.n) >= n) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`fewer than ${n} consent records`);
    };
    const count = async () =>
      Number(
        (
          await env.server.store.db
            .selectFrom("consent_events")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("runs no analytics script before consent, and runs it after 'accept analytics'", async (t) => {
      if (env.skip) return t.skip(env.skip);
      const { ctx, page } = await fresh();
      assert.equal(await page.evaluate(() => (window as unknown as { analyticsRan?: number }).analyticsRan), undefined);
      assert.equal(await page.getAttribute("iframe", "src"), null);
      const before = await count();
      await page.getByRole("button", { name: "Preferences" }).click();
      await page.getByLabel("Analytics").check();
      await page.getByRole("button", { name: "Save my choices" }).click();
      await page.waitForFunction(() => (window as unknown as { analyticsRan?: number }).analyticsRan === 1);
      assert.equal(
        await page.evaluate(() => (window as unknown as { marketingRan?: boolean }).marketingRan),
        undefined,
      );
      await waitForRecords(before + 1);
      const rec = await lastRecord();
      assert.deepEqual(JSON.parse(rec.categories), {
        essential: "given",
        preferences: "refused",
        analytics: "given",
        marketing: "refused",
      });
      assert.equal(rec.method, "banner");
      assert.equal(rec.declaration_version, "2026.1");
      assert.match(rec.text_hash, /^[0-9a-f]{64}$/);
      assert.match(rec.ip ?? "", /\.0$/, "the IP is truncated");
      // Google Consent Mode v2 was updated
      const consent = await page.evaluate(() =>
        (window as unknown as { dataLayer: unknown[][] }).dataLayer.map((a) => Array.from(a as unknown as unknown[])),
      );
      assert.deepEqual(consent[0].slice(0, 2), ["consent", "default"]);
      assert.equal((consent.at(-1)![2] as Record<string, string>).analytics_storage, "granted");
      assert.equal((consent.at(-1)![2] as Record<string, string>).ad_storage, "denied");
      // the choice is remembered: no banner on the next page, the script runs again
      await page.reload();
      await page.waitForFunction(() => (window as unknown as { analyticsRan?: number }).analyticsRan === 1);
      assert.equal(await page.$("#pledge-dialog"), null);
      await ctx.close();
    });

    it("runs nothing after 'reject all'", async (t) => {
      if (env.skip) return t.skip(env.skip);
      const { ctx, page } = await fresh();
      const before = await count();
      await page.getByRole("button", { name: "Reject all" }).click();
      await waitForRecords(before + 1);
      assert.deepEqual(JSON.parse((await lastRecord()).categories), {
        essential: "given",
        preferences: "refused",
        analytics: "refused",
        marketing: "refused",
      });
      await page.reload();
      await page.waitForLoadState("load");
      assert.equal(await page.evaluate(() => (window as unknown as { analyticsRan?: number }).analyticsRan), undefined);
      assert.equal(await page.$("#pledge-dialog"), null);
      assert.ok(await page.$("#pledge-open"), "choices can be changed at any time");
      await page.click("#pledge-open");
      const receipt = await page.getAttribute("#pledge-dialog a[download]", "href");
      const body = (await (await fetch(receipt!)).json()) as { records: { categories: Record<string, string> }[] };
      assert.equal(body.records.at(-1)!.categories.analytics, "refused", "the receipt holds the choice");
      await ctx.close();
    });

    it("with navigator.globalPrivacyControl alone, the banner turns marketing off itself", async (t) => {
      if (env.skip) return t.skip(env.skip);
      const before = await count();
      const { ctx, page } = await fresh("navigator");
      assert.match((await page.textContent("#pledge-dialog")) ?? "", /Global Privacy Control signal was honoured/);
      await waitForRecords(before + 1);
      assert.equal((await lastRecord()).method, "gpc");
      await page.getByRole("button", { name: "Accept all" }).click();
      await page.waitForFunction(() => (window as unknown as { analyticsRan?: number }).analyticsRan === 1);
      assert.equal(
        await page.evaluate(() => (window as unknown as { marketingRan?: boolean }).marketingRan),
        undefined,
      );
      await waitForRecords(before + 2);
      assert.equal(JSON.parse((await lastRecord()).categories).marketing, "refused");
      await ctx.close();
    });

    it("with Sec-GPC: 1, marketing is off, the visitor is told, and the record says method gpc", async (t) => {
      if (env.skip) return t.skip(env.skip);
      const before = await count();
      const { ctx, page } = await fresh("header");
      assert.match((await page.textContent("#pledge-dialog")) ?? "", /Global Privacy Control signal was honoured/);
      await waitForRecords(before + 1);
      const signal = await lastRecord();
      assert.equal(signal.method, "gpc");
      assert.equal(JSON.parse(signal.categories).marketing, "refused");
      await page.getByRole("button", { name: "Accept all" }).click();
      await page.waitForFunction(() => (window as unknown as { analyticsRan?: number }).analyticsRan === 1);
      assert.equal(
        await page.evaluate(() => (window as unknown as { marketingRan?: boolean }).marketingRan),
        undefined,
      );
      await waitForRecords(before + 2);
      const accepted = await lastRecord();
      assert.equal(accepted.method, "gpc");
      assert.equal(JSON.parse(accepted.categories).marketing, "refused");
      assert.equal(JSON.parse(accepted.categories).analytics, "given");
      await ctx.close();
    });

    it("asks again after a material change of the declaration, not after a mere version bump", async (t) => {
      if (env.skip) return t.skip(env.skip);
      const { ctx, page } = await fresh();
      await page.getByRole("button", { name: "Accept all" }).click();
      await page.reload();
      await page.waitForLoadState("load");
      assert.equal(await page.$("#pledge-dialog"), null);
      const original = options.declaration;
      try {
        options.declaration = parseDeclaration(DEMO.replace('version: "2026.1"', 'version: "2026.2"'), "pledge.yaml");
        await page.reload();
        await page.waitForLoadState("load");
        assert.equal(await page.$("#pledge-dialog"), null, "only the version changed");
        options.declaration = parseDeclaration(
          DEMO.replace('version: "2026.1"', 'version: "2026.3"').replace(
            "        - { id: matomo, name: Matomo (self-hosted),",
            "        - { id: hotjar, name: Hotjar }\n        - { id: matomo, name: Matomo (self-hosted),",
          ),
          "pledge.yaml",
        );
        await page.reload();
        await page.waitForSelector("#pledge-dialog");
      } finally {
        options.declaration = original;
      }
      await ctx.close();
    });

    it("works by keyboard: Tab stays inside the dialog, Escape closes the preferences", async (t) => {
      if (env.skip) return t.skip(env.skip);
      const { ctx, page } = await fresh();
      assert.equal(await page.getAttribute("#pledge-dialog", "role"), "dialog");
      assert.equal(await page.getAttribute("#pledge-dialog", "aria-modal"), "true");
      // The heading has the focus, and the dialog its language: Enter accepts nothing unread.
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Your privacy choices");
      assert.equal(await page.getAttribute("#pledge-dialog", "lang"), "en");
      await page.keyboard.press("Enter");
      assert.ok(await page.$("#pledge-dialog"), "Enter on the heading does not answer the banner");
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press(i % 3 === 2 ? "Shift+Tab" : "Tab");
        assert.ok(
          await page.evaluate(() => !!document.activeElement?.closest("#pledge-dialog")),
          `focus left the dialog after ${i + 1} presses`,
        );
      }
      // reach "Preferences" by keyboard and open it
      await page.evaluate(() =>
        (document.querySelector("#pledge-dialog button:nth-of-type(3)") as HTMLElement).focus(),
      );
      await page.keyboard.press("Enter");
      await page.waitForSelector("#pledge-ptitle");
      for (let i = 0; i < 15; i++) {
        await page.keyboard.press("Tab");
        assert.ok(
          await page.evaluate(() => !!document.activeElement?.closest("#pledge-dialog")),
          "focus left the preferences",
        );
      }
      await page.keyboard.press("Escape");
      await page.waitForSelector("#pledge-title");
      assert.equal(await page.$("#pledge-ptitle"), null);
      await ctx.close();
    });

    it("honours Do Not Track where the declaration says so: everything optional refused, and the visitor may still opt in", async (t) => {
      if (env.skip) return t.skip(env.skip);
      const before = await count();
      const ctx = await env.browser.newContext();
      await ctx.addInitScript({
        content: "Object.defineProperty(navigator, 'doNotTrack', { get() { return '1'; }, configurable: true });",
      });
      const page = await ctx.newPage();
      await page.goto(env.siteUrl);
      await page.waitForSelector("#pledge-open");
      assert.equal(await page.$("#pledge-dialog"), null, "no banner: the signal is the answer");
      await waitForRecords(before + 1);
      assert.deepEqual(JSON.parse((await lastRecord()).categories), {
        essential: "given",
        preferences: "refused",
        analytics: "refused",
        marketing: "refused",
      });
      await page.click("#pledge-open");
      assert.match((await page.textContent("#pledge-dialog")) ?? "", /Do Not Track setting was honoured/);
      await ctx.close();
    });

    it("asks again when the stored choice has expired", async (t) => {
      if (env.skip) return t.skip(env.skip);
      const { ctx, page } = await fresh();
      await page.getByRole("button", { name: "Accept all" }).click();
      const cookie = (await ctx.cookies()).find((c) => c.name === "pledge_consent")!;
      const choice = JSON.parse(decodeURIComponent(cookie.value)) as { x: number };
      choice.x = Date.now() - 1000;
      await ctx.addCookies([{ ...cookie, value: encodeURIComponent(JSON.stringify(choice)) }]);
      await page.reload();
      await page.waitForSelector("#pledge-dialog");
      assert.equal(await page.evaluate(() => (window as unknown as { analyticsRan?: number }).analyticsRan), undefined);
      await ctx.close();
    });

    it("speaks German to a German browser", async (t) => {
      if (env.skip) return t.skip(env.skip);
      const ctx = await env.browser.newContext({ locale: "de-DE" });
      const page = await ctx.newPage();
      await page.goto(env.siteUrl);
      await page.waitForSelector("#pledge-dialog");
      assert.ok(await page.getByRole("button", { name: "Alle ablehnen" }).isVisible());
      await ctx.close();
    });
  });
});
