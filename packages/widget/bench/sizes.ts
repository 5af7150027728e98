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

/** Min + gzip sizes in bytes of the shipped parts. */
export interface WidgetSizes {
  loader: number;
  controller: number;
  /** What the panel loads to answer questions: its page, stylesheet and scripts. */
  panel: number;
  /** The handoff form's chunk (form, zod/mini, shared schema), loaded when a visitor needs a person. */
  handoff: number;
  /** Every panel file, including chunks the widget never loads (the SDK's `validate: true` schemas). */
  panelAll: number;
}

/** Measures the built widget. */
export function measure(): WidgetSizes {
  const { loader, controller, panel } = built();
  const html = panel.get('index.html')?.toString('utf8') ?? '';
  const referenced = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
  const initial = staticClosure(panel, ['index.html', ...referenced]);
  const handoffEntry = [...panel.keys()].filter((f) => /handoff-chunk-[\w-]+\.js$/.test(f));
  const handoff = [...staticClosure(panel, handoffEntry)].filter((f) => !initial.has(f));
  const sum = (files: Iterable<string>) => {
    let bytes = 0;
    for (const file of files) bytes += gzip(panel.get(file)!);
    return bytes;
  };
  return {
    loader: gzip(loader),
    controller: gzip(controller),
    panel: sum(initial),
    handoff: sum(handoff),
    panelAll: sum(panel.keys()),
  };
}
