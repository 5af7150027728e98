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
 * returns the object they fill in.
 * @example
 * const suite = useLotseSuite();
 * it('…', async () => { const page = await newPage(suite.browser, 'de'); … });
 */
export function useLotseSuite(): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.lotse = await startLotse();
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.lotse?.stop();
  });
  return suite;
}
