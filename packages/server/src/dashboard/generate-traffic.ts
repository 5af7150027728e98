import type { EventRow } from '../store/store.js';

/** Options of {@link generateTraffic}. */
export interface GenerateTrafficOptions {
  siteKey: string;
  /** First day, 00:00 UTC (epoch ms). */
  start: number;
  days: number;
  /** Conversations started per day; a multiple of 5 keeps the known shares exact. */
  perDay: number;
}

/** Shares the generated traffic has by construction (of conversations, by their index mod 5). */
export const GENERATED_SHARES = {
  selfServiceRate: 0.5,
  escalationRate: 0.4,
  abandonmentRate: 0.2,
} as const;

const DAY = 86_400_000;
const MIN = 60_000;

// Deterministic ids, so two runs (SQLite and PostgreSQL, bench and test) store the same events.
function uuidOf(n: number, kind: number): string {
  const hex = (n * 16 + kind).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/**
 * A month (or more) of plausible traffic with known outcomes. Conversation `i` of a day ends by
 * `i % 5`: 0 and 1 resolved by self-service, 2 handed off on shipping (level 2; replied and closed,
 * rated by CSAT and CES), 3 abandoned after an unanswered question, 4 handed off as a complaint
 * (level 3; replied after hours, closed a day later, every other one reopened). Two conversations of
 * a day share each visitor, so some complaints have a second contact on the same topic.
 */
export function generateTraffic(options: GenerateTrafficOptions): EventRow[] {
  const rows: EventRow[] = [];
  let serial = 0;
  for (let d = 0; d < options.days; d++) {
    for (let i = 0; i < options.perDay; i++) {
      const n = d * options.perDay + i;
      const session = uuidOf(n, 1);
      const anonymous = uuidOf((n % Math.max(1, Math.floor(options.perDay / 2))) + d * 1000, 2);
      // Spread over the local day: 06:00–21:59 UTC.
      const t0 = options.start + d * DAY + 6 * 3_600_000 + ((i * 97) % 960) * MIN;
      const ticketId = `T-GEN${n}`;
      const channel = i % 7 === 0 ? 'email' : 'widget';
      const add = (
        type: string,
        ts: number,
        props: Record<string, unknown>,
        conversationId: string | null = null,
      ) =>
        rows.push({
          id: uuidOf(serial++, 0),
          siteKey: options.siteKey,
          type,
          ts,
          receivedAt: ts + 200,
          sessionId: session,
          anonymousId: anonymous,
          conversationId,
          userId: null,
          props,
          clientHash: null,
        });
      const kind = i % 5;
      add('widget.opened', t0 - MIN, { trigger: 'launcher', channel });
      add('query.submitted', t0, { locale: 'de', channel, length: 30 });
      const topic =
        kind <= 1 ? 'returns' : kind === 2 ? 'shipping' : kind === 3 ? 'payment' : 'complaints';
      const level = kind <= 1 || kind === 3 ? 1 : kind === 2 ? 2 : 3;
      add('triage.decided', t0 + 1000, {
        kind: kind <= 1 ? 'answer' : kind === 3 ? 'suggest' : 'handoff',
        level,
        topic,
        confidence: 0.7,
        signals: kind === 4 ? ['complaint'] : [],
        latencyMs: 3,
      });
      if (kind <= 1) {
        add('answer.shown', t0 + 2000, { entryId: 'returns-label', topic, level: 1 });
        add('answer.rated', t0 + 30_000, { entryId: 'returns-label', helpful: true, topic });
      } else if (kind === 3) {
        const variants = [
          'Wo ist meine Rechnung?',
          'wo ist meine  rechnung',
          'Gibt es Gutscheine?',
        ];
        add('query.unanswered', t0 + 2000, { text: variants[n % 3], locale: 'de', topic });
        add('answer.rated', t0 + 20_000, { entryId: 'payment-methods', helpful: false, topic });
      } else {
        const conversationId = `conv-${n}`;
        const handoffAt = t0 + 3 * MIN;
        add('handoff.created', handoffAt, { ticketId, level, topic, channel }, conversationId);
        const replyAfter = kind === 2 ? (20 + (n % 50)) * MIN : (600 + (n % 240)) * MIN;
        add('agent.replied', handoffAt + replyAfter, { ticketId, first: true }, conversationId);
        const closeAfter = kind === 2 ? replyAfter + 10 * MIN : 26 * 3_600_000 + (n % 60) * MIN;
        add(
          'conversation.closed',
          handoffAt + closeAfter,
          { ticketId, by: 'agent', topic, level },
          conversationId,
        );
        if (kind === 2) {
          add('csat.submitted', handoffAt + closeAfter + MIN, {
            score: 1 + (Math.floor(n / 5) % 5),
            conversationId,
          });
          add('ces.submitted', handoffAt + closeAfter + 2 * MIN, {
            score: 1 + (Math.floor(n / 5) % 7),
            conversationId,
          });
        } else if (n % 2 === 0) {
          add(
            'conversation.reopened',
            handoffAt + closeAfter + 3_600_000,
            { ticketId, by: 'visitor' },
            conversationId,
          );
        }
      }
      if (i === 0) add('nps.submitted', t0 + 40 * MIN, { score: d % 11 });
    }
  }
  return rows;
}
