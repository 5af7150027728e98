import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const src = resolve(import.meta.dirname, '..');

/** Entries whose browser bundle size we track. */
export const BUNDLES = {
  /** What `import { createClient } from '@lotse/sdk'` costs. */
  client: `export { createClient } from '${src}/index.ts';`,
  /** The client plus the browser adapter, as the widget uses it. */
  clientBrowser: `export { createClient } from '${src}/index.ts';\nexport { createBrowserPlatform } from '${src}/browser.ts';`,
  /** The client validating with every schema (`validate: validateEvent`). */
  clientSchemas: `export { createClient } from '${src}/index.ts';\nexport * from '${src}/schema/index.ts';`,
} as const;

/** Size of one built bundle. */
export interface BundleSize {
  name: keyof typeof BUNDLES;
  code: string;
  minBytes: number;
  gzipBytes: number;
}

/** Builds each entry with Vite in library mode (minified ES module) and measures min and min+gzip (level 9). */
export async function buildBundles(): Promise<BundleSize[]> {
  const dir = await mkdtemp(join(tmpdir(), 'lotse-sdk-size-'));
  try {
    const out: BundleSize[] = [];
    for (const name of Object.keys(BUNDLES) as (keyof typeof BUNDLES)[]) {
      const entry = join(dir, `${name}.ts`);
      await writeFile(entry, BUNDLES[name]);
      await build({
        configFile: false,
        logLevel: 'silent',
        root: dir,
        build: {
          write: true,
          outDir: join(dir, 'dist'),
          emptyOutDir: false,
          minify: true,
          sourcemap: false,
          lib: { entry, formats: ['es'], fileName: () => `${name}.js` },
          // Library mode keeps whitespace in ES output; a script-tag build minifies it all.
          rolldownOptions: { output: { minify: true } },
        },
      });
      const code = await readFile(join(dir, 'dist', `${name}.js`), 'utf8');
      out.push({
        name,
        code,
        minBytes: Buffer.byteLength(code),
        gzipBytes: gzipSync(code, { level: 9 }).length,
      });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
