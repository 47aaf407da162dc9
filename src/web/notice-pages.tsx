/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** Pages of the published notice: the current one, the list of versions, an earlier version. */
import type { FC } from "hono/jsx";
import { NoticeArticle, type NoticeDoc, type PublishedVersion } from "../notice/index.js";
import { type DataMap, layoutDataMap, MapSvg } from "../map/index.js";
import { Page, renderPage } from "./layout.js";

export const NoticePage: FC<{ doc: NoticeDoc; archived?: boolean; map?: DataMap }> = ({ doc, archived, map }) => (
  <Page title={doc.title} organization={doc.organization}>
    {archived ? (
      <p role="note">
        <strong>This is an earlier version of the notice.</strong> <a href="/privacy">Read the current notice</a>.
      </p>
    ) : null}
    <NoticeArticle doc={doc} />
    {map?.edges.length ? (
      <section aria-labelledby="map-heading">
        <h2 id="map-heading">Where your data goes</h2>
        <p>
          Each purpose, the recipients it shares data with, and the countries they are in, as this notice states them.
        </p>
        <div style="overflow-x:auto">
          <MapSvg layout={layoutDataMap(map)} title={`Where ${doc.organization} sends personal data`} />
        </div>
      </section>
    ) : null}
  </Page>
);

export const VersionsPage: FC<{ organization: string; versions: PublishedVersion[]; current: string }> = ({
  organization,
  versions,
  current,
}) => (
  <Page title={`Versions of the privacy notice — ${organization}`} organization={organization}>
    <h1>Versions of the privacy notice</h1>
    <table>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Effective</th>
          <th scope="col">Published</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr>
            <td>
              <a href={v.version === current ? "/privacy" : `/privacy/versions/${encodeURIComponent(v.version)}`}>
                {v.version}
              </a>
              {v.version === current ? " (current)" : ""}
            </td>
            <td>{v.effectiveDate}</td>
            <td>{v.publishedAt.slice(0, 10)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </Page>
);

/** The notice page as an HTML document. */
export const noticePageHtml = (props: { doc: NoticeDoc; archived?: boolean; map?: DataMap }) =>
  renderPage(<NoticePage {...props} />);

/** The versions page as an HTML document. */
export const versionsPageHtml = (props: { organization: string; versions: PublishedVersion[]; current: string }) =>
  renderPage(<VersionsPage {...props} />);
