import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';

const src = resolve(import.meta.dirname, '..');

/** Entries whose browser bundle size we track. */
export const BUNDLES = {
  /** What `import { createClient } from '@lotse/sdk'` costs; `validate: true` loads a lazy chunk. */
  client: `export { createClient } from '${src}/index.ts';`,
  /** The client plus the browser adapter, as the widget uses it. */
  clientBrowser: `export { createClient } from '${src}/index.ts';\nexport { createBrowserPlatform } from '${src}/browser.ts';`,
  /** The client with every schema imported statically (`validate: validateEvent`). */
  clientSchemas: `export { createClient } from '${src}/index.ts';\nexport * from '${src}/schema/index.ts';`,
} as const;

/** Bytes of some built code: minified, and min+gzip (level 9, each file on its own as served). */
export interface CodeSize {
  /** The files' code joined, for identifier checks. */
  code: string;
  files: string[];
  minBytes: number;
  gzipBytes: number;
}

/** Size of one built bundle: what loads with the entry, and what it may load later. */
export interface BundleSize extends CodeSize {
  name: keyof typeof BUNDLES;
  /** Chunks loaded only by dynamic `import()` (the schemas of `validate: true`), with their own imports. */
  lazy: CodeSize;
}

type Chunk = Rolldown.OutputChunk;

const measure = (chunks: Chunk[]): CodeSize => ({
  code: chunks.map((c) => c.code).join('\n'),
  files: chunks.map((c) => c.fileName),
  minBytes: chunks.reduce((n, c) => n + Buffer.byteLength(c.code), 0),
  gzipBytes: chunks.reduce((n, c) => n + gzipSync(c.code, { level: 9 }).length, 0),
});

/** The chunk `from` and every chunk it imports statically, each once. */
function closure(from: Chunk, byName: Map<string, Chunk>, seen = new Set<Chunk>()): Set<Chunk> {
  if (seen.has(from)) return seen;
  seen.add(from);
  for (const name of from.imports) {
    const next = byName.get(name);
    if (next) closure(next, byName, seen);
  }
  return seen;
}

/** Builds `code` (an entry module) with Vite in library mode into ES chunks, in memory. */
export async function buildChunks(
  name: string,
  code: string,
  { minify = true }: { minify?: boolean } = {},
): Promise<Chunk[]> {
  const dir = await mkdtemp(join(tmpdir(), 'lotse-sdk-build-'));
  try {
    const entry = join(dir, `${name}.ts`);
    await writeFile(entry, code);
    const result = await build({
      configFile: false,
      logLevel: 'silent',
      root: dir,
      build: {
        write: false,
        minify,
        sourcemap: false,
        lib: { entry, formats: ['es'], fileName: () => `${name}.js` },
        rolldownOptions: {
          // Library mode keeps whitespace in ES output; a script-tag build minifies it all.
          output: { minify },
          // As in an app build: the lazy chunk may import shared code (masking) from the entry
          // chunk instead of both loading a third chunk.
          preserveEntrySignatures: 'allow-extension',
        },
      },
    });
    return (Array.isArray(result) ? result : [result])
      .flatMap((r) => ('output' in r ? r.output : []))
      .filter((c): c is Chunk => c.type === 'chunk');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Builds each entry (minified ES modules, dynamic imports split into chunks as an app's bundler
 * would) and measures the code that loads with the entry and the lazy rest.
 */
export async function buildBundles(): Promise<BundleSize[]> {
  const out: BundleSize[] = [];
  for (const name of Object.keys(BUNDLES) as (keyof typeof BUNDLES)[]) {
    const chunks = await buildChunks(name, BUNDLES[name]);
    const byName = new Map(chunks.map((c) => [c.fileName, c]));
    const main = chunks.find((c) => c.isEntry);
    if (!main) throw new Error(`Vite built no entry chunk for ${name}.`);
    const initial = closure(main, byName);
    const lazy = new Set<Chunk>();
    for (const c of chunks.filter((c) => c.isDynamicEntry))
      for (const d of closure(c, byName)) if (!initial.has(d)) lazy.add(d);
    out.push({ name, ...measure([...initial]), lazy: measure([...lazy]) });
  }
  return out;
}
