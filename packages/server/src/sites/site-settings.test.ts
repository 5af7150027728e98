import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addBusinessMinutes } from './business-time.js';
import { loadSiteFile, parseSiteSettings, resolveSite } from './site-settings.js';

const valid = {
  key: 'demo',
  title: 'Demo',
  allowedOrigins: ['http://localhost:PORT'],
  knowledgeBase: 'kb-shop',
  responseMinutes: { '1': 480, '2': 240, '3': 960 },
  timeZone: 'Europe/Berlin',
  businessHours: { mon: ['08:00-12:00', '13:00-18:00'], sat: ['10:00-14:00'] },
  holidays: ['2026-12-25'],
};

/** {@link valid} as a server reads it: the port placeholder filled in. */
const served = { ...valid, allowedOrigins: ['https://shop.example.com'] };

describe('site settings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-site-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the demo site file with the port and an absolute knowledge-base path', async () => {
    const file = path.resolve(import.meta.dirname, '../../../../examples/site.json');
    const demo = await loadSiteFile(file, { port: 8787 });
    expect(demo.key).toBe('demo');
    expect(demo.allowedOrigins).toEqual(['http://localhost:8787', 'http://127.0.0.1:8787']);
    expect(demo.knowledgeBase).toBe(path.resolve(path.dirname(file), 'kb-shop'));
    expect(resolveSite(demo).collectUnanswered).toBe(true);
  });

  it('resolves opening hours per weekday, Sunday first', () => {
    const site = resolveSite(parseSiteSettings({ ...valid, allowedOrigins: [] }, 'test'));
    expect(site.hours.days[0]).toBeUndefined();
    expect(site.hours.days[1]).toEqual([
      ['08:00', '12:00'],
      ['13:00', '18:00'],
    ]);
    expect(site.hours.days[6]).toEqual([['10:00', '14:00']]);
    expect(site.hours.holidays).toEqual(['2026-12-25']);
    expect(site.hours.timeZone).toBe('Europe/Berlin');
    expect(site.responseMinutes[2]).toBe(240);
    expect(site.collectUnanswered).toBe(false);
  });

  it('treats missing business hours as always open', () => {
    const { businessHours: _, ...always } = valid;
    const site = resolveSite(parseSiteSettings({ ...always, allowedOrigins: [] }, 'test'));
    for (const day of [0, 1, 2, 3, 4, 5, 6] as const) {
      expect(site.hours.days[day]).toEqual([['00:00', '24:00']]);
    }
  });

  it('treats business hours that open on no day as always open', () => {
    for (const businessHours of [{}, { sat: [] }]) {
      const site = resolveSite(
        parseSiteSettings({ ...valid, businessHours, allowedOrigins: [] }, 'test'),
      );
      expect(site.hours.days[3]).toEqual([['00:00', '24:00']]);
    }
  });

  it('orders a day’s intervals and merges those that overlap or touch', () => {
    const businessHours = { mon: ['15:00-18:00', '08:00-12:00', '10:00-13:00', '13:00-14:00'] };
    const site = resolveSite(
      parseSiteSettings({ ...valid, businessHours, allowedOrigins: [] }, 'test'),
    );
    expect(site.hours.days[1]).toEqual([
      ['08:00', '14:00'],
      ['15:00', '18:00'],
    ]);
    // Monday 07:00 Berlin (06:00 UTC) + 6 business hours: 08:00-14:00, so 14:00 Berlin.
    expect(
      new Date(
        addBusinessMinutes(Date.parse('2026-11-30T06:00:00Z'), 360, site.hours),
      ).toISOString(),
    ).toBe('2026-11-30T13:00:00.000Z');
  });

  it('gives an interval without its leading zero the format message alone', async () => {
    const file = path.join(dir, 'site.json');
    writeFileSync(file, JSON.stringify({ ...valid, businessHours: { mon: ['8:00-18:00'] } }));
    const error = await loadSiteFile(file, { port: 1 }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(error).toContain('must look like "09:00-17:30"');
    expect(error).not.toContain('must end after it starts');
  });

  it.each([
    ['timeZone', { timeZone: 'Europe/Atlantis' }],
    ['businessHours.mon.0', { businessHours: { mon: ['18:00-09:00'] } }],
    ['businessHours.mon.0', { businessHours: { mon: ['9-17'] } }],
    ['allowedOrigins.0', { allowedOrigins: ['https://shop.example.com/path'] }],
    ['responseMinutes.2', { responseMinutes: { '1': 1, '2': -5, '3': 1 } }],
    ['(root)', { colour: 'red' }],
  ])('names the wrong field %s', (field, change) => {
    const file = path.join(dir, 'site.json');
    writeFileSync(file, JSON.stringify({ ...valid, ...change }));
    return expect(loadSiteFile(file, { port: 1 })).rejects.toThrow(
      new RegExp(`site\\.json: invalid site settings: .*${field.replace(/[.()]/g, '\\$&')}`),
    );
  });

  it('reads the team block with its defaults and names a wrong field', () => {
    const ok = { ...valid, allowedOrigins: ['https://shop.example.com'] };
    expect(resolveSite(parseSiteSettings(ok, 'test')).team).toEqual({
      costPerHour: undefined,
      currency: 'EUR',
      paidHoursPerWeek: 40,
      targets: {},
      agentsSeeColleagues: false,
    });
    const team = {
      costPerHour: 32.5,
      currency: 'CHF',
      paidHoursPerWeek: 38,
      targets: { frtMedian: 30, csat: 85 },
      agentsSeeColleagues: true,
    };
    expect(resolveSite(parseSiteSettings({ ...ok, team }, 'test')).team).toEqual(team);
    expect(() => parseSiteSettings({ ...ok, team: { currency: 'euro' } }, 'site.json')).toThrow(
      /site\.json: invalid site settings: team\.currency: must be an ISO 4217 code/,
    );
    expect(() => parseSiteSettings({ ...ok, team: { targets: { speed: 1 } } }, 'x')).toThrow(
      /team\.targets/,
    );
    expect(() => parseSiteSettings({ ...ok, team: { costPerHour: -1 } }, 'x')).toThrow(
      /team\.costPerHour/,
    );
  });

  it.each([
    ['csat', 250, '<=100'],
    ['fcr', -50, '>=0'],
    ['sla3', 100.5, '<=100'],
    ['nps', 101, '<=100'],
    ['nps', -101, '>=-100'],
    ['frtMedian', -1, '>=0'],
    ['activeMedian', 600_000, '<=525600'],
    ['costPerCase', -0.01, '>=0'],
    ['handled', -3, '>=0'],
  ])('refuses the team target %s = %d, naming it', (key, value, why) => {
    const settings = { ...served, team: { targets: { [key]: value } } };
    expect(() => parseSiteSettings(settings, 'x')).toThrow(
      new RegExp(`settings: team\\.targets\\.${key}: [^;]*${why}`),
    );
  });

  it('takes each team target at the ends of its range', () => {
    const targets = {
      csat: 100,
      fcr: 0,
      reopenRate: 0,
      nps: -100,
      frtMedian: 0,
      frtP90: 525_600,
      costPerCase: 0,
      costPerWorkingHour: 1e9,
      handled: 0,
    };
    const team = resolveSite(parseSiteSettings({ ...served, team: { targets } }, 'x')).team;
    expect(team.targets).toEqual(targets);
  });
});
