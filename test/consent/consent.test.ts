import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import {
  DecisionCache,
  confirmSubscription,
  confirmedSubscribers,
  revokeManageLinks,
  subscriptionsOf,
  unsubscribe,
  consentReceipt,
  currentState,
  decide,
  linkDevice,
  recordConsent,
  signUp,
  redactMailTokens,
  sweepNewsletters,
  type DecisionContext,
  type NewsletterContext,
} from "../../src/consent/index.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { RequestInputSchema, approveRequest, submitRequest, verifyRequest } from "../../src/requests/index.js";
import { createUser } from "../../src/auth/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import type { Store } from "../../src/store/index.js";
import { loadedAs, runUntilSettled, testContext, testMailer, type TestMailer } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

const yaml = (hook: string) => `version: "1"
effectiveDate: 2026-01-01
organization: { name: Acme, roles: [controller], country: DE, contact: { email: privacy@acme.example }, jurisdictions: [EU, US-CA] }
purposes:
  orders: { name: Orders, legalBasis: contract, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r, systems: [shop] }
  analytics: { name: Analytics, legalBasis: consent, dataCategories: [user.device.cookie_id], dataSubjects: [visitor], retention: r }
  ads: { name: Advertising, legalBasis: consent, dataCategories: [user.device.cookie_id], dataSubjects: [visitor], retention: r }
  partners: { name: Partner offers, legalBasis: legitimate_interests, legitimateInterest: Joint offers, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r, shared: true }
  profiling: { name: Profiling, legalBasis: legitimate_interests, legitimateInterest: Better offers, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r }
  news: { name: Newsletter, legalBasis: consent, dataCategories: [user.contact.email], dataSubjects: [newsletter_subscriber], retention: r }
retention: { r: { period: 1 year, from: collection, action: delete } }
rights:
  offered: [access, erasure, rectification, restriction, portability, objection, withdraw_consent, complaint, opt_out_sale]
  channels: [{ type: web, address: /privacy-center }]
systems:
  shop:
    name: Shop
    connector: { engine: sqlite, path: shop.db }
    datasets:
      customers: { fields: { email: { category: user.contact.email, identity: email } } }
consent:
  validity: 1 year
  categories:
    essential: { name: Essential, description: Needed, essential: true, default: true, purposes: [orders] }
    analytics: { name: Analytics, description: Stats, purposes: [analytics] }
    marketing: { name: Marketing, description: Ads, purposes: [ads] }
  newsletters:
    weekly:
      name: Weekly
      purpose: news
      webhook: { url: "${hook}", secret: { env: NEWS_SECRET } }
`;

