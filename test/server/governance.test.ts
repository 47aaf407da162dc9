/**
 * The governance registers over HTTP: the machine APIs, the customer's links, the public pages and the console's forms.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { createApiToken, createSession, createUser } from "../../src/auth/index.js";
import { parseDeclaration } from "../../src/declaration/index.js";
import { createApp, createLogger, startServer } from "../../src/server/index.js";
import type { Store } from "../../src/store/index.js";
import { GOVERNANCE_YAML } from "../helpers/governance.js";
import { shopDeclaration } from "../helpers/rental-shop.js";
import { loadedAs, testContext, testMailer, type TestContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

const yaml = (extra = "") =>
  shopDeclaration(["sqlite"]).replace("roles: [controller]", "roles: [controller, processor]") +
  GOVERNANCE_YAML +
  extra;
const decl = parseDeclaration(yaml(), "pledge.yaml").declaration;
const form = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
  return p.toString();
};

forEachStore("governance over HTTP", (target) => {
  let store: Store;
  let ctx: TestContext;
  let token: string;
  let officer: { cookie: string; csrf: string };
  let owner: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };
  const app = () =>
    createApp({
      store,
      declaration: () => loadedAs(decl),
      logger: createLogger({ level: "silent" }),
      requests: ctx,
    }).app;
  const session = async (email: string, role: "viewer" | "officer" | "owner") => {
    const u = await createUser(store, { email, name: email.split("@")[0], role, password: "correct horse battery" });
    const s = await createSession(store, u);
    return { cookie: `pledge_session=${s.token}`, csrf: s.csrf };
  };
  const postForm = (
    a: ReturnType<typeof app>,
    path: string,
    who: { cookie: string; csrf: string },
    fields: Record<string, string | string[]>,
  ) =>
    a.request(path, {
      method: "POST",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: form({ ...fields, _csrf: who.csrf }),
    });

  before(async () => {
    store = await target.open();
    ctx = testContext(store, decl, { env: { SHOP_LITE: "/nonexistent.db" } });
    token = await createApiToken(store, `tools-${target.name}`, "viewer");
    officer = await session(`olga-${target.name}@sakila.example`, "officer");
    owner = await session(`owen-${target.name}@sakila.example`, "owner");
    viewer = await session(`vic-${target.name}@sakila.example`, "viewer");
    const a = app();
    assert.equal(
      (
        await postForm(a, "/admin/governance/customers", owner, {
          account: "acme",
          name: "Acme Clinic",
          contactEmail: "it@acme.example",
          jurisdictions: "EU, US-CA",
          startedAt: "2025-03-01",
        })
      ).status,
      303,
    );
  });
  after(async () => {
    await store.close();
  });

  it("the gate denies without a grant, allows once the customer approves through the mailed link, and the link works once", async () => {
    const a = app();
    const check = async () =>
      (await (
        await a.request(`/v1/access-grants/check?staff=vic-${target.name}@sakila.example&account=acme&class=email`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { decision: string; grant?: { id: number } };
    assert.equal((await check()).decision, "deny");
    const asked = await postForm(a, "/admin/governance/access", viewer, {
      account: "acme",
      classes: "email",
      reason: "purpose:support",
      justification: "Lost mail reported in ticket 4411",
      endsAt: new Date(Date.now() + 86_400_000).toISOString().slice(0, 16),
    });
    assert.equal(asked.status, 303);
    const mail = ctx.mailer.sent.at(-1)!;
    assert.equal(mail.to, "it@acme.example");
    const path = /http:\/\/pledge\.test(\/access-consent\/[A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const page = await a.request(path);
    assert.equal(page.status, 200);
    const pageHtml = await page.text();
    assert.match(pageHtml, /Lost mail reported in ticket 4411/);
    assert.match(pageHtml, /<strong>Email<\/strong>/, "the class by its declared name");
    assert.match(pageHtml, /Purpose: Support the customer at their own request/);
    assert.equal((await check()).decision, "deny", "opening the link decides nothing");
    const approved = await a.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "203.0.113.9" },
      body: "decision=approve",
    });
    assert.equal(approved.status, 200);
    assert.match(await approved.text(), /Access approved/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await check()).decision, "allow");
    assert.equal(
      (
        await a.request(path, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "decision=approve",
        })
      ).status,
      410,
    );
    assert.equal(
      (await a.request(`/v1/access-grants/check?staff=x&account=acme&class=email`)).status,
      401,
      "the gate is for authenticated tools",
    );
  });

  it("an exception approved by its requester is refused with 403; the console shows a refused form again with the reason", async () => {
    const a = app();
    const officerToken = await createApiToken(store, `officer-tools-${target.name}`, "officer");
    const r = await a.request("/admin/governance/access", {
      method: "POST",
      headers: { authorization: `Bearer ${officerToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        account: "acme",
        classes: ["files"],
        reason: "exception:aup_violation",
        justification: "Spam complaints about this account",
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    });
    assert.equal(r.status, 200);
    const id = ((await r.json()) as { result: { id: number } }).result.id;
    const self = await a.request(`/admin/governance/access/${id}/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${officerToken}`, "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(self.status, 403);
    assert.match(
      ((await self.json()) as { error: { message: string } }).error.message,
      /nobody approves their own request/,
    );
    const ok = await postForm(a, `/admin/governance/access/${id}/approve`, owner, {});
    assert.equal(ok.status, 303);
    const bad = await postForm(a, "/admin/governance/access", viewer, {
      account: "acme",
      classes: "email",
      reason: "purpose:support",
      justification: "short",
      endsAt: "2099-01-01T00:00",
    });
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /role="alert"[^>]*>justification: explain why/);
    assert.match(html, /<form method="post" action="\/admin\/governance\/access">/);
  });

  it("/v1/agreements answers no BAA until one is accepted", async () => {
    const a = app();
    const ask = async () =>
      (await (
        await a.request("/v1/agreements?counterparty=acme&type=baa", { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { inForce: boolean; reason: string };
    assert.deepEqual(await ask().then((x) => x.inForce), false);
    assert.equal(
      (await postForm(a, "/admin/governance/agreements", officer, { account: "acme", agreement: "hipaa_baa" })).status,
      303,
    );
    const list = (await (
      await a.request("/api/v1/governance/agreements", { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { agreements: { id: number | null; agreement: string }[] };
    const id = list.agreements.find((x) => x.agreement === "hipaa_baa")!.id!;
    const fd = new FormData();
    fd.append("_csrf", officer.csrf);
    fd.append("file", new File([new TextEncoder().encode("%PDF signed BAA")], "baa.pdf", { type: "application/pdf" }));
    assert.equal(
      (
        await a.request(`/admin/governance/agreements/${id}/document`, {
          method: "POST",
          headers: { cookie: officer.cookie },
          body: fd,
        })
      ).status,
      303,
    );
    assert.match((await ask()).reason, /under review, and binds only once accepted/);
    const doc = await a.request(`/admin/governance/agreements/${id}/document`, { headers: { cookie: viewer.cookie } });
    assert.equal(await doc.text(), "%PDF signed BAA");
    assert.equal(doc.headers.get("content-disposition"), 'attachment; filename="baa.pdf"');
    assert.equal(
      (await postForm(a, `/admin/governance/agreements/${id}/accept`, viewer, {})).status,
      403,
      "a viewer cannot accept",
    );
    const own = await postForm(a, `/admin/governance/agreements/${id}/accept`, officer, {});
    assert.equal(own.status, 403, "whoever filed the copy does not accept it");
    assert.match(await own.text(), /a second staff member reviews and accepts it/);
    assert.equal((await postForm(a, `/admin/governance/agreements/${id}/accept`, owner, {})).status, 303);
    assert.equal((await ask()).inForce, true);
    assert.equal(
      (
        (await (
          await a.request("/v1/agreements?counterparty=acme&type=gdpr_addendum", {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { inForce: boolean }
      ).inForce,
      true,
    );
  });

  it("a session refused before its form is signed starts once the customer signs online through the one-time link", async () => {
    const a = app();
    const bearer = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const planned = await a.request("/admin/governance/sessions", {
      method: "POST",
      headers: bearer,
      body: JSON.stringify({ account: "acme", purpose: "Upgrade the controller firmware" }),
    });
    const id = ((await planned.json()) as { result: { id: number } }).result.id;
    const early = await a.request(`/admin/governance/sessions/${id}/start`, {
      method: "POST",
      headers: bearer,
      body: "{}",
    });
    assert.equal(early.status, 409);
    assert.match(
      ((await early.json()) as { error: { message: string } }).error.message,
      /has not signed the Remote Session Security Verification form/,
    );
    assert.equal(
      (await a.request(`/admin/governance/sessions/${id}/send-form`, { method: "POST", headers: bearer, body: "{}" }))
        .status,
      200,
    );
    const link = /http:\/\/pledge\.test(\/session-form\/[A-Za-z0-9_-]+)/.exec(ctx.mailer.sent.at(-1)!.text)![1];
    assert.match(await (await a.request(link)).text(), /Upgrade the controller firmware/);
    const signed = await a.request(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=Ada+Admin",
    });
    assert.equal(signed.status, 200);
    assert.equal((await a.request(link)).status, 410, "the link works once");
    assert.equal(
      (await a.request(`/admin/governance/sessions/${id}/start`, { method: "POST", headers: bearer, body: "{}" }))
        .status,
      200,
    );
    const form = await a.request(`/admin/governance/sessions/${id}/form`, { headers: { cookie: viewer.cookie } });
    assert.match(await form.text(), /Signed by Ada Admin \(it@acme\.example\)/);
  });

  it("a gag set from the console keeps the customer from being told until its date, and out of every count outside the console", async () => {
    const a = app();
    const legalOpen = async () => {
      const text = await (await a.request("/metrics", { headers: { authorization: `Bearer ${token}` } })).text();
      return Number(/^pledge_governance_items\{item="legal_open"\} (\d+)$/m.exec(text)![1]);
    };
    const before = await legalOpen();
    const reg = await postForm(a, "/admin/governance/legal", officer, {
      reference: `W-${target.name}`,
      authority: "District Court",
      instrument: "warrant",
      jurisdiction: "US-CA",
      accounts: "mary.smith@sakila.example",
      dataAsked: "Rentals",
    });
    assert.equal(reg.status, 303);
    const list = (await (
      await a.request("/api/v1/governance/legal", { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { legal: { id: number; reference: string }[] };
    const id = list.legal.find((l) => l.reference === `W-${target.name}`)!.id;
    assert.equal(await legalOpen(), before + 1, "an open warrant without a gag is counted");
    // A national security letter is counted only as a band, in the transparency report: never exactly in the metrics.
    const nsl = await postForm(a, "/admin/governance/legal", officer, {
      reference: `NSL-${target.name}`,
      authority: "FBI",
      instrument: "national_security_letter",
      jurisdiction: "US-CA",
      accounts: "mary.smith@sakila.example",
      dataAsked: "Subscriber information",
    });
    assert.equal(nsl.status, 303);
    assert.equal(await legalOpen(), before + 1, "the letter is not counted");
    const short = await postForm(a, `/admin/governance/legal/${id}/gag`, officer, {
      gagUntil: "2099-01-01",
      reason: "no",
    });
    assert.equal(short.status, 422);
    assert.match(await short.text(), /role="alert"[^>]*>reason: say what requires/);
    assert.equal(
      (
        await postForm(a, `/admin/governance/legal/${id}/gag`, officer, {
          gagUntil: "2099-01-01",
          reason: "The warrant's non-disclosure order, para 4",
        })
      ).status,
      303,
    );
    assert.equal(await legalOpen(), before, "the gagged warrant is no longer counted");
    const page = await (
      await a.request(`/admin/governance/legal/${id}`, { headers: { cookie: viewer.cookie } })
    ).text();
    assert.match(
      page,
      /the customer may not be told before <time datetime="2099-01-01T00:00:00.000Z">2099-01-01 00:00<\/time>/,
    );
  });

  it("a disclosure is first shown (what the package holds, and what could not be read), and built only when confirmed", async () => {
    const a = app();
    await postForm(a, "/admin/governance/legal", officer, {
      reference: `D-${target.name}`,
      authority: "District Court",
      instrument: "court_order",
      jurisdiction: "US-CA",
      accounts: "mary.smith@sakila.example",
      dataAsked: "Rentals",
    });
    const list = (await (
      await a.request("/api/v1/governance/legal", { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { legal: { id: number; reference: string; status: string }[] };
    const id = list.legal.find((l) => l.reference === `D-${target.name}`)!.id;
    const checks = { issuer_identified: "on", authentic_document: "on", proper_service: "on", jurisdiction: "on" };
    assert.equal(
      (
        await postForm(a, `/admin/governance/legal/${id}/verify`, officer, {
          ...checks,
          specific_scope: "on",
          note: "Called the clerk of the court on the number on its website",
        })
      ).status,
      303,
    );
    assert.equal(
      (
        await postForm(a, `/admin/governance/legal/${id}/decide`, owner, {
          comply: "yes",
          reason: "A valid order, specific in scope",
          scope: "Rentals",
        })
      ).status,
      303,
    );
    // The register's page offers a review, not the package; a form that skips the review is sent to it.
    const page = await (
      await a.request(`/admin/governance/legal/${id}`, { headers: { cookie: officer.cookie } })
    ).text();
    assert.match(page, new RegExp(`href="/admin/governance/legal/${id}/disclose"`));
    const skipped = await postForm(a, `/admin/governance/legal/${id}/disclose`, officer, {});
    assert.equal(skipped.status, 303);
    assert.equal(skipped.headers.get("location"), `/admin/governance/legal/${id}/disclose`);
    const preview = await a.request(`/admin/governance/legal/${id}/disclose`, { headers: { cookie: officer.cookie } });
    assert.equal(preview.status, 200);
    const text = await preview.text();
    assert.match(text, /What the package will hold/);
    // The shop's database is missing here: the preview says so, and the package would not be built.
    assert.match(text, /could not be read/);
    const after = (await (
      await a.request("/api/v1/governance/legal", { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { legal: { id: number; status: string }[] };
    assert.equal(after.legal.find((l) => l.id === id)!.status, "decided", "nothing was disclosed");
  });

  it("publishes the sub-processor list and a transparency report without personal data; every console page renders", async () => {
    const a = app();
    const sp = await (await a.request("/privacy/subprocessors")).text();
    assert.match(sp, /Amazon Web Services/);
    assert.match(sp, /the 2021 standard contractual clauses/);
    assert.match(sp, /action="\/newsletter\/subprocessor_updates"/);
    const tr = await a.request("/privacy/transparency");
    assert.equal(tr.status, 200);
    const trHtml = await tr.text();
    assert.match(trHtml, /Transparency report \d{4}/);
    assert.match(trHtml, /0–999 received \(reported only in bands of 1,000/);
    const notice = await (await a.request("/privacy")).text();
    assert.match(notice, /href="\/privacy\/transparency"/, "the notice links the report it publishes");
    // Pledge mails a change when the declaration is published: it cannot promise "before", only "when", with the date
    // it takes effect.
    assert.match(
      notice,
      /to be told when one is added or changed, with the date the change takes effect; a customer may object within 30 days/,
    );
    const unpublished = parseDeclaration(yaml().replace(", transparencyReport: true", ""), "pledge.yaml").declaration;
    const b = createApp({
      store,
      declaration: () => loadedAs(unpublished),
      logger: createLogger({ level: "silent" }),
      requests: { ...ctx, declaration: () => unpublished },
    }).app;
    assert.equal(
      (await b.request("/privacy/transparency")).status,
      404,
      "published only where the declaration says so",
    );
    assert.doesNotMatch(await (await b.request("/privacy")).text(), /privacy\/transparency/);
    for (const p of [
      "",
      "/customers",
      "/access",
      "/sessions",
      "/legal",
      "/agreements",
      "/subprocessors",
      "/incidents",
    ]) {
      const res = await a.request(`/admin/governance${p}`, { headers: { cookie: viewer.cookie } });
      assert.equal(res.status, 200, p);
    }
    const inc = await a.request("/admin/governance/incidents", {
      method: "POST",
      headers: {
        authorization: `Bearer ${await createApiToken(store, `inc-${target.name}`, "officer")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        title: "Lost backup tape",
        occurredAt: "2026-11-30T08:00",
        awareAt: new Date(Date.now() - 3600_000).toISOString(),
        nature: ["availability", "confidentiality"],
        datasets: ["sqlite.customer"],
        jurisdictions: ["EU"],
        risk: "risk",
        riskReasoning: "Tape unencrypted, location unknown",
      }),
    });
    assert.equal(inc.status, 200);
    const id = ((await inc.json()) as { result: { id: number } }).result.id;
    const page = await (
      await a.request(`/admin/governance/incidents/${id}`, { headers: { cookie: viewer.cookie } })
    ).text();
    assert.match(page, /GDPR Art 33\(1\)/);
    assert.match(page, /\(a\) Nature of the breach/);
    assert.equal(
      (await a.request(`/admin/governance/incidents/${id}/report`, { headers: { cookie: viewer.cookie } })).status,
      200,
    );
    assert.equal((await a.request("/metrics")).status, 401, "the registers' counts are not public");
    const metrics = await (await a.request("/metrics", { headers: { authorization: `Bearer ${token}` } })).text();
    assert.match(
      metrics,
      /^pledge_governance_items\{item="incidents_open"\} [1-9]/m,
      "monitoring sees the open incident",
    );
    assert.match(metrics, /^pledge_governance_items\{item="breach_clocks_overdue"\} 0$/m);
    assert.equal(
      (await a.request(`/admin/governance/incidents/${id}/mailing-list.csv`, { headers: { cookie: viewer.cookie } }))
        .status,
      403,
      "the mailing list is for officers",
    );
  });
});

it("a server started on a declaration that adds a sub-processor mails the confirmed subscribers once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-sp-"));
  const mailer = testMailer();
  const silent = createLogger({ level: "silent" });
  try {
    const v1 = parseDeclaration(yaml(), "pledge.yaml");
    const first = await startServer({
      declaration: v1,
      port: 0,
      sqlitePath: join(dir, "p.db"),
      logger: silent,
      mailer,
      worker: false,
      env: { PLEDGE_SECRET: "s" },
    });
    const signup = await fetch(`${first.url}/newsletter/subprocessor_updates`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "it@acme.example" }),
    });
    assert.equal(signup.status, 202);
    const confirm = /\/newsletter\/confirm\/[A-Za-z0-9_-]+/.exec(mailer.sent.at(-1)!.text)![0];
    assert.equal(
      (
        await fetch(first.url + confirm, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
      200,
    );
    await first.close();
    const v2src = yaml(
      "  mailgun: { name: Mailgun Technologies, description: Sending mail, role: sub_processor, country: US, transfer: { mechanisms: [dpf] } }\n",
    )
      .replace('version: "1"', 'version: "2"')
      .replace("subProcessors: [aws]", "subProcessors: [aws, mailgun]");
    const before = mailer.sent.length;
    for (let round = 0; round < 2; round++) {
      const s = await startServer({
        declaration: parseDeclaration(v2src, "pledge.yaml"),
        port: 0,
        sqlitePath: join(dir, "p.db"),
        logger: silent,
        mailer,
        worker: false,
        env: { PLEDGE_SECRET: "s" },
      });
      await new Promise((r) => setTimeout(r, 300));
      await s.close();
    }
    const notices = mailer.sent.slice(before).filter((m) => /sub-processors/.test(m.subject));
    assert.equal(notices.length, 1, "announced once, though the server started twice");
    assert.equal(notices[0].to, "it@acme.example");
    assert.match(notices[0].text, /added: Mailgun Technologies/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
