/**
 * Stoplight Prism as a validating mock of a vendor's published document (`prism mock --errors`): a call that breaks
 * the contract gets a 4xx with the violations, which the connector reports as an error, so the test fails.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { VENDOR_APIS } from "./openapi.js";

const PRISM = join(import.meta.dirname, "../../node_modules/.bin/prism");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/**
 * Starts Prism on a document under `shared/vendor-apis` (`sendgrid/tsg_suppressions_v3.yaml`). A request that breaks
 * the contract is answered 4xx either way; `errors` (the default) also fails the mock's own answers that break it,
 * which Twilio's published examples do (`first_page_uri` is not a URI), so Twilio runs without it.
 */
export async function startPrism(
  file: string,
  options: { errors?: boolean } = {},
): Promise<{ url: string; log: () => string; close: () => Promise<void> }> {
  if (!VENDOR_APIS) throw new Error("the vendors' published documents (shared/vendor-apis) are not on this machine");
  const port = await freePort();
  const child = spawn(
    PRISM,
    [
      "mock",
      ...(options.errors === false ? [] : ["--errors"]),
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      join(VENDOR_APIS, file),
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    out += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start on ${file} within 60 s:\n${out}`)), 60_000);
    const poll = setInterval(() => {
      if (out.includes("Prism is listening")) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    }, 100);
    child.on("exit", (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`Prism exited (${code}) on ${file}:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => out,
    close: async () => {
      child.removeAllListeners("exit");
      child.kill();
      await new Promise((r) => setTimeout(r, 50));
    },
  };
}
