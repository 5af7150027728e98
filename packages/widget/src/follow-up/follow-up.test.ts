import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterHoursText, isAfterHours } from './after-hours.js';
import {
  adoptConversations,
  countUnread,
  forgetSignedIn,
  type KeyValueStorage,
  MAX_STORED_CONVERSATIONS,
  newestAgentTime,
  readConversations,
  rememberConversation,
  updateConversation,
} from './conversation-store.js';
import { isNpsDue, readNpsAskedAt, recordNpsAsked, resolveNpsInterval } from './nps-rule.js';
import { createCookieStorage } from './panel-storage.js';
import { unreadLabel } from './unread-label.js';

const memoryStorage = (): KeyValueStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
};
const token = (n: number) => `tok_${String(n).padStart(20, '0')}`;
const day = 24 * 60 * 60 * 1000;

describe('NPS rule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks NPS once, then not again within the interval (fake clock)', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-02T10:00:00Z'));
    const storage = memoryStorage();
    expect(isNpsDue(readNpsAskedAt(storage, 'demo'))).toBe(true);
    recordNpsAsked(storage, 'demo');

    vi.setSystemTime(new Date('2026-03-02T10:05:00Z'));
    expect(isNpsDue(readNpsAskedAt(storage, 'demo'))).toBe(false);
    vi.advanceTimersByTime(89 * day);
    expect(isNpsDue(readNpsAskedAt(storage, 'demo'))).toBe(false);
    vi.advanceTimersByTime(day);
    expect(isNpsDue(readNpsAskedAt(storage, 'demo'))).toBe(true);
    // Another site on the same panel origin has its own rule.
    expect(readNpsAskedAt(storage, 'other')).toBeUndefined();
  });

  it('honours a configured interval and treats a clock set back as just asked', () => {
    const asked = Date.parse('2026-01-01T00:00:00Z');
    expect(isNpsDue(asked, 30, asked + 29 * day)).toBe(false);
    expect(isNpsDue(asked, 30, asked + 30 * day)).toBe(true);
    expect(isNpsDue(asked, 30, asked - day)).toBe(false);
  });

  it('takes the first valid interval of the embed and the site, else 90 days', () => {
    expect(resolveNpsInterval('30', 60)).toBe(30);
    expect(resolveNpsInterval(undefined, 60)).toBe(60);
    expect(resolveNpsInterval('0', '-5', 'abc', 1.5, 99999)).toBe(90);
    expect(resolveNpsInterval()).toBe(90);
  });
});

describe('unreadLabel', () => {
  it('names the launcher with the count of new replies in German and English', () => {
    expect(unreadLabel('de', 1)).toBe('Hilfe, 1 neue Antwort');
    expect(unreadLabel('de', 3)).toBe('Hilfe, 3 neue Antworten');
    expect(unreadLabel('en', 1)).toBe('Help, 1 new reply');
    expect(unreadLabel('en', 2)).toBe('Help, 2 new replies');
    expect(unreadLabel('en', 0)).toBe('Help');
  });
});

describe('after-hours text', () => {
  // Times are said in the visitor's zone (the process's TZ here), like the confirmation's due time.
  const visitorZone = process.env.TZ;
  const inZone = (zone: string) => {
    process.env.TZ = zone;
  };
  afterEach(() => {
    if (visitorZone === undefined) delete process.env.TZ;
    else process.env.TZ = visitorZone;
  });
  // Saturday 3 January 2026, 13:00 in Berlin; Monday opens at 9:00 (08:00 UTC).
  const saturday = Date.parse('2026-01-03T12:00:00Z');
  const monday9 = Date.parse('2026-01-05T08:00:00Z');

  it('promises the next working time in the visitor’s time zone', () => {
    inZone('Europe/Berlin');
    expect(afterHoursText('de', monday9, saturday)).toBe('Wir antworten ab Montag, 9:00 Uhr');
    expect(afterHoursText('en', monday9, saturday)).toBe('We will reply from Monday, 9:00');
  });

  it('says today and tomorrow, and a date beyond a week', () => {
    inZone('Europe/Berlin');
    const early = Date.parse('2026-01-05T05:00:00Z');
    expect(afterHoursText('de', monday9, early)).toBe('Wir antworten ab heute, 9:00 Uhr');
    expect(afterHoursText('en', monday9, monday9 - day)).toBe('We will reply from tomorrow, 9:00');
    expect(afterHoursText('de', monday9 + 7 * day, saturday)).toBe(
      'Wir antworten ab Montag, 12. Januar, 9:00 Uhr',
    );
  });

  it('counts days in the visitor’s time zone', () => {
    // 23:30 UTC on Sunday is already Monday 00:30 in Berlin: "today" there, "tomorrow" in UTC.
    const sunday = Date.parse('2026-01-04T23:30:00Z');
    inZone('Europe/Berlin');
    expect(afterHoursText('en', monday9, sunday)).toBe('We will reply from today, 9:00');
    inZone('UTC');
    expect(afterHoursText('en', monday9, sunday)).toBe('We will reply from tomorrow, 8:00');
  });

  it('tells a visitor abroad the same clock as the due time beside it, not the site’s', () => {
    // Monday 7 December 2026, 19:23 in Berlin (closed); opens Tuesday 8:00 Berlin; the answer is
    // due Tuesday 12:00 Berlin. In New York that is 13:23, 2:00 and 6:00.
    const now = Date.parse('2026-12-07T18:23:00Z');
    const opens = Date.parse('2026-12-08T07:00:00Z');
    const due = Date.parse('2026-12-08T11:00:00Z');
    inZone('America/New_York');
    expect(afterHoursText('de', opens, now)).toBe('Wir antworten ab morgen, 2:00 Uhr');
    expect(afterHoursText('en', opens, now)).toBe('We will reply from tomorrow, 2:00');
    // The confirmation's due time (app.tsx) is formatted in the same zone.
    const dueText = new Intl.DateTimeFormat('de', { dateStyle: 'full', timeStyle: 'short' });
    expect(dueText.format(due)).toBe('Dienstag, 8. Dezember 2026 um 06:00');
  });

  it('applies when closed now or when the answer is due after the next opening', () => {
    const hours = { openNow: true, nextOpening: monday9 };
    expect(isAfterHours(undefined)).toBe(false);
    expect(isAfterHours(hours, monday9 - 1)).toBe(false);
    expect(isAfterHours(hours, monday9 + 1)).toBe(true);
    expect(isAfterHours({ ...hours, openNow: false })).toBe(true);
    expect(isAfterHours({ ...hours, nextOpening: undefined, openNow: false })).toBe(false);
  });
});

