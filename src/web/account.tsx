/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * Staff accounts: the owner's list of users (invite, role, disable, reset), each user's own account (password,
 * second factor, sessions, API tokens), and the sign-in steps a session passes through (code, new password,
 * second-factor set-up, the page an invitation link opens).
 */
import type { FC } from "hono/jsx";
import { raw } from "hono/html";
import { ROLES, type SessionInfo, type StaffAccount, type TotpEnrolment } from "../auth/index.js";
import { AdminNav, Csrf } from "./admin.js";
import { SignOut } from "./components/index.js";
import { Page, renderPage } from "./layout.js";

interface Frame {
  organization: string;
  csrf?: string;
  user: string;
  flash?: string;
  error?: string;
}

const Flash: FC<{ flash?: string; error?: string }> = ({ flash, error }) => (
  <>
    {flash ? (
      <p class="flash" role="status">
        {flash}
      </p>
    ) : null}
    {error ? (
      <p class="flash error" role="alert">
        {error}
      </p>
    ) : null}
  </>
);

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "never");

const UsersPage: FC<Frame & { users: StaffAccount[]; me: number; required: readonly string[] }> = ({
  organization,
  csrf,
  user,
  flash,
  error,
  users,
  me,
  required,
}) => (
  <Page title={`Users — ${organization}`} organization={organization} sidebar={<AdminNav csrf={csrf} user={user} />}>
    <h1>Users</h1>
    <Flash flash={flash} error={error} />
    <div class="table">
      <table tabindex={0}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th>Second factor</th>
            <th>Last sign-in</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <td>
                {u.name} {u.disabled ? <span class="badge danger">disabled</span> : null}
                {u.pending ? <span class="badge">invited</span> : null}
              </td>
              <td>{u.email}</td>
              <td>
                <form class="inline" method="post" action={`/admin/users/${u.id}/role`}>
                  <Csrf token={csrf} />
                  <label class="sr-only" for={`role-${u.id}`}>
                    Role of {u.email}
                  </label>
                  <select name="role" id={`role-${u.id}`}>
                    {ROLES.map((r) => (
                      <option value={r} selected={r === u.role}>
                        {r}
                      </option>
                    ))}
                  </select>{" "}
                  <button type="submit" class="secondary">
                    Set
                  </button>
                </form>
              </td>
              <td>
                {u.twoFactor ? (
                  "on"
                ) : required.includes(u.role) ? (
                  <span class="badge danger">required, not set</span>
                ) : (
                  "off"
                )}
              </td>
              <td>{when(u.lastSignInAt)}</td>
              <td>
                <div class="actions">
                  <form class="inline" method="post" action={`/admin/users/${u.id}/reset`}>
                    <Csrf token={csrf} />
                    <button type="submit" class="secondary" disabled={u.id === me}>
                      Reset
                    </button>
                  </form>
                  {u.disabled ? (
                    <form class="inline" method="post" action={`/admin/users/${u.id}/enable`}>
                      <Csrf token={csrf} />
                      <button type="submit" class="secondary">
                        Enable
                      </button>
                    </form>
                  ) : (
                    <form class="inline" method="post" action={`/admin/users/${u.id}/disable`}>
                      <Csrf token={csrf} />
                      <button type="submit" class="danger" disabled={u.id === me}>
                        Disable
                      </button>
                    </form>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <p class="hint">
      Reset clears the password and second factor and mails the user a link to choose a new password. Disable ends their
      sessions and API tokens at once.
    </p>
    <form method="post" action="/admin/users">
      <Csrf token={csrf} />
      <fieldset>
        <legend>Invite a user</legend>
        <div class="field">
          <label for="invite-email">Email</label>
          <input type="email" id="invite-email" name="email" required maxlength={254} />
        </div>
        <div class="field">
          <label for="invite-name">Name</label>
          <input type="text" id="invite-name" name="name" required maxlength={200} />
        </div>
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" name="role">
            {ROLES.map((r) => (
              <option value={r} selected={r === "viewer"}>
                {r}
              </option>
            ))}
          </select>
          <small>viewer &lt; approver &lt; officer &lt; owner: each may do what the ones before it may.</small>
        </div>
        <button type="submit">Send invitation</button>
      </fieldset>
    </form>
  </Page>
);

const AccountPage: FC<
  Frame & {
    email: string;
    role: string;
    twoFactor: { enabled: boolean; since?: string; recoveryLeft: number };
    required: boolean;
    sessions: SessionInfo[];
    current?: string;
    tokens: { id: number; name: string; role: string; createdAt: string; lastUsedAt: string | null }[];
    newToken?: string;
  }
> = ({
  organization,
  csrf,
  user,
  flash,
  error,
  email,
  role,
  twoFactor,
  required,
  sessions,
  current,
  tokens,
  newToken,
}) => (
  <Page
    title={`Your account — ${organization}`}
    organization={organization}
    sidebar={<AdminNav csrf={csrf} user={user} />}
  >
    <h1>Your account</h1>
    <Flash flash={flash} error={error} />
    <p>
      {email}, {role}.
    </p>
    <h2>Password</h2>
    <PasswordForm csrf={csrf} />
    <h2>Second factor</h2>
    {twoFactor.enabled ? (
      <>
        <p>
          An authenticator app has been required at sign-in since {when(twoFactor.since ?? null)}.{" "}
          {twoFactor.recoveryLeft} recovery codes left.
        </p>
        <div class="actions">
          <form method="post" action="/admin/account/two-factor/start">
            <Csrf token={csrf} />
            <button type="submit" class="secondary">
              Set up a new app (new recovery codes)
            </button>
          </form>
          {required ? null : (
            <form method="post" action="/admin/account/two-factor/remove">
              <Csrf token={csrf} />
              <button type="submit" class="danger">
                Remove the second factor
              </button>
            </form>
          )}
        </div>
      </>
    ) : (
      <form method="post" action="/admin/account/two-factor/start">
        <Csrf token={csrf} />
        <p>{required ? "Your role requires a second factor." : "Sign-in asks for your password only."}</p>
        <button type="submit">Set up an authenticator app</button>
      </form>
    )}
    <h2>Sessions</h2>
    <div class="table">
      <table tabindex={0}>
        <thead>
          <tr>
            <th>Signed in</th>
            <th>Last seen</th>
            <th>From</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr>
              <td>{when(s.createdAt)}</td>
              <td>{when(s.lastSeenAt)}</td>
              <td>
                {s.ip ?? "unknown"} <span class="muted">{s.userAgent ?? ""}</span>
              </td>
              <td>
                {s.id === current ? (
                  <span class="badge">this session</span>
                ) : (
                  <form class="inline" method="post" action={`/admin/account/sessions/${s.id}/revoke`}>
                    <Csrf token={csrf} />
                    <button type="submit" class="danger">
                      Sign out
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <h2>API tokens</h2>
    {newToken ? (
      <p class="flash" role="status">
        Your new token (shown once): <code>{newToken}</code>
      </p>
    ) : null}
    {tokens.length ? (
      <div class="table">
        <table tabindex={0}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Made</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr>
                <td>{t.name}</td>
                <td>{t.role}</td>
                <td>{when(t.createdAt)}</td>
                <td>{when(t.lastUsedAt)}</td>
                <td>
                  <form class="inline" method="post" action={`/admin/account/tokens/${t.id}/revoke`}>
                    <Csrf token={csrf} />
                    <button type="submit" class="danger">
                      Revoke
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    ) : (
      <p class="empty">You have no API tokens.</p>
    )}
    <form method="post" action="/admin/account/tokens">
      <Csrf token={csrf} />
      <fieldset>
        <legend>New API token</legend>
        <p class="hint">It acts as you, with at most your role, and stops if your account is disabled.</p>
        <div class="field">
          <label for="token-name">Name</label>
          <input type="text" id="token-name" name="name" required maxlength={100} />
        </div>
        <div class="field">
          <label for="token-role">Role</label>
          <select id="token-role" name="role">
            {ROLES.slice(0, ROLES.indexOf(role as never) + 1).map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </div>
        <button type="submit">Make token</button>
      </fieldset>
    </form>
  </Page>
);

const PasswordForm: FC<{ csrf?: string; action?: string; currentLabel?: string }> = ({
  csrf,
  action,
  currentLabel,
}) => (
  <form method="post" action={action ?? "/admin/password"}>
    <Csrf token={csrf} />
    <div class="field">
      <label for="current">{currentLabel ?? "Current password"}</label>
      <input type="password" id="current" name="current" required autocomplete="current-password" />
    </div>
    <div class="field">
      <label for="next">New password</label>
      <input type="password" id="next" name="next" required minlength={12} autocomplete="new-password" />
      <small>At least 12 characters.</small>
    </div>
    <div class="field">
      <label for="confirm">New password again</label>
      <input type="password" id="confirm" name="confirm" required minlength={12} autocomplete="new-password" />
    </div>
    <button type="submit">Change password</button>
  </form>
);

/** The stand-alone pages of signing in: no console navigation, only a way out. */
const StepPage: FC<{ organization: string; title: string; csrf?: string; children?: unknown }> = ({
  organization,
  title,
  csrf,
  children,
}) => (
  <Page
    title={`${title} — ${organization}`}
    organization={organization}
    nav={
      csrf ? (
        <nav aria-label="Console">
          <SignOut csrf={csrf} />
        </nav>
      ) : (
        <nav aria-label="Console" />
      )
    }
  >
    <h1>{title}</h1>
    {children as never}
  </Page>
);

const CodePage: FC<{ organization: string; csrf?: string; error?: string }> = ({ organization, csrf, error }) => (
  <StepPage organization={organization} title="Enter your code" csrf={csrf}>
    <Flash error={error} />
    <form method="post" action="/admin/login/code">
      <Csrf token={csrf} />
      <div class="field">
        <label for="code">Code from your authenticator app, or a recovery code</label>
        <input
          type="text"
          id="code"
          name="code"
          required
          autocomplete="one-time-code"
          inputmode="text"
          maxlength={20}
          autofocus
        />
      </div>
      <button type="submit">Continue</button>
    </form>
  </StepPage>
);

const ChangePasswordPage: FC<{ organization: string; csrf?: string; error?: string; forced: boolean }> = ({
  organization,
  csrf,
  error,
  forced,
}) => (
  <StepPage organization={organization} title="Choose a new password" csrf={csrf}>
    {forced ? <p>You signed in with a one-time password. Choose your own before going on.</p> : null}
    <Flash error={error} />
    <PasswordForm csrf={csrf} currentLabel={forced ? "One-time password" : "Current password"} />
  </StepPage>
);

const EnrolPage: FC<{
  organization: string;
  csrf?: string;
  error?: string;
  enrolment?: TotpEnrolment;
  required: boolean;
  full: boolean;
}> = ({ organization, csrf, error, enrolment, required, full }) => (
  <StepPage organization={organization} title="Set up your second factor" csrf={csrf}>
    {required ? <p>Your role requires a second factor before you can use the console.</p> : null}
    <Flash error={error} />
    {enrolment ? (
      <>
        <ol>
          <li>Open an authenticator app (for example Aegis, Google Authenticator, 1Password) and scan this code.</li>
          <li>Enter the 6-digit code the app shows.</li>
        </ol>
        <figure>
          <div style="max-width:14rem" role="img" aria-label="QR code of the authenticator set-up">
            {raw(enrolment.qrSvg)}
          </div>
          <figcaption>
            Cannot scan? Enter this key: <code data-secret>{enrolment.secret}</code>
          </figcaption>
        </figure>
        <form method="post" action="/admin/account/two-factor">
          <Csrf token={csrf} />
          <div class="field">
            <label for="code">Code from the app</label>
            <input
              type="text"
              id="code"
              name="code"
              required
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength={8}
            />
          </div>
          <button type="submit">Turn on</button>
        </form>
      </>
    ) : (
      <form method="post" action="/admin/account/two-factor/start">
        <Csrf token={csrf} />
        <button type="submit">Start</button>
      </form>
    )}
    {full ? (
      <p>
        <a href="/admin/account">Back to your account</a>
      </p>
    ) : null}
  </StepPage>
);

const RecoveryCodesPage: FC<{ organization: string; codes: string[] }> = ({ organization, codes }) => (
  <StepPage organization={organization} title="Your recovery codes">
    <p class="flash" role="status">
      The second factor is on.
    </p>
    <p>Keep these codes somewhere safe. Each one signs you in once if you lose your phone. They are shown only now.</p>
    <ul data-recovery-codes>
      {codes.map((c) => (
        <li>
          <code>{c}</code>
        </li>
      ))}
    </ul>
    <p>
      <a class="button" href="/admin">
        Continue to the console
      </a>
    </p>
  </StepPage>
);

const WelcomePage: FC<{ organization: string; email?: string; token: string; error?: string; reset?: boolean }> = ({
  organization,
  email,
  token,
  error,
  reset,
}) => (
  <StepPage
    organization={organization}
    title={email ? (reset ? "Choose a new password" : "Welcome") : "Link not valid"}
  >
    <Flash error={error} />
    {email ? (
      <form method="post" action={`/admin/welcome/${token}`}>
        <p>
          {reset ? "Choose a new password for" : "Choose a password for your account"} <strong>{email}</strong>.
        </p>
        <div class="field">
          <label for="next">Password</label>
          <input type="password" id="next" name="next" required minlength={12} autocomplete="new-password" />
          <small>At least 12 characters.</small>
        </div>
        <div class="field">
          <label for="confirm">Password again</label>
          <input type="password" id="confirm" name="confirm" required minlength={12} autocomplete="new-password" />
        </div>
        <button type="submit">Save and sign in</button>
      </form>
    ) : (
      <p>This link was used, has expired or is unknown. Ask an owner of the console for a new one.</p>
    )}
  </StepPage>
);

export const usersPageHtml = (p: Parameters<typeof UsersPage>[0]) => renderPage(<UsersPage {...p} />);
export const accountPageHtml = (p: Parameters<typeof AccountPage>[0]) => renderPage(<AccountPage {...p} />);
export const codePageHtml = (p: Parameters<typeof CodePage>[0]) => renderPage(<CodePage {...p} />);
export const changePasswordPageHtml = (p: Parameters<typeof ChangePasswordPage>[0]) =>
  renderPage(<ChangePasswordPage {...p} />);
export const enrolPageHtml = (p: Parameters<typeof EnrolPage>[0]) => renderPage(<EnrolPage {...p} />);
export const recoveryCodesPageHtml = (p: Parameters<typeof RecoveryCodesPage>[0]) =>
  renderPage(<RecoveryCodesPage {...p} />);
export const welcomePageHtml = (p: Parameters<typeof WelcomePage>[0]) => renderPage(<WelcomePage {...p} />);
