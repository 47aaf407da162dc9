/** Masking strategies for fields of rows that must stay after an erasure. */
import { createHmac, randomBytes } from "node:crypto";
import type { MaskingStrategy } from "../declaration/index.js";

export interface MaskContext {
  /** The per-organization key for HMAC masking. */
  key: string;
  /** The replacement for `fixed`. */
  fixed?: string;
}

/** De-identifies a value: emails keep their domain, IPs lose their host part, dates their day. */
export function deidentify(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const s = String(value);
  const email = /^[^@\s]+@([^@\s]+)$/.exec(s);
  if (email) return `***@${email[1]}`;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(s);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0`;
  if (/^[0-9a-f:]+$/i.test(s) && s.includes(":")) return s.split(":").slice(0, 3).join(":") + "::";
  const date = /^(\d{4})-(\d{2})-\d{2}/.exec(s);
  if (date) return `${date[1]}-${date[2]}-01`;
  if (typeof value === "number") return null;
  return "[de-identified]";
}

/**
 * The masked value of a field.
 *
 * ```ts
 * maskValue("hmac", "ada@example.com", { key }) // "hmac:3f1c…"
 * ```
 */
export function maskValue(strategy: Exclude<MaskingStrategy, "delete_row">, value: unknown, ctx: MaskContext): unknown {
  switch (strategy) {
    case "null":
      return null;
    case "fixed":
      return ctx.fixed ?? "[erased]";
    case "random":
      return randomBytes(12).toString("hex");
    case "hmac":
      return value === null || value === undefined ? value : "hmac:" + createHmac("sha256", ctx.key).update(String(value)).digest("hex").slice(0, 40);
    case "deidentify":
      return deidentify(value);
    case "keep":
      return value;
  }
}
