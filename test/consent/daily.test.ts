/**
 * The daily consent counts the console charts, rolled up from the records on both stores: each record counted once,
 * whoever runs the roll-up and however many at once, and equal to the figures hand-written SQL gives.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, it } from "node:test";
import { sql } from "kysely";
import { consentRates, recordConsent, rollUpConsent } from "../../src/consent/index.js";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import type { Store } from "../../src/store/index.js";
import { ANALYTICS_CONSENT_YAML } from "../helpers/declarations.js";
import { forEachStore } from "../helpers/stores.js";

const yaml = ANALYTICS_CONSENT_YAML;

forEachStore("daily consent counts", (target) => {
  let store: Store;
  let decl: Declaration;
  const later = (s: number) => new Date(Date.now() + s * 1000);
  /** The figures straight from the records, by hand-written SQL. */
  const fromRecords = async () => {
    const rows = await sql<{ categories: string }>`
      select categories from consent_events where method in ('banner', 'gpc')`.execute(store.db);
    let given = 0;
    for (const r of rows.rows) if ((JSON.parse(r.categories) as Record<string, string>).analytics === "given") given++;
    return { given, total: rows.rows.length };
  };
  const charted = async () => {
    const rates = (await consentRates(store, decl, later(-86_400))).filter((r) => r.category === "analytics");
    return { given: rates.reduce((a, r) => a + r.given, 0), total: rates.reduce((a, r) => a + r.total, 0) };
  };
  const record = (i: number, method: "banner" | "gpc" | "api" = "banner") =>
    recordConsent(store, decl, {
      deviceId: randomUUID(),
      categories: { analytics: i % 3 ? "given" : "refused" },
      language: "en",
      method,
    });

  before(async () => {
    store = await target.open();
    decl = parseDeclaration(yaml).declaration;
  });
  after(() => store.close());

  it("counts each banner and GPC record once, as the records themselves say", async () => {
    for (let i = 0; i < 40; i++) await record(i, i % 10 === 9 ? "gpc" : i % 10 === 8 ? "api" : "banner");
    assert.equal(await rollUpConsent(store, later(20)), 40);
    assert.deepEqual(await charted(), await fromRecords());
    assert.equal(await rollUpConsent(store, later(20)), 0, "nothing is counted twice");
    assert.deepEqual(await charted(), await fromRecords());
  });

  it("several servers rolling up at once count each record once, in batches", async () => {
    for (let i = 0; i < 60; i++) await record(i);
    const counted = await Promise.all([1, 2, 3].map(() => rollUpConsent(store, later(20), 25)));
    const rest = await rollUpConsent(store, later(20));
    assert.equal(counted.reduce((a, n) => a + n, 0) + rest, 60);
    assert.deepEqual(await charted(), await fromRecords());
  });

  it("on PostgreSQL a record waits ten seconds, so that one with an earlier id that commits later is not passed", async (t) => {
    if (store.engine !== "postgres") return t.skip("SQLite commits in id order");
    await record(1);
    assert.equal(await rollUpConsent(store, new Date()), 0, "too young to count");
    assert.equal(await rollUpConsent(store, later(11)), 1);
    assert.deepEqual(await charted(), await fromRecords());
  });
});
