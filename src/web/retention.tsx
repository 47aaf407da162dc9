/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The console's retention page: each rule's limit against its oldest row, its sweeps over time, and the legal holds.
 */
import type { FC } from "hono/jsx";
import type { Declaration } from "../declaration/index.js";
import type {
  Hold,
  PlanEntry,
  RetentionCheck,
  RetentionStat,
  SweepRunSummary,
  VerifyResult,
} from "../retention/index.js";
import { AdminNav, Csrf } from "./admin.js";
import { Page, renderPage } from "./layout.js";
import { ConfirmStep, Field, count } from "./components/index.js";
import { datasetLabel, systemLabel } from "../notice/index.js";

/** The oldest row's age as a bar against the limit (the black mark); past the mark, red. */
const AgeBar: FC<{ e: PlanEntry }> = ({ e }) => {
  if (e.oldestDays === null) return <span>no dated rows</span>;
  const scale = Math.max(e.limitDays * 1.5, e.oldestDays);
  const over = e.oldestDays > e.limitDays;
  const color = !over ? "#3a9a55" : e.unexplained > 0 ? "#b00020" : "#e08a00";
  return (
    <div class="age" role="img" aria-label={`oldest row ${e.oldestDays} days old; limit ${e.limitDays} days`}>
      <div
        class="fill"
        style={`width:${((Math.min(e.oldestDays, scale) / scale) * 100).toFixed(1)}%;background:${color}`}
      />
      <div class="limit" style={`left:${((e.limitDays / scale) * 100).toFixed(1)}%`} />
    </div>
  );
};

/** Rows removed per day over the last 30 days, as bars. */
const SweptChart: FC<{ stat: RetentionStat }> = ({ stat }) => {
  const max = Math.max(1, ...stat.daily.map((d) => d.rows));
  const w = 180;
  const h = 36;
  const bw = w / stat.daily.length;
  const total = stat.daily.reduce((a, d) => a + d.rows, 0);
  return (
    <svg
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={`${total} rows changed by sweeps in the last ${stat.daily.length} days`}
      class="swept"
    >
      <title>{`${total} rows changed by sweeps in the last ${stat.daily.length} days`}</title>
      {stat.daily.map((d, i) =>
        d.rows ? (
          <rect
            x={i * bw + 0.5}
            y={h - (d.rows / max) * (h - 2)}
            width={Math.max(bw - 1, 1)}
            height={(d.rows / max) * (h - 2)}
            fill="#0b57d0"
          >
            <title>{`${d.day}: ${d.rows} rows`}</title>
          </rect>
        ) : null,
      )}
      <line x1={0} x2={w} y1={h - 0.5} y2={h - 0.5} stroke="#999" />
    </svg>
  );
};

