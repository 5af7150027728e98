// Saving the inbox list's current filter as a named view and deleting it (`/inbox/views`): each
// agent's own, so another agent's view is "not found" to them, for reading and deleting alike.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { readAgentForm } from '../auth/sessions.js';
import type { AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { canonicalQuery } from './inbox-filter.js';

/** Characters of a view's name (it is a link in the views nav) and views per agent. */
export const MAX_VIEW_NAME_LENGTH = 60;
export const MAX_SAVED_VIEWS = 20;

/** `POST /inbox/views` (name, query) and `POST /inbox/views/:id/delete`. */
export function registerSavedViewRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/inbox/views', async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const agent = c.get('agent')!;
    const name = (form.get('name') ?? '').trim().normalize('NFC');
    if (name === '' || [...name].length > MAX_VIEW_NAME_LENGTH) {
      return apiError(
        c,
        400,
        'invalid_request',
        `name: 1 to ${MAX_VIEW_NAME_LENGTH} characters`,
        'name',
      );
    }
    if ((await deps.store.listSavedViews(agent.id)).length >= MAX_SAVED_VIEWS) {
      return apiError(
        c,
        409,
        'too_many_views',
        `name: at most ${MAX_SAVED_VIEWS} saved views; delete one first`,
        'name',
      );
    }
    // Stored as the list reads it, so a view is marked current when its filter is shown.
    const query = canonicalQuery(form.get('query') ?? '');
    await deps.store.insertSavedView({
      id: randomUUID(),
      agentId: agent.id,
      name,
      query,
      createdAt: deps.now(),
    });
    return c.redirect(query === '' ? '/inbox/' : `/inbox/?${query}`, 303);
  });

  app.post('/inbox/views/:id/delete', async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const deleted = await deps.store.deleteSavedView(c.req.param('id'), c.get('agent')!.id);
    if (!deleted) return apiError(c, 404, 'not_found', 'No such saved view.', 'id');
    return c.redirect('/inbox/', 303);
  });
}
