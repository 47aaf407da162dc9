import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseDeclaration } from "../../src/declaration/index.js";
import { createLogger, startServer, type RunningServer } from "../../src/server/index.js";
import { minimalYaml } from "../helpers/declarations.js";
import { forEachStore } from "../helpers/stores.js";

const silent = createLogger({ level: "silent" });
const v1 = parseDeclaration(minimalYaml(), "pledge.yaml");
const v2 = parseDeclaration(
  minimalYaml().replace('version: "1"', 'version: "2"').replace("name: Orders", "name: Orders and deliveries"),
  "pledge.yaml",
);

forEachStore("server over HTTP", (target) => {
  let server: RunningServer;
  before(async () => {
    // version 1 is served first, then the organization moves to version 2
    const first = await startServer({ ...target.options, declaration: v1, port: 0, logger: silent });
    await first.close();
    server = await startServer({
      ...target.options,
      declaration: v2,
      port: 0,
      logger: silent,
      env: { PLEDGE_METRICS_TOKEN: "metrics-token-for-tests", PLEDGE_METRICS_PORT: "0" },
    });
  });
  after(async () => {
    await server.close();
  });
  const get = (path: string, init?: RequestInit) => fetch(server.url + path, init);

  it("serves the current notice as HTML and Markdown", async () => {
    const res = await get("/privacy");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    const html = await res.text();
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<h1>Privacy notice — Acme GmbH<\/h1>/);
    assert.match(html, /Version 2, effective 2025-01-01/);
    assert.match(html, /Orders and deliveries/);
    const md = await get("/privacy?format=md");
    assert.match(md.headers.get("content-type") ?? "", /^text\/markdown/);
    assert.match(await md.text(), /^# Privacy notice — Acme GmbH/);
  });

  it("serves the notice in the browser's language, or the one asked for, and says so to caches", async () => {
    const de = await get("/privacy", { headers: { "accept-language": "de-DE,de;q=0.9,en;q=0.8" } });
    assert.equal(de.status, 200);
    assert.equal(de.headers.get("content-language"), "de");
    assert.match(de.headers.get("vary") ?? "", /accept-language/i);
    const html = await de.text();
    assert.match(html, /<html lang="de"[ >]/);
    assert.match(html, /<h1>Datenschutzerklärung — Acme GmbH<\/h1>/);
    assert.match(html, /Version 2, gültig ab 2025-01-01/);
    const fr = await get("/privacy?format=md&lang=fr", { headers: { "accept-language": "de" } });
    assert.equal(fr.headers.get("content-language"), "fr");
    assert.match(await fr.text(), /^# Politique de confidentialité — Acme GmbH/);
    const unknown = await get("/privacy", { headers: { "accept-language": "es-ES,es" } });
    assert.equal(unknown.headers.get("content-language"), "en");
    assert.equal((await get("/privacy?lang=xx")).status, 400);
    const versions = await (await get("/privacy/versions", { headers: { "accept-language": "de" } })).text();
    assert.match(versions, /<h1>Versionen der Datenschutzerklärung<\/h1>/);
    assert.match(versions, /<a href="\/privacy\/versions\/1\?lang=de">1<\/a>/);
    assert.match(html, /href="\/privacy\/versions\?lang=de">Frühere Versionen</);
  });

  it("keeps earlier versions readable", async () => {
    const list = (await (await get("/privacy/versions?format=json")).json()) as { versions: { version: string }[] };
    assert.deepEqual(
      list.versions.map((v) => v.version),
      ["2", "1"],
    );
    const old = await get("/privacy/versions/1");
    assert.equal(old.status, 200);
    const html = await old.text();
    assert.match(html, /This is an earlier version of the notice/);
    assert.match(html, /Version 1, effective/);
    assert.ok(!html.includes("Orders and deliveries"));
    const page = await (await get("/privacy/versions")).text();
    assert.match(page, /<a href="\/privacy\/versions\/1">1<\/a>/);
  });

  it("answers health and metrics", async () => {
    const health = await get("/healthz");
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok", store: target.name, declaration: "2" });
    // The metrics count the registers (open incidents, requests from authorities): not for anyone who asks.
    const anonymous = await get("/metrics");
    assert.equal(anonymous.status, 401);
    assert.match(await anonymous.text(), /PLEDGE_METRICS_TOKEN/);
    assert.equal((await get("/metrics", { headers: { authorization: "Bearer wrong" } })).status, 401);
    const metrics = await get("/metrics", { headers: { authorization: "Bearer metrics-token-for-tests" } });
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    assert.match(text, /^# TYPE pledge_http_requests_total counter$/m);
    assert.match(text, /^pledge_http_requests_total\{method="GET",route="\/privacy",status="200"\} \d+$/m);
    assert.match(text, /^pledge_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",le="\+Inf"\} 1$/m);
    assert.match(text, /^pledge_declaration_info\{version="2"\} 1$/m);
    assert.match(text, /^pledge_audit_entries \d+$/m);
    // The metrics listener, on its own port, answers without a token and serves nothing else.
    assert.ok(server.metricsPort && server.metricsPort !== server.port);
    const listener = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
    assert.equal(listener.status, 200);
    assert.match(await listener.text(), /^pledge_declaration_info\{version="2"\} 1$/m);
    assert.equal((await fetch(`http://127.0.0.1:${server.metricsPort}/privacy`)).status, 404);
  });

  it("publishes an OpenAPI document derived from the routes", async () => {
    const doc = (await (await get("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { parameters: { name: string; in: string; schema: { enum?: string[] } }[] }>
      >;
    };
    assert.equal(doc.openapi, "3.1.0");
    for (const p of [
      "/healthz",
      "/metrics",
      "/openapi.json",
      "/privacy",
      "/privacy/versions",
      "/privacy/versions/{version}",
    ])
      assert.ok(doc.paths[p], p);
    const params = doc.paths["/privacy/versions/{version}"].get.parameters;
    assert.ok(params.some((x) => x.name === "version" && x.in === "path"));
    assert.deepEqual(params.find((x) => x.name === "format")?.schema.enum, ["html", "md", "json"]);
  });

  it("answers errors as JSON in one shape", async () => {
    const missing = await get("/privacy/versions/9.9");
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: "not_found", message: "no published version '9.9'" } });
    const bad = await get("/privacy?format=pdf");
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "invalid_request");
    assert.match(body.error.message, /^query\.format: /);
    const nowhere = await get("/no/such/route");
    assert.equal(nowhere.status, 404);
    assert.equal(((await nowhere.json()) as { error: { code: string } }).error.code, "not_found");
  });
});

it("`pledge serve --demo` starts, serves the notice and stops on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-serve-"));
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url)),
      "serve",
      "--demo",
      "--port",
      "0",
    ],
    {
      env: { ...process.env, PLEDGE_SQLITE_PATH: join(dir, "p.db"), PLEDGE_LOG_LEVEL: "silent" },
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let err = "";
      child.stderr.on("data", (d) => {
        err += d;
        const m = /at (http:\/\/127\.0\.0\.1:\d+)\/privacy/.exec(err);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
      setTimeout(() => reject(new Error(`no URL after 20 s: ${err}`)), 20000);
    });
    // One connection, closed after the answer: a kept-alive socket reset by the exiting child
    // would surface as an uncaught ECONNRESET in this test process.
    const page = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      httpGet(`${url}/privacy`, { agent: false, headers: { connection: "close" } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      }).on("error", reject);
    });
    assert.equal(page.status, 200);
    assert.match(page.body, /Fjord Outfitters/);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", resolve);
      child.kill("SIGTERM");
    });
    assert.equal(code, 0);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
