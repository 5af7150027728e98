// The panel's layout over a conversation, in German and English: after several answers its own
// document never scrolls (the header and × stay at the top, no blank band below), and a message
// with an unbreakable grapheme stays within the conversation area.
import type { Frame } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDemoPanel } from './support/host-page.js';
import { useLotseSuite } from './support/suite.js';

const texts = {
  de: {
    question: 'Ihre Frage',
    questions: ['Wo ist mein Paket?', 'Lieferzeit', 'Zahlungsarten'],
  },
  en: {
    question: 'Your question',
    questions: ['Where is my parcel?', 'Delivery time', 'Payment methods'],
  },
} as const;

// BLNS (big-list-of-naughty-strings), "Unicode: Thai combining": graphemes with stacked marks and no
// break opportunity inside; without a Thai font each mark is a box of its own, wider than the panel.
const THAI = `ด${'้้้้้็็็็็'.repeat(6)}`;

const suite = useLotseSuite();

/** Asks `text` and waits until the panel has answered it (a bot message after the question). */
async function ask(frame: Frame, locale: 'de' | 'en', text: string): Promise<void> {
  const log = frame.getByRole('log');
  const before = await log.locator('.msg.bot').count();
  const box = frame.getByRole('combobox', { name: texts[locale].question });
  await box.fill(text);
  await box.press('Enter');
  await expect.poll(() => log.locator('.msg.bot').count()).toBeGreaterThan(before);
}

/** Where the panel's document and header are, and how far its conversation area scrolls sideways. */
const layout = (frame: Frame) =>
  frame.evaluate(() => {
    const root = document.documentElement;
    const body = document.querySelector<HTMLElement>('.body')!;
    const area = body.getBoundingClientRect();
    return {
      scrollTop: root.scrollTop,
      scrollHeight: root.scrollHeight,
      viewHeight: root.clientHeight,
      headerTop: document.querySelector('header')!.getBoundingClientRect().top,
      areaScroll: body.scrollWidth - body.clientWidth,
      widest: Math.max(
        ...[...document.querySelectorAll('.msg')].map(
          (m) => m.getBoundingClientRect().right - area.left,
        ),
      ),
      areaWidth: body.clientWidth,
    };
  });

describe.each(['de', 'en'] as const)('the panel layout (%s)', (locale) => {
  const t = texts[locale];

  it('keeps the header at the top and its document unscrolled after several answers', async () => {
    const { page, frame } = await openDemoPanel(suite.browser, suite.lotse.origin, locale);
    for (const question of t.questions) await ask(frame, locale, question);
    // The answers overflow the conversation area, which scrolls; the document around it does not.
    await expect
      .poll(() => frame.evaluate(() => document.querySelector('.body')!.scrollTop))
      .toBeGreaterThan(0);
    const after = await layout(frame);
    expect(after.scrollTop).toBe(0);
    expect(after.headerTop).toBe(0);
    expect(after.scrollHeight).toBeLessThanOrEqual(after.viewHeight);
    // Scrolling the document by script (as scrollIntoView would) has nowhere to go.
    await frame.evaluate(() => window.scrollTo(0, 10_000));
    expect((await layout(frame)).scrollTop).toBe(0);
    await page.context().close();
  });

  it('keeps a question with unbreakable graphemes within the conversation area', async () => {
    const { page, frame } = await openDemoPanel(suite.browser, suite.lotse.origin, locale);
    await ask(frame, locale, `${THAI} ${THAI}`);
    const { areaScroll, widest, areaWidth } = await layout(frame);
    expect(areaScroll).toBe(0);
    expect(widest).toBeLessThanOrEqual(areaWidth);
    await page.context().close();
  });
});
