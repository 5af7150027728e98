import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readKnowledgeBase } from '../build.js';
import { compileKnowledgeBase, type KnowledgeBase } from '../kb/index.js';
import { CheckSuiteError, parseChecks } from './parse-checks.js';

const kbShop = path.resolve(import.meta.dirname, '../../../../examples/kb-shop');
let knowledgeBase: KnowledgeBase;
beforeAll(async () => {
  knowledgeBase = compileKnowledgeBase(await readKnowledgeBase(kbShop));
});

const line = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'cancel-de-1',
    locale: 'de',
    question: 'Wie storniere ich?',
    expect: { entry: 'cancel-order', kind: 'answer' },
    ...fields,
  });

describe('parseChecks', () => {
  it('reads one check per line, skips blank lines and gives kinds as a list', () => {
    const text = `${line()}\n\n${line({ id: 'angry-en', locale: 'en', question: 'Third time!', expect: { kind: ['handoff'], signals: ['complaint'] } })}\n`;
    expect(parseChecks(text, 'checks.jsonl')).toEqual([
      {
        id: 'cancel-de-1',
        locale: 'de',
        question: 'Wie storniere ich?',
        expect: { entry: 'cancel-order', kind: ['answer'] },
      },
      {
        id: 'angry-en',
        locale: 'en',
        question: 'Third time!',
        expect: { kind: ['handoff'], signals: ['complaint'] },
      },
    ]);
  });

  it.each([
    ['{"id": ', null, /is not JSON/],
    [line({ locale: 'fr' }), 'locale', /Write \{"id"/],
    [line({ question: '  ' }), 'question', /.+/],
    [line({ expect: {} }), 'expect', /at least one of entry, topic, kind, level, signals/],
    [
      line({ expect: { kind: 'answr' } }),
      'expect.kind',
      /must be one of answer, suggest, handoff, acknowledge, or a list of those \(got "answr"\)/,
    ],
    [
      line({ expect: { kind: ['answer', 'escalate'] } }),
      'expect.kind',
      /must be one of answer, suggest, handoff, acknowledge, or a list of those \(got a list of 2\)/,
    ],
    [line({ expect: { signals: ['angry'] } }), 'expect.signals.0', /.+/],
    [line({ expect: { level: 4 } }), 'expect.level', /must be 1, 2 or 3 \(got 4\)/],
    [line({ id: 'Not An Id' }), 'id', /lower-case letters, digits and dashes/],
    [line({ note: 'x' }), null, /.+/],
    [line(), 'id', /"cancel-de-1" is used on line 1 already/],
  ])('rejects %s naming the file, line 2 and field %s', (bad, field, message) => {
    let error: unknown;
    try {
      parseChecks(`${line()}\n${bad}\n`, 'checks.jsonl');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CheckSuiteError);
    expect(error).toMatchObject({
      code: 'check_suite_invalid',
      file: 'checks.jsonl',
      line: 2,
      field,
    });
    expect((error as Error).message).toMatch(/^\[lotse\] Invalid check suite: checks\.jsonl:2: /);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts entries and topics the knowledge base has, in any locale of the check', () => {
    const text = `${line({ expect: { entry: 'cancel-order', topic: 'orders' } })}\n${line({ id: 'en', locale: 'en', expect: { topic: 'shipping' } })}`;
    expect(parseChecks(text, 'checks.jsonl', { knowledgeBase })).toHaveLength(2);
  });

  it.each([
    [
      { entry: 'gibtsnicht' },
      'expect.entry',
      /names no entry of the knowledge base: "gibtsnicht"\. Write the `id:` of an entry file\./,
    ],
    [{ entry: 'cancel-ordre' }, 'expect.entry', /"cancel-ordre" \(did you mean "cancel-order"\?\)/],
    [
      { topic: 'shiping', kind: 'handoff' },
      'expect.topic',
      /names no topic of the knowledge base: "shiping" \(did you mean "shipping"\?\)\. Write a topic of lotse\.config\.json\./,
    ],
  ])(
    'refuses %j, which the knowledge base lacks, as an error of line 2',
    (expected, field, message) => {
      const text = `${line({ id: 'ok' })}\n${line({ expect: expected })}\n`;
      expect(() => parseChecks(text, 'checks.jsonl')).not.toThrow();
      let error: unknown;
      try {
        parseChecks(text, 'checks.jsonl', { knowledgeBase });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CheckSuiteError);
      expect(error).toMatchObject({ code: 'check_suite_invalid', line: 2, field });
      expect((error as Error).message).toMatch(message);
    },
  );
});
