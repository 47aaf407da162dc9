/**
 * Erasure across PostgreSQL, MariaDB, SQLite, Redis and log files, for a person
 * with rows in three or more related tables in each: afterwards a search for
 * the person's identities finds nothing, and every other person's rows are
 * unchanged, row by row.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { after, before, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { Redis } from "ioredis";
import { createConnection } from "mysql2/promise";
import pg from "pg";
import { parseDeclaration } from "../../src/declaration/index.js";
import {
  RequestInputSchema,
  submitRequest,
  verifyRequest,
  requestTasks,
  getRequest,
} from "../../src/requests/index.js";
import type { Store } from "../../src/store/index.js";
import { runUntilSettled, testContext } from "../helpers/requests.js";
import { createMysqlDatabase, REDIS_URL, servicesOrSkip } from "../helpers/services.js";
import { createPgDatabase, forEachStore } from "../helpers/stores.js";

const PEOPLE = 30;
const TARGET = 7; // the person who asks; ids are the same in every system
const email = (i: number) => `person${i}@example.org`;
const phone = (i: number) => `+1555000${String(i).padStart(4, "0")}`;

const SQL_DDL = [
  "CREATE TABLE accounts (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL, phone VARCHAR(50), name VARCHAR(200))",
  "CREATE TABLE orders (id INT PRIMARY KEY, account_id INT NOT NULL REFERENCES accounts(id), total INT NOT NULL, FOREIGN KEY (account_id) REFERENCES accounts(id))",
  "CREATE TABLE order_lines (id INT PRIMARY KEY, order_id INT NOT NULL, sku VARCHAR(50) NOT NULL, FOREIGN KEY (order_id) REFERENCES orders(id))",
  "CREATE TABLE payments (id INT PRIMARY KEY, order_id INT NOT NULL, card_last4 VARCHAR(4), FOREIGN KEY (order_id) REFERENCES orders(id))",
];

/** The same related rows for every SQL engine: 2 orders a person, 2 lines and 1 payment an order. */
function sqlRows(): { table: string; rows: Record<string, unknown>[] }[] {
  const accounts = [];
  const orders = [];
  const lines = [];
  const payments = [];
  for (let i = 1; i <= PEOPLE; i++) {
    accounts.push({ id: i, email: email(i), phone: phone(i), name: `Person ${i}` });
    for (let o = 0; o < 2; o++) {
      const oid = i * 10 + o;
      orders.push({ id: oid, account_id: i, total: 1000 + oid });
      lines.push({ id: oid * 10 + 1, order_id: oid, sku: "A" }, { id: oid * 10 + 2, order_id: oid, sku: "B" });
      payments.push({ id: oid, order_id: oid, card_last4: String(1000 + i).slice(-4) });
    }
  }
  return [
    { table: "accounts", rows: accounts },
    { table: "orders", rows: orders },
    { table: "order_lines", rows: lines },
    { table: "payments", rows: payments },
  ];
}

const sqlDatasets = `
      accounts:
        fields:
          id: { primaryKey: true, category: user.account.id, identity: account_id }
          email: { category: user.contact.email, identity: email }
          phone: { category: user.contact.phone_number, identity: phone }
          name: { category: user.name }
      orders:
        fields:
          id: { primaryKey: true }
          account_id: { references: accounts.id }
          total: { category: user.financial.billing_history }
      order_lines:
        fields:
          id: { primaryKey: true }
          order_id: { references: orders.id }
          sku: { category: user.behavior.purchase_history }
      payments:
        fields:
          id: { primaryKey: true }
          order_id: { references: orders.id }
          card_last4: { category: user.financial.card_number }`;

