import { compileKnowledgeBase, createTriage, parseChecks, runChecks } from '@lotse/triage';
import { buildModelFromSource } from '@lotse/triage/build';
import { expect, it } from 'vitest';
import { smallKbConfig, smallKbEntry } from '../test-support/small-kb.js';
import { describeCheckFailure } from './describe-check-failure.js';

// Lines as @lotse/triage's runChecks writes them, one per differing field.
const table: [string, string, string][] = [
  [
    'entry: expected change-order, got none',
    'Eintrag: erwartet „change-order“, tatsächlich kein Eintrag',
    'Entry: expected "change-order", got no entry',
  ],
  [
    'entry: expected change-order, got cancel-order',
    'Eintrag: erwartet „change-order“, tatsächlich „cancel-order“',
    'Entry: expected "change-order", got "cancel-order"',
  ],
  [
    'topic: expected orders, got none',
    'Thema: erwartet „orders“, tatsächlich kein Thema',
    'Topic: expected "orders", got no topic',
  ],
  [
    'kind: expected answer, got suggest',
    'Entscheidung: erwartet Antwort, tatsächlich Vorschläge',
    'Decision: expected an answer, got suggestions',
  ],
  [
    'kind: expected answer or suggest, got handoff',
    'Entscheidung: erwartet Antwort oder Vorschläge, tatsächlich Übergabe an eine Person',
    'Decision: expected an answer or suggestions, got a handoff to a person',
  ],
  ['level: expected 3, got 1', 'Stufe: erwartet 3, tatsächlich 1', 'Level: expected 3, got 1'],
  [
    'signals: expected complaint, urgent, got none',
    'Signale: erwartet Beschwerde, dringend, tatsächlich keine',
    'Signals: expected complaint, urgent, got none',
  ],
  [
    'signals: expected wants-human, got complaint, urgent',
    'Signale: erwartet möchte einen Menschen sprechen, tatsächlich Beschwerde, dringend',
    'Signals: expected wants a person, got complaint, urgent',
  ],
  // A shape not known here keeps its text.
  ['something new happened', 'something new happened', 'something new happened'],
];

it.each(table)('says "%s" in German and English', (line, de, en) => {
  expect(describeCheckFailure(line, 'de')).toBe(de);
  expect(describeCheckFailure(line, 'en')).toBe(en);
});

it('describes every line a real check run writes, leaving no English in German', async () => {
  const files = ['cancel-order', 'delivery-time', 'returns-label'].map((id) => ({
    path: `entries/${id}.en.md`,
    text: smallKbEntry(id),
  }));
  const built = await buildModelFromSource({ config: smallKbConfig, files });
  const kb = compileKnowledgeBase({ config: smallKbConfig, files });
  // Expectations none of whose parts a three-entry shop meets.
  const checks = parseChecks(
    [
      { entry: 'cancel-order', topic: 'orders', kind: ['handoff'], level: 3 },
      { signals: ['complaint'] },
    ]
      .map((expect, i) =>
        JSON.stringify({
          id: `c${i}`,
          locale: 'en',
          question: 'How long does delivery take?',
          expect,
        }),
      )
      .join('\n'),
    'checks.jsonl',
    { knowledgeBase: kb },
  );
  const failures = runChecks(createTriage(JSON.parse(built.json)), checks).flatMap(
    (r) => r.failures,
  );
  expect(failures.map((f) => f.split(':')[0])).toEqual([
    'entry',
    'topic',
    'kind',
    'level',
    'signals',
  ]);
  for (const line of failures) {
    const german = describeCheckFailure(line, 'de');
    expect(german).toMatch(
      /^(Eintrag|Thema|Entscheidung|Stufe|Signale): erwartet .+, tatsächlich .+$/,
    );
    expect(german).not.toMatch(/\b(expected|got|none|answer|suggest|handoff)\b/);
  }
});
