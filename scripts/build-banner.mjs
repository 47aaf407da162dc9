// Builds the consent banner's browser bundle (dist/banner.js) with esbuild.
import { build } from "esbuild";

await build({
  entryPoints: ["src/consent/banner/banner.ts"],
  outfile: "dist/banner.js",
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019", "chrome90", "firefox90", "safari14"],
  legalComments: "none",
});
