/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The admin console: login, requests by deadline (drawn), and a request with its actions. */
import type { FC } from "hono/jsx";
import { type Declaration, RIGHT_INFO, type RightName, categoriesOf, categoryName } from "../declaration/index.js";
import {
  daysLeft,
  describeVerification,
  isOpen,
  urgencyOf,
  type CollectResult,
  type RequestCounts,
  type RequestEvent,
  type RequestPreview,
  type RequestView,
  type TaskView,
} from "../requests/index.js";
import type { GovernanceOverview } from "../governance/index.js";
import { Page, renderPage } from "./layout.js";
import { ConfirmStep, Csrf, DataTable, count, Field, SignOut } from "./components/index.js";
import { ReportView } from "./privacy-center.js";
import { processorLine, type ProcessorResult } from "../requests/index.js";

const SHARED = " (an identity several people share)";

/** The rows a collection stopped on, as its task result holds them. */
type ReviewGroup = CollectResult["ambiguous"][number];

/** A task's kind and state in staff's words. */
const TASK_KINDS: Record<string, string> = {
  contact: "find where to send the code",
  collect: "search",
  erase: "erase",
  rectify: "correct",
  export: "build the download",
  notify: "tell the recipient",
  manual: "by hand",
  flag: "record for the decision API",
  processor: "vendor",
};
/** A processor's task still open to staff's answer or closing. */
const PROCESSOR_OPEN = ["asked", "failed", "pending"];

const TASK_STATES: Record<string, string> = {
  pending: "queued",
  running: "running",
  done: "done",
  failed: "failed",
  manual: "waiting for staff",
  waiting: "waiting for an earlier step",
  skipped: "skipped",
  review: "stopped for review",
  asked: "waiting for the vendor",
};

/** What each action on a request says once done. */
const DONE_MESSAGES: Record<string, string> = {
  approve: "Approved: the request runs now.",
  deny: "Denied: the requester was told, with the reason.",
  extend: "Deadline extended: the requester was told.",
  verify: "Marked verified.",
  hold: "Legal hold placed.",
  lift: "Legal holds lifted.",
  notes: "Note added.",
  retry: "Task queued again.",
  done: "Task marked done.",
  confirm: "Confirmed: the collection goes on.",
  appeal: "Appeal answered: the requester was told.",
  "new-link": "A new status link was mailed to the person; the old one no longer works.",
  assign: "Assignment saved: the assignee was mailed.",
  entered: "Request entered. Its deadline runs from the day it arrived.",
};

/** What a request's `attention` flag asks of staff. */
const ATTENTION: Record<string, string> = {
  nothing_found: "nothing found: check the identities and the systems",
  review: "stopped: the identities match several people's rows; say which are the person's, or deny",
  manual_verification: "verify the person by hand: no code could be sent to an address of theirs",
};

export const LoginPage: FC<{ organization: string; error?: string; email?: string; next?: string }> = ({
  organization,
  error,
  email,
  next,
}) => (
  <Page title="Sign in — Pledge" organization={organization}>
    <h1>Sign in</h1>
    {error ? (
      <p role="alert" class="error">
        {error}
      </p>
    ) : null}
    <form method="post" action="/admin/login">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <Field id="email" label="Email">
        <input type="email" name="email" id="email" value={email ?? ""} required autocomplete="username" />
      </Field>
      <Field id="password" label="Password">
        <input type="password" name="password" id="password" required autocomplete="current-password" />
      </Field>
      <p>
        <button type="submit">Sign in</button>
      </p>
    </form>
  </Page>
);

export { Csrf };

const SECTIONS = [
  ["/admin", "Home"],
  ["/admin/requests", "Requests"],
  ["/admin/agents", "Agents"],
  ["/admin/consent", "Consent"],
  ["/admin/retention", "Retention"],
  ["/admin/discovery", "Discovery"],
  ["/admin/map", "Data map"],
  ["/admin/dpia", "DPIA"],
  ["/admin/governance", "Governance"],
  ["/admin/users", "Users"],
] as const;

/** The console's sections: a sidebar on a wide screen, a menu that opens on a phone (no script needed). */
export const AdminNav: FC<{ csrf?: string; user: string }> = ({ csrf, user }) => (
  <details class="menu">
    <summary>Menu</summary>
    <nav aria-label="Console" class="console">
      <ul>
        {SECTIONS.map(([href, label]) => (
          <li>
            <a href={href}>{label}</a>
          </li>
        ))}
      </ul>
      <div class="who">
        <a href="/admin/account" title="Your account">
          {user}
        </a>
        <SignOut csrf={csrf} />
      </div>
    </nav>
  </details>
);

