/**
 * Execution: what a rights request does in the organization's systems —
 * collect a person's rows through the dataset graph, then erase, mask, rectify
 * or export them. The durable orchestration lives in `requests`.
 */
export { collectSystem, mergeIdentities, datasetTarget, rowKey, systemEdges, WEAK_IDENTITIES, type Identities, type SystemCollection, type FoundRow } from "./collect.js";
export { planErasure, planRectification, remainingIdentities, accessView, deletionOrder, legalHoldOf, type ErasurePlan, type DatasetErasureReport } from "./erase.js";
export { maskValue, deidentify, type MaskContext } from "./mask.js";
