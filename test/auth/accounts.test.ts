/**
 * Staff accounts over HTTP on both stores: an owner invites a user by mail, the user chooses a password and sets up
 * TOTP from the page's QR code, then signs in with a code; a wrong code is refused and a recovery code works once;
 * a disabled user's session and API token answer 401 on the next request; the CLI's reset gets a locked-out
 * owner back in without touching anything else.
 */
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { Secret, TOTP } from "otpauth";
import { createUser } from "../../src/auth/index.js";
import { listAudit, verifyAudit } from "../../src/audit/index.js";
import { parseDeclaration } from "../../src/declaration/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import type { Store } from "../../src/store/index.js";
import { runCli } from "../helpers/cli.js";
import { minimalYaml } from "../helpers/declarations.js";
import { loadedAs, type TestContext, testContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

/** A browser of one person: its cookie, and the CSRF token of the last page it read. */
class Browser {
  cookie = "";
  csrf = "";
  constructor(private readonly app: ReturnType<typeof createApp>["app"]) {}
  async get(path: string): Promise<{ status: number; text: string; location: string | null }> {
    const res = await this.app.request(path, { headers: { cookie: this.cookie, accept: "text/html" } });
    return this.read(res);
  }
  async post(
    path: string,
    form: Record<string, string>,
  ): Promise<{ status: number; text: string; location: string | null }> {
    const res = await this.app.request(path, {
      method: "POST",
      headers: {
        cookie: this.cookie,
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "same-origin",
      },
      body: new URLSearchParams({ _csrf: this.csrf, ...form }).toString(),
    });
    return this.read(res);
  }
  private async read(res: Response) {
    const set = res.headers.get("set-cookie");
    if (set?.startsWith("pledge_session=")) this.cookie = set.split(";")[0];
    const text = await res.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text);
    if (csrf) this.csrf = csrf[1];
    return { status: res.status, text, location: res.headers.get("location") };
  }
}

const totpOf = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });

