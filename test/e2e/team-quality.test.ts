// Issue 15's acceptance flow end to end in Chromium, in German and English: a visitor hands off from
// the demo panel and keeps it open; an agent searches the inbox, tags the conversation, adds a note,
// inserts the knowledge base's answer as a canned reply and edits it, ticks the playbook, sends it, and
// the open panel shows the reply without reload (never the note); the agent closes; a reviewer
// scores the conversation from the week's sample; the agent sees the feedback; and the dashboard's
// team view shows that the agent's figures changed by exactly that conversation: one more handled,
// FRT and handling time equal to its own times (as the page rounds them), the reviewer's score.
import { createClient } from '@lotse/sdk';
import type { Browser, BrowserContextOptions, Frame, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { INVITEE_PASSWORD, invite, signInAs } from './support/accounts.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, agentTexts, WAIT } from './support/agent.js';
import { eventually, newPage, runAxe } from './support/browser.js';
import { openDemoPanel } from './support/host-page.js';
import type { StoredHandoff } from './support/lotse-server.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

const texts = {
  de: {
    // The visitor's side (the panel).
    question: 'Ihre Frage',
    damaged: 'Mein Paket kam beschädigt an, der Karton war aufgerissen',
    email: 'E-Mail',
    send: 'Senden',
    promise: /innerhalb von \d+/,
    request: /^Anfrage /,
    // The inbox list.
    search: 'Text (Nachrichten, Notizen, Ticket)',
    searchWord: 'aufgerissen',
    conversations: /^Gespräche/,
    decoy: 'Die Wanderstiefel sind zu klein.',
    // The conversation view.
    assignToMe: 'Mir zuweisen',
    unassign: 'Zuweisung aufheben',
    tags: 'Tags',
    saveTags: 'Tags speichern',
    tag: 'transportschaden',
    internalNote: 'Interne Notiz',
    saveNote: 'Notiz speichern',
    note: 'Kulanz prüfen, Kundin war freundlich',
    playbook: 'Vorgehen',
    saveChecklist: 'Abgehakte Schritte speichern',
    done: /2 von 2 Schritten erledigt/,
    canned: 'Antwortvorlagen',
    useEntry: 'Übernehmen: „Paket beschädigt angekommen“',
    answerPart: 'machen Sie Fotos von Karton',
    greeting: 'Guten Tag, hier ist Ina vom Nordlicht-Team.',
    // Scorecards.
    reviews: 'Bewertungen',
    newScorecard: 'Neuer Bewertungsbogen',
    name: 'Name',
    topic: 'Thema',
    saved: 'Gespeichert.',
    save: 'Speichern',
    queue: 'Zu bewerten',
    comment: 'Kommentar',
    yes: 'ja',
    saveReview: 'Bewertung speichern',
    reviewSaved: 'Bewertung gespeichert.',
    myFeedback: 'Meine Rückmeldungen',
    criteria: ['Begrüßung', 'Richtige Lösung', 'Vorgehen befolgt'],
    feedback: 'Fotos angefragt, gut so; beim nächsten Mal mit Namen grüßen.',
    // The team view.
    teamView: 'Teamzahlen',
    agent: 'Mitarbeiter',
    show: 'Anzeigen',
    team: 'Team',
    handled: 'Bearbeitete Gespräche',
    frt: 'Erste Antwort (Median)',
    handling: 'Bearbeitungszeit (Median)',
    scorecard: 'Bewertungsbogen (gesamt)',
    playbookFollowed: 'Playbook befolgt',
  },
  en: {
    question: 'Your question',
    damaged: 'My parcel arrived damaged, the box was torn open',
    email: 'Email',
    send: 'Send',
    promise: /within \d+/,
    request: /^Request /,
    search: 'Text (messages, notes, ticket)',
    searchWord: 'torn',
    conversations: /^Conversations/,
    decoy: 'The hiking boots are too small.',
    assignToMe: 'Assign to me',
    unassign: 'Unassign',
    tags: 'Tags',
    saveTags: 'Save tags',
    tag: 'transit-damage',
    internalNote: 'Internal note',
    saveNote: 'Save note',
    note: 'Check goodwill, the customer was friendly',
    playbook: 'Playbook',
    saveChecklist: 'Save ticked steps',
    done: /2 of 2 steps done/,
    canned: 'Canned replies',
    useEntry: 'Use: “Parcel arrived damaged”',
    answerPart: 'take photos of the box',
    greeting: 'Hello, this is Ina from the Nordlicht team.',
    reviews: 'Reviews',
    newScorecard: 'New scorecard',
    name: 'Name',
    topic: 'Topic',
    saved: 'Saved.',
    save: 'Save',
    queue: 'To review',
    comment: 'Comment',
    yes: 'yes',
    saveReview: 'Save review',
    reviewSaved: 'Review saved.',
    myFeedback: 'My feedback',
    criteria: ['Greeting', 'Correct solution', 'Playbook followed'],
    feedback: 'Asked for photos, good; next time greet by name.',
    teamView: 'Team figures',
    agent: 'Agent',
    show: 'Show',
    team: 'Team',
    handled: 'Conversations handled',
    frt: 'First response (median)',
    handling: 'Handling time (median)',
    scorecard: 'Scorecard (total)',
    playbookFollowed: 'Playbook followed',
  },
} as const;

/** The scorecard's criteria (scale, weight) and the reviewer's scores, in the order of `criteria`. */
const CRITERIA = [
  { scale: '1-5', weight: 1, score: '4', value: 0.75 },
  { scale: '1-5', weight: 3, score: '5', value: 1 },
  { scale: 'yes-no', weight: 2, score: 'yes', value: 1 },
] as const;
/** The review's weighted score on 0..1: (1·0.75 + 3·1 + 2·1) / 6. */
const SCORE =
  CRITERIA.reduce((sum, c) => sum + c.weight * c.value, 0) /
  CRITERIA.reduce((sum, c) => sum + c.weight, 0);

// One owner sign-in for the file (the login limit allows 5 per account and 15 minutes).
type StorageState = NonNullable<BrowserContextOptions['storageState']>;
let ownerState: Promise<StorageState> | undefined;
async function ownerPage(browser: Browser, locale: 'de' | 'en'): Promise<Page> {
  ownerState ??= (async () => {
    const page = await signInAs(browser, suite.lotse.origin, 'en', ADMIN_EMAIL, ADMIN_PASSWORD);
    const state = await page.context().storageState();
    await page.context().close();
    return state;
  })();
  return newPage(browser, locale, { storageState: await ownerState, bypassCSP: true });
}

/** Marks a frame; the mark survives anything but a reload or navigation. */
const mark = (target: Frame) =>
  target.evaluate(() => {
    (window as unknown as { lotseMark: number }).lotseMark = 1;
  });
const marked = (target: Frame) =>
  target.evaluate(() => (window as unknown as { lotseMark?: number }).lotseMark === 1);

/** A handoff through the SDK, as a shop's back end would send one: a conversation the search must skip. */
async function decoyHandoff(locale: 'de' | 'en', message: string): Promise<string> {
  const client = createClient({ endpoint: suite.lotse.origin, siteKey: 'demo' });
  try {
    const reply = await client.createHandoff({
      email: `decoy-${locale}@example.com`,
      consent: true,
      message,
      transcript: [],
      classification: { level: 2, topic: 'shipping', signals: [], confidence: 0.5, reasons: ['x'] },
      locale,
    });
    return reply.ticketId;
  } finally {
    await client.close();
  }
}

/** A duration as the team view shows it: minutes with at most one decimal, in the page's locale. */
function minutes(ms: number, locale: 'de' | 'en'): string {
  const tag = locale === 'de' ? 'de-DE' : 'en-GB';
  return `${(ms / 60_000).toLocaleString(tag, { maximumFractionDigits: 1 })} min`;
}

/** A share as the team view shows it: percent with at most one decimal. */
function percent(share: number, locale: 'de' | 'en'): string {
  const tag = locale === 'de' ? 'de-DE' : 'en-GB';
  return `${(share * 100).toLocaleString(tag, { maximumFractionDigits: 1 })} %`;
}

/** A figure's value and n in a team-view detail table, by the figure's row header. */
async function figureIn(page: Page, table: Locator, name: string): Promise<[string, string]> {
  const cells = table
    .locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) })
    .locator('td');
  await cells.first().waitFor(WAIT);
  return [(await cells.nth(0).textContent()) ?? '', (await cells.nth(1).textContent()) ?? ''];
}

