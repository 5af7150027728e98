import { type HostMessage, MAX_ASK_LENGTH } from './messages.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown) =>
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value)) ||
  (typeof value === 'string' && value.length <= 500);

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
        entries.length <= 50 && entries.every(([key, value]) => key.length <= 64 && isScalar(value))
      );
    }
    case 'consent':
      return data.state === 'granted' || data.state === 'denied' || data.state === 'pending';
    case 'locale':
      return data.locale === 'de' || data.locale === 'en';
    default:
      return false;
  }
}
