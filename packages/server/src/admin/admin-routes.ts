import type { Hono } from 'hono';
import type { AgentChange } from '../agents/agent-queries.js';
import { AGENT_ROLES, isAgentAddress, isAgentRole } from '../agents/agent-roles.js';
import { createInvitation } from '../auth/invitations.js';
import { readAgentForm, requireAgent } from '../auth/sessions.js';
import { type AppContext, type AppDeps, type AppEnv, ownOrigin } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { fill } from '../kb/kb-messages.js';
import { html, type SafeHtml } from '../pages/html.js';
import { type Messages, messagesFor, pickLocale, roleName } from '../pages/i18n.js';
import { sendPage } from '../pages/layout.js';
import { tableRegion } from '../pages/table-region.js';
import type { AgentRow } from '../store/store.js';
import { type AdminMessages, adminMessagesFor } from './admin-messages.js';
import { describeSiteIssue, readSiteSettings, type SiteIssue } from './read-site-settings.js';

/** Settings sent back to the admin: the form they came from, their text, what is wrong with it. */
interface SiteDraft {
  /** The site's key, or `new`. */
  form: string;
  text: string;
  issues: SiteIssue[];
}

/** The problems beside the settings' text field, each with its place in the JSON. */
function siteIssuesHtml(a: AdminMessages, id: string, issues: readonly SiteIssue[]): SafeHtml {
  return html`<div id="${id}" class="error"><p>${a.settingsIssues}</p><ul>${issues.map(
    (issue) =>
      html`<li><code>${issue.path === '' ? a.wholeSettings : issue.path}</code>: ${describeSiteIssue(a, issue)}</li>`,
  )}</ul></div>`;
}

/**
 * One site's settings form (`key` = `new` for a new site): the stored settings, or the admin's text
 * with its problems, the field marked invalid, described by them and focused.
 */
function siteFormHtml(
  a: AdminMessages,
  csrf: string,
  options: {
    key: string;
    label: string;
    value: string;
    file?: string | undefined;
    draft?: SiteDraft | undefined;
  },
  t: Messages,
): SafeHtml {
  const { key, draft, file } = options;
  const issuesId = `site-${key}-issues`;
  const invalid = draft !== undefined && draft.issues.length > 0;
  const describedBy = [
    ...(invalid ? [issuesId] : []),
    ...(file === undefined ? [] : [`sitefile-${key}`]),
  ].join(' ');
  return html`<form method="post" action="/admin/sites/${encodeURIComponent(key)}">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label for="site-${key}">${t.settings}: ${options.label}</label>
    ${file === undefined ? null : html`<p id="sitefile-${key}">${fill(t.siteFromFile, { file })}</p>`}
    ${invalid ? siteIssuesHtml(a, issuesId, draft.issues) : null}
    <textarea id="site-${key}" name="settings" spellcheck="false"${describedBy === '' ? null : html` aria-describedby="${describedBy}"`}${invalid ? html` aria-invalid="true" autofocus` : null}>${draft?.text ?? options.value}</textarea>
    <p><button type="submit">${t.save}</button></p>
  </form>`;
}

/** One agent's row: its role and activation as forms, except on the admin's own row. */
function agentRowHtml(
  t: Messages,
  a: AdminMessages,
  csrf: string,
  agent: AgentRow,
  self: boolean,
  openAssigned: number | undefined,
): SafeHtml {
  const id = encodeURIComponent(agent.id);
  // Each control names its agent for screen readers: the rows' buttons read alike otherwise.
  const whose = html`<span class="visually-hidden"> ${agent.email}</span>`;
  const role = self
    ? html`${roleName(t, agent.role)} (${a.you})`
    : html`<form method="post" action="/admin/agents/${id}/role" class="inline-form">
      <input type="hidden" name="_csrf" value="${csrf}">
      <label for="role-${agent.id}" class="visually-hidden">${fill(a.roleOf, { email: agent.email })}</label>
      <select id="role-${agent.id}" name="role">${AGENT_ROLES.map((r) => html`<option value="${r}"${r === agent.role ? html` selected` : null}>${roleName(t, r)}</option>`)}</select>
      <button type="submit" class="secondary">${a.changeRole}${whose}</button>
    </form>`;
  const since = agent.deactivatedAt === undefined ? undefined : new Date(agent.deactivatedAt);
  const status =
    since === undefined
      ? a.active
      : html`${a.deactivatedSince} <time datetime="${since.toISOString()}">${since.toISOString().slice(0, 10)}</time>${
          openAssigned === undefined
            ? null
            : html`<br><a href="/inbox/?agent=${id}">${fill(a.openAssigned, { count: openAssigned })}${whose}</a>`
        }`;
  const action = since === undefined ? 'deactivate' : 'reactivate';
  const toggle = self
    ? null
    : html`<form method="post" action="/admin/agents/${id}/${action}" class="inline-form">
      <input type="hidden" name="_csrf" value="${csrf}">
      <button type="submit" class="secondary">${since === undefined ? a.deactivate : a.reactivate}${whose}</button>
    </form>`;
  return html`<tr><td>${agent.email}</td><td>${role}</td><td>${status}</td><td>${toggle}</td></tr>`;
}

