/**
 * The public surface probed as an attacker would, from outside, with nothing
 * but HTTP, against the demo on each store: body caps, tokens in the log,
 * newsletter and sign-in abuse, cross-site sign-in, mail down, a failing
 * connector, a long request list, expired exports, and every public route
 * fed a body it must refuse.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { createApiToken, createUser, revokeApiToken } from "../../src/auth/index.js";
import { DEMO_DECLARATION } from "../../src/cli/index.js";
import { loadDeclaration, type LoadedDeclaration } from "../../src/declaration/index.js";
import { ensureDemoData } from "../../src/demo/index.js";
import { createMailer } from "../../src/mail/index.js";
import { createLogger, startServer, type RunningServer } from "../../src/server/index.js";
import { openStore } from "../../src/store/index.js";
import { testMailer } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";
import { type DemoApp, startDemoApp } from "../helpers/demo-app.js";

const ADA = "ada@example.net";

/** One raw HTTP exchange (GET with a body included, which fetch cannot send). */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

forEachStore("the public surface under attack", (target) => {
  let server: RunningServer;
  let loaded: LoadedDeclaration;
  const dir = mkdtempSync(join(tmpdir(), "pledge-hard-"));
  const log: string[] = [];
  const mailer = testMailer();
  const url = (path: string) => server.url + path;
  let ipSeq = 0;
  /**
   * A new client address for each scenario (the server trusts X-Forwarded-For here), so limits of one do not reach
   * another.
   */
  const nextIp = () => `203.0.113.${++ipSeq}`;
  const form = (fields: Record<string, string>, ip: string, extra: Record<string, string> = {}) => ({
    method: "POST",
    redirect: "manual" as const,
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip, ...extra },
    body: new URLSearchParams(fields).toString(),
  });
  const until = async <T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const signInAs = async (role: "viewer" | "owner") => {
    const email = `${role}-${randomBytes(3).toString("hex")}@fjord.example`;
    await createUser(server.store, { email, name: role, role, password: "correct horse battery" });
    const res = await fetch(url("/admin/login"), form({ email, password: "correct horse battery" }, nextIp()));
    assert.equal(res.status, 303);
    return res.headers.get("set-cookie")!.split(";")[0];
  };
  const submitAccess = async (identity: string) => {
    const res = await fetch(
      url("/privacy-center/requests"),
      form({ right: "access", identityType: "email", identity }, nextIp()),
    );
    assert.equal(res.status, 303);
    const id = /\/privacy-center\/verify\/(req_[\w-]+)/.exec(res.headers.get("location")!)![1];
    const verified = await fetch(
      url(`/privacy-center/verify/${id}`),
      form({ code: mailer.codeFor(identity) }, nextIp()),
    );
    assert.equal(verified.status, 303);
    return { id, token: /\/privacy-center\/requests\/([\w-]+)$/.exec(verified.headers.get("location")!)![1] };
  };

  let demo: DemoApp;
  before(async () => {
    loaded = await loadDeclaration(DEMO_DECLARATION);
    // The demo's processors, as `pledge serve --demo` starts them: their API key must never reach the log either.
    demo = await startDemoApp(
      dir,
      {
        ...target.options,
        declaration: loaded,
        mailer,
        logger: createLogger({ level: "debug", destination: { write: (line: string) => void log.push(line) } }),
        env: {
          PLEDGE_SECRET: "hardening-secret",
          PLEDGE_TRUST_PROXY: "1",
          PLEDGE_METRICS_TOKEN: "hardening-metrics-token",
        },
        settings: { backoffBaseMs: 50, backoffMaxMs: 100, maxAttempts: 2 },
      },
      { customers: 200, tickets: 80, logLines: 1500 },
    );
    server = demo.server;
  });
  after(async () => {
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // First, while no connector is open yet: a system whose database is gone.
  it("with a connector failing, the status page holds no path and no error; the log has a warn line and /metrics counts the failed task", async () => {
    const support = join(dir, ".pledge/demo/support.db");
    renameSync(support, `${support}.away`);
    try {
      const { id, token } = await submitAccess(ADA);
      await until("the failed task", async () =>
        (await server.store.db.selectFrom("requests").select("status").where("id", "=", id).executeTakeFirst())
          ?.status === "needs_attention"
          ? true
          : undefined,
      );
      const page = await (await fetch(url(`/privacy-center/requests/${token}`))).text();
      assert.match(page, /One of our systems is taking longer than usual; we are retrying/);
      for (const leak of ["support.db", "does not exist", dir, "SQLite", "Error"])
        assert.ok(!page.includes(leak), `the page shows ${leak}`);
      const warn = log
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.level === 40 && l.msg === "request task failed; left for staff");
      assert.ok(warn, "a warn-level line");
      assert.equal(warn.system, "support");
      assert.match(String(warn.error), /support\.db/, "staff see the detail in the log");
      const metrics = await (
        await fetch(url("/metrics"), { headers: { authorization: "Bearer hardening-metrics-token" } })
      ).text();
      assert.match(metrics, /^pledge_request_tasks\{kind="collect",state="failed"\} 1$/m);
      assert.match(
        metrics,
        /^pledge_request_task_failures_total\{exhausted="true",kind="collect",system="support"\} 1$/m,
      );
      assert.match(metrics, /^pledge_request_tasks_due \d+$/m);
      // Staff see it too.
      const admin = await (
        await fetch(url(`/admin/requests/${id}`), { headers: { cookie: await signInAs("viewer") } })
      ).text();
      assert.match(admin, /support\.db/);
    } finally {
      renameSync(`${support}.away`, support);
    }
  });

  it("no token of any kind reaches the log after a full request and a newsletter round trip", async () => {
    const before = log.length;
    const { token } = await submitAccess(ADA);
    const code = mailer.codeFor(ADA);
    await until("the export", async () =>
      (await (await fetch(url(`/privacy-center/requests/${token}`))).text()).includes('id="download"')
        ? true
        : undefined,
    );
    const zip = await fetch(url(`/privacy-center/requests/${token}/export`));
    assert.equal(zip.status, 200);
    await zip.arrayBuffer();

    const who = "round.trip@example.org";
    assert.equal((await fetch(url("/newsletter/trail_notes"), form({ email: who }, nextIp()))).status, 303);
    const mail = mailer.sent.filter((m) => m.to === who).at(-1)!.text;
    const confirm = /\/newsletter\/confirm\/([\w-]+)/.exec(mail)![1];
    const manage = /\/newsletter\/unsubscribe\/([\w-]+)/.exec(mail)![1];
    assert.equal((await fetch(url(`/newsletter/confirm/${confirm}`))).status, 200);
    assert.equal((await fetch(url(`/newsletter/confirm/${confirm}`), form({}, nextIp()))).status, 200);
    assert.equal((await fetch(url(`/newsletter/preferences/${manage}`))).status, 200);
    assert.equal(
      (await fetch(url(`/newsletter/unsubscribe/${manage}`), form({ "List-Unsubscribe": "One-Click" }, nextIp())))
        .status,
      200,
    );
    const cookie = await signInAs("viewer");
    const session = cookie.split("=")[1];

    const written = log.slice(before).join("");
    assert.match(written, /"route":"\/privacy-center\/requests\/:token\/export"/, "the log names the route");
    for (const [name, secret] of Object.entries({
      token,
      code,
      confirm,
      manage,
      session,
      vendorKey: demo.standIns.env.STRIPE_SECRET_KEY,
    }))
      assert.ok(!written.includes(secret), `the ${name} is in the log`);
    assert.ok(!written.includes(ADA) && !written.includes(who), "nor the people's addresses");
  });

  it("a 1 MB body to /consent/records answers 413, streamed or declared; undeclared and countless services are refused", async () => {
    const big = JSON.stringify({
      deviceId: "d".repeat(32),
      categories: {},
      services: { x: "given" },
      pad: "p".repeat(1024 * 1024),
    });
    const declared = await fetch(url("/consent/records"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: big,
    });
    assert.equal(declared.status, 413);
    assert.equal(((await declared.json()) as { error: { code: string } }).error.code, "body_too_large");
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        url("/consent/records"),
        { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      let sent = 0;
      const write = () => {
        while (sent < 64) {
          sent++;
          if (!req.write("x".repeat(16 * 1024))) return void req.once("drain", write);
        }
        req.end();
      };
      write();
    });
    assert.equal(streamed, 413, "a body without Content-Length is cut off at the cap");

    const record = (services: Record<string, string>) =>
      fetch(url("/consent/records"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ deviceId: "device-0123456789abcdef", categories: { analytics: "given" }, services }),
      });
    const undeclared = await record({ evil_tracker: "given" });
    assert.equal(undeclared.status, 422);
    assert.match(
      ((await undeclared.json()) as { error: { message: string } }).error.message,
      /services\.evil_tracker: unknown service \(expected one of session, locale, matomo, meta_pixel\)/,
    );
    assert.equal((await record({ constructor: "given" })).status, 422, "a key of Object.prototype is no service");
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`s${i}`, "given"]));
    assert.equal((await record(many)).status, 400);
    assert.equal((await record({ matomo: "given" })).status, 201);
    const cats = await fetch(url("/consent/records"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ deviceId: "device-0123456789abcdef", categories: { constructor: "given" } }),
    });
    assert.equal(cats.status, 422);
    // Parsed, __proto__ is an own key; copied into a record it would vanish, and the rest be stored as if it were not
    // there.
    for (const body of [
      '{"deviceId":"device-0123456789abcdef","categories":{"__proto__":"given","analytics":"given"}}',
      '{"deviceId":"device-0123456789abcdef","categories":{"analytics":"given"},"services":{"__proto__":{"x":1}}}',
    ]) {
      const proto = await fetch(url("/consent/records"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      assert.equal(proto.status, 400);
      assert.match(await proto.text(), /__proto__ is not accepted/);
    }
    const protoForm = await fetch(url("/privacy-center/requests"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: "right=access&identity=ada%40example.net&__proto__=x",
    });
    assert.equal(protoForm.status, 400);
    assert.equal((await fetch(url("/newsletter/constructor"))).status, 404);
  });

  it("a malformed multipart body answers 400, with no error in the log", async () => {
    const before = log.length;
    const res = await fetch(url("/privacy-center/requests"), {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=XYZ" },
      body: "--nope\r\ngarbage",
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /not a well-formed multipart form/);
    assert.ok(!log.slice(before).some((l) => (JSON.parse(l) as { level: number }).level >= 50), "no error-level line");
  });

  it("a viewer's consent page shows no working newsletter token; the 6th sign-up for one address answers 429, and the answer never tells a subscriber", async () => {
    const victim = "victim@example.org";
    const first = await fetch(url("/newsletter/trail_notes"), form({ email: victim }, nextIp()));
    assert.equal(first.status, 303);
    const firstPage = first.headers.get("location");
    const confirm = /\/newsletter\/confirm\/([\w-]+)/.exec(mailer.sent.filter((m) => m.to === victim).at(-1)!.text)![1];
    const page = await (await fetch(url("/admin/consent"), { headers: { cookie: await signInAs("viewer") } })).text();
    assert.ok(!page.includes(confirm), "the confirm token is not on the page");
    assert.match(page, /\/newsletter\/confirm\/\[redacted\]/, "the proof keeps the text, its link redacted");
    for (const [, t] of page.matchAll(/\/newsletter\/(?:confirm|unsubscribe|preferences)\/([\w-]{20,})/g)) {
      assert.notEqual(
        (await fetch(url(`/newsletter/confirm/${t}`), form({}, nextIp()))).status,
        200,
        "no link on the page works",
      );
    }
    const row = await server.store.db
      .selectFrom("newsletter_subscriptions")
      .select("status")
      .where("email", "=", victim)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "pending", "nobody confirmed it for the victim");

    for (let i = 2; i <= 5; i++)
      assert.equal(
        (await fetch(url("/newsletter/trail_notes"), form({ email: victim }, nextIp()))).status,
        303,
        `sign-up ${i}`,
      );
    const sixth = await fetch(url("/newsletter/trail_notes"), form({ email: victim }, nextIp()));
    assert.equal(sixth.status, 429);
    assert.match(await sixth.text(), /too many sign-ups for this address/);
    assert.equal(mailer.sent.filter((m) => m.to === victim).length, 5, "five mails, not six");

    // A confirmed subscriber and a stranger get the same page.
    const member = "member@example.org";
    await fetch(url("/newsletter/trail_notes"), form({ email: member }, nextIp()));
    const t = /\/newsletter\/confirm\/([\w-]+)/.exec(mailer.sent.filter((m) => m.to === member).at(-1)!.text)![1];
    assert.equal((await fetch(url(`/newsletter/confirm/${t}`), form({}, nextIp()))).status, 200);
    const again = await fetch(url("/newsletter/trail_notes"), form({ email: member }, nextIp()));
    assert.equal(again.status, 303);
    assert.equal(again.headers.get("location"), firstPage);
    assert.match(
      mailer.sent.filter((m) => m.to === member).at(-1)!.subject,
      /already subscribed/,
      "the subscriber hears of it by mail",
    );
    const json = await fetch(url("/newsletter/trail_notes"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": nextIp() },
      body: JSON.stringify({ email: member }),
    });
    assert.deepEqual(await json.json(), { status: "pending" });

    // The sending tool's list: a viewer sees who subscribes, never a subscriber's manage link.
    const viewerToken = await createApiToken(server.store, `viewer-${randomBytes(3).toString("hex")}`, "viewer");
    const officerToken = await createApiToken(server.store, `officer-${randomBytes(3).toString("hex")}`, "officer");
    for (const format of ["json", "csv"]) {
      const asViewer = await (
        await fetch(url(`/v1/newsletters/trail_notes/subscribers?format=${format}`), {
          headers: { authorization: `Bearer ${viewerToken}` },
        })
      ).text();
      assert.match(asViewer, /member@example\.org/);
      assert.ok(!/unsubscribe/i.test(asViewer), `a viewer's ${format} holds no unsubscribe link`);
    }
    const asOfficer = (await (
      await fetch(url("/v1/newsletters/trail_notes/subscribers"), {
        headers: { authorization: `Bearer ${officerToken}` },
      })
    ).json()) as { subscribers: { email: string; unsubscribeUrl: string }[] };
    const link = asOfficer.subscribers.find((x) => x.email === member)!.unsubscribeUrl;
    assert.match(link, /\/newsletter\/unsubscribe\/[\w-]{40,}$/);
    // An officer revokes the member's links from the console: the old one stops working.
    const officerCookie = await signInAs("owner");
    const consolePage = await (await fetch(url("/admin/consent"), { headers: { cookie: officerCookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(consolePage)![1];
    const revoked = await fetch(url("/admin/consent/revoke-links"), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: officerCookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, email: member }).toString(),
    });
    assert.equal(revoked.status, 303);
    const oldLink = link.replace(/^https?:\/\/[^/]+/, server.url);
    assert.equal((await fetch(oldLink.replace("/unsubscribe/", "/preferences/"))).status, 404);
    const oneClick = await fetch(oldLink, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    assert.equal(oneClick.status, 404, "the revoked link unsubscribes nobody");
  });

  it("the right password still signs in after 10 wrong tries from another network; the guesser's network is stopped", async () => {
    const email = "owner-lockout@fjord.example";
    await createUser(server.store, { email, name: "Owen", role: "owner", password: "the right password" });
    const attacker = nextIp();
    for (let i = 0; i < 10; i++)
      assert.equal((await fetch(url("/admin/login"), form({ email, password: `guess ${i}` }, attacker))).status, 401);
    assert.equal(
      (await fetch(url("/admin/login"), form({ email, password: "the right password" }, attacker))).status,
      429,
      "the guesser's network is stopped",
    );
    const owner = await fetch(url("/admin/login"), form({ email, password: "the right password" }, nextIp()));
    assert.equal(owner.status, 303, "the owner, elsewhere, signs in");
    // A right password gives back the place it took: an owner signing in often from one network is never stopped.
    const home = nextIp();
    for (let i = 0; i < 12; i++)
      assert.equal(
        (await fetch(url("/admin/login"), form({ email, password: "the right password" }, home))).status,
        303,
        `sign-in ${i + 1}`,
      );
  });

  it("behind the proxy, a first X-Forwarded-For entry the client writes changes nothing: 40 guesses at once get 10 tries, and one email gets 50 from anywhere", async () => {
    const email = "parallel@fjord.example";
    await createUser(server.store, { email, name: "Pat", role: "officer", password: "the right password" });
    // The proxy appends the address it saw; everything to its left is the client's own writing.
    const guesser = nextIp();
    const rotated = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(
          url("/admin/login"),
          form({ email, password: `guess ${i}` }, `10.${i}.${i}.${i}, 192.0.2.${i}, ${guesser}`),
        ).then((r) => r.status),
      ),
    );
    // Tries that arrive together are each counted before any password is checked: at most the limit get through (fewer
    // when they race on PostgreSQL, which refuses rather than lets one more in).
    const tried = rotated.filter((s) => s === 401).length;
    assert.ok(tried >= 1 && tried <= 10, `statuses: ${rotated.join(" ")}`);
    assert.equal(rotated.filter((s) => s === 429).length, 40 - tried);
    // From 60 networks at once, the email itself is capped.
    const spread = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(url("/admin/login"), form({ email, password: `spread ${i}` }, nextIp())).then((r) => r.status),
      ),
    );
    const spreadTried = spread.filter((s) => s === 401).length;
    assert.ok(spreadTried >= 1 && tried + spreadTried <= 50, `50 failures in all for the email: ${spread.join(" ")}`);
    assert.equal(spread.filter((s) => s === 429).length, 60 - spreadTried);
    // Codes are counted the same way: 25 requests at once from one client get the 20 its network may have.
    const client = nextIp();
    const codes = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        fetch(
          url("/privacy-center/requests"),
          form(
            { right: "access", identityType: "email", identity: `person${i}@example.org` },
            `${nextIp()}, ${client}`,
          ),
        ).then((r) => r.status),
      ),
    );
    const sent = codes.filter((s) => s === 303).length;
    assert.ok(sent >= 1 && sent <= 20, `statuses: ${codes.join(" ")}`);
    assert.equal(codes.filter((s) => s === 429).length, 25 - sent);
  });

  it("refuses a cross-site sign-in", async () => {
    const email = "cross@fjord.example";
    await createUser(server.store, { email, name: "Cross", role: "viewer", password: "the right password" });
    const ok = { email, password: "the right password" };
    const evil = await fetch(url("/admin/login"), form(ok, nextIp(), { origin: "https://evil.example" }));
    assert.equal(evil.status, 403);
    assert.equal(evil.headers.get("set-cookie"), null);
    assert.equal(
      (await fetch(url("/admin/login"), form(ok, nextIp(), { "sec-fetch-site": "cross-site" }))).status,
      403,
    );
    assert.equal((await fetch(url("/admin/login"), form(ok, nextIp(), { origin: "null" }))).status, 403);
    assert.equal(
      (await fetch(url("/admin/login"), form(ok, nextIp(), { origin: server.url, "sec-fetch-site": "same-origin" })))
        .status,
      303,
    );
    // Chromium under `Referrer-Policy: no-referrer` posts its own forms with `Origin: null` and says same-origin.
    assert.equal(
      (await fetch(url("/admin/login"), form(ok, nextIp(), { origin: "null", "sec-fetch-site": "same-origin" })))
        .status,
      303,
    );
    assert.equal(
      (await fetch(url("/admin/login"), form(ok, nextIp(), { origin: "null", "sec-fetch-site": "same-site" }))).status,
      403,
    );
  });

  it("with 600 requests in the store, a new open request is listed first, in the console and the API", async () => {
    // Every earlier request has been handled; 600 closed ones fill the store.
    await server.store.db
      .updateTable("requests")
      .set({ status: "completed", completed_at: new Date().toISOString() })
      .execute();
    const template = await server.store.db.selectFrom("requests").selectAll().limit(1).executeTakeFirstOrThrow();
    const rows = Array.from({ length: 600 }, (_, i) => ({
      ...template,
      id: `req_bulk${String(i).padStart(6, "0")}`,
      reference: null,
      status: "completed",
      status_token_hash: randomBytes(16).toString("hex"),
      completed_at: new Date(Date.now() - i * 60_000).toISOString(),
    }));
    for (let i = 0; i < rows.length; i += 100)
      await server.store.db
        .insertInto("requests")
        .values(rows.slice(i, i + 100))
        .execute();
    const res = await fetch(
      url("/privacy-center/requests"),
      form({ right: "erasure", identityType: "email", identity: "newcomer@example.org" }, nextIp()),
    );
    const id = /(req_[\w-]+)/.exec(res.headers.get("location")!)![1];
    const cookie = await signInAs("viewer");
    const page = await (await fetch(url("/admin/requests"), { headers: { cookie } })).text();
    assert.equal(/href="\/admin\/requests\/(req_[\w-]+)"/.exec(page)![1], id);
    assert.match(page, /Requests 1–100 of \d{3}/);
    const next = await (await fetch(url("/admin/requests?page=7"), { headers: { cookie } })).text();
    assert.match(next, /req_bulk/);
    const token = await createApiToken(server.store, "lister", "viewer");
    const api = (await (
      await fetch(url("/api/v1/requests?limit=5"), { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { requests: { id: string }[]; total: number };
    assert.equal(api.requests[0].id, id);
    assert.equal(api.requests.length, 5);
    assert.ok(api.total >= 601);
  });

  it("a revoked API token is refused at once by the server that revokes it, and by every server on PostgreSQL", async () => {
    const token = await createApiToken(server.store, "revoked-soon", "viewer");
    const call = () => fetch(url("/api/v1/requests?limit=1"), { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await call()).status, 200, "and cached");
    const cookie = await signInAs("owner");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(
      await (await fetch(url("/admin/requests"), { headers: { cookie } })).text(),
    )![1];
    const list = (await (await fetch(url("/api/v1/tokens"), { headers: { cookie } })).json()) as {
      tokens: { id: number; name: string }[];
    };
    const id = list.tokens.find((t) => t.name === "revoked-soon")!.id;
    const revoked = await fetch(url(`/api/v1/tokens/${id}/revoke`), {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf },
    });
    assert.equal(revoked.status, 200);
    assert.equal((await call()).status, 401);
    if (target.name === "postgres") {
      // Another process (the CLI) revokes on the shared database: the server hears of it.
      const other = await createApiToken(server.store, "revoked-elsewhere", "viewer");
      const callOther = () => fetch(url("/api/v1/requests?limit=1"), { headers: { authorization: `Bearer ${other}` } });
      assert.equal((await callOther()).status, 200);
      const cli = await openStore(target.options);
      try {
        assert.equal(await revokeApiToken(cli, "revoked-elsewhere"), 1);
      } finally {
        await cli.close();
      }
      await until(
        "the revocation to reach the server",
        async () => ((await callOther()).status === 401 ? true : undefined),
        2000,
      );
    }
  });

  it("the banner posts to the Host it was asked for only with a Vary: Host", async () => {
    const res = await raw(url("/consent/banner.js"), "GET", { host: "evil.example" });
    assert.match(res.text, /"endpoint":"http:\/\/evil\.example\/consent\/records"/);
    const vary = await fetch(url("/consent/banner.js"));
    assert.match(vary.headers.get("vary") ?? "", /\bHost\b/);
  });

  it("an expired export's bytes are gone from the store once anyone looks, not only at the next sweep", async () => {
    const { id, token } = await submitAccess(ADA);
    // The request closes after its export is stored: wait for both, or the page still says "in progress".
    const sealed = await until("the export and the request's close", async () => {
      const done =
        (await server.store.db.selectFrom("requests").select("status").where("id", "=", id).executeTakeFirst())
          ?.status === "completed";
      return done
        ? (await server.store.db.selectFrom("exports").select("data").where("request_id", "=", id).executeTakeFirst())
            ?.data
        : undefined;
    });
    const needle = Buffer.from(sealed as Uint8Array).subarray(200, 264);
    await server.store.db
      .updateTable("exports")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("request_id", "=", id)
      .execute();
    const page = await (await fetch(url(`/privacy-center/requests/${token}`))).text();
    assert.match(page, /Your download has expired/);
    assert.equal((await fetch(url(`/privacy-center/requests/${token}/export`))).status, 410);
    assert.equal(
      await server.store.db.selectFrom("exports").select("request_id").where("request_id", "=", id).executeTakeFirst(),
      undefined,
    );
    if (target.options.sqlitePath) {
      for (const file of [target.options.sqlitePath, `${target.options.sqlitePath}-wal`]) {
        if (existsSync(file))
          assert.equal(readFileSync(file).indexOf(needle), -1, `the sealed bytes are still in ${file}`);
      }
    }
  });

  it("every public route refuses an oversized body, a malformed multipart body and a wrong content type with a 4xx", async () => {
    const sample: Record<string, string> = {
      token: "A".repeat(43),
      id: "req_AAAAAAAAAAAA",
      list: "trail_notes",
      version: "1",
    };
    const publicRoutes = server.pledge.routes.routes.filter((r) => r.access === "public");
    assert.ok(publicRoutes.length > 20);
    for (const r of publicRoutes) {
      const path = r.path.replace(/:(\w+)/g, (_, p: string) => sample[p]);
      const method = r.method.toUpperCase();
      const cases: [string, Record<string, string>, Buffer][] = [
        ["oversized", { "content-type": "application/json" }, Buffer.alloc(7 * 1024 * 1024, 0x20)],
        [
          "malformed multipart",
          { "content-type": "multipart/form-data; boundary=B" },
          Buffer.from("--X\r\nContent-Disposition: form-data\r\n\r\nbroken"),
        ],
        ["wrong content type", { "content-type": "application/xml" }, Buffer.from("<a>1</a>")],
      ];
      for (const [what, headers, body] of cases) {
        const res = await raw(
          url(path),
          method,
          { ...headers, "content-length": String(body.length), "x-forwarded-for": nextIp() },
          body,
        ).catch((err: Error) => ({ status: 0, text: err.message }));
        assert.ok(
          res.status >= 400 && res.status < 500,
          `${method} ${r.path} with a ${what} body answered ${res.status}: ${res.text.slice(0, 200)}`,
        );
      }
    }
  });
});

forEachStore("mail down at submission", (target) => {
  let server: RunningServer;
  const dir = mkdtempSync(join(tmpdir(), "pledge-smtp-"));
  before(async () => {
    ensureDemoData(join(dir, ".pledge/demo"), { customers: 50, tickets: 20, logLines: 100 });
    server = await startServer({
      ...target.options,
      declaration: await loadDeclaration(DEMO_DECLARATION),
      port: 0,
      dataDir: join(dir, ".pledge"),
      cwd: dir,
      worker: false,
      // Nothing listens on port 1: every send fails as an unreachable SMTP server does.
      mailer: createMailer({ smtpUrl: "smtp://127.0.0.1:1" }),
      console: () => {},
      logger: createLogger({ level: "silent" }),
      env: { PLEDGE_SECRET: "s", PLEDGE_PUBLIC_URL: "https://privacy.fjord.example" },
    });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const counts = async () => {
    const n = async (table: "requests" | "verifications" | "rate_events" | "newsletter_subscriptions") =>
      Number(
        (
          await server.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      requests: await n("requests"),
      codes: await n("verifications"),
      limits: await n("rate_events"),
      signups: await n("newsletter_subscriptions"),
    };
  };

  it("the privacy-center form answers with an HTML page and stores nothing; so does a newsletter sign-up", async () => {
    const before = await counts();
    const res = await fetch(`${server.url}/privacy-center/requests`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ right: "access", identityType: "email", identity: ADA }).toString(),
    });
    assert.equal(res.status, 503);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const page = await res.text();
    assert.match(page, /We could not send you the email with your code just now, so nothing was saved/);
    assert.ok(!page.includes("127.0.0.1") && !page.includes("ECONNREFUSED"));
    const json = await fetch(`${server.url}/privacy-center/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ right: "access", identity: ADA }),
    });
    assert.equal(json.status, 503);
    assert.equal(((await json.json()) as { error: { code: string } }).error.code, "mail_unavailable");
    const signup = await fetch(`${server.url}/newsletter/trail_notes`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=reader%40example.org",
    });
    assert.equal(signup.status, 503);
    assert.match(await signup.text(), /nothing was saved/);
    assert.deepEqual(await counts(), before, "no request, code, sign-up or spent limit");
  });

  it("the banner posts to PLEDGE_PUBLIC_URL whatever Host a request names", async () => {
    const res = await raw(`${server.url}/consent/banner.js`, "GET", { host: "evil.example" });
    assert.match(res.text, /"endpoint":"https:\/\/privacy\.fjord\.example\/consent\/records"/);
  });
});
