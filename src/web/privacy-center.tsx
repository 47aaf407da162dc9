/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The privacy center: the request form, the code form, and the requester's status page. Plain forms; no JavaScript
 * needed.
 */
import type { FC } from "hono/jsx";
import {
  REGIMES,
  basesOf,
  formatRule,
  jurisdictionChoices,
  lawsServed,
  objectionKind,
  type Declaration,
} from "../declaration/index.js";
import type { RequestEvent, RequestReport, RequestView, SystemReport } from "../requests/index.js";
import { isOpen, RECTIFIABLE } from "../requests/index.js";
import { Page, renderPage } from "./layout.js";

/** What each right does, in the privacy center's words; `cite` is shown only where the law it names applies. */
export const RIGHT_LABELS: Record<string, { title: string; help: string; cite?: string }> = {
  access: {
    title: "Get a copy of my data",
    help: "We send you everything we hold about you, with what we do with it.",
    cite: "GDPR Art 15",
  },
  portability: {
    title: "Take my data elsewhere",
    help: "The data you gave us, in machine-readable files.",
    cite: "GDPR Art 20",
  },
  erasure: {
    title: "Delete my data",
    help: "We erase your data everywhere we can, and tell you what the law makes us keep.",
    cite: "GDPR Art 17",
  },
  rectification: { title: "Correct my data", help: "Give the corrected values below.", cite: "GDPR Art 16" },
  restriction: {
    title: "Restrict the use of my data",
    help: "We keep your data but stop using it.",
    cite: "GDPR Art 18",
  },
  objection: {
    title: "Object to a use of my data",
    help: "Choose the purposes below; direct marketing stops at once, other uses unless we have compelling grounds.",
    cite: "GDPR Art 21",
  },
  withdraw_consent: {
    title: "Withdraw my consent",
    help: "Choose the purposes below; this does not affect what was done before.",
    cite: "GDPR Art 7(3)",
  },
  opt_out_sale: {
    title: "Do not sell or share my personal information",
    help: "We stop selling or sharing your data, and tell those we sold or shared it with. No code is needed.",
    cite: "CCPA",
  },
  limit_sensitive: {
    title: "Limit the use of my sensitive personal information",
    help: "We use it only as needed to provide what you asked for. No code is needed.",
    cite: "CCPA § 1798.121",
  },
};

/** The help text of a right, with its article only where the organization serves that law's people. */
function rightHelp(decl: Declaration, right: string): string {
  const l = RIGHT_LABELS[right];
  const laws = lawsServed(decl.organization.jurisdictions);
  const applies = l.cite?.startsWith("GDPR")
    ? laws.has("gdpr") || laws.has("uk")
    : l.cite?.startsWith("CCPA")
      ? laws.has("ccpa")
      : false;
  return applies ? `${l.help.replace(/\.$/, "")} (${l.cite}).` : l.help;
}

export const IDENTITY_LABELS: Record<string, string> = {
  email: "Email address",
  phone: "Phone number",
  account_id: "Account number",
  job_number: "Job number",
  device_id: "Device id",
};

/** The places a person may say they live: every place of the law table, from the same table. */
export const JURISDICTIONS: [string, string][] = jurisdictionChoices();

export interface FormState {
  values: Record<string, string | string[]>;
  errors: Record<string, string>;
}

function offeredRights(decl: Declaration): string[] {
  return Object.keys(RIGHT_LABELS).filter((r) => (decl.rights.offered as string[]).includes(r));
}

