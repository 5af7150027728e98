import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BusinessHours } from '@lotse/sdk/metrics';
import * as z from 'zod';
import { isTimeZone } from './business-time.js';

/**
 * The team figures an owner may set a target (benchmark) for (dashboard/team-figures.ts): rates and
 * shares in percent, durations in minutes, NPS from -100 to 100, costs in the site's currency.
 */
export const TEAM_TARGET_KEYS = [
  'handled',
  'frtMedian',
  'frtP90',
  'frtBusinessMedian',
  'frtBusinessP90',
  'handlingMedian',
  'activeMedian',
  'fcr',
  'reopenRate',
  'csat',
  'nps',
  'scorecard',
  'playbook',
  'sla1',
  'sla2',
  'sla3',
  'costPerCase',
  'costPerWorkingHour',
] as const;

const percent = z.number().min(0).max(100);

/**
 * Targets of the dashboard's tiles, as an owner sets them: rates in percent, the first response
 * in minutes, CES on its 1–7 scale, NPS from −100 to 100 (the team view's targets are in `team`).
 */
export const dashboardTargetsSchema = z.strictObject({
  selfServiceRate: z.optional(percent),
  escalationRate: z.optional(percent),
  firstContactResolution: z.optional(percent),
  frtMedianMinutes: z.optional(z.number().min(0).max(525_600)),
  csat: z.optional(percent),
  ces: z.optional(z.number().min(1).max(7)),
  nps: z.optional(z.number().min(-100).max(100)),
});

/** A figure of the team view a target can be set for. */
export type TeamTargetKey = (typeof TEAM_TARGET_KEYS)[number];

const minutes = z.number().min(0).max(525_600);
const amount = z.number().min(0).max(1e9);

/**
 * Targets of the team view, each in its figure's unit and range (a target outside it could never be
 * met or never missed): counts, minutes (up to a year) and costs from 0, rates and shares 0–100 %,
 * NPS −100 to 100.
 */
export const teamTargetsSchema = z.strictObject({
  handled: z.optional(amount),
  frtMedian: z.optional(minutes),
  frtP90: z.optional(minutes),
  frtBusinessMedian: z.optional(minutes),
  frtBusinessP90: z.optional(minutes),
  handlingMedian: z.optional(minutes),
  activeMedian: z.optional(minutes),
  fcr: z.optional(percent),
  reopenRate: z.optional(percent),
  csat: z.optional(percent),
  nps: z.optional(z.number().min(-100).max(100)),
  scorecard: z.optional(percent),
  playbook: z.optional(percent),
  sla1: z.optional(percent),
  sla2: z.optional(percent),
  sla3: z.optional(percent),
  costPerCase: z.optional(amount),
  costPerWorkingHour: z.optional(amount),
} satisfies Record<TeamTargetKey, unknown>);

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const intervalPattern = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

const intervalSchema = z.string().check(
  z.regex(intervalPattern, 'must look like "09:00-17:30" (24-hour clock, end up to 24:00)'),
  // Zero-padded `hh:mm` strings compare like the times they name.
  // Only a well-formed interval is compared: "8:00-18:00" gets the format message alone.
  z.refine((s) => {
    if (!intervalPattern.test(s)) return true;
    const [from, to] = splitInterval(s);
    return to > from;
  }, 'must end after it starts'),
);

const originSchema = z.string().check(
  z.refine((s) => {
    try {
      const url = new URL(s);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === s;
    } catch {
      return false;
    }
  }, 'must be an origin such as "https://shop.example.com" (scheme, host, optional port; no path)'),
);

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

