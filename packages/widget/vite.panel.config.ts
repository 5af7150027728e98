// Builds the panel app as static files with content hashes (`dist/panel/index.html` + `assets/`).
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const noEventSchemas = '\0validate-event';

/**
 * The panel's SDK client never sets `validate: true`, so the SDK's lazy event-schema chunk is never
 * loaded; left in, it shares zod with the handoff form and drags the schemas only events use (boolean,
 * unknown, custom …) into the handoff chunk. It is replaced by a module that fails to load, which the
 * SDK already handles: a `schema_unavailable` error, events sent unchecked.
 */
function withoutEventSchemas(): Plugin {
  return {
    name: 'lotse:panel-without-event-schemas',
    enforce: 'pre',
    resolveId(source, importer) {
      if (
        source === './schema/validate-event.js' &&
        /[\\/]sdk[\\/]dist[\\/]client\.js$/.test(importer ?? '')
      ) {
        return noEventSchemas;
      }
      return undefined;
    },
    load(id) {
      if (id !== noEventSchemas) return undefined;
      return "throw new Error('The Lotse panel ships no event schemas (validate: true).');";
    },
  };
}

const preloadHelper = '\0vite/preload-helper.js';

/**
 * Vite wraps every `import()` in a preload helper (≈ 0.6 KB min + gzip) that fetches the chunk's CSS
 * and, with `modulePreload`, its imports ahead. Without `modulePreload` and with no CSS in a lazy chunk
 * (the build fails if one gets some) it only calls `import()`, so this one does just that.
 */
function plainDynamicImports(): Plugin {
  return {
    name: 'lotse:panel-plain-dynamic-imports',
    enforce: 'pre',
    load(id) {
      return id === preloadHelper ? 'export const __vitePreload = (load) => load();' : undefined;
    },
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && !chunk.isEntry && chunk.viteMetadata?.importedCss.size) {
          this.error(`${chunk.fileName} imports CSS, which the plain import() would not load.`);
        }
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./src/frame/', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [withoutEventSchemas(), plainDynamicImports()],
  build: {
    outDir: fileURLToPath(new URL('./dist/panel/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    // The lazy chunk's imports are all in the first load already; and the polyfill would be an inline
    // script, which the panel's CSP (no 'unsafe-inline') forbids.
    modulePreload: false,
    rolldownOptions: {
      // The panel, and the hidden page that counts new replies for the launcher's badge.
      input: {
        index: fileURLToPath(new URL('./src/frame/index.html', import.meta.url)),
        unread: fileURLToPath(new URL('./src/frame/unread.html', import.meta.url)),
      },
    },
  },
});
