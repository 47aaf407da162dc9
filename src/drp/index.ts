/**
 * Authorized agents over the Data Rights Protocol (DRP 1.0), the covered business's side: the agents an owner approved
 * with their Ed25519 keys, pairwise tokens, signed requests filed into the rights-request pipeline, their status and
 * revocation, and the callbacks that tell agents of each change.
 */
export {
  DRP_VERSIONS,
  DRP_ACTIONS,
  DrpError,
  decodeSigned,
  openSigned,
  checkEnvelope,
  CLOCK_SKEW_MS,
  MAX_MESSAGE_LIFE_MS,
  ExerciseStatusSchema,
  DrpErrorSchema,
  PairwiseTokenSchema,
  BusinessDocumentSchema,
  type ExerciseStatus,
  type DrpStatus,
} from "./protocol.js";
export {
  AgentDocument,
  AgentError,
  registerAgent,
  approveAgent,
  revokeAgent,
  listAgents,
  filedPerAgent,
  getAgent,
  keyFingerprint,
  type AgentView,
  type AgentStatus,
} from "./agents.js";
export {
  setUpAgent,
  agentInformation,
  fileRequest,
  requestStatus,
  revokeRequest,
  deliverCallbacks,
  businessDocument,
  supportedActions,
  MAX_CALLBACK_ATTEMPTS,
  type DrpContext,
} from "./service.js";