/** The `mail.imap` block: where the mailbox is and how Lotse signs in. */
const imapSchema = z
  .strictObject({
    host: z.string().min(1).max(255),
    /** @default 993 with `tls: 'implicit'`, else 143 */
    port: z.optional(z.int().min(1).max(65_535)),
    /**
     * `implicit`: TLS from the first byte (port 993); `starttls`: plain, then STARTTLS, refused
     * without it; `none`: no TLS, only for a server on this machine. @default 'implicit'
     */
    tls: z.optional(z.enum(['implicit', 'starttls', 'none'])),
    user: z.string().min(1).max(320),
    /** The mailbox password; better `passwordEnv`, so it need not sit in a settings file. */
    password: z.optional(z.string().min(1).max(1000)),
    /** Name of the environment variable that holds the password (read when the poller starts). */
    passwordEnv: z.optional(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name'),
    ),
    /** @default 'INBOX' */
    mailbox: z.optional(z.string().min(1).max(500)),
    /** Largest mail read, in bytes; larger ones stay in the mailbox, unread. @default 26214400 (25 MiB) */
    maxBytes: z.optional(
      z
        .int()
        .min(1024)
        .max(100 * 1024 * 1024),
    ),
    /** Seconds between two looks into the mailbox; IMAP IDLE wakes the poller earlier. @default 60 */
    pollSeconds: z.optional(z.int().min(5).max(86_400)),
  })
  .check(
    z.refine((s) => s.password !== undefined || s.passwordEnv !== undefined, {
      message: 'needs `password` or `passwordEnv` (the environment variable holding it)',
      path: ['password'],
    }),
    z.refine((s) => s.tls !== 'none' || loopback.has(s.host), {
      message: 'may be "none" only for a server on this machine (127.0.0.1, ::1, localhost)',
      path: ['tls'],
    }),
  );

/**
 * Settings of one site (service policy, not content): the format of `examples/site.json`.
 * `PORT` inside an allowed origin is replaced with the server's port when seeding.
 */
