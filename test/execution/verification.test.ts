/**
 * What "verified" means after an erasure: a new search by every identity value found in the person's rows, not only
 * by those the request was made with, finds nothing but what the erasure kept. On the music store, on PostgreSQL,
 * MariaDB and SQLite: the phone on the customer's address row is found, and a row that still holds it after the
 * erasure fails verification, which a search by the email alone would have missed.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { createConnector } from "../../src/connectors/index.js";
import { parseDeclaration } from "../../src/declaration/index.js";
import { collectSystem, mergeIdentities, prepareErasure, remainingIdentities } from "../../src/execution/index.js";
import { buildStore, FRANK, openSql, q, storeDeclaration, type Engine } from "../helpers/music-store.js";
import { createMysqlDatabase, createPgDatabase, servicesOrSkip } from "../helpers/services.js";

const ENGINES: Engine[] = ["postgres", "mysql", "sqlite"];
const dir = mkdtempSync(join(tmpdir(), "pledge-verify-"));
const env: Record<string, string> = { STORE_LITE: join(dir, "store.db") };
const targets = {} as Record<Engine, string>;
const cleanups: (() => Promise<void>)[] = [];
let skip: string | undefined;

before(async () => {
  skip = await servicesOrSkip();
  if (skip) return;
  const pg = await createPgDatabase("pledge_verify");
  const my = await createMysqlDatabase();
  cleanups.push(pg.drop, my.drop);
  Object.assign(env, { STORE_PG: pg.url, STORE_MY: my.url });
  Object.assign(targets, { postgres: pg.url, mysql: my.url, sqlite: env.STORE_LITE });
  for (const e of ENGINES) await buildStore(e, targets[e]);
});
after(async () => {
  for (const c of cleanups) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

for (const e of ENGINES)
  it(`${e}: a row still found by a phone found in the person's rows fails verification; by the email alone it would not`, async (t) => {
    if (skip) return t.skip(skip);
    const decl = parseDeclaration(storeDeclaration([e])).declaration;
    const c = createConnector(e, decl.systems[e].connector, env, dir)!;
    try {
      const asked = { email: [FRANK.email] };
      const first = await collectSystem(decl, e, c, asked);
      assert.deepEqual(first.discovered.phone, ["+16502530000"], "the phone on the address row is the person's");
      const { merged } = mergeIdentities(asked, first.discovered);
      const collection = await collectSystem(decl, e, c, merged);
      const plan = await prepareErasure(decl, collection, c, { key: "k" });
      await c.apply(plan.mutations);
      assert.deepEqual(remainingIdentities(decl, await collectSystem(decl, e, c, merged), plan.kept), []);
      // A row with the person's phone that the erasure did not remove (written meanwhile, or missed).
      const sql = await openSql(e, targets[e]);
      const col = (n: string) => q(e, n);
      await sql.query(
        `INSERT INTO ${q(e, "Address")} (${["AddressId", "Street", "City", "Phone"].map(col).join(", ")}) VALUES (99, 'PO Box 1', 'Mountain View', '650.253.0000')`,
      );
      await sql.close();
      assert.deepEqual(
        remainingIdentities(decl, await collectSystem(decl, e, c, merged), plan.kept),
        [{ dataset: "Address", field: "Phone", count: 1 }],
        "not verified: the phone still finds a row",
      );
      assert.deepEqual(
        remainingIdentities(decl, await collectSystem(decl, e, c, asked), plan.kept),
        [],
        "a search by the email alone would have called it verified",
      );
    } finally {
      await c.close();
    }
  });
