import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { hashPassword } from '../agents/password.js';
import { type BuildWorker, createBuildWorker } from '../kb/create-build-worker.js';
import type { ModelBuilder } from '../kb/knowledge-base.js';
import { escapeHtml } from '../pages/html.js';
import { handoffRequest } from '../test-support/fixtures.js';
import { blns, expectInertPage, h5sc } from '../test-support/hostile.js';
import { type AgentSession, logIn } from '../test-support/login.js';
import { send, startTestServer, type TestServer } from '../test-support/server.js';
import { smallKbEntry, writeSmallKb } from '../test-support/small-kb.js';
import { describeStores } from '../test-support/stores.js';

/** A model with the one part these pages read without a classifier: the shipping playbook. */
const topicBuilder: ModelBuilder = async () => {
  const json = JSON.stringify({
    site: {
      topics: {
        shipping: {
          name: { de: 'Versand', en: 'Shipping' },
          queue: 'logistics',
          level: 2,
          playbook: {
            de: ['Sendungsverlauf prüfen', 'Nachforschungsauftrag stellen', 'Kundin informieren'],
            en: ['Check the tracking history', 'File a trace request', 'Tell the customer'],
          },
        },
      },
    },
  });
  return { json, hash: 'h', checks: { total: 0, failed: [] } };
};

/** The reply box's text as the browser reads it (the page escapes it). */
const replyBox = (page: string) =>
  /<textarea id="reply"[^>]*>([^<]*)<\/textarea>/.exec(page)?.[1] ?? null;

