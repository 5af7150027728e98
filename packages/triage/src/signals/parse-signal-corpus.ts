import { LineError } from '../line-error.js';
import { isLang } from '../text/lang.js';
import {
  COMPLAINT_KINDS,
  DETECTED_SIGNALS,
  type DetectedSignal,
  SIGNAL_KINDS,
  type SignalExample,
  type SignalKind,
} from './signal-corpus.js';

/** Thrown for a malformed corpus line; names the file, the line and the field. */
export class SignalCorpusError extends LineError {
  override readonly name = 'SignalCorpusError';
  readonly code = 'signal_corpus_invalid';

  constructor(file: string, line: number, field: string | null, detail: string) {
    super('signal corpus', file, line, field, detail);
  }
}

/** The signals a kind implies (the README's table); neutral kinds imply none. */
export function impliedSignals(kind: SignalKind): DetectedSignal[] {
  if (kind === 'manager') return ['complaint', 'wants-human'];
  if (kind === 'asks-for-person') return ['wants-human'];
  if (kind === 'urgency') return ['urgent'];
  return (COMPLAINT_KINDS as readonly string[]).includes(kind) ? ['complaint'] : [];
}

// The README's limit: longer texts are pasted documents, not messages.
const MAX_TEXT_LENGTH = 1500;

/**
 * Parses one JSON Lines file of the signal corpus; blank lines are skipped, anything else that is
 * not a valid example throws `SignalCorpusError`.
 *
 * @example
 * parseSignalCorpus('{"text":"Seit Montag nichts","lang":"de","signals":["complaint"],"kind":"waiting"}', 'train/de-waiting.jsonl')
 */
export function parseSignalCorpus(text: string, file: string): SignalExample[] {
  const examples: SignalExample[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const fail = (field: string | null, detail: string): never => {
      throw new SignalCorpusError(file, index + 1, field, detail);
    };
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      fail(null, `is not JSON (${(error as Error).message}). Write one JSON object per line.`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail(null, 'is not a JSON object. Write {"text", "lang", "signals", "kind"}.');
    }
    const line = value as Record<string, unknown>;
    const { text: message, lang, signals, kind } = line;
    if (typeof message !== 'string' || message.trim() === '' || message.length > MAX_TEXT_LENGTH) {
      fail('text', `must be a message of 1 to ${MAX_TEXT_LENGTH} characters.`);
    }
    if (!isLang(lang)) fail('lang', `must be "de" or "en" (got ${JSON.stringify(lang)}).`);
    if (
      !Array.isArray(signals) ||
      !signals.every((s) => DETECTED_SIGNALS.includes(s as DetectedSignal)) ||
      new Set(signals).size !== signals.length
    ) {
      fail(
        'signals',
        `must list each of ${DETECTED_SIGNALS.join(', ')} at most once, or be [] (got ${JSON.stringify(signals)}).`,
      );
    }
    if (!SIGNAL_KINDS.includes(kind as SignalKind)) {
      fail('kind', `must be one of the README's kinds (got ${JSON.stringify(kind)}).`);
    }
    for (const implied of impliedSignals(kind as SignalKind)) {
      if (!(signals as string[]).includes(implied)) {
        fail('signals', `must include "${implied}": kind "${String(kind)}" implies it.`);
      }
    }
    examples.push({
      text: message as string,
      lang: lang as SignalExample['lang'],
      signals: signals as DetectedSignal[],
      kind: kind as SignalKind,
    });
  });
  return examples;
}
