/** Server-rendered pages (Hono JSX). Routes in `server` render these; no logic lives here. */
export { Page, renderPage, SITE_CSS } from "./layout.js";
export { NoticePage, VersionsPage, noticePageHtml, versionsPageHtml } from "./notice-pages.js";
