/**
 * In Chromium, on the demo: the governance registers — a customer, a staff access the customer approves from the mailed
 * link, a session that cannot start unsigned, an incident with its clocks.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../helpers/cli.js";
import { demoConsole, lastMailTo } from "../helpers/demo-server.js";

describe("the governance registers in Chromium", () => {
  const demo = demoConsole("pledge-browser-gov-");

  it("a customer added from the form approves a staff access from the mailed link; the console shows the grant", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url, browser, server } = demo;
    await page.getByRole("link", { name: "Governance", exact: true }).first().click();
    await page.waitForURL(`${url}/admin/governance`);
    await page.getByRole("link", { name: "Customers" }).click();
    await page.getByLabel("Account").fill("nordic-trek");
    await page.getByLabel("Name").fill("Nordic Trek AB");
    await page.getByLabel("Contact email").fill("it@nordic-trek.example");
    await page.getByLabel("Jurisdictions").fill("EU");
    await page.getByLabel("Customer since").fill("2025-05-01");
    await page.getByRole("button", { name: "Save customer" }).click();
    await page.waitForURL(`${url}/admin/governance/customers`);
    assert.match((await page.locator("table").textContent()) ?? "", /Nordic Trek AB\s*it@nordic-trek\.example/);

    // Whoever set a customer's contact cannot ask that customer's consent: the address could be their own.
    await page.goto(`${url}/admin/governance/access`);
    await page.getByLabel("Support conversations").check();
    await page.getByLabel("Justification").fill("The customer asks why ticket 88 was closed");
    await page.getByRole("button", { name: "Ask" }).click();
    assert.match((await page.getByRole("alert").textContent()) ?? "", /you set nordic-trek's contact address yourself/);

    // A second staff member, added from the CLI, asks.
    const added = await runCli(
      ["users", "add", "eve@fjord-outfitters.example", "--role", "viewer", "--name", "Eve", "--password-stdin"],
      {},
      { cwd: server.dir, input: "correct horse battery staple\n" },
    );
    assert.equal(added.code, 0, added.stderr);
    const eveContext = await browser.newContext();
    const eve = await eveContext.newPage();
    await eve.goto(`${url}/admin/login`);
    await eve.getByLabel("Email").fill("eve@fjord-outfitters.example");
    await eve.getByLabel("Password").fill("correct horse battery staple");
    await eve.getByRole("button", { name: "Sign in" }).click();
    await eve.waitForURL(`${url}/admin`);
    await eve.goto(`${url}/admin/governance/access`);
    await eve.getByLabel("Support conversations").check();
    await eve.getByLabel("Justification").fill("The customer asks why ticket 88 was closed");
    await eve.getByRole("button", { name: "Ask" }).click();
    await eve.waitForURL(`${url}/admin/governance/access`);
    assert.match((await eve.locator("tbody tr").first().textContent()) ?? "", /waiting for the customer/);

    const link = /http:\/\/127\.0\.0\.1:\d+(\/access-consent\/[A-Za-z0-9_-]+)/.exec(
      lastMailTo(server.dir, "it@nordic-trek.example"),
    )![1];
    const customer = await browser.newPage();
    await customer.goto(url + link);
    assert.match((await customer.textContent("main")) ?? "", /ticket 88/);
    await customer.getByRole("button", { name: "Approve" }).click();
    await customer.waitForLoadState();
    assert.match((await customer.textContent("main")) ?? "", /Access approved/);
    await customer.close();

    await eve.reload();
    assert.match(
      (await eve.locator("tbody tr").first().textContent()) ?? "",
      /granted.*customer:it@nordic-trek\.example/,
    );
    await eveContext.close();
  });

  it("a temporary copy is registered with its purge deadline and cleared only by a purge confirmed with evidence", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url } = demo;
    await page.goto(`${url}/admin/governance/sessions`);
    // The demo declares no remote sessions: its temporary copies are registered here.
    await page.getByLabel("What it is (its purpose)").fill("Copy of the orders table for the migration");
    await page.getByLabel("Where it is kept").fill("db-tmp-1");
    await page.getByRole("button", { name: "Register" }).click();
    await page.waitForURL(`${url}/admin/governance/sessions`);
    assert.match((await page.locator("table").last().textContent()) ?? "", /Copy of the orders table.*in 1[34] d/);
    const bad = page.locator("form", { has: page.getByRole("button", { name: "Confirm destroyed" }) }).first();
    await bad.getByLabel("Evidence").fill("Dropped the database db-tmp-1, ticket OPS-5");
    await bad.getByRole("button", { name: "Confirm destroyed" }).click();
    await page.waitForURL(`${url}/admin/governance/sessions`);
    assert.match((await page.locator("table").last().textContent()) ?? "", /destroyed.*Dropped the database/);
  });

  it("an incident registered from the form shows its clocks with countdowns and a drafted Art 33(3) notification", async (t) => {
    if (demo.skip) return t.skip(demo.skip);
    const { page, url } = demo;
    await page.goto(`${url}/admin/governance/incidents`);
    const now = new Date(Date.now() - 2 * 3600_000).toISOString().slice(0, 16);
    await page.getByLabel("What happened").fill("Support inbox exposed by a misconfigured share");
    await page.getByLabel("When it happened (UTC)").fill(now);
    await page.getByLabel("When the organization became aware (UTC; starts the clocks)").fill(now);
    await page.getByLabel("confidentiality").check();
    await page.getByLabel("Systems and datasets affected").selectOption(["support.tickets"]);
    await page.getByLabel("Jurisdictions of the people (comma-separated)").fill("EU");
    await page.getByLabel("Risk to people").selectOption("high");
    await page.getByLabel("Reasoning").fill("Support conversations readable by anyone with the link");
    await page.getByRole("button", { name: "Register" }).click();
    await page.waitForURL(/\/admin\/governance\/incidents\/\d+$/);
    const clocks = (await page.locator("table").first().textContent()) ?? "";
    assert.match(clocks, /GDPR Art 33\(1\).*in (2 d 2[12] h|69 h)/s);
    assert.match(clocks, /GDPR Art 34\(1\).*required/s);
    assert.match(
      (await page.locator("pre.draft").first().textContent()) ?? "",
      /\(a\) Nature of the breach[\s\S]*\(b\) Contact point[\s\S]*dpo@fjord-outfitters\.example/,
    );
    // The assessment is updated from the same page; the clocks keep counting from awareness.
    const update = page.locator("form", { has: page.getByRole("heading", { name: "Update the assessment" }) });
    await update.getByLabel("Risk to people").selectOption("risk");
    await update.getByLabel("Measures taken or proposed").fill("The share was closed within the hour");
    await update.getByRole("button", { name: "Save" }).click();
    await page.waitForLoadState();
    assert.match((await page.textContent("main")) ?? "", /A risk to people: Support conversations readable/);
    assert.match((await page.locator("table").first().textContent()) ?? "", /GDPR Art 34\(1\).*not required/s);
    await page.getByRole("link", { name: "printable report" }).click();
    // The demo's own incident is the year's first; this one is the next.
    assert.match((await page.textContent("h1")) ?? "", /Incident report INC-\d{4}-002/);
  });
});
