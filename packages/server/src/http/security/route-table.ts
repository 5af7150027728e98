/**
 * Who may call a route:
 * - `anyone`: public files and health;
 * - `site`: anyone holding the public site key (in every page's HTML), from an allowed origin;
 * - `token`: the holder of a conversation token (in the path);
 * - `signed-visitor`: a visitor whose user id the site's server signed;
 * - `login-form`: anyone, with the pre-login cookie's CSRF token;
 * - `agent` / `editor` / `reviewer` / `admin`: a signed-in agent (of that role; an admin may do what
 *   an editor or a reviewer may).
 */
export type RouteAccess =
  | 'anyone'
  | 'site'
  | 'token'
  | 'signed-visitor'
  | 'login-form'
  | 'agent'
  | 'editor'
  | 'reviewer'
  | 'admin';

/** One route of the server as SECURITY.md lists it and the security suite walks it. */
export interface RouteRow {
  method: 'GET' | 'POST';
  /** Hono's pattern, as registered. */
  path: string;
  /** A concrete path to call it at (`:token`, `:id`, `:site` filled in by the suite). */
  example: string;
  access: RouteAccess;
  /** What the route reads: a JSON body, a form (with `_csrf`), or nothing. */
  body: 'json' | 'form' | 'none';
}

/**
 * Every route the app registers. `{token}`, `{id}` and `{invite}` in `example` stand for a real
 * conversation token, handoff id and invitation token the suite creates.
 */
