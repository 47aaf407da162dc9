/**
 * CSV for people's spreadsheets (records of processing, exports, subscriber
 * lists): every cell quoted when needed and defused against formula injection
 * (a cell starting with = + - @ is prefixed with '). Log files rewritten by the
 * files connector use connectors/files/csv.ts instead, which keeps them exact.
 */

/** One spreadsheet-safe cell. */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows to CSV text with CRLF line ends; the header first. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `${[header.map(csvCell).join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\r\n")}\r\n`;
}
