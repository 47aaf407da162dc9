import assert from "node:assert/strict";
import { it } from "node:test";
import { DEMO_DECLARATION } from "../../src/cli/index.js";
import { categoriesReceived, identitiesReceived, loadDeclaration } from "../../src/declaration/index.js";

it("a recipient receives the categories of its purposes, and so the identifiers stored under them", async () => {
  const { declaration: d } = await loadDeclaration(DEMO_DECLARATION);
  assert.deepEqual(categoriesReceived(d, "meta").sort(), ["user.behavior.browsing_history", "user.device.cookie_id"]);
  assert.deepEqual(
    identitiesReceived(d, "meta"),
    ["device_id"],
    "the ad partner got a device id, not the email, phone or account",
  );
  assert.deepEqual(identitiesReceived(d, "sendgrid"), ["email", "ip_address"]);
  assert.deepEqual(identitiesReceived(d, "postmark"), ["account_id", "email", "phone"]);
  assert.deepEqual(
    identitiesReceived(d, "stripe"),
    ["email", "ip_address"],
    "invoices carry the buyer's email; fraud checks send the IP address",
  );
  assert.deepEqual(identitiesReceived(d, "trailpoints"), ["email"], "the points programme got the email");
  assert.deepEqual(identitiesReceived(d, "nobody"), []);
  assert.deepEqual(identitiesReceived(d, "constructor"), []);
});
