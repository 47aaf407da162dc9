import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { listAudit } from "../../src/audit/index.js";
import { createApiToken, createUser, enableUser, tokenPrincipal } from "../../src/auth/index.js";
import { parseDeclaration } from "../../src/declaration/index.js";
import {
  AccessGateCache,
  agreementInForce,
  announceSubProcessorChanges,
  checkAccess,
  confirmDestroyed,
  decideByCustomer,
  decideByStaff,
  disableStaff,
  draftNotifications,
  GovernanceError,
  listCustody,
  listSubProcessorChanges,
  objectionLink,
  planSession,
  receiveAgreement,
  recordObjection,
  registerCustody,
  registerIncident,
  requestAccess,
  requestAgreement,
  reviewAgreement,
  saveCounterparty,
  sendSessionForm,
  signSessionForm,
  startSession,
  uploadSessionForm,
  governanceOverview,
  incidentClocks,
  listAgreements,
  markNotified,
  updateIncident,
  remindExpiringAgreements,
} from "../../src/governance/index.js";
import { planRetention } from "../../src/retention/index.js";
import { confirmSubscription, signUp } from "../../src/consent/index.js";
import type { Store } from "../../src/store/index.js";
import { shopDeclaration } from "../helpers/rental-shop.js";
import {
  GOVERNANCE_YAML,
  govContext,
  governanceDeclaration,
  linkIn,
  type GovTestContext,
} from "../helpers/governance.js";
import { forEachStore } from "../helpers/stores.js";

const eve = { email: "eve@sakila.example", role: "approver" as const };
const olga = { email: "olga@sakila.example", role: "officer" as const };
const otto = { email: "otto@sakila.example", role: "officer" as const };
const DAY = 86_400_000;

const refused = (code: string, pattern: RegExp) => (err: unknown) =>
  err instanceof GovernanceError && err.code === code && pattern.test(err.message);

