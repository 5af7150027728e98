import type { Hono } from 'hono';
import { checkCsrf, expectedLoginCsrf, issueLoginCsrf, readForm } from '../auth/sessions.js';
import type { AppContext, AppDeps, AppEnv } from '../http/deps.js';
import { apiError } from '../http/errors.js';
import { servedTriage } from '../kb/served-triage.js';
import { html, type SafeHtml } from '../pages/html.js';
import { type PageLocale, pickLocale } from '../pages/i18n.js';
import { PAGE_CSP } from '../pages/layout.js';
import { mailMessages } from './mail-messages.js';
import type { MailRow } from './mail-queries.js';
import { handOff, questionText, reasonsIn, recordMailEvent, sessionOf } from './process-mail.js';
import { readRatingToken } from './send-mail.js';

/** A page for the customer (no agent navigation), with the agent pages' security headers. */
function customerPage(
  c: AppContext,
  locale: PageLocale,
  title: string,
  body: SafeHtml,
  status: 200 | 404 = 200,
) {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('Cache-Control', 'no-store');
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(
    html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<link rel="stylesheet" href="/ui/app.css">
</head>
<body>
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`.value,
    status,
  );
}

/** The question an automatic reply answered, from a rating link's token. */
async function ratedQuestion(c: AppContext, deps: AppDeps): Promise<MailRow | undefined> {
  const id = readRatingToken(deps.secret, c.req.param('token') ?? '');
  if (id === undefined) return undefined;
  const mail = await deps.store.getMail(id);
  return mail?.direction === 'in' && mail.entryId !== null ? mail : undefined;
}

/**
 * The "did this solve it?" links of an automatic reply: `GET /mail/rate/:token` asks the customer to
 * confirm (mail scanners follow links, so a GET records nothing), `POST` records the rating once
 * (`answer.rated`, channel e-mail) and, on "no", hands the question to a person.
 */
export function registerRatingRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/mail/rate/:token', async (c) => {
    const locale = pickLocale(c);
    const t = mailMessages(locale);
    const question = await ratedQuestion(c, deps);
    if (question === undefined) {
      return customerPage(c, locale, t.ratePageTitle, html`<p>${t.unknownLink}</p>`, 404);
    }
    if (question.rating !== null) {
      return customerPage(
        c,
        locale,
        t.ratePageTitle,
        html`<p role="status">${question.rating ? t.thanksYes : t.thanksNo}</p>`,
      );
    }
    const csrf = issueLoginCsrf(c, deps);
    const asked = c.req.query('answer');
    const button = (value: 'yes' | 'no', label: string) =>
      html`<button type="submit" name="answer" value="${value}"${asked === undefined || asked === value ? null : html` class="secondary"`}>${label}</button>`;
    return customerPage(
      c,
      locale,
      t.ratePageTitle,
      html`<form method="post" action="/mail/rate/${encodeURIComponent(c.req.param('token') ?? '')}?lang=${locale}" class="card">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p>${t.rateIntro}</p>
  <p>${button('yes', t.rateYes)} ${button('no', t.rateNo)}</p>
</form>`,
    );
  });

  app.post('/mail/rate/:token', async (c) => {
    const read = await readForm(c);
    if (!read.ok) return read.response;
    const denied = checkCsrf(c, deps, read.form, expectedLoginCsrf(c, deps));
    if (denied !== undefined) return denied;
    const locale = pickLocale(c);
    const t = mailMessages(locale);
    const question = await ratedQuestion(c, deps);
    if (question === undefined) {
      return customerPage(c, locale, t.ratePageTitle, html`<p>${t.unknownLink}</p>`, 404);
    }
    const answer = read.form.get('answer');
    if (answer !== 'yes' && answer !== 'no') {
      return apiError(c, 400, 'invalid_request', 'answer: "yes" or "no"', 'answer');
    }
    const helpful = answer === 'yes';
    if (question.rating === null) {
      const now = deps.now();
      await deps.store.updateMail(question.id, { rating: helpful });
      const site = await deps.sites.get(question.siteKey);
      const served = servedTriage(deps.models, question.siteKey, deps.options.logger);
      const entry = served?.triage.model.entry(question.entryId!, locale);
      const session = sessionOf(question.id, question.fromAddress ?? question.envelopeFrom);
      const kbVersion = deps.models.get(question.siteKey)?.version;
      await recordMailEvent(
        deps.store,
        question.siteKey,
        session,
        'answer.rated',
        {
          entryId: question.entryId!,
          helpful,
          ...(entry === undefined ? {} : { topic: entry.topic }),
          ...(kbVersion === undefined ? {} : { kbVersion }),
        },
        now,
      );
      if (!helpful && site !== undefined) {
        const text = await questionText(question);
        // After 7 days the conversation counted as resolved by the reply: the "no" then starts the
        // one the handoff ends (within them this only continues it), so the handoff is counted.
        await recordMailEvent(
          deps.store,
          question.siteKey,
          session,
          'query.submitted',
          { channel: 'email', length: text.length },
          now + 1,
        );
        const r = reasonsIn(entry?.locale ?? locale);
        await handOff(
          { store: deps.store, secret: deps.secret, notifier: deps.notifier },
          site,
          question,
          {
            address: question.fromAddress ?? question.envelopeFrom,
            text,
            transcript: [
              { from: 'visitor', text, ts: question.receivedAt },
              {
                from: 'bot',
                text: entry === undefined ? `→ ${question.entryId}` : entry.title,
                ts: question.processedAt ?? now,
              },
            ],
            classification: {
              level: 1,
              ...(entry === undefined ? {} : { topic: entry.topic }),
              signals: [],
              confidence: 0,
              reasons: [r.email, r.notHelpful],
            },
            locale: entry?.locale ?? locale,
            session,
            reason: 'not-helpful',
          },
          // After the question (events of the same millisecond are ordered by their random id).
          now + 2,
        );
      }
    }
    return customerPage(
      c,
      locale,
      t.ratePageTitle,
      html`<p role="status">${helpful ? t.thanksYes : t.thanksNo}</p>`,
    );
  });
}
