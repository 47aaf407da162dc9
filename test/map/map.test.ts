/** The data map from a declaration: what it holds, how filters narrow it, transfers marked, and the CLI's outputs. */
import assert from "node:assert/strict";
import { it } from "node:test";
import { lintDeclaration, loadDeclaration } from "../../src/declaration/index.js";
import {
  buildDataMap,
  filterDataMap,
  renderDataMapDot,
  renderDataMapSvg,
  simplifiedDataMap,
} from "../../src/map/index.js";
import { runCli } from "../helpers/cli.js";

const demo = (await loadDeclaration("demo/pledge.yaml")).declaration;
const lutron = (await loadDeclaration("examples/lutron-remote-service-2021.yaml")).declaration;

it("the demo's map has every system, dataset, purpose, recipient and country of the declaration", () => {
  const map = buildDataMap(demo, lintDeclaration(demo));
  const ids = new Set(map.nodes.map((n) => n.id));
  for (const s of Object.keys(demo.systems)) assert.ok(ids.has(`system:${s}`), s);
  for (const [s, sys] of Object.entries(demo.systems))
    for (const d of Object.keys(sys.datasets)) assert.ok(ids.has(`dataset:${s}.${d}`), `${s}.${d}`);
  for (const p of Object.keys(demo.purposes)) assert.ok(ids.has(`purpose:${p}`), p);
  for (const [r, rec] of Object.entries(demo.recipients)) {
    assert.ok(ids.has(`recipient:${r}`), r);
    if (rec.country) assert.ok(ids.has(`country:${rec.country}`), rec.country);
  }
  // Every edge joins two nodes of the map.
  for (const e of map.edges) assert.ok(ids.has(e.from) && ids.has(e.to), `${e.from} → ${e.to}`);
});

it("filtering by a data category keeps only where it lives and goes", () => {
  const map = buildDataMap(demo);
  const email = filterDataMap(map, { category: "user.contact.email" });
  assert.ok(email.nodes.length < map.nodes.length);
  for (const n of email.nodes.filter((x) => x.kind === "dataset" || x.kind === "purpose"))
    assert.ok(
      n.categories.some(
        (c) =>
          c === "user.contact.email" || c.startsWith("user.contact.email.") || "user.contact.email".startsWith(`${c}.`),
      ),
      `${n.id} holds or uses email`,
    );
  // A dataset holding no email is gone, and so is a purpose that uses none.
  const noEmail = map.nodes.filter(
    (n) => n.kind === "dataset" && !n.categories.some((c) => c.startsWith("user.contact.email")),
  );
  assert.ok(noEmail.length > 0);
  for (const n of noEmail) assert.ok(!email.nodes.some((x) => x.id === n.id), n.id);
  // By purpose and by country.
  const one = filterDataMap(map, { purpose: "newsletter" });
  assert.deepEqual(
    one.nodes.filter((n) => n.kind === "purpose").map((n) => n.id),
    ["purpose:newsletter"],
  );
  const us = filterDataMap(map, { country: "US" });
  assert.ok(us.nodes.some((n) => n.id === "country:US"));
  assert.ok(!us.nodes.some((n) => n.kind === "country" && n.id !== "country:US"));
});

it("transfers out of the EEA carry their safeguard and findings; Privacy Shield is invalid", async () => {
  const map = buildDataMap(lutron, lintDeclaration(lutron));
  const cloud = map.edges.find((e) => e.from === "recipient:us_cloud_providers")!;
  assert.deepEqual(cloud.transfer?.invalid, ["privacy_shield"]);
  assert.ok(cloud.transfer?.findings.some((f) => /Privacy Shield, invalid since 2020-07-16/.test(f)));
  const svg = await renderDataMapSvg(map, "Lutron");
  assert.match(svg, /^<\?xml[\s\S]*<svg[^>]*role="img"/);
  assert.match(svg, /class="transfer invalid"/);
  assert.match(svg, /INVALID: privacy shield/);
  assert.match(
    renderDataMapDot(map, "Lutron"),
    /"recipient:us_cloud_providers" -> "country:US" \[label="INVALID: privacy shield", color="red", style=dashed\]/,
  );
  // People's map: no systems, no datasets, no findings.
  const people = simplifiedDataMap(map);
  assert.ok(people.nodes.every((n) => ["purpose", "recipient", "country"].includes(n.kind)));
  assert.ok(people.edges.every((e) => !e.transfer || e.transfer.findings.length === 0));
  // The notice states only what the declaration states: no "invalid", no "no safeguard", no adequacy it did not claim.
  const peopleSvg = await renderDataMapSvg(people, "Lutron");
  assert.doesNotMatch(peopleSvg, /INVALID|no safeguard|adequacy decision|class="transfer invalid"/);
  assert.match(peopleSvg, /privacy shield, scc 2021/, "the safeguards as the declaration names them");
});

it("`pledge map` writes SVG, DOT and JSON, and refuses an unknown purpose", async () => {
  const svg = await runCli(["map", "examples/lutron-remote-service-2021.yaml"]);
  assert.equal(svg.code, 0, svg.stderr);
  assert.match(svg.stdout, /<svg/);
  const dot = await runCli(["map", "demo/pledge.yaml", "--format", "dot", "--category", "user.contact.email"]);
  assert.equal(dot.code, 0);
  assert.match(dot.stdout, /^digraph /);
  const json = await runCli(["map", "demo/pledge.yaml", "--format", "json", "--country", "us"]);
  assert.equal(json.code, 0);
  assert.ok((JSON.parse(json.stdout) as { nodes: { id: string }[] }).nodes.some((n) => n.id === "country:US"));
  const bad = await runCli(["map", "demo/pledge.yaml", "--purpose", "newsleter"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no purpose 'newsleter'; did you mean 'newsletter'/);
});
