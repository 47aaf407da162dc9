/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The confirm step of an action that deletes, masks, discloses or sends outside the organization: what it will do,
 * from the same plan that will run, then one button that does it and a way back. Nothing changes until the button
 * is pressed; the POST answers with a redirect, so a reload does not repeat it.
 *
 * Accessibility: a region labelled by its heading (an h2); the action is a real button, the way back a link.
 * Variants: `danger` (deletes or masks: red border and button) or not (sends or discloses).
 *
 * ```tsx
 * <ConfirmStep title="Sweep orders now?" action="/admin/retention/sweep" csrf={csrf} fields={{ binding }}
 *   confirm="Delete 8,184 rows" back="/admin/retention" danger>
 *   <p>It will delete 8,184 rows in 3 tables; 45 are kept under holds.</p>
 * </ConfirmStep>
 * ```
 */
import type { Child, FC } from "hono/jsx";
import { Csrf } from "./csrf.js";

export const ConfirmStep: FC<{
  title: string;
  action: string;
  csrf?: string;
  /** Hidden fields the action posts; a list posts each value under the name. */
  fields?: Record<string, string | readonly string[]>;
  confirm: string;
  back: string;
  danger?: boolean;
  children?: Child;
}> = ({ title, action, csrf, fields = {}, confirm, back, danger, children }) => (
  <section class={danger ? "preview danger" : "preview"} aria-labelledby="confirm-title" id="confirm">
    <h2 id="confirm-title">{title}</h2>
    {children}
    <form method="post" action={action} class="actions">
      <Csrf token={csrf} />
      {Object.entries(fields).flatMap(([name, value]) =>
        (typeof value === "string" ? [value] : value).map((v) => <input type="hidden" name={name} value={v} />),
      )}
      <input type="hidden" name="confirm" value="yes" />
      <button type="submit" class={danger ? "danger confirm" : undefined}>
        {confirm}
      </button>
      <a href={back}>Cancel</a>
    </form>
  </section>
);
