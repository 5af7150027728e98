import { isEntryFile, normalizePath, normalizeText } from './compile-knowledge-base.js';
import { sha256 } from './sha256.js';
import type { KnowledgeBaseSource } from './types.js';

/**
 * Content hash of a knowledge base (SHA-256, hex): the config and every entry file, independent
 * of file order, line ends and byte-order marks; non-entry files such as README.md do not count.
 * @example hashKnowledgeBase({ config, files }) // '3f1c…' (64 hex digits)
 */
export function hashKnowledgeBase(source: KnowledgeBaseSource): string {
  const files = source.files
    .map((file) => [normalizePath(file.path), normalizeText(file.text)] as const)
    .filter(([path]) => isEntryFile(path))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // JSON framing keeps path and content boundaries unambiguous.
  return sha256(JSON.stringify(['lotse-kb/1', normalizeText(source.config), files]));
}
