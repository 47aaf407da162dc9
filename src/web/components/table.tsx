/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * A box holding a table: the table scrolls inside it when it is wider than the screen, so no cell breaks a word. With
 * no rows, the empty state says what to do next instead of a header over nothing.
 *
 * Accessibility: `caption` names the table for screen readers; header cells are `scope="col"`.
 *
 * ```tsx
 * <DataTable id="holds" head={["On", "Reason"]} empty="No holds. Place one below.">
 *   {holds.map((h) => <tr><td>{h.on}</td><td>{h.reason}</td></tr>)}
 * </DataTable>
 * ```
 */
import type { Child, FC } from "hono/jsx";

export const DataTable: FC<{
  id?: string;
  head: readonly (string | Child)[];
  caption?: Child;
  /** Shown instead of the table when there are no rows. */
  empty?: Child;
  rows?: number;
  children?: Child;
}> = ({ id, head, caption, empty, rows, children }) =>
  rows === 0 && empty !== undefined ? (
    <p class="empty" id={id}>
      {empty}
    </p>
  ) : (
    <div class="table">
      <table id={id}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
