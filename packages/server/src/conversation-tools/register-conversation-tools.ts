import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../http/deps.js';
import { conversationJs } from './canned-replies.js';
import { registerHandOverRoutes } from './hand-over.js';
import { registerPlaybookRoute } from './playbook-checklist.js';
import { registerSnippetRoutes } from './snippets-page.js';

/**
 * The conversation tools' routes; call after the inbox's `requireAgent` middleware, which guards
 * every `/inbox/*` route registered here.
 */
export function registerConversationTools(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/ui/conversation.js', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(conversationJs, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  registerSnippetRoutes(app, deps);
  registerPlaybookRoute(app, deps);
  registerHandOverRoutes(app, deps);
}
