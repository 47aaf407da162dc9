/** Server-rendered pages (Hono JSX). Routes in `server` render these; no logic lives here. */
export { Page, renderPage } from "./layout.js";
export { NoticePage, VersionsPage, noticePageHtml, versionsPageHtml } from "./notice-pages.js";
export {
  requestFormHtml,
  verifyPageHtml,
  statusPageHtml,
  STATUS_SCRIPT,
  messagePageHtml,
  RIGHT_CITES,
  identityLabel,
  JURISDICTIONS,
  type FormState,
} from "./privacy-center.js";
export { loginPageHtml, requestListHtml, requestDetailHtml, approvePreviewHtml } from "./admin.js";
export {
  newsletterFormHtml,
  newsletterMessageHtml,
  newsletterConfirmHtml,
  unsubscribePageHtml,
  newsletterPreferencesHtml,
  consentConsoleHtml,
} from "./consent.js";
export { retentionPageHtml, sweepPreviewHtml } from "./retention.js";
export { discoveryPageHtml } from "./discovery.js";
export * from "./governance.js";
export * from "./agents.js";
export * from "./account.js";
export * from "./home.js";
export * from "./map.js";
export * from "./dpia.js";
export { LANGS, type Lang, negotiateLang, pageTexts, translator, unknownTextFindings } from "./i18n.js";
export { errorPageHtml } from "./error.js";
export { requestEntryHtml, bulkPreviewHtml } from "./workbench.js";
export { count, plural } from "./components/index.js";
