import * as z from 'zod/mini';
import { isMasked, MAX_QUESTION_LENGTH } from '../mask.js';
import {
  channelSchema,
  confidenceSchema,
  decisionKindSchema,
  epochMsSchema,
  idSchema,
  kbVersionSchema,
  levelSchema,
  localeSchema,
  signalSchema,
  slugSchema,
  uuidSchema,
} from './primitives.js';

const topic = z.optional(slugSchema);
// The knowledge-base version whose model gave the answer, so the dashboard can compare versions.
const kbVersion = z.optional(kbVersionSchema);
const score = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

/** Props of each event type; strict objects, so no free text slips in beside them. */
export const eventPropsSchemas = {
  'widget.opened': z.strictObject({
    channel: z.optional(channelSchema),
    locale: z.optional(localeSchema),
    trigger: z.optional(z.enum(['launcher', 'api', 'badge'])),
  }),
  'query.submitted': z.strictObject({
    locale: z.optional(localeSchema),
    channel: z.optional(channelSchema),
    length: z.optional(z.int().check(z.gte(0), z.lte(100_000))),
  }),
  'query.unanswered': z.strictObject({
    // The one free text in analytics: opt-in, truncated and masked before it leaves the device.
    text: z.string().check(
      z.minLength(1),
      z.maxLength(MAX_QUESTION_LENGTH),
      z.refine((t) => isMasked(t), {
        message: 'must not contain personal data (use maskPersonalData)',
        params: { lotse: 'unmasked' },
      }),
    ),
    locale: z.optional(localeSchema),
    topic,
  }),
  'triage.decided': z.strictObject({
    kind: decisionKindSchema,
    level: levelSchema,
    topic,
    entryId: z.optional(idSchema),
    confidence: confidenceSchema,
    signals: z.array(signalSchema).check(z.maxLength(4)),
  }),
  'answer.shown': z.strictObject({
    entryId: idSchema,
    topic,
    level: z.optional(levelSchema),
    kbVersion,
  }),
  'answer.rated': z.strictObject({ entryId: idSchema, helpful: z.boolean(), topic, kbVersion }),
  'suggestion.clicked': z.strictObject({
    entryId: idSchema,
    rank: z.optional(z.int().check(z.gte(0), z.lte(100))),
    topic,
  }),
  'handoff.created': z.strictObject({
    ticketId: z.optional(idSchema),
    level: levelSchema,
    topic,
    channel: z.optional(channelSchema),
    reason: z.optional(
      z.enum(['level', 'complaint', 'wants-human', 'out-of-scope', 'not-helpful', 'person-button']),
    ),
  }),
  'agent.replied': z.strictObject({
    ticketId: z.optional(idSchema),
    first: z.optional(z.boolean()),
    channel: z.optional(channelSchema),
  }),
  'conversation.closed': z.strictObject({
    ticketId: z.optional(idSchema),
    by: z.optional(z.enum(['agent', 'visitor', 'system'])),
    topic,
    level: z.optional(levelSchema),
  }),
  'conversation.reopened': z.strictObject({
    ticketId: z.optional(idSchema),
    by: z.optional(z.enum(['agent', 'visitor'])),
  }),
  'conversation.abandoned': z.strictObject({
    stage: z.optional(z.enum(['question', 'answer', 'suggestions', 'handoff-form'])),
  }),
  'csat.submitted': z.strictObject({ score: score(1, 5), conversationId: idSchema }),
  'ces.submitted': z.strictObject({ score: score(1, 7), conversationId: idSchema }),
  'nps.submitted': z.strictObject({ score: score(0, 10) }),
} as const;

/** Every event type, in the order DESIGN.md lists them. */
export const EVENT_TYPES = Object.keys(eventPropsSchemas) as EventType[];

/** An event type name such as `answer.rated`. */
export type EventType = keyof typeof eventPropsSchemas;

/**
 * Event types only the server writes, for a handed-off conversation (an agent's reply, a close, a
 * reopen): `POST /v1/events` refuses them with `server_only_type`, so nobody with the public site
 * key can move first response time, resolution or escalation figures.
 */
