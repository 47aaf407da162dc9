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

/**
 * Copies a stream with every detection masked (`[email]`, `[phone]`), line by
 * line, so that logs can be cleaned before they are kept. Returns what it masked.
 */
export async function redactStream(
  input: Readable,
  output: Writable,
  options: DetectOptions = {},
): Promise<{ lines: number; masked: Partial<Record<EntityType, number>> }> {
  const masked: Partial<Record<EntityType, number>> = {};
  let lines = 0;
  const rl = createInterface({ input, crlfDelay: Infinity });
  const write = (s: string) =>
    output.write(s) ? Promise.resolve() : new Promise<void>((r) => output.once("drain", () => r()));
  for await (const line of rl) {
    lines++;
    const out = redactText(line, options, (t) => (masked[t] = (masked[t] ?? 0) + 1));
    await write(`${out}\n`);
  }
  return { lines, masked };
}
