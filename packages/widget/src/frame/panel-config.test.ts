import { describe, expect, it } from 'vitest';
import { readPanelConfig } from './panel-config.js';

describe('readPanelConfig', () => {
  it('reads the fragment the host controller writes', () => {
    const config = readPanelConfig(
      '#site=demo&locale=en&color=%23ffd400&consent=pending&origin=https%3A%2F%2Fshop.example&unanswered=1',
      ['de-DE'],
    );
    expect(config).toEqual({
      site: 'demo',
      locale: 'en',
      theme: { brand: '#ffd400', onBrand: '#000000' },
      consent: 'pending',
      hostOrigin: 'https://shop.example',
      collectUnanswered: true,
      npsIntervalDays: undefined,
    });
  });

  it('falls back to safe defaults and runs without a host when the origin is missing or bad', () => {
    const config = readPanelConfig('#site=demo&consent=maybe&origin=javascript:alert(1)', ['de']);
    expect(config?.locale).toBe('de');
    expect(config?.consent).toBe('granted');
    expect(config?.hostOrigin).toBeUndefined();
    expect(config?.collectUnanswered).toBe(false);
  });

  it('needs a valid site key', () => {
    expect(readPanelConfig('', [])).toBeUndefined();
    expect(readPanelConfig('#site=../../x', [])).toBeUndefined();
  });
});
