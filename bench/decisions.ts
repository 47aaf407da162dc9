/**
 * bench/decisions: Pledge's consent-decision route (token auth, validation,
 * cached decision, metrics, error handling) against a bare Hono route that
 * returns a constant, each in its own server process, under the same load.
 *
 *   npm run bench -- decisions
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApiToken } from "../src/auth/index.js";
import { loadDeclaration } from "../src/declaration/index.js";
import { recordConsent } from "../src/consent/index.js";
import { openStore } from "../src/store/index.js";
import { compareRoutes, startProcess as start } from "./load.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SUBJECTS = 200;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-decisions-"));
  try {
    const decl = await loadDeclaration(join(ROOT, "demo/pledge.yaml"));
    const store = await openStore({ sqlitePath: join(dir, ".pledge/pledge.db") });
    const token = await createApiToken(store, "bench", "viewer");
    for (let i = 0; i < SUBJECTS; i++)
      await recordConsent(store, decl.declaration, {
        deviceId: `bench-device-${String(i).padStart(6, "0")}`,
        categories: { analytics: "given" },
        language: "en",
        method: "banner",
      });
    await store.close();

    const pledge = await start([join(ROOT, "src/cli/main.ts"), "serve", "--demo", "--port", "0"], dir);
    const bare = await start([join(ROOT, "bench/bare-server.ts")], dir);
    const decisionPath = (i: number) =>
      `/v1/decisions?subject=device:bench-device-${String(i % SUBJECTS).padStart(6, "0")}&purpose=analytics`;
    const headers = { authorization: `Bearer ${token}` };
    await compareRoutes({
      pledge: pledge.url,
      bare: bare.url,
      path: decisionPath,
      headers,
      concurrency: CONCURRENCY,
      seconds: SECONDS,
      title: `GET /v1/decisions, ${CONCURRENCY} keep-alive connections, 2 rounds of ${SECONDS} s each, ${SUBJECTS} subjects`,
      label: "Pledge decision route",
      target: 0.7,
    });
    pledge.child.kill("SIGTERM");
    bare.child.kill("SIGTERM");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
