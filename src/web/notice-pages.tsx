/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** Pages of the published notice: the current one, the list of versions, an earlier version. */
import type { FC } from "hono/jsx";
import {
  NOTICE_WORDS,
  NoticeArticle,
  type NoticeDoc,
  type NoticeLang,
  type PublishedVersion,
} from "../notice/index.js";
import { type DataMap, layoutDataMap, MapSvg } from "../map/index.js";
import { Page, renderPage } from "./layout.js";

export const NoticePage: FC<{ doc: NoticeDoc; archived?: boolean; map?: DataMap }> = ({ doc, archived, map }) => {
  const w = NOTICE_WORDS[doc.lang];
  return (
    <Page title={doc.title} organization={doc.organization} lang={doc.lang}>
      {archived ? (
        <p role="note">
          <strong>{w.earlierVersion}</strong>{" "}
          <a href={doc.lang === "en" ? "/privacy" : `/privacy?lang=${doc.lang}`}>{w.readCurrent}</a>.
        </p>
      ) : null}
      <NoticeArticle doc={doc} />
      {map?.edges.length ? (
        <section aria-labelledby="map-heading">
          <h2 id="map-heading">{w.mapHeading}</h2>
          <p>{w.mapLead}</p>
          {/* A wide map scrolls in its box: a keyboard reaches the box, a screen reader hears its name. */}
          <section class="mapwrap" tabindex={0} aria-labelledby="map-heading">
            <MapSvg layout={layoutDataMap(map)} title={w.mapTitle(doc.organization)} lang={doc.lang} />
          </section>
        </section>
      ) : null}
    </Page>
  );
};

export const VersionsPage: FC<{
  organization: string;
  versions: PublishedVersion[];
  current: string;
  lang?: NoticeLang;
}> = ({ organization, versions, current, lang = "en" }) => {
  const w = NOTICE_WORDS[lang].versions;
  return (
    <Page title={`${w.title} — ${organization}`} organization={organization} lang={lang}>
      <h1>{w.title}</h1>
      <div class="table">
        <table tabindex={0}>
          <thead>
            <tr>
              <th scope="col">{w.version}</th>
              <th scope="col">{w.effective}</th>
              <th scope="col">{w.published}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <td>
                  <a
                    href={
                      (v.version === current ? "/privacy" : `/privacy/versions/${encodeURIComponent(v.version)}`) +
                      (lang === "en" ? "" : `?lang=${lang}`)
                    }
                  >
                    {v.version}
                  </a>
                  {v.version === current ? ` ${w.current}` : ""}
                </td>
                <td>{v.effectiveDate}</td>
                <td>{v.publishedAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
};

/** The notice page as an HTML document. */
export const noticePageHtml = (props: { doc: NoticeDoc; archived?: boolean; map?: DataMap }) =>
  renderPage(<NoticePage {...props} />);

/** The versions page as an HTML document. */
export const versionsPageHtml = (props: Parameters<typeof VersionsPage>[0]) => renderPage(<VersionsPage {...props} />);
