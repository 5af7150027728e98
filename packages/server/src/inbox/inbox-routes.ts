import { randomUUID } from 'node:crypto';
import { uuidSchema } from '@lotse/sdk/schema';
import type { Hono } from 'hono';
import { takerOf } from '../agents/agent-roles.js';
import { readAgentForm, requireAgent } from '../auth/sessions.js';
import { registerConversationTools } from '../conversation-tools/register-conversation-tools.js';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { registerAddToKbRoute } from '../kb/add-from-conversation.js';
import { conversationPage } from './conversation-page.js';
import { MAX_NOTE_LENGTH, MAX_REPLY_LENGTH, parseTags, textareaText } from './inbox-format.js';
import type { InboxHandoff } from './inbox-queries.js';
import { listPage } from './list-page.js';
import { recordServerEvent, reopenConversation } from './record-event.js';
import { registerSavedViewRoutes } from './saved-views.js';

/** Reads the form and the conversation of a post, with its CSRF check. */
async function postTarget(
  c: AppContext,
  deps: AppDeps,
): Promise<
  { ok: true; form: URLSearchParams; h: InboxHandoff } | { ok: false; response: Response }
> {
  const form = await readAgentForm(c, deps);
  if (form instanceof Response) return { ok: false, response: form };
  const h = await deps.store.getHandoff(c.req.param('id') ?? '');
  if (h === undefined) {
    return { ok: false, response: apiError(c, 404, 'not_found', 'No such conversation.', 'id') };
  }
  return { ok: true, form, h };
}

/**
 * The inbox at `/inbox/`: conversations by queue, level, topic, tag and response-time state; one
 * conversation with its transcript, internal notes, tags, triage reasons and playbook; reply, note,
 * tag, close, reopen, assign.
 */
