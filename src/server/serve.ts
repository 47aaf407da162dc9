/** Starting the server: open the store, publish the declaration, start the worker, listen, and stop cleanly. */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Declaration, LoadedDeclaration } from "../declaration/index.js";
import { startAuditChainer } from "../audit/index.js";
import { createMailer, MailError, type MailAddress, type Mailer } from "../mail/index.js";
import { previousPublished, publishDeclaration } from "../notice/index.js";
import { announceSubProcessorChanges, remindExpiringAgreements, type GovernanceContext } from "../governance/index.js";
import { sweepNewsletters, type NewsletterContext } from "../consent/index.js";
import { startRetentionSchedule } from "../retention/index.js";
import { startDiscoverySchedule } from "../discovery/index.js";
import {
  DEFAULT_SETTINGS,
  startWorker,
  type RequestSettings,
  type RequestsContext,
  type Worker,
} from "../requests/index.js";
import { openStore, type Store, type StoreOptions } from "../store/index.js";
import { createApp, type PledgeApp } from "./app.js";
import { createLogger, type Logger } from "./logger.js";
import { Metrics } from "./metrics.js";

export interface ServerOptions extends StoreOptions {
  declaration: LoadedDeclaration;
  port?: number;
  host?: string;
  logger?: Logger;
  /** Where Pledge keeps local files (the outbox); `.pledge` by default. */
  dataDir?: string;
  /** Environment for connector secrets and settings; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** Directory that relative connector paths resolve against; the working directory by default. */
  cwd?: string;
  /** Run the task worker in this process (default true). */
  worker?: boolean;
  settings?: Partial<RequestSettings>;
  mailer?: Mailer;
  /** Where operator lines (verification codes in outbox mode) go; stderr by default. */
  console?: (line: string) => void;
  /** Serve the demo's extra pages (`/consent/demo`). */
  demo?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  pledge: PledgeApp;
  requests: RequestsContext;
  close(): Promise<void>;
}

/**
 * Who mail comes from: PLEDGE_MAIL_FROM as the operator wrote it, or the organization's short name and privacy address
 * (quoted by the mailer).
 */
export function mailSender(decl: Declaration, env: Record<string, string | undefined>): string | MailAddress {
  return (
    env.PLEDGE_MAIL_FROM || {
      name: decl.organization.shortName ?? decl.organization.name,
      address: decl.organization.contact.email ?? "privacy@localhost",
    }
  );
}

/**
 * The mailer, with a warn line for each mail the server could not hand over: the person is told to try again, the
 * operator why.
 */
function logMailFailures(mailer: Mailer, logger: Logger): Mailer {
  return {
    mode: mailer.mode,
    outboxDir: mailer.outboxDir,
    async send(m) {
      try {
        return await mailer.send(m);
      } catch (err) {
        logger.warn(
          {
            err: err instanceof MailError ? (err.cause as Error | undefined)?.message : (err as Error).message,
            subject: m.subject,
          },
          "mail not sent",
        );
        throw err;
      }
    },
  };
}

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * Request settings, with overrides from the environment (PLEDGE_THROTTLE_MS, PLEDGE_LEASE_MS, PLEDGE_BACKOFF_BASE_MS,
 * PLEDGE_MAX_ATTEMPTS, PLEDGE_EXPORT_TTL_DAYS).
 */
export function settingsFromEnv(
  env: Record<string, string | undefined>,
  overrides: Partial<RequestSettings> = {},
): RequestSettings {
  const s = { ...DEFAULT_SETTINGS };
  s.throttleMs = num(env.PLEDGE_THROTTLE_MS) ?? s.throttleMs;
  s.leaseMs = num(env.PLEDGE_LEASE_MS) ?? s.leaseMs;
  s.backoffBaseMs = num(env.PLEDGE_BACKOFF_BASE_MS) ?? s.backoffBaseMs;
  s.maxAttempts = num(env.PLEDGE_MAX_ATTEMPTS) ?? s.maxAttempts;
  s.exportTtlDays = num(env.PLEDGE_EXPORT_TTL_DAYS) ?? s.exportTtlDays;
  return { ...s, ...overrides };
}

