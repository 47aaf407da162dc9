/**
 * The request workbench over the console's forms, on both stores: a request entered by hand, assigned (and mailed),
 * found under "mine"; actions on many after a review; and approvals that show what they will do, change nothing until
 * confirmed, and redirect so that a reload repeats nothing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { createSession, createUser } from "../../src/auth/index.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { getRequest, remindAssignees } from "../../src/requests/index.js";
import type { Store } from "../../src/store/index.js";
import { runUntilSettled, testApp, testContext, type TestContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

const DAY = 86_400_000;

function makeShop(dir: string): void {
  const db = new BetterSqlite3(join(dir, "shop.db"));
  db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, phone TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total INTEGER);
    INSERT INTO customers VALUES (1, 'Ann@Example.org', 'Ann Berg', '+49 30 901820'),
      (2, 'bob@example.org', 'Bob', '+49 30 901821');
    INSERT INTO orders VALUES (10, 1, 100), (11, 1, 200), (20, 2, 300);`);
  db.close();
}

const yaml = `
version: "1"
effectiveDate: 2026-01-01
organization:
  name: Workbench Shop GmbH
  roles: [controller]
  country: DE
  jurisdictions: [EU]
  contact: { email: privacy@shop.example }
purposes:
  orders: { name: Orders, legalBasis: contract, dataCategories: [user.contact.email, user.name, user.financial.billing_history], dataSubjects: [customer], retention: r }
retention:
  r: { period: 1 year, from: collection, action: delete }
rights:
  offered: [access, rectification, erasure, objection, complaint]
  channels: [{ type: web, address: /privacy-center }]
  identities: [email, account_id]
  manualApproval: true
systems:
  shop:
    name: Web shop
    connector: { engine: sqlite, path: shop.db }
    datasets:
      customers:
        subject: customer
        fields:
          id: { primaryKey: true, identity: account_id }
          email: { category: user.contact.email, identity: email, contact: email }
          name: { category: user.name }
          phone: { category: user.contact.phone_number }
      orders:
        fields:
          id: { primaryKey: true }
          customer_id: { references: customers.id }
          total: { category: user.financial.billing_history }
`;

forEachStore("the request workbench", (target) => {
  let store: Store;
  let dir: string;
  let decl: Declaration;
  let ctx: TestContext;
  let olga: { cookie: string; csrf: string; email: string };
  let paul: { cookie: string; csrf: string; email: string };
  const app = () => testApp(store, decl, ctx);
  const session = async (email: string, name: string) => {
    const u = await createUser(store, { email, name, role: "owner", password: "correct horse battery" });
    const s = await createSession(store, u);
    return { cookie: `pledge_session=${s.token}`, csrf: s.csrf, email };
  };
  const post = (who: typeof olga, path: string, fields: Record<string, string | string[]>) => {
    const p = new URLSearchParams({ _csrf: who.csrf });
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
    return app().request(path, {
      method: "POST",
      headers: {
        cookie: who.cookie,
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "same-origin",
      },
      body: p.toString(),
    });
  };
  const get = async (who: typeof olga, path: string) => {
    const res = await app().request(path, { headers: { cookie: who.cookie, accept: "text/html" } });
    return { status: res.status, text: await res.text(), location: res.headers.get("location") };
  };
  const shop = () => new BetterSqlite3(join(dir, "shop.db"), { readonly: true });
  const rows = (sql: string) => {
    const db = shop();
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  };

  before(async () => {
    store = await target.open();
    dir = mkdtempSync(join(tmpdir(), "pledge-workbench-"));
    makeShop(dir);
    decl = parseDeclaration(yaml, "pledge.yaml").declaration;
    ctx = testContext(store, decl, { cwd: dir });
    olga = await session(`olga-${target.name}@shop.example`, "Olga Officer");
    paul = await session(`paul-${target.name}@shop.example`, "Paul Privacy");
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let entered = "";
  it("a request that came by letter is entered by hand: its channel, the day it arrived and the verification done", async () => {
    const arrived = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
    const res = await post(olga, "/admin/requests/new", {
      right: "rectification",
      channel: "letter",
      receivedAt: arrived,
      identityType: "email",
      identity: "ann@example.org",
      name: "Ann Berg",
      correctCategory: "user.name",
      correctValue: "Ann Lind",
      verified: "Signed letter; signature matches the order form",
    });
    assert.equal(res.status, 303, await res.clone().text());
    entered = /\/admin\/requests\/(req_[\w-]+)\?done=entered/.exec(res.headers.get("location") ?? "")![1];
    const r = await getRequest(ctx, entered);
    assert.equal(r.channel, "letter");
    assert.match(r.reference, /^R-\d{4}-\d{4}$/);
    assert.equal(r.receivedAt.slice(0, 10), arrived, "the deadline runs from the day it arrived");
    assert.equal(r.verification?.method, "staff");
    assert.equal(r.status, "pending_approval");
    assert.equal(ctx.mailer.sent.filter((m) => /verification code/.test(m.text)).length, 0, "no code was mailed");
    const page = await get(olga, `/admin/requests/${entered}`);
    assert.match(page.text, new RegExp(`${r.reference}: Rectification`));
    assert.match(page.text, /letter/);
    // A future arrival date is refused with the reason, and the form keeps what was typed.
    const future = await post(olga, "/admin/requests/new", {
      right: "access",
      channel: "phone",
      receivedAt: new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10),
      identityType: "email",
      identity: "bob@example.org",
      verified: "called back on the number on file",
    });
    assert.equal(future.status, 400);
    const text = await future.text();
    assert.match(text, /cannot arrive in the future/);
    assert.match(text, /value="bob@example.org"/);
  });

  it("assigned in bulk after a review, the assignee is mailed and finds it under mine; nobody else does", async () => {
    const review = await post(olga, "/admin/requests/bulk", { ids: [entered], action: "assign", assignee: paul.email });
    assert.equal(review.status, 200, "the first post only shows what will happen");
    assert.match(await review.text(), /Give 1 request to Paul Privacy/);
    assert.equal((await getRequest(ctx, entered)).assignee, undefined, "nothing changed yet");
    const done = await post(olga, "/admin/requests/bulk", {
      ids: [entered],
      action: "assign",
      assignee: paul.email,
      confirm: "yes",
    });
    assert.equal(done.status, 303);
    assert.match(done.headers.get("location") ?? "", /bulk=assign&changed=1/);
    assert.equal((await getRequest(ctx, entered)).assignee, paul.email);
    const { reference } = await getRequest(ctx, entered);
    const mail = ctx.mailer.sent.find((m) => m.to === paul.email);
    assert.ok(mail, "the assignee was mailed");
    assert.match(mail.subject, new RegExp(`${reference} is yours`));
    assert.ok(!mail.text.includes("ann@example.org"), "the mail names the request, not the person");
    assert.match((await get(paul, "/admin/requests?assigned=mine")).text, new RegExp(reference));
    assert.doesNotMatch((await get(olga, "/admin/requests?assigned=mine")).text, new RegExp(reference));
    assert.doesNotMatch((await get(olga, "/admin/requests?assigned=none")).text, new RegExp(reference));
    // Found by its reference, as staff say it on the phone (without the leading zeros too).
    const n = Number(reference.slice(7));
    assert.match((await get(olga, `/admin/requests?q=${reference.slice(0, 7)}${n}`)).text, new RegExp(reference));
    // Three days before the deadline the assignee is reminded, once.
    ctx.advance(28 * DAY);
    try {
      assert.equal(await remindAssignees(ctx), 1);
      assert.equal(await remindAssignees(ctx), 0, "one reminder per deadline");
      assert.ok(
        ctx.mailer.sent.some((m) => m.to === paul.email && new RegExp(`${reference} is (due|overdue)`).test(m.subject)),
      );
    } finally {
      ctx.advance(-28 * DAY);
    }
  });

  it("approving a correction shows each value before and after; nothing changes until confirmed, and a reload repeats nothing", async () => {
    const preview = await get(olga, `/admin/requests/${entered}/approve`);
    assert.equal(preview.status, 200);
    assert.match(preview.text, /<del>Ann Berg<\/del>/);
    assert.match(preview.text, /<ins>Ann Lind<\/ins>/);
    assert.match(preview.text, /Approve: correct 1 value/);
    // A form that skips the preview is sent to it.
    const skipped = await post(olga, `/admin/requests/${entered}/approve`, {});
    assert.equal(skipped.status, 303);
    assert.equal(skipped.headers.get("location"), `/admin/requests/${entered}/approve`);
    assert.equal((await getRequest(ctx, entered)).status, "pending_approval");
    assert.deepEqual(rows("SELECT name FROM customers WHERE id = 1"), [{ name: "Ann Berg" }]);
    const ok = await post(olga, `/admin/requests/${entered}/approve`, { confirm: "yes" });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), `/admin/requests/${entered}?done=approve`);
    assert.equal(await runUntilSettled(ctx, entered), "completed");
    assert.deepEqual(rows("SELECT name FROM customers WHERE id = 1"), [{ name: "Ann Lind" }]);
    // The page after the redirect is a GET; sending the approval again is refused, not repeated.
    assert.equal((await post(olga, `/admin/requests/${entered}/approve`, { confirm: "yes" })).status, 409);
    assert.equal((await get(olga, `/admin/requests/${entered}/approve`)).status, 303, "no preview of a closed request");
  });

  it("the search finds a request from the start of an email, by a phone as people write it, or by its id, and nothing else", async () => {
    const phone = await post(olga, "/admin/requests/new", {
      right: "access",
      channel: "phone",
      identityType: "email",
      identity: "carla.berg@example.org",
      contactEmail: "carla.berg@example.org",
      verified: "called back on the number on file",
    });
    const id = /(req_[\w-]+)/.exec(phone.headers.get("location") ?? "")![1];
    const list = async (q: string) => (await get(olga, `/admin/requests?q=${encodeURIComponent(q)}`)).text;
    assert.match(await list("carla.b"), new RegExp(id));
    assert.match(await list("CARLA.BERG@EXAMPLE.ORG"), new RegExp(id), "in any case");
    assert.match(await list(id), new RegExp(id));
    assert.doesNotMatch(await list("nobody@example.org"), /req_/);
    assert.doesNotMatch(await list("%"), /req_/, "a wildcard is a character like any other");
  });

  it("the CSV streams every request the filter matches, in the order they arrived, with cells a spreadsheet cannot run", async () => {
    await post(olga, "/admin/requests/new", {
      right: "access",
      channel: "email",
      identityType: "email",
      identity: "dora@example.org",
      name: "=HYPERLINK(1)",
      contactEmail: "dora@example.org",
      verified: "mailed from the address on file",
    });
    const res = await app().request("/admin/requests.csv", { headers: { cookie: olga.cookie } });
    assert.equal(res.status, 200);
    const lines = (await res.text()).trim().split("\r\n");
    assert.equal(
      lines[0],
      "reference,id,channel,identity_type,identity,received,right,status,law,due,completed,assignee",
    );
    const total = Number(
      (
        await ctx.store.db
          .selectFrom("requests")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirst()
      )?.n,
    );
    assert.equal(lines.length - 1, total, "every request, once");
    const received = lines.slice(1).map((l) => l.split(",")[5]);
    assert.deepEqual(received, [...received].sort(), "in the order they arrived");
    assert.ok(lines.some((l) => l.includes("dora@example.org")));
    assert.ok(!lines.some((l) => /(^|,)=/.test(l)), "no cell starts a formula");
  });

  it("approving an erasure shows, per system, the rows found and what is deleted, and deletes only when confirmed", async () => {
    const res = await post(olga, "/admin/requests/new", {
      right: "erasure",
      channel: "in_person",
      identityType: "account_id",
      identity: "2",
      contactEmail: "bob@example.org",
      verified: "ID card seen at the counter",
    });
    assert.equal(
      res.status,
      303,
      await res
        .clone()
        .text()
        .then((t) => /role="alert"[^>]*>([^<]*)/.exec(t)?.[1] ?? t),
    );
    const id = /(req_[\w-]+)/.exec(res.headers.get("location") ?? "")![1];
    const preview = await get(olga, `/admin/requests/${id}/approve`);
    assert.match(preview.text, /2 rows of the person(&#39;|')s found in 1 system: 2 to delete, 0 to mask, 0 to keep/);
    assert.match(preview.text, /Web shop/);
    assert.match(preview.text, /Approve: erase 2 rows</);
    assert.deepEqual(rows("SELECT id FROM orders WHERE customer_id = 2"), [{ id: 20 }], "the preview deleted nothing");
    assert.equal((await post(olga, `/admin/requests/${id}/approve`, { confirm: "yes" })).status, 303);
    assert.equal(await runUntilSettled(ctx, id), "completed");
    assert.deepEqual(rows("SELECT id FROM customers WHERE id = 2"), []);
    assert.deepEqual(rows("SELECT id FROM orders WHERE customer_id = 2"), []);
  });
});
