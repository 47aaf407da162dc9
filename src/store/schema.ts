/** The tables of Pledge's own store, as Kysely sees them. Times are ISO-8601 text in UTC. */
import type { Generated } from "kysely";

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface AuditPendingTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  data: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface DeclarationVersionTable {
  id: Generated<number>;
  version: string;
  effective_date: string;
  hash: string;
  source: string;
  file: string;
  published_at: string;
}

export interface RequestTable {
  id: string;
  right: string;
  status: string;
  identity_type: string;
  identity_value: string;
  contact_email: string;
  name: string | null;
  jurisdiction: string;
  regime: string;
  received_at: string;
  verified_at: string | null;
  due_at: string;
  extended_due_at: string | null;
  extension_reason: string | null;
  completed_at: string | null;
  status_token_hash: string;
  agent_name: string | null;
  agent_email: string | null;
  details: string;
  identities: string;
  report: string | null;
  denial_reason: string | null;
  declaration_version: string;
  /** Where the verification code goes: the email given, or the contact address found for another identity. */
  code_to: string | null;
  /** Who was verified and how (JSON). */
  verification: string | null;
  /**
   * HMACs of every identity of the person (JSON list): what holds and flags match, kept after the values are redacted.
   */
  identity_hashes: string | null;
  /** The identities as the person's rows store them, where only their case differs (JSON); cleared at close. */
  identity_forms: string | null;
  reference: string | null;
  assignee: string | null;
  channel: Generated<string>;
  reminded_due: string | null;
  /** The X25519 public key the export is sealed to; its private key is derived from the status token. */
  export_key: string | null;
  /** Something staff should look at (`nothing_found`). */
  attention: string | null;
  redacted_at: string | null;
  /** An appeal of a denial (US state laws): when, its deadline, the person's reason, and staff's answer. */
  appealed_at: string | null;
  appeal_due_at: string | null;
  appeal_reason: string | null;
  appeal_outcome: string | null;
  appeal_answer: string | null;
}

export interface RequestEventTable {
  id: Generated<number>;
  request_id: string;
  at: string;
  actor: string;
  kind: string;
  message: string;
}

