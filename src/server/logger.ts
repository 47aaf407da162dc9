/** Structured logs with pino; secrets are redacted wherever they appear in a log object, at any depth. */
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** Keys whose values are secrets or keys to a person's data: never logged, at whatever depth they sit. */
const SECRET_KEY = /password|passwd|token|secret|^code$|authorization|cookie|api[-_]?key|^databaseurl$|^dsn$/i;
const CENSOR = "[redacted]";
/** Deeper than this, a log object is cut: no log line needs it, and a cycle must end. */
const MAX_DEPTH = 8;

/**
 * A copy of `value` with every secret-looking key's value replaced by `[redacted]`, at any depth (objects and
 * arrays); errors are left to pino's error serializer.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object" || value instanceof Error || value instanceof Date) return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? CENSOR : redactDeep(v, depth + 1);
  return out;
}

/**
 * A logger writing JSON lines to stdout, or to `destination` (tests read what the server logged), or nowhere with
 * `level: "silent"`.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.PLEDGE_LOG_LEVEL ?? "info",
      base: { service: "pledge" },
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
    },
    options.destination ?? pino.destination(1),
  );
}
