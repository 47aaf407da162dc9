/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * Charts drawn on the server as SVG, each with a text alternative: a title and description the screen reader reads,
 * and the same numbers as a table. No script; they print.
 */
import type { FC } from "hono/jsx";

export interface Bar {
  label: string;
  value: number;
  /** A CSS class for the bar's colour: `overdue`, `due_soon`, `on_time`, `rate`. */
  tone?: string;
  href?: string;
}

/**
 * Vertical bars over a sequence (days), labelled every `labelEvery` bars. The description names the total and the
 * largest bar; the table below (collapsed) lists every one.
 */
export const ColumnChart: FC<{ id: string; title: string; bars: Bar[]; unit: string; labelEvery?: number }> = ({
  id,
  title,
  bars,
  unit,
  labelEvery = 7,
}) => {
  const w = 720;
  const h = 180;
  const pad = { l: 28, r: 8, t: 10, b: 28 };
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = (w - pad.l - pad.r) / Math.max(1, bars.length);
  const total = bars.reduce((a, b) => a + b.value, 0);
  const top = [...bars].sort((a, b) => b.value - a.value)[0];
  const desc = total
    ? `${total} ${unit} in all; the most, ${top.value}, on ${top.label}.`
    : `No ${unit} in this period.`;
  const linked = bars.some((b) => b.href && b.value);
  return (
    <figure>
      {/* On a phone the chart keeps its size, so its text stays readable, and scrolls in a box a keyboard reaches. */}
      <section class="chartbox" tabindex={0} aria-labelledby={`${id}-title`}>
        <svg
          class="chart"
          viewBox={`0 0 ${w} ${h}`}
          width={w}
          height={h}
          // With links on its bars it is a group whose links a screen reader announces; without, one image.
          role={linked ? "group" : "img"}
          aria-labelledby={`${id}-title ${id}-desc`}
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{desc}</desc>
          <line class="axis" x1={pad.l} y1={h - pad.b} x2={w - pad.r} y2={h - pad.b} />
          <text x={pad.l - 4} y={pad.t + 10} text-anchor="end">
            {max}
          </text>
          <text x={pad.l - 4} y={h - pad.b} text-anchor="end">
            0
          </text>
          {bars.map((b, i) => {
            const bh = ((h - pad.t - pad.b) * b.value) / max;
            const x = pad.l + i * step + 1;
            const rect = (
              <rect class={b.tone ?? "rate"} x={x} y={h - pad.b - bh} width={Math.max(1, step - 2)} height={bh}>
                <title>{`${b.label}: ${b.value} ${unit}`}</title>
              </rect>
            );
            return (
              <>
                {b.href && b.value ? (
                  <a href={b.href} aria-label={`${b.label}: ${b.value} ${unit}`}>
                    {rect}
                  </a>
                ) : (
                  rect
                )}
                {i % labelEvery === 0 ? (
                  <text x={x} y={h - pad.b + 16}>
                    {b.label.slice(5)}
                  </text>
                ) : null}
              </>
            );
          })}
        </svg>
      </section>
      <figcaption>{desc}</figcaption>
      <details>
        <summary>The numbers</summary>
        <div class="table">
          <table tabindex={0}>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">{unit}</th>
              </tr>
            </thead>
            <tbody>
              {bars
                .filter((b) => b.value)
                .map((b) => (
                  <tr>
                    <td>{b.href ? <a href={b.href}>{b.label}</a> : b.label}</td>
                    <td>{b.value}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
};

/** One horizontal bar per row, as a share of a whole (a rate): readable with one day of data as with ninety. */
export const RateBars: FC<{ id: string; title: string; rows: { label: string; part: number; whole: number }[] }> = ({
  id,
  title,
  rows,
}) => {
  const w = 720;
  const rowH = 30;
  const labelW = 200;
  const h = Math.max(1, rows.length) * rowH + 8;
  const pct = (r: { part: number; whole: number }) => (r.whole ? Math.round((100 * r.part) / r.whole) : 0);
  const desc = rows.length
    ? rows.map((r) => `${r.label}: ${pct(r)}% (${r.part} of ${r.whole})`).join("; ")
    : "No choices recorded in this period.";
  return (
    <figure>
      {rows.length ? (
        <section class="chartbox" tabindex={0} aria-labelledby={`${id}-t`}>
          <svg
            class="chart"
            viewBox={`0 0 ${w} ${h}`}
            width={w}
            height={h}
            role="img"
            aria-labelledby={`${id}-t ${id}-d`}
          >
            <title id={`${id}-t`}>{title}</title>
            <desc id={`${id}-d`}>{desc}</desc>
            {rows.map((r, i) => {
              const y = 4 + i * rowH;
              const full = w - labelW - 60;
              return (
                <>
                  <text x={0} y={y + 18}>
                    {r.label}
                  </text>
                  <rect class="rest" x={labelW} y={y + 4} width={full} height={rowH - 10} />
                  <rect class="rate" x={labelW} y={y + 4} width={(full * pct(r)) / 100} height={rowH - 10} />
                  <text x={labelW + full + 6} y={y + 18}>
                    {pct(r)}%
                  </text>
                </>
              );
            })}
          </svg>
        </section>
      ) : null}
      <div class="table">
        <table tabindex={0}>
          <caption class="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Given</th>
              <th scope="col">Choices</th>
              <th scope="col">Rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.length ? (
              rows.map((r) => (
                <tr>
                  <td>{r.label}</td>
                  <td>{r.part}</td>
                  <td>{r.whole}</td>
                  <td>{pct(r)}%</td>
                </tr>
              ))
            ) : (
              <tr>
                <td colspan={4} class="empty">
                  No choices recorded in this period.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </figure>
  );
};
