/**
 * bench/scan: Pledge's detectors against redact-pii on the same labelled
 * corpus (test/helpers/pii-corpus.ts, a seed no test uses), in MB/s, with
 * Pledge's precision and recall per entity type; then a scan of one large log
 * file through `scanFile`, as `pledge scan FILE` runs it.
 *
 *   npm run bench -- scan
 *   BENCH_LINES=20000 BENCH_LOG_MB=100 npm run bench -- scan
 */
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SyncRedactor } from "redact-pii";
import { detect, scanFile } from "../src/discovery/index.js";
import { corpus, CORPUS_REGIONS, score } from "../test/helpers/pii-corpus.js";

const LINES = Number(process.env.BENCH_LINES ?? 50_000);
const LOG_MB = Number(process.env.BENCH_LOG_MB ?? 1024);
const SEED = 4242;

function rate(lines: readonly string[], bytes: number, f: (line: string) => unknown): number {
  for (const l of lines.slice(0, 200)) f(l); // warm up
  const runs: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    for (const l of lines) f(l);
    runs.push(bytes / 1e6 / ((performance.now() - t) / 1000));
  }
  return runs.sort((a, b) => a - b)[1]; // the median of three
}

export async function run(): Promise<void> {
  const labelled = corpus(LINES, SEED);
  const lines = labelled.map((l) => l.text);
  const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  const redactor = new SyncRedactor();
  const pledge = rate(lines, bytes, (l) => detect(l, { regions: CORPUS_REGIONS }));
  const baseline = rate(lines, bytes, (l) => redactor.redact(l));
  console.log(
    `\nbench/scan — ${LINES.toLocaleString("en")} corpus lines (${(bytes / 1e6).toFixed(1)} MB), seed ${SEED}, phone regions ${CORPUS_REGIONS.join(",")}\n`,
  );
  console.log(`| detector | MB/s | ratio |`);
  console.log(`|---|---|---|`);
  console.log(`| redact-pii SyncRedactor (baseline) | ${baseline.toFixed(2)} | 1.00 |`);
  console.log(`| Pledge detect | ${pledge.toFixed(2)} | **${(pledge / baseline).toFixed(2)}** |`);
  console.log(`\ntarget: ratio ≥ 10\n`);

  const { scores } = score(labelled, (t) => detect(t, { regions: CORPUS_REGIONS }));
  console.log(`| entity | labelled | detected | precision | recall |`);
  console.log(`|---|---|---|---|---|`);
  for (const s of scores)
    console.log(
      `| ${s.type} | ${s.labels.toLocaleString("en")} | ${s.detected.toLocaleString("en")} | ${s.precision.toFixed(4)} | ${s.recall.toFixed(4)} |`,
    );
  console.log(
    `\ntargets: precision ≥ 0.99 and recall ≥ 0.97 for email, phone, ip, card, iban, ssn; names and addresses as they are\n`,
  );

  if (LOG_MB > 0) {
    const dir = mkdtempSync(join(tmpdir(), "pledge-bench-scan-"));
    try {
      const file = join(dir, "big.log");
      const out = createWriteStream(file);
      const block = `${lines.join("\n")}\n`;
      let written = 0;
      const target = LOG_MB * 1024 * 1024;
      while (written < target) {
        if (!out.write(block)) await new Promise<void>((r) => out.once("drain", () => r()));
        written += Buffer.byteLength(block);
      }
      await new Promise<void>((r) => out.end(() => r()));
      const t = performance.now();
      let last = 0;
      const r = await scanFile(file, {
        regions: CORPUS_REGIONS,
        onProgress: (p) => {
          if (performance.now() - last > 10_000) {
            last = performance.now();
            process.stderr.write(
              `  ${(p.bytes / 1e6).toFixed(0)}/${(p.total / 1e6).toFixed(0)} MB · ${p.mbPerSecond.toFixed(1)} MB/s\n`,
            );
          }
        },
      });
      const s = (performance.now() - t) / 1000;
      console.log(
        `log file: ${(r.bytes / 1e6).toFixed(0)} MB, ${r.lines.toLocaleString("en")} lines in ${s.toFixed(1)} s (${(r.bytes / 1e6 / s).toFixed(1)} MB/s); ${r.entities.map((e) => `${e.count.toLocaleString("en")} ${e.type}`).join(", ")}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
