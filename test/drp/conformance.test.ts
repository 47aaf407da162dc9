/**
 * The Data Rights Protocol from the agent's side, against the app on both stores: an agent registered and approved in
 * the console, its key setup, each right DRP names filed signed, polled and revoked, the status callbacks it receives,
 * and every bad signature (a wrong key, a replay, an expired or future message, another business) refused and
 * audited. An erasure filed by the agent runs through the rights-request pipeline: the person confirms with their own
 * code, the shop's rows go (checked by hand-written SQL), the processor is told, and the agent's callback hears it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import * as ed from "@noble/ed25519";
import BetterSqlite3 from "better-sqlite3";
import { createApiToken } from "../../src/auth/index.js";
import { chainAll } from "../../src/audit/index.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { deliverCallbacks } from "../../src/drp/index.js";
import { verifyRequest } from "../../src/requests/index.js";
import type { Store } from "../../src/store/index.js";
import { runUntilSettled, testApp, testContext, type TestContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

const PERSON = "ann@example.org";
const OTHER = "bob@example.org";
const BUSINESS = "ACME_SHOP";

function makeShop(dir: string): void {
  const db = new BetterSqlite3(join(dir, "shop.db"));
  // Real data is not tidy: Ann's address is stored in capitals.
  db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total INTEGER);
    INSERT INTO customers VALUES (1, 'ANN@EXAMPLE.ORG', 'Ann'), (2, '${OTHER}', 'Bob'), (3, 'cat@example.org', 'Cat');
    INSERT INTO orders VALUES (10, 1, 100), (11, 1, 200), (20, 2, 300), (30, 3, 400);`);
  db.close();
}

const yaml = (hook: string) => `version: "1"
effectiveDate: 2026-01-01
organization: { name: Acme, roles: [controller], country: US, contact: { email: privacy@acme.example }, jurisdictions: [US-CA, EU], defaultJurisdiction: US-CA }
purposes:
  orders: { name: Orders, legalBasis: contract, dataCategories: [user.contact.email, user.name, user.financial.billing_history], dataSubjects: [customer], retention: r, recipients: [partner] }
  ads: { name: Ads, legalBasis: consent, dataCategories: [user.contact.email], dataSubjects: [customer], retention: r, sold: true, recipients: [partner] }
retention:
  r: { period: 1 year, from: collection, action: delete }
recipients:
  partner:
    name: Partner Ltd
    role: processor
    country: DE
    dpa: true
    notify: { webhook: { url: "${hook}", secret: { env: PARTNER_SECRET } } }
rights:
  offered: [access, erasure, opt_out_sale, complaint]
  channels: [{ type: web, address: /privacy-center }]
  authorizedAgents: { allowed: true, drp: { businessId: ${BUSINESS} } }
  notifyRecipients: [erasure]
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
      orders:
        fields:
          id: { primaryKey: true }
          customer_id: { references: customers.id }
          total: { category: user.financial.billing_history }
`;

/** An agent as the DRP network knows it: an id and an Ed25519 key pair. */
interface TestAgent {
  id: string;
  secretKey: Uint8Array;
  verifyKey: string;
  token?: string;
}

async function newAgent(id: string): Promise<TestAgent> {
  const { secretKey, publicKey } = await ed.keygenAsync();
  return { id, secretKey, verifyKey: Buffer.from(publicKey).toString("base64") };
}

/** Signs a JSON message in libsodium's combined mode (signature, then message), base64-encoded. */
async function sign(key: Uint8Array, message: object): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(message));
  const sig = await ed.signAsync(bytes, key);
  return Buffer.concat([sig, bytes]).toString("base64");
}

const envelope = (agent: TestAgent, over: Record<string, unknown> = {}) => ({
  "agent-id": agent.id,
  "business-id": BUSINESS,
  "issued-at": new Date(Date.now() - 1000).toISOString(),
  "expires-at": new Date(Date.now() + 5 * 60_000).toISOString(),
  "drp.version": "1.0",
  ...over,
});

