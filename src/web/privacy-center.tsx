/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The privacy center: the request form, the code form, and the requester's status page. Plain forms; no JavaScript
 * needed.
 */
import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import {
  REGIMES,
  basesOf,
  jurisdictionChoices,
  lawsServed,
  objectionKind,
  type Declaration,
  declaredText,
} from "../declaration/index.js";
import type { ProcessorStanding, RequestEvent, RequestReport, RequestView, SystemReport } from "../requests/index.js";
import { isOpen, RECTIFIABLE } from "../requests/index.js";
import { type Lang, pageTexts, type T, TEXT_KEYS, type TextKey, translator } from "./i18n.js";
import { NOTICE_WORDS, builtinCategoryName, datasetLabel, fieldLabel, systemLabel } from "../notice/index.js";
import type { KeepReason } from "../execution/index.js";
import { Page, renderPage } from "./layout.js";

/**
 * The rights the privacy center offers, with the article each cites where its law serves the organization's people;
 * their titles and help are the page's texts (`right.*` in i18n.ts).
 */
export const RIGHT_CITES: Record<string, string> = {
  access: "GDPR Art 15",
  portability: "GDPR Art 20",
  erasure: "GDPR Art 17",
  rectification: "GDPR Art 16",
  restriction: "GDPR Art 18",
  objection: "GDPR Art 21",
  withdraw_consent: "GDPR Art 7(3)",
  opt_out_sale: "CCPA",
  limit_sensitive: "CCPA § 1798.121",
  opt_out_targeted_advertising: "US state privacy laws",
  opt_out_profiling: "US state privacy laws",
};

/** How the browser should treat the box of each identity: the keyboard it shows and what it offers to fill in. */
const IDENTITY_INPUTS: Record<string, { type: string; autocomplete: string; inputmode?: "text" | "numeric" }> = {
  email: { type: "email", autocomplete: "email" },
  phone: { type: "tel", autocomplete: "tel" },
  account_id: { type: "text", autocomplete: "off", inputmode: "text" },
};

/** An identity's name in the page's language (`email` → "email address"). */
export function identityLabel(type: string, t: T): string {
  return (TEXT_KEYS as string[]).includes(`identity.${type}`)
    ? t(`identity.${type}` as TextKey)
    : type.replace(/_/g, " ");
}

/** The places a person may say they live: every place of the law table, from the same table. */
export const JURISDICTIONS: [string, string][] = jurisdictionChoices();

/** A place of the law table in the page's language: countries by the browser's own names for them (Intl). */
export function placeName(code: string, english: string, t: T, lang: Lang): string {
  if (lang === "en") return english;
  if (code === "EU" || code === "CA-QC" || code === "CA" || code === "US") return t(`place.${code}` as TextKey);
  if (code.startsWith("US-")) return t("place.US-state", { state: english.replace(/^United States: /, "") });
  return new Intl.DisplayNames([lang], { type: "region" }).of(code === "UK" ? "GB" : code) ?? english;
}

export interface FormState {
  values: Record<string, string | string[]>;
  errors: Record<string, string>;
}

function offeredRights(decl: Declaration): string[] {
  return Object.keys(RIGHT_CITES).filter((r) => (decl.rights.offered as string[]).includes(r));
}

