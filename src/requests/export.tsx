/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The export of an access or portability request: a ZIP holding, per dataset,
 * one JSON and one CSV file with every column of the person's rows, and an
 * HTML summary a person can read: their data, where they appear acting for the
 * organization, where it looked and found nothing, and the GDPR Art 15(1)(a)–(h)
 * information taken from the declaration. It is built in memory and sealed
 * before it is stored (export-seal.ts).
 */
import { strToU8, zipSync } from "fflate";
import { LEGAL_BASIS_INFO, basesOf, type Declaration } from "../declaration/index.js";
import { accessView, type SystemCollection } from "../execution/index.js";
import { buildNotice, NoticeArticle, noticeStyle } from "../notice/index.js";
import type { Row } from "../connectors/index.js";
import { toCsv } from "../csv/index.js";

function csv(rows: Row[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return toCsv(
    cols,
    rows.map((r) => cols.map((c) => r[c])),
  );
}

/**
 * Categories a portability export covers: data the person provided, processed on consent or contract (GDPR Art 20(1)).
 */
function portableCategories(decl: Declaration): Set<string> {
  const out = new Set<string>();
  for (const p of Object.values(decl.purposes)) {
    if (
      basesOf(p).some((b) => b.basis === "consent" || b.basis === "contract") &&
      p.sources.some((s) => s === "subject" || s === "observed")
    )
      p.dataCategories.forEach((c) => out.add(c));
  }
  return out;
}

export interface ExportInput {
  requestId: string;
  right: "access" | "portability";
  name?: string;
  generatedAt: Date;
  collections: SystemCollection[];
  /** Per system, the datasets never searched and why. */
  notReached: { system: string; datasets: { dataset: string; why: string }[] }[];
  manual: { system: string; note: string }[];
  /** What each processor returned over its API, as it returned it; a line for those asked by mail. */
  processors?: { system: string; vendor: string; records?: unknown[]; line: string }[];
}

/** Builds the ZIP. */
export async function buildExport(
  decl: Declaration,
  input: ExportInput,
): Promise<{ filename: string; data: Uint8Array }> {
  const portable = portableCategories(decl);
  const covers =
    input.right === "portability"
      ? (c: string) => [...portable].some((p) => c === p || c.startsWith(`${p}.`))
      : undefined;
  const files: Record<string, Uint8Array> = {};
  const tables: { system: string; dataset: string; rows: Row[] }[] = [];
  for (const col of input.collections) {
    for (const [dataset, rows] of Object.entries(accessView(decl, col, covers))) {
      files[`${col.system}/${dataset}.json`] = strToU8(JSON.stringify(rows, null, 2));
      files[`${col.system}/${dataset}.csv`] = strToU8(csv(rows));
      tables.push({ system: col.system, dataset, rows });
    }
  }
  for (const p of input.processors ?? [])
    if (p.records) files[`processors/${p.system}.json`] = strToU8(JSON.stringify(p.records, null, 2));
  const notice = buildNotice(decl);
  const art15 = {
    ...notice,
    sections: notice.sections.filter((s) =>
      ["controller", "purposes", "recipients", "transfers", "retention", "rights", "automated"].includes(s.id),
    ),
  };
  const org = decl.organization;
  const page = (
    <html lang="en" data-theme="light">
      <head>
        <meta charset="utf-8" />
        <title>Your data at {org.shortName ?? org.name}</title>
        {noticeStyle()}
      </head>
      <body>
        <main class="container">
          <h1>Your data at {org.shortName ?? org.name}</h1>
          <p>
            {input.name ? `Prepared for ${input.name}. ` : ""}Request {input.requestId} (
            {input.right === "portability" ? "data portability, GDPR Art 20" : "access, GDPR Art 15"}), generated{" "}
            {input.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC.
          </p>
          <p>Every table below is also in this archive as JSON and CSV, in a folder per system.</p>
          <h2>Your data</h2>
          {tables.length === 0 ? <p>We found no data about you in the systems searched automatically.</p> : null}
          {tables.map((t) => (
            <section>
              <h3>
                {decl.systems[t.system]?.name ?? t.system}: {t.dataset} ({t.rows.length} row
                {t.rows.length === 1 ? "" : "s"})
              </h3>
              <table>
                <thead>
                  <tr>
                    {Object.keys(t.rows[0] ?? {}).map((k) => (
                      <th scope="col">{k}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {t.rows.slice(0, 200).map((r) => (
                    <tr>
                      {Object.values(r).map((v) => (
                        <td>{v === null || v === undefined ? "" : String(v)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              {t.rows.length > 200 ? <p>The first 200 rows are shown; all are in the JSON and CSV files.</p> : null}
            </section>
          ))}
          {input.collections.some((c) => c.actors.length) ? (
            <>
              <h2>Where you appear acting for us</h2>
              <p>
                These records name you as the person who handled them (for instance as staff). They are about other
                people, so they are not copied here.
              </p>
              <ul>
                {input.collections.flatMap((c) =>
                  c.actors.map((a) => (
                    <li>
                      {decl.systems[c.system]?.name ?? c.system}: {a.rows} row{a.rows === 1 ? "" : "s"} of {a.dataset} (
                      {a.field})
                    </li>
                  )),
                )}
              </ul>
            </>
          ) : null}
          <h2>Where we looked</h2>
          <ul>
            {input.collections.flatMap((c) =>
              Object.entries(c.searched)
                .filter(([d, s]) => s.by.length && !(c.datasets[d] ?? []).some((r) => r.own))
                .map(([d, s]) => (
                  <li>
                    {decl.systems[c.system]?.name ?? c.system}: {d} — searched by {s.by.join(", ")}; nothing found
                  </li>
                )),
            )}
            {input.notReached.flatMap((n) =>
              n.datasets.map((d) => (
                <li>
                  {decl.systems[n.system]?.name ?? n.system}: {d.dataset} — not searched: {d.why}
                </li>
              )),
            )}
          </ul>
          {input.manual.length ? (
            <>
              <h2>Systems searched by staff</h2>
              <ul>
                {input.manual.map((m) => (
                  <li>
                    {decl.systems[m.system]?.name ?? m.system}: {m.note || "done"}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {input.processors?.length ? (
            <>
              <h2>Held by our processors</h2>
              <ul>
                {input.processors.map((p) => (
                  <li>
                    {p.vendor}: {p.records ? `${p.records.length} record(s), in processors/${p.system}.json` : p.line}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h2>How we use it (GDPR Art 15(1)(a)–(h))</h2>
          <p>
            Purposes and legal bases:{" "}
            {Object.values(decl.purposes)
              .map(
                (p) =>
                  `${p.name}${
                    basesOf(p).length
                      ? ` (${basesOf(p)
                          .map((b) => LEGAL_BASIS_INFO[b.basis].name + (b.scope ? `, for ${b.scope}` : ""))
                          .join("; ")})`
                      : ""
                  }`,
              )
              .join("; ")}
            .
          </p>
          <NoticeArticle doc={art15} />
        </main>
      </body>
    </html>
  );
  files["summary.html"] = strToU8(`<!doctype html>\n${String(await page)}`);
  return {
    filename: `${input.right}-${input.requestId}.zip`,
    data: zipSync(files, { level: 6, mtime: input.generatedAt }),
  };
}
