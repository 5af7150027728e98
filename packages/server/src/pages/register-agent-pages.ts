import type { Hono } from 'hono';
import { registerAdminRoutes } from '../admin/admin-routes.js';
import { registerLoginRoutes } from '../auth/login-routes.js';
import { registerDashboardRoutes } from '../dashboard/dashboard-routes.js';
import type { AppDeps, AppEnv } from '../http/deps.js';
import { registerInboxRoutes } from '../inbox/inbox-routes.js';
import { registerKbRoutes } from '../kb/kb-routes.js';
import { registerAttachmentRoutes } from '../mail/attachment-routes.js';
import { registerScorecardRoutes } from '../scorecards/scorecard-routes.js';
import { registerPageAssets } from './assets.js';
import { errorPages } from './error-page.js';

/** The agents' side: login, inbox, dashboard, knowledge base, administration and their static files. */
export function registerAgentPages(app: Hono<AppEnv>, deps: AppDeps): void {
  // Before the routes it wraps.
  app.use('*', errorPages());
  registerPageAssets(app);
  registerLoginRoutes(app, deps);
  registerInboxRoutes(app, deps);
  // Under `/inbox/`: behind the inbox's sign-in.
  registerAttachmentRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerKbRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerScorecardRoutes(app, deps);
}
