/**
 * The notice domain: what the declaration promises, as a privacy notice (HTML,
 * Markdown), a record of processing (Art 30) and a diff between versions.
 */
export {
  buildNotice,
  describeRetention,
  retentionForCategory,
  collectedCategories,
  countryName,
  placeOf,
  NOTICE_WORDS,
  type NoticeDoc,
  type NoticeSection,
  type Block,
  type Inline,
} from "./model.js";
export { renderNoticeHtml, NoticeArticle, noticeStyle } from "./html.js";
export {
  checkProvenance,
  explainNotice,
  statementsOf,
  itemText,
  type Item,
  type Src,
  type Statement,
  type ProvenanceProblem,
} from "./trace.js";
export { noticeTextKeys, type NoticeLang, type NoticeWords } from "./words.js";
export { builtinCategoryName, builtinSubjectName } from "./taxonomy-words.js";
export { categoryLabel, datasetLabel, fieldLabel, systemLabel, valueText, type NameLang } from "./names.js";
export { renderNoticeMarkdown, escapeMarkdown } from "./markdown.js";
export { buildRopa, ropaToCsv, ropaToJsonLd, type Ropa, type ControllerRecord, type ProcessorRecord } from "./ropa.js";
export {
  diffDeclarations,
  formatDiff,
  changeNotice,
  renderChangeNotice,
  type DeclarationDiff,
  type Change,
  type ChangeArea,
} from "./diff.js";
export {
  publishDeclaration,
  listPublishedVersions,
  getPublishedDeclaration,
  previousPublished,
  type PublishedVersion,
} from "./versions.js";
