/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The console's discovery page: per system, what recorded scans found, the open findings over time, and dismissal with
 * a reason.
 */
import type { FC } from "hono/jsx";
import type { Declaration } from "../declaration/index.js";
import type { StoredFinding } from "../discovery/index.js";
import { AdminNav, Csrf } from "./admin.js";
import { Page, renderPage } from "./layout.js";
import { count, scheduleWords } from "./components/index.js";

type Scan = {
  id: number;
  at: string;
  trigger: string;
  tables: number;
  findings: number;
  newFindings: number;
  systems: Record<string, { tables: number; findings: number; error?: string }>;
};

/** Open findings after each scan, as bars; new ones darker. */
const History: FC<{ scans: Scan[] }> = ({ scans }) => {
  const w = 360;
  const h = 60;
  const max = Math.max(1, ...scans.map((s) => s.findings));
  const bw = scans.length ? w / scans.length : w;
  const last = scans[scans.length - 1];
  const label = last
    ? `${count(scans.length, "scan")}; after the latest, ${count(last.findings, "finding")} open`
    : "no scan yet";
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} id="scan-history">
      <title>{label}</title>
      {scans.map((s, i) => (
        <g>
          <rect
            x={i * bw + 0.5}
            y={h - (s.findings / max) * (h - 2)}
            width={Math.max(bw - 1, 1)}
            height={(s.findings / max) * (h - 2)}
            fill="#9bb7e8"
          >
            <title>
              {`${s.at.slice(0, 16).replace("T", " ")} (${s.trigger}): ${s.findings} open, ` + `${s.newFindings} new`}
            </title>
          </rect>
          {s.newFindings ? (
            <rect
              x={i * bw + 0.5}
              y={h - (Math.min(s.newFindings, s.findings) / max) * (h - 2)}
              width={Math.max(bw - 1, 1)}
              height={(Math.min(s.newFindings, s.findings) / max) * (h - 2)}
              fill="#0b57d0"
            />
          ) : null}
        </g>
      ))}
      <line x1={0} x2={w} y1={h - 0.5} y2={h - 0.5} stroke="#999" />
    </svg>
  );
};

export const DiscoveryPage: FC<{
  decl: Declaration;
  findings: StoredFinding[];
  scans: Scan[];
  schedule: string;
  csrf?: string;
  user: string;
  canAct: boolean;
  notice?: string;
  error?: string;
}> = ({ decl, findings, scans, schedule, csrf, user, canAct, notice, error }) => {
  const systems = Object.keys(decl.systems);
  const count = (s: string, status: StoredFinding["status"]) =>
    findings.filter((f) => f.system === s && f.status === status).length;
  const last = scans[scans.length - 1];
  return (
    <Page
      title={`Discovery — ${decl.organization.name}`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      <h1>Discovery</h1>
      <p>
        Personal data in the systems that the declaration does not mention, from recorded scans (
        {schedule === "off" ? "no schedule" : `Scans run ${scheduleWords(schedule).replace(/^At/, "at")}`}
        {last ? `; last ${last.at.slice(0, 16).replace("T", " ")} UTC` : ""}). Findings show masked examples only.
      </p>
      {error ? (
        <p role="alert" class="late">
          {error}
        </p>
      ) : null}
      {notice ? <p role="status">{notice}</p> : null}
      {canAct ? (
        <form method="post" action="/admin/discovery/scan">
          <Csrf token={csrf} />
          <button type="submit">Scan now</button>
        </form>
      ) : null}
      <h2>Over time</h2>
      <History scans={scans} />
      <h2>Per system</h2>
      <div class="table">
        <table id="systems" tabindex={0}>
          <thead>
            <tr>
              <th>System</th>
              <th>Open</th>
              <th>Dismissed</th>
              <th>Gone</th>
              <th>Last scan</th>
            </tr>
          </thead>
          <tbody>
            {systems.map((s) => {
              const seen = [...scans].reverse().find((x) => x.systems[s]);
              return (
                <tr id={`system-${s}`}>
                  <td>{decl.systems[s].name}</td>
                  <td class={count(s, "open") ? "open" : ""}>{count(s, "open")}</td>
                  <td>{count(s, "dismissed")}</td>
                  <td>{count(s, "gone")}</td>
                  <td>
                    {seen
                      ? seen.systems[s].error
                        ? `not scanned: ${seen.systems[s].error}`
                        : `${seen.systems[s].tables} tables`
                      : "never scanned"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2>Findings</h2>
      {findings.length ? (
        <div class="table">
          <table id="findings" tabindex={0}>
            <thead>
              <tr>
                <th>#</th>
                <th>Status</th>
                <th>Finding</th>
                <th>Seen</th>
                {canAct ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => (
                <tr id={`finding-${f.id}`}>
                  <td>{f.id}</td>
                  <td class={f.status}>{f.status}</td>
                  <td>
                    <strong>[{f.rule}]</strong> {f.message}
                    {f.dismissed ? (
                      <p>
                        Dismissed by {f.dismissed.by} on {f.dismissed.at.slice(0, 10)}: {f.dismissed.reason}
                      </p>
                    ) : null}
                    {f.fragment && f.status === "open" ? (
                      <details>
                        <summary>What would declare it</summary>
                        <pre class="fragment" tabindex={0}>
                          {f.fragment}
                        </pre>
                      </details>
                    ) : null}
                  </td>
                  <td>
                    first {f.firstSeen.slice(0, 10)}, last {f.lastSeen.slice(0, 10)}
                  </td>
                  {canAct ? (
                    <td>
                      {f.status === "open" ? (
                        <form method="post" action={`/admin/discovery/findings/${f.id}/dismiss`}>
                          <Csrf token={csrf} />
                          <label for={`reason-${f.id}`}>Reason</label>{" "}
                          <input name="reason" id={`reason-${f.id}`} required minlength={3} maxlength={1000} />{" "}
                          <button type="submit" aria-label={`Dismiss finding ${f.id}`}>
                            Dismiss
                          </button>
                        </form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>
          No finding recorded
          {scans.length
            ? ": every scan found only what the declaration says."
            : " yet: scan now, or wait for the schedule."}
        </p>
      )}
    </Page>
  );
};

export const discoveryPageHtml = (p: Parameters<typeof DiscoveryPage>[0]) => renderPage(<DiscoveryPage {...p} />);
