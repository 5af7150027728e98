// Builds the host controller chunk (`dist/widget/controller-[hash].js`), loaded by lotse.js on intent.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    modulePreload: false,
    rolldownOptions: {
      input: 'src/controller.ts',
      preserveEntrySignatures: 'strict',
      output: { entryFileNames: 'controller-[hash].js', format: 'es' },
    },
  },
});