export interface RequestTaskTable {
  id: Generated<number>;
  request_id: string;
  kind: string;
  target: string;
  status: string;
  attempts: number;
  next_run_at: string;
  lease_until: string | null;
  lease_owner: string | null;
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface VerificationTable {
  request_id: string;
  code_hash: string;
  expires_at: string;
  attempts: number;
  sent_at: string;
  consumed_at: string | null;
}

export interface RateEventTable {
  id: Generated<number>;
  key: string;
  at: string;
}

export interface ExportTable {
  request_id: string;
  filename: string;
  data: Uint8Array;
  created_at: string;
  expires_at: string;
}

export interface RequestDocumentTable {
  id: Generated<number>;
  request_id: string;
  kind: string;
  filename: string;
  content_type: string;
  data: Uint8Array;
  uploaded_at: string;
}

export interface SubjectFlagTable {
  id: Generated<number>;
  identity_hash: string;
  kind: string;
  purpose: string | null;
  request_id: string;
  created_at: string;
  lifted_at: string | null;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled: Generated<number>;
  must_change_password: Generated<number>;
  /** The TOTP secret (base32) once enrolled; `totp_pending` while enrolment waits for its first code. */
  totp_secret: string | null;
  totp_pending: string | null;
  totp_enabled_at: string | null;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totp_last_step: number | null;
  last_sign_in_at: string | null;
}

export interface UserLinkTable {
  id: Generated<number>;
  user_id: number;
  purpose: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: string | null;
}

export interface DpiaRecordTable {
  id: Generated<number>;
  purpose: string;
  version: number;
  declaration_version: string;
  body: string;
  created_at: string;
  created_by: string;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  /** `password` (must change it), `mfa` (must give a code), `enroll` (must set up a second factor), or `full`. */
  stage: Generated<string>;
  last_seen_at: string | null;
  ip: string | null;
  user_agent: string | null;
  /** A random id the owner of the session sees and revokes by; never the cookie's hash. */
  public_id: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  role: string;
  created_at: string;
  last_used_at: string | null;
  revoked: Generated<number>;
  /** The staff member the token belongs to; null for a machine token made with the CLI. */
  user_id: number | null;
}

export interface LegalHoldTable {
  id: Generated<number>;
  identity_hash: string;
  reason: string;
  placed_by: string;
  placed_at: string;
  lifted_at: string | null;
}

export interface ConsentEventTable {
  id: Generated<number>;
  record_id: string;
  device_id: string | null;
  subject_id: string | null;
  categories: string;
  purposes: string;
  services: string;
  declaration_version: string;
  material_key: string;
  text_hash: string;
  language: string;
  jurisdiction: string;
  method: string;
  at: string;
  valid_until: string;
  ip: string | null;
  user_agent: string | null;
  /** The GPP string the banner set with this choice (when the declaration enables GPP). */
  gpp_string: string | null;
  /** The TCF TC string the banner set with this choice (when the declaration enables TCF). */
  tc_string: string | null;
}

/** An authorized agent of the Data Rights Protocol: `pending` until an owner approves it and its key. */
export interface DrpAgentTable {
  id: string;
  name: string;
  /** Base64 Ed25519 public key, as in the agent's discovery document. */
  verify_key: string;
  web_url: string | null;
  identity_assurance_url: string | null;
  technical_contact: string | null;
  business_contact: string | null;
  status: string;
  registered_by: string;
  registered_at: string;
  approved_by: string | null;
  approved_at: string | null;
  revoked_at: string | null;
}

/** A pairwise bearer token given to an agent (`POST /v1/agent/{id}`), kept as its SHA-256. */
export interface DrpTokenTable {
  token_hash: string;
  agent_id: string;
  created_at: string;
}

/** A signature already accepted, kept until its message expires: the same one again is a replay. */
export interface DrpSignatureTable {
  signature_hash: string;
  agent_id: string;
  expires_at: string;
}

/** A request filed by an agent: the rights request it became, and the status last told to the agent's callback. */
export interface DrpRequestTable {
  request_id: string;
  agent_id: string;
  agent_request_id: string | null;
  exercise: string;
  regime: string | null;
  status_callback: string | null;
  /** Set when the request was refused before it became a rights request (the DRP status's reason). */
  denied_reason: string | null;
  /** What the agent was last told of: the rights request's status and deadline in force (`status|due`). */
  told: string | null;
  callback_attempts: number;
  /** When the callback is next due (null: nothing to tell). */
  callback_due_at: string | null;
  callback_error: string | null;
  created_at: string;
}

/** Consent choices per day and category (banner and GPC), counted as records are written. */
export interface ConsentDailyTable {
  day: string;
  category: string;
  given: number;
  total: number;
}

export interface ConsentLinkTable {
  device_id: string;
  subject_id: string;
  linked_at: string;
}

export interface NewsletterSubscriptionTable {
  id: Generated<number>;
  list: string;
  email: string;
  name: string | null;
  status: string;
  confirm_token_hash: string | null;
  manage_token_hash: string;
  /** The random value the manage token is derived from; null before migration 0013 (derived from the email). */
  manage_nonce: string | null;
  signup_at: string;
  signup_ip: string | null;
  mail_sent_at: string | null;
  mail_text: string | null;
  confirmed_at: string | null;
  confirm_ip: string | null;
  unsubscribed_at: string | null;
  declaration_version: string;
  consent_text: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface RetentionHoldTable {
  id: Generated<number>;
  /** `system`, `dataset` or `case` (a row and everything that belongs to it). */
  scope: string;
  system: string;
  dataset: string | null;
  /** For a case: the row's key (JSON of its primary key values). */
  row_key: string | null;
  /** Only rows whose clock started before this time. */
  before: string | null;
  reason: string;
  placed_by: string;
  placed_at: string;
  ends_at: string | null;
  lifted_at: string | null;
  lifted_by: string | null;
}

export interface RetentionBlockTable {
  id: Generated<number>;
  system: string;
  dataset: string;
  row_key: string;
  /** One row per identity of the person the kept row is about (null when none is known). */
  identity_hash: string | null;
  rule: string | null;
  reason: string;
  /** JSON list of the categories kept intact and blocked. */
  categories: string;
  until: string | null;
  /** `sweep` or `request:<id>`. */
  source: string;
  created_at: string;
}

export interface RetentionRunTable {
  id: Generated<number>;
  /** `system.dataset`, or `pledge.<kind>` for Pledge's own data. */
  binding: string;
  rule: string;
  /** running, done, failed */
  status: string;
  /** schedule, cli, console */
  trigger: string;
  owner: string;
  cutoff: string;
  started_at: string;
  heartbeat_at: string;
  finished_at: string | null;
  /** JSON: the last key done. */
  cursor: string | null;
  /** JSON: due, deleted, masked, blocked, held, batches, … */
  counts: string;
  error: string | null;
}

export interface RetentionBatchTable {
  id: Generated<number>;
  run_id: number;
  seq: number;
  /** applying, applied */
  status: string;
  /** JSON: each planned row's dataset, key and fingerprint before the batch. */
  rows: string;
  counts: string | null;
  started_at: string;
  applied_at: string | null;
}

export interface RetentionLeaseTable {
  name: string;
  owner: string;
  until: string;
}

export interface SystemDateTable {
  system: string;
  obsolescence: string;
  set_by: string;
  set_at: string;
}

type Id = Generated<number>;

export interface GovCounterpartyTable {
  id: Id;
  account: string;
  name: string;
  contact_email: string;
  /** Who set the contact last: they may not ask that customer's consent for their own access. */
  contact_set_by: string;
  /** JSON: jurisdiction codes of the customer. */
  jurisdictions: string;
  started_at: string;
  created_at: string;
}

export interface GovAccessRequestTable {
  id: Id;
  requester: string;
  requester_role: string;
  account: string;
  /** JSON: the protected classes asked for. */
  classes: string;
  basis: "purpose" | "exception";
  reason_id: string;
  justification: string;
  starts_at: string;
  ends_at: string;
  status: string;
  token_hash: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decided_ip: string | null;
  created_at: string;
}

export interface GovSessionTable {
  id: Id;
  account: string;
  purpose: string;
  requested_by: string;
  form_status: string;
  form_token_hash: string | null;
  form_sent_at: string | null;
  form_name: string | null;
  form_hash: string | null;
  form_document: Uint8Array | null;
  form_signed_at: string | null;
  form_signed_by: string | null;
  form_signed_ip: string | null;
  started_at: string | null;
  started_by: string | null;
  ended_at: string | null;
  created_at: string;
}

export interface GovCustodyTable {
  id: Id;
  kind: "recording" | "temporary_copy";
  account: string | null;
  session_id: number | null;
  label: string;
  location: string;
  made_at: string;
  due_at: string;
  done_at: string | null;
  done_by: string | null;
  evidence: string | null;
  created_by: string;
}

export interface GovLegalRequestTable {
  id: Id;
  reference: string;
  authority: string;
  instrument: string;
  jurisdiction: string;
  accounts: string;
  data_asked: string;
  received_at: string;
  status: string;
  outcome: string | null;
  /** JSON: each step with who took it, when and what it recorded. */
  steps: string;
  gag_until: string | null;
  package_hash: string | null;
  created_by: string;
  created_at: string;
}

export interface GovAgreementTable {
  id: Id;
  account: string;
  agreement: string;
  type: string;
  template_version: string | null;
  status: string;
  document: Uint8Array | null;
  document_name: string | null;
  document_hash: string | null;
  requested_at: string;
  received_at: string | null;
  received_by: string | null;
  accepted_at: string | null;
  accepted_by: string | null;
  expires_at: string | null;
  reminded_at: string | null;
  note: string | null;
  created_by: string;
}

export interface GovSubprocessorChangeTable {
  id: Id;
  version: string;
  previous_version: string;
  changes: string;
  effective_date: string;
  objection_until: string;
  notified: number;
  created_at: string;
}

export interface GovObjectionTable {
  id: Id;
  change_id: number;
  email: string;
  account: string | null;
  reason: string;
  ip: string | null;
  at: string;
}

export interface GovIncidentTable {
  id: Id;
  reference: string;
  title: string;
  occurred_at: string;
  aware_at: string;
  status: string;
  details: string;
  /** JSON: clock key → when it was done and by whom. */
  notified: string;
  affected: string | null;
  created_by: string;
  created_at: string;
  closed_at: string | null;
}

export interface GovIncidentRecipientTable {
  incident_id: number;
  email: string;
  jurisdiction: string | null;
}

export interface DiscoveryScanTable {
  id: Generated<number>;
  /** cli, schedule, console */
  trigger: string;
  /** A scheduled scan's time slot: the first server to claim it scans, the others skip. */
  slot: string | null;
  started_at: string;
  finished_at: string | null;
  tables: number;
  /** Findings open (seen and not dismissed) after the scan, and how many of them it found first. */
  findings: number;
  new_findings: number;
  /** JSON: per system, tables scanned, findings open, or the error that stopped it. */
  systems: string;
}

export interface DiscoveryFindingTable {
  id: Generated<number>;
  /** rule, system, place and category: the same finding in the next scan has the same key. */
  key: string;
  system: string;
  rule: string;
  severity: string;
  /** JSON: the path in the declaration. */
  path: string;
  message: string;
  fragment: string | null;
  first_seen: string;
  last_seen: string;
  /** The scan that saw it last: a finding the latest scan of its system did not see is gone. */
  last_scan: number;
  dismissed_by: string | null;
  dismissed_at: string | null;
  dismiss_reason: string | null;
  notified_at: string | null;
}

/** A consent withdrawal passed on to one processor (migration 0014). */
export interface ConsentPropagationTable {
  id: Generated<number>;
  /** `consent:<record id>` or `newsletter:<list>`. */
  source: string;
  system: string;
  vendor: string;
  operation: string;
  identity_type: string;
  /** Kept only until the row settles (done or failed), then null. */
  identity: string | null;
  identity_hash: string;
  /** pending, done, failed */
  status: string;
  attempts: number;
  /** The vendor's status codes, or its error with the person's identifiers masked. */
  answer: string | null;
  next_run_at: string;
  created_at: string;
  updated_at: string;
}

export interface Database {
  discovery_scans: DiscoveryScanTable;
  discovery_findings: DiscoveryFindingTable;
  gov_counterparties: GovCounterpartyTable;
  gov_access_requests: GovAccessRequestTable;
  gov_sessions: GovSessionTable;
  gov_custody: GovCustodyTable;
  gov_legal_requests: GovLegalRequestTable;
  gov_agreements: GovAgreementTable;
  gov_subprocessor_changes: GovSubprocessorChangeTable;
  gov_objections: GovObjectionTable;
  gov_incidents: GovIncidentTable;
  gov_incident_recipients: GovIncidentRecipientTable;
  retention_holds: RetentionHoldTable;
  retention_blocks: RetentionBlockTable;
  retention_runs: RetentionRunTable;
  retention_batches: RetentionBatchTable;
  retention_leases: RetentionLeaseTable;
  system_dates: SystemDateTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_pending: AuditPendingTable;
  declaration_versions: DeclarationVersionTable;
  requests: RequestTable;
  request_events: RequestEventTable;
  request_tasks: RequestTaskTable;
  verifications: VerificationTable;
  rate_events: RateEventTable;
  exports: ExportTable;
  request_documents: RequestDocumentTable;
  subject_flags: SubjectFlagTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  user_links: UserLinkTable;
  recovery_codes: RecoveryCodeTable;
  dpia_records: DpiaRecordTable;
  settings: SettingTable;
  legal_holds: LegalHoldTable;
  consent_events: ConsentEventTable;
  consent_links: ConsentLinkTable;
  consent_daily: ConsentDailyTable;
  newsletter_subscriptions: NewsletterSubscriptionTable;
  consent_propagations: ConsentPropagationTable;
  drp_agents: DrpAgentTable;
  drp_tokens: DrpTokenTable;
  drp_signatures: DrpSignatureTable;
  drp_requests: DrpRequestTable;
}
