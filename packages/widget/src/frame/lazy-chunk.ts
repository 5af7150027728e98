// What most visitors never need, in one lazily loaded chunk so gzip compresses it as one file: the
// handoff form with its schema check (zod/mini) and the conversation view with its surveys.
export * from './conversation-chunk.js';
export * from './handoff-chunk.js';
