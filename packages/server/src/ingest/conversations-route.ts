import { createHash } from 'node:crypto';
import {
  type Conversation,
  type ConversationMessage,
  conversationReopenRequestSchema,
  conversationReplyRequestSchema,
  type VisitorConversations,
} from '@lotse/sdk/schema';
import type { Hono } from 'hono';
import {
  type AppContext,
  type AppDeps,
  type AppEnv,
  checkOrigin,
  isObject,
  limitSite,
  readJson,
  siteOfPath,
} from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { issueField } from '../http/issue-field.js';
import { reopenConversation, visitorFollowedUp } from '../inbox/record-event.js';
import { onlyThanks, servedTriage } from '../kb/served-triage.js';
import { deriveConversationToken, hashToken, isTokenShaped } from '../secrets.js';
import { EMAIL_HEADER, SIGNATURE_HEADER, USER_HEADER, verifyIdentity } from '../sites/identity.js';
import type { HandoffRow, MessageRow, Store } from '../store/store.js';
import { storeEventBatch } from './events-route.js';

function toMessage(m: MessageRow): ConversationMessage {
  return { id: m.id, from: m.from, text: m.text, ts: m.ts };
}

/** The visitor's lines of a stored transcript (`transcriptLineSchema`, read back as JSON). */
function visitorLines(transcript: unknown): Omit<ConversationMessage, 'id'>[] {
  if (!Array.isArray(transcript)) return [];
  return transcript.flatMap((line: unknown) =>
    isObject(line) &&
    line.from === 'visitor' &&
    typeof line.text === 'string' &&
    typeof line.ts === 'number'
      ? [{ from: 'visitor' as const, text: line.text, ts: line.ts }]
      : [],
  );
}

/**
 * The visitor's side of a conversation: its messages (never notes, which live in another table),
 * starting with the request that reached a person, under the handoff's id (it is not a stored
 * message). A conversation that came in by mail starts with the customer's mails, which the widget
 * never showed: the earlier question an automatic reply answered (from the transcript) and the mail
 * that reached a person; its later mails and the agents' replies are messages already.
 */
async function conversationOf(store: Store, handoff: HandoffRow): Promise<Conversation> {
  const [messages, mails] = await Promise.all([
    store.listMessages(handoff.id),
    store.listMailsOfHandoff(handoff.id),
  ]);
  const first = mails.find((m) => m.direction === 'in' && m.id === handoff.id);
  const request: ConversationMessage = {
    id: handoff.id,
    from: 'visitor',
    text: handoff.message,
    ts: first?.receivedAt ?? handoff.createdAt,
  };
  // Only what came before the mail that reached a person: a "no" on an automatic reply's link
  // hands over that same question mail, which its transcript also starts with.
  const before =
    first === undefined
      ? []
      : visitorLines(handoff.transcript)
          .map((line, i) => ({ id: `${handoff.id}:${i}`, ...line }))
          .filter((line) => line.ts < first.receivedAt);
  return {
    ticketId: handoff.ticketId,
    status: handoff.status,
    messages: [...before, request, ...messages.map(toMessage)],
  };
}

/**
 * Finds the conversation of the token in the path and checks origin and rate; the answer for an
 * unknown token is the same 404 whatever is wrong with it.
 */
async function authorise(
  c: AppContext,
  deps: AppDeps,
): Promise<{ ok: true; handoff: HandoffRow } | { ok: false; response: Response }> {
  const token = c.req.param('token') ?? '';
  const handoff = isTokenShaped(token)
    ? await deps.store.getHandoffByTokenHash(hashToken(token))
    : undefined;
  const site = handoff === undefined ? undefined : await deps.sites.get(handoff.siteKey);
  if (handoff === undefined || site === undefined) {
    return {
      ok: false,
      response: apiError(c, 404, 'not_found', 'No conversation for this token.', 'token'),
    };
  }
  const denied = checkOrigin(c, deps, site) ?? (await limitSite(c, deps, site));
  return denied === undefined ? { ok: true, handoff } : { ok: false, response: denied };
}

/** {@link authorise} for the conversation's event stream (live/live-routes.ts). */
export const authoriseConversation = authorise;

/** Most events one rating request may carry: a CSAT and a CES answer, with room for retries. */
const MAX_RATING_EVENTS = 10;

/**
 * The stored id of a conversation's CSAT or CES answer: one of each per conversation, so the first
 * counts and a later one (another tap, a replayed request) is answered as a duplicate, not stored
 * as another response. UUID-shaped, from the handoff and the type.
 */
