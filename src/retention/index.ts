/**
 * Retention: rules bound to data, enforced by sweeps (delete, de-identify,
 * block), legal holds on systems, datasets and cases, rows kept and blocked
 * under a legal obligation, and the proof that every limit is kept.
 */
export {
  bindingsOf,
  dueQuery,
  cutoffOf,
  obsolescenceOf,
  periodMs,
  RetentionError,
  HoldIncompleteError,
  type RetentionContext,
} from "./model.js";
export {
  sweepBinding,
  sweepRetention,
  simulateSweep,
  type SweepOptions,
  type SweepProgress,
  type SweepReport,
  type SweepSimulation,
} from "./sweep.js";
export {
  planRetention,
  verifyRetention,
  lastRetentionCheck,
  sweepRun,
  type SweepRunSummary,
  type PlanEntry,
  type VerifyResult,
  type RetentionCheck,
} from "./plan.js";
export { placeHold, liftHold, listHolds, HoldInput, type Hold } from "./holds.js";
export { recordBlocks, blocksOn, blockCounts } from "./blocks.js";
export { startRetentionSchedule, nextSweeps, checkSchedule, DEFAULT_SCHEDULE } from "./schedule.js";
export { retentionStats, type RetentionStat } from "./stats.js";
