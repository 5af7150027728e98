// Coaching scorecards (issue 15), in German and English: the owner defines a scorecard and invites
// a reviewer and an agent; the agent answers and closes a conversation; the reviewer finds it in the
// week's sample and scores it by keyboard in the conversation view; the agent sees the feedback.
// Every view is checked with axe.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { INVITEE_PASSWORD, invite, signInAs } from './support/accounts.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, agentTexts, replyAndClose, WAIT } from './support/agent.js';
import { runAxe } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const texts = {
  de: {
    reviews: 'Bewertungen',
    newScorecard: 'Neuer Bewertungsbogen',
    name: 'Name',
    label: 'Bezeichnung',
    scale: 'Skala',
    weight: 'Gewicht',
    yesNo: 'ja/nein',
    save: 'Speichern',
    saved: 'Gespeichert.',
    assignToMe: 'Mir zuweisen',
    queue: 'Zu bewerten',
    comment: 'Kommentar',
    yes: 'ja',
    saveReview: 'Bewertung speichern',
    reviewSaved: 'Bewertung gespeichert.',
    myFeedback: 'Meine Rückmeldungen',
    fixErrors: 'Bitte korrigieren Sie die markierten Felder.',
    reply: 'Gern, die Rücksendung ist angelegt; das Etikett kommt per E-Mail.',
    greeting: 'Begrüßung',
    solution: 'Richtige Lösung',
    nextStep: 'Nächster Schritt klar',
    feedback: 'Etikett erwähnt, gut so; beim nächsten Mal mit Namen grüßen.',
  },
  en: {
    reviews: 'Reviews',
    newScorecard: 'New scorecard',
    name: 'Name',
    label: 'Label',
    scale: 'Scale',
    weight: 'Weight',
    yesNo: 'yes/no',
    save: 'Save',
    saved: 'Saved.',
    assignToMe: 'Assign to me',
    queue: 'To review',
    comment: 'Comment',
    yes: 'yes',
    saveReview: 'Save review',
    reviewSaved: 'Review saved.',
    myFeedback: 'My feedback',
    fixErrors: 'Please correct the marked fields.',
    reply: 'Sure, the return is booked; the label comes by email.',
    greeting: 'Greeting',
    solution: 'Correct solution',
    nextStep: 'Clear next step',
    feedback: 'Mentioned the label, good; next time greet by name.',
  },
} as const;

const suite = useLotseSuite();

async function expectAxeClean(page: Page, label: string): Promise<void> {
  expect(await runAxe(page), label).toEqual([]);
}

