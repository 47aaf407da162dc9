/**
 * bench/access-gate: Pledge's staff-access gate (`GET /v1/access-grants/check`:
 * token auth, validation, a cached grant lookup, metrics) against a bare Hono
 * route that returns a constant, each in its own server process, under the
 * same load. Half the checks find a grant (allow), half do not (deny).
 *
 *   npm run bench -- access-gate
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApiToken } from "../src/auth/index.js";
import { loadDeclaration } from "../src/declaration/index.js";
import { decideByCustomer, requestAccess, saveCounterparty } from "../src/governance/index.js";
import { openStore } from "../src/store/index.js";
import { compareRoutes, startProcess } from "./load.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const STAFF = 100;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-gate-"));
  try {
    const decl = await loadDeclaration(join(ROOT, "demo/pledge.yaml"));
    const store = await openStore({ sqlitePath: join(dir, ".pledge/pledge.db") });
    const token = await createApiToken(store, "bench", "viewer");
    const sent: string[] = [];
    const ctx = {
      store,
      declaration: () => decl.declaration,
      mailer: {
        mode: "smtp" as const,
        send: async (m: { text: string }) => {
          sent.push(m.text);
          return { messageId: "1" };
        },
      },
      publicUrl: "http://bench",
      env: {},
      cwd: dir,
      clock: () => new Date(),
    };
    await saveCounterparty(
      ctx,
      {
        account: "acme",
        name: "Acme",
        contactEmail: "it@acme.example",
        jurisdictions: ["EU"],
        startedAt: "2025-01-01",
      },
      { email: "owner@bench", role: "owner" },
    );
    for (let i = 0; i < STAFF; i += 2) {
      await requestAccess(
        ctx,
        {
          account: "acme",
          classes: ["support_messages"],
          reason: "purpose:support",
          justification: `benchmark grant number ${i}`,
          endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
        { email: `staff${i}@bench`, role: "viewer" },
      );
      await decideByCustomer(ctx, /access-consent\/([A-Za-z0-9_-]+)/.exec(sent.at(-1)!)![1], "approve", "127.0.0.1");
    }
    await store.close();
    const pledge = await startProcess([join(ROOT, "src/cli/main.ts"), "serve", "--demo", "--port", "0"], dir);
    const bare = await startProcess([join(ROOT, "bench/bare-server.ts")], dir);
    const path = (i: number) =>
      `/v1/access-grants/check?staff=staff${i % STAFF}@bench&account=acme&class=support_messages`;
    await compareRoutes({
      pledge: pledge.url,
      bare: bare.url,
      path,
      headers: { authorization: `Bearer ${token}` },
      concurrency: CONCURRENCY,
      seconds: SECONDS,
      title: `GET /v1/access-grants/check, ${CONCURRENCY} keep-alive connections, 2 rounds of ${SECONDS} s each, ${STAFF} staff (half with a grant)`,
      label: "Pledge access gate",
      target: 0.7,
    });
    pledge.child.kill("SIGTERM");
    bare.child.kill("SIGTERM");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
