import { type HandoffReply, handoffRequestSchema } from '@lotse/sdk/schema';
import type { Hono } from 'hono';
import { type AppDeps, type AppEnv, admitSite, isObject, readJson } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { issueField } from '../http/issue-field.js';
import { deriveConversationToken, sha256 } from '../secrets.js';
import { EMAIL_HEADER, SIGNATURE_HEADER, USER_HEADER, verifyIdentity } from '../sites/identity.js';
import { createHandoff } from './create-handoff.js';

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
      c.req.header(EMAIL_HEADER),
    );
    if (identity.kind === 'rejected') {
      deps.options.logger.warn(
        `handoff for site "${site.key}" not linked to a user: ${identity.message}`,
      );
    }
    const requestHash = sha256(JSON.stringify(request));
    const { handoff } = await createHandoff(
      deps,
      site,
      {
        id: request.id,
        requestHash,
        email: request.email,
        message: request.message,
        transcript: request.transcript,
        classification: request.classification,
        locale: request.locale ?? null,
        anonymousId: request.anonymousId ?? null,
        sessionId: request.sessionId ?? null,
        conversationId: request.conversationId ?? null,
        clientHash: c.get('clientHash'),
        userId: identity.kind === 'verified' ? identity.userId : null,
      },
      now,
    );
    if (handoff.requestHash !== requestHash) {
      return apiError(
        c,
        409,
        'conflict',
        'A different handoff was already created with this id; use a new id for a new request.',
        'id',
      );
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
