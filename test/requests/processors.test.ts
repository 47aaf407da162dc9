/**
 * A request reaches the organization's processors: a Stripe-contract vendor (synchronous), a SendGrid-contract
 * vendor whose erase job finishes later, and a vendor with no API, asked by mail. The request stays open until each
 * has confirmed or staff closed it; the report names each; the person's records are gone from the stand-ins; every
 * call fits the vendor's published document.
 */
import assert from "node:assert/strict";
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { createSession, createUser, type Principal } from "../../src/auth/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { startFakeVendors, type FakeVendors } from "../../src/demo/vendors.js";
import {
  approveRequest,
  closeProcessorTask,
  processorLine,
  type ProcessorResult,
  getRequest,
  listDocuments,
  recordProcessorAnswer,
  RequestInputSchema,
  requestTasks,
  requestTimeline,
  retryTask,
  runDueTasks,
  submitRequest,
  sweepRequests,
  verifyRequest,
  type RequestReport,
} from "../../src/requests/index.js";
import type { Store } from "../../src/store/index.js";
import { minimalYaml } from "../helpers/declarations.js";
import { contractViolation, VENDOR_APIS } from "../helpers/openapi.js";
import { loadedAs, runUntilSettled, testContext, type TestContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

const SENDGRID_DOCS = [
  "sendgrid/tsg_mc_contacts_v3.yaml",
  "sendgrid/tsg_recipients_data_erasure_v3.yaml",
  "sendgrid/tsg_suppressions_v3.yaml",
];

function declaration(stripeUrl: string, sendgridUrl: string): Declaration {
  return parseDeclaration(
    minimalYaml(`recipients:
  stripe: { name: Stripe, role: processor, country: US, dataCategories: [user.contact.email, user.name], dpa: true }
  sendgrid: { name: SendGrid, role: processor, country: US, dataCategories: [user.contact.email] }
  eventbrite:
    name: Eventbrite
    role: processor
    country: US
    dataCategories: [user.contact.email]
    privacyContact: privacy@eventbrite.example
    assistWithin: 10 days
systems:
  shop:
    name: Shop
    connector: { engine: sqlite, path: shop.db }
    datasets:
      customers:
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          phone: { category: user.contact.phone_number, identity: phone }
  billing:
    name: Billing at Stripe
    connector: { engine: http, spec: stripe, recipient: stripe, baseUrl: "${stripeUrl}" }
  mailing:
    name: Mailing at SendGrid
    connector: { engine: http, spec: sendgrid, recipient: sendgrid, baseUrl: "${sendgridUrl}" }
  events:
    name: Event tickets at Eventbrite
    connector: { engine: mail, recipient: eventbrite }
`),
  ).declaration;
}

forEachStore("an erasure at three processors", (target) => {
  let store: Store;
  let dir: string;
  let vendors: FakeVendors;
  let decl: Declaration;
  let ctx: TestContext;
  let officer: Principal;
  const violations: string[] = [];

  before(async () => {
    store = await target.open();
    dir = mkdtempSync(join(tmpdir(), "pledge-proc-"));
    const db = new BetterSqlite3(join(dir, "shop.db"));
    db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, phone TEXT);
      INSERT INTO customers VALUES (1, 'Ada@Example.net', '+44 20 7946 0001'), (2, 'grace@example.net', NULL);`);
    db.close();
    vendors = await startFakeVendors({
      apiKey: "sk_test_proc",
      onCall: (call) => {
        if (!VENDOR_APIS) return;
        const headers = call.headers as Record<string, unknown>;
        const v =
          call.vendor === "stripe"
            ? contractViolation("stripe/spec3.yaml", { ...call, headers })
            : SENDGRID_DOCS.map((f) => contractViolation(f, { ...call, headers })).find(
                (x) => !x?.includes("no such operation"),
              );
        if (v) {
          violations.push(v);
          throw new Error(v);
        }
      },
    });
    decl = declaration(vendors.stripeUrl, vendors.sendgridUrl);
    ctx = testContext(store, decl, {
      cwd: dir,
      env: { STRIPE_SECRET_KEY: "sk_test_proc", SENDGRID_API_KEY: "sk_test_proc" },
    });
    const o = await createUser(store, {
      email: `officer-proc-${target.name}@acme.example`,
      name: "Olga",
      role: "officer",
      password: "correct horse battery",
    });
    officer = { user: o, via: "session" };
  });
  after(async () => {
    await vendors.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stays open until each processor confirms or staff close it, and the report names each", async () => {
    vendors.addStripeCustomer({ email: "ada@example.net", name: "Ada Lovelace" });
    vendors.addStripeCustomer({ email: "grace@example.net", name: "Grace" });
    vendors.addSendgridContact({ email: "ada@example.net", first_name: "Ada" });
    vendors.addSendgridContact({ email: "grace@example.net" });
    const who = "ada@example.net";
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "erasure", identity: who }), {});
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(who))).ok);
    const status = await runUntilSettled(ctx, requestId, 5_000);
    assert.equal(status, "in_progress", "open while SendGrid's job runs and Eventbrite has not answered");

    // Stripe: deleted at once, and a new search finds nothing.
    assert.equal(vendors.stripeCustomers("ada@example.net").length, 0);
    assert.equal(vendors.stripeCustomers("grace@example.net").length, 1, "nobody else's");
    // SendGrid: an erase job, still running.
    assert.equal(vendors.pendingJobs(), 1);
    assert.equal(vendors.sendgridContacts("ada@example.net").length, 1);
    // Eventbrite: a mail to its privacy contact, with the reference, the identifier it received and the deadline.
    const mail = ctx.mailer.sent.find((m) => m.to === "privacy@eventbrite.example");
    assert.ok(mail, "Eventbrite was mailed");
    assert.match(mail.text, new RegExp(requestId));
    assert.match(mail.text, /email: ada@example\.net/);
    assert.doesNotMatch(mail.text, /7946/, "not the phone: Eventbrite never received it");
    assert.match(mail.text, /10 days under the data processing agreement/);

    const tasks = async () => (await requestTasks(ctx, requestId)).filter((t) => t.kind === "processor");
    const byTarget = async (s: string) => (await tasks()).find((t) => t.target === s)!;
    assert.equal((await byTarget("billing")).status, "done");
    assert.equal((await byTarget("mailing")).status, "pending");
    assert.equal((await byTarget("events")).status, "asked");

    // The job finishes at SendGrid; Pledge checks again at the next hour (which may be the next day).
    const asked = ctx.clock().toISOString().slice(0, 10);
    vendors.finishJobs();
    ctx.advance(2 * 3_600_000);
    await runDueTasks(ctx);
    assert.equal((await byTarget("mailing")).status, "done");
    assert.equal(vendors.sendgridContacts("ada@example.net").length, 0);
    assert.equal(vendors.sendgridContacts("grace@example.net").length, 1);
    assert.equal((await getRequest(ctx, requestId)).status, "in_progress", "still waiting for Eventbrite");

    // Staff record Eventbrite's reply, with the reply itself as evidence: the request completes.
    const events = await byTarget("events");
    await recordProcessorAnswer(ctx, requestId, events.id, "Eventbrite confirmed the deletion (ticket 4411)", officer, {
      filename: "reply.eml",
      contentType: "message/rfc822",
      data: new TextEncoder().encode("From: privacy@eventbrite.example\n\nDone."),
    });
    const r = await getRequest(ctx, requestId);
    assert.equal(r.status, "completed");
    const report = r.report as RequestReport;
    const lines = (report.processors ?? []).map((p) => `${p.vendor}: ${p.line}`);
    const confirmed = ctx.clock().toISOString().slice(0, 10);
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.ok(
      lines.some((l) => /^Stripe: deleted at Stripe on \d{4}-\d{2}-\d{2}$/.test(l)),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => /^SendGrid: asked SendGrid on [\d-]+, confirmed on [\d-]+$/.test(l)),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => l === `Eventbrite: asked Eventbrite on ${asked}, confirmed on ${confirmed}`),
      lines.join("\n"),
    );
    assert.ok(report.processors?.every((p) => p.state === "confirmed"));
    // Rows in the organization's own database are gone too.
    const db = new BetterSqlite3(join(dir, "shop.db"));
    assert.deepEqual(db.prepare("SELECT id FROM customers ORDER BY id").all(), [{ id: 2 }]);
    db.close();
    assert.deepEqual(violations, [], "every call fit the vendor's published document");
    // No response body in the store: the fakes' customer names never reached a task or the timeline.
    const stored =
      JSON.stringify(await requestTasks(ctx, requestId)) + JSON.stringify(await requestTimeline(ctx, requestId));
    assert.doesNotMatch(stored, /Ada Lovelace|cus_/);
  });

  /** An erasure for someone at Stripe and SendGrid, run until only Eventbrite's answer is missing. */
  const erasedButEventbrite = async (who: string) => {
    vendors.addStripeCustomer({ email: who });
    vendors.addSendgridContact({ email: who });
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "erasure", identity: who }), {});
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(who))).ok);
    await runUntilSettled(ctx, requestId, 5_000);
    vendors.finishJobs();
    ctx.advance(2 * 3_600_000);
    await runDueTasks(ctx);
    return requestId;
  };

  it("the console takes a vendor's answer with its reply as evidence, over HTTP, and the request completes", async () => {
    const requestId = await erasedButEventbrite("max@example.net");
    const app = createApp({
      store,
      declaration: () => loadedAs(decl),
      logger: createLogger({ level: "silent" }),
      requests: ctx,
    }).app;
    const s = await createSession(store, officer.user);
    const cookie = `pledge_session=${s.token}`;
    const page = await (await app.request(`/admin/requests/${requestId}`, { headers: { cookie } })).text();
    assert.match(page, /Waiting for Eventbrite/);
    const events = (await requestTasks(ctx, requestId)).find((t) => t.target === "events")!;
    const body = new FormData();
    body.set("_csrf", s.csrf);
    body.set("note", "Deleted on their side, ticket 77");
    body.set("file", new File(["From: privacy@eventbrite.example\n\nDone."], "reply.eml", { type: "message/rfc822" }));
    const res = await app.request(`/admin/requests/${requestId}/tasks/${events.id}/answer`, {
      method: "POST",
      headers: { cookie },
      body,
    });
    assert.equal(res.status, 303, await res.clone().text());
    const r = await getRequest(ctx, requestId);
    assert.equal(r.status, "completed");
    const docs = await listDocuments(ctx, requestId);
    assert.ok(
      docs.some((d) => d.kind === "evidence" && d.filename === "reply.eml"),
      JSON.stringify(docs),
    );
    // A second answer to a settled task is refused.
    const again = await app.request(`/admin/requests/${requestId}/tasks/${events.id}/close`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: s.csrf, reason: "changed my mind" }).toString(),
    });
    assert.equal(again.status, 409);
  });

  it("a processor closed by staff completes the request, and the report says why", async () => {
    const requestId = await erasedButEventbrite("lin@example.net");
    const events = (await requestTasks(ctx, requestId)).find((t) => t.target === "events")!;
    await closeProcessorTask(ctx, requestId, events.id, "Lin never bought a ticket: Eventbrite holds nothing", officer);
    const r = await getRequest(ctx, requestId);
    assert.equal(r.status, "completed");
    const closed = (r.report as RequestReport).processors?.find((p) => p.system === "events");
    assert.equal(closed?.state, "closed");
    assert.match(closed?.line ?? "", /closed by staff at Eventbrite: Lin never bought a ticket/);
  });

  it("a vendor's API is asked again when a system reached late adds identities; a vendor asked by mail is not mailed twice", async () => {
    const who = "zoe@example.net";
    const shopDb = join(dir, "shop.db");
    const db = new BetterSqlite3(shopDb);
    db.prepare("INSERT INTO customers VALUES (3, 'Zoe@Example.net', '+44 20 7946 0003')").run();
    db.close();
    vendors.addStripeCustomer({ email: who });
    // The shop cannot be read at first: the processors are asked with the email alone.
    renameSync(shopDb, `${shopDb}.away`);
    let requestId = "";
    try {
      ({ requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "erasure", identity: who }), {}));
      assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(who))).ok);
      await runUntilSettled(ctx, requestId, 3_000);
    } finally {
      renameSync(`${shopDb}.away`, shopDb);
    }
    const tasks = async () => requestTasks(ctx, requestId);
    const billing = async () => (await tasks()).find((t) => t.target === "billing")!;
    assert.equal((await billing()).status, "done", "Stripe was searched and the customer deleted");
    const searches = () => vendors.calls.filter((c) => c.vendor === "stripe" && c.method === "GET").length;
    const before = searches();
    const mails = () =>
      ctx.mailer.sent.filter((m) => m.to === "privacy@eventbrite.example" && m.text.includes(requestId));
    assert.equal(mails().length, 1);
    // The shop is back: its search finds her phone, and Stripe is searched again with what the request now knows.
    const collect = (await tasks()).find((t) => t.kind === "collect" && t.target === "shop")!;
    assert.equal(collect.status, "failed");
    await retryTask(ctx, requestId, collect.id, officer);
    await runUntilSettled(ctx, requestId, 3_000);
    assert.ok(searches() > before, "Stripe searched again");
    assert.equal((await billing()).status, "done");
    assert.equal(mails().length, 1, "Eventbrite is not mailed twice");
  });

  it("a correction reaches each processor only for the data it received: Stripe its name, never the phone", async () => {
    const who = "rita@example.net";
    const db = new BetterSqlite3(join(dir, "shop.db"));
    db.prepare("INSERT INTO customers VALUES (4, 'rita@example.net', NULL)").run();
    db.close();
    const cid = vendors.addStripeCustomer({ email: who, name: "Rita" });
    const { requestId } = await submitRequest(
      ctx,
      RequestInputSchema.parse({
        right: "rectification",
        identity: who,
        corrections: { "user.name": "Rita Rect", "user.contact.phone_number": "+44 20 7946 0999" },
      }),
      {},
    );
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(who))).ok);
    await runDueTasks(ctx);
    if ((await getRequest(ctx, requestId)).status === "pending_approval") await approveRequest(ctx, requestId, officer);
    assert.equal(await runUntilSettled(ctx, requestId, 5_000), "completed");
    const update = vendors.calls.find((c) => c.vendor === "stripe" && c.method === "POST" && c.path.endsWith(cid));
    assert.ok(update, "Stripe was asked to correct");
    assert.deepEqual(Object.fromEntries(new URLSearchParams(update.body)), { name: "Rita Rect" });
    const byTarget = Object.fromEntries((await requestTasks(ctx, requestId)).map((t) => [t.target, t]));
    assert.equal(
      processorLine(byTarget.events.result as ProcessorResult, byTarget.events.status),
      "not asked: Eventbrite received none of the data corrected",
    );
    assert.ok(
      !ctx.mailer.sent.some((m) => m.to === "privacy@eventbrite.example" && m.text.includes(requestId)),
      "Eventbrite, which received only the email, is not sent the new name or phone",
    );
  });

  it("a mail-only processor that has not answered is reminded once, three days before its answer is due", async () => {
    const who = "rem@example.net";
    vendors.addStripeCustomer({ email: who });
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "erasure", identity: who }), {});
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(who))).ok);
    await runUntilSettled(ctx, requestId, 3_000);
    const toEventbrite = () =>
      ctx.mailer.sent.filter((m) => m.to === "privacy@eventbrite.example" && m.text.includes(requestId));
    assert.equal(toEventbrite().length, 1, "asked once");
    const { due } = (await requestTasks(ctx, requestId)).find((t) => t.target === "events")!.result as {
      due: string;
    };
    // Six days on (ten were agreed): not yet.
    ctx.advance(6 * 86_400_000);
    await sweepRequests(ctx);
    assert.equal(toEventbrite().length, 1);
    // Three days before it is due: reminded, with the reference and the date, and never the person's email again.
    ctx.advance(86_400_000 + 60_000);
    assert.equal((await sweepRequests(ctx)).reminded >= 1, true);
    const [, reminder] = toEventbrite();
    assert.ok(reminder, "reminded");
    assert.match(
      reminder.subject,
      new RegExp(`^Reminder: data subject request ${requestId}: your answer is due ${due.slice(0, 10)}$`),
    );
    assert.match(reminder.text, /10 days under the data processing agreement/);
    assert.ok(!reminder.text.includes(who), "the reminder does not repeat the identifiers");
    // Once only.
    await sweepRequests(ctx);
    ctx.advance(86_400_000);
    await sweepRequests(ctx);
    assert.equal(toEventbrite().length, 2);
    assert.ok((await requestTimeline(ctx, requestId)).some((e) => e.kind === "processor_reminded"));
  });
});

describe("the processors' deadline", () => {
  it("is the agreement's, else the declared default, else a week before the request's own", async () => {
    const { processorDue } = await import("../../src/requests/index.js");
    const decl = declaration("http://127.0.0.1:1/stripe", "http://127.0.0.1:1/sendgrid");
    const asked = new Date("2026-12-01T00:00:00Z");
    const due = new Date("2026-12-31T00:00:00Z");
    assert.equal(processorDue(decl, "events", asked, due).due.toISOString().slice(0, 10), "2026-12-11");
    assert.equal(processorDue(decl, "billing", asked, due).due.toISOString().slice(0, 10), "2026-12-24");
    assert.match(processorDue(decl, "billing", asked, due).basis, /Art 28\(3\)\(e\)/);
  });
});

describe("what a processor is given", () => {
  const decl = parseDeclaration(
    minimalYaml(`recipients:
  mailer: { name: Mailer, role: processor, country: US, dataCategories: [user.contact.email] }
  stats: { name: Stats, role: processor, country: US, dataCategories: [user.behavior.browsing_history] }
  silent: { name: Silent, role: processor, country: US }
systems:
  mailing: { name: Mailing, connector: { engine: mail, recipient: mailer } }
  analytics: { name: Analytics, connector: { engine: mail, recipient: stats } }
  other: { name: Other, connector: { engine: mail, recipient: silent } }
`),
  ).declaration;
  const person = { email: ["ada@example.net"], phone: ["+442079460001"], account_id: ["7"] };
  it("only the identifiers the declaration says it received; none when it says of none", async () => {
    const { identitiesFor } = await import("../../src/requests/index.js");
    assert.deepEqual(identitiesFor(decl, "mailing", person), { email: ["ada@example.net"] });
    assert.deepEqual(identitiesFor(decl, "analytics", person), {}, "browsing history holds no identifier");
    assert.deepEqual(identitiesFor(decl, "other", person), {}, "a declaration silent on it gives it nothing");
  });
  it("a processor that received none of them is 'not asked', never 'nothing held'", async () => {
    const { processorLine, processorStanding } = await import("../../src/requests/index.js");
    const r = {
      vendor: "Stats",
      via: "mail" as const,
      operation: "erase",
      identityTypes: [],
      confirmedAt: "2026-12-05T10:00:00Z",
      notAsked: "identifiers" as const,
    };
    assert.equal(processorStanding(r, "done").kind, "not_received");
    assert.equal(processorLine(r, "done"), "not asked: Stats received none of the person's identifiers");
  });
});
