#!/usr/bin/env node
// The `pledge` command. It runs the compiled CLI, built by `npm run build` (which `npm ci` runs through `prepare`).
import "../dist/cli/main.js";
