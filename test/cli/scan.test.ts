/** `pledge scan FILE…` and `pledge redact`: what an engineer sees when cleaning logs. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../helpers/cli.js";

describe("pledge scan FILE… and pledge redact", () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-cli-scan-"));
  const app = join(dir, "app.log");
  const clean = join(dir, "clean.log");
  const env = { PLEDGE_DECLARATION: join(dir, "none.yaml") };
  const LOG = [
    "2026-12-01T10:00:00Z INFO login ok user=Anna.Schmidt@Example.org ip=192.168.4.20 req=ORD-20045231",
    "2026-12-01T10:00:01Z WARN checkout failed for bob@example.net from 2001:db8::ff00:42:8329: v2.10.3",
    "2026-12-01T10:00:02Z DEBUG payment card=4111 1111 1111 1111 amount 129.00 EUR",
    "2026-12-01T10:00:03Z INFO support: customer called from +49 151 23456789 about order #4111111111111111",
    "2026-12-01T10:00:04Z INFO refund to IBAN DE89 3704 0044 0532 0130 00 uuid 550e8400-e29b-41d4-a716-446655440000",
  ];
  const DECOYS = ["2026-12-01T10:00:05Z INFO build 2.10.3.1 deployed, release v10.2.33", "2026-12-01T10:00:06Z ERROR upstream order #98224538 timeout after 3000 ms (84894.88 EUR)", "card 4111 1111 1111 1112 declined; IBAN DE89 3704 0044 0532 0130 01 rejected"];

  before(() => {
    writeFileSync(app, [...LOG, ...DECOYS].join("\n") + "\n");
    writeFileSync(clean, DECOYS.join("\n") + "\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reports each kind of personal data per file with a masked example, never the value, and exits 1", async () => {
    const r = await runCli(["scan", app, clean, "--regions", "DE,US"], env);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stdout.includes(`app.log: ${Buffer.byteLength([...LOG, ...DECOYS].join("\n") + "\n")} bytes, 8 lines\n`), r.stdout);
    assert.match(r.stdout, /email\s+user\.contact\.email\s+2 in 2 lines · confidence 0\.99 \(a valid address\) · e\.g\. A\*\*\*@E\*\*\*\.org on line 1/);
    assert.match(r.stdout, /ip\s+user\.device\.ip_address\s+2 in 2 lines/);
    assert.match(r.stdout, /card\s+user\.financial\.card_number\s+1 in 1 line /);
    assert.match(r.stdout, /phone\s+user\.contact\.phone_number\s+1 in 1 line /);
    assert.match(r.stdout, /iban\s+user\.financial\.bank_account\s+1 in 1 line /);
    assert.match(r.stdout, /clean\.log: \d+ bytes, 3 lines: no personal data found/);
    for (const value of ["Anna.Schmidt@Example.org", "192.168.4.20", "4111 1111 1111 1111", "23456789", "0532 0130 00"]) assert.ok(!r.stdout.includes(value), `the output holds ${value}`);
  });

  it("a file with only decoys exits 0; --format json gives the same figures", async () => {
    const r = await runCli(["scan", clean, "--format", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout) as { files: { name: string; lines: number; entities: unknown[] }[] };
    assert.deepEqual(body.files.map((f) => [f.name, f.lines, f.entities.length]), [[clean, 3, 0]]);
  });

  it("a byte budget stops at whole lines and says so; a missing file is named; bad flags are usage errors", async () => {
    const budget = await runCli(["scan", app, "--bytes", "200"], env);
    assert.match(budget.stdout, /app\.log: 1\d\d bytes, 2 lines \(stopped at the byte budget\)/);
    const missing = await runCli(["scan", join(dir, "gone.log")], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /pledge scan: .*gone\.log: cannot be read \(ENOENT\)/);
    const bad = await runCli(["scan", app, "--regions", "Germany"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--regions: 'GERMANY' is not a two-letter country code/);
    assert.equal((await runCli(["scan"], env)).code, 2);
    assert.match((await runCli(["redact", "--types", "email,shoe"], env)).stderr, /--types: unknown type 'shoe'/);
  });

  it("redact masks each detection in the stream and leaves the decoys alone", async () => {
    const r = await runCli(["redact", "--regions", "DE,US"], env, { input: [...LOG, ...DECOYS].join("\n") + "\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split("\n"), [
      "2026-12-01T10:00:00Z INFO login ok user=[email] ip=[ip] req=ORD-20045231",
      "2026-12-01T10:00:01Z WARN checkout failed for [email] from [ip]: v2.10.3",
      "2026-12-01T10:00:02Z DEBUG payment card=[card] amount 129.00 EUR",
      "2026-12-01T10:00:03Z INFO support: customer called from [phone] about order #4111111111111111",
      "2026-12-01T10:00:04Z INFO refund to IBAN [iban] uuid 550e8400-e29b-41d4-a716-446655440000",
      ...DECOYS,
      "",
    ]);
    assert.match(r.stderr, /8 lines, masked 2 email, 2 ip, 1 card, 1 phone, 1 iban/);
    const only = await runCli(["redact", "--types", "email"], env, { input: LOG[0] + "\n" });
    assert.equal(only.stdout, "2026-12-01T10:00:00Z INFO login ok user=[email] ip=192.168.4.20 req=ORD-20045231\n");
  });
});