async function adminPage(
  c: AppContext,
  deps: AppDeps,
  notice?: SafeHtml,
  status: 200 | 400 | 409 = 200,
  draft?: SiteDraft,
): Promise<Response> {
  const locale = pickLocale(c);
  const t = messagesFor(locale);
  const a = adminMessagesFor(locale);
  const csrf = c.get('session')?.csrf ?? '';
  const me = c.get('agent')?.id;
  const [agents, openOf, sites] = await Promise.all([
    deps.store.listAgents(),
    deps.store.countOpenOfDeactivated(),
    deps.store.listSites(),
  ]);
  const body = html`${notice ?? null}
<section class="card" aria-labelledby="agents-h">
  <h2 id="agents-h">${t.agents}</h2>
  ${tableRegion(
    'agents-caption',
    // Not the section's name: two landmarks named alike cannot be told apart (axe landmark-unique).
    a.agentsTable,
    html`<thead><tr><th scope="col">${t.email}</th><th scope="col">${t.role}</th><th scope="col">${a.status}</th><th scope="col">${a.actions}</th></tr></thead>`,
    html`<tbody>${agents.map((agent) => agentRowHtml(t, a, csrf, agent, agent.id === me, openOf.get(agent.id)))}</tbody>`,
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
  ${sites.map((s) =>
    siteFormHtml(
      a,
      csrf,
      {
        key: s.key,
        label: s.key,
        value: JSON.stringify(s.settings, null, 2),
        file: deps.siteFileOf?.(s.key),
        draft: draft?.form === s.key ? draft : undefined,
      },
      t,
    ),
  )}
  ${siteFormHtml(
    a,
    csrf,
    {
      key: 'new',
      label: t.newSite,
      value: JSON.stringify(
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
      ),
      // Settings posted for a site that no longer exists come back here.
      draft: draft !== undefined && !sites.some((s) => s.key === draft.form) ? draft : undefined,
    },
    t,
  )}
</section>`;
  return sendPage(c, { t, locale, title: t.admin, body, agent: c.get('agent'), csrf }, status);
}

/**
 * Refuses an admin's form post: a browser gets the administration again with the reason in the
 * agent's language, other clients the JSON error naming the field.
 */
function refuse(
  c: AppContext,
  deps: AppDeps,
  status: 400 | 409,
  error: { code: string; message: string; field: string },
  reason: string,
): Response | Promise<Response> {
  if ((c.req.header('accept') ?? '').includes('text/html')) {
    return adminPage(c, deps, html`<p class="card error" role="alert">${reason}</p>`, status);
  }
  return apiError(c, status, error.code, error.message, error.field);
}

/** Refuses a role that is not one of the four (a crafted form), naming the field. */
function refuseRole(
  c: AppContext,
  deps: AppDeps,
  value: string | null,
): Response | Promise<Response> {
  const locale = pickLocale(c);
  const t = messagesFor(locale);
  const reason = fill(adminMessagesFor(locale).roleInvalid, {
    value: (value ?? '').slice(0, 40),
    roles: AGENT_ROLES.map((r) => roleName(t, r)).join(', '),
  });
  const message = `role: must be one of ${AGENT_ROLES.join(', ')}`;
  return refuse(c, deps, 400, { code: 'invalid_request', message, field: 'role' }, reason);
}

/**
 * Refuses posted site settings: a browser gets the administration again with the admin's text in
 * its field and each problem beside it in their language; other clients the JSON error naming the
 * first wrong field (`settings.<path>`) and every problem in English.
 */
function refuseSiteSettings(
  c: AppContext,
  deps: AppDeps,
  status: 400 | 409,
  code: string,
  draft: SiteDraft,
): Response | Promise<Response> {
  if ((c.req.header('accept') ?? '').includes('text/html')) {
    const locale = pickLocale(c);
    const a = adminMessagesFor(locale);
    const t = messagesFor(locale);
    const form = draft.form === 'new' ? t.newSite : draft.form;
    const notice = html`<p class="card error" role="alert">${fill(a.settingsNotSaved, { form: `${t.settings}: ${form}` })}</p>`;
    return adminPage(c, deps, notice, status, draft);
  }
  const en = adminMessagesFor('en');
  const message = draft.issues
    .map((i) => `settings${i.path === '' ? '' : `.${i.path}`}: ${describeSiteIssue(en, i)}`)
    .join('; ');
  const first = draft.issues[0]?.path ?? '';
  return apiError(
    c,
    status,
    code,
    message.slice(0, 1000),
    first === '' ? 'settings' : `settings.${first}`,
  );
}

