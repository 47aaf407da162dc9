/** Structured logs with pino; secrets are redacted wherever they appear in a log object. */
import { pino, type Logger } from "pino";

export type { Logger } from "pino";

/** A logger writing JSON lines to stdout (or nowhere, for tests with `level: "silent"`). */
export function createLogger(options: { level?: string } = {}): Logger {
  return pino({
    level: options.level ?? process.env.PLEDGE_LOG_LEVEL ?? "info",
    base: { service: "pledge" },
    redact: {
      paths: ["*.password", "*.token", "*.secret", "*.code", "*.authorization", "*.cookie", "headers.authorization", "headers.cookie", "databaseUrl"],
      censor: "[redacted]",
    },
  });
}
