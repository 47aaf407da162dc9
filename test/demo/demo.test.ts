/**
 * The demo as a user meets it: its stores are as untidy as real ones (emails in
 * mixed case, phones in five formats), and every request behaves as the
 * privacy center promises. Run on both of Pledge's stores.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { strFromU8, unzipSync } from "fflate";
import { sql } from "kysely";
import { createSession, createUser, type Principal } from "../../src/auth/index.js";
import { DEMO_DECLARATION } from "../../src/cli/index.js";
import { loadDeclaration, type LoadedDeclaration } from "../../src/declaration/index.js";
import { runPropagations } from "../../src/consent/index.js";
import { checkLive } from "../../src/discovery/index.js";
import { ensureDemoData, startDemoVendors, type DemoVendors } from "../../src/demo/index.js";
import {
  approveRequest,
  getExport,
  getRequest,
  recordProcessorAnswer,
  requestTasks,
  retryTask,
  RequestInputSchema,
  runDueTasks,
  submitRequest,
  verifyRequest,
} from "../../src/requests/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import type { Store } from "../../src/store/index.js";
import { runUntilSettled, testContext, type TestContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

const ADA = "ada@example.net";
const GRACE = "grace.hopper@example.net";

forEachStore("the demo", (target) => {
  let store: Store;
  let ctx: TestContext;
  let loaded: LoadedDeclaration;
  let officer: Principal;
  let standIns: DemoVendors;
  const dir = mkdtempSync(join(tmpdir(), "pledge-demo-"));
  const shop = () => new BetterSqlite3(join(dir, ".pledge/demo/shop.db"), { readonly: true });

  before(async () => {
    ensureDemoData(join(dir, ".pledge/demo"), { customers: 300, tickets: 120, logLines: 2000 });
    // The stand-in Stripe and SendGrid `pledge serve --demo` starts; an erase job finishes at the next call.
    standIns = await startDemoVendors(join(dir, ".pledge/demo"), { jobMs: 0 });
    loaded = await loadDeclaration(DEMO_DECLARATION);
    store = await target.open();
    ctx = testContext(store, loaded.declaration, {
      env: standIns.env,
      cwd: dir,
      settings: { codeLimitPerAddress: { max: 50, windowMs: 60_000 } },
    });
    officer = {
      user: await createUser(store, {
        email: `officer-${target.name}@fjord.example`,
        name: "Olga",
        role: "officer",
        password: "correct horse battery",
      }),
      via: "session",
    };
  });
  after(async () => {
    await standIns.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const app = () =>
    createApp({
      store,
      declaration: () => loaded,
      logger: createLogger({ level: "silent" }),
      requests: ctx,
      consent: {
        newsletters: {
          store,
          declaration: () => loaded.declaration,
          mailer: ctx.mailer,
          publicUrl: ctx.publicUrl,
          env: ctx.env,
          clock: ctx.clock,
        },
      },
    }).app;

  /**
   * Runs a request to its end as staff would see it through: SendGrid's job is checked again at once ("Check with
   * SendGrid now"), and Trailpoints, which has no API, answers the mail it was sent.
   */
  const settle = async (requestId: string): Promise<string> => {
    for (let round = 0; round < 50; round++) {
      const status = await runUntilSettled(ctx, requestId, 300);
      if (status !== "in_progress") return status;
      for (const t of await requestTasks(ctx, requestId)) {
        if (t.kind !== "processor") continue;
        if (t.status === "asked")
          await recordProcessorAnswer(ctx, requestId, t.id, "Trailpoints answered by mail: done", officer);
        if (t.status === "pending" && (t.result as { jobs?: string[] } | undefined)?.jobs)
          await retryTask(ctx, requestId, t.id, officer);
      }
    }
    return (await getRequest(ctx, requestId)).status;
  };
  const run = async (right: string, identity: string, extra: Record<string, unknown> = {}) => {
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right, identity, ...extra }), {});
    const v = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(identity));
    assert.ok(v.ok);
    return { requestId, token: v.statusToken, status: await settle(requestId) };
  };
  const exportOf = async (requestId: string, token: string) => {
    const e = await getExport(ctx, requestId, token);
    assert.ok(e && !("expired" in e), "an export");
    return unzipSync(e.data);
  };

  it("the stores hold emails in mixed case and phones in other formats, as real stores do", () => {
    const db = shop();
    const rows = db.prepare("SELECT email, phone FROM customers").all() as { email: string; phone: string }[];
    db.close();
    assert.ok(rows.some((r) => r.email === "Grace.Hopper@Example.NET"));
    assert.ok(rows.filter((r) => r.email !== r.email.toLowerCase()).length > 10);
    for (const shape of [
      /^\+46 70 \d{3} \d{2} \d{2}$/,
      /^070-\d{3} \d{2} \d{2}$/,
      /^070\d{7}$/,
      /^\+4670\d{7}$/,
      /^\(070\) \d{3} \d{4}$/,
    ])
      assert.ok(
        rows.some((r) => shape.test(r.phone)),
        String(shape),
      );
  });

  it("passes its own `pledge check --live`: a NOT NULL invoice field the bookkeeping exception keeps is never masked", async () => {
    const findings = await checkLive(loaded.declaration, { cwd: dir, env: ctx.env });
    assert.deepEqual(
      findings.filter((f) => f.severity === "error").map((f) => f.message),
      [],
    );
  });

  it("a request for grace.hopper@example.net finds her rows, stored as Grace.Hopper@Example.NET and in upper case", async () => {
    const { requestId, token, status } = await run("access", GRACE);
    assert.equal(status, "completed");
    const processors = (await requestTasks(ctx, requestId)).filter((t) => t.kind === "processor");
    assert.deepEqual(
      processors.map((t) => [t.target, t.status]).sort(),
      [
        ["newsletter_contacts", "done"],
        ["payments", "done"],
      ],
      "searched at Stripe and SendGrid; Trailpoints, mailed only to erase or correct, is not asked for a copy",
    );
    const zip = await exportOf(requestId, token);
    assert.deepEqual(
      (JSON.parse(strFromU8(zip["shop/customers.json"])) as { email: string }[]).map((c) => c.email),
      ["Grace.Hopper@Example.NET"],
    );
    assert.ok(
      (JSON.parse(strFromU8(zip["support/tickets.json"])) as { email: string }[]).some(
        (t) => t.email === "GRACE.HOPPER@EXAMPLE.NET",
      ),
    );
    assert.ok((JSON.parse(strFromU8(zip["web_logs/access_log.json"])) as unknown[]).length >= 5);
    // What Stripe holds of her is in the export: found under the email as the shop stored it.
    assert.deepEqual(
      (JSON.parse(strFromU8(zip["processors/payments.json"])) as { email: string }[]).map((c) => c.email),
      ["Grace.Hopper@Example.NET"],
    );
    assert.deepEqual(
      (await getRequest(ctx, requestId)).report!.identities.filter((i) => !i.found),
      [],
    );
  });

  it("the export holds every column of the person's rows: order totals and item quantities included", async () => {
    const { requestId, token } = await run("access", ADA);
    const zip = await exportOf(requestId, token);
    const db = shop();
    const columns = (table: string) =>
      (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name).sort();
    for (const table of ["customers", "orders", "order_items", "invoices"]) {
      const rows = JSON.parse(strFromU8(zip[`shop/${table}.json`])) as Record<string, unknown>[];
      assert.ok(rows.length > 0, table);
      for (const r of rows) assert.deepEqual(Object.keys(r).sort(), columns(table), table);
    }
    const orders = JSON.parse(strFromU8(zip["shop/orders.json"])) as { id: number; total_cents: number }[];
    const want = db.prepare("SELECT id, total_cents FROM orders WHERE customer_id = 1 ORDER BY id").all();
    assert.deepEqual(
      orders.map((o) => ({ id: o.id, total_cents: o.total_cents })),
      want,
    );
    const items = JSON.parse(strFromU8(zip["shop/order_items.json"])) as { quantity: number; price_cents: number }[];
    assert.ok(items.every((i) => i.quantity >= 1 && i.price_cents > 0));
    assert.match(strFromU8(zip["shop/orders.csv"]), /^id,customer_id,placed_at,total_cents,shipping_address\r\n/);
    // The summary a person reads names the data as the declaration does, and shows money as money: no table or
    // column name of the shop's stores, as a heading or anywhere as an identifier.
    const summary = strFromU8(zip["summary.html"]).replace(/<style>[\s\S]*?<\/style>/, "");
    const support = new BetterSqlite3(join(dir, ".pledge/demo/support.db"), { readonly: true });
    const names = new Set<string>();
    for (const [conn, tables] of [
      [db, ["customers", "orders", "order_items", "invoices"]],
      [support, ["tickets", "messages"]],
    ] as const)
      for (const table of tables) {
        names.add(table);
        for (const c of conn.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[])
          names.add(c.name);
      }
    support.close();
    const headings = [...summary.matchAll(/<(th|h3)[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2].replace(/<[^>]+>/g, ""));
    // A column named with an everyday word (name, email) may share it with the data's own name; an identifier may not.
    const technical = [...names].filter((n) => /_|\d/.test(n) || ["id", "sku"].includes(n) || !/[a-z]{3}/.test(n));
    const tables = ["customers", "orders", "order_items", "invoices", "tickets", "messages"];
    for (const h of headings)
      for (const part of h.split(/[:(),]/).map((x) => x.trim().toLowerCase()))
        assert.ok(![...technical, ...tables].includes(part), `the summary shows the name ${part}: ${h}`);
    const text = summary.replace(/<[^>]+>/g, " ");
    for (const n of names) if (n.includes("_")) assert.ok(!text.includes(n), `the summary shows ${n}`);
    assert.match(summary, /<th scope="col">Order total<\/th>/);
    assert.match(summary, /SEK\s?[\d,]+\.\d{2}|[\d,]+\.\d{2}\s?SEK/, "amounts in kronor, not öre");
    db.close();
  });

  it("a request by account id with a contact email: no code to the contact address, one to the email the shop holds", async () => {
    const sent = ctx.mailer.sent.length;
    const res = await submitRequest(
      ctx,
      RequestInputSchema.parse({
        right: "access",
        identityType: "account_id",
        identity: "2",
        contactEmail: "mallory@attacker.example",
      }),
      {},
    );
    await runDueTasks(ctx);
    assert.deepEqual(
      ctx.mailer.sent.slice(sent).map((m) => m.to),
      [GRACE],
    );
    assert.equal(ctx.mailer.sent.slice(sent).filter((m) => m.to === "mallory@attacker.example").length, 0);
    // Without Grace's code, the request goes nowhere.
    for (const code of ["000000", "123456", "999999"])
      assert.equal((await verifyRequest(ctx, res.requestId, code)).ok, false);
    assert.equal((await getRequest(ctx, res.requestId)).status, "unverified");
    assert.equal(
      await store.db
        .selectFrom("exports")
        .select("request_id")
        .where("request_id", "=", res.requestId)
        .executeTakeFirst(),
      undefined,
    );
  });

  it("the privacy center answers the same whether or not an identity exists", async () => {
    const a = app();
    const page = async (identity: string) => {
      const res = await a.request("/privacy-center/requests", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `right=access&identityType=account_id&identity=${identity}&contactEmail=someone%40example.org`,
      });
      assert.equal(res.status, 303);
      const loc = res.headers.get("location")!;
      await runDueTasks(ctx);
      const html = await (await a.request(loc)).text();
      return html.replaceAll(/req_[A-Za-z0-9_-]+/g, "req_X");
    };
    const known = await page("3");
    const unknown = await page("987654321");
    assert.equal(known, unknown);
    assert.match(known, /If we hold an email address for this account number, we have sent a 6-digit code to it/);
  });

  it("with no address on file for the identity, no code is sent anywhere: staff verify the person by hand in the console", async () => {
    const sent = ctx.mailer.sent.length;
    const { requestId } = await submitRequest(
      ctx,
      RequestInputSchema.parse({
        right: "access",
        identityType: "account_id",
        identity: "987654",
        contactEmail: "claimant@example.org",
      }),
      {},
    );
    await runDueTasks(ctx);
    assert.equal(ctx.mailer.sent.length, sent, "no mail at all before verification");
    const r = await getRequest(ctx, requestId);
    assert.deepEqual([r.status, r.attention], ["unverified", "manual_verification"]);
    const a = app();
    const s = await createSession(store, officer.user);
    const cookie = `pledge_session=${s.token}`;
    const list = await (await a.request("/admin/requests", { headers: { cookie } })).text();
    assert.match(list.split("<tr>").find((x) => x.includes(requestId))!, /verify the person by hand/);
    const res = await a.request(`/admin/requests/${requestId}/verify`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: `note=${encodeURIComponent("Called the customer on the number on file; ID checked")}&_csrf=${s.csrf}`,
    });
    assert.equal(res.status, 303);
    const after = await getRequest(ctx, requestId);
    assert.equal(after.verification?.method, "staff");
    assert.equal(
      ctx.mailer.sent.at(-1)!.to,
      "claimant@example.org",
      "the receipt goes to the address given, once verified",
    );
    assert.equal(await settle(requestId), "completed");
    assert.equal((await getRequest(ctx, requestId)).report!.outcome, "nothing_found");
  });

  it("a name correction waits for staff review, then corrects the customer and leaves the kept invoices as issued", async () => {
    const { requestId } = await submitRequest(
      ctx,
      RequestInputSchema.parse({ right: "rectification", identity: ADA, corrections: { "user.name": "Ada King" } }),
      {},
    );
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(ADA))).ok);
    await runDueTasks(ctx);
    assert.equal((await getRequest(ctx, requestId)).status, "pending_approval");
    const name = () => {
      const db = shop();
      const r = db.prepare("SELECT name FROM customers WHERE id = 1").get() as { name: string };
      const invoices = db
        .prepare("SELECT billing_name FROM invoices WHERE order_id IN (SELECT id FROM orders WHERE customer_id = 1)")
        .all() as { billing_name: string }[];
      db.close();
      return { name: r.name, invoices: invoices.map((i) => i.billing_name) };
    };
    assert.equal(name().name, "Ada Lovelace", "nothing is applied before the review");
    await approveRequest(ctx, requestId, officer);
    assert.equal(await settle(requestId), "completed");
    assert.deepEqual(name(), { name: "Ada King", invoices: ["Ada Lovelace", "Ada Lovelace", "Ada Lovelace"] });
    const invoices = (await getRequest(ctx, requestId))
      .report!.systems.find((s) => s.system === "shop")!
      .datasets.find((d) => d.dataset === "invoices")!;
    assert.equal(invoices.corrected, 0);
    assert.match(invoices.kept![0].why, /^kept as issued: Swedish bookkeeping law/);
  });

  it("an authorized agent's request produces no export until the person confirms with their own code", async () => {
    const agent = "agent@agency.example";
    const sent = ctx.mailer.sent.length;
    const { requestId } = await submitRequest(
      ctx,
      RequestInputSchema.parse({ right: "access", identity: GRACE, agent: { name: "Agency", email: agent } }),
      {
        authorization: {
          filename: "a.pdf",
          contentType: "application/pdf",
          data: new TextEncoder().encode("%PDF-1.4"),
        },
      },
    );
    await runDueTasks(ctx);
    assert.ok(
      ctx.mailer.sent.slice(sent).every((m) => m.to !== agent),
      "the agent gets no code",
    );
    assert.equal((await verifyRequest(ctx, requestId, "000000")).ok, false);
    assert.deepEqual(await requestTasks(ctx, requestId), [], "nothing runs");
    assert.equal(
      await store.db.selectFrom("exports").select("request_id").where("request_id", "=", requestId).executeTakeFirst(),
      undefined,
    );
    const v = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(GRACE));
    assert.ok(v.ok);
    assert.equal((await getRequest(ctx, requestId)).verification?.subject, "person");
    // The console says who was verified: the person, not the agent.
    const s = await createSession(store, officer.user);
    const detail = await (
      await app().request(`/admin/requests/${requestId}`, { headers: { cookie: `pledge_session=${s.token}` } })
    ).text();
    assert.match(
      detail,
      /verified the person, by a one-time code sent to g\*\*\*@example\.net \(the email address given\); the authorized agent who filed it was not verified by the code/,
    );
    await approveRequest(ctx, requestId, officer);
    assert.equal(await settle(requestId), "completed");
    assert.ok(await exportOf(requestId, v.statusToken));
  });

  it("an erasure that finds nothing says so on the status page, and the console flags it", async () => {
    const { requestId, token, status } = await run("erasure", "nobody@example.net");
    assert.equal(status, "completed");
    const a = app();
    const statusPage = await (await a.request(`/privacy-center/requests/${token}`)).text();
    assert.match(statusPage, /We found no data about you/);
    assert.match(statusPage, /Nothing was found for: email address n\*\*\*@example\.net/);
    const report = statusPage.slice(statusPage.indexOf('id="report"'), statusPage.indexOf("</ul></section>"));
    assert.doesNotMatch(report, /verified/, "nothing found is never called verified");
    assert.doesNotMatch(report, /Told /, "no recipient is told of a person of whom nothing was found");
    // The same page in German: the report and the timeline in the page's words.
    const de = await (
      await a.request(`/privacy-center/requests/${token}`, { headers: { "accept-language": "de-DE,de" } })
    ).text();
    assert.match(de, /<html lang="de"[ >]/);
    assert.match(de, /Was wir getan haben/);
    assert.match(de, /Wir haben keine Daten über Sie gefunden/);
    assert.match(de, /Nichts gefunden für: E-Mail-Adresse n\*\*\*@example\.net/);
    assert.match(de, /Anfrage eingegangen/);
    assert.doesNotMatch(de, /We found no data|Nothing was found|What we did/);
    // The timeline names each step without claiming an outcome: an erasure that found nothing erased nothing.
    assert.match(de, /Ein System wurde durchsucht und die Löschung dort angewandt: was gefunden, gelöscht und/);
    assert.doesNotMatch(de, /Ihre Daten wurden gelöscht/);
    const s = await createSession(store, officer.user);
    const list = await (
      await a.request("/admin/requests", { headers: { cookie: `pledge_session=${s.token}` } })
    ).text();
    const row = list.split("<tr>").find((r) => r.includes(requestId))!;
    assert.match(row, /class="flag">nothing found/);
    const detail = await (
      await a.request(`/admin/requests/${requestId}`, { headers: { cookie: `pledge_session=${s.token}` } })
    ).text();
    assert.match(detail, /nothing found: check the identities and the systems/);
  });

  it("an erasure for Grace reaches the stand-in Stripe, SendGrid's erase job and Trailpoints by mail, and completes only when each has confirmed", async () => {
    const atStripe = () => standIns.vendors.stripeCustomers().filter((c) => c.email.toLowerCase() === GRACE);
    assert.deepEqual(
      atStripe().map((c) => c.email),
      ["Grace.Hopper@Example.NET"],
      "Stripe holds her as the shop stored her",
    );
    assert.equal(standIns.vendors.sendgridContacts(GRACE).length, 1);
    const others = standIns.vendors.stripeCustomers().length - 1;
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "erasure", identity: GRACE }), {});
    const v = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(GRACE));
    assert.ok(v.ok);
    assert.equal(await runUntilSettled(ctx, requestId, 3_000), "in_progress");
    const processors = async () =>
      Object.fromEntries(
        (await requestTasks(ctx, requestId)).filter((t) => t.kind === "processor").map((t) => [t.target, t]),
      );
    let p = await processors();
    assert.deepEqual(Object.keys(p).sort(), ["loyalty_points", "newsletter_contacts", "payments"]);
    assert.equal(p.payments.status, "done");
    assert.deepEqual(atStripe(), [], "deleted at Stripe, in the case Stripe held");
    assert.equal(standIns.vendors.stripeCustomers().length, others, "nobody else");
    assert.equal(p.newsletter_contacts.status, "pending", "SendGrid's erase job runs");
    assert.equal(p.loyalty_points.status, "asked");
    const mail = ctx.mailer.sent.filter((m) => m.to === "privacy@trailpoints.example").at(-1);
    assert.ok(mail, "Trailpoints is mailed");
    assert.match(mail.subject, new RegExp(`Data subject request ${requestId}: please erase by \\d{4}-\\d{2}-\\d{2}`));
    assert.match(mail.text, /^ {2}email: /m);
    assert.doesNotMatch(mail.text, /phone|account_id|555-0100/, "only the identifier Trailpoints received");
    assert.match(mail.text, /10 days under the data processing agreement/);

    // The person's status page names each processor where it stands.
    const a = app();
    const waiting = await (await a.request(`/privacy-center/requests/${v.statusToken}`)).text();
    assert.match(waiting, /deleted at Stripe Payments Europe Ltd on \d{4}-\d{2}-\d{2}/);
    assert.match(waiting, /waiting for Trailpoints AB since \d{4}-\d{2}-\d{2}/);
    assert.match(waiting, /waiting for Twilio Inc\. \(SendGrid\) since/);
    const de = await (
      await a.request(`/privacy-center/requests/${v.statusToken}`, { headers: { "accept-language": "de" } })
    ).text();
    assert.match(de, /Bei den Unternehmen, die Ihre Daten für uns verarbeiten/);
    assert.match(de, /bei Stripe Payments Europe Ltd am \d{4}-\d{2}-\d{2} gelöscht/);
    assert.match(de, /warten seit \d{4}-\d{2}-\d{2} auf Trailpoints AB \(fällig am \d{4}-\d{2}-\d{2}\)/);
    assert.doesNotMatch(de, /waiting for|deleted at/);

    // The console offers to check SendGrid's job now; checking finds her gone there.
    const session = await createSession(store, officer.user);
    const cookie = `pledge_session=${session.token}`;
    const detail = await (await a.request(`/admin/requests/${requestId}`, { headers: { cookie } })).text();
    assert.match(detail, /Waiting for Twilio Inc\. \(SendGrid\)/);
    assert.match(detail, /Check with Twilio Inc\. \(SendGrid\) now/);
    assert.match(detail, /Waiting for Trailpoints AB/);
    const check = await a.request(`/admin/requests/${requestId}/tasks/${p.newsletter_contacts.id}/retry`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: `_csrf=${session.csrf}`,
    });
    assert.equal(check.status, 303);
    assert.equal(await runUntilSettled(ctx, requestId, 1_000), "in_progress", "Trailpoints has not answered");
    p = await processors();
    assert.equal(p.newsletter_contacts.status, "done");
    assert.deepEqual(standIns.vendors.sendgridContacts(GRACE), []);

    // Trailpoints' reply, recorded by staff with the reply attached: the request completes.
    await recordProcessorAnswer(
      ctx,
      requestId,
      p.loyalty_points.id,
      "Points account deleted (their ref TP-88)",
      officer,
      {
        filename: "reply.eml",
        contentType: "message/rfc822",
        data: new TextEncoder().encode("From: privacy@trailpoints.example\n\nDeleted."),
      },
    );
    assert.equal(await runUntilSettled(ctx, requestId, 3_000), "completed");
    const lines = (await getRequest(ctx, requestId)).report!.processors!.map((x) => x.line);
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.ok(
      lines.some((l) => /^deleted at Stripe Payments Europe Ltd on /.test(l)),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => /^asked Twilio Inc\. \(SendGrid\) on [\d-]+, confirmed on /.test(l)),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => /^asked Trailpoints AB on [\d-]+, confirmed on /.test(l)),
      lines.join("\n"),
    );
  });

  /** The visible text of a page, in sentences and phrases of three words or more. */
  const phrases = (html: string) =>
    html
      .replace(/<(script|style|title)[^>]*>[\s\S]*?<\/\1>/g, " ")
      .replace(/<[^>]+>/g, "\n")
      .replace(/&#39;|&rsquo;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&")
      .split(/\n|(?<=[.;:!?])\s+/)
      .map((x) => x.replace(/\s+/g, " ").trim())
      .filter((x) => (x.match(/\p{L}{2,}/gu) ?? []).length >= 3);

  it("in German and French, the privacy center, the status page with its erasure report and the 404 page hold no English sentence, and no page a table or column name", async () => {
    // A customer with invoices kept under bookkeeping law (Ada and Grace are erased by the other tests).
    const db = shop();
    const who = db
      .prepare(
        `SELECT lower(c.email) AS email FROM customers c JOIN orders o ON o.customer_id = c.id
         JOIN invoices i ON i.order_id = o.id WHERE c.id > 2 AND c.email LIKE '%@%' ORDER BY c.id LIMIT 1`,
      )
      .get() as { email: string };
    db.close();
    const { status, token } = await run("erasure", who.email);
    assert.equal(status, "completed");
    const a = app();
    const org = loaded.declaration.organization.name;
    const pages = [
      "/privacy-center",
      "/privacy-center?right=erasure",
      "/privacy-center?right=rectification",
      `/privacy-center/requests/${token}`,
      "/no/such/page",
    ];
    const problems: string[] = [];
    for (const path of pages) {
      const get = async (lang: string) =>
        await (await a.request(path, { headers: { "accept-language": lang, accept: "text/html" } })).text();
      const en = phrases(await get("en"));
      // No table or column name reaches a person, in any language: they read the declaration's names.
      for (const lang of ["en", "de", "fr"])
        for (const p of lang === "en" ? en : phrases(await get(lang)))
          for (const id of p.match(/\b[a-z]+_[a-z_]+\b/g) ?? []) problems.push(`${lang} ${path}: "${id}" in "${p}"`);
      const english = new Set(en.filter((p) => !p.includes(org)));
      for (const lang of ["de", "fr"])
        for (const p of phrases(await get(lang))) {
          if (english.has(p)) problems.push(`${lang} ${path}: "${p}"`);
          // English inside a translated sentence: the words no German or French sentence uses.
          else if (/\b(the|and|your|you|with|because|until|were|which|that|this|from)\b/i.test(p.replace(org, "")))
            problems.push(`${lang} ${path}: English words in "${p}"`);
        }
    }
    assert.deepEqual(problems, []);
  });

  it("unsubscribing from the newsletter suppresses the address at the SendGrid stand-in, and the console shows its answer", async () => {
    const a = app();
    const who = `trail.walker.${target.name}@example.org`;
    const post = (path: string, body: Record<string, string>) =>
      a.request(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body).toString(),
      });
    assert.equal((await post("/newsletter/trail_notes", { email: who })).status, 303);
    const mail = ctx.mailer.sent.filter((m) => m.to === who).at(-1)!.text;
    const confirm = /\/newsletter\/confirm\/([\w-]+)/.exec(mail)![1];
    const manage = /\/newsletter\/unsubscribe\/([\w-]+)/.exec(mail)![1];
    assert.equal((await post(`/newsletter/confirm/${confirm}`, {})).status, 200);
    assert.equal((await post(`/newsletter/unsubscribe/${manage}`, { "List-Unsubscribe": "One-Click" })).status, 200);
    assert.ok(!standIns.vendors.suppressed().includes(who), "not before the worker runs");
    await runPropagations({
      store,
      declaration: () => loaded.declaration,
      env: standIns.env,
      cwd: dir,
      clock: () => new Date(),
    });
    assert.ok(standIns.vendors.suppressed().includes(who), "suppressed at SendGrid");
    const s = await createSession(store, officer.user);
    const page = await (await a.request("/admin/consent", { headers: { cookie: `pledge_session=${s.token}` } })).text();
    const section = page.slice(page.indexOf('id="propagations"'));
    const row = section.split("<tr>").find((r) => r.includes("unsubscribed from trail_notes"));
    assert.ok(row, "the console lists the unsubscribe passed on");
    assert.match(row, /Twilio Inc\. \(SendGrid\)/);
    assert.match(row, /confirmed/);
    assert.match(row, /unsubscribe: answered 201/);
    assert.ok(!section.includes(who), "the console's list of what was passed on never shows the address");
  });

  it("after an access and an erasure complete, no table in Pledge's store holds the person's row values, and the ad partner is told only the identifier it received", async () => {
    const db = shop();
    const customer = db.prepare("SELECT * FROM customers WHERE id = 1").get() as Record<string, unknown>;
    db.close();
    const support = new BetterSqlite3(join(dir, ".pledge/demo/support.db"), { readonly: true });
    const tickets = support.prepare("SELECT subject FROM tickets WHERE lower(email) = ?").all(ADA) as {
      subject: string;
    }[];
    const messages = support
      .prepare("SELECT body FROM messages WHERE ticket_id IN (SELECT id FROM tickets WHERE lower(email) = ?)")
      .all(ADA) as { body: string }[];
    support.close();
    const values = [
      customer.email,
      customer.name,
      customer.phone,
      customer.address,
      customer.birthday,
      "Lovelace",
      "St James",
      ...tickets.map((t) => t.subject),
      ...messages.map((m) => m.body).filter((b) => b.includes("Ada")),
    ].map((v) => String(v));
    assert.ok(values.length >= 8);
    const { status, token } = await run("erasure", ADA);
    assert.equal(status, "completed");
    const fr = await (
      await app().request(`/privacy-center/requests/${token}?lang=fr`, { headers: { "accept-language": "de" } })
    ).text();
    assert.match(fr, /Ce que nous avons fait/);
    assert.match(fr, /effacé dans la mesure où la loi le permet — vérifié/);
    assert.match(fr, /Identité confirmée/);
    assert.doesNotMatch(fr, /erased where the law allows|What we did/);
    // Meta, the ad partner, received only a device id and clicks: its Art 19 notice names the device id and nothing
    // else of hers.
    const meta = ctx.mailer.sent.filter((m) => m.to === "privacy-requests@meta.example").at(-1);
    assert.ok(meta, "the recipient with a notify address is told");
    assert.match(meta.text, /^ {2}device_id: v-/m);
    for (const type of ["email", "phone", "account_id", "ip_address"])
      assert.doesNotMatch(meta.text, new RegExp(`^ {2}${type}:`, "m"), `Meta is told the ${type}`);
    for (const value of [ADA, String(customer.phone), "Lovelace"])
      assert.ok(!meta.text.toLowerCase().includes(value.toLowerCase()), `Meta is told ${value}`);
    // Every text and binary value of every table of the store, searched for every value of the person's rows.
    const tables =
      target.name === "sqlite"
        ? (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(store.db)).rows.map(
            (r) => r.name,
          )
        : (
            await sql<{
              name: string;
            }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`.execute(store.db)
          ).rows.map((r) => r.name);
    assert.ok(tables.includes("requests") && tables.includes("request_tasks") && tables.includes("audit_log"));
    let cells = 0;
    for (const table of tables) {
      for (const row of (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(store.db))
        .rows) {
        for (const [col, v] of Object.entries(row)) {
          if (v === null || v === undefined) continue;
          cells++;
          const text = (
            v instanceof Uint8Array
              ? Buffer.from(v).toString("latin1")
              : typeof v === "object"
                ? JSON.stringify(v)
                : String(v)
          ).toLowerCase();
          for (const value of values)
            assert.ok(!text.includes(value.toLowerCase()), `${table}.${col} holds '${value}'`);
        }
      }
    }
    assert.ok(cells > 100, `${cells} cells searched`);
  });
});
