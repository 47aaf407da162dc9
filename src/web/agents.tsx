/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * Authorized agents of the Data Rights Protocol in the console: the agents registered, each key's fingerprint to
 * compare with the agent before approving, the owner's approve and revoke, the form that registers an agent from its
 * directory entry, and this organization's own entry to send the DRP network's operators.
 */
import type { FC } from "hono/jsx";
import type { Declaration } from "../declaration/index.js";
import type { AgentView } from "../drp/index.js";
import { AdminNav, Csrf } from "./admin.js";
import { Field } from "./components/index.js";
import { Page, renderPage } from "./layout.js";

export interface AgentsPageProps {
  decl: Declaration;
  csrf?: string;
  user: string;
  agents: AgentView[];
  /** Owners approve and revoke; officers register. */
  canApprove: boolean;
  canRegister: boolean;
  /** This organization's entry for the DRP directory; absent when the declaration takes no DRP requests. */
  business?: Record<string, unknown>;
  /** Requests filed per agent. */
  filed: Record<string, number>;
  error?: string;
  notice?: string;
  /** What the register form was sent with, kept when it is refused. */
  draft?: Record<string, string>;
}

const STATUS_WORDS: Record<string, string> = {
  pending: "waiting for an owner",
  approved: "approved",
  revoked: "revoked",
};

export const AgentsPage: FC<AgentsPageProps> = (p) => (
  <Page
    title={`Authorized agents — ${p.decl.organization.name}`}
    organization={p.decl.organization.name}
    sidebar={<AdminNav csrf={p.csrf} user={p.user} />}
  >
    <h1>Authorized agents</h1>
    <p>
      Agents file rights requests for people over the Data Rights Protocol (DRP 1.0). A request is accepted only from an
      agent an owner approved here, signed with the key approved with it. Compare the key's fingerprint with the agent
      (by phone, or on its directory entry) before approving.
    </p>
    {p.error ? (
      <p role="alert" class="error">
        {p.error}
      </p>
    ) : null}
    {p.notice ? <p role="status">{p.notice}</p> : null}
    {p.business ? null : (
      <p class="muted">
        The declaration takes no DRP requests: add <code>rights.authorizedAgents.drp.businessId</code> to take them.
      </p>
    )}
    {p.agents.length ? (
      // One card per agent rather than a table: on a phone the owner sees the fingerprint and the buttons together.
      <section aria-label="Agents">
        {p.agents.map((a) => (
          <article>
            <header>
              <strong>{a.name}</strong> <code>{a.id}</code>{" "}
              <span class={`badge ${a.status === "approved" ? "ok" : a.status === "pending" ? "warn" : ""}`}>
                {STATUS_WORDS[a.status]}
              </span>
            </header>
            <dl>
              <dt>Key fingerprint</dt>
              <dd>
                <code>{a.fingerprint}</code>
              </dd>
              <dt>Technical contact</dt>
              <dd>{a.technicalContact ?? "—"}</dd>
              {a.identityAssuranceUrl ? (
                <>
                  <dt>Identity assurance</dt>
                  <dd>
                    <a href={a.identityAssuranceUrl} rel="noopener noreferrer">
                      {a.identityAssuranceUrl}
                    </a>
                  </dd>
                </>
              ) : null}
              <dt>Requests filed</dt>
              <dd>{p.filed[a.id] ?? 0}</dd>
              {a.approvedBy ? (
                <>
                  <dt>Approved</dt>
                  <dd>
                    by {a.approvedBy.replace(/^user:/, "")} on {a.approvedAt?.slice(0, 10)}
                  </dd>
                </>
              ) : null}
            </dl>
            {p.canApprove && a.status !== "revoked" ? (
              <footer>
                {a.status === "pending" ? (
                  <form method="post" action={`/admin/agents/${a.id}/approve`} class="inline">
                    <Csrf token={p.csrf} />
                    <button type="submit">Approve agent and key</button>
                  </form>
                ) : null}
                <form method="post" action={`/admin/agents/${a.id}/revoke`} class="inline">
                  <Csrf token={p.csrf} />
                  <button type="submit" class="danger">
                    Revoke
                  </button>
                </form>
              </footer>
            ) : null}
          </article>
        ))}
      </section>
    ) : (
      <div class="blankslate">
        <h2>No agents yet</h2>
        <p>Register an agent from its entry in the DRP service directory below; an owner then approves it.</p>
      </div>
    )}
    {p.canRegister ? (
      <form method="post" action="/admin/agents">
        <h2>Register an agent</h2>
        <Csrf token={p.csrf} />
        <Field id="a-id" label="Agent id (as in the DRP directory)">
          <input type="text" id="a-id" name="id" required pattern="[A-Z_]+" value={p.draft?.id} />
        </Field>
        <Field id="a-name" label="Name">
          <input type="text" id="a-name" name="name" required value={p.draft?.name} />
        </Field>
        <Field id="a-key" label="Verify key (base64 Ed25519 public key)">
          <input type="text" id="a-key" name="verify_key" required value={p.draft?.verify_key} />
        </Field>
        <Field id="a-tech" label="Technical contact (email)">
          <input type="email" id="a-tech" name="technical_contact" required value={p.draft?.technical_contact} />
        </Field>
        <Field id="a-bus" label="Business contact (email)">
          <input type="email" id="a-bus" name="business_contact" value={p.draft?.business_contact} />
        </Field>
        <Field id="a-web" label="Web site (https)">
          <input type="url" id="a-web" name="web_url" value={p.draft?.web_url} />
        </Field>
        <Field id="a-ia" label="Identity assurance document (https)">
          <input type="url" id="a-ia" name="identity_assurance_url" value={p.draft?.identity_assurance_url} />
        </Field>
        <button type="submit">Register agent</button>
      </form>
    ) : null}
    {p.business ? (
      <section>
        <h2>This organization in the DRP directory</h2>
        <p>
          Send this entry to the DRP network's operators; agents find the API here by it. It is also served at{" "}
          <a href="/.well-known/data-rights.json">/.well-known/data-rights.json</a>.
        </p>
        <pre tabindex={0}>
          <code>{JSON.stringify(p.business, null, 2)}</code>
        </pre>
      </section>
    ) : null}
  </Page>
);

export const agentsPageHtml = (p: AgentsPageProps) => renderPage(<AgentsPage {...p} />);
