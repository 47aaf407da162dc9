/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The governance registers in the console (staff access, sessions and copies,
 * authorities' requests, agreements, sub-processors, incidents) and the pages
 * people outside the organization reach by a link: a customer's consent to
 * staff access, a session form to sign, an objection, the transparency report
 * and the sub-processor list. Every form works without JavaScript.
 */
import type { Child, FC } from "hono/jsx";
import type { Declaration } from "../declaration/index.js";
import {
  INSTRUMENT_LABELS,
  INSTRUMENTS,
  NATURES,
  RISK_LABELS,
  RISKS,
  VERIFICATION_CHECKS,
  type AccessRequestView,
  type AgreementView,
  type ChangeView,
  type Counterparty,
  type CustodyView,
  type DisclosurePreview,
  type Drafts,
  type GovernanceOverview,
  type IncidentClock,
  type IncidentView,
  type LegalRequestView,
  type SessionView,
  type SubProcessor,
  type TransparencyReport,
} from "../governance/index.js";
import { AdminNav, Csrf } from "./admin.js";
import { Page, renderPage } from "./layout.js";
import { ConfirmStep, DataTable, count, Field } from "./components/index.js";

const GOVERNANCE_PAGES = [
  ["access", "Staff access"],
  ["sessions", "Sessions and copies"],
  ["legal", "Authorities"],
  ["agreements", "Agreements"],
  ["subprocessors", "Sub-processors"],
  ["incidents", "Incidents"],
  ["customers", "Customers"],
] as const;
const AGREEMENTS = "/admin/governance/agreements";

interface Chrome {
  decl: Declaration;
  csrf?: string;
  user: string;
  error?: string;
  notice?: string;
}

const Shell: FC<Chrome & { title: string; children?: Child }> = ({
  decl,
  csrf,
  user,
  title,
  error,
  notice,
  children,
}) => (
  <Page
    title={`${title} — ${decl.organization.name}`}
    organization={decl.organization.name}
    sidebar={<AdminNav csrf={csrf} user={user} />}
  >
    <p>
      <a href="/admin/governance">Governance</a>:{" "}
      {GOVERNANCE_PAGES.map(([path, label], i) => (
        <>
          {i ? " · " : ""}
          <a href={`/admin/governance/${path}`}>{label}</a>
        </>
      ))}
    </p>
    <h1>{title}</h1>
    {error ? (
      <p role="alert" class="error">
        {error}
      </p>
    ) : null}
    {notice ? <p role="status">{notice}</p> : null}
    {children}
  </Page>
);

/** The customer an entry is about, chosen from the register. */
const CustomerField: FC<{ id: string; customers: Counterparty[] }> = ({ id, customers }) => (
  <Field id={id} label="Customer">
    <select id={id} name="account" required>
      {customers.map((c) => (
        <option value={c.account}>
          {c.name} ({c.account})
        </option>
      ))}
    </select>
  </Field>
);
const When: FC<{ at: string | null | undefined }> = ({ at }) =>
  at ? <time datetime={at}>{at.slice(0, 16).replace("T", " ")}</time> : <span class="muted">—</span>;
const Post: FC<{
  action: string;
  csrf?: string;
  label: string;
  children?: Child;
  multipart?: boolean;
  /** Refuses, revokes or ends something: drawn as a danger, never the primary style. */
  danger?: boolean;
}> = ({ action, csrf, label, children, multipart, danger }) => (
  <form method="post" action={action} class="inline" {...(multipart ? { enctype: "multipart/form-data" } : {})}>
    <Csrf token={csrf} />
    {children}
    <button type="submit" class={danger ? "danger" : undefined}>
      {label}
    </button>
  </form>
);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);

// --- home ---------------------------------------------------------------------------

export const GovernanceHomePage: FC<Chrome & { o: GovernanceOverview }> = ({ o, ...chrome }) => (
  <Shell {...chrome} title="Governance">
    <p>What the registers ask of you now.</p>
    <ul class="tiles">
      <li>
        <strong>{o.accessAwaiting}</strong>
        <a href="/admin/governance/access">access requests awaiting a decision</a> ({o.grantsInForce} grants in force)
      </li>
      <li>
        <strong class={o.clocksOverdue ? "state-overdue" : ""}>{o.incidentsOpen}</strong>
        <a href="/admin/governance/incidents">open incidents</a>:{" "}
        {`${o.clocksOverdue} clocks overdue, ${o.clocksDueSoon} due soon`}
      </li>
      <li>
        <strong class={o.custodyOverdue ? "state-overdue" : ""}>{o.custodyOverdue}</strong>
        <a href="/admin/governance/sessions">recordings and copies past their date</a> ({o.custodyDueSoon} due soon)
      </li>
      <li>
        <strong>{o.legalOpen}</strong>
        <a href="/admin/governance/legal">requests from authorities open</a>
      </li>
      <li>
        <strong>{o.agreementsExpiring}</strong>
        <a href="/admin/governance/agreements">agreements ending within 30 days</a>
      </li>
    </ul>
  </Shell>
);

// --- customers ----------------------------------------------------------------------

export const CustomersPage: FC<Chrome & { customers: Counterparty[]; canAct: boolean }> = ({
  customers,
  canAct,
  ...chrome
}) => (
  <Shell {...chrome} title="Customers">
    <p>
      The contact of each customer is the only address that approves staff access to the customer's data and signs
      session forms.
    </p>
    <DataTable caption="Customers" head={["Account", "Name", "Contact", "Jurisdictions", "Since", "Contact set by"]}>
      {customers.map((c) => (
        <tr>
          <td>{c.account}</td>
          <td>{c.name}</td>
          <td>{c.contactEmail}</td>
          <td>
            {c.jurisdictions.join(", ")}
            {c.gdpr ? " (GDPR)" : ""}
          </td>
          <td>
            <When at={c.startedAt} />
          </td>
          <td>{c.contactSetBy}</td>
        </tr>
      ))}
    </DataTable>
    {canAct ? (
      <form method="post" action="/admin/governance/customers">
        <h2>Add or update a customer</h2>
        <Csrf token={chrome.csrf} />
        <Field id="c-account" label="Account">
          <input type="text" id="c-account" name="account" required />
        </Field>
        <Field id="c-name" label="Name">
          <input type="text" id="c-name" name="name" required />
        </Field>
        <Field id="c-contact" label="Contact email">
          <input type="email" id="c-contact" name="contactEmail" required />
        </Field>
        <Field id="c-j" label="Jurisdictions (comma-separated: EU, US-CA)">
          <input type="text" id="c-j" name="jurisdictions" />
        </Field>
        <Field id="c-start" label="Customer since">
          <input type="date" id="c-start" name="startedAt" required />
        </Field>
        <button type="submit">Save customer</button>
      </form>
    ) : null}
  </Shell>
);

