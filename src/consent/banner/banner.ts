/**
 * The consent banner: one <script> tag on the organization's site. It takes its
 * categories, services and texts from the declaration (inlined by the server
 * as `PledgeConsentConfig`), blocks `<script type="text/plain" data-category>`
 * and `<iframe data-src data-category>` until allowed, sets Google Consent
 * Mode v2, honours Global Privacy Control (and Do Not Track where declared),
 * asks again when the declaration changes materially or the choice expires,
 * and stores every choice on the server as a consent record.
 */
import type { BannerConfig } from "../records.js";
import type { IabBannerConfig, Plugin, PluginStrings, PledgeConsentApi } from "./plugin-api.js";

/** The config the server inlines: the banner's configuration plus where to post and what the request said. */
type Config = BannerConfig & { serverGpc: boolean; endpoint: string; iab?: IabBannerConfig };

interface Choice {
  k: string; // material key
  x: number; // expiry (ms)
  d: string; // device id
  c: Record<string, 0 | 1>;
  s: Record<string, 0 | 1>;
}

declare global {
  interface Window {
    PledgeConsentConfig: Config;
    dataLayer: unknown[];
    gtag?: (...a: unknown[]) => void;
    PledgeConsent: PledgeConsentApi;
    __gpp?: (...a: unknown[]) => unknown;
    __tcfapi?: (...a: unknown[]) => unknown;
  }
  interface Navigator {
    globalPrivacyControl?: boolean;
  }
}

const W = window;
const D = document;
const C = W.PledgeConsentConfig;
const T = C.texts;
const COOKIE = "pledge_consent";
const ns = "pledge-";

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] => {
  const e = D.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text) e.textContent = text;
  return e;
};

function readChoice(): Choice | null {
  const m = D.cookie.match(/(?:^|; )pledge_consent=([^;]*)/);
  if (!m) return null;
  try {
    return JSON.parse(decodeURIComponent(m[1])) as Choice;
  } catch {
    return null;
  }
}

function writeChoice(ch: Choice): void {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Safari and Firefox
  D.cookie =
    `${COOKIE}=${encodeURIComponent(JSON.stringify(ch))}; max-age=` + `${C.validityDays * 86400}; path=/; samesite=lax`;
}

const gpc = C.honourGpc && (navigator.globalPrivacyControl === true || C.serverGpc);
const dnt =
  C.honourDnt && (navigator.doNotTrack === "1" || (W as unknown as { doNotTrack?: string }).doNotTrack === "1");
const isMarketing = (id: string) => !!C.categories.find((c) => c.id === id)?.marketing;

// Google Consent Mode v2: everything denied by default, before any tag runs.
W.dataLayer = W.dataLayer || [];
const gtag: (...a: unknown[]) => void =
  W.gtag ||
  function () {
    // biome-ignore lint/complexity/noArguments: gtag reads the arguments object itself, not an array
    W.dataLayer.push(arguments);
  };
W.gtag = gtag;
const consentMode = (c: Record<string, 0 | 1>) => {
  const v = (ok: boolean | undefined) => (ok ? "granted" : "denied");
  const any = (re: RegExp) => Object.keys(c).some((k) => re.test(k) && c[k] === 1);
  return {
    ad_storage: v(any(/market|advert|ads/i)),
    ad_user_data: v(any(/market|advert|ads/i)),
    ad_personalization: v(any(/market|advert|ads/i)),
    analytics_storage: v(any(/analytic|statistic/i)),
    functionality_storage: v(any(/prefer|function/i)),
    personalization_storage: v(any(/prefer|personal/i)),
    security_storage: "granted",
  };
};
gtag("consent", "default", { ...consentMode({}), wait_for_update: 500 });

