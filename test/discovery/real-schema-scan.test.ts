/**
 * The scan and the live check on a schema like the real run's (test/helpers/music-store.ts), on PostgreSQL, MariaDB
 * and SQLite: an unpopulated materialized view stops nothing and is skipped with a note; views are reported as what
 * they show, not as storage erasure cannot reach; lookup names (genres, media types, track titles) are not people's
 * names; an undeclared composer, password, user name, fax of bare digits and billing postcode are found; and a
 * declaration that serves only Canada is cited no GDPR article.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { parseDeclaration } from "../../src/declaration/index.js";
import { checkLive, classifyColumn, scanSystems, type ScanResult } from "../../src/discovery/index.js";
import { buildStore, storeDeclaration, type Engine } from "../helpers/music-store.js";
import { createMysqlDatabase, createPgDatabase, servicesOrSkip } from "../helpers/services.js";

const ENGINES: Engine[] = ["postgres", "mysql", "sqlite"];
let skip: string | undefined;
const dir = mkdtempSync(join(tmpdir(), "pledge-music-scan-"));
const env: Record<string, string> = { STORE_LITE: join(dir, "store.db") };
const cleanups: (() => Promise<void>)[] = [];
let result: ScanResult;

before(async () => {
  skip = await servicesOrSkip();
  if (skip) return;
  const pg = await createPgDatabase("pledge_scan");
  const my = await createMysqlDatabase();
  cleanups.push(pg.drop, my.drop);
  Object.assign(env, { STORE_PG: pg.url, STORE_MY: my.url });
  for (const [e, target] of [
    ["postgres", pg.url],
    ["mysql", my.url],
    ["sqlite", env.STORE_LITE],
  ] as const)
    await buildStore(e, target);
  result = await scanSystems(parseDeclaration(storeDeclaration(ENGINES)).declaration, { env, sampleRows: 200 });
});
after(async () => {
  for (const c of cleanups) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

it("one relation that cannot be read stops nothing: the unpopulated materialized view is skipped with a note", (t) => {
  if (skip) return t.skip(skip);
  assert.deepEqual(
    result.findings.filter((f) => f.rule === "scan-system-unreachable" || f.rule === "scan-table-unread"),
    [],
  );
  const mv = result.notRead.find((n) => n.system === "postgres" && n.table === "TopCustomers");
  assert.match(mv?.reason ?? "", /materialized view never populated/);
  for (const e of ENGINES) {
    const tables = result.tables.filter((x) => x.system === e).map((x) => x.table);
    for (const name of ["Employee", "Customer", "Genre", "MediaType", "CustomerCountry"])
      assert.ok(tables.includes(name), `${e}: ${name} was scanned (${tables.join(", ")})`);
  }
});

it("a view is reported as what it shows, never as storage erasure cannot reach", (t) => {
  if (skip) return t.skip(skip);
  for (const e of ENGINES) {
    const about = result.findings.filter((f) => f.message.includes("CustomerCountry") && f.path[1] === e);
    assert.deepEqual(
      about.map((f) => f.rule),
      ["scan-view"],
      `${e}: ${about.map((f) => f.message).join(" | ")}`,
    );
    assert.match(about[0].message, /stores nothing of its own/);
    assert.match(about[0].fragment ?? "", /derived: true/);
  }
  // Declared derived, the view is on record and nothing more is said of it.
  const declared = storeDeclaration(ENGINES).replace(
    / {6}Album:\n/g,
    "      CustomerCountry:\n        derived: true\n        fields: {}\n      Album:\n",
  );
  return scanSystems(parseDeclaration(declared).declaration, { env }).then((again) =>
    assert.deepEqual(
      again.findings.filter((f) => f.message.includes("CustomerCountry")),
      [],
    ),
  );
});

it("lookup names are not people's names; an undeclared composer, password, user name, bare-digit fax and postcode are found", (t) => {
  if (skip) return t.skip(skip);
  for (const e of ENGINES) {
    const mine = result.findings.filter((f) => f.path[1] === e);
    const text = mine.map((f) => f.message).join("\n");
    assert.ok(!/Genre|MediaType/.test(text), `${e}: genres and media types are nobody: ${text}`);
    assert.ok(!mine.some((f) => /Track\.Name|Album\.Title/.test(f.message)), `${e}: titles are nobody`);
    const composer = mine.find((f) => f.rule === "scan-category-mismatch" && f.message.includes("Composer"));
    assert.match(composer?.message ?? "", /Track\.Composer is declared not personal, and holds name/);
    const staff = mine.find((f) => f.rule === "scan-undeclared" && f.path.includes("Employee"));
    assert.match(staff?.message ?? "", /Password: credential \(user\.account\.password/);
    assert.match(staff?.message ?? "", /Username: username \(user\.account\.username/);
    const customer = mine.find((f) => f.rule === "scan-undeclared" && f.path.includes("Customer"));
    assert.match(customer?.message ?? "", /Fax: phone \(user\.contact\.phone_number/, `${e}: ${text}`);
    const invoice = mine.find((f) => f.rule === "scan-undeclared" && f.path.includes("Invoice"));
    assert.match(invoice?.message ?? "", /BillingPostalCode: address \(user\.contact\.address/);
  }
});

it("a picture is found by its column's name and its values' shape", () => {
  const [c] = classifyColumn(
    "picture",
    ["data:image/png;base64,iVBORw0KGgoAAAANSUhEUg", "https://cdn.example/a.jpg"],
    ["US"],
  );
  assert.deepEqual([c.type, c.category], ["picture", "user.photo"]);
  assert.deepEqual(classifyColumn("name", ["English", "Italian", "Japanese", "French", "German"], ["US"]), []);
  // a thing's name: a column of language names in a real database was read as people's names
  const languages = ["Mandarin Chinese", "Modern Greek", "Norwegian Bokmål", "Scottish Gaelic", "Brazilian Portuguese"];
  assert.deepEqual(classifyColumn("lang_name", languages, ["US"]), []);
  assert.deepEqual(classifyColumn("language_name", languages, ["US"]), []);
  assert.equal(classifyColumn("customer_name", ["Ana Lima", "Tom Baker", "Jo Brand"], ["US"])[0]?.type, "name");
  assert.equal(classifyColumn("name", ["Mary Smith", "John Brown", "Linda Gray"], ["US"])[0]?.type, "name");
});

it("a declaration serving only Canada is cited no GDPR article, in the scan or the live check", async (t) => {
  if (skip) return t.skip(skip);
  const canada = parseDeclaration(
    storeDeclaration(ENGINES).replace(
      "jurisdictions: [US-CA, DE, UK, EU], defaultJurisdiction: US-CA",
      "jurisdictions: [CA], defaultJurisdiction: CA",
    ),
  ).declaration;
  const scan = await scanSystems(canada, { env });
  const live = await checkLive(canada, { env });
  assert.ok(scan.findings.length && live.length);
  for (const f of [...scan.findings, ...live]) assert.ok(!/GDPR/.test(f.article), `${f.rule}: ${f.article}`);
});