/**
 * Starts Pledge's HTTP server and its task worker.
 *
 * ```ts
 * const server = await startServer({ declaration: await loadDeclaration("pledge.yaml"), port: 3000 });
 * ```
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? env.PLEDGE_DATA_DIR ?? ".pledge";
  const store = await openStore({ ...options, sqlitePath: options.sqlitePath ?? join(dataDir, "pledge.db") });
  const { published } = await publishDeclaration(store, options.declaration);
  logger.info(
    { version: options.declaration.declaration.version, published, store: store.describe },
    "declaration loaded",
  );
  const decl = options.declaration.declaration;
  const metrics = new Metrics();
  const mailer = logMailFailures(
    options.mailer ??
      createMailer({ smtpUrl: env.PLEDGE_SMTP_URL, from: mailSender(decl, env), outboxDir: join(dataDir, "outbox") }),
    logger,
  );
  const requests: RequestsContext = {
    store,
    declaration: () => options.declaration.declaration,
    mailer,
    publicUrl: env.PLEDGE_PUBLIC_URL ?? "",
    env,
    cwd: options.cwd ?? process.cwd(),
    clock: () => new Date(),
    console: options.console ?? ((line) => process.stderr.write(`${line}\n`)),
    settings: settingsFromEnv(env, options.settings),
    // A failing system is staff's business: a warn line and a metric, never the person's status page.
    onTaskError: (f) => {
      logger.warn(
        {
          request: f.requestId,
          task: f.taskId,
          kind: f.kind,
          system: f.target,
          attempt: f.attempt,
          exhausted: f.exhausted,
          error: f.error,
        },
        f.exhausted ? "request task failed; left for staff" : "request task failed; retrying",
      );
      metrics.taskFailures.inc({ kind: f.kind, system: f.target, exhausted: String(f.exhausted) });
    },
  };
  const newsletters: NewsletterContext = {
    store,
    declaration: () => options.declaration.declaration,
    mailer,
    get publicUrl() {
      return requests.publicUrl;
    },
    env,
    clock: requests.clock,
    limits: { perAddress: requests.settings.codeLimitPerAddress, perIp: requests.settings.codeLimitPerIp },
    onWebhookError: (err) => logger.warn({ err: (err as Error).message }, "newsletter webhook not delivered"),
  };
  const pledge = createApp({
    store,
    metrics,
    declaration: () => options.declaration,
    logger,
    requests,
    trustProxy: env.PLEDGE_TRUST_PROXY === "1",
    secureCookies: (env.PLEDGE_PUBLIC_URL ?? "").startsWith("https://"),
    consent: {
      newsletters,
      allowedOrigins: (env.PLEDGE_CONSENT_ORIGINS ?? "*").split(",").map((o) => o.trim()),
      demoPage: options.demo,
      publicUrl: env.PLEDGE_PUBLIC_URL || undefined,
    },
  });
  const host = options.host ?? "127.0.0.1";
  const server: ServerType = await new Promise((resolvePromise, reject) => {
    const s = serve({ fetch: pledge.app.fetch, port: options.port ?? 3000, hostname: host }, () => resolvePromise(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  requests.publicUrl ||= url;
  const governance: GovernanceContext = requests;
  let announcing: Promise<unknown> = Promise.resolve();
  if (published) {
    // A new declaration that changes the sub-processors is announced to the subscribers, once (Art 28(2)); close()
    // waits for it.
    const loaded = options.declaration;
    announcing = previousPublished(store, loaded.hash)
      .then((prev) =>
        announceSubProcessorChanges(
          governance,
          prev?.declaration,
          `${loaded.declaration.version}#${loaded.hash.slice(0, 12)}`,
        ),
      )
      .then((r) => r && logger.info(r, "sub-processor change announced"))
      .catch((err) => logger.error({ err: (err as Error).message }, "sub-processor change not announced"));
  }
  const chainer = startAuditChainer(store, { onError: (err) => logger.error({ err }, "audit chaining failed") });
  const worker: Worker | undefined =
    options.worker === false || env.PLEDGE_WORKER === "off"
      ? undefined
      : startWorker(requests, { onError: (err) => logger.error({ err }, "worker error") });
  // The scheduled sweep of unconfirmed newsletter sign-ups (blocked after the window, deleted after a month).
  const sweep = async () => {
    try {
      const r = await sweepNewsletters(newsletters);
      if (r.blocked || r.deleted) logger.info(r, "newsletter sweep");
      const reminded = await remindExpiringAgreements(governance);
      if (reminded) logger.info({ reminded }, "agreement expiry reminders sent");
    } catch (err) {
      logger.error({ err }, "newsletter sweep failed");
    }
  };
  const sweeper = worker ? setInterval(sweep, 10 * 60_000) : undefined;
  sweeper?.unref();
  if (worker) void sweep();
  // Retention rules sweep on their schedules; the lease in the store lets one server sweep a binding at a time.
  const stopRetention = worker
    ? startRetentionSchedule(
        {
          store,
          declaration: () => options.declaration.declaration,
          env,
          cwd: options.cwd ?? process.cwd(),
          clock: () => new Date(),
          outboxDir: mailer.outboxDir,
        },
        {
          onReport: (r) =>
            logger.info(
              {
                binding: r.binding,
                due: r.due,
                deleted: r.deleted,
                masked: r.masked,
                blocked: r.blocked,
                remaining: r.remaining,
              },
              "retention sweep",
            ),
          onError: (binding, err) => logger.error({ binding, err: (err as Error).message }, "retention sweep failed"),
        },
      )
    : undefined;
  // Scans run on the declaration's schedule (weekly by default); the first server to claim a slot scans it.
  const stopDiscovery = worker
    ? startDiscoverySchedule(
        {
          store,
          declaration: () => options.declaration.declaration,
          env,
          cwd: options.cwd ?? process.cwd(),
          clock: () => new Date(),
          mailer,
        },
        {
          onScan: (r) =>
            logger.info(
              { scan: r.scanId, tables: r.result.tables.length, new: r.newFindings.length },
              "discovery scan",
            ),
          onError: (err) => logger.error({ err: (err as Error).message }, "discovery scan failed"),
        },
      )
    : undefined;
  logger.info({ url, worker: !!worker, mail: mailer.mode }, "listening");
  return {
    url,
    port,
    store,
    pledge,
    requests,
    close: async () => {
      if (sweeper) clearInterval(sweeper);
      stopRetention?.();
      stopDiscovery?.();
      await announcing;
      await worker?.stop();
      await new Promise<void>((r) => server.close(() => r()));
      await chainer.stop();
      await store.close();
    },
  };
}