describeStores('conversation tools', (target) => {
  let t: TestServer;
  let admin: AgentSession;
  let ina: AgentSession;
  let clock = Date.parse('2025-11-24T09:00:00Z');

  beforeEach(async () => {
    clock = Date.parse('2025-11-24T09:00:00Z');
    t = await startTestServer(target, { now: () => clock, buildModel: topicBuilder });
    await t.server.store.insertAgent({
      id: 'ina-id',
      email: 'ina@example.com',
      passwordHash: await hashPassword('ein langes Passwort'),
      role: 'agent',
      createdAt: clock,
    });
    admin = await logIn(t.url, 'admin@example.com', 'test-password');
    ina = await logIn(t.url, 'ina@example.com', 'ein langes Passwort');
  });
  afterEach(async () => {
    await t.close();
  });

  const newConversation = async (overrides: Record<string, unknown> = {}) => {
    const created = await t.post('/v1/handoffs', handoffRequest(overrides));
    expect(created.status).toBe(201);
    const h = (await t.server.store.listHandoffs()).find(
      (x) => x.ticketId === created.json.ticketId,
    )!;
    return { id: h.id, token: created.json.conversationToken as string };
  };

  it('records each ticked step with agent and time, shows who ticked what, and unticks', async () => {
    const { id } = await newConversation();
    const empty = await ina.get(`/inbox/c/${id}?lang=de`);
    expect(empty.text).toContain('0 von 3 Schritten erledigt');
    expect(empty.text).toContain(
      '<label class="check"><input type="checkbox" name="step" value="1"> Nachforschungsauftrag stellen</label>',
    );
    clock += 60_000;
    const beyond = await ina.post(`/inbox/c/${id}/playbook`, { step: '3' });
    expect(beyond.json.error.message).toBe(
      "step: a step number from 0 to 2 of the topic's playbook",
    );
    const classification = {
      level: 2,
      topic: 'payment',
      signals: [],
      confidence: 0.8,
      reasons: [],
    };
    const other = await newConversation({ classification });
    const none = await ina.post(`/inbox/c/${other.id}/playbook`, { step: '0' });
    expect(none.json.error.message).toBe(
      "step: this conversation's topic has no playbook, so there is no step to tick",
    );
    const saved = await ina.post(`/inbox/c/${id}/playbook`, { step: '0' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/inbox/c/${id}#playbook-h`);
    clock += 60_000;
    // Admin ticks step 2 as well; step 0 stays Ina's, with her time.
    await admin.post(`/inbox/c/${id}/playbook?x=1`, {});
    expect(await t.server.store.listTicks(id)).toEqual([]);
    await ina.post(`/inbox/c/${id}/playbook`, { step: '0' });
    const form = new URLSearchParams({ _csrf: admin.csrf });
    form.append('step', '0');
    form.append('step', '2');
    const both = await fetch(`${t.url}/inbox/c/${id}/playbook`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    expect(both.status).toBe(303);
    expect(await t.server.store.listTicks(id)).toEqual([
      {
        handoffId: id,
        step: 0,
        // In the language the agent works in (the posts ask for none: English).
        stepText: 'Check the tracking history',
        agentId: 'ina-id',
        ts: Date.parse('2025-11-24T09:02:00Z'),
      },
      {
        handoffId: id,
        step: 2,
        stepText: 'Tell the customer',
        agentId: (await t.server.store.getAgentByEmail('admin@example.com'))!.id,
        ts: Date.parse('2025-11-24T09:02:00Z'),
      },
    ]);
    const de = await ina.get(`/inbox/c/${id}?lang=de`);
    expect(de.text).toContain('2 von 3 Schritten erledigt');
    expect(de.text).toContain('value="0" checked> Sendungsverlauf prüfen');
    expect(de.text).toContain('erledigt von ina@example.com, 24.11.25, 10:02');
    expect(de.text).toContain('erledigt von admin@example.com, 24.11.25, 10:02');
    const en = await ina.get(`/inbox/c/${id}?lang=en`);
    expect(en.text).toContain('2 of 3 steps done');
    expect(en.text).toContain('done by ina@example.com');
    for (const step of ['3', '-1', 'x', '1e0']) {
      const bad = await ina.post(`/inbox/c/${id}/playbook`, { step });
      expect(bad.status, step).toBe(400);
      expect(bad.json.error.field).toBe('step');
    }
    await ina.post(`/inbox/c/${id}/playbook`, {});
    expect(await t.server.store.listTicks(id)).toEqual([]);
    expect((await ina.post('/inbox/c/missing/playbook', { step: '0' })).status).toBe(404);
  });

  it('hands over to a colleague with a note the visitor never sees; the colleague finds it under mentions', async () => {
    const { id, token } = await newConversation();
    const page = await admin.get(`/inbox/c/${id}?lang=en`);
    expect(page.text).toContain('<option value="ina-id">ina@example.com</option>');
    const handed = await admin.post(`/inbox/c/${id}/handover`, {
      agent: 'ina-id',
      note: 'Bitte Nachforschung bei DHL anstoßen.',
    });
    expect(handed.status).toBe(303);
    expect(handed.headers.location).toBe(`/inbox/c/${id}?handover=ina-id#handover-h`);
    expect((await t.server.store.getHandoff(id))!.assignee).toBe('ina-id');
    const [note] = await t.server.store.listNotes(id);
    expect(note!.text).toBe('@ina@example.com Bitte Nachforschung bei DHL anstoßen.');
    // A note that names the colleague already is not given a second mention.
    await admin.post(`/inbox/c/${id}/handover`, {
      agent: 'ina-id',
      note: 'Für @INA@example.com: noch einmal prüfen.',
    });
    expect((await t.server.store.listNotes(id)).map((n) => n.text)).toContain(
      'Für @INA@example.com: noch einmal prüfen.',
    );
    const after = await admin.get(`/inbox/c/${id}?handover=ina-id&lang=de`);
    expect(after.text).toContain(
      '<p role="status">Das Gespräch ist an ina@example.com übergeben.</p>',
    );

    // A mention in an ordinary note marks it for the colleague too.
    await ina.post(`/inbox/c/${id}/note`, { text: 'Erledigt, @admin@example.com bitte prüfen.' });
    const mentions = await ina.get('/inbox/mentions?lang=de');
    expect(mentions.status).toBe(200);
    expect(mentions.text).toContain('<h1>Meine Erwähnungen</h1>');
    expect(mentions.text).toContain('Bitte Nachforschung bei DHL anstoßen.');
    expect(mentions.text).toContain('von admin@example.com');
    expect(mentions.text).not.toContain('bitte prüfen');
    expect((await admin.get('/inbox/mentions?lang=en')).text).toContain('bitte prüfen');
    expect((await ina.get(`/inbox/c/${id}?lang=de`)).text).toContain(
      'Notizen, die Sie erwähnen: 2',
    );

    // Nothing of it reaches the visitor.
    const visitor = await t.get(`/v1/conversations/${token}`);
    expect(visitor.status).toBe(200);
    expect(visitor.text).not.toContain('DHL');
    expect(visitor.text).not.toContain('ina@example.com');

    for (const [fields, field] of [
      [{ agent: 'nobody', note: 'x' }, 'agent'],
      [{ agent: 'ina-id', note: '  ' }, 'note'],
      [{ agent: 'ina-id', note: 'x'.repeat(10_000) }, 'note'],
    ] as const) {
      const bad = await admin.post(`/inbox/c/${id}/handover`, fields);
      expect(bad.status).toBe(400);
      expect(bad.json.error.field).toBe(field);
    }
    expect(await t.server.store.listNotes(id)).toHaveLength(3);
  });

  it('warns when a colleague opened the conversation in the last ten minutes, naming them and when', async () => {
    const { id } = await newConversation();
    const alone = await admin.get(`/inbox/c/${id}?lang=de`);
    expect(alone.text).not.toContain('class="collision"');
    clock += 2 * 60_000;
    await ina.get(`/inbox/c/${id}`);
    clock += 60_000;
    const de = await admin.get(`/inbox/c/${id}?lang=de`);
    expect(de.text).toContain(
      '<p class="collision" role="status">Achtung: ina@example.com (geöffnet 24.11.25, 10:02) hat dieses Gespräch ebenfalls geöffnet.',
    );
    const en = await ina.get(`/inbox/c/${id}?lang=en`);
    expect(en.text).toContain('Careful: admin@example.com (opened 24/11/2025, 10:03) has this');
    clock += 11 * 60_000;
    expect((await admin.get(`/inbox/c/${id}`)).text).not.toContain('class="collision"');
  });

  it('lets admins and editors manage snippets and agents use them, in their language', async () => {
    const { id } = await newConversation({ locale: 'de' });
    const created = await admin.post('/inbox/snippets?site=demo', {
      title: 'Nachforschung',
      text: 'Wir haben eine Nachforschung beim Versanddienst beauftragt.',
      locale: 'de',
    });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe('/inbox/snippets?site=demo&done=saved');
    await admin.post('/inbox/snippets?site=demo', {
      title: 'Thanks',
      text: 'Thank you!',
      locale: 'en',
    });
    await admin.post('/inbox/snippets?site=demo', {
      title: 'Gruß',
      text: 'Viele Grüße',
      locale: '',
    });
    const [snippet] = await t.server.store.listSnippets('demo');
    expect(snippet).toMatchObject({ title: 'Gruß', locale: null, updatedBy: 'admin@example.com' });

    // Agents read the list and use snippets, but may not change them.
    const list = await ina.get('/inbox/snippets?site=demo&lang=de');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Wir haben eine Nachforschung beim Versanddienst beauftragt.');
    expect(list.text).toContain(
      'Textbausteine anlegen und ändern dürfen Administratoren und Redakteure.',
    );
    expect(list.text).not.toContain('name="title"');
    for (const [path, fields] of [
      ['/inbox/snippets?site=demo', { title: 'x', text: 'y' }],
      [`/inbox/snippets/${snippet!.id}`, { title: 'x', text: 'y' }],
      [`/inbox/snippets/${snippet!.id}/delete`, {}],
    ] as const) {
      const refused = await ina.post(path, fields);
      expect(refused.status, path).toBe(403);
      expect(refused.json.error.code).toBe('forbidden');
    }
    expect((await ina.get(`/inbox/snippets/${snippet!.id}`)).status).toBe(403);

    // The German conversation offers the German and the all-language snippets, not the English one.
    const page = await ina.get(`/inbox/c/${id}?lang=de`);
    expect(page.text).toContain('<h3>Textbausteine des Teams</h3>');
    expect(page.text).toContain('Viele Grüße');
    expect(page.text).toContain('Wir haben eine Nachforschung');
    expect(page.text).not.toContain('Thank you!');
    expect(replyBox(page.text)).toBe('');
    const nachforschung = (await t.server.store.listSnippets('demo')).find(
      (s) => s.title === 'Nachforschung',
    )!;
    expect(page.text).toContain(
      `<input type="hidden" name="canned" value="snippet:${nachforschung.id}">`,
    );
    const used = await ina.get(`/inbox/c/${id}?canned=snippet:${nachforschung.id}&lang=de`);
    expect(replyBox(used.text)).toBe('Wir haben eine Nachforschung beim Versanddienst beauftragt.');
    expect(used.text).toContain('Der Text steht im Antwortfeld.');
    // Filling the box sends nothing.
    expect(await t.server.store.listMessages(id)).toEqual([]);

    // Edit and delete.
    const edit = await admin.get(`/inbox/snippets/${nachforschung.id}?lang=en`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('value="Nachforschung"');
    expect(
      (
        await admin.post(`/inbox/snippets/${nachforschung.id}`, {
          title: 'N',
          text: 'Neu',
          locale: 'de',
        })
      ).status,
    ).toBe(303);
    expect((await t.server.store.getSnippet(nachforschung.id))?.text).toBe('Neu');
    const bad = await admin.post(`/inbox/snippets/${nachforschung.id}`, {
      title: 'N',
      text: 'Neu',
      locale: 'fr',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('locale');
    expect((await admin.post(`/inbox/snippets/${nachforschung.id}/delete`, {})).status).toBe(303);
    expect(await t.server.store.getSnippet(nachforschung.id)).toBeUndefined();
    expect((await admin.get(`/inbox/snippets/${nachforschung.id}`)).status).toBe(404);
  });

  /** The fields of the page's form that posts to `action`, as the browser would send them. */
  const formFields = (page: string, action: string): Record<string, string> => {
    const found = [
      ...page.matchAll(/<form method="post" action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g),
    ].find((f) => f[1] === action);
    if (found === undefined) throw new Error(`no form posting to ${action}`);
    const fields: Record<string, string> = {};
    for (const m of found[2]!.matchAll(/<input[^>]* name="([^"]*)"[^>]* value="([^"]*)"/g)) {
      fields[m[1]!] = m[2]!;
    }
    const area = /<textarea[^>]* name="([^"]*)"[^>]*>([^<]*)<\/textarea>/.exec(found[2]!);
    if (area !== null) fields[area[1]!] = area[2]!;
    const selected = /<select[^>]* name="([^"]*)"[\s\S]*?<option value="([^"]*)" selected>/.exec(
      found[2]!,
    );
    if (selected !== null) fields[selected[1]!] = selected[2]!;
    return fields;
  };

  it('refuses to save a snippet over a colleague’s newer save and shows both texts', async () => {
    await t.server.store.insertAgent({
      id: 'eda-id',
      email: 'eda@example.com',
      passwordHash: await hashPassword('ein langes Passwort'),
      role: 'editor',
      createdAt: clock,
    });
    const eda = await logIn(t.url, 'eda@example.com', 'ein langes Passwort');
    await admin.post('/inbox/snippets?site=demo', {
      title: 'Versand',
      text: 'Wir prüfen den Versand.',
      locale: 'de',
    });
    const [snippet] = await t.server.store.listSnippets('demo');
    const path = `/inbox/snippets/${snippet!.id}`;
    // Both open the snippet; the admin saves first (in the same millisecond as the snippet's
    // own save: the clock stands still here).
    const adminForm = formFields((await admin.get(path)).text, path);
    const edaForm = formFields((await eda.get(`${path}?lang=de`)).text, path);
    expect(edaForm).toMatchObject({
      title: 'Versand',
      text: 'Wir prüfen den Versand.',
      locale: 'de',
    });
    expect(edaForm.version).toMatch(/^[\w-]{22}$/);
    const first = await admin.post(path, { ...adminForm, text: 'Der Text der Administratorin.' });
    expect(first.status).toBe(303);

    // Eda's save from the page she opened before: refused, the admin's text stays.
    const typed = { ...edaForm, title: 'Versand (Eda)', text: 'Edas Text.\r\nZweite Zeile.' };
    const refused = await eda.post(path, typed);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'conflict', field: 'version' });
    const browser = await send(`${t.url}${path}?lang=de`, {
      method: 'POST',
      headers: {
        cookie: eda.cookie,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: eda.csrf, ...typed }).toString(),
    });
    expect(browser.status).toBe(409);
    expect(await t.server.store.getSnippet(snippet!.id)).toMatchObject({
      title: 'Versand',
      text: 'Der Text der Administratorin.',
      updatedBy: 'admin@example.com',
    });
    // The page keeps what Eda typed in the form and shows the saved version beside it.
    expect(browser.text).toContain(
      'Nicht gespeichert: admin@example.com hat diesen Textbaustein inzwischen geändert',
    );
    expect(browser.text).toContain('<h2 id="edit-h">Ihre Fassung</h2>');
    expect(browser.text).toContain('Gespeicherte Fassung (admin@example.com,');
    expect(browser.text).toContain('<dd class="msg">Der Text der Administratorin.</dd>');
    const again = formFields(browser.text, path);
    expect(again).toMatchObject({ title: 'Versand (Eda)', text: 'Edas Text.\nZweite Zeile.' });
    expect(again.version).not.toBe(edaForm.version);
    const english = await send(`${t.url}${path}?lang=en`, {
      method: 'POST',
      headers: {
        cookie: eda.cookie,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: eda.csrf, ...typed }).toString(),
    });
    expect(english.text).toContain(
      'Not saved: admin@example.com has changed this snippet in the meantime',
    );
    expect(english.text).toContain('Saved version (admin@example.com,');

    // Saving the form again, knowing the saved version, replaces it.
    const saved = await eda.post(path, again);
    expect(saved.status).toBe(303);
    expect(await t.server.store.getSnippet(snippet!.id)).toMatchObject({
      title: 'Versand (Eda)',
      text: 'Edas Text.\nZweite Zeile.',
      updatedBy: 'eda@example.com',
    });
    // And the admin's form of before is now the stale one.
    expect((await admin.post(path, adminForm)).status).toBe(409);
  });

  it('takes a snippet and a hand-over note with the line breaks a browser sends', async () => {
    const { id } = await newConversation();
    // 50 lines of 199 characters: 9 999 characters in the box, 10 048 as the form sends them.
    const lines = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(199, 'x'));
    const created = await admin.post('/inbox/snippets?site=demo', {
      title: 'Lang',
      text: lines.join('\r\n'),
    });
    expect(created.status).toBe(303);
    const [snippet] = await t.server.store.listSnippets('demo');
    expect(snippet?.text).toBe(lines.join('\n'));
    const path = `/inbox/snippets/${snippet!.id}`;
    const edited = await admin.post(path, {
      ...formFields((await admin.get(path)).text, path),
      text: `Zeile 1\r\nZeile 2\rZeile 3`,
    });
    expect(edited.status).toBe(303);
    expect((await t.server.store.getSnippet(snippet!.id))?.text).toBe('Zeile 1\nZeile 2\nZeile 3');
    const handed = await admin.post(`/inbox/c/${id}/handover`, {
      agent: 'ina-id',
      note: `Bitte prüfen:\r\n${'y'.repeat(9_600)}`,
    });
    expect(handed.status).toBe(303);
    const [note] = await t.server.store.listNotes(id);
    expect(note?.text).toBe(`@ina@example.com Bitte prüfen:\n${'y'.repeat(9_600)}`);
  });

  it('shows hostile snippets as text in the page and in the reply box', async () => {
    const { id } = await newConversation();
    const vectors = [...h5sc, ...blns.filter((_, i) => i % 8 === 0)].filter(
      (s) => s.trim() !== '' && s.length <= 10_000,
    );
    for (const text of vectors) {
      const r = await admin.post('/inbox/snippets?site=demo', {
        title: text.slice(0, 120),
        text,
        locale: '',
      });
      expect(r.status, text).toBe(303);
    }
    const snippets = await t.server.store.listSnippets('demo');
    expect(snippets).toHaveLength(vectors.length);
    expectInertPage((await ina.get('/inbox/snippets?site=demo')).text, 'snippets page');
    expectInertPage((await ina.get(`/inbox/c/${id}`)).text, 'conversation page');
    for (const s of snippets.filter((_, i) => i % 10 === 0)) {
      const page = await ina.get(`/inbox/c/${id}?canned=snippet:${encodeURIComponent(s.id)}`);
      expectInertPage(page.text, s.text);
      expect(replyBox(page.text), s.text).toBe(escapeHtml(s.text));
    }
  }, 300_000);
});