// The IAB plugins the declaration enables (GPP, TCF): their APIs answer at once with a stub that queues calls, and the
// plugin, loaded only when enabled, takes the queue over (the IAB's stub contract: called with no arguments, the stub
// returns its queue). Frames on the page reach them through a locator frame and postMessage.
const plugins: Record<string, Promise<Plugin | undefined>> = {};
const registered: Record<string, (p: Plugin | undefined) => void> = {};
const stub = (api: "__gpp" | "__tcfapi", ping: () => object) => {
  const q: unknown[][] = [];
  W[api] = (...a: unknown[]) => {
    if (!a.length) return q;
    if (a[0] === "ping") {
      const r = ping();
      if (typeof a[1] === "function") (a[1] as (r: object, ok: boolean) => void)(r, true);
      return r;
    }
    q.push(a);
  };
  const name = `${api}Locator`;
  if (!W.frames[name as unknown as number]) {
    const f = el("iframe", { name, style: "display:none", title: name });
    const add = () => (D.body ? D.body.appendChild(f) : W.setTimeout(add, 5));
    add();
  }
  W.addEventListener("message", (e) => {
    let d = e.data as Record<string, Record<string, unknown>> | string;
    try {
      d = typeof d === "string" ? JSON.parse(d) : d;
    } catch {
      return;
    }
    const call = (d as Record<string, Record<string, unknown>>)?.[`${api}Call`];
    if (!call || !e.source) return;
    W[api]?.(
      call.command,
      (returnValue: unknown, success: boolean) => {
        (e.source as Window).postMessage(
          { [`${api}Return`]: { returnValue, success, callId: call.callId } },
          e.origin === "null" ? "*" : e.origin,
        );
      },
      call.parameter,
      call.version,
    );
  });
};
for (const k in C.iab) {
  plugins[k] = new Promise((resolve) => {
    registered[k] = resolve;
    // A plugin that does not load in time does not hold a choice back: the record is sent without its string.
    W.setTimeout(() => resolve(undefined), 4000);
  });
  if (k === "gpp") {
    const g = C.iab.gpp!;
    stub("__gpp", () => ({
      gppVersion: "1.1",
      cmpStatus: "stub",
      cmpDisplayStatus: "hidden",
      signalStatus: "not ready",
      supportedAPIs: g.sections.map((s) => `${s.id}:${s.name}`),
      cmpId: g.cmpId,
      sectionList: [],
      applicableSections: [-1],
      gppString: "",
      parsedSections: {},
    }));
  }
  if (k === "tcf") {
    const t = C.iab.tcf!;
    stub("__tcfapi", () => ({ gdprApplies: t.gdprApplies, cmpLoaded: false, cmpStatus: "stub", apiVersion: "2.3" }));
  }
}

/** Asks every plugin for its strings about a choice (or about none yet). */
function strings(c: Record<string, 0 | 1> | null): Promise<PluginStrings> {
  const state = { categories: c, gpc, language: C.language };
  return Promise.all(
    Object.keys(plugins).map((k) => plugins[k].then((p) => (p ? p(state) : {})).catch((): PluginStrings => ({}))),
  ).then((all) => Object.assign({}, ...all) as PluginStrings);
}

let choice = readChoice();
const device = choice?.d || crypto.randomUUID();

function allowed(cat: string, service: string | null): boolean {
  const category = C.categories.find((c) => c.id === cat);
  if (category?.essential) return true;
  if (choice?.c[cat] !== 1) return false;
  return !service || choice.s[service] !== 0;
}

/** Runs the blocked scripts and iframes that are now allowed. */
function apply(): void {
  D.querySelectorAll<HTMLScriptElement>('script[type="text/plain"][data-category]').forEach((s) => {
    if (!allowed(s.dataset.category!, s.dataset.service ?? null)) return;
    const n = el("script");
    for (const a of Array.from(s.attributes)) if (a.name !== "type") n.setAttribute(a.name, a.value);
    n.type = s.dataset.type || "text/javascript";
    n.text = s.text;
    s.replaceWith(n);
  });
  D.querySelectorAll<HTMLIFrameElement>("iframe[data-src][data-category]").forEach((f) => {
    if (allowed(f.dataset.category!, f.dataset.service ?? null)) {
      f.src = f.dataset.src!;
      f.removeAttribute("data-src");
    }
  });
  if (choice) gtag("consent", "update", consentMode(choice.c));
}

