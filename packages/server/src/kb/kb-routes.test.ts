import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeEntryFile } from '@lotse/triage';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../agents/password.js';
import type { AgentRole } from '../store/store.js';
import { handoffRow } from '../test-support/fixtures.js';
import { expectInertPage, h5sc } from '../test-support/hostile.js';
import { type AgentSession, csrfOf, logIn } from '../test-support/login.js';
import {
  fakeBuilder,
  send,
  startTestServer,
  type TestResponse,
  type TestServer,
} from '../test-support/server.js';
import { smallKbConfig, writeSmallKb } from '../test-support/small-kb.js';
import { describeStores } from '../test-support/stores.js';
import { type BuildWorker, createBuildWorker } from './create-build-worker.js';
import type { ModelBuilder } from './knowledge-base.js';

const vectors = h5sc.filter((s) => s.trim() !== '');

const LABEL = 'entries/returns-label.en.md';

/**
 * A builder whose check `returns-label-1` fails once an answer says BREAKS, as a real build's check
 * would when the answer's entry stops matching.
 */
const breaking: ModelBuilder = async (source) => {
  const built = await fakeBuilder(source);
  const broken = source.files.some((f) => f.text.includes('BREAKS'));
  const failed = broken
    ? [
        {
          id: 'returns-label-1',
          locale: 'en',
          question: 'q',
          failures: ['entry: expected returns-label, got none'],
        },
      ]
    : [];
  return { ...built, checks: { ...built.checks, failed } };
};

/** The fields of the page's form that has a field named `name`, as a browser would send them. */
function formWith(page: string, name: string): URLSearchParams {
  const form = [...page.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)].find((m) =>
    m[1]?.includes(`name="${name}"`),
  );
  if (form === undefined) throw new Error(`no form with a field "${name}"`);
  const fields = new URLSearchParams();
  for (const input of (form[1] ?? '').matchAll(
    /<input type="hidden" name="([^"]*)" value="([^"]*)">/g,
  )) {
    const decode = (v: string) =>
      v
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    fields.append(decode(input[1] ?? ''), decode(input[2] ?? ''));
  }
  return fields;
}