const FieldError: FC<{ id: string; error?: string }> = ({ id, error }) =>
  error ? (
    <p class="error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;

export const RequestFormPage: FC<{ decl: Declaration; state: FormState }> = ({ decl, state }) => {
  const v = (k: string) => (typeof state.values[k] === "string" ? (state.values[k] as string) : "");
  // Only purposes that can be objected to (legitimate interests, public task, direct marketing) or whose consent can be
  // withdrawn.
  const purposes = Object.entries(decl.purposes).filter(
    ([, p]) => objectionKind(p) || basesOf(p).some((b) => b.basis === "consent"),
  );
  const purposeNote = (p: Declaration["purposes"][string]) => {
    const kind = objectionKind(p);
    const consent = basesOf(p).some((b) => b.basis === "consent");
    return [
      kind === "direct_marketing"
        ? "direct marketing: an objection stops it at once"
        : kind === "balancing"
          ? "object: we stop unless we have compelling grounds"
          : "",
      consent ? "withdraw consent" : "",
    ]
      .filter(Boolean)
      .join("; ");
  };
  const errors = Object.entries(state.errors);
  const chosen = v("right") || "access";
  return (
    <Page title={`Privacy center — ${decl.organization.name}`} organization={decl.organization.name}>
      <h1>Privacy center</h1>
      <p>
        Ask {decl.organization.shortName ?? decl.organization.name} about your personal data. We will email you a code
        to confirm it is you: to the email address you give, or, if you give another identity, to the email address we
        already hold for it.
      </p>
      {errors.length ? (
        <div role="alert" class="errors">
          <h2>Please fix {errors.length === 1 ? "this" : "these"}:</h2>
          <ul>
            {errors.map(([k, msg]) => (
              <li>
                <a href={`#${k}`}>{msg}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action="/privacy-center/requests" enctype="multipart/form-data">
        <fieldset>
          <legend>What would you like to do?</legend>
          {offeredRights(decl).map((r) => (
            <p>
              <input
                type="radio"
                name="right"
                id={`right-${r}`}
                value={r}
                checked={chosen === r}
                aria-describedby={`right-${r}-help`}
              />{" "}
              <label for={`right-${r}`}>{RIGHT_LABELS[r].title}</label>
              <br />
              <small id={`right-${r}-help`}>{rightHelp(decl, r)}</small>
            </p>
          ))}
        </fieldset>
        <fieldset>
          <legend>Who are you?</legend>
          {decl.rights.identities.length > 1 ? (
            <p>
              <label for="identityType">We know you by your</label>{" "}
              <select name="identityType" id="identityType">
                {decl.rights.identities.map((t) => (
                  <option value={t} selected={v("identityType") === t}>
                    {IDENTITY_LABELS[t] ?? t}
                  </option>
                ))}
              </select>
            </p>
          ) : (
            <input type="hidden" name="identityType" value={decl.rights.identities[0]} />
          )}
          <p>
            <label for="identity">
              Your {IDENTITY_LABELS[decl.rights.identities[0]]?.toLowerCase() ?? "identity"} (or the identity chosen
              above)
            </label>
            <br />
            <input
              type="text"
              name="identity"
              id="identity"
              value={v("identity")}
              required
              autocomplete="email"
              aria-invalid={state.errors.identity ? "true" : undefined}
              aria-describedby={state.errors.identity ? "identity-error" : undefined}
            />
            <FieldError id="identity" error={state.errors.identity} />
          </p>
          <p>
            <label for="contactEmail">
              Email for updates, if the identity above is not an email address (we write to it only once you are
              verified; the code goes to the address we already hold for you)
            </label>
            <br />
            <input
              type="email"
              name="contactEmail"
              id="contactEmail"
              value={v("contactEmail")}
              aria-describedby={state.errors.contactEmail ? "contactEmail-error" : undefined}
            />
            <FieldError id="contactEmail" error={state.errors.contactEmail} />
          </p>
          <p>
            <label for="name">Your name (optional; we use it only to greet you)</label>
            <br />
            <input type="text" name="name" id="name" value={v("name")} autocomplete="name" />
          </p>
          <p>
            <label for="jurisdiction">Where do you live?</label>
            <br />
            <select name="jurisdiction" id="jurisdiction">
              <option value="">Choose…</option>
              {JURISDICTIONS.map(([code, label]) => (
                <option value={code} selected={v("jurisdiction") === code}>
                  {label}
                </option>
              ))}
            </select>
            <FieldError id="jurisdiction" error={state.errors.jurisdiction} />
          </p>
        </fieldset>
        <fieldset>
          <legend>Corrections (only if you chose “Correct my data”)</legend>
          {Object.entries(RECTIFIABLE).map(([cat, label]) => {
            const id = `correct-${cat.replace(/\./g, "-")}`;
            return (
              <p>
                <label for={id}>Correct {label.toLowerCase()}</label>
                <br />
                <input type="text" name={`correct:${cat}`} id={id} value={v(`correct:${cat}`)} />
              </p>
            );
          })}
          <FieldError id="corrections" error={state.errors.corrections} />
        </fieldset>
        <fieldset>
          <legend>Purposes (only for an objection or withdrawing consent; none chosen means all that apply)</legend>
          {purposes.map(([id, p]) => (
            <p>
              <input
                type="checkbox"
                name="purposes"
                id={`purpose-${id}`}
                value={id}
                checked={
                  Array.isArray(state.values.purposes)
                    ? state.values.purposes.includes(id)
                    : state.values.purposes === id
                }
              />{" "}
              <label for={`purpose-${id}`}>{p.name}</label> <small>({purposeNote(p)})</small>
            </p>
          ))}
        </fieldset>
        {decl.rights.authorizedAgents?.allowed ? (
          <fieldset>
            <legend>Asking for someone else?</legend>
            <p>
              <input type="checkbox" name="isAgent" id="isAgent" value="yes" checked={v("isAgent") === "yes"} />{" "}
              <label for="isAgent">I am an authorized agent acting for the person above</label>
            </p>
            <p>
              <label for="agentName">Your name</label>
              <br />
              <input type="text" name="agentName" id="agentName" value={v("agentName")} />
            </p>
            <p>
              <label for="agentEmail">Your email (the code goes to you)</label>
              <br />
              <input type="email" name="agentEmail" id="agentEmail" value={v("agentEmail")} />
            </p>
            <p>
              <label for="authorization">The signed authorization (PDF or image, up to 5 MB)</label>
              <br />
              <input type="file" name="authorization" id="authorization" accept="application/pdf,image/*" />
              <FieldError id="authorization" error={state.errors.authorization} />
            </p>
          </fieldset>
        ) : null}
        <p>
          <button type="submit">Send my request</button>
        </p>
      </form>
      <p>
        <a href="/privacy">Read our privacy notice</a>
      </p>
    </Page>
  );
};

export const VerifyPage: FC<{
  decl: Declaration;
  requestId: string;
  sentTo?: string;
  identityLabel: string;
  agent: boolean;
  error?: string;
}> = ({ decl, requestId, sentTo, identityLabel, agent, error }) => (
  <Page title="Confirm it is you" organization={decl.organization.name}>
    <h1>Confirm it is you</h1>
    {sentTo ? (
      <p id="sent">We sent a 6-digit code to {sentTo}. It is valid for 10 minutes.</p>
    ) : (
      <p id="sent">
        If we hold an email address for this {identityLabel}, we have sent a 6-digit code to it; it is valid for 10
        minutes. If no code arrives, our privacy team will verify your identity another way and write to you at the
        address you gave.
      </p>
    )}
    {agent ? (
      <p>
        The code goes to the person you act for, never to you: they confirm the request by entering it here, or at the
        link in their email, or by giving it to you.
      </p>
    ) : null}
    {error ? (
      <p role="alert" class="error">
        {error}
      </p>
    ) : null}
    <form method="post" action={`/privacy-center/verify/${requestId}`}>
      <p>
        <label for="code">Code</label>
        <br />
        <input
          type="text"
          name="code"
          id="code"
          inputmode="numeric"
          pattern="[0-9]{6}"
          maxlength={6}
          autocomplete="one-time-code"
          required
          autofocus
        />
      </p>
      <p>
        <button type="submit">Confirm</button>
      </p>
    </form>
    <form method="post" action={`/privacy-center/verify/${requestId}/resend`}>
      <p>
        <button type="submit">Send a new code</button>
      </p>
    </form>
  </Page>
);

const STATUS_TEXT: Record<string, string> = {
  unverified: "Waiting for your code",
  pending_approval: "Waiting for our privacy team to approve it",
  in_progress: "In progress",
  needs_attention: "In progress — our team is handling part of it by hand",
  completed: "Done",
  denied: "Declined",
  appealed: "Appealed — our privacy team is reviewing the decision",
  expired: "Not confirmed in time",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One system's part of a report, in words: what was found, changed, kept and why, and what was not searched. */
export function systemLines(decl: Declaration, right: string, s: SystemReport): string[] {
  const name = decl.systems[s.system]?.name ?? s.system;
  if (s.status === "manual" || s.status === "skipped" || (s.note && !s.datasets.length))
    return [`${name}: ${s.note || "handled by our staff"}`];
  const lines: string[] = [];
  const found = s.datasets.reduce((a, d) => a + d.found, 0);
  const head =
    s.status === "held"
      ? "nothing erased: under a legal hold"
      : found === 0
        ? "nothing found"
        : right === "erasure"
          ? s.verified
            ? "erased where the law allows — verified: a new search by every identity finds nothing"
            : "not verified"
          : `${plural(found, "row")} found`;
  lines.push(`${name}: ${head}`);
  for (const d of s.datasets) {
    if (!d.found && !d.notMatched) continue;
    const parts = [`${plural(d.found, "row")} found`];
    if (d.deleted !== undefined) parts.push(`${d.deleted} deleted`);
    if (d.masked) parts.push(`${d.masked} masked and kept`);
    if (d.unchanged) parts.push(`${d.unchanged} kept as ${d.unchanged === 1 ? "it is" : "they are"}`);
    if (d.corrected !== undefined) parts.push(`${d.corrected} corrected`);
    let line = `${d.dataset}: ${parts.join(", ")}`;
    if (d.kept?.length)
      line += ` — kept because: ${d.kept.map((k) => `${k.why} (${plural(k.rows, "row")})`).join("; ")}`;
    if (d.keptFields?.length) line += ` — fields kept: ${d.keptFields.join(", ")}`;
    if (d.notMatched)
      line += ` — ${plural(d.notMatched, "row")} of other people reached through a reference were left alone`;
    lines.push(line);
  }
  for (const a of s.actors)
    lines.push(
      `${a.dataset}: you appear as the person handling ${plural(a.rows, "row")} (${a.field}); they are about other people and were not touched`,
    );
  for (const n of s.notReached) lines.push(`${n.dataset}: not searched — ${n.why}`);
  return lines;
}

/** The report of a completed request: which identities found nothing, then each system. */
export const ReportView: FC<{ decl: Declaration; right: string; report: RequestReport }> = ({
  decl,
  right,
  report,
}) => {
  const missing = report.identities.filter((i) => !i.found);
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{right === "access" || right === "portability" ? "What we found" : "What we did"}</h2>
      {report.outcome === "nothing_found" ? (
        <p id="nothing-found" role="status">
          <strong>We found no data about you</strong> in the systems we searched automatically
          {right === "erasure" ? ", so there was nothing to erase" : ""}. If you have used other details with us, send a
          new request with them.
        </p>
      ) : null}
      {missing.length ? (
        <p id="identities-not-found">
          Nothing was found for: {missing.map((i) => `${i.type.replace(/_/g, " ")} ${i.shown}`).join(", ")}.
        </p>
      ) : null}
      <ul id="report">
        {report.systems.flatMap((s) => {
          const [first, ...rest] = systemLines(decl, right, s);
          return [
            <li>
              {first}
              {rest.length ? (
                <ul>
                  {rest.map((l) => (
                    <li>{l}</li>
                  ))}
                </ul>
              ) : null}
            </li>,
          ];
        })}
        {report.flags.map((f) => (
          <li>Recorded: {f.replace(/_/g, " ")}</li>
        ))}
        {report.recipientsNotified.map((r) => (
          <li>Told {decl.recipients[r]?.name ?? r}</li>
        ))}
      </ul>
    </section>
  );
};

export const StatusPage: FC<{
  decl: Declaration;
  request: RequestView;
  token: string;
  events: RequestEvent[];
  exportExpiresAt?: string;
  exportExpired: boolean;
  delayed?: boolean;
}> = ({ decl, request, token, events, exportExpiresAt, exportExpired, delayed }) => {
  const open = isOpen(request.status);
  return (
    <Page title="Your request" organization={decl.organization.name}>
      {open ? <meta http-equiv="refresh" content="3" /> : null}
      <h1>Your request: {RIGHT_LABELS[request.right]?.title ?? request.right}</h1>
      <p role="status">
        Status: <strong id="status">{STATUS_TEXT[request.status] ?? request.status}</strong>
      </p>
      {delayed ? (
        <p id="delayed">
          One of our systems is taking longer than usual; we are retrying, and our team is told. You need not do
          anything.
        </p>
      ) : null}
      <dl>
        <dt>Received</dt>
        <dd>{request.receivedAt.slice(0, 10)}</dd>
        <dt>We answer by</dt>
        <dd>
          {request.effectiveDueAt.slice(0, 10)}
          {request.extensionReason ? ` (extended: ${request.extensionReason})` : ""}
        </dd>
      </dl>
      {request.status === "completed" && (request.right === "access" || request.right === "portability") ? (
        exportExpired ? (
          <p>Your download has expired. Ask again if you need it.</p>
        ) : (
          <p>
            <a href={`/privacy-center/requests/${token}/export`} download id="download">
              Download your data (ZIP)
            </a>{" "}
            — available until {exportExpiresAt?.slice(0, 10)}.
          </p>
        )
      ) : null}
      {request.status === "completed" && request.report ? (
        <ReportView decl={decl} right={request.right} report={request.report} />
      ) : null}
      {request.status === "denied" || request.status === "appealed" ? (
        <p>Reason: {request.denialReason ?? request.appeal?.answer}</p>
      ) : null}
      {request.appeal ? (
        <p id="appeal">
          Appealed on {request.appeal.appealedAt.slice(0, 10)}; we answer by {request.appeal.dueAt.slice(0, 10)}.
          {request.appeal.outcome
            ? ` Outcome: ${request.appeal.outcome === "reversed" ? "we will act on your request" : "our decision stands"}. ${request.appeal.answer ?? ""}`
            : ""}
          {request.appeal.outcome === "upheld" ? ` You may contact ${REGIMES[request.regime].complaintTo}.` : ""}
        </p>
      ) : null}
      {request.status === "denied" && request.appealable && !request.appeal ? (
        <form method="post" action={`/privacy-center/requests/${token}/appeal`} id="appeal-form">
          <h2>Appeal this decision</h2>
          <p>
            The law of {request.jurisdiction} lets you appeal. We answer within{" "}
            {REGIMES[request.regime].appeal ? formatRule(REGIMES[request.regime].appeal!) : ""}.
          </p>
          <p>
            <label for="appeal-reason">Why should we reconsider?</label>
            <br />
            <textarea name="reason" id="appeal-reason" required maxlength={2000} rows={4} cols={60}></textarea>
          </p>
          <button type="submit">Appeal this decision</button>
        </form>
      ) : null}
      <h2>Timeline</h2>
      <ol>
        {events.map((e) => (
          <li>
            {e.at.slice(0, 16).replace("T", " ")} — {e.message}
          </li>
        ))}
      </ol>
      <p>Keep this page's address private: it is the key to your request.</p>
    </Page>
  );
};

export const MessagePage: FC<{ decl: Declaration; title: string; message: string }> = ({ decl, title, message }) => (
  <Page title={title} organization={decl.organization.name}>
    <h1>{title}</h1>
    <p role="alert">{message}</p>
    <p>
      <a href="/privacy-center">Back to the privacy center</a>
    </p>
  </Page>
);

export const requestFormHtml = (p: { decl: Declaration; state: FormState }) => renderPage(<RequestFormPage {...p} />);
export const verifyPageHtml = (p: Parameters<typeof VerifyPage>[0]) => renderPage(<VerifyPage {...p} />);
export const statusPageHtml = (p: Parameters<typeof StatusPage>[0]) => renderPage(<StatusPage {...p} />);
export const messagePageHtml = (p: { decl: Declaration; title: string; message: string }) =>
  renderPage(<MessagePage {...p} />);
