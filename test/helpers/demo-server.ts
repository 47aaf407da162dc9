/** The demo server (`pledge serve --demo --port 0`) in a temporary directory, for browser tests. */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { chromiumUnavailable, launchChromium } from "./browser.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface DemoServer {
  url: string;
  /** The demo console account's password, from the startup lines. */
  password: string;
  /** The directory it runs in (its store, outbox and downloads). */
  dir: string;
  /** What it wrote to stderr so far (verification codes in outbox mode). */
  stderr(): string;
  stop(): void;
}

/** Starts the demo server and waits until it prints its address and the console password. */
export async function startDemoServer(prefix: string): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const child = spawn(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), join(ROOT, "src/cli/main.ts"), "serve", "--demo", "--port", "0"],
    {
      cwd: dir,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json"),
        PLEDGE_LOG_LEVEL: "silent",
        // The SendGrid stand-in finishes an erase job in half a second, not the demo's 20.
        PLEDGE_DEMO_JOB_MS: "500",
      },
    },
  );
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const stop = () => {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no server: ${stderr}`)), 30_000);
      child.stderr!.on("data", () => {
        const m = /at (http:\/\/127\.0\.0\.1:\d+)\/privacy /.exec(stderr);
        if (m && /with the one-time password (\S+)/.test(stderr)) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
    });
    return { url, password: /with the one-time password (\S+)/.exec(stderr)![1], dir, stderr: () => stderr, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

/** The demo in Chromium, signed in to the console as its owner: set up before the suite's tests and torn down after. */
/** The password the demo owner chooses at the first sign-in in the browser tests. */
export const DEMO_OWN_PASSWORD = "demo owner's own password";

export interface DemoConsole {
  server: DemoServer;
  browser: Browser;
  page: Page;
  url: string;
  /** Why Chromium cannot run here (outside CI the tests skip with it). */
  skip?: string;
}

/**
 * Registers `before`/`after` hooks that start the demo server, launch Chromium and sign in.
 *
 * ```ts
 * const demo = demoConsole("pledge-browser-x-");
 * it("…", async (t) => { if (demo.skip) return t.skip(demo.skip); await demo.page.goto(`${demo.url}/admin`); });
 * ```
 */
export function demoConsole(prefix: string): DemoConsole {
  const d = {} as DemoConsole;
  before(async () => {
    d.skip = chromiumUnavailable();
    if (d.skip) {
      if (process.env.CI === "true") throw new Error(d.skip);
      return;
    }
    d.server = await startDemoServer(prefix);
    d.url = d.server.url;
    d.browser = await launchChromium();
    d.page = await d.browser.newPage();
    await d.page.goto(`${d.url}/admin/login`);
    await d.page.getByLabel("Email").fill("demo@pledge.local");
    await d.page.getByLabel("Password").fill(d.server.password);
    await d.page.getByRole("button", { name: "Sign in" }).click();
    // The demo's password is a one-time password: the console asks for the user's own first.
    await d.page.waitForURL(`${d.url}/admin/password`);
    await d.page.getByLabel("One-time password").fill(d.server.password);
    await d.page.getByLabel("New password", { exact: true }).fill(DEMO_OWN_PASSWORD);
    await d.page.getByLabel("New password again").fill(DEMO_OWN_PASSWORD);
    await d.page.getByRole("button", { name: "Change password" }).click();
    await d.page.waitForURL(`${d.url}/admin`).catch(async (err) => {
      throw new Error(`${d.page.url()}: ${await d.page.textContent("main")}`, { cause: err });
    });
  });
  after(async () => {
    await d.browser?.close();
    d.server?.stop();
  });
  return d;
}

/** The last mail in the demo's outbox to `to`, decoded from quoted-printable. */
export function lastMailTo(dir: string, to: string): string {
  const outbox = join(dir, ".pledge", "outbox");
  const mails = readdirSync(outbox)
    .sort()
    .map((f) =>
      readFileSync(join(outbox, f), "utf8")
        .replace(/=\r?\n/g, "")
        .replace(/=3D/g, "="),
    );
  const m = mails.reverse().find((x) => x.includes(`To: ${to}`));
  if (!m) throw new Error(`no mail to ${to}`);
  return m;
}
