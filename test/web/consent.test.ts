/** The console's consent page: an empty register says so, without an empty table under it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SubscriptionRecord } from "../../src/consent/index.js";
import { parseDeclaration } from "../../src/declaration/index.js";
import { consentConsoleHtml } from "../../src/web/index.js";
import { minimalYaml } from "../helpers/declarations.js";

describe("the console's consent page", () => {
  const decl = parseDeclaration(minimalYaml()).declaration;

  it("says there are no subscriptions instead of drawing an empty table", async () => {
    const html = await consentConsoleHtml({ decl, rates: [], subscriptions: [], user: "olga" });
    assert.match(html, /<p class="empty">No subscriptions yet\.<\/p>/);
    assert.doesNotMatch(html, /Signed up \(IP\)/);
  });

  it("lists each subscription with its proof", async () => {
    const s = {
      list: "weekly",
      email: "ann@example.org",
      status: "confirmed",
      unsubscribed_at: null,
      signup_at: "2026-12-01T10:00:00.000Z",
      signup_ip: "203.0.113.7",
      mail_sent_at: null,
      mail_text: null,
      confirmed_at: "2026-12-01T10:05:00.000Z",
      confirm_ip: "203.0.113.7",
      declaration_version: "1",
    } as unknown as SubscriptionRecord;
    const html = await consentConsoleHtml({
      decl,
      rates: [],
      subscriptions: [s],
      user: "olga",
      canRevoke: true,
      csrf: "t",
    });
    assert.match(html, /<th scope="col">Signed up \(IP\)<\/th>/);
    assert.match(html, /<td>ann@example\.org<\/td>/);
    assert.match(html, /2026-12-01 10:00 \(203\.0\.113\.7\)/);
    assert.match(html, /name="_csrf" value="t"/);
    assert.doesNotMatch(html, /No subscriptions yet/);
  });
});
