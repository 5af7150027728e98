import * as z from 'zod/mini';
import { ID_PATTERN } from './limits.js';

/** The last millisecond of year 9999 (`9999-12-31T23:59:59.999Z`), the latest `ts` accepted. */
export const MAX_EPOCH_MS = 253_402_300_799_999;

/** A random UUID (crypto.randomUUID), used for every id the SDK creates. */
export const uuidSchema = z.uuid();

/** An opaque identifier (ticket, entry, conversation): no spaces, so it cannot carry free text. */
export const idSchema = z.string().check(z.regex(ID_PATTERN));

/** A site key, topic or similar slug. */
export const slugSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/));

/** A BCP 47 language tag as the widget uses it (`de`, `en-GB`). */
export const localeSchema = z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/));

/**
 * Epoch milliseconds up to the end of year 9999: a day or an hour added to a later instant leaves
 * the range of JavaScript dates, and the dashboard's local days with it.
 */
export const epochMsSchema = z.int().check(z.gte(0), z.lte(MAX_EPOCH_MS));

/**
 * A published knowledge-base version (the server's `X-Lotse-KB-Version`): a positive integer within
 * the 32-bit `integer` column both of the server's stores keep it in.
 */
export const kbVersionSchema = z.int().check(z.gte(1), z.lte(2_147_483_647));

/** Triage levels: 1 standard (self-service), 2 agent, 3 specialist. */
export const levelSchema = z.literal([1, 2, 3]);

/** Triage decision kinds (`acknowledge`: the message only thanked or said goodbye). */
export const decisionKindSchema = z.enum(['answer', 'suggest', 'handoff', 'acknowledge']);

/** Signals a triage decision may carry. */
export const signalSchema = z.enum(['complaint', 'wants-human', 'urgent', 'out-of-scope']);

/** Channel a conversation or reply travels through. */
export const channelSchema = z.enum(['widget', 'email', 'api']);

/** A calibrated confidence in 0..1. */
export const confidenceSchema = z.number().check(z.gte(0), z.lte(1));

/** Triage level. */
export type Level = z.infer<typeof levelSchema>;
/** Triage decision kind. */
export type DecisionKind = z.infer<typeof decisionKindSchema>;
/** Triage signal. */
export type Signal = z.infer<typeof signalSchema>;
/** Channel. */
export type Channel = z.infer<typeof channelSchema>;
