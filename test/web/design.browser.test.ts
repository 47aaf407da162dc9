/**
 * The look of every page of the seeded demo, in Chromium at a phone's width and a desktop's: the house stylesheet
 * applies (a sans-serif font, not the browser's default), and no table cell, button or label breaks a word. The
 * screenshots the README links are taken here.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { demoConsole } from "../helpers/demo-server.js";

const SHOTS = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const WIDTHS = [390, 1280] as const;
/** Links that are not pages to look at: downloads, machine APIs, the way out. */
const NOT_PAGES =
  /\/logout|\.(csv|json|zip|yaml|ics|pdf|svg|txt|md|png)(\?|$)|\/export|\/download|^\/(v1|api)\/|\/consent\/|\/healthz|\/metrics/;

/** Each visible word (a run of letters or digits) in cells, buttons and labels that the browser split over lines. */
async function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const selector = "td, th, button, label, summary, [role=button], a.button, .badge, legend";
    for (const el of document.querySelectorAll(selector)) {
      // Not drawn, or drawn for screen readers only (1 px wide: every word is its own line there).
      if (!el.getClientRects().length || el.closest(".sr-only, .skip")) continue;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement?.closest(".sr-only, .skip")) continue;
        const text = n.textContent ?? "";
        for (const m of text.matchAll(/[\p{L}\p{N}]{2,}/gu)) {
          const range = document.createRange();
          range.setStart(n, m.index);
          range.setEnd(n, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) bad.push(`${el.tagName.toLowerCase()} "${m[0]}"`);
        }
      }
    }
    return bad;
  });
}

/** What the stylesheet must give every page: its own font stack, from a linked file. */
async function typeface(page: Page) {
  return page.evaluate(() => ({
    family: getComputedStyle(document.body).fontFamily,
    linked: [...document.querySelectorAll<HTMLLinkElement>("link[rel=stylesheet]")].map((l) => l.getAttribute("href")),
  }));
}

describe("every page in Chromium", () => {
  const demo = demoConsole("pledge-browser-design-");

  it("uses the house stylesheet and breaks no word, at 390 px and 1280 px, on every page reached from the console", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url } = demo;
    const seen = new Set<string>();
    const queue = ["/admin", "/privacy", "/privacy-center", "/privacy?lang=de", "/privacy-center?lang=fr", "/nowhere"];
    const problems: string[] = [];
    mkdirSync(SHOTS, { recursive: true });
    while (queue.length && seen.size < 90) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        const response = await page.goto(`${url}${path}`).catch((err: Error) => {
          if (/Download is starting/.test(err.message)) return undefined;
          throw err;
        });
        if (!response || !/text\/html/.test(response.headers()["content-type"] ?? "")) break;
        const { family, linked } = await typeface(page);
        if (!/system-ui/.test(family) || /^"?Times/.test(family)) problems.push(`${path}: font ${family}`);
        if (!linked.some((h) => /^\/assets\/pledge-[0-9a-f]{12}\.css$/.test(h ?? "")))
          problems.push(`${path}: no house stylesheet`);
        for (const w of await brokenWords(page)) problems.push(`${path} at ${width} px: ${w} breaks`);
        const shot = { "/admin": "home", "/admin/requests": "requests", "/privacy-center": "privacy-center" }[path];
        if (shot) await page.screenshot({ path: `${SHOTS}${shot}-${width}.png`, fullPage: true });
      }
      const links = await page.$$eval("a[href^='/']", (as) => as.map((a) => a.getAttribute("href") ?? ""));
      for (const href of links) {
        const clean = href.split("#")[0];
        if (clean && !NOT_PAGES.test(clean) && !seen.has(clean) && !/[?&]page=/.test(clean)) queue.push(clean);
      }
    }
    assert.ok(seen.size > 40, `only ${seen.size} pages reached: ${[...seen].join(" ")}`);
    assert.deepEqual(problems.slice(0, 40), [], `${problems.length} problems on ${seen.size} pages`);
  });
});
