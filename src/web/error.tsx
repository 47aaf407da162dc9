/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The page a browser gets when something fails: in the site's style and language, never raw JSON. */
import type { FC } from "hono/jsx";
import { type Lang, type T, translator } from "./i18n.js";
import { Page, renderPage } from "./layout.js";

/**
 * What a person is told for an error, in their language: a 404 says the page does not exist; a bad link (a value in
 * the path that does not fit, as when a link is cut short) says to copy the whole link; a bad form names the field; a
 * 500 says nothing of the cause.
 */
function explain(status: number, code: string, message: string, t: T): { title: string; text: string } {
  if (status === 404)
    return {
      title: t("error.notFound"),
      text: message && code !== "not_found" ? message : t("error.checkAddress"),
    };
  if (/^params\./.test(message)) return { title: t("error.badLink"), text: t("error.badLinkText") };
  if (/^(body|query)\./.test(message)) {
    const fields = message.split("; ").map((part) => {
      const m = /^(?:body|query)\.([\w.]+): (.*)$/.exec(part);
      return m ? `${m[1].replace(/[._]/g, " ")}: ${m[2]}` : part;
    });
    return { title: t("error.checkInput"), text: t("error.checkInputText", { fields: fields.join("; ") }) };
  }
  if (status === 413) return { title: t("error.tooLarge"), text: t("error.tooLargeText") };
  if (status === 429) return { title: t("error.tooMany"), text: message || t("error.tooManyText") };
  if (status >= 500) return { title: t("error.ours"), text: t("error.oursText") };
  return { title: t("error.cannot"), text: message || t("error.cannotText") };
}

const ErrorPage: FC<{
  organization: string;
  status: number;
  code: string;
  message: string;
  lang: Lang;
  admin: boolean;
}> = ({ organization, status, code, message, lang, admin }) => {
  const t = translator(lang);
  const e = explain(status, code, message, t);
  const title = e.title;
  return (
    <Page title={`${title} — ${organization}`} organization={organization} lang={lang}>
      <h1>{title}</h1>
      <p role="alert">{e.text}</p>
      <p class="muted">{t("error.status", { status: String(status) })}</p>
      <p>
        {admin ? (
          <a href="/admin">Back to the console</a>
        ) : (
          <a href={lang === "en" ? "/privacy-center" : `/privacy-center?lang=${lang}`}>{t("error.back")}</a>
        )}
      </p>
    </Page>
  );
};

export const errorPageHtml = (p: Parameters<typeof ErrorPage>[0]) => renderPage(<ErrorPage {...p} />);
