/**
 * Rights requests end to end: submission and verification, deadlines, staff
 * actions, durable execution across the organization's systems, and what is
 * kept as proof afterwards.
 */
export * from "./model.js";
export {
  dueDate,
  extendedDueDate,
  receiptDueDate,
  appealDueDate,
  deadlineRule,
  daysLeft,
  urgencyOf,
  regimeOf,
  type Urgency,
} from "./deadlines.js";
export { refusalRights, requestReference } from "./wording.js";
export { CODE_TTL_MS, MAX_CODE_ATTEMPTS } from "./verification.js";
export {
  submitRequest,
  appealRequest,
  answerAppeal,
  resendCode,
  verifyRequest,
  verifyByStaff,
  describeVerification,
  codeSentTo,
  findRequestByToken,
  getRequest,
  listRequests,
  requestPages,
  countRequests,
  openDeadlines,
  type RequestFilter,
  type RequestCounts,
  requestTimeline,
  requesterTimeline,
  requestDelayed,
  requestTasks,
  approveRequest,
  confirmReview,
  denyRequest,
  withdrawRequest,
  extendDeadline,
  addNote,
  retryTask,
  completeManualTask,
  recordProcessorAnswer,
  processorProgress,
  closeProcessorTask,
  type TaskEvidence,
  getExport,
  getExportExpiry,
  getDocument,
  listDocuments,
  subjectFlags,
  placeLegalHold,
  reissueStatusLink,
  liftLegalHold,
  type SubmitResult,
  type StaffEntry,
  type VerifyResult,
} from "./service.js";
export { identityHash, hashIdentities, maskEmail, maskIdentity, type HashContext } from "./identities.js";
export {
  runDueTasks,
  advanceStalledRequests,
  taskBacklog,
  startWorker,
  advanceRequest,
  planTasks,
  backoffMs,
  createConnectorCache,
  mergeReports,
  TASKS_CHANNEL,
  type Worker,
  type CollectResult,
  type CandidateView,
} from "./runner.js";
export { redactRequest, sweepRequests, type SweepResult } from "./records.js";
export { recipientsToNotify } from "./notify.js";
export { buildExport } from "./export.js";
export { previewRequest, type RequestPreview, type DatasetPreview } from "./preview.js";
export { assignRequests, remindAssignees, REMINDER_DAYS } from "./workbench.js";
export { BULK_ACTIONS, bulkUpdate, checkBulk, type BulkAction } from "./bulk.js";
export { exportPublicKey, sealExport, openExport } from "./export-seal.js";
export { legalHoldsOn, statusRecipient } from "./events.js";
export {
  processorSystems,
  processorName,
  processorRecipient,
  processorLine,
  processorStanding,
  standingLine,
  type ProcessorStanding,
  processorDue,
  identitiesFor,
  type ProcessorResult,
} from "./processors.js";
