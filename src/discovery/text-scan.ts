/**
 * Personal data in text outside databases: log files and exports scanned line
 * by line (whole, or up to a byte budget), and streams redacted as they pass.
 * A scan keeps counts, confidence and one masked example per entity type,
 * never the values.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { detect, ENTITY_CATEGORY, maskValue, redactText, type DetectOptions, type EntityType } from "./detect.js";
import {
  csvHeader,
  csvRecordOpen,
  type LineFormat,
  type RedactLabel,
  redactCsvRecord,
  redactJsonLine,
  redactLogfmtLine,
} from "./structured.js";

/** A named discovery error: `NOT_FOUND` for a file that cannot be read. */
export class DiscoveryError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "INVALID",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DiscoveryError";
  }
}

/** What a scan found of one entity type. */
export interface EntityTally {
  type: EntityType;
  category: string;
  /** Matches, and the lines that hold at least one. */
  count: number;
  lines: number;
  /** The highest confidence seen, and its evidence. */
  confidence: number;
  evidence: string;
  /** One value, masked (`a***@e***.net`), and the line it is on. */
  example: string;
  line: number;
}

export interface TextScan {
  name: string;
  bytes: number;
  lines: number;
  /** True when the byte budget ended the scan before the end of the file. */
  truncated: boolean;
  entities: EntityTally[];
}

export interface TextScanOptions extends DetectOptions {
  /** Stop after this many bytes (whole lines); the whole file when unset. */
  byteBudget?: number;
  onProgress?(p: { name: string; bytes: number; total: number; mbPerSecond: number }): void;
}

/**
 * Scans a stream of text line by line.
 *
 * ```ts
 * const r = await scanStream(process.stdin, "stdin", { regions: ["DE"] });
 * r.entities // [{ type: "email", count: 12, example: "a***@e***.net", … }]
 * ```
 */
export async function scanStream(
  input: Readable,
  name: string,
  options: TextScanOptions = {},
  total = 0,
): Promise<TextScan> {
  const tallies = new Map<EntityType, EntityTally>();
  const started = performance.now();
  let bytes = 0;
  let lines = 0;
  let truncated = false;
  let lastReport = 0;
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      const size = Buffer.byteLength(line) + 1;
      if (options.byteBudget !== undefined && bytes + size > options.byteBudget) {
        truncated = true;
        break;
      }
      bytes += size;
      lines++;
      const seen = new Set<EntityType>();
      for (const d of detect(line, options)) {
        let t = tallies.get(d.type);
        if (!t) {
          t = {
            type: d.type,
            category: ENTITY_CATEGORY[d.type],
            count: 0,
            lines: 0,
            confidence: 0,
            evidence: "",
            example: maskValue(d.type, line.slice(d.start, d.end)),
            line: lines,
          };
          tallies.set(d.type, t);
        }
        t.count++;
        if (!seen.has(d.type)) {
          seen.add(d.type);
          t.lines++;
        }
        if (d.confidence > t.confidence) {
          t.confidence = d.confidence;
          t.evidence = d.evidence;
        }
      }
      if (options.onProgress && lines % 2000 === 0 && performance.now() - lastReport > 250) {
        lastReport = performance.now();
        options.onProgress({
          name,
          bytes,
          total,
          mbPerSecond: bytes / 1e6 / Math.max((performance.now() - started) / 1000, 0.001),
        });
      }
    }
  } finally {
    rl.close();
    input.destroy();
  }
  options.onProgress?.({
    name,
    bytes,
    total: truncated ? bytes : total || bytes,
    mbPerSecond: bytes / 1e6 / Math.max((performance.now() - started) / 1000, 0.001),
  });
  return { name, bytes, lines, truncated, entities: [...tallies.values()].sort((a, b) => b.count - a.count) };
}

