/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The data map in the console (filters, the SVG, the same as a table with links) and the declaration's source. */
import type { FC } from "hono/jsx";
import { formatPath, writtenOf, type Declaration } from "../declaration/index.js";
import { buildNotice, statementsOf } from "../notice/index.js";
import {
  type DataMap,
  layoutDataMap,
  type MapFilter,
  type MapNode,
  MapSvg,
  transferBroken,
  transferLabel,
} from "../map/index.js";
import { AdminNav } from "./admin.js";
import { Page, renderPage } from "./layout.js";
import { DataTable } from "./components/index.js";

const KIND_NAMES: Record<string, string> = {
  purpose: "Purposes",
  system: "Systems",
  dataset: "Datasets",
  recipient: "Recipients",
  country: "Countries",
};

export const MapPage: FC<{
  decl: Declaration;
  map: DataMap;
  filter: MapFilter;
  categories: string[];
  countries: string[];
  /** The declaration's line of each node's part. */
  lineOf: (n: MapNode) => number | undefined;
  csrf?: string;
  user: string;
}> = ({ decl, map, filter, categories, countries, lineOf, csrf, user }) => {
  const layout = layoutDataMap(map);
  const href = (n: MapNode) => {
    const line = lineOf(n);
    return line ? `/admin/declaration#L${line}` : undefined;
  };
  const filtered = !!(filter.purpose || filter.category || filter.country);
  return (
    <Page
      title={`Data map — ${decl.organization.name}`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      <h1>Data map</h1>
      <p class="muted">
        Drawn from declaration {decl.version}: where personal data lives, what uses it, who receives it and where they
        are.
      </p>
      <form method="get" action="/admin/map">
        <div class="actions">
          <label>
            Purpose{" "}
            <select name="purpose">
              <option value="">all</option>
              {Object.entries(decl.purposes).map(([id, p]) => (
                <option value={id} selected={filter.purpose === id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Data category{" "}
            <select name="category">
              <option value="">all</option>
              {categories.map((c) => (
                <option value={c} selected={filter.category === c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            Country{" "}
            <select name="country">
              <option value="">all</option>
              {countries.map((c) => (
                <option value={c} selected={filter.country === c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Show</button>
          {filtered ? <a href="/admin/map">Clear</a> : null}
          <a
            href={
              `/admin/map.svg` +
              `${
                filtered
                  ? `?` + `${new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][])}`
                  : ""
              }`
            }
          >
            SVG file
          </a>
        </div>
      </form>
      <p class="legend muted">
        <span>▢ blue: systems and datasets</span>
        <span>◯ green: purposes</span>
        <span>▢ amber: recipients</span>
        <span>▢ grey: countries (dashed: outside the EEA)</span>
        <span>
          orange line: a transfer out of the EEA, with its safeguard; red dashed: an invalid safeguard or none
        </span>
      </p>
      {map.nodes.length ? (
        <div class="mapwrap">
          <MapSvg layout={layout} title={`Data map of ${decl.organization.name}`} href={href} />
        </div>
      ) : (
        <p class="empty">Nothing in the declaration matches these filters.</p>
      )}
      <h2>Transfers out of the EEA</h2>
      {map.edges.some((e) => e.transfer) ? (
        <DataTable id="transfers" head={["Recipient", "Country", "Safeguard", "Findings"]}>
          {map.edges
            .filter((e) => e.transfer)
            .map((e) => {
              const r = map.nodes.find((n) => n.id === e.from)!;
              return (
                <tr>
                  <td>{r.label}</td>
                  <td>{e.to.slice(8)}</td>
                  <td class={transferBroken(e.transfer!) ? "overdue" : undefined}>{transferLabel(e.transfer!)}</td>
                  <td>
                    {e.transfer!.findings.length ? (
                      <ul>
                        {e.transfer!.findings.map((f) => (
                          <li>{f}</li>
                        ))}
                      </ul>
                    ) : (
                      "none"
                    )}
                  </td>
                </tr>
              );
            })}
        </DataTable>
      ) : (
        <p class="empty">No transfer out of the EEA{filtered ? " in this view" : ""}.</p>
      )}
      <h2>Everything on the map</h2>
      {(["purpose", "system", "dataset", "recipient", "country"] as const).map((kind) => {
        const nodes = map.nodes.filter((n) => n.kind === kind);
        return nodes.length ? (
          <>
            <h3>{KIND_NAMES[kind]}</h3>
            <ul data-kind={kind}>
              {nodes.map((n) => {
                const link = href(n);
                const id = n.id.slice(n.kind.length + 1);
                return (
                  <li>
                    {link ? <a href={link}>{n.label}</a> : n.label}
                    {n.detail ? <span class="muted"> — {n.detail}</span> : null}
                    {n.categories.length && kind !== "system" ? (
                      <span class="muted"> ({n.categories.join(", ")})</span>
                    ) : null}
                    {kind === "system" ? (
                      <>
                        {" "}
                        · <a href={`/admin/discovery#system-${id}`}>last scan</a> ·{" "}
                        <a href={`/admin/retention#system-${id}`}>last sweep</a>
                      </>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </>
        ) : null;
      })}
    </Page>
  );
};

/**
 * The declaration's text with numbered, linkable lines (where the map's nodes point), and each sentence of the notice
 * beside the lines that state it: "why does my notice say this?"
 */
export const DeclarationSourcePage: FC<{
  decl: Declaration;
  file: string;
  source: string;
  csrf?: string;
  user: string;
}> = ({ decl, file, source, csrf, user }) => {
  const written = writtenOf(decl);
  const statements = statementsOf(buildNotice(decl, "en"));
  const lineOf = (p: readonly (string | number)[]) => written.locate?.(p)?.line;
  return (
    <Page
      title={`Declaration — ${decl.organization.name}`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      <h1>Declaration {decl.version}</h1>
      <p class="muted">
        {file} · <a href="#sentences">where each sentence of the notice comes from</a>
      </p>
      <ol class="src" tabindex={0}>
        {source.split("\n").map((line, i) => (
          <li id={`L${i + 1}`}>{line}</li>
        ))}
      </ol>
      <h2 id="sentences">Where each sentence of the notice comes from</h2>
      <p>
        Every sentence of the notice rests on the lines of the declaration that state it. A sentence with no line is the
        law's own requirement, worded by Pledge, with its article.
      </p>
      <DataTable head={["Section", "The notice says", "Because of"]} rows={statements.length}>
        {statements.map((st) => (
          <tr>
            <td>{st.title ?? st.section}</td>
            <td>{st.text}</td>
            <td>
              {[...st.src.paths, ...(st.src.anyOf ?? [])].map((p, i) => {
                const line = lineOf(p);
                return (
                  <>
                    {i ? (st.src.anyOf?.length && i >= st.src.paths.length ? " or " : ", ") : ""}
                    {line ? <a href={`#L${line}`}>{`line ${line}`}</a> : null} <code>{formatPath(p)}</code>
                  </>
                );
              })}
              {st.src.law ? (
                <>
                  {st.src.paths.length || st.src.anyOf?.length ? "; " : ""}
                  <span class="muted">the law: {st.src.law}</span>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </Page>
  );
};

export const mapPageHtml = (p: Parameters<typeof MapPage>[0]) => renderPage(<MapPage {...p} />);
export const declarationSourceHtml = (p: Parameters<typeof DeclarationSourcePage>[0]) =>
  renderPage(<DeclarationSourcePage {...p} />);