/** Stores the choice on the server, with the IAB strings the plugins set for it; resolves once it is sent. */
function send(ch: Choice, method: string): Promise<unknown> {
  const categories: Record<string, string> = {};
  for (const k in ch.c) categories[k] = ch.c[k] ? "given" : "refused";
  const services: Record<string, string> = {};
  for (const k in ch.s) services[k] = ch.s[k] ? "given" : "refused";
  return strings(ch.c).then((x) =>
    fetch(C.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        deviceId: ch.d,
        categories,
        services,
        language: C.language,
        materialKey: C.materialKey,
        method,
        gppString: x.gpp,
        tcString: x.tc,
      }),
      keepalive: true,
      credentials: "omit",
    }).catch(() => undefined),
  );
}

function save(c: Record<string, 0 | 1>, s: Record<string, 0 | 1>, method = "banner"): void {
  if (gpc) for (const k in c) if (isMarketing(k)) c[k] = 0;
  // A script that already runs cannot be stopped: a withdrawal reloads the page, so that only what is allowed runs.
  const before = choice;
  const withdrawn =
    !!before &&
    (Object.keys(c).some((k) => before.c[k] === 1 && c[k] === 0) ||
      Object.keys(s).some(
        (k) =>
          before.s[k] !== 0 &&
          s[k] === 0 &&
          before.c[C.categories.find((x) => x.services.some((v) => v.id === k))?.id ?? ""] === 1,
      ));
  choice = { k: C.materialKey, x: Date.now() + C.validityDays * 864e5, d: device, c, s };
  // The plugins hear of the choice at once (the IAB APIs fire their events), the server with the strings they set.
  writeChoice(choice);
  const sent = send(choice, gpc && method === "banner" ? "gpc" : method);
  if (withdrawn) {
    void sent.then(() => W.setTimeout(() => W.location.reload(), 150));
    return;
  }
  apply();
  // The settings button first, so that the focus has a place to return to when the dialog was not opened from one.
  showButton();
  close();
}

const all = (v: 0 | 1) => {
  const c: Record<string, 0 | 1> = {};
  const s: Record<string, 0 | 1> = {};
  for (const cat of C.categories) {
    c[cat.id] = cat.essential ? 1 : v;
    for (const sv of cat.services) s[sv.id] = cat.essential ? 1 : v;
  }
  return { c, s };
};

/** What Global Privacy Control alone decided while the person has not chosen (null without the signal). */
let gpcOnly: Record<string, 0 | 1> | null = null;
let root: HTMLDivElement | null = null;
/** The element that had the focus when the first dialog opened: it gets the focus back when the dialog closes. */
let opener: Element | null = null;
/** The page's elements this banner made inert while its modal dialog is open (and only those). */
let madeInert: HTMLElement[] = [];

function close(): void {
  root?.remove();
  root = null;
  for (const n of madeInert) n.inert = false;
  madeInert = [];
  // Back to the control that opened it; when that was the page itself (the banner opened on load), to the settings
  // button, which reopens the preferences.
  const back = opener && opener !== D.body && opener.isConnected ? opener : D.getElementById(`${ns}open`);
  opener = null;
  (back as HTMLElement | null)?.focus?.();
}

function button(label: string, onClick: () => void, cls = ""): HTMLButtonElement {
  const b = el("button", { type: "button", class: `${ns}btn ${cls}` }, label);
  b.onclick = onClick;
  return b;
}

