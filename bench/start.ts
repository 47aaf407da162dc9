/**
 * `npm start` once installed: the time from the command to the first 200 of /healthz, and the server's memory once
 * idle, against a bare Hono server started the same way (the baseline). Runs `npm start`'s own steps (the build
 * check, then `pledge serve --demo`) in a fresh directory, after one warm-up start that creates the demo's stores.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

async function timeToAnswer(cmd: string, args: string[], cwd: string): Promise<{ ms: number; rssMb: number }> {
  const started = performance.now();
  const child = spawn(cmd, args, { cwd, env: { ...process.env, PORT: "0", PLEDGE_LOG_LEVEL: "silent" } });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  child.stdout.on("data", () => {});
  try {
    let url: string | undefined;
    while (!url) {
      url = /(http:\/\/127\.0\.0\.1:\d+)\/privacy/.exec(err)?.[1];
      if (child.exitCode !== null) throw new Error(`exited: ${err}`);
      if (!url) await new Promise((r) => setTimeout(r, 5));
    }
    for (;;) {
      const ok = await fetch(`${url}/healthz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, 5000));
    const pid = serverPid(child.pid!);
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    return { ms, rssMb: rss / 1024 };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

/** The node process serving: the shell's child when started through sh. */
function serverPid(pid: number): number {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    return kids.length ? serverPid(Number(kids[0])) : pid;
  } catch {
    return pid;
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-start-"));
  try {
    // npm start's steps: the build check (run where the sources are), then the server in a fresh directory.
    const startIn = [
      "-c",
      `cd ${ROOT} && node scripts/build-if-stale.mjs && cd ${dir} && exec node ${join(ROOT, "bin/pledge.js")} serve --demo`,
    ];
    await timeToAnswer("sh", startIn, dir); // warm-up: builds if stale, creates the demo's stores
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await timeToAnswer("sh", startIn, dir));
    const base = [];
    for (let i = 0; i < 3; i++)
      base.push(await timeToAnswer(process.execPath, ["--import", "tsx", join(ROOT, "bench/bare-server.ts")], ROOT));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const p = { ms: median(runs.map((r) => r.ms)), rss: median(runs.map((r) => r.rssMb)) };
    const b = { ms: median(base.map((r) => r.ms)), rss: median(base.map((r) => r.rssMb)) };
    console.log(
      `npm start (installed, build current): first 200 after ${Math.round(p.ms)} ms, idle ${p.rss.toFixed(0)} MB`,
    );
    console.log(
      `bare Hono server (tsx):               first 200 after ${Math.round(b.ms)} ms, idle ${b.rss.toFixed(0)} MB`,
    );
    console.log(`ratio (time to first answer, Pledge / bare): ${(p.ms / b.ms).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
