// Knowledge base: authoring format, validation and the safe answer AST.

export type { AnswerNode, InlineNode } from './answer-node.js';
export { ANSWER_NODE_TYPES } from './answer-node.js';
export { answerToPlainText } from './answer-to-plain-text.js';
export { compileKnowledgeBase, isEntryFile } from './compile-knowledge-base.js';
export type { CompileMarkdownOptions, MarkdownIssue } from './compile-markdown.js';
export { compileMarkdown } from './compile-markdown.js';
export type { EntryFields } from './entry-file.js';
export { readEntryFile, writeEntryFile } from './entry-file.js';
export { hashKnowledgeBase } from './hash-knowledge-base.js';
export type { KnowledgeBaseIssue } from './knowledge-base-error.js';
export { formatIssue, isKnowledgeBaseError, KnowledgeBaseError } from './knowledge-base-error.js';
export { SAFE_LINK_SCHEMES, sanitizeHref } from './sanitize-href.js';
export type {
  KnowledgeBase,
  KnowledgeBaseConfig,
  KnowledgeBaseEntry,
  KnowledgeBaseSource,
  Level,
  Locale,
  LocalizedText,
  Thresholds,
  TopicConfig,
} from './types.js';
export { CONFIG_FILE, SUPPORTED_LOCALES } from './types.js';
