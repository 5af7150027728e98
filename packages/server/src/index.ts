// @lotse/server — the collector: events, handoffs, conversations and models over HTTP, with the
// agents' inbox, dashboard and administration. Most sites run it as `lotse-server` / `main`; this
// entry is for embedding it in another Node process. Each feature lives in its own folder under
// src/ (see "Where things go" in the README).

// Running the server
export { main } from './main.js';
export {
  ConfigError,
  consoleLogger,
  type Logger,
  type ResolvedServerOptions,
  resolveServerOptions,
  type ServerOptions,
  serverOptionsFromEnv,
  silentLogger,
} from './options.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
// Site settings, as in a site file or the admin pages
export {
  loadSiteFile,
  parseSiteSettings,
  type SiteSettings,
  SiteSettingsError,
} from './sites/site-settings.js';
// Storage
export { type OpenStoreOptions, openStore } from './store/open-store.js';
export type { Store } from './store/store.js';
