// Bundles the browser part (src/client.ts with @lotse/sdk) into dist/public/app.js.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist/public',
    emptyOutDir: true,
    target: 'es2022',
    lib: { entry: 'src/client.ts', formats: ['es'], fileName: () => 'app.js' },
  },
});
