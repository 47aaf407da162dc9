/**
 * `pledge scan` on PostgreSQL, MariaDB, SQLite, Redis and a log directory,
 * each with undeclared personal data planted beside declared data and a column
 * of decoys: each planted table, key pattern or file is found with its
 * category, the decoys are not, a declared email field holding phone numbers is
 * reported, and the YAML fragment printed for a finding, pasted into the
 * declaration, makes the finding go away and lets erasure reach the rows.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { parse as parseYaml, stringify } from "yaml";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { scanSystems, type ScanResult } from "../../src/discovery/index.js";
import { RequestInputSchema, submitRequest, verifyRequest } from "../../src/requests/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { openSql, type Engine, type Row } from "../helpers/rental-shop.js";
import { runUntilSettled, testContext } from "../helpers/requests.js";
import {
  createMysqlDatabase,
  createPgDatabase,
  REDIS_URL,
  redisUnavailable,
  servicesOrSkip,
} from "../helpers/services.js";

const ENGINES: Engine[] = ["postgres", "mysql", "sqlite"];
const DECOYS = [
  "ORD-20045231",
  "550e8400-e29b-41d4-a716-446655440000",
  "v10.2.33",
  "2026-12-02T13:45:10Z",
  "order #98224538",
  "build 2.10.3.1",
];
const PHONES = ["+49 151 23456789", "030 12345678", "(415) 555-2671", "+44 20 7946 0018", "0049 89 1234567"];

function declaration(engine: Engine, url: string): string {
  const connector =
    engine === "sqlite" ? `{ engine: sqlite, path: ${url} }` : `{ engine: ${engine}, url: { env: SHOP_DB } }`;
  return `version: "1"
effectiveDate: 2026-01-01
organization: { name: Shop GmbH, roles: [controller], country: DE, contact: { email: privacy@shop.example }, jurisdictions: [EU, US] }
purposes:
  orders: { name: Orders, legalBasis: contract, dataCategories: [user.contact.email, user.contact.phone_number, user.name], dataSubjects: [customer], systems: [shop], retention: r }
retention:
  r: { period: 2 years, from: collection, action: delete }
rights: { offered: [access, erasure], channels: [{ type: web, address: /privacy-center }] }
systems:
  shop:
    name: Shop
    connector: ${connector}
    datasets:
      customers:
        subject: customer
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          full_name: { category: user.name }
          backup_email: { category: user.contact.email }
          order_ref: { personal: false }
`;
}

/**
 * Customers (declared; backup_email holds phone numbers, order_ref decoys) and an undeclared archive that belongs to
 * them.
 */
async function plant(engine: Engine, target: string): Promise<void> {
  const s = await openSql(engine, target);
  try {
    const text = engine === "mysql" ? "VARCHAR(200)" : "TEXT";
    await s.query(
      `CREATE TABLE customers (id INTEGER PRIMARY KEY, email ${text} NOT NULL, full_name ${text}, backup_email ${text}, order_ref ${text})`,
    );
    await s.query(
      `CREATE TABLE orders_archive (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), contact_email ${text}, contact_phone ${text}, ref_code ${text})`,
    );
    const ph = (i: number) => (engine === "postgres" ? `$${i}` : "?");
    for (let i = 1; i <= 60; i++) {
      await s.query(
        `INSERT INTO customers (id, email, full_name, backup_email, order_ref) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, ${ph(4)}, ${ph(5)})`,
        [i, `customer${i}@shop.example`, `Customer ${i}`, PHONES[i % PHONES.length], DECOYS[i % DECOYS.length]],
      );
    }
    for (let i = 1; i <= 120; i++) {
      const c = ((i - 1) % 60) + 1;
      // real data is not tidy: every third email upper-cased
      const email = i % 3 === 0 ? `CUSTOMER${c}@SHOP.EXAMPLE` : `customer${c}@shop.example`;
      // each customer's own number, written the way their region writes it
      const own = [
        `+49 151 2345${String(5000 + c)}`,
        `(415) 555-${String(1000 + c)}`,
        `+44 20 7946 ${String(1000 + c)}`,
      ][c % 3];
      await s.query(
        `INSERT INTO orders_archive (id, customer_id, contact_email, contact_phone, ref_code) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, ${ph(4)}, ${ph(5)})`,
        [i, c, email, own, DECOYS[i % DECOYS.length]],
      );
    }
  } finally {
    await s.close();
  }
}