export const siteSettingsSchema = z.strictObject({
  key: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a slug (letters, digits, - and _)'),
  title: z.string().min(1).max(200),
  /** Origins whose pages may embed the widget and send events (the server's own origin always may). */
  allowedOrigins: z.array(originSchema).max(100),
  /** Knowledge-base folder, relative to the settings file; absent = no model for this site. */
  knowledgeBase: z.optional(z.string().min(1)),
  /** Promised response time per level, in business minutes. */
  responseMinutes: z.strictObject({
    '1': z.int().min(0).max(525_600),
    '2': z.int().min(0).max(525_600),
    '3': z.int().min(0).max(525_600),
  }),
  /** IANA time zone of the business hours. */
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as "Europe/Berlin"'),
  /** Opening intervals per weekday; a missing or empty day is closed. Absent = always open. */
  businessHours: z.optional(z.partialRecord(z.enum(weekdays), z.array(intervalSchema).max(8))),
  /** Local dates (`YYYY-MM-DD`) on which the site is closed. */
  holidays: z.optional(z.array(z.iso.date()).max(1000)),
  /** Whether the widget may send the masked text of unanswered questions (`query.unanswered`). */
  collectUnansweredQuestions: z.optional(z.boolean()),
  /** Days before the widget asks the same visitor for NPS again. @default 90 (the widget's default) */
  npsIntervalDays: z.optional(z.int().min(1).max(3650)),
  /**
   * Key of the HMAC-SHA256 with which the site's own server signs user ids for a signed `identify`
   * (at least 32 characters); absent = signed-in visitors are not recognised.
   */
  identitySecret: z.optional(
    z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').max(200),
  ),
  /**
   * Tags the inbox offers for this site's conversations (tag form, quick filters); agents may still
   * add others. Each as the inbox stores tags: 1–40 characters, no comma.
   */
  suggestedTags: z.optional(
    z
      .array(
        z.string().check(
          z.refine(
            (s) => s.trim() !== '' && [...s.trim()].length <= 40,
            'must be 1 to 40 characters',
          ),
          z.refine(
            (s) => !s.includes(','),
            'must not contain a comma (the tag field separates by commas)',
          ),
        ),
      )
      .max(50),
  ),
  /** Who hears about conversations: agents by e-mail, the visitor on a reply, a signed webhook. */
  notifications: z.optional(
    z.strictObject({
      /** Agents told about new and overdue conversations. @default every agent account */
      agentEmails: z.optional(z.array(z.email()).max(100)),
      /** Whether the visitor gets an agent's reply by e-mail. @default true */
      emailVisitor: z.optional(z.boolean()),
      /** Sender address of the site's e-mails. @default the server's LOTSE_MAIL_FROM */
      from: z.optional(z.string().min(3).max(320)),
      /** Receives every conversation event as JSON, signed with `webhookSecret`. */
      webhookUrl: z.optional(z.url({ protocol: /^https?$/ })),
      /** Key of the HMAC-SHA256 in `X-Lotse-Signature` (at least 16 characters). */
      webhookSecret: z.optional(z.string().min(16).max(200)),
    }),
  ),
  /**
   * The mail channel (src/mail/): mail to `addresses` is decided like the widget's questions. Off
   * unless an inbound way is set: `listener` (mail delivered to Lotse) or `imap` (a mailbox Lotse reads).
   */
  mail: z.optional(
    z.strictObject({
      /** The site's addresses; mail to any other address is refused at RCPT TO. */
      addresses: z.array(z.email()).min(1).max(20),
      /** Sender of the automatic and agent replies. @default the first address */
      from: z.optional(z.string().min(3).max(320)),
      /** Whether a confident level-1 question gets the prepared answer by mail. @default true */
      autoReplies: z.optional(z.boolean()),
      /**
       * Largest attachment kept, in bytes; a larger one is listed with its name, size and a warning,
       * its content not kept. @default 10485760 (10 MiB)
       */
      maxAttachmentBytes: z.optional(
        z
          .int()
          .min(0)
          .max(100 * 1024 * 1024),
      ),
      /** An SMTP listener; sites naming the same host and port share one. */
      listener: z.optional(
        z.strictObject({
          /** @default '127.0.0.1' */
          host: z.optional(z.string().min(1).max(255)),
          /** 0 picks a free port (tests). */
          port: z.int().min(0).max(65_535),
          /** Largest mail accepted, in bytes. @default 26214400 (25 MiB) */
          maxBytes: z.optional(
            z
              .int()
              .min(1024)
              .max(100 * 1024 * 1024),
          ),
          /** PEM files; with both, the listener offers STARTTLS. */
          tlsKeyFile: z.optional(z.string().min(1)),
          tlsCertFile: z.optional(z.string().min(1)),
        }),
      ),
      /** An existing mailbox Lotse reads over IMAP (src/mail/imap-poller.ts); nothing is deleted there. */
      imap: z.optional(imapSchema),
    }),
  ),
  /** The dashboard's tiles: a target per figure, shown with its gap. */
  dashboard: z.optional(z.strictObject({ targets: z.optional(dashboardTargetsSchema) })),
  /** The dashboard's team view: cost rate, targets and who sees whose figures. */
  team: z.optional(
    z.strictObject({
      /** What one paid working hour of an agent costs, in `currency`; absent = no cost figures. */
      costPerHour: z.optional(z.number().min(0).max(1_000_000)),
      /** ISO 4217 code of the cost rate. @default 'EUR' */
      currency: z.optional(
        z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "EUR"'),
      ),
      /** Paid hours of one agent per week, for the period's cost. @default 40 */
      paidHoursPerWeek: z.optional(z.number().min(1).max(168)),
      /** Targets per figure, each in its unit and range ({@link teamTargetsSchema}). */
      targets: z.optional(teamTargetsSchema),
      /** Whether agents see their colleagues' rows and the team row. @default false */
      agentsSeeColleagues: z.optional(z.boolean()),
    }),
  ),
});

/** Site settings as written in a site file or stored. */
export type SiteSettings = z.infer<typeof siteSettingsSchema>;

/** A site with its settings resolved for request handling. */
export interface ResolvedSite {
  key: string;
  title: string;
  settings: SiteSettings;
  allowedOrigins: ReadonlySet<string>;
  /** Absolute knowledge-base folder, if any. */
  knowledgeBase: string | undefined;
  responseMinutes: Readonly<Record<1 | 2 | 3, number>>;
  /** When the site works, in the shape `@lotse/sdk/metrics` measures business time with. */
  hours: BusinessHours;
  /** Whether the widget reports the masked text of unanswered questions. */
  collectUnanswered: boolean;
  /** Key that verifies signed user ids; undefined = none accepted. */
  identitySecret: string | undefined;
  /** The team view's settings, defaults applied. */
  team: ResolvedTeamSettings;
}

