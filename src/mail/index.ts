/**
 * Outgoing mail: nodemailer over SMTP when `PLEDGE_SMTP_URL` is set; otherwise
 * each message is written to `./.pledge/outbox/` as an .eml file, so that a
 * fresh install works without a mail server.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import nodemailer from "nodemailer";

/**
 * Mail could not be handed to the mail server. The message says so without the server's details, which stay in `cause`.
 */
export class MailError extends Error {
  readonly code = "MAIL_UNAVAILABLE";
  constructor(options?: { cause?: unknown }) {
    super("we could not send email just now; try again in a few minutes", options);
    this.name = "MailError";
  }
}

/** A sender: a display name and an address, quoted by nodemailer as the header needs. */
export interface MailAddress {
  name: string;
  address: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** `smtp` delivers; `outbox` writes files (development, demos, tests). */
  readonly mode: "smtp" | "outbox";
  /** Outbox mode: the directory its files are written to (swept by `ownData.outbox`). */
  readonly outboxDir?: string;
  send(message: MailMessage): Promise<{ messageId: string; file?: string }>;
}

export interface MailerOptions {
  smtpUrl?: string;
  /** `"Name <addr>"` as an operator writes it (PLEDGE_MAIL_FROM), or a name and an address. */
  from?: string | MailAddress;
  outboxDir?: string;
}

/**
 * Creates the mailer.
 *
 * ```ts
 * const mailer = createMailer({ smtpUrl: process.env.PLEDGE_SMTP_URL, from: "privacy@example.com" });
 * ```
 */
export function createMailer(options: MailerOptions = {}): Mailer {
  const from = options.from ?? { name: "Pledge", address: "privacy@localhost" };
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      mode: "smtp",
      async send(m) {
        try {
          const info = await transport.sendMail({
            from,
            to: m.to,
            subject: m.subject,
            text: m.text,
            html: m.html,
            headers: m.headers,
          });
          return { messageId: String(info.messageId) };
        } catch (err) {
          throw new MailError({ cause: err });
        }
      },
    };
  }
  const dir = options.outboxDir ?? ".pledge/outbox";
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    mode: "outbox",
    outboxDir: dir,
    async send(m) {
      const info = await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: m.headers,
      });
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`);
      await writeFile(file, info.message as Buffer);
      return { messageId: String(info.messageId), file };
    },
  };
}
