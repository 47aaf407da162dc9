// Runs every test file under test/ with node's test runner through tsx.
// Node 20's `--test` does not expand globs, so the files are listed here.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".test.ts") || p.endsWith(".test.tsx") ? [p] : [];
  });
}

// Tests that time the server (a probe's latency while the largest forms are posted) run alone, after the others:
// beside another test file on a two-core machine they would measure that file's load, not Pledge's.
const ALONE = new Set(["test/server/request-limits.test.ts"]);

const only = process.argv.slice(2);
const files = (only.length ? only : walk("test")).sort();
const run = (list, concurrency) =>
  list.length
    ? (spawnSync(
        process.execPath,
        ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...list],
        { stdio: "inherit" },
      ).status ?? 1)
    : 0;
const shared = run(
  files.filter((f) => !ALONE.has(f.replace(/\\/g, "/"))),
  2,
);
const alone = run(
  files.filter((f) => ALONE.has(f.replace(/\\/g, "/"))),
  1,
);
process.exit(shared || alone);