export const ROUTE_TABLE: readonly RouteRow[] = [
  { method: 'GET', path: '/healthz', example: '/healthz', access: 'anyone', body: 'none' },
  { method: 'POST', path: '/v1/events', example: '/v1/events', access: 'site', body: 'json' },
  { method: 'POST', path: '/v1/handoffs', example: '/v1/handoffs', access: 'site', body: 'json' },
  {
    method: 'GET',
    path: '/v1/sites/:site/conversations',
    example: '/v1/sites/demo/conversations',
    access: 'signed-visitor',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/v1/conversations/:token',
    example: '/v1/conversations/{token}',
    access: 'token',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/v1/conversations/:token/messages',
    example: '/v1/conversations/{token}/messages',
    access: 'token',
    body: 'json',
  },
  {
    method: 'POST',
    path: '/v1/conversations/:token/events',
    example: '/v1/conversations/{token}/events',
    access: 'token',
    body: 'json',
  },
  {
    method: 'POST',
    path: '/v1/conversations/:token/reopen',
    example: '/v1/conversations/{token}/reopen',
    access: 'token',
    body: 'json',
  },
  {
    method: 'GET',
    path: '/v1/sites/:site/model.json',
    example: '/v1/sites/demo/model.json',
    access: 'site',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/v1/sites/:site/widget.json',
    example: '/v1/sites/demo/widget.json',
    access: 'site',
    body: 'none',
  },
  { method: 'GET', path: '/lotse.js', example: '/lotse.js', access: 'anyone', body: 'none' },
  { method: 'GET', path: '/widget/*', example: '/widget/x.js', access: 'anyone', body: 'none' },
  { method: 'GET', path: '/panel', example: '/panel', access: 'anyone', body: 'none' },
  { method: 'GET', path: '/panel/*', example: '/panel/', access: 'anyone', body: 'none' },
  { method: 'GET', path: '/demo', example: '/demo', access: 'anyone', body: 'none' },
  { method: 'GET', path: '/demo/*', example: '/demo/', access: 'anyone', body: 'none' },
  { method: 'GET', path: '/ui/app.css', example: '/ui/app.css', access: 'anyone', body: 'none' },
  { method: 'GET', path: '/ui/app.js', example: '/ui/app.js', access: 'anyone', body: 'none' },
  {
    method: 'GET',
    path: '/v1/conversations/:token/stream',
    example: '/v1/conversations/{token}/stream',
    access: 'token',
    body: 'none',
  },
  { method: 'GET', path: '/inbox/events', example: '/inbox/events', access: 'agent', body: 'none' },
  { method: 'GET', path: '/ui/uplot.js', example: '/ui/uplot.js', access: 'anyone', body: 'none' },
  {
    method: 'GET',
    path: '/ui/uplot.css',
    example: '/ui/uplot.css',
    access: 'anyone',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/ui/dashboard.js',
    example: '/ui/dashboard.js',
    access: 'anyone',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/ui/dashboard.css',
    example: '/ui/dashboard.css',
    access: 'anyone',
    body: 'none',
  },
  { method: 'GET', path: '/ui/kb.js', example: '/ui/kb.js', access: 'anyone', body: 'none' },
  {
    method: 'GET',
    path: '/ui/conversation.js',
    example: '/ui/conversation.js',
    access: 'anyone',
    body: 'none',
  },
  { method: 'GET', path: '/login', example: '/login', access: 'anyone', body: 'none' },
  { method: 'POST', path: '/login', example: '/login', access: 'login-form', body: 'form' },
  { method: 'POST', path: '/logout', example: '/logout', access: 'agent', body: 'form' },
  {
    method: 'GET',
    path: '/invite/:token',
    example: '/invite/{invite}',
    access: 'anyone',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/invite/:token',
    example: '/invite/{invite}',
    access: 'login-form',
    body: 'form',
  },
  {
    method: 'GET',
    path: '/mail/rate/:token',
    example: '/mail/rate/x.y',
    access: 'anyone',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/mail/rate/:token',
    example: '/mail/rate/x.y',
    access: 'login-form',
    body: 'form',
  },
  { method: 'GET', path: '/inbox', example: '/inbox', access: 'agent', body: 'none' },
  { method: 'GET', path: '/inbox/', example: '/inbox/', access: 'agent', body: 'none' },
  { method: 'GET', path: '/inbox/c/:id', example: '/inbox/c/{id}', access: 'agent', body: 'none' },
  {
    method: 'GET',
    path: '/inbox/attachments/:id',
    example: '/inbox/attachments/none',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/inbox/c/:id/reply',
    example: '/inbox/c/{id}/reply',
    access: 'agent',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/inbox/c/:id/note',
    example: '/inbox/c/{id}/note',
    access: 'agent',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/inbox/c/:id/tags',
    example: '/inbox/c/{id}/tags',
    access: 'agent',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/inbox/c/:id/close',
    example: '/inbox/c/{id}/close',
    access: 'agent',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/inbox/c/:id/reopen',
    example: '/inbox/c/{id}/reopen',
    access: 'agent',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/inbox/c/:id/assign',
    example: '/inbox/c/{id}/assign',
    access: 'agent',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/inbox/c/:id/kb',
    example: '/inbox/c/{id}/kb',
    access: 'agent',
    body: 'form',
  },
  { method: 'POST', path: '/inbox/views', example: '/inbox/views', access: 'agent', body: 'form' },
  {
    method: 'POST',
    path: '/inbox/views/:id/delete',
    example: '/inbox/views/none/delete',
    access: 'agent',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/inbox/c/:id/playbook',
    example: '/inbox/c/{id}/playbook',
    access: 'agent',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/inbox/c/:id/handover',
    example: '/inbox/c/{id}/handover',
    access: 'agent',
    body: 'form',
  },
  {
    method: 'GET',
    path: '/inbox/mentions',
    example: '/inbox/mentions',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/inbox/snippets',
    example: '/inbox/snippets?site=demo',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/inbox/snippets',
    example: '/inbox/snippets?site=demo',
    access: 'editor',
    body: 'form',
  },
  {
    method: 'GET',
    path: '/inbox/snippets/:snippetId',
    example: '/inbox/snippets/none',
    access: 'editor',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/inbox/snippets/:snippetId',
    example: '/inbox/snippets/none',
    access: 'editor',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/inbox/snippets/:snippetId/delete',
    example: '/inbox/snippets/none/delete',
    access: 'editor',
    body: 'form',
  },
  { method: 'GET', path: '/dashboard', example: '/dashboard', access: 'agent', body: 'none' },
  { method: 'GET', path: '/dashboard/', example: '/dashboard/', access: 'agent', body: 'none' },
  {
    method: 'GET',
    path: '/dashboard/api/metrics',
    example: '/dashboard/api/metrics?site=demo',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/dashboard/export.csv',
    example: '/dashboard/export.csv?site=demo',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/dashboard/team',
    example: '/dashboard/team?site=demo',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/dashboard/api/team',
    example: '/dashboard/api/team?site=demo',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/dashboard/team/export.csv',
    example: '/dashboard/team/export.csv?site=demo',
    access: 'agent',
    body: 'none',
  },
  { method: 'GET', path: '/admin', example: '/admin', access: 'admin', body: 'none' },
  { method: 'GET', path: '/admin/', example: '/admin/', access: 'admin', body: 'none' },
  {
    method: 'POST',
    path: '/admin/invitations',
    example: '/admin/invitations',
    access: 'admin',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/admin/agents/:id/role',
    example: '/admin/agents/nobody/role',
    access: 'admin',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/admin/agents/:id/deactivate',
    example: '/admin/agents/nobody/deactivate',
    access: 'admin',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/admin/agents/:id/reactivate',
    example: '/admin/agents/nobody/reactivate',
    access: 'admin',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/admin/sites/:key',
    example: '/admin/sites/other',
    access: 'admin',
    body: 'form',
  },
  { method: 'GET', path: '/admin/kb', example: '/admin/kb', access: 'editor', body: 'none' },
  { method: 'GET', path: '/admin/kb/', example: '/admin/kb/', access: 'editor', body: 'none' },
  {
    method: 'GET',
    path: '/admin/kb/:site',
    example: '/admin/kb/demo',
    access: 'editor',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/admin/kb/:site/',
    example: '/admin/kb/demo/',
    access: 'editor',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/admin/kb/:site/entry',
    example: '/admin/kb/demo/entry?path=returns.md',
    access: 'editor',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/admin/kb/:site/entry',
    example: '/admin/kb/demo/entry',
    access: 'editor',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/admin/kb/:site/preview',
    example: '/admin/kb/demo/preview',
    access: 'editor',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/admin/kb/:site/publish',
    example: '/admin/kb/demo/publish',
    access: 'editor',
    body: 'form',
  },
  {
    method: 'GET',
    path: '/admin/kb/:site/versions',
    example: '/admin/kb/demo/versions',
    access: 'editor',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/admin/kb/:site/versions/:version',
    example: '/admin/kb/demo/versions/1',
    access: 'editor',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/admin/kb/:site/versions/:version/restore',
    example: '/admin/kb/demo/versions/1/restore',
    access: 'editor',
    body: 'form',
  },
  {
    method: 'GET',
    path: '/scorecards',
    example: '/scorecards',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/scorecards/',
    example: '/scorecards/',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/scorecards/new',
    example: '/scorecards/new',
    access: 'admin',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/scorecards/new',
    example: '/scorecards/new',
    access: 'admin',
    body: 'form',
  },
  {
    method: 'GET',
    path: '/scorecards/s/:id',
    example: '/scorecards/s/{id}',
    access: 'admin',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/scorecards/s/:id',
    example: '/scorecards/s/{id}',
    access: 'admin',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/scorecards/s/:id/archive',
    example: '/scorecards/s/{id}/archive',
    access: 'admin',
    body: 'form',
  },
  {
    method: 'GET',
    path: '/scorecards/queue',
    example: '/scorecards/queue',
    access: 'reviewer',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/scorecards/calibration',
    example: '/scorecards/calibration',
    access: 'reviewer',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/scorecards/mine',
    example: '/scorecards/mine',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'GET',
    path: '/scorecards/r/:id',
    example: '/scorecards/r/{id}',
    access: 'agent',
    body: 'none',
  },
  {
    method: 'POST',
    path: '/scorecards/c/:id/review',
    example: '/scorecards/c/{id}/review',
    access: 'reviewer',
    body: 'form',
  },
  {
    method: 'POST',
    path: '/scorecards/settings',
    example: '/scorecards/settings',
    access: 'admin',
    body: 'form',
  },
  {
    method: 'GET',
    path: '/scorecards/team',
    example: '/scorecards/team',
    access: 'agent',
    body: 'none',
  },
];
