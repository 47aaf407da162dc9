/**
 * The declaration: the organization's processing as one validated document.
 * This domain imports nothing from the rest of Pledge.
 */
export { DeclarationSchema } from "./references.js";
export { localizeDeclaration } from "./translations.js";
export {
  declarationJsonSchema,
  LEGAL_BASES,
  RIGHTS,
  TRANSFER_MECHANISMS,
  MASKING_STRATEGIES,
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
  type ScopedLegalBasis,
  type ProcessorActivity,
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
export {
  BUILTIN_CATEGORIES,
  BUILTIN_SUBJECTS,
  categoriesOf,
  subjectsOf,
  categoryName,
  categoryWithin,
  isKnownCategory,
  type CategoryInfo,
} from "./taxonomy.js";
export * from "./law.js";
export { categoriesReceived, identitiesReceived } from "./recipients.js";
export {
  parseDuration,
  addDuration,
  addBusinessDays,
  addDeadline,
  durationRule,
  fitsWithin,
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
  normalizeIdentity,
  identityEquals,
  type PhoneNumber,
} from "./identity.js";
export {
  lintDeclaration,
  lawsServed,
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
  type ResolvedBinding,
  type BoundField,
  type BindingProblem,
} from "./retention.js";
