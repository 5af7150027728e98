import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Outbox, Platform } from './platform.js';

/** Options of {@link createNodePlatform}. */
export interface NodePlatformOptions {
  /**
   * A JSON file that keeps unacknowledged events across restarts (one client per file).
   * @default undefined (events in memory only)
   */
  file?: string;
}

/**
 * Creates the Node platform: optionally a file outbox, written atomically (temp file + rename).
 * @example
 * createClient({ endpoint, siteKey: 'demo', platform: createNodePlatform({ file: '.lotse-outbox.json' }) });
 */
export function createNodePlatform(options: NodePlatformOptions = {}): Platform {
  const { file } = options;
  if (!file) return {};
  const createOutbox = (): Outbox => ({
    open(adopt) {
      let events: unknown = [];
      try {
        events = JSON.parse(readFileSync(file, 'utf8'));
      } catch {}
      if (Array.isArray(events) && events.length) adopt(events);
    },
    save(events) {
      writeFileSync(`${file}.tmp`, JSON.stringify(events));
      renameSync(`${file}.tmp`, file);
    },
    clear() {
      rmSync(file, { force: true });
    },
    close() {},
  });
  return { createOutbox };
}
