/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * A box holding a table: the table scrolls inside it when it is wider than the screen, so no cell breaks a word. With
 * no rows, the empty state says what to do next instead of a header over nothing.
 *
 * Accessibility: the caption stands above the box and describes the table (`aria-describedby`, with an `id`); header
 * cells are `scope="col"`.
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
    <>
      {/* Above the box, not in it: a caption inside would scroll away with a wide table on a phone. */}
      {caption ? (
        <p class="caption" id={id ? `${id}-caption` : undefined}>
          {caption}
        </p>
      ) : null}
      {/* The box scrolls on a narrow screen: a keyboard reaches it (tabindex), a screen reader hears what it holds. */}
      <section
        class="table"
        tabindex={0}
        aria-label={typeof caption === "string" ? caption : head.filter((h) => typeof h === "string").join(", ")}
      >
        <table id={id} aria-describedby={caption && id ? `${id}-caption` : undefined}>
          <thead>
            <tr>
              {head.map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </section>
    </>
  );
