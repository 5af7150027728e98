// @lotse/widget — the script-tag widget. The browser code ships as built files (dist/lotse.js,
// dist/widget/, dist/panel/); this entry holds the types for sites that call `window.Lotse` from
// TypeScript. Servers find the built files through '@lotse/widget/assets'.

// Values the commands take
export type { ConsentState, OpenTrigger, Traits } from './bridge/messages.js';
// Commands of window.Lotse
export type { LotseCommands, LotseEventMap, LotseFunction } from './commands.js';
// Embed options (data-* attributes)
export type { LauncherPosition, ResolvedWidgetOptions, WidgetOptions } from './config.js';
export type { WidgetLocale } from './i18n/resolve-locale.js';