// --- staff access ------------------------------------------------------------------

const ACCESS_STATUS: Record<string, string> = {
  awaiting_customer: "waiting for the customer",
  awaiting_approval: "waiting for a second staff member",
  approved: "granted",
  denied: "denied",
  revoked: "revoked",
  expired: "expired",
};

export const AccessPage: FC<Chrome & { requests: AccessRequestView[]; customers: Counterparty[]; me: string }> = ({
  requests,
  customers,
  me,
  ...chrome
}) => {
  const sa = chrome.decl.governance?.staffAccess;
  return (
    <Shell {...chrome} title="Staff access to customer data">
      {sa ? (
        <p>{sa.policy}</p>
      ) : (
        <p class="error">The declaration names no protected data classes (governance.staffAccess).</p>
      )}
      <DataTable
        caption="Access requests, newest first"
        head={["#", "Who", "Customer", "Data", "Why", "Window", "Status", "Decided", "Actions"]}
      >
        {requests.map((r) => (
          <tr>
            <td>{r.id}</td>
            <td>{r.requester}</td>
            <td>{r.account}</td>
            <td>{r.classes.join(", ")}</td>
            <td>
              {r.basis === "purpose" ? "purpose" : "exception"}: {r.reasonId}
              <br />
              <span class="muted">{r.justification}</span>
            </td>
            <td>
              <When at={r.startsAt} /> to <When at={r.endsAt} />
            </td>
            <td>{ACCESS_STATUS[r.status] ?? r.status}</td>
            <td>
              {r.decidedBy ? (
                <>
                  {r.decidedBy}, <When at={r.decidedAt} />
                  {r.decidedIp ? ` from ${r.decidedIp}` : ""}
                </>
              ) : null}
            </td>
            <td>
              {r.status === "awaiting_approval" && r.requester !== me ? (
                <>
                  <Post action={`/admin/governance/access/${r.id}/approve`} csrf={chrome.csrf} label="Approve" />{" "}
                  <Post action={`/admin/governance/access/${r.id}/deny`} csrf={chrome.csrf} label="Deny" danger />
                </>
              ) : null}
              {["approved", "awaiting_customer", "awaiting_approval"].includes(r.status) ? (
                <Post action={`/admin/governance/access/${r.id}/revoke`} csrf={chrome.csrf} label="Revoke" danger />
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      {sa ? (
        <form method="post" action="/admin/governance/access">
          <h2>Ask for access</h2>
          <Csrf token={chrome.csrf} />
          <CustomerField id="a-account" customers={customers} />
          <fieldset>
            <legend>Data classes</legend>
            {sa.protectedClasses.map((c) => (
              <label style="display:block">
                <input type="checkbox" name="classes" value={c.id} /> {c.name}
                {c.excludes ? <span class="muted"> (not covered: {c.excludes})</span> : null}
              </label>
            ))}
          </fieldset>
          <Field id="a-reason" label="Purpose or exception">
            <select id="a-reason" name="reason" required>
              {sa.purposes.map((p) => (
                <option value={`purpose:${p.id}`}>Purpose: {p.description} — the customer approves by mail</option>
              ))}
              {sa.exceptions.map((e) => (
                <option value={`exception:${e.id}`}>
                  Exception: {e.description} — a {e.approver} approves
                </option>
              ))}
            </select>
          </Field>
          <Field id="a-why" label="Justification">
            <textarea id="a-why" name="justification" rows={3} required minlength={10}></textarea>
          </Field>
          <Field id="a-start" label="From (UTC; empty: now)">
            <input type="datetime-local" id="a-start" name="startsAt" />
          </Field>
          <p>
            <label for="a-end">Until (UTC; at most {sa.maxWindow} after it starts)</label>
            <br />
            <input type="datetime-local" id="a-end" name="endsAt" value={inDays(1)} required />
          </p>
          <button type="submit">Ask</button>
        </form>
      ) : null}
      <p class="muted">
        Your own tools ask <code>GET /v1/access-grants/check?staff=…&amp;account=…&amp;class=…</code> before opening
        customer data.
      </p>
    </Shell>
  );
};

// --- sessions and custody -------------------------------------------------------------

export const SessionsPage: FC<
  Chrome & { sessions: SessionView[]; custody: CustodyView[]; customers: Counterparty[] }
> = ({ sessions, custody, customers, ...chrome }) => {
  const gov = chrome.decl.governance;
  return (
    <Shell {...chrome} title="Remote sessions, recordings and temporary copies">
      {gov?.remoteSessions ? (
        <>
          <h2>Remote sessions</h2>
          <p>No session starts until the customer has signed the {gov.remoteSessions.form}.</p>
          <DataTable head={["#", "Customer", "Purpose", "Form", "Started", "Actions"]}>
            {sessions.map((s) => (
              <tr>
                <td>{s.id}</td>
                <td>{s.account}</td>
                <td>{s.purpose}</td>
                <td>
                  {s.form.status === "signed" ? (
                    <>
                      signed by {s.form.signedBy}, <When at={s.form.signedAt} />{" "}
                      <a href={`/admin/governance/sessions/${s.id}/form`}>form</a>
                    </>
                  ) : s.form.status === "sent" ? (
                    "sent to the customer, not signed"
                  ) : (
                    "not signed"
                  )}
                </td>
                <td>
                  {s.startedAt ? (
                    <>
                      <When at={s.startedAt} />
                      {s.endedAt ? (
                        <>
                          {" "}
                          – <When at={s.endedAt} />
                        </>
                      ) : (
                        " (running)"
                      )}
                    </>
                  ) : (
                    "not started"
                  )}
                </td>
                <td>
                  {s.form.status !== "signed" ? (
                    <>
                      <Post
                        action={`/admin/governance/sessions/${s.id}/send-form`}
                        csrf={chrome.csrf}
                        label="Mail the form to sign"
                      />{" "}
                      <Post
                        action={`/admin/governance/sessions/${s.id}/form`}
                        csrf={chrome.csrf}
                        label="Upload the signed form"
                        multipart
                      >
                        <label>
                          Signed form <input type="file" name="file" required />
                        </label>{" "}
                      </Post>
                    </>
                  ) : null}
                  {!s.startedAt ? (
                    <Post action={`/admin/governance/sessions/${s.id}/start`} csrf={chrome.csrf} label="Start" />
                  ) : !s.endedAt ? (
                    <Post action={`/admin/governance/sessions/${s.id}/end`} csrf={chrome.csrf} label="End" />
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
          <form method="post" action="/admin/governance/sessions">
            <h3>Plan a session</h3>
            <Csrf token={chrome.csrf} />
            <CustomerField id="s-account" customers={customers} />
            <Field id="s-purpose" label="Purpose">
              <input type="text" id="s-purpose" name="purpose" required />
            </Field>
            <button type="submit">Plan</button>
          </form>
        </>
      ) : null}
      <h2>Recordings and temporary copies</h2>
      <DataTable
        caption="Each is flagged past its date until a person confirms its destruction."
        head={["#", "Kind", "What", "Where", "Made", "Destroy by", "State", "Action"]}
      >
        {custody.map((c) => (
          <tr>
            <td>{c.id}</td>
            <td>{c.kind === "recording" ? "recording" : "temporary copy"}</td>
            <td>
              {c.label}
              {c.account ? ` (${c.account})` : ""}
            </td>
            <td>{c.location}</td>
            <td>
              <When at={c.madeAt} />
            </td>
            <td>
              <When at={c.dueAt} />
            </td>
            <td class={`state-${c.state}`}>
              {c.state === "destroyed" ? (
                <>
                  destroyed <When at={c.doneAt} /> by {c.doneBy}: {c.evidence}
                </>
              ) : c.state === "overdue" ? (
                `past its date: ${c.countdown}`
              ) : (
                c.countdown
              )}
            </td>
            <td>
              {c.state !== "destroyed" ? (
                <Post
                  action={`/admin/governance/custody/${c.id}/destroyed`}
                  csrf={chrome.csrf}
                  label="Confirm destroyed"
                >
                  <label>
                    Evidence <input type="text" name="evidence" required />
                  </label>{" "}
                </Post>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      {gov?.remoteSessions || gov?.temporaryCopies ? (
        <form method="post" action="/admin/governance/custody">
          <h3>Register a recording or a temporary copy</h3>
          <Csrf token={chrome.csrf} />
          <Field id="k-kind" label="Kind">
            <select id="k-kind" name="kind">
              {gov?.remoteSessions ? (
                <option value="recording">Recording (destroyed after {gov.remoteSessions.recordingRetention})</option>
              ) : null}
              {gov?.temporaryCopies ? (
                <option value="temporary_copy">Temporary copy (purged within {gov.temporaryCopies.purgeWithin})</option>
              ) : null}
            </select>
          </Field>
          <Field id="k-account" label="Customer">
            <select id="k-account" name="account">
              <option value="">—</option>
              {customers.map((c) => (
                <option value={c.account}>{c.name}</option>
              ))}
            </select>
          </Field>
          <Field id="k-label" label="What it is (its purpose)">
            <input type="text" id="k-label" name="label" required />
          </Field>
          <Field id="k-loc" label="Where it is kept">
            <input type="text" id="k-loc" name="location" required />
          </Field>
          <Field id="k-purge" label="Purge by (temporary copies; empty: the longest allowed)">
            <input type="date" id="k-purge" name="purgeBy" />
          </Field>
          <button type="submit">Register</button>
        </form>
      ) : null}
    </Shell>
  );
};

// --- legal requests ---------------------------------------------------------------------

const LEGAL_STATUS: Record<string, string> = {
  received: "received: verify it",
  verified: "verified: decide",
  rejected: "rejected: not verified",
  decided: "decided: disclose",
  disclosed: "disclosed",
  closed: "closed",
};

export const LegalListPage: FC<Chrome & { requests: LegalRequestView[]; canAct: boolean }> = ({
  requests,
  canAct,
  ...chrome
}) => (
  <Shell {...chrome} title="Requests from authorities">
    {chrome.decl.governance?.legalRequests ? <p>{chrome.decl.governance.legalRequests.policy}</p> : null}
    <DataTable
      head={["Reference", "Authority", "Instrument", "Received", "Accounts", "Status", "Customer may be told"]}
    >
      {requests.map((r) => (
        <tr>
          <td>
            <a href={`/admin/governance/legal/${r.id}`}>{r.reference}</a>
          </td>
          <td>
            {r.authority} ({r.jurisdiction})
          </td>
          <td>{INSTRUMENT_LABELS[r.instrument]}</td>
          <td>
            <When at={r.receivedAt} />
          </td>
          <td>{r.accounts.length}</td>
          <td>
            {LEGAL_STATUS[r.status]}
            {r.outcome ? ` (${r.outcome.replace(/_/g, " ")})` : ""}
          </td>
          <td>
            {r.mayTell ? (
              "yes"
            ) : (
              <>
                not before <When at={r.gagUntil} />
              </>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
    {canAct ? (
      <form method="post" action="/admin/governance/legal">
        <h2>Register a request</h2>
        <Csrf token={chrome.csrf} />
        <Field id="l-ref" label="Reference">
          <input type="text" id="l-ref" name="reference" required />
        </Field>
        <Field id="l-auth" label="Authority">
          <input type="text" id="l-auth" name="authority" required />
        </Field>
        <Field id="l-ins" label="Instrument">
          <select id="l-ins" name="instrument">
            {INSTRUMENTS.map((i) => (
              <option value={i}>{INSTRUMENT_LABELS[i]}</option>
            ))}
          </select>
        </Field>
        <Field id="l-j" label="Jurisdiction">
          <input type="text" id="l-j" name="jurisdiction" required />
        </Field>
        <Field id="l-acc" label="Accounts named (one per line: an email, or type:value)">
          <textarea id="l-acc" name="accounts" rows={3} required></textarea>
        </Field>
        <Field id="l-data" label="Data asked for">
          <textarea id="l-data" name="dataAsked" rows={2} required></textarea>
        </Field>
        <button type="submit">Register</button>
      </form>
    ) : null}
  </Shell>
);

export const LegalDetailPage: FC<Chrome & { r: LegalRequestView; canAct: boolean }> = ({ r, canAct, ...chrome }) => (
  <Shell {...chrome} title={`Request ${r.reference} from ${r.authority}`}>
    <p>
      {INSTRUMENT_LABELS[r.instrument]} · {r.jurisdiction} · received <When at={r.receivedAt} /> ·{" "}
      {LEGAL_STATUS[r.status]}
      {r.packageHash ? (
        <>
          {" "}
          · package SHA-256 <code>{r.packageHash}</code>
        </>
      ) : null}
    </p>
    <p>
      Accounts: {r.accounts.join(", ")}. Data asked for: {r.dataAsked}
    </p>
    <p>
      {r.mayTell ? (
        "The customer may be told."
      ) : (
        <>
          Gag: the customer may not be told before <When at={r.gagUntil} />.
        </>
      )}
    </p>
    <h2>Steps</h2>
    <ol>
      {r.steps.map((s) => (
        <li>
          <When at={s.at} /> — {s.step.replace("_", " ")} by {s.by}:{" "}
          <span class="muted">
            {Object.entries(s.data)
              .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
              .join("; ")}
          </span>
        </li>
      ))}
    </ol>
    {canAct && r.status === "received" ? (
      <form method="post" action={`/admin/governance/legal/${r.id}/verify`}>
        <h2>Verify legitimacy and authenticity</h2>
        <Csrf token={chrome.csrf} />
        <fieldset>
          <legend>Checklist (a request that fails one is rejected)</legend>
          {Object.entries(VERIFICATION_CHECKS).map(([k, label]) => (
            <label style="display:block">
              <input type="checkbox" name={k} value="on" /> {label}
            </label>
          ))}
        </fieldset>
        <Field id="v-note" label="How it was verified">
          <textarea id="v-note" name="note" rows={2} required></textarea>
        </Field>
        <button type="submit">Record the verification</button>
      </form>
    ) : null}
    {canAct &&
    (r.status === "verified" ||
      (r.status === "received" && chrome.decl.governance?.legalRequests?.verificationRequired === false)) ? (
      <form method="post" action={`/admin/governance/legal/${r.id}/decide`}>
        <h2>Decide: does the law require compliance?</h2>
        <Csrf token={chrome.csrf} />
        <p>
          <label>
            <input type="radio" name="comply" value="yes" required /> Yes: comply
          </label>{" "}
          <label>
            <input type="radio" name="comply" value="no" /> No: refuse
          </label>
        </p>
        <Field id="d-reason" label="Reason">
          <textarea id="d-reason" name="reason" rows={2} required></textarea>
        </Field>
        <Field id="d-scope" label="Scope to disclose">
          <input type="text" id="d-scope" name="scope" />
        </Field>
        <Field id="d-gag" label="Customer may not be told before (optional)">
          <input type="date" id="d-gag" name="gagUntil" />
        </Field>
        <button type="submit">Record the decision</button>
      </form>
    ) : null}
    {canAct && r.status === "decided" ? (
      <p>
        <a class="button danger" href={`/admin/governance/legal/${r.id}/disclose`}>
          Review the disclosure package…
        </a>
      </p>
    ) : null}
    {canAct ? (
      <form method="post" action={`/admin/governance/legal/${r.id}/gag`}>
        <h2>Gag</h2>
        <Csrf token={chrome.csrf} />
        <label>
          Customer may not be told before <input type="date" name="gagUntil" value={r.gagUntil?.slice(0, 10) ?? ""} />
        </label>{" "}
        <label>
          Reason <input type="text" name="reason" required />
        </label>{" "}
        <button type="submit">Save the gag</button>
      </form>
    ) : null}
    {canAct && r.mayTell && ["disclosed", "closed", "rejected"].includes(r.status) ? (
      <Post
        action={`/admin/governance/legal/${r.id}/told`}
        csrf={chrome.csrf}
        label="Record that the customer was told"
      >
        <label>
          How <input type="text" name="how" required />
        </label>{" "}
      </Post>
    ) : null}
  </Shell>
);

// --- agreements ---------------------------------------------------------------------------

export const AgreementsPage: FC<
  Chrome & { agreements: AgreementView[]; customers: Counterparty[]; canAct: boolean; changes: ChangeView[] }
> = ({ agreements, customers, canAct, changes, ...chrome }) => {
  const objections = changes.flatMap((c) => c.objections.map((o) => ({ ...o, change: c })));
  const declared = chrome.decl.governance?.agreements ?? [];
  return (
    <Shell {...chrome} title="Agreements">
      <DataTable head={["Customer", "Agreement", "Status", "Signed copy", "Accepted", "Ends", "Actions"]}>
        {agreements.map((a) => (
          <tr>
            <td>{a.account}</td>
            <td>
              {a.name}
              {a.templateVersion ? ` (template ${a.templateVersion})` : ""}
              {a.outdated ? <span class="flag">older template</span> : null}
            </td>
            <td>{a.automatic ? "in force (automatic)" : a.status.replace("_", " ")}</td>
            <td>
              {a.documentHash ? (
                <>
                  <a href={`/admin/governance/agreements/${a.id}/document`}>{a.documentName}</a>{" "}
                  <code class="muted">{a.documentHash.slice(0, 12)}</code>
                </>
              ) : null}
            </td>
            <td>
              {a.acceptedBy ? (
                <>
                  <When at={a.acceptedAt} /> by {a.acceptedBy}
                </>
              ) : null}
            </td>
            <td>
              <When at={a.expiresAt} />
            </td>
            <td>
              {canAct && a.id && ["requested", "under_review", "rejected"].includes(a.status) ? (
                <Post
                  action={`/admin/governance/agreements/${a.id}/document`}
                  csrf={chrome.csrf}
                  label="Upload the signed copy"
                  multipart
                >
                  <label>
                    File <input type="file" name="file" required />
                  </label>{" "}
                </Post>
              ) : null}
              {canAct && a.id && a.status === "under_review" ? (
                <>
                  <Post action={`${AGREEMENTS}/${a.id}/accept`} csrf={chrome.csrf} label="Accept" />{" "}
                  <Post action={`${AGREEMENTS}/${a.id}/reject`} csrf={chrome.csrf} label="Reject" danger />
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      {canAct && declared.some((d) => !d.automatic) ? (
        <form method="post" action="/admin/governance/agreements">
          <h2>Open an agreement</h2>
          <Csrf token={chrome.csrf} />
          <CustomerField id="g-account" customers={customers} />
          <Field id="g-agr" label="Agreement">
            <select id="g-agr" name="agreement">
              {declared
                .filter((d) => !d.automatic)
                .map((d) => (
                  <option value={d.id}>{d.name}</option>
                ))}
            </select>
          </Field>
          <Field id="g-exp" label="Ends (optional)">
            <input type="date" id="g-exp" name="expiresAt" />
          </Field>
          <button type="submit">Open</button>
        </form>
      ) : null}
      <p class="muted">
        Your product asks <code>GET /v1/agreements?counterparty=…&amp;type=baa</code> whether one is in force.
      </p>
      <h2>Objections to sub-processor changes</h2>
      {objections.length ? (
        <DataTable head={["When", "Customer", "From", "Change", "Reason"]}>
          {objections.map((o) => (
            <tr>
              <td>
                <When at={o.at} />
              </td>
              <td>{o.account ?? "not a registered customer contact"}</td>
              <td>{o.email}</td>
              <td>
                version {o.change.version}: {o.change.changes.map((x) => x.what).join("; ")}
              </td>
              <td>{o.reason}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>None.</p>
      )}
    </Shell>
  );
};

// --- sub-processors -------------------------------------------------------------------------

const SubProcessorTable: FC<{ list: SubProcessor[] }> = ({ list }) => (
  <DataTable caption="Sub-processors" head={["Name", "Purpose", "Country", "Transfer safeguard"]}>
    {list.map((s) => (
      <tr>
        <td>{s.name}</td>
        <td>{s.purpose}</td>
        <td>{s.country ?? "—"}</td>
        <td>{s.safeguard}</td>
      </tr>
    ))}
  </DataTable>
);

export const SubProcessorsAdminPage: FC<Chrome & { list: SubProcessor[]; changes: ChangeView[] }> = ({
  list,
  changes,
  ...chrome
}) => (
  <Shell {...chrome} title="Sub-processors">
    <SubProcessorTable list={list} />
    <h2>Changes announced</h2>
    {changes.length ? null : (
      <p>No change announced yet: one is mailed when a published declaration adds or changes a sub-processor.</p>
    )}
    {changes.map((c) => (
      <section>
        <h3>
          Version {c.version} (from {c.previousVersion}), effective {c.effectiveDate}
        </h3>
        <ul>
          {c.changes.map((x) => (
            <li>
              {x.kind}: {x.what}
            </li>
          ))}
        </ul>
        <p>
          Mailed to {c.notified} subscribers; objections until <When at={c.objectionUntil} />
          {Date.parse(c.objectionUntil) > Date.now() ? " (pending)" : " (closed)"}.
        </p>
        <div class="table">
          <table tabindex={0}>
            <caption>{c.objections.length} objections</caption>
            <tbody>
              {c.objections.map((o) => (
                <tr>
                  <td>
                    <When at={o.at} />
                  </td>
                  <td>{o.email}</td>
                  <td>{o.account ?? "not a registered customer contact"}</td>
                  <td>{o.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    ))}
  </Shell>
);

// --- incidents ---------------------------------------------------------------------------------

const NOTIFY: Record<string, string> = {
  authority: "the authority",
  individuals: "the people affected",
  controller: "the controllers",
  media: "the media",
  covered_entity: "the covered entity",
  credit_agencies: "the consumer reporting agencies",
  final_report: "the authority (full report)",
};

/** Who a clock says to tell: the named body where the law names one, and the place whose law it is. */
const whom = (c: IncidentClock) =>
  `${c.to ?? NOTIFY[c.notify] ?? c.notify}${c.jurisdiction ? ` (${c.jurisdiction})` : ""}`;

const ClockCell: FC<{ c: IncidentClock }> = ({ c }) =>
  c.done ? (
    <span class="state-on_time">
      done <When at={c.done.at} /> by {c.done.by}
    </span>
  ) : c.applies === "no" ? (
    <span class="muted">not required: {c.why}</span>
  ) : c.countdown ? (
    <span class={`state-${c.countdown.state}`}>{c.countdown.text}</span>
  ) : (
    <span>{c.when}</span>
  );

export const IncidentsPage: FC<Chrome & { incidents: IncidentView[]; canAct: boolean }> = ({
  incidents,
  canAct,
  ...chrome
}) => {
  const decl = chrome.decl;
  const datasets = Object.entries(decl.systems).flatMap(([s, sys]) =>
    Object.keys(sys.datasets).map((d) => `${s}.${d}`),
  );
  return (
    <Shell {...chrome} title="Incidents">
      {decl.governance?.breach ? <p>{decl.governance.breach.procedure}</p> : null}
      <DataTable head={["Reference", "What", "Aware", "Risk", "Next deadline", "Status"]}>
        {incidents.map((i) => {
          const next = i.clocks.filter((c) => c.countdown).sort((a, b) => a.countdown!.ms - b.countdown!.ms)[0];
          return (
            <tr>
              <td>
                <a href={`/admin/governance/incidents/${i.id}`}>{i.reference}</a>
              </td>
              <td>{i.title}</td>
              <td>
                <When at={i.awareAt} />
              </td>
              <td>{RISK_LABELS[i.risk]}</td>
              <td>
                {next ? (
                  <>
                    <span class={`state-${next.countdown!.state}`}>{next.countdown!.text}</span>
                    {` — ${NOTIFY[next.notify]} (${next.regime.toUpperCase()})`}
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td>{i.status}</td>
            </tr>
          );
        })}
      </DataTable>
      {canAct ? (
        <form method="post" action="/admin/governance/incidents">
          <h2>Register an incident</h2>
          <Csrf token={chrome.csrf} />
          <IncidentFields datasets={datasets} />
          <button type="submit">Register</button>
        </form>
      ) : null}
    </Shell>
  );
};

const IncidentFields: FC<{ datasets: string[]; i?: IncidentView }> = ({ datasets, i }) => (
  <>
    <Field id="i-title" label="What happened">
      <input type="text" id="i-title" name="title" value={i?.title ?? ""} required />
    </Field>
    <Field id="i-occ" label="When it happened (UTC)">
      <input type="datetime-local" id="i-occ" name="occurredAt" value={i?.occurredAt.slice(0, 16) ?? ""} required />
    </Field>
    <Field id="i-aware" label="When the organization became aware (UTC; starts the clocks)">
      <input
        type="datetime-local"
        id="i-aware"
        name="awareAt"
        value={i?.awareAt.slice(0, 16) ?? ""}
        required
        {...(i ? { disabled: true } : {})}
      />
    </Field>
    <fieldset>
      <legend>Nature</legend>
      {NATURES.map((n) => (
        <label>
          <input type="checkbox" name="nature" value={n} checked={i?.nature.includes(n)} /> {n}{" "}
        </label>
      ))}
    </fieldset>
    <Field id="i-ds" label="Systems and datasets affected">
      <select id="i-ds" name="datasets" multiple size={Math.min(8, datasets.length)}>
        {datasets.map((d) => (
          <option value={d} selected={i?.datasets.includes(d)}>
            {d}
          </option>
        ))}
      </select>
    </Field>
    <Field id="i-people" label="Approximate number of people">
      <input type="number" id="i-people" name="people" min={0} value={i?.people ?? ""} />
    </Field>
    <Field id="i-records" label="Approximate number of records">
      <input type="number" id="i-records" name="records" min={0} value={i?.records ?? ""} />
    </Field>
    <Field id="i-j" label="Jurisdictions of the people (comma-separated)">
      <input type="text" id="i-j" name="jurisdictions" value={i?.jurisdictions.join(", ") ?? ""} />
    </Field>
    <p>
      <label>
        <input type="checkbox" name="encrypted" value="on" checked={i?.encrypted} /> The data was encrypted
      </label>
    </p>
    <Field id="i-risk" label="Risk to people">
      <select id="i-risk" name="risk">
        {RISKS.map((r) => (
          <option value={r} selected={i?.risk === r}>
            {RISK_LABELS[r]}
          </option>
        ))}
      </select>
    </Field>
    <Field id="i-reason" label="Reasoning">
      <textarea id="i-reason" name="riskReasoning" rows={2} required>
        {i?.riskReasoning ?? ""}
      </textarea>
    </Field>
    <Field id="i-cons" label="Likely consequences">
      <textarea id="i-cons" name="consequences" rows={2}>
        {i?.consequences ?? ""}
      </textarea>
    </Field>
    <Field id="i-meas" label="Measures taken or proposed">
      <textarea id="i-meas" name="measures" rows={2}>
        {i?.measures ?? ""}
      </textarea>
    </Field>
    <Field id="i-desc" label="Description">
      <textarea id="i-desc" name="description" rows={3}>
        {i?.description ?? ""}
      </textarea>
    </Field>
  </>
);

export const IncidentPage: FC<Chrome & { i: IncidentView; drafts: Drafts; canAct: boolean }> = ({
  i,
  drafts,
  canAct,
  ...chrome
}) => {
  const datasets = Object.entries(chrome.decl.systems).flatMap(([s, sys]) =>
    Object.keys(sys.datasets).map((d) => `${s}.${d}`),
  );
  return (
    <Shell {...chrome} title={`${i.reference}: ${i.title}`}>
      <p>
        Happened <When at={i.occurredAt} />; aware <When at={i.awareAt} />. {i.nature.join(", ")}. {RISK_LABELS[i.risk]}
        : {i.riskReasoning} Status: {i.status}
        {i.keepUntil ? (
          <>
            {" "}
            · kept in the register until <When at={i.keepUntil} />
          </>
        ) : null}{" "}
        · <a href={`/admin/governance/incidents/${i.id}/report`}>printable report</a>
      </p>
      <DataTable
        caption="Clocks, from the moment of awareness"
        head={["Law", "Tell", "Deadline", "Duty", "Countdown", "Action"]}
      >
        {i.clocks.map((c) => (
          <tr>
            <td>
              {c.cite}
              {c.check ? <small> (to re-read in the statute)</small> : null}
            </td>
            <td>{whom(c)}</td>
            <td>{c.dueAt ? <When at={c.dueAt} /> : c.when}</td>
            <td>
              {c.applies === "yes" ? "required" : c.applies === "check" ? `check: ${c.why}` : `not required: ${c.why}`}
            </td>
            <td>
              <ClockCell c={c} />
            </td>
            <td>
              {canAct && !c.done && c.applies !== "no" ? (
                <Post action={`/admin/governance/incidents/${i.id}/notified`} csrf={chrome.csrf} label="Mark done">
                  <input type="hidden" name="clock" value={c.key} />
                  <label>
                    How <input type="text" name="note" required />
                  </label>{" "}
                </Post>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <h2>Who was affected</h2>
      {i.affected ? (
        <p>
          {i.affected.people} people in {i.affected.rows} rows of {i.affected.datasets.join(", ")} dated by{" "}
          {i.affected.field} from <When at={i.affected.from} /> to <When at={i.affected.to} />:{" "}
          {Object.entries(i.affected.byJurisdiction)
            .map(([j, n]) => `${j} ${n}`)
            .join(", ")}
          .
          {i.affected.withoutEmail
            ? ` ${i.affected.withoutEmail} of them have no email on file: reach them another way.`
            : ""}
          {i.affected.notReached.length
            ? ` Not reached: ${i.affected.notReached.map((n) => `${n.dataset} (${n.why})`).join("; ")}.`
            : ""}
          {i.mailingList ? (
            <>
              {" "}
              <a href={`/admin/governance/incidents/${i.id}/mailing-list.csv`}>
                Mailing list ({i.mailingList} addresses)
              </a>
              , deleted once the letters are sent.
            </>
          ) : null}
        </p>
      ) : (
        <p>Not computed yet.</p>
      )}
      {canAct ? (
        <form method="post" action={`/admin/governance/incidents/${i.id}/affected`}>
          <Csrf token={chrome.csrf} />
          <label>
            Rows dated by field <input type="text" name="field" required />
          </label>{" "}
          <label>
            from <input type="datetime-local" name="from" required />
          </label>{" "}
          <label>
            to <input type="datetime-local" name="to" required />
          </label>{" "}
          <label>
            jurisdiction in <input type="text" name="jurisdictionField" placeholder="customers.country" />
          </label>{" "}
          <button type="submit">Compute the people affected</button>
        </form>
      ) : null}
      <h2>Drafted notifications</h2>
      <h3>To the supervisory authority (GDPR Art 33(3))</h3>
      <pre class="draft" tabindex={0}>
        {drafts.authority}
      </pre>
      <h3>To the people affected (Art 34(2))</h3>
      <pre class="draft" tabindex={0}>
        {drafts.individuals}
      </pre>
      {drafts.controllers ? (
        <>
          <h3>To the controllers (Art 33(2))</h3>
          <pre class="draft" tabindex={0}>
            {drafts.controllers}
          </pre>
        </>
      ) : null}
      {canAct && i.status === "open" ? (
        <>
          <form method="post" action={`/admin/governance/incidents/${i.id}`}>
            <h2>Update the assessment</h2>
            <Csrf token={chrome.csrf} />
            <IncidentFields datasets={datasets} i={i} />
            <button type="submit">Save</button>
          </form>
          <Post action={`/admin/governance/incidents/${i.id}/close`} csrf={chrome.csrf} label="Close the incident">
            <label>
              Note <input type="text" name="note" />
            </label>{" "}
          </Post>
        </>
      ) : null}
    </Shell>
  );
};

/** The printable incident report: the Art 33(5) documentation of one breach. */
export const IncidentReportPage: FC<{ decl: Declaration; i: IncidentView; drafts: Drafts }> = ({ decl, i, drafts }) => (
  <Page title={`Incident report ${i.reference} — ${decl.organization.name}`} organization={decl.organization.name}>
    <h1>Incident report {i.reference}</h1>
    <p>
      {decl.organization.name}. Documented under GDPR Art 33(5): the facts, the effects and the remedial action taken.
    </p>
    <dl>
      <dt>What happened</dt>
      <dd>
        {i.title}. {i.description}
      </dd>
      <dt>When</dt>
      <dd>
        Happened <When at={i.occurredAt} />; the organization became aware <When at={i.awareAt} />.
      </dd>
      <dt>Nature</dt>
      <dd>{i.nature.join(", ")}</dd>
      <dt>Systems and datasets</dt>
      <dd>{i.datasets.join(", ") || "—"}</dd>
      <dt>Data categories</dt>
      <dd>{i.categories.join(", ") || "—"}</dd>
      <dt>People and records</dt>
      <dd>
        {i.affected
          ? `${i.affected.people} people (computed), ${i.affected.rows} rows`
          : `${i.people ?? "unknown"} people, ${i.records ?? "unknown"} records (estimated)`}
      </dd>
      <dt>Jurisdictions</dt>
      <dd>{i.jurisdictions.join(", ") || "—"}</dd>
      <dt>Encrypted</dt>
      <dd>{i.encrypted ? "yes" : "no"}</dd>
      <dt>Risk</dt>
      <dd>
        {RISK_LABELS[i.risk]}: {i.riskReasoning}
      </dd>
      <dt>Likely consequences</dt>
      <dd>{i.consequences || "—"}</dd>
      <dt>Measures</dt>
      <dd>{i.measures || "—"}</dd>
    </dl>
    <h2>Notifications</h2>
    <div class="table">
      <table tabindex={0}>
        <tbody>
          {i.clocks.map((c) => (
            <tr>
              <td>{c.cite}</td>
              <td>{whom(c)}</td>
              <td>{c.dueAt ? <When at={c.dueAt} /> : c.when}</td>
              <td>
                {c.done ? (
                  <>
                    done <When at={c.done.at} />: {c.done.note}
                  </>
                ) : c.applies === "no" ? (
                  `not required: ${c.why}`
                ) : (
                  "not done"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <h2>Notification to the authority</h2>
    <pre class="draft" tabindex={0}>
      {drafts.authority}
    </pre>
  </Page>
);

// --- public pages ------------------------------------------------------------------------------

const Public: FC<{ decl: Declaration; title: string; children?: Child }> = ({ decl, title, children }) => (
  <Page title={`${title} — ${decl.organization.name}`} organization={decl.organization.name}>
    <h1>{title}</h1>
    {children}
  </Page>
);

export const AccessConsentPage: FC<{
  decl: Declaration;
  r: AccessRequestView;
  classes: string[];
  purpose: string;
  token: string;
}> = ({ decl, r, classes, purpose, token }) => (
  <Public decl={decl} title="A request to access your data">
    <p>
      {r.requester} at {decl.organization.name} asks to access the following data of your account {r.account}:{" "}
      <strong>{classes.join(", ")}</strong>.
    </p>
    <p>Purpose: {purpose}</p>
    <p>Why: {r.justification}</p>
    <p>
      From <When at={r.startsAt} /> to <When at={r.endsAt} /> (UTC). Nothing is opened unless you approve.
    </p>
    <form method="post" action={`/access-consent/${token}`} class="inline">
      <input type="hidden" name="decision" value="approve" />
      <button type="submit">Approve</button>
    </form>{" "}
    <form method="post" action={`/access-consent/${token}`} class="inline">
      <input type="hidden" name="decision" value="deny" />
      <button type="submit">Deny</button>
    </form>
  </Public>
);

export const SessionFormPage: FC<{
  decl: Declaration;
  s: SessionView & { form_text: string; customer: string };
  token: string;
  error?: string;
}> = ({ decl, s, token, error }) => (
  <Public decl={decl} title={s.form_text}>
    <p>
      {decl.organization.name} asks to connect to the systems of {s.customer} for: {s.purpose}. No session starts until
      this form is signed.
    </p>
    {error ? (
      <p role="alert" class="error">
        {error}
      </p>
    ) : null}
    <form method="post" action={`/session-form/${token}`}>
      <Field id="f-name" label="Your full name (your signature)">
        <input type="text" id="f-name" name="name" required autocomplete="name" />
      </Field>
      <button type="submit">Sign</button>
    </form>
  </Public>
);

export const TransparencyPage: FC<{ decl: Declaration; report: TransparencyReport; years: number[] }> = ({
  decl,
  report,
  years,
}) => (
  <Public decl={decl} title={`Transparency report ${report.year}`}>
    <p>
      Requests from public authorities for data of our customers received in {report.year}: {report.total}, naming{" "}
      {report.accounts} accounts in all.
    </p>
    <DataTable
      caption="Requests by instrument and outcome"
      head={["Instrument", "Complied", "Complied in part", "No data", "Refused", "Rejected as not verified", "Open"]}
    >
      {INSTRUMENTS.filter((ins) => ins !== "national_security_letter").map((ins) => {
        const o = report.byInstrument[ins] ?? {};
        return (
          <tr>
            <th scope="row">{INSTRUMENT_LABELS[ins]}</th>
            <td>{o.complied ?? 0}</td>
            <td>{o.complied_partly ?? 0}</td>
            <td>{o.no_data ?? 0}</td>
            <td>{o.refused ?? 0}</td>
            <td>{o.rejected_unverified ?? 0}</td>
            <td>{o.pending ?? 0}</td>
          </tr>
        );
      })}
      <tr>
        <th scope="row">{INSTRUMENT_LABELS.national_security_letter}</th>
        <td colspan={6}>{report.nslBand} received (reported only in bands of 1,000, as 50 U.S.C. 1874(a)(1) allows)</td>
      </tr>
    </DataTable>
    {years.length ? (
      <p>
        Other years:{" "}
        {years.map((y) => (
          <>
            <a href={`/privacy/transparency?year=${y}`}>{y}</a>{" "}
          </>
        ))}
      </p>
    ) : null}
  </Public>
);

export const SubProcessorsPage: FC<{
  decl: Declaration;
  list: SubProcessor[];
  list_id?: string;
  objectionWindow?: string;
}> = ({ decl, list, list_id, objectionWindow }) => (
  <Public decl={decl} title="Sub-processors">
    <p>
      {decl.organization.name} engages these sub-processors to process the personal data of its customers (GDPR Art
      28(2)).
    </p>
    <SubProcessorTable list={list} />
    {list_id ? (
      <form method="post" action={`/newsletter/${list_id}`}>
        <h2>Be told of changes</h2>
        <p>
          We mail you when a sub-processor is added or changed, with the date the change takes effect
          {objectionWindow ? `, and you may object within ${objectionWindow}` : ""}. You confirm your address first.
        </p>
        <Field id="sp-email" label="Email">
          <input type="email" id="sp-email" name="email" required autocomplete="email" />
        </Field>
        <button type="submit">Subscribe</button>
      </form>
    ) : null}
  </Public>
);

export const ObjectionPage: FC<{
  decl: Declaration;
  email: string;
  change: { changes: { kind: string; what: string }[]; effectiveDate: string; objectionUntil: string; open: boolean };
  action: string;
  done?: boolean;
}> = ({ decl, email, change, action, done }) => (
  <Public decl={decl} title="Object to a sub-processor change">
    <ul>
      {change.changes.map((c) => (
        <li>
          {c.kind}: {c.what}
        </li>
      ))}
    </ul>
    <p>
      Effective {change.effectiveDate}. Objections until <When at={change.objectionUntil} />.
    </p>
    {done ? (
      <p role="status">Your objection is recorded. We will contact you at {email}.</p>
    ) : change.open ? (
      <form method="post" action={action}>
        <p>
          <label for="o-reason">Why you object (as {email})</label>
          <br />
          <textarea id="o-reason" name="reason" rows={3} required></textarea>
        </p>
        <button type="submit">Object</button>
      </form>
    ) : (
      <p>The window for objections has closed.</p>
    )}
  </Public>
);

export const governanceHomeHtml = (p: Parameters<typeof GovernanceHomePage>[0]) =>
  renderPage(<GovernanceHomePage {...p} />);
export const customersPageHtml = (p: Parameters<typeof CustomersPage>[0]) => renderPage(<CustomersPage {...p} />);
export const accessPageHtml = (p: Parameters<typeof AccessPage>[0]) => renderPage(<AccessPage {...p} />);
export const sessionsPageHtml = (p: Parameters<typeof SessionsPage>[0]) => renderPage(<SessionsPage {...p} />);
export const legalListHtml = (p: Parameters<typeof LegalListPage>[0]) => renderPage(<LegalListPage {...p} />);
export const legalDetailHtml = (p: Parameters<typeof LegalDetailPage>[0]) => renderPage(<LegalDetailPage {...p} />);
export const agreementsPageHtml = (p: Parameters<typeof AgreementsPage>[0]) => renderPage(<AgreementsPage {...p} />);
export const subProcessorsAdminHtml = (p: Parameters<typeof SubProcessorsAdminPage>[0]) =>
  renderPage(<SubProcessorsAdminPage {...p} />);
export const incidentsPageHtml = (p: Parameters<typeof IncidentsPage>[0]) => renderPage(<IncidentsPage {...p} />);
export const incidentPageHtml = (p: Parameters<typeof IncidentPage>[0]) => renderPage(<IncidentPage {...p} />);
export const incidentReportHtml = (p: Parameters<typeof IncidentReportPage>[0]) =>
  renderPage(<IncidentReportPage {...p} />);
export const accessConsentHtml = (p: Parameters<typeof AccessConsentPage>[0]) =>
  renderPage(<AccessConsentPage {...p} />);
export const sessionFormHtml = (p: Parameters<typeof SessionFormPage>[0]) => renderPage(<SessionFormPage {...p} />);
export const transparencyHtml = (p: Parameters<typeof TransparencyPage>[0]) => renderPage(<TransparencyPage {...p} />);
export const subProcessorsHtml = (p: Parameters<typeof SubProcessorsPage>[0]) =>
  renderPage(<SubProcessorsPage {...p} />);
export const objectionHtml = (p: Parameters<typeof ObjectionPage>[0]) => renderPage(<ObjectionPage {...p} />);

/** What the disclosure package will hold, before it is built and handed over. */
export const DisclosurePreviewPage: FC<Chrome & { id: number; preview: DisclosurePreview }> = ({
  id,
  preview: p,
  ...chrome
}) => {
  const rows = p.datasets.reduce((a, d) => a + d.rows, 0);
  const failed = p.notReached.filter((n) => n.failed);
  const systemName = (s: string) => chrome.decl.systems[s]?.name ?? s;
  return (
    <Shell {...chrome} title={`Disclose to ${p.authority}?`}>
      <p>
        <a href={`/admin/governance/legal/${id}`}>{p.reference}</a>
      </p>
      <ConfirmStep
        title="What the package will hold"
        action={`/admin/governance/legal/${id}/disclose`}
        csrf={chrome.csrf}
        confirm={`Build and download: ${count(rows, "row")}`}
        back={`/admin/governance/legal/${id}`}
        danger
      >
        <p id="disclosure-summary">
          {`${count(rows, "row")} about ${count(p.accounts.length, "account")} from ` +
            `${count(new Set(p.datasets.map((d) => d.system)).size, "system")}` +
            `${p.scope ? `, for the scope decided: “${p.scope}”` : ""}. ` +
            `The register keeps the package's hash; it goes to ${p.authority} and to no one else.`}
        </p>
        <DataTable
          id="disclosure-contents"
          head={["System", "Data", "Rows"]}
          rows={p.datasets.length}
          empty="None of the named accounts' data was found: the package says so."
        >
          {p.datasets.map((d) => (
            <tr>
              <td>{systemName(d.system)}</td>
              <td>{d.dataset.replace(/_/g, " ")}</td>
              <td>{d.rows}</td>
            </tr>
          ))}
        </DataTable>
        {p.notReached.length ? (
          <ul>
            {p.notReached.map((n) => (
              <li class={n.failed ? "error" : undefined}>
                {systemName(n.system)}
                {n.dataset ? ` (${n.dataset.replace(/_/g, " ")})` : ""}: {n.why}
              </li>
            ))}
          </ul>
        ) : null}
        {failed.length ? (
          <p class="error">A system could not be read: the package will not be built until it answers.</p>
        ) : null}
      </ConfirmStep>
    </Shell>
  );
};
export const disclosurePreviewHtml = (p: Parameters<typeof DisclosurePreviewPage>[0]) =>
  renderPage(<DisclosurePreviewPage {...p} />);
