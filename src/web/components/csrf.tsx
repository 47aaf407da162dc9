/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The hidden CSRF field every console form carries (the session's token); nothing without a session. */
import type { FC } from "hono/jsx";

export const Csrf: FC<{ token?: string }> = ({ token }) =>
  token ? <input type="hidden" name="_csrf" value={token} /> : null;
