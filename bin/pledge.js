#!/usr/bin/env node
// The `pledge` command: runs the compiled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
import { main } from "../dist/cli/index.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
