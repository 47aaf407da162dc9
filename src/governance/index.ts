/**
 * Governance: the registers that turn a notice's procedures into steps a
 * system runs and proves — staff access to customer data with its runtime
 * gate, remote sessions with their signed forms, recordings and temporary
 * copies with their destruction dates, requests from authorities, agreements,
 * sub-processor changes with objections, and breaches with their clocks.
 */
export { type GovernanceContext, type Actor, GovernanceError, type GovernanceErrorCode, type Counterparty, CounterpartyInput, saveCounterparty, getCounterparty, listCounterparties, countdown } from "./model.js";
export { AccessInput, type AccessRequestView, type AccessStatus, requestAccess, accessByToken, accessConsentView, decideByCustomer, decideByStaff, revokeAccess, listAccessRequests, checkAccess, AccessGateCache, GRANTS_CHANNEL, type GateAnswer } from "./access.js";
export { SessionInput, type SessionView, planSession, sendSessionForm, sessionByFormToken, signSessionForm, uploadSessionForm, startSession, endSession, listSessions, sessionForm, CustodyInput, type CustodyView, registerCustody, confirmDestroyed, listCustody } from "./custody.js";
export { INSTRUMENTS, INSTRUMENT_LABELS, VERIFICATION_CHECKS, LegalRequestInput, type LegalRequestView, type LegalStep, registerLegalRequest, verifyLegalRequest, decideLegalRequest, discloseLegalRequest, setGag, recordCustomerTold, getLegalRequest, listLegalRequests, transparencyReport, transparencyYears, type TransparencyReport } from "./legal.js";
export { AGREEMENT_STATUSES, AgreementInput, type AgreementView, type InForceAnswer, requestAgreement, receiveAgreement, reviewAgreement, agreementDocument, listAgreements, agreementInForce, expiringAgreements, remindExpiringAgreements } from "./agreements.js";
export { subProcessorsOf, diffSubProcessors, announceSubProcessorChanges, objectionLink, recordObjection, listSubProcessorChanges, type SubProcessor, type SubProcessorChange, type ChangeView } from "./subprocessors.js";
export { NATURES, RISKS, RISK_LABELS, IncidentInput, AffectedInput, type IncidentView, type IncidentClock, type Affected, type Drafts, incidentClocks, registerIncident, updateIncident, getIncident, listIncidents, markNotified, closeIncident, draftNotifications, computeAffected, mailingList } from "./breaches.js";
export { governanceOverview, type GovernanceOverview } from "./overview.js";
