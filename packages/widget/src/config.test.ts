import { describe, expect, it } from 'vitest';
import { resolveWidgetOptions } from './config.js';

const src = 'https://help.example.com/lotse.js';

describe('resolveWidgetOptions', () => {
  it('defaults the endpoint to the script origin and reads the page language', () => {
    expect(resolveWidgetOptions({ site: 'demo' }, src, ['de-DE'])).toEqual({
      site: 'demo',
      endpoint: 'https://help.example.com',
      locale: 'de',
      position: 'bottom-right',
      theme: { brand: '#0b57a4', onBrand: '#ffffff' },
      consent: 'granted',
      unanswered: false,
      npsIntervalDays: undefined,
    });
  });

  it('takes the data-* options over the defaults and ignores invalid ones', () => {
    const options = resolveWidgetOptions(
      {
        site: 'demo',
        endpoint: 'https://lotse.example.org/some/path',
        locale: 'en',
        position: 'bottom-left',
        color: '#ffd400',
        consent: 'pending',
        unanswered: 'on',
      },
      src,
      ['de'],
    );
    expect(options).toMatchObject({
      endpoint: 'https://lotse.example.org',
      locale: 'en',
      position: 'bottom-left',
      theme: { onBrand: '#000000' },
      consent: 'pending',
      unanswered: true,
    });
    const fallback = resolveWidgetOptions(
      { site: 'demo', endpoint: 'not a url', position: 'top', consent: 'yes' },
      src,
      [],
    );
    expect(fallback).toMatchObject({
      endpoint: 'https://help.example.com',
      position: 'bottom-right',
      // Not a consent state: nothing is sent until the site says so, never granted by a typo.
      consent: 'pending',
    });
    for (const typo of ['Pending', 'denied ', '', 'no']) {
      expect(resolveWidgetOptions({ site: 'demo', consent: typo }, src, []).consent).toBe(
        'pending',
      );
    }
  });
});
