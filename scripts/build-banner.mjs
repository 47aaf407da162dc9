// Builds the consent banner and its plugins (dist/banner.js, dist/gpp.js, dist/tcf.js) with esbuild, and fails when
// one is larger, gzipped, than its budget (scripts/banner-bundles.mjs).
import { mkdirSync, writeFileSync } from "node:fs";
import { BUNDLE_NAMES, buildBundle, checkBudget } from "./banner-bundles.mjs";

mkdirSync("dist", { recursive: true });
let over = 0;
for (const name of BUNDLE_NAMES) {
  const text = await buildBundle(name);
  writeFileSync(`dist/${name}`, text);
  const b = checkBudget(name, text);
  console.log(`${name.padEnd(10)} ${(b.size / 1024).toFixed(1)} KB gzipped (budget ${b.budget / 1024} KB)`);
  if (!b.ok) {
    console.error(`${name}: ${b.size} bytes gzipped, over its budget of ${b.budget}`);
    over++;
  }
}
if (over) process.exit(1);
