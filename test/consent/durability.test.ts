/** Consent writes under load and under SIGKILL, against a real server process. */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function startServer(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), join(ROOT, "src/cli/main.ts"), "serve", "--demo", "--port", "0"],
    {
      cwd,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json"),
        PLEDGE_LOG_LEVEL: "silent",
        PLEDGE_WORKER: "off",
      },
    },
  );
  let err = "";
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stderr!.on("data", (d) => {
      err += d;
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\/privacy /.exec(err);
      if (m) {
        clearTimeout(t);
        resolve({ child, url: m[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

const post = (url: string, deviceId: string) =>
  fetch(`${url}/consent/records`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ deviceId, categories: { analytics: "given", marketing: "refused" } }),
  });

describe("consent writes", () => {
  let dir: string;
  let server: { child: ChildProcess; url: string };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "pledge-consent-load-"));
    server = await startServer(dir);
  });
  after(() => {
    server?.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("1,000 concurrent banner submissions on loopback complete with no errors", async () => {
    const results = await Promise.all(
      Array.from({ length: 1000 }, () =>
        post(server.url, randomUUID()).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { recordId?: string },
        })),
      ),
    );
    const failed = results.filter((r) => r.status !== 201);
    assert.deepEqual(failed.slice(0, 3), [], `${failed.length} failed`);
    assert.equal(new Set(results.map((r) => r.body.recordId)).size, 1000);
  });

  it("every write acknowledged with a 2xx survives a SIGKILL of the server", async () => {
    const acked: string[] = [];
    let stop = false;
    const writer = async () => {
      while (!stop) {
        try {
          const r = await post(server.url, randomUUID());
          if (r.status === 201) acked.push(((await r.json()) as { recordId: string }).recordId);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: 50 }, writer);
    while (acked.length < 500) await new Promise((r) => setTimeout(r, 10));
    const exited = new Promise((r) => server.child.once("exit", r));
    server.child.kill("SIGKILL");
    stop = true;
    await Promise.all(writers);
    await exited;
    const db = new BetterSqlite3(join(dir, ".pledge/pledge.db"), { readonly: true });
    const stored = new Set(
      (db.prepare("SELECT record_id FROM consent_events").all() as { record_id: string }[]).map((r) => r.record_id),
    );
    db.close();
    const lost = acked.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged records lost`);
    assert.ok(acked.length >= 500);
  });
});
