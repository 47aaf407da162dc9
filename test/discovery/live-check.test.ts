/**
 * `pledge check --live` against databases built to disagree with their
 * declaration, on PostgreSQL, MariaDB and SQLite: each mismatch is reported
 * with its rule and location, and what fits is not.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { createConnection } from "mysql2/promise";
import pg from "pg";
import { runCli } from "../helpers/cli.js";
import { createMysqlDatabase, createPgDatabase, servicesOrSkip } from "../helpers/services.js";

const ENGINES = ["postgres", "mysql", "sqlite"] as const;
type Engine = (typeof ENGINES)[number];

/** The same tables on every engine, each with a way to disagree with the declaration below. */
function ddl(engine: Engine): string[] {
  const uuid = engine === "postgres" ? "uuid" : engine === "mysql" ? "uuid" : "UUID";
  const bool = engine === "sqlite" ? "BOOLEAN" : "boolean";
  return [
    `CREATE TABLE account (id int PRIMARY KEY, email varchar(200) NOT NULL, name varchar(100) NOT NULL, ref ${uuid} NOT NULL, active ${bool} NOT NULL, code varchar(4), score int NOT NULL, born date, secret_notes text)`,
    `CREATE TABLE ledger (account_id int NOT NULL, seq int NOT NULL, amount numeric(10,2), PRIMARY KEY (account_id, seq), FOREIGN KEY (account_id) REFERENCES account(id))`,
    `CREATE TABLE note (id int PRIMARY KEY, account_id int, body text, FOREIGN KEY (account_id) REFERENCES account(id))`,
    `CREATE TABLE visit (id int PRIMARY KEY, email varchar(200) NOT NULL, at date)`,
    `CREATE INDEX visit_email ON visit (${engine === "mysql" ? "email" : "lower(email)"})`,
  ];
}

function declaration(engine: Engine): string {
  const connector =
    engine === "sqlite"
      ? "{ engine: sqlite, path: { env: LIVE_SQLITE } }"
      : engine === "postgres"
        ? "{ engine: postgres, url: { env: LIVE_PG } }"
        : "{ engine: mysql, url: { env: LIVE_MY } }";
  return `version: "1"
effectiveDate: 2026-01-01
organization: { name: Live Org, roles: [controller], country: DE, contact: { email: privacy@live.example }, jurisdictions: [EU] }
purposes:
  p: { name: P, legalBasis: contract, dataCategories: [user.contact.email, user.name, user.account.id, user.date_of_birth, user.financial.billing_history, user.content.support_requests], dataSubjects: [customer], retention: r }
retention:
  r: { period: 1 year, from: collection, action: delete }
  books: { period: 10 years, from: collection, action: delete, exceptions: [{ reason: Bookkeeping law, basis: legal_obligation }] }
rights: { offered: [access, erasure, rectification, restriction, portability, objection, complaint], channels: [{ type: email, address: privacy@live.example }] }
systems:
  db:
    name: Database
    connector: ${connector}
    datasets:
      account:
        subject: customer
        fields:
          id: { primaryKey: true, category: user.account.id }
          email: { category: user.contact.email, identity: email, masking: hmac }
          name: { category: user.name }
          ref: { category: user.account.id, masking: hmac }
          active: { category: user.account.id, masking: hmac }
          code: { category: user.account.id, masking: fixed, maskValue: "[erased]" }
          score: { category: user.account.id, masking: fixed, maskValue: "abc" }
          born: { category: user.date_of_birth, masking: random }
          nickname: { category: user.name }
      ledger:
        retention: books
        fields:
          account_id: { references: account.id }
          seq: { primaryKey: true }
          amount: { category: user.financial.billing_history, masking: keep }
      note:
        fields:
          id: { primaryKey: true }
          account_id: {}
          body: { category: user.content.support_requests }
      visit:
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
          at: { personal: false }
      ghost:
        fields:
          id: { primaryKey: true }
          email: { category: user.contact.email, identity: email }
`;
}