/** The `team` block of the settings with its defaults. */
export interface ResolvedTeamSettings {
  costPerHour: number | undefined;
  currency: string;
  paidHoursPerWeek: number;
  targets: Partial<Record<TeamTargetKey, number | undefined>>;
  agentsSeeColleagues: boolean;
}

/** `"09:00-17:30"` → `['09:00', '17:30']`, the interval shape of `BusinessHours`. */
function splitInterval(interval: string): [string, string] {
  const [from = '', to = ''] = interval.split('-');
  return [from, to];
}

/** Thrown when a site file or stored site does not match {@link siteSettingsSchema}. */
export class SiteSettingsError extends Error {
  override readonly name = 'SiteSettingsError';
}

/** Validates settings, naming the source and each wrong field. */
export function parseSiteSettings(input: unknown, source: string): SiteSettings {
  const result = siteSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new SiteSettingsError(`[lotse] ${source}: invalid site settings: ${problems}`);
}

/**
 * A day's intervals in order, overlapping or touching ones merged ("08:00-12:00", "10:00-14:00" →
 * "08:00-14:00"): the business clock walks them in order and would skip a morning listed after
 * the afternoon.
 */
function dayIntervals(intervals: readonly string[]): [string, string][] {
  const merged: [string, string][] = [];
  for (const [from, to] of intervals.map(splitInterval).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const last = merged.at(-1);
    if (last === undefined || from > last[1]) merged.push([from, to]);
    else if (to > last[1]) last[1] = to;
  }
  return merged;
}

/** Turns validated settings into the form the request handlers use. */
export function resolveSite(settings: SiteSettings): ResolvedSite {
  const days: BusinessHours['days'] = {};
  // Business hours that open on no day at all mean no hours, as without them (always open).
  const hours = Object.values(settings.businessHours ?? {}).some((d) => d.length > 0)
    ? settings.businessHours
    : undefined;
  weekdays.forEach((day, index) => {
    const intervals = hours === undefined ? ['00:00-24:00'] : (hours[day] ?? []);
    if (intervals.length > 0) days[index as 0] = dayIntervals(intervals);
  });
  return {
    key: settings.key,
    title: settings.title,
    settings,
    allowedOrigins: new Set(settings.allowedOrigins),
    knowledgeBase: settings.knowledgeBase,
    responseMinutes: {
      1: settings.responseMinutes['1'],
      2: settings.responseMinutes['2'],
      3: settings.responseMinutes['3'],
    },
    hours: { timeZone: settings.timeZone, days, holidays: settings.holidays ?? [] },
    collectUnanswered: settings.collectUnansweredQuestions ?? false,
    identitySecret: settings.identitySecret,
    team: {
      costPerHour: settings.team?.costPerHour,
      currency: settings.team?.currency ?? 'EUR',
      paidHoursPerWeek: settings.team?.paidHoursPerWeek ?? 40,
      targets: settings.team?.targets ?? {},
      agentsSeeColleagues: settings.team?.agentsSeeColleagues ?? false,
    },
  };
}

/**
 * Reads a site file, replaces `PORT` in its origins and makes its knowledge-base path absolute.
 *
 * @example
 * const demo = await loadSiteFile('examples/site.json', { port: 8787 });
 */
export async function loadSiteFile(file: string, options: { port: number }): Promise<SiteSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SiteSettingsError(
      `[lotse] ${file}: cannot read the site file (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  if (
    raw !== null &&
    typeof raw === 'object' &&
    Array.isArray((raw as { allowedOrigins?: unknown }).allowedOrigins)
  ) {
    const r = raw as { allowedOrigins: unknown[] };
    r.allowedOrigins = r.allowedOrigins.map((o) =>
      typeof o === 'string' ? o.replaceAll('PORT', String(options.port)) : o,
    );
  }
  const settings = parseSiteSettings(raw, file);
  if (settings.knowledgeBase === undefined) return settings;
  return { ...settings, knowledgeBase: path.resolve(path.dirname(file), settings.knowledgeBase) };
}
