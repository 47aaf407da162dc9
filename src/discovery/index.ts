/**
 * Discovery: what the organization's systems and files really hold, compared
 * with what the declaration says. The live check (`pledge check --live`) reads
 * each system's schema through its connector, read-only; the detectors find
 * personal data in values and text (`pledge scan FILE…`, `pledge redact`).
 */
export { checkLive, LIVE_RULES, type LiveRuleId, type LiveCheckOptions } from "./live-check.js";
export {
  clearDetectorCaches,
  detect,
  maskValue,
  phoneRegions,
  redactText,
  ENTITY_CATEGORY,
  ENTITY_TYPES,
  type Detection,
  type DetectOptions,
  type EntityType,
} from "./detect.js";
export {
  DiscoveryError,
  redactStream,
  type RedactOptions,
  scanFile,
  scanStream,
  type EntityTally,
  type TextScan,
  type TextScanOptions,
} from "./text-scan.js";
export { csvFields, type LineFormat, type RedactLabel } from "./structured.js";
export {
  classifyColumn,
  scanSystems,
  SCAN_RULES,
  type ColumnClass,
  type ScanOptions,
  type ScanResult,
  type ScanRuleId,
  type ScannedTable,
} from "./scan.js";
export {
  DEFAULT_SCAN_SCHEDULE,
  dismissFinding,
  listFindings,
  recordScan,
  scanHistory,
  startDiscoverySchedule,
  type DiscoveryContext,
  type RecordedScan,
  type StoredFinding,
} from "./findings.js";
