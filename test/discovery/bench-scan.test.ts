/**
 * `npm run bench -- scan` prints the four detectors side by side: Pledge and its three peers, with MB/s and
 * precision, recall and F1 per type, on a small corpus so that the test stays quick.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { it } from "node:test";

it("bench/scan prints Pledge, redact-pii, @redactpii/node and openredaction in one table", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", "scan"], {
    env: { ...process.env, BENCH_LINES: "300", BENCH_LOG_MB: "0" },
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\| \| Pledge \(no regions\) \| redact-pii \| @redactpii\/node \| openredaction \|$/m);
  assert.match(r.stdout, /^\| MB\/s, per line \|( [\d.]+ \|){4}$/m);
  for (const type of ["email", "phone", "ip", "card", "iban", "ssn", "dob", "name", "address"])
    assert.match(r.stdout, new RegExp(`^\\| ${type} \\([\\d,]+\\): P / R / F1 \\|`, "m"), type);
  assert.match(r.stdout, /^\| decoys reported \| none \|/m, "Pledge reports no decoy");
});
