/**
 * Rights requests on a schema shaped like a real one (test/helpers/rental-shop.ts),
 * built on PostgreSQL, MariaDB and SQLite at once, through the whole request
 * path. Every result is compared row by row with hand-written SQL: access
 * returns exactly the person's rows; after an erasure no identity finds
 * anything, and every other row of every table hashes as before.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { createUser, type Principal } from "../../src/auth/index.js";
import { parseDeclaration, parsePhone } from "../../src/declaration/index.js";
import {
  confirmReview,
  getExport,
  getRequest,
  requestTasks,
  RequestInputSchema,
  runDueTasks,
  submitRequest,
  verifyRequest,
  type CollectResult,
} from "../../src/requests/index.js";
import type { Store } from "../../src/store/index.js";
import { runUntilSettled, testContext, type TestContext } from "../helpers/requests.js";
import {
  buildShop,
  openSql,
  shopDeclaration,
  TABLES,
  type Engine,
  type Row,
  type Sql,
} from "../helpers/rental-shop.js";
import { createMysqlDatabase, createPgDatabase, servicesOrSkip } from "../helpers/services.js";
import { forEachStore } from "../helpers/stores.js";

const ENGINES: Engine[] = ["postgres", "mysql", "sqlite"];
const MARY = "mary.smith@sakila.example";
const LINDA = "linda.williams@sakila.example";
const JON = "jon.stephens@sakila.example";
const MIKE = "mike.hillyer@sakila.example";

/** A row as JSON, keys sorted: what two reads of the same row agree on. */
const canon = (r: Row) =>
  JSON.stringify(
    Object.fromEntries(
      Object.keys(r)
        .sort()
        .map((k) => [k, r[k] ?? null]),
    ),
  );
const hash = (r: Row) => createHash("sha256").update(canon(r)).digest("hex");
const keyOf = (table: string, r: Row) => JSON.stringify(TABLES[table].map((k) => r[k]));

type Snapshot = Record<Engine, Record<string, Map<string, string>>>;
/** Who a person is, in hand-written SQL: their rows per table, found by email. */
type PersonRows = Record<string, Row[]>;

