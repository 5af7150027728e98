// Reads the widget's build output and measures it (min + gzip), for the size test and the bench.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const read = (file: string) => readFileSync(path.join(dist, file));
const gzip = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

/** The built files: loader, controller chunk, and every panel file by path below `dist/panel/`. */
export interface BuiltWidget {
  loader: Buffer;
  controller: Buffer;
  panel: Map<string, Buffer>;
}

/** Reads `dist/`; throws with the build command when it is missing. */
export function built(): BuiltWidget {
  if (!existsSync(path.join(dist, 'lotse.js'))) {
    throw new Error('No build output: run `pnpm --filter @lotse/widget build` first.');
  }
  const chunk = readdirSync(path.join(dist, 'widget')).find((f) =>
    /^controller-[\w-]+\.js$/.test(f),
  );
  if (!chunk) throw new Error('dist/widget/controller-*.js is missing.');
  const panel = new Map<string, Buffer>();
  for (const file of readdirSync(path.join(dist, 'panel'), { recursive: true }).map(String)) {
    if (/\.(js|css|html)$/.test(file))
      panel.set(file.split(path.sep).join('/'), read(path.join('panel', file)));
  }
  return { loader: read('lotse.js'), controller: read(path.join('widget', chunk)), panel };
}

/** The panel files a browser loads from `entries` on: each one and its static imports. */
export function staticClosure(panel: Map<string, Buffer>, entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !panel.has(file)) return;
    seen.add(file);
    const code = panel.get(file)!.toString('utf8');
    // Static imports only (`import{…}from"./x.js"`, `import"./x.js"`); `import("./x.js")` loads later.
    for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*["'`]\.\/([\w.-]+\.js)["'`]/g)) {
      visit(path.posix.join(path.posix.dirname(file), match[1]!));
    }
  };
  for (const entry of entries) visit(entry);
  return seen;
}

/** The SDK's `validate: true` schema chunk: built, never loaded by the panel (see vite.panel.config.ts). */
export const unusedChunk = /(^|\/)_?validate-event-[\w-]+\.js$/;

/** Min + gzip sizes in bytes of the shipped parts. */
export interface WidgetSizes {
  loader: number;
  controller: number;
  /** What the panel loads to answer questions: its page, stylesheet and scripts. */
  panel: number;
  /**
   * Each chunk the panel loads later (`import()`), by file: the handoff form with zod/mini and the
   * shared schema, and the conversation view.
   */
  lazy: Map<string, number>;
  /** The hidden page that counts new replies for the launcher's badge, with what it alone loads. */
  unread: number;
  /** Everything the panel app loads on any visitor's path: every panel file but {@link unusedChunk}. */
  total: number;
  /** Every panel file, including {@link unusedChunk}. */
  panelAll: number;
}

/** The panel files a browser loads later from `files`: the targets of their `import("./x.js")`. */
function dynamicImports(panel: Map<string, Buffer>, files: Iterable<string>): string[] {
  const found: string[] = [];
  for (const file of files) {
    const code = panel.get(file)?.toString('utf8') ?? '';
    for (const match of code.matchAll(/\bimport\(\s*["'`]\.\/([\w.-]+\.js)["'`]\s*\)/g)) {
      found.push(path.posix.join(path.posix.dirname(file), match[1]!));
    }
  }
  return found;
}

/** Measures the built widget. */
export function measure(): WidgetSizes {
  const { loader, controller, panel } = built();
  const page = (html: string) => {
    const text = panel.get(html)?.toString('utf8') ?? '';
    const referenced = [...text.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
    return staticClosure(panel, [html, ...referenced]);
  };
  const initial = page('index.html');
  const seen = new Set(initial);
  const lazyFiles = new Map<string, string[]>();
  for (const entry of dynamicImports(panel, initial)) {
    if (unusedChunk.test(entry) || seen.has(entry)) continue;
    const files = [...staticClosure(panel, [entry])].filter((f) => !seen.has(f));
    for (const file of files) seen.add(file);
    lazyFiles.set(entry, files);
  }
  const unread = [...page('unread.html')].filter((f) => !seen.has(f));
  const size = (file: string) => gzip(panel.get(file)!);
  const sum = (files: Iterable<string>) => {
    let bytes = 0;
    for (const file of files) bytes += size(file);
    return bytes;
  };
  return {
    loader: gzip(loader),
    controller: gzip(controller),
    panel: sum(initial),
    lazy: new Map([...lazyFiles].map(([entry, files]) => [entry, sum(files)])),
    unread: sum(unread),
    total: sum([...panel.keys()].filter((f) => !unusedChunk.test(f))),
    panelAll: sum(panel.keys()),
  };
}
