/** Starting the server: open the store, publish the declaration, start the worker, listen, and stop cleanly. */
import { deliverCallbacks } from "../drp/index.js";
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Declaration, LoadedDeclaration } from "../declaration/index.js";
import { startAuditChainer } from "../audit/index.js";
import { createMailer, MailError, type MailAddress, type Mailer } from "../mail/index.js";
import { previousPublished, publishDeclaration } from "../notice/index.js";
import { announceSubProcessorChanges, remindExpiringAgreements, type GovernanceContext } from "../governance/index.js";
import {
  rollUpConsent,
  runPropagations,
  sweepNewsletters,
  unsubscribeUrlWarning,
  type NewsletterContext,
} from "../consent/index.js";
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
import { createApp, METRICS_TYPE, type PledgeApp } from "./app.js";
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
  /** The listener's limits on slow clients, in ms (20 s for headers and 60 s for a whole request by default). */
  timeouts?: { headersMs?: number; requestMs?: number };
}

export interface RunningServer {
  url: string;
  port: number;
  /** The metrics listener's port, when PLEDGE_METRICS_PORT asks for one. */
  metricsPort?: number;
  store: Store;
  pledge: PledgeApp;
  requests: RequestsContext;
  close(): Promise<void>;
}

/** How long a client may take to send its request headers, and its whole request: far more than a real client needs. */
export const HEADERS_TIMEOUT_MS = 20_000;
export const REQUEST_TIMEOUT_MS = 60_000;

/** PLEDGE_TRUST_PROXY: the number of proxies in front of the server (`1` for one); absent or `0` for none. */
export function proxyHops(value: string | undefined): number {
  if (value === undefined || value === "" || value === "0") return 0;
  if (!/^[1-9]\d?$/.test(value))
    throw new Error(
      `PLEDGE_TRUST_PROXY: expected the number of proxies in front of the server (1, 2, …), not "${value}"`,
    );
  return Number(value);
}

function portOf(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}: expected a port number, not "${value}"`);
  return n;
}

/**
 * Listens with the timeouts a slow client cannot stretch: headers within 20 s, the whole request within 60 s, an idle
 * kept-alive connection closed after 5 s.
 */
async function listen(
  fetch: (req: Request) => Response | Promise<Response>,
  port: number,
  hostname: string,
  timeouts: ServerOptions["timeouts"] = {},
): Promise<ServerType> {
  const requestTimeout = timeouts.requestMs ?? REQUEST_TIMEOUT_MS;
  return new Promise((resolvePromise, reject) => {
    const s = serve(
      {
        fetch,
        port,
        hostname,
        serverOptions: {
          headersTimeout: Math.min(timeouts.headersMs ?? HEADERS_TIMEOUT_MS, requestTimeout),
          requestTimeout,
          keepAliveTimeout: 5_000,
          // How often the timeouts are checked (Node's default is every 30 s).
          connectionsCheckingInterval: Math.min(2_000, requestTimeout / 4),
        },
      },
      () => resolvePromise(s),
    );
    s.once("error", reject);
  });
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
  // Settings are read before the store opens: a bad one leaves nothing half started.
  const trustProxy = proxyHops(env.PLEDGE_TRUST_PROXY);
  const metricsPort = env.PLEDGE_METRICS_PORT ? portOf(env.PLEDGE_METRICS_PORT, "PLEDGE_METRICS_PORT") : undefined;
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
    trustProxy,
    metricsToken: env.PLEDGE_METRICS_TOKEN || undefined,
    secureCookies: (env.PLEDGE_PUBLIC_URL ?? "").startsWith("https://"),
    consent: {
      newsletters,
      allowedOrigins: (env.PLEDGE_CONSENT_ORIGINS ?? "*").split(",").map((o) => o.trim()),
      demoPage: options.demo,
      publicUrl: env.PLEDGE_PUBLIC_URL || undefined,
    },
  });
  const host = options.host ?? "127.0.0.1";
  const server = await listen(pledge.app.fetch, options.port ?? 3000, host, options.timeouts);
  // Metrics without a token, for a scraper on a network the public never reaches.
  const metricsServer =
    metricsPort !== undefined
      ? await listen(
          async (req) =>
            new URL(req.url).pathname === "/metrics"
              ? new Response(await pledge.renderMetrics(), { headers: { "content-type": METRICS_TYPE } })
              : new Response("not found\n", { status: 404 }),
          metricsPort,
          env.PLEDGE_METRICS_HOST || "127.0.0.1",
        )
      : undefined;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  requests.publicUrl ||= url;
  const insecure = unsubscribeUrlWarning(options.declaration.declaration, requests.publicUrl);
  if (insecure) requests.console?.(insecure);
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
      : startWorker(requests, {
          onError: (err) => logger.error({ err }, "worker error"),
          alsoRun: [
            { channel: "propagations", run: () => runPropagations(requests) },
            {
              channel: "drp_callbacks",
              run: () => deliverCallbacks({ requests, insecureCallbacks: env.PLEDGE_DRP_INSECURE_CALLBACKS === "1" }),
            },
          ],
        });
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
  // Consent records counted into the console's daily figures, a minute at a time.
  const rollUp = () =>
    rollUpConsent(store).catch((err) => logger.error({ err: (err as Error).message }, "consent roll-up failed"));
  const roller = worker ? setInterval(rollUp, 60_000) : undefined;
  roller?.unref();
  if (worker) void rollUp();
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
  logger.info(
    {
      url,
      worker: !!worker,
      mail: mailer.mode,
      ...(metricsServer ? { metrics: (metricsServer.address() as AddressInfo).port } : {}),
    },
    "listening",
  );
  return {
    url,
    port,
    ...(metricsServer ? { metricsPort: (metricsServer.address() as AddressInfo).port } : {}),
    store,
    pledge,
    requests,
    close: async () => {
      if (sweeper) clearInterval(sweeper);
      if (roller) clearInterval(roller);
      stopRetention?.();
      stopDiscovery?.();
      await announcing;
      await worker?.stop();
      await new Promise<void>((r) => server.close(() => r()));
      if (metricsServer) await new Promise<void>((r) => metricsServer.close(() => r()));
      await chainer.stop();
      await store.close();
    },
  };
}
