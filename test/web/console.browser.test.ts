/**
 * The console and the public pages in Chromium: a browser without a session is sent to sign in and back; the home
 * page's counters lead to the lists they count; the data map and the DPIA screening of the demo; the privacy center
 * in German; and no public page wider than a 390 px phone.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadDeclaration } from "../../src/declaration/index.js";
import { DEMO_OWN_PASSWORD, demoConsole } from "../helpers/demo-server.js";

const demo = demoConsole("pledge-browser-console-");
const decl = (await loadDeclaration("demo/pledge.yaml")).declaration;
const SIZES = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "390 px", width: 390, height: 844 },
];

/** Files a request over the privacy center's JSON API and confirms it with the code the demo prints. */
async function fileRequest(email: string, right: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${demo.url}/privacy-center/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ right, identity: email, jurisdiction: "EU", ...extra }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { requestId } = (await res.json()) as { requestId: string };
  let code: string | undefined;
  for (let i = 0; i < 50 && !code; i++) {
    code = new RegExp(`\\(request ${requestId}\\): (\\d{6})`).exec(demo.server.stderr())?.[1];
    if (!code) await new Promise((r) => setTimeout(r, 100));
  }
  const ok = await fetch(`${demo.url}/privacy-center/verify/${requestId}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code }),
  });
  assert.equal(ok.status, 201);
}

describe("the console in Chromium", () => {
  it("/admin without a session sends a browser to sign in, and back to the page it asked for", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${demo.url}/admin/map`);
    assert.equal(new URL(page.url()).pathname, "/admin/login");
    assert.equal(new URL(page.url()).searchParams.get("next"), "/admin/map");
    await page.getByLabel("Email").fill("demo@pledge.local");
    await page.getByLabel("Password").fill(DEMO_OWN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${demo.url}/admin/map`);
    // A machine still gets JSON.
    const api = await fetch(`${demo.url}/admin`);
    assert.equal(api.status, 401);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, "unauthenticated");
    await context.close();
  });

  for (const size of SIZES)
    it(`at ${size.name}: the home page shows each counter, and its links lead to the list it counts`, async (t) => {
      if (demo.skip) return t.skip(demo.skip);
      if (size.name === "desktop") {
        // Corrections of a name wait for staff review: the requests stay open while the test counts them.
        await fileRequest("ada@example.net", "rectification", { corrections: { "user.name": "Ada Lovelace" } });
        await fileRequest("grace@example.net", "rectification", { corrections: { "user.name": "Grace Hopper" } });
      }
      const page = demo.page;
      await page.setViewportSize(size);
      await page.goto(`${demo.url}/admin`);
      for (const id of [
        "open",
        "soon",
        "overdue",
        "unverified",
        "retention",
        "discovery",
        "incidents",
        "access",
        "agreements",
      ])
        assert.ok(await page.$(`#tile-${id} [data-count]`), `the ${id} counter`);
      assert.ok(await page.$("svg.chart[aria-labelledby] title"), "the deadline chart, with a title");
      assert.ok(await page.$("figure details table"), "and its numbers as a table");
      const open = Number(await page.textContent("#tile-open [data-count]"));
      assert.ok(open >= 1, "requests were filed");
      await page.click("#tile-open");
      await page.waitForURL(`${demo.url}/admin/requests?due=open`);
      assert.equal(await page.$eval("select[name=due]", (s) => (s as HTMLSelectElement).value), "open");
      assert.equal(await page.locator("tbody tr").count(), open, "the list holds what the counter counted");
      await page.goto(`${demo.url}/admin`);
      await page.click("#tile-overdue");
      await page.waitForURL(`${demo.url}/admin/requests?due=overdue`);
      // The demo starts with one overdue request, the objection that came by letter five weeks ago.
      const overdue = Number(await page.evaluate(() => document.querySelectorAll("tbody tr").length));
      assert.equal(overdue, 1);
      assert.match((await page.textContent("tbody")) ?? "", /Objection[\s\S]*overdue/);
      await page.goto(`${demo.url}/admin`);
      await page.click("#tile-retention");
      await page.waitForURL(`${demo.url}/admin/retention`);
      if (size.width === 390)
        assert.ok(
          await page.evaluate(() => document.documentElement.scrollWidth <= 400),
          "the console's pages fit a phone too",
        );
    });

  for (const size of SIZES)
    it(`at ${size.name}: the data map draws every system, recipient and country of the demo, and a category narrows it`, async (t) => {
      if (demo.skip) return t.skip(demo.skip);
      const page = demo.page;
      await page.setViewportSize(size);
      await page.goto(`${demo.url}/admin/map`);
      const nodes = async (kind: string) =>
        page.$$eval(`svg.map [data-node^="${kind}:"]`, (els) => els.map((e) => e.getAttribute("data-node")));
      assert.deepEqual(
        (await nodes("system")).sort(),
        Object.keys(decl.systems)
          .map((s) => `system:${s}`)
          .sort(),
      );
      assert.deepEqual(
        (await nodes("recipient")).sort(),
        Object.keys(decl.recipients)
          .map((r) => `recipient:${r}`)
          .sort(),
      );
      const countries = [...new Set(Object.values(decl.recipients).flatMap((r) => (r.country ? [r.country] : [])))];
      for (const c of countries) assert.ok((await nodes("country")).includes(`country:${c}`), c);
      const all = await page.locator("svg.map [data-node]").count();
      assert.ok(await page.isVisible("svg.map"), "the map is on screen");
      await page.selectOption("select[name=category]", "user.contact.email");
      await page.getByRole("button", { name: "Show" }).click();
      await page.waitForURL(/category=user\.contact\.email/);
      const narrowed = await page.locator("svg.map [data-node]").count();
      assert.ok(narrowed > 0 && narrowed < all, `${narrowed} of ${all} nodes`);
      // A node links to its part of the declaration.
      const href = await page.getAttribute("svg.map a", "href");
      assert.match(href ?? "", /^\/admin\/declaration#L\d+$/);
      await page.goto(`${demo.url}${href}`);
      assert.ok(await page.isVisible(`li${href!.slice(href!.indexOf("#"))}`));
    });

  for (const size of SIZES)
    it(`at ${size.name}: the DPIA page shows the demo's screening per purpose`, async (t) => {
      if (demo.skip) return t.skip(demo.skip);
      const page = demo.page;
      await page.setViewportSize(size);
      await page.goto(`${demo.url}/admin/dpia`);
      const sections = await page.$$eval("section[data-result]", (els) => els.map((e) => e.id));
      assert.deepEqual(
        sections.sort(),
        Object.keys(decl.purposes)
          .map((p) => `purpose-${p}`)
          .sort(),
      );
      assert.match((await page.textContent("#purpose-advertising")) ?? "", /DPIA (required|recommended)/);
      if (size.name === "desktop") {
        await page
          .locator("#purpose-advertising")
          .getByRole("button", { name: /Open a DPIA record/ })
          .click();
        await page.waitForURL(`${demo.url}/admin/dpia/advertising`);
        assert.match((await page.textContent("main")) ?? "", /Version 1 of 1/);
      }
    });
});

