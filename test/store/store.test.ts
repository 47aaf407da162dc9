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
    assert.deepEqual(versions.map((v) => v.version), ["2", "1"]);
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
  await assert.rejects(() => openStore({ databaseUrl: "mysql://x@y/z" }), /PLEDGE_DATABASE_URL must be a postgres:\/\/ URL/);
});
