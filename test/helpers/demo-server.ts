/** The demo server (`pledge serve --demo --port 0`) in a temporary directory, for browser tests. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "src/cli/main.ts"), "serve", "--demo", "--port", "0"], {
    cwd: dir,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json"), PLEDGE_LOG_LEVEL: "silent" },
  });
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
        if (m && /with password (\S+)/.test(stderr)) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
    });
    return { url, password: /with password (\S+)/.exec(stderr)![1], dir, stderr: () => stderr, stop };
  } catch (err) {
    stop();
    throw err;
  }
}
