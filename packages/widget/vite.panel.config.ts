// Builds the panel app as static files with content hashes (`dist/panel/index.html` + `assets/`).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./src/frame/', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/panel/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    // The polyfill would be an inline script, which the panel's CSP (no 'unsafe-inline') forbids.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // The panel, and the hidden page that counts new replies for the launcher's badge.
      input: {
        index: fileURLToPath(new URL('./src/frame/index.html', import.meta.url)),
        unread: fileURLToPath(new URL('./src/frame/unread.html', import.meta.url)),
      },
    },
  },
});