forEachStore("DRP conformance", (target) => {
  let store: Store;
  let dir: string;
  let decl: Declaration;
  let ctx: TestContext;
  let app: ReturnType<typeof testApp>;
  let hooks: Server;
  let agentServer: Server;
  let callbackUrl: string;
  const callbacks: { status: string; request_id: string; reason?: string }[] = [];
  const partnerHeard: string[] = [];
  let officerToken: string;
  let ownerToken: string;
  let agent: TestAgent;
  let stranger: TestAgent;

  const api = (path: string, init: RequestInit & { token?: string } = {}) =>
    app.request(path, {
      ...init,
      headers: {
        ...(init.body ? { "content-type": "text/plain" } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const staff = (path: string, token: string, body: object = {}) =>
    app.request(path, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const refusals = async () => {
    await chainAll(store);
    return (
      await store.db.selectFrom("audit_log").select(["actor", "data"]).where("action", "=", "drp.refused").execute()
    ).map((r) => ({ actor: r.actor, ...(JSON.parse(r.data) as { call: string; reason: string }) }));
  };
  const file = async (a: TestAgent, claims: Record<string, unknown>) => {
    const res = await api("/v1/data-rights-request", {
      method: "POST",
      token: a.token,
      body: await sign(a.secretKey, { ...envelope(a), ...claims }),
    });
    return { res, status: res.status, json: (await res.json()) as Record<string, string> };
  };

  before(async () => {
    store = await target.open();
    dir = mkdtempSync(join(tmpdir(), "pledge-drp-"));
    makeShop(dir);
    hooks = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        partnerHeard.push(body);
        res.writeHead(204).end();
      });
    });
    agentServer = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        callbacks.push(JSON.parse(body) as (typeof callbacks)[number]);
        res.writeHead(200).end("ignored");
      });
    });
    await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", () => r()));
    await new Promise<void>((r) => agentServer.listen(0, "127.0.0.1", () => r()));
    callbackUrl = `http://127.0.0.1:${(agentServer.address() as AddressInfo).port}/drp/status`;
    decl = parseDeclaration(yaml(`http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`)).declaration;
    ctx = testContext(store, decl, {
      cwd: dir,
      env: { PARTNER_SECRET: "partner-secret", PLEDGE_DRP_INSECURE_CALLBACKS: "1" },
    });
    app = testApp(store, decl, ctx);
    officerToken = await createApiToken(store, `drp-officer-${target.name}`, "officer");
    ownerToken = await createApiToken(store, `drp-owner-${target.name}`, "owner");
    agent = await newAgent("PERMISSION_SLIP");
    stranger = await newAgent("STRANGER");
  });
  after(async () => {
    await store.close();
    hooks.close();
    agentServer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("every DRP route but key setup answers 401 without the agent's token (walking the route table)", async () => {
    const { createApp, createLogger } = await import("../../src/server/index.js");
    const { loadedAs } = await import("../helpers/requests.js");
    const { routes } = createApp({
      store,
      declaration: () => loadedAs(decl),
      logger: createLogger({ level: "silent" }),
      requests: ctx,
    });
    const agentRoutes = routes.routes.filter((r) => r.access === "agent");
    assert.deepEqual(agentRoutes.map((r) => `${r.method} ${r.path}`).sort(), [
      "delete /v1/data-rights-request/:id",
      "get /v1/agent/:agentId",
      "get /v1/data-rights-request/:id",
      "post /v1/data-rights-request",
    ]);
    for (const r of agentRoutes) {
      const path = r.path.replace(":id", "req_AAAAAAAAAAAA").replace(":agentId", "SOME_AGENT");
      const res = await api(path, { method: r.method.toUpperCase(), ...(r.body ? { body: "AAAA" } : {}) });
      assert.equal(res.status, 401, `${r.method} ${r.path}`);
    }
  });

  it("refuses key setup from an agent nobody registered, with a bare 403, and audits it", async () => {
    const res = await api(`/v1/agent/${stranger.id}`, {
      method: "POST",
      body: await sign(stranger.secretKey, envelope(stranger)),
    });
    assert.equal(res.status, 403);
    assert.equal(await res.text(), "");
    assert.ok((await refusals()).some((r) => r.call === "agent" && r.reason === "unknown_agent"));
  });

  it("an officer registers the agent; it waits until an owner approves it and its key", async () => {
    const doc = {
      id: agent.id,
      name: "Permission Slip",
      verify_key: agent.verifyKey,
      technical_contact: "drp@agent.example",
      identity_assurance_url: "https://agent.example/identity",
    };
    const bad = await staff("/admin/agents", officerToken, { ...doc, verify_key: "bm90IGEga2V5" });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /verify_key: expected the base64 of a 32-byte Ed25519 public key/);
    assert.equal((await staff("/admin/agents", officerToken, doc)).status, 200);
    // Pending: its signed setup is refused.
    const early = await api(`/v1/agent/${agent.id}`, {
      method: "POST",
      body: await sign(agent.secretKey, envelope(agent)),
    });
    assert.equal(early.status, 403);
    // An officer cannot approve; an owner can.
    assert.equal((await staff(`/admin/agents/${agent.id}/approve`, officerToken)).status, 403);
    assert.equal((await staff(`/admin/agents/${agent.id}/approve`, ownerToken)).status, 200);
    const page = await app.request("/admin/agents", { headers: { authorization: `Bearer ${ownerToken}` } });
    const html = await page.text();
    assert.match(html, /Permission Slip/);
    assert.match(html, /approved/);
  });

  it("key setup gives a pairwise token; agent information answers {} to it and 403 for another agent id", async () => {
    const res = await api(`/v1/agent/${agent.id}`, {
      method: "POST",
      body: await sign(agent.secretKey, envelope(agent)),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { "agent-id": string; token: string };
    assert.equal(body["agent-id"], agent.id);
    assert.ok(body.token.length >= 32);
    agent.token = body.token;
    const info = await api(`/v1/agent/${agent.id}`, { token: agent.token });
    assert.equal(info.status, 200);
    assert.deepEqual(await info.json(), {});
    assert.equal((await api(`/v1/agent/OTHER_AGENT`, { token: agent.token })).status, 403);
    assert.equal((await api(`/v1/agent/${agent.id}`)).status, 401);
    assert.equal((await api(`/v1/agent/${agent.id}`, { token: "not-a-token" })).status, 403);
  });

  it("refuses and audits a wrong key, a replay, an expired or future message and another business", async () => {
    const claims = { exercise: "access", email: OTHER };
    // Signed with a key that is not the agent's.
    const forged = await api("/v1/data-rights-request", {
      method: "POST",
      token: agent.token,
      body: await sign(stranger.secretKey, { ...envelope(agent), ...claims }),
    });
    assert.equal(forged.status, 403);
    assert.equal(((await forged.json()) as { code: string }).code, "403");
    // One message byte changed after signing.
    const good = await sign(agent.secretKey, { ...envelope(agent), ...claims, "agent-request-id": "r-replay" });
    const bytes = Buffer.from(good, "base64");
    bytes[bytes.length - 3] ^= 1;
    const tampered = await api("/v1/data-rights-request", {
      method: "POST",
      token: agent.token,
      body: bytes.toString("base64"),
    });
    assert.equal(tampered.status, 403);
    // The good one is accepted once, and refused as a replay the second time.
    const first = await api("/v1/data-rights-request", { method: "POST", token: agent.token, body: good });
    assert.equal(first.status, 200);
    const again = await api("/v1/data-rights-request", { method: "POST", token: agent.token, body: good });
    assert.equal(again.status, 403);
    assert.match(((await again.json()) as { message: string }).message, /used before/);
    const expired = await api("/v1/data-rights-request", {
      method: "POST",
      token: agent.token,
      body: await sign(agent.secretKey, {
        ...envelope(agent, {
          "issued-at": new Date(Date.now() - 20 * 60_000).toISOString(),
          "expires-at": new Date(Date.now() - 10 * 60_000).toISOString(),
        }),
        ...claims,
      }),
    });
    assert.equal(expired.status, 403);
    assert.deepEqual(((await expired.json()) as { fatal?: boolean }).fatal, true);
    const future = await api("/v1/data-rights-request", {
      method: "POST",
      token: agent.token,
      body: await sign(agent.secretKey, {
        ...envelope(agent, { "issued-at": new Date(Date.now() + 10 * 60_000).toISOString() }),
        ...claims,
      }),
    });
    assert.equal(future.status, 403);
    const elsewhere = await api("/v1/data-rights-request", {
      method: "POST",
      token: agent.token,
      body: await sign(agent.secretKey, { ...envelope(agent, { "business-id": "SOMEONE_ELSE" }), ...claims }),
    });
    assert.equal(elsewhere.status, 403);
    const reasons = (await refusals()).filter((r) => r.actor === `drp:${agent.id}`).map((r) => r.reason);
    for (const reason of ["bad_signature", "replayed", "expired", "not_yet_valid", "business_mismatch"])
      assert.ok(reasons.includes(reason), `${reason} audited (${reasons.join(", ")})`);
    // No identity reaches the audit log with a refusal.
    const rows = await store.db.selectFrom("audit_log").select("data").where("action", "=", "drp.refused").execute();
    assert.ok(rows.every((r) => !r.data.includes(OTHER)));
  });

  it("an erasure filed by the agent: the person's code, the pipeline, rows gone, the processor told, the callback", async () => {
    const filed = await file(agent, {
      exercise: "deletion",
      regime: "ccpa",
      name: "Ann",
      email: PERSON,
      email_verified: true,
      "agent-request-id": "slip-1",
      status_callback: callbackUrl,
    });
    assert.equal(filed.status, 200, JSON.stringify(filed.json));
    const id = filed.json.request_id;
    assert.equal(filed.json.status, "in_progress");
    assert.equal(filed.json.reason, "need_user_verification");
    assert.equal(filed.json.agent_request_id, "slip-1");
    assert.ok(filed.json.expected_by > filed.json.received_at, "expected_by is the legal deadline");
    assert.match(filed.json.user_verification_url, new RegExp(`/privacy-center/verify/${id}$`));
    // The person's own code went to the person, never to the agent.
    assert.ok(ctx.mailer.sent.every((m) => m.to !== "drp@agent.example"));
    const verified = await verifyRequest(ctx, id, ctx.mailer.codeFor(PERSON));
    assert.equal(verified.ok, true);
    assert.equal(await runUntilSettled(ctx, id), "completed");
    // Ann's rows are gone (her address stored in capitals), everyone else's stay.
    const shop = new BetterSqlite3(join(dir, "shop.db"), { readonly: true });
    const customers = shop.prepare("SELECT id FROM customers ORDER BY id").all() as { id: number }[];
    const orders = shop.prepare("SELECT id FROM orders ORDER BY id").all() as { id: number }[];
    shop.close();
    assert.deepEqual(
      customers.map((c) => c.id),
      [2, 3],
    );
    assert.deepEqual(
      orders.map((o) => o.id),
      [20, 30],
    );
    assert.ok(
      partnerHeard.some((b) => b.includes("erasure")),
      "the processor was told of the erasure",
    );
    assert.equal(await deliverCallbacks({ requests: ctx, insecureCallbacks: true }), 1);
    const last = callbacks.filter((c) => c.request_id === id).at(-1);
    assert.equal(last?.status, "fulfilled");
    // Told once: nothing new, nothing sent again.
    assert.equal(await deliverCallbacks({ requests: ctx, insecureCallbacks: true }), 0);
    const polled = await api(`/v1/data-rights-request/${id}`, { token: agent.token });
    assert.equal(((await polled.json()) as { status: string }).status, "fulfilled");
    // The same agent request id again is the same request, not a second one.
    const twice = await file(agent, { exercise: "deletion", email: PERSON, "agent-request-id": "slip-1" });
    assert.equal(twice.json.request_id, id);
  });

  it("files each right DRP names: opt-out at once, access with the person's code, unsupported ones refused", async () => {
    const optOut = await file(agent, { exercise: "sale:opt_out", regime: "ccpa", email: OTHER });
    assert.equal(optOut.status, 200);
    assert.equal(await runUntilSettled(ctx, optOut.json.request_id), "completed");
    const polled = await api(`/v1/data-rights-request/${optOut.json.request_id}`, { token: agent.token });
    assert.equal(((await polled.json()) as { status: string }).status, "fulfilled");
    for (const exercise of ["access", "access:categories", "access:specific"]) {
      const r = await file(agent, { exercise, email: "cat@example.org" });
      assert.equal(r.status, 200, `${exercise}: ${JSON.stringify(r.json)}`);
      assert.equal(r.json.reason, "need_user_verification");
    }
    const optIn = await file(agent, { exercise: "sale:opt_in", email: OTHER });
    assert.equal(optIn.status, 400);
    assert.match(optIn.json.message, /sale:opt_in is not supported here/);
    const noEmail = await file(agent, { exercise: "access", phone_number: "+14155550100" });
    assert.equal(noEmail.status, 400);
    assert.match(noEmail.json.message, /message\.email: required/);
    const lgpd = await file(agent, { exercise: "access", email: OTHER, regime: "lgpd" });
    assert.equal(lgpd.status, 400);
  });

  it("an erasure for someone the shop never knew ends denied, no_match, once every system was searched", async () => {
    const r = await file(agent, { exercise: "deletion", email: "nobody@example.org", status_callback: callbackUrl });
    const id = r.json.request_id;
    assert.equal((await verifyRequest(ctx, id, ctx.mailer.codeFor("nobody@example.org"))).ok, true);
    assert.equal(await runUntilSettled(ctx, id), "completed");
    const polled = (await (await api(`/v1/data-rights-request/${id}`, { token: agent.token })).json()) as {
      status: string;
      reason: string;
    };
    assert.deepEqual([polled.status, polled.reason], ["denied", "no_match"]);
    await deliverCallbacks({ requests: ctx, insecureCallbacks: true });
    assert.deepEqual(
      callbacks.filter((c) => c.request_id === id).map((c) => `${c.status}/${c.reason ?? ""}`),
      ["denied/no_match"],
    );
  });

  it("a request that waits for its person holds no other request's callback back", async () => {
    // The oldest request with a callback waits for its code; a later one completes. One callback a run is enough to
    // reach the later one, because only changed requests are looked at.
    await file(agent, { exercise: "access", email: "waits@example.org", status_callback: callbackUrl });
    await deliverCallbacks({ requests: ctx, insecureCallbacks: true });
    const r = await file(agent, { exercise: "deletion", email: "cat@example.org", status_callback: callbackUrl });
    assert.equal((await verifyRequest(ctx, r.json.request_id, ctx.mailer.codeFor("cat@example.org"))).ok, true);
    assert.equal(await runUntilSettled(ctx, r.json.request_id), "completed");
    assert.equal(await deliverCallbacks({ requests: ctx, insecureCallbacks: true }, 1), 1);
    assert.equal(callbacks.at(-1)?.request_id, r.json.request_id);
    assert.equal(callbacks.at(-1)?.status, "fulfilled");
  });

  it("revokes an open request, signed; a second revoke is 409 and another agent is forbidden", async () => {
    const r = await file(agent, { exercise: "deletion", email: OTHER, status_callback: callbackUrl });
    const id = r.json.request_id;
    // Another approved agent cannot see or revoke it.
    const other = await newAgent("OTHER_AGENT");
    await staff("/admin/agents", officerToken, {
      id: other.id,
      name: "Other",
      verify_key: other.verifyKey,
      technical_contact: "tech@other.example",
    });
    await staff(`/admin/agents/${other.id}/approve`, ownerToken);
    other.token = (
      (await (
        await api(`/v1/agent/${other.id}`, { method: "POST", body: await sign(other.secretKey, envelope(other)) })
      ).json()) as { token: string }
    ).token;
    assert.equal((await api(`/v1/data-rights-request/${id}`, { token: other.token })).status, 403);
    const stolen = await api(`/v1/data-rights-request/${id}`, {
      method: "DELETE",
      token: other.token,
      body: await sign(other.secretKey, { reason: "mine now" }),
    });
    assert.equal(stolen.status, 403);
    const revoked = await api(`/v1/data-rights-request/${id}`, {
      method: "DELETE",
      token: agent.token,
      body: await sign(agent.secretKey, { ...envelope(agent), reason: "the person changed their mind" }),
    });
    assert.equal(revoked.status, 200);
    assert.equal(((await revoked.json()) as { status: string }).status, "revoked");
    const row = await store.db.selectFrom("requests").select("status").where("id", "=", id).executeTakeFirstOrThrow();
    assert.equal(row.status, "withdrawn");
    const twice = await api(`/v1/data-rights-request/${id}`, {
      method: "DELETE",
      token: agent.token,
      body: await sign(agent.secretKey, { ...envelope(agent), reason: "again" }),
    });
    assert.equal(twice.status, 409);
    // Bob's rows were never touched.
    const shop = new BetterSqlite3(join(dir, "shop.db"), { readonly: true });
    assert.equal((shop.prepare("SELECT count(*) AS n FROM customers WHERE id = 2").get() as { n: number }).n, 1);
    shop.close();
  });

  it("a revoked agent's token ends at once", async () => {
    assert.equal((await staff(`/admin/agents/${agent.id}/revoke`, ownerToken)).status, 200);
    assert.equal((await api(`/v1/agent/${agent.id}`, { token: agent.token })).status, 403);
  });
});