/** A dialog with the focus kept inside it. */
function dialog(labelId: string): HTMLDivElement {
  // From one layer to the other the opener stays the one the first layer had.
  if (root) root.remove();
  else opener = D.activeElement;
  root = null;
  const d = el("div", {
    role: "dialog",
    "aria-modal": "true",
    "aria-labelledby": labelId,
    class: `${ns}dialog`,
    id: `${ns}dialog`,
    lang: C.language,
  });
  d.addEventListener("keydown", (e) => {
    if (e.key === "Tab") {
      const f = Array.from(d.querySelectorAll<HTMLElement>("button, input:not([disabled]), a[href]"));
      const first = f[0];
      const last = f[f.length - 1];
      // From the heading (focused when the dialog opens) or the first control, Shift+Tab wraps to the last.
      if (e.shiftKey && (D.activeElement === first || !f.includes(D.activeElement as HTMLElement))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && D.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  });
  D.body.appendChild(d);
  root = d;
  // aria-modal says the page behind is out of reach: make it so for the keyboard and the screen reader alike.
  for (const n of Array.from(D.body.children) as HTMLElement[])
    if (n !== d && !n.inert && n.tagName !== "SCRIPT" && n.tagName !== "STYLE") {
      n.inert = true;
      madeInert.push(n);
    }
  return d;
}

function signals(d: HTMLElement): void {
  if (gpc) d.appendChild(el("p", { class: `${ns}signal`, role: "status" }, T.gpc));
  if (dnt) d.appendChild(el("p", { class: `${ns}signal`, role: "status" }, T.dnt));
}

function firstLayer(): void {
  const d = dialog(`${ns}title`);
  const h = el("h2", { id: `${ns}title`, tabindex: "-1" }, T.title);
  d.appendChild(h);
  d.appendChild(el("p", {}, T.body));
  signals(d);
  const row = el("div", { class: `${ns}row` });
  row.append(
    button(T.acceptAll, () => {
      const a = all(1);
      save(a.c, a.s);
    }),
    button(T.rejectAll, () => {
      const a = all(0);
      save(a.c, a.s);
    }),
    button(T.preferences, preferences),
  );
  d.appendChild(row);
  d.appendChild(el("a", { href: C.noticeUrl }, T.notice));
  // The heading takes the focus: Enter must not accept everything before the person has read a word.
  h.focus();
}

function toggle(id: string, label: string, checked: boolean, disabled: boolean, cls: string): HTMLLabelElement {
  const l = el("label", { class: cls });
  const i = el("input", { type: "checkbox", id, name: id });
  i.checked = checked;
  i.disabled = disabled;
  l.append(i, ` ${label}`);
  return l;
}

function preferences(): void {
  const d = dialog(`${ns}ptitle`);
  const h = el("h2", { id: `${ns}ptitle`, tabindex: "-1" }, T.preferences);
  d.appendChild(h);
  signals(d);
  const current = choice ?? all(0);
  for (const cat of C.categories) {
    const locked = cat.essential || (gpc && isMarketing(cat.id));
    // Each category a group named by a legend, its description tied to its switch.
    const f = el("fieldset");
    f.appendChild(el("legend", { class: `${ns}sr` }, cat.name));
    const main = toggle(
      `${ns}c-${cat.id}`,
      cat.name + (cat.essential ? ` (${T.essential})` : ""),
      cat.essential || (!locked && current.c[cat.id] === 1),
      locked,
      `${ns}cat`,
    );
    main.querySelector("input")?.setAttribute("aria-describedby", `${ns}d-${cat.id}`);
    f.appendChild(main);
    f.appendChild(el("p", { id: `${ns}d-${cat.id}` }, cat.description));
    for (const s of cat.services)
      f.appendChild(
        toggle(
          `${ns}s-${s.id}`,
          s.name,
          cat.essential || (!locked && current.s[s.id] !== 0 && current.c[cat.id] === 1),
          locked,
          `${ns}svc`,
        ),
      );
    d.appendChild(f);
  }
  const row = el("div", { class: `${ns}row` });
  row.append(
    button(T.save, () => {
      const c: Record<string, 0 | 1> = {};
      const s: Record<string, 0 | 1> = {};
      for (const cat of C.categories) {
        c[cat.id] = (D.getElementById(`${ns}c-${cat.id}`) as HTMLInputElement).checked ? 1 : 0;
        for (const sv of cat.services)
          s[sv.id] = (D.getElementById(`${ns}s-${sv.id}`) as HTMLInputElement).checked ? 1 : 0;
      }
      save(c, s);
    }),
    // Withdrawing is as easy as giving (GDPR Art 7(3)): one button, here as on the first layer.
    button(T.rejectAll, () => {
      const a = all(0);
      save(a.c, a.s);
    }),
    button(T.close, () => (choice ? close() : firstLayer())),
  );
  d.appendChild(row);
  if (choice)
    d.appendChild(
      el(
        "a",
        {
          href: `${C.endpoint.replace(/records$/, "receipt")}?device=${encodeURIComponent(device)}`,
          download: "consent-receipt.json",
        },
        T.receipt,
      ),
    );
  d.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      if (choice) close();
      else firstLayer();
    }
  });
  h.focus();
}