/** The registers' clocks and what waits for staff, one line with links (the governance page has the detail). */
const _GovernanceLine: FC<{ o: GovernanceOverview }> = ({ o }) => {
  const items = [
    o.clocksOverdue ? (
      <a class="overdue" href="/admin/governance/incidents">
        {o.clocksOverdue} breach clocks overdue
      </a>
    ) : null,
    o.incidentsOpen ? (
      <a href="/admin/governance/incidents">
        {o.incidentsOpen} open incidents ({o.clocksDueSoon} clocks due soon)
      </a>
    ) : null,
    o.accessAwaiting ? (
      <a href="/admin/governance/access">{o.accessAwaiting} access requests awaiting a decision</a>
    ) : null,
    o.custodyOverdue ? (
      <a class="overdue" href="/admin/governance/sessions">
        {o.custodyOverdue} recordings or copies past their date
      </a>
    ) : null,
    o.legalOpen ? <a href="/admin/governance/legal">{o.legalOpen} requests from authorities open</a> : null,
    o.agreementsExpiring ? (
      <a href="/admin/governance/agreements">{o.agreementsExpiring} agreements ending within 30 days</a>
    ) : null,
  ].filter(Boolean);
  return items.length ? (
    <p>
      Governance:{" "}
      {items.map((x, i) => (
        <>
          {i ? "; " : ""}
          {x}
        </>
      ))}
      .
    </p>
  ) : null;
};

/** Staff words for rights: the law table's short name (`Erasure`), never the id. */
export const rightName = (r: string) => RIGHT_INFO[r as RightName]?.name ?? r.replace(/_/g, " ");

/** The filters of the request list, as the query string carries them. */
export interface ListFilter {
  status?: string;
  right?: string;
  regime?: string;
  due?: string;
  q?: string;
  /** `mine` or `none` (nobody's). */
  assigned?: string;
}

/** How a request arrived, in staff's words. */
export const CHANNELS: Record<RequestView["channel"], string> = {
  web: "privacy center",
  email: "email",
  letter: "letter",
  phone: "phone",
  in_person: "in person",
  drp: "authorized agent (DRP)",
};

const STATUS_TONES: Record<string, string> = {
  unverified: "",
  pending_approval: "warn",
  in_progress: "",
  needs_attention: "danger",
  appealed: "warn",
  withdrawn: "",
  completed: "ok",
  denied: "",
  expired: "",
};
/** A request's status as a badge. */
export const StatusBadge: FC<{ status: string }> = ({ status }) => (
  <span class={`badge ${STATUS_TONES[status] ?? ""}`}>{status.replace(/_/g, " ")}</span>
);

const queryOf = (f: ListFilter, extra: Record<string, string | number> = {}) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v !== undefined && v !== "") p.set(k, String(v));
  const q = p.toString();
  return q ? `?${q}` : "";
};

