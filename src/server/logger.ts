/** Structured logs with pino; secrets are redacted wherever they appear in a log object. */
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/**
 * A logger writing JSON lines to stdout, or to `destination` (tests read what the server logged), or nowhere with
 * `level: "silent"`.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.PLEDGE_LOG_LEVEL ?? "info",
      base: { service: "pledge" },
      redact: {
        paths: [
          "*.password",
          "*.token",
          "*.secret",
          "*.code",
          "*.authorization",
          "*.cookie",
          "headers.authorization",
          "headers.cookie",
          "databaseUrl",
        ],
        censor: "[redacted]",
      },
    },
    options.destination ?? pino.destination(1),
  );
}