export const SERVER_EVENT_TYPES = [
  'agent.replied',
  'conversation.closed',
  'conversation.reopened',
] as const satisfies readonly EventType[];

/** An event type only the server writes. */
export type ServerEventType = (typeof SERVER_EVENT_TYPES)[number];

/**
 * Event types that rate one conversation: they count only from the holder of its conversation
 * token, through `POST /v1/conversations/:token/events` (the client's `rateConversation`);
 * `POST /v1/events` refuses them with `conversation_token_required`.
 */
export const CONVERSATION_EVENT_TYPES = [
  'csat.submitted',
  'ces.submitted',
] as const satisfies readonly EventType[];

/** An event type that rates one conversation. */
export type ConversationEventType = (typeof CONVERSATION_EVENT_TYPES)[number];

/**
 * Event types anyone holding the public site key may send to `POST /v1/events` (what `track`
 * sends): every type except {@link SERVER_EVENT_TYPES} and {@link CONVERSATION_EVENT_TYPES}.
 * A literal list rather than a filter, so that bundles that do not use it drop it.
 */
export const PUBLIC_EVENT_TYPES = [
  'widget.opened',
  'query.submitted',
  'query.unanswered',
  'triage.decided',
  'answer.shown',
  'answer.rated',
  'suggestion.clicked',
  'handoff.created',
  'conversation.abandoned',
  'nps.submitted',
] as const satisfies readonly EventType[];

/** An event type anyone holding the public site key may send. */
export type PublicEventType = (typeof PUBLIC_EVENT_TYPES)[number];

/** The props each event type carries (input shape: optional fields may be left out). */
export type EventPropsMap = { [T in EventType]: z.input<(typeof eventPropsSchemas)[T]> };

/** Fields every event carries around its props. */
export const envelopeShape = {
  id: uuidSchema,
  ts: epochMsSchema,
  siteKey: slugSchema,
  sessionId: uuidSchema,
  anonymousId: uuidSchema,
  conversationId: z.optional(idSchema),
  userId: z.optional(idSchema),
};

function eventSchemaOf<T extends EventType>(type: T) {
  return z.strictObject({
    ...envelopeShape,
    type: z.literal(type),
    props: eventPropsSchemas[type] as (typeof eventPropsSchemas)[T],
  });
}

/** One strict schema per event type (envelope plus its props). */
export const eventSchemas = {
  'widget.opened': eventSchemaOf('widget.opened'),
  'query.submitted': eventSchemaOf('query.submitted'),
  'query.unanswered': eventSchemaOf('query.unanswered'),
  'triage.decided': eventSchemaOf('triage.decided'),
  'answer.shown': eventSchemaOf('answer.shown'),
  'answer.rated': eventSchemaOf('answer.rated'),
  'suggestion.clicked': eventSchemaOf('suggestion.clicked'),
  'handoff.created': eventSchemaOf('handoff.created'),
  'agent.replied': eventSchemaOf('agent.replied'),
  'conversation.closed': eventSchemaOf('conversation.closed'),
  'conversation.reopened': eventSchemaOf('conversation.reopened'),
  'conversation.abandoned': eventSchemaOf('conversation.abandoned'),
  'csat.submitted': eventSchemaOf('csat.submitted'),
  'ces.submitted': eventSchemaOf('ces.submitted'),
  'nps.submitted': eventSchemaOf('nps.submitted'),
} as const;

/** A validated event of one type. */
export type EventOf<T extends EventType> = z.output<(typeof eventSchemas)[T]>;

/** A validated event of any type. */
export type LotseEvent = { [T in EventType]: EventOf<T> }[EventType];

/** Most events one request may carry (DESIGN.md "Delivery"). */
export const MAX_BATCH_EVENTS = 100;

/** Most bytes one request body may have (DESIGN.md "Delivery"). */
export const MAX_BATCH_BYTES = 64 * 1024;

/** `POST /v1/events` body; events stay `unknown` so the server can reject them one by one. */
export const eventBatchSchema = z.object({
  events: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BATCH_EVENTS)),
});

/** `POST /v1/events` body. */
export type EventBatch = z.infer<typeof eventBatchSchema>;
