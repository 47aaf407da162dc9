import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, it } from "node:test";
import { createSession, createUser, type Principal } from "../../src/auth/index.js";
import { DecisionCache, decide, type DecisionContext } from "../../src/consent/index.js";
import { isPublicHoliday, parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import {
  RequestInputSchema,
  answerAppeal,
  denyRequest,
  extendDeadline,
  getRequest,
  requestTimeline,
  submitRequest,
  verifyRequest,
  approveRequest,
  appealRequest,
  sweepRequests,
} from "../../src/requests/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import { requestFormHtml } from "../../src/web/index.js";
import type { Store } from "../../src/store/index.js";
import { loadedAs, runUntilSettled, testContext, type TestContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

/** A shop serving the EU, California, Quebec and Texas, with purposes on every kind of basis. */
const yaml = (hook: string) => `version: "1"
effectiveDate: 2026-01-01
organization:
  name: Acme
  roles: [controller]
  country: DE
  contact: { email: privacy@acme.example }
  jurisdictions: [EU, US-CA, CA-QC, US-TX]
  defaultJurisdiction: EU
  supervisoryAuthority: { name: Berliner Beauftragte für Datenschutz und Informationsfreiheit, url: "https://www.datenschutz-berlin.de" }
taxonomy:
  dataCategories:
    user.location.geo: { name: Precise geolocation, sensitive: true }
purposes:
  geo_offers: { name: Offers near you, legalBasis: legitimate_interests, legitimateInterest: Local offers, dataCategories: [user.location.geo], dataSubjects: [customer], retention: r }
  delivery: { name: Delivery, legalBases: [{ basis: contract, scope: delivering what you ordered }], dataCategories: [user.location.geo, user.contact.email], dataSubjects: [customer], retention: r }
  invoicing: { name: Invoicing, legalBasis: legal_obligation, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r }
  profiling: { name: Profiling, legalBasis: legitimate_interests, legitimateInterest: Better offers, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r }
  mailings: { name: Postal offers, legalBasis: legitimate_interests, legitimateInterest: Offers to customers, directMarketing: true, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r }
  ads: { name: Ad partner, legalBasis: legitimate_interests, legitimateInterest: Ads, shared: true, targetedAdvertising: true, recipients: [adnet], dataCategories: [user.contact.email], dataSubjects: [customer], retention: r }
retention: { r: { period: 1 year, from: collection, action: delete } }
recipients:
  adnet:
    name: AdNet Inc
    role: third_party
    country: US
    dataCategories: [user.contact.email]
    transfer: { mechanisms: [dpf] }
    notify: { webhook: { url: "${hook}", secret: { env: ADNET_SECRET } } }
systems:
  crm:
    name: CRM
    datasets:
      customers: { fields: { email: { category: user.contact.email, identity: email } } }
rights:
  offered: [access, erasure, rectification, restriction, objection, complaint, opt_out_sale, limit_sensitive, opt_out_targeted_advertising]
  channels: [{ type: web, address: /privacy-center }]
`;

forEachStore("requests under the law of each place", (target) => {
  {
    let store: Store;
    let decl: Declaration;
    let ctx: TestContext;
    let officer: Principal;
    let hookServer: Server;
    const hooks: { type: string; identities: Record<string, string[]> }[] = [];
    const n = (s: string) => `${s}-${target.name}@example.org`;

    before(async () => {
      store = await target.open();
      hookServer = createServer((req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
          hooks.push(JSON.parse(body) as { type: string; identities: Record<string, string[]> });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", () => r()));
      decl = parseDeclaration(yaml(`http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`)).declaration;
      ctx = testContext(store, decl, { env: { ADNET_SECRET: "whsec" } });
      const u = await createUser(store, {
        email: `olga-${target.name}@acme.example`,
        name: "Olga",
        role: "owner",
        password: "correct horse battery",
      });
      officer = { user: u, via: "session" };
    });
    after(async () => {
      await store.close();
      hookServer.close();
    });

    /** The decision API over this store and declaration, uncached: each answer reads what the requests recorded. */
    const decisions = (): DecisionContext => ({
      store,
      declaration: () => decl,
      env: ctx.env,
      cache: new DecisionCache(0),
      clock: ctx.clock,
    });
    const submit = (input: Record<string, unknown>) => submitRequest(ctx, RequestInputSchema.parse(input), {});
    const verified = async (input: Record<string, unknown>) => {
      const { requestId } = await submit(input);
      const v = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(String(input.identity)));
      assert.ok(v.ok);
      return { requestId, token: v.statusToken };
    };

    it("an opt-out of sale in California is due 15 business days after receipt, and is passed on to the ad partner", async () => {
      const who = n("olivia");
      const { requestId } = await submit({ right: "opt_out_sale", identity: who, jurisdiction: "US-CA" });
      const r = await getRequest(ctx, requestId);
      const received = new Date(r.receivedAt);
      let businessDays = 0;
      for (const d = new Date(received); d < new Date(r.dueAt); d.setUTCDate(d.getUTCDate() + 1))
        if (
          ![0, 6].includes(new Date(d.getTime() + 86_400_000).getUTCDay()) &&
          !isPublicHoliday(new Date(d.getTime() + 86_400_000), "US-CA")
        )
          businessDays++;
      assert.equal(businessDays, 15, `${r.receivedAt} → ${r.dueAt}`);
      assert.equal(await runUntilSettled(ctx, requestId), "completed");
      const told = hooks.find((h) => h.type === "pledge.request.opt_out_sale" && h.identities.email?.includes(who));
      assert.ok(told, "the third party the data was shared with hears of the opt-out (11 CCR § 7026(f))");
    });

    it("a Texan's opt-out of targeted advertising needs no code and stops the ads purpose at the decision API", async () => {
      const who = n("tex");
      const d = decisions();
      assert.equal((await decide(d, who, "ads")).decision, "allow");
      const { requestId, statusToken } = await submit({
        right: "opt_out_targeted_advertising",
        identity: who,
        jurisdiction: "US-TX",
      });
      assert.ok(statusToken, "no code: the status link at once");
      assert.equal(await runUntilSettled(ctx, requestId), "completed");
      const ads = await decide(d, who, "ads");
      assert.equal(ads.decision, "deny");
      assert.match(ads.reason ?? "", /targeted advertising/);
      assert.equal((await decide(d, who, "invoicing")).decision, "allow", "only the advertising stops");
    });

    it("a request to limit sensitive data needs no code and leaves only the uses the law allows", async () => {
      const who = n("lima");
      const d = decisions();
      assert.equal((await decide(d, who, "geo_offers")).decision, "allow");
      const { requestId, statusToken } = await submit({
        right: "limit_sensitive",
        identity: who,
        jurisdiction: "US-CA",
      });
      assert.ok(statusToken, "no code: the status link at once");
      assert.equal(await runUntilSettled(ctx, requestId), "completed");
      assert.deepEqual(await decide(d, who, "geo_offers"), {
        subject: who,
        purpose: "geo_offers",
        decision: "deny",
        reason: "the person limited the use of their sensitive personal information (Cal. Civ. Code 1798.121)",
      });
      assert.equal(
        (await decide(d, who, "delivery")).decision,
        "allow",
        "delivering what was ordered stays allowed (§ 7027(m)); its basis comes from legalBases",
      );
      assert.equal((await decide(d, who, "profiling")).decision, "allow", "no sensitive data there");
    });

    it("the privacy center cites the GDPR only where it applies, and offers objection only to purposes that allow it", async () => {
      const eu = await requestFormHtml({ decl, state: { values: {}, errors: {} } });
      assert.match(eu, /We send you everything we hold about you, with what we do with it \(GDPR Art 15\)\./);
      // The purposes are asked for on the objection's own page, and only there.
      assert.ok(!/id="purpose-/.test(eu), "the choice of right asks for no purposes");
      const objection = await requestFormHtml({ decl, state: { values: { right: "objection" }, errors: {} } });
      assert.ok(!/id="purpose-invoicing"/.test(objection), "no objection to invoicing (a legal obligation)");
      assert.match(
        objection,
        /id="purpose-mailings"[^>]*\/?>\s*<label for="purpose-mailings">Postal offers<\/label> <small>\(direct marketing: stops at once\)<\/small>/,
      );
      assert.ok(!/id="correct-/.test(objection), "no corrections on an objection");
      const german = await requestFormHtml({ decl, state: { values: { right: "objection" }, errors: {} }, lang: "de" });
      assert.match(german, /<html lang="de"[ >]/);
      assert.match(german, /<h1>Einer Verwendung meiner Daten widersprechen<\/h1>/);
      assert.match(german, /Direktwerbung: endet sofort/);
      const rectification = await requestFormHtml({ decl, state: { values: { right: "rectification" }, errors: {} } });
      assert.ok(/id="correct-user-name"/.test(rectification) && !/id="purpose-/.test(rectification));
      const usOnly = parseDeclaration(
        yaml("http://127.0.0.1:1/hook")
          .replace("jurisdictions: [EU, US-CA, CA-QC, US-TX]", "jurisdictions: [US, US-TX]")
          .replace("  defaultJurisdiction: EU\n", ""),
      ).declaration;
      const us = await requestFormHtml({ decl: usOnly, state: { values: {}, errors: {} } });
      assert.ok(!/GDPR|CCPA/.test(us), /.{0,60}(GDPR|CCPA).{0,20}/.exec(us)?.[0]);
    });

    it("a California request's receipt is confirmed at submission, with its deadline", async () => {
      const who = n("carla");
      const { requestId } = await submit({ right: "access", identity: who, jurisdiction: "US-CA" });
      const mail = ctx.mailer.sent.filter((m) => m.to === who).at(-1)!;
      assert.match(
        mail.text,
        new RegExp(
          `We received your request \\(access, reference ${requestId}\\) on \\d{4}-\\d{2}-\\d{2}\\. Once you confirm it, we answer by \\d{4}-\\d{2}-\\d{2}`,
        ),
      );
      const events = await requestTimeline(ctx, requestId);
      assert.match(events.find((e) => e.kind === "receipt_confirmed")!.message, /11 CCR § 7021\(a\)/);
    });

    it("a Quebec request cannot be extended", async () => {
      const { requestId } = await verified({ right: "access", identity: n("quentin"), jurisdiction: "CA-QC" });
      const r = await getRequest(ctx, requestId);
      assert.equal(r.regime, "quebec");
      assert.equal(Math.round((new Date(r.dueAt).getTime() - new Date(r.receivedAt).getTime()) / 86_400_000), 30);
      await assert.rejects(
        () => extendDeadline(ctx, requestId, "complex", officer),
        /Quebec Private Sector Act \(Law 25\) allows no extension/,
      );
    });

    it("staff choose the extension's length, up to the law's maximum", async () => {
      const { requestId } = await verified({ right: "access", identity: n("gerda"), jurisdiction: "EU" });
      const due = (await getRequest(ctx, requestId)).dueAt;
      const ext = await extendDeadline(ctx, requestId, "Many archives to search", officer, {
        amount: 20,
        unit: "days",
      });
      assert.equal(Math.round((new Date(ext).getTime() - new Date(due).getTime()) / 86_400_000), 20);
      const mail = ctx.mailer.sent.at(-1)!;
      assert.match(mail.text, /The reason: Many archives to search/);
      assert.match(
        mail.text,
        new RegExp(
          `Reference: ${(await getRequest(ctx, requestId)).reference}\\. Follow your request at http://pledge\\.test/privacy-center`,
        ),
      );
    });

    it("an unknown jurisdiction is refused, never given another law's deadline", async () => {
      await assert.rejects(
        () => submit({ right: "access", identity: n("zed"), jurisdiction: "US-ZZ" }),
        /jurisdiction: 'US-ZZ' is not a place whose law Pledge knows/,
      );
    });

    it("no objection to a legal-obligation purpose; legitimate interests wait for staff; direct marketing stops at once", async () => {
      const who = n("otto");
      await assert.rejects(
        () => submit({ right: "objection", identity: who, purposes: ["invoicing"] }),
        /Invoicing cannot be objected to: legal obligation is not legitimate interests or a public task/,
      );
      const d = decisions();
      // Objection to "all" covers only what can be objected to: invoicing goes on.
      const { requestId } = await verified({ right: "objection", identity: who, purposes: [] });
      const r = await getRequest(ctx, requestId);
      assert.deepEqual([...r.details.purposes].sort(), ["ads", "geo_offers", "mailings", "profiling"]);
      assert.equal(r.status, "pending_approval", "profiling and ads are weighed by staff (Art 21(1))");
      assert.equal((await decide(d, who, "mailings")).decision, "deny", "direct marketing stops at once (Art 21(3))");
      assert.equal((await decide(d, who, "profiling")).decision, "allow", "until staff decide");
      assert.equal((await decide(d, who, "invoicing")).decision, "allow");
      const events = await requestTimeline(ctx, requestId);
      assert.ok(events.some((e) => e.kind === "awaiting_approval" && /compelling legitimate grounds/.test(e.message)));
      await approveRequest(ctx, requestId, officer);
      assert.equal(await runUntilSettled(ctx, requestId), "completed");
      assert.equal((await decide(d, who, "profiling")).decision, "deny");
      assert.equal((await decide(d, who, "invoicing")).decision, "allow", "a legal obligation is never objected away");
      // A direct-marketing-only objection needs nobody.
      const only = await verified({ right: "objection", identity: n("mia"), purposes: ["mailings"] });
      assert.equal(await runUntilSettled(ctx, only.requestId), "completed");
    });

    it("staff may refuse an objection on compelling grounds: the GDPR denial names the declared authority and the judicial remedy", async () => {
      const who = n("gustav");
      const { requestId } = await verified({ right: "objection", identity: who, purposes: ["profiling"] });
      await denyRequest(ctx, requestId, "We need the profile to detect fraud on your account", officer);
      const mail = ctx.mailer.sent.filter((m) => m.to === who).at(-1)!;
      const { reference } = await getRequest(ctx, requestId);
      assert.match(mail.subject, new RegExp(reference), "the person's mail names the request by its reference");
      assert.match(mail.text, /The reason: We need the profile to detect fraud on your account/);
      assert.match(
        mail.text,
        /lodge a complaint with a supervisory authority: Berliner Beauftragte für Datenschutz und Informationsfreiheit \(https:\/\/www\.datenschutz-berlin\.de\)/,
      );
      assert.match(mail.text, /judicial remedy before the courts \(GDPR Art 12\(4\), 77, 79\)/);
      assert.match(mail.text, new RegExp(`Reference: ${reference}`));
    });

    it("a California denial does not speak GDPR", async () => {
      const who = n("cathy");
      const { requestId } = await verified({ right: "access", identity: who, jurisdiction: "US-CA" });
      await denyRequest(ctx, requestId, "We could not verify you", officer);
      const mail = ctx.mailer.sent.filter((m) => m.to === who).at(-1)!;
      assert.ok(!/GDPR|supervisory authority/.test(mail.text), mail.text);
      assert.match(mail.text, /California Privacy Protection Agency/);
    });

    it("a Texas denial can be appealed from the status page; the appeal's deadline shows in the console; the answer names the attorney general", async () => {
      const who = n("tex");
      const { requestId, token } = await verified({ right: "erasure", identity: who, jurisdiction: "US-TX" });
      await denyRequest(ctx, requestId, "The account is in a payment dispute", officer);
      const denial = ctx.mailer.sent.filter((m) => m.to === who).at(-1)!;
      assert.match(denial.text, /You may appeal this decision/);
      assert.match(denial.text, /within 60 days\. If we deny your appeal, you may contact the Texas Attorney General/);
      const app = createApp({
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
      }).app;
      const page = await (await app.request(`/privacy-center/requests/${token}`)).text();
      assert.match(page, /<form method="post" action="\/privacy-center\/requests\/[^"]+\/appeal" id="appeal-form">/);
      const res = await app.request(`/privacy-center/requests/${token}/appeal`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "reason=The+dispute+was+settled",
      });
      assert.equal(res.status, 303);
      const r = await getRequest(ctx, requestId);
      assert.equal(r.status, "appealed");
      assert.equal(
        Math.round((new Date(r.appeal!.dueAt).getTime() - new Date(r.appeal!.appealedAt).getTime()) / 86_400_000),
        60,
      );
      assert.equal(r.effectiveDueAt, r.appeal!.dueAt, "the appeal's clock is the one that runs");
      // A second appeal is refused.
      assert.equal(
        (
          await app.request(`/privacy-center/requests/${token}/appeal`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "reason=again",
          })
        ).status,
        409,
      );
      // The console shows the appeal and its deadline.
      const s = await createSession(store, officer.user);
      const consolePage = await (
        await app.request(`/admin/requests/${requestId}`, { headers: { cookie: `pledge_session=${s.token}` } })
      ).text();
      assert.match(
        consolePage,
        new RegExp(
          `<dd id="appeal">appealed ${r.appeal!.appealedAt.slice(0, 10)}: “The dispute was settled”; answer due <strong>${r.appeal!.dueAt.slice(0, 10)}</strong>`,
        ),
      );
      assert.ok(consolePage.includes(`action="/admin/requests/${requestId}/appeal"`));
      const list = await (
        await app.request(`/admin/requests`, { headers: { cookie: `pledge_session=${s.token}` } })
      ).text();
      assert.ok(list.includes(r.appeal!.dueAt.slice(0, 10)), "the list shows the appeal's deadline");
      // Upheld: the answer names the attorney general.
      await answerAppeal(ctx, requestId, "upheld", "The dispute is still open with our bank", officer);
      const answer = ctx.mailer.sent.filter((m) => m.to === who).at(-1)!;
      assert.match(answer.text, /our decision stands\. The dispute is still open with our bank/);
      assert.match(answer.text, /you may contact the Texas Attorney General/);
      assert.equal((await getRequest(ctx, requestId)).status, "denied");
      assert.equal((await getRequest(ctx, requestId)).redacted, true, "redacted once the appeal is answered");
    });

    it("a denial that could be appealed keeps the identities for the appeal window, then the sweep redacts it", async () => {
      const who = n("winnie");
      const { requestId } = await verified({ right: "access", identity: who, jurisdiction: "US-VA" });
      await denyRequest(ctx, requestId, "Not verified", officer);
      assert.equal((await getRequest(ctx, requestId)).redacted, false);
      await sweepRequests(ctx);
      assert.equal((await getRequest(ctx, requestId)).redacted, false, "still within the window");
      ctx.advance(61 * 86_400_000);
      try {
        await sweepRequests(ctx);
        const r = await getRequest(ctx, requestId);
        assert.equal(r.redacted, true);
        assert.notEqual(r.identity, who);
      } finally {
        ctx.advance(-61 * 86_400_000);
      }
      // A GDPR denial has no appeal: redacted at once.
      const eu = await verified({ right: "access", identity: n("ulla"), jurisdiction: "EU" });
      await denyRequest(ctx, eu.requestId, "Not verified", officer);
      assert.equal((await getRequest(ctx, eu.requestId)).redacted, true);
    });

    it("an appeal that succeeds carries the request out", async () => {
      const who = n("ruth");
      const { requestId, token } = await verified({ right: "restriction", identity: who, jurisdiction: "US-TX" });
      await denyRequest(ctx, requestId, "Not a right in Texas", officer);
      await appealRequest(ctx, requestId, "Please reconsider");
      await answerAppeal(ctx, requestId, "reversed", "You are right", officer);
      assert.equal(await runUntilSettled(ctx, requestId), "completed");
      assert.ok(token);
    });
  }
});
