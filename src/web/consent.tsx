/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** Newsletter pages (sign-up, confirm, unsubscribe, preferences) and the consent console. */
import type { Child, FC } from "hono/jsx";
import type { PropagationView, SubscriptionRecord } from "../consent/index.js";
import { doubleOptInOf, type Declaration } from "../declaration/index.js";
import { AdminNav } from "./admin.js";
import { RateBars } from "./charts.js";
import { Page, renderPage } from "./layout.js";
import { Csrf, DataTable } from "./components/index.js";
import { type Lang, pageTexts } from "./i18n.js";
import { NOTICE_WORDS } from "../notice/index.js";

/** A translated text with `{name}` slots filled by elements (`<strong>` around an address). */
function fill(text: string, parts: Record<string, Child>): Child[] {
  return text.split(/(\{\w+\})/).map((piece) => {
    const m = /^\{(\w+)\}$/.exec(piece);
    return m && m[1] in parts ? parts[m[1]] : piece;
  });
}

export const NewsletterForm: FC<{ decl: Declaration; list: string; lang?: Lang }> = ({ decl, list, lang = "en" }) => {
  const n = decl.consent!.newsletters[list];
  const t = pageTexts(decl, lang);
  const doi = doubleOptInOf(n);
  return (
    <Page title={`${n.name} — ${decl.organization.name}`} organization={decl.organization.name} lang={lang}>
      <h1>{n.name}</h1>
      {n.description ? <p>{n.description}</p> : null}
      <form method="post" action={`/newsletter/${list}?lang=${lang}`}>
        <p>
          <label for="email">{t("news.email")}</label>
          <br />
          <input type="email" name="email" id="email" required autocomplete="email" />
        </p>
        {n.optionalFields.includes("name") ? (
          <p>
            <label for="name">{t("news.name")}</label>
            <br />
            <input type="text" name="name" id="name" autocomplete="name" />
          </p>
        ) : null}
        <p>
          {doi.enabled
            ? `${t("news.confirmWithin", { duration: NOTICE_WORDS[lang].duration(doi.confirmWithin) })} `
            : ""}
          {t("news.anyTime")} <a href={`/privacy?lang=${lang}#newsletters`}>{t("news.howWeHandle")}</a>.
        </p>
        <p>
          <button type="submit">{t("news.subscribe")}</button>
        </p>
      </form>
    </Page>
  );
};

const Message: FC<{ decl: Declaration; title: string; message: string; lang?: Lang }> = ({
  decl,
  title,
  message,
  lang,
}) => (
  <Page title={title} organization={decl.organization.name} lang={lang}>
    <h1>{title}</h1>
    <p role="status">{message}</p>
  </Page>
);

const Confirm: FC<{ decl: Declaration; token: string; listName: string; email: string; lang?: Lang }> = ({
  decl,
  token,
  listName,
  email,
  lang = "en",
}) => {
  const t = pageTexts(decl, lang);
  return (
    <Page title={t("news.confirmTitle")} organization={decl.organization.name} lang={lang}>
      <h1>{t("news.confirmTitle")}</h1>
      <p>
        {fill(t("news.confirmQuestion"), {
          email: <strong>{email}</strong>,
          list: <strong>{listName}</strong>,
          org: decl.organization.name,
        })}
      </p>
      <form method="post" action={`/newsletter/confirm/${token}?lang=${lang}`}>
        <button type="submit">{t("news.yes")}</button>
      </form>
    </Page>
  );
};

const Unsubscribe: FC<{ decl: Declaration; token: string; lang?: Lang }> = ({ decl, token, lang = "en" }) => {
  const t = pageTexts(decl, lang);
  return (
    <Page title={t("news.unsubscribe")} organization={decl.organization.name} lang={lang}>
      <h1>{t("news.unsubscribe")}</h1>
      <form method="post" action={`/newsletter/unsubscribe/${token}?lang=${lang}`}>
        <button type="submit">{t("news.unsubscribeAll")}</button>
      </form>
      <p>
        <a href={`/newsletter/preferences/${token}?lang=${lang}`}>{t("news.seeAll")}</a>
      </p>
    </Page>
  );
};

const NEWS_STATES = ["pending", "confirmed", "blocked", "unsubscribed"] as const;