function showButton(): void {
  if (D.getElementById(`${ns}open`)) return;
  const b = button(T.settings, preferences, `${ns}open`);
  b.id = `${ns}open`;
  D.body.appendChild(b);
}

const css = `.${ns}dialog{position:fixed;z-index:2147483647;left:1rem;right:1rem;bottom:1rem;max-width:36rem;
margin:auto;max-height:90vh;overflow:auto;background:#fff;color:#111;border:1px solid #888;border-radius:8px;
padding:1rem 1.25rem;font:15px/1.5 system-ui,sans-serif;box-shadow:0 4px 24px rgba(0,0,0,.25)}
.${ns}dialog h2{font-size:1.15rem;margin:0 0 .5rem}.${ns}row{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0}
.${ns}btn{font:inherit;padding:.5rem 1rem;border:2px solid #1a1a1a;border-radius:6px;background:#fff;color:#111;
cursor:pointer}.${ns}btn:focus{outline:3px solid #0b57d0;outline-offset:2px}
.${ns}dialog fieldset{border:1px solid #ccc;border-radius:6px;margin:.5rem 0}.${ns}svc{display:block;
margin-left:1.5rem}.${ns}signal{background:#eef6ee;padding:.4rem .6rem;border-radius:4px}
.${ns}open{position:fixed;left:1rem;bottom:1rem;z-index:2147483646}
.${ns}dialog input[type=checkbox]{width:24px;height:24px;margin:0 .4rem 0 0;vertical-align:middle}
.${ns}dialog a{display:inline-block;min-height:24px;line-height:24px}
.${ns}sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

function start(): void {
  D.head.appendChild(el("style", {}, css));
  W.PledgeConsent = {
    open: preferences,
    get: () => choice,
    use: (name, plugin) => {
      registered[name]?.(plugin);
      // The page's state as it stands when the plugin arrives.
      void plugin({ categories: choice ? choice.c : gpcOnly, gpc, language: C.language });
    },
  };
  for (const k in C.iab) D.head.appendChild(el("script", { src: C.iab[k as keyof IabBannerConfig]!.src, async: "" }));
  if (choice && choice.k === C.materialKey && choice.x > Date.now()) {
    apply();
    showButton();
    return;
  }
  choice = null;
  if (dnt) {
    // Do Not Track, where the declaration honours it: a refusal of everything optional, which the person may still
    // change.
    const a = all(0);
    save(a.c, a.s);
    return;
  }
  if (gpc) {
    // Global Privacy Control is a choice already: marketing is refused at once, recorded as such; the rest is asked.
    const c: Record<string, 0 | 1> = {};
    for (const cat of C.categories) if (cat.essential || isMarketing(cat.id)) c[cat.id] = cat.essential ? 1 : 0;
    gpcOnly = c;
    void send({ k: C.materialKey, x: 0, d: device, c, s: {} }, "gpc");
  }
  firstLayer();
}

if (D.readyState === "loading") D.addEventListener("DOMContentLoaded", start);
else start();
