/**
 * In Chromium: the console's retention page on the demo — limits against the oldest rows, a hold placed and lifted, a
 * sweep run, its chart.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { demoConsole } from "../helpers/demo-server.js";

describe("the retention page in Chromium", () => {
  const demo = demoConsole("pledge-browser-ret-");

  const row = (binding: string) => demo.page.locator(`#rule-${binding.replace(/[^A-Za-z0-9_-]/g, "-")}`);

  it("draws each rule's oldest row against its limit, with the rows due", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url } = demo;
    await page.getByRole("link", { name: "Retention", exact: true }).click();
    await page.waitForURL(`${url}/admin/retention`);
    assert.equal(await page.title(), "Retention — Fjord Outfitters AB");
    const logs = row("web_logs.access_log/web_logs");
    assert.match((await logs.textContent()) ?? "", /web_logs\s*web_logs\.access_log\s*delete after 90 days/);
    const bar = logs.getByRole("img", { name: /^oldest row \d+ days old; limit 90 days$/ });
    assert.equal(await bar.count(), 1);
    const days = Number(/oldest row (\d+) days/.exec((await bar.getAttribute("aria-label"))!)![1]);
    assert.ok(days > 90, `the demo's oldest log line is past the limit (${days} days)`);
    assert.match((await logs.textContent()) ?? "", /[1-9][\d,]* to sweep/);
    assert.match((await row("shop.invoices/bookkeeping").textContent()) ?? "", /delete after 7 years/);
  });

  it("a hold placed from the form keeps the log's rows from the sweep and is reported; lifted, the next sweep removes them", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url, server } = demo;
    await page.getByLabel("System", { exact: true }).selectOption("web_logs");
    await page.getByLabel("Dataset", { exact: true }).fill("access_log");
    await page.getByLabel("Reason", { exact: true }).fill("incident 2026-11 forensics");
    await page.getByRole("button", { name: "Place hold" }).click();
    await page.waitForURL(`${url}/admin/retention`);
    assert.match(
      (await page.locator("tr.hold").textContent()) ?? "",
      /dataset: web_logs\.access_log\s*incident 2026-11 forensics/,
    );
    assert.match(
      (await row("web_logs.access_log/web_logs").textContent()) ?? "",
      /held: legal hold: incident 2026-11 forensics/,
    );

    // "Sweep now" first shows what the sweep would do: with the hold in force, nothing.
    await page.getByRole("link", { name: /^Sweep now \(web_logs\.access_log\/web_logs\)/ }).click();
    assert.match((await page.locator("#nothing-due").textContent()) ?? "", /Nothing to sweep: .*[1-9][\d,]* rows held/);
    await page.goto(`${url}/admin/retention`);
    const lines = () => readFileSync(join(server.dir, ".pledge/demo/logs/access.jsonl"), "utf8").split("\n").length;
    const before = lines();

    await page.getByRole("button", { name: /^Lift hold \d+$/ }).click();
    await page.waitForURL(`${url}/admin/retention`);
    assert.match((await page.textContent("main")) ?? "", /No legal hold is in force/);
    await page.getByRole("link", { name: /^Sweep now \(web_logs\.access_log\/web_logs\)/ }).click();
    // The preview counts what will go; nothing has gone yet, and reloading it changes nothing.
    const preview = (await page.locator("#sweep-preview").textContent()) ?? "";
    const planned = Number(/([\d,]+) rows? deleted/.exec(preview)![1].replace(/,/g, ""));
    assert.ok(planned > 0, preview);
    await page.reload();
    assert.equal(lines(), before, "the preview deletes nothing");
    const confirm = page.getByRole("button", { name: /^Delete [\d,]+ rows?$/ });
    assert.equal(await confirm.evaluate((b) => b.classList.contains("danger")), true, "the button looks dangerous");
    await confirm.click();
    await page.waitForURL(/\/admin\/retention\?run=\d+/);
    const result = (await page.locator("#sweep-result").textContent()) ?? "";
    const deleted = Number(/: ([\d,]+) rows? deleted/.exec(result)![1].replace(/,/g, ""));
    assert.equal(deleted, planned, `the sweep did what the preview said: ${result}`);
    // A reload after the sweep shows its result again and does not sweep again.
    const after = lines();
    await page.reload();
    assert.equal(lines(), after);
    const rotated = 200; // the demo's wholly expired rotated log, deleted as a file
    assert.equal(after, before - (deleted - rotated), "the lines are gone from the file");
    const logs = row("web_logs.access_log/web_logs");
    assert.match((await logs.textContent()) ?? "", /0 to sweep/);
    assert.equal(
      await logs
        .getByRole("img", { name: new RegExp(`^${deleted} rows changed by sweeps in the last 30 days$`) })
        .count(),
      1,
    );
    assert.match((await logs.textContent()) ?? "", new RegExp(`${deleted} deleted, 0 masked, 0 kept`));
  });

  it("a hold without a reason is refused with the reason why, and the page still works without JavaScript", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url, browser } = demo;
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const p2 = await ctx.newPage();
    await p2.context().addCookies(await page.context().cookies());
    await p2.goto(`${url}/admin/retention`);
    await p2.getByLabel("Dataset", { exact: true }).fill("tickets");
    await p2.getByLabel("System", { exact: true }).selectOption("support");
    await p2.getByLabel("Reason", { exact: true }).fill("no");
    // Without JavaScript the browser's own check is what stops a short reason; the server refuses it too.
    await p2
      .locator("#place-hold")
      .evaluate((f) => f.setAttribute("novalidate", ""))
      .catch(() => {});
    await p2.getByRole("button", { name: "Place hold" }).click();
    assert.match((await p2.getByRole("alert").textContent()) ?? "", /reason: give the reason for the hold/);
    await ctx.close();
  });

  it("the home page counts from the last promise check, says when it never ran, and the button runs one", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url } = demo;
    await page.goto(`${url}/admin`);
    // Never checked is not "nothing failing".
    assert.equal(await page.textContent("#tile-retention [data-count]"), "—");
    assert.match((await page.textContent("#tile-retention")) ?? "", /never checked/);
    await page.click("#tile-retention");
    await page.waitForURL(`${url}/admin/retention`);
    assert.match((await page.textContent("#last-check")) ?? "", /No promise check has run yet/);
    await page.getByRole("button", { name: "Check every promise now" }).click();
    const result = (await page.locator("#verify-result").textContent()) ?? "";
    assert.match(result, /Promise check: /);
    const last = (await page.textContent("#last-check")) ?? "";
    assert.match(last, /Last promise check: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by user:/);
    const m = /(\d+) failing and (\d+) not reached of (\d+)|all (\d+) bindings kept/.exec(last)!;
    const failing = m[4] ? 0 : Number(m[1]) + Number(m[2]);
    await page.goto(`${url}/admin`);
    assert.equal(Number(await page.textContent("#tile-retention [data-count]")), failing);
    assert.match((await page.textContent("#tile-retention")) ?? "", /checked \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  });
});
