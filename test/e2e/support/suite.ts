// One Lotse server and one Chromium per test file: started before its first test, stopped after its last.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { type LotseUnderTest, startLotse } from './lotse-server.js';

/** What a browser suite runs against; set once `beforeAll` has run. */
export interface Suite {
  lotse: LotseUnderTest;
  browser: Browser;
}

/**
 * Registers the `beforeAll` that starts Lotse and Chromium and the `afterAll` that stops both, and
 * returns the object they fill in. `env` adds to the server's environment; a function is called in
 * `beforeAll`, after the hooks registered before this call (e.g. one that starts an SMTP server).
 * @example
 * const suite = useLotseSuite();
 * it('…', async () => { const page = await newPage(suite.browser, 'de'); … });
 */
export function useLotseSuite(
  env: Record<string, string> | (() => Record<string, string>) = {},
): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.lotse = await startLotse(typeof env === 'function' ? env() : env);
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.lotse?.stop();
  });
  return suite;
}
