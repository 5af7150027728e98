export { detectLanguage } from './detect-language.js';
export { isLang, type Lang } from './lang.js';
export { normalizeText } from './normalize-text.js';
export { MAX_TEXT_CHARS, splitWords, stemWord, tokenize } from './tokenize.js';
