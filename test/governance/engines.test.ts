/**
 * Governance against real shops: a disclosure to an authority holds exactly
 * the named account's rows (SQLite), and a breach's people affected are
 * computed through the connectors on PostgreSQL, compared with hand-written SQL.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseDeclaration } from "../../src/declaration/index.js";
import {
  computeAffected,
  decideLegalRequest,
  discloseLegalRequest,
  previewDisclosure,
  getLegalRequest,
  GovernanceError,
  mailingList,
  markNotified,
  registerIncident,
  registerLegalRequest,
  transparencyReport,
  verifyLegalRequest,
} from "../../src/governance/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { GOVERNANCE_YAML, govContext } from "../helpers/governance.js";
import { buildShop, openSql, shopDeclaration, type Sql } from "../helpers/rental-shop.js";
import { createPgDatabase, servicesOrSkip } from "../helpers/services.js";

const olga = { email: "olga@sakila.example", role: "officer" as const };
const otto = { email: "otto@sakila.example", role: "officer" as const };
const ALL_CHECKS = {
  issuer_identified: true,
  authentic_document: true,
  proper_service: true,
  jurisdiction: true,
  specific_scope: true,
};
type Pkg = { systems: Record<string, Record<string, Record<string, unknown>[]>> };

describe("a disclosure to an authority, on the SQLite shop", () => {
  let dir: string;
  let store: Store;
  let sql: Sql;
  let ctx: ReturnType<typeof govContext>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "pledge-gov-"));
    const shop = join(dir, "shop.db");
    await buildShop("sqlite", shop);
    sql = await openSql("sqlite", shop);
    store = await openStore({ sqlitePath: join(dir, "pledge.db") });
    ctx = govContext(
      store,
      parseDeclaration(shopDeclaration(["sqlite"]) + GOVERNANCE_YAML, "pledge.yaml").declaration,
      { SHOP_LITE: shop },
    );
  });
  after(async () => {
    await sql.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("moves through verify, decide and disclose; the package holds exactly the named account's rows, its hash is kept, and the transparency report counts it", async () => {
    const r = await registerLegalRequest(
      ctx,
      {
        reference: "CO-2026-17",
        authority: "Superior Court of Alberta",
        instrument: "court_order",
        jurisdiction: "CA-AB",
        accounts: "Mary.Smith@sakila.example",
        dataAsked: "Rental history and payments",
      },
      olga,
    );
    await assert.rejects(
      discloseLegalRequest(ctx, r.id, olga),
      (e: unknown) => e instanceof GovernanceError && e.code === "CONFLICT",
      "nothing is disclosed before a decision",
    );
    await assert.rejects(
      decideLegalRequest(ctx, r.id, { comply: true, reason: "A valid court order", scope: "rentals" }, otto),
      /must be verified/,
    );
    await verifyLegalRequest(
      ctx,
      r.id,
      { checks: ALL_CHECKS, note: "Called the court registry on its published number" },
      olga,
    );
    await assert.rejects(
      decideLegalRequest(ctx, r.id, { comply: true, reason: "A valid court order", scope: "rentals" }, olga),
      /second staff member/,
    );
    await decideLegalRequest(
      ctx,
      r.id,
      {
        comply: true,
        reason: "A valid court order under the Criminal Code s 487.014",
        scope: "Rental history and payments",
        gagUntil: "2027-06-01",
      },
      otto,
    );
    // The preview counts what the package will hold, from the same collection, and records nothing.
    const preview = await previewDisclosure(ctx, r.id, olga);
    assert.equal((await getLegalRequest(ctx, r.id)).status, "decided", "the preview discloses nothing");
    const pkg = await discloseLegalRequest(ctx, r.id, olga);
    const body = JSON.parse(new TextDecoder().decode(pkg.data)) as Pkg;
    assert.deepEqual(
      Object.fromEntries(preview.datasets.map((d) => [`${d.system}.${d.dataset}`, d.rows])),
      Object.fromEntries(
        Object.entries(body.systems).flatMap(([sys, d]) =>
          Object.entries(d).map(([ds, rows]) => [`${sys}.${ds}`, rows.length]),
        ),
      ),
      "the preview counted what the package holds",
    );
    assert.equal(
      preview.datasets.reduce((a, d) => a + d.rows, 0),
      pkg.rows,
    );
    const shop = body.systems.sqlite;
    const ids = (rows: Record<string, unknown>[] | undefined, f: string) =>
      (rows ?? []).map((x) => Number(x[f])).sort((a, b) => a - b);
    const mary = (
      await sql.query("SELECT customer_id FROM customer WHERE lower(email) = 'mary.smith@sakila.example'")
    ).map((x) => Number(x.customer_id));
    assert.deepEqual(ids(shop.customer, "customer_id"), mary);
    assert.deepEqual(
      ids(shop.rental, "rental_id"),
      (await sql.query("SELECT rental_id FROM rental WHERE customer_id = ? ORDER BY rental_id", [mary[0]])).map((x) =>
        Number(x.rental_id),
      ),
    );
    assert.deepEqual(
      ids(shop.payment, "payment_id"),
      (await sql.query("SELECT payment_id FROM payment WHERE customer_id = ? ORDER BY payment_id", [mary[0]])).map(
        (x) => Number(x.payment_id),
      ),
    );
    for (const [ds, rows] of Object.entries(shop))
      for (const row of rows)
        if ("customer_id" in row) assert.equal(Number(row.customer_id), mary[0], `${ds} holds another customer's row`);
    assert.equal(shop.staff, undefined, "staff rows are not hers");
    const after = await getLegalRequest(ctx, r.id);
    assert.equal(after.status, "disclosed");
    assert.equal(after.outcome, "complied");
    assert.equal(after.packageHash, pkg.sha256);
    assert.equal(after.mayTell, false, "gagged until June 2027");
    assert.deepEqual(
      after.steps.map((s) => s.step),
      ["received", "verified", "decided", "disclosed"],
    );
    await assert.rejects(discloseLegalRequest(ctx, r.id, olga), /disclosed already/);
    const report = await transparencyReport(ctx, ctx.clock().getUTCFullYear());
    assert.equal(report.byInstrument.court_order?.complied, 1);
    assert.ok(
      !JSON.stringify(report).includes("Mary") && !JSON.stringify(report).includes("Alberta"),
      "no personal data or authority in the report",
    );
  });

  it("an account that matches two people's rows is not disclosed; a request failing a check is rejected and counted", async () => {
    const r = await registerLegalRequest(
      ctx,
      {
        reference: "SUB-9",
        authority: "County DA",
        instrument: "subpoena",
        jurisdiction: "US-CA",
        accounts: ["dup@sakila.example"],
        dataAsked: "Everything",
      },
      olga,
    );
    await verifyLegalRequest(ctx, r.id, { checks: ALL_CHECKS, note: "Checked with the DA's office" }, olga);
    await decideLegalRequest(ctx, r.id, { comply: true, reason: "Compliance required", scope: "Account data" }, otto);
    await assert.rejects(discloseLegalRequest(ctx, r.id, olga), /several people's rows in sqlite\.customer \(2 rows\)/);
    assert.equal((await getLegalRequest(ctx, r.id)).status, "decided", "nothing recorded as disclosed");
    const fake = await registerLegalRequest(
      ctx,
      {
        reference: "NSL-1",
        authority: "Unknown caller",
        instrument: "national_security_letter",
        jurisdiction: "US",
        accounts: ["lisa.anderson@sakila.example"],
        dataAsked: "All mail",
      },
      olga,
    );
    const rejected = await verifyLegalRequest(
      ctx,
      fake.id,
      { checks: { ...ALL_CHECKS, authentic_document: false }, note: "The seal did not match" },
      olga,
    );
    assert.equal(rejected.status, "rejected");
    const report = await transparencyReport(ctx, ctx.clock().getUTCFullYear());
    assert.equal(
      report.byInstrument.national_security_letter,
      undefined,
      "no exact count of national security letters",
    );
    assert.equal(report.nslBand, "0–999");
    assert.equal(report.byInstrument.subpoena?.pending, 1, "the decided, undisclosed subpoena is open");
  });

  it("a system that cannot be read stops the disclosure: an incomplete package is not recorded as disclosed", async () => {
    const r = await registerLegalRequest(
      ctx,
      {
        reference: "CO-3",
        authority: "Court",
        instrument: "court_order",
        jurisdiction: "US-CA",
        accounts: ["susan.wilson@sakila.example"],
        dataAsked: "Rentals",
      },
      olga,
    );
    await verifyLegalRequest(ctx, r.id, { checks: ALL_CHECKS, note: "Called the clerk" }, olga);
    await decideLegalRequest(ctx, r.id, { comply: true, reason: "A valid order", scope: "Rentals" }, otto);
    const down = govContext(store, ctx.declaration(), { SHOP_LITE: join(dir, "missing", "shop.db") });
    await assert.rejects(discloseLegalRequest(down, r.id, olga), /could not read sqlite .*nothing was disclosed/);
    const still = await getLegalRequest(ctx, r.id);
    assert.equal(still.status, "decided");
    assert.equal(still.packageHash, null);
  });

  it("two staff pressing disclose at once produce one recorded disclosure", async () => {
    const r = await registerLegalRequest(
      ctx,
      {
        reference: "CO-2",
        authority: "Court",
        instrument: "court_order",
        jurisdiction: "US-CA",
        accounts: ["lisa.anderson@sakila.example"],
        dataAsked: "Rentals",
      },
      olga,
    );
    await verifyLegalRequest(ctx, r.id, { checks: ALL_CHECKS, note: "Called the clerk" }, olga);
    await decideLegalRequest(ctx, r.id, { comply: true, reason: "A valid order", scope: "Rentals" }, otto);
    const both = await Promise.allSettled([
      discloseLegalRequest(ctx, r.id, olga),
      discloseLegalRequest(ctx, r.id, otto),
    ]);
    assert.equal(both.filter((x) => x.status === "fulfilled").length, 1);
    const done = await getLegalRequest(ctx, r.id);
    assert.equal(done.steps.filter((s) => s.step === "disclosed").length, 1);
    assert.equal(
      done.packageHash,
      (both.find((x) => x.status === "fulfilled") as PromiseFulfilledResult<{ sha256: string }>).value.sha256,
    );
  });
});

describe("a breach's people affected, on the PostgreSQL shop", () => {
  let store: Store;
  let sql: Sql;
  let drop: (() => Promise<void>) | undefined;
  let ctx: ReturnType<typeof govContext>;
  let dir: string;
  before(async () => {
    const skip = await servicesOrSkip();
    if (skip) return;
    const db = await createPgDatabase("pledge_gov");
    drop = db.drop;
    await buildShop("postgres", db.url);
    sql = await openSql("postgres", db.url);
    // Where each customer lives, as production schemas keep it.
    await sql.query("ALTER TABLE customer ADD COLUMN country varchar(10)");
    await sql.query("UPDATE customer SET country = CASE WHEN customer_id % 3 = 0 THEN 'SE' ELSE 'US-CA' END");
    dir = mkdtempSync(join(tmpdir(), "pledge-gov-"));
    store = await openStore({ sqlitePath: join(dir, "pledge.db") });
    const yaml =
      shopDeclaration(["postgres"]).replace(
        "          last_update: { personal: false }\n",
        "          last_update: { personal: false }\n          country: { personal: false }\n",
      ) + GOVERNANCE_YAML;
    ctx = govContext(store, parseDeclaration(yaml, "pledge.yaml").declaration, { SHOP_PG: db.url });
  });
  after(async () => {
    await sql?.close();
    await store?.close();
    await drop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("counts the people whose rentals fall in the window, per jurisdiction, with a mailing list that goes once the letters are sent", async (t) => {
    if (!drop) return t.skip(await servicesOrSkip());
    const i = await registerIncident(
      ctx,
      {
        title: "Rental log exposed in a public bucket",
        occurredAt: "2026-03-02T00:00:00Z",
        awareAt: ctx.clock().toISOString(),
        nature: ["confidentiality"],
        datasets: ["postgres.rental"],
        jurisdictions: ["EU", "US-CA"],
        risk: "high",
        riskReasoning: "Names of films rented, with the renter",
      },
      olga,
    );
    const progress: number[] = [];
    const done = await computeAffected(
      ctx,
      i.id,
      { field: "rental_date", from: "2026-02-01", to: "2026-03-01", jurisdictionField: "customer.country" },
      olga,
      (_d, n) => progress.push(n),
    );
    const expected = await sql.query(
      "SELECT c.customer_id, lower(c.email) AS email, c.country FROM customer c WHERE c.customer_id IN (SELECT customer_id FROM rental WHERE rental_date >= '2026-02-01' AND rental_date < '2026-03-01') ORDER BY 1",
    );
    const rows = await sql.query(
      "SELECT count(*) AS n FROM rental WHERE rental_date >= '2026-02-01' AND rental_date < '2026-03-01'",
    );
    assert.ok(expected.length > 3, "the window holds several customers");
    assert.equal(done.affected!.rows, Number(rows[0].n));
    assert.equal(done.affected!.people, expected.length, "one per customer row, even where two share an email");
    const byJ: Record<string, number> = {};
    for (const e of expected) byJ[String(e.country)] = (byJ[String(e.country)] ?? 0) + 1;
    assert.deepEqual(done.affected!.byJurisdiction, byJ);
    assert.equal(done.affected!.withoutEmail, expected.filter((e) => !e.email).length);
    assert.ok(progress.length > 0, "progress was reported");
    const csv = await mailingList(ctx, i.id, olga);
    const emails = [...new Set(expected.map((e) => e.email).filter(Boolean))].sort();
    assert.deepEqual(
      csv
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",")[0])
        .sort(),
      emails,
    );
    const letters = done.clocks.filter((c) => c.notify === "individuals" && c.applies !== "no");
    for (const c of letters) await markNotified(ctx, i.id, c.key, "Letters mailed", olga);
    assert.equal(
      (await mailingList(ctx, i.id, olga)).trim(),
      "email,jurisdiction",
      "the mailing list is deleted once every letter is sent",
    );
  });
});
