// The topic's playbook as a checklist: a form of checkboxes; saving records each newly ticked step
// with its text, the agent and the time (`playbook_ticks`), and removes the unticked ones.
import type { Hono } from 'hono';
import { readAgentForm } from '../auth/sessions.js';
import type { AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { time } from '../inbox/inbox-format.js';
import { topicInfo } from '../inbox/site-topics.js';
import { fill } from '../kb/kb-messages.js';
import { html, type SafeHtml } from '../pages/html.js';
import { messagesFor, type PageLocale, pickLocale } from '../pages/i18n.js';
import { toolsMessagesFor } from './conversation-tools-messages.js';
import type { PlaybookTick } from './conversation-tools-queries.js';

/** The playbook section of the conversation page: the steps as checkboxes, who ticked what when. */
export function playbookSection(options: {
  steps: readonly string[];
  ticks: readonly PlaybookTick[];
  /** Agents' e-mails by id. */
  emails: ReadonlyMap<string, string>;
  base: string;
  csrf: string;
  locale: PageLocale;
  timeZone: string;
}): SafeHtml {
  const { steps, locale } = options;
  const t = messagesFor(locale);
  const tt = toolsMessagesFor(locale);
  const byStep = new Map(options.ticks.map((tick) => [tick.step, tick]));
  const done = steps.filter((_, i) => byStep.has(i)).length;
  return html`<section class="card" aria-labelledby="playbook-h">
  <h2 id="playbook-h">${t.playbook}</h2>
  ${
    steps.length === 0
      ? html`<p>${t.noPlaybook}</p>`
      : html`<form method="post" action="${options.base}/playbook">
    <input type="hidden" name="_csrf" value="${options.csrf}">
    <p id="playbook-hint">${tt.playbookHint}</p>
    <ul class="checklist" aria-describedby="playbook-hint">${steps.map((step, i) => {
      const tick = byStep.get(i);
      return html`<li><label class="check"><input type="checkbox" name="step" value="${i}"${tick === undefined ? null : html` checked`}> ${step}</label>${
        tick === undefined
          ? null
          : html`<p class="tick-by">${fill(tt.tickedBy, {
              agent: options.emails.get(tick.agentId) ?? tick.agentId,
              time: time(tick.ts, locale, options.timeZone),
            })}</p>`
      }</li>`;
    })}</ul>
    <p>${fill(tt.followed, { ticked: done, total: steps.length })}</p>
    <p><button type="submit" class="secondary">${tt.saveChecklist}</button></p>
  </form>`
  }
</section>`;
}

/** `POST /inbox/c/:id/playbook`: the ticked steps (`step`, repeated) of the topic's playbook. */
export function registerPlaybookRoute(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/inbox/c/:id/playbook', async (c) => {
    const form = await readAgentForm(c, deps);
    if (form instanceof Response) return form;
    const h = await deps.store.getHandoff(c.req.param('id'));
    if (h === undefined) return apiError(c, 404, 'not_found', 'No such conversation.', 'id');
    const steps = topicInfo(deps.models, h.siteKey, h.topic, pickLocale(c)).playbook;
    const ticked: { step: number; stepText: string }[] = [];
    for (const value of new Set(form.getAll('step'))) {
      const step = Number(value);
      const text = /^\d{1,3}$/.test(value) ? steps[step] : undefined;
      if (text === undefined) {
        return apiError(
          c,
          400,
          'invalid_request',
          steps.length === 0
            ? "step: this conversation's topic has no playbook, so there is no step to tick"
            : `step: a step number from 0 to ${steps.length - 1} of the topic's playbook`,
          'step',
        );
      }
      ticked.push({ step, stepText: text });
    }
    await deps.store.setTicks(h.id, ticked, c.get('agent')!.id, deps.now());
    return c.redirect(`/inbox/c/${encodeURIComponent(h.id)}#playbook-h`, 303);
  });
}
