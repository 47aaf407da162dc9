/**
 * Consent: the banner's configuration, consent records as events with proof,
 * the decision API's logic, newsletters with double opt-in, and the GPC stance.
 */
export { LANGUAGES, DEFAULT_TEXTS, pickLanguage, type Language } from "./texts.js";
export {
  bannerConfig,
  materialKey,
  recordConsent,
  currentState,
  linkDevice,
  consentRates,
  rollUpConsent,
  truncateIp,
  isMarketingCategory,
  ConsentError,
  CONSENT_METHODS,
  type BannerConfig,
  type ConsentRecord,
  type ConsentState,
  type ConsentMethod,
  type RecordInput,
  type PurposeState,
} from "./records.js";
export { consentReceipt, ReceiptSchema, RECEIPT_FIELDS, RECEIPT_SCHEMA_VERSION } from "./receipt.js";
export { decide, DecisionCache, type Decision, type DecisionContext } from "./decisions.js";
export {
  signUp,
  confirmSubscription,
  emailFits,
  peekConfirmation,
  unsubscribe,
  subscriptionsOf,
  sweepNewsletters,
  confirmedSubscribers,
  recentSubscriptions,
  revokeManageLinks,
  unsubscribeHeaders,
  unsubscribeUrlWarning,
  redactMailTokens,
  NewsletterError,
  type NewsletterContext,
  type SubscriptionRecord,
} from "./newsletter.js";

import { honoursGpc, type Declaration } from "../declaration/index.js";

/** `/.well-known/gpc.json` from the declaration's stance. */
export function gpcStance(decl: Declaration): { gpc: boolean; lastUpdate: string } {
  return { gpc: honoursGpc(decl), lastUpdate: decl.effectiveDate };
}
export { bannerBundle, type BundleName } from "./bundle.js";
export {
  gppConfig,
  tcfConfig,
  reduceGvl,
  checkIabStrings,
  GvlSource,
  GvlError,
  IabStringError,
  type GppPluginConfig,
  type TcfPluginConfig,
  type VendorList,
} from "./iab.js";
export {
  queuePropagation,
  runPropagations,
  propagationsOf,
  propagationsOfMany,
  recentPropagations,
  propagationTargets,
  type PropagationContext,
  type PropagationView,
} from "./propagation.js";