const FieldError: FC<{ id: string; error?: string }> = ({ id, error }) =>
  error ? (
    <p class="error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;

/** The GDPR's article for a right, cited as each language's readers know the regulation (DSGVO, RGPD). */
const GDPR_ARTICLES: Record<string, [string, string?]> = {
  access: ["15"],
  portability: ["20"],
  erasure: ["17"],
  rectification: ["16"],
  restriction: ["18"],
  objection: ["21"],
  withdraw_consent: ["7", "3"],
};
function citeOf(right: string, lang: Lang): string | undefined {
  const art = GDPR_ARTICLES[right];
  if (!art || lang === "en") return RIGHT_CITES[right];
  const [n, para] = art;
  return lang === "de"
    ? `Art. ${n}${para ? ` Abs. ${para}` : ""} DSGVO`
    : `art. ${n}${para ? `, par. ${para},` : ""} RGPD`;
}

/** A right's title and help in the page's language; the article only where its law serves the organization's people. */
function rightText(decl: Declaration, right: string, t: T, lang: Lang = "en"): { title: string; help: string } {
  const title = t(`right.${right}` as TextKey);
  const help = t(`right.${right}.help` as TextKey);
  const cite = citeOf(right, lang);
  const laws = lawsServed(decl.organization.jurisdictions);
  const applies = GDPR_ARTICLES[right]
    ? laws.has("gdpr") || laws.has("uk")
    : cite?.startsWith("CCPA")
      ? laws.has("ccpa")
      : false;
  return { title, help: applies ? `${help.replace(/\.$/, "")} (${cite}).` : help };
}

/** Rights that ask for corrections, or for the purposes they concern. */
const ASKS_PURPOSES = new Set(["objection", "withdraw_consent"]);

/**
 * The privacy center: first the choice of right (a plain GET form: no script needed), then a page for that right
 * with only the fields it needs.
 */
export const RequestFormPage: FC<{ decl: Declaration; state: FormState; lang?: Lang }> = ({
  decl,
  state,
  lang = "en",
}) => {
  const t = pageTexts(decl, lang);
  const v = (k: string) => (typeof state.values[k] === "string" ? (state.values[k] as string) : "");
  const offered = offeredRights(decl);
  const chosen = offered.includes(v("right")) ? v("right") : "";
  const org = decl.organization.shortName ?? decl.organization.name;
  const errors = Object.entries(state.errors);
  const errorText = (k: string, msg: string) =>
    lang === "en"
      ? msg
      : (["identity", "jurisdiction", "contactEmail", "corrections"] as const).includes(k as never)
        ? t(`err.${k}` as TextKey)
        : msg;
  if (!chosen)
    return (
      <Page
        title={`${t("center.title")} — ${decl.organization.name}`}
        organization={decl.organization.name}
        lang={lang}
      >
        <h1>{t("center.title")}</h1>
        <p class="lead">{t("center.intro", { org })}</p>
        <form method="get" action="/privacy-center" class="rights">
          <fieldset>
            <legend>{t("center.choose")}</legend>
            {offered.map((r, i) => {
              const x = rightText(decl, r, t, lang);
              return (
                <label class="choice" for={`right-${r}`}>
                  <input type="radio" name="right" id={`right-${r}`} value={r} checked={i === 0} />
                  <span>
                    <strong>{x.title}</strong>
                    <small>{x.help}</small>
                  </span>
                </label>
              );
            })}
          </fieldset>
          {lang !== "en" ? <input type="hidden" name="lang" value={lang} /> : null}
          <button type="submit">{t("center.continue")}</button>
        </form>
        <p>
          <a href="/privacy">{t("center.readNotice")}</a>
        </p>
      </Page>
    );
  const purposes = Object.entries(decl.purposes).filter(([, p]) =>
    chosen === "withdraw_consent" ? basesOf(p).some((b) => b.basis === "consent") : !!objectionKind(p),
  );
  const purposeNote = (p: Declaration["purposes"][string]) => {
    if (chosen === "withdraw_consent") return t("purpose.consent");
    return objectionKind(p) === "direct_marketing" ? t("purpose.direct_marketing") : t("purpose.balancing");
  };
  const x = rightText(decl, chosen, t, lang);
  const identityName = (type: string) =>
    IDENTITY_KEYS.has(type) ? t(`identity.${type}` as TextKey) : type.replace(/_/g, " ");
  return (
    <Page title={`${x.title} — ${decl.organization.name}`} organization={decl.organization.name} lang={lang}>
      <p class="muted">
        <a href={lang === "en" ? "/privacy-center" : `/privacy-center?lang=${lang}`}>{t("center.title")}</a> ·{" "}
        <a href={lang === "en" ? "/privacy-center" : `/privacy-center?lang=${lang}`}>{t("center.change")}</a>
      </p>
      <h1>{x.title}</h1>
      <p class="lead">{x.help}</p>
      {errors.length ? (
        <div role="alert" class="errors">
          <h2>{errors.length === 1 ? t("center.fix") : t("center.fixMany")}</h2>
          <ul>
            {errors.map(([k, msg]) => (
              <li>
                <a href={`#${k}`}>{errorText(k, msg)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {/* The server checks every field and answers in the page's language, so the browser's own checks stay off. */}
      <form method="post" action="/privacy-center/requests" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="right" value={chosen} />
        {lang !== "en" ? <input type="hidden" name="lang" value={lang} /> : null}
        <fieldset>
          <legend>{t("center.who")}</legend>
          {decl.rights.identities.length > 1 ? (
            <fieldset class="identity-types">
              <legend>{t("center.knownBy")}</legend>
              {decl.rights.identities.map((type) => (
                <label class="check" for={`identityType-${type}`}>
                  <input
                    type="radio"
                    name="identityType"
                    value={type}
                    id={`identityType-${type}`}
                    checked={(v("identityType") || decl.rights.identities[0]) === type}
                  />{" "}
                  {identityName(type)}
                </label>
              ))}
            </fieldset>
          ) : (
            <input type="hidden" name="identityType" value={decl.rights.identities[0]} />
          )}
          {/* One box per identity, each with its own label, type and autocomplete; the chosen one shows (CSS :has). */}
          {decl.rights.identities.length > 1 ? (
            <style>
              {raw(
                "@supports selector(:has(*)){" +
                  decl.rights.identities
                    .map((type) => `form:has(#identityType-${type}:checked) .identity-${type}{display:block}`)
                    .join("") +
                  "}",
              )}
            </style>
          ) : null}
          {decl.rights.identities.map((type) => {
            const chosen = (v("identityType") || decl.rights.identities[0]) === type;
            const input = IDENTITY_INPUTS[type] ?? { type: "text", autocomplete: "off" };
            const id = decl.rights.identities.length > 1 ? `identity-${type}` : "identity";
            return (
              <div class={`field identity-field identity-${type}`} data-identity={type}>
                <label for={id}>{t("center.identity", { identity: identityName(type) })}</label>
                <input
                  type={input.type}
                  name={decl.rights.identities.length > 1 ? `identity:${type}` : "identity"}
                  id={id}
                  value={chosen ? v("identity") : ""}
                  maxlength={320}
                  autocomplete={input.autocomplete}
                  {...(input.inputmode ? { inputmode: input.inputmode } : {})}
                  {...(decl.rights.identities.length === 1 ? { required: true } : {})}
                  aria-invalid={chosen && state.errors.identity ? "true" : undefined}
                  aria-describedby={chosen && state.errors.identity ? "identity-error" : undefined}
                />
                {chosen ? (
                  <FieldError
                    id="identity"
                    error={state.errors.identity ? errorText("identity", state.errors.identity) : undefined}
                  />
                ) : null}
              </div>
            );
          })}
          {decl.rights.identities.some((i) => i !== "email") ? (
            <div class="field">
              <label for="contactEmail">{t("center.contactEmail")}</label>
              <input
                type="email"
                name="contactEmail"
                id="contactEmail"
                value={v("contactEmail")}
                maxlength={254}
                aria-describedby={state.errors.contactEmail ? "contactEmail-error" : undefined}
              />
              <FieldError
                id="contactEmail"
                error={state.errors.contactEmail ? errorText("contactEmail", state.errors.contactEmail) : undefined}
              />
            </div>
          ) : null}
          <div class="field">
            <label for="name">{t("center.name")}</label>
            <input type="text" name="name" id="name" value={v("name")} autocomplete="name" maxlength={200} />
          </div>
          <div class="field">
            <label for="jurisdiction">{t("center.where")}</label>
            <select name="jurisdiction" id="jurisdiction">
              <option value="">{t("center.chooseOption")}</option>
              {JURISDICTIONS.map(([code, label]) => (
                <option value={code} selected={v("jurisdiction") === code}>
                  {placeName(code, label, t, lang)}
                </option>
              ))}
            </select>
            <FieldError
              id="jurisdiction"
              error={state.errors.jurisdiction ? errorText("jurisdiction", state.errors.jurisdiction) : undefined}
            />
          </div>
        </fieldset>
        {chosen === "rectification" ? (
          <fieldset id="corrections">
            <legend>{t("center.corrections")}</legend>
            {Object.entries(RECTIFIABLE).map(([cat, label]) => {
              const id = `correct-${cat.replace(/\./g, "-")}`;
              const field = lang === "en" ? label.toLowerCase() : (builtinCategoryName(cat, lang) ?? label);
              return (
                <div class="field">
                  <label for={id}>{t("center.correct", { field })}</label>
                  <input type="text" name={`correct:${cat}`} id={id} value={v(`correct:${cat}`)} maxlength={500} />
                </div>
              );
            })}
            <FieldError
              id="corrections"
              error={state.errors.corrections ? errorText("corrections", state.errors.corrections) : undefined}
            />
          </fieldset>
        ) : null}
        {ASKS_PURPOSES.has(chosen) && purposes.length ? (
          <fieldset>
            <legend>{t("center.purposes")}</legend>
            {purposes.map(([id, p]) => (
              <div class="check">
                <input
                  type="checkbox"
                  name="purposes"
                  id={`purpose-${id}`}
                  value={id}
                  checked={
                    Array.isArray(state.values.purposes)
                      ? state.values.purposes.includes(id)
                      : state.values.purposes === id
                  }
                />{" "}
                <label for={`purpose-${id}`}>{p.name}</label> <small>({purposeNote(p)})</small>
              </div>
            ))}
          </fieldset>
        ) : null}
        {decl.rights.authorizedAgents?.allowed ? (
          <details open={v("isAgent") === "yes"}>
            <summary>{t("center.agent")}</summary>
            <fieldset>
              <legend class="sr-only">{t("center.agent")}</legend>
              <div class="check">
                <input type="checkbox" name="isAgent" id="isAgent" value="yes" checked={v("isAgent") === "yes"} />{" "}
                <label for="isAgent">{t("center.isAgent")}</label>
              </div>
              <div class="field">
                <label for="agentName">{t("center.agentName")}</label>
                <input type="text" name="agentName" id="agentName" value={v("agentName")} maxlength={200} />
              </div>
              <div class="field">
                <label for="agentEmail">{t("center.agentEmail")}</label>
                <input type="email" name="agentEmail" id="agentEmail" value={v("agentEmail")} maxlength={254} />
              </div>
              <div class="field">
                <label for="authorization">{t("center.authorization")}</label>
                <input type="file" name="authorization" id="authorization" accept="application/pdf,image/*" />
                <FieldError id="authorization" error={state.errors.authorization} />
              </div>
            </fieldset>
          </details>
        ) : null}
        <p>
          <button type="submit">{t("center.send")}</button>
        </p>
      </form>
      <p>
        <a href="/privacy">{t("center.readNotice")}</a>
      </p>
    </Page>
  );
};

const IDENTITY_KEYS = new Set(["email", "phone", "account_id", "job_number", "device_id"]);

export const VerifyPage: FC<{
  decl: Declaration;
  requestId: string;
  sentTo?: string;
  identityLabel: string;
  agent: boolean;
  error?: string;
  lang?: Lang;
}> = ({ decl, requestId, sentTo, identityLabel, agent, error, lang = "en" }) => {
  const t = pageTexts(decl, lang);
  return (
    <Page title={t("verify.title")} organization={decl.organization.name} lang={lang}>
      <h1>{t("verify.title")}</h1>
      <p id="sent">{sentTo ? t("verify.sent", { to: sentTo }) : t("verify.sentMaybe", { identity: identityLabel })}</p>
      {agent ? <p>{t("verify.agent")}</p> : null}
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      <form method="post" action={`/privacy-center/verify/${requestId}?lang=${lang}`}>
        <div class="field">
          <label for="code">{t("verify.code")}</label>
          <input
            type="text"
            name="code"
            id="code"
            inputmode="numeric"
            pattern="[0-9]{6}"
            maxlength={6}
            autocomplete="one-time-code"
            required
            autofocus
          />
        </div>
        <p>
          <button type="submit">{t("verify.confirm")}</button>
        </p>
      </form>
      <form method="post" action={`/privacy-center/verify/${requestId}/resend?lang=${lang}`}>
        <p>
          <button type="submit" class="secondary">
            {t("verify.resend")}
          </button>
        </p>
      </form>
    </Page>
  );
};

const EN_TEXTS = translator("en");
const rowsOf = (n: number, t: T) => t(n === 1 ? "rep.row" : "rep.rows", { n: String(n) });

/** One system's part of a report, in words: what was found, changed, kept and why, and what was not searched. */
export function systemLines(
  decl: Declaration,
  right: string,
  s: SystemReport,
  t: T = EN_TEXTS,
  lang: Lang = "en",
): string[] {
  const name = systemLabel(decl, s.system, lang);
  const data = (dataset: string) => datasetLabel(decl, s.system, dataset, lang);
  /** Why a dataset was not searched, from its facts (a report stored before them keeps its words). */
  const whyText = (n: SystemReport["notReached"][number]) => {
    const f = n.facts;
    if (f?.types?.length) return t("why.byIdentity", { types: f.types.map((x) => identityLabel(x, t)).join(", ") });
    if (f?.from?.length)
      return t("why.via", {
        data: f.from
          .map((key) => {
            const [sys, ds] = key.split(".");
            return datasetLabel(decl, sys, ds, lang);
          })
          .join(", "),
      });
    return f ? t("why.none") : n.why;
  };
  if (s.status === "manual" || s.status === "skipped" || (s.note && !s.datasets.length))
    return [`${name}: ${s.note || t("rep.byStaff")}`];
  const lines: string[] = [];
  const found = s.datasets.reduce((a, d) => a + d.found, 0);
  const head =
    s.status === "held"
      ? t("rep.held")
      : found === 0
        ? t("rep.nothing")
        : right === "erasure"
          ? s.verified
            ? t("rep.erasedVerified")
            : t("rep.notVerified")
          : t("rep.found", { rows: rowsOf(found, t) });
  lines.push(`${name}: ${head}`);
  for (const d of s.datasets) {
    if (!d.found && !d.notMatched) continue;
    const parts = [t("rep.found", { rows: rowsOf(d.found, t) })];
    if (d.deleted !== undefined) parts.push(t("rep.deleted", { n: String(d.deleted) }));
    if (d.masked) parts.push(t("rep.masked", { n: String(d.masked) }));
    if (d.unchanged) parts.push(t(d.unchanged === 1 ? "rep.keptAsIt" : "rep.keptAsThey", { n: String(d.unchanged) }));
    if (d.corrected !== undefined) parts.push(t("rep.corrected", { n: String(d.corrected) }));
    let line = `${data(d.dataset)}: ${parts.join(", ")}`;
    if (d.kept?.length)
      line += t("rep.keptBecause", {
        list: d.kept.map((k) => `${keepText(decl, s.system, k, t, lang)} (${rowsOf(k.rows, t)})`).join("; "),
      });
    if (d.keptFields?.length)
      line += t("rep.fieldsKept", {
        list: [...new Set(d.keptFields.map((f) => fieldLabel(decl, s.system, d.dataset, f, lang)))].join(", "),
      });
    if (d.notMatched) line += t("rep.othersLeft", { rows: rowsOf(d.notMatched, t) });
    lines.push(line);
  }
  for (const a of s.actors)
    lines.push(
      t("rep.actor", {
        dataset: data(a.dataset),
        rows: rowsOf(a.rows, t),
        field: fieldLabel(decl, s.system, a.dataset, a.field, lang),
      }),
    );
  for (const n of s.notReached) lines.push(t("rep.notSearched", { dataset: data(n.dataset), why: whyText(n) }));
  return lines;
}

/** Why rows stay, in the reader's language, from the reason's facts (a report stored before them keeps its words). */
function keepText(decl: Declaration, system: string, k: KeepReason, t: T, lang: Lang): string {
  const data = k.dataset ? datasetLabel(decl, system, k.dataset, lang) : "";
  switch (k.kind) {
    case "legal_hold":
      return t("keep.hold");
    case "retention":
      return k.basis && k.until
        ? t(k.rows > 1 ? "keep.lawLatest" : "keep.law", {
            until: k.until,
            reason: declaredText(decl, lang, k.basis).replace(/\.$/, ""),
          })
        : k.why;
    case "shared":
      return k.dataset ? t("keep.shared", { data }) : k.why;
    case "referenced":
      return k.dataset ? t("keep.referenced", { data }) : k.why;
    case "kept_row_references":
      return k.dataset ? t("keep.needed", { data }) : k.why;
    default:
      return k.why;
  }
}

/** What a request recorded for the decision API, in words: `objection:fraud_prevention` → the objection to its name. */
export function flagText(decl: Declaration, flag: string, t: T = EN_TEXTS): string {
  const [kind, purpose] = flag.split(":");
  const name = purpose ? `“${decl.purposes[purpose]?.name ?? purpose.replace(/_/g, " ")}”` : "";
  switch (kind) {
    case "restricted":
      return t("flag.restricted");
    case "objection":
      return name ? t("flag.objection", { name }) : t("flag.objectionAll");
    case "consent_withdrawn":
      return name ? t("flag.consent", { name }) : t("flag.consentAll");
    case "opt_out_sale":
      return t("flag.optOut");
    case "limit_sensitive":
      return t("flag.limit");
    case "opt_out_targeted_advertising":
      return t("flag.optOutAds");
    case "opt_out_profiling":
      return t("flag.optOutProfiling");
    default:
      return t("flag.other", { flag: flag.replace(/[_:]/g, " ") });
  }
}

/** The report of a completed request: which identities found nothing, then each system. */
export const ReportView: FC<{ decl: Declaration; right: string; report: RequestReport; t?: T; lang?: Lang }> = ({
  decl,
  right,
  report,
  t = EN_TEXTS,
  lang = "en",
}) => {
  const missing = report.identities.filter((i) => !i.found);
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{t(right === "access" || right === "portability" ? "rep.whatFound" : "rep.whatDid")}</h2>
      {report.outcome === "nothing_found" ? (
        <p id="nothing-found" role="status">
          <strong>{t("rep.noData")}</strong>
          {t("rep.noDataWhere")}
          {right === "erasure" ? t("rep.nothingToErase") : ""}
          {t("rep.otherDetails")}
        </p>
      ) : null}
      {missing.length ? (
        <p id="identities-not-found">
          {t("rep.notFoundFor", { list: missing.map((i) => `${identityLabel(i.type, t)} ${i.shown}`).join(", ") })}
        </p>
      ) : null}
      <ul id="report">
        {report.systems.flatMap((s) => {
          const [first, ...rest] = systemLines(decl, right, s, t, lang);
          return [
            <li>
              {first}
              {rest.length ? (
                <ul>
                  {rest.map((l) => (
                    <li>{l}</li>
                  ))}
                </ul>
              ) : null}
            </li>,
          ];
        })}
        {report.flags.map((f) => (
          <li>{flagText(decl, f, t)}</li>
        ))}
        {(report.processors ?? []).map((p) => (
          <li class="processor">{p.standing ? standingText(p.standing, t) : p.line}</li>
        ))}
        {report.recipientsNotified.map((r) => (
          <li>{t("rep.told", { name: decl.recipients[r]?.name ?? r })}</li>
        ))}
      </ul>
    </section>
  );
};

/** Where a processor stands, in the page's language. */
function standingText(s: ProcessorStanding, t: T): string {
  const v = { vendor: s.vendor, date: s.confirmedAt ?? "", asked: s.askedAt ?? "", reason: s.reason ?? "" };
  switch (s.kind) {
    case "closed":
      return t("proc.closed", v);
    case "not_received":
      return t("proc.notReceived", v);
    case "not_received_corrections":
      return t("proc.notReceivedCorrections", v);
    case "nothing":
      return t("proc.nothing", v);
    case "deleted":
      return t("proc.deleted", v);
    case "suppressed":
      return t("proc.suppressed", v);
    case "searched":
      return t("proc.searched", v);
    case "done":
      return t("proc.done", v);
    case "confirmed":
      return t("proc.confirmed", v);
    case "waiting":
      return t("proc.waiting", v) + (s.due ? t("proc.due", { due: s.due }) : "");
    case "not_asked":
      return t("proc.notAsked", v);
  }
}

/**
 * The status page's updater (served as /privacy-center/status.js): every few seconds while the request is open it
 * fetches the page, sets the status text in its live region (a screen reader hears the change, politely), and swaps
 * the details unless the keyboard focus is in them. It stops once the request is closed.
 */
export const STATUS_SCRIPT = `(() => {
  const every = 4000;
  const tick = async () => {
    try {
      const res = await fetch(location.href, { headers: { accept: "text/html" }, cache: "no-store" });
      if (!res.ok) return void setTimeout(tick, every * 3);
      const next = new DOMParser().parseFromString(await res.text(), "text/html");
      const status = document.getElementById("status");
      const fresh = next.getElementById("status");
      if (status && fresh && status.textContent !== fresh.textContent) status.textContent = fresh.textContent;
      const details = document.getElementById("details");
      const newer = next.getElementById("details");
      const busy = details && details.contains(document.activeElement);
      if (details && newer && !busy && details.innerHTML !== newer.innerHTML) details.innerHTML = newer.innerHTML;
      if (next.getElementById("check") || busy) setTimeout(tick, every);
      else document.getElementById("check")?.remove();
    } catch {
      setTimeout(tick, every * 3);
    }
  };
  setTimeout(tick, every);
})();
`;

export const StatusPage: FC<{
  decl: Declaration;
  request: RequestView;
  token: string;
  events: RequestEvent[];
  exportExpiresAt?: string;
  exportExpired: boolean;
  delayed?: boolean;
  /** Where an open request stands at each processor. */
  processors?: ProcessorStanding[];
  lang?: Lang;
}> = ({ decl, request, token, events, exportExpiresAt, exportExpired, delayed, processors = [], lang = "en" }) => {
  const open = isOpen(request.status);
  const t = pageTexts(decl, lang);
  const state = (TEXT_KEYS as string[]).includes(`state.${request.status}`)
    ? t(`state.${request.status}` as TextKey)
    : request.status;
  const words = NOTICE_WORDS[lang];
  const appealRule = REGIMES[request.regime].appeal;
  return (
    <Page title={t("status.title")} organization={decl.organization.name} lang={lang}>
      <h1>
        {t("status.title")}: {RIGHT_CITES[request.right] ? t(`right.${request.right}` as TextKey) : request.right}
      </h1>
      <p role="status">
        {t("status.status")}: <strong id="status">{state}</strong>
      </p>
      {/*
        No meta refresh (it moved keyboard focus every few seconds): while the request is open, a small script fetches
        the page and updates the status (a polite live region) and the details in place; without script, a link.
      */}
      {open ? (
        <p id="check">
          {t("status.updates")} <a href={`/privacy-center/requests/${token}`}>{t("status.check")}</a>
          <script src="/privacy-center/status.js" defer data-status-poll></script>
        </p>
      ) : null}
      <div id="details">
        {delayed ? <p id="delayed">{t("status.delayed")}</p> : null}
        <dl>
          <dt>{t("status.received")}</dt>
          <dd>{request.receivedAt.slice(0, 10)}</dd>
          <dt>{t("status.answerBy")}</dt>
          <dd>
            {request.effectiveDueAt.slice(0, 10)}
            {request.extensionReason ? t("status.extendedBecause", { reason: request.extensionReason }) : ""}
          </dd>
        </dl>
        {request.status === "completed" && (request.right === "access" || request.right === "portability") ? (
          exportExpired ? (
            <p>{t("status.expired")}</p>
          ) : (
            <p>
              <a href={`/privacy-center/requests/${token}/export`} download id="download">
                {t("status.download")}
              </a>{" "}
              — {t("status.until", { date: exportExpiresAt?.slice(0, 10) ?? "" })}.
            </p>
          )
        ) : null}
        {processors.length ? (
          <section aria-labelledby="processors-title">
            <h2 id="processors-title">{t("proc.title")}</h2>
            <ul id="processors">
              {processors.map((s) => (
                <li>{standingText(s, t)}</li>
              ))}
            </ul>
          </section>
        ) : null}
        {request.status === "completed" && request.report ? (
          <ReportView decl={decl} right={request.right} report={request.report} t={t} lang={lang} />
        ) : null}
        {request.status === "denied" || request.status === "appealed" ? (
          <p>{t("status.reason", { reason: request.denialReason ?? request.appeal?.answer ?? "" })}</p>
        ) : null}
        {request.appeal ? (
          <p id="appeal">
            {t("appeal.on", { date: request.appeal.appealedAt.slice(0, 10), due: request.appeal.dueAt.slice(0, 10) })}
            {request.appeal.outcome
              ? `${t(request.appeal.outcome === "reversed" ? "appeal.reversed" : "appeal.upheld")}` +
                ` ${request.appeal.answer ?? ""}`
              : ""}
            {request.appeal.outcome === "upheld" ? t("appeal.contact", { to: words.complaintTo(request.regime) }) : ""}
          </p>
        ) : null}
        {request.status === "denied" && request.appealable && !request.appeal ? (
          <form method="post" action={`/privacy-center/requests/${token}/appeal`} id="appeal-form">
            <h2>{t("appeal.title")}</h2>
            <p>
              {t("appeal.law", {
                place: request.jurisdiction,
                within: appealRule ? words.clock(appealRule, "dat") : "",
              })}
            </p>
            <p>
              <label for="appeal-reason">{t("appeal.why")}</label>
              <br />
              <textarea name="reason" id="appeal-reason" required maxlength={2000} rows={4} cols={60}></textarea>
            </p>
            <button type="submit">{t("appeal.title")}</button>
          </form>
        ) : null}
        <h2>{t("status.timeline")}</h2>
        <ol>
          {events.map((e) => (
            <li>
              {e.at.slice(0, 16).replace("T", " ")} — {eventText(e, t)}
            </li>
          ))}
        </ol>
        <p>{t("status.private")}</p>
      </div>
    </Page>
  );
};

/**
 * A timeline entry for the person: in English the system's own words, with their details; in German and French the
 * step in the page's words, where the step has them.
 */
/** An event in the person's words: staff's timeline names tables and steps, the person's never does. */
function eventText(e: RequestEvent, t: T): string {
  const key = `event.${e.kind}`;
  return (TEXT_KEYS as string[]).includes(key) ? t(key as TextKey) : e.message;
}

export const MessagePage: FC<{ decl: Declaration; title: string; message: string; lang?: Lang }> = ({
  decl,
  title,
  message,
  lang = "en",
}) => (
  <Page title={title} organization={decl.organization.name} lang={lang}>
    <h1>{title}</h1>
    <p role="alert">{message}</p>
    <p>
      <a href={`/privacy-center?lang=${lang}`}>{pageTexts(decl, lang)("error.back")}</a>
    </p>
  </Page>
);

export const requestFormHtml = (p: { decl: Declaration; state: FormState; lang?: Lang }) =>
  renderPage(<RequestFormPage {...p} />);
export const verifyPageHtml = (p: Parameters<typeof VerifyPage>[0]) => renderPage(<VerifyPage {...p} />);
export const statusPageHtml = (p: Parameters<typeof StatusPage>[0]) => renderPage(<StatusPage {...p} />);
export const messagePageHtml = (p: Parameters<typeof MessagePage>[0]) => renderPage(<MessagePage {...p} />);