describe("the public pages in Chromium", () => {
  it("the privacy center speaks German to a de-DE browser", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const context = await demo.browser.newContext({ locale: "de-DE" });
    const page = await context.newPage();
    await page.goto(`${demo.url}/privacy-center`);
    assert.equal(await page.getAttribute("html", "lang"), "de");
    assert.equal(await page.textContent("h1"), "Datenschutz-Center");
    assert.match((await page.textContent("legend")) ?? "", /Was möchten Sie tun\?/);
    await page.getByLabel(/^Meine Daten löschen/).check();
    await page.getByRole("button", { name: "Weiter" }).click();
    await page.waitForURL(/right=erasure/);
    assert.equal(await page.textContent("h1"), "Meine Daten löschen");
    assert.ok(await page.getByLabel("Wo wohnen Sie?").isVisible());
    assert.ok(await page.getByRole("button", { name: "Anfrage senden" }).isVisible());
    // The banner on the demo shop speaks German too, its categories included.
    await page.goto(`${demo.url}/consent/demo`);
    await page.waitForSelector("#pledge-dialog");
    assert.equal(await page.getAttribute("#pledge-dialog", "lang"), "de");
    await page.getByRole("button", { name: "Einstellungen" }).click();
    assert.ok(await page.getByLabel("Statistik").isVisible());
    // And the notice: Pledge's words and the demo's own texts, with the map's heading.
    await page.goto(`${demo.url}/privacy`);
    assert.equal(await page.getAttribute("html", "lang"), "de");
    assert.equal(await page.textContent("h1"), "Datenschutzerklärung — Fjord Outfitters");
    assert.ok(await page.getByRole("heading", { name: "Ihre Rechte" }).isVisible());
    assert.ok(await page.getByRole("heading", { name: "Verkauf und Lieferung Ihrer Bestellungen" }).isVisible());
    assert.ok(await page.getByRole("heading", { name: "Wohin Ihre Daten gehen" }).isVisible());
    await context.close();
  });

  it("no public page is wider than a 390 px phone", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const context = await demo.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const pages = [
      "/privacy",
      "/privacy?lang=de",
      "/privacy?lang=fr",
      "/privacy/versions",
      "/privacy-center",
      "/privacy-center?right=rectification",
      "/privacy-center?right=objection",
      "/newsletter/trail_notes",
      "/consent/demo",
      "/admin/login",
      "/privacy-center/requests/not-a-real-token-0123456789",
      "/no/such/page",
    ];
    const wide: string[] = [];
    for (const p of pages) {
      await page.goto(`${demo.url}${p}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) wide.push(`${p}: ${width}px`);
    }
    assert.deepEqual(wide, []);
    await context.close();
  });
});
