/**
 * A marketing-consent withdrawal reaches the processors whose purposes need that consent: an unsubscribe (here a
 * global suppression at a SendGrid-contract stand-in) at each, recorded with the vendor's answer on the consent
 * record, retried when the vendor is down, and the person's email dropped once it settles.
 */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { consentReceipt, propagationsOf, recordConsent, runPropagations } from "../../src/consent/index.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { startFakeVendors, type FakeVendors } from "../../src/demo/vendors.js";
import type { Store } from "../../src/store/index.js";
import { minimalYaml } from "../helpers/declarations.js";
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
});
