import { expect, it } from 'vitest';
import type { AttachmentRow } from '../mail/attachment-queries.js';
import type { MailRow } from '../mail/mail-queries.js';
import { eventRow, handoffRow } from '../test-support/fixtures.js';
import { describeOpenStores } from '../test-support/stores.js';

describeOpenStores('store', (t) => {
  it('applies migrations once', async () => {
    expect(await t.store.migrate()).toBe(0);
  });

  it('stores a batch and counts a replayed id as a duplicate', async () => {
    const a = eventRow({ conversationId: 'T-1', props: { nested: { ü: 'ß' } } });
    const b = eventRow();
    expect(await t.store.insertEvents([a, b])).toEqual({ accepted: 2, duplicates: 0 });
    expect(await t.store.insertEvents([b, eventRow({ id: a.id }), eventRow()])).toEqual({
      accepted: 1,
      duplicates: 2,
    });
    expect(await t.store.countEvents('demo')).toBe(3);
    const stored = await t.store.listEvents({ siteKey: 'demo' });
    expect(stored.find((e) => e.id === a.id)).toEqual(a);
    expect([...(await t.store.hasEvents([a.id, 'missing']))]).toEqual([a.id]);
  });

  it('counts the same id twice in one batch once', async () => {
    const a = eventRow();
    expect(await t.store.insertEvents([a, a])).toEqual({ accepted: 1, duplicates: 1 });
  });

  it('derives metric facts from the events, booleans and numbers intact', async () => {
    const e = eventRow({
      ts: 100,
      type: 'answer.rated',
      conversationId: 'c-1',
      props: {
        entryId: 'returns',
        helpful: false,
        topic: 'returns',
        level: 2,
        score: 4,
        extra: 'x',
      },
    });
    const yes = eventRow({
      ts: 101,
      type: 'answer.rated',
      props: { helpful: true, text: 'Wo ist [email]?', kbVersion: 7 },
    });
    // An answer shown counts per knowledge-base version only: without one it is no fact.
    const shown = eventRow({ ts: 102, type: 'answer.shown', props: { entryId: 'returns' } });
    const shownIn7 = eventRow({
      ts: 103,
      type: 'answer.shown',
      props: { entryId: 'returns', kbVersion: 7 },
    });
    const question = eventRow({
      ts: 104,
      type: 'query.unanswered',
      props: { text: 'Gibt es Gutscheine?', locale: 'de' },
    });
    await t.store.insertEvents([e, yes, shown, shownIn7, question]);
    await t.store.deriveDirty({ sites: new Map([['demo', undefined]]), maxSessions: 10 });
    const [a, b, c, d, ...rest] = await t.store.listMetricFacts('demo', 0, 1000);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ eventId: shownIn7.id, entryId: 'returns', kbVersion: 7 });
    expect(d).toMatchObject({ eventId: question.id, locale: 'de', kbVersion: null });
    expect(a).toMatchObject({
      eventId: e.id,
      type: 'answer.rated',
      entryId: 'returns',
      helpful: false,
      topic: 'returns',
      score: 4,
    });
    expect(b).toMatchObject({ eventId: yes.id, helpful: true, kbVersion: 7 });
    const version = await t.store.eventsVersion('demo');
    await t.store.insertEvents([eventRow({ receivedAt: 1_764_000_009_999 })]);
    expect(await t.store.eventsVersion('demo')).not.toBe(version);
  });

  it("keeps each conversation's next contact by topic, by level, by channel and by both", async () => {
    const day = 86_400_000;
    const t0 = 1_764_000_000_000;
    const [x, y, z] = [0, 1, 2].map((i) => `00000000-0000-4000-8000-00000000000${i}`);
    // A question one visitor asks on day `at` on a site's widget or by e-mail: a conversation.
    const ask = (
      siteKey: string,
      sessionId: string,
      at: number,
      [topic, level, channel]: [string, number, string],
    ) => {
      const common = { siteKey, sessionId, anonymousId: 'visitor-1' };
      return [
        eventRow({ ...common, ts: t0 + at * day, type: 'query.submitted', props: { channel } }),
        eventRow({
          ...common,
          ts: t0 + at * day + 1000,
          type: 'triage.decided',
          props: { kind: 'handoff', level, topic, confidence: 0.7, signals: [], latencyMs: 3 },
        }),
      ];
    };
    // Session x holds two conversations (seq 0 and 1). The other site has the same sessions and
    // visitor with other next contacts, which must not reach this site's rows.
    const a = ask('demo', x!, 0, ['billing', 1, 'widget']);
    const b = ask('demo', y!, 1, ['billing', 2, 'email']);
    const c = ask('demo', x!, 2, ['billing', 1, 'email']);
    const d = ask('demo', z!, 3, ['shipping', 1, 'widget']);
    const other = [
      ...ask('other', x!, 5, ['billing', 1, 'widget']),
      ...ask('other', x!, 6, ['billing', 1, 'widget']),
    ];
    const sites = new Map([
      ['demo', undefined],
      ['other', undefined],
    ]);
    const next = async () => {
      const result = await t.store.runAggregates([
        [
          {
            text: `select next_topic_at, next_level_at, next_channel_at, next_level_channel_at
              from conversations_derived where site_key = 'demo' order by started_at`,
            params: [],
          },
        ],
      ]);
      return result[0]![0]!.map((r) => r.map((v) => (v === null ? null : Number(v) - t0)));
    };
    // The first two, then the rest: the first conversation's next by level and the second's by
    // channel are set on rows stored before.
    await t.store.insertEvents([...a, ...b, ...other]);
    await t.store.deriveDirty({ sites, maxSessions: 10 });
    expect(await next()).toEqual([
      [day, null, null, null],
      [null, null, null, null],
    ]);
    await t.store.insertEvents([...c, ...d]);
    await t.store.deriveDirty({ sites, maxSessions: 10 });
    expect(await next()).toEqual([
      [day, 2 * day, null, null],
      [2 * day, null, 2 * day, null],
      [null, null, null, null],
      [null, null, null, null],
    ]);
  });

  it('keeps the first meta value and deletes old ones by prefix', async () => {
    expect(await t.store.getOrSetMeta('salt:1', 'a')).toBe('a');
    expect(await t.store.getOrSetMeta('salt:1', 'b')).toBe('a');
    await t.store.getOrSetMeta('salt:2', 'c');
    expect(await t.store.deleteMetaByPrefix('salt:', 'salt:2')).toBe(1);
    expect(await t.store.getOrSetMeta('salt:1', 'd')).toBe('d');
  });

  it('refills token buckets over time', async () => {
    const rule = { capacity: 2, refillPerSecond: 1 };
    expect(await t.store.takeToken('k', rule, 1000)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await t.store.takeToken('k', rule, 1000)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await t.store.takeToken('k', rule, 1250)).toEqual({
      allowed: false,
      retryAfterMs: 750,
    });
    expect(await t.store.takeToken('k', rule, 2000)).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(await t.store.takeToken('other', rule, 2000)).toEqual({
      allowed: true,
      retryAfterMs: 0,
    });
  });

  it('gives the tokens of a bucket to concurrent takes in order, no more and no fewer', async () => {
    const rule = { capacity: 5, refillPerSecond: 1 };
    const results = await Promise.all(
      Array.from({ length: 12 }, () => t.store.takeToken('site:busy', rule, 1000)),
    );
    expect(results.map((r) => r.allowed)).toEqual([
      ...Array<boolean>(5).fill(true),
      ...Array<boolean>(7).fill(false),
    ]);
    expect(results[11]).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(await t.store.takeToken('site:busy', rule, 2000)).toEqual({
      allowed: true,
      retryAfterMs: 0,
    });
    expect((await t.store.takeToken('site:busy', rule, 2000)).allowed).toBe(false);
  });

  it('hands out exactly the tokens of a large busy bucket', async () => {
    // 1 000 tokens: the PostgreSQL store may take up to 62 ahead per statement (token-bucket.ts).
    const rule = { capacity: 1000, refillPerSecond: 1 };
    let allowed = 0;
    for (let wave = 0; wave < 30; wave += 1) {
      const results = await Promise.all(
        Array.from({ length: 40 }, () => t.store.takeToken('site:large', rule, 5000)),
      );
      allowed += results.filter((r) => r.allowed).length;
    }
    expect(allowed).toBe(1000);
    expect(await t.store.takeToken('site:large', rule, 5000)).toEqual({
      allowed: false,
      retryAfterMs: 1000,
    });
  });

  it('takes from a bucket larger than a 32-bit integer', async () => {
    const rule = { capacity: 5_000_000_000, refillPerSecond: 5_000_000_000 };
    for (const now of [1000, 1001, 1002]) {
      expect(await t.store.takeToken('site:huge', rule, now)).toEqual({
        allowed: true,
        retryAfterMs: 0,
      });
    }
  });

  it('deletes events received before the cutoff', async () => {
    await t.store.insertEvents([
      eventRow({ receivedAt: 100 }),
      eventRow({ receivedAt: 200, siteKey: 'other' }),
      eventRow({ receivedAt: 300 }),
    ]);
    expect(await t.store.deleteEventsBefore(250)).toBe(2);
    expect((await t.store.listEvents()).map((e) => e.receivedAt)).toEqual([300]);
  });

  it("exports a visitor's handoffs oldest first", async () => {
    // Inserted out of order, and updated, so that neither insert nor heap order gives it away.
    const created = [5, 1, 3, 2, 4].map((n) =>
      handoffRow({ email: 'ina@example.com', createdAt: n }),
    );
    for (const h of created) await t.store.insertHandoff(h);
    for (const h of created) await t.store.updateHandoff(h.id, { assignee: 'a1' });
    const data = await t.store.exportVisitor({ email: 'ina@example.com' });
    expect(data.handoffs.map((h) => h.createdAt)).toEqual([1, 2, 3, 4, 5]);
  });

  it('exports and deletes one visitor by e-mail or anonymous id', async () => {
    const h = handoffRow({ email: 'Eva@Example.com' });
    await t.store.insertHandoff(h);
    await t.store.insertMessage({ id: 'm', handoffId: h.id, from: 'visitor', text: 'x', ts: 1 });
    await t.store.insertNote({ id: 'n', handoffId: h.id, agentId: 'a1', text: 'intern', ts: 2 });
    await t.store.setTags(h.id, ['versand']);
    const mine = eventRow({ anonymousId: h.anonymousId! });
    const other = eventRow();
    await t.store.insertEvents([mine, other]);

    const data = await t.store.exportVisitor({ email: 'eva@example.com' });
    expect(data.events.map((e) => e.id)).toEqual([mine.id]);
    expect(data.handoffs.map((x) => x.id)).toEqual([h.id]);
    expect(data.handoffs[0]).not.toHaveProperty('tokenHash');
    expect(data.messages.map((m) => m.id)).toEqual(['m']);
    // Internal notes are the team's working notes, not part of what the visitor is handed.
    expect(JSON.stringify(data)).not.toContain('intern');
    expect((await t.store.exportVisitor({ anonymousId: h.anonymousId! })).handoffs).toHaveLength(1);

    expect(await t.store.deleteVisitor({ email: 'EVA@example.com' })).toEqual({
      events: 1,
      handoffs: 1,
      messages: 1,
      notes: 1,
      mails: 0,
    });
    expect(await t.store.listNotes(h.id)).toEqual([]);
    expect(await t.store.tagsOf([h.id])).toEqual(new Map());
    expect(await t.store.exportVisitor({ email: 'eva@example.com' })).toEqual({
      events: [],
      handoffs: [],
      messages: [],
      mails: [],
    });
    expect(await t.store.countEvents()).toBe(1);
  });

  it("exports and deletes a visitor's mail and attachments, also what was answered without a handoff, and ages out unlinked mail", async () => {
    const mail = (id: string, over: Partial<MailRow>): MailRow => ({
      id,
      siteKey: 'demo',
      direction: 'in',
      status: 'answered',
      envelopeFrom: 'someone@example.com',
      envelopeTo: ['help@shop.example'],
      raw: Buffer.from('Subject: x\r\n\r\ny'),
      messageId: `<${id}@example.com>`,
      fromAddress: null,
      subject: 'x',
      handoffId: null,
      replyToId: null,
      entryId: null,
      rating: null,
      warning: null,
      receivedAt: 100,
      processedAt: 100,
      ...over,
    });
    const h = handoffRow({ email: 'eva@example.com' });
    await t.store.insertHandoff(h);
    await t.store.insertMails([
      mail('question', { envelopeFrom: 'Eva@Example.com', fromAddress: 'eva@example.com' }),
      mail('answer', { direction: 'out', envelopeFrom: '', envelopeTo: ['eva@example.com'] }),
      mail('of-handoff', { envelopeFrom: 'bounce@example.net', handoffId: h.id }),
      mail('old-other', { receivedAt: 50 }),
      mail('new-other', { receivedAt: 500 }),
    ]);
    const file = (mailId: string, position: number, content: Buffer | null): AttachmentRow => ({
      id: `${mailId}-${position}`,
      mailId,
      position,
      filename: `${mailId}-${position}.pdf`,
      contentType: 'application/pdf',
      size: 3,
      content,
      warning: content === null ? 'over the limit of 2 bytes: not kept' : null,
    });
    await t.store.insertAttachments([
      file('question', 0, Buffer.from('abc')),
      file('question', 1, null),
      file('of-handoff', 0, Buffer.from('def')),
      file('old-other', 0, Buffer.from('ghi')),
      file('new-other', 0, Buffer.from('jkl')),
    ]);
    // Deciding a mail again stores its attachments once.
    await t.store.insertAttachments([{ ...file('question', 0, Buffer.from('xyz')), id: 'again' }]);
    expect(await t.store.getAttachment('again')).toBeUndefined();
    expect(await t.store.getAttachment('question-0')).toMatchObject({
      kept: true,
      content: Buffer.from('abc'),
      siteKey: 'demo',
      handoffId: null,
    });
    expect(await t.store.getAttachment('question-1')).toMatchObject({ kept: false, content: null });
    expect((await t.store.listAttachmentsOfHandoff(h.id)).map((a) => a.id)).toEqual([
      'of-handoff-0',
    ]);

    const exported = await t.store.exportVisitor({ email: 'eva@example.com' });
    expect(exported.mails.map((m) => [m.id, m.direction, m.subject, m.text])).toEqual([
      ['answer', 'out', 'x', 'y'],
      ['of-handoff', 'in', 'x', 'y'],
      ['question', 'in', 'x', 'y'],
    ]);
    expect(exported.mails[2]).toMatchObject({
      from: 'eva@example.com',
      receivedAt: 100,
      attachments: [
        { filename: 'question-0.pdf', contentType: 'application/pdf', size: 3 },
        { filename: 'question-1.pdf', contentType: 'application/pdf', size: 3 },
      ],
    });
    // By anonymous id: the mail of the visitor's conversations.
    expect(
      (await t.store.exportVisitor({ anonymousId: h.anonymousId! })).mails.map((m) => m.id),
    ).toEqual(['of-handoff']);

    expect((await t.store.deleteVisitor({ email: 'EVA@example.com' })).mails).toBe(3);
    expect(await t.store.getMail('question')).toBeUndefined();
    expect(await t.store.getMail('answer')).toBeUndefined();
    expect(await t.store.getMail('of-handoff')).toBeUndefined();
    // Their attachments went with them.
    for (const id of ['question-0', 'question-1', 'of-handoff-0'])
      expect(await t.store.getAttachment(id), id).toBeUndefined();
    expect(await t.store.getAttachment('old-other-0')).toBeDefined();

    await t.store.deleteEventsBefore(200);
    expect(await t.store.getMail('old-other')).toBeUndefined();
    expect(await t.store.getAttachment('old-other-0')).toBeUndefined();
    expect(await t.store.getMail('new-other')).toBeDefined();
    expect(await t.store.getAttachment('new-other-0')).toBeDefined();
  });
});
