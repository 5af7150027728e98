// @lotse/sdk/metrics — pure functions for every metric of DESIGN.md "Metrics"; empty input gives null.

// Business hours in the site's time zone
export {
  type BusinessHours,
  businessMillis,
  fromWallClock,
  wallClock,
} from './business-time.js';
// Conversations and the rates over them
export {
  abandonmentRate,
  type ConversationOutcome,
  type DeriveConversationsOptions,
  type DerivedConversation,
  type DurationSummary,
  deriveConversations,
  escalationRate,
  escalationRateByLevel,
  FCR_WINDOW_MS,
  type FirstResponseTime,
  firstContactResolution,
  firstResponseTime,
  type MetricEvent,
  resolvedWithin24h,
  selfServiceRate,
} from './conversations.js';
// Survey scores and site-supplied figures
export {
  ces,
  costPerCase,
  csat,
  median,
  nps,
  percentile,
  retentionRate,
  sorted,
  sortedMedian,
  sortedPercentile,
} from './scores.js';
