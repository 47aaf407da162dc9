/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The page a browser gets when something fails: in the site's style and language, never raw JSON. */
import type { FC } from "hono/jsx";
import { type Lang, translator } from "./i18n.js";
import { Page, renderPage } from "./layout.js";

/**
 * What a person is told for an error: a 404 says the page does not exist; a bad link (a value in the path that does
 * not fit, as when a link is cut short) says to copy the whole link; a bad form names the field; a 500 says nothing
 * of the cause.
 */
function explain(status: number, code: string, message: string): { title: string; text: string } {
  if (status === 404)
    return {
      title: "This page does not exist",
      text: message && code !== "not_found" ? message : "Check the address, or start from the links above.",
    };
  if (/^params\./.test(message))
    return {
      title: "This link is not valid",
      text:
        "It may have been cut short by your email program. Copy the whole link from " +
        "the email into the address bar.",
    };
  if (/^(body|query)\./.test(message)) {
    const fields = message.split("; ").map((part) => {
      const m = /^(?:body|query)\.([\w.]+): (.*)$/.exec(part);
      return m ? `${m[1].replace(/[._]/g, " ")}: ${m[2]}` : part;
    });
    return {
      title: "Please check what you entered",
      text: `${fields.join("; ")}. Go back, correct it and send it again.`,
    };
  }
  if (status === 413) return { title: "That is too large", text: "The file or form is larger than we accept." };
  if (status === 429) return { title: "Too many tries", text: message || "Wait a few minutes and try again." };
  if (status >= 500) return { title: "Something went wrong on our side", text: "Please try again in a few minutes." };
  return { title: "This cannot be done", text: message || "Go back and try again." };
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
  const e = explain(status, code, message);
  const title = lang === "en" ? e.title : status === 404 ? t("error.notFound") : t("error.title");
  return (
    <Page title={`${title} — ${organization}`} organization={organization} lang={lang}>
      <h1>{title}</h1>
      <p role="alert">{e.text}</p>
      <p class="muted">Error {status}</p>
      <p>
        {admin ? (
          <a href="/admin">Back to the console</a>
        ) : (
          <a href={lang === "en" ? "/privacy-center" : `/privacy-center?lang=${lang}`}>
            {lang === "en" ? "Back to the privacy center" : t("error.back")}
          </a>
        )}
      </p>
    </Page>
  );
};

export const errorPageHtml = (p: Parameters<typeof ErrorPage>[0]) => renderPage(<ErrorPage {...p} />);
