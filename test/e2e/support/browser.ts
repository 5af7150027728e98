// Chromium for the browser suites: Debian's package (or LOTSE_CHROMIUM), never a downloaded browser.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  type Browser,
  type BrowserContextOptions,
  chromium,
  type Frame,
  type Page,
} from 'playwright-core';

/** Launches headless Chromium with everything that phones home switched off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.LOTSE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** A fresh page in its own context (own storage), in German or English. */
export async function newPage(
  browser: Browser,
  locale: 'de' | 'en',
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    locale: locale === 'de' ? 'de-DE' : 'en-US',
    viewport: { width: 1280, height: 800 },
    // Host pages come from Playwright's router, which Chromium counts as a public address; the widget
    // is on loopback, so Local Network Access would block it (a real site and widget are both public).
    permissions: ['local-network-access'],
    ...options,
  });
  return context.newPage();
}

/** The launcher button in the widget's shadow root. */
export const launcher = (page: Page, locale: 'de' | 'en') =>
  page.getByRole('button', { name: locale === 'de' ? 'Hilfe' : 'Help', exact: true });

/** The panel frame, once its iframe exists and has loaded the panel app. */
export async function panelFrame(page: Page, locale: 'de' | 'en'): Promise<Frame> {
  const iframe = page.locator(`iframe[title="${locale === 'de' ? 'Hilfe' : 'Help'}"]`);
  await iframe.waitFor({ state: 'visible' });
  const frame = await (await iframe.elementHandle())?.contentFrame();
  if (!frame) throw new Error('The panel frame has no content.');
  await frame.getByRole('combobox').waitFor();
  return frame;
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core violation, trimmed for assertion messages. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A and AA rules) in a page or frame; the context must allow the script
 * (`bypassCSP: true`), since axe is injected with `addScriptTag`.
 */
export async function runAxe(target: Page | Frame): Promise<AxeViolation[]> {
  // Once per document: parsing axe (about 500 kB) again for every state would cost more than the run.
  if (!(await target.evaluate(() => 'axe' in window))) {
    await target.addScriptTag({ content: axeSource });
  }
  return target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    })) as {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[] }[];
      }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
}

/** Polls `read` until `done` holds for its value (server-side writes land after the browser acts). */
export async function eventually<T>(
  read: () => T,
  done: (value: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  let value = read();
  while (!done(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = read();
  }
  return value;
}
