/**
 * Execution: what a rights request does in the organization's systems —
 * collect a person's rows through the dataset graph, then erase, mask, rectify
 * or export them. The durable orchestration lives in `requests`.
 */
export {
  collectSystem,
  mergeIdentities,
  notReached,
  type NotReachedFacts,
  datasetTarget,
  rowKey,
  graphOf,
  WEAK_IDENTITIES,
  SEED,
  rowKeyFields,
  type CollectionSeeds,
  type Identities,
  type SystemCollection,
  type FoundRow,
  type DatasetSearch,
  type ActorMention,
  type IdentityHit,
  type ReviewCandidate,
  type ReviewDecision,
  type ReviewDecisions,
} from "./collect.js";
export {
  planErasure,
  planRectification,
  remainingIdentities,
  accessView,
  deletionOrder,
  selectorOf,
  rowClocks,
  type PlannedBlock,
  countReferrers,
  prepareErasure,
  ErasurePlanError,
  type ErasurePlan,
  type ErasureContext,
  type DatasetErasureReport,
  type RectificationReport,
  type KeepReason,
  type KeepKind,
  type Referrer,
  type Referrers,
} from "./erase.js";
export { maskValue, maskFits, deidentify, type MaskContext } from "./mask.js";
export { findContactChannels, type ContactChannel } from "./contact.js";
export { planRetentionAction } from "./retain.js";
export { retentionMasking, deidentifiedMarkers, dueQuery } from "./due.js";
export {
  legalExceptionOf,
  exceptionEnd,
  requiredByException,
  ownClock,
  type LegalException,
} from "./exceptions.js";
