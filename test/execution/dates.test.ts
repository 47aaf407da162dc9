/**
 * Dates stay dates, whatever the server's time zone: an export under TZ=UTC and under TZ=Pacific/Kiritimati (UTC+14)
 * holds the same birthday.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { createConnection } from "mysql2/promise";
import pg from "pg";
import { createMysqlDatabase, createPgDatabase, servicesOrSkip } from "../helpers/services.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/export-dates.ts", import.meta.url));
const ROW =
  "INSERT INTO person (id, email, birth_date, joined_at) VALUES (1, 'Ada@Dates.example', '1986-02-14', '2026-03-01 00:30:00')";

describe("dates in exports", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-dates-"));
  const env: Record<string, string> = { DATES_LITE: join(dir, "dates.db") };
  const cleanups: (() => Promise<void>)[] = [];
  let skip: string | undefined;

  before(async () => {
    skip = await servicesOrSkip();
    if (skip) return;
    const p = await createPgDatabase("pledge_dates");
    const m = await createMysqlDatabase();
    cleanups.push(p.drop, m.drop);
    Object.assign(env, { DATES_PG: p.url, DATES_MY: m.url });
    const c = new pg.Client({ connectionString: p.url });
    await c.connect();
    await c.query("CREATE TABLE person (id int PRIMARY KEY, email text, birth_date date, joined_at timestamp)");
    await c.query(ROW);
    await c.end();
    const my = await createConnection({ uri: m.url });
    await my.query("CREATE TABLE person (id int PRIMARY KEY, email varchar(100), birth_date date, joined_at datetime)");
    await my.query(ROW);
    await my.end();
    const lite = new BetterSqlite3(env.DATES_LITE);
    lite.exec("CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT, birth_date DATE, joined_at TIMESTAMP)");
    lite.exec(ROW);
    lite.close();
  });
  after(async () => {
    for (const c of cleanups) await c().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  const exportUnder = (tz: string) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", FIXTURE], {
      env: { ...process.env, ...env, TZ: tz },
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, { birth_date: string; joined_at: string }[]>;
  };

  it("a DATE exports the same under TZ=UTC and TZ=Pacific/Kiritimati, on every engine", (t) => {
    if (skip) return t.skip(skip);
    const utc = exportUnder("UTC");
    const kiritimati = exportUnder("Pacific/Kiritimati");
    assert.deepEqual(kiritimati, utc);
    for (const s of ["pg", "my", "lite"]) {
      assert.equal(utc[s][0].birth_date, "1986-02-14", s);
      assert.equal(utc[s][0].joined_at, "2026-03-01 00:30:00", s);
    }
  });
});