/** Scans one file; a file that cannot be read is a `NOT_FOUND` error naming it. */
export async function scanFile(path: string, options: TextScanOptions = {}): Promise<TextScan> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new DiscoveryError("NOT_FOUND", `${path}: not a file`);
    size = s.size;
  } catch (err) {
    if (err instanceof DiscoveryError) throw err;
    throw new DiscoveryError(
      "NOT_FOUND",
      `${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      { cause: err },
    );
  }
  return scanStream(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    path,
    options,
    options.byteBudget !== undefined ? Math.min(size, options.byteBudget) : size,
  );
}

/** The most a CSV record may hold across line breaks before it is refused (or, guessed as CSV, read as text). */
const MAX_CSV_RECORD = 1 << 20;

/** How `redactStream` reads its lines: `auto` tells JSON lines, logfmt and CSV (by its header) from text. */
export interface RedactOptions extends DetectOptions {
  format?: "auto" | LineFormat;
}

/**
 * Copies a stream with every detection masked (`[email]`, `[phone]`), line by line, so that logs can be cleaned
 * before they are kept. JSON lines, logfmt and CSV keep their format: values are redacted, never keys, quotes or
 * delimiters, and a line that parsed before parses after. Returns what it masked and the format it read.
 */
export async function redactStream(
  input: Readable,
  output: Writable,
  options: RedactOptions = {},
): Promise<{ lines: number; masked: Partial<Record<RedactLabel, number>>; format: LineFormat | "mixed" }> {
  const masked: Partial<Record<RedactLabel, number>> = {};
  const onMask = (t: RedactLabel) => {
    masked[t] = (masked[t] ?? 0) + 1;
  };
  const seen = new Set<LineFormat>();
  let lines = 0;
  let header: ReturnType<typeof csvHeader>;
  let pending = "";
  const want = options.format ?? "auto";
  const rl = createInterface({ input, crlfDelay: Infinity });
  const write = (s: string) =>
    output.write(s) ? Promise.resolve() : new Promise<void>((r) => output.once("drain", () => r()));
  const one = (line: string): string => {
    if (want === "json" || want === "auto") {
      const j = redactJsonLine(line, options, onMask);
      if (j !== undefined) {
        seen.add("json");
        return j;
      }
    }
    if (want === "logfmt" || want === "auto") {
      const l = redactLogfmtLine(line, options, onMask);
      if (l !== undefined) {
        seen.add("logfmt");
        return l;
      }
    }
    seen.add("text");
    return redactText(line, options, onMask);
  };
  for await (const line of rl) {
    lines++;
    if (lines === 1 && (want === "csv" || want === "auto")) {
      header = csvHeader(line, want === "csv");
      if (header) {
        seen.add("csv");
        await write(`${line}\n`);
        continue;
      }
      if (want === "csv")
        throw new DiscoveryError("INVALID", "line 1: a CSV file must begin with a header of field names");
    }
    if (header) {
      // a quoted field may hold a line break: the record goes on until its quotes close, within a bound
      pending = pending ? `${pending}\n${line}` : line;
      if (csvRecordOpen(pending) && pending.length <= MAX_CSV_RECORD) continue;
      const r = csvRecordOpen(pending) ? undefined : redactCsvRecord(pending, header, options, onMask);
      const record = pending;
      pending = "";
      if (r !== undefined) await write(`${r}\n`);
      else if (want === "csv")
        throw new DiscoveryError("INVALID", `line ${lines}: not a CSV record under the header (or one over 1 MiB)`);
      // read as CSV by guess: a line that is not a record is redacted as text, never dropped
      else for (const l of record.split("\n")) await write(`${one(l)}\n`);
      continue;
    }
    await write(`${one(line)}\n`);
  }
  if (pending && want === "csv") throw new DiscoveryError("INVALID", `line ${lines}: a quoted CSV field is not closed`);
  for (const l of pending ? pending.split("\n") : []) await write(`${one(l)}\n`);
  return { lines, masked, format: seen.size === 1 ? [...seen][0] : "mixed" };
}
