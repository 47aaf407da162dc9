/**
 * A review in Chromium, end to end on the demo: two customers of the shop share a phone, so an erasure of one finds
 * the other through it. The request page shows each row with the masked values that matched it; the officer leaves
 * the other customer unticked and goes ahead, on a 390 px phone; the erasure completes, and the other customer's row is
 * as it was.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { demoConsole } from "../helpers/demo-server.js";

const demo = demoConsole("pledge-browser-review-");

it("staff see which value matched each row, go ahead for the person's only, and the other customer is untouched", async (t) => {
  if (demo.skip) return t.skip(demo.skip);
  const shop = new BetterSqlite3(join(demo.server.dir, ".pledge/demo/shop.db"));
  const ada = shop.prepare("SELECT * FROM customers WHERE lower(email) = 'ada@example.net'").get() as {
    id: number;
    phone: string;
  };
  const other = shop.prepare("SELECT * FROM customers WHERE id <> ? ORDER BY id LIMIT 1").get(ada.id) as {
    id: number;
    email: string;
  };
  // The household's landline, on both rows.
  shop.prepare("UPDATE customers SET phone = ? WHERE id = ?").run(ada.phone, other.id);
  const before = JSON.stringify(shop.prepare("SELECT * FROM customers WHERE id = ?").get(other.id));

  const res = await fetch(`${demo.url}/privacy-center/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ right: "erasure", identity: "ada@example.net", jurisdiction: "EU" }),
  });
  assert.equal(res.status, 201);
  const { requestId } = (await res.json()) as { requestId: string };
  let code: string | undefined;
  for (let i = 0; i < 50 && !code; i++) {
    code = new RegExp(`\\(request ${requestId}\\): (\\d{6})`).exec(demo.server.stderr())?.[1];
    if (!code) await new Promise((r) => setTimeout(r, 100));
  }
  const verified = await fetch(`${demo.url}/privacy-center/verify/${requestId}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code }),
  });
  assert.equal(verified.status, 201);

  const page = demo.page;
  await page.setViewportSize({ width: 390, height: 844 });
  const review = page.getByRole("region", { name: /Whose rows\? Web shop database/ });
  for (let i = 0; i < 100; i++) {
    await page.goto(`${demo.url}/admin/requests/${requestId}`);
    if (await review.count()) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(await review.count(), 1, "the request stopped for review");
  const mine = review.getByLabel(
    new RegExp(`^id ${ada.id}, matched by .*email a\\*\\*\\*@example\\.net.* phone \\*\\*\\*`),
  );
  const theirs = review.getByLabel(new RegExp(`^id ${other.id}, matched by phone \\*\\*\\*\\d{4}$`));
  assert.ok(await mine.isChecked());
  assert.equal(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    true,
    "the review fits a 390 px phone",
  );
  if (await theirs.isChecked()) await theirs.uncheck();
  await review.getByRole("button", { name: "Go ahead with the rows ticked" }).click();

  // Her data is at the shop's processors too: the request waits for them. Trailpoints, mailed, answers; staff record
  // it. SendGrid's erase job is checked now rather than in an hour.
  const trailpoints = page.getByRole("region", { name: "Waiting for Trailpoints AB" });
  for (let i = 0; i < 100 && !(await trailpoints.count()); i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.goto(`${demo.url}/admin/requests/${requestId}`);
  }
  assert.equal(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    true,
    "the processors' sections fit a 390 px phone",
  );
  await trailpoints.getByLabel("What Trailpoints AB answered").fill("Deleted the points account (their ref TP-1)");
  await trailpoints.getByRole("button", { name: "Record the answer" }).click();
  let status = "";
  for (let i = 0; i < 150 && status !== "completed"; i++) {
    const text = await (await page.goto(`${demo.url}/admin/requests/${requestId}`))!.text();
    status = /<dt>Status<\/dt>\s*<dd>(?:<span[^>]*>)?([^<]+)</.exec(text)?.[1]?.trim() ?? "";
    const check = page.getByRole("button", { name: "Check with Twilio Inc. (SendGrid) now" });
    if (status !== "completed" && (await check.count())) {
      await new Promise((r) => setTimeout(r, 600));
      await check.click();
    } else if (status !== "completed") await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(status, "completed");
  const report = await page.content();
  assert.match(report, /deleted at Stripe Payments Europe Ltd on/);
  assert.match(report, /asked Twilio Inc\. \(SendGrid\) on [\d-]+, confirmed on/);
  assert.match(report, /asked Trailpoints AB on [\d-]+, confirmed on/);
  assert.equal(
    JSON.stringify(shop.prepare("SELECT * FROM customers WHERE id = ?").get(other.id)),
    before,
    "the other customer's row is as it was",
  );
  const gone = shop.prepare("SELECT * FROM customers WHERE id = ?").get(ada.id) as { name: string } | undefined;
  assert.ok(!gone || gone.name === "[erased]", "Ada's row is erased or masked");
  shop.close();
});