forEachStore("staff accounts", (target) => {
  let store: Store;
  let ctx: TestContext;
  let app: ReturnType<typeof createApp>["app"];
  /** The owner's TOTP secret, as the set-up page showed it. */
  let ownerSecret = "";
  const decl = parseDeclaration(`${minimalYaml()}\nstaff: { twoFactor: [owner, officer] }\n`).declaration;

  before(async () => {
    store = await target.open();
    ctx = testContext(store, decl);
    app = createApp({
      store,
      declaration: () => loadedAs(decl),
      logger: createLogger({ level: "silent" }),
      requests: ctx,
    }).app;
  });
  after(async () => {
    await store.close();
  });

  it("an owner invites a user, who sets a password, enrols TOTP and signs in with a code; a recovery code works once", async () => {
    await createUser(store, {
      email: "olive@acme.example",
      name: "Olive",
      role: "owner",
      password: "owner password 123",
    });
    const owner = new Browser(app);
    const signIn = await owner.post("/admin/login", { email: "olive@acme.example", password: "owner password 123" });
    assert.equal(signIn.status, 303);
    // The declaration requires a second factor of owners: the console waits until one is set up.
    assert.equal(signIn.location, "/admin/account/two-factor");
    assert.equal((await owner.get("/admin")).location, "/admin/account/two-factor");
    await owner.get("/admin/account/two-factor");
    await owner.post("/admin/account/two-factor/start", {});
    ownerSecret = /data-secret[^>]*>([A-Z2-7]+)</.exec((await owner.get("/admin/account/two-factor")).text)![1];
    const ownerCodes = await owner.post("/admin/account/two-factor", { code: totpOf(ownerSecret).generate() });
    assert.equal(ownerCodes.status, 200);
    assert.equal((await owner.get("/admin")).status, 200);

    await owner.get("/admin/users");
    const invite = await owner.post("/admin/users", { email: "Vic@Acme.example", name: "Vic", role: "officer" });
    assert.equal(invite.status, 303);
    assert.equal(invite.location, "/admin/users?done=invited");
    const mail = ctx.mailer.sent.at(-1)!;
    assert.equal(mail.to, "vic@acme.example");
    const link = /http:\/\/pledge\.test(\/admin\/welcome\/[A-Za-z0-9_-]+)/.exec(mail.text)![1];
    assert.match(
      (await owner.get("/admin/users")).text,
      /Vic <span class="badge">invited<\/span><\/td><td>vic@acme\.example/,
    );

    const vic = new Browser(app);
    assert.match((await vic.get(link)).text, /Choose a password for your account/);
    const mismatch = await vic.post(link, { next: "a fine long password", confirm: "another long password" });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.text, /The two passwords differ/);
    const set = await vic.post(link, { next: "a fine long password", confirm: "a fine long password" });
    assert.equal(set.status, 303);
    assert.equal(set.location, "/admin/account/two-factor", "an officer must set up a second factor first");
    assert.equal((await new Browser(app).get(link)).status, 404, "the link works once");

    await vic.get("/admin/account/two-factor");
    await vic.post("/admin/account/two-factor/start", {});
    const page = (await vic.get("/admin/account/two-factor")).text;
    assert.match(page, /<svg[^>]*viewBox/, "the QR code is drawn on the server");
    const secret = /data-secret[^>]*>([A-Z2-7]+)</.exec(page)![1];
    const wrongEnrol = await vic.post("/admin/account/two-factor", { code: "000000" });
    assert.equal(wrongEnrol.status, 400);
    const enrolCode = totpOf(secret).generate();
    const enrolled = await vic.post("/admin/account/two-factor", { code: enrolCode });
    assert.equal(enrolled.status, 200);
    const codes = [...enrolled.text.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    const row = await store.db.selectFrom("recovery_codes").select("code_hash").executeTakeFirstOrThrow();
    assert.ok(!codes.some((c) => row.code_hash.includes(c)), "only hashes are stored");
    assert.equal((await vic.get("/admin")).status, 200);

    // Signing in again: the password, then a code. A wrong one is refused; a TOTP code is taken once.
    const again = new Browser(app);
    const step1 = await again.post("/admin/login", { email: "vic@acme.example", password: "a fine long password" });
    assert.equal(step1.location, "/admin/login/code");
    assert.equal((await again.get("/admin")).location, "/admin/login/code", "no console before the code");
    const api = await app.request("/api/v1/requests", { headers: { cookie: again.cookie } });
    assert.equal(api.status, 401);
    await again.get("/admin/login/code");
    const wrong = await again.post("/admin/login/code", { code: "123456" });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /That code is not right/);
    // The code used at enrolment was for this time step: the next one is needed (a code is never taken twice).
    // The very code of the enrolment: generating one here could cross into the next time step, and be a new code.
    const reused = await again.post("/admin/login/code", { code: enrolCode });
    assert.equal(reused.status, 401, "a code already used is refused");
    const byRecovery = await again.post("/admin/login/code", { code: codes[0].toUpperCase() });
    assert.equal(byRecovery.status, 303);
    assert.equal(byRecovery.location, "/admin");
    assert.equal((await again.get("/admin")).status, 200);

    const third = new Browser(app);
    await third.post("/admin/login", { email: "vic@acme.example", password: "a fine long password" });
    await third.get("/admin/login/code");
    assert.equal((await third.post("/admin/login/code", { code: codes[0] })).status, 401, "a recovery code works once");
    assert.equal((await third.post("/admin/login/code", { code: codes[1] })).status, 303);

    const actions = (await listAudit(store, { limit: 200 })).map((e) => e.action);
    for (const a of ["user.invited", "user.password_set", "user.two_factor_enabled", "user.recovery_code_used"])
      assert.ok(actions.includes(a), a);
  });

  it("a disabled user's session and API token answer 401 on the next request", async () => {
    await createUser(store, { email: "dan@acme.example", name: "Dan", role: "viewer", password: "viewer password 1" });
    const dan = new Browser(app);
    assert.equal(
      (await dan.post("/admin/login", { email: "dan@acme.example", password: "viewer password 1" })).location,
      "/admin",
    );
    await dan.get("/admin/account");
    const made = await dan.post("/admin/account/tokens", { name: "dan-script", role: "viewer" });
    const token = /<code>(plg_[A-Za-z0-9_-]+)<\/code>/.exec(made.text)![1];
    const bearer = { headers: { authorization: `Bearer ${token}` } };
    assert.equal((await app.request("/api/v1/requests", bearer)).status, 200);
    assert.equal((await dan.get("/admin/requests")).status, 200);

    const owner = new Browser(app);
    await owner.post("/admin/login", { email: "olive@acme.example", password: "owner password 123" });
    // The store holds the secret sealed, not as the app was given it.
    const stored = (
      await store.db
        .selectFrom("users")
        .select("totp_secret")
        .where("email", "=", "olive@acme.example")
        .executeTakeFirstOrThrow()
    ).totp_secret!;
    assert.match(stored, /^v1\./);
    assert.ok(!stored.includes(ownerSecret), "the TOTP secret is not stored as it is");
    const secret = ownerSecret;
    await owner.get("/admin/login/code");
    // Any code not yet used: wait for the next time step if this one was spent at enrolment.
    const t = totpOf(secret);
    let res = await owner.post("/admin/login/code", { code: t.generate() });
    if (res.status !== 303)
      res = await owner.post("/admin/login/code", { code: t.generate({ timestamp: Date.now() + 30_000 }) });
    assert.equal(res.status, 303);
    await owner.get("/admin/users");
    const id = (
      await store.db.selectFrom("users").select("id").where("email", "=", "dan@acme.example").executeTakeFirstOrThrow()
    ).id;
    const disabled = await owner.post(`/admin/users/${id}/disable`, {});
    assert.equal(disabled.location, "/admin/users?done=disabled");

    assert.equal((await app.request("/api/v1/requests", bearer)).status, 401, "the token stops at once");
    const page = await app.request("/api/v1/requests", { headers: { cookie: dan.cookie } });
    assert.equal(page.status, 401, "the session stops at once");
    assert.equal(
      (await dan.post("/admin/login", { email: "dan@acme.example", password: "viewer password 1" })).status,
      401,
    );
    // The last owner can be neither disabled nor demoted.
    const oliveId = (
      await store.db
        .selectFrom("users")
        .select("id")
        .where("email", "=", "olive@acme.example")
        .executeTakeFirstOrThrow()
    ).id;
    const demote = await owner.post(`/admin/users/${oliveId}/role`, { role: "viewer" });
    assert.equal(demote.status, 400);
    assert.match(demote.text, /The last owner keeps the owner role/);
    // A viewer cannot reach the owner's page.
    await owner.post(`/admin/users/${id}/enable`, {});
    const viewer = new Browser(app);
    await viewer.post("/admin/login", { email: "dan@acme.example", password: "viewer password 1" });
    assert.equal((await viewer.get("/admin/users")).status, 403);
  });

  it("users see and revoke their sessions, and change their password", async () => {
    const a = new Browser(app);
    const b = new Browser(app);
    for (const x of [a, b]) await x.post("/admin/login", { email: "dan@acme.example", password: "viewer password 1" });
    const account = await a.get("/admin/account");
    const ids = [...account.text.matchAll(/\/admin\/account\/sessions\/([A-Za-z0-9_-]+)\/revoke/g)].map((m) => m[1]);
    assert.ok(ids.length >= 1);
    assert.match(account.text, /this session/);
    for (const id of ids) await a.post(`/admin/account/sessions/${id}/revoke`, {});
    assert.equal((await b.get("/admin")).location?.startsWith("/admin/login"), true, "the other session is gone");
    assert.equal((await a.get("/admin")).status, 200, "this one stays");
    const short = await a.post("/admin/password", { current: "viewer password 1", next: "short", confirm: "short" });
    assert.equal(short.status, 400);
    const changed = await a.post("/admin/password", {
      current: "viewer password 1",
      next: "viewer password 2",
      confirm: "viewer password 2",
    });
    assert.equal(changed.location, "/admin/account?done=password");
    assert.equal(
      (await new Browser(app).post("/admin/login", { email: "dan@acme.example", password: "viewer password 2" }))
        .status,
      303,
    );
  });

  it("`pledge users reset` gets a locked-out owner back in with a one-time password, audited, nothing else touched", async () => {
    const before = await store.db.selectFrom("users").select(["email", "role"]).orderBy("id").execute();
    const headBefore = (await verifyAudit(store)).entries;
    const reset = await runCli(["users", "reset", "OLIVE@acme.example"], target.env);
    assert.equal(reset.code, 0, reset.stderr);
    const password = /one-time password (\S+) \(shown once/.exec(reset.stdout)![1];
    assert.deepEqual(await store.db.selectFrom("users").select(["email", "role"]).orderBy("id").execute(), before);
    const audit = await verifyAudit(store);
    assert.ok(audit.ok && audit.entries > headBefore, "the chain verifies and has grown");
    const entries = await listAudit(store, { subject: "olive@acme.example", limit: 50 });
    assert.ok(
      entries.some((e) => e.action === "user.reset" && e.actor === "cli"),
      "the reset is audited",
    );
    const owner = new Browser(app);
    const signIn = await owner.post("/admin/login", { email: "olive@acme.example", password });
    assert.equal(signIn.location, "/admin/password", "a new password first");
    await owner.get("/admin/password");
    const changed = await owner.post("/admin/password", {
      current: password,
      next: "owner password 456",
      confirm: "owner password 456",
    });
    assert.equal(
      changed.location,
      "/admin/account/two-factor",
      "then the second factor again: the old one was cleared",
    );
    const unknown = await runCli(["users", "reset", "nobody@acme.example"], target.env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no user nobody@acme\.example/);
    const typo = await runCli(["users", "rest", "x@y.z"], target.env);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /did you mean 'reset'/);
  });
});
