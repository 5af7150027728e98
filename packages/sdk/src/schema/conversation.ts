import * as z from 'zod/mini';
import { MAX_MESSAGE_LENGTH } from './limits.js';
import { epochMsSchema, idSchema, uuidSchema } from './primitives.js';

/** One message of a conversation after the handoff. */
export const conversationMessageSchema = z.object({
  id: idSchema,
  from: z.enum(['visitor', 'agent']),
  text: z.string().check(z.minLength(1), z.maxLength(MAX_MESSAGE_LENGTH)),
  ts: epochMsSchema,
});

/** One message of a conversation. */
export type ConversationMessage = z.infer<typeof conversationMessageSchema>;

/** `POST /v1/conversations/:token/messages` body; `id` is the idempotency key. */
export const conversationReplyRequestSchema = z.strictObject({
  id: uuidSchema,
  text: z.string().check(z.minLength(1), z.maxLength(MAX_MESSAGE_LENGTH)),
});

/** `POST /v1/conversations/:token/messages` body. */
export type ConversationReplyRequest = z.infer<typeof conversationReplyRequestSchema>;

/** `POST /v1/conversations/:token/reopen` body; `id` is the idempotency key. */
export const conversationReopenRequestSchema = z.strictObject({ id: uuidSchema });

/** `POST /v1/conversations/:token/reopen` body. */
export type ConversationReopenRequest = z.infer<typeof conversationReopenRequestSchema>;

/** `GET /v1/conversations/:token` reply (also answered by `reopen`). */
export const conversationSchema = z.object({
  ticketId: idSchema,
  status: z.enum(['open', 'closed']),
  messages: z.array(conversationMessageSchema),
  unread: z.optional(z.int().check(z.gte(0))),
});

/** `GET /v1/conversations/:token` reply. */
export type Conversation = z.infer<typeof conversationSchema>;

/** One conversation of a signed-in visitor, with the token that opens it on this device. */
export interface VisitorConversation extends Conversation {
  conversationToken: string;
  /** When the visitor handed off (epoch ms). */
  createdAt: number;
}

/** `GET /v1/sites/:site/conversations` reply: the signed-in visitor's conversations, newest first. */
export interface VisitorConversations {
  conversations: VisitorConversation[];
}
