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