/** What the team-view checks compare: value and n of each figure, for the agent and the team. */
interface TeamReading {
  handled: [string, string];
  frt: [string, string];
  handling: [string, string];
  scorecard: [string, string];
  playbook: [string, string];
  /** The team's "conversations handled", when the viewer may see the team row. */
  team: [string, string] | undefined;
}

/**
 * The team view as `viewer` sees it, reached from the dashboard's link (the last 30 days up to now),
 * and for `agentEmail` alone: the agent's figures and, when the viewer may see them, the team's.
 */
async function readTeamView(
  viewer: Page,
  locale: 'de' | 'en',
  agentEmail: string,
): Promise<TeamReading> {
  const t = texts[locale];
  await viewer.goto(`${suite.lotse.origin}/dashboard/`);
  await Promise.all([
    viewer.waitForURL(/\/dashboard\/team/, WAIT),
    viewer.getByRole('link', { name: t.teamView, exact: true }).click(),
  ]);
  // Each row's figures are in a table named "<agent or team>: <team view>".
  const table = (who: string) =>
    viewer.getByRole('region', { name: `${who}: ${t.teamView}`, exact: true });
  // The agent filter by URL, without the form: the filter is what is checked here.
  const agentId = await viewer
    .locator('#t-agent option', { hasText: agentEmail })
    .getAttribute('value', WAIT);
  await viewer.goto(
    `${suite.lotse.origin}/dashboard/team?site=demo&agent=${encodeURIComponent(agentId ?? '')}`,
  );
  const agent = table(agentEmail);
  const team = table(t.team);
  await agent.waitFor(WAIT);
  return {
    handled: await figureIn(viewer, agent, t.handled),
    frt: await figureIn(viewer, agent, t.frt),
    handling: await figureIn(viewer, agent, t.handling),
    scorecard: await figureIn(viewer, agent, t.scorecard),
    playbook: await figureIn(viewer, agent, t.playbookFollowed),
    team: (await team.count()) === 0 ? undefined : await figureIn(viewer, team, t.handled),
  };
}