function declarationYaml(prefix: string): string {
  return `version: "test"
effectiveDate: 2026-01-01
organization: { name: Test Org, roles: [controller], country: DE, contact: { email: privacy@test.example }, jurisdictions: [EU] }
purposes:
  service:
    name: Service
    legalBasis: contract
    dataCategories: [user.account.id, user.contact.email, user.contact.phone_number, user.name, user.financial.billing_history, user.behavior.purchase_history, user.financial.card_number, user.device.ip_address, user.behavior.browsing_history]
    dataSubjects: [customer]
    retention: r
retention:
  r: { period: 1 year, from: collection, action: delete }
rights:
  offered: [access, rectification, erasure, restriction, portability, objection, complaint]
  channels: [{ type: web, address: /privacy-center }]
systems:
  pg_shop:
    name: PostgreSQL shop
    connector: { engine: postgres, url: { env: TEST_PG_URL } }
    datasets:${sqlDatasets}
  my_shop:
    name: MariaDB shop
    connector: { engine: mysql, url: { env: TEST_MY_URL } }
    datasets:${sqlDatasets}
  lite_shop:
    name: SQLite shop
    connector: { engine: sqlite, path: { env: TEST_SQLITE_PATH } }
    datasets:${sqlDatasets}
  cache:
    name: Redis cache
    connector: { engine: redis, url: { env: TEST_REDIS_URL } }
    datasets:
      profile:
        keyPattern: "${prefix}:profile:{email}"
        type: hash
        fields:
          email: { category: user.contact.email, identity: email }
          phone: { category: user.contact.phone_number, identity: phone }
          account_id: { category: user.account.id }
      cart:
        keyPattern: "${prefix}:cart:{account_id}"
        type: hash
        fields:
          account_id: { references: profile.account_id }
          items: { category: user.behavior.purchase_history }
      session:
        keyPattern: "${prefix}:session:{sid}"
        type: json
        fields:
          sid: {}
          account_id: { references: profile.account_id }
          ip: { category: user.device.ip_address }
  logs:
    name: Log files
    connector: { engine: files, directory: { env: TEST_LOG_DIR } }
    datasets:
      sessions:
        path: sessions.jsonl
        format: jsonl
        fields:
          session_id: {}
          email: { category: user.contact.email, identity: email }
      requests:
        path: requests.jsonl
        format: jsonl
        fields:
          session_id: { references: sessions.session_id }
          path: { category: user.behavior.browsing_history }
      audit:
        path: audit.csv
        format: csv
        fields:
          session_id: { references: sessions.session_id }
          action: { category: user.behavior.browsing_history }
`;
}

type Snapshot = Record<string, unknown[]>;