export const RequestListPage: FC<{
  decl: Declaration;
  requests: RequestView[];
  counts: RequestCounts;
  page: number;
  pageSize: number;
  now: Date;
  csrf?: string;
  user: string;
  filter: ListFilter;
  statuses: readonly string[];
  regimes: readonly string[];
  /** Staff a request can be given to. */
  staff: { email: string; name: string }[];
  /** An action on many requests just done. */
  bulk?: { action: string; changed: number; failed: number };
}> = ({ decl, requests, counts, page, pageSize, now, csrf, user, filter, statuses, regimes, staff, bulk }) => {
  const staffNames = Object.fromEntries(staff.map((u) => [u.email, u.name]));
  const running = (r: RequestView) => isOpen(r.status) && r.status !== "unverified";
  const open = requests.filter(running);
  const maxDays = Math.max(30, ...open.map((r) => Math.abs(daysLeft(new Date(r.effectiveDueAt), now))));
  const first = (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + requests.length;
  const pages = Math.max(1, Math.ceil(counts.total / pageSize));
  const rights = decl.rights.offered.filter((r) => !["complaint"].includes(r));
  return (
    <Page
      title="Requests — Pledge"
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      {bulk ? (
        <p class={bulk.failed ? "flash error" : "flash"} role="status" id="bulk-done">
          {`${count(bulk.changed, "request")} changed`}
          {bulk.failed ? `; ${count(bulk.failed, "request")} could not be (see each request's page)` : ""}.
        </p>
      ) : null}
      <div class="actions">
        <h1>Requests</h1>
        <a class="button secondary" href="/admin/requests/new">
          Enter a request
        </a>
      </div>
      <p>
        {counts.open} open; {counts.overdue} overdue; {counts.dueSoon} due within a week; {counts.unverified} waiting
        for the person's code (no clock runs until then).
      </p>
      <form method="get" action="/admin/requests" class="filters">
        <div class="actions">
          <label>
            Search{" "}
            <input
              type="search"
              name="q"
              value={filter.q ?? ""}
              placeholder="R-2026-0142, email, phone"
              maxlength={200}
            />
          </label>
          <label>
            Status{" "}
            <select name="status">
              <option value="">any</option>
              {statuses.map((st) => (
                <option value={st} selected={filter.status === st}>
                  {st.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
          <label>
            Right{" "}
            <select name="right">
              <option value="">any</option>
              {rights.map((r) => (
                <option value={r} selected={filter.right === r}>
                  {rightName(r)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Law{" "}
            <select name="regime">
              <option value="">any</option>
              {regimes.map((r) => (
                <option value={r} selected={filter.regime === r}>
                  {r.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          <label>
            Assigned{" "}
            <select name="assigned">
              <option value="">to anyone</option>
              <option value="mine" selected={filter.assigned === "mine"}>
                to me
              </option>
              <option value="none" selected={filter.assigned === "none"}>
                to nobody
              </option>
            </select>
          </label>
          <label>
            Deadline{" "}
            <select name="due">
              <option value="">any</option>
              <option value="open" selected={filter.due === "open"}>
                open
              </option>
              <option value="soon" selected={filter.due === "soon"}>
                due within a week
              </option>
              <option value="overdue" selected={filter.due === "overdue"}>
                overdue
              </option>
              <option value="unverified" selected={filter.due === "unverified"}>
                waiting for a code
              </option>
            </select>
          </label>
          <button type="submit">Filter</button>
          <a href="/admin/requests">Clear</a>
          <a href={`/admin/requests.csv${queryOf(filter)}`}>Download CSV</a>
        </div>
      </form>
      {requests.length ? (
        <form method="post" action="/admin/requests/bulk" id="bulk">
          <Csrf token={csrf} />
          <DataTable
            id="requests"
            caption="Open requests first, by deadline. The bar shows the days left."
            head={[<span class="sr-only">Select</span>, "Reference", "Right", "Status", "Assignee", "Due", "Days left"]}
          >
            {requests.map((r) => {
              const due = new Date(r.effectiveDueAt);
              const left = daysLeft(due, now);
              const urgency = urgencyOf(due, now);
              return (
                <tr>
                  <td>
                    <input type="checkbox" name="ids" value={r.id} aria-label={`Select ${r.reference}`} />
                  </td>
                  <td>
                    <a class="nowrap" href={`/admin/requests/${r.id}`}>
                      {r.reference}
                    </a>
                    <br />
                    <small class="muted">
                      {r.name ?? r.identity}
                      {r.channel !== "web" ? ` · ${CHANNELS[r.channel]}` : ""}
                    </small>
                    {r.attention ? (
                      <>
                        <br />
                        <span class="flag">{ATTENTION[r.attention] ?? r.attention.replace(/_/g, " ")}</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {rightName(r.right)}
                    <br />
                    <small class="muted">{r.regime.toUpperCase()}</small>
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{r.assignee ? (staffNames[r.assignee] ?? r.assignee) : <span class="muted">nobody</span>}</td>
                  <td class="nowrap">{running(r) ? r.effectiveDueAt.slice(0, 10) : "—"}</td>
                  <td class="nowrap">
                    {running(r) ? (
                      <>
                        <span
                          class={`bar ${urgency}`}
                          style={`width:${Math.max(2, Math.round((Math.abs(left) / maxDays) * 80))}px`}
                          aria-hidden="true"
                        ></span>{" "}
                        <span class={urgency}>{left < 0 ? `${count(-left, "day")} overdue` : count(left, "day")}</span>
                      </>
                    ) : r.status === "unverified" ? (
                      <span class="muted">waiting for the code</span>
                    ) : (
                      "closed"
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
          <fieldset class="bulk">
            <legend>With the selected requests</legend>
            <div class="actions">
              <label>
                Action
                <select name="action" required>
                  <option value="assign">Assign to…</option>
                  <option value="unassign">Unassign</option>
                  <option value="extend">Extend the deadline, with a reason</option>
                  <option value="verify">Mark verified by hand, saying how</option>
                </select>
              </label>
              <label>
                Staff member
                <select name="assignee">
                  {staff.map((u) => (
                    <option value={u.email}>{u.name}</option>
                  ))}
                </select>
              </label>
              <label>
                Reason or note
                <input type="text" name="note" maxlength={2000} />
              </label>
              <button type="submit" class="secondary">
                Review…
              </button>
            </div>
          </fieldset>
        </form>
      ) : (
        <p class="empty">
          {counts.total || Object.values(filter).some(Boolean)
            ? "No request matches these filters. Clear them to see every request."
            : "No requests yet. They arrive through the privacy center; enter one that came by letter or phone above."}
        </p>
      )}
      <nav aria-label="Pages" id="pages">
        <p>
          {counts.total ? `Requests ${first}–${last} of ${counts.total}. ` : null}
          {page > 1 ? (
            <a href={`/admin/requests${queryOf(filter, { page: page - 1 })}`} rel="prev">
              Previous page
            </a>
          ) : null}
          {page > 1 && page < pages ? " · " : null}
          {page < pages ? (
            <a href={`/admin/requests${queryOf(filter, { page: page + 1 })}`} rel="next">
              Next page
            </a>
          ) : null}
        </p>
      </nav>
    </Page>
  );
};

export const RequestDetailPage: FC<{
  decl: Declaration;
  request: RequestView;
  tasks: TaskView[];
  events: RequestEvent[];
  documents: { id: number; filename: string; kind: string }[];
  now: Date;
  csrf?: string;
  user: string;
  canApprove: boolean;
  /** The action just done (its route's last word), for the message at the top. */
  done?: string;
  canAct: boolean;
  /** Staff the request can be given to. */
  staff?: { email: string; name: string }[];
}> = ({ decl, request: r, tasks, events, documents, now, csrf, user, canApprove, canAct, done, staff = [] }) => {
  const holdEvents = events.filter((e) => e.kind === "legal_hold" || e.kind === "legal_hold_lifted");
  const hold = holdEvents.at(-1)?.kind === "legal_hold" ? holdEvents.at(-1) : undefined;
  const due = new Date(r.effectiveDueAt);
  const left = daysLeft(due, now);
  const open = isOpen(r.status);
  const action = (path: string) => `/admin/requests/${r.id}/${path}`;
  return (
    <Page
      title={`${r.reference}: ${rightName(r.right)} — Pledge`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      {done && DONE_MESSAGES[done] ? (
        <p class="flash" role="status" id="done">
          {DONE_MESSAGES[done]}
        </p>
      ) : null}
      <p>
        <a href="/admin/requests">Requests</a>
      </p>
      <h1>
        {r.reference}: {rightName(r.right)}
      </h1>
      {hold ? (
        <p class="flash error" id="hold" role="status">
          <span class="badge hold">Legal hold</span> {hold.message} (placed {hold.at.slice(0, 10)} by {hold.actor}). The
          person's data is preserved until the hold is lifted.
        </p>
      ) : null}
      {r.attention ? (
        <p role="status" id="attention">
          <span class="flag">{ATTENTION[r.attention] ?? r.attention.replace(/_/g, " ")}</span>
        </p>
      ) : null}
      <dl>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={r.status} />
        </dd>
        <dt>Assignee</dt>
        <dd id="assignee">
          {canAct && open ? (
            <form method="post" action={action("assign")} class="actions">
              <Csrf token={csrf} />
              <label class="sr-only" for="assign-to">
                Assign to
              </label>
              <select id="assign-to" name="assignee">
                <option value="">nobody</option>
                {staff.map((u) => (
                  <option value={u.email} selected={r.assignee === u.email}>
                    {u.name}
                  </option>
                ))}
              </select>
              <button type="submit" class="secondary">
                Assign
              </button>
            </form>
          ) : r.assignee ? (
            (staff.find((u) => u.email === r.assignee)?.name ?? r.assignee)
          ) : (
            "nobody"
          )}
        </dd>
        <dt>Reference</dt>
        <dd>
          {r.reference} <small class="muted">({r.id})</small>
        </dd>
        <dt>Identity</dt>
        <dd>
          {r.identityType}: {r.identity}
          {r.redacted ? " (redacted when the request closed; only its hash is kept)" : ""}
        </dd>
        <dt>Verification</dt>
        <dd id="verification">
          {r.verifiedAt && r.verification
            ? `${describeVerification(r.verification, !!r.agent)} — ${r.verifiedAt.slice(0, 16).replace("T", " ")}`
            : r.verification?.to
              ? `not verified yet: a code was sent to ${r.verification.to} (${r.verification.source})`
              : "not verified yet"}
        </dd>
        <dt>Contact</dt>
        <dd>
          {r.name ? `${r.name}, ` : ""}
          {r.contactEmail}
        </dd>
        {r.agent ? (
          <>
            <dt>Authorized agent</dt>
            <dd>
              {r.agent.name} ({r.agent.email}) — the agent gets the status mail; the person confirms with their own code
              {documents.map((d) => (
                <>
                  {" "}
                  — <a href={action(`documents/${d.id}`)}>{d.filename}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        <dt>Jurisdiction</dt>
        <dd>
          {r.jurisdiction} ({r.regime.toUpperCase()})
        </dd>
        <dt>Received</dt>
        <dd>
          {r.receivedAt.slice(0, 16).replace("T", " ")}, {CHANNELS[r.channel]}
        </dd>
        <dt>Due</dt>
        <dd class={open ? urgencyOf(due, now) : undefined}>
          {r.effectiveDueAt.slice(0, 10)}
          {open ? ` (${left < 0 ? `${-left} days overdue` : `${left} days left`})` : ""}
          {r.extensionReason ? ` — extended: ${r.extensionReason}` : ""}
          {r.status === "appealed" ? " — the appeal's deadline" : ""}
        </dd>
        {r.appeal ? (
          <>
            <dt>Appeal</dt>
            <dd id="appeal">
              appealed {r.appeal.appealedAt.slice(0, 10)}: “{r.appeal.reason}”; answer due{" "}
              <strong>{r.appeal.dueAt.slice(0, 10)}</strong>
              {r.appeal.outcome ? ` — ${r.appeal.outcome}: ${r.appeal.answer ?? ""}` : ""}
            </dd>
          </>
        ) : null}
        {Object.keys(r.details.corrections).length ? (
          <>
            <dt>Corrections</dt>
            <dd>
              {Object.entries(r.details.corrections)
                .map(
                  ([k, v]) =>
                    `${categoryName(k, categoriesOf(decl))}: ${
                      v === "[redacted]" ? "the new value was removed when the request closed" : v
                    }`,
                )
                .join("; ")}
            </dd>
          </>
        ) : null}
        {r.details.purposes.length ? (
          <>
            <dt>Purposes</dt>
            <dd>{r.details.purposes.map((p) => decl.purposes[p]?.name ?? p).join(", ")}</dd>
          </>
        ) : null}
      </dl>

      {r.right === "access" || r.right === "portability" ? (
        <section aria-labelledby="export-title">
          <h2 id="export-title">What the export holds</h2>
          {(() => {
            const found = tasks
              .filter((t) => t.kind === "collect" && t.status === "done")
              .flatMap((t) =>
                (((t.result ?? {}) as { datasets?: { dataset: string; found: number }[] }).datasets ?? [])
                  .filter((d) => d.found)
                  .map((d) => ({ file: `${t.target}/${d.dataset}.json`, rows: d.found })),
              );
            const manual = tasks.filter((t) => t.kind === "manual");
            return found.length || manual.length ? (
              <ul id="export-contents">
                {found.map((f) => (
                  <li>
                    <code>{f.file}</code>: {f.rows} row{f.rows === 1 ? "" : "s"}
                  </li>
                ))}
                {manual.map((t) => (
                  <li>{decl.systems[t.target]?.name ?? t.target}: what staff note when they search it by hand</li>
                ))}
                <li>
                  <code>README.txt</code>: what each file is, the purposes, recipients and retention from the notice
                </li>
              </ul>
            ) : (
              <p class="empty">Nothing collected yet.</p>
            );
          })()}
          <p class="hint">The file itself is sealed to the person's status link: staff cannot open it.</p>
        </section>
      ) : null}
      {canApprove && r.verifiedAt ? (
        <form method="post" action={action("new-link")}>
          <Csrf token={csrf} />
          <p>
            <button type="submit" class="secondary">
              Mail the person a new status link
            </button>{" "}
            <small class="muted">
              The old link stops working; an open request's export is built again for the new one.
            </small>
          </p>
        </form>
      ) : null}

      {canAct
        ? tasks
            .filter((t) => t.status === "review")
            .map((t) => {
              const ambiguous = ((t.result ?? {}) as { ambiguous?: ReviewGroup[] }).ambiguous ?? [];
              if (!ambiguous.some((a) => a.candidates?.length)) return null;
              return (
                <section aria-labelledby={`review-${t.id}`} class="review">
                  <h2 id={`review-${t.id}`}>Whose rows? {decl.systems[t.target]?.name ?? t.target}</h2>
                  <p>
                    The identities matched several people's rows. Tick the person's; the others are someone else's: they
                    are left as they are, and their identities are not searched. Nothing changes until you go ahead.
                  </p>
                  <form method="post" action={action(`tasks/${t.id}/confirm`)}>
                    <Csrf token={csrf} />
                    {ambiguous.map((a) => (
                      <fieldset>
                        <legend>Rows of {a.dataset}</legend>
                        {(a.candidates ?? []).map((cand) => (
                          <div class="choice">
                            <input type="hidden" name="shown" value={cand.ref} />
                            <input
                              type="checkbox"
                              name="person"
                              value={cand.ref}
                              id={`person-${cand.ref}`}
                              checked={cand.matched.some((m) => !m.shared)}
                            />{" "}
                            <label for={`person-${cand.ref}`}>
                              <strong>{cand.shown}</strong>, matched by{" "}
                              {cand.matched.map((m) => `${m.field} ${m.shown}${m.shared ? SHARED : ""}`).join(" and ")}
                            </label>
                          </div>
                        ))}
                      </fieldset>
                    ))}
                    <p>
                      <button type="submit">Go ahead with the rows ticked</button>
                    </p>
                  </form>
                </section>
              );
            })
        : null}

      <h2>Systems</h2>
      <DataTable
        head={["Step", "System or recipient", "Status", "Tries", "Detail", "Action"]}
        rows={tasks.length}
        empty={
          r.status === "pending_approval"
            ? "Nothing runs until the request is approved: review what it will do below."
            : r.status === "unverified"
              ? "Nothing runs until the person confirms with their code, or staff verify them by hand."
              : "No step yet."
        }
      >
        {tasks.map((t) => {
          const res = (t.result ?? {}) as {
            datasets?: { dataset: string; found: number; notMatched: number }[];
            report?: {
              dataset: string;
              found: number;
              deleted?: number;
              masked?: number;
              unchanged?: number;
              corrected?: number;
            }[];
            ambiguous?: ReviewGroup[];
            channels?: number;
            source?: string;
            note?: string;
            verified?: boolean;
          };
          return (
            <tr>
              <td>{TASK_KINDS[t.kind] ?? t.kind}</td>
              <td>{decl.systems[t.target]?.name ?? decl.recipients[t.target]?.name ?? t.target}</td>
              <td>
                {t.kind === "processor" && t.status === "pending" && (res as { jobs?: string[] }).jobs?.length
                  ? "checking the vendor's job"
                  : (TASK_STATES[t.status] ?? t.status)}
              </td>
              <td>{t.attempts}</td>
              <td>
                {t.error ? <span class="error">{t.error}</span> : null}
                {res.datasets && !res.report
                  ? res.datasets
                      .filter((d) => d.found || d.notMatched)
                      .map(
                        (d) =>
                          `${d.dataset}: ${d.found} found` +
                          `${d.notMatched ? `, ${d.notMatched} of other people not matched` : ""}`,
                      )
                      .join(", ") || "nothing found"
                  : null}
                {res.report
                  ? res.report
                      .map(
                        (d) =>
                          `${d.dataset}: ${d.found} found` +
                          (d.deleted !== undefined
                            ? `, ${d.deleted} deleted, ${d.masked ?? 0} masked, ${d.unchanged ?? 0} kept`
                            : "") +
                          `${d.corrected !== undefined ? `, ${d.corrected} corrected` : ""}`,
                      )
                      .join("; ") || "nothing found"
                  : null}
                {t.kind === "erase" && t.status === "done" ? (res.verified ? " — verified" : " — not verified") : null}
                {t.status === "review" && res.ambiguous ? (
                  <strong class="block">
                    {res.ambiguous
                      .map((a) => `${a.rows} rows of ${a.dataset} matched, where one person is expected`)
                      .join("; ")}
                  </strong>
                ) : null}
                {t.kind === "contact" && t.status === "done"
                  ? res.channels === 1
                    ? `code sent to the address on file (${res.source})`
                    : res.channels === undefined
                      ? ""
                      : `${res.channels ? "several addresses on file" : "no address on file"}: verify ` +
                        `the person by hand`
                  : null}
                {t.kind === "processor" ? (
                  <span class="processor">
                    {processorLine(res as unknown as ProcessorResult, t.status)}
                    {(res as { dueBasis?: string }).dueBasis && !(res as { confirmedAt?: string }).confirmedAt
                      ? ` — the due date is ${(res as { dueBasis: string }).dueBasis}`
                      : ""}
                    {(res as { answer?: string }).answer ? ` — ${(res as { answer: string }).answer}` : ""}
                  </span>
                ) : null}
                {res.note ? res.note : null}
                {t.status === "manual" ? "waiting for a person" : null}
                {t.status === "pending" && t.attempts > 0 ? ` next try ${t.nextRunAt.slice(11, 19)} UTC` : null}
              </td>
              <td>
                {canAct && (t.status === "failed" || (t.status === "pending" && t.attempts > 0)) ? (
                  <form class="inline" method="post" action={action(`tasks/${t.id}/retry`)}>
                    <Csrf token={csrf} />
                    <button type="submit">Retry now</button>
                  </form>
                ) : null}
                {canAct && t.status === "review" && res.ambiguous?.some((a) => a.candidates?.length) ? (
                  <a href={`#review-${t.id}`}>Decide above</a>
                ) : canAct && t.status === "review" ? (
                  <form class="inline" method="post" action={action(`tasks/${t.id}/confirm`)}>
                    <Csrf token={csrf} />
                    <button type="submit">Confirm they are one person</button>
                  </form>
                ) : null}
                {canAct && t.kind === "processor" && PROCESSOR_OPEN.includes(t.status) ? (
                  <a href={`#processor-${t.id}`}>Below</a>
                ) : null}
                {canAct && t.status === "manual" ? <a href={`#manual-${t.id}`}>Below</a> : null}
              </td>
            </tr>
          );
        })}
      </DataTable>

      {canAct
        ? tasks
            .filter((t) => t.kind === "manual" && t.status === "manual")
            .map((t) => {
              const res = (t.result ?? {}) as { assignee?: string | null; due?: string | null; checklist?: string[] };
              const c = decl.systems[t.target]?.connector as { instructions?: string; contact?: string } | undefined;
              const name = decl.systems[t.target]?.name ?? t.target;
              return (
                <section aria-labelledby={`manual-${t.id}`} class="processor-task">
                  <h2 id={`manual-${t.id}`}>By hand: {name}</h2>
                  <p>
                    Pledge cannot reach {name}: a person does this.
                    {res.assignee ? ` Assigned to ${res.assignee}, who was sent it by mail.` : ""}
                    {res.due ? ` Due ${res.due.slice(0, 10)}.` : ""}
                  </p>
                  {c?.instructions ? <p>{c.instructions}</p> : null}
                  <form method="post" enctype="multipart/form-data" action={action(`tasks/${t.id}/done`)}>
                    <Csrf token={csrf} />
                    {res.checklist?.length ? (
                      <fieldset>
                        <legend>Confirm each</legend>
                        {res.checklist.map((item, i) => (
                          <p>
                            <label>
                              <input type="checkbox" name={`check-${i}`} required /> {item}
                            </label>
                          </p>
                        ))}
                      </fieldset>
                    ) : null}
                    <label for={`note-${t.id}`}>What was done</label>
                    <br />
                    <input type="text" name="note" id={`note-${t.id}`} required />
                    <br />
                    <label for={`evidence-${t.id}`}>Evidence (optional): a scan, a photo, a reply</label>
                    <br />
                    <input type="file" name="file" id={`evidence-${t.id}`} />
                    <p>
                      <button type="submit">Mark done</button>
                    </p>
                  </form>
                </section>
              );
            })
        : null}
      {canAct
        ? tasks
            .filter((t) => t.kind === "processor" && PROCESSOR_OPEN.includes(t.status))
            .map((t) => {
              const res = (t.result ?? {}) as Partial<ProcessorResult>;
              const vendor = res.vendor ?? decl.systems[t.target]?.name ?? t.target;
              const line = processorLine(res as ProcessorResult, t.status);
              return (
                <section aria-labelledby={`processor-${t.id}`} class="processor-task">
                  <h2 id={`processor-${t.id}`}>Waiting for {vendor}</h2>
                  <p>
                    {res.askedAt ? `${line[0].toUpperCase()}${line.slice(1)}.` : `${vendor} has not been asked yet.`}
                    {res.answer ? ` ${res.answer}.` : ""} The request completes only once {vendor} has confirmed, or you
                    close this with a reason the report shows.
                  </p>
                  {t.status === "pending" && res.jobs?.length ? (
                    <form method="post" action={action(`tasks/${t.id}/retry`)}>
                      <Csrf token={csrf} />
                      <p>
                        {vendor} is running {res.operation === "erase" ? "the erasure" : "it"} as a job; Pledge checks
                        it again at {t.nextRunAt.slice(0, 16).replace("T", " ")} UTC.{" "}
                        <button type="submit" class="secondary">
                          Check with {vendor} now
                        </button>
                      </p>
                    </form>
                  ) : null}
                  <form method="post" enctype="multipart/form-data" action={action(`tasks/${t.id}/answer`)}>
                    <Csrf token={csrf} />
                    <label for={`answer-${t.id}`}>What {vendor} answered</label>
                    <br />
                    <input type="text" name="note" id={`answer-${t.id}`} required />
                    <br />
                    <label for={`reply-${t.id}`}>Their reply, as evidence (optional)</label>
                    <br />
                    <input type="file" name="file" id={`reply-${t.id}`} />
                    <p>
                      <button type="submit">Record the answer</button>
                    </p>
                  </form>
                  <form method="post" action={action(`tasks/${t.id}/close`)}>
                    <Csrf token={csrf} />
                    <label for={`close-${t.id}`}>Or close it without {vendor}'s confirmation, because</label>
                    <br />
                    <input type="text" name="reason" id={`close-${t.id}`} required minlength={3} />
                    <p>
                      <button type="submit" class="secondary">
                        Close without confirmation
                      </button>
                    </p>
                  </form>
                </section>
              );
            })
        : null}
      {r.report ? <ReportView decl={decl} right={r.right} report={r.report} /> : null}
      {open ? (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">Actions</h2>
          {canAct && r.status === "unverified" ? (
            <form method="post" action={action("verify")}>
              <Csrf token={csrf} />
              <label for="verify-note">
                Verify the person by hand, saying how (an ID checked, a call to the number on file)
              </label>
              <br />
              <input type="text" name="note" id="verify-note" required /> <button type="submit">Verified</button>
            </form>
          ) : null}
          {canApprove && r.status === "pending_approval" ? (
            <p>
              <a class="button" href={action("approve")}>
                Review and approve…
              </a>{" "}
              <small class="muted">Shows what the request will do in each system before anything changes.</small>
            </p>
          ) : null}
          {canApprove && r.status === "appealed" ? (
            <form method="post" action={action("appeal")}>
              <Csrf token={csrf} />
              <fieldset>
                <legend>Answer the appeal</legend>
                <label>
                  <input type="radio" name="outcome" value="reversed" required /> Reverse: carry out the request
                </label>
                <br />
                <label>
                  <input type="radio" name="outcome" value="upheld" /> Uphold the denial
                </label>
                <br />
                <label for="appeal-answer">The answer the requester is told</label>
                <br />
                <input type="text" name="answer" id="appeal-answer" required /> <button type="submit">Answer</button>
              </fieldset>
            </form>
          ) : null}
          {canApprove && r.status !== "appealed" ? (
            <form method="post" action={action("deny")}>
              <Csrf token={csrf} />
              <label for="deny-reason">Deny, with the reason the requester is told</label>
              <br />
              <input type="text" name="reason" id="deny-reason" required />{" "}
              <button type="submit" class="danger">
                Deny
              </button>
            </form>
          ) : null}
          {canAct && !r.extendedDueAt && r.status !== "appealed" ? (
            <form method="post" action={action("extend")}>
              <Csrf token={csrf} />
              <label for="extend-reason">
                Extend the deadline, with the reason the law requires (complexity or number of requests)
              </label>
              <br />
              <input type="text" name="reason" id="extend-reason" required />
              <br />
              <label for="extend-days">by (days)</label>{" "}
              <input type="number" name="days" id="extend-days" min={1} max={90} placeholder="the law's maximum" />{" "}
              <button type="submit">Extend</button>
            </form>
          ) : null}
        </section>
      ) : null}
      {canAct ? (
        <form method="post" action={action("hold")}>
          <Csrf token={csrf} />
          <label for="hold-reason">Place a legal hold on this person (their data is preserved until lifted)</label>
          <br />
          <input type="text" name="reason" id="hold-reason" required />{" "}
          <button type="submit" class="secondary">
            Place hold
          </button>
        </form>
      ) : null}
      {canAct ? (
        <form method="post" action={action("hold/lift")}>
          <Csrf token={csrf} />
          <button type="submit" class="secondary">
            Lift legal holds
          </button>
        </form>
      ) : null}
      {canAct ? (
        <form method="post" action={action("notes")}>
          <Csrf token={csrf} />
          <label for="note">Add a note</label>
          <br />
          <input type="text" name="note" id="note" required /> <button type="submit">Add</button>
        </form>
      ) : null}

      <h2>Timeline</h2>
      <ol>
        {events.map((e) => (
          <li>
            {e.at.slice(0, 19).replace("T", " ")} — {e.actor}: {e.message}
          </li>
        ))}
      </ol>
    </Page>
  );
};

export const loginPageHtml = (p: { organization: string; error?: string; email?: string; next?: string }) =>
  renderPage(<LoginPage {...p} />);
export const requestListHtml = (p: Parameters<typeof RequestListPage>[0]) => renderPage(<RequestListPage {...p} />);
export const requestDetailHtml = (p: Parameters<typeof RequestDetailPage>[0]) =>
  renderPage(<RequestDetailPage {...p} />);

/** What approving will do, from the same collection and plan the run will use; approved only from here. */
export const ApprovePreviewPage: FC<{
  decl: Declaration;
  request: RequestView;
  preview: RequestPreview;
  csrf?: string;
  user: string;
}> = ({ decl, request: r, preview, csrf, user }) => {
  const rows = preview.systems.flatMap((s) => s.datasets);
  const total = (k: "found" | "deleted" | "masked" | "kept") => rows.reduce((a, d) => a + d[k], 0);
  const erasure = r.right === "erasure";
  const correction = r.right === "rectification";
  const changes = rows.reduce((a, d) => a + d.changes.reduce((b, c) => b + c.rows, 0), 0);
  return (
    <Page
      title={`Approve ${r.reference}? — ${decl.organization.name}`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      <p>
        <a href={`/admin/requests/${r.id}`}>{r.reference}</a>
      </p>
      <h1>
        Approve {r.reference}: {rightName(r.right)}?
      </h1>
      <ConfirmStep
        title="What approving will do"
        action={`/admin/requests/${r.id}/approve`}
        csrf={csrf}
        confirm={
          erasure
            ? `Approve: erase ${count(total("deleted"), "row")}${total("masked") ? `, mask ${total("masked")}` : ""}`
            : correction
              ? `Approve: correct ${count(changes, "value")}`
              : "Approve"
        }
        back={`/admin/requests/${r.id}`}
        danger={erasure || correction}
      >
        <p id="preview-summary">
          {count(total("found"), "row")} of the person's found in{" "}
          {count(preview.systems.filter((s) => s.datasets.length).length, "system")}
          {erasure
            ? `: ${total("deleted")} to delete, ${total("masked")} to mask, ${total("kept")} to keep.`
            : correction
              ? `: ${count(changes, "value")} to correct.`
              : "."}
        </p>
        <DataTable
          id="preview"
          head={
            correction
              ? ["System", "Data", "Field", "Now", "After", "Rows"]
              : erasure
                ? ["System", "Data", "Found", "Delete", "Mask", "Keep", "Why kept"]
                : ["System", "Data", "Found"]
          }
          rows={rows.length}
          empty="Nothing of the person's was found in the systems searched automatically."
        >
          {preview.systems.flatMap((s) =>
            s.datasets.flatMap((d) =>
              correction
                ? d.changes.map((ch) => (
                    <tr>
                      <td>{s.name}</td>
                      <td>{d.name}</td>
                      <td>{ch.label}</td>
                      <td>
                        <del>{ch.before || "(empty)"}</del>
                      </td>
                      <td>
                        <ins>{ch.after}</ins>
                      </td>
                      <td>{ch.rows}</td>
                    </tr>
                  ))
                : [
                    <tr>
                      <td>{s.name}</td>
                      <td>{d.name}</td>
                      <td>{d.found}</td>
                      {erasure ? (
                        <>
                          <td>{d.deleted}</td>
                          <td>{d.masked}</td>
                          <td>{d.kept}</td>
                          <td>{d.reasons.join("; ")}</td>
                        </>
                      ) : null}
                    </tr>,
                  ],
            ),
          )}
        </DataTable>
        {preview.systems
          .filter((s) => s.error)
          .map((s) => (
            <p class="error">
              {s.name} could not be searched now ({s.error}); the run will try again.
            </p>
          ))}
        {preview.manual.length ? <p>Searched by hand: {preview.manual.join(", ")}.</p> : null}
        {preview.processors.length ? <p>Asked to do the same: {preview.processors.join(", ")}.</p> : null}
      </ConfirmStep>
    </Page>
  );
};

export const approvePreviewHtml = (p: Parameters<typeof ApprovePreviewPage>[0]) =>
  renderPage(<ApprovePreviewPage {...p} />);
