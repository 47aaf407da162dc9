/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The request workbench's own pages: entering a request that arrived outside the privacy center, and the review of
 * an action on many requests before it is taken.
 */
import type { FC } from "hono/jsx";
import { type Declaration, categoriesOf, categoryName } from "../declaration/index.js";
import { STAFF_CHANNELS, type RequestView } from "../requests/index.js";
import { AdminNav, CHANNELS, StatusBadge, rightName } from "./admin.js";
import { ConfirmStep, Csrf, DataTable, Field, count } from "./components/index.js";
import { Page, renderPage } from "./layout.js";

/** Identity types as staff name them. */
const IDENTITY_WORDS: Record<string, string> = {
  email: "Email address",
  phone: "Phone number",
  account_id: "Account number",
  customer_id: "Customer number",
};
const identityWords = (t: string) => IDENTITY_WORDS[t] ?? t.replace(/_/g, " ");

export const RequestEntryPage: FC<{
  decl: Declaration;
  csrf?: string;
  user: string;
  values: Record<string, string>;
  error?: string;
}> = ({ decl, csrf, user, values: v, error }) => {
  const cats = categoriesOf(decl);
  const correctable = [
    ...new Set(
      Object.values(decl.systems).flatMap((s) =>
        Object.values(s.datasets).flatMap((d) =>
          Object.values(d.fields)
            .map((f) => f.category)
            .filter((c): c is string => !!c && c.startsWith("user.")),
        ),
      ),
    ),
  ].sort();
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Page
      title={`Enter a request — ${decl.organization.name}`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      <p>
        <a href="/admin/requests">Requests</a>
      </p>
      <h1>Enter a request</h1>
      <p class="lead">
        For a request that came by letter, phone, mail or in person: the law does not limit how people ask. The deadline
        runs from the day it arrived.
      </p>
      {error ? (
        <p role="alert" class="flash error" id="entry-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/admin/requests/new">
        <Csrf token={csrf} />
        <div class="grid">
          <Field id="e-right" label="What the person asks">
            <select id="e-right" name="right" required>
              {decl.rights.offered
                .filter((r) => r !== "complaint" && r !== "opt_out_marketing" && r !== "automated_decision")
                .map((r) => (
                  <option value={r} selected={v.right === r}>
                    {rightName(r)}
                  </option>
                ))}
            </select>
          </Field>
          <Field id="e-channel" label="How it arrived">
            <select id="e-channel" name="channel" required>
              {STAFF_CHANNELS.map((c) => (
                <option value={c} selected={v.channel === c}>
                  {CHANNELS[c]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="e-received" label="Received on" hint="The day it arrived; today if left empty">
            <input type="date" id="e-received" name="receivedAt" max={today} value={v.receivedAt ?? ""} />
          </Field>
        </div>
        <div class="grid">
          <Field id="e-type" label="They are known to us by">
            <select id="e-type" name="identityType">
              {decl.rights.identities.map((t) => (
                <option value={t} selected={v.identityType === t}>
                  {identityWords(t)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="e-identity" label="Their email, phone or number, as they gave it">
            <input type="text" id="e-identity" name="identity" required maxlength={320} value={v.identity ?? ""} />
          </Field>
        </div>
        <div class="grid">
          <Field id="e-name" label="Name (optional)">
            <input type="text" id="e-name" name="name" maxlength={200} value={v.name ?? ""} autocomplete="off" />
          </Field>
          <Field id="e-contact" label="Email for updates (optional)" hint="Where the status and answer are mailed">
            <input type="email" id="e-contact" name="contactEmail" maxlength={320} value={v.contactEmail ?? ""} />
          </Field>
        </div>
        <fieldset>
          <legend>For a correction</legend>
          <div class="grid">
            <Field id="e-cat" label="What is wrong">
              <select id="e-cat" name="correctCategory">
                <option value="">(not a correction)</option>
                {correctable.map((c) => (
                  <option value={c} selected={v.correctCategory === c}>
                    {categoryName(c, cats)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="e-value" label="What it should be">
              <input type="text" id="e-value" name="correctValue" maxlength={500} value={v.correctValue ?? ""} />
            </Field>
          </div>
        </fieldset>
        <Field
          id="e-verified"
          label="How you verified who they are"
          hint={
            "An ID seen at the counter, a call back to the number on file. Left empty, a code is mailed to " +
            "their email as for a request from the privacy center."
          }
        >
          <input type="text" id="e-verified" name="verified" maxlength={2000} value={v.verified ?? ""} />
        </Field>
        <button type="submit">Enter the request</button>
      </form>
    </Page>
  );
};

export const requestEntryHtml = (p: Parameters<typeof RequestEntryPage>[0]) => renderPage(<RequestEntryPage {...p} />);

const BULK_WORDS = {
  assign: "Assign",
  unassign: "Unassign",
  extend: "Extend the deadline of",
  verify: "Mark as verified by hand",
} as const;

/** What an action on many requests will do, before it is done. */
export const BulkPreviewPage: FC<{
  decl: Declaration;
  csrf?: string;
  user: string;
  requests: RequestView[];
  action: keyof typeof BULK_WORDS;
  assignee?: { email: string; name: string };
  note: string;
}> = ({ decl, csrf, user, requests, action, assignee, note }) => {
  const fields = {
    action,
    note,
    ids: requests.map((r) => r.id),
    ...(assignee ? { assignee: assignee.email } : {}),
  };
  const what =
    action === "assign"
      ? `Give ${count(requests.length, "request")} to ${assignee?.name ?? "—"}, who is mailed the list.`
      : action === "unassign"
        ? `Leave ${count(requests.length, "request")} with nobody.`
        : action === "extend"
          ? `Extend the deadline of ${count(requests.length, "request")}; ` +
            `each requester is mailed the reason: “${note}”.`
          : `Record ${count(requests.length, "request")} as verified by hand: “${note}”. Each then starts.`;
  return (
    <Page
      title={`${BULK_WORDS[action]} ${count(requests.length, "request")}? — ${decl.organization.name}`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      <p>
        <a href="/admin/requests">Requests</a>
      </p>
      <h1>
        {BULK_WORDS[action]} {count(requests.length, "request")}?
      </h1>
      <ConfirmStep
        title="What will happen"
        action="/admin/requests/bulk"
        csrf={csrf}
        fields={fields}
        confirm={`${BULK_WORDS[action]} ${count(requests.length, "request")}`}
        back="/admin/requests"
        danger={action === "extend"}
      >
        <p id="bulk-summary">{what}</p>
        <DataTable head={["Reference", "Right", "Status", "Due"]}>
          {requests.map((r) => (
            <tr>
              <td>{r.reference}</td>
              <td>{rightName(r.right)}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td class="nowrap">{r.effectiveDueAt.slice(0, 10)}</td>
            </tr>
          ))}
        </DataTable>
      </ConfirmStep>
    </Page>
  );
};

export const bulkPreviewHtml = (p: Parameters<typeof BulkPreviewPage>[0]) => renderPage(<BulkPreviewPage {...p} />);