function ratingId(handoffId: string, type: string): string {
  const h = createHash('sha256').update(`${handoffId}:${type}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Most conversations a signed-in visitor gets listed (newest first). */
const MAX_LISTED = 20;

/**
 * The visitor's side of a conversation, reachable only with its token; and the list of a signed-in
 * visitor's conversations with their tokens, for their other devices.
 */
export function registerConversationRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/v1/sites/:site/conversations', async (c) => {
    const site = await siteOfPath(c, deps);
    if (site instanceof Response) return site;
    c.header('Cache-Control', 'no-store');
    const identity = verifyIdentity(
      c.req.header(USER_HEADER),
      c.req.header(SIGNATURE_HEADER),
      site.identitySecret,
      c.req.header(EMAIL_HEADER),
    );
    if (identity.kind === 'anonymous') {
      return apiError(
        c,
        401,
        'identity_required',
        `Send ${USER_HEADER} and ${SIGNATURE_HEADER} (a signed identify) to list conversations.`,
        USER_HEADER,
      );
    }
    if (identity.kind === 'rejected') {
      return apiError(c, 401, 'invalid_identity', identity.message, identity.field);
    }
    // With an address the signature covers, the conversations its mails started too.
    const [ofUser, ofAddress] = await Promise.all([
      deps.store.listHandoffsOfUser(site.key, identity.userId, MAX_LISTED),
      identity.email === undefined
        ? []
        : deps.store.listMailHandoffsOfAddress(site.key, identity.email, MAX_LISTED),
    ]);
    const handoffs = [...new Map([...ofUser, ...ofAddress].map((h) => [h.id, h])).values()]
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
      .slice(0, MAX_LISTED);
    const reply: VisitorConversations = {
      conversations: await Promise.all(
        handoffs.map(async (handoff) => ({
          ...(await conversationOf(deps.store, handoff)),
          conversationToken: deriveConversationToken(deps.secret, handoff.tokenNonce),
          createdAt: handoff.createdAt,
        })),
      ),
    };
    return c.json(reply);
  });

  app.get('/v1/conversations/:token', async (c) => {
    const auth = await authorise(c, deps);
    if (!auth.ok) return auth.response;
    c.header('Cache-Control', 'no-store');
    return c.json(await conversationOf(deps.store, auth.handoff));
  });

  app.post('/v1/conversations/:token/messages', async (c) => {
    const auth = await authorise(c, deps);
    if (!auth.ok) return auth.response;
    const parsed = await readJson(c, deps.options.maxBodyBytes);
    if (!parsed.ok) return parsed.response;
    const result = conversationReplyRequestSchema.safeParse(parsed.value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issueField(issue);
      return apiError(c, 400, 'invalid_request', `${field || 'body'}: ${issue.message}`, field);
    }
    // "Danke, hat geklappt!" is kept but asks nothing (as a mail that only thanks, mail/).
    const stored = await deps.store.insertMessage({
      id: result.data.id,
      handoffId: auth.handoff.id,
      from: 'visitor',
      text: result.data.text,
      ts: deps.now(),
      thanksOnly: onlyThanks(
        () => servedTriage(deps.models, auth.handoff.siteKey, deps.options.logger),
        result.data.text,
      ),
    });
    const { message } = stored;
    if (message.handoffId !== auth.handoff.id || message.text !== result.data.text) {
      return apiError(
        c,
        409,
        'conflict',
        'A different message was already sent with this id.',
        'id',
      );
    }
    deps.live?.publish({ kind: 'message', handoffId: message.handoffId, from: 'visitor' });
    // Written after an agent closed it (or while they did): back in the inbox's open list.
    await visitorFollowedUp(deps, auth.handoff, stored);
    return c.json(toMessage(message), 201);
  });

  // Ratings of this conversation (CSAT, CES): the token in the path proves the sender holds it,
  // which `POST /v1/events` cannot know, so that route refuses these types.
  app.post('/v1/conversations/:token/events', async (c) => {
    const auth = await authorise(c, deps);
    if (!auth.ok) return auth.response;
    const receivedAt = deps.now();
    const parsed = await readJson(c, deps.options.maxBodyBytes);
    if (!parsed.ok) return parsed.response;
    const body = parsed.value;
    if (!isObject(body) || !Array.isArray(body.events) || body.events.length === 0) {
      return apiError(c, 400, 'invalid_request', 'The body must be {"events": [...]}.', 'events');
    }
    const events: unknown[] = body.events;
    if (events.length > MAX_RATING_EVENTS) {
      return apiError(
        c,
        413,
        'too_many_events',
        `${events.length} events in one request; at most ${MAX_RATING_EVENTS} ratings.`,
        'events',
      );
    }
    const { handoff } = auth;
    const ids = new Set([
      handoff.ticketId,
      ...(handoff.conversationId ? [handoff.conversationId] : []),
    ]);
    return storeEventBatch(
      c,
      deps,
      events,
      receivedAt,
      (e) => {
        // CONVERSATION_EVENT_TYPES of @lotse/sdk/schema, spelled out so that TypeScript narrows.
        if (e.type !== 'csat.submitted' && e.type !== 'ces.submitted') {
          return { code: 'not_conversation_type', field: 'type' };
        }
        if (e.siteKey !== handoff.siteKey) return { code: 'invalid_field', field: 'siteKey' };
        if (!ids.has(e.props.conversationId)) {
          return { code: 'other_conversation', field: 'props.conversationId' };
        }
        if (e.conversationId !== undefined && !ids.has(e.conversationId)) {
          return { code: 'other_conversation', field: 'conversationId' };
        }
        return undefined;
      },
      (e) => ratingId(handoff.id, e.type),
    );
  });

  app.post('/v1/conversations/:token/reopen', async (c) => {
    const auth = await authorise(c, deps);
    if (!auth.ok) return auth.response;
    const parsed = await readJson(c, deps.options.maxBodyBytes);
    if (!parsed.ok) return parsed.response;
    const result = conversationReopenRequestSchema.safeParse(parsed.value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issueField(issue);
      return apiError(c, 400, 'invalid_request', `${field || 'body'}: ${issue.message}`, field);
    }
    // FCR counts a reopened conversation as not resolved at first contact.
    await reopenConversation(deps, auth.handoff, 'visitor');
    return c.json(await conversationOf(deps.store, { ...auth.handoff, status: 'open' }));
  });
}
