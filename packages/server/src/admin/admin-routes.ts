import type { Hono } from 'hono';
import { createInvitation } from '../auth/invitations.js';
import { readAgentForm, requireAgent } from '../auth/sessions.js';
import { type AppContext, type AppDeps, type AppEnv, ownOrigin } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { fill } from '../kb/kb-messages.js';
import { html, type SafeHtml } from '../pages/html.js';
import { messagesFor, pickLocale, roleName } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { tableRegion } from '../pages/table-region.js';
import { parseSiteSettings, SiteSettingsError } from '../sites/site-settings.js';
import { agentRole } from '../store/store.js';

async function adminPage(
  c: AppContext,
  deps: AppDeps,
  notice?: SafeHtml,
  status: 200 | 400 | 409 = 200,
): Promise<Response> {
  const locale = pickLocale(c);
  const t = messagesFor(locale);
  const csrf = c.get('session')?.csrf ?? '';
  const agents = await deps.store.listAgents();
  const sites = await deps.store.listSites();
  const body = html`${notice ?? null}
<section class="card" aria-labelledby="agents-h">
  <h2 id="agents-h">${t.agents}</h2>
  ${tableRegion(
    'agents-caption',
    t.agents,
    html`<thead><tr><th scope="col">${t.email}</th><th scope="col">${t.role}</th></tr></thead>`,
    html`<tbody>${agents.map((a) => html`<tr><td>${a.email}</td><td>${roleName(t, a.role)}</td></tr>`)}</tbody>`,
  )}
  <h3>${t.invite}</h3>
  <form method="post" action="/admin/invitations">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label for="invite-email">${t.email}</label>
    <input id="invite-email" name="email" type="email" required>
    <label for="invite-role">${t.role}</label>
    <select id="invite-role" name="role"><option value="agent">${t.roleAgent}</option><option value="editor">${t.roleEditor}</option><option value="reviewer">${t.roleReviewer}</option><option value="admin">${t.roleAdmin}</option></select>
    <p><button type="submit">${t.invite}</button></p>
  </form>
</section>
<section class="card" aria-labelledby="sites-h">
  <h2 id="sites-h">${t.sites}</h2>
  ${sites.map((s) => {
    const file = deps.siteFileOf?.(s.key);
    return html`<form method="post" action="/admin/sites/${encodeURIComponent(s.key)}">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label for="site-${s.key}">${t.settings}: ${s.key}</label>
    ${file === undefined ? null : html`<p id="sitefile-${s.key}">${fill(t.siteFromFile, { file })}</p>`}
    <textarea id="site-${s.key}" name="settings" spellcheck="false"${file === undefined ? null : html` aria-describedby="sitefile-${s.key}"`}>${JSON.stringify(s.settings, null, 2)}</textarea>
    <p><button type="submit">${t.save}</button></p>
  </form>`;
  })}
  <form method="post" action="/admin/sites/new">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label for="site-new">${t.settings}: ${t.newSite}</label>
    <textarea id="site-new" name="settings" spellcheck="false">${JSON.stringify(
      {
        key: 'new-site',
        title: 'New site',
        allowedOrigins: ['https://shop.example.com'],
        responseMinutes: { '1': 480, '2': 240, '3': 960 },
        timeZone: 'Europe/Berlin',
        businessHours: { mon: ['09:00-17:00'] },
      },
      null,
      2,
    )}</textarea>
    <p><button type="submit">${t.save}</button></p>
  </form>
</section>`;
  return sendPage(c, { t, locale, title: t.admin, body, agent: c.get('agent'), csrf }, status);
}

/**
 * `/admin/`: admins invite agents and change site settings (keys, origins, knowledge base,
 * business hours, time zone, notifications); agents get 403.
 */
export function registerAdminRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const adminOnly = requireAgent(deps, 'admin');
  // The knowledge base under /admin/kb/ is open to editors too (kb/kb-routes.ts).
  app.use('/admin/*', (c, next) =>
    c.req.path === '/admin/kb' || c.req.path.startsWith('/admin/kb/') ? next() : adminOnly(c, next),
  );
  app.get('/admin', (c) => c.redirect('/admin/', 301));
  app.get('/admin/', (c) => adminPage(c, deps));

  app.post('/admin/invitations', async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const email = (form.get('email') ?? '').trim();
    const role = agentRole(form.get('role'));
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 320) {
      return apiError(c, 400, 'invalid_request', 'email: must be an e-mail address', 'email');
    }
    // The link would set the existing account's password: a reset, which only the CLI gives.
    if ((await deps.store.getAgentByEmail(email)) !== undefined) {
      const t = messagesFor(pickLocale(c));
      return adminPage(
        c,
        deps,
        html`<p class="card error" role="alert">${t.inviteExists}</p>`,
        409,
      );
    }
    const link = await createInvitation({
      store: deps.store,
      email,
      role,
      kind: 'invite',
      now: deps.now(),
      baseUrl: ownOrigin(c, deps),
    });
    const t = messagesFor(pickLocale(c));
    return adminPage(
      c,
      deps,
      html`<p class="card" role="status">${t.inviteLink}: <code class="invite-link">${link}</code></p>`,
    );
  });

  app.post('/admin/sites/:key', async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    // `new` creates a site under the key its settings name.
    let key = c.req.param('key');
    if (key === 'new') {
      try {
        const raw: unknown = JSON.parse(form.get('settings') ?? '');
        key = typeof raw === 'object' && raw !== null ? String((raw as { key?: unknown }).key) : '';
      } catch {
        key = '';
      }
    }
    let settings: ReturnType<typeof parseSiteSettings>;
    try {
      settings = parseSiteSettings(JSON.parse(form.get('settings') ?? ''), `site "${key}"`);
    } catch (error) {
      const message =
        error instanceof SiteSettingsError || error instanceof SyntaxError
          ? error.message
          : 'invalid settings';
      return apiError(c, 400, 'invalid_request', message.slice(0, 1000), 'settings');
    }
    if (settings.key !== key) {
      return apiError(
        c,
        400,
        'invalid_request',
        'settings.key must match the site.',
        'settings.key',
      );
    }
    const before = await deps.sites.get(key);
    await deps.store.upsertSite(key, settings, deps.now());
    await deps.sites.refresh();
    // A new or moved knowledge base is built in the background; the last good model keeps serving.
    if (settings.knowledgeBase !== undefined && settings.knowledgeBase !== before?.knowledgeBase) {
      deps.knowledgeBase.useFolder(key, settings.knowledgeBase).catch((error: unknown) => {
        deps.options.logger.error(`cannot build the model of site "${key}"`, error);
      });
    }
    const t = messagesFor(pickLocale(c));
    return adminPage(c, deps, html`<p class="card" role="status">${t.saved}</p>`);
  });
}
