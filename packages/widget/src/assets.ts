// @lotse/widget/assets — where the built widget files live, for servers that serve them.
import { fileURLToPath } from 'node:url';

/** Absolute path of the widget's build output (`packages/widget/dist`). */
export const distDir: string = fileURLToPath(new URL('../', import.meta.url));

/** Absolute path of the script-tag file, served at `/lotse.js` (short cache: its name never changes). */
export const loaderFile: string = fileURLToPath(new URL('../lotse.js', import.meta.url));

/** Absolute path of the folder with the host controller chunk, served at `/widget/` (immutable: hashed names). */
export const chunksDir: string = fileURLToPath(new URL('../widget/', import.meta.url));

/** Absolute path of the panel app (`index.html` plus hashed assets), served at `/panel/`. */
export const panelDir: string = fileURLToPath(new URL('../panel/', import.meta.url));
