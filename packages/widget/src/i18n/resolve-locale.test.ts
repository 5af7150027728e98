import { describe, expect, it } from 'vitest';
import { formatResponseTime } from './format-response-time.js';
import { panelMessages } from './panel-messages.js';
import { resolveLocale } from './resolve-locale.js';

describe('resolveLocale', () => {
  it('takes the first candidate the widget speaks: config, then <html lang>, then the browser', () => {
    expect(resolveLocale(['en', 'de', 'de-DE'])).toBe('en');
    expect(resolveLocale([undefined, 'de-CH', 'en-US'])).toBe('de');
    expect(resolveLocale([undefined, '', 'fr-FR', 'de'])).toBe('de');
    expect(resolveLocale(['EN_gb'])).toBe('en');
  });

  it('falls back to English', () => {
    expect(resolveLocale([undefined, 'fr', 'es-ES'])).toBe('en');
    expect(resolveLocale([])).toBe('en');
  });
});

describe('formatResponseTime', () => {
  it('says minutes, hours or working days, rounding up so the promise holds', () => {
    expect(formatResponseTime(30, panelMessages.de)).toBe('30 Minuten');
    expect(formatResponseTime(1, panelMessages.en)).toBe('1 minute');
    expect(formatResponseTime(60, panelMessages.de)).toBe('1 Stunde');
    expect(formatResponseTime(240, panelMessages.de)).toBe('4 Stunden');
    expect(formatResponseTime(241, panelMessages.en)).toBe('5 hours');
    expect(formatResponseTime(480, panelMessages.en)).toBe('1 working day');
    expect(formatResponseTime(960, panelMessages.de)).toBe('2 Werktagen');
  });

  it('never promises zero or nonsense for bad input', () => {
    expect(formatResponseTime(0, panelMessages.en)).toBe('1 minute');
    expect(formatResponseTime(Number.NaN, panelMessages.de)).toBe('1 Minute');
    expect(formatResponseTime(-5, panelMessages.en)).toBe('1 minute');
  });

  it('has the same keys in German and English', () => {
    expect(Object.keys(panelMessages.de).sort()).toEqual(Object.keys(panelMessages.en).sort());
  });
});
