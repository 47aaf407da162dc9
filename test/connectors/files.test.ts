/**
 * The files connector when a rewrite is killed: the temporary copy it leaves
 * holds other people's log lines, and must not outlive the next start.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createConnector } from "../../src/connectors/index.js";

const filesConnector = (system: string, directory: string) => createConnector(system, { engine: "files", directory })!;

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "pledge-files-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const dataset = {
  name: "access",
  path: "logs/access.jsonl",
  format: "jsonl" as const,
  fields: ["email"],
  primaryKey: [],
};
const temps = () => readdirSync(join(dir, "logs")).filter((f) => f.includes(".pledge-"));

it("a rewrite killed midway leaves no temporary file once the connector starts again, and the log whole", async () => {
  mkdirSync(join(dir, "logs"), { recursive: true });
  const lines = Array.from({ length: 400_000 }, (_, i) =>
    JSON.stringify({ email: `p${i}@example.org`, path: `/item/${i}`, padding: "x".repeat(40) }),
  );
  const original = `${lines.join("\n")}\n`;
  writeFileSync(join(dir, "logs/access.jsonl"), original);

  // A worker erasing one person's lines, killed with SIGKILL as soon as its temporary copy exists.
  const script = `import { createConnector } from "./src/connectors/index.js";
const c = createConnector("logs", { engine: "files", directory: ${JSON.stringify(dir)} });
await c.apply([{ kind: "delete", dataset: ${JSON.stringify(dataset)}, where: { field: "email", values: ["p7@example.org"] } }]);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const exited = new Promise((r) => child.once("exit", r));
  for (let i = 0; i < 600 && !temps().length; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(temps().length, 1, "the rewrite had started its temporary copy");
  child.kill("SIGKILL");
  await exited;
  assert.equal(temps().length, 1, "the kill left the copy behind");
  assert.equal(readFileSync(join(dir, "logs/access.jsonl"), "utf8"), original, "the log itself is the old one, whole");

  // A copy from a version without the pid in its name is a leftover as well.
  writeFileSync(join(dir, "logs/.access.jsonl.pledge-0123456789ab"), "someone@example.org\n");

  const c = filesConnector("logs", dir);
  const found = await c.find(dataset, { field: "email", values: ["p9@example.org"] });
  assert.equal(found.length, 1);
  assert.deepEqual(temps(), [], "both leftovers are gone");
  assert.ok(existsSync(join(dir, "logs/access.jsonl")));
  await c.close();
});

it("leaves alone the temporary file of a rewrite that a live process is running", async () => {
  const live = join(dir, "logs", `.other.jsonl.pledge-${process.ppid}-aaaaaaaaaaaa`);
  writeFileSync(live, "in progress\n");
  const c = filesConnector("logs2", dir);
  await c.ping();
  assert.ok(existsSync(live), "a live process's copy stays");
  rmSync(live);
  await c.close();
});
