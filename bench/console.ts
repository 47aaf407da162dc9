/**
 * bench/console: the console under a year of traffic. A store is filled step by step to 10k, 100k and 1M consent
 * records (with a tenth as many requests: 1k, 10k, 100k), on SQLite and on PostgreSQL, and at each step every page is
 * timed as a signed-in browser gets it (median of 5), with the requests CSV and a search that finds nothing.
 *
 * Baselines, run in the same process on the same rows: the consent chart as it was computed before (every record of
 * the window read and parsed), and the CSV read as it was before (LIMIT … OFFSET pages under the list's ORDER BY; up
 * to 10k requests, since it grows with the square of the rows).
 *
 *   npm run bench -- console            (BENCH_MAX=100000 stops at 100k records)
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { createSession, createUser } from "../src/auth/index.js";
import { loadDeclaration, type LoadedDeclaration } from "../src/declaration/index.js";
import { listRequests } from "../src/requests/index.js";
import { createApp, createLogger } from "../src/server/index.js";
import type { Store } from "../src/store/index.js";
import { onBothStores } from "./stores.js";
import { testContext } from "../test/helpers/requests.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MAX = Number(process.env.BENCH_MAX ?? 1_000_000);
const STEPS = [10_000, 100_000, 1_000_000].filter((n) => n <= MAX);
const DAY = 86_400_000;

/** The 1/4 patterns of a banner choice the fill cycles through (essential is always given). */
const CHOICES = [
  '{"essential":"given","preferences":"given","analytics":"given","marketing":"given"}',
  '{"essential":"given","preferences":"refused","analytics":"refused","marketing":"refused"}',
  '{"essential":"given","preferences":"given","analytics":"given","marketing":"refused"}',
  '{"essential":"given","preferences":"refused","analytics":"given","marketing":"refused"}',
];

/** Adds consent records `from`…`to` (exclusive), spread over the last 90 days, and their daily counts. */
async function fillConsent(store: Store, from: number, to: number, now: number): Promise<void> {
  const at = (i: string) =>
    store.engine === "postgres"
      ? sql`to_char(to_timestamp(${Math.floor(now / 1000)}::bigint - (${sql.raw(i)} % 7776000)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"')`
      : sql`strftime('%Y-%m-%dT%H:%M:%S.000Z', ${now / 1000} - (${sql.raw(i)} % 7776000), 'unixepoch')`;
  const cats = sql`(case ${sql.raw("i")} % 4 ${sql.join(
    CHOICES.map((c, k) => sql`when ${k} then ${c}`),
    sql` `,
  )} end)`;
  const cols = sql`record_id, device_id, subject_id, categories, purposes, services, declaration_version, material_key,
    text_hash, language, jurisdiction, method, at, valid_until, ip, user_agent`;
  const values = sql`'cr_' || i, 'dev_' || i, null, ${cats}, '{}', '{}', '2026.1', 'k', 'h', 'en', 'EU', 'banner',
    ${at("i")}, '2027-12-01T00:00:00.000Z', null, null`;
  if (store.engine === "postgres")
    await sql`insert into consent_events (${cols}) select ${values} from generate_series(${from}::int, ${to - 1}::int) as s(i)`.execute(
      store.db,
    );
  else
    await sql`with recursive n(i) as (select ${from} union all select i + 1 from n where i < ${to - 1})
      insert into consent_events (${cols}) select ${values} from n`.execute(store.db);
  // The counts the worker keeps, rebuilt for the filled rows in one statement, and the worker's watermark after them.
  await sql`delete from consent_daily`.execute(store.db);
  if (store.engine === "postgres")
    await sql`insert into consent_daily (day, category, given, total)
      select substr(e.at, 1, 10), c.key, sum(case when c.value = 'given' then 1 else 0 end), count(*)
      from consent_events e, jsonb_each_text(e.categories::jsonb) c where e.method in ('banner', 'gpc')
      group by 1, 2`.execute(store.db);
  else
    await sql`insert into consent_daily (day, category, given, total)
      select substr(e.at, 1, 10), c.key, sum(case when c.value = 'given' then 1 else 0 end), count(*)
      from consent_events e, json_each(e.categories) c where e.method in ('banner', 'gpc')
      group by 1, 2`.execute(store.db);
  await sql`delete from settings where key = 'consent_daily_upto'`.execute(store.db);
  await sql`insert into settings (key, value) select 'consent_daily_upto', cast(max(id) as text) from consent_events`.execute(
    store.db,
  );
}

