/**
 * What HTTP Observatory and RFC 8058 ask of the responses: a Permissions-Policy and one framing rule on pages, the
 * consent receipt readable cross-origin only by the organization's named sites and never cached, the newsletter
 * preferences page never cached, a warning at start when newsletters are on and the public URL is not HTTPS, and a
 * status page that updates without a meta refresh.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { simpleParser } from "mailparser";
import { createTransport } from "nodemailer";
import { DEMO_DECLARATION } from "../../src/cli/index.js";
import { unsubscribeUrlWarning } from "../../src/consent/index.js";
import { loadDeclaration, type LoadedDeclaration } from "../../src/declaration/index.js";
import { createLogger, startServer, type RunningServer } from "../../src/server/index.js";
import { testMailer } from "../helpers/requests.js";

const SHOP = "https://shop.fjord.example";

describe("security headers, the receipt, RFC 8058 and the status page", () => {
  let server: RunningServer;
  let loaded: LoadedDeclaration;
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "pledge-headers-"));
  const mailer = testMailer();

  before(async () => {
    loaded = await loadDeclaration(DEMO_DECLARATION);
    server = await startServer({
      declaration: loaded,
      port: 0,
      dataDir: join(dir, ".pledge"),
      cwd: dir,
      mailer,
      console: (line) => lines.push(line),
      logger: createLogger({ level: "silent" }),
      // No public URL: the server's own http:// address is used, which RFC 8058 does not allow.
      env: { PLEDGE_SECRET: "headers-secret", PLEDGE_CONSENT_ORIGINS: `${SHOP}, *` },
    });
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pages carry a Permissions-Policy and one framing rule (CSP frame-ancestors, no X-Frame-Options)", async () => {
    for (const path of ["/privacy", "/privacy-center", "/admin/login"]) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200, path);
      const policy = res.headers.get("permissions-policy") ?? "";
      for (const feature of ["camera=()", "microphone=()", "geolocation=()", "payment=()"])
        assert.ok(policy.includes(feature), `${path}: ${feature} in ${policy}`);
      assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, path);
      assert.equal(res.headers.get("x-frame-options"), null, `${path}: a second framing rule`);
    }
  });

  it("the consent receipt: no wildcard origin, the named site only, never cached", async () => {
    const device = "dev-headers-0123456789";
    const stored = await fetch(`${server.url}/consent/records`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ deviceId: device, categories: { analytics: "given" } }),
    });
    assert.equal(stored.status, 201);
    // The banner's own calls still work from any site the declaration allows with "*".
    assert.equal(stored.headers.get("access-control-allow-origin"), "*");
    const foreign = await fetch(`${server.url}/consent/receipt?device=${device}`, {
      headers: { origin: "https://evil.example" },
    });
    assert.equal(foreign.status, 200);
    assert.equal(foreign.headers.get("access-control-allow-origin"), null, "another site cannot read the receipt");
    assert.equal(foreign.headers.get("cache-control"), "no-store");
    const own = await fetch(`${server.url}/consent/receipt?device=${device}`, { headers: { origin: SHOP } });
    assert.equal(own.headers.get("access-control-allow-origin"), SHOP);
    const receipt = (await own.json()) as { records: { ip: string | null; userAgent: string | null }[] };
    assert.equal(receipt.records.length, 1);
  });

  it("warns at start that the one-click unsubscribe link is not HTTPS; the preferences page is never cached", async () => {
    const warning = lines.find((l) => l.includes("RFC 8058"));
    assert.ok(warning, lines.join("\n"));
    assert.match(
      warning,
      /newsletters are on \(trail_notes\) and the public URL http:\/\/127\.0\.0\.1:\d+ is not HTTPS/,
    );
    // The mail as a mail client reads it (mailparser): the one-click headers, and the address they point at.
    const who = "headers@example.net";
    const signup = await fetch(`${server.url}/newsletter/trail_notes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: who }),
    });
    assert.equal(signup.status, 202);
    const confirmMail = mailer.sent.filter((m) => m.to === who).at(-1)!;
    const confirm = /\/newsletter\/confirm\/([\w-]+)/.exec(confirmMail.text)![1];
    assert.equal(
      (
        await fetch(`${server.url}/newsletter/confirm/${confirm}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
      200,
    );
    const mail = mailer.sent.filter((m) => m.to === who).at(-1)!;
    // The message as SMTP would carry it (nodemailer's own composer), read back by mailparser.
    const raw = await createTransport({ streamTransport: true, buffer: true }).sendMail({
      from: "news@fjord.example",
      to: who,
      subject: mail.subject,
      text: mail.text,
      headers: mail.headers,
    });
    const parsed = await simpleParser(raw.message as Buffer);
    const list = parsed.headers.get("list") as { unsubscribe?: { url: string }; "unsubscribe-post"?: { name: string } };
    assert.equal(list["unsubscribe-post"]?.name, "List-Unsubscribe=One-Click");
    const url = list.unsubscribe?.url ?? "";
    // The address the warning is about: http:// here, as the server was told no https:// public URL.
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/newsletter\/unsubscribe\/[\w-]+$/);
    const manage = /\/newsletter\/unsubscribe\/([\w-]+)/.exec(url)![1];
    const page = await fetch(`${server.url}/newsletter/preferences/${manage}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("cache-control"), "no-store");
    assert.ok((await page.text()).includes(who), "the page shows the address: hence no-store");
  });

  it("no warning once the public URL is HTTPS, nor without newsletters", () => {
    assert.equal(unsubscribeUrlWarning(loaded.declaration, "https://privacy.fjord.example"), undefined);
    const none = { ...loaded.declaration, consent: { ...loaded.declaration.consent!, newsletters: {} } };
    assert.equal(unsubscribeUrlWarning(none, "http://127.0.0.1:3000"), undefined);
  });

  it("an open request's status page updates in place: no meta refresh, a live region, a link, the updater", async () => {
    const res = await fetch(`${server.url}/privacy-center/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ right: "access", identity: "status@example.net" }),
    });
    const { requestId } = (await res.json()) as { requestId: string };
    const verified = await fetch(`${server.url}/privacy-center/verify/${requestId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: mailer.codeFor("status@example.net") }),
    });
    const { statusUrl } = (await verified.json()) as { statusUrl: string };
    const html = await (await fetch(server.url + statusUrl)).text();
    assert.doesNotMatch(html, /http-equiv/i);
    assert.match(html, /<p role="status">/);
    assert.match(html, /<script src="\/privacy-center\/status\.js" defer/);
    assert.ok(html.includes(`<a href="${statusUrl}">Check again</a>`));
    const script = await fetch(`${server.url}/privacy-center/status.js`);
    assert.match(script.headers.get("content-type") ?? "", /javascript/);
    assert.match(await script.text(), /getElementById\("status"\)/);
  });
});