export const RetentionPage: FC<{
  decl: Declaration;
  plan: PlanEntry[];
  stats: RetentionStat[];
  holds: Hold[];
  obsolescence: Record<string, string | undefined>;
  csrf?: string;
  user: string;
  canAct: boolean;
  result?: SweepRunSummary;
  /** The last full promise check, as the home page counts it. */
  lastCheck?: RetentionCheck;
  /** A promise check just run from this page. */
  verified?: VerifyResult;
  error?: string;
}> = ({ decl, plan, stats, holds, obsolescence, csrf, user, canAct, result, lastCheck, verified, error }) => (
  <Page
    title={`Retention — ${decl.organization.name}`}
    organization={decl.organization.name}
    sidebar={<AdminNav csrf={csrf} user={user} />}
  >
    <h1>Retention</h1>
    {error ? (
      <p role="alert" class="error">
        {error}
      </p>
    ) : null}
    {result ? (
      <p role="status" id="sweep-result" class="flash">
        {`Swept ${result.binding}: ${count(result.deleted, "row")} deleted, ${count(result.masked, "row")} masked, ` +
          `${count(result.blocked, "row")} kept and blocked, ${count(result.held, "row")} held.`}
      </p>
    ) : null}
    {verified ? (
      <div role="status" id="verify-result" class={verified.ok ? "flash" : "flash error"}>
        {verified.ok
          ? `Promise check: every one of the ${verified.entries.length} rule bindings holds no row past its limit.`
          : `Promise check: ${verified.failures.length} of ${verified.entries.length} rule bindings failed.`}
        {verified.failures.length ? (
          <ul>
            {verified.failures.map((f) => (
              <li>{f}</li>
            ))}
          </ul>
        ) : null}
      </div>
    ) : null}
    <p id="last-check">
      {lastCheck
        ? `Last promise check: ${lastCheck.at.slice(0, 16).replace("T", " ")} UTC by ${lastCheck.actor}, ` +
          (lastCheck.ok
            ? `all ${lastCheck.checked} bindings kept.`
            : `${lastCheck.failing} failing and ${lastCheck.unreachable} not reached of ${lastCheck.checked}.`)
        : "No promise check has run yet: the home page has nothing to count until one does."}{" "}
      The worker checks every binding daily; the table below is read live.
    </p>
    {canAct ? (
      <form method="post" action="/admin/retention/verify">
        <Csrf token={csrf} />
        <button type="submit" class="secondary">
          Check every promise now
        </button>
      </form>
    ) : null}
    <p>
      Each rule bound to a dataset: its limit, the oldest row's age drawn against it (the black mark is the limit; amber
      past it means the rows left are kept for a law or held, red means a row no hold or exception explains), the last
      sweep, and the rows changed by sweeps each day for 30 days.
    </p>
    <div class="table">
      <table id="rules" tabindex={0}>
        <thead>
          <tr>
            <th scope="col">Rule and dataset</th>
            <th scope="col">Limit</th>
            <th scope="col">Oldest row</th>
            <th scope="col">Due now</th>
            <th scope="col">Last sweep</th>
            <th scope="col">Changed, 30 days</th>
            {canAct ? <th scope="col"></th> : null}
          </tr>
        </thead>
        <tbody>
          {plan.map((e, i) => {
            const stat = stats.find((s) => s.binding === e.binding);
            const firstOfSystem = plan.findIndex((x) => x.system === e.system) === i;
            return (
              <tr id={`rule-${e.binding.replace(/[^A-Za-z0-9_-]/g, "-")}`}>
                <td>
                  {firstOfSystem ? <span id={`system-${e.system}`} /> : null}
                  <strong>{e.rule}</strong>
                  <br />
                  {e.system}.{e.dataset}
                </td>
                <td>
                  {e.action === "deidentify" ? "de-identify" : e.action} after {e.period}
                </td>
                <td>
                  {e.error ? <span class="late">not reached: {e.error}</span> : <AgeBar e={e} />}
                  {e.oldestDays !== null ? (
                    <small>
                      {" "}
                      {e.oldestDays} days (limit {e.limitDays})
                    </small>
                  ) : null}
                  {e.note ? (
                    <>
                      <br />
                      <small>{e.note}</small>
                    </>
                  ) : null}
                </td>
                <td>
                  <span class={e.unexplained ? "late" : "kept"}>{e.unexplained} to sweep</span>
                  {e.blocked ? <div class="kept">{e.blocked} kept and blocked</div> : null}
                  {e.held.map((h) => (
                    <div>
                      {h.rows} held: {h.reason}
                    </div>
                  ))}
                </td>
                <td>
                  {e.lastSweep
                    ? `${e.lastSweep.at.slice(0, 16).replace("T", " ")} UTC: ${e.lastSweep.deleted} ` +
                      `deleted, ${e.lastSweep.masked} masked, ${e.lastSweep.blocked} kept`
                    : "never"}
                </td>
                <td>{stat ? <SweptChart stat={stat} /> : null}</td>
                {canAct && e.system !== "pledge" ? (
                  <td>
                    <a class="button danger" href={`/admin/retention/sweep?binding=${encodeURIComponent(e.binding)}`}>
                      Sweep now<span class="sr-only"> ({e.binding})</span>…
                    </a>
                  </td>
                ) : canAct ? (
                  <td></td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>

    <h2 id="holds">Legal holds</h2>
    {holds.length ? (
      <div class="table">
        <table tabindex={0}>
          <thead>
            <tr>
              <th scope="col">On</th>
              <th scope="col">Reason</th>
              <th scope="col">Placed</th>
              <th scope="col">Ends</th>
              {canAct ? <th scope="col"></th> : null}
            </tr>
          </thead>
          <tbody>
            {holds.map((h) => (
              <tr class="hold">
                <td>
                  {h.scope}: {[h.system, h.dataset, h.rowKey].filter(Boolean).join(".")}
                  {h.before ? ` (rows before ${h.before})` : ""}
                </td>
                <td>{h.reason}</td>
                <td>
                  {h.placedAt.slice(0, 10)} by {h.placedBy}
                </td>
                <td>{h.endsAt ?? "until lifted"}</td>
                {canAct ? (
                  <td>
                    <form method="post" action={`/admin/retention/holds/${h.id}/lift`}>
                      <Csrf token={csrf} />
                      <button type="submit" aria-label={`Lift hold ${h.id}`}>
                        Lift
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    ) : (
      <p>No legal hold is in force. (Holds on a person are placed from their request.)</p>
    )}
    {canAct ? (
      <form method="post" action="/admin/retention/holds" id="place-hold">
        <Csrf token={csrf} />
        <fieldset>
          <legend>Place a legal hold</legend>
          <div class="grid">
            <Field id="hold-system" label="System">
              <select name="system" id="hold-system" required>
                {Object.entries(decl.systems).map(([id, s]) => (
                  <option value={id}>{s.name}</option>
                ))}
              </select>
            </Field>
            <Field id="hold-dataset" label="Dataset" hint="Empty: the whole system">
              <input type="text" name="dataset" id="hold-dataset" pattern="[a-z][a-z0-9_]*" />
            </Field>
            <Field id="hold-key" label="Row key" hint="A case: the row and everything that belongs to it">
              <input type="text" name="key" id="hold-key" />
            </Field>
          </div>
          <div class="grid">
            <Field id="hold-before" label="Only rows from before" hint="A date; empty: rows of any age">
              <input type="date" name="before" id="hold-before" />
            </Field>
            <Field id="hold-until" label="Ends on" hint="Empty: until it is lifted">
              <input type="date" name="endsAt" id="hold-until" />
            </Field>
          </div>
          <Field
            id="hold-reason"
            label="Reason"
            hint="Told to whoever meets the hold: a case, a claim, an authority's order"
          >
            <input type="text" name="reason" id="hold-reason" required minlength={3} />
          </Field>
          <button type="submit">Place hold</button>
        </fieldset>
      </form>
    ) : null}

    <h2 id="obsolescence">Systems going out of use</h2>
    <p>Rules that run from a system's obsolescence start their clock on this date.</p>
    <div class="table">
      <table tabindex={0}>
        <tbody>
          {Object.entries(decl.systems).map(([id, s]) => (
            <tr>
              <td>{s.name}</td>
              <td>{obsolescence[id] ?? "in use"}</td>
              {canAct ? (
                <td>
                  <form method="post" action="/admin/retention/obsolescence" class="inline">
                    <Csrf token={csrf} />
                    <input type="hidden" name="system" value={id} />
                    <label for={`obs-${id}`}>Out of use on</label>{" "}
                    <input type="date" name="date" id={`obs-${id}`} required /> <button type="submit">Set</button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </Page>
);

export const retentionPageHtml = (p: Parameters<typeof RetentionPage>[0]) => renderPage(<RetentionPage {...p} />);

/** What "Sweep now" will do, from the sweep's own dry run, before anything is deleted. */
export const SweepPreviewPage: FC<{
  decl: Declaration;
  entry: PlanEntry;
  csrf?: string;
  user: string;
}> = ({ decl, entry: e, csrf, user }) => {
  const s = e.sweep;
  const held = e.held.reduce((a, h) => a + h.rows, 0);
  const nothing = !s || (s.deleted === 0 && s.masked === 0 && s.blocked === 0);
  return (
    <Page
      title={`Sweep ${e.system}.${e.dataset}? — ${decl.organization.name}`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      <p>
        <a href="/admin/retention">Retention</a>
      </p>
      <h1>
        Sweep {systemLabel(decl, e.system)}: {datasetLabel(decl, e.system, e.dataset)} now?
      </h1>
      <p class="muted">
        {e.system}.{e.dataset}
      </p>
      <p>
        Rule <strong>{e.rule}</strong>: {e.action === "deidentify" ? "de-identify" : e.action} after {e.period}.
        {e.cutoff ? ` Rows whose clock started before ${e.cutoff.slice(0, 10)} are due.` : ""}
      </p>
      {e.error ? (
        <p role="alert" class="error">
          The system could not be reached: {e.error}
        </p>
      ) : nothing ? (
        <p class="flash" id="nothing-due">
          Nothing to sweep: {count(e.due, "row")} due, {count(e.blocked, "row")} kept under the law and{" "}
          {count(held, "row")} held. <a href="/admin/retention">Back to retention</a>
        </p>
      ) : (
        <ConfirmStep
          title="What the sweep will do"
          action="/admin/retention/sweep"
          csrf={csrf}
          fields={{ binding: e.binding }}
          confirm={s.deleted ? `Delete ${count(s.deleted, "row")}` : `Change ${count(s.masked + s.blocked, "row")}`}
          back="/admin/retention"
          danger
        >
          <ul id="sweep-preview">
            <li>
              <strong>{count(s.deleted, "row")}</strong> deleted: {count(s.deletedOfDataset, "row")} of{" "}
              {datasetLabel(decl, e.system, e.dataset).toLowerCase()}
              {s.deleted > s.deletedOfDataset
                ? ` and ${count(s.deleted - s.deletedOfDataset, "row")} that belong to them`
                : ""}
              .
            </li>
            {s.masked ? (
              <li>
                <strong>{count(s.masked, "row")}</strong> masked: kept, with the personal fields replaced.
              </li>
            ) : null}
            {s.blocked ? (
              <li>
                <strong>{count(s.blocked, "row")}</strong> kept and blocked: a law requires keeping them.
              </li>
            ) : null}
            {held ? (
              <li>
                <strong>{count(held, "row")}</strong> kept under legal holds (
                {e.held.map((h) => `${h.reason}: ${count(h.rows, "row")}`).join("; ")}).
              </li>
            ) : null}
            {e.blocked ? <li>{count(e.blocked, "row")} were kept and blocked by an earlier sweep.</li> : null}
          </ul>
          <p>The sweep is recorded in the audit log. Deleted rows cannot be brought back.</p>
        </ConfirmStep>
      )}
    </Page>
  );
};

export const sweepPreviewHtml = (props: Parameters<typeof SweepPreviewPage>[0]) =>
  renderPage(<SweepPreviewPage {...props} />);