forEachStore("erasure across every engine", (target) => {
  let store: Store;
  let dir: string;
  const prefix = `t${randomBytes(4).toString("hex")}`;
  const env: Record<string, string> = {};
  const cleanups: (() => Promise<void>)[] = [];
  let redis: Redis;
  let skip: string | undefined;

  const readSql = async (engine: "pg" | "my" | "lite"): Promise<Snapshot> => {
    const out: Snapshot = {};
    for (const t of ["accounts", "orders", "order_lines", "payments"]) {
      const q = `SELECT * FROM ${t} ORDER BY id`;
      if (engine === "pg") {
        const c = new pg.Client({ connectionString: env.TEST_PG_URL });
        await c.connect();
        out[t] = (await c.query(q)).rows;
        await c.end();
      } else if (engine === "my") {
        const c = await createConnection({ uri: env.TEST_MY_URL });
        out[t] = (await c.query(q))[0] as unknown[];
        await c.end();
      } else {
        const db = new BetterSqlite3(env.TEST_SQLITE_PATH, { readonly: true });
        out[t] = db.prepare(q).all();
        db.close();
      }
    }
    return out;
  };
  const readRedis = async (): Promise<Snapshot> => {
    const keys = (await redis.keys(`${prefix}:*`)).sort();
    const out: Snapshot = {};
    for (const k of keys) out[k] = [(await redis.type(k)) === "hash" ? await redis.hgetall(k) : await redis.get(k)];
    return out;
  };
  const readFiles = (): Record<string, string[]> =>
    Object.fromEntries(
      ["sessions.jsonl", "requests.jsonl", "audit.csv"].map((f) => [
        f,
        readFileSync(join(dir, f), "utf8").split("\n").filter(Boolean),
      ]),
    );
  const snapshot = async () => ({
    pg: await readSql("pg"),
    my: await readSql("my"),
    lite: await readSql("lite"),
    redis: await readRedis(),
    files: readFiles(),
  });

  /** Everything in a snapshot that is not the target's. */
  const others = (s: Awaited<ReturnType<typeof snapshot>>) => {
    const sql = (x: Snapshot) => ({
      accounts: x.accounts.filter((r) => (r as { id: number }).id !== TARGET),
      orders: x.orders.filter((r) => Math.floor((r as { id: number }).id / 10) !== TARGET),
      order_lines: x.order_lines.filter((r) => Math.floor((r as { id: number }).id / 100) !== TARGET),
      payments: x.payments.filter((r) => Math.floor((r as { id: number }).id / 10) !== TARGET),
    });
    const mine = (k: string) =>
      k.endsWith(`:${email(TARGET)}`) || k.endsWith(`:cart:${TARGET}`) || k.endsWith(`:session:s${TARGET}`);
    return {
      pg: sql(s.pg),
      my: sql(s.my),
      lite: sql(s.lite),
      redis: Object.fromEntries(Object.entries(s.redis).filter(([k]) => !mine(k))),
      files: Object.fromEntries(
        Object.entries(s.files).map(([f, lines]) => [
          f,
          lines.filter(
            (l) => !l.includes(`"s${TARGET}"`) && !l.startsWith(`s${TARGET},`) && !l.includes(email(TARGET)),
          ),
        ]),
      ),
    };
  };

  before(async () => {
    skip = await servicesOrSkip();
    if (skip) return;
    store = await target.open();
    dir = mkdtempSync(join(tmpdir(), "pledge-erase-"));
    const pgDb = await createPgDatabase("pledge_conn");
    const myDb = await createMysqlDatabase();
    cleanups.push(pgDb.drop, myDb.drop, async () => rmSync(dir, { recursive: true, force: true }));
    Object.assign(env, {
      TEST_PG_URL: pgDb.url,
      TEST_MY_URL: myDb.url,
      TEST_SQLITE_PATH: join(dir, "shop.db"),
      TEST_REDIS_URL: REDIS_URL,
      TEST_LOG_DIR: dir,
    });

    const data = sqlRows();
    const pgc = new pg.Client({ connectionString: pgDb.url });
    await pgc.connect();
    const myc = await createConnection({ uri: myDb.url });
    const lite = new BetterSqlite3(env.TEST_SQLITE_PATH);
    for (const ddl of SQL_DDL) {
      await pgc.query(ddl);
      await myc.query(`${ddl} ENGINE=InnoDB`);
      lite.exec(ddl);
    }
    for (const { table, rows } of data) {
      for (const r of rows) {
        const cols = Object.keys(r);
        await pgc.query(
          `INSERT INTO ${table} (${cols.join(",")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(",")})`,
          Object.values(r),
        );
        await myc.query(
          `INSERT INTO ${table} (${cols.join(",")}) VALUES (${cols.map(() => "?").join(",")})`,
          Object.values(r),
        );
        lite
          .prepare(`INSERT INTO ${table} (${cols.join(",")}) VALUES (${cols.map(() => "?").join(",")})`)
          .run(...Object.values(r));
      }
    }
    await pgc.end();
    await myc.end();
    lite.close();

    redis = new Redis(REDIS_URL);
    cleanups.push(async () => {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    });
    for (let i = 1; i <= PEOPLE; i++) {
      await redis.hset(`${prefix}:profile:${email(i)}`, { email: email(i), phone: phone(i), account_id: String(i) });
      await redis.hset(`${prefix}:cart:${i}`, { account_id: String(i), items: `tent,boots-${i}` });
      await redis.set(`${prefix}:session:s${i}`, JSON.stringify({ account_id: String(i), ip: `10.0.0.${i}` }));
    }
    const sessions: string[] = [];
    const reqs: string[] = [];
    const audit = ["session_id,action,at"];
    for (let i = 1; i <= PEOPLE; i++) {
      sessions.push(JSON.stringify({ session_id: `s${i}`, email: email(i) }));
      for (let k = 0; k < 3; k++) reqs.push(JSON.stringify({ session_id: `s${i}`, path: `/page/${k}` }));
      audit.push(`s${i},"login, with comma",2026-01-0${1 + (i % 9)}`);
    }
    writeFileSync(join(dir, "sessions.jsonl"), `${sessions.join("\n")}\n`);
    writeFileSync(join(dir, "requests.jsonl"), `${reqs.join("\n")}\nnot json at all\n`);
    writeFileSync(join(dir, "audit.csv"), `${audit.join("\n")}\n`);
  });

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await store?.close();
  });

  it("erases the person everywhere, verified, and leaves everyone else's rows exactly as they were", async (t) => {
    if (skip) return t.skip(skip);
    const decl = parseDeclaration(declarationYaml(prefix)).declaration;
    const ctx = testContext(store, decl, { env });
    const before = await snapshot();
    assert.equal(before.pg.accounts.length, PEOPLE);

    const { requestId } = await submitRequest(
      ctx,
      RequestInputSchema.parse({ right: "erasure", identity: email(TARGET) }),
      {},
    );
    const v = await verifyRequest(ctx, requestId, ctx.mailer.codeFor(email(TARGET)));
    assert.equal(v.ok, true);
    const status = await runUntilSettled(ctx, requestId);
    const tasks = await requestTasks(ctx, requestId);
    assert.equal(status, "completed", JSON.stringify(tasks.filter((x) => x.error)));
    const report = (await getRequest(ctx, requestId)).report!;
    for (const s of report.systems) assert.equal(s.verified, true, s.system);

    const afterSnap = await snapshot();
    // 1. nothing of the person remains
    for (const engine of ["pg", "my", "lite"] as const) {
      const x = afterSnap[engine];
      assert.equal(
        x.accounts.filter(
          (r) => (r as { id: number; email: string }).id === TARGET || (r as { email: string }).email === email(TARGET),
        ).length,
        0,
        `${engine} accounts`,
      );
      assert.equal(
        x.orders.filter((r) => (r as { account_id: number }).account_id === TARGET).length,
        0,
        `${engine} orders`,
      );
      assert.equal(
        x.order_lines.filter((r) => Math.floor((r as { order_id: number }).order_id / 10) === TARGET).length,
        0,
        `${engine} order_lines`,
      );
      assert.equal(
        x.payments.filter((r) => Math.floor((r as { order_id: number }).order_id / 10) === TARGET).length,
        0,
        `${engine} payments`,
      );
    }
    assert.deepEqual(
      Object.keys(afterSnap.redis).filter(
        (k) => k.includes(email(TARGET)) || k.endsWith(`:cart:${TARGET}`) || k.endsWith(`:session:s${TARGET}`),
      ),
      [],
    );
    for (const [f, lines] of Object.entries(afterSnap.files)) {
      assert.equal(
        lines.filter((l) => l.includes(email(TARGET)) || l.includes(`"s${TARGET}"`) || l.startsWith(`s${TARGET},`))
          .length,
        0,
        f,
      );
    }
    // 2. every other row is unchanged, row by row (including an unparseable log line)
    assert.deepEqual(others(afterSnap), others(before));
    assert.ok(afterSnap.files["requests.jsonl"].includes("not json at all"));

    // 3. running the erasure again does no harm
    const again = await submitRequest(ctx, RequestInputSchema.parse({ right: "erasure", identity: email(TARGET) }), {});
    await verifyRequest(ctx, again.requestId, ctx.mailer.codeFor(email(TARGET)));
    assert.equal(await runUntilSettled(ctx, again.requestId), "completed");
    assert.deepEqual(others(await snapshot()), others(before));
  });
});