describeStores('canned replies from the knowledge base', (target) => {
  let t: TestServer;
  let builder: BuildWorker;
  let dir: string;
  let admin: AgentSession;

  beforeAll(async () => {
    builder = createBuildWorker();
    t = await startTestServer(target, { buildModel: builder.build, watchKnowledgeBases: false });
    dir = mkdtempSync(path.join(tmpdir(), 'lotse-kb-'));
    writeSmallKb(dir);
    writeFileSync(
      path.join(dir, 'entries', 'returns-label.en.md'),
      smallKbEntry(
        'returns-label',
        'Print it under **My account → Orders**:\n\n1. Open the order.\n2. Choose [Return](https://shop.test/returns).',
      ),
    );
    expect(await t.server.knowledgeBase.importFolder('other', dir)).toBe(true);
    await t.server.models.refresh();
    expect(t.server.models.get('other')).toBeDefined();
    admin = await logIn(t.url, 'admin@example.com', 'test-password');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await builder?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers the matched entry first, as plain text, fills the box with it, and sends only on Send', async () => {
    const created = await t.post(
      '/v1/handoffs',
      handoffRequest({
        siteKey: 'other',
        locale: 'en',
        message: 'How do I get a return label?',
        transcript: [],
        classification: { level: 2, topic: 'shipping', signals: [], confidence: 0.4, reasons: [] },
      }),
    );
    expect(created.status).toBe(201);
    const id = (await t.server.store.listHandoffs())[0]!.id;
    const page = await admin.get(`/inbox/c/${id}?lang=en`);
    expect(page.status).toBe(200);
    const section = page.text.slice(page.text.indexOf('<h3>From the knowledge base</h3>'));
    // The matched entry first, then the other entries of the conversation's topic (shipping).
    expect(section.indexOf('Print a return label')).toBeGreaterThan(0);
    expect(section.indexOf('Print a return label')).toBeLessThan(section.indexOf('Delivery time'));
    expect(section).toContain('<strong>Print a return label</strong> · matching entry');
    expect(section).not.toContain('Cancel an order');
    const plain =
      'Print it under My account → Orders:\n\n1. Open the order.\n2. Choose Return (https://shop.test/returns).';
    expect(section).toContain(escapeHtml(plain));
    const used = await admin.get(`/inbox/c/${id}?canned=kb:returns-label`);
    expect(replyBox(used.text)).toBe(escapeHtml(plain));
    expect(await t.server.store.listMessages(id)).toEqual([]);
    // The agent edits the text and sends it.
    const edited = `Hello! ${plain}`;
    expect((await admin.post(`/inbox/c/${id}/reply`, { text: edited })).status).toBe(303);
    const visitor = await t.get(`/v1/conversations/${created.json.conversationToken}`);
    expect(visitor.json.messages.map((m: { text: string }) => m.text)).toEqual([
      'How do I get a return label?',
      edited,
    ]);
  });
});