const Preferences: FC<{
  decl: Declaration;
  token: string;
  email: string;
  subscriptions: { list: string; status: string; signupAt: string; confirmedAt: string | null }[];
  lang?: Lang;
}> = ({ decl, token, email, subscriptions, lang = "en" }) => {
  const t = pageTexts(decl, lang);
  const state = (s: string) =>
    (NEWS_STATES as readonly string[]).includes(s) ? t(`news.state.${s as (typeof NEWS_STATES)[number]}`) : s;
  return (
    <Page title={t("news.yours")} organization={decl.organization.name} lang={lang}>
      <h1>{t("news.yours")}</h1>
      <p>{t("news.for", { email })}</p>
      <div class="table">
        <table tabindex={0}>
          <thead>
            <tr>
              <th scope="col">{t("news.newsletter")}</th>
              <th scope="col">{t("news.status")}</th>
              <th scope="col">{t("news.signedUp")}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr>
                <td>{decl.consent?.newsletters[s.list]?.name ?? s.list}</td>
                <td>{state(s.status)}</td>
                <td>{s.signupAt.slice(0, 10)}</td>
                <td>
                  {s.status === "confirmed" || s.status === "pending" ? (
                    <form
                      method="post"
                      action={`/newsletter/unsubscribe/${token}?list=${encodeURIComponent(s.list)}&lang=${lang}`}
                    >
                      <button type="submit">{t("news.unsubscribe")}</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
};

const COLORS = ["#0b57d0", "#b3261e", "#146c2e", "#8e4ec6", "#a15c00", "#006874"];

/** Consent rates per category over time, as a line chart in SVG. */
export const RatesChart: FC<{ rates: { day: string; category: string; given: number; total: number }[] }> = ({
  rates,
}) => {
  const days = [...new Set(rates.map((r) => r.day))].sort();
  const cats = [...new Set(rates.map((r) => r.category))];
  const w = 640;
  const h = 220;
  const pad = 36;
  const x = (i: number) => pad + (days.length < 2 ? (w - 2 * pad) / 2 : (i * (w - 2 * pad)) / (days.length - 1));
  const y = (v: number) => h - pad - v * (h - 2 * pad);
  if (days.length < 2)
    return (
      <p class="muted">
        {days.length
          ? "One day of choices so far: the daily chart starts with the second."
          : "No consent choices recorded yet."}
      </p>
    );
  return (
    <figure>
      <svg class="chart" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby="rates-title">
        <title id="rates-title">Share of choices that gave consent, per category and day</title>
        {[0, 0.5, 1].map((v) => (
          <>
            <line x1={pad} x2={w - pad} y1={y(v)} y2={y(v)} stroke="#ddd" />
            <text x={4} y={y(v) + 4} font-size="11">{`${v * 100}%`}</text>
          </>
        ))}
        {cats.map((cat, ci) => {
          const pts = days
            .map((d, i) => {
              const r = rates.find((x) => x.day === d && x.category === cat);
              return r ? `${x(i)},${y(r.given / r.total)}` : "";
            })
            .filter(Boolean);
          return (
            <>
              <polyline points={pts.join(" ")} fill="none" stroke={COLORS[ci % COLORS.length]} stroke-width="2" />
              {pts.map((p) => (
                <circle cx={p.split(",")[0]} cy={p.split(",")[1]} r="4" fill={COLORS[ci % COLORS.length]} />
              ))}
            </>
          );
        })}
        <text x={pad} y={h - 8} font-size="11">
          {days[0]}
        </text>
        <text x={w - pad - 70} y={h - 8} font-size="11">
          {days[days.length - 1]}
        </text>
      </svg>
      <figcaption>
        {cats.map((cat, ci) => {
          const r = rates.filter((x) => x.category === cat);
          const given = r.reduce((a, b) => a + b.given, 0);
          const total = r.reduce((a, b) => a + b.total, 0);
          return (
            <span style={`color:${COLORS[ci % COLORS.length]};margin-right:1rem`}>
              ■ {cat}: {Math.round((100 * given) / total)}% of {total}
            </span>
          );
        })}
      </figcaption>
    </figure>
  );
};

const ConsentConsole: FC<{
  decl: Declaration;
  rates: { day: string; category: string; given: number; total: number }[];
  subscriptions: SubscriptionRecord[];
  user: string;
  csrf?: string;
  /** Officers may revoke a subscriber's manage links. */
  canRevoke?: boolean;
  /** The address whose links were just revoked. */
  revoked?: string;
  /** Withdrawals passed on to processors, newest first. */
  propagations?: PropagationView[];
}> = ({ decl, rates, subscriptions, user, csrf, canRevoke, revoked, propagations = [] }) => (
  <Page title="Consent — Pledge" organization={decl.organization.name} sidebar={<AdminNav csrf={csrf} user={user} />}>
    <h1>Consent</h1>
    <h2>Consent rates per category (last 90 days)</h2>
    <RateBars
      id="consent-rates"
      title="Share of choices that allowed each category, last 90 days"
      rows={rateRows(decl, rates)}
    />
    <h3>Per day</h3>
    <RatesChart rates={rates} />
    <h2>Newsletter subscriptions, with their proof</h2>
    {revoked ? (
      <p class="flash" role="status">
        The unsubscribe and preference links of {revoked} were revoked: links in mails already sent no longer work, and
        the next mail carries a new one.
      </p>
    ) : null}
    <DataTable
      head={[
        "List",
        "Email",
        "Status",
        "Signed up (IP)",
        "Mail sent",
        "Confirmed (IP)",
        "Notice version",
        ...(canRevoke ? ["Links"] : []),
      ]}
      rows={subscriptions.length}
      empty="No subscriptions yet."
    >
      {subscriptions.map((s) => (
        <tr>
          <td>{s.list}</td>
          <td>{s.email}</td>
          <td>
            {s.status}
            {s.unsubscribed_at ? ` ${s.unsubscribed_at.slice(0, 10)}` : ""}
          </td>
          <td>
            {s.signup_at.slice(0, 16).replace("T", " ")} ({s.signup_ip ?? "?"})
          </td>
          <td>
            {s.mail_sent_at ? (
              <details>
                <summary>{s.mail_sent_at.slice(0, 16).replace("T", " ")}</summary>
                <pre tabindex={0}>{s.mail_text}</pre>
              </details>
            ) : (
              "—"
            )}
          </td>
          <td>{s.confirmed_at ? `${s.confirmed_at.slice(0, 16).replace("T", " ")} (${s.confirm_ip ?? "?"})` : "—"}</td>
          <td>{s.declaration_version}</td>
          {canRevoke ? (
            <td>
              <form method="post" action="/admin/consent/revoke-links">
                <Csrf token={csrf} />
                <input type="hidden" name="email" value={s.email} />
                <button type="submit" class="secondary">
                  Revoke links
                </button>
              </form>
            </td>
          ) : null}
        </tr>
      ))}
    </DataTable>
    <h2 id="propagations">Withdrawals passed on to processors</h2>
    <p>
      When a person withdraws a consent or unsubscribes, each processor whose purposes needed it is asked to unsubscribe
      or suppress them. A vendor that is down is asked again; one that refuses needs you.
    </p>
    {propagations.length ? (
      <DataTable head={["When", "What", "Vendor, and its answer"]}>
        {propagations.map((p) => {
          const told = p.operation.startsWith("tell by ");
          return (
            <tr>
              <td>{p.at.slice(0, 16).replace("T", " ")}</td>
              <td>
                {p.source.startsWith("newsletter:")
                  ? `unsubscribed from ${p.source.slice("newsletter:".length)}`
                  : `consent withdrawn (record ${p.source.slice("consent:".length)})`}
              </td>
              <td>
                {p.vendor}, {told ? `told by ${p.operation.slice(8)}` : `asked to ${p.operation}`}:{" "}
                {p.status === "done"
                  ? told
                    ? "done"
                    : "confirmed"
                  : p.status === "pending"
                    ? `trying (${p.attempts} ${p.attempts === 1 ? "try" : "tries"})`
                    : "failed: tell them another way"}
                {p.answer ? ` (${p.answer})` : ""}
              </td>
            </tr>
          );
        })}
      </DataTable>
    ) : (
      <p class="empty">Nothing passed on yet.</p>
    )}
  </Page>
);

export const newsletterFormHtml = (p: Parameters<typeof NewsletterForm>[0]) => renderPage(<NewsletterForm {...p} />);
export const newsletterMessageHtml = (p: Parameters<typeof Message>[0]) => renderPage(<Message {...p} />);
export const newsletterConfirmHtml = (p: Parameters<typeof Confirm>[0]) => renderPage(<Confirm {...p} />);
export const unsubscribePageHtml = (p: Parameters<typeof Unsubscribe>[0]) => renderPage(<Unsubscribe {...p} />);
export const newsletterPreferencesHtml = (p: Parameters<typeof Preferences>[0]) => renderPage(<Preferences {...p} />);
export const consentConsoleHtml = (p: Parameters<typeof ConsentConsole>[0]) => renderPage(<ConsentConsole {...p} />);

/** Each category's rate over the whole period: what was allowed of all the choices recorded. */
export function rateRows(
  decl: Declaration,
  rates: { day: string; category: string; given: number; total: number }[],
): { label: string; part: number; whole: number }[] {
  const by = new Map<string, { part: number; whole: number }>();
  for (const r of rates) {
    const e = by.get(r.category) ?? { part: 0, whole: 0 };
    e.part += r.given;
    e.whole += r.total;
    by.set(r.category, e);
  }
  return [...by].map(([k, v]) => ({ label: decl.consent?.categories[k]?.name ?? k, ...v }));
}