describe.each(['de', 'en'] as const)('team quality, end to end (%s)', (locale) => {
  const t = texts[locale];
  const a = agentTexts[locale];

  it('search, tag, note, playbook, canned reply, live reply, review, feedback, team figures', async () => {
    const origin = suite.lotse.origin;
    const agentEmail = `ina-tq-${locale}@example.com`;
    const reviewerEmail = `rita-tq-${locale}@example.com`;

    // The owner defines a scorecard for the shipping topic and invites the agent and the reviewer.
    const owner = await ownerPage(suite.browser, locale);
    await owner.goto(`${origin}/inbox/`);
    await owner.getByRole('link', { name: t.reviews, exact: true }).click();
    await owner.getByRole('link', { name: t.newScorecard }).click();
    await owner.getByLabel(t.name, { exact: true }).fill(`Versand ${locale}`);
    await owner.getByLabel(t.topic, { exact: true }).fill('shipping');
    for (const [i, c] of CRITERIA.entries()) {
      await owner.locator(`#label-${i}`).fill(t.criteria[i]!);
      await owner.locator(`#scale-${i}`).selectOption(c.scale);
      await owner.locator(`#weight-${i}`).fill(String(c.weight));
    }
    await owner.getByRole('button', { name: t.save, exact: true }).click();
    await owner.getByText(t.saved).waitFor(WAIT);
    await invite(owner, origin, locale, agentEmail, 'agent');
    await invite(owner, origin, locale, reviewerEmail, 'reviewer');

    // The team view before: the new agent has handled nothing.
    const before = await readTeamView(owner, locale, agentEmail);
    expect(before.handled).toEqual(['0', '0']);
    expect(before.frt).toEqual(['–', '0']);
    expect(before.handling).toEqual(['–', '0']);
    expect(before.scorecard).toEqual(['–', '0']);

    // Another conversation the search must not find.
    const decoy = await decoyHandoff(locale, t.decoy);

    // The visitor hands off in the demo panel and keeps the request open there.
    const { page: visitor, frame } = await openDemoPanel(suite.browser, origin, locale);
    const visitorEmail = `eva-tq-${locale}@example.com`;
    const question = frame.getByRole('combobox', { name: t.question });
    await question.fill(t.damaged);
    await question.press('Enter');
    await frame.getByRole('textbox', { name: t.email }).fill(visitorEmail);
    await frame.getByRole('checkbox').check();
    await frame.getByRole('button', { name: t.send }).click();
    await frame.getByText(t.promise).waitFor(WAIT);
    const stored = await eventually(
      () => suite.lotse.handoffs(),
      (rows) => rows.some((row) => row.email === visitorEmail),
    );
    const ticketId = stored.find((row) => row.email === visitorEmail)!.ticketId;
    await frame.getByRole('button', { name: t.request }).click();
    // The request's thread: the visitor's own words until someone answers.
    const log = frame.getByRole('log');
    await log.waitFor(WAIT);
    await mark(frame);

    // The agent signs in and searches the inbox: the visitor's conversation, not the other one.
    const agent = await signInAs(suite.browser, origin, locale, agentEmail, INVITEE_PASSWORD);
    const search = agent.getByRole('searchbox', { name: t.search });
    await search.fill(t.searchWord);
    await Promise.all([
      agent.waitForURL(new RegExp(`[?&]q=${t.searchWord}`), WAIT),
      search.press('Enter'),
    ]);
    const list = agent.getByRole('region', { name: t.conversations });
    const link = list.getByRole('link', { name: ticketId, exact: true });
    await link.waitFor(WAIT);
    await expect.poll(() => list.getByRole('link', { name: decoy, exact: true }).count()).toBe(0);
    await Promise.all([agent.waitForURL(/\/inbox\/c\//, WAIT), link.click()]);
    const conversation = agent.url();
    await agent.getByRole('button', { name: t.assignToMe, exact: true }).click();
    await agent.getByRole('button', { name: t.unassign, exact: true }).waitFor(WAIT);

    // Tags: the tag is listed on the conversation, and filtering by it finds it (not the other).
    await agent.getByRole('textbox', { name: t.tags, exact: true }).fill(t.tag);
    await Promise.all([
      agent.waitForResponse((r) => r.url().endsWith('/tags') && r.status() === 303, WAIT),
      agent.getByRole('button', { name: t.saveTags, exact: true }).click(),
    ]);
    const tagLink = agent.getByRole('link', { name: t.tag, exact: true });
    await tagLink.waitFor(WAIT);
    await Promise.all([agent.waitForURL(/[?&]tag=/, WAIT), tagLink.click()]);
    await list.getByRole('link', { name: ticketId, exact: true }).waitFor(WAIT);
    await expect.poll(() => list.getByRole('link', { name: decoy, exact: true }).count()).toBe(0);
    await agent.goto(conversation);

    // An internal note, shown to the team in the transcript.
    const transcript = agent.getByRole('list', { name: a.transcript });
    await agent.getByRole('textbox', { name: t.internalNote, exact: true }).fill(t.note);
    await Promise.all([
      agent.waitForResponse((r) => r.url().endsWith('/note') && r.status() === 303, WAIT),
      agent.getByRole('button', { name: t.saveNote, exact: true }).click(),
    ]);
    await transcript.getByText(t.note).waitFor(WAIT);

    // The knowledge base's answer as a canned reply, a first line added.
    const box = agent.getByRole('textbox', { name: a.reply, exact: true });
    await expect.poll(() => box.inputValue()).toBe('');
    // The script inserts it in place: no request, no reload.
    const drafted = agent.url();
    await agent
      .getByRole('region', { name: t.canned })
      .getByRole('button', { name: t.useEntry })
      .click();
    await expect.poll(() => box.inputValue()).toContain(t.answerPart);
    expect(agent.url()).toBe(drafted);
    await box.press('Control+Home');
    await box.pressSequentially(`${t.greeting}\n\n`);
    const reply = await box.inputValue();
    expect(reply.startsWith(t.greeting)).toBe(true);
    expect(reply).toContain(t.answerPart);

    // The playbook's two steps, ticked and saved: the page reloads, and the drafted reply stays.
    const playbook = agent.getByRole('region', { name: t.playbook });
    const steps = playbook.getByRole('checkbox');
    await expect.poll(() => steps.count()).toBe(2);
    await steps.nth(0).check();
    await steps.nth(1).check();
    await Promise.all([
      agent.waitForResponse((r) => r.url().endsWith('/playbook') && r.status() === 303, WAIT),
      playbook.getByRole('button', { name: t.saveChecklist }).click(),
    ]);
    await playbook.getByText(t.done).waitFor(WAIT);
    await expect.poll(() => box.inputValue()).toBe(reply);
    await Promise.all([
      agent.waitForResponse((r) => r.url().endsWith('/reply') && r.status() === 303, WAIT),
      agent.getByRole('button', { name: a.sendReply, exact: true }).click(),
    ]);
    await transcript.getByText(t.greeting, { exact: false }).waitFor(WAIT);

    // The visitor's open panel shows the reply without reload, and never the note.
    await log.getByText(t.greeting, { exact: false }).waitFor(WAIT);
    await expect(log.getByText(t.answerPart, { exact: false }).count()).resolves.toBe(1);
    await expect(marked(frame)).resolves.toBe(true);
    expect(await frame.locator('body').textContent()).not.toContain(t.note);

    // The agent closes the conversation.
    await agent.getByRole('button', { name: a.close, exact: true }).click();
    await agent.getByRole('button', { name: a.reopen, exact: true }).waitFor(WAIT);
    const times = (
      await eventually(
        () => suite.lotse.handoffs().filter((row) => row.ticketId === ticketId),
        (rows) => rows[0]?.closedAt !== null,
      )
    )[0] as StoredHandoff & { firstReplyAt: number; closedAt: number };
    expect(times.firstReplyAt).not.toBeNull();
    expect(times.closedAt).not.toBeNull();
    expect(await frame.locator('body').textContent()).not.toContain(t.note);

    // The reviewer finds it in the week's sample and scores it in the conversation view.
    const reviewer = await signInAs(suite.browser, origin, locale, reviewerEmail, INVITEE_PASSWORD);
    await reviewer.getByRole('link', { name: t.reviews, exact: true }).click();
    await reviewer.getByRole('link', { name: t.queue }).click();
    await Promise.all([
      reviewer.waitForURL(/\/inbox\/c\//, WAIT),
      reviewer.getByRole('link', { name: ticketId, exact: true }).click(),
    ]);
    for (const [i, c] of CRITERIA.entries()) {
      const label = t.criteria[i]!;
      await reviewer
        .getByRole('group', { name: label })
        .getByRole('radio', { name: c.score === 'yes' ? t.yes : c.score, exact: true })
        .check();
    }
    await reviewer
      .getByRole('textbox', { name: `${t.comment}: ${t.criteria[0]}`, exact: true })
      .fill(t.feedback);
    await reviewer.getByRole('button', { name: t.saveReview }).click();
    await reviewer.getByText(t.reviewSaved).waitFor(WAIT);
    const total = `${Math.round(SCORE * 100)} %`;
    await expect(reviewer.locator('.review-total').first().textContent()).resolves.toBe(total);

    // The agent sees the feedback.
    await agent.goto(`${origin}/scorecards/`);
    await agent.getByRole('link', { name: t.myFeedback }).click();
    await agent.getByText(t.feedback).waitFor(WAIT);
    await expect(agent.locator('.review-total').first().textContent()).resolves.toBe(total);

    // The team view after: exactly this conversation more, with its own times and score.
    const after = await readTeamView(owner, locale, agentEmail);
    expect(after.handled).toEqual([String(Number(before.handled[0]) + 1), '1']);
    expect(after.frt).toEqual([minutes(times.firstReplyAt - times.createdAt, locale), '1']);
    expect(after.handling).toEqual([minutes(times.closedAt - times.firstReplyAt, locale), '1']);
    expect(after.scorecard).toEqual([percent(SCORE, locale), '1']);
    expect(after.playbook).toEqual([percent(1, locale), '1']);
    expect(after.team?.[0]).toBe(String(Number(before.team?.[0]) + 1));

    // The agent sees the same figures of its own, and not the team's.
    const own = await readTeamView(agent, locale, agentEmail);
    expect(own).toEqual({ ...after, team: undefined });
    expect(await runAxe(agent), 'the team view as an agent sees it').toEqual([]);

    for (const page of [owner, agent, reviewer, visitor]) await page.context().close();
  }, 420_000);
});
