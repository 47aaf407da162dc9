/**
 * The TCF v2.3 plugin of the banner: `__tcfapi` through the IAB's `@iabtcf/cmpapi`, and a TC string encoded with
 * `@iabtcf/core` from the person's choice. Each TCF purpose and special feature stands for one consent category (the
 * declaration says which); a vendor has consent when every purpose it asks consent for was given. The string carries
 * the DisclosedVendors segment (mandatory since 28 February 2026) with the vendors the site discloses, and is
 * service-specific under the organization's own CMP id. No legitimate interest is signalled: the banner offers no
 * objection to one.
 */
import { CmpApi } from "@iabtcf/cmpapi";
import { GVL, Segment, TCModel, TCString } from "@iabtcf/core";
import type { IabBannerConfig, PledgeConsentApi, PluginState } from "./plugin-api.js";

const W = window as unknown as { PledgeConsentConfig: { iab: IabBannerConfig }; PledgeConsent: PledgeConsentApi };
const T = W.PledgeConsentConfig.iab.tcf!;
const api = new CmpApi(T.cmpId, T.cmpVersion, true);
const gvl = fetch(T.gvlUrl, { credentials: "omit" })
  .then((r) => {
    if (!r.ok) throw new Error(`vendor list: ${r.status}`);
    return r.json();
  })
  .then((json) => new GVL(json));

// The vendors the string says were disclosed are shown in each layer of the banner: a DisclosedVendors segment naming
// vendors the person was never shown would tell ad tech something untrue.
const WORDS: Record<string, [string, string]> = {
  en: ["advertising partners (IAB TCF)", "Purposes they ask consent for"],
  de: ["Werbepartner (IAB TCF)", "Zwecke, für die sie um Einwilligung bitten"],
  fr: ["partenaires publicitaires (IAB TCF)", "Finalités pour lesquelles ils demandent le consentement"],
};
function listVendors(dialog: Element, list: GVL, language: string): void {
  if (dialog.querySelector(".pledge-vendors")) return;
  const [title, asks] = WORDS[language] ?? WORDS.en;
  const vendors = T.vendors.map((v) => list.vendors[v]).filter((v) => !!v);
  const d = document.createElement("details");
  d.className = "pledge-vendors";
  const summary = document.createElement("summary");
  summary.textContent = `${vendors.length} ${title}`;
  const ul = document.createElement("ul");
  for (const v of vendors) {
    const li = document.createElement("li");
    // GVL v3 lists privacy policies per language (`urls`); the library's type still knows only v2's `policyUrl`.
    const urls = (v as unknown as { urls?: { langId: string; privacy?: string }[] }).urls;
    const url = urls?.find((u) => u.langId === language)?.privacy ?? urls?.[0]?.privacy ?? v.policyUrl;
    const name = document.createElement(url ? "a" : "strong");
    name.textContent = v.name;
    if (url && /^https:\/\//.test(url)) name.setAttribute("href", url);
    li.append(name, ` — ${asks}: ${v.purposes.map((p) => list.purposes[p]?.name ?? p).join("; ") || "—"}`);
    ul.appendChild(li);
  }
  d.append(summary, ul);
  const row = dialog.querySelector(".pledge-row");
  dialog.insertBefore(d, row ? row.nextSibling : null);
}
void gvl.then((list) => {
  const language = document.documentElement.lang || "en";
  const show = () => {
    const dialog = document.getElementById("pledge-dialog");
    if (dialog) listVendors(dialog, list, (dialog.getAttribute("lang") ?? language).slice(0, 2));
  };
  show();
  new MutationObserver(show).observe(document.body, { childList: true });
});

W.PledgeConsent.use("tcf", async (state: PluginState) => {
  if (!T.gdprApplies) {
    api.update(null);
    return {};
  }
  const list = await gvl;
  const m = new TCModel(list);
  m.cmpId = T.cmpId;
  m.cmpVersion = T.cmpVersion;
  m.isServiceSpecific = true;
  m.publisherCountryCode = T.publisherCountryCode;
  m.consentScreen = 1;
  m.consentLanguage = state.language.toUpperCase();
  const given = (c: string) => state.categories?.[c] === 1;
  for (const c in T.purposes) if (given(c)) m.purposeConsents.set(T.purposes[c]);
  for (const c in T.specialFeatures) if (given(c)) m.specialFeatureOptins.set(T.specialFeatures[c]);
  const disclosed = T.vendors.filter((v) => list.vendors[v]);
  m.vendorsDisclosed.set(disclosed);
  for (const v of disclosed) {
    const asks = list.vendors[v].purposes;
    if (asks.length && asks.every((p) => m.purposeConsents.has(p))) m.vendorConsents.set(v);
  }
  const tc = TCString.encode(m, { segments: [Segment.CORE, Segment.VENDORS_DISCLOSED] });
  // While the person has not chosen, the banner is showing: vendors wait for the string (the UI is visible).
  api.update(state.categories ? tc : "", !state.categories);
  return state.categories ? { tc } : {};
});
