/**
 * Two demo servers started at the same moment, in one directory, on a new store:
 * both come up whole. The demo's data stores are built once, the demo owner is
 * made once (its one-time password printed once), and neither server logs an
 * error. Run on PostgreSQL, where two servers on one store is the scale-out
 * set-up, and on SQLite.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import { forEachStore } from "../helpers/stores.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const TSCONFIG = fileURLToPath(new URL("../../tsconfig.json", import.meta.url));

/** `pledge serve --demo --port 0` in `cwd`; resolves once it says it serves, with all it printed. */
function serveDemo(cwd: string, env: Record<string, string>) {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), MAIN, "serve", "--demo", "--port", "0"],
    { cwd, env: { ...process.env, TSX_TSCONFIG_PATH: TSCONFIG, PLEDGE_LOG_LEVEL: "info", ...env } },
  );
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const ready = new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`not serving after 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /Pledge is serving .* at (http:\/\/127\.0\.0\.1:\d+)\/privacy/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    };
    child.stdout!.on("data", check);
    child.stderr!.on("data", check);
    child.on("exit", (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
  return { child, ready, output: () => out };
}

forEachStore("two demo servers started together", (target) => {
  it("both serve whole: the data built once, the owner made once, no error logged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-two-demos-"));
    const env = { ...target.env, ...(target.name === "sqlite" ? { PLEDGE_SQLITE_PATH: join(dir, "pledge.db") } : {}) };
    const a = serveDemo(dir, env);
    const b = serveDemo(dir, env);
    try {
      const urls = await Promise.all([a.ready, b.ready]);
      for (const url of urls) {
        const health = await fetch(`${url}/healthz`);
        assert.equal(health.status, 200);
        assert.equal((await fetch(`${url}/admin/login`)).status, 200);
      }
      const out = a.output() + b.output();
      assert.equal(out.match(/with the one-time password/g)?.length, 1, out);
      assert.equal(out.match(/Created the demo data stores/g)?.length ?? 0, 1, out);
      assert.ok(!/duplicate key|UNIQUE constraint|"level":50|"level":60/.test(out), out);
    } finally {
      a.child.kill("SIGTERM");
      b.child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
