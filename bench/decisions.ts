/**
 * bench/decisions: Pledge's consent-decision route (token auth, validation,
 * cached decision, metrics, error handling) against a bare Hono route that
 * returns a constant, each in its own server process, under the same load.
 *
 *   npm run bench -- decisions
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApiToken } from "../src/auth/index.js";
import { loadDeclaration } from "../src/declaration/index.js";
import { recordConsent } from "../src/consent/index.js";
import { openStore } from "../src/store/index.js";
import { load } from "./load.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SUBJECTS = 200;

function start(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), ...args], { cwd, env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json"), PLEDGE_LOG_LEVEL: "warn", PLEDGE_WORKER: "off", ...env } });
  let err = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      err += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\/privacy/.exec(err);
      if (m) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-decisions-"));
  try {
    const decl = await loadDeclaration(join(ROOT, "demo/pledge.yaml"));
    const store = await openStore({ sqlitePath: join(dir, ".pledge/pledge.db") });
    const token = await createApiToken(store, "bench", "viewer");
    for (let i = 0; i < SUBJECTS; i++) await recordConsent(store, decl.declaration, { deviceId: `bench-device-${String(i).padStart(6, "0")}`, categories: { analytics: "given" }, language: "en", method: "banner" });
    await store.close();

    const pledge = await start([join(ROOT, "src/cli/main.ts"), "serve", "--demo", "--port", "0"], dir);
    const bare = await start([join(ROOT, "bench/bare-server.ts")], dir);
    const decisionPath = (i: number) => `/v1/decisions?subject=device:bench-device-${String(i % SUBJECTS).padStart(6, "0")}&purpose=analytics`;
    const headers = { authorization: `Bearer ${token}` };
    // warm up both, then measure each twice, alternating
    await load(pledge.url, decisionPath, { concurrency: CONCURRENCY, seconds: 2, headers });
    await load(bare.url, decisionPath, { concurrency: CONCURRENCY, seconds: 2 });
    const p: number[] = [];
    const b: number[] = [];
    let last = { pledge: await load(pledge.url, decisionPath, { concurrency: 1, seconds: 0.2, headers }), bare: await load(bare.url, decisionPath, { concurrency: 1, seconds: 0.2 }) };
    for (let round = 0; round < 2; round++) {
      const bb = await load(bare.url, decisionPath, { concurrency: CONCURRENCY, seconds: SECONDS });
      const pp = await load(pledge.url, decisionPath, { concurrency: CONCURRENCY, seconds: SECONDS, headers });
      if (pp.errors || bb.errors) throw new Error(`errors: pledge ${pp.errors}, bare ${bb.errors}`);
      p.push(pp.rps);
      b.push(bb.rps);
      last = { pledge: pp, bare: bb };
    }
    const mean = (xs: number[]) => xs.reduce((a, c) => a + c, 0) / xs.length;
    console.log(`\nGET /v1/decisions, ${CONCURRENCY} keep-alive connections, 2 rounds of ${SECONDS} s each, ${SUBJECTS} subjects`);
    console.log(`bare Hono route (baseline)   ${mean(b).toFixed(0).padStart(7)} req/s   p50 ${last.bare.p50.toFixed(2)} ms   p99 ${last.bare.p99.toFixed(2)} ms`);
    console.log(`Pledge decision route        ${mean(p).toFixed(0).padStart(7)} req/s   p50 ${last.pledge.p50.toFixed(2)} ms   p99 ${last.pledge.p99.toFixed(2)} ms`);
    console.log(`\nratio, Pledge / bare route throughput: ${(mean(p) / mean(b)).toFixed(2)} (target at least 0.70)`);
    pledge.child.kill("SIGTERM");
    bare.child.kill("SIGTERM");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
