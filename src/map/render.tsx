/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The data map laid out with dagre (left to right: purposes, then systems and recipients, then datasets and
 * countries) and drawn as SVG on the server; the same graph as Graphviz DOT and as JSON.
 */
import dagre from "@dagrejs/dagre";
import { NOTICE_WORDS, type NoticeLang } from "../notice/index.js";
import type { DataMap, MapEdge, MapNode } from "./graph.js";

export interface PlacedNode extends MapNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends MapEdge {
  points: { x: number; y: number }[];
}

export interface MapLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const CHAR = 7.2;
const sizeOf = (n: MapNode) => ({
  width: Math.min(260, Math.max(90, Math.max(n.label.length, (n.detail ?? "").length) * CHAR + 24)),
  height: n.detail ? 44 : 30,
});
const clip = (s: string) => (s.length > 34 ? `${s.slice(0, 33)}…` : s);

/** Places every node and routes every edge. */
export function layoutDataMap(map: DataMap): MapLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 14, ranksep: 70, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of map.nodes) g.setNode(n.id, sizeOf({ ...n, label: clip(n.label) }));
  map.edges.forEach((e, i) => {
    g.setEdge(e.from, e.to, {}, String(i));
  });
  dagre.layout(g);
  const graph = g.graph();
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: map.nodes.map((n) => {
      const p = g.node(n.id);
      return { ...n, x: p.x, y: p.y, width: p.width, height: p.height };
    }),
    edges: map.edges.map((e, i) => ({ ...e, points: g.edge({ v: e.from, w: e.to, name: String(i) }).points ?? [] })),
  };
}

export const MAP_CSS = `.map .n rect{stroke-width:1.5}.map .system rect{fill:#e8f0fe;stroke:#0b57d0}
.map .dataset rect{fill:#f3f6fc;stroke:#7a9cd9}
.map .purpose rect{fill:#eef7f0;stroke:#2f7d46}.map .recipient rect{fill:#fff6e5;stroke:#b26b00}
.map .country rect{fill:#f5f5f8;stroke:#6b6b78}
.map .country.outside rect{stroke:#b3261e;stroke-dasharray:4 2}.map text{font:12px system-ui,sans-serif;fill:#1d1d1f}
.map text.d{fill:#5b5b66;font-size:11px}
.map path{fill:none;stroke:#9a9aa6;stroke-width:1.2}.map path.transfer{stroke:#c77700;stroke-width:2}
.map path.invalid{stroke:#b3261e;stroke-width:2.5;stroke-dasharray:6 3}
.map text.t{font-size:10.5px;fill:#8a5300}.map text.t.invalid{fill:#b3261e;font-weight:600}
.map a:focus rect{stroke-width:3}`;

const pathOf = (pts: { x: number; y: number }[]) =>
  pts.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");

/** A transfer on an invalid tool (Privacy Shield, Safe Harbor) or on none where the country is not adequate. */
export const transferBroken = (t: NonNullable<MapEdge["transfer"]>) =>
  !t.declaredOnly && (t.invalid.length > 0 || (t.mechanisms.length === 0 && !t.adequate));

/** The safeguard text an edge to a country outside the EEA carries. */
export function transferLabel(t: NonNullable<MapEdge["transfer"]>): string {
  // The notice says only what the declaration says: its safeguards as named, or nothing.
  if (t.declaredOnly) return t.mechanisms.join(", ").replace(/_/g, " ");
  if (t.invalid.length) return `INVALID: ${t.invalid.join(", ").replace(/_/g, " ")}`;
  if (t.mechanisms.length) return t.mechanisms.join(", ").replace(/_/g, " ");
  return t.adequate ? "adequacy decision" : "no safeguard stated";
}

/**
 * The map as an SVG element. `href` gives each node's link (none in a file written by the CLI).
 *
 * ```ts
 * const svg = String(await (<MapSvg layout={layoutDataMap(map)} title="Data map" />));
 * ```
 */
