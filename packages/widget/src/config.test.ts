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
      { site: 'demo', position: 'top', consent: 'yes' },
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
      expect(resolveWidgetOptions({ site: 'demo', consent: typo }, src, [])?.consent).toBe(
        'pending',
      );
    }
  });

  it('names each invalid attribute once, with its value and what it takes, and falls back', () => {
    const reports: [string, boolean][] = [];
    const options = resolveWidgetOptions(
      {
        site: 'demo',
        locale: 'fr',
        position: 'top-left',
        color: 'red',
        consent: 'yes',
        unanswered: 'true',
      },
      src,
      ['de-DE'],
      (message, fatal) => reports.push([message, fatal]),
    );
    expect(options).toMatchObject({
      locale: 'de',
      position: 'bottom-right',
      theme: { brand: '#0b57a4' },
      consent: 'pending',
      unanswered: false,
    });
    expect(reports).toEqual([
      [
        '[lotse] data-locale="fr" is not valid: use "de" or "en"; the page\'s language is used.',
        false,
      ],
      [
        '[lotse] data-position="top-left" is not valid: use "bottom-right" or "bottom-left"; the default is used.',
        false,
      ],
      [
        '[lotse] data-color="red" is not valid: use a colour as #rgb or #rrggbb; the default is used.',
        false,
      ],
      [
        '[lotse] data-consent="yes" is not valid: use "granted", "pending" or "denied"; it counts as "pending".',
        false,
      ],
      [
        '[lotse] data-unanswered="true" is not valid: use "on" or "off"; the default is used.',
        false,
      ],
    ]);
  });

  it('names an NPS interval that is no whole number of days from 1 to 3650, with its value', () => {
    for (const value of ['0', '-5', 'abc', '1.5', '3651', '']) {
      const reports: [string, boolean][] = [];
      const options = resolveWidgetOptions(
        { site: 'demo', npsIntervalDays: value },
        src,
        ['de'],
        (message, fatal) => reports.push([message, fatal]),
      );
      expect(options).toBeDefined();
      expect(reports).toEqual([
        [
          `[lotse] data-nps-interval-days="${value}" is not valid: use a whole number of days from 1 to 3650; the site's setting (else 90 days) is used.`,
          false,
        ],
      ]);
    }
    for (const value of ['1', '30', ' 90 ', '3650']) {
      const reports: string[] = [];
      resolveWidgetOptions({ site: 'demo', npsIntervalDays: value }, src, ['de'], (m) =>
        reports.push(m),
      );
      expect(reports).toEqual([]);
    }
  });

  it('reports nothing for valid options, language tags with a region among them', () => {
    const reports: string[] = [];
    resolveWidgetOptions(
      {
        site: 'demo',
        endpoint: 'http://localhost:8912',
        locale: 'de-CH',
        position: 'bottom-left',
        color: '#FFF',
        consent: 'denied',
        unanswered: 'off',
      },
      src,
      [],
      (message) => reports.push(message),
    );
    expect(reports).toEqual([]);
  });

  it('reads an endpoint relative to the script, as embeds written for it do', () => {
    const endpointOf = (endpoint: string) =>
      resolveWidgetOptions({ site: 'demo', endpoint }, src, [], () => {})?.endpoint;
    expect(endpointOf('/')).toBe(new URL(src).origin);
    expect(endpointOf('//lotse.example.org')).toBe(`${new URL(src).protocol}//lotse.example.org`);
  });

  it('draws nothing without a site key or with an endpoint that is no absolute URL, and says why', () => {
    const reports: [string, boolean][] = [];
    const report = (message: string, fatal: boolean) => reports.push([message, fatal]);
    expect(resolveWidgetOptions({ site: undefined }, src, [], report)).toBeUndefined();
    expect(resolveWidgetOptions({ site: '' }, src, [], report)).toBeUndefined();
    // Without a scheme the URL parses with "localhost:" as its scheme and origin "null": the panel
    // would load from the host page's own "/null/panel/".
    for (const endpoint of ['localhost:8912', 'help.example.com:443', 'ftp://help.example.com']) {
      expect(resolveWidgetOptions({ site: 'demo', endpoint }, src, [], report)).toBeUndefined();
    }
    expect(reports).toEqual([
      [
        '[lotse] data-site is missing: use the site key from your Lotse server, e.g. data-site="demo"; the widget is not shown.',
        true,
      ],
      [
        '[lotse] data-site="" is not valid: use the site key from your Lotse server, e.g. data-site="demo"; the widget is not shown.',
        true,
      ],
      ...['localhost:8912', 'help.example.com:443', 'ftp://help.example.com'].map((endpoint) => [
        `[lotse] data-endpoint="${endpoint}" is not valid: use an absolute URL such as https://help.example.com; the widget is not shown.`,
        true,
      ]),
    ]);
  });
});