/** Adds requests `from`…`to`: most closed, some open with deadlines around today, identities all different. */
async function fillRequests(store: Store, from: number, to: number, now: number): Promise<void> {
  for (let start = from; start < to; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(to, start + 500); i++) {
      const received = new Date(now - (i % 365) * DAY - (i % 86_400) * 1000).toISOString();
      const open = i % 20 === 0;
      rows.push({
        id: `req_bench${String(i).padStart(8, "0")}`,
        reference: `R-2000-${String(i).padStart(7, "0")}`,
        right: ["access", "erasure", "rectification", "objection"][i % 4],
        status: open ? "in_progress" : "completed",
        identity_type: "email",
        identity_value: `person${i}@example.net`,
        contact_email: `person${i}@example.net`,
        name: null,
        jurisdiction: "EU",
        regime: "gdpr",
        received_at: received,
        verified_at: received,
        due_at: new Date(Date.parse(received) + 30 * DAY).toISOString(),
        extended_due_at: null,
        extension_reason: null,
        completed_at: open ? null : new Date(Date.parse(received) + 3 * DAY).toISOString(),
        status_token_hash: randomBytes(16).toString("hex"),
        agent_name: null,
        agent_email: null,
        details: '{"corrections":{},"purposes":[]}',
        identities: "{}",
        report: null,
        denial_reason: null,
        declaration_version: "2026.1",
        code_to: null,
        verification: null,
        identity_hashes: "[]",
        identity_forms: null,
        assignee: null,
        reminded_due: null,
        export_key: null,
        attention: null,
        redacted_at: null,
        appealed_at: null,
        appeal_due_at: null,
        appeal_reason: null,
        appeal_outcome: null,
        appeal_answer: null,
      });
    }
    await store.db.insertInto("requests").values(rows).execute();
  }
}

/** The consent chart as the console computed it before the daily counts: every record of the window, parsed. */
async function ratesBefore(store: Store, since: Date) {
  const rows = await store.db
    .selectFrom("consent_events")
    .select(["at", "categories"])
    .where("at", ">=", since.toISOString())
    .where("method", "in", ["banner", "gpc"])
    .execute();
  const acc = new Map<string, { given: number; total: number }>();
  for (const r of rows)
    for (const [cat, state] of Object.entries(JSON.parse(r.categories) as Record<string, string>)) {
      const k = `${r.at.slice(0, 10)}|${cat}`;
      const a = acc.get(k) ?? { given: 0, total: 0 };
      a.total++;
      if (state === "given") a.given++;
      acc.set(k, a);
    }
  return acc.size;
}

/** The CSV as it was read before: pages of 1000 by LIMIT … OFFSET under the list's order. */
async function csvBefore(ctx: ReturnType<typeof testContext>): Promise<number> {
  let n = 0;
  for (let offset = 0; ; offset += 1000) {
    const page = await listRequests(ctx, { limit: 1000, offset });
    n += page.length;
    if (page.length < 1000) return n;
  }
}

async function median(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function measure(label: string, store: Store, loaded: LoadedDeclaration): Promise<void> {
  const now = Date.now();
  const ctx = testContext(store, loaded.declaration);
  const { app } = createApp({
    store,
    declaration: () => loaded,
    logger: createLogger({ level: "silent" }),
    requests: ctx,
  });
  const user = await createUser(store, {
    email: "bench@pledge.local",
    name: "Bench",
    role: "owner",
    password: "correct horse battery",
  });
  const { token } = await createSession(store, user);
  const get = async (path: string) => {
    const res = await app.request(path, { headers: { cookie: `pledge_session=${token}`, accept: "text/html" } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    // Read as a browser saves a download: chunk by chunk, nothing kept.
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
    return bytes;
  };
  const pages: [string, string][] = [
    ["home", "/admin"],
    ["consent", "/admin/consent"],
    ["requests", "/admin/requests"],
    ["search, no hit", "/admin/requests?q=nobody%40nowhere.example"],
    ["request CSV", "/admin/requests.csv"],
  ];
  console.log(`\n${label}`);
  console.log(
    `${"records".padStart(9)} ${"requests".padStart(9)}  ${pages.map(([n]) => n.padStart(15)).join("")}` +
      `  ${"chart before".padStart(13)} ${"CSV before".padStart(11)}`,
  );
  let consent = 0;
  for (const step of STEPS) {
    const t = performance.now();
    await fillConsent(store, consent, step, now);
    await fillRequests(store, consent / 10, step / 10, now);
    consent = step;
    // As autovacuum leaves a table after a load: statistics, and the visibility map index-only scans read.
    if (store.engine === "postgres") await sql`vacuum analyze`.execute(store.db);
    const filled = ((performance.now() - t) / 1000).toFixed(0);
    const times: number[] = [];
    for (const [, path] of pages) times.push(await median(() => get(path), path.endsWith(".csv") ? 3 : 5));
    const chartBefore = await median(() => ratesBefore(store, new Date(now - 90 * DAY)), 3);
    const csvOld = step / 10 <= 10_000 ? await median(() => csvBefore(ctx), 1) : Number.NaN;
    console.log(
      `${step.toLocaleString("en").padStart(9)} ${(step / 10).toLocaleString("en").padStart(9)}  ` +
        `${times.map((ms) => `${ms.toFixed(0)} ms`.padStart(15)).join("")}  ` +
        `${`${chartBefore.toFixed(0)} ms`.padStart(13)} ${(Number.isNaN(csvOld) ? "(not run)" : `${csvOld.toFixed(0)} ms`).padStart(11)}` +
        `   (filled in ${filled} s)`,
    );
  }
}

export async function run(): Promise<void> {
  const loaded = await loadDeclaration(join(ROOT, "demo/pledge.yaml"));
  console.log("Each page as a signed-in browser gets it, median of 5 (the CSV of 3); all requests are in the CSV.");
  await onBothStores((label, store) => measure(label, store, loaded));
}
