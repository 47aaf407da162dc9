/**
 * `pledge redact` on structured logs: JSON lines written with Python's `json.dumps` spacing, logfmt and CSV. Every
 * output line must parse in its format, and no labelled value of the corpus (test/helpers/log-corpus.ts, which
 * shares no code with the detectors) may survive.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { csvFields } from "../../src/discovery/index.js";
import { runCli } from "../helpers/cli.js";
import { logCorpus } from "../helpers/log-corpus.js";

/** An independent logfmt reader: `key=value` or `key="quoted \" value"`, separated by spaces. */
function parseLogfmt(line: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][\w.\-/]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)(?:\s+|$)/y;
  let i = 0;
  while (i < line.length) {
    re.lastIndex = i;
    const m = re.exec(line);
    if (!m) return undefined;
    out[m[1]] = m[2].startsWith('"') ? JSON.parse(m[2]) : m[2];
    i = re.lastIndex;
  }
  return out;
}

const env = { PLEDGE_DECLARATION: "/nonexistent/pledge.yaml" };
const corpus = logCorpus(1500, 4711);

describe("pledge redact keeps structured logs valid", () => {
  it("JSON lines with Python's spacing: every line parses, keys and numbers stay, every labelled value is gone", async () => {
    const lines = corpus.filter((l) => l.format === "json");
    assert.ok(lines.length > 100 && lines.every((l) => l.text.includes('", "') || l.text.includes(', "')));
    const r = await runCli(["redact"], env, { input: `${lines.map((l) => l.text).join("\n")}\n` });
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.trimEnd().split("\n");
    assert.equal(out.length, lines.length);
    out.forEach((o, k) => {
      const parsed = JSON.parse(o); // throws on a broken line
      const before = JSON.parse(lines[k].text);
      assert.deepEqual(Object.keys(parsed), Object.keys(before), "keys are never redacted");
      for (const key of ["time", "ts", "bytes", "duration_ms", "user_id", "items", "total", "updated_at"])
        if (key in before) assert.equal(parsed[key], before[key], `${key} is never a phone`);
      for (const lab of lines[k].labels) {
        const value = lines[k].text.slice(lab.start, lab.end);
        assert.ok(!o.includes(value), `${lab.type} ${value} survived in ${o}`);
      }
    });
    assert.match(r.stderr, /lines \(json\), masked/);
  });

  it("logfmt: every line parses with the same keys, and every labelled value is gone", async () => {
    const lines = corpus.filter((l) => l.format === "logfmt");
    assert.ok(lines.length > 100);
    const r = await runCli(["redact"], env, { input: `${lines.map((l) => l.text).join("\n")}\n` });
    assert.equal(r.code, 0, r.stderr);
    r.stdout
      .trimEnd()
      .split("\n")
      .forEach((o, k) => {
        const parsed = parseLogfmt(o);
        assert.ok(parsed, `not logfmt: ${o}`);
        assert.deepEqual(Object.keys(parsed), Object.keys(parseLogfmt(lines[k].text)!));
        for (const lab of lines[k].labels) {
          const value = lines[k].text.slice(lab.start, lab.end);
          assert.ok(!o.includes(value), `${lab.type} ${value} survived in ${o}`);
        }
      });
  });

  it("CSV with a header: every record keeps its field count, quoted fields stay quoted, labelled values are gone", async () => {
    const rows = corpus.filter((l) => l.format === "csv");
    assert.ok(rows.length > 50);
    const header = "id,name,email,phone,address,updated_at,language";
    // a quoted field that holds a line break and a doubled quote, as spreadsheets write them
    const extra =
      '7,"Lee, Ann",ann@example.com,(415) 555-2671,"221 Baker Street, London NW1 6XE","multi\nline ""note"""';
    const input = `${header}\n${rows.map((l) => l.text).join("\n")}\n${extra}\n`;
    const r = await runCli(["redact"], env, { input });
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.trimEnd();
    const records = out.split("\n");
    assert.equal(records[0], header);
    const body = records.slice(1, rows.length + 1);
    body.forEach((o, k) => {
      const fields = csvFields(o);
      assert.ok(fields && fields.length === 7, `not a 7-field record: ${o}`);
      for (const lab of rows[k].labels) {
        const value = rows[k].text.slice(lab.start, lab.end);
        assert.ok(!o.includes(value), `${lab.type} ${value} survived in ${o}`);
      }
      assert.equal(fields[5].value, csvFields(rows[k].text)![5].value, "updated_at is not a phone");
    });
    assert.ok(out.endsWith('"multi\nline ""note"""'), out.slice(-80));
    assert.match(r.stderr, /\(csv\), masked/);
  });

  it("a key that is personal data is redacted too, --types holds for field names, and a thing's name is no person", async () => {
    const input = [
      '{"anna@example.org": {"visits": 3}, "ip": "10.1.2.3", "email": "bob@example.com"}',
      '{"user_id": "carla@example.net", "lang_name": "Brazilian Portuguese", "customer_name": "Ana Lima"}',
    ].join("\n");
    const all = await runCli(["redact"], env, { input: `${input}\n` });
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(all.stdout.trimEnd().split("\n"), [
      '{"[email]": {"visits": 3}, "ip": "[ip]", "email": "[email]"}',
      '{"user_id": "[email]", "lang_name": "Brazilian Portuguese", "customer_name": "[name]"}',
    ]);
    const only = await runCli(["redact", "--types", "email"], env, { input: `${input}\n` });
    assert.deepEqual(only.stdout.trimEnd().split("\n"), [
      '{"[email]": {"visits": 3}, "ip": "10.1.2.3", "email": "[email]"}',
      '{"user_id": "[email]", "lang_name": "Brazilian Portuguese", "customer_name": "Ana Lima"}',
    ]);
  });

  it("--format auto: a sentence with a comma is no CSV header, and a line that is no record under a guessed header is text", async () => {
    const text = await runCli(["redact"], env, {
      input: 'Starting up, please wait\ncall "Anna" on +49 151 23456789\n',
    });
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, 'Starting up, please wait\ncall "Anna" on [phone]\n');
    assert.match(text.stderr, /\(text\)/);
    const guessed = await runCli(["redact"], env, {
      input: 'id,email\n1,a@example.org\nnote: "unclosed, b@example.org\n',
    });
    assert.equal(guessed.code, 0, guessed.stderr);
    assert.equal(guessed.stdout, 'id,email\n1,[email]\nnote: "unclosed, [email]\n');
  });

  it("a broken CSV record is refused with its line, and --format must be one the command knows", async () => {
    const r = await runCli(["redact", "--format", "csv"], env, { input: 'a,b\n1,"open\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 2: a quoted CSV field is not closed/);
    const bad = await runCli(["redact", "--format", "xml"], env, { input: "" });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format: one of auto, json, logfmt, csv, text/);
  });
});
