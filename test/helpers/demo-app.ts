/** The demo (its declaration, data and processors' stand-ins) served in the test process, for HTTP tests. */
import { join } from "node:path";
import { DEMO_DECLARATION } from "../../src/cli/index.js";
import { loadDeclaration } from "../../src/declaration/index.js";
import { ensureDemoData, startDemoVendors, type DemoVendors } from "../../src/demo/index.js";
import { createLogger, type RunningServer, type ServerOptions, startServer } from "../../src/server/index.js";

export interface DemoApp {
  server: RunningServer;
  standIns: DemoVendors;
  close(): Promise<void>;
}

/**
 * Writes the demo's data under `dir/.pledge/demo`, starts its processors' stand-ins and the server on a free port.
 * `options` override the defaults (a silent log, no console lines); `env` is added to the stand-ins' own.
 */
export async function startDemoApp(
  dir: string,
  options: Partial<ServerOptions> = {},
  data = { customers: 50, tickets: 20, logLines: 200 },
): Promise<DemoApp> {
  ensureDemoData(join(dir, ".pledge/demo"), data);
  const standIns = await startDemoVendors(join(dir, ".pledge/demo"), { jobMs: 0 });
  const server = await startServer({
    declaration: options.declaration ?? (await loadDeclaration(DEMO_DECLARATION)),
    port: 0,
    dataDir: join(dir, ".pledge"),
    cwd: dir,
    demo: true,
    console: () => {},
    logger: createLogger({ level: "silent" }),
    ...options,
    env: { ...standIns.env, ...options.env },
  }).catch(async (err: unknown) => {
    await standIns.close();
    throw err;
  });
  return {
    server,
    standIns,
    async close() {
      await server.close();
      await standIns.close();
    },
  };
}
