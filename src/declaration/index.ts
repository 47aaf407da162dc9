/**
 * The declaration: the organization's processing as one validated document.
 * This domain imports nothing from the rest of Pledge.
 */
export { DeclarationSchema } from "./references.js";
export { declaredText, localizeDeclaration } from "./translations.js";
export {
  declarationJsonSchema,
  LEGAL_BASES,
  RIGHTS,
  TRANSFER_MECHANISMS,
  MASKING_STRATEGIES,
  DURATION_PATTERN,
  SPECIAL_CATEGORIES,
  ART9_CONDITIONS,
  type Declaration,
  type DeclarationInput,
  type Purpose,
  type System,
  type Dataset,
  type Field,
  type Recipient,
  type RetentionRule,
  type RetentionBinding,
  type TransferInfo,
  type LegalBasisName,
  type RightName,
  type MaskingStrategy,
  type ConnectorConfig,
  type Relation,
  type MatchMode,
  RELATIONS,
  MATCH_MODES,
  own,
  basesOf,
  objectionKind,
  honoursGpc,
  doubleOptInOf,
  promisedResponseTime,
  recipientPlace,
  isStoreConnector,
  isProcessorConnector,
  STORE_ENGINES,
  type ScopedLegalBasis,
  type ProcessorActivity,
  IsoDate,
} from "./schema.js";
export {
  parseDeclaration,
  loadDeclaration,
  formatIssue,
  formatPath,
  DeclarationError,
  DeclarationFileError,
  type LoadedDeclaration,
  type DeclarationIssue,
  type SourceLocation,
  type DocPath,
} from "./load.js";
export { writtenOf, writtenIn, type Written } from "./written.js";
export {
  BUILTIN_CATEGORIES,
  BUILTIN_SUBJECTS,
  categoriesOf,
  subjectsOf,
  categoryName,
  categoryWithin,
  isKnownCategory,
  sensitiveAmong,
  type CategoryInfo,
} from "./taxonomy.js";
export * from "./law.js";
export * from "./breach-law.js";
export { lawTableMarkdown } from "./law-doc.js";
export { categoriesReceived, identitiesReceived } from "./recipients.js";
export {
  parseDuration,
  addDuration,
  addBusinessDays,
  addDeadline,
  durationRule,
  fitsWithin,
  isPublicHoliday,
  notLongerThan,
  formatRule,
  durationDays,
  type ParsedDuration,
  type DurationUnit,
} from "./duration.js";
export { suggest, didYouMean } from "./suggest.js";
export {
  buildDatasetGraph,
  reachableDatasets,
  entryDatasets,
  followedEdges,
  identityReference,
  parseReference,
  primaryKeyOf,
  pathsToOtherPeople,
  contactSources,
  detailReferrers,
  reachedRowsAreOwn,
  identitySeeds,
  type DatasetGraph,
  type DatasetNode,
  type DatasetEdge,
  type FollowedEdge,
} from "./graph.js";
export {
  DEFAULT_MATCH,
  identityMatch,
  fieldMatch,
  parsePhone,
  phoneReadings,
  phoneRegions,
  type PhoneRegions,
  normalizeIdentity,
  identityEquals,
  type PhoneNumber,
} from "./identity.js";
export {
  lintDeclaration,
  lawsServed,
  citedArticle,
  purposeJurisdictions,
  LINT_RULES,
  type LawId,
  type Finding,
  type Severity,
  type LintRule,
  type LintRuleId,
} from "./lint.js";
export {
  retentionBinding,
  retentionBindings,
  retentionRuleOf,
  resolveBindings,
  countryCodes,
  clockEntries,
  type ClockEntry,
  type ResolvedBinding,
  type BoundField,
  type BindingProblem,
} from "./retention.js";
