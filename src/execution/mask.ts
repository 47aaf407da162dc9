/**
 * Masking strategies for fields of rows that must stay after an erasure. Where
 * the column's type is known (SQL), a masked value is one the column takes: a
 * uuid for a uuid column, a number for an integer, text cut to the column's
 * length. `maskFits` says beforehand when a strategy cannot fit a column
 * (`pledge check --live`), and planning refuses such a mask before anything
 * is written.
 */
import { createHmac, randomBytes, randomInt, randomUUID } from "node:crypto";
import type { MaskingStrategy } from "../declaration/index.js";
import type { ColumnInfo } from "../connectors/index.js";

export interface MaskContext {
  /** The per-organization key for HMAC masking. */
  key: string;
  /** The replacement for `fixed`. */
  fixed?: string;
  /** The column being masked, when the engine has a schema. */
  column?: ColumnInfo;
}

/** De-identifies a value: emails keep their domain, IPs lose their host part, dates their day. */
export function deidentify(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const s = String(value);
  const email = /^[^@\s]+@([^@\s]+)$/.exec(s);
  if (email) return `***@${email[1]}`;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(s);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0`;
  if (/^[0-9a-f:]+$/i.test(s) && s.includes(":")) return `${s.split(":").slice(0, 3).join(":")}::`;
  const date = /^(\d{4})-(\d{2})-\d{2}/.exec(s);
  if (date) return `${date[1]}-${date[2]}-01`;
  if (typeof value === "number") return null;
  return "[de-identified]";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid (version 8, RFC 9562) made of the first 16 bytes of a digest. */
function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A fixed mask value as the column's type takes it. */
function typedFixed(fixed: string, column?: ColumnInfo): unknown {
  if (column?.type === "integer" || column?.type === "number") return Number(fixed);
  if (column?.type === "boolean") return /^(true|1)$/i.test(fixed);
  return fixed;
}

const cut = (s: string, column?: ColumnInfo) =>
  column?.maxLength && s.length > column.maxLength ? s.slice(0, column.maxLength) : s;

/**
 * The masked value of a field.
 *
 * ```ts
 * maskValue("hmac", "ada@example.com", { key }) // "hmac:3f1c…"
 * maskValue("hmac", "ada@example.com", { key, column: { type: "uuid", … } }) // "3f1c…-…" (a uuid)
 * ```
 */
export function maskValue(strategy: Exclude<MaskingStrategy, "delete_row">, value: unknown, ctx: MaskContext): unknown {
  const type = ctx.column?.type;
  switch (strategy) {
    case "null":
      return null;
    case "fixed":
      return typedFixed(ctx.fixed ?? "[erased]", ctx.column);
    case "random":
      if (type === "uuid") return randomUUID();
      if (type === "integer" || type === "number") return randomInt(1, 2 ** 31 - 1);
      return cut(randomBytes(12).toString("hex"), ctx.column);
    case "hmac": {
      if (value === null || value === undefined) return value;
      const digest = createHmac("sha256", ctx.key).update(String(value)).digest();
      if (type === "uuid") return uuidFrom(digest);
      if (type === "integer" || type === "number") return 1 + (digest.readUInt32BE(0) % (2 ** 31 - 2));
      const text = `hmac:${digest.toString("hex").slice(0, 40)}`;
      return ctx.column?.maxLength && ctx.column.maxLength < text.length
        ? digest.toString("hex").slice(0, ctx.column.maxLength)
        : text;
    }
    case "deidentify": {
      const v = deidentify(value);
      return typeof v === "string" ? cut(v, ctx.column) : v;
    }
    case "keep":
      return value;
  }
}

/**
 * Why a masking strategy cannot write a value the column takes, or undefined
 * when it can.
 */
export function maskFits(
  strategy: Exclude<MaskingStrategy, "delete_row">,
  column: ColumnInfo,
  fixed?: string,
): string | undefined {
  const t = column.type;
  const what = `a ${column.dbType} column`;
  switch (strategy) {
    case "keep":
      return undefined;
    case "null":
      return column.nullable ? undefined : `null masking writes null into NOT NULL column ${column.name}`;
    case "fixed": {
      const v = fixed ?? "[erased]";
      if ((t === "integer" && !/^-?\d+$/.test(v)) || (t === "number" && !Number.isFinite(Number(v))))
        return `fixed value '${v}' is not a number, for ${what}`;
      if (t === "boolean" && !/^(true|false|1|0)$/i.test(v))
        return `fixed value '${v}' is not true or false, for ${what}`;
      if (t === "uuid" && !UUID.test(v)) return `fixed value '${v}' is not a uuid, for ${what}`;
      if (t === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(v))
        return `fixed value '${v}' is not a date (YYYY-MM-DD), for ${what}`;
      if (t === "timestamp" && Number.isNaN(Date.parse(v))) return `fixed value '${v}' is not a time, for ${what}`;
      if (t === "json" || t === "binary") return `fixed masking cannot write ${what}`;
      if (column.maxLength && v.length > column.maxLength)
        return `fixed value '${v}' is ${v.length} characters, longer than ${column.name}'s ${column.maxLength}`;
      return undefined;
    }
    case "random":
    case "hmac":
      return ["boolean", "date", "timestamp", "json", "binary", "other"].includes(t)
        ? `${strategy} masking cannot write ${what}`
        : undefined;
    case "deidentify":
      if (["boolean", "uuid", "json", "binary", "other"].includes(t)) return `deidentify masking cannot write ${what}`;
      if ((t === "integer" || t === "number") && !column.nullable)
        return `deidentify turns numbers into null, and ${column.name} is NOT NULL`;
      return undefined;
  }
}
