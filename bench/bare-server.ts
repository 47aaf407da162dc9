/**
 * The baseline of bench/decisions and bench/access-gate: a bare Hono route on @hono/node-server that returns a
 * constant.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/healthz", (c) => c.json({ status: "ok" }));
app.get("/v1/decisions", (c) => c.json({ decision: "allow", reason: "constant" }));
app.get("/v1/access-grants/check", (c) => c.json({ decision: "allow", reason: "constant" }));
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
  process.stderr.write(`listening at http://127.0.0.1:${info.port}/privacy \n`),
);
