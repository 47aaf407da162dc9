/** In Chromium: a request goes through the privacy center from the form to the downloaded ZIP. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import type { Browser } from "playwright-core";
import { chromiumUnavailable, launchChromium } from "../helpers/browser.js";
import { startDemoServer, type DemoServer } from "../helpers/demo-server.js";

describe("the privacy center in Chromium", () => {
  let server: DemoServer | undefined;
  let browser: Browser;
  let url = "";
  let dir = "";
  let skip: string | undefined;

  before(async () => {
    skip = chromiumUnavailable();
    if (skip) {
      if (process.env.CI === "true") throw new Error(skip);
      return;
    }
    server = await startDemoServer("pledge-browser-");
    url = server.url;
    dir = server.dir;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    server?.stop();
  });

  /** Asks for a copy of one's data in the privacy center, enters the code from the console, and downloads the ZIP. */
  const requestExport = async (email: string, name: string) => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${url}/privacy-center`);
    assert.equal(await page.title(), "Privacy center — Fjord Outfitters AB");
    // First the right, then a page with only the fields it needs.
    await page.getByLabel(/^Get a copy of my data/).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/privacy-center\?right=access$/);
    assert.equal(await page.locator("#corrections").count(), 0, "no corrections on an access request");
    await page.getByLabel(/^Your email address/).fill(email);
    await page.getByLabel("Your name (optional; we use it only to greet you)").fill(name);
    await page.getByLabel("Where do you live?").selectOption("EU");
    await page.getByRole("button", { name: "Send my request" }).click();

    await page.waitForURL(/\/privacy-center\/verify\/req_/);
    assert.match(
      (await page.textContent("main")) ?? "",
      new RegExp(`We sent a 6-digit code to ${email[0]}\\*\\*\\*@example\\.net`),
    );
    const requestId = page.url().split("/").pop()!;
    // No SMTP is configured: the code is printed on the console and the mail is in the outbox.
    const code = new RegExp(`\\(request ${requestId}\\): (\\d{6})`).exec(server!.stderr())?.[1];
    assert.ok(code, "the code was printed");
    await page.getByLabel("Code").fill(code);
    await page.getByRole("button", { name: "Confirm" }).click();

    await page.waitForURL(/\/privacy-center\/requests\/[A-Za-z0-9_-]{40,}$/);
    // The page refreshes itself (no JavaScript) until the export is ready.
    await page.waitForSelector("#download", { timeout: 30_000 });
    assert.equal(await page.textContent("#status"), "Done");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const file = join(dir, `export-${requestId}.zip`);
    await download.saveAs(file);
    await context.close();
    return unzipSync(new Uint8Array(readFileSync(file)));
  };

  it("from the form to the downloaded ZIP, which holds the person's rows", async (t) => {
    if (skip) return t.skip(skip);
    const zip = await requestExport("ada@example.net", "Ada");
    const customers = JSON.parse(strFromU8(zip["shop/customers.json"])) as { email: string; name: string }[];
    assert.deepEqual(
      customers.map((c) => [c.email, c.name]),
      [["ada@example.net", "Ada Lovelace"]],
    );
    assert.equal((JSON.parse(strFromU8(zip["shop/orders.json"])) as unknown[]).length, 3);
    assert.ok((JSON.parse(strFromU8(zip["support/tickets.json"])) as unknown[]).length >= 2);
    assert.ok((JSON.parse(strFromU8(zip["web_logs/access_log.json"])) as unknown[]).length >= 30);
    assert.match(strFromU8(zip["summary.html"]), /Your data at Fjord Outfitters/);
  });

  it("a request for grace.hopper@example.net returns her rows, which the shop stores as Grace.Hopper@Example.NET", async (t) => {
    if (skip) return t.skip(skip);
    const zip = await requestExport("grace.hopper@example.net", "Grace");
    const customers = JSON.parse(strFromU8(zip["shop/customers.json"])) as {
      email: string;
      name: string;
      phone: string;
    }[];
    assert.deepEqual(
      customers.map((c) => [c.email, c.name, c.phone]),
      [["Grace.Hopper@Example.NET", "Grace Hopper", "+1 (212) 555-0100"]],
    );
    const tickets = (JSON.parse(strFromU8(zip["support/tickets.json"])) as { email: string }[]).map((x) => x.email);
    assert.ok(tickets.includes("GRACE.HOPPER@EXAMPLE.NET"), "the ticket the support desk stored in upper case");
    assert.ok(tickets.every((e) => e.toLowerCase() === "grace.hopper@example.net"));
    assert.ok((JSON.parse(strFromU8(zip["web_logs/access_log.json"])) as unknown[]).length >= 5);
    assert.ok(
      (JSON.parse(strFromU8(zip["shop/orders.json"])) as { total_cents: number }[]).every((o) => o.total_cents > 0),
      "orders with their totals",
    );
  });

  it("the notice's 'Do Not Sell or Share' link takes a Californian to an opt-out that needs no code", async (t) => {
    if (skip) return t.skip(skip);
    const page = await browser.newPage();
    await page.goto(`${url}/privacy`);
    await page.getByRole("link", { name: "Do Not Sell or Share My Personal Information" }).click();
    assert.equal(await page.textContent("h1"), "Do not sell or share my personal information");
    await page.getByLabel(/^Your email address/).fill("clara.berg.42@example.net");
    await page.getByLabel("Where do you live?").selectOption("US-CA");
    await page.getByRole("button", { name: "Send my request" }).click();
    await page.waitForURL(/\/privacy-center\/requests\//);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "Done", undefined, {
      timeout: 30_000,
    });
    assert.match((await page.textContent("#report")) ?? "", /Recorded: your opt-out of the sale and sharing/);
    await page.close();
  });

  it("the demo shop page shows the banner; its analytics tag runs only once allowed", async (t) => {
    if (skip) return t.skip(skip);
    const page = await browser.newPage();
    await page.goto(`${url}/consent/demo`);
    await page.waitForSelector("#pledge-dialog");
    assert.equal(await page.textContent("#analytics-status"), "Analytics: blocked");
    await page.getByRole("button", { name: "Preferences" }).click();
    await page.getByLabel("Analytics").check();
    await page.getByRole("button", { name: "Save my choices" }).click();
    await page.waitForFunction(
      () => document.getElementById("analytics-status")?.textContent === "Analytics: running (consent given)",
    );
    assert.equal(await page.textContent("#marketing-status"), "Marketing: blocked");
    await page.close();
  });

  it("the identity box takes its label, type and autocomplete from the identity chosen, and a request by account number goes through", async (t) => {
    if (skip) return t.skip(skip);
    const page = await browser.newPage();
    await page.goto(`${url}/privacy-center?right=access`);
    const shown = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLInputElement>(".identity-field input")]
          .filter((i) => i.offsetParent !== null)
          .map((i) => ({
            label: document.querySelector(`label[for="${i.id}"]`)?.textContent,
            type: i.type,
            autocomplete: i.autocomplete,
          })),
      );
    assert.deepEqual(await shown(), [{ label: "Your email address", type: "email", autocomplete: "email" }]);
    await page.getByLabel("phone number", { exact: true }).check();
    assert.deepEqual(await shown(), [{ label: "Your phone number", type: "tel", autocomplete: "tel" }]);
    await page.getByLabel("account number", { exact: true }).check();
    assert.deepEqual(await shown(), [{ label: "Your account number", type: "text", autocomplete: "off" }]);
    await page.getByLabel("Your account number").fill("2");
    await page.getByLabel(/^Email for news of this request/).fill("someone@example.org");
    await page.getByRole("button", { name: "Send my request" }).click();
    await page.waitForURL(/\/privacy-center\/verify\/req_/);
    assert.match((await page.textContent("main")) ?? "", /If we hold an email address for this account number/);
    await page.close();
  });

  it("works with the keyboard alone and has labelled controls", async (t) => {
    if (skip) return t.skip(skip);
    const page = await browser.newPage();
    await page.goto(`${url}/privacy-center`);
    // The choice of right works with the keyboard: arrows move between rights, Enter continues.
    await page.getByLabel(/^Get a copy of my data/).focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/privacy-center\?right=/);
    await page.goto(`${url}/privacy-center?right=access`);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input:not([type=hidden]), select")]
        .filter((el) => !(el.id && document.querySelector(`label[for="${el.id}"]`)))
        .map((el) => el.outerHTML),
    );
    assert.deepEqual(unlabelled, []);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
    // submitting an empty form by keyboard shows the browser's own required-field check, so send a bad email instead
    await page.getByLabel(/^Your email address/).fill("not-an-email");
    await page.getByLabel(/^Your email address/).press("Enter");
    await page.waitForSelector("[role=alert]");
    assert.match((await page.textContent("[role=alert]")) ?? "", /expected an email address/);
    await page.close();
  });
});
