/**
 * Proof without copies, and work that starts at once: exports sealed to the
 * status link, no API returning row data, expired exports and old request
 * records swept, and workers woken when a task is queued (in-process on SQLite,
 * LISTEN/NOTIFY across servers on PostgreSQL).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { unzipSync } from "fflate";
import { createApiToken } from "../../src/auth/index.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import {
  getExport,
  getRequest,
  RequestInputSchema,
  startWorker,
  submitRequest,
  sweepRequests,
  verifyRequest,
} from "../../src/requests/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import type { Store } from "../../src/store/index.js";
import { loadedAs, runUntilSettled, testContext, type TestContext } from "../helpers/requests.js";
import { forEachStore } from "../helpers/stores.js";

function declaration(extra = ""): Declaration {
  return parseDeclaration(`version: "1"
effectiveDate: 2026-01-01
organization: { name: Proof Org, roles: [controller], country: DE, contact: { email: privacy@proof.example }, jurisdictions: [EU] }
purposes:
  p: { name: P, legalBasis: contract, dataCategories: [user.contact.email, user.name], dataSubjects: [customer], retention: r }
retention:
  r: { period: 1 year, from: collection, action: delete }
rights: { offered: [access, erasure, rectification, restriction, portability, objection, complaint], channels: [{ type: web, address: /privacy-center }], requestRecords: 24 months }
systems:
  app:
    name: App
    connector: { engine: sqlite, path: app.db }
    datasets:
      users:
        subject: customer
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          name: { category: user.name }
${extra}`).declaration;
}

forEachStore("proof without copies", (target) => {
  let store: Store;
  let ctx: TestContext;
  const dir = mkdtempSync(join(tmpdir(), "pledge-proof-"));

  before(async () => {
    const db = new BetterSqlite3(join(dir, "app.db"));
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT)");
    for (let i = 1; i <= 40; i++)
      db.prepare("INSERT INTO users VALUES (?, ?, ?)").run(i, `user${i}@proof.example`, `User Number ${i}`);
    db.close();
    store = await target.open();
    ctx = testContext(store, declaration(), { cwd: dir });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const access = async (email: string) => {
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "access", identity: email }), {});
    const v = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(email));
    assert.ok(v.ok);
    assert.equal(await runUntilSettled(ctx, requestId), "completed");
    return { requestId, token: v.statusToken };
  };

  it("the export is stored sealed: only the status link opens it, and the staff API returns no row data", async () => {
    const { requestId, token } = await access("user1@proof.example");
    const stored = await store.db
      .selectFrom("exports")
      .selectAll()
      .where("request_id", "=", requestId)
      .executeTakeFirstOrThrow();
    const bytes = Buffer.from(stored.data as Uint8Array);
    assert.notEqual(bytes.subarray(0, 2).toString("latin1"), "PK", "not a ZIP at rest");
    assert.ok(!bytes.toString("latin1").includes("User Number 1"));
    const opened = await getExport(ctx, requestId, token);
    assert.ok(opened && !("expired" in opened));
    assert.ok(unzipSync(opened.data)["app/users.json"]);
    // Another request's token, or a forged one, opens nothing.
    const other = await access("user2@proof.example");
    assert.equal(await getExport(ctx, requestId, other.token), undefined);
    assert.equal(await getExport(ctx, requestId, token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA")), undefined);

    const { app } = createApp({
      store,
      declaration: () => loadedAs(ctx.declaration()),
      logger: createLogger({ level: "silent" }),
      requests: ctx,
    });
    const api = await app.request(`/api/v1/requests/${requestId}`, {
      headers: { authorization: `Bearer ${await createApiToken(store, `t-${target.name}`, "viewer")}` },
    });
    assert.equal(api.status, 200);
    const body = await api.text();
    for (const value of ["User Number 1", "user1@proof.example"])
      assert.ok(!body.includes(value), `the API holds '${value}'`);
    assert.match(body, /u\*\*\*@proof\.example/, "the identity is shown masked once the request is closed");
  });

  it("a download is kept for the declared ownData.exports, and the completion mail says how long", async () => {
    const declared = { ...ctx, declaration: () => declaration("ownData: { exports: 2 weeks }") };
    const { requestId } = await submitRequest(
      declared,
      RequestInputSchema.parse({ right: "access", identity: "user5@proof.example" }),
      {},
    );
    assert.ok((await verifyRequest(declared, requestId, ctx.mailer.codeFor("user5@proof.example"))).ok);
    assert.equal(await runUntilSettled(declared, requestId), "completed");
    const stored = await store.db
      .selectFrom("exports")
      .select(["created_at", "expires_at"])
      .where("request_id", "=", requestId)
      .executeTakeFirstOrThrow();
    assert.equal(Date.parse(stored.expires_at) - Date.parse(stored.created_at), 14 * 86_400_000);
    const done = ctx.mailer.sent.filter((m) => m.to === "user5@proof.example" && /complete/.test(m.subject)).at(-1);
    assert.match(done?.text ?? "", /the download expires after 2 weeks\./);
    const undeclared = ctx.mailer.sent
      .filter((m) => m.to === "user1@proof.example" && /complete/.test(m.subject))
      .at(-1);
    assert.match(
      undeclared?.text ?? "",
      new RegExp(`the download expires after ${ctx.settings.exportTtlDays} days\\.`),
    );
  });

  it("an expired export's bytes are deleted; request records are deleted once kept for the declared period; unverified requests are dropped", async () => {
    const { requestId } = await access("user3@proof.example");
    const unverified = await submitRequest(
      ctx,
      RequestInputSchema.parse({ right: "access", identity: "user4@proof.example" }),
      {},
    );
    ctx.advance((ctx.settings.exportTtlDays + 1) * 86_400_000);
    try {
      const swept = await sweepRequests(ctx);
      assert.ok(swept.exportsDeleted >= 1);
      assert.equal(
        await store.db
          .selectFrom("exports")
          .select("request_id")
          .where("request_id", "=", requestId)
          .executeTakeFirst(),
        undefined,
        "the bytes are gone",
      );
      ctx.advance(30 * 86_400_000);
      await sweepRequests(ctx);
      const dropped = await getRequest(ctx, unverified.requestId);
      assert.equal(dropped.status, "expired");
      assert.equal(dropped.identity, "u***@proof.example");
      assert.ok((await getRequest(ctx, requestId)).completedAt, "a closed request is kept as proof for 24 months");
      ctx.advance(24 * 31 * 86_400_000);
      const late = await sweepRequests(ctx);
      assert.ok(late.recordsDeleted >= 2);
      for (const table of ["requests", "request_events", "request_tasks"] as const) {
        const left = await store.db
          .selectFrom(table)
          .selectAll()
          .where(table === "requests" ? "id" : "request_id", "=", requestId)
          .execute();
        assert.deepEqual(left, [], table);
      }
    } finally {
      ctx.advance(-((ctx.settings.exportTtlDays + 1) * 86_400_000 + 30 * 86_400_000 + 24 * 31 * 86_400_000));
    }
  });

  it("a worker starts a task as soon as it is queued, without waiting for its polling interval", async () => {
    // A second store is a second server on the same database: on PostgreSQL the wake-up crosses between them.
    const other = target.name === "postgres" ? await target.open() : store;
    const workerCtx = { ...ctx, store: other };
    const worker = startWorker(workerCtx, { intervalMs: 60_000 });
    try {
      await new Promise((r) => setTimeout(r, 300)); // the worker's first pass finds nothing and sleeps for a minute
      const { requestId } = await submitRequest(
        ctx,
        RequestInputSchema.parse({ right: "access", identity: "user5@proof.example" }),
        {},
      );
      const started = Date.now();
      assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor("user5@proof.example"))).ok);
      for (;;) {
        const r = await getRequest(ctx, requestId);
        if (r.status === "completed") break;
        assert.ok(Date.now() - started < 10_000, `still ${r.status} after ${Date.now() - started} ms`);
        await new Promise((res) => setTimeout(res, 20));
      }
      assert.ok(
        Date.now() - started < 5_000,
        `completed in ${Date.now() - started} ms, far inside the minute's polling`,
      );
    } finally {
      await worker.stop();
      if (other !== store) await other.close();
    }
  });
});
