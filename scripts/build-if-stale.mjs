// Builds dist/ only when a source is newer than the last build: `npm start` reaches its first answer in
// about a second once installed (`npm ci` builds through `prepare`), and still runs current code after an edit.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const STAMP = "dist/.build-stamp";
const inputs = ["src", "tsconfig.json", "tsconfig.build.json", "package.json", "scripts/build-banner.mjs"];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((e) => newest(join(path, e))));
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
if (Math.max(...inputs.filter(existsSync).map(newest)) > built) {
  process.stderr.write("Building dist/ (sources changed since the last build)…\n");
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
}
