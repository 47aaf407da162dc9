/**
 * The banner's browser bundles: `dist/banner.js` and its plugins `dist/gpp.js` and `dist/tcf.js` as built by
 * `npm run build`, or, when running from the sources, built from them with esbuild on first use
 * (`scripts/banner-bundles.mjs`, which also holds their size budgets).
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export type BundleName = "banner.js" | "gpp.js" | "tcf.js";

const cached = new Map<BundleName, Promise<string>>();

/** A minified bundle (the core banner without its configuration, or a plugin). */
export function bannerBundle(name: BundleName = "banner.js"): Promise<string> {
  let p = cached.get(name);
  if (!p) {
    p = (async () => {
      if (fileURLToPath(import.meta.url).includes("/src/")) {
        const build = (await import(new URL("../../scripts/banner-bundles.mjs", import.meta.url).href)) as {
          buildBundle(name: string): Promise<string>;
        };
        return build.buildBundle(name);
      }
      return readFile(new URL(`../${name}`, import.meta.url), "utf8");
    })();
    cached.set(name, p);
  }
  return p;
}
