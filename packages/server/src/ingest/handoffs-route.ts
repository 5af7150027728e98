import { type HandoffReply, handoffRequestSchema } from '@lotse/sdk/schema';
import type { Hono } from 'hono';
import { type AppDeps, type AppEnv, admitSite, isObject, readJson } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { issueField } from '../http/issue-field.js';
import {
  createTicketId,
  createTokenNonce,
  deriveConversationToken,
  hashToken,
  sha256,
} from '../secrets.js';
import { addBusinessMinutes } from '../sites/business-time.js';
import { SIGNATURE_HEADER, USER_HEADER, verifyIdentity } from '../sites/identity.js';
import type { HandoffRow } from '../store/store.js';

/** `POST /v1/handoffs`: a visitor asks for a person; idempotent by `id`. */
export function registerHandoffRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/v1/handoffs', async (c) => {
    const now = deps.now();
    const parsed = await readJson(c, deps.options.maxHandoffBytes);
    if (!parsed.ok) return parsed.response;
    const raw = parsed.value;
    // The site comes first so a foreign origin learns nothing from validation messages.
    const siteKey = isObject(raw) && typeof raw.siteKey === 'string' ? raw.siteKey : undefined;
    if (siteKey === undefined) {
      return apiError(c, 400, 'invalid_request', 'siteKey is required.', 'siteKey');
    }
    const site = await admitSite(c, deps, siteKey, 'siteKey');
    if (site instanceof Response) return site;

    const result = handoffRequestSchema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issueField(issue);
      return apiError(c, 400, 'invalid_request', `${field || 'body'}: ${issue.message}`, field);
    }
    const request = result.data;
    // A signed-in visitor's request is filed under their user id, for their other devices. One whose
    // signature does not verify is still taken (the visitor must not lose it), just not filed so.
    const identity = verifyIdentity(
      c.req.header(USER_HEADER),
      c.req.header(SIGNATURE_HEADER),
      site.identitySecret,
    );
    if (identity.kind === 'rejected') {
      deps.options.logger.warn(
        `handoff for site "${site.key}" not linked to a user: ${identity.message}`,
      );
    }
    const requestHash = sha256(JSON.stringify(request));
    const level = request.classification.level;
    const respondWithinMinutes = site.responseMinutes[level];
    const nonce = createTokenNonce();
    const row: HandoffRow = {
      id: request.id,
      siteKey: site.key,
      ticketId: createTicketId(),
      tokenHash: hashToken(deriveConversationToken(deps.secret, nonce)),
      tokenNonce: nonce,
      requestHash,
      email: request.email,
      anonymousId: request.anonymousId ?? null,
      sessionId: request.sessionId ?? null,
      conversationId: request.conversationId ?? null,
      locale: request.locale ?? null,
      message: request.message,
      transcript: request.transcript,
      classification: request.classification,
      level,
      topic: request.classification.topic ?? null,
      status: 'open',
      createdAt: now,
      respondWithinMinutes,
      respondBy: new Date(addBusinessMinutes(now, respondWithinMinutes, site.hours)).toISOString(),
      clientHash: c.get('clientHash'),
      userId: identity.kind === 'verified' ? identity.userId : null,
    };
    const { inserted, handoff } = await deps.store.insertHandoff(row);
    if (handoff.requestHash !== requestHash) {
      return apiError(
        c,
        409,
        'conflict',
        'A different handoff was already created with this id; use a new id for a new request.',
        'id',
      );
    }
    if (inserted) {
      deps.live?.publish({ kind: 'created', handoffId: handoff.id });
      await deps.notifier?.handoffCreated(handoff);
    }
    const reply: HandoffReply = {
      ticketId: handoff.ticketId,
      conversationToken: deriveConversationToken(deps.secret, handoff.tokenNonce),
      respondWithinMinutes: handoff.respondWithinMinutes,
      respondBy: handoff.respondBy,
    };
    return c.json(reply, 201);
  });
}
