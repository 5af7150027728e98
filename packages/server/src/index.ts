// @lotse/server — the collector: events, handoffs, conversations and models over HTTP.

// Privacy and agents
export { hashPassword, verifyPassword } from './agents/password.js';
// Agents, inbox, dashboard and notifications
export { type CreateInvitationOptions, createInvitation } from './auth/invitations.js';
export {
  type ComputeDashboardOptions,
  type CoreMetrics,
  computeDashboard,
  type DashboardFilter,
  type DashboardMetrics,
  type ScoreMetric,
} from './dashboard/compute-dashboard.js';
// Running the server
export { createApp } from './http/app.js';
export type { AppDeps } from './http/deps.js';
export { main } from './main.js';
export {
  type CheckOverdueOptions,
  checkOverdue,
  createNotifier,
  type NotifierOptions,
  signWebhook,
} from './notify/create-notifier.js';
export { type Notifier, silentNotifier } from './notify/notifier.js';
export {
  ConfigError,
  consoleLogger,
  DEFAULT_RATE_LIMITS,
  type Logger,
  type ResolvedServerOptions,
  resolveServerOptions,
  type ServerOptions,
  serverOptionsFromEnv,
  silentLogger,
} from './options.js';
export { clientAddress } from './privacy/client-address.js';
export { applyRetention } from './privacy/retention.js';
export { type RunningServer, type StartServerOptions, startServer } from './server.js';
// Sites, business hours and models
export { addBusinessMinutes } from './sites/business-time.js';
export {
  type CompiledModel,
  createModelRegistry,
  type ModelBuilder,
  type ModelRegistry,
  type ModelRegistryOptions,
} from './sites/model-registry.js';
export { createSiteRegistry, type SiteRegistry } from './sites/site-registry.js';
export {
  loadSiteFile,
  parseSiteSettings,
  type ResolvedSite,
  resolveSite,
  type SiteSettings,
  SiteSettingsError,
  siteSettingsSchema,
} from './sites/site-settings.js';
// Storage
export { type OpenStoreOptions, openStore } from './store/open-store.js';
export { createPostgresStore, type PostgresStoreOptions } from './store/postgres-store.js';
export { createSqliteStore, type SqliteStoreOptions } from './store/sqlite-store.js';
export type {
  AgentRow,
  DeleteVisitorResult,
  EventRow,
  HandoffRow,
  InboxHandoff,
  InvitationRow,
  MessageRow,
  RateRule,
  SessionRow,
  SiteRow,
  Store,
  VisitorData,
  VisitorQuery,
} from './store/store.js';
