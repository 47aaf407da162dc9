/**
 * A marketing-consent withdrawal reaches the processors whose purposes need that consent: an unsubscribe (here a
 * global suppression at a SendGrid-contract stand-in) at each, recorded with the vendor's answer on the consent
 * record, retried when the vendor is down, and the person's email dropped once it settles.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, it } from "node:test";
import { consentReceipt, linkDevice, propagationsOf, recordConsent, runPropagations } from "../../src/consent/index.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { startFakeVendors, type FakeVendors } from "../../src/demo/vendors.js";
import type { Store } from "../../src/store/index.js";
import { signWebhook } from "../../src/webhooks/index.js";
import { minimalYaml } from "../helpers/declarations.js";
import { testMailer } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

forEachStore("a consent withdrawal at the processors", (target) => {
  let store: Store;
  let vendors: FakeVendors;
  let decl: Declaration;
  before(async () => {
    store = await target.open();
    vendors = await startFakeVendors({ apiKey: "sk_test_consent" });
    decl = parseDeclaration(
      minimalYaml(`recipients:
  sendgrid: { name: SendGrid, role: processor, country: US, dataCategories: [user.contact.email] }
  stripe: { name: Stripe, role: processor, country: US, dataCategories: [user.contact.email] }
systems:
  mailing:
    name: Mailing
    connector: { engine: http, spec: sendgrid, recipient: sendgrid, baseUrl: "${vendors.sendgridUrl}" }
  billing:
    name: Billing
    connector: { engine: http, spec: stripe, recipient: stripe, baseUrl: "${vendors.stripeUrl}" }
consent:
  categories:
    marketing: { name: Marketing, description: Offers by mail, purposes: [marketing] }
`).replace(
        "purposes:\n",
        `purposes:
  marketing:
    name: Marketing mail
    legalBasis: consent
    dataCategories: [user.contact.email]
    dataSubjects: [customer]
    retention: two_years
    recipients: [sendgrid]
`,
      ),
    ).declaration;
  });
  after(async () => {
    await vendors.close();
    await store.close();
  });
  const ctx = () => ({
    store,
    declaration: () => decl,
    env: { SENDGRID_API_KEY: "sk_test_consent", STRIPE_SECRET_KEY: "sk_test_consent" },
    cwd: process.cwd(),
    clock: () => new Date(Date.now() + 10 * 3_600_000),
  });

  it("unsubscribes at the vendor whose purpose needed it, and the consent record shows the answer", async () => {
    const who = `Withdraw.${target.name}@Example.net`;
    const given = await recordConsent(store, decl, {
      subjectId: who,
      categories: { marketing: "given" },
      language: "en",
      method: "banner",
    });
    assert.deepEqual(await propagationsOf(store, `consent:${given.recordId}`), [], "a consent given is not passed on");
    vendors.failNext(503, "down for maintenance");
    const withdrawn = await recordConsent(store, decl, {
      subjectId: who,
      categories: { marketing: "withdrawn" },
      language: "en",
      method: "form",
    });
    const source = `consent:${withdrawn.recordId}`;
    const queued = await propagationsOf(store, source);
    assert.deepEqual(
      queued.map((p) => p.vendor),
      ["SendGrid"],
      "only the vendor whose purpose needs the consent: not Stripe",
    );
    // The vendor is down: the row waits and is tried again.
    await runPropagations(ctx());
    let [p] = await propagationsOf(store, source);
    assert.equal(p.status, "pending");
    assert.match(p.answer ?? "", /answered 503/);
    await store.db.updateTable("consent_propagations").set({ next_run_at: "2000-01-01T00:00:00Z" }).execute();
    await runPropagations(ctx());
    [p] = await propagationsOf(store, source);
    assert.equal(p.status, "done");
    assert.equal(p.operation, "unsubscribe");
    assert.match(p.answer ?? "", /unsubscribe: answered 201/);
    assert.ok(vendors.suppressed().includes(who.toLowerCase()), "the address is suppressed at SendGrid");
    const row = await store.db
      .selectFrom("consent_propagations")
      .selectAll()
      .where("source", "=", source)
      .executeTakeFirstOrThrow();
    assert.equal(row.identity, null, "the email is not kept once the vendor answered");
    // The person's consent record (their receipt) says what was passed on, and what the vendor answered.
    const receipt = await consentReceipt(store, decl, { subjectId: who });
    const records = receipt.records as { recordId: string; passedOn?: { vendor: string; status: string }[] }[];
    assert.deepEqual(records.find((r) => r.recordId === given.recordId)?.passedOn, undefined);
    const passed = records.find((r) => r.recordId === withdrawn.recordId)?.passedOn;
    assert.deepEqual(
      passed?.map((x) => [x.vendor, x.status]),
      [["SendGrid", "done"]],
    );
    assert.match(JSON.stringify(passed), /unsubscribe: answered 201/);
    assert.doesNotMatch(JSON.stringify(row), /withdraw\./i);
  });
  it("a banner withdrawal from a device linked to a person at login is passed on with the person's address", async () => {
    const who = `linked.${target.name}@example.net`;
    const device = `device-${target.name}-0123456789abcdef`;
    const choose = (deviceId: string, marketing: "given" | "refused") =>
      recordConsent(store, decl, { deviceId, categories: { marketing }, language: "en", method: "banner" });
    await linkDevice(store, device, who);
    await choose(device, "given");
    const off = await choose(device, "refused");
    const [p] = await propagationsOf(store, `consent:${off.recordId}`);
    assert.equal(p?.vendor, "SendGrid");
    await runPropagations(ctx());
    assert.ok(vendors.suppressed().includes(who), "suppressed at SendGrid under the linked person's address");
    // A device linked to nobody has no address to pass on.
    const anon = `anon-${target.name}-0123456789abcdef`;
    await choose(anon, "given");
    const anonOff = await choose(anon, "refused");
    assert.deepEqual(await propagationsOf(store, `consent:${anonOff.recordId}`), []);
  });
});

forEachStore("a consent withdrawal at recipients with no API", (target) => {
  let store: Store;
  let decl: Declaration;
  let hook: Server;
  const received: { body: string; signature: string }[] = [];
  const mailer = testMailer();
  before(async () => {
    store = await target.open();
    hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["pledge-signature"] ?? "") });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    decl = parseDeclaration(
      minimalYaml(`recipients:
  crm:
    name: CRM Co
    role: processor
    country: DE
    dataCategories: [user.contact.email]
    notify: { webhook: { url: "http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook", secret: { env: CRM_SECRET } } }
  agency: { name: Agency, role: processor, country: DE, dataCategories: [user.contact], notify: { email: privacy@agency.example } }
  adnet: { name: AdNet, role: third_party, country: US, dataCategories: [user.device.cookie_id], notify: { email: privacy@adnet.example } }
consent:
  categories:
    marketing: { name: Marketing, description: Offers by mail and ads, purposes: [marketing, ads] }
`).replace(
        "purposes:\n",
        `purposes:
  marketing:
    name: Marketing mail
    legalBasis: consent
    dataCategories: [user.contact.email]
    dataSubjects: [customer]
    retention: two_years
    recipients: [crm, agency]
  ads:
    name: Ads on other sites
    legalBasis: consent
    dataCategories: [user.device.cookie_id]
    dataSubjects: [customer]
    retention: two_years
    recipients: [adnet]
`,
      ),
    ).declaration;
  });
  after(async () => {
    hook.close();
    await store.close();
  });

  it("tells each by its webhook or address, gives the email only to those that received it, and the record shows it", async () => {
    const who = `notify.${target.name}@example.net`;
    await recordConsent(store, decl, {
      subjectId: who,
      categories: { marketing: "given" },
      language: "en",
      method: "form",
    });
    const withdrawn = await recordConsent(store, decl, {
      subjectId: who,
      categories: { marketing: "withdrawn" },
      language: "en",
      method: "form",
    });
    const source = `consent:${withdrawn.recordId}`;
    assert.deepEqual(
      (await propagationsOf(store, source)).map((p) => [p.vendor, p.operation]),
      [
        ["CRM Co", "tell by webhook"],
        ["Agency", "tell by mail"],
      ],
      "AdNet received cookie ids, never the email: it is not given it now",
    );
    await runPropagations({
      store,
      declaration: () => decl,
      env: { CRM_SECRET: "crm-secret" },
      cwd: process.cwd(),
      clock: () => new Date(Date.now() + 10 * 3_600_000),
      mailer,
    });
    assert.equal(received.length, 1);
    const payload = JSON.parse(received[0].body) as Record<string, unknown>;
    assert.deepEqual(
      { type: payload.type, reference: payload.reference, purposes: payload.purposes, email: payload.email },
      { type: "pledge.consent.withdrawn", reference: source, purposes: ["marketing"], email: who },
    );
    const t = Number(/t=(\d+)/.exec(received[0].signature)?.[1]);
    assert.equal(received[0].signature, signWebhook("crm-secret", received[0].body, t), "signed with the CRM's secret");
    const mail = mailer.sent.find((m) => m.to === "privacy@agency.example");
    assert.ok(mail, "the agency is mailed");
    assert.match(mail.text, /withdrew their consent to Marketing mail/);
    assert.ok(mail.text.includes(who));
    assert.ok(!mailer.sent.some((m) => m.to === "privacy@adnet.example"));
    const receipt = await consentReceipt(store, decl, { subjectId: who });
    const passed = (
      receipt.records as { recordId: string; passedOn?: { vendor: string; status: string; answer: string }[] }[]
    ).find((r) => r.recordId === withdrawn.recordId)?.passedOn;
    assert.deepEqual(
      passed?.map((p) => [p.vendor, p.status, p.answer]),
      [
        ["CRM Co", "done", "answered 204"],
        ["Agency", "done", "sent to p***@agency.example"],
      ],
    );
  });
});
