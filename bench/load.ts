/** A small keep-alive HTTP load generator for the benchmarks (loopback only, bounded in time). */
import http from "node:http";

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

/** Sends GET requests from `concurrency` loops for `seconds`; `path(i)` picks each request's path. */
export async function load(base: string, path: (i: number) => string, options: { concurrency: number; seconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
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
  return { requests: lat.length, errors, seconds, rps: lat.length / seconds, p50: lat[Math.floor(lat.length / 2)] ?? 0, p99: lat[Math.floor(lat.length * 0.99)] ?? 0 };
}