describe.each(['de', 'en'] as const)('coaching scorecards (%s)', (locale) => {
  const t = texts[locale];

  it('a reviewer scores a closed conversation by keyboard and the agent sees the feedback', async () => {
    const origin = suite.lotse.origin;
    // The owner defines the scorecard (a wrong weight first: named, the input kept).
    const owner = await signInAs(suite.browser, origin, locale, ADMIN_EMAIL, ADMIN_PASSWORD);
    await owner.getByRole('link', { name: t.reviews, exact: true }).click();
    await owner.getByRole('link', { name: t.newScorecard }).click();
    await owner.getByLabel(t.name, { exact: true }).fill(`${t.reviews} ${locale}`);
    const rows: [string, string, string][] = [
      [t.greeting, '1-5', '1'],
      [t.solution, '1-5', '3'],
      [t.nextStep, 'yes-no', '-2'],
    ];
    for (const [i, [label, scale, weight]] of rows.entries()) {
      await owner.locator(`#label-${i}`).fill(label);
      await owner.locator(`#scale-${i}`).selectOption(scale);
      await owner.locator(`#weight-${i}`).fill(weight);
    }
    await owner.getByRole('button', { name: t.save, exact: true }).click();
    await owner.getByText(t.fixErrors).waitFor(WAIT);
    await expect(owner.locator('#weight-2').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(owner.locator('#label-1').inputValue()).resolves.toBe(t.solution);
    await expectAxeClean(owner, 'scorecard form with errors');
    await owner.locator('#weight-2').fill('2');
    await owner.getByRole('button', { name: t.save, exact: true }).click();
    await owner.getByText(t.saved).waitFor(WAIT);
    await expectAxeClean(owner, 'scorecard list');

    const reviewerEmail = `rita-${locale}@example.com`;
    const agentEmail = `ina-${locale}@example.com`;
    await invite(owner, origin, locale, reviewerEmail, 'reviewer');
    await invite(owner, origin, locale, agentEmail, 'agent');

    // A visitor's conversation, handled and closed by the agent.
    const handoff = await fetch(`${origin}/v1/handoffs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: randomUUID(),
        siteKey: 'demo',
        email: `kundin-${locale}@example.com`,
        consent: true,
        message:
          locale === 'de' ? 'Ich möchte die Jacke zurückschicken.' : 'I want to return the jacket.',
        transcript: [],
        classification: { level: 2, signals: ['wants-human'], confidence: 0.8, reasons: [] },
        anonymousId: randomUUID(),
      }),
    });
    expect(handoff.status).toBe(201);
    const { ticketId } = (await handoff.json()) as { ticketId: string };
    const agent = await signInAs(suite.browser, origin, locale, agentEmail, INVITEE_PASSWORD);
    await agent.getByRole('link', { name: ticketId, exact: true }).click();
    await agent.getByRole('button', { name: t.assignToMe }).click();
    await agent.getByRole('button', { name: agentTexts[locale].close, exact: true }).waitFor(WAIT);
    await replyAndClose(agent, locale, t.reply);

    // The reviewer finds it in the week's sample and scores it with the keyboard only.
    const reviewer = await signInAs(suite.browser, origin, locale, reviewerEmail, INVITEE_PASSWORD);
    await reviewer.getByRole('link', { name: t.reviews, exact: true }).click();
    await reviewer.getByRole('link', { name: t.queue }).click();
    await expectAxeClean(reviewer, 'queue');
    await reviewer.getByRole('link', { name: ticketId, exact: true }).focus();
    await Promise.all([
      reviewer.waitForURL(/\/inbox\/c\//, WAIT),
      reviewer.keyboard.press('Enter'),
    ]);
    const greeting = reviewer.getByRole('group', { name: t.greeting });
    await greeting.getByRole('radio', { name: '4' }).focus();
    await reviewer.keyboard.press('Space');
    await reviewer.keyboard.press('Tab');
    await reviewer.keyboard.type(t.feedback);
    await reviewer
      .getByRole('group', { name: t.solution })
      .getByRole('radio', { name: '5' })
      .focus();
    await reviewer.keyboard.press('Space');
    await reviewer
      .getByRole('group', { name: t.nextStep })
      .getByRole('radio', { name: t.yes, exact: true })
      .focus();
    await reviewer.keyboard.press('Space');
    await expectAxeClean(reviewer, 'review form');
    await reviewer.getByRole('button', { name: t.saveReview }).focus();
    await reviewer.keyboard.press('Enter');
    await reviewer.getByText(t.reviewSaved).waitFor(WAIT);
    // (1·0.75 + 3·1 + 2·1) / 6 = 95.8 %
    await expect(reviewer.locator('.review-total').first().textContent()).resolves.toBe('96 %');

    // The agent sees the feedback on "My feedback" and on the conversation.
    await agent.goto(`${origin}/scorecards/`);
    await agent.getByRole('link', { name: t.myFeedback }).click();
    await agent.getByText(t.feedback).waitFor(WAIT);
    await expect(agent.locator('.review-total').first().textContent()).resolves.toBe('96 %');
    await expectAxeClean(agent, 'my feedback');
    await agent.getByRole('link', { name: new RegExp(ticketId) }).click();
    await agent.getByText(t.feedback).waitFor(WAIT);
    await expectAxeClean(agent, 'conversation with feedback');
    for (const page of [owner, agent, reviewer]) await page.context().close();
  }, 300_000);
});
