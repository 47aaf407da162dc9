/**
 * WCAG 2.2 AA with axe-core in Chromium: every public page and every console page of the seeded demo, at 390 px and
 * 1280 px, has no critical and no serious violation. The pages are the OpenAPI document's HTML operations: those
 * without a parameter are opened directly, the others by the first link to them that a page of the demo shows (and a
 * request's status page by filing an opt-out, whose status link comes at once). The banner's keyboard path is checked
 * too: open, preferences, save, and focus back on the button that opened it.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { demoConsole, lastMailTo } from "../helpers/demo-server.js";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const WIDTHS = [390, 1280] as const;

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** axe-core's WCAG 2.0–2.2 A and AA rules on the page as it is; the critical and serious violations. */
async function audit(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate(() =>
    (
      globalThis as unknown as {
        axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: Violation[] }> };
      }
    ).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      resultTypes: ["violations"],
    }),
  )) as { violations: Violation[] };
  return result.violations.filter((v) => v.impact === "critical" || v.impact === "serious");
}

const report = (url: string, width: number, vs: Violation[]) =>
  vs.map(
    (v) =>
      `${url} @${width}px: ${v.impact} ${v.id} (${v.help}) × ${v.nodes.length}: ` +
      v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(" "))
        .join(" | "),
  );

