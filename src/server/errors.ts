/** Errors at the HTTP edge: one shape, `{ error: { code, message } }`. */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { GovernanceError } from "../governance/index.js";

/** An error with an HTTP status and a stable code, safe to show to the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/** Maps a domain error with a known `code` to an HTTP status; unknown errors are 500 and never shown. */
const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  DECLARATION_INVALID: 422,
  NOT_FOUND: 404,
  STORE_UNAVAILABLE: 503,
  REQUEST_CONFLICT: 409,
  REQUEST_INVALID: 422,
  RATE_LIMITED: 429,
  AUTH_INVALID: 422,
  MAIL_UNAVAILABLE: 503,
};

export const GOVERNANCE_STATUS: Record<GovernanceError["code"], ContentfulStatusCode> = {
  NOT_FOUND: 404,
  INVALID: 422,
  FORBIDDEN: 403,
  CONFLICT: 409,
  LINK_INVALID: 410,
};

/** The status and body for any thrown value; `exposed` is false when the message must not leave the server. */
export function toErrorResponse(err: unknown): { status: ContentfulStatusCode; body: ErrorBody; exposed: boolean } {
  if (err instanceof HttpError)
    return { status: err.status, body: { error: { code: err.code, message: err.message } }, exposed: true };
  if (err instanceof GovernanceError)
    return {
      status: GOVERNANCE_STATUS[err.code],
      body: { error: { code: err.code.toLowerCase(), message: err.message } },
      exposed: true,
    };
  const code = (err as { code?: unknown })?.code;
  if (typeof code === "string" && STATUS_BY_CODE[code]) {
    return {
      status: STATUS_BY_CODE[code],
      body: { error: { code: code.toLowerCase(), message: (err as Error).message } },
      exposed: true,
    };
  }
  return {
    status: 500,
    body: { error: { code: "internal", message: "Internal error; it has been logged." } },
    exposed: false,
  };
}
