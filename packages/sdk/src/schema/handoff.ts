import * as z from 'zod/mini';
import { MAX_MESSAGE_LENGTH, MAX_TRANSCRIPT_LINES } from './limits.js';
import {
  confidenceSchema,
  epochMsSchema,
  idSchema,
  levelSchema,
  localeSchema,
  signalSchema,
  slugSchema,
  uuidSchema,
} from './primitives.js';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** The triage outcome a handoff carries for the agent (plain data the widget fills from triage). */
export const classificationSchema = z.strictObject({
  level: levelSchema,
  topic: z.optional(slugSchema),
  signals: z.array(signalSchema).check(z.maxLength(4)),
  confidence: confidenceSchema,
  reasons: z.array(text(300)).check(z.maxLength(20)),
});

/** The triage outcome a handoff carries. */
export type Classification = z.infer<typeof classificationSchema>;

/** One line of what the visitor and the bot said before the handoff. */
export const transcriptLineSchema = z.strictObject({
  from: z.enum(['visitor', 'bot']),
  text: text(MAX_MESSAGE_LENGTH),
  ts: epochMsSchema,
});

/** One line of the pre-handoff transcript. */
export type TranscriptLine = z.infer<typeof transcriptLineSchema>;

/** `POST /v1/handoffs` body; `id` is the idempotency key. */
export const handoffRequestSchema = z.strictObject({
  id: uuidSchema,
  siteKey: slugSchema,
  // A pragmatic address check (one @, a dot in the domain); the server sends mail, which is the real test.
  email: z.string().check(z.maxLength(254), z.regex(/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/)),
  consent: z.literal(true),
  message: text(MAX_MESSAGE_LENGTH),
  transcript: z.array(transcriptLineSchema).check(z.maxLength(MAX_TRANSCRIPT_LINES)),
  classification: classificationSchema,
  locale: z.optional(localeSchema),
  anonymousId: z.optional(uuidSchema),
  sessionId: z.optional(uuidSchema),
  conversationId: z.optional(idSchema),
});

/** `POST /v1/handoffs` body. */
export type HandoffRequest = z.infer<typeof handoffRequestSchema>;

/** `201` reply of `POST /v1/handoffs`. */
export const handoffReplySchema = z.object({
  ticketId: idSchema,
  conversationToken: z.string().check(z.minLength(22), z.maxLength(256)),
  respondWithinMinutes: z.int().check(z.gte(0)),
  // ISO 8601 date-time with seconds and an offset or Z, as Date.prototype.toISOString writes it.
  respondBy: z.string().check(z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)),
});

/** `201` reply of `POST /v1/handoffs`. */
export type HandoffReply = z.infer<typeof handoffReplySchema>;
