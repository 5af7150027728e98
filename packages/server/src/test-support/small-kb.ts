import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeEntryFile } from '@lotse/triage';

/** Config of a three-entry English knowledge base that real builds train on in seconds. */
export const smallKbConfig = JSON.stringify({
  title: { en: 'Help – Test Shop' },
  locales: ['en'],
  topics: {
    returns: { name: { en: 'Returns' }, level: 1 },
    shipping: { name: { en: 'Shipping' }, level: 1 },
    orders: { name: { en: 'Orders' }, level: 1 },
  },
  thresholds: { answer: 0.5, suggest: 0.2 },
});

const entries = [
  {
    id: 'returns-label',
    topic: 'returns',
    title: 'Print a return label',
    examples: [
      'How do I get a return label?',
      'print return slip',
      'where is the returns form',
      'I need a label to send the parcel back',
      'return shipping label please',
    ],
  },
  {
    id: 'delivery-time',
    topic: 'shipping',
    title: 'Delivery time',
    examples: [
      'How long does delivery take?',
      'when will my parcel arrive',
      'shipping time to Austria',
      'how many days until it is delivered',
      'delivery duration',
    ],
  },
  {
    id: 'cancel-order',
    topic: 'orders',
    title: 'Cancel an order',
    examples: [
      'How do I cancel my order?',
      'cancel order please',
      'I want to undo my purchase',
      'abort my order',
      'can I still cancel what I bought',
    ],
  },
];

/** The entry file of one of the small knowledge base's entries. */
export function smallKbEntry(id: string, answer = `The answer about ${id}.`): string {
  const entry = entries.find((e) => e.id === id);
  if (entry === undefined) throw new Error(`no entry ${id}`);
  return writeEntryFile({ ...entry, locale: 'en', answer });
}

/** One check per entry, asking one of its own examples. */
export const smallKbChecks = entries
  .map((e, i) =>
    JSON.stringify({
      id: `${e.id}-1`,
      locale: 'en',
      question: e.examples[i % 2],
      expect: { entry: e.id },
    }),
  )
  .join('\n');

/** Writes the small knowledge base (config, three entries, `checks.jsonl`) into `dir`. */
export function writeSmallKb(dir: string): void {
  mkdirSync(path.join(dir, 'entries'), { recursive: true });
  writeFileSync(path.join(dir, 'lotse.config.json'), smallKbConfig);
  writeFileSync(path.join(dir, 'checks.jsonl'), `${smallKbChecks}\n`);
  for (const e of entries) {
    writeFileSync(path.join(dir, 'entries', `${e.id}.en.md`), smallKbEntry(e.id));
  }
}
