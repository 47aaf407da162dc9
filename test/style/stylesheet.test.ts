/**
 * The one stylesheet: served under its hash with a year's cache, linked by every page, and inlined unescaped into the
 * files that stand alone (the notice as HTML), where escaped quotes once made browsers drop the whole font rule.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderNoticeHtml, buildNotice } from "../../src/notice/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import { stylesheetCss, stylesheetPath } from "../../src/style/index.js";
import { openStore } from "../../src/store/index.js";
import { example } from "../helpers/declarations.js";

describe("the stylesheet", () => {
  it("is Pico CSS with the theme after it, named by its hash, served with a year's cache, and linked by pages", async () => {
    const css = stylesheetCss();
    assert.match(css, /Pico CSS/);
    assert.ok(css.indexOf("Pico CSS") < css.indexOf(".console-shell"), "the theme comes after Pico");
    assert.match(stylesheetPath(), /^\/assets\/pledge-[0-9a-f]{12}\.css$/);
    const store = await openStore({ sqlitePath: ":memory:" });
    const loaded = example("numfocus-2020.yaml");
    const { app } = createApp({
      store,
      declaration: () => loaded,
      logger: createLogger({ level: "silent" }),
    });
    const res = await app.request(stylesheetPath());
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/css/);
    assert.match(res.headers.get("cache-control") ?? "", /max-age=31536000, immutable/);
    assert.equal(await res.text(), css);
    assert.equal((await app.request("/assets/pledge-000000000000.css")).status, 404, "an old name is not served");
    const page = await (await app.request("/privacy", { headers: { accept: "text/html" } })).text();
    assert.ok(page.includes(`<link rel="stylesheet" href="${stylesheetPath()}"/>`));
    assert.doesNotMatch(page, /<style>/, "no stylesheet written into the page");
    await store.close();
  });

  it("is inlined into the notice as a file, with its quotes as quotes", () => {
    const html = renderNoticeHtml(buildNotice(example("numfocus-2020.yaml").declaration));
    assert.ok(html.includes('"Segoe UI"'), "the font stack is readable CSS");
    assert.doesNotMatch(html.slice(0, html.indexOf("</style>")), /&quot;/);
  });
});
