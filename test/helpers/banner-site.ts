/**
 * The banner in Chromium on the organization's own site: a Pledge server, a site on another origin whose page loads
 * `/consent/banner.js` from it, and Chromium. Registers the suite's `before`/`after` hooks, like `demoConsole`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import type { Browser } from "playwright-core";
import { createLogger, startServer, type RunningServer, type ServerOptions } from "../../src/server/index.js";
import { chromiumUnavailable, launchChromium } from "./browser.js";

export interface BannerSite {
  browser: Browser;
  server: RunningServer;
  /** The site's page, on another origin than the server. */
  siteUrl: string;
  dir: string;
  /** Why Chromium cannot run here (outside CI the tests skip with it). */
  skip?: string;
}

/**
 * `options` is kept, not copied: a test may change its declaration while the server runs. `page` writes the site's
 * HTML from the server's address.
 */
export function bannerSite(
  prefix: string,
  options: ServerOptions | ((dir: string) => ServerOptions),
  page: (pledgeUrl: string) => string,
): BannerSite {
  const s = { siteUrl: "", dir: "" } as BannerSite;
  let site: Server | undefined;
  before(async () => {
    s.skip = chromiumUnavailable();
    if (s.skip) {
      if (process.env.CI === "true") throw new Error(s.skip);
      return;
    }
    s.dir = mkdtempSync(join(tmpdir(), prefix));
    const opts = typeof options === "function" ? options(s.dir) : options;
    Object.assign(opts, {
      sqlitePath: join(s.dir, "p.db"),
      dataDir: s.dir,
      logger: createLogger({ level: "silent" }),
      worker: false,
      console: () => {},
    });
    s.server = await startServer(opts);
    site = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(page(s.server.url));
    });
    await new Promise<void>((r) => site!.listen(0, "127.0.0.1", () => r()));
    s.siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
    s.browser = await launchChromium();
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
    site?.close();
    if (s.dir) rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}
