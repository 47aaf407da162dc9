/**
 * Rights requests end to end: submission and verification, deadlines, staff
 * actions, and durable execution across the organization's systems.
 */
export * from "./model.js";
export { dueDate, extendedDueDate, daysLeft, urgencyOf, regimeOf, type Urgency } from "./deadlines.js";
export { CODE_TTL_MS, MAX_CODE_ATTEMPTS } from "./verification.js";
export {
  submitRequest,
  resendCode,
  verifyRequest,
  findRequestByToken,
  getRequest,
  listRequests,
  requestTimeline,
  requesterTimeline,
  requestTasks,
  approveRequest,
  denyRequest,
  extendDeadline,
  addNote,
  retryTask,
  completeManualTask,
  getExport,
  getExportExpiry,
  getDocument,
  listDocuments,
  subjectFlags,
  identityHash,
  maskEmail,
  placeLegalHold,
  liftLegalHold,
  legalHoldsOn,
  type SubmitResult,
  type VerifyResult,
} from "./service.js";
export { runDueTasks, startWorker, advanceRequest, planTasks, backoffMs, type Worker } from "./runner.js";
export { recipientsToNotify } from "./notify.js";
export { buildExport } from "./export.js";
