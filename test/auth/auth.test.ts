import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { hashPassword, hasRole, verifyPassword } from "../../src/auth/index.js";
import { parseDeclaration } from "../../src/declaration/index.js";
import { createLogger, startServer } from "../../src/server/index.js";
import { runCli } from "../helpers/cli.js";
import { minimalYaml } from "../helpers/declarations.js";

const dir = mkdtempSync(join(tmpdir(), "pledge-auth-"));
after(() => rmSync(dir, { recursive: true, force: true }));

it("passwords are scrypt hashes that verify only the right password", async () => {
  const h = await hashPassword("a long enough password");
  assert.match(h, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.equal(await verifyPassword("a long enough password", h), true);
  assert.equal(await verifyPassword("a long enough passworD", h), false);
  assert.ok(hasRole("owner", "officer") && hasRole("officer", "approver") && !hasRole("viewer", "approver"));
});

it("`pledge users add` creates the first owner, who signs in over HTTP; tokens are created for machines", async () => {
  const env = { PLEDGE_SQLITE_PATH: join(dir, "p.db") };
  const weak = await runCli(["users", "add", "owner@acme.example", "--role", "owner", "--password-stdin"], env);
  assert.equal(weak.code, 1, "an empty password from stdin is refused");
  assert.match(weak.stderr, /at least 12 characters/);
  const add = await runCli(["users", "add", "owner@acme.example", "--role", "owner", "--name", "Olive"], env);
  assert.equal(add.code, 0, add.stderr);
  const password = /with the one-time password (\S+) \(shown once/.exec(add.stdout)![1];
  const dup = await runCli(["users", "add", "owner@acme.example", "--role", "viewer"], env);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /already exists/);
  const badRole = await runCli(["users", "add", "x@acme.example", "--role", "admin"], env);
  assert.equal(badRole.code, 2);
  assert.match(badRole.stderr, /--role: invalid value 'admin' \(expected one of viewer, approver, officer, owner\)/);
  const token = await runCli(["tokens", "create", "ci", "--role", "viewer"], env);
  assert.equal(token.code, 0);
  assert.match(token.stdout.trim(), /^plg_[A-Za-z0-9_-]{40}$/);

  const server = await startServer({
    declaration: parseDeclaration(minimalYaml()),
    port: 0,
    sqlitePath: env.PLEDGE_SQLITE_PATH,
    dataDir: dir,
    logger: createLogger({ level: "silent" }),
    worker: false,
    console: () => {},
  });
  try {
    const wrong = await fetch(`${server.url}/admin/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=owner@acme.example&password=nope",
    });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /Wrong email or password/);
    const ok = await fetch(`${server.url}/admin/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `email=owner@acme.example&password=${encodeURIComponent(password)}`,
    });
    assert.equal(ok.status, 303);
    // A one-time password is exchanged for the user's own before the console opens.
    assert.equal(ok.headers.get("location"), "/admin/password");
    const cookie = ok.headers.get("set-cookie")!;
    assert.match(cookie, /^pledge_session=[A-Za-z0-9_-]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/);
    const session = cookie.split(";")[0];
    const early = await fetch(`${server.url}/admin`, {
      redirect: "manual",
      headers: { cookie: session, accept: "text/html" },
    });
    assert.equal(early.headers.get("location"), "/admin/password");
    const form = await (await fetch(`${server.url}/admin/password`, { headers: { cookie: session } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1];
    const changed = await fetch(`${server.url}/admin/password`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: session, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        _csrf: csrf,
        current: password,
        next: "olive's own password",
        confirm: "olive's own password",
      }).toString(),
    });
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get("location"), "/admin");
    const page = await fetch(`${server.url}/admin`, { headers: { cookie: session } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /title="Your account">Olive</);
    const api = await fetch(`${server.url}/api/v1/requests`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    });
    assert.equal(api.status, 200);
    // Revoked from the CLI, another process on this SQLite store: refused within the documented window.
    const revoke = await runCli(["tokens", "revoke", "ci"], env);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.match(revoke.stdout, /revoked 1 token 'ci'.*within 10 s on a SQLite store/);
    assert.match((await runCli(["tokens", "list"], env)).stdout, /^\d+\tci\tviewer\trevoked\t/m);
    assert.equal((await runCli(["tokens", "revoke", "ci"], env)).code, 1, "nothing live to revoke");
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 12_000) {
      status = (
        await fetch(`${server.url}/api/v1/requests`, { headers: { authorization: `Bearer ${token.stdout.trim()}` } })
      ).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(status, 401);
    assert.ok(Date.now() - started <= 10_500, `refused after ${Date.now() - started} ms`);
    // ten wrong tries per address from one network in 15 minutes; the next from there is refused even with the right
    // password
    const attempt = (pw: string) =>
      fetch(`${server.url}/admin/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `email=owner@acme.example&password=${encodeURIComponent(pw)}`,
      });
    for (let i = 0; i < 9; i++) assert.equal((await attempt(`guess${i}`)).status, 401);
    const blocked = await attempt(password);
    assert.equal(blocked.status, 429);
    assert.match(await blocked.text(), /Too many tries/);
  } finally {
    await server.close();
  }
});