forEachStore("consent", (target) => {
  let store: Store;
  let decl: Declaration;
  let dir: string;
  let hook: Server;
  const hooks: { type: string; email: string }[] = [];
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  let mailer: TestMailer;
  let news: NewsletterContext;
  let decisions: DecisionContext;

  before(async () => {
    store = await target.open();
    dir = mkdtempSync(join(tmpdir(), "pledge-consent-"));
    const db = new BetterSqlite3(join(dir, "shop.db"));
    db.exec("CREATE TABLE customers (email TEXT); INSERT INTO customers VALUES ('rita@example.org')");
    db.close();
    hook = createServer((req, res) => {
      let b = "";
      req.on("data", (d) => (b += d));
      req.on("end", () => {
        hooks.push(JSON.parse(b) as { type: string; email: string });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
    decl = parseDeclaration(yaml(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/`)).declaration;
    mailer = testMailer();
    const env = { NEWS_SECRET: "s", PLEDGE_SECRET: "k" };
    news = { store, declaration: () => decl, mailer, publicUrl: "http://pledge.test", env, clock };
    decisions = { store, declaration: () => decl, env, cache: new DecisionCache(), clock };
  });
  after(async () => {
    await store.close();
    hook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("records", () => {
    it("are events; the state is derived; the latest choice wins; consent expires", async () => {
      const device = `dev-${target.name}-aaaaaaaaaaaa`;
      await recordConsent(store, decl, {
        deviceId: device,
        categories: { analytics: "given", marketing: "given" },
        language: "en",
        method: "banner",
        ip: "203.0.113.77",
        userAgent: "UA",
      });
      await recordConsent(
        store,
        decl,
        {
          deviceId: device,
          categories: { analytics: "given", marketing: "withdrawn" },
          language: "de",
          method: "banner",
        },
        new Date(Date.now() + 1000),
      );
      const state = await currentState(store, { deviceId: device }, new Date(Date.now() + 2000));
      assert.equal(state.analytics.state, "given");
      assert.equal(state.ads.state, "withdrawn");
      assert.equal(state.orders.state, "given", "essential categories are always given");
      const later = await currentState(store, { deviceId: device }, new Date(Date.now() + 400 * 86_400_000));
      assert.equal(later.analytics.state, "expired");
      const receipt = await consentReceipt(store, decl, { deviceId: device });
      assert.equal(receipt.records.length, 2);
      // The fields of ISO/IEC TS 27560 the receipt carries, each filled (RECEIPT_FIELDS names them).
      assert.match(receipt.schemaVersion, /27560/);
      assert.match(receipt.receiptId, /^[0-9a-f-]{36}$/);
      assert.equal(receipt.piiPrincipalId, `device:${device}`);
      assert.equal(receipt.controllers[0].name, decl.organization.name);
      assert.ok(receipt.controllers[0].id && receipt.controllers[0].type && receipt.controllers[0].address);
      const [first] = receipt.records;
      assert.equal(first.event.time, first.at);
      assert.equal(first.event.by, `device:${device}`);
      assert.ok(first.event.type && first.consentType === "expressed");
      assert.equal(first.notice.version, decl.version);
      assert.equal(first.notice.language, "en");
      const analytics = first.purposes.find((p) => p.purposeId === "analytics");
      assert.ok(analytics && "piiTypes" in analytics, JSON.stringify(first.purposes));
      assert.ok((analytics.piiTypes?.length ?? 0) > 0 && analytics.lawfulBasis === "consent");
      assert.ok(Array.isArray(analytics.storageLocations) && Array.isArray(analytics.recipients));
      assert.ok(analytics.retention);
      assert.equal(receipt.records[0].ip, "203.0.113.0");
      assert.equal(receipt.records[0].language, "en");
      assert.equal(receipt.records[1].language, "de");
      assert.notEqual(
        receipt.records[0].textHash,
        receipt.records[1].textHash,
        "the hash is of the text shown, per language",
      );
      assert.match(receipt.records[0].validUntil, /^\d{4}-/);
      const rows = await store.db
        .selectFrom("consent_events")
        .select("record_id")
        .where("device_id", "=", device)
        .execute();
      assert.equal(rows.length, 2, "nothing is rewritten");
    });

    it("a GPC refusal is not overridden by a later banner consent; linking a device merges it into the person", async () => {
      const device = `dev-${target.name}-bbbbbbbbbbbb`;
      const person = `pat-${target.name}@example.org`;
      await recordConsent(store, decl, {
        deviceId: device,
        categories: { marketing: "refused" },
        language: "en",
        method: "gpc",
      });
      await recordConsent(
        store,
        decl,
        { deviceId: device, categories: { analytics: "given", marketing: "given" }, language: "en", method: "banner" },
        new Date(Date.now() + 1000),
      );
      assert.equal((await currentState(store, { deviceId: device }, new Date(Date.now() + 2000))).ads.state, "refused");
      assert.equal(
        (await decide(decisions, person, "analytics")).decision,
        "deny",
        "nothing is known of the person yet",
      );
      await linkDevice(store, device, person);
      decisions.cache.invalidate(person);
      offset = 2000;
      try {
        assert.equal((await decide(decisions, person, "analytics")).decision, "allow");
        assert.equal((await decide(decisions, person, "ads")).decision, "deny");
      } finally {
        offset = 0;
      }
    });

    it("the banner's texts come in English, German and French, and the declaration can override them", async () => {
      const { bannerConfig } = await import("../../src/consent/index.js");
      assert.equal(bannerConfig(decl, "fr").texts.rejectAll, "Tout refuser");
      const custom = parseDeclaration(
        yaml("http://x.example/").replace(
          "consent:\n  validity: 1 year",
          'consent:\n  validity: 1 year\n  texts: { de: { title: "Ihre Wahl bei Acme" } }',
        ),
      ).declaration;
      const de = bannerConfig(custom, "de");
      assert.equal(de.texts.title, "Ihre Wahl bei Acme");
      assert.equal(de.texts.acceptAll, "Alle akzeptieren");
      assert.notEqual(de.textHash, bannerConfig(decl, "de").textHash, "changed text, changed hash");
      assert.equal(de.materialKey, bannerConfig(decl, "de").materialKey, "wording is not a material change");
    });

    it("a Global Privacy Control signal refuses marketing whatever the click, and says so", async () => {
      const rec = await recordConsent(store, decl, {
        deviceId: `dev-${target.name}-gggggggggggg`,
        categories: { analytics: "given", marketing: "given" },
        language: "en",
        method: "banner",
        gpcSignal: true,
      });
      assert.equal(rec.method, "gpc");
      assert.deepEqual(rec.categories, { essential: "given", analytics: "given", marketing: "refused" });
    });

    it("a GPC signal also refuses a category whose purposes serve targeted advertising, whatever its name", async () => {
      const { bannerConfig } = await import("../../src/consent/index.js");
      const raw = decl.purposes.analytics;
      const ads = { ...decl, purposes: { ...decl.purposes, analytics: { ...raw, targetedAdvertising: true } } };
      const rec = await recordConsent(store, ads, {
        deviceId: `dev-${target.name}-tatatatatata`,
        categories: { analytics: "given", marketing: "given" },
        language: "en",
        method: "banner",
        gpcSignal: true,
      });
      assert.deepEqual(rec.categories, { essential: "given", analytics: "refused", marketing: "refused" });
      assert.equal(bannerConfig(ads, "en").categories.find((c) => c.id === "analytics")?.marketing, true);
      assert.notEqual(bannerConfig(ads, "en").materialKey, bannerConfig(decl, "en").materialKey);
    });

    it("reject unknown categories", async () => {
      await assert.rejects(
        () =>
          recordConsent(store, decl, {
            deviceId: "x".repeat(20),
            categories: { tracking: "given" },
            language: "en",
            method: "banner",
          }),
        /categories\.tracking: unknown consent category/,
      );
    });
  });

  describe("decisions", () => {
    it("allow contract and legitimate interest, need consent for consent-based purposes, and say why", async () => {
      const who = `new-${target.name}@example.org`;
      assert.deepEqual(await decide(decisions, who, "orders"), {
        subject: who,
        purpose: "orders",
        decision: "allow",
        reason: "legal basis: contract",
      });
      assert.equal((await decide(decisions, who, "profiling")).decision, "allow");
      assert.deepEqual(await decide(decisions, who, "analytics"), {
        subject: who,
        purpose: "analytics",
        decision: "deny",
        reason: "no consent recorded",
      });
      assert.equal((await decide(decisions, who, "nope")).reason, "unknown purpose 'nope'");
    });

    it("honour restriction and objection from rights requests", async () => {
      const who = "rita@example.org";
      const ctx = testContext(store, decl, { cwd: dir, env: { PLEDGE_SECRET: "k" } });
      const cache = new DecisionCache(0);
      const d: DecisionContext = { ...decisions, cache };
      assert.equal((await decide(d, who, "profiling")).decision, "allow");
      const o = await submitRequest(
        ctx,
        RequestInputSchema.parse({ right: "objection", identity: who, purposes: ["profiling"] }),
        {},
      );
      await verifyRequest(ctx, o.requestId, ctx.mailer.codeFor(who));
      assert.equal(
        (await decide(d, who, "profiling")).decision,
        "allow",
        "a legitimate interest stands until staff weigh the objection",
      );
      await approveRequest(ctx, o.requestId, {
        user: await createUser(store, {
          email: `rita-officer-${Date.now()}@acme.example`,
          name: "Olga",
          role: "approver",
          password: "correct horse battery",
        }),
        via: "session",
      });
      assert.equal(await runUntilSettled(ctx, o.requestId), "completed");
      assert.deepEqual(await decide(d, who, "profiling"), {
        subject: who,
        purpose: "profiling",
        decision: "deny",
        reason: "the person objected to this purpose (GDPR Art 21)",
      });
      assert.equal(
        (await decide(d, who, "orders")).decision,
        "allow",
        "an objection to profiling leaves the contract alone",
      );
      const r = await submitRequest(ctx, RequestInputSchema.parse({ right: "restriction", identity: who }), {});
      await verifyRequest(ctx, r.requestId, ctx.mailer.codeFor(who));
      assert.equal(await runUntilSettled(ctx, r.requestId), "completed");
      assert.deepEqual(await decide(d, who, "orders"), {
        subject: who,
        purpose: "orders",
        decision: "deny",
        reason: "processing is restricted at the person's request (GDPR Art 18)",
      });
    });

    it("an opt-out of sale or sharing needs no code, and denies every purpose that sells or shares", async () => {
      const who = `sam-${target.name}@example.org`;
      const ctx = testContext(store, decl, { cwd: dir, env: { PLEDGE_SECRET: "k" } });
      const d: DecisionContext = { ...decisions, cache: new DecisionCache(0) };
      assert.equal((await decide(d, who, "partners")).decision, "allow");
      const before = ctx.mailer.sent.length;
      const res = await submitRequest(
        ctx,
        RequestInputSchema.parse({ right: "opt_out_sale", identity: who, jurisdiction: "US-CA" }),
        {},
      );
      assert.ok(res.statusToken, "no code: the status page at once");
      assert.ok(!ctx.mailer.sent.slice(before).some((m) => /verification code/.test(m.text)));
      const receipt = ctx.mailer.sent.slice(before).find((m) => /We received your privacy request/.test(m.subject))!;
      assert.ok(
        receipt.text.includes(`/privacy-center/requests/${res.statusToken}`),
        "the receipt mail carries the status link",
      );
      assert.equal(await runUntilSettled(ctx, res.requestId), "completed");
      assert.deepEqual(await decide(d, who, "partners"), {
        subject: who,
        purpose: "partners",
        decision: "deny",
        reason: "the person opted out of the sale or sharing of their data (Cal. Civ. Code 1798.120)",
      });
    });

    it("are served over HTTP to API tokens, singly and in a batch; writes invalidate the cache", async () => {
      const { createApiToken } = await import("../../src/auth/index.js");
      const ctx = testContext(store, decl, { cwd: dir, env: { PLEDGE_SECRET: "k" } });
      const cache = new DecisionCache(60_000);
      const { app } = createApp({
        store,
        declaration: () => loadedAs(decl),
        logger: createLogger({ level: "silent" }),
        requests: ctx,
        consent: { newsletters: news, cache },
      });
      const token = await createApiToken(store, `backend-${target.name}`, "viewer");
      const auth = { authorization: `Bearer ${token}` };
      assert.equal((await app.request("/v1/decisions?subject=a@example.org&purpose=orders")).status, 401);
      const device = `dev-${target.name}-cccccccccccc`;
      const q = `/v1/decisions?subject=device:${device}&purpose=analytics`;
      assert.equal(((await (await app.request(q, { headers: auth })).json()) as { decision: string }).decision, "deny");
      const post = await app.request("/consent/records", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ deviceId: device, categories: { analytics: "given" } }),
      });
      assert.equal(post.status, 201);
      assert.equal(
        ((await (await app.request(q, { headers: auth })).json()) as { decision: string }).decision,
        "allow",
        "the write invalidated the cached deny",
      );
      const batch = await app.request("/v1/decisions", {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({
          items: [
            { subject: `device:${device}`, purpose: "analytics" },
            { subject: `device:${device}`, purpose: "ads" },
          ],
        }),
      });
      assert.deepEqual(
        ((await batch.json()) as { decisions: { decision: string }[] }).decisions.map((x) => x.decision),
        ["allow", "deny"],
      );
      const bad = await app.request("/v1/decisions?subject=x", { headers: auth });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /^query\.purpose: /);
      const gpc = await app.request("/.well-known/gpc.json");
      assert.deepEqual(await gpc.json(), { gpc: true, lastUpdate: "2026-01-01" });
    });
  });

  describe("newsletters with double opt-in", () => {
    const email = (n: string) => `${n}-${target.name}@example.org`;
    const linkOf = (to: string) =>
      /confirm\/([A-Za-z0-9_-]+)/.exec(mailer.sent.filter((m) => m.to === to).at(-1)!.text)![1];

    it("the link works once, keeps the proof, and sets List-Unsubscribe headers", async () => {
      const who = email("once");
      assert.deepEqual(await signUp(news, "weekly", { email: who, ip: "198.51.100.23" }), { status: "pending" });
      const mail = mailer.sent.at(-1)!;
      assert.match(
        mail.headers!["List-Unsubscribe"],
        /^<http:\/\/pledge\.test\/newsletter\/unsubscribe\/[A-Za-z0-9_-]+>$/,
      );
      assert.equal(mail.headers!["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
      assert.ok(
        mail.text.includes(`Unsubscribe at any time: ${/<([^>]+)>/.exec(mail.headers!["List-Unsubscribe"])![1]}`),
        "and a link in the body",
      );
      const token = linkOf(who);
      await confirmSubscription(news, token, "198.51.100.99");
      await assert.rejects(
        () => confirmSubscription(news, token),
        (e: Error & { code?: string }) => e.code === "LINK_USED",
      );
      const row = await store.db
        .selectFrom("newsletter_subscriptions")
        .selectAll()
        .where("email", "=", who)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, "confirmed");
      assert.equal(row.signup_ip, "198.51.100.0");
      assert.equal(row.confirm_ip, "198.51.100.0");
      assert.ok(
        row.mail_sent_at && row.mail_text === redactMailTokens(mail.text),
        "when the mail went out, and its exact text with its tokens redacted",
      );
      assert.ok(
        !row.mail_text!.includes(token) && row.mail_text!.includes("/newsletter/confirm/[redacted]"),
        "proof holds no live link",
      );
      assert.equal(row.declaration_version, "1");
      assert.ok(row.confirmed_at! >= row.signup_at);
      assert.ok(
        hooks.some((h) => h.type === "pledge.newsletter.pending" && h.email === who),
        "a signed webhook tells of the sign-up",
      );
      assert.ok(
        hooks.some((h) => h.type === "pledge.newsletter.confirmed" && h.email === who),
        "and of the confirmation",
      );
      assert.equal((await decide({ ...decisions, cache: new DecisionCache(0) }, who, "news")).decision, "allow");
      const list = await confirmedSubscribers(news, "weekly");
      assert.ok(list.some((s) => s.email === who && /\/newsletter\/unsubscribe\//.test(s.unsubscribeUrl)));
      // The manage link is the subscriber's own, and revocable: a new one replaces it, and the old one stops working.
      const link = list.find((s) => s.email === who)!.unsubscribeUrl;
      const old = link.split("/").pop()!;
      assert.ok(await subscriptionsOf(news, old), "the link opens the preferences");
      assert.equal(await revokeManageLinks(news, who.toUpperCase(), "user:officer@example.org"), 1);
      assert.equal(await subscriptionsOf(news, old), undefined, "the revoked link opens nothing");
      await assert.rejects(
        () => unsubscribe(news, old),
        (e: Error & { code?: string }) => e.code === "NOT_FOUND",
      );
      const fresh = (await confirmedSubscribers(news, "weekly")).find((s) => s.email === who)!.unsubscribeUrl;
      assert.notEqual(fresh, link);
      assert.equal((await subscriptionsOf(news, fresh.split("/").pop()!))?.email, who);
    });

    it("the link expires after the window (24 hours)", async () => {
      const who = email("late");
      await signUp(news, "weekly", { email: who });
      const token = linkOf(who);
      offset = 24 * 3600_000 + 60_000;
      try {
        await assert.rejects(
          () => confirmSubscription(news, token),
          (e: Error & { code?: string }) => e.code === "LINK_EXPIRED" && /within 24 hours/.test(e.message),
        );
      } finally {
        offset = 0;
      }
      const row = await store.db
        .selectFrom("newsletter_subscriptions")
        .select("status")
        .where("email", "=", who)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, "blocked");
    });

    it("unconfirmed sign-ups are blocked after the window and gone after a month", async () => {
      const who = email("never");
      await signUp(news, "weekly", { email: who });
      offset = 2 * 86_400_000;
      try {
        const first = await sweepNewsletters(news);
        assert.ok(first.blocked >= 1);
        assert.equal(
          (
            await store.db
              .selectFrom("newsletter_subscriptions")
              .select("status")
              .where("email", "=", who)
              .executeTakeFirstOrThrow()
          ).status,
          "blocked",
        );
        offset = 32 * 86_400_000;
        const second = await sweepNewsletters(news);
        assert.ok(second.deleted >= 1);
        assert.equal(
          await store.db
            .selectFrom("newsletter_subscriptions")
            .select("id")
            .where("email", "=", who)
            .executeTakeFirst(),
          undefined,
        );
        assert.ok(
          await store.db
            .selectFrom("newsletter_subscriptions")
            .select("id")
            .where("email", "=", email("once"))
            .executeTakeFirst(),
          "confirmed ones stay",
        );
      } finally {
        offset = 0;
      }
    });

    it("the console draws consent rates per category and lists subscriptions with their proof", async () => {
      const { createSession, createUser } = await import("../../src/auth/index.js");
      const ctx = testContext(store, decl, { cwd: dir, env: { PLEDGE_SECRET: "k" } });
      const { app } = createApp({
        store,
        declaration: () => loadedAs(decl),
        logger: createLogger({ level: "silent" }),
        requests: ctx,
        consent: { newsletters: news },
      });
      const u = await createUser(store, {
        email: `console-${target.name}@acme.example`,
        name: "Cleo",
        role: "viewer",
        password: "correct horse battery",
      });
      const { token } = await createSession(store, u);
      // The chart counts records once they are ten seconds old (a later id may commit first on PostgreSQL).
      ctx.advance(11_000);
      const res = await app.request("/admin/consent", { headers: { cookie: `pledge_session=${token}` } });
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /<svg[^>]*role="img"/);
      assert.match(html, /<rect class="rate"/, "the rate of each category is drawn, one day of data or ninety");
      assert.match(html, /<td>Analytics<\/td><td>\d+<\/td><td>\d+<\/td><td>\d+%<\/td>/, "and given as a table");
      assert.ok(!/essential: \d+%/.test(html), "essential categories are left out");
      assert.ok(html.includes(email("once")), "subscriptions are listed");
      assert.match(
        html,
        /Please confirm that you want to receive Weekly/,
        "with the exact text of the confirmation mail",
      );
      assert.equal((await app.request("/admin/consent")).status, 401);
    });

    it("the RFC 8058 one-click POST unsubscribes, with no login", async () => {
      const who = email("leaver");
      const ctx = testContext(store, decl, { cwd: dir, env: { PLEDGE_SECRET: "k" } });
      const { app } = createApp({
        store,
        declaration: () => loadedAs(decl),
        logger: createLogger({ level: "silent" }),
        requests: ctx,
        consent: { newsletters: news },
      });
      const signup = await app.request("/newsletter/weekly", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `email=${encodeURIComponent(who)}`,
      });
      // Post, redirect, get: a reload does not sign up again.
      assert.equal(signup.status, 303);
      assert.equal(signup.headers.get("location"), "/newsletter/weekly/sent?status=pending&lang=en");
      assert.match(await (await app.request("/newsletter/weekly/sent?status=pending")).text(), /follow the link in it/);
      const confirmPage = await (await app.request(`/newsletter/confirm/${linkOf(who)}`)).text();
      assert.match(confirmPage, /Yes, subscribe me/, "a GET does not confirm: mail scanners follow links");
      assert.ok(confirmPage.includes(who), "the page names the address");
      assert.equal((await app.request(`/newsletter/confirm/${linkOf(who)}`, { method: "POST" })).status, 200);
      const used = await app.request(`/newsletter/confirm/${linkOf(who)}`);
      assert.equal(used.status, 404);
      assert.doesNotMatch(await used.text(), /<button/, "a used link shows no button");
      const long = await app.request("/newsletter/weekly", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        body: `email=${"a".repeat(65)}@example.org`,
      });
      assert.equal(long.status, 400);
      const longPage = await long.text();
      assert.match(longPage, /^<!doctype html>/, "a browser gets a page, not JSON");
      assert.match(longPage, /at most 64 characters before the @/);
      const unsub = /<([^>]+)>/
        .exec(mailer.sent.filter((m) => m.to === who).at(-1)!.headers!["List-Unsubscribe"])![1]
        .replace("http://pledge.test", "");
      const prefs = await app.request(unsub.replace("/unsubscribe/", "/preferences/"));
      assert.match(await prefs.text(), /Weekly/);
      const res = await app.request(unsub, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      assert.equal(res.status, 200);
      assert.equal(
        (
          await store.db
            .selectFrom("newsletter_subscriptions")
            .select("status")
            .where("email", "=", who)
            .executeTakeFirstOrThrow()
        ).status,
        "unsubscribed",
      );
      assert.equal((await decide({ ...decisions, cache: new DecisionCache(0) }, who, "news")).decision, "deny");
      assert.ok(hooks.some((h) => h.type === "pledge.newsletter.unsubscribed" && h.email === who));

      // The same pages in German, for a German browser, the language carried from the form to the next page.
      const de = { "accept-language": "de-DE,de;q=0.9" };
      const german = email("deutsch");
      const form = await (await app.request("/newsletter/weekly", { headers: de })).text();
      assert.match(form, /<html lang="de"[ >]/);
      assert.match(form, /E-Mail-Adresse \(Pflichtfeld\)/);
      assert.match(form, /action="\/newsletter\/weekly\?lang=de"/);
      const deSignup = await app.request("/newsletter/weekly?lang=de", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `email=${encodeURIComponent(german)}`,
      });
      assert.equal(deSignup.headers.get("location"), "/newsletter/weekly/sent?status=pending&lang=de");
      assert.match(
        await (await app.request(deSignup.headers.get("location")!)).text(),
        /Wir haben Ihnen eine E-Mail gesendet\. Um Weekly zu abonnieren/,
      );
      const deConfirm = await (await app.request(`/newsletter/confirm/${linkOf(german)}`, { headers: de })).text();
      assert.match(deConfirm, /Ja, anmelden/);
      assert.ok(deConfirm.includes(`<strong>${german}</strong> für <strong>Weekly</strong>`));
      const deUsed = await (await app.request(`/newsletter/confirm/not-a-link-we-sent-000000`, { headers: de })).text();
      assert.match(deUsed, /Dieser Link kann nicht verwendet werden/);
    });
  });
});
