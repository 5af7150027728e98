// Builds the script-tag file `dist/lotse.js` (one IIFE) after the controller, whose hashed name it embeds.
import { readdirSync } from 'node:fs';
import { defineConfig } from 'vite';

const controller = readdirSync(new URL('./dist/widget/', import.meta.url)).find((file) =>
  /^controller-[\w-]+\.js$/.test(file),
);
if (!controller)
  throw new Error('Build the controller first (vite build -c vite.controller.config.ts).');

export default defineConfig({
  define: { __LOTSE_CONTROLLER__: JSON.stringify(`widget/${controller}`) },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    lib: {
      entry: 'src/embed.ts',
      formats: ['iife'],
      name: 'LotseLoader',
      fileName: () => 'lotse.js',
    },
  },
});
