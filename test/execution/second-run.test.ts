/**
 * The shapes a second real-world run failed on (test/helpers/music-store.ts),
 * on PostgreSQL, MariaDB and SQLite at once, through the whole request path,
 * every result compared row by row with hand-written SQL:
 * - the address row a customer points at carries a phone identity: it is the
 *   customer's, exported and erased, and "verified" means that a new search by
 *   the email and by that phone finds nothing;
 * - phones as stores keep them, asked for as people type them;
 * - a shared office phone: staff see which value matched each row and erase one
 *   employee without touching the other, and a phone declared shared finds no
 *   one more;
 * - an invoice line is kept until its invoice's date plus the period, in the
 *   report and the blocks, as the dry run reads it;
 * - a key declared only on partitions stops an erasure at once, naming it;
 * - a field masked without a category is masked; nobody else's row changes.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { createUser, type Principal } from "../../src/auth/index.js";
import { addDuration, parseDeclaration, parseDuration, type Declaration } from "../../src/declaration/index.js";
import { checkLive } from "../../src/discovery/index.js";
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
import { bindingsOf, planRetention, sweepBinding } from "../../src/retention/index.js";
import type { Store } from "../../src/store/index.js";
import {
  buildStore,
  EMMA,
  FRANK,
  JANE,
  KARA,
  LEONIE,
  NANCY,
  openSql,
  q,
  STEVE,
  STORE_TABLES,
  storeDeclaration,
  type Engine,
  type Row,
  type Sql,
} from "../helpers/music-store.js";
import { runUntilSettled, testContext, type TestContext } from "../helpers/requests.js";
import { createMysqlDatabase, createPgDatabase, servicesOrSkip } from "../helpers/services.js";
import { forEachStore } from "../helpers/stores.js";

const ENGINES: Engine[] = ["postgres", "mysql", "sqlite"];

const canon = (r: Row) =>
  JSON.stringify(
    Object.fromEntries(
      Object.keys(r)
        .sort()
        .map((k) => [k, r[k] === undefined || r[k] === null ? null : String(r[k])]),
    ),
  );
const hash = (r: Row) => createHash("sha256").update(canon(r)).digest("hex");
const keyOf = (table: string, r: Row) => JSON.stringify(STORE_TABLES[table].map((k) => String(r[k])));
type Snapshot = Record<Engine, Record<string, Map<string, string>>>;
type Rows = Record<string, Row[]>;

forEachStore("the second real-world run's shapes", (target) => {
  let store: Store;
  let ctx: TestContext;
  let officer: Principal;
  let skip: string | undefined;
  const dir = mkdtempSync(join(tmpdir(), "pledge-music-"));
  const env: Record<string, string> = { STORE_LITE: join(dir, "store.db") };
  const cleanups: (() => Promise<void>)[] = [];
  const sql = {} as Record<Engine, Sql>;
  const decl = (options: Parameters<typeof storeDeclaration>[1] = {}): Declaration =>
    parseDeclaration(storeDeclaration(ENGINES, options)).declaration;

  before(async () => {
    skip = await servicesOrSkip();
    if (skip) return;
    const pgDb = await createPgDatabase("pledge_music");
    const myDb = await createMysqlDatabase();
    cleanups.push(pgDb.drop, myDb.drop);
    Object.assign(env, { STORE_PG: pgDb.url, STORE_MY: myDb.url });
    const targets: Record<Engine, string> = { postgres: pgDb.url, mysql: myDb.url, sqlite: env.STORE_LITE };
    for (const e of ENGINES) {
      await buildStore(e, targets[e]);
      sql[e] = await openSql(e, targets[e]);
    }
    store = await target.open();
    ctx = testContext(store, decl(), { env, settings: { codeLimitPerAddress: { max: 50, windowMs: 60_000 } } });
    officer = {
      user: await createUser(store, {
        email: `officer-${target.name}@chinook.example`,
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

  const T = (e: Engine, name: string) => q(e, name);
  const query = (e: Engine, text: string, ...params: unknown[]) => sql[e].query(text, params);

  const snapshot = async (): Promise<Snapshot> => {
    const out = {} as Snapshot;
    for (const e of ENGINES) {
      out[e] = {};
      for (const table of Object.keys(STORE_TABLES))
        out[e][table] = new Map(
          (await query(e, `SELECT * FROM ${T(e, table)}`)).map((r) => [keyOf(table, r), hash(r)]),
        );
    }
    return out;
  };

  /** A customer's rows, by hand: found by email in any case, their address, invoices and lines, rentals, payments. */
  const customerRows = async (e: Engine, email: string): Promise<Rows> => {
    const c = (n: string) => q(e, n);
    const customer = await query(e, `SELECT * FROM ${T(e, "Customer")} WHERE lower(${c("Email")}) = ?`, email);
    const ids = customer.map((r) => r.CustomerId);
    const list = (xs: unknown[]) => xs.map(() => "?").join(", ") || "NULL";
    const address = await query(
      e,
      `SELECT * FROM ${T(e, "Address")} WHERE ${c("AddressId")} IN (${list(customer)})`,
      ...customer.map((r) => r.AddressId),
    );
    const invoice = await query(
      e,
      `SELECT * FROM ${T(e, "Invoice")} WHERE ${c("CustomerId")} IN (${list(ids)})`,
      ...ids,
    );
    const line = await query(
      e,
      `SELECT * FROM ${T(e, "InvoiceLine")} WHERE ${c("InvoiceId")} IN (${list(invoice)})`,
      ...invoice.map((r) => r.InvoiceId),
    );
    const rental = await query(e, `SELECT * FROM ${T(e, "Rental")} WHERE ${c("CustomerId")} IN (${list(ids)})`, ...ids);
    const payment = await query(
      e,
      `SELECT * FROM ${T(e, "Payment")} WHERE ${c("RentalId")} IN (${list(rental)})`,
      ...rental.map((r) => r.RentalId),
    );
    return {
      Customer: customer,
      Address: address,
      Invoice: invoice,
      InvoiceLine: line,
      Rental: rental,
      Payment: payment,
    };
  };

  const othersUnchanged = (before: Snapshot, now: Snapshot, mine: Record<Engine, Rows>) => {
    for (const e of ENGINES)
      for (const table of Object.keys(STORE_TABLES)) {
        const own = new Set((mine[e][table] ?? []).map((r) => keyOf(table, r)));
        for (const [k, h] of before[e][table])
          if (!own.has(k))
            assert.equal(now[e][table].get(k), h, `${e} ${table} ${k} changed, and it is not the person's`);
      }
  };

  const run = async (c: TestContext, right: string, identity: string, extra: Record<string, unknown> = {}) => {
    const { requestId } = await submitRequest(c, RequestInputSchema.parse({ right, identity, ...extra }), {});
    const v = await verifyRequest(c, requestId, c.mailer.codeFor(identity));
    assert.ok(v.ok, `verified ${identity}`);
    return { requestId, token: v.statusToken, status: await runUntilSettled(c, requestId) };
  };

  it("access: the customer's address row, which carries a phone identity, is theirs and exported; lines show their album through the track", async (t) => {
    if (skip) return t.skip(skip);
    const { requestId, token, status } = await run(ctx, "access", FRANK.email);
    assert.equal(status, "completed");
    const exp = await getExport(ctx, requestId, token);
    assert.ok(exp && !("expired" in exp));
    const zip = unzipSync(exp.data);
    const report = (await getRequest(ctx, requestId)).report!;
    for (const e of ENGINES) {
      const want = await customerRows(e, FRANK.email);
      assert.equal(want.Address.length, 1);
      for (const table of ["Customer", "Address", "Invoice", "InvoiceLine", "Rental", "Payment"]) {
        const file = zip[`${e}/${table}.json`];
        const got = file ? (JSON.parse(strFromU8(file)) as Row[]) : [];
        const own = got.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.includes("."))));
        assert.deepEqual(own.map(canon).sort(), want[table].map(canon).sort(), `${e} ${table}`);
      }
      const lines = JSON.parse(strFromU8(zip[`${e}/InvoiceLine.json`])) as Row[];
      for (const l of lines) {
        const [album] = await query(
          e,
          `SELECT a.${q(e, "Title")} AS title FROM ${T(e, "Track")} t JOIN ${T(e, "Album")} a ON a.${q(e, "AlbumId")} = t.${q(e, "AlbumId")} WHERE t.${q(e, "TrackId")} = ?`,
          l.TrackId,
        );
        assert.equal(l["TrackId.AlbumId.Title"], album.title, "the album's title, two references away");
      }
      const sys = report.systems.find((s) => s.system === e)!;
      const address = sys.datasets.find((d) => d.dataset === "Address")!;
      assert.deepEqual([address.found, address.notMatched ?? 0], [1, 0], "the address is the customer's own");
    }
  });

  it("erasure: the address with the phone is the customer's; verified means a new search by the email and the phone finds nothing; nobody else's row changes", async (t) => {
    if (skip) return t.skip(skip);
    const before = await snapshot();
    const mine = Object.fromEntries(
      await Promise.all(ENGINES.map(async (e) => [e, await customerRows(e, FRANK.email)] as const)),
    ) as Record<Engine, Rows>;
    const { requestId, status } = await run(ctx, "erasure", FRANK.email);
    assert.equal(status, "completed", JSON.stringify((await requestTasks(ctx, requestId)).map((x) => x.error)));
    othersUnchanged(before, await snapshot(), mine);
    const report = (await getRequest(ctx, requestId)).report!;
    for (const e of ENGINES) {
      const c = (n: string) => q(e, n);
      const sys = report.systems.find((s) => s.system === e)!;
      assert.equal(sys.verified, true, e);
      // The customer row stays for the invoices kept for tax law, so its address stays too, masked.
      const [a] = await query(e, `SELECT * FROM ${T(e, "Address")} WHERE ${c("AddressId")} = 3`);
      assert.deepEqual([a.Street, a.PostalCode, a.Phone, a.City], ["[erased]", null, null, "Mountain View"]);
      const [cu] = await query(e, `SELECT * FROM ${T(e, "Customer")} WHERE ${c("CustomerId")} = 3`);
      assert.equal(cu.FirstName, "[erased]");
      assert.match(String(cu.Email), /^hmac:/);
      // Nothing anywhere is found by the email or by the phone's digits any more.
      for (const table of ["Customer", "Employee"])
        assert.deepEqual(
          (await query(e, `SELECT * FROM ${T(e, table)}`)).filter(
            (r) => String(r.Email ?? "").toLowerCase() === FRANK.email,
          ),
          [],
        );
      for (const table of ["Address", "Employee"])
        assert.deepEqual(
          (await query(e, `SELECT * FROM ${T(e, table)}`)).filter((r) =>
            String(r.Phone ?? "")
              .replace(/\D/g, "")
              .endsWith("6502530000"),
          ),
          [],
        );
      // The oldest invoice (nine years) went with its lines; the others stay as issued.
      const invoices = await query(e, `SELECT * FROM ${T(e, "Invoice")} WHERE ${c("CustomerId")} = 3`);
      assert.equal(invoices.length, mine[e].Invoice.length - 1);
      assert.deepEqual(
        (await query(e, `SELECT * FROM ${T(e, "Rental")} WHERE ${c("CustomerId")} = 3`)).length,
        0,
        "rentals went, their payments first",
      );
    }
  });

  it("phones as stores keep them, asked for as people type them; the code goes to the email on the row that points at the address, the status link only there", async (t) => {
    if (skip) return t.skip(skip);
    for (const [typed, who, email] of [
      ["020 7707 0707", EMMA, EMMA.email],
      ["+49 0711 2842222", LEONIE, LEONIE.email],
      ["6172235589", KARA, KARA.email],
    ] as const) {
      const sent = ctx.mailer.sent.length;
      const res = await submitRequest(
        ctx,
        RequestInputSchema.parse({
          right: "access",
          identityType: "phone",
          identity: typed,
          contactEmail: "someone@elsewhere.example",
        }),
        {},
      );
      await runDueTasks(ctx);
      const codes = ctx.mailer.sent.slice(sent).filter((m) => /verification code is/.test(m.text));
      assert.deepEqual(
        codes.map((m) => m.to),
        [email],
        `${typed} (stored ${who.phone}): one code, to the customer who points at the address holding it`,
      );
      assert.match(codes[0].text, /comes to this address, and only here/);
      assert.match(codes[0].text, /without the link, also goes to s\*\*\*@elsewhere\.example/);
      const v = await verifyRequest(ctx, res.requestId, ctx.mailer.codeFor(email));
      assert.ok(v.ok);
      const after = ctx.mailer.sent.slice(sent);
      const link = after.filter((m) => m.text.includes(`/privacy-center/requests/${v.statusToken}`));
      assert.deepEqual(
        link.map((m) => m.to),
        [email],
        "the link, the key to the export, goes only where the code went",
      );
      const news = after.filter((m) => m.to === "someone@elsewhere.example");
      assert.equal(news.length, 1, "the contact address hears of the request");
      assert.ok(!news[0].text.includes(v.statusToken), "without the link");
      assert.equal(await runUntilSettled(ctx, res.requestId), "completed");
      const report = (await getRequest(ctx, res.requestId)).report!;
      for (const e of ENGINES)
        assert.equal(
          report.systems.find((s) => s.system === e)!.datasets.find((d) => d.dataset === "Customer")?.found,
          1,
          `${e}: ${typed}`,
        );
    }
  });

  it("a shared office phone: the review shows which value matched each row, and staff erase one employee without touching the other", async (t) => {
    if (skip) return t.skip(skip);
    const before = await snapshot();
    const { requestId } = await submitRequest(
      ctx,
      RequestInputSchema.parse({ right: "erasure", identity: JANE.email }),
      {},
    );
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(JANE.email))).ok);
    assert.equal(await runUntilSettled(ctx, requestId), "needs_attention");
    assert.deepEqual(await snapshot(), before, "nothing changed before staff decided");
    const review = (await requestTasks(ctx, requestId)).filter((x) => x.status === "review");
    assert.equal(review.length, ENGINES.length);
    for (const task of review) {
      const [amb] = (task.result as CollectResult).ambiguous;
      assert.equal(amb.dataset, "Employee");
      const shown = Object.fromEntries(
        amb.candidates.map((c) => [c.shown, c.matched.map((m) => `${m.field} ${m.shown}`).sort()]),
      );
      assert.deepEqual(shown, {
        "EmployeeId 2": ["Phone ***3443"],
        "EmployeeId 3": ["Email j***@chinookcorp.example", "Phone ***3443"],
      });
      const jane = amb.candidates.find((c) => c.shown === "EmployeeId 3")!;
      await confirmReview(ctx, requestId, task.id, officer, { person: [jane.ref] });
    }
    assert.equal(await runUntilSettled(ctx, requestId), "completed");
    const now = await snapshot();
    for (const e of ENGINES) {
      const c = (n: string) => q(e, n);
      const [jane] = await query(e, `SELECT * FROM ${T(e, "Employee")} WHERE ${c("EmployeeId")} = 3`);
      // Customers name her as their support rep: the row stays, masked; the fax, masked without a category, too.
      assert.deepEqual(
        [jane.FirstName, jane.Phone, jane.Fax, jane.HireDate, jane.Photo, jane.Title],
        ["[erased]", null, null, null, null, null],
        e,
      );
      assert.match(String(jane.Email), /^hmac:/);
      const k = keyOf("Employee", { EmployeeId: NANCY.employeeId });
      assert.equal(now[e].Employee.get(k), before[e].Employee.get(k), `${e}: Nancy's row is as it was`);
      for (const table of Object.keys(STORE_TABLES))
        for (const [key, h] of before[e][table])
          if (!(table === "Employee" && key === keyOf("Employee", { EmployeeId: 3 })))
            assert.equal(now[e][table].get(key), h, `${e} ${table} ${key} changed`);
    }
    const report = (await getRequest(ctx, requestId)).report!;
    for (const e of ENGINES) assert.equal(report.systems.find((s) => s.system === e)!.verified, true, e);
  });

  it("declared shared, an office phone finds no one more: erasing one employee asks no review and touches nobody else", async (t) => {
    if (skip) return t.skip(skip);
    const shared = testContext(store, decl({ sharedPhone: true }), { env });
    const before = await snapshot();
    const { requestId, status } = await run(shared, "erasure", STEVE.email);
    assert.equal(status, "completed");
    const now = await snapshot();
    for (const e of ENGINES)
      for (const table of Object.keys(STORE_TABLES))
        for (const [key, h] of before[e][table])
          if (!(table === "Employee" && key === keyOf("Employee", { EmployeeId: STEVE.employeeId })))
            assert.equal(now[e][table].get(key), h, `${e} ${table} ${key} changed`);
    const report = (await getRequest(shared, requestId)).report!;
    for (const e of ENGINES) assert.equal(report.systems.find((s) => s.system === e)!.verified, true);
  });

  it("an invoice line is kept until its invoice's date plus the period, in the report and the blocks, as the dry run reads it", async (t) => {
    if (skip) return t.skip(skip);
    const kept = Object.fromEntries(
      await Promise.all(ENGINES.map(async (e) => [e, await customerRows(e, LEONIE.email)] as const)),
    ) as Record<Engine, Rows>;
    const { requestId, status } = await run(ctx, "erasure", LEONIE.email);
    assert.equal(status, "completed");
    const seven = parseDuration("7 years")!;
    const until = (date: unknown) => addDuration(new Date(`${String(date).slice(0, 10)}T00:00:00Z`), seven);
    const report = (await getRequest(ctx, requestId)).report!;
    for (const e of ENGINES) {
      const keptInvoices = kept[e].Invoice.filter((i) => until(i.InvoiceDate) > new Date());
      const want = keptInvoices.map((i) => until(i.InvoiceDate).toISOString().slice(0, 10)).sort();
      const lines = report.systems.find((s) => s.system === e)!.datasets.find((d) => d.dataset === "InvoiceLine")!;
      assert.deepEqual(
        (lines.kept ?? []).map((k) => k.until).sort(),
        want,
        `${e}: each line kept until its invoice's date plus seven years`,
      );
      for (const k of lines.kept ?? []) assert.equal(k.rows, 2, "the two lines of one invoice, one line of the report");
      const blocks = await store.db
        .selectFrom("retention_blocks")
        .select(["row_key", "until"])
        .where("system", "=", e)
        .where("dataset", "=", "InvoiceLine")
        .where("source", "=", `request:${requestId}`)
        .execute();
      for (const b of blocks) {
        const line = kept[e].InvoiceLine.find((l) => JSON.stringify([l.InvoiceLineId]) === b.row_key)!;
        const invoice = kept[e].Invoice.find((i) => String(i.InvoiceId) === String(line.InvoiceId))!;
        assert.equal(b.until?.slice(0, 10), until(invoice.InvoiceDate).toISOString().slice(0, 10));
      }
      assert.equal(new Set(blocks.map((b) => b.row_key)).size, keptInvoices.length * 2);
    }
    // The dry run reads the same clock: the lines due are those of invoices past seven years, by their invoice's date.
    const plan = await planRetention(
      { store, declaration: () => ctx.declaration(), env, clock: () => new Date() },
      { rule: "bookkeeping", ownData: false },
    );
    for (const e of ENGINES) {
      const c = (n: string) => q(e, n);
      const [{ n }] = await query(
        e,
        `SELECT count(*) AS n FROM ${T(e, "InvoiceLine")} l JOIN ${T(e, "Invoice")} i ON i.${c("InvoiceId")} = l.${c("InvoiceId")} WHERE i.${c("InvoiceDate")} < ?`,
        new Date(Date.now() - (until("2000-01-01").getTime() - Date.parse("2000-01-01"))).toISOString().slice(0, 10),
      );
      assert.equal(plan.find((p) => p.binding === `${e}.InvoiceLine/bookkeeping`)!.due, Number(n), e);
    }
  });

  it("a customer is kept two years after the last purchase: the dry run's due customers are those whose latest invoice is older", async (t) => {
    if (skip) return t.skip(skip);
    const plan = await planRetention(
      { store, declaration: () => ctx.declaration(), env, clock: () => new Date() },
      { rule: "customers", ownData: false },
    );
    for (const e of ENGINES) {
      const c = (n: string) => q(e, n);
      const cutoff = new Date(Date.now() - 2 * 365.25 * 86_400_000).toISOString().slice(0, 10);
      const due = await query(
        e,
        `SELECT ${c("CustomerId")} FROM ${T(e, "Customer")} cu WHERE (SELECT max(${c("InvoiceDate")}) FROM ${T(e, "Invoice")} i WHERE i.${c("CustomerId")} = cu.${c("CustomerId")}) < ?`,
        cutoff,
      );
      assert.ok(
        due.some((r) => Number(r.CustomerId) === KARA.customerId),
        "Kara's last purchase was three years ago",
      );
      assert.equal(plan.find((p) => p.binding === `${e}.Customer/customers`)!.due, due.length, e);
    }
  });

  it("an erasure refused by a key the declaration does not name (on PostgreSQL, declared only on the partitions) stops at once, naming the constraint; the live check names the key", async (t) => {
    if (skip) return t.skip(skip);
    const undeclared = testContext(store, decl({ declarePayments: false }), {
      env,
      settings: { maxAttempts: 5 },
    });
    const findings = await checkLive(undeclared.declaration(), { env });
    const payments = findings.filter(
      (f) => f.rule === "live-foreign-key-undeclared" && f.path.join(".").includes("Payment"),
    );
    assert.equal(
      payments.length,
      ENGINES.length,
      JSON.stringify(findings.map((f) => `${f.rule} ${f.path.join(".")} ${f.message.slice(0, 80)}`)),
    );
    assert.match(
      payments.find((f) => f.path[1] === "postgres")!.message,
      /Payment\(RentalId\) references Rental\(RentalId\) in the database \(declared on each of its partitions, as Payment_(old|new)_RentalId_fkey\)/,
    );
    const before = await snapshot();
    const { requestId } = await submitRequest(
      undeclared,
      RequestInputSchema.parse({ right: "erasure", identity: "luisg@embraer.example" }),
      {},
    );
    assert.ok((await verifyRequest(undeclared, requestId, undeclared.mailer.codeFor("luisg@embraer.example"))).ok);
    assert.equal(await runUntilSettled(undeclared, requestId), "needs_attention");
    assert.deepEqual(await snapshot(), before, "nothing changed anywhere");
    const erase = (await requestTasks(undeclared, requestId)).filter((x) => x.kind === "erase");
    assert.equal(erase.length, ENGINES.length);
    for (const task of erase) {
      assert.equal(task.status, "failed", task.target);
      assert.equal(task.attempts, 1, `${task.target}: one try, not five`);
      assert.match(task.error ?? "", /refused by (the constraint|a constraint)/);
      assert.match(task.error ?? "", /Declare .* and its reference/);
    }
    const pg = erase.find((x) => x.target === "postgres")!;
    assert.match(
      pg.error ?? "",
      /the constraint Payment_(old|new)_RentalId_fkey on table Payment_(old|new) \(a partition of Payment\)/,
    );
  });

  it("an address two customers share: its phone matches both, staff go ahead for one, and the shared row stays as it is", async (t) => {
    if (skip) return t.skip(skip);
    const before = await snapshot();
    const tim = "tgoyer@apple.example";
    const mine = Object.fromEntries(
      await Promise.all(ENGINES.map(async (e) => [e, await customerRows(e, tim)] as const)),
    ) as Record<Engine, Rows>;
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "erasure", identity: tim }), {});
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(tim))).ok);
    assert.equal(await runUntilSettled(ctx, requestId), "needs_attention");
    for (const task of (await requestTasks(ctx, requestId)).filter((x) => x.status === "review")) {
      const [amb] = (task.result as CollectResult).ambiguous;
      const shown = Object.fromEntries(
        amb.candidates.map((c) => [c.shown, c.matched.map((m) => `${m.field} ${m.shown}`).sort()]),
      );
      assert.deepEqual(shown, {
        "CustomerId 6": ["AddressId → Address.Phone ***1234", "Email t***@apple.example"],
        "CustomerId 7": ["AddressId → Address.Phone ***1234"],
      });
      await confirmReview(ctx, requestId, task.id, officer, {
        person: [amb.candidates.find((c) => c.shown === "CustomerId 6")!.ref],
      });
    }
    assert.equal(await runUntilSettled(ctx, requestId), "completed");
    // Ann's row, and the address both point at, are as they were.
    const only = Object.fromEntries(ENGINES.map((e): [Engine, Rows] => [e, { ...mine[e], Address: [] }])) as Record<
      Engine,
      Rows
    >;
    othersUnchanged(before, await snapshot(), only);
    const report = (await getRequest(ctx, requestId)).report!;
    for (const e of ENGINES) {
      const sys = report.systems.find((s) => s.system === e)!;
      assert.equal(sys.verified, true, e);
      const address = sys.datasets.find((d) => d.dataset === "Address")!;
      assert.match(address.kept?.[0]?.why ?? "", /shared with other rows \(Customer\.AddressId\)/);
    }
  });

  it("the dry run says what the sweep will do, rows kept because kept rows need them included: its figures are the sweep's", async (t) => {
    if (skip) return t.skip(skip);
    const rctx = { store, declaration: () => ctx.declaration(), env, clock: () => new Date() };
    // Kara's last purchase was three years ago: her customer row is due, and stays for the invoice kept for tax law.
    for (const rule of ["customers", "bookkeeping"])
      for (const b of bindingsOf(ctx.declaration(), rule)) {
        const entry = (await planRetention(rctx, { rule, simulate: true, ownData: false })).find(
          (p) => p.binding === b.id,
        )!;
        const report = await sweepBinding(rctx, b);
        const plan = entry.sweep ?? { deleted: 0, masked: 0, blocked: 0, keptOfDataset: 0, deletedOfDataset: 0 };
        assert.deepEqual(
          { deleted: plan.deleted, masked: plan.masked, blocked: plan.blocked },
          { deleted: report.deleted, masked: report.masked, blocked: report.blocked },
          `${b.id}: the dry run's figures are the sweep's`,
        );
        if (b.id.endsWith("Customer/customers")) {
          assert.equal(entry.due, 1, `${b.id}: Kara is due`);
          assert.equal(plan.deletedOfDataset, 0, "her row is not deleted…");
          assert.equal(plan.keptOfDataset, 1, "…it stays for the invoice kept for tax law");
          assert.ok(plan.deleted > 0, "her rentals, payments and the invoice past its period go");
        }
      }
  });
});
