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
import {
  buildNotice,
  datasetLabel,
  fieldLabel,
  NoticeArticle,
  noticeStyle,
  systemLabel,
  valueText,
} from "../notice/index.js";
import type { Row } from "../connectors/index.js";
import { toCsv } from "../csv/index.js";

function csv(rows: Row[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return toCsv(
    cols,
    rows.map((r) => cols.map((c) => r[c])),
  );
}

/** A column of an export as people read it: the field's name for them; a lookup shown beside its key (`film_id.title`)
 * as the referenced field's. */
function columnLabel(decl: Declaration, system: string, dataset: string, column: string): string {
  const [field, ...path] = column.split(".");
  if (!path.length) return fieldLabel(decl, system, dataset, field);
  const ref = decl.systems[system]?.datasets[dataset]?.fields[field]?.references?.split(".");
  return ref && ref.length === 2 ? fieldLabel(decl, system, ref[0], path.at(-1)!) : path.at(-1)!.replace(/_/g, " ");
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
  /** The request's reference, as the person's mails name it. */
  reference?: string;
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
            {input.name ? `Prepared for ${input.name}. ` : ""}Request {input.reference ?? input.requestId} (
            {input.right === "portability" ? "data portability, GDPR Art 20" : "access, GDPR Art 15"}), generated{" "}
            {input.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC.
          </p>
          <p>
            Everything below is also in this archive, as JSON and CSV files a computer can read, in a folder for each of
            our systems.
          </p>
          <h2>Your data</h2>
          {tables.length === 0 ? <p>We found no data about you in the systems searched automatically.</p> : null}
          {tables.map((t) => {
            const columns = [...new Set(t.rows.flatMap((r) => Object.keys(r)))];
            return (
              <section>
                <h3>
                  {systemLabel(decl, t.system)}: {datasetLabel(decl, t.system, t.dataset)} ({t.rows.length} record
                  {t.rows.length === 1 ? "" : "s"})
                </h3>
                <div class="table">
                  <table>
                    <thead>
                      <tr>
                        {columns.map((k) => (
                          <th scope="col">{columnLabel(decl, t.system, t.dataset, k)}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {t.rows.slice(0, 200).map((r) => (
                        <tr>
                          {columns.map((k) => (
                            <td>{valueText(decl, t.system, t.dataset, k, r[k])}</td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {t.rows.length > 200 ? (
                  <p>The first 200 records are shown; all are in the JSON and CSV files.</p>
                ) : null}
              </section>
            );
          })}
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
                      {systemLabel(decl, c.system)}: {a.rows} record{a.rows === 1 ? "" : "s"} of{" "}
                      {datasetLabel(decl, c.system, a.dataset)} ({fieldLabel(decl, c.system, a.dataset, a.field)})
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
                    {systemLabel(decl, c.system)}: {datasetLabel(decl, c.system, d)} — searched by{" "}
                    {[
                      ...new Set(
                        s.by.map((b) => {
                          const field = /^(\w+) \(/.exec(b)?.[1];
                          return field ? fieldLabel(decl, c.system, d, field) : "links to your other records";
                        }),
                      ),
                    ].join(", ")}
                    ; nothing found
                  </li>
                )),
            )}
            {input.notReached.flatMap((n) =>
              n.datasets.map((d) => (
                <li>
                  {systemLabel(decl, n.system)}: {datasetLabel(decl, n.system, d.dataset)} — not searched: {d.why}
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
                    {systemLabel(decl, m.system)}: {m.note || "done"}
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
                    {p.vendor}:{" "}
                    {p.records
                      ? `${p.records.length} record${p.records.length === 1 ? "" : "s"}, ` +
                        "in the archive's processors folder"
                      : p.line}
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
