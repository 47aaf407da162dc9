import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { listAudit } from "../../src/audit/index.js";
import { parseDeclaration } from "../../src/declaration/index.js";
import { getPublishedDeclaration, listPublishedVersions, publishDeclaration } from "../../src/notice/index.js";
import { getSecret, openStore, pingStore, StoreError, type Store } from "../../src/store/index.js";
import { minimalYaml } from "../helpers/declarations.js";
import { forEachStore } from "../helpers/stores.js";

forEachStore("store", (target) => {
  let store: Store;
  before(async () => {
    store = await target.open();
  });
  after(async () => {
    await store.close();
  });

  it("migrates at open, and opening again is harmless", async () => {
    const again = await target.open();
    assert.equal(await pingStore(again), true);
    assert.equal(again.engine, target.name);
    await again.close();
    assert.equal(await pingStore(store), true);
  });

  it("creates the organization's key once and returns the same key after reopening", async () => {
    const [a, b] = await Promise.all([getSecret(store, "org_key"), getSecret(store, "org_key")]);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(a, b);
    const again = await target.open();
    assert.equal(await getSecret(again, "org_key"), a);
    await again.close();
    assert.equal(await getSecret(store, "org_key", "from-env"), "from-env");
  });

  it("keeps each distinct published declaration once, newest first, and audits it", async () => {
    const v1 = parseDeclaration(minimalYaml());
    const v2 = parseDeclaration(minimalYaml().replace('version: "1"', 'version: "2"'));
    assert.deepEqual(await publishDeclaration(store, v1), { published: true });
    assert.deepEqual(await publishDeclaration(store, v1), { published: false });
    assert.deepEqual(await publishDeclaration(store, v2), { published: true });
    const versions = await listPublishedVersions(store);
    assert.deepEqual(
      versions.map((v) => v.version),
      ["2", "1"],
    );
    const old = await getPublishedDeclaration(store, "1");
    assert.equal(old?.hash, v1.hash);
    assert.equal(await getPublishedDeclaration(store, "nope"), undefined);
    const audit = await listAudit(store, { subject: "2" });
    assert.equal(audit[0].action, "declaration.published");
  });
});

it("a store that cannot be reached is a clear error that hides the password", async () => {
  await assert.rejects(
    () => openStore({ databaseUrl: "postgres://pledge:s3cret@127.0.0.1:1/none" }),
    (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, /^cannot open the store at postgres:\/\/pledge:\*\*\*@127\.0\.0\.1:1\/none: /);
      assert.ok(!err.message.includes("s3cret"));
      return true;
    },
  );
  await assert.rejects(
    () => openStore({ databaseUrl: "mysql://x@y/z" }),
    /PLEDGE_DATABASE_URL must be a postgres:\/\/ URL/,
  );
});

it("a client held between statements when PostgreSQL ends its connection fails its next query, and the process lives on", async (t) => {
  const { createPgDatabase, postgresUnavailable, PG_ADMIN_URL } = await import("../helpers/stores.js");
  const why = await postgresUnavailable();
  if (why) {
    if (process.env.CI === "true") throw new Error(why);
    return t.skip(why);
  }
  const { default: pg } = await import("pg");
  const { sql } = await import("kysely");
  const db = await createPgDatabase("conn_end");
  const store = await openStore({ databaseUrl: db.url });
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  process.on("uncaughtException", onUncaught);
  try {
    await store.db.connection().execute(async (conn) => {
      await sql`SELECT 1`.execute(conn);
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [new URL(db.url).pathname.slice(1)],
      );
      await admin.end();
      await new Promise((r) => setTimeout(r, 300));
      await assert.rejects(sql`SELECT 1`.execute(conn));
    });
  } finally {
    process.off("uncaughtException", onUncaught);
    await store.close().catch(() => {});
    await db.drop();
  }
  assert.deepEqual(uncaught, []);
});
