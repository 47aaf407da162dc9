// The banner's browser bundles and their size budgets, shared by the build (scripts/build-banner.mjs) and by the
// server when it runs from the sources (src/consent/bundle.ts). Each is a minified IIFE built with esbuild.
//
// - banner.js: the core banner, loaded on every page (budget 5 KB gzipped).
// - gpp.js: the Global Privacy Platform plugin, @iabgpp/cmpapi with the US sections (15 KB). The library's encoder
//   also carries the TCF EU and Canada sections, the retired US Privacy (USP v1) section and a GVL loader, which a
//   US GPP plugin never sets: they are built as stubs that throw if anything reaches them.
// - tcf.js: the TCF v2.3 plugin, @iabtcf/core and @iabtcf/cmpapi (30 KB), without the vendor list it downloads.
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

export const BUDGETS = { "banner.js": 5 * 1024, "gpp.js": 15 * 1024, "tcf.js": 30 * 1024 };

const UNUSED_GPP_SECTIONS = new Set(["TcfEuV2", "TcfCaV1", "UspV1"]);

/** Replaces the GPP sections a US plugin never sets, and the GVL loader, with stubs that keep their names and ids. */
const gppStubs = {
  name: "gpp-unused-sections",
  setup(b) {
    b.onLoad({ filter: /@iabgpp[/\\]cmpapi[/\\]lib[/\\]mjs[/\\]GVL\.js$/ }, () => ({
      contents: 'export class GVL { constructor() { throw new Error("GVL is not part of the Pledge GPP plugin"); } }',
      loader: "js",
    }));
    b.onLoad({ filter: /@iabgpp[/\\]cmpapi[/\\]lib[/\\]mjs[/\\]encoder[/\\]section[/\\]\w+\.js$/ }, async (a) => {
      const name = a.path.split(/[/\\]/).pop().replace(/\.js$/, "");
      if (!UNUSED_GPP_SECTIONS.has(name)) return undefined;
      const real = (await import(a.path))[name];
      return {
        contents:
          `export class ${name} { static ID = ${real.ID}; static NAME = ${JSON.stringify(real.NAME)}; ` +
          `constructor() { throw new Error("the ${real.NAME} section is not part of the Pledge GPP plugin"); } }`,
        loader: "js",
      };
    });
  },
};

// The core runs on every browser the site's visitors use; the plugins, loaded by ad-tech pages, need class fields that
// esbuild cannot lower past ES2022 together with the IAB libraries' destructuring.
const CORE_TARGET = ["es2019", "chrome90", "firefox90", "safari14"];
const PLUGIN_TARGET = ["es2022", "chrome94", "firefox93", "safari16"];
const ENTRIES = {
  "banner.js": { entry: "src/consent/banner/banner.ts", plugins: [], target: CORE_TARGET },
  "gpp.js": { entry: "src/consent/banner/gpp.ts", plugins: [gppStubs], target: PLUGIN_TARGET },
  "tcf.js": { entry: "src/consent/banner/tcf.ts", plugins: [], target: PLUGIN_TARGET },
};

export const BUNDLE_NAMES = Object.keys(ENTRIES);

/** Builds one bundle; returns its text. */
export async function buildBundle(name) {
  const e = ENTRIES[name];
  if (!e) throw new Error(`no banner bundle ${name}`);
  const out = await build({
    absWorkingDir: ROOT,
    entryPoints: [e.entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: e.target,
    legalComments: "none",
    write: false,
    plugins: e.plugins,
  });
  return out.outputFiles[0].text;
}

/** The gzipped size of a bundle's text, and whether it is within its budget. */
export function checkBudget(name, text) {
  const size = gzipSync(text, { level: 9 }).length;
  return { name, size, budget: BUDGETS[name], ok: size <= BUDGETS[name] };
}
