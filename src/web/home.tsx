/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The console's home: what is due, what is late, what changed, each counted and linked to its list. */
import type { FC } from "hono/jsx";
import type { Declaration } from "../declaration/index.js";
import type { GovernanceOverview } from "../governance/index.js";
import type { RequestCounts } from "../requests/index.js";
import type { RetentionCheck } from "../retention/index.js";
import { AdminNav } from "./admin.js";
import { type Bar, ColumnChart, RateBars } from "./charts.js";
import { rateRows } from "./consent.js";
import { Page, renderPage } from "./layout.js";

/** What the home page counts, gathered by the route from each register. */
export interface HomeData {
  requests: RequestCounts;
  /** Open requests by the day of their deadline in force, and how many are late. */
  deadlines: { late: number; byDay: Record<string, number> };
  /** The last promise check of every binding; undefined when none ran. */
  retention?: RetentionCheck;
  discovery: { open: number; newThisWeek: number };
  governance: GovernanceOverview;
  rates: { day: string; category: string; given: number; total: number }[];
}

const DAY = 86_400_000;

/** Open requests per day of deadline over the next 45 days; those already late are one bar before today. */
export function deadlineBars(deadlines: { late: number; byDay: Record<string, number> }, now: Date): Bar[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const bars: Bar[] = Array.from({ length: 45 }, (_, i) => {
    const day = new Date(today + i * DAY).toISOString().slice(0, 10);
    return {
      label: day,
      value: deadlines.byDay[day] ?? 0,
      tone: i < 7 ? "due_soon" : "on_time",
      href: `/admin/requests?due=open`,
    };
  });
  return [{ label: "late", value: deadlines.late, tone: "overdue", href: "/admin/requests?due=overdue" }, ...bars];
}

const Tile: FC<{ n: number | string; label: string; href: string; tone?: string; id: string }> = ({
  n,
  label,
  href,
  tone,
  id,
}) => (
  <li>
    <a href={href} id={id} class={n && tone ? tone : undefined}>
      <strong data-count>{n}</strong>
      {label}
    </a>
  </li>
);

export const HomePage: FC<{ decl: Declaration; data: HomeData; now: Date; csrf?: string; user: string }> = ({
  decl,
  data,
  now,
  csrf,
  user,
}) => {
  const g = data.governance;
  return (
    <Page
      title={`Home — ${decl.organization.name}`}
      organization={decl.organization.name}
      sidebar={<AdminNav csrf={csrf} user={user} />}
    >
      <h1>Today</h1>
      <p class="muted">{now.toISOString().slice(0, 10)}</p>
      <h2>Requests</h2>
      <ul class="tiles">
        <Tile id="tile-open" n={data.requests.open} label="open" href="/admin/requests?due=open" />
        <Tile
          id="tile-soon"
          n={data.requests.dueSoon}
          label="due this week"
          href="/admin/requests?due=soon"
          tone="due_soon"
        />
        <Tile
          id="tile-overdue"
          n={data.requests.overdue}
          label="overdue"
          href="/admin/requests?due=overdue"
          tone="overdue"
        />
        <Tile
          id="tile-unverified"
          n={data.requests.unverified}
          label="waiting for the person's code"
          href="/admin/requests?due=unverified"
        />
      </ul>
      <ColumnChart
        id="deadlines"
        title="Open requests by deadline, the next 45 days (the first bar: already late)"
        bars={deadlineBars(data.deadlines, now)}
        unit="requests due"
      />
      <h2>Registers</h2>
      <ul class="tiles">
        {data.retention ? (
          <Tile
            id="tile-retention"
            n={data.retention.failing + data.retention.unreachable}
            label={
              `retention promise checks failing (of ${data.retention.checked}` +
              `${data.retention.unreachable ? `; ${data.retention.unreachable} systems not reached` : ""}` +
              `; checked ${data.retention.at.slice(0, 16).replace("T", " ")} UTC)`
            }
            href="/admin/retention"
            tone="overdue"
          />
        ) : (
          // Never checked is not "nothing failing": say so, and where to check.
          <Tile
            id="tile-retention"
            n="—"
            label="retention promises never checked: check them on the retention page"
            href="/admin/retention"
            tone="overdue"
          />
        )}
        <Tile
          id="tile-discovery"
          n={data.discovery.newThisWeek}
          label={`new discovery findings this week (${data.discovery.open} open)`}
          href="/admin/discovery"
          tone="due_soon"
        />
        <Tile
          id="tile-incidents"
          n={g.incidentsOpen}
          label={`incidents with running clocks (${g.clocksOverdue} clocks overdue)`}
          href="/admin/governance/incidents"
          tone="overdue"
        />
        <Tile
          id="tile-access"
          n={g.accessAwaiting}
          label="access grants awaiting approval"
          href="/admin/governance/access"
          tone="due_soon"
        />
        <Tile
          id="tile-agreements"
          n={g.agreementsExpiring}
          label="agreements expiring within 30 days"
          href="/admin/governance/agreements"
          tone="due_soon"
        />
        <Tile
          id="tile-custody"
          n={g.custodyOverdue}
          label="recordings or copies past their date"
          href="/admin/governance/sessions"
          tone="overdue"
        />
        <Tile id="tile-legal" n={g.legalOpen} label="requests from authorities open" href="/admin/governance/legal" />
      </ul>
      <h2>Consent, the last 30 days</h2>
      <RateBars
        id="home-rates"
        title="Share of choices that allowed each category, last 30 days"
        rows={rateRows(decl, data.rates)}
      />
      <p>
        <a href="/admin/consent">Consent records and subscriptions</a>
      </p>
    </Page>
  );
};

export const homePageHtml = (p: Parameters<typeof HomePage>[0]) => renderPage(<HomePage {...p} />);
