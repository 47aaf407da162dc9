/** A request context for tests: real store and connectors, a mailer that keeps what it sends, an adjustable clock. */
import type { Declaration, LoadedDeclaration } from "../../src/declaration/index.js";
import type { Mailer, MailMessage } from "../../src/mail/index.js";
import { DEFAULT_SETTINGS, runDueTasks, type RequestSettings, type RequestsContext } from "../../src/requests/index.js";
import { createApp, createLogger } from "../../src/server/index.js";
import type { Store } from "../../src/store/index.js";

export interface TestMailer extends Mailer {
  sent: MailMessage[];
  /** The last verification code mailed to `to`. */
  codeFor(to: string): string;
}

export function testMailer(): TestMailer {
  const sent: MailMessage[] = [];
  return {
    mode: "smtp",
    sent,
    async send(m) {
      sent.push(m);
      return { messageId: String(sent.length) };
    },
    codeFor(to) {
      const m = [...sent].reverse().find((x) => x.to === to && /verification code is (\d{6})/.test(x.text));
      if (!m) throw new Error(`no code mailed to ${to}`);
      return /verification code is (\d{6})/.exec(m.text)![1];
    },
  };
}

export interface TestContext extends RequestsContext {
  mailer: TestMailer;
  /** Moves the clock forward. */
  advance(ms: number): void;
}

export function testContext(
  store: Store,
  decl: Declaration,
  options: { env?: Record<string, string | undefined>; cwd?: string; settings?: Partial<RequestSettings> } = {},
): TestContext {
  let offset = 0;
  const mailer = testMailer();
  return {
    store,
    declaration: () => decl,
    mailer,
    publicUrl: "http://pledge.test",
    env: { PLEDGE_SECRET: "test-secret", ...options.env },
    cwd: options.cwd ?? process.cwd(),
    clock: () => new Date(Date.now() + offset),
    settings: { ...DEFAULT_SETTINGS, backoffBaseMs: 50, backoffMaxMs: 200, leaseMs: 5000, ...options.settings },
    advance(ms) {
      offset += ms;
    },
  };
}

/** Runs due tasks until the request is closed or `timeoutMs` passes; returns its final status. */
export async function runUntilSettled(ctx: RequestsContext, requestId: string, timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await runDueTasks(ctx);
    const r = await ctx.store.db
      .selectFrom("requests")
      .select("status")
      .where("id", "=", requestId)
      .executeTakeFirstOrThrow();
    if (["completed", "denied", "needs_attention"].includes(r.status) || Date.now() > end) return r.status;
    await new Promise((res) => setTimeout(res, 60));
  }
}

/** A declaration as the server holds it once loaded, for a test that built it in code (it has no file or lines). */
export function loadedAs(decl: Declaration): LoadedDeclaration {
  return { declaration: decl, file: "x", source: "", hash: "", locate: () => ({ file: "x", line: 1, column: 1 }) };
}

/** The app over a store and a declaration, as the server builds it, with the requests context given (logs silent). */
export function testApp(store: Store, decl: Declaration, requests: RequestsContext) {
  return createApp({
    store,
    declaration: () => loadedAs(decl),
    logger: createLogger({ level: "silent" }),
    requests,
  }).app;
}
