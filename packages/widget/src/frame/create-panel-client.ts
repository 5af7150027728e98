import { createClient, type LotseClient } from '@lotse/sdk';
import { createBrowserPlatform } from '@lotse/sdk/browser';
import type { PanelConfig } from './panel-config.js';

// Short enough that an agent sees a handoff's events next to it, long enough to batch one exchange.
const flushInterval = 1000;

/** Creates the panel's SDK client (the same public API site developers use) on the panel's origin. */
export function createPanelClient(config: PanelConfig): LotseClient {
  return createClient({
    endpoint: location.origin,
    siteKey: config.site,
    consent: config.consent,
    platform: createBrowserPlatform(),
    flushInterval,
  });
}
