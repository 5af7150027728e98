// The visitor's whole path by keyboard only (axe in every state: accessibility-states.test.ts).
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launcher, newPage, panelFrame, runAxe } from './support/browser.js';
import { useLotseSuite } from './support/suite.js';

const suite = useLotseSuite();

const demoUrl = () => `${suite.lotse.origin.replace('127.0.0.1', 'localhost')}/demo/`;

async function focusedInFrame(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const el = document.activeElement;
    return `${el?.tagName.toLowerCase()}#${el?.id ?? ''}:${el?.textContent?.trim() ?? ''}`;
  });
}

async function launcherFocused(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const host = document.activeElement;
    return host?.tagName === 'LOTSE-WIDGET' && host.shadowRoot?.activeElement?.tagName === 'BUTTON';
  });
}

describe('keyboard only', () => {
  it('reaches the launcher, asks, rates, hands off, and Escape returns focus to the launcher', async () => {
    // axe is injected as a script, so this context ignores the demo page's CSP.
    const page = await newPage(suite.browser, 'de', { bypassCSP: true });
    await page.goto(demoUrl());
    await launcher(page, 'de').waitFor();
    expect(await runAxe(page), 'the demo shop with the launcher').toEqual([]);
    for (let i = 0; i < 60 && !(await launcherFocused(page)); i++) await page.keyboard.press('Tab');
    expect(await launcherFocused(page)).toBe(true);

    await page.keyboard.press('Enter');
    const frame = await panelFrame(page, 'de');
    await expect.poll(() => focusedInFrame(frame)).toMatch(/^input#lotse-q/);

    // Suggestions: type, arrow down to the first, Enter shows its answer. One input event, as a
    // keyboard's text input or dictation sends it: key by key, a slow moment on a busy machine can
    // show a prefix's list before the word's own, which then renews under the arrow key.
    await page.keyboard.insertText('Rücksendeetik');
    await frame.getByRole('option').first().waitFor();
    await page.keyboard.press('ArrowDown');
    const box = frame.getByRole('combobox');
    await expect.poll(() => box.getAttribute('aria-activedescendant')).toBe('lotse-opt-0');
    await page.keyboard.press('Enter');
    await frame.getByRole('group', { name: 'Hat Ihnen das geholfen?' }).waitFor();

    // "Nein" twice in a row leads to the handoff form.
    for (let round = 0; round < 2; round++) {
      await frame.getByRole('group', { name: 'Hat Ihnen das geholfen?' }).waitFor();
      // Taking a suggestion or an alternative moves focus to the question field in an effect
      // after the next frame: start from there, or that move could come during the loop below.
      await expect.poll(() => focusedInFrame(frame)).toMatch(/^input#lotse-q/);
      for (let i = 0; i < 12 && !(await focusedInFrame(frame)).endsWith(':Nein'); i++) {
        await page.keyboard.press('Shift+Tab');
      }
      expect(await focusedInFrame(frame)).toMatch(/:Nein$/);
      await page.keyboard.press('Enter');
      if (round === 0) {
        // "Did you mean …": Tab to the first alternative and take it.
        // "Did you mean …": focus moves to the first alternative; Enter takes it.
        await expect
          .poll(() =>
            frame.evaluate(() => document.activeElement?.closest('.alternatives') !== null),
          )
          .toBe(true);
        await page.keyboard.press('Enter');
      }
    }
    await expect.poll(() => focusedInFrame(frame)).toMatch(/^input#lotse-email/);
    await page.keyboard.type('tastatur@example.com');
    await page.keyboard.press('Tab');
    expect(await focusedInFrame(frame)).toMatch(/^textarea#lotse-message/);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedInFrame(frame)).toMatch(/^h2#:Vielen Dank!/);

    await page.keyboard.press('Escape');
    await expect.poll(() => launcherFocused(page)).toBe(true);
    await expect(launcher(page, 'de').getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.locator('iframe').isVisible()).resolves.toBe(false);
    await page.context().close();
  });
  it('keeps the suggestion arrowed to while the list renews, and asks what was typed after typing on', async () => {
    const page = await newPage(suite.browser, 'de');
    // The page's own clock, paused once the panel is open: the suggestions' debounce (and the
    // effects that arm it) run only when the test lets time pass.
    await page.clock.install();
    await page.goto(demoUrl());
    await launcher(page, 'de').click();
    const frame = await panelFrame(page, 'de');
    await expect.poll(() => focusedInFrame(frame)).toMatch(/^input#lotse-q/);
    // Suggestions need the model: paused before it arrived, the list would never come.
    await frame.locator('.panel[data-state="ready"]').waitFor();
    await page.clock.pauseAt(Date.now() + 60_000);
    const box = frame.getByRole('combobox');
    const highlighted = async () => {
      const id = await box.getAttribute('aria-activedescendant');
      return id === null ? null : frame.locator(`#${id}[aria-selected="true"]`).textContent();
    };

    await page.keyboard.insertText('Rücksende');
    await page.clock.runFor(500);
    const first = await frame.getByRole('option').first().textContent();
    // Typed on, then the arrow key before the list renewed: the option arrowed to stays.
    await page.keyboard.insertText('etikett');
    await page.keyboard.press('ArrowDown');
    await expect.poll(highlighted).toBe(first);
    await page.clock.runFor(500);
    await expect.poll(highlighted).toBe(first);

    // Typed on, then Enter before the list renewed: the typed question is asked.
    await page.keyboard.insertText(' verloren');
    await page.keyboard.press('Enter');
    await page.clock.resume();
    const log = frame.getByRole('log', { name: 'Verlauf' });
    await log.getByText('Rücksendeetikett verloren', { exact: true }).waitFor();
    await page.context().close();
  });
  it('reaches the scrolling conversation between the close button and its content, and scrolls it', async () => {
    const page = await newPage(suite.browser, 'de', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(demoUrl());
    await launcher(page, 'de').waitFor();
    for (let i = 0; i < 60 && !(await launcherFocused(page)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const frame = await panelFrame(page, 'de');
    await expect.poll(() => focusedInFrame(frame)).toMatch(/^input#lotse-q/);
    const body = frame.locator('.body');
    const scrolls = () => body.evaluate((el) => el.scrollHeight > el.clientHeight);
    // Answers without links, until the conversation is longer than the panel.
    for (const question of [
      'Wie lange dauert der Versand?',
      'Rechnung herunterladen',
      'Gutscheincode funktioniert nicht',
      'Wie lange dauert die Erstattung?',
    ]) {
      const answers = await frame.locator('.log .answer').count();
      await page.keyboard.type(question);
      await page.keyboard.press('Enter');
      await expect.poll(() => frame.locator('.log .answer').count()).toBe(answers + 1);
      if (await scrolls()) break;
    }
    expect(await scrolls()).toBe(true);

    // Backwards from the question field: the rating, the scrolling area, the close button.
    await frame.getByRole('combobox').focus();
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Shift+Tab');
      order.push(
        await frame.evaluate(() => {
          const el = document.activeElement;
          return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
        }),
      );
    }
    expect(order).toEqual(['Nein', 'Ja', 'Gespräch', 'Schließen']);

    // On the scrolling area, Home and End scroll it (smoothly: wait for where it ends up).
    await page.keyboard.press('Tab');
    expect(await frame.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Gespräch',
    );
    const position = () =>
      body.evaluate((el) =>
        el.scrollTop === 0
          ? 'top'
          : el.scrollTop >= el.scrollHeight - el.clientHeight - 1
            ? 'bottom'
            : 'between',
      );
    // A key pressed while Chromium still animates the last scroll can be lost on a loaded machine
    // (run 4 of a repeat): press again until the area is where the key sends it.
    const pressUntil = (key: string, where: string) =>
      expect
        .poll(async () => {
          await page.keyboard.press(key);
          return position();
        })
        .toBe(where);
    await pressUntil('Home', 'top');
    await pressUntil('End', 'bottom');

    await page.keyboard.press('Escape');
    await expect.poll(() => launcherFocused(page)).toBe(true);
    await page.context().close();
  });
});
