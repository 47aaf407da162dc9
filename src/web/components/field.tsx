/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * A form field: its label above its box, a hint under it and, when the value was refused, the error, tied to the
 * box with `aria-describedby` and `aria-invalid`. The label is always the box's own (`for`), never a neighbour's.
 *
 * ```tsx
 * <Field id="h-before" label="Rows before" hint="A date: rows older than it are held">
 *   <input type="date" id="h-before" name="before" />
 * </Field>
 * ```
 */
import type { Child, FC } from "hono/jsx";

export const Field: FC<{ id: string; label: Child; hint?: Child; error?: string; children?: Child }> = ({
  id,
  label,
  hint,
  error,
  children,
}) => (
  <div class="field">
    <label for={id}>{label}</label>
    {children}
    {hint ? (
      <small class="hint" id={`${id}-hint`}>
        {hint}
      </small>
    ) : null}
    {error ? (
      <small class="error" id={`${id}-error`} role="alert">
        {error}
      </small>
    ) : null}
  </div>
);
