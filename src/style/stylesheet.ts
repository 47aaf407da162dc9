/**
 * The one stylesheet of every page: Pico CSS (classless defaults, forms, tables) with Pledge's theme after it.
 * Served as a static file under a name that carries its hash, so browsers keep it for a year and a new release
 * is fetched at once. Standalone documents (the notice as HTML, an export's summary) inline the same text.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { THEME_CSS } from "./theme.js";

let built: { css: string; path: string } | undefined;

function build() {
  if (built) return built;
  const pico = readFileSync(createRequire(import.meta.url).resolve("@picocss/pico/css/pico.min.css"), "utf8");
  const css = `${pico.replace(/\/\*# sourceMappingURL=.*?\*\//, "")}\n${THEME_CSS}`;
  const hash = createHash("sha256").update(css).digest("hex").slice(0, 12);
  built = { css, path: `/assets/pledge-${hash}.css` };
  return built;
}

/** The stylesheet's address, with its content hash in the name. */
export const stylesheetPath = (): string => build().path;
/** The stylesheet's text. */
export const stylesheetCss = (): string => build().css;
