/**
 * Benchmarks: `npm run bench -- <name>`. Each prints its figures and a ratio
 * against a baseline measured in the same run.
 */
const BENCHES: Record<string, () => Promise<unknown>> = {
  requests: () => import("./requests.js").then((m) => m.run()),
  decisions: () => import("./decisions.js").then((m) => m.run()),
  "access-gate": () => import("./access-gate.js").then((m) => m.run()),
  "consent-writes": () => import("./consent-writes.js").then((m) => m.run()),
  retention: () => import("./retention.js").then((m) => m.run()),
  scan: () => import("./scan.js").then((m) => m.run()),
  processors: () => import("./processors.js").then((m) => m.run()),
  start: () => import("./start.js").then((m) => m.run()),
  console: () => import("./console.js").then((m) => m.run()),
};

const name = process.argv[2];
if (!name || !BENCHES[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join("|")}>`);
  process.exit(2);
}
await BENCHES[name]();
