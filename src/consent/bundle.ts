/**
 * The banner's browser bundle: `dist/banner.js` as built by `npm run build`,
 * or, when running from the sources, built from them with esbuild on first use.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

let cached: Promise<string> | undefined;

/** The minified banner script (without its configuration). */
export function bannerBundle(): Promise<string> {
  cached ??= (async () => {
    const here = fileURLToPath(import.meta.url);
    if (here.includes("/src/")) {
      const { build } = await import("esbuild");
      const out = await build({
        entryPoints: [fileURLToPath(new URL("./banner/banner.ts", import.meta.url))],
        bundle: true,
        minify: true,
        format: "iife",
        target: ["es2019", "chrome90", "firefox90", "safari14"],
        legalComments: "none",
        write: false,
      });
      return out.outputFiles[0].text;
    }
    return readFile(new URL("../banner.js", import.meta.url), "utf8");
  })();
  return cached;
}
