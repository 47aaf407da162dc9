/**
 * The Global Privacy Platform plugin of the banner: `__gpp` through the IAB's own `@iabgpp/cmpapi`, with the US
 * National section and the section of each US state the declaration serves. Each opt-out field answers the person's
 * choice about the categories behind it (sale, sharing, targeted advertising: refused, or never given, is opted out),
 * and Global Privacy Control opts out of all three and sets the sections' GPC field.
 */
import { CmpApi, CmpDisplayStatus, CmpStatus, SignalStatus } from "@iabgpp/cmpapi";
import type { OptOutKind } from "../iab.js";
import type { IabBannerConfig, PledgeConsentApi, PluginState } from "./plugin-api.js";

const W = window as unknown as { PledgeConsentConfig: { iab: IabBannerConfig }; PledgeConsent: PledgeConsentApi };
const G = W.PledgeConsentConfig.iab.gpp!;
const api = new CmpApi(G.cmpId, G.cmpVersion);
api.setApplicableSections(G.sections.map((s) => s.id));

W.PledgeConsent.use("gpp", (state: PluginState) => {
  const optedOut = (kind: OptOutKind) => state.gpc || !G.kinds[kind].some((c) => state.categories?.[c] === 1);
  for (const s of G.sections) {
    for (const f in s.fixed) api.setFieldValue(s.name, f, s.fixed[f]);
    for (const f in s.optOuts) api.setFieldValue(s.name, f, optedOut(s.optOuts[f]) ? 1 : 2);
    if (s.gpc) {
      api.setFieldValue(s.name, "GpcSegmentIncluded", true);
      api.setFieldValue(s.name, "Gpc", state.gpc);
    }
  }
  api.setCmpStatus(CmpStatus.LOADED);
  api.setCmpDisplayStatus(state.categories ? CmpDisplayStatus.HIDDEN : CmpDisplayStatus.VISIBLE);
  api.setSignalStatus(SignalStatus.READY);
  for (const s of G.sections) api.fireSectionChange(s.name);
  return { gpp: api.getGppString() };
});
