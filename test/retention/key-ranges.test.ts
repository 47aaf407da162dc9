/**
 * The sweep's fast path for a dataset nothing references: each batch deletes a
 * key range with its clock checked again in the statement, the ranges stepped
 * from the keys per row instead of read. On PostgreSQL, MariaDB and SQLite,
 * with gaps in the keys, expired rows interleaved with fresh ones, a density
 * that changes tenfold, a condition on the rows and a row that turns fresh
 * while the sweep runs, it removes exactly what hand-written SQL says, never
 * more rows in one batch than its bound, and a killed sweep resumes without
 * applying a range twice.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseDeclaration, type Declaration } from "../../src/declaration/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { createConnector, type Connector } from "../../src/connectors/index.js";
import { bindingsOf, sweepBinding, type RetentionContext } from "../../src/retention/index.js";
import { takeLease } from "../../src/retention/sweep.js";
import { openSql, type Engine, type Row } from "../helpers/rental-shop.js";
import { createMysqlDatabase, createPgDatabase, servicesOrSkip } from "../helpers/services.js";

const NOW = new Date("2026-11-20T12:00:00Z");
const CUTOFF = "2025-11-20 12:00:00";
const ENGINES: Engine[] = ["postgres", "mysql", "sqlite"];

/**
 * 700 page views: keys 1..400 every third number, then 401..700 dense, then
 * 5000..5090 after a gap. The first stretch alternates expired and fresh
 * unevenly; the dense stretch is all expired; a tenth of the rows are of kind
 * "audit", which the rule does not cover.
 */
function pageviews(): Row[] {
  const rows: Row[] = [];
  const at = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString().slice(0, 19).replace("T", " ");
  const keys = [
    ...Array.from({ length: 134 }, (_, i) => i * 3 + 1),
    ...Array.from({ length: 300 }, (_, i) => 401 + i),
    ...Array.from({ length: 91 }, (_, i) => 5000 + i),
  ];
  for (const id of keys) {
    const expired = id <= 400 ? id % 7 !== 0 && id % 5 !== 1 : id <= 700 ? true : id % 2 === 0;
    rows.push({
      id,
      kind: id % 10 === 3 ? "audit" : "view",
      path: `/p/${id}`,
      viewed_at: at(expired ? 400 + (id % 50) : 30 + (id % 300)),
    });
  }
  return rows;
}

function declaration(engine: Engine): Declaration {
  const connector =
    engine === "sqlite" ? "{ engine: sqlite, path: { env: SITE_DB } }" : `{ engine: ${engine}, url: { env: SITE_DB } }`;
  return parseDeclaration(`version: "1"
effectiveDate: 2026-01-01
organization: { name: Site, roles: [controller], country: SE, contact: { email: p@site.example }, jurisdictions: [EU] }
purposes:
  analytics: { name: Analytics, legalBasis: legitimate_interests, legitimateInterest: Knowing which pages are read, dataCategories: [user.behavior.browsing_history], dataSubjects: [visitor], systems: [site], retention: views }
retention: { views: { period: 1 year, from: collection, action: delete } }
rights: { offered: [access, erasure], channels: [{ type: email, address: p@site.example }] }
systems:
  site:
    name: Site
    connector: ${connector}
    datasets:
      pageviews:
        retention: { rule: views, clock: viewed_at, where: { kind: view } }
        fields:
          id: { primaryKey: true }
          kind: {}
          path: { category: user.behavior.browsing_history }
          viewed_at: {}
`).declaration;
}

