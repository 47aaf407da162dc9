/** The shape of the code: no import cycles between modules, domains reach each other only through `index.ts`, and lines
 * fit 120 columns. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

const SRC = resolve(import.meta.dirname, "../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Each module's relative imports that exist at run time (an `import type` is erased by the compiler). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b(?!\s+type\b)[^;]*?\bfrom\s+"(\.[^"]+)"/g)].map(
      (m) => {
        const spec = m[1].replace(/\.js$/, "");
        const base = resolve(dirname(file), spec);
        for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, "index.ts")])
          if (sources(dirname(candidate)).includes(candidate)) return relative(SRC, candidate);
        return relative(SRC, `${base}.ts`);
      },
    );
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

test("no module imports itself through a cycle", () => {
  const graph = importGraph();
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" → "));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  assert.deepEqual(cycles, []);
});

test("a domain imports another domain only through its index.ts", () => {
  const wrong: string[] = [];
  for (const [file, targets] of importGraph()) {
    const domain = file.split("/")[0];
    for (const t of targets) {
      const [other, ...rest] = t.split("/");
      if (other !== domain && rest.join("/") !== "index.ts") wrong.push(`${file} → ${t}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("no line of src/ is wider than 120 columns", () => {
  const wide = sources(SRC).flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) => (line.length > 120 ? [`${relative(SRC, file)}:${i + 1} (${line.length})`] : [])),
  );
  assert.deepEqual(wide, []);
});
