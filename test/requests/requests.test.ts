import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { unzipSync, strFromU8 } from "fflate";
import { createSession, createApiToken, createUser, type Principal } from "../../src/auth/index.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import {
  RequestInputSchema,
  addNote,
  approveRequest,
  completeManualTask,
  denyRequest,
  dueDate,
  extendDeadline,
  extendedDueDate,
  getRequest,
  requestTasks,
  requestTimeline,
  requesterTimeline,
  submitRequest,
  subjectFlags,
  urgencyOf,
  verifyRequest,
  placeLegalHold,
  liftLegalHold,
} from "../../src/requests/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import { signWebhook } from "../../src/webhooks/index.js";
import type { Store } from "../../src/store/index.js";
import { loadedAs, runUntilSettled, testContext, type TestContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

const PERSON = "ann@example.org";
const OTHER = "bob@example.org";
const HELD = "cat@example.org";

function makeShop(dir: string): void {
  const db = new BetterSqlite3(join(dir, "shop.db"));
  db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, phone TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total INTEGER);
    INSERT INTO customers VALUES (1, '${PERSON}', 'Ann', '+49 30 901820'), (2, '${OTHER}', 'Bob', '+49 30 901821'), (3, '${HELD}', 'Cat', '+49 30 901822');
    INSERT INTO orders VALUES (10, 1, 100), (11, 1, 200), (20, 2, 300), (30, 3, 400);`);
  db.close();
}

function declarationYaml(webhookUrl: string, extra = ""): string {
  return `version: "1"
effectiveDate: 2026-01-01
organization: { name: Acme, roles: [controller], country: DE, contact: { email: privacy@acme.example }, jurisdictions: [EU, US-CA, BR, UK], defaultJurisdiction: EU }
purposes:
  orders: { name: Orders, legalBasis: contract, dataCategories: [user.contact.email, user.name, user.contact.phone_number, user.financial.billing_history], dataSubjects: [customer], retention: r, recipients: [partner] }
  newsletter: { name: Newsletter, legalBasis: consent, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r, withdrawal: [link] }
  profiling: { name: Profiling, legalBasis: legitimate_interests, legitimateInterest: Better offers, dataCategories: [user.financial.billing_history], dataSubjects: [customer], retention: r }
retention:
  r: { period: 1 year, from: collection, action: delete }
recipients:
  partner:
    name: Partner Ltd
    role: processor
    country: DE
    dpa: true
    notify: { webhook: { url: "${webhookUrl}", secret: { env: PARTNER_SECRET } } }
rights:
  offered: [access, rectification, erasure, restriction, portability, objection, withdraw_consent, complaint]
  channels: [{ type: web, address: /privacy-center }]
  authorizedAgents: { allowed: true }
  notifyRecipients: [rectification, erasure, restriction]
systems:
  shop:
    name: Shop
    connector: { engine: sqlite, path: shop.db }
    datasets:
      customers:
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          name: { category: user.name }
          phone: { category: user.contact.phone_number, identity: phone }
      orders:
        fields:
          id: { primaryKey: true }
          customer_id: { references: customers.id }
          total: { category: user.financial.billing_history }
  paper_archive:
    name: Paper archive
    connector: { engine: manual, instructions: Shred the paper forms of the person. }
    datasets:
      forms: { fields: { email: { category: user.contact.email, identity: email } } }
${extra}`;
}

forEachStore("rights requests", (target) => {
  let store: Store;
  let dir: string;
  let decl: Declaration;
  let ctx: TestContext;
  let officer: Principal;
  let viewer: Principal;
  let webhook: Server;
  const received: { body: string; signature: string }[] = [];

  before(async () => {
    store = await target.open();
    dir = mkdtempSync(join(tmpdir(), "pledge-req-"));
    makeShop(dir);
    webhook = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["pledge-signature"]) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => webhook.listen(0, "127.0.0.1", () => r()));
    decl = parseDeclaration(
      declarationYaml(`http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`),
    ).declaration;
    // Several tests ask for the same people: more codes per identity than the default five.
    ctx = testContext(store, decl, {
      cwd: dir,
      env: { PARTNER_SECRET: "whsec" },
      settings: { codeLimitPerAddress: { max: 20, windowMs: 15 * 60_000 } },
    });
    const o = await createUser(store, {
      email: `officer-${target.name}@acme.example`,
      name: "Olga",
      role: "officer",
      password: "correct horse battery",
    });
    officer = { user: o, via: "session" };
    const v = await createUser(store, {
      email: `viewer-${target.name}@acme.example`,
      name: "Vic",
      role: "viewer",
      password: "correct horse battery",
    });
    viewer = { user: v, via: "session" };
  });
  after(async () => {
    await store.close();
    webhook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const submit = (input: Record<string, unknown>, meta: Parameters<typeof submitRequest>[2] = {}) =>
    submitRequest(ctx, RequestInputSchema.parse(input), meta);

  describe("verification codes", () => {
    it("fail on the 6th try, even with the right code", async () => {
      const { requestId } = await submit({ right: "access", identity: PERSON });
      const code = ctx.mailer.codeFor(PERSON);
      const wrong = code === "000000" ? "111111" : "000000";
      for (let i = 1; i <= 5; i++) {
        const r = await verifyRequest(ctx, requestId, wrong);
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.reason, i < 5 ? "wrong" : "exhausted");
        assert.equal(!r.ok && r.triesLeft, 5 - i);
      }
      const sixth = await verifyRequest(ctx, requestId, code);
      assert.deepEqual(sixth, { ok: false, reason: "exhausted", triesLeft: 0 });
      assert.equal((await getRequest(ctx, requestId)).status, "unverified");
    });

    it("a correct code fails after it expires (10 minutes)", async () => {
      const { requestId } = await submit({ right: "access", identity: PERSON });
      const code = ctx.mailer.codeFor(PERSON);
      ctx.advance(10 * 60_000 + 1000);
      try {
        const r = await verifyRequest(ctx, requestId, code);
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.reason, "expired");
      } finally {
        ctx.advance(-(10 * 60_000 + 1000));
      }
    });

    it("codes are 6 digits and the mail carries nothing but the code", async () => {
      await submit({ right: "access", identity: PERSON, name: "Ann" });
      const mail = ctx.mailer.sent.at(-1)!;
      assert.match(mail.text, /Your verification code is \d{6}\./);
      assert.ok(!mail.text.includes(PERSON) && !mail.text.includes("Ann"));
    });

    it("sending codes is rate-limited per address and per IP", async () => {
      const addr = `limited-${target.name}@example.org`;
      for (let i = 0; i < ctx.settings.codeLimitPerAddress.max; i++) await submit({ right: "access", identity: addr });
      await assert.rejects(
        () => submit({ right: "access", identity: addr }),
        (e: Error & { code?: string }) => e.code === "RATE_LIMITED" && /for this address/.test(e.message),
      );
      const ip = `198.51.100.${target.name === "sqlite" ? 1 : 2}`;
      for (let i = 0; i < ctx.settings.codeLimitPerIp.max; i++)
        await submit({ right: "access", identity: `ip${i}-${target.name}@example.org` }, { ip });
      await assert.rejects(
        () => submit({ right: "access", identity: `one-more-${target.name}@example.org` }, { ip }),
        (e: Error & { code?: string }) => e.code === "RATE_LIMITED" && /from your network/.test(e.message),
      );
    });
  });

  describe("deadlines", () => {
    it("come from the legal table per jurisdiction, with extensions", () => {
      const received = new Date("2026-01-31T12:00:00Z");
      assert.equal(dueDate("gdpr", received).toISOString().slice(0, 10), "2026-02-28"); // one month
      assert.equal(extendedDueDate("gdpr", dueDate("gdpr", received))!.toISOString().slice(0, 10), "2026-04-28"); // +2 months
      assert.equal(dueDate("ccpa", received).toISOString().slice(0, 10), "2026-03-17"); // 45 days
      assert.equal(extendedDueDate("ccpa", dueDate("ccpa", received))!.toISOString().slice(0, 10), "2026-05-01"); // +45
      assert.equal(dueDate("lgpd", received).toISOString().slice(0, 10), "2026-02-15"); // 15 days
      assert.equal(extendedDueDate("lgpd", dueDate("lgpd", received)), undefined);
      assert.equal(dueDate("pipeda", received).toISOString().slice(0, 10), "2026-03-02"); // 30 days
      assert.equal(dueDate("vcdpa", received).toISOString().slice(0, 10), "2026-03-17");
      assert.equal(dueDate("cpa", received).toISOString().slice(0, 10), "2026-03-17");
      const now = new Date("2026-02-25T00:00:00Z");
      assert.equal(urgencyOf(new Date("2026-02-28T12:00:00Z"), now), "due_soon");
      assert.equal(urgencyOf(new Date("2026-02-20T00:00:00Z"), now), "overdue");
      assert.equal(urgencyOf(new Date("2026-04-01T00:00:00Z"), now), "on_time");
    });

    it("a Californian's request is due in 45 days; the officer extends it once with a reason", async () => {
      const { requestId } = await submit({
        right: "access",
        identity: `ca-${target.name}@example.org`,
        jurisdiction: "US-CA",
      });
      const r = await getRequest(ctx, requestId);
      assert.equal(r.regime, "ccpa");
      assert.equal(Math.round((Date.parse(r.dueAt) - Date.parse(r.receivedAt)) / 86_400_000), 45);
      const ext = await extendDeadline(ctx, requestId, "Many systems to search", officer);
      assert.equal(Math.round((Date.parse(ext) - Date.parse(r.dueAt)) / 86_400_000), 45);
      await assert.rejects(() => extendDeadline(ctx, requestId, "again", officer), /already extended/);
      const br = await submit({ right: "access", identity: `br-${target.name}@example.org`, jurisdiction: "BR" });
      await assert.rejects(() => extendDeadline(ctx, br.requestId, "need time", officer), /LGPD allows no extension/);
    });
  });

  describe("execution", () => {
    it("access: the export holds the person's rows in JSON and CSV and the Art 15 summary", async () => {
      const { requestId } = await submit({ right: "access", identity: PERSON, name: "Ann" });
      const verified = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(PERSON));
      assert.ok(verified.ok);
      // the paper archive is manual: the request waits for staff
      assert.equal(await runUntilSettled(ctx, requestId, 3000), "in_progress");
      const manual = (await requestTasks(ctx, requestId)).find((t) => t.kind === "manual")!;
      assert.equal(manual.status, "manual");
      await completeManualTask(ctx, requestId, manual.id, "No paper forms found", officer);
      assert.equal(await runUntilSettled(ctx, requestId), "completed");
      const { getExport } = await import("../../src/requests/index.js");
      const exp = await getExport(ctx, requestId, verified.statusToken);
      assert.ok(exp && !("expired" in exp));
      const files = unzipSync(exp.data);
      const customers = JSON.parse(strFromU8(files["shop/customers.json"])) as { email: string }[];
      assert.deepEqual(
        customers.map((c) => c.email),
        [PERSON],
      );
      assert.equal((JSON.parse(strFromU8(files["shop/orders.json"])) as unknown[]).length, 2);
      assert.match(strFromU8(files["shop/orders.csv"]), /^id,customer_id,total\r\n10,1,100\r\n11,1,200\r\n$/);
      const summary = strFromU8(files["summary.html"]);
      for (const s of [
        "Partner Ltd",
        "Orders",
        "How long we keep your data",
        "supervisory authority",
        "No paper forms found",
      ])
        assert.ok(summary.includes(s), s);
      assert.ok(!summary.includes(OTHER));
      const done = ctx.mailer.sent.at(-1)!;
      assert.match(done.subject, /complete/);
      assert.ok(!done.text.includes(PERSON), "the completion mail holds no personal data but the name");
      assert.match(done.text, /^Dear Ann,/);
    });

    it("a request whose worker died between a finished task and the next step is moved on once the lease has passed", async () => {
      const { advanceStalledRequests } = await import("../../src/requests/index.js");
      const { requestId } = await submit({ right: "access", identity: PERSON });
      assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(PERSON))).ok);
      assert.equal(await runUntilSettled(ctx, requestId, 3000), "in_progress");
      // The manual step is marked done, and the process dies before it moves the request on.
      const manual = (await requestTasks(ctx, requestId)).find((t) => t.kind === "manual")!;
      await store.db
        .updateTable("request_tasks")
        .set({
          status: "done",
          result: JSON.stringify({ note: "done by hand" }),
          updated_at: ctx.clock().toISOString(),
        })
        .where("id", "=", manual.id)
        .execute();
      await advanceStalledRequests(ctx);
      assert.ok(
        !(await requestTasks(ctx, requestId)).some((t) => t.kind === "export"),
        "not within a lease: a live worker may still be moving it on",
      );
      ctx.advance(ctx.settings.leaseMs + 1000);
      assert.ok((await advanceStalledRequests(ctx)) >= 1);
      assert.ok(
        (await requestTasks(ctx, requestId)).some((t) => t.kind === "export"),
        "the next step is queued",
      );
      assert.equal(await runUntilSettled(ctx, requestId), "completed");
    });

    it("staff mail a new status link: the old one stops, the export is built again for the new one", async () => {
      const { getExport, findRequestByToken, reissueStatusLink } = await import("../../src/requests/index.js");
      const { requestId } = await submit({ right: "access", identity: PERSON });
      const verified = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(PERSON));
      assert.ok(verified.ok);
      // The paper archive is manual: the request stays open, waiting for staff, with no export yet.
      await runUntilSettled(ctx, requestId, 3000);
      assert.deepEqual(await reissueStatusLink(ctx, requestId, officer), { exportRebuilt: false });
      let mail = ctx.mailer.sent.at(-1)!;
      assert.equal(mail.to, PERSON, "the link goes where the code went, never elsewhere");
      const second = /privacy-center\/requests\/([A-Za-z0-9_-]+)/.exec(mail.text)![1];
      assert.equal(await findRequestByToken(ctx, verified.statusToken), undefined, "the old link no longer works");
      assert.equal((await findRequestByToken(ctx, second))?.id, requestId);
      const row = await store.db
        .selectFrom("requests")
        .select("status_token_hash")
        .where("id", "=", requestId)
        .executeTakeFirstOrThrow();
      assert.ok(!row.status_token_hash.includes(second), "only the hash is kept");
      // The export is sealed to the new link.
      const manual = (await requestTasks(ctx, requestId)).find((t) => t.kind === "manual")!;
      await completeManualTask(ctx, requestId, manual.id, "No paper forms found", officer);
      assert.equal(await runUntilSettled(ctx, requestId), "completed");
      const exp = await getExport(ctx, requestId, second);
      assert.ok(exp && !("expired" in exp) && exp.data.length > 0);
      assert.ok((await requestTimeline(ctx, requestId)).some((e) => e.kind === "status_link_reissued"));
      // Closed and redacted: no address is left to send a link to.
      await assert.rejects(reissueStatusLink(ctx, requestId, officer), /closed and its addresses are redacted/);
      mail = ctx.mailer.sent.at(-1)!;
      assert.doesNotMatch(mail.to, /\*/, "never a masked address");
    });

    it("rectification waits for staff review of names and contact fields, then updates them and tells recipients by a signed webhook", async () => {
      const before = received.length;
      const { requestId } = await submit({
        right: "rectification",
        identity: OTHER,
        corrections: { "user.name": "Robert", "user.contact.phone_number": "+299" },
      });
      await verifyRequest(ctx, requestId, ctx.mailer.codeFor(OTHER));
      assert.equal(
        (await getRequest(ctx, requestId)).status,
        "pending_approval",
        "a correction of a name waits for review",
      );
      assert.deepEqual(await requestTasks(ctx, requestId), [], "nothing runs before the review");
      assert.match(
        (await requestTimeline(ctx, requestId)).at(-1)!.message,
        /held for staff review: the correction of the name, telephone number/,
      );
      await approveRequest(ctx, requestId, officer);
      const manual = async () => {
        const m = (await requestTasks(ctx, requestId)).find((t) => t.kind === "manual" && t.status === "manual");
        if (m) await completeManualTask(ctx, requestId, m.id, "nothing on paper", officer);
      };
      await runUntilSettled(ctx, requestId, 2000);
      await manual();
      assert.equal(await runUntilSettled(ctx, requestId), "completed");
      const db = new BetterSqlite3(join(dir, "shop.db"), { readonly: true });
      assert.deepEqual(db.prepare("SELECT name, phone FROM customers WHERE email = ?").get(OTHER), {
        name: "Robert",
        phone: "+299",
      });
      db.close();
      const hook = received.slice(before).find((h) => JSON.parse(h.body).request === requestId)!;
      assert.ok(hook, "the partner was told");
      const [t, v1] = hook.signature.split(",").map((p) => p.split("=")[1]);
      assert.equal(v1, createHmac("sha256", "whsec").update(`${t}.${hook.body}`).digest("hex"));
      assert.equal(hook.signature, signWebhook("whsec", hook.body, Number(t)));
      assert.deepEqual(JSON.parse(hook.body).corrections, {
        "user.name": "Robert",
        "user.contact.phone_number": "+299",
      });
    });

    it("restriction and objection are recorded against every identity of the person", async () => {
      const r = await submit({ right: "restriction", identity: OTHER });
      await verifyRequest(ctx, r.requestId, ctx.mailer.codeFor(OTHER));
      assert.equal(await runUntilSettled(ctx, r.requestId), "completed");
      const o = await submit({ right: "objection", identity: OTHER, purposes: ["profiling"] });
      await verifyRequest(ctx, o.requestId, ctx.mailer.codeFor(OTHER));
      // Profiling rests on legitimate interests: staff weigh the objection first (GDPR Art 21(1)).
      assert.equal((await getRequest(ctx, o.requestId)).status, "pending_approval");
      await approveRequest(ctx, o.requestId, officer);
      assert.equal(await runUntilSettled(ctx, o.requestId), "completed");
      const flags = await subjectFlags(ctx, "email", OTHER.toUpperCase());
      assert.ok(flags.some((f) => f.kind === "restricted"));
      assert.ok(flags.some((f) => f.kind === "objection" && f.purpose === "profiling"));
      assert.deepEqual(await subjectFlags(ctx, "email", "nobody@example.org"), []);
      await assert.rejects(
        () => submit({ right: "objection", identity: OTHER, purposes: ["nope"] }),
        /unknown purpose nope/,
      );
      await assert.rejects(
        () => submit({ right: "objection", identity: OTHER, purposes: ["orders"] }),
        /Orders cannot be objected to/,
      );
    });

    it("a legal hold preserves the person's data through an erasure, and says why; once lifted, erasure proceeds", async () => {
      const finishManual = async (id: string) => {
        for (const m of (await requestTasks(ctx, id)).filter((t) => t.kind === "manual" && t.status === "manual"))
          await completeManualTask(ctx, id, m.id, "none", officer);
      };
      const first = await submit({ right: "access", identity: HELD });
      await verifyRequest(ctx, first.requestId, ctx.mailer.codeFor(HELD));
      await runUntilSettled(ctx, first.requestId, 2000);
      assert.equal(
        await placeLegalHold(ctx, first.requestId, "Litigation 2026-17", officer),
        2,
        "the email, and the phone found in the shop",
      );
      const erase = await submit({ right: "erasure", identity: HELD });
      await verifyRequest(ctx, erase.requestId, ctx.mailer.codeFor(HELD));
      await runUntilSettled(ctx, erase.requestId, 2000);
      await finishManual(erase.requestId);
      assert.equal(await runUntilSettled(ctx, erase.requestId), "completed");
      const shop = (await getRequest(ctx, erase.requestId)).report!.systems.find((x) => x.system === "shop")!;
      assert.ok(
        shop.datasets.every((d) => d.deleted === 0 && d.kept?.[0]?.why === "legal hold: Litigation 2026-17"),
        JSON.stringify(shop),
      );
      const count = () => {
        const db = new BetterSqlite3(join(dir, "shop.db"), { readonly: true });
        const n = (db.prepare("SELECT count(*) AS n FROM orders WHERE customer_id = 3").get() as { n: number }).n;
        db.close();
        return n;
      };
      assert.equal(count(), 1);
      await liftLegalHold(ctx, first.requestId, officer);
      const again = await submit({ right: "erasure", identity: HELD });
      await verifyRequest(ctx, again.requestId, ctx.mailer.codeFor(HELD));
      await runUntilSettled(ctx, again.requestId, 2000);
      await finishManual(again.requestId);
      assert.equal(await runUntilSettled(ctx, again.requestId), "completed");
      assert.equal(count(), 0);
    });

    it("an authorized agent's request is confirmed by the person's own code, then held until an officer approves it; deny needs a reason", async () => {
      await assert.rejects(
        () => submit({ right: "access", identity: PERSON, agent: { name: "Agent Smith", email: "agent@example.org" } }),
        /must upload the signed authorization/,
      );
      const sent = ctx.mailer.sent.length;
      const { requestId } = await submit(
        { right: "access", identity: PERSON, agent: { name: "Agent Smith", email: "agent@example.org" } },
        {
          authorization: {
            filename: "auth.pdf",
            contentType: "application/pdf",
            data: new TextEncoder().encode("%PDF-1.4"),
          },
        },
      );
      // The code goes to the person, who confirms; the agent receives nothing until then.
      assert.deepEqual(
        ctx.mailer.sent.slice(sent).map((m) => m.to),
        [PERSON],
      );
      assert.match(ctx.mailer.sent.at(-1)!.text, /Agent Smith, who says they are your authorized agent/);
      assert.throws(() => ctx.mailer.codeFor("agent@example.org"));
      const v = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(PERSON));
      assert.equal(v.ok, true);
      assert.equal(ctx.mailer.sent.at(-1)!.to, "agent@example.org", "the agent gets the status link");
      assert.match(
        (await requestTimeline(ctx, requestId)).find((e) => e.kind === "verified")!.message,
        /verified the person, by a one-time code .*; the authorized agent who filed it was not verified by the code/,
      );
      assert.equal((await getRequest(ctx, requestId)).status, "pending_approval");
      assert.deepEqual(await requestTasks(ctx, requestId), []);
      await approveRequest(ctx, requestId, officer);
      assert.equal((await getRequest(ctx, requestId)).status, "in_progress");
      await addNote(ctx, requestId, "Checked the signature against the ID copy", officer);
      await denyRequest(ctx, requestId, "The authorization was revoked", officer);
      const r = await getRequest(ctx, requestId);
      assert.equal(r.status, "denied");
      const timeline = (await requestTimeline(ctx, requestId)).map((e) => e.kind);
      for (const k of [
        "received",
        "code_sent",
        "verified",
        "awaiting_approval",
        "approved",
        "started",
        "note",
        "denied",
      ])
        assert.ok(timeline.includes(k), k);
      const seen = (await requesterTimeline(ctx, requestId)).map((e) => e.kind);
      assert.ok(seen.includes("approved") && seen.includes("denied"), "the requester sees staff decisions");
      assert.ok(!seen.includes("note"), "but not staff notes");
      assert.match(ctx.mailer.sent.at(-1)!.text, /The authorization was revoked/);
    });
  });

  describe("the HTTP edge", () => {
    // Every route Pledge serves: requests, the admin console, and consent.
    const app = () =>
      createApp({
        store,
        declaration: () => loadedAs(decl),
        logger: createLogger({ level: "silent" }),
        requests: ctx,
        consent: {
          newsletters: {
            store,
            declaration: () => decl,
            mailer: ctx.mailer,
            publicUrl: ctx.publicUrl,
            env: ctx.env,
            clock: ctx.clock,
          },
        },
      });

    it("every admin route answers 401 without a session (walking the route table)", async () => {
      const { app: a, routes } = app();
      // Every route under /admin, /api and /v1 is for staff and machines, but for signing in and the page an
      // invitation or reset link opens (the link's single-use token is its authentication), and the Data Rights
      // Protocol's: an agent's key setup is authenticated by its signature, the rest by the agent's pairwise token
      // (test/drp/conformance.test.ts walks them).
      const PUBLIC = new Set([
        "get /admin/login",
        "post /admin/login",
        "get /admin/welcome/:token",
        "post /admin/welcome/:token",
        "post /v1/agent/:agentId",
      ]);
      const admin = routes.routes.filter(
        (r) => /^\/(admin|api|v1)(\/|$)/.test(r.path) && !PUBLIC.has(`${r.method} ${r.path}`) && r.access !== "agent",
      );
      assert.ok(admin.length >= 20, `${admin.length} staff routes`);
      for (const r of admin) assert.equal(r.access, "admin", `${r.method.toUpperCase()} ${r.path} is declared public`);
      assert.ok(
        routes.routes.filter((r) => r.access === "admin").every((r) => admin.includes(r)),
        "every admin route is walked",
      );
      for (const r of admin) {
        const path = r.path
          .replace(":id", "req_AAAAAAAAAAAA")
          .replace(":taskId", "1")
          .replace(":docId", "1")
          .replace(":list", "news");
        const res = await a.request(path, {
          method: r.method.toUpperCase(),
          headers: { "content-type": "application/json" },
          body: r.method === "get" ? undefined : "{}",
        });
        assert.equal(res.status, 401, `${r.method.toUpperCase()} ${r.path}`);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, "unauthenticated");
        if (r.method === "get") {
          // A browser is sent to sign in, and brought back afterwards.
          const page = await a.request(path, { headers: { accept: "text/html,application/xhtml+xml" } });
          assert.equal(page.status, 303, `GET ${r.path} in a browser`);
          assert.equal(page.headers.get("location"), `/admin/login?next=${encodeURIComponent(path)}`);
        }
      }
      const forged = await a.request("/admin", {
        headers: { cookie: "pledge_session=forged", authorization: "Bearer plg_forged" },
      });
      assert.equal(forged.status, 401);
    });

    it("a session needs its CSRF token for changes; roles limit actions; API tokens work without cookies", async () => {
      const { app: a } = app();
      const { requestId } = await submit({ right: "access", identity: `csrf-${target.name}@example.org` });
      const s = await createSession(store, viewer.user);
      const cookie = `pledge_session=${s.token}`;
      assert.equal((await a.request("/admin", { headers: { cookie } })).status, 200);
      const noCsrf = await a.request(`/admin/requests/${requestId}/notes`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: "note=hi",
      });
      assert.equal(noCsrf.status, 403);
      assert.equal(((await noCsrf.json()) as { error: { code: string } }).error.code, "csrf");
      const viewerNote = await a.request(`/admin/requests/${requestId}/notes`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: `note=hi&_csrf=${s.csrf}`,
      });
      assert.equal(viewerNote.status, 403, "a viewer may not add notes");
      const so = await createSession(store, officer.user);
      const ok = await a.request(`/admin/requests/${requestId}/notes`, {
        method: "POST",
        headers: { cookie: `pledge_session=${so.token}`, "content-type": "application/x-www-form-urlencoded" },
        body: `note=hello&_csrf=${so.csrf}`,
      });
      assert.equal(ok.status, 303);
      const token = await createApiToken(store, `ci-${target.name}`, "viewer");
      const list = await a.request("/api/v1/requests", { headers: { authorization: `Bearer ${token}` } });
      assert.equal(list.status, 200);
      assert.ok(((await list.json()) as { requests: { id: string }[] }).requests.some((r) => r.id === requestId));
      const page = await (
        await a.request(`/admin/requests/${requestId}`, { headers: { cookie: `pledge_session=${so.token}` } })
      ).text();
      assert.match(page, /hello/);
    });

    it("one requester cannot open another's status page or export", async () => {
      const { app: a } = app();
      const tokens: Record<string, string> = {};
      for (const who of [PERSON, OTHER]) {
        const { requestId } = await submit({ right: "access", identity: who });
        const v = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(who));
        assert.ok(v.ok);
        tokens[who] = v.statusToken;
        const m = (await requestTasks(ctx, requestId)).find((t) => t.kind === "manual")!;
        await completeManualTask(ctx, requestId, m.id, "none", officer);
        assert.equal(await runUntilSettled(ctx, requestId), "completed");
      }
      const page = await (await a.request(`/privacy-center/requests/${tokens[PERSON]}`)).text();
      assert.ok(!page.includes(OTHER));
      const zip = unzipSync(
        new Uint8Array(await (await a.request(`/privacy-center/requests/${tokens[PERSON]}/export`)).arrayBuffer()),
      );
      const rows = JSON.parse(strFromU8(zip["shop/customers.json"])) as { email: string }[];
      assert.deepEqual(
        rows.map((r) => r.email),
        [PERSON],
      );
      // a changed, truncated or guessed token opens nothing
      const t = tokens[PERSON];
      for (const bad of [
        t.slice(0, -1) + (t.endsWith("A") ? "B" : "A"),
        t.slice(0, 20),
        `req_${t.slice(4)}`,
        "x".repeat(43),
      ]) {
        assert.equal((await a.request(`/privacy-center/requests/${bad}`)).status, 404);
        assert.equal((await a.request(`/privacy-center/requests/${bad}/export`)).status, 404);
      }
      assert.equal(
        (await a.request(`/privacy-center/requests/${tokens[OTHER]}/export`)).headers.get("cache-control"),
        "no-store",
      );
    });

    it("the form re-renders with located errors; a bad code says how many tries are left", async () => {
      const { app: a } = app();
      const bad = await a.request("/privacy-center/requests", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "right=access&identity=not-an-email",
      });
      assert.equal(bad.status, 422);
      const html = await bad.text();
      assert.match(html, /role="alert"/);
      assert.match(html, /<a href="#identity">expected an email address<\/a>/);
      const ok = await a.request("/privacy-center/requests", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `right=access&identity=form-${target.name}@example.org&jurisdiction=UK`,
      });
      assert.equal(ok.status, 303);
      const loc = ok.headers.get("location")!;
      const wrong = await a.request(loc, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "code=123456",
      });
      assert.equal(wrong.status, 422);
      assert.match(await wrong.text(), /4 tries left/);
    });
  });
});
