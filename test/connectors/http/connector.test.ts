/**
 * The HTTP connector as an attacker and a busy vendor see it: data that holds another host's URL or dot segments
 * never moves a call off the declared host and path; `429` with `Retry-After` is honoured; a `400` stops at once with
 * the vendor's message, email addresses masked; the vendor's limit on calls in flight holds.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  buildRequest,
  ConnectorError,
  createVendorConnector,
  gateStats,
  VendorRequestError,
  vendorSpecFindings,
} from "../../../src/connectors/index.js";
import { parseDeclaration } from "../../../src/declaration/index.js";
import { minimalYaml } from "../../helpers/declarations.js";
import { startFakeVendors, type FakeVendors } from "../../../src/demo/vendors.js";

const ENV = { STRIPE_SECRET_KEY: "sk_test_x", SENDGRID_API_KEY: "sk_test_x" };

describe("a call is built only for the declared host and path", () => {
  const base = new URL("https://api.stripe.com");
  const del = { method: "DELETE" as const, path: "/v1/customers/{id}" };
  it("encodes every value into one path segment", () => {
    for (const id of [
      "../../v1/charges",
      "a/../../b",
      "https://evil.example/x",
      "cus_1?expand=all",
      "%2e%2e",
      "cus 1#x",
    ]) {
      const r = buildRequest(base, del, { id });
      assert.equal(r.url.origin, "https://api.stripe.com", id);
      assert.equal(r.url.pathname.split("/").length, 4, `${id} stayed one segment: ${r.url.pathname}`);
      assert.ok(r.url.pathname.startsWith("/v1/customers/"), r.url.pathname);
      assert.equal(r.url.search, "", id);
    }
  });
  it("refuses a dot segment and an empty one", () => {
    for (const id of ["..", ".", ""]) assert.throws(() => buildRequest(base, del, { id }), VendorRequestError);
  });
  it("keeps query and body values in their place", () => {
    const r = buildRequest(
      base,
      { method: "POST", path: "/v1/x", query: { email: "{email}" }, form: { name: "{name}" } },
      { email: "a@b.c&limit=1&url=https://evil.example", name: "x&email=other@example.com" },
    );
    assert.deepEqual([...r.url.searchParams.keys()], ["email"]);
    assert.deepEqual([...new URLSearchParams(r.body).keys()], ["name"]);
    const j = buildRequest(
      base,
      { method: "POST", path: "/v1/x", json: { q: "{email}", all: ["{email}"] } },
      {
        email: '"},"admin":true,"x":{"',
      },
    );
    assert.deepEqual(Object.keys(JSON.parse(j.body!)), ["q", "all"]);
  });
  it("refuses a header value with a line break", () => {
    assert.throws(
      () =>
        buildRequest(base, { method: "GET", path: "/v1/x", headers: { "X-Ref": "{ref}" } }, { ref: "a\r\nHost: evil" }),
      VendorRequestError,
    );
  });
});

describe("against a vendor stand-in", () => {
  let vendors: FakeVendors;
  let other: Server;
  let otherHits = 0;
  before(async () => {
    vendors = await startFakeVendors({ apiKey: "sk_test_x" });
    other = createServer((_, res) => {
      otherHits++;
      res.end("{}");
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
  });
  after(async () => {
    await vendors.close();
    other.close();
  });
  const stripe = () =>
    createVendorConnector("billing", { engine: "http", spec: "stripe", baseUrl: vendors.stripeUrl }, ENV);

  it("a record that holds another host's URL or ../ still deletes only on the declared path", async () => {
    const c = stripe();
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/steal`;
    const before = vendors.calls.length;
    await c.erase(
      [
        { id: otherUrl, record: {} },
        { id: "../../v1/customers", record: {} },
      ],
      {},
    );
    const calls = vendors.calls.slice(before);
    assert.equal(calls.length, 2);
    for (const call of calls) {
      assert.equal(call.method, "DELETE");
      assert.match(call.path, /^\/v1\/customers\/[^/]+$/, call.path);
    }
    assert.equal(otherHits, 0, "the other host was never called");
  });

  it("a next-page link to another host is not followed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-spec-"));
    const file = join(dir, "evil.yaml");
    writeFileSync(
      file,
      `name: Evil
baseUrl: https://api.example.com
auth: { type: bearer, token: { env: STRIPE_SECRET_KEY } }
identities: [email]
operations:
  find:
    email:
      request: { method: GET, path: /page }
      records: data
      id: id
      page: { nextUrl: next }
`,
    );
    const srv = createServer((_, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({ data: [{ id: "1" }], next: `http://127.0.0.1:${(other.address() as AddressInfo).port}/x` }),
      );
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    try {
      const c = createVendorConnector(
        "evil",
        { engine: "http", spec: file, baseUrl: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` },
        ENV,
      );
      await assert.rejects(c.find({ email: ["a@example.com"] }), /named a next page off/);
      assert.equal(otherHits, 0);
    } finally {
      srv.close();
    }
  });

  it("a redirect to another host is not followed: the call fails for staff, once", async () => {
    let hits = 0;
    const srv = createServer((_, res) => {
      hits++;
      res.writeHead(302, { location: `http://127.0.0.1:${(other.address() as AddressInfo).port}/v1/customers` });
      res.end();
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    try {
      const c = createVendorConnector(
        "billing",
        { engine: "http", spec: "stripe", baseUrl: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` },
        ENV,
      );
      const err = await c.find({ email: ["a@example.com"] }).catch((e: unknown) => e);
      assert.ok(err instanceof ConnectorError, String(err));
      assert.match(err.message, /Stripe answered 302/);
      assert.equal(err.permanent, true, "a redirect says the same on every try");
      assert.equal(hits, 1);
      assert.equal(otherHits, 0, "the host it pointed at was never called");
    } finally {
      srv.close();
    }
  });

  it("429 with Retry-After: waits that long, then goes on", async () => {
    vendors.addStripeCustomer({ email: "wait@example.net" });
    vendors.throttle(1, 1);
    const t0 = Date.now();
    const found = await stripe().find({ email: ["wait@example.net"] });
    assert.equal(found.length, 1);
    assert.ok(Date.now() - t0 >= 950, `waited ${Date.now() - t0} ms`);
  });

  it("a 400 fails once, permanently, with the vendor's message and the person's email masked", async () => {
    vendors.failNext(400, "Invalid email address: secret.person@example.org");
    const before = vendors.calls.length;
    const err = await stripe()
      .find({ email: ["secret.person@example.org"] })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ConnectorError);
    assert.equal(err.permanent, true);
    assert.equal(vendors.calls.length - before, 1, "one try");
    assert.match(err.message, /Stripe answered 400 on GET \/v1\/customers: Invalid email address: s•••@example\.org/);
    assert.doesNotMatch(err.message, /secret\.person/);
  });

  it("calls in flight never exceed the vendor's declared limit", async () => {
    for (let i = 0; i < 30; i++) vendors.addStripeCustomer({ email: `many${i}@example.net` });
    const c = stripe();
    const key = `Stripe@${new URL(vendors.stripeUrl).origin}`;
    gateStats.delete(key);
    await Promise.all(Array.from({ length: 30 }, (_, i) => c.find({ email: [`many${i}@example.net`] })));
    assert.ok((gateStats.get(key)?.maxInFlight ?? 0) <= c.spec.limits.concurrency);
    assert.equal(gateStats.get(key)?.calls, 30);
  });
});

describe("pledge check reads the processors' specs", () => {
  const decl = (spec: string, baseUrl = "") =>
    parseDeclaration(
      minimalYaml(`recipients:
  stripe: { name: Stripe, role: processor, country: US }
systems:
  billing: { name: Billing at Stripe, connector: { engine: http, spec: "${spec}", recipient: stripe${baseUrl} } }
`),
    ).declaration;
  it("a misspelled built-in or a missing file is an error that names what there is", () => {
    const [typo] = vendorSpecFindings(decl("strpe"));
    assert.equal(typo?.rule, "vendor-spec-unreadable");
    assert.equal(typo.severity, "error");
    assert.deepEqual(typo.path, ["systems", "billing", "connector", "spec"]);
    assert.match(typo.message, /no built-in vendor spec 'strpe' \(built in: .*stripe/);
    const [missing] = vendorSpecFindings(decl("./vendors/ours.yaml"), { cwd: tmpdir() });
    assert.match(missing?.message ?? "", /ours\.yaml does not exist/);
    assert.deepEqual(vendorSpecFindings(decl("stripe")), []);
  });
  it("with the environment (--live), a secret or base URL it does not set is an error, named", () => {
    const d = decl("stripe", ", baseUrl: { env: STRIPE_BASE }");
    const [f] = vendorSpecFindings(d, { env: {} });
    assert.equal(f?.rule, "vendor-secret-unset");
    assert.match(f.message, /STRIPE_SECRET_KEY, STRIPE_BASE are not set/);
    assert.deepEqual(vendorSpecFindings(d, { env: { STRIPE_SECRET_KEY: "sk", STRIPE_BASE: "https://x.example" } }), []);
  });
});

describe("OAuth2 client credentials", () => {
  it("asks the token endpoint once, sends the token as a bearer, and refuses a redirect from it", async () => {
    const seen: { path: string; auth: string; body: string }[] = [];
    let redirect = false;
    const srv = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ path: req.url ?? "", auth: String(req.headers.authorization ?? ""), body });
        if (req.url === "/token") {
          if (redirect) {
            res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
            return;
          }
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({ access_token: "tok-1", expires_in: 3600 }));
          return;
        }
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ data: [] }));
      });
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), "pledge-oauth-"));
    const spec = (tokenPath: string) => {
      const file = join(dir, `${tokenPath.slice(1)}.yaml`);
      writeFileSync(
        file,
        `name: OAuthVendor
baseUrl: ${base}
auth: { type: oauth2, tokenUrl: "${base}${tokenPath}", clientId: { env: OAUTH_ID }, clientSecret: { env: OAUTH_SECRET }, scope: privacy }
identities: [email]
operations:
  find:
    email:
      request: { method: GET, path: /people, query: { email: "{email}" } }
      records: data
      id: id
`,
      );
      return file;
    };
    try {
      const env = { OAUTH_ID: "client-1", OAUTH_SECRET: "s3cret" };
      const c = createVendorConnector("crm", { engine: "http", spec: spec("/token") }, env);
      await c.find({ email: ["a@example.com"] });
      await c.find({ email: ["b@example.com"] });
      const tokenCalls = seen.filter((x) => x.path === "/token");
      assert.equal(tokenCalls.length, 1, "the token is kept until it expires");
      assert.equal(tokenCalls[0].auth, `Basic ${Buffer.from("client-1:s3cret").toString("base64")}`);
      assert.deepEqual(Object.fromEntries(new URLSearchParams(tokenCalls[0].body)), {
        grant_type: "client_credentials",
        scope: "privacy",
      });
      assert.deepEqual(
        seen.filter((x) => x.path.startsWith("/people")).map((x) => x.auth),
        ["Bearer tok-1", "Bearer tok-1"],
      );
      // Another client id has no token yet; its token endpoint answers with a redirect, which is not followed.
      redirect = true;
      const d = createVendorConnector(
        "crm",
        { engine: "http", spec: spec("/token") },
        { ...env, OAUTH_ID: "client-2" },
      );
      const err = await d.find({ email: ["a@example.com"] }).catch((e: unknown) => e);
      assert.ok(err instanceof ConnectorError, String(err));
      assert.match(err.message, /token endpoint answered 302/);
      assert.equal(err.permanent, true);
    } finally {
      srv.close();
    }
  });
});
