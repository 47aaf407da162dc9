/** The data map: a graph of where personal data lives and goes, drawn from the declaration (dagre layout, SVG). */
export {
  buildDataMap,
  simplifiedDataMap,
  filterDataMap,
  type DataMap,
  type MapEdge,
  type MapFilter,
  type MapNode,
  type NodeKind,
} from "./graph.js";
export {
  layoutDataMap,
  MAP_CSS,
  MapSvg,
  renderDataMapDot,
  renderDataMapSvg,
  transferBroken,
  transferLabel,
  type MapLayout,
  type PlacedEdge,
  type PlacedNode,
} from "./render.js";
