import { describe, expect, it } from 'vitest';
import { CheckSuiteError, parseChecks } from './parse-checks.js';

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
    [line({ expect: { kind: 'escalate' } }), 'expect.kind', /.+/],
    [line({ expect: { signals: ['angry'] } }), 'expect.signals.0', /.+/],
    [line({ expect: { level: 4 } }), 'expect.level', /.+/],
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
});
