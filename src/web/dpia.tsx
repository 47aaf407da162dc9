/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** DPIA screening per purpose, and a purpose's DPIA record with its versions. */
import type { FC } from "hono/jsx";
import type { Declaration } from "../declaration/index.js";
import type { DpiaRecord, Screening } from "../dpia/index.js";
import { AdminNav, Csrf } from "./admin.js";
import { Page, renderPage } from "./layout.js";

const BADGE: Record<string, string> = { required: "badge danger", recommended: "badge hold", "not indicated": "badge" };

export const DpiaPage: FC<{
  decl: Declaration;
  screenings: Screening[];
  records: Record<string, number>;
  canAct: boolean;
  csrf?: string;
  user: string;
}> = ({ decl, screenings, records, canAct, csrf, user }) => (
  <Page
    title={`DPIA screening — ${decl.organization.name}`}
    organization={decl.organization.name}
    sidebar={<AdminNav csrf={csrf} user={user} />}
  >
    <h1>DPIA screening</h1>
    <p class="muted">
      From what declaration {decl.version} states, per purpose: the cases of GDPR Art 35(3), where a DPIA is always
      required, and the nine criteria of WP248 rev.01, of which two or more require one.
    </p>
    <ul class="tiles">
      {(["required", "recommended", "not indicated"] as const).map((r) => (
        <li>
          <strong>{screenings.filter((s) => s.result === r).length}</strong>
          {r}
        </li>
      ))}
    </ul>
    {screenings.map((s) => (
      <section id={`purpose-${s.purpose}`} data-result={s.result}>
        <h2>
          {s.name} <span class={BADGE[s.result]}>DPIA {s.result}</span>
        </h2>
        <ul>
          {s.reasons.map((r) => (
            <li>{r}</li>
          ))}
        </ul>
        <div class="actions">
          {records[s.purpose] ? (
            <a class="button secondary" href={`/admin/dpia/${s.purpose}`}>
              DPIA record (version {records[s.purpose]})
            </a>
          ) : canAct ? (
            <form method="post" action={`/admin/dpia/${s.purpose}/open`}>
              <Csrf token={csrf} />
              <button type="submit" class={s.result === "required" ? "" : "secondary"}>
                Open a DPIA record, drafted from the declaration
              </button>
            </form>
          ) : (
            <span class="muted">No DPIA record yet.</span>
          )}
        </div>
      </section>
    ))}
  </Page>
);

export const DpiaRecordPage: FC<{
  decl: Declaration;
  record: DpiaRecord;
  versions: { version: number; createdAt: string; createdBy: string; declarationVersion: string }[];
  latest: number;
  canAct: boolean;
  saved?: boolean;
  csrf?: string;
  user: string;
}> = ({ decl, record, versions, latest, canAct, saved, csrf, user }) => {
  const b = record.body;
  const editable = canAct && record.version === latest;
  const name = decl.purposes[record.purpose]?.name ?? record.purpose;
  return (
    <Page
      title={`DPIA: ${name} — ${decl.organization.name}`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      <p>
        <a href="/admin/dpia">All purposes</a>
      </p>
      <h1>DPIA: {name}</h1>
      {saved ? (
        <p class="flash" role="status">
          Saved as version {record.version}.
        </p>
      ) : null}
      <p class="muted">
        Version {record.version} of {latest}, {record.createdAt.slice(0, 16).replace("T", " ")} by {record.createdBy},
        against declaration {record.declarationVersion}. Screening when opened: {b.screening.result}.
      </p>
      <form method="post" action={`/admin/dpia/${record.purpose}`}>
        <Csrf token={csrf} />
        <fieldset disabled={!editable}>
          <legend id="dpia-a">Art 35(7)(a): description of the processing</legend>
          <textarea name="description" aria-labelledby="dpia-a" rows={8}>
            {b.description}
          </textarea>
        </fieldset>
        <fieldset disabled={!editable}>
          <legend id="dpia-b">Art 35(7)(b): necessity and proportionality</legend>
          <textarea name="necessity" aria-labelledby="dpia-b" rows={7}>
            {b.necessity}
          </textarea>
        </fieldset>
        <fieldset disabled={!editable}>
          <legend>Art 35(7)(c): risks to people's rights and freedoms</legend>
          {b.risks.length ? null : <p class="empty">No criterion was met when the record was opened.</p>}
          {b.risks.map((r, i) => (
            <div class="field">
              <input type="hidden" name={`criterion${i}`} value={r.criterion} />
              <label for={`risk${i}`}>{r.criterion}</label>
              <textarea id={`risk${i}`} name={`risk${i}`} rows={3}>
                {r.risk}
              </textarea>
            </div>
          ))}
        </fieldset>
        <fieldset disabled={!editable}>
          <legend id="dpia-d">Art 35(7)(d): measures (one per line)</legend>
          <textarea name="measures" aria-labelledby="dpia-d" rows={6}>
            {b.measures.join("\n")}
          </textarea>
        </fieldset>
        <fieldset disabled={!editable}>
          <legend id="dpia-conclusion">Conclusion</legend>
          <textarea name="conclusion" aria-labelledby="dpia-conclusion" rows={4}>
            {b.conclusion}
          </textarea>
        </fieldset>
        {editable ? <button type="submit">Save as version {latest + 1}</button> : null}
      </form>
      <h2>Versions</h2>
      <ol reversed>
        {versions.map((v) => (
          <li>
            <a href={`/admin/dpia/${record.purpose}?version=${v.version}`}>Version {v.version}</a>,{" "}
            {v.createdAt.slice(0, 16).replace("T", " ")} by {v.createdBy} (declaration {v.declarationVersion})
          </li>
        ))}
      </ol>
    </Page>
  );
};

export const dpiaPageHtml = (p: Parameters<typeof DpiaPage>[0]) => renderPage(<DpiaPage {...p} />);
export const dpiaRecordHtml = (p: Parameters<typeof DpiaRecordPage>[0]) => renderPage(<DpiaRecordPage {...p} />);