/** Posts form fields (repeated names too) with the session's cookie. */
function postFields(
  url: string,
  session: AgentSession,
  path: string,
  fields: URLSearchParams,
): Promise<TestResponse> {
  return send(url + path, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
}

describeStores('knowledge-base editor', (target) => {
  let t: TestServer;
  let admin: AgentSession;

  async function sessionOf(role: AgentRole): Promise<AgentSession> {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
    await t.server.store.insertAgent({
      id: randomUUID(),
      email,
      passwordHash: await hashPassword('ein langes Passwort'),
      role,
      createdAt: Date.now(),
    });
    return logIn(t.url, email, 'ein langes Passwort');
  }

  beforeEach(async () => {
    t = await startTestServer(target, { watchKnowledgeBases: false });
    // A valid knowledge base (the editor validates with the build's schemas), as version 2.
    rmSync(t.kbDir, { recursive: true });
    writeSmallKb(t.kbDir);
    await t.server.knowledgeBase.importFolder('demo', t.kbDir);
    admin = await logIn(t.url, 'admin@example.com', 'test-password');
  });
  afterEach(async () => {
    await t.close();
  });

  /** Saves an entry file through the form, starting from the page's base (`lang`: the page's). */
  async function save(
    session: AgentSession,
    file: string,
    { lang, ...fields }: Record<string, string>,
    base?: string,
  ): Promise<TestResponse> {
    const page = await session.get(`/admin/kb/demo/entry?path=${encodeURIComponent(file)}`);
    const pageBase = /name="base" value="([^"]*)"/.exec(page.text)?.[1] ?? '';
    return session.post(`/admin/kb/demo/entry${lang === undefined ? '' : `?lang=${lang}`}`, {
      path: file,
      base: base ?? pageBase,
      ...fields,
    });
  }

  /** The return-label entry's fields with another answer. */
  const labelEntry = (answer: string) => ({
    id: 'returns-label',
    title: 'Print a return label',
    topic: 'returns',
    locale: 'en',
    examples: 'How do I get a return label?',
    answer,
  });

  it('lets editors and admins in and refuses other agents with 403', async () => {
    const editor = await sessionOf('editor');
    const agent = await sessionOf('agent');
    expect((await editor.get('/admin/kb/demo/')).status).toBe(200);
    expect((await admin.get('/admin/kb/demo/')).status).toBe(200);
    for (const path of ['/admin/kb/', '/admin/kb/demo/', '/admin/kb/demo/versions']) {
      const r = await agent.get(path);
      expect(r.status, path).toBe(403);
      expect(r.json.error.code).toBe('forbidden');
    }
    const post = await agent.post('/admin/kb/demo/publish', { message: 'x' });
    expect(post.status).toBe(403);
    // The admin pages stay admin-only for editors.
    expect((await editor.get('/admin/')).status).toBe(403);
  });

  it('creates an entry as a draft, names invalid fields, and publishes it as a version', async () => {
    const fields = {
      id: 'exchange',
      title: 'Exchange an item',
      topic: 'returns',
      locale: 'en',
      examples: 'Can I exchange my jacket?\nswap size',
      answer: 'Use **My account**.',
    };
    const bad = await admin.post('/admin/kb/demo/entry', {
      path: '',
      base: 'absent',
      ...fields,
      id: 'Not An Id',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('aria-invalid="true"');
    expect(bad.text).toContain('value="Exchange an item"');
    // A bad id and an empty title are named at once, in the page's language.
    const both = await admin.post('/admin/kb/demo/entry?lang=de', {
      path: '',
      base: 'absent',
      ...fields,
      id: 'Not An Id',
      title: '',
    });
    expect(both.status).toBe(400);
    expect(both.text).toContain('Die Kennung besteht aus Kleinbuchstaben a–z');
    expect(both.text).toContain('Der Titel fehlt');
    // Required fields left empty are named in the page's language.
    const empty = { path: '', base: 'absent', ...fields, title: '', examples: ' ', answer: '' };
    const german = await admin.post('/admin/kb/demo/entry?lang=de', empty);
    expect(german.status).toBe(400);
    for (const message of [
      'Der Titel fehlt: ein kurzer Satz, den Besucher in der Liste der Vorschläge sehen.',
      'Es fehlen Beispielfragen: mindestens eine, eine pro Zeile.',
      'Die Antwort fehlt: der Text, den Besucher als Antwort sehen.',
    ])
      expect(german.text).toContain(message);
    expect(german.text).not.toContain('must be a non-empty');

    const created = await admin.post('/admin/kb/demo/entry', {
      path: '',
      base: 'absent',
      ...fields,
    });
    expect(created.status).toBe(303);
    const list = await admin.get('/admin/kb/demo/');
    expect(list.text).toContain('entries/returns/exchange.en.md');
    expect(list.text).toMatch(/new \(draft\)/);

    const published = await admin.post('/admin/kb/demo/publish', { message: 'Exchange entry' });
    expect(published.status).toBe(303);
    expect(published.headers.location).toBe('/admin/kb/demo/?published=3');
    const model = await t.get('/v1/sites/demo/model.json');
    expect(model.headers['x-lotse-kb-version']).toBe('3');
    expect(model.text).toContain('exchange.en.md');
    const versions = await admin.get('/admin/kb/demo/versions');
    expect(versions.text).toContain('Exchange entry');
    // Times in the site's zone (demo: Berlin), as the inbox and the dashboard show them.
    const [, iso, shown] = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(versions.text) ?? [];
    const at = (timeZone: string) =>
      new Intl.DateTimeFormat('en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone,
      }).format(Date.parse(iso ?? ''));
    expect((await t.server.sites.get('demo'))?.hours.timeZone).toBe('Europe/Berlin');
    expect(shown).toBe(at('Europe/Berlin'));
    expect(shown).not.toBe(at('UTC'));
    const diff = await admin.get('/admin/kb/demo/versions/3');
    expect(diff.text).toContain('entries/returns/exchange.en.md');
    expect(diff.text).toMatch(
      /<ins aria-label="added">[^<]*\+ title: &quot;Exchange an item&quot;/,
    );
  });

  it('shows both versions when two editors save the same entry, and loses neither', async () => {
    const editor = await sessionOf('editor');
    const first = await admin.get(`/admin/kb/demo/entry?path=${encodeURIComponent(LABEL)}`);
    const base = /name="base" value="([^"]*)"/.exec(first.text)?.[1] ?? '';
    const fields = (answer: string) => ({
      id: 'returns-label',
      title: 'Print a return label',
      topic: 'returns',
      locale: 'en',
      examples: 'How do I get a return label?\nprint return slip',
      answer,
    });
    const theirs = await save(editor, LABEL, fields('Answer by the editor.'), base);
    expect(theirs.status).toBe(303);
    const mine = await save(admin, LABEL, fields('Answer by the admin.'), base);
    expect(mine.status).toBe(409);
    expect(mine.text).toContain('Answer by the editor.');
    expect(mine.text).toContain('Answer by the admin.');
    // Saving from the conflict page (its base is the editor's text) is a deliberate choice.
    const again = /name="base" value="([^"]*)"/.exec(mine.text)?.[1] ?? '';
    const resolved = await admin.post('/admin/kb/demo/entry', {
      path: LABEL,
      base: again,
      ...fields('Merged answer.'),
    });
    expect(resolved.status).toBe(303);
    const drafts = await t.server.store.listKbDrafts('demo');
    expect(drafts.map((d) => d.text)).toEqual([
      writeEntryFile({
        id: 'returns-label',
        title: 'Print a return label',
        topic: 'returns',
        locale: 'en',
        examples: ['How do I get a return label?', 'print return slip'],
        answer: 'Merged answer.',
      }),
    ]);
  });

  it('renders hostile titles, examples and answers inert in every page', async () => {
    const fields = {
      id: 'hostile',
      topic: 'returns',
      locale: 'en',
    };
    for (const [i, vector] of vectors.slice(0, 40).entries()) {
      const text = vector.replace(/[\r\n]+/g, ' ').slice(0, 180);
      const saved = await admin.post('/admin/kb/demo/entry', {
        path: i === 0 ? '' : 'entries/returns/hostile.en.md',
        base:
          i === 0
            ? 'absent'
            : (/name="base" value="([^"]*)"/.exec(
                (await admin.get('/admin/kb/demo/entry?path=entries%2Freturns%2Fhostile.en.md'))
                  .text,
              )?.[1] ?? ''),
        ...fields,
        title: text,
        examples: text,
        answer: vector,
      });
      expect(saved.status, vector).toBeLessThan(500);
      for (const page of [
        '/admin/kb/demo/',
        '/admin/kb/demo/entry?path=entries%2Freturns%2Fhostile.en.md',
      ]) {
        expectInertPage((await admin.get(page)).text);
      }
      const preview = await admin.post('/admin/kb/demo/preview', { answer: vector });
      expect(preview.status).toBe(200);
      expectInertPage(preview.text);
    }
    await admin.post('/admin/kb/demo/publish', { message: '<img src=x onerror=alert(1)>' });
    expectInertPage((await admin.get('/admin/kb/demo/versions')).text);
    expectInertPage((await admin.get('/admin/kb/demo/versions/3')).text);
  });

  it('asks again on the page for a blank publish message', async () => {
    await save(admin, LABEL, labelEntry('A second answer.'));
    const blank = await admin.post('/admin/kb/demo/publish?lang=de', { message: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('role="alert"');
    expect(blank.text).toContain('Bitte sagen Sie in ein paar Worten, was sich geändert hat.');
    expect(await t.server.store.listKbVersions('demo')).toHaveLength(2);
  });

  it('refuses a publish that breaks a check again for a blank override reason, with the checks and the form', async () => {
    const own = await startTestServer(target, { watchKnowledgeBases: false, buildModel: breaking });
    try {
      rmSync(own.kbDir, { recursive: true });
      writeSmallKb(own.kbDir);
      await own.server.knowledgeBase.importFolder('demo', own.kbDir);
      const owner = await logIn(own.url, 'admin@example.com', 'test-password');
      await save(owner, LABEL, labelEntry('It BREAKS the check.'));
      const refused = await owner.post('/admin/kb/demo/publish?lang=en', { message: 'Carrier' });
      expect(refused.text).toContain('name="overrideReason"');
      const override = formWith(refused.text, 'overrideReason');
      override.set('overrideReason', '  ');
      const noReason = await postFields(own.url, owner, '/admin/kb/demo/publish?lang=en', override);
      expect(noReason.text).toContain('Please say why this should be published anyway.');
      // The failing check and the override form are still there, and the message is kept.
      expect(noReason.text).toContain('returns-label-1');
      expect(noReason.text).toContain('name="overrideReason"');
      expect(noReason.text).toContain('size="60" value="Carrier"');
      expect(await own.server.store.listKbVersions('demo')).toHaveLength(2);
    } finally {
      await own.close();
    }
  });

  it('restores an earlier version as the newest', async () => {
    const label = await admin.get(`/admin/kb/demo/entry?path=${encodeURIComponent(LABEL)}`);
    await save(admin, LABEL, labelEntry('A second answer.'));
    expect((await admin.post('/admin/kb/demo/publish', { message: 'Second' })).status).toBe(303);
    const restored = await admin.post('/admin/kb/demo/versions/2/restore', {
      _csrf: csrfOf(label.text),
    });
    expect(restored.status).toBe(303);
    expect(restored.headers.location).toBe('/admin/kb/demo/versions?restored=4&from=2');
    const model = await t.get('/v1/sites/demo/model.json');
    expect(model.headers['x-lotse-kb-version']).toBe('4');
    expect(model.text).toContain('The answer about returns-label.');
    expect(model.text).not.toContain('A second answer.');
  });

  it('previews an answer from the safe AST and names what Markdown may not hold', async () => {
    const r = await admin.post('/admin/kb/demo/preview', {
      answer: 'Go to **My account**.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))',
    });
    expect(r.text).toContain('<strong>My account</strong>');
    expect(r.text).not.toContain('<script>');
    expect(r.text).not.toMatch(/href="javascript/i);
    expect(r.text).toMatch(/class="error"/);
  });

  it('names the entry a question was added to as an example, and echoes nothing from the link', async () => {
    const { handoff } = await t.server.store.insertHandoff(
      handoffRow({ siteKey: 'demo', locale: 'en', status: 'closed', topic: 'returns' }),
    );
    const added = await admin.post(`/inbox/c/${handoff.id}/kb`, {
      action: 'example',
      path: LABEL,
      question: 'Where do I find the return slip?',
    });
    expect(added.status).toBe(303);
    const page = await admin.get(`${added.headers.location}&lang=de`);
    expect(page.text).toContain(
      'Die Frage ist als Beispiel von „Print a return label“ gespeichert (Entwurf, noch nicht veröffentlicht).',
    );
    expect(page.text).not.toContain('{title}');
    // A crafted link names no entry: the plain message, nothing of the link on the page.
    const crafted = await admin.get(
      `/inbox/c/${handoff.id}?lang=de&kb=${encodeURIComponent('example:<img src=x onerror=alert(1)>')}`,
    );
    expect(crafted.text).toContain(
      'Die Frage ist als Beispiel gespeichert (Entwurf, noch nicht veröffentlicht).',
    );
    expect(crafted.text).not.toContain('onerror');
  });

  it('pages through more than a hundred entries, with the true total and the filter kept', async () => {
    for (let i = 0; i < 230; i++) {
      writeFileSync(
        path.join(t.kbDir, 'entries', `many-${i}.en.md`),
        writeEntryFile({
          id: `many-${i}`,
          title: `Many ${i}`,
          topic: 'orders',
          locale: 'en',
          examples: [`question number ${i}`],
          answer: `Answer ${i}.`,
        }),
      );
    }
    await t.server.knowledgeBase.importFolder('demo', t.kbDir);
    const first = await admin.get('/admin/kb/demo/?lang=en');
    expect(first.text).toContain('Entries (233) · 1–100 of 233');
    expect(first.text).toContain('href="/admin/kb/demo/?page=2" rel="next"');
    const last = await admin.get('/admin/kb/demo/?lang=en&page=3');
    expect(last.text).toContain('Entries (233) · 201–233 of 233');
    expect(last.text).toContain('rel="prev"');
    expect(last.text).not.toContain('rel="next"');
    expect(last.text).toContain('>Print a return label</a>');
    const orders = await admin.get('/admin/kb/demo/?lang=en&topic=orders&page=2');
    expect(orders.text).toContain('Entries (231) · 101–200 of 231');
    expect(orders.text).toContain('href="/admin/kb/demo/?topic=orders&amp;page=3" rel="next"');
    const one = await admin.get('/admin/kb/demo/?lang=en&q=question+number+229');
    expect(one.text).toContain('Entries (1)<');
    expect(one.text).not.toContain('rel="next"');
  });

  it('refuses check lines naming an entry or topic that does not exist, and warns before deleting what checks expect', async () => {
    const page = await admin.get(`/admin/kb/demo/entry?path=checks.jsonl`);
    const text = /<textarea id="raw-text"[^>]*>([^<]*)<\/textarea>/.exec(page.text)?.[1] ?? '';
    const checks = text.replace(/&quot;/g, '"');
    const bad = `${checks}${JSON.stringify({ id: 'ghost-1', locale: 'en', question: 'gift card?', expect: { entry: 'gift-cards' } })}\n${JSON.stringify({ id: 'ghost-2', locale: 'en', question: 'voucher?', expect: { topic: 'vouchers' } })}\n`;
    const refused = await save(admin, 'checks.jsonl', { text: bad, lang: 'de' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Zeile 4 (expect.entry)');
    expect(refused.text).toContain('Die Prüffrage „ghost-1“ nennt einen Eintrag');
    expect(refused.text).toContain('„gift-cards“');
    expect(refused.text).toContain('Zeile 5 (expect.topic)');
    expect(await t.server.store.listKbDrafts('demo')).toEqual([]);

    // Deleting an entry a check expects is a change the gate asks about; it is named at once.
    const deleted = await save(admin, LABEL, { ...labelEntry('x'), action: 'delete' });
    expect(deleted.status).toBe(303);
    const list = await admin.get('/admin/kb/demo/?lang=en');
    expect(list.text).toContain(
      'These check questions name entries or topics that the drafts do not have',
    );
    expect(list.text).toMatch(
      /check &quot;returns-label-1&quot; names no entry of the knowledge base: &quot;returns-label&quot;/,
    );
  });

  it('saves a topic rename as a draft and names at once the entries it breaks, in German', async () => {
    const renamed = smallKbConfig.replace('"returns":', '"retouren":');
    const saved = await save(admin, 'lotse.config.json', { text: renamed });
    expect(saved.status).toBe(303);
    const list = await admin.get('/admin/kb/demo/?lang=de');
    expect(list.text).toContain('So kann noch nicht veröffentlicht werden');
    expect(list.text).toContain('<code>entries/returns-label.en.md</code>');
    expect(list.text).toContain('Das Thema „returns“ gibt es in lotse.config.json nicht');
    const state = /name="state" value="([^"]*)"/.exec(list.text)?.[1] ?? '';
    const refused = await admin.post('/admin/kb/demo/publish?lang=de', {
      message: 'Umbenannt',
      state,
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Nicht veröffentlicht: die Wissensdatenbank ist ungültig.');
    expect(refused.text).not.toContain('[lotse] Invalid knowledge base');
    expect(await t.server.store.listKbVersions('demo')).toHaveLength(2);
  });

  it('answers a refused publish with 409, and a form sent again after the drafts changed publishes nothing', async () => {
    await save(admin, LABEL, labelEntry('A second answer.'));
    const list = await admin.get('/admin/kb/demo/');
    const state = /name="state" value="([^"]*)"/.exec(list.text)?.[1] ?? '';
    expect(state).not.toBe('');
    await save(admin, LABEL, labelEntry('A third answer.'));
    const stale = await admin.post('/admin/kb/demo/publish?lang=en', {
      message: 'Old page',
      state,
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain(
      'the drafts or the published version changed since this page was loaded',
    );
    expect(await t.server.store.listKbVersions('demo')).toHaveLength(2);
    const fresh = /name="state" value="([^"]*)"/.exec(stale.text)?.[1] ?? '';
    const done = await admin.post('/admin/kb/demo/publish', { message: 'Third', state: fresh });
    expect(done.status).toBe(303);
    // The same form again (a reload of the page before): nothing to publish, nothing published.
    const again = await admin.post('/admin/kb/demo/publish', { message: 'Third', state: fresh });
    expect(again.status).toBe(409);
    expect(await t.server.store.listKbVersions('demo')).toHaveLength(3);
  });

  it('discards the draft of a new entry that is deleted before it was ever published', async () => {
    const created = await admin.post('/admin/kb/demo/entry', {
      path: '',
      base: 'absent',
      id: 'exchange',
      title: 'Exchange an item',
      topic: 'returns',
      locale: 'en',
      examples: 'Can I exchange my jacket?',
      answer: 'Use **My account**.',
    });
    expect(created.status).toBe(303);
    const file = 'entries/returns/exchange.en.md';
    const deleted = await save(admin, file, {
      id: 'exchange',
      title: 'Exchange an item',
      topic: 'returns',
      locale: 'en',
      examples: 'Can I exchange my jacket?',
      answer: 'Use **My account**.',
      action: 'delete',
    });
    expect(deleted.status).toBe(303);
    expect(await t.server.store.listKbDrafts('demo')).toEqual([]);
    const list = await admin.get('/admin/kb/demo/?lang=de');
    expect(list.text).not.toContain('gelöscht (Entwurf)');
    expect(list.text).not.toContain(file);
  });

  it('speaks German in the German editor: build findings, field labels, version messages', async () => {
    const fields = {
      ...labelEntry('See [here](javascript:alert(1)).\n\n<b>bold</b>'),
      examples: 'How do I get a return label?\nHow long does delivery take?',
    };
    const bad = await save(admin, LABEL, { ...fields, lang: 'de' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(
      '<strong>Antwort</strong>: Das Linkziel „javascript:alert(1)“ ist nicht erlaubt.',
    );
    expect(bad.text).toContain(
      '<strong>Antwort</strong>: HTML wie „&lt;b&gt;“ ist in Antworten nicht erlaubt',
    );
    expect(bad.text).toContain(
      '<strong>Beispielfragen, Zeile 2</strong>: Die Beispielfrage „How long does delivery take?“ ist schon eine Beispielfrage von „delivery-time“',
    );
    for (const english of [
      'is not allowed',
      'is also an example of',
      '<strong>answer</strong>',
      'examples[1]',
    ]) {
      expect(bad.text).not.toContain(english);
    }
    const preview = await admin.post('/admin/kb/demo/preview?lang=de', { answer: '<i>x</i>' });
    expect(preview.text).toContain('Zeile 1: HTML wie „&lt;i&gt;“');

    const json = await save(admin, 'lotse.config.json', { text: '{"title": "x",}', lang: 'de' });
    expect(json.status).toBe(400);
    expect(json.text).toContain('<strong>Zeile 1</strong>: Die Datei ist kein gültiges JSON.');
    expect(json.text).not.toContain('not valid JSON');

    await save(admin, LABEL, labelEntry('A second answer.'));
    await admin.post('/admin/kb/demo/publish', { message: 'Second' });
    const restored = await admin.post('/admin/kb/demo/versions/2/restore', {});
    expect(restored.status).toBe(303);
    const versions = await admin.get('/admin/kb/demo/versions?lang=de');
    expect(versions.text).toContain('Version 2 wiederhergestellt');
    expect(versions.text).toContain('Import aus dem Ordner der Website');
    expect(versions.text).not.toContain('Restored version');
    expect(versions.text).not.toContain(t.kbDir);
  });
  it('publishes anyway only the drafts and failing checks the refusal showed, and names what changed since', async () => {
    const own = await startTestServer(target, { watchKnowledgeBases: false, buildModel: breaking });
    try {
      rmSync(own.kbDir, { recursive: true });
      writeSmallKb(own.kbDir);
      await own.server.knowledgeBase.importFolder('demo', own.kbDir);
      const owner = await logIn(own.url, 'admin@example.com', 'test-password');
      await save(owner, LABEL, labelEntry('It BREAKS the check.'));
      const list = await owner.get('/admin/kb/demo/?lang=en');
      const publish = formWith(list.text, 'message');
      publish.set('message', 'Carrier');
      const refused = await postFields(own.url, owner, '/admin/kb/demo/publish?lang=en', publish);
      expect(refused.status).toBe(409);
      // Meanwhile an agent proposes a draft from a solved conversation.
      const { handoff } = await own.server.store.insertHandoff(
        handoffRow({ siteKey: 'demo', locale: 'en', status: 'closed', topic: 'orders' }),
      );
      const proposed = await owner.post(`/inbox/c/${handoff.id}/kb`, {
        action: 'draft',
        question: 'Are you hiring?',
        title: 'Jobs UNSEEN',
        topic: 'orders',
        answer: 'Yes: see the UNSEEN jobs page.',
      });
      expect(proposed.status).toBe(303);
      const unseen = 'entries/orders/jobs-unseen.en.md';
      expect((await own.server.store.listKbDrafts('demo')).map((d) => d.path)).toContain(unseen);

      const override = formWith(refused.text, 'overrideReason');
      expect(override.getAll('check')).toEqual(['returns-label-1']);
      expect(override.get('message')).toBe('Carrier');
      override.set('overrideReason', 'The carrier page replaces it');
      const stale = await postFields(own.url, owner, '/admin/kb/demo/publish?lang=en', override);
      expect(stale.status).toBe(409);
      expect(stale.text).toContain(
        'the drafts or the published version changed since this page was loaded',
      );
      expect(stale.text).toMatch(
        /New draft: <a href="\/admin\/kb\/demo\/entry\?path=entries%2Forders%2Fjobs-unseen\.en\.md"><code>entries\/orders\/jobs-unseen\.en\.md<\/code><\/a>/,
      );
      expect(await own.server.store.listKbVersions('demo')).toHaveLength(2);
      const served = await own.get('/v1/sites/demo/model.json');
      expect(served.headers['x-lotse-kb-version']).toBe('2');
      expect(served.text).not.toContain('UNSEEN');

      // An override of a page that showed no state (a crafted or old form) publishes nothing either.
      override.delete('state');
      const stateless = await postFields(
        own.url,
        owner,
        '/admin/kb/demo/publish?lang=de',
        override,
      );
      expect(stateless.status).toBe(409);
      expect(stateless.text).toContain('haben sich geändert, seit diese Seite geladen wurde');
      expect(await own.server.store.listKbVersions('demo')).toHaveLength(2);

      // From the page that shows every draft, the refusal and the override publish both.
      const fresh = formWith(stale.text, 'message');
      fresh.set('message', 'Carrier');
      const again = await postFields(own.url, owner, '/admin/kb/demo/publish?lang=en', fresh);
      expect(again.status).toBe(409);
      const seen = formWith(again.text, 'overrideReason');
      seen.set('overrideReason', 'The carrier page replaces it');
      const published = await postFields(own.url, owner, '/admin/kb/demo/publish?lang=en', seen);
      expect(published.status).toBe(303);
      const [newest] = await own.server.store.listKbVersions('demo');
      expect(newest).toMatchObject({
        version: 3,
        overrideReason: 'The carrier page replaces it',
      });
      expect((await own.get('/v1/sites/demo/model.json')).text).toContain('jobs-unseen.en.md');
    } finally {
      await own.close();
    }
  });

  it('refuses a proposal or a save that makes another entry invalid, whichever file sorts first, naming that entry', async () => {
    const agent = await sessionOf('agent');
    const { handoff } = await t.server.store.insertHandoff(
      handoffRow({ siteKey: 'demo', locale: 'en', status: 'closed', topic: 'orders' }),
    );
    // "How do I get a return label?" is an example of returns-label (entries/returns-label.en.md).
    // The build names a shared example in the file whose path sorts later: the other entry's for
    // entries/orders/…, the proposal's own for entries/shipping/….
    for (const [topic, title, lang] of [
      ['orders', 'A dog in the shop', 'en'],
      ['shipping', 'UNSEEN draft', 'en'],
      ['orders', 'A dog in the shop', 'de'],
    ] as const) {
      const refused = await agent.post(`/inbox/c/${handoff.id}/kb?lang=${lang}`, {
        action: 'draft',
        question: 'How do I get a return label?',
        title,
        topic,
        answer: 'Ask us.',
      });
      expect(refused.status, `${topic} ${lang}`).toBe(400);
      expect(refused.json.error.field).toBe('question');
      const message = refused.json.error.message as string;
      if (lang === 'en') {
        expect(message).toMatch(/returns-label/);
        expect(message).toContain('is also an example of');
      } else {
        expect(message).toContain('Eintrag „Print a return label“ (returns-label), Beispielfragen');
        expect(message).toContain(
          'Die Beispielfrage „How do I get a return label?“ ist schon eine Beispielfrage von „a-dog-in-the-shop“',
        );
        expect(message).not.toContain('is also an example of');
      }
    }
    // Added as an example of another entry, the same question is refused too.
    const example = await agent.post(`/inbox/c/${handoff.id}/kb?lang=de`, {
      action: 'example',
      path: 'entries/cancel-order.en.md',
      question: 'How do I get a return label?',
    });
    expect(example.status).toBe(400);
    expect(example.json.error.message).toContain('Eintrag „Print a return label“ (returns-label)');
    // An editor's new entry that sorts first is refused the same way, naming the other file.
    const saved = await admin.post('/admin/kb/demo/entry?lang=en', {
      path: '',
      base: 'absent',
      id: 'a-dog',
      title: 'A dog in the shop',
      topic: 'orders',
      locale: 'en',
      examples: 'May I bring my dog?\nHow do I get a return label?',
      answer: 'Ask us.',
    });
    expect(saved.status).toBe(400);
    expect(saved.text).toContain(
      '<strong><code>entries/returns-label.en.md</code>, Example questions, line 1</strong>',
    );
    expect(saved.text).not.toMatch(/id="e-examples"[^>]*aria-invalid/);
    expect(await t.server.store.listKbDrafts('demo')).toEqual([]);
    // A question no entry has is proposed as ever, and the knowledge base stays publishable.
    const fresh = await agent.post(`/inbox/c/${handoff.id}/kb`, {
      action: 'draft',
      question: 'May I bring my dog?',
      title: 'A dog in the shop',
      topic: 'orders',
      answer: 'Dogs are welcome.',
    });
    expect(fresh.status).toBe(303);
    const list = await admin.get('/admin/kb/demo/?lang=en');
    expect(list.text).toContain('entries/orders/a-dog-in-the-shop.en.md');
    expect(list.text).not.toContain('This cannot be published yet');
  });

  it('asks for the entry of an example unless triage suggested one', async () => {
    const agent = await sessionOf('agent');
    const { handoff } = await t.server.store.insertHandoff(
      handoffRow({ siteKey: 'demo', locale: 'en', status: 'closed', message: 'Hello?' }),
    );
    // The stand-in builder's model decides nothing: no entry is suggested.
    for (const [lang, placeholder] of [
      ['en', '— choose an entry —'],
      ['de', '— Eintrag wählen —'],
    ] as const) {
      const page = await agent.get(`/inbox/c/${handoff.id}?lang=${lang}`);
      const select = /<select id="kb-entry"[^>]*>([\s\S]*?)<\/select>/.exec(page.text);
      expect(select?.[0]).toMatch(/^<select id="kb-entry" name="path" required>/);
      const options = [
        ...(select?.[1] ?? '').matchAll(/<option value="([^"]*)"( selected)?>([^<]*)</g),
      ];
      expect(options[0]?.slice(1)).toEqual(['', ' selected', placeholder]);
      expect(options.slice(1).filter((o) => o[2] !== undefined)).toEqual([]);
      expect(options.map((o) => o[1])).toContain(LABEL);
    }
    for (const [lang, message] of [
      ['en', 'Entry: please choose the entry the question should be an example of.'],
      ['de', 'Eintrag: bitte wählen Sie den Eintrag, zu dem die Frage als Beispiel gehören soll.'],
    ] as const) {
      const refused = await agent.post(`/inbox/c/${handoff.id}/kb?lang=${lang}`, {
        action: 'example',
        path: '',
        question: 'Hello?',
      });
      expect(refused.status).toBe(400);
      expect(refused.json.error).toEqual({ code: 'invalid_request', message, field: 'path' });
    }
    expect(await t.server.store.listKbDrafts('demo')).toEqual([]);
  });

  describe('with the real build', () => {
    let worker: BuildWorker;
    beforeAll(() => {
      worker = createBuildWorker();
    });
    afterAll(async () => {
      await worker.close();
    });

    it('says in the page’s language what a failing check got, and preselects the entry triage suggests', async () => {
      const own = await startTestServer(target, {
        watchKnowledgeBases: false,
        buildModel: worker.build,
      });
      try {
        rmSync(own.kbDir, { recursive: true });
        writeSmallKb(own.kbDir);
        await own.server.knowledgeBase.importFolder('demo', own.kbDir);
        const owner = await logIn(own.url, 'admin@example.com', 'test-password');

        const { handoff } = await own.server.store.insertHandoff(
          handoffRow({
            siteKey: 'demo',
            locale: 'en',
            status: 'closed',
            message: 'How do I get a return label?',
          }),
        );
        const page = await owner.get(`/inbox/c/${handoff.id}?lang=en`);
        const select = /<select id="kb-entry"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)?.[1] ?? '';
        expect(select).toMatch(/<option value="">— choose an entry —<\/option>/);
        expect(select).toContain(
          `<option value="${LABEL}" selected>Print a return label (returns-label) – suggested</option>`,
        );

        // Deleting delivery-time fails its check: the entry it expects is gone.
        const file = 'entries/delivery-time.en.md';
        const deleted = await save(owner, file, {
          id: 'delivery-time',
          title: 'Delivery time',
          topic: 'shipping',
          locale: 'en',
          examples: 'How long does delivery take?',
          answer: 'x',
          action: 'delete',
        });
        expect(deleted.status).toBe(303);
        const list = await owner.get('/admin/kb/demo/?lang=de');
        const publish = formWith(list.text, 'message');
        publish.set('message', 'Ohne Lieferzeit');
        const refused = await postFields(own.url, owner, '/admin/kb/demo/publish?lang=de', publish);
        expect(refused.status).toBe(409);
        const differs = /<td><ul><li>([^<]*)<\/li>/.exec(refused.text)?.[1];
        expect(differs).toMatch(
          /^Eintrag: erwartet „delivery-time“, tatsächlich (kein Eintrag|„[a-z-]+“)$/,
        );
        const override = formWith(refused.text, 'overrideReason');
        override.set('overrideReason', 'Lieferzeiten stehen jetzt auf der Versandseite');
        const published = await postFields(own.url, owner, '/admin/kb/demo/publish', override);
        expect(published.status).toBe(303);
        for (const [lang, shape] of [
          ['de', /^Eintrag: erwartet „delivery-time“, tatsächlich (kein Eintrag|„[a-z-]+“)$/],
          ['en', /^Entry: expected &quot;delivery-time&quot;, got (no entry|&quot;[a-z-]+&quot;)$/],
        ] as const) {
          const shown = await owner.get(`/admin/kb/demo/?lang=${lang}`);
          const cell = /id="published-failing"[\s\S]*?<td><ul><li>([^<]*)<\/li>/.exec(shown.text);
          expect(cell?.[1], lang).toMatch(shape);
        }
      } finally {
        await own.close();
      }
    });
  });
});