describe('conversation store', () => {
  it('keeps the newest conversations per site and forgets one on request', () => {
    const storage = memoryStorage();
    for (let n = 1; n <= MAX_STORED_CONVERSATIONS + 2; n++) {
      rememberConversation(storage, 'demo', {
        token: token(n),
        ticketId: `T-${n}`,
        createdAt: n,
        seen: n,
      });
    }
    const list = readConversations(storage, 'demo');
    expect(list).toHaveLength(MAX_STORED_CONVERSATIONS);
    expect(list[0]?.ticketId).toBe(`T-${MAX_STORED_CONVERSATIONS + 2}`);
    const newest = token(MAX_STORED_CONVERSATIONS + 2);
    updateConversation(storage, 'demo', newest, { rated: true });
    expect(readConversations(storage, 'demo')[0]?.rated).toBe(true);
    updateConversation(storage, 'demo', newest, undefined);
    expect(readConversations(storage, 'demo').map((c) => c.token)).not.toContain(newest);
    expect(readConversations(storage, 'other')).toEqual([]);
  });

  it('survives corrupt or blocked storage', () => {
    const storage = memoryStorage();
    storage.data.set('lotse:demo:conversations', '{not json');
    expect(readConversations(storage, 'demo')).toEqual([]);
    storage.data.set('lotse:demo:conversations', JSON.stringify([{ token: 'short' }, 3]));
    expect(readConversations(storage, 'demo')).toEqual([]);
    const blocked: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(readConversations(blocked, 'demo')).toEqual([]);
    expect(() =>
      rememberConversation(blocked, 'demo', {
        token: token(1),
        ticketId: 'T',
        createdAt: 0,
        seen: 0,
      }),
    ).not.toThrow();
  });

  it('adopts a signed-in visitor’s conversations from other devices, keeping what this one knows', () => {
    const storage = memoryStorage();
    rememberConversation(storage, 'demo', {
      token: token(2),
      ticketId: 'T-2',
      createdAt: 200,
      seen: 250,
      rated: true,
    });
    const listed = [
      { conversationToken: token(3), ticketId: 'T-3', createdAt: 300 },
      { conversationToken: token(2), ticketId: 'T-2', createdAt: 200 },
      { conversationToken: token(1), ticketId: 'T-1', createdAt: 100 },
      { conversationToken: 'not a token', ticketId: 'T-x', createdAt: 400 },
    ];
    const list = adoptConversations(storage, 'demo', listed);
    // Each is the user's now (T-2 was handed off here while signed in): gone at sign-out.
    expect(list).toEqual([
      { token: token(3), ticketId: 'T-3', createdAt: 300, seen: 0, user: true },
      { token: token(2), ticketId: 'T-2', createdAt: 200, seen: 250, rated: true, user: true },
      { token: token(1), ticketId: 'T-1', createdAt: 100, seen: 0, user: true },
    ]);
    expect(readConversations(storage, 'demo')).toEqual(list);
    expect(adoptConversations(storage, 'demo', listed)).toEqual(list);
  });

  it('forgets a signed-in visitor’s conversations at sign-out and when another user signs in', () => {
    const storage = memoryStorage();
    // Handed off here before signing in: the device's, not the user's.
    rememberConversation(storage, 'demo', {
      token: token(9),
      ticketId: 'T-9',
      createdAt: 90,
      seen: 90,
    });
    const first = [
      { conversationToken: token(1), ticketId: 'T-1', createdAt: 100 },
      { conversationToken: token(2), ticketId: 'T-2', createdAt: 200 },
    ];
    adoptConversations(storage, 'demo', first);
    expect(readConversations(storage, 'demo').map((c) => c.ticketId)).toEqual([
      'T-2',
      'T-1',
      'T-9',
    ]);

    // Another user on the same device: only their own and the device's are kept.
    const next = adoptConversations(storage, 'demo', [
      { conversationToken: token(3), ticketId: 'T-3', createdAt: 300 },
    ]);
    expect(next.map((c) => c.ticketId)).toEqual(['T-3', 'T-9']);

    // Signed out: the user's are gone from the device, the device's stay.
    expect(forgetSignedIn(storage, 'demo')).toEqual([
      { token: token(9), ticketId: 'T-9', createdAt: 90, seen: 90 },
    ]);
    expect(readConversations(storage, 'demo').map((c) => c.ticketId)).toEqual(['T-9']);
    expect(storage.data.get('lotse:demo:conversations')).not.toContain(token(3));
    // Nothing to forget: nothing changes, so the panel need not redraw.
    expect(forgetSignedIn(storage, 'demo')).toBeUndefined();
  });

  it('keeps as many of a signed-in visitor’s conversations as fit one partitioned cookie', () => {
    const jar = new Map<string, string>();
    const doc = {
      get cookie() {
        return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      },
      set cookie(line: string) {
        const [pair = ''] = line.split('; ');
        const at = pair.indexOf('=');
        // Browsers drop a cookie whose name and value pass 4096 bytes (RFC 6265 section 6.1).
        if (pair.length <= 4096) jar.set(pair.slice(0, at), pair.slice(at + 1));
      },
    };
    const storage = createCookieStorage(doc);
    // The server lists up to 20 (its 43-character tokens); all the device knows of each is kept.
    const listed = Array.from({ length: 20 }, (_, n) => ({
      conversationToken: `${'x'.repeat(40)}${String(n).padStart(3, '0')}`,
      ticketId: `T-${String(n).padStart(10, 'A')}`,
      createdAt: 1_765_000_000_000 + n,
    }));
    // The tester's user had 12, 7 of them with new replies: every one is listed.
    expect(adoptConversations(storage, 'demo', listed.slice(8))).toHaveLength(12);
    adoptConversations(storage, 'demo', listed);
    for (const c of readConversations(storage, 'demo')) {
      updateConversation(storage, 'demo', c.token, { seen: 1_765_100_000_000, rated: true });
    }
    const kept = readConversations(storage, 'demo');
    expect(kept).toHaveLength(MAX_STORED_CONVERSATIONS);
    expect(kept.every((c) => c.rated && c.user)).toBe(true);
    expect(kept[0]?.ticketId).toBe(`T-${'A'.repeat(8)}19`);
  });

  it('counts agent replies newer than the last one seen', () => {
    const messages = [
      { from: 'visitor', ts: 10 },
      { from: 'agent', ts: 20 },
      { from: 'agent', ts: 30 },
      { from: 'visitor', ts: 40 },
    ];
    expect(countUnread(messages, 0)).toBe(2);
    expect(countUnread(messages, 20)).toBe(1);
    expect(newestAgentTime(messages, 0)).toBe(30);
    expect(countUnread(messages, newestAgentTime(messages, 0))).toBe(0);
  });
});

describe('partitioned cookie storage', () => {
  it('stores, reads and removes values as partitioned cookies under /panel/', () => {
    const written: string[] = [];
    const jar = new Map<string, string>();
    const doc = {
      get cookie() {
        return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      },
      set cookie(line: string) {
        written.push(line);
        const [pair = '', ...attributes] = line.split('; ');
        const [key = '', value = ''] = pair.split('=');
        if (attributes.includes('Max-Age=0')) jar.delete(key);
        else jar.set(key, value);
      },
    };
    const storage = createCookieStorage(doc);
    rememberConversation(storage, 'demo', {
      token: token(1),
      ticketId: 'T-1',
      createdAt: 1,
      seen: 1,
    });
    storage.setItem('other', 'a; b=c');
    expect(readConversations(storage, 'demo')[0]?.ticketId).toBe('T-1');
    expect(storage.getItem('other')).toBe('a; b=c');
    expect(written[0]).toMatch(/; Path=\/panel\/; Secure; SameSite=None; Partitioned$/);
    storage.removeItem('other');
    expect(storage.getItem('other')).toBeNull();
  });
});
