import { MAX_UNREAD, type PanelMessage } from './messages.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_UNREAD;

/**
 * Hand-written guard for messages from the panel (host side; a schema library would cost the
 * controller more bytes than the whole bridge).
 */
export function isPanelMessage(data: unknown): data is PanelMessage {
  if (!isRecord(data) || data.lotse !== 1) return false;
  switch (data.type) {
    case 'ready':
    case 'close':
      return true;
    case 'event':
      return typeof data.name === 'string' && data.name.length <= 64 && isRecord(data.props);
    case 'unread':
      return isCount(data.count) && isCount(data.conversations);
    default:
      return false;
  }
}