forEachStore("governance registers", (target) => {
  let store: Store;
  let ctx: GovTestContext;
  before(async () => {
    store = await target.open();
    ctx = govContext(store, governanceDeclaration(["sqlite"]), { SHOP_LITE: "/nonexistent.db" });
    // The gate answers only for staff with an account that is enabled.
    for (const a of [eve, olga, otto])
      await createUser(store, { email: a.email, name: a.email.split("@")[0], role: a.role, password: "correct horse" });
    await saveCounterparty(
      ctx,
      {
        account: "acme",
        name: "Acme Clinic",
        contactEmail: "IT@acme.example",
        jurisdictions: ["EU", "US-CA"],
        startedAt: "2025-03-01",
      },
      olga,
    );
  });
  after(async () => {
    await store.close();
  });

  it("a staff member's access to a customer's email is denied without a grant, allowed after the customer approves by mail, and denied again after the window", async () => {
    const cache = new AccessGateCache(60_000);
    const gate = () => checkAccess(ctx, cache, { staff: "EVE@sakila.example", account: "acme", class: "email" });
    assert.equal((await gate()).decision, "deny");
    const req = await requestAccess(
      ctx,
      {
        account: "acme",
        classes: ["email"],
        reason: "purpose:support",
        justification: "The customer reports lost mail in ticket 4411",
        endsAt: new Date(ctx.clock().getTime() + 2 * DAY).toISOString(),
      },
      eve,
    );
    assert.equal(req.status, "awaiting_customer");
    const mail = ctx.mailer.sent.at(-1)!;
    assert.equal(mail.to, "it@acme.example", "the registered contact, lower-cased, not an address the requester chose");
    assert.match(mail.text, /Email/);
    assert.match(mail.text, /ticket 4411/);
    assert.equal((await gate()).decision, "deny", "asking is not a grant");
    const token = linkIn(mail.text, "/access-consent/").split("/").pop()!;
    const decided = await decideByCustomer(ctx, token, "approve", "203.0.113.9");
    assert.equal(decided.decidedIp, "203.0.113.9");
    assert.equal(decided.decidedBy, "customer:it@acme.example");
    // The cached deny is forgotten on the decision's signal.
    cache.clear();
    const allowed = await gate();
    assert.equal(allowed.decision, "allow");
    assert.equal(allowed.grant?.id, req.id);
    assert.equal(
      (await checkAccess(ctx, cache, { staff: "eve@sakila.example", account: "acme", class: "files" })).decision,
      "deny",
      "only the classes granted",
    );
    assert.equal(
      (await checkAccess(ctx, cache, { staff: "olga@sakila.example", account: "acme", class: "email" })).decision,
      "deny",
      "only the requester",
    );
    await assert.rejects(
      decideByCustomer(ctx, token, "approve", undefined),
      refused("LINK_INVALID", /not valid|already/),
      "the link works once",
    );
    ctx.advance(2 * DAY + 1000);
    try {
      assert.equal(
        (
          await checkAccess(ctx, new AccessGateCache(), {
            staff: "eve@sakila.example",
            account: "acme",
            class: "email",
          })
        ).decision,
        "deny",
      );
      // A cached allow never outlives the grant's window either.
      assert.equal((await gate()).decision, "deny");
    } finally {
      ctx.advance(-(2 * DAY + 1000));
    }
    const trail = (await listAudit(store, { subject: `access:${req.id}` })).map((e) => e.action).reverse();
    assert.deepEqual(trail, ["governance.access.requested", "governance.access.approved"]);
  });

  it("the gate denies a disabled or unknown staff member; disabling ends their grants, and enabling brings back neither grants nor API tokens", async () => {
    const dan = { email: "dan@sakila.example", role: "approver" as const };
    const user = await createUser(store, { email: dan.email, name: "Dan", role: dan.role, password: "correct horse" });
    const apiToken = await createApiToken(store, "dan-laptop", "viewer", `user:${dan.email}`, user);
    const req = await requestAccess(
      ctx,
      {
        account: "acme",
        classes: ["email"],
        reason: "purpose:support",
        justification: "The customer reports lost mail in ticket 5120",
        endsAt: new Date(ctx.clock().getTime() + 2 * DAY).toISOString(),
      },
      dan,
    );
    const token = linkIn(ctx.mailer.sent.at(-1)!.text, "/access-consent/").split("/").pop()!;
    await decideByCustomer(ctx, token, "approve", "203.0.113.9");
    const gate = (staff: string) => checkAccess(ctx, undefined, { staff, account: "acme", class: "email" });
    assert.equal((await gate(dan.email)).decision, "allow");
    assert.ok(await tokenPrincipal(store, apiToken));
    const { grantsEnded } = await disableStaff(ctx, user.id, "user:owner@sakila.example");
    assert.equal(grantsEnded, 1);
    const denied = await gate(dan.email);
    assert.equal(denied.decision, "deny");
    assert.equal(denied.reason, "the staff member's account is disabled");
    assert.equal(
      (await gate("nobody@sakila.example")).reason,
      "no staff member has this address",
      "a staff member with no account is never allowed",
    );
    await enableUser(store, user.id, "user:owner@sakila.example");
    const after = await gate(dan.email);
    assert.equal(after.decision, "deny", "the ended grant stays ended");
    assert.match(after.reason, /no grant in force/);
    assert.equal(await tokenPrincipal(store, apiToken), undefined, "the API token stays revoked");
    const trail = (await listAudit(store, { subject: `staff:${dan.email}` })).map((e) => e.action);
    assert.deepEqual(trail, ["governance.access.revoked"]);
    assert.equal(req.status, "awaiting_customer");
  });

  it("an exception is refused when its requester approves it, and granted by a second staff member of a role above the requester's", async () => {
    const req = await requestAccess(
      ctx,
      {
        account: "acme",
        classes: ["files"],
        reason: "exception:aup_violation",
        justification: "Spam complaints from three providers about this account",
        endsAt: new Date(ctx.clock().getTime() + DAY).toISOString(),
      },
      eve,
    );
    assert.equal(req.status, "awaiting_approval");
    await assert.rejects(decideByStaff(ctx, req.id, "approve", eve), refused("FORBIDDEN", /nobody approves their own/));
    await assert.rejects(
      decideByStaff(ctx, req.id, "approve", { email: "abe@sakila.example", role: "approver" }),
      refused("FORBIDDEN", /officer/),
      "an approver is below the declared role",
    );
    const byOfficer = await requestAccess(
      ctx,
      {
        account: "acme",
        classes: ["files"],
        reason: "exception:aup_violation",
        justification: "A second look at the same complaints",
        endsAt: new Date(ctx.clock().getTime() + DAY).toISOString(),
      },
      olga,
    );
    await assert.rejects(
      decideByStaff(ctx, byOfficer.id, "approve", otto),
      refused("FORBIDDEN", /role above/),
      "an officer's request needs more than another officer",
    );
    const ok = await decideByStaff(ctx, req.id, "approve", otto);
    assert.equal(ok.status, "approved");
    assert.equal(ok.decidedBy, `user:${otto.email}`);
    assert.equal(
      (await checkAccess(ctx, undefined, { staff: eve.email, account: "acme", class: "files" })).decision,
      "allow",
    );
  });

  it("refuses an undeclared class or reason, a window beyond the declared maximum, and a consent mail to a contact the requester set", async () => {
    const ends = new Date(ctx.clock().getTime() + DAY).toISOString();
    await assert.rejects(
      requestAccess(
        ctx,
        {
          account: "acme",
          classes: ["calendar"],
          reason: "purpose:support",
          justification: "looking at the calendar",
          endsAt: ends,
        },
        eve,
      ),
      refused("INVALID", /calendar.*not a declared protected class/),
    );
    await assert.rejects(
      requestAccess(
        ctx,
        {
          account: "acme",
          classes: ["email"],
          reason: "purpose:curiosity",
          justification: "just having a look around",
          endsAt: ends,
        },
        eve,
      ),
      refused("INVALID", /no declared purpose 'curiosity'/),
    );
    await assert.rejects(
      requestAccess(
        ctx,
        {
          account: "acme",
          classes: ["email"],
          reason: "purpose:support",
          justification: "a long look at everything",
          endsAt: new Date(ctx.clock().getTime() + 30 * DAY).toISOString(),
        },
        eve,
      ),
      refused("INVALID", /at most 7 days/),
    );
    await assert.rejects(
      requestAccess(
        ctx,
        {
          account: "acme",
          classes: ["email"],
          reason: "purpose:support",
          justification: "helping with a ticket",
          endsAt: ends,
        },
        olga,
      ),
      refused("FORBIDDEN", /set acme's contact address yourself/),
    );
  });

  it("a remote session cannot start before its form is signed, online through a one-time link or uploaded", async () => {
    const s = await planSession(ctx, { account: "acme", purpose: "Upgrade the lighting controller firmware" }, eve);
    await assert.rejects(
      startSession(ctx, s.id, eve),
      refused("CONFLICT", /has not signed the Remote Session Security Verification form/),
    );
    await sendSessionForm(ctx, s.id, eve);
    await assert.rejects(startSession(ctx, s.id, eve), refused("CONFLICT", /not signed/), "sent is not signed");
    const token = linkIn(ctx.mailer.sent.at(-1)!.text, "/session-form/").split("/").pop()!;
    ctx.advance(15 * DAY);
    try {
      await assert.rejects(
        signSessionForm(ctx, token, "Ada Admin", "198.51.100.7"),
        refused("LINK_INVALID", /valid for 14 days/),
        "a stale link signs nothing",
      );
    } finally {
      ctx.advance(-15 * DAY);
    }
    const signed = await signSessionForm(ctx, token, "Ada Admin", "198.51.100.7");
    assert.equal(signed.form.status, "signed");
    assert.match(signed.form.signedBy ?? "", /Ada Admin <it@acme.example>/);
    assert.equal((await startSession(ctx, s.id, eve)).startedBy, `user:${eve.email}`);
    const s2 = await planSession(ctx, { account: "acme", purpose: "Replace the network switch" }, eve);
    await assert.rejects(
      uploadSessionForm(ctx, s2.id, { name: "signed.pdf", data: new TextEncoder().encode("%PDF signed") }, eve),
      refused("FORBIDDEN", /another staff member uploads/),
      "the one who wants the session cannot attest the signature",
    );
    const up = await uploadSessionForm(
      ctx,
      s2.id,
      { name: "signed.pdf", data: new TextEncoder().encode("%PDF signed") },
      olga,
    );
    assert.match(up.form.hash ?? "", /^[0-9a-f]{64}$/);
    assert.ok((await startSession(ctx, s2.id, eve)).startedAt);
  });

  it("an officer who set a customer's contact can neither mail the session form there nor start a session signed from it", async () => {
    const globex = {
      account: "globex",
      name: "Globex",
      contactEmail: "otto.private@mail.example",
      jurisdictions: ["EU"],
      startedAt: "2025-03-01",
    };
    await saveCounterparty(ctx, globex, otto);
    const s = await planSession(ctx, { account: "globex", purpose: "Look at the controller" }, otto);
    await assert.rejects(sendSessionForm(ctx, s.id, otto), refused("FORBIDDEN", /you set globex's contact/));
    await assert.rejects(
      sendSessionForm(ctx, s.id, eve),
      refused("FORBIDDEN", /the session's requester set globex's contact/),
      "a colleague mailing the requester's chosen address proves nothing either",
    );
    assert.ok(!ctx.mailer.sent.some((m) => m.to === "otto.private@mail.example"), "no form was mailed");
    // Another officer confirms the address by saving it: the form may go there now, and whoever set it starts nothing.
    await saveCounterparty(ctx, globex, olga);
    await sendSessionForm(ctx, s.id, otto);
    const token = linkIn(ctx.mailer.sent.at(-1)!.text, "/session-form/").split("/").pop()!;
    await signSessionForm(ctx, token, "Gil Globex", "198.51.100.9");
    await assert.rejects(startSession(ctx, s.id, olga), refused("FORBIDDEN", /which you set/));
    assert.ok((await startSession(ctx, s.id, otto)).startedAt);
  });

  it("a recording past 180 days is flagged, fails the retention check, and is cleared only by a confirmed destruction", async () => {
    const made = new Date(ctx.clock().getTime() - 181 * DAY).toISOString();
    const rec = await registerCustody(
      ctx,
      {
        kind: "recording",
        account: "acme",
        label: "Session 1 screen recording",
        location: "nas01:/recordings/s1.mp4",
        madeAt: made,
      },
      eve,
    );
    assert.equal(rec.state, "overdue");
    const young = await registerCustody(
      ctx,
      { kind: "recording", account: "acme", label: "Session 2", location: "nas01:/recordings/s2.mp4" },
      eve,
    );
    assert.equal(young.state, "kept");
    assert.equal(young.dueAt.slice(0, 10), new Date(ctx.clock().getTime() + 180 * DAY).toISOString().slice(0, 10));
    const rctx = { store, declaration: ctx.declaration, env: ctx.env, cwd: ctx.cwd, clock: ctx.clock };
    const entry = () =>
      planRetention(rctx).then((p) => p.find((e) => e.binding === "pledge.recordings/recordingRetention")!);
    assert.equal((await entry()).due, 1);
    await assert.rejects(confirmDestroyed(ctx, rec.id, "", otto), refused("INVALID", /evidence/));
    await confirmDestroyed(ctx, rec.id, "Deleted from nas01 and its snapshot, ticket OPS-77", otto);
    assert.equal((await entry()).due, 0);
    assert.equal((await listCustody(ctx)).find((c) => c.id === rec.id)!.state, "destroyed");
    const copy = await registerCustody(
      ctx,
      {
        kind: "temporary_copy",
        account: "acme",
        label: "Database copy for the upgrade",
        location: "db-tmp-3",
        madeAt: new Date(ctx.clock().getTime() - 10 * DAY).toISOString(),
        purgeBy: new Date(ctx.clock().getTime() - DAY).toISOString(),
      },
      eve,
    );
    assert.equal(copy.state, "overdue");
    await assert.rejects(
      registerCustody(
        ctx,
        {
          kind: "temporary_copy",
          label: "A copy kept too long",
          location: "db-tmp-4",
          purgeBy: new Date(ctx.clock().getTime() + 60 * DAY).toISOString(),
        },
        eve,
      ),
      refused("INVALID", /within 30 days/),
    );
  });

  it("an overdue copy is never left off the list or the counts, however many destroyed ones the register holds", async () => {
    const at = new Date(ctx.clock().getTime() - 400 * DAY).toISOString();
    const rows = Array.from({ length: 520 }, (_, k) => ({
      kind: "recording" as const,
      account: "acme",
      session_id: null,
      label: `old ${k}`,
      location: "nas",
      made_at: at,
      due_at: at,
      done_at: at,
      done_by: "user:x",
      evidence: "wiped",
      created_by: "user:x",
    }));
    for (let i = 0; i < rows.length; i += 100)
      await store.db
        .insertInto("gov_custody")
        .values(rows.slice(i, i + 100))
        .execute();
    const before = (await governanceOverview(ctx)).custodyOverdue;
    const late = await registerCustody(
      ctx,
      {
        kind: "temporary_copy",
        label: "Forgotten copy",
        location: "db-tmp-9",
        madeAt: new Date(ctx.clock().getTime() - 20 * DAY).toISOString(),
        purgeBy: new Date(ctx.clock().getTime() - 2 * DAY).toISOString(),
      },
      eve,
    );
    assert.equal(late.state, "overdue");
    assert.ok((await listCustody(ctx)).some((c) => c.id === late.id));
    assert.equal((await governanceOverview(ctx)).custodyOverdue, before + 1);
  });

  it("answers 'no BAA' until a signed one is accepted; the automatic GDPR addendum is in force from the customer's start", async () => {
    let a = await agreementInForce(ctx, "acme", "baa");
    assert.equal(a.inForce, false);
    const baa = await requestAgreement(ctx, { account: "acme", agreement: "hipaa_baa" }, eve);
    assert.match((await agreementInForce(ctx, "acme", "baa")).reason, /requested, and binds only once accepted/);
    await assert.rejects(reviewAgreement(ctx, baa.id!, "accept", olga), refused("CONFLICT", /no signed copy/));
    await receiveAgreement(ctx, baa.id!, { name: "baa-signed.pdf", data: new TextEncoder().encode("%PDF BAA") }, eve);
    assert.equal(
      (await agreementInForce(ctx, "acme", "baa")).inForce,
      false,
      "received and under review is not in force",
    );
    await assert.rejects(reviewAgreement(ctx, baa.id!, "accept", eve), refused("FORBIDDEN", /officer/));
    await reviewAgreement(ctx, baa.id!, "accept", olga);
    a = await agreementInForce(ctx, "acme", "baa");
    assert.equal(a.inForce, true);
    assert.equal(a.agreements[0].id, baa.id);
    // A renewed BAA supersedes the first; two reviewers at once: one wins.
    const renewal = await requestAgreement(ctx, { account: "acme", agreement: "hipaa_baa" }, eve);
    await receiveAgreement(ctx, renewal.id!, { name: "baa-2.pdf", data: new TextEncoder().encode("%PDF BAA 2") }, eve);
    const reviews = await Promise.allSettled([
      reviewAgreement(ctx, renewal.id!, "accept", otto),
      reviewAgreement(ctx, renewal.id!, "reject", olga),
    ]);
    assert.equal(reviews.filter((x) => x.status === "fulfilled").length, 1);
    const after = (await listAgreements(ctx, "acme")).filter((x) => x.agreement === "hipaa_baa");
    if (reviews[0].status === "fulfilled") {
      assert.equal(after.find((x) => x.id === baa.id)!.status, "superseded");
      assert.deepEqual(
        (await agreementInForce(ctx, "acme", "baa")).agreements.map((x) => x.id),
        [renewal.id],
      );
    } else
      assert.equal(
        after.find((x) => x.id === baa.id)!.status,
        "accepted",
        "a rejected renewal leaves the first in force",
      );
    const dpa = await agreementInForce(ctx, "acme", "gdpr_addendum");
    assert.equal(dpa.inForce, true);
    assert.equal(dpa.agreements[0].since, "2025-03-01T00:00:00.000Z");
    await saveCounterparty(
      ctx,
      {
        account: "usonly",
        name: "US Only Inc",
        contactEmail: "ops@usonly.example",
        jurisdictions: ["US-TX"],
        startedAt: "2025-01-01",
      },
      olga,
    );
    assert.equal(
      (await agreementInForce(ctx, "usonly", "gdpr_addendum")).inForce,
      false,
      "the addendum covers GDPR customers only",
    );
  });

  it("an accepted agreement that ends within 30 days is reminded to the privacy contact once, and stops being in force at its end", async () => {
    const baa = await requestAgreement(
      ctx,
      {
        account: "usonly",
        agreement: "hipaa_baa",
        expiresAt: new Date(ctx.clock().getTime() + 10 * DAY).toISOString().slice(0, 10),
      },
      eve,
    );
    await receiveAgreement(ctx, baa.id!, { name: "baa.pdf", data: new TextEncoder().encode("%PDF") }, eve);
    await reviewAgreement(ctx, baa.id!, "accept", olga);
    const sent = ctx.mailer.sent.length;
    assert.equal(await remindExpiringAgreements(ctx), 1);
    assert.equal(ctx.mailer.sent.length, sent + 1);
    assert.equal(ctx.mailer.sent.at(-1)!.to, "privacy@sakila.example");
    assert.match(ctx.mailer.sent.at(-1)!.subject, /HIPAA Business Associate Agreement with usonly expires on/);
    assert.equal(await remindExpiringAgreements(ctx), 0, "once");
    ctx.advance(11 * DAY);
    try {
      const a = await agreementInForce(ctx, "usonly", "baa");
      assert.equal(a.inForce, false, "expired");
    } finally {
      ctx.advance(-11 * DAY);
    }
  });

  it("a declaration that adds a sub-processor mails the confirmed subscribers, and an objection is recorded", async () => {
    const nctx = {
      store,
      declaration: ctx.declaration,
      mailer: ctx.mailer,
      publicUrl: ctx.publicUrl,
      env: ctx.env,
      clock: ctx.clock,
    };
    await signUp(nctx, "subprocessor_updates", { email: "it@acme.example" });
    const confirm = /\/newsletter\/confirm\/([A-Za-z0-9_-]+)/.exec(ctx.mailer.sent.at(-1)!.text)![1];
    await confirmSubscription(nctx, confirm);
    await signUp(nctx, "subprocessor_updates", { email: "unconfirmed@example.net" });
    const previous = ctx.declaration();
    const next = parseDeclaration(
      shopDeclaration(["sqlite"])
        .replace("roles: [controller]", "roles: [controller, processor]")
        .replace('version: "1"', 'version: "2"') +
        GOVERNANCE_YAML.replace("subProcessors: [aws]", "subProcessors: [aws, mailgun]") +
        "  mailgun: { name: Mailgun Technologies, description: Sending mail, role: sub_processor, country: US, transfer: { mechanisms: [dpf] } }\n",
      "pledge.yaml",
    ).declaration;
    ctx.setDeclaration(next);
    try {
      const sent = ctx.mailer.sent.length;
      const r = await announceSubProcessorChanges(ctx, previous, "2#abc");
      assert.equal(r?.notified, 1, "only the confirmed subscriber");
      const mails = ctx.mailer.sent.slice(sent);
      assert.deepEqual(
        mails.map((m) => m.to),
        ["it@acme.example"],
      );
      assert.match(mails[0].text, /added: Mailgun Technologies \(US\)/);
      assert.match(mails[0].text, /Effective: \d{4}-\d{2}-\d{2}/);
      assert.match(mails[0].text, /object until \d{4}-\d{2}-\d{2} \(30 days\)/);
      assert.equal(await announceSubProcessorChanges(ctx, previous, "2#abc"), undefined, "announced once");
      const [, , , , changeId, token] = linkIn(mails[0].text, "/privacy/subprocessors/object/").split("/");
      await assert.rejects(
        recordObjection(ctx, Number(changeId), `${token.slice(0, -2)}xx`, "no", undefined),
        refused("LINK_INVALID", /not valid/),
      );
      assert.equal((await objectionLink(ctx, Number(changeId), token)).email, "it@acme.example");
      await recordObjection(ctx, Number(changeId), token, "Our patients' data may not go to Mailgun", "203.0.113.5");
      const [change] = await listSubProcessorChanges(ctx);
      assert.equal(change.objections.length, 1);
      assert.equal(change.objections[0].account, "acme", "recorded against the customer whose contact objected");
    } finally {
      ctx.setDeclaration(previous);
    }
  });

  it("a breach registered at T shows the GDPR deadline T+72h and the HIPAA deadline T+60d, and drafts an Art 33(3) notification with each required item", async () => {
    const T = new Date(ctx.clock().getTime() - 3600_000);
    const i = await registerIncident(
      ctx,
      {
        title: "Stolen laptop with a customer export",
        occurredAt: new Date(T.getTime() - DAY).toISOString(),
        awareAt: T.toISOString(),
        nature: ["confidentiality"],
        datasets: ["sqlite.customer", "sqlite.rental"],
        people: 620,
        records: 1800,
        jurisdictions: ["EU", "US-CA"],
        encrypted: false,
        risk: "high",
        riskReasoning: "Names, emails and rental history readable by the thief",
        consequences: "Phishing aimed at the customers",
        measures: "Remote wipe requested; passwords reset",
      },
      olga,
    );
    const clock = (key: string) => i.clocks.find((c) => c.key === key)!;
    assert.equal(clock("gdpr:authority").dueAt, new Date(T.getTime() + 72 * 3600_000).toISOString());
    assert.equal(clock("hipaa:individuals").dueAt, new Date(T.getTime() + 60 * DAY).toISOString());
    assert.equal(clock("gdpr:individuals").applies, "yes", "a high risk tells the people");
    assert.equal(clock("hipaa:media").applies, "check", "over 500: count per state");
    assert.equal(clock("gdpr:authority").countdown?.state, "on_time");
    assert.ok(
      i.clocks.some((c) => c.key === "gdpr:controller"),
      "a processor tells its controllers",
    );
    assert.match(i.reference, /^INC-\d{4}-\d{3}$/);
    const d = draftNotifications(ctx.declaration(), i, ctx.clock());
    for (const item of [
      /\(a\) Nature of the breach/,
      /Categories of personal data: .*Email/i,
      /approximately 620 people/,
      /approximately 1,800 records/,
      /\(b\) Contact point.*\n.*privacy@sakila\.example/,
      /\(c\) Likely consequences.*\n.*Phishing/,
      /\(d\) Measures.*\n.*Remote wipe/,
    ])
      assert.match(d.authority, item);
    assert.match(d.individuals, /What happened/);
    assert.ok(d.controllers);
    ctx.advance(73 * 3600_000);
    try {
      const late = (await import("../../src/governance/index.js")).getIncident(ctx, i.id);
      assert.equal((await late).clocks.find((c) => c.key === "gdpr:authority")!.countdown?.state, "overdue");
      assert.match(draftNotifications(ctx.declaration(), await late, ctx.clock()).authority, /Reasons for the delay/);
    } finally {
      ctx.advance(-73 * 3600_000);
    }
    const done = await markNotified(ctx, i.id, "gdpr:authority", "Sent to the IMY portal, case 2026-123", olga);
    assert.equal(
      done.clocks.find((c) => c.key === "gdpr:authority")!.countdown,
      undefined,
      "a done clock stops counting",
    );
    const form = await registerIncident(
      ctx,
      {
        title: "Typed in a form",
        occurredAt: "2026-11-30T08:00",
        awareAt: "2026-11-30T09:30",
        nature: "integrity",
        datasets: "sqlite.customer",
        jurisdictions: "EU",
        risk: "risk",
        riskReasoning: "Rows altered",
      },
      olga,
    );
    assert.equal(form.awareAt, "2026-11-30T09:30:00.000Z", "a form's time without a zone is UTC, as the form says");
    // The assessment changes; the moment of awareness does not (the update form does not send it).
    const updated = await updateIncident(
      ctx,
      i.id,
      {
        title: i.title,
        occurredAt: i.occurredAt,
        nature: i.nature,
        datasets: i.datasets,
        jurisdictions: i.jurisdictions,
        risk: "risk",
        riskReasoning: "The laptop was found, its disk encrypted after all",
        encrypted: true,
      },
      olga,
    );
    assert.equal(updated.awareAt, i.awareAt);
    assert.equal(updated.clocks.find((c) => c.key === "gdpr:individuals")!.applies, "no", "no longer a high risk");
    await assert.rejects(
      updateIncident(
        ctx,
        i.id,
        {
          title: i.title,
          occurredAt: i.occurredAt,
          awareAt: new Date(T.getTime() + 3600_000).toISOString(),
          nature: i.nature,
          datasets: i.datasets,
          jurisdictions: i.jurisdictions,
          risk: "high",
          riskReasoning: "moved",
        },
        olga,
      ),
      refused("INVALID", /cannot be moved/),
    );
    const low = await registerIncident(
      ctx,
      {
        title: "A misdirected mail, recalled",
        occurredAt: T.toISOString(),
        awareAt: T.toISOString(),
        nature: ["confidentiality"],
        datasets: ["sqlite.customer"],
        jurisdictions: ["EU"],
        risk: "none",
        riskReasoning: "Recalled before it was opened",
      },
      olga,
    );
    assert.equal(
      low.clocks.find((c) => c.key === "gdpr:authority")!.applies,
      "no",
      "documented, not notified (Art 33(5))",
    );
    // HIPAA's media clock: more than 500 residents of one state, once the people affected are counted per state.
    const base = { ...i, awareAt: i.awareAt, notified: {} };
    const media = (affectedBy: Record<string, number>) =>
      incidentClocks(ctx.declaration(), { ...base, affectedBy }, ctx.clock()).find((c) => c.key === "hipaa:media")!;
    assert.equal(media({ "US-CA": 620 }).applies, "yes");
    assert.match(media({ "US-CA": 620 }).why, /US-CA \(620\)/);
    assert.equal(media({ "US-CA": 400, "US-TX": 220 }).applies, "no", "620 people, but no state above 500");
  });
});
