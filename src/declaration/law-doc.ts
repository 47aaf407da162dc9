/**
 * The law table as Markdown, for docs/law.md and `pledge law`: every regime a person's request can fall under, and
 * every breach clock, each with its citation and whether it is to be re-read in the statute. Generated from the same
 * rows the code acts on, so the document cannot drift from them.
 */
import { BREACH_CLOCKS, type BreachClock } from "./breach-law.js";
import { formatRule } from "./duration.js";
import { REGIMES, type Regime } from "./law.js";

const cell = (s: string) => s.replace(/\|/g, "\\|");
const rule = (r?: { amount: number; unit: string }) => (r ? formatRule(r as Regime["deadline"]) : "—");

function regimeRow(r: Regime): string {
  const extension = r.extension
    ? `+${rule(r.extension)}`
    : r.extensionReason === "date_given"
      ? "no cap; the person is told the date"
      : "none";
  return `| ${[
    r.name,
    r.jurisdictions.join(", "),
    `${rule(r.deadline)}${r.deadlineWords ? ` (the law: "${r.deadlineWords}")` : ""}`,
    extension,
    r.optOutDeadline ? `${rule(r.optOutDeadline)} (${r.optOutDeadline.cite})` : "—",
    r.appeal ? `${rule(r.appeal)}${r.appeal.extension ? ` +${rule(r.appeal.extension)}` : ""} (${r.appeal.cite})` : "—",
    r.cite,
    r.check ? "re-read" : "",
  ]
    .map(cell)
    .join(" | ")} |`;
}

const WHO: Record<BreachClock["notify"], string> = {
  authority: "authority",
  individuals: "people",
  controller: "controller",
  media: "media",
  covered_entity: "covered entity",
  credit_agencies: "consumer reporting agencies",
  final_report: "authority (report)",
};

function clockRow(c: BreachClock): string {
  const within = c.within
    ? `${rule(c.within)}${c.after ? ` after the ${c.after === "individuals" ? "people" : "authority"} are told` : ""}`
    : "—";
  return `| ${[
    c.jurisdictions?.join(", ") ?? c.regime,
    c.to ?? WHO[c.notify],
    within,
    c.when,
    c.condition ?? "",
    c.cite,
    c.check ? "re-read" : "",
  ]
    .map(cell)
    .join(" | ")} |`;
}

/** The two tables: rights requests per regime, breach clocks per law and place. */
export function lawTableMarkdown(): string {
  const regimes = Object.values(REGIMES);
  const byPlace = [...BREACH_CLOCKS].sort((a, b) =>
    (a.jurisdictions?.[0] ?? `~${a.regime}`).localeCompare(b.jurisdictions?.[0] ?? `~${b.regime}`),
  );
  return [
    "### Rights requests",
    "",
    "| law | places | deadline | extension | opt-out clock | appeal | cite | |",
    "|---|---|---|---|---|---|---|---|",
    ...regimes.map(regimeRow),
    "",
    "### Breach clocks",
    "",
    "Rows with places apply whenever the incident's people live there; the others when the declaration names the",
    "regime in `governance.breach.regimes`.",
    "",
    "| law or place | who is told | clock | the law's words | when the duty arises | cite | |",
    "|---|---|---|---|---|---|---|",
    ...byPlace.map(clockRow),
    "",
  ].join("\n");
}
