/** Starting the server: open the store, publish the declaration, listen, and stop cleanly on SIGTERM/SIGINT. */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import type { LoadedDeclaration } from "../declaration/index.js";
import { publishDeclaration } from "../notice/index.js";
import { openStore, type Store, type StoreOptions } from "../store/index.js";
import { createApp, type PledgeApp } from "./app.js";
import { createLogger, type Logger } from "./logger.js";

export interface ServerOptions extends StoreOptions {
  declaration: LoadedDeclaration;
  port?: number;
  host?: string;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  pledge: PledgeApp;
  close(): Promise<void>;
}

/**
 * Starts Pledge's HTTP server.
 *
 * ```ts
 * const server = await startServer({ declaration: await loadDeclaration("pledge.yaml"), port: 3000 });
 * ```
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const store = await openStore(options);
  const { published } = await publishDeclaration(store, options.declaration);
  logger.info({ version: options.declaration.declaration.version, published, store: store.describe }, "declaration loaded");
  const pledge = createApp({ store, declaration: () => options.declaration, logger });
  const host = options.host ?? "127.0.0.1";
  const server: ServerType = await new Promise((resolvePromise, reject) => {
    const s = serve({ fetch: pledge.app.fetch, port: options.port ?? 3000, hostname: host }, () => resolvePromise(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  logger.info({ url }, "listening");
  return {
    url,
    port,
    store,
    pledge,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    },
  };
}
