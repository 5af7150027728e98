// @lotse/sdk — the event client. Schemas live in '@lotse/sdk/schema', metrics in '@lotse/sdk/metrics',
// the browser adapter in '@lotse/sdk/browser', the Node file outbox in '@lotse/sdk/node'.

// Client
export {
  type ClientEventMap,
  type ClientOptions,
  type ConversationSubscription,
  createClient,
  type EventValidation,
  type EventValidator,
  type HandoffInput,
  type IdentifyTraits,
  type LotseClient,
  type ResolvedClientOptions,
  resolveClientOptions,
  type SubscribeConversationOptions,
  type TrackOptions,
  uuid,
} from './client.js';
// Delivery
export type { Consent, DropInfo, DropReason, SentInfo } from './delivery/delivery.js';
export { backoffDelay, isRetryableStatus, parseRetryAfter } from './delivery/retry.js';
// Errors
export {
  HttpError,
  isHttpError,
  isLotseError,
  isNetworkError,
  isTimeoutError,
  isValidationError,
  LotseError,
  type LotseErrorName,
  type LotseErrorOptions,
  NetworkError,
  TimeoutError,
  ValidationError,
} from './errors.js';
// Masking
export { isMasked, MAX_QUESTION_LENGTH, type MaskOptions, maskPersonalData } from './mask.js';
// Platform (what the browser and Node adapters implement)
export type { EventStream, Outbox, Platform } from './platform.js';
// Event and API types (the schemas themselves are in '@lotse/sdk/schema')
export type {
  Classification,
  Conversation,
  ConversationMessage,
  EventOf,
  EventPropsMap,
  EventType,
  HandoffReply,
  HandoffRequest,
  LotseEvent,
  VisitorConversation,
} from './schema/index.js';
export type { FetchLike } from './transport.js';
