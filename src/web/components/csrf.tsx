/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The hidden CSRF field every console form carries (the session's token); nothing without a session. */
import type { FC } from "hono/jsx";

export const Csrf: FC<{ token?: string }> = ({ token }) =>
  token ? <input type="hidden" name="_csrf" value={token} /> : null;

/** The console's sign-out button: a form, so that it carries the CSRF token. */
export const SignOut: FC<{ csrf?: string }> = ({ csrf }) => (
  <form class="inline" method="post" action="/admin/logout">
    <Csrf token={csrf} />
    <button type="submit" class="link">
      Sign out
    </button>
  </form>
);
