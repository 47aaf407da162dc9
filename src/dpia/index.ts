/** DPIA screening from the declaration (GDPR Art 35(3), WP248) and DPIA records kept with versions. */
export {
  ART35_CASES,
  type CriterionId,
  type CriterionMet,
  type Screening,
  type ScreeningResult,
  screenDeclaration,
  screenPurpose,
  WP248_CRITERIA,
} from "./screening.js";
export {
  type DpiaBody,
  type DpiaRecord,
  draftDpia,
  getDpiaRecord,
  listDpiaVersions,
  openDpiaRecord,
  saveDpiaRecord,
} from "./records.js";
