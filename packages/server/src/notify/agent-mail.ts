import type { PageLocale } from '../pages/i18n.js';
import type { HandoffRow } from '../store/store.js';
import { agentMailMessages } from './agent-mail-messages.js';

/** Options of {@link agentMail}. */
export interface AgentMailOptions {
  /**
   * `created`: a new handoff; `overdue`: past `respondBy` without a reply; `follow-up`: the
   * visitor wrote again after an agent's reply or the close.
   */
  kind: 'created' | 'overdue' | 'follow-up';
  handoff: Pick<HandoffRow, 'ticketId' | 'level' | 'topic' | 'respondBy' | 'message'>;
  /** The visitor's new message (`follow-up`); the handoff's first message otherwise. */
  text?: string | undefined;
  /** Language of the team (the site's knowledge-base default). */
  locale: PageLocale;
  siteTitle: string;
  /** IANA time zone the due time is shown in (the site's business hours'). */
  timeZone: string;
  /** The topic's name in `locale`; undefined = its id. */
  topicName?: string | undefined;
  /** The level's name in `locale` ("Service-Team"); undefined = the number alone. */
  levelName?: string | undefined;
  /** Link to the conversation in the inbox. */
  inboxUrl: string;
}

/** A plain-text mail to the agents. */
export interface AgentMail {
  /** One line: nothing in it can start another header. */
  subject: string;
  text: string;
}

// Subjects are cut here: nodemailer folds a longer header into RFC 5322's 78-character lines, but a
// mail list shows about the first hundred characters, so the ticket and the topic come first.
const MAX_SUBJECT = 200;

/** A text cut to `max` characters with an ellipsis. */
export function excerpt(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Untrusted text (a site title, a topic name from the knowledge base) as one line: line breaks,
 * Unicode line and paragraph separators and other control characters become spaces, so it can
 * neither start a header in a subject nor fake a field line in a body.
 */
export function singleLine(text: string, max = MAX_SUBJECT): string {
  const line = text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return excerpt(line, max);
}

/**
 * A due time in the team's language and the site's time zone, the zone named:
 * "Mo., 7. Dez., 16:27 (Europe/Berlin)", "Mon 7 Dec, 16:27 (Europe/Berlin)".
 */
export function formatDue(iso: string, locale: PageLocale, timeZone: string): string {
  const time = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(Date.parse(iso));
  return `${time} (${timeZone})`;
}

/**
 * The agents' mail about a new or overdue conversation or a visitor's follow-up, in the team's
 * language: topic and level by name, the due time in the site's time zone (not for a follow-up: the
 * promise was about the first answer), the visitor's message once, the inbox link.
 *
 * @example
 * const { subject, text } = agentMail({ kind: 'created', handoff, locale: 'de', siteTitle: 'Nordlicht',
 *   timeZone: 'Europe/Berlin', topicName: 'Versand', levelName: 'Service-Team', inboxUrl });
 */
export function agentMail(options: AgentMailOptions): AgentMail {
  const { handoff, locale } = options;
  const t = agentMailMessages(locale);
  const site = singleLine(options.siteTitle);
  const topic =
    handoff.topic === null ? undefined : singleLine(options.topicName ?? handoff.topic, 100);
  const levelName =
    options.levelName === undefined ? undefined : singleLine(options.levelName, 100);
  const level = `${handoff.level}${levelName === undefined ? '' : ` (${levelName})`}`;
  const due = formatDue(handoff.respondBy, locale, options.timeZone);

  const details = [topic, `${t.level} ${level}`].filter((x) => x !== undefined).join(', ');
  const copy = {
    created: [t.created, t.createdIntro],
    overdue: [t.overdue, t.overdueIntro],
    'follow-up': [t.followUp, t.followUpIntro],
  } as const;
  const [title, introTemplate] = copy[options.kind];
  const subject = singleLine(`[${site}] ${title} ${handoff.ticketId}: ${details}`);
  // A replacer function: a title with "$&" in it stays as written.
  const intro = introTemplate.replace('{site}', () => site);
  const fields = [
    `${t.ticket}: ${handoff.ticketId}`,
    ...(topic === undefined ? [] : [`${t.topic}: ${topic}`]),
    `${t.level}: ${level}`,
    ...(options.kind === 'follow-up' ? [] : [`${t.respondBy}: ${due}`]),
  ];
  const text = [
    intro,
    '',
    ...fields,
    '',
    `${t.message}:`,
    excerpt(options.text ?? handoff.message),
    '',
    `${t.openInInbox}: ${options.inboxUrl}`,
    '',
  ].join('\n');
  return { subject, text };
}
