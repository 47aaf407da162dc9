/** The log: a secret never reaches it, at whatever depth of a log object it sits. */
import assert from "node:assert/strict";
import { it } from "node:test";
import { createLogger } from "../../src/server/index.js";

it("redacts secret-looking keys at the top, deep inside and in lists, and keeps the rest", () => {
  const lines: string[] = [];
  const log = createLogger({ level: "info", destination: { write: (l: string) => void lines.push(l) } });
  log.info(
    {
      token: "top-level-token-value",
      request: { headers: { Authorization: "Bearer nested-bearer-value", cookie: "pledge_session=cookie-value" } },
      attempts: [{ user: "ada", password: "listed-password-value" }],
      deep: { a: { b: { c: { apiKey: "deep-api-key-value", status: 503 } } } },
      code: "123456",
      route: "/privacy-center/requests/:token",
    },
    "request",
  );
  log.error({ err: Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" }) }, "failed");
  const text = lines.join("");
  for (const secret of [
    "top-level-token-value",
    "nested-bearer-value",
    "cookie-value",
    "listed-password-value",
    "deep-api-key-value",
    "123456",
  ])
    assert.ok(!text.includes(secret), `${secret} reached the log`);
  const first = JSON.parse(lines[0]) as {
    token: string;
    request: { headers: { Authorization: string } };
    deep: { a: { b: { c: { status: number } } } };
    route: string;
  };
  assert.equal(first.token, "[redacted]");
  assert.equal(first.request.headers.Authorization, "[redacted]");
  assert.equal(first.deep.a.b.c.status, 503, "what is not secret stays");
  assert.equal(first.route, "/privacy-center/requests/:token");
  const second = JSON.parse(lines[1]) as { err: { message: string; stack: string } };
  assert.equal(second.err.message, "connection refused", "errors keep their message and stack");
  assert.match(second.err.stack, /connection refused/);
});
