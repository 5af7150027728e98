import * as z from 'zod/mini';

/** Why the server rejected one event of a batch (stable codes, also used by {@link validateEvent}). */
export const eventRejectionCodeSchema = z.enum([
  'invalid_event',
  'unknown_type',
  'missing_field',
  'unknown_field',
  'invalid_field',
  'too_long',
  'out_of_range',
  'unmasked_text',
  // Who may send the type: only the server; only the conversation token's holder; not this conversation.
  'server_only_type',
  'conversation_token_required',
  'other_conversation',
  'not_conversation_type',
]);

/** Why the server rejected one event of a batch. */
export type EventRejectionCode = z.infer<typeof eventRejectionCodeSchema>;

/** `202` reply of `POST /v1/events`: counts, and the events rejected one by one. */
export const eventBatchReplySchema = z.object({
  accepted: z.int().check(z.gte(0)),
  duplicates: z.int().check(z.gte(0)),
  rejected: z.array(
    z.object({
      index: z.int().check(z.gte(0)),
      code: z.string(),
      field: z.optional(z.string()),
    }),
  ),
});

/** `202` reply of `POST /v1/events`. */
export type EventBatchReply = z.infer<typeof eventBatchReplySchema>;

/** Error codes the server answers with (DESIGN.md "Server"); `code` stays an open string for growth. */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_request',
  'payload_too_large',
  'too_many_events',
  'unknown_site',
  'origin_not_allowed',
  'not_found',
  'rate_limited',
  'unauthorized',
  'conflict',
  'internal_error',
] as const;

/** A known server error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Body of every 4xx/5xx answer: `{ error: { code, message, field? } }`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.optional(z.string()),
  }),
});

/** Body of every 4xx/5xx answer. */
export type ErrorBody = z.infer<typeof errorBodySchema>;