/**
 * `/admin/`: admins invite agents, change their roles, deactivate and reactivate them, and change
 * site settings (keys, origins, knowledge base, business hours, time zone, notifications); agents
 * get 403.
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
    const role = form.get('role');
    if (!isAgentAddress(email) || email.length > 320) {
      return apiError(c, 400, 'invalid_request', 'email: must be an e-mail address', 'email');
    }
    if (!isAgentRole(role)) return refuseRole(c, deps, role);
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

  /** A role change, deactivation or reactivation of the agent `:id`, from the agents table. */
  const changeAgent =
    (action: 'role' | 'deactivate' | 'reactivate') =>
    async (c: AppContext): Promise<Response> => {
      const form = await readAgentForm(c, deps);
      if (form instanceof Response) return form;
      const locale = pickLocale(c);
      const t = messagesFor(locale);
      const a = adminMessagesFor(locale);
      let change: AgentChange;
      if (action === 'role') {
        const role = form.get('role');
        if (!isAgentRole(role)) return refuseRole(c, deps, role);
        change = { role };
      } else {
        change = { deactivatedAt: action === 'deactivate' ? deps.now() : null };
      }
      const id = c.req.param('id') ?? '';
      // An admin who locks themself out needs another admin, or the server's command line.
      const demotes = 'role' in change ? change.role !== 'admin' : change.deactivatedAt !== null;
      if (id === c.get('agent')?.id && demotes) {
        return refuse(
          c,
          deps,
          409,
          {
            code: 'own_account',
            message: 'An admin cannot deactivate or demote their own account.',
            field: 'id',
          },
          a.ownAccount,
        );
      }
      const result = await deps.store.changeAgent(id, change, deps.now());
      if (!result.ok && result.code === 'not_found') {
        return apiError(c, 404, 'not_found', 'There is no agent with this id.', 'id');
      }
      if (!result.ok) {
        const target = await deps.store.getAgentById(id);
        return refuse(
          c,
          deps,
          409,
          {
            code: 'last_admin',
            message: 'The last active admin cannot be deactivated or demoted.',
            field: 'id',
          },
          fill(a.lastAdmin, { email: target?.email ?? id }),
        );
      }
      // Their open event streams end now, not at the next heartbeat.
      for (const idHash of result.endedSessions) deps.live?.endSession(idHash);
      const { email } = result.agent;
      const done =
        action === 'role'
          ? fill(a.roleChanged, { email, role: roleName(t, result.agent.role) })
          : fill(action === 'deactivate' ? a.deactivated : a.reactivated, { email });
      return adminPage(c, deps, html`<p class="card" role="status">${done}</p>`);
    };
  app.post('/admin/agents/:id/role', changeAgent('role'));
  app.post('/admin/agents/:id/deactivate', changeAgent('deactivate'));
  app.post('/admin/agents/:id/reactivate', changeAgent('reactivate'));

  app.post('/admin/sites/:key', async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    // `new` creates a site under the key its settings name, never over an existing one.
    const formKey = c.req.param('key') ?? '';
    const text = form.get('settings') ?? '';
    const read = readSiteSettings(text);
    const refuseSettings = (status: 400 | 409, code: string, issues: SiteIssue[]) =>
      refuseSiteSettings(c, deps, status, code, { form: formKey, text, issues });
    if (!read.ok) return refuseSettings(400, 'invalid_request', read.issues);
    const { settings } = read;
    const key = settings.key;
    if (formKey === 'new' && key === 'new') {
      // `/admin/sites/new` is this form's address: a site "new" could never be saved again.
      return refuseSettings(400, 'invalid_request', [{ path: 'key', code: 'key_reserved' }]);
    }
    if (formKey !== 'new' && key !== formKey) {
      return refuseSettings(400, 'invalid_request', [
        { path: 'key', code: 'key_fixed', key: formKey },
      ]);
    }
    const before = formKey === 'new' ? undefined : await deps.sites.get(key);
    if (formKey !== 'new') {
      await deps.store.upsertSite(key, settings, deps.now());
    } else if (!(await deps.store.insertSite(key, settings, deps.now()))) {
      // Checked and written in one statement: of two admins creating one key at once, one saves.
      return refuseSettings(409, 'site_exists', [{ path: 'key', code: 'key_taken', key }]);
    }
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