forEachStore("rights requests on a real schema", (target) => {
  let store: Store;
  let ctx: TestContext;
  let officer: Principal;
  let skip: string | undefined;
  const dir = mkdtempSync(join(tmpdir(), "pledge-shop-"));
  const env: Record<string, string> = { SHOP_LITE: join(dir, "shop.db") };
  const cleanups: (() => Promise<void>)[] = [];
  const sql = {} as Record<Engine, Sql>;

  before(async () => {
    skip = await servicesOrSkip();
    if (skip) return;
    const pgDb = await createPgDatabase("pledge_shop");
    const myDb = await createMysqlDatabase();
    cleanups.push(pgDb.drop, myDb.drop);
    Object.assign(env, { SHOP_PG: pgDb.url, SHOP_MY: myDb.url });
    const targets: Record<Engine, string> = { postgres: pgDb.url, mysql: myDb.url, sqlite: env.SHOP_LITE };
    for (const e of ENGINES) {
      await buildShop(e, targets[e]);
      sql[e] = await openSql(e, targets[e]);
    }
    store = await target.open();
    ctx = testContext(store, parseDeclaration(shopDeclaration(ENGINES)).declaration, {
      env,
      settings: { codeLimitPerAddress: { max: 50, windowMs: 60_000 } },
    });
    officer = {
      user: await createUser(store, {
        email: `officer-${target.name}@sakila.example`,
        name: "Olga",
        role: "officer",
        password: "correct horse battery",
      }),
      via: "session",
    };
  });
  after(async () => {
    for (const e of ENGINES) await sql[e]?.close().catch(() => {});
    for (const c of cleanups) await c().catch(() => {});
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const snapshot = async (): Promise<Snapshot> => {
    const out = {} as Snapshot;
    for (const e of ENGINES) {
      out[e] = {};
      for (const table of Object.keys(TABLES))
        out[e][table] = new Map((await sql[e].query(`SELECT * FROM ${table}`)).map((r) => [keyOf(table, r), hash(r)]));
    }
    return out;
  };

  /**
   * The person's rows, by hand: customers and staff by email, their address rows, the customers' rentals, and payments
   * of either.
   */
  const personRows = async (e: Engine, email: string): Promise<PersonRows> => {
    const q = (text: string, ...params: unknown[]) => sql[e].query(text, params);
    const customer = await q("SELECT * FROM customer WHERE lower(email) = ?", email);
    const staff = await q("SELECT * FROM staff WHERE lower(email) = ?", email);
    const ids = customer.map((c) => c.customer_id);
    const address = await q(
      `SELECT * FROM address WHERE address_id IN (SELECT address_id FROM customer WHERE lower(email) = ?) OR address_id IN (SELECT address_id FROM staff WHERE lower(email) = ?)`,
      email,
      email,
    );
    const rental = ids.length
      ? await q(`SELECT * FROM rental WHERE customer_id IN (${ids.map(() => "?").join(",")})`, ...ids)
      : [];
    const rids = rental.map((r) => r.rental_id);
    const payment = ids.length
      ? await q(
          `SELECT * FROM payment WHERE customer_id IN (${ids.map(() => "?").join(",")})${rids.length ? ` OR rental_id IN (${rids.map(() => "?").join(",")})` : ""}`,
          ...ids,
          ...rids,
        )
      : [];
    return { customer, staff, address, rental, payment };
  };

  /** Submits, verifies with the code the person received, and runs the request to its end. */
  const run = async (right: string, identity: string, extra: Record<string, unknown> = {}) => {
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right, identity, ...extra }), {});
    const v = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(identity));
    assert.ok(v.ok, `verified ${identity}`);
    const status = await runUntilSettled(ctx, requestId);
    return { requestId, token: v.statusToken, status };
  };

  /** Every row outside `mine` is exactly as it was. */
  const othersUnchanged = (before: Snapshot, afterSnap: Snapshot, mine: Record<Engine, PersonRows>) => {
    for (const e of ENGINES) {
      for (const table of Object.keys(TABLES)) {
        const own = new Set((mine[e][table] ?? []).map((r) => keyOf(table, r)));
        for (const [k, h] of before[e][table]) {
          if (own.has(k)) continue;
          assert.equal(afterSnap[e][table].get(k), h, `${e} ${table} ${k} changed, and it is not the person's`);
        }
        for (const k of afterSnap[e][table].keys())
          assert.ok(before[e][table].has(k) || own.has(k), `${e} ${table} ${k} appeared`);
      }
    }
  };

  /** No row of any table is found by the person's email or phone any more. */
  const nothingFindable = async (email: string, phone?: string) => {
    const e164 = phone ? parsePhone(phone, "US")!.e164 : undefined;
    for (const e of ENGINES) {
      for (const table of ["customer", "staff"]) {
        const rows = await sql[e].query(`SELECT * FROM ${table}`);
        assert.deepEqual(
          rows.filter((r) => String(r.email ?? "").toLowerCase() === email).map((r) => keyOf(table, r)),
          [],
          `${e} ${table} by email`,
        );
        if (e164)
          assert.deepEqual(
            rows.filter((r) => r.phone && parsePhone(String(r.phone), "US")?.e164 === e164).map((r) => keyOf(table, r)),
            [],
            `${e} ${table} by phone`,
          );
      }
    }
  };

  it("access returns exactly the rows hand-written SQL returns for the person, on every engine", async (t) => {
    if (skip) return t.skip(skip);
    const { requestId, token, status } = await run("access", MARY);
    assert.equal(status, "completed");
    const exp = await getExport(ctx, requestId, token);
    assert.ok(exp && !("expired" in exp));
    const zip = unzipSync(exp.data);
    for (const e of ENGINES) {
      const want = await personRows(e, MARY);
      assert.equal(want.customer.length, 1, "the email is stored in upper case and still found");
      assert.equal(want.rental.length, 4);
      for (const table of ["customer", "address", "rental", "payment", "staff"]) {
        const file = zip[`${e}/${table}.json`];
        const got = file ? (JSON.parse(strFromU8(file)) as Row[]) : [];
        // Exports show lookups beside their keys (`city_id.city`); the table's own columns must be the rows SQL
        // returns.
        const own = got.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.includes("."))));
        assert.deepEqual(own.map(canon).sort(), want[table].map(canon).sort(), `${e} ${table}`);
      }
      const [addr] = JSON.parse(strFromU8(zip[`${e}/address.json`])) as Row[];
      const [city] = await sql[e].query("SELECT city FROM city WHERE city_id = ?", [addr.city_id]);
      assert.equal(addr["city_id.city"], city.city, "the address shows its city's name");
      assert.ok(!zip[`${e}/film.json`] && !zip[`${e}/store.json`], "lookups and stores are not the person's data");
    }
  });

  it("a staff member's access holds their own rows and how many rows name them as staff, and no customer's", async (t) => {
    if (skip) return t.skip(skip);
    const { requestId, token, status } = await run("access", MIKE);
    assert.equal(status, "completed");
    const exp = await getExport(ctx, requestId, token);
    assert.ok(exp && !("expired" in exp));
    const zip = unzipSync(exp.data);
    const report = (await getRequest(ctx, requestId)).report!;
    for (const e of ENGINES) {
      const want = await personRows(e, MIKE);
      assert.deepEqual((JSON.parse(strFromU8(zip[`${e}/staff.json`])) as Row[]).map(canon), want.staff.map(canon));
      for (const table of ["customer", "rental", "payment"])
        assert.equal(zip[`${e}/${table}.json`], undefined, `${e}: no ${table} of other people`);
      const sys = report.systems.find((s) => s.system === e)!;
      const count = async (text: string) => Number((await sql[e].query(text))[0].n);
      assert.deepEqual(Object.fromEntries(sys.actors.map((a) => [`${a.dataset}.${a.field}`, a.rows])), {
        "rental.staff_id": await count("SELECT count(*) AS n FROM rental WHERE staff_id = 1"),
        "payment.staff_id": await count("SELECT count(*) AS n FROM payment WHERE staff_id = 1"),
        "store.manager_staff_id": 1,
      });
    }
    assert.match(strFromU8(zip["summary.html"]), /Where you appear acting for us/);
  });

  it("a request by phone, written another way, finds the customer; the code goes to the address on file, never to the contact address given", async (t) => {
    if (skip) return t.skip(skip);
    const sent = ctx.mailer.sent.length;
    const res = await submitRequest(
      ctx,
      RequestInputSchema.parse({
        right: "access",
        identityType: "phone",
        identity: "(267) 546 5296",
        contactEmail: "someone@elsewhere.example",
      }),
      {},
    );
    assert.deepEqual(Object.keys(res), ["requestId"], "the answer says nothing of where a code went");
    await runDueTasks(ctx); // the contact task finds the address the shop holds for the number
    const mails = ctx.mailer.sent.slice(sent);
    assert.deepEqual(
      mails.map((m) => m.to),
      [MARY],
      "one code, to the email of the customer row that holds the number",
    );
    const v = await verifyRequest(ctx, res.requestId, ctx.mailer.codeFor(MARY));
    assert.ok(v.ok);
    const r = await getRequest(ctx, res.requestId);
    assert.match(r.verification?.source ?? "", /customer\.email/);
    assert.equal(await runUntilSettled(ctx, res.requestId), "completed");
    assert.ok(
      ctx.mailer.sent
        .slice(sent)
        .filter((m) => m.to === "someone@elsewhere.example")
        .every((m) => !/verification code/.test(m.text)),
      "the contact address gets status mail only after verification, never a code",
    );
    const report = (await getRequest(ctx, res.requestId)).report!;
    for (const e of ENGINES)
      assert.equal(
        report.systems.find((s) => s.system === e)!.datasets.find((d) => d.dataset === "customer")!.found,
        1,
      );
  });

  it("erasure: no identity finds anything again; every other row is unchanged; rows kept for tax law keep what they reference, masked with values their columns take", async (t) => {
    if (skip) return t.skip(skip);
    const before = await snapshot();
    const mine = Object.fromEntries(
      await Promise.all(ENGINES.map(async (e) => [e, await personRows(e, MARY)] as const)),
    ) as Record<Engine, PersonRows>;
    const { requestId, status } = await run("erasure", MARY);
    assert.equal(status, "completed", JSON.stringify((await requestTasks(ctx, requestId)).filter((x) => x.error)));
    await nothingFindable(MARY, "+1 267-546-5296");
    othersUnchanged(before, await snapshot(), mine);
    const report = (await getRequest(ctx, requestId)).report!;
    for (const e of ENGINES) {
      const sys = report.systems.find((s) => s.system === e)!;
      assert.equal(sys.verified, true);
      const ds = Object.fromEntries(sys.datasets.map((d) => [d.dataset, d]));
      assert.deepEqual(
        [ds.payment.found, ds.payment.deleted, ds.payment.masked],
        [3, 0, 3],
        "payments are masked through their composite key",
      );
      assert.match(ds.payment.kept![0].why, /Payments are kept for tax law/);
      assert.deepEqual(ds.payment.keptFields, ["amount"]);
      const payments = await sql[e].query("SELECT * FROM payment WHERE customer_id = 1");
      assert.ok(payments.length === 3 && payments.every((p) => p.card_last4 === null && p.amount !== null));
      assert.deepEqual(
        [ds.rental.found, ds.rental.deleted, ds.rental.masked],
        [4, 1, 3],
        "the free rental goes; the paid ones stay for their payments",
      );
      assert.deepEqual([ds.customer.deleted, ds.customer.masked], [0, 1]);
      const [c] = await sql[e].query("SELECT * FROM customer WHERE customer_id = 1");
      assert.equal(c.first_name, "[erased]");
      assert.match(String(c.email), /^hmac:[0-9a-f]{40}$/);
      assert.equal(c.phone, null);
      assert.match(
        String(c.external_id).toLowerCase(),
        /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        "an HMAC-derived uuid",
      );
      assert.notEqual(String(c.external_id).toLowerCase(), "0c0ffee0-0000-4000-8000-000000000001");
      assert.equal(String(c.birth_date), "1960-01-01", "a date de-identified to its month, still a date");
      const [a] = await sql[e].query("SELECT * FROM address WHERE address_id = 6");
      assert.deepEqual([a.address, a.district, a.postal_code, a.phone], ["[erased]", "-", null, "0"]);
      const rentals = await sql[e].query("SELECT * FROM rental WHERE customer_id = 1 ORDER BY rental_id");
      assert.equal(rentals.length, 3);
      assert.ok(rentals.every((r) => r.return_date === null));
      assert.equal((await sql[e].query("SELECT * FROM payment WHERE customer_id = 1")).length, 3);
    }
  });

  it("erasure of a customer who shares an address with another keeps that address as it is, and reports it shared", async (t) => {
    if (skip) return t.skip(skip);
    const before = await snapshot();
    const mine = Object.fromEntries(
      await Promise.all(ENGINES.map(async (e) => [e, await personRows(e, LINDA)] as const)),
    ) as Record<Engine, PersonRows>;
    const { requestId, status } = await run("erasure", LINDA);
    assert.equal(status, "completed");
    await nothingFindable(LINDA, "2155550199");
    othersUnchanged(before, await snapshot(), mine);
    const report = (await getRequest(ctx, requestId)).report!;
    for (const e of ENGINES) {
      const address = report.systems.find((s) => s.system === e)!.datasets.find((d) => d.dataset === "address")!;
      assert.deepEqual([address.found, address.deleted, address.masked, address.unchanged], [1, 0, 0, 1]);
      assert.equal(address.kept?.[0].kind, "shared");
      assert.equal(
        before[e].address.get(keyOf("address", { address_id: 8 })),
        (await snapshot())[e].address.get(keyOf("address", { address_id: 8 })),
        "the shared address is untouched",
      );
    }
  });

  it("a person who is both staff and a customer: the customer's rows follow the law, the staff row is masked because other people's rentals name it", async (t) => {
    if (skip) return t.skip(skip);
    const before = await snapshot();
    const mine = Object.fromEntries(
      await Promise.all(ENGINES.map(async (e) => [e, await personRows(e, JON)] as const)),
    ) as Record<Engine, PersonRows>;
    for (const e of ENGINES) assert.deepEqual([mine[e].customer.length, mine[e].staff.length], [1, 1]);
    const { requestId, status } = await run("erasure", JON);
    assert.equal(status, "completed");
    await nothingFindable(JON, "+1 (617) 555 0107");
    othersUnchanged(before, await snapshot(), mine);
    const report = (await getRequest(ctx, requestId)).report!;
    for (const e of ENGINES) {
      const staff = report.systems.find((s) => s.system === e)!.datasets.find((d) => d.dataset === "staff")!;
      assert.deepEqual([staff.deleted, staff.masked], [0, 1]);
      assert.ok(
        staff.kept!.some((k) => k.kind === "referenced" && /as actor/.test(k.why)),
        JSON.stringify(staff.kept),
      );
      const [s] = await sql[e].query("SELECT * FROM staff WHERE staff_id = 2");
      assert.equal(s.first_name, "[erased]");
      assert.equal(String(s.username).length, 16, "an HMAC cut to the column's 16 characters");
      assert.ok(
        Number((await sql[e].query("SELECT count(*) AS n FROM rental WHERE staff_id = 2"))[0].n) > 0,
        "other people's rentals still name the staff member",
      );
    }
  });

  it("a staff member's erasure touches no customer, rental or payment", async (t) => {
    if (skip) return t.skip(skip);
    const before = await snapshot();
    const mine = Object.fromEntries(
      await Promise.all(ENGINES.map(async (e) => [e, await personRows(e, MIKE)] as const)),
    ) as Record<Engine, PersonRows>;
    const { status } = await run("erasure", MIKE);
    assert.equal(status, "completed");
    await nothingFindable(MIKE);
    const afterSnap = await snapshot();
    othersUnchanged(before, afterSnap, mine);
    for (const e of ENGINES)
      for (const table of ["customer", "rental", "payment", "store", "inventory"])
        assert.deepEqual([...afterSnap[e][table]], [...before[e][table]], `${e} ${table}`);
  });

  it("without a reason to keep them, payments go by their composite key (through the partitions on PostgreSQL), before the rentals their NOT NULL key points at", async (t) => {
    if (skip) return t.skip(skip);
    const free = testContext(store, parseDeclaration(shopDeclaration(ENGINES, { keepPayments: false })).declaration, {
      env,
    });
    const PATRICIA = "patricia.johnson@sakila.example";
    const before = await snapshot();
    const mine = Object.fromEntries(
      await Promise.all(ENGINES.map(async (e) => [e, await personRows(e, PATRICIA)] as const)),
    ) as Record<Engine, PersonRows>;
    const { requestId } = await submitRequest(
      free,
      RequestInputSchema.parse({ right: "erasure", identity: PATRICIA }),
      {},
    );
    assert.ok((await verifyRequest(free, requestId, free.mailer.codeFor(PATRICIA))).ok);
    assert.equal(await runUntilSettled(free, requestId), "completed");
    await nothingFindable(PATRICIA, "(412) 555-0142");
    const afterSnap = await snapshot();
    othersUnchanged(before, afterSnap, mine);
    for (const e of ENGINES) {
      for (const table of ["customer", "address", "rental", "payment"]) {
        assert.ok(mine[e][table].length > 0, `${e} ${table}`);
        for (const r of mine[e][table])
          assert.ok(!afterSnap[e][table].has(keyOf(table, r)), `${e} ${table} ${keyOf(table, r)} deleted`);
      }
    }
    if (ENGINES.includes("postgres"))
      assert.equal(
        Number((await sql.postgres.query("SELECT count(*) AS n FROM payment_p2026_01 WHERE customer_id = 2"))[0].n),
        0,
      );
  });

  it("identities that match two customers stop the erasure before any change, until staff confirm they are one person", async (t) => {
    if (skip) return t.skip(skip);
    const before = await snapshot();
    const { requestId } = await submitRequest(
      ctx,
      RequestInputSchema.parse({ right: "erasure", identity: "dup@sakila.example" }),
      {},
    );
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor("dup@sakila.example"))).ok);
    assert.equal(await runUntilSettled(ctx, requestId), "needs_attention");
    const r = await getRequest(ctx, requestId);
    assert.equal(r.attention, "review");
    const review = (await requestTasks(ctx, requestId)).filter((x) => x.status === "review");
    assert.deepEqual(review.map((x) => x.target).sort(), [...ENGINES].sort());
    const ambiguous = (review[0].result as CollectResult).ambiguous;
    assert.deepEqual(
      ambiguous.map((a) => ({
        dataset: a.dataset,
        rows: a.rows,
        rowsShown: a.candidates.map((c) => c.shown),
        matched: a.candidates.map((c) => c.matched.map((m) => `${m.field} ${m.shown}`)),
      })),
      [
        {
          dataset: "customer",
          rows: 2,
          rowsShown: ["customer_id 6", "customer_id 7"],
          matched: [["email d***@sakila.example"], ["email d***@sakila.example"]],
        },
      ],
      "staff see which rows matched, and by what, masked",
    );
    assert.deepEqual(await snapshot(), before, "nothing changed anywhere");
    for (const task of review) await confirmReview(ctx, requestId, task.id, officer);
    assert.equal(await runUntilSettled(ctx, requestId), "completed");
    await nothingFindable("dup@sakila.example");
  });

  it("an erasure whose identity matches nothing says so, is never verified, and is flagged to staff", async (t) => {
    if (skip) return t.skip(skip);
    const before = await snapshot();
    const { requestId, status } = await run("erasure", "nobody@sakila.example");
    assert.equal(status, "completed");
    const r = await getRequest(ctx, requestId);
    assert.equal(r.report!.outcome, "nothing_found");
    assert.deepEqual(r.report!.identities, [{ type: "email", shown: "n***@sakila.example", found: false }]);
    assert.ok(
      r.report!.systems.every((s) => s.verified === false),
      "nothing found is not verified",
    );
    assert.equal(r.attention, "nothing_found");
    assert.match(ctx.mailer.sent.at(-1)!.subject, /we found no data/);
    assert.match(
      ctx.mailer.sent.at(-1)!.text,
      /We found no data under email n\*\*\*@sakila\.example, so there was nothing to erase/,
    );
    assert.deepEqual(await snapshot(), before);
  });
});
