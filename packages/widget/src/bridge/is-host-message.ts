import { isConsentState } from '../config.js';
import { isTraitValue, MAX_TRAIT_KEY_LENGTH, MAX_TRAITS } from './merge-traits.js';
import { type HostMessage, MAX_ASK_LENGTH } from './messages.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Panel-side guard for messages from the host controller. Hand-written like the host side: a zod
 * schema for these six shapes cost the panel 1.7 KB min + gzip, over its 40 KB budget.
 */
export function isHostMessage(data: unknown): data is HostMessage {
  if (!isRecord(data) || data.lotse !== 1) return false;
  switch (data.type) {
    case 'open':
      return data.trigger === 'launcher' || data.trigger === 'api';
    case 'close':
      return true;
    case 'ask':
      return (
        typeof data.text === 'string' && data.text.length > 0 && data.text.length <= MAX_ASK_LENGTH
      );
    case 'identify': {
      const traits = data.traits;
      if (!isRecord(traits)) return false;
      const entries = Object.entries(traits);
      return (
        entries.length <= MAX_TRAITS &&
        entries.every(([key, value]) => key.length <= MAX_TRAIT_KEY_LENGTH && isTraitValue(value))
      );
    }
    case 'consent':
      return isConsentState(data.state);
    case 'locale':
      return data.locale === 'de' || data.locale === 'en';
    default:
      return false;
  }
}