describe("pledge check --live", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-live-"));
  const env: Record<string, string> = { LIVE_SQLITE: join(dir, "live.db") };
  const cleanups: (() => Promise<void>)[] = [];
  let skip: string | undefined;

  before(async () => {
    skip = await servicesOrSkip();
    if (skip) return;
    const pgDb = await createPgDatabase("pledge_live");
    const myDb = await createMysqlDatabase();
    cleanups.push(pgDb.drop, myDb.drop);
    env.LIVE_PG = pgDb.url;
    env.LIVE_MY = myDb.url;
    const c = new pg.Client({ connectionString: pgDb.url });
    await c.connect();
    for (const s of ddl("postgres")) await c.query(s);
    await c.end();
    const m = await createConnection({ uri: myDb.url });
    for (const s of ddl("mysql")) await m.query(s);
    await m.end();
    const lite = new BetterSqlite3(env.LIVE_SQLITE);
    for (const s of ddl("sqlite")) lite.exec(s);
    lite.close();
  });
  after(async () => {
    for (const c of cleanups) await c().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  for (const engine of ENGINES) {
    it(`reports each mismatch on ${engine}, with its rule and location, and nothing that fits`, async (t) => {
      if (skip) return t.skip(skip);
      const file = join(dir, `${engine}.yaml`);
      writeFileSync(file, declaration(engine));
      const res = await runCli(["check", file, "--live"], env);
      assert.equal(res.code, 1, res.stdout + res.stderr);
      assert.match(res.stderr, /checking db \((postgres|mysql|sqlite), 5 datasets\) read-only/);
      const lines = res.stdout.split("\n");
      const has = (rule: string, path: string, text?: RegExp) => {
        const hit = lines.find((l) => l.includes(`[${rule}] ${path}`) && (!text || text.test(l)));
        assert.ok(hit, `${engine}: expected [${rule}] ${path}${text ? ` ${text}` : ""} in\n${res.stdout}`);
        assert.match(hit, /^[^:]+\.yaml:\d+:\d+ /, "located in the file");
      };
      const hasNot = (rule: string, path: string) =>
        assert.ok(
          !lines.some((l) => l.includes(`[${rule}] ${path}`)),
          `${engine}: unexpected [${rule}] ${path}\n${res.stdout}`,
        );

      has("live-table-missing", "systems.db.datasets.ghost", /has no table ghost/);
      has("live-column-missing", "systems.db.datasets.account.fields.nickname", /account has no column nickname/);
      has(
        "live-primary-key-mismatch",
        "systems.db.datasets.ledger",
        /primary key is \(account_id, seq\); the declaration says \(seq\)/,
      );
      has(
        "live-foreign-key-undeclared",
        "systems.db.datasets.note.fields.account_id",
        /note\(account_id\) references account\(id\)/,
      );
      hasNot("live-foreign-key-undeclared", "systems.db.datasets.ledger");
      // account must stay while its ledger rows are kept for bookkeeping, so its masks must fit
      has("live-mask-null-not-null", "systems.db.datasets.account.fields.name", /NOT NULL/);
      has("live-mask-misfit", "systems.db.datasets.account.fields.code.masking", /longer than code's 4/);
      has("live-mask-misfit", "systems.db.datasets.account.fields.score.masking", /'abc' is not a number/);
      has("live-mask-misfit", "systems.db.datasets.account.fields.born.masking", /random masking cannot write/);
      has("live-mask-misfit", "systems.db.datasets.account.fields.active.masking", /hmac masking cannot write/);
      hasNot("live-mask-misfit", "systems.db.datasets.account.fields.ref"); // an HMAC-derived uuid fits a uuid column
      hasNot("live-mask-misfit", "systems.db.datasets.account.fields.email");
      // note is never kept (nothing points at it, no retention exception): its masks do not matter
      hasNot("live-mask-null-not-null", "systems.db.datasets.note");
      // MariaDB's default collation already compares case-insensitively: a plain index serves there.
      has(
        "live-identity-unindexed",
        "systems.db.datasets.account.fields.email.identity",
        engine === "mysql" ? /add an index on email \(/ : /add an index on lower\(email\)/,
      );
      hasNot("live-identity-unindexed", "systems.db.datasets.visit");
      has("live-column-undeclared", "systems.db.datasets.account.fields", /account\.secret_notes/);
    });
  }

  it("an unreachable system is a finding that hides the password, not a crash", async (t) => {
    if (skip) return t.skip(skip);
    const file = join(dir, "down.yaml");
    writeFileSync(file, declaration("postgres"));
    const res = await runCli(["check", file, "--live"], { LIVE_PG: "postgres://postgres:s3cret@127.0.0.1:1/nowhere" });
    assert.equal(res.code, 1);
    assert.match(
      res.stdout,
      /error \[live-system-unreachable\] systems\.db\.connector: Database: db: connecting on postgres:\/\/127\.0\.0\.1:1\/nowhere failed/,
    );
    assert.ok(!(res.stdout + res.stderr).includes("s3cret"));
  });
});
