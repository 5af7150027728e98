// @lotse/sdk/schema — zod/mini schemas shared by the browser client (validate: true), widget and server.

// Masking of the one free text analytics may carry
export {
  isLuhnValid,
  isMasked,
  MAX_QUESTION_LENGTH,
  type MaskOptions,
  maskPersonalData,
} from '../mask.js';
export {
  type Conversation,
  type ConversationMessage,
  type ConversationReopenRequest,
  type ConversationReplyRequest,
  conversationMessageSchema,
  conversationReopenRequestSchema,
  conversationReplyRequestSchema,
  conversationSchema,
  type VisitorConversation,
  type VisitorConversations,
} from './conversation.js';
// Events
export {
  CONVERSATION_EVENT_TYPES,
  type ConversationEventType,
  EVENT_TYPES,
  type EventBatch,
  type EventOf,
  type EventPropsMap,
  type EventType,
  envelopeShape,
  eventBatchSchema,
  eventPropsSchemas,
  eventSchemas,
  type LotseEvent,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  PUBLIC_EVENT_TYPES,
  type PublicEventType,
  SERVER_EVENT_TYPES,
  type ServerEventType,
} from './events.js';
// Handoffs
export {
  type Classification,
  classificationSchema,
  type HandoffReply,
  type HandoffRequest,
  handoffReplySchema,
  handoffRequestSchema,
  type TranscriptLine,
  transcriptLineSchema,
} from './handoff.js';
export { ID_PATTERN, MAX_MESSAGE_LENGTH, MAX_TRANSCRIPT_LINES } from './limits.js';
// Shared primitives
export {
  type Channel,
  channelSchema,
  confidenceSchema,
  type DecisionKind,
  decisionKindSchema,
  epochMsSchema,
  idSchema,
  kbVersionSchema,
  type Level,
  levelSchema,
  localeSchema,
  MAX_EPOCH_MS,
  type Signal,
  signalSchema,
  slugSchema,
  uuidSchema,
} from './primitives.js';
// Server replies and errors
export {
  ERROR_CODES,
  type ErrorBody,
  type ErrorCode,
  type EventBatchReply,
  type EventRejectionCode,
  errorBodySchema,
  eventBatchReplySchema,
  eventRejectionCodeSchema,
} from './replies.js';
export {
  eventSchema,
  toFieldPath,
  type ValidateEventResult,
  validateEvent,
} from './validate-event.js';