/** The declaration with a fragment pasted in (maps merged, as a person pasting it would). */
function paste(yamlText: string, fragment: string): Declaration {
  const merge = (a: unknown, b: unknown): unknown =>
    a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)
      ? Object.fromEntries(
          [...new Set([...Object.keys(a), ...Object.keys(b as object)])].map((k) => [
            k,
            k in (b as object)
              ? merge((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
              : (a as Record<string, unknown>)[k],
          ]),
        )
      : (b ?? a);
  return parseDeclaration(stringify(merge(parseYaml(yamlText), parseYaml(fragment)))).declaration;
}

const byRule = (r: ScanResult, rule: string) => r.findings.filter((f) => f.rule === rule);

for (const engine of ENGINES) {
  describe(`pledge scan [${engine}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-scan-"));
    let skip: string | undefined;
    let target = "";
    let drop: (() => Promise<void>) | undefined;
    let store: Store;
    let yamlText = "";
    const env = () => ({ SHOP_DB: target });

    before(async () => {
      if (engine !== "sqlite") {
        skip = await servicesOrSkip();
        if (skip) return;
        const d = engine === "postgres" ? await createPgDatabase("scan") : await createMysqlDatabase();
        target = d.url;
        drop = d.drop;
      } else target = join(dir, "shop.db");
      await plant(engine, target);
      yamlText = declaration(engine, target);
      store = await openStore({ sqlitePath: join(dir, "pledge.db") });
    });
    after(async () => {
      await store?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it("finds the undeclared archive with its categories, the email field of phone numbers, and nothing in the decoys", async (t) => {
      if (skip) return t.skip(skip);
      const r = await scanSystems(parseDeclaration(yamlText).declaration, { env: env(), cwd: dir, sampleRows: 50 });
      const archive = r.tables.find((x) => x.table.toLowerCase() === "orders_archive")!;
      assert.equal(archive.dataset, undefined);
      assert.deepEqual(archive.columns.map((c) => [c.column, c.type]).sort(), [
        ["contact_email", "email"],
        ["contact_phone", "phone"],
      ]);
      const undeclared = byRule(r, "scan-undeclared");
      assert.equal(undeclared.length, 1, JSON.stringify(undeclared));
      assert.match(
        undeclared[0].message,
        /orders_archive holds personal data .* contact_email: email \(user\.contact\.email, 100 % of 50 sampled.*contact_phone: phone \(user\.contact\.phone_number/,
      );
      assert.ok(!/ref_code|customer\d+@/i.test(undeclared[0].message), "neither the decoys nor a value");
      const mismatch = byRule(r, "scan-category-mismatch");
      assert.deepEqual(
        mismatch.map((f) => f.path.join(".")),
        ["systems.shop.datasets.customers.fields.backup_email.category"],
      );
      assert.match(
        mismatch[0].message,
        /declared user\.contact\.email, and holds phone \(user\.contact\.phone_number\)/,
      );
      const customers = r.tables.find((x) => x.table === "customers")!;
      assert.ok(!customers.columns.some((c) => c.column === "order_ref"), "the decoy column is not personal data");
      assert.match(
        customers.columns.length ? r.tables.find((x) => x.table.toLowerCase() === "orders_archive")!.method : "",
        engine === "postgres" ? /first rows|TABLESAMPLE|key ranges/ : /key ranges|first rows/,
      );
    });

    it("the fragment, pasted in, settles the finding, and erasure then reaches the archive's rows of that person only", async (t) => {
      if (skip) return t.skip(skip);
      const first = await scanSystems(parseDeclaration(yamlText).declaration, { env: env(), cwd: dir, sampleRows: 50 });
      const { fragment } = byRule(first, "scan-undeclared")[0];
      assert.ok(fragment);
      const fixed = paste(yamlText, fragment);
      const archive =
        Object.values(fixed.systems.shop.datasets).find((d) => (d.name ?? "").toLowerCase() === "orders_archive") ??
        fixed.systems.shop.datasets.orders_archive;
      assert.deepEqual(archive.fields.contact_email, { category: "user.contact.email", identity: "email" });
      assert.deepEqual(archive.fields.customer_id, { references: "customers.id", relation: "owner" });
      const again = await scanSystems(fixed, { env: env(), cwd: dir, sampleRows: 50 });
      assert.deepEqual(byRule(again, "scan-undeclared"), []);

      const q = async (sqlText: string) => {
        const s = await openSql(engine, target);
        try {
          return (await s.query(sqlText)) as Row[];
        } finally {
          await s.close();
        }
      };
      const before = await q("SELECT id FROM orders_archive ORDER BY id");
      const ctx = testContext(store, fixed, { env: env(), cwd: dir });
      const { requestId } = await submitRequest(
        ctx,
        RequestInputSchema.parse({ right: "erasure", identity: "customer7@shop.example" }),
        {},
      );
      assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor("customer7@shop.example"))).ok);
      const status = await runUntilSettled(ctx, requestId);
      const events = await store.db
        .selectFrom("request_events")
        .select(["kind", "message"])
        .where("request_id", "=", requestId)
        .execute();
      assert.equal(status, "completed", JSON.stringify(events));
      // by hand: customer 7's archive rows are ids 7 and 67; nobody else's go
      const left = (await q("SELECT id FROM orders_archive ORDER BY id")).map((r) => Number(r.id));
      assert.deepEqual(
        left,
        before.map((r) => Number(r.id)).filter((id) => id !== 7 && id !== 67),
      );
      assert.deepEqual(await q("SELECT id FROM customers WHERE id = 7"), []);
      assert.equal((await q("SELECT count(*) AS n FROM customers")).map((r) => Number(r.n))[0], 59);
    });
  });
}

describe("pledge scan [redis and a log directory]", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-scan-files-"));
  const logs = join(dir, "logs");
  let skip: string | undefined;
  let redis: Redis;
  const prefix = `scan${process.pid}`;
  const yamlText = `version: "1"
effectiveDate: 2026-01-01
organization: { name: Shop GmbH, roles: [controller], country: DE, contact: { email: privacy@shop.example }, jurisdictions: [EU] }
purposes:
  ops: { name: Operations, legalBasis: legitimate_interests, legitimateInterest: Running the shop, dataCategories: [user.contact.email, user.device.ip_address], dataSubjects: [customer], systems: [cache, logs], retention: r }
retention:
  r: { period: 1 year, from: collection, action: delete }
rights: { offered: [access, erasure], channels: [{ type: web, address: /privacy-center }] }
systems:
  cache:
    name: Cache
    connector: { engine: redis, url: { env: CACHE_URL } }
    datasets:
      sessions:
        keyPattern: "${prefix}:session:{token}"
        type: hash
        fields: { token: { primaryKey: true }, email: { category: user.contact.email, identity: email } }
  logs:
    name: Logs
    connector: { engine: files, directory: ${logs} }
    datasets:
      access:
        path: access.jsonl
        format: jsonl
        fields: { ip: { category: user.device.ip_address }, email: { category: user.contact.email, identity: email } }
`;

  let store: Store;
  /** An erasure request run to completion against the declaration, with only `system` reachable. */
  const eraseThrough = async (decl: Declaration, email: string, system: string) => {
    store ??= await openStore({ sqlitePath: join(dir, "pledge.db") });
    const only = { ...decl, systems: { [system]: decl.systems[system] } };
    const ctx = testContext(store, only, { env: { CACHE_URL: REDIS_URL }, cwd: dir });
    const { requestId } = await submitRequest(ctx, RequestInputSchema.parse({ right: "erasure", identity: email }), {});
    assert.ok((await verifyRequest(ctx, requestId, ctx.mailer.codeFor(email))).ok);
    const status = await runUntilSettled(ctx, requestId);
    const events = await store.db
      .selectFrom("request_events")
      .select(["kind", "message"])
      .where("request_id", "=", requestId)
      .execute();
    assert.equal(status, "completed", JSON.stringify(events));
  };

  before(async () => {
    skip = await redisUnavailable();
    mkdirSync(logs, { recursive: true });
    writeFileSync(
      join(logs, "access.jsonl"),
      `${Array.from({ length: 50 }, (_, i) => JSON.stringify({ ip: `10.0.${i}.1`, email: `u${i}@shop.example`, path: "/" })).join("\n")}\n`,
    );
    writeFileSync(
      join(logs, "signups.jsonl"),
      `${Array.from({ length: 40 }, (_, i) => JSON.stringify({ at: "2026-11-01T10:00:00Z", contact: `person${i}@mail.example`, ref: DECOYS[i % DECOYS.length] })).join("\n")}\n`,
    );
    writeFileSync(
      join(logs, "app.log"),
      `${Array.from({ length: 30 }, (_, i) => `2026-11-01T10:00:${String(i).padStart(2, "0")}Z INFO login ok from 192.168.1.${i + 1} req=${DECOYS[i % DECOYS.length]}`).join("\n")}\n`,
    );
    writeFileSync(join(logs, "build.log"), `${DECOYS.map((d) => `step ${d} ok`).join("\n")}\n`);
    if (skip) return;
    redis = new Redis(REDIS_URL);
    for (let i = 0; i < 30; i++) {
      await redis.hset(`${prefix}:session:tok${i}`, { email: `u${i}@shop.example` });
      await redis.hset(`${prefix}:cart:${1000 + i}`, {
        owner_email: `buyer${i}@mail.example`,
        items: "3",
        ref: DECOYS[i % DECOYS.length],
      });
      await redis.set(`${prefix}:build:${i}`, DECOYS[i % DECOYS.length]);
    }
  });
  after(async () => {
    await store?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("the log directory: an undeclared JSON-lines file and a plain log are found, a build log of decoys is not", async () => {
    const decl = parseDeclaration(yamlText).declaration;
    const r = await scanSystems(decl, { env: { CACHE_URL: REDIS_URL }, cwd: dir, system: "logs" });
    const messages = byRule(r, "scan-undeclared").map((f) => f.message);
    assert.equal(messages.length, 2, messages.join("\n"));
    assert.ok(messages.some((m) => /the file signups\.jsonl holds .*contact: email/.test(m)));
    assert.ok(messages.some((m) => /the file app\.log holds .*\(line\): ip/.test(m)));
    assert.ok(!messages.some((m) => /build\.log|access\.jsonl/.test(m)));
    // the JSON-lines file's fragment declares it; pasted in, the finding goes
    const fragment = byRule(r, "scan-undeclared").find((f) => /signups/.test(f.message))!.fragment!;
    const fixed = paste(yamlText, fragment);
    assert.deepEqual(
      Object.values(fixed.systems.logs.datasets).find((d) => d.path === "signups.jsonl")?.fields.contact,
      { category: "user.contact.email", identity: "email" },
    );
    const again = await scanSystems(fixed, { env: { CACHE_URL: REDIS_URL }, cwd: dir, system: "logs" });
    assert.deepEqual(
      byRule(again, "scan-undeclared").map((f) => f.message.match(/the file (\S+)/)?.[1]),
      ["app.log"],
    );
    assert.ok(
      readFileSync(join(logs, "signups.jsonl"), "utf8").includes("person3@mail.example"),
      "the scan only reads",
    );
    await eraseThrough(fixed, "person3@mail.example", "logs");
    const rest = readFileSync(join(logs, "signups.jsonl"), "utf8");
    assert.ok(
      !rest.includes("person3@mail.example") && rest.includes("person4@mail.example"),
      "erasure reaches the declared file, and only the person's lines",
    );
  });

  it("Redis: an undeclared key pattern is found with its field, the decoy strings are not", async (t) => {
    if (skip) return t.skip(skip);
    const decl = parseDeclaration(yamlText).declaration;
    const r = await scanSystems(decl, { env: { CACHE_URL: REDIS_URL }, cwd: dir, system: "cache" });
    const found = byRule(r, "scan-undeclared").filter((f) => f.message.includes(prefix));
    assert.equal(found.length, 1, found.map((f) => f.message).join("\n"));
    assert.match(found[0].message, new RegExp(`key pattern ${prefix}:cart:\\{id\\} holds .*owner_email: email`));
    const fixed = paste(yamlText, found[0].fragment!);
    const again = await scanSystems(fixed, { env: { CACHE_URL: REDIS_URL }, cwd: dir, system: "cache" });
    assert.deepEqual(
      byRule(again, "scan-undeclared").filter((f) => f.message.includes(prefix)),
      [],
    );
    await eraseThrough(fixed, "buyer3@mail.example", "cache");
    assert.equal(await redis.exists(`${prefix}:cart:1003`), 0, "erasure reaches the declared key pattern");
    assert.equal(await redis.exists(`${prefix}:cart:1004`), 1, "and no one else's key");
  });

  it("Redis: a keyspace larger than the listing reads is said, not passed over in silence", async (t) => {
    if (skip) return t.skip(skip);
    const bulk = redis.pipeline();
    for (let i = 0; i < 10_000; i++) bulk.set(`${prefix}:bulk:${i}`, "x");
    await bulk.exec();
    const r = await scanSystems(parseDeclaration(yamlText).declaration, {
      env: { CACHE_URL: REDIS_URL },
      cwd: dir,
      system: "cache",
    });
    assert.deepEqual(
      r.notRead.filter((n) => n.table === "*").map((n) => n.system),
      ["cache"],
    );
    assert.match(
      r.notRead.find((n) => n.table === "*")!.reason,
      /key patterns read from the first 10,\d{3} keys of a SCAN/,
    );
  });
});