export function registerInboxRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.use('/inbox/*', requireAgent(deps));
  app.get('/inbox', (c) => c.redirect('/inbox/', 301));
  app.get('/inbox/', (c) => listPage(c, deps));
  app.get('/inbox/c/:id', (c) => conversationPage(c, deps));
  registerAddToKbRoute(app, deps);
  registerSavedViewRoutes(app, deps);
  registerConversationTools(app, deps);

  app.post('/inbox/c/:id/reply', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h, form } = target;
    const text = textareaText(form.get('text'));
    if (text === '' || text.length > MAX_REPLY_LENGTH) {
      return apiError(
        c,
        400,
        'invalid_request',
        `text: 1 to ${MAX_REPLY_LENGTH} characters`,
        'text',
      );
    }
    const now = deps.now();
    // The form's own id (a new one each time the page is shown): a double click sends it twice.
    const formId = form.get('id') ?? '';
    const { inserted, message } = await deps.store.insertMessage({
      id: uuidSchema.safeParse(formId).success ? formId : randomUUID(),
      handoffId: h.id,
      from: 'agent',
      text,
      ts: now,
    });
    if (!inserted) {
      if (message.handoffId !== h.id || message.text !== text) {
        return apiError(
          c,
          409,
          'conflict',
          'A different reply was already sent with this id.',
          'id',
        );
      }
      return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
    }
    const first = h.firstReplyAt === null;
    if (first) await deps.store.updateHandoff(h.id, { firstReplyAt: now });
    await recordServerEvent(
      deps,
      h,
      'agent.replied',
      {
        ticketId: h.ticketId,
        // A conversation that came in by mail (its first mail has the handoff's id) is answered by
        // mail (mail/); a widget visitor's replies are mails too, yet the channel is the widget.
        channel: (await deps.store.listMailsOfHandoff(h.id)).some((m) => m.id === h.id)
          ? 'email'
          : 'widget',
        ...(first ? { first: true } : {}),
      },
      now,
    );
    await deps.notifier?.agentReplied(h, text);
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });

  // A note is stored for the team only: no message, no event, no notification, so nothing of it
  // reaches the visitor's routes, mails or webhooks.
  app.post('/inbox/c/:id/note', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h, form } = target;
    const text = textareaText(form.get('text'));
    if (text === '' || text.length > MAX_NOTE_LENGTH) {
      return apiError(
        c,
        400,
        'invalid_request',
        `text: 1 to ${MAX_NOTE_LENGTH} characters`,
        'text',
      );
    }
    await deps.store.insertNote({
      id: randomUUID(),
      handoffId: h.id,
      agentId: c.get('agent')!.id,
      text,
      ts: deps.now(),
    });
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });

  app.post('/inbox/c/:id/tags', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h, form } = target;
    // The site's suggested tags come as checkboxes (`tag`), the others typed into `tags`.
    const parsed = parseTags([...form.getAll('tag'), form.get('tags') ?? ''].join(','));
    if (!parsed.ok) return apiError(c, 400, 'invalid_request', parsed.message, 'tags');
    await deps.store.setTags(h.id, parsed.tags);
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });

  app.post('/inbox/c/:id/close', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h } = target;
    if (h.status !== 'closed') {
      const now = deps.now();
      await deps.store.updateHandoff(h.id, { status: 'closed', closedAt: now });
      await recordServerEvent(
        deps,
        h,
        'conversation.closed',
        {
          ticketId: h.ticketId,
          by: 'agent',
          level: h.level as 1 | 2 | 3,
          ...(h.topic === null ? {} : { topic: h.topic }),
        },
        now,
      );
    }
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });

  app.post('/inbox/c/:id/reopen', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    // Announced by the middleware of the conversation form posts (live/live-routes.ts).
    await reopenConversation({ store: deps.store, now: deps.now }, target.h, 'agent');
    return c.redirect(`/inbox/c/${encodeURIComponent(target.h.id)}`, 303);
  });

  app.post('/inbox/c/:id/assign', async (c) => {
    const target = await postTarget(c, deps);
    if (!target.ok) return target.response;
    const { h, form } = target;
    const to = form.get('agent') ?? '';
    const taker = to === '' ? undefined : takerOf(await deps.store.getAgentById(to));
    if (taker !== undefined && 'refused' in taker) {
      return apiError(c, 400, 'invalid_request', taker.refused, 'agent');
    }
    const assignee = to === '' ? null : to;
    // The assignee the page showed ('' = nobody). A colleague assigned since is not replaced
    // silently: the store changes the row only while its assignee is still the one shown, nobody
    // or already `assignee`, so two agents clicking "Assign to me" at once leave the first one.
    // `takeover=1` (the notice's form) replaces whoever it is; a post without `assigned` (a script,
    // a page from before) assigns as it always did.
    const shown = form.get('assigned');
    const guard =
      shown === null || form.get('takeover') === '1'
        ? undefined
        : { assignee: [null, assignee, shown === '' ? null : shown] };
    if (!(await deps.store.updateHandoff(h.id, { assignee }, guard))) {
      const now = await deps.store.getHandoff(h.id);
      if (now === undefined) return apiError(c, 404, 'not_found', 'No such conversation.', 'id');
      const refused = assignee === null ? 'unassign' : 'assign';
      if ((c.req.header('accept') ?? '').includes('text/html')) {
        // Back to the conversation (its own address, where its live updates and the kept reply
        // draft work), which names the assignee and offers to take over.
        return c.redirect(
          `/inbox/c/${encodeURIComponent(h.id)}?refused=${refused}#assign-notice`,
          303,
        );
      }
      const holder =
        now.assignee === null ? undefined : await deps.store.getAgentById(now.assignee);
      return apiError(
        c,
        409,
        'conflict',
        `assigned: the conversation is assigned to ${holder?.email ?? now.assignee} now, not to whom the page showed; post again with assigned=${now.assignee} or takeover=1 to take it over.`,
        'assigned',
      );
    }
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}`, 303);
  });
}
