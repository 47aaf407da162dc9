/** A small keep-alive HTTP load generator for the benchmarks (loopback only, bounded in time). */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

/** Sends GET requests from `concurrency` loops for `seconds`; `path(i)` picks each request's path. */
export async function load(
  base: string,
  path: (i: number) => string,
  options: { concurrency: number; seconds: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const u = new URL(base);
  const end = performance.now() + options.seconds * 1000;
  let n = 0;
  let errors = 0;
  const lat: number[] = [];
  const one = (p: string) =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      const req = http.request({ host: u.hostname, port: u.port, path: p, agent, headers: options.headers }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode !== 200) errors++;
          lat.push(performance.now() - t);
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < end) await one(path(n++));
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  return {
    requests: lat.length,
    errors,
    seconds,
    rps: lat.length / seconds,
    p50: lat[Math.floor(lat.length / 2)] ?? 0,
    p99: lat[Math.floor(lat.length * 0.99)] ?? 0,
  };
}

/** Starts `node --import tsx …args` (a Pledge server or the bare one) and waits for the address it prints. */
export function startProcess(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), ...args], {
    cwd,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json"),
      PLEDGE_LOG_LEVEL: "warn",
      PLEDGE_WORKER: "off",
      ...env,
    },
  });
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

/**
 * Loads a Pledge route and the bare route with the same paths: a warm-up, then
 * two alternating rounds each; prints both and the throughput ratio.
 */
export async function compareRoutes(o: {
  pledge: string;
  bare: string;
  path: (i: number) => string;
  headers: Record<string, string>;
  concurrency: number;
  seconds: number;
  title: string;
  label: string;
  target: number;
}): Promise<number> {
  await load(o.pledge, o.path, { concurrency: o.concurrency, seconds: 2, headers: o.headers });
  await load(o.bare, o.path, { concurrency: o.concurrency, seconds: 2 });
  const p: number[] = [];
  const b: number[] = [];
  let last = {
    pledge: await load(o.pledge, o.path, { concurrency: 1, seconds: 0.2, headers: o.headers }),
    bare: await load(o.bare, o.path, { concurrency: 1, seconds: 0.2 }),
  };
  for (let round = 0; round < 2; round++) {
    const bb = await load(o.bare, o.path, { concurrency: o.concurrency, seconds: o.seconds });
    const pp = await load(o.pledge, o.path, { concurrency: o.concurrency, seconds: o.seconds, headers: o.headers });
    if (pp.errors || bb.errors) throw new Error(`errors: pledge ${pp.errors}, bare ${bb.errors}`);
    p.push(pp.rps);
    b.push(bb.rps);
    last = { pledge: pp, bare: bb };
  }
  const mean = (xs: number[]) => xs.reduce((a, c) => a + c, 0) / xs.length;
  console.log(`\n${o.title}`);
  console.log(
    `bare Hono route (baseline)   ${mean(b).toFixed(0).padStart(7)} req/s   p50 ${last.bare.p50.toFixed(2)} ms   p99 ${last.bare.p99.toFixed(2)} ms`,
  );
  console.log(
    `${o.label.padEnd(28)} ${mean(p).toFixed(0).padStart(7)} req/s   p50 ${last.pledge.p50.toFixed(2)} ms   p99 ${last.pledge.p99.toFixed(2)} ms`,
  );
  const ratio = mean(p) / mean(b);
  console.log(`\nratio, Pledge / bare route throughput: ${ratio.toFixed(2)} (target at least ${o.target.toFixed(2)})`);
  return ratio;
}