describe("accessibility (axe-core, WCAG 2.2 AA) of the seeded demo", () => {
  const demo = demoConsole("pledge-browser-a11y-");

  /** A context that lets axe's script in past the pages' CSP, signed in as the demo console's owner (or not). */
  async function context(signedIn: boolean, width: number): Promise<BrowserContext> {
    const ctx = await demo.browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
    if (signedIn) await ctx.addCookies(await demo.page.context().cookies());
    return ctx;
  }

  /** The pages to check: from the OpenAPI document's HTML operations, filled in from the demo's own links. */
  async function pages(): Promise<{ console: string[]; public: string[] }> {
    const doc = (await (await fetch(`${demo.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, { content?: object }> }>>;
    };
    const html = Object.entries(doc.paths).flatMap(([path, m]) =>
      m.get?.responses[200]?.content && "text/html" in (m.get.responses[200].content ?? {})
        ? [{ path, signedIn: m.get.security.length > 0 }]
        : [],
    );
    const out = { console: [] as string[], public: [] as string[] };
    const seen = new Set<string>();
    const ctx = await context(true, 1280);
    const page = await ctx.newPage();
    const links = new Set<string>();
    const visit = async (url: string) => {
      const res = await page.goto(demo.url + url);
      if (!res || res.status() >= 400 || new URL(page.url()).pathname !== new URL(demo.url + url).pathname)
        return false;
      for (const href of await page.$$eval("a[href]", (as) =>
        as.map((a) => new URL(a.getAttribute("href") ?? "", location.href).href),
      ))
        if (href.startsWith(demo.url)) links.add(href.slice(demo.url.length).split("#")[0]);
      return true;
    };
    // A request filed now: its status page (an opt-out needs no code) and the code page of an access request.
    const optOut = (await (
      await fetch(`${demo.url}/privacy-center/requests`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.7" },
        body: JSON.stringify({ right: "opt_out_sale", identity: "axe@example.net", jurisdiction: "US-CA" }),
      })
    ).json()) as { statusToken?: string; requestId: string };
    assert.ok(optOut.statusToken, JSON.stringify(optOut));
    const access = (await (
      await fetch(`${demo.url}/privacy-center/requests`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.8" },
        body: JSON.stringify({ right: "access", identity: "axe@example.net" }),
      })
    ).json()) as { requestId: string };
    // A legal request, registered through the console's own form: its pages are checked too (the demo declares no
    // remote sessions, so there is no session form to open).
    await page.goto(`${demo.url}/admin/governance/legal`);
    const csrf = await page.locator("input[name=_csrf]").first().inputValue();
    const legal = await page.request.post(`${demo.url}/admin/governance/legal`, {
      form: {
        _csrf: csrf,
        reference: "AXE-1",
        authority: "Polismyndigheten",
        instrument: "court_order",
        jurisdiction: "SE",
        accounts: "email:ada@example.net",
        dataAsked: "Order history for the account",
      },
      maxRedirects: 0,
    });
    assert.equal(legal.status(), 303, await legal.text());
    // A DPIA record, opened as an officer would from the screening page: its page is a console page too.
    await page.goto(`${demo.url}/admin/dpia`);
    await page.locator(".actions form button").first().click();
    await page.waitForURL(/\/admin\/dpia\/[a-z_]+$/);
    links.add(new URL(page.url()).pathname);
    // A newsletter sign-up: its confirmation, unsubscribe and preferences pages, from the links in the mail.
    const signup = await fetch(`${demo.url}/newsletter/trail_notes`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.9" },
      body: JSON.stringify({ email: "axe-news@example.net" }),
    });
    assert.equal(signup.status, 202);
    const mail = lastMailTo(demo.server.dir, "axe-news@example.net");
    const manage = /\/newsletter\/unsubscribe\/([\w-]+)/.exec(mail)![1];
    links.add(/\/newsletter\/confirm\/[\w-]+/.exec(mail)![0]);
    links.add(`/newsletter/unsubscribe/${manage}`);
    links.add(`/newsletter/preferences/${manage}`);
    links.add(`/privacy-center/requests/${optOut.statusToken}`);
    links.add(`/privacy-center/verify/${access.requestId}`);
    for (const { path, signedIn } of html.filter((h) => !h.path.includes("{"))) {
      if (path.startsWith("/admin/login") && path !== "/admin/login") continue;
      seen.add(path);
      if (await visit(path)) (signedIn ? out.console : out.public).push(path);
    }
    for (const { path, signedIn } of html.filter((h) => h.path.includes("{"))) {
      const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, "[^/?#]+").replace(/\./g, "\\.")}(\\?.*)?$`);
      const found = [...links].find((l) => pattern.test(l) && !seen.has(l.split("?")[0]));
      if (found && (await visit(found))) (signedIn ? out.console : out.public).push(found);
    }
    await ctx.close();
    // The notice in each of its languages, the newsletter's page after a sign-up, and an error page.
    out.public.push(
      "/privacy?lang=de",
      "/privacy?lang=fr",
      "/newsletter/trail_notes",
      "/newsletter/trail_notes/sent?status=pending",
      "/nope",
    );
    return out;
  }

  it("0 critical and 0 serious violations on every public and console page, at 390 and 1280 px", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const list = await pages();
    assert.ok(list.console.length >= 24, `${list.console.length} console pages: ${list.console.join(", ")}`);
    t.diagnostic(`${list.console.length} console pages: ${list.console.join(" ")}`);
    t.diagnostic(`${list.public.length} public pages: ${list.public.join(" ")}`);
    assert.ok(list.public.length >= 17, `${list.public.length} public pages: ${list.public.join(", ")}`);
    const found: string[] = [];
    for (const width of WIDTHS) {
      for (const [signedIn, urls] of [
        [false, list.public],
        [true, list.console],
      ] as const) {
        const ctx = await context(signedIn, width);
        const page = await ctx.newPage();
        for (const url of urls) {
          await page.goto(demo.url + url);
          found.push(...report(url, width, await audit(page)));
        }
        await ctx.close();
      }
    }
    assert.deepEqual(found, []);
  });

  it("the banner's dialog: keyboard only, open, preferences, save; focus back on its trigger; the page behind inert", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    for (const width of WIDTHS) {
      const ctx = await context(false, width);
      const page = await ctx.newPage();
      await page.goto(`${demo.url}/consent/demo`);
      const dialog = page.getByRole("dialog");
      await dialog.waitFor();
      assert.deepEqual(report("/consent/demo (banner)", width, await audit(page)), []);
      // Preferences, by keyboard: Tab to the button and Enter.
      const prefs = dialog.getByRole("button", { name: /preferences|settings|choose/i });
      await prefs.focus();
      await page.keyboard.press("Enter");
      const analytics = dialog.getByRole("checkbox", { name: /analytics/i });
      await analytics.waitFor();
      assert.deepEqual(report("/consent/demo (preferences)", width, await audit(page)), []);
      // While the dialog is open, the page behind it is inert: nothing there takes focus.
      assert.equal(await page.evaluate(() => document.querySelector("body > h1")?.closest("[inert]") !== null), true);
      await analytics.focus();
      await page.keyboard.press("Space");
      assert.equal(await analytics.isChecked(), true);
      await dialog.getByRole("button", { name: /save/i }).focus();
      await page.keyboard.press("Enter");
      await dialog.waitFor({ state: "hidden" });
      await page.waitForFunction(() => document.getElementById("analytics-status")?.textContent?.includes("running"));
      // Focus returns to the control that reopens the preferences, and the page is no longer inert.
      const focused = await page.evaluate(() => ({
        tag: document.activeElement?.tagName,
        text: document.activeElement?.textContent ?? "",
        inert: document.querySelector("[inert]") !== null,
      }));
      assert.equal(focused.tag, "BUTTON", JSON.stringify(focused));
      assert.match(focused.text, /privacy|cookie|consent/i);
      assert.equal(focused.inert, false);
      // The trigger opens the dialog again, by keyboard.
      await page.keyboard.press("Enter");
      await dialog.waitFor();
      await ctx.close();
    }
  });
});
