import { describe, expect, it } from 'vitest';
import { isHostMessage } from './is-host-message.js';
import { isPanelMessage } from './is-panel-message.js';

describe('isPanelMessage (host side)', () => {
  it('accepts the panel messages', () => {
    expect(isPanelMessage({ lotse: 1, type: 'ready' })).toBe(true);
    expect(isPanelMessage({ lotse: 1, type: 'close' })).toBe(true);
    expect(isPanelMessage({ lotse: 1, type: 'event', name: 'answer.rated', props: {} })).toBe(true);
    expect(isPanelMessage({ lotse: 1, type: 'unread', count: 2, conversations: 1 })).toBe(true);
  });

  it('rejects anything else', () => {
    for (const bad of [
      null,
      'ready',
      [],
      { type: 'ready' },
      { lotse: 2, type: 'ready' },
      { lotse: 1, type: 'open' },
      { lotse: 1, type: 'event', name: 3, props: {} },
      { lotse: 1, type: 'event', name: 'x'.repeat(65), props: {} },
      { lotse: 1, type: 'event', name: 'a', props: [] },
      { lotse: 1, type: 'unread', count: -1, conversations: 1 },
      { lotse: 1, type: 'unread', count: 1.5, conversations: 1 },
      { lotse: 1, type: 'unread', count: '1', conversations: 1 },
      { lotse: 1, type: 'unread', count: 1 },
      { lotse: 1, type: 'unread', count: 1000, conversations: 1 },
    ]) {
      expect(isPanelMessage(bad)).toBe(false);
    }
  });
});

describe('isHostMessage (panel side)', () => {
  it('accepts the host messages', () => {
    for (const message of [
      { lotse: 1, type: 'open', trigger: 'api' },
      { lotse: 1, type: 'close' },
      { lotse: 1, type: 'ask', text: 'Wo ist mein Paket?' },
      { lotse: 1, type: 'identify', traits: { userId: 'u-1', vip: true } },
      { lotse: 1, type: 'consent', state: 'pending' },
      { lotse: 1, type: 'locale', locale: 'en' },
    ]) {
      expect(isHostMessage(message)).toBe(true);
    }
  });

  it('rejects unknown types, bad values and oversized text', () => {
    for (const bad of [
      { lotse: 1, type: 'eval', code: 'x' },
      { lotse: 1, type: 'open', trigger: 'script' },
      { lotse: 1, type: 'ask', text: '' },
      { lotse: 1, type: 'ask', text: 'x'.repeat(2001) },
      { lotse: 1, type: 'locale', locale: 'fr' },
      { lotse: 1, type: 'identify', traits: { nested: { a: 1 } } },
      { type: 'close' },
    ]) {
      expect(isHostMessage(bad)).toBe(false);
    }
  });
});