for (const engine of ENGINES) {
  describe(`retention by key range [${engine}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-ranges-"));
    let skip: string | undefined;
    let target = "";
    let drop: (() => Promise<void>) | undefined;
    let store: Store;
    let ctx: RetentionContext;
    const q = async (text: string, params: unknown[] = []) => {
      const s = await openSql(engine, target);
      try {
        return await s.query(text, params);
      } finally {
        await s.close();
      }
    };
    const load = async () => {
      await q("DELETE FROM pageviews");
      for (const r of pageviews())
        await q("INSERT INTO pageviews (id, kind, path, viewed_at) VALUES (?, ?, ?, ?)", Object.values(r));
    };

    before(async () => {
      if (engine !== "sqlite") {
        skip = await servicesOrSkip();
        if (skip) return;
        const d = engine === "postgres" ? await createPgDatabase("pledge_ranges") : await createMysqlDatabase();
        target = d.url;
        drop = d.drop;
      } else target = join(dir, "site.db");
      const t = engine === "postgres" ? "timestamp" : engine === "mysql" ? "datetime" : "TEXT";
      await q(
        `CREATE TABLE pageviews (id bigint PRIMARY KEY, kind varchar(10) NOT NULL, path varchar(100), viewed_at ${t} NOT NULL)`,
      );
      store = await openStore({ sqlitePath: join(dir, "pledge.db") });
      const decl = declaration(engine);
      ctx = {
        store,
        declaration: () => decl,
        env: { SITE_DB: target, PLEDGE_SECRET: "s" },
        cwd: dir,
        clock: () => NOW,
      };
    });
    after(async () => {
      await store?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it("deletes exactly the expired rows the rule covers, in bounded batches, while a row turns fresh", async (t) => {
      if (skip) return t.skip(skip);
      await load();
      const before_ = await q("SELECT * FROM pageviews ORDER BY id");
      const [b] = bindingsOf(ctx.declaration());
      let touched = false;
      let reads = 0;
      const counting: RetentionContext = {
        ...ctx,
        connect: (system) => {
          const inner = createConnector(system, ctx.declaration().systems[system].connector, ctx.env)!;
          const c: Connector = Object.create(inner) as Connector;
          c.due = async (p) => {
            reads++;
            return inner.due(p);
          };
          if (inner.dueRange) {
            const dueRange = inner.dueRange.bind(inner);
            c.dueRange = async (p) => {
              reads++;
              return dueRange(p);
            };
          }
          return c;
        },
      };
      const r = await sweepBinding(counting, b, {
        batchSize: 10,
        afterApply: async (seq) => {
          // mid-sweep, an expired row ahead of the cursor is viewed again: it must stay
          if (seq === 3 && !touched) {
            touched = true;
            await q("UPDATE pageviews SET viewed_at = ? WHERE id = 650", ["2026-11-01 00:00:00"]);
          }
        },
      });
      // by hand: what the rule leaves
      const expected = await q(
        "SELECT id FROM pageviews WHERE id = 650 OR kind <> 'view' OR viewed_at >= ? ORDER BY id",
        [CUTOFF],
      );
      const left = await q("SELECT * FROM pageviews ORDER BY id");
      assert.deepEqual(
        left.map((x) => Number(x.id)),
        expected.map((x) => Number(x.id)),
      );
      const expiredViews = pageviews().filter((x) => x.kind === "view" && String(x.viewed_at) < CUTOFF).length;
      assert.equal(r.deleted, expiredViews - 1, "every expired view but the one viewed again");
      // every remaining row is as it was, but the one that was viewed again
      const was = new Map(before_.map((x) => [Number(x.id), x]));
      for (const row of left) if (Number(row.id) !== 650) assert.deepEqual(row, was.get(Number(row.id)));
      assert.equal(r.remaining, 0);
      // no batch deleted more than eight batches' worth
      const batches = await store.db.selectFrom("retention_batches").select(["counts", "status"]).execute();
      assert.ok(batches.length >= 10, `${batches.length} batches`);
      assert.ok(
        reads * 2 < batches.length,
        `most ranges stepped, not read: ${reads} reads for ${batches.length} batches`,
      );
      for (const x of batches) {
        assert.equal(x.status, "applied");
        assert.ok(JSON.parse(x.counts ?? "{}").deleted <= 80, x.counts ?? "");
      }
    });

    it("a sweep whose lease another server took over stops at its next renewal; the new holder finishes", async (t) => {
      if (skip) return t.skip(skip);
      await load();
      const [b] = bindingsOf(ctx.declaration());
      const count = async () => Number((await q("SELECT count(*) AS n FROM pageviews"))[0].n);
      let afterSteal = -1;
      await assert.rejects(
        sweepBinding(ctx, b, {
          batchSize: 25,
          leaseRenewMs: 0,
          afterApply: async (seq) => {
            if (seq !== 2) return;
            // this sweep stalled past its lease: another server takes it over
            assert.equal(
              await takeLease(ctx, `retention:${b.id}`, "other-server", new Date(NOW.getTime() + 10 * 60_000)),
              true,
            );
            afterSteal = await count();
          },
        }),
        (err: Error & { code?: string }) => err.code === "BUSY" && /lease was taken over/.test(err.message),
      );
      assert.equal(await count(), afterSteal, "nothing more deleted once the lease was lost");
      await store.db.deleteFrom("retention_leases").execute();
      const r = await sweepBinding(ctx, b, { batchSize: 25 });
      assert.equal(r.resumed, true);
      const expected = await q("SELECT id FROM pageviews WHERE kind <> 'view' OR viewed_at >= ? ORDER BY id", [CUTOFF]);
      assert.deepEqual(
        (await q("SELECT id FROM pageviews ORDER BY id")).map((x) => Number(x.id)),
        expected.map((x) => Number(x.id)),
      );
      assert.equal(r.remaining, 0);
    });

    it("three ranges at once: exactly the expired rows go; killed mid-round, the sweep resumes and records each range once", async (t) => {
      if (skip) return t.skip(skip);
      await load();
      const [b] = bindingsOf(ctx.declaration());
      await assert.rejects(
        sweepBinding(ctx, b, {
          batchSize: 10,
          parallel: 3,
          afterApply: (seq) => {
            if (seq === 8) throw new Error("killed");
          },
        }),
        /killed/,
      );
      const r = await sweepBinding(ctx, b, { batchSize: 10, parallel: 3 });
      assert.equal(r.resumed, true);
      const expected = await q("SELECT id FROM pageviews WHERE kind <> 'view' OR viewed_at >= ? ORDER BY id", [CUTOFF]);
      assert.deepEqual(
        (await q("SELECT id FROM pageviews ORDER BY id")).map((x) => Number(x.id)),
        expected.map((x) => Number(x.id)),
      );
      assert.equal(r.remaining, 0);
      assert.ok((r.uncountedBatches ?? 0) >= 1, "the ranges applied in the killed round are reported without a count");
      const expiredViews = pageviews().filter((x) => x.kind === "view" && String(x.viewed_at) < CUTOFF).length;
      assert.ok(
        r.deleted < expiredViews && r.deleted >= expiredViews - 3 * 80,
        `${r.deleted} counted of ${expiredViews}`,
      );
      const last = await store.db
        .selectFrom("retention_batches")
        .select(["seq", "status", "run_id"])
        .where("run_id", "=", r.runId!)
        .execute();
      assert.equal(new Set(last.map((x) => x.seq)).size, last.length, "no sequence recorded twice");
      assert.ok(
        last.every((x) => x.status !== "applying"),
        "no batch left unresolved",
      );
    });

    it("a sweep killed after a range was deleted resumes and deletes each range once", async (t) => {
      if (skip) return t.skip(skip);
      await load();
      const [b] = bindingsOf(ctx.declaration());
      const rows = async () => Number((await q("SELECT count(*) AS n FROM pageviews"))[0].n);
      let beforeKilled = 0;
      let killedBatch = 0;
      await assert.rejects(
        sweepBinding(ctx, b, {
          batchSize: 25,
          afterApply: async (seq) => {
            if (seq === 3) beforeKilled = await rows();
            if (seq === 4) {
              killedBatch = beforeKilled - (await rows());
              throw new Error("killed");
            }
          },
        }),
        /killed/,
      );
      const r = await sweepBinding(ctx, b, { batchSize: 25 });
      assert.equal(r.resumed, true);
      const expected = await q("SELECT id FROM pageviews WHERE kind <> 'view' OR viewed_at >= ? ORDER BY id", [CUTOFF]);
      assert.deepEqual(
        (await q("SELECT id FROM pageviews ORDER BY id")).map((x) => Number(x.id)),
        expected.map((x) => Number(x.id)),
      );
      const expiredViews = pageviews().filter((x) => x.kind === "view" && String(x.viewed_at) < CUTOFF).length;
      assert.ok(killedBatch > 0);
      assert.equal(r.uncountedBatches, 1, "the range deleted before the kill is reported without a count");
      assert.equal(r.deleted, expiredViews - killedBatch, "every other range counted once");
      const runs = await store.db
        .selectFrom("retention_batches")
        .select(["seq", "status", "run_id"])
        .orderBy("id")
        .execute();
      const lastRun = Math.max(...runs.map((x) => x.run_id));
      assert.equal(
        new Set(runs.filter((x) => x.run_id === lastRun).map((x) => x.seq)).size,
        runs.filter((x) => x.run_id === lastRun).length,
        "no sequence applied twice",
      );
    });
  });
}
