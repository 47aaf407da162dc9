/**
 * A system nothing can reach (paper files): its task is assigned to a named person, who is mailed the instructions,
 * the checklist and the due date; the console shows it with the checklist, refuses "done" until every item is
 * confirmed, and takes evidence; then the request completes.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { createSession, createUser, type Principal } from "../../src/auth/index.js";
import { parseDeclaration, type LoadedDeclaration } from "../../src/declaration/index.js";
import {
  getRequest,
  listDocuments,
  RequestInputSchema,
  requestTasks,
  submitRequest,
  verifyRequest,
} from "../../src/requests/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import type { Store } from "../../src/store/index.js";
import { minimalYaml } from "../helpers/declarations.js";
import { runUntilSettled, testContext, type TestContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

forEachStore("a task done by hand", (target) => {
  let store: Store;
  let dir: string;
  let loaded: LoadedDeclaration;
  let ctx: TestContext;
  let officer: Principal;

  before(async () => {
    store = await target.open();
    dir = mkdtempSync(join(tmpdir(), "pledge-manual-"));
    const db = new BetterSqlite3(join(dir, "shop.db"));
    db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT);
      INSERT INTO customers VALUES (1, 'Ada@Example.net');`);
    db.close();
    loaded = parseDeclaration(
      minimalYaml(`systems:
  shop:
    name: Shop
    connector: { engine: sqlite, path: shop.db }
    datasets:
      customers:
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
  paper:
    name: Paper order forms
    connector:
      engine: manual
      instructions: Find the person's order forms in cabinet B and shred them.
      assignee: clerk@acme.example
      due: 5 days
      checklist: [Forms from cabinet B shredded, Scans on the shared drive deleted]
`),
    );
    ctx = testContext(store, loaded.declaration, { cwd: dir });
    officer = {
      user: await createUser(store, {
        email: `officer-manual-${target.name}@acme.example`,
        name: "Olga",
        role: "officer",
        password: "correct horse battery",
      }),
      via: "session",
    };
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the assignee is mailed; the console takes the checklist and evidence; the request completes once it is done", async () => {
    const who = "ada@example.net";
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "erasure", identity: who }), {});
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(who))).ok);
    assert.equal(await runUntilSettled(ctx, requestId, 2_000), "in_progress");
    const task = (await requestTasks(ctx, requestId)).find((t) => t.target === "paper")!;
    assert.equal(task.status, "manual");

    const mail = ctx.mailer.sent.find((m) => m.to === "clerk@acme.example");
    assert.ok(mail, "the assignee is mailed");
    const due = new Date(ctx.clock().getTime() + 5 * 86_400_000).toISOString().slice(0, 10);
    assert.match(mail.subject, new RegExp(`Paper order forms needs you by ${due}`));
    assert.match(mail.text, /cabinet B and shred them/);
    assert.match(mail.text, /\[ \] Forms from cabinet B shredded\n {2}\[ \] Scans on the shared drive deleted/);
    assert.match(mail.text, new RegExp(`/admin/requests/${requestId}`));
    assert.ok(!mail.text.includes(who), "the mail names the request, not the person");

    const app = createApp({
      store,
      declaration: () => loaded,
      logger: createLogger({ level: "silent" }),
      requests: ctx,
    }).app;
    const s = await createSession(store, officer.user);
    const cookie = `pledge_session=${s.token}`;
    const page = await (await app.request(`/admin/requests/${requestId}`, { headers: { cookie } })).text();
    const section = page.slice(page.indexOf(`id="manual-${task.id}"`));
    assert.match(section, /By hand: Paper order forms/);
    assert.match(section, /Assigned to clerk@acme\.example/);
    assert.match(section, new RegExp(`Due ${due}`));
    assert.match(section, /name="check-0" required[^>]*\/?> Forms from cabinet B shredded/);
    assert.match(section, /name="check-1" required[^>]*\/?> Scans on the shared drive deleted/);

    const post = (checks: number[], file?: File) => {
      const body = new FormData();
      body.set("_csrf", s.csrf);
      body.set("note", "Shredded 3 forms; deleted 2 scans");
      for (const i of checks) body.set(`check-${i}`, "on");
      if (file) body.set("file", file);
      return app.request(`/admin/requests/${requestId}/tasks/${task.id}/done`, {
        method: "POST",
        headers: { cookie, accept: "application/json" },
        body,
      });
    };
    const half = await post([0]);
    assert.equal(half.status, 422);
    assert.match(await half.text(), /not confirmed: Scans on the shared drive deleted/);
    assert.equal((await requestTasks(ctx, requestId)).find((t) => t.id === task.id)!.status, "manual");

    const ok = await post([0, 1], new File(["shredding receipt"], "receipt.pdf", { type: "application/pdf" }));
    assert.equal(ok.status, 303, await ok.clone().text());
    const doneTask = (await requestTasks(ctx, requestId)).find((t) => t.id === task.id)!;
    assert.equal(doneTask.status, "done");
    assert.deepEqual((doneTask.result as { confirmed?: string[] }).confirmed, [
      "Forms from cabinet B shredded",
      "Scans on the shared drive deleted",
    ]);
    assert.ok((await listDocuments(ctx, requestId)).some((d) => d.kind === "evidence" && d.filename === "receipt.pdf"));
    assert.equal(await runUntilSettled(ctx, requestId, 2_000), "completed");
    assert.equal((await getRequest(ctx, requestId)).status, "completed");
  });
});