export const MapSvg = ({
  layout,
  title,
  href,
  lang = "en",
}: {
  layout: MapLayout;
  title: string;
  href?: (n: MapNode) => string | undefined;
  /** The language of the page it is on: the map's own words are in it; a safeguard's name stays English, marked so. */
  lang?: NoticeLang;
}) => {
  const w = NOTICE_WORDS[lang].map;
  const count = (kind: MapNode["kind"]) => layout.nodes.filter((n) => n.kind === kind).length;
  const detail = (d: string) => (d === "outside the EEA" ? w.outsideEea : d === "EEA" ? w.eea : d);
  // Safeguards and findings are named in English wherever the map is shown.
  const en = lang === "en" ? undefined : "en";
  return (
    <svg
      class="map"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      height={layout.height}
      // With links it is a group a screen reader walks through, each box a link it announces; without, one image.
      role={href ? "group" : "img"}
      aria-labelledby="map-title map-desc"
    >
      <title id="map-title">{title}</title>
      <desc id="map-desc">
        {w.desc({
          systems: count("system"),
          purposes: count("purpose"),
          recipients: count("recipient"),
          countries: count("country"),
          transfers: layout.edges.filter((e) => e.transfer).length,
        })}
      </desc>
      <style>{MAP_CSS}</style>
      {layout.edges.map((e) => {
        const cls = e.transfer ? (transferBroken(e.transfer) ? "transfer invalid" : "transfer") : "";
        const mid = e.points[Math.floor(e.points.length / 2)];
        return (
          <g>
            <path class={cls} d={pathOf(e.points)} marker-end="url(#arrow)" />
            {e.transfer && mid && transferLabel(e.transfer) ? (
              <text
                class={`t${cls.includes("invalid") ? " invalid" : ""}`}
                x={mid.x}
                y={mid.y - 4}
                text-anchor="middle"
                lang={en}
              >
                {transferLabel(e.transfer)}
              </text>
            ) : null}
          </g>
        );
      })}
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="10"
          refY="5"
          markerWidth="6"
          markerHeight="6"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#9a9aa6" stroke="none" />
        </marker>
      </defs>
      {layout.nodes.map((n) => {
        const name =
          `${w.kinds[n.kind]}: ${n.label}${n.detail ? ` (${detail(n.detail)})` : ""}` +
          `${n.categories.length ? ` — ${n.categories.join(", ")}` : ""}`;
        const link = href?.(n);
        const box = (
          <g
            class={`n ${n.kind}${n.kind === "country" && n.detail === "outside the EEA" ? " outside" : ""}`}
            data-node={n.id}
          >
            <rect
              x={n.x - n.width / 2}
              y={n.y - n.height / 2}
              width={n.width}
              height={n.height}
              rx={n.kind === "purpose" ? 14 : 4}
            />
            <text x={n.x} y={n.y + (n.detail ? -3 : 4)} text-anchor="middle">
              {clip(n.label)}
            </text>
            {n.detail ? (
              // A country's place is in the page's language; a recipient's role and code stay English, marked so.
              <text class="d" x={n.x} y={n.y + 13} text-anchor="middle" lang={n.kind === "country" ? undefined : en}>
                {clip(detail(n.detail))}
              </text>
            ) : null}
            {link ? null : <title>{name}</title>}
          </g>
        );
        // A link's name starts with the words it shows (WCAG 2.5.3), then says what the box is.
        const shown = `${clip(n.label)}${n.detail ? ` ${clip(detail(n.detail))}` : ""}`;
        return link ? (
          <a href={link}>
            {/* The link's name (SVG's title), starting with the words it shows (WCAG 2.5.3). */}
            <title>{`${shown}; ${name}`}</title>
            {box}
          </a>
        ) : (
          box
        );
      })}
    </svg>
  );
};

/** A complete SVG document of the map (what `pledge map --format svg` writes). */
export async function renderDataMapSvg(map: DataMap, title: string): Promise<string> {
  const layout = layoutDataMap(map);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${String(await (<MapSvg layout={layout} title={title} />))}\n`;
}

const dotId = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** The map in Graphviz DOT, for `dot -Tsvg` or any tool that reads it. */
export function renderDataMapDot(map: DataMap, title: string): string {
  const shape: Record<string, string> = {
    system: "box",
    dataset: "note",
    purpose: "ellipse",
    recipient: "component",
    country: "house",
  };
  const lines = [`digraph ${dotId(title)} {`, "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=11];'];
  for (const n of map.nodes)
    lines.push(
      `  ${dotId(n.id)} [label=${dotId(n.detail ? `${n.label}\n${n.detail}` : n.label)}, shape=${shape[n.kind]}];`,
    );
  for (const e of map.edges) {
    const attrs = [`label=${dotId(e.transfer ? transferLabel(e.transfer) : e.kind)}`];
    if (e.transfer) attrs.push(transferBroken(e.transfer) ? 'color="red", style=dashed' : 'color="orange"');
    lines.push(`  ${dotId(e.from)} -> ${dotId(e.to)} [${attrs.join(", ")}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
