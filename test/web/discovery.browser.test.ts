/**
 * In Chromium: the console's discovery page on the demo — a table nobody declared is planted, scanned from the page,
 * told to the officer, drawn, and dismissed with a reason.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { demoConsole } from "../helpers/demo-server.js";

describe("the discovery page in Chromium", () => {
  const demo = demoConsole("pledge-browser-disc-");

  it("scans now, shows the undeclared table per system with its fragment, and the officer's mail", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url, server } = demo;
    const db = new BetterSqlite3(join(server.dir, ".pledge/demo/shop.db"));
    db.exec("CREATE TABLE newsletter_export (id INTEGER PRIMARY KEY, subscriber TEXT, exported_at TEXT)");
    for (let i = 1; i <= 50; i++)
      db.prepare("INSERT INTO newsletter_export VALUES (?, ?, ?)").run(i, `reader${i}@mail.example`, "2026-11-30");
    db.close();

    await page.getByRole("link", { name: "Discovery", exact: true }).click();
    await page.waitForURL(`${url}/admin/discovery`);
    assert.equal(await page.title(), "Discovery — Fjord Outfitters AB");
    assert.match((await page.textContent("main")) ?? "", /No finding recorded yet/);
    await page.getByRole("button", { name: "Scan now" }).click();
    await page.waitForURL(/\/admin\/discovery\?scanned=\d+$/);
    assert.match(
      (await page.getByRole("status").textContent()) ?? "",
      /Scan \d+: \d+ tables? read, [1-9]\d* findings? open, [1-9]\d* new\./,
    );
    const shop = page.locator("#systems tr", { hasText: "Web shop database" });
    assert.match((await shop.textContent()) ?? "", /Web shop database\s*[1-9]/);
    const row = page.locator("#findings tr", { hasText: "newsletter_export" });
    assert.match(
      (await row.textContent()) ?? "",
      /open\s*\[scan-undeclared\] shop: the table newsletter_export holds personal data .*subscriber: email/,
    );
    assert.ok(!((await page.textContent("main")) ?? "").includes("reader7@mail.example"), "no value on the page");
    await row.getByText("What would declare it").click();
    assert.match(
      (await row.locator("pre.fragment").textContent()) ?? "",
      /newsletter_export:\n\s+fields:\n\s+id:\n\s+primaryKey: true\n\s+subscriber:\n\s+category: user\.contact\.email\n\s+identity: email/,
    );
    assert.equal(
      await page.getByRole("img", { name: /^1 scan; after the latest, [1-9][\d,]* findings? open$/ }).count(),
      1,
    );
    const outbox = join(server.dir, ".pledge/outbox");
    const mails = readdirSync(outbox).map((f) => readFileSync(join(outbox, f), "utf8"));
    assert.ok(
      mails.some((m) => /new thing/.test(m) && /newsletter_export/.test(m)),
      "the officer is told of the new finding",
    );
  });

  it("a dismissal without a reason is refused by the form; with one it stays dismissed after the next scan", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url } = demo;
    const row = page.locator("#findings tr", { hasText: "newsletter_export" });
    const id = (await row.getAttribute("id"))!.replace("finding-", "");
    await row.getByRole("button", { name: `Dismiss finding ${id}` }).click();
    assert.match(page.url(), /\/admin\/discovery\?scanned=\d+$/, "the browser keeps the form: a reason is required");
    assert.equal(await row.locator("td.open").count(), 1);
    await row.getByLabel("Reason").fill("a one-off export for the migration, deleted on 2026-12-03");
    await row.getByRole("button", { name: `Dismiss finding ${id}` }).click();
    await page.waitForURL(`${url}/admin/discovery`);
    const after = page.locator(`#finding-${id}`);
    assert.match(
      (await after.textContent()) ?? "",
      /dismissed.*Dismissed by user:demo@pledge\.local on \d{4}-\d{2}-\d{2}: a one-off export for the migration, deleted on 2026-12-03/,
    );
    await page.getByRole("button", { name: "Scan now" }).click();
    await page.waitForURL(/\/admin\/discovery\?scanned=\d+$/);
    assert.match((await page.getByRole("status").textContent()) ?? "", /0 new/);
    assert.match((await page.locator(`#finding-${id}`).textContent()) ?? "", /dismissed/);
    assert.equal(
      await page.getByRole("img", { name: /^2 scans; after the latest, [\d,]+ findings? open$/ }).count(),
      1,
    );
  });
});
