import { isHostMessage } from './is-host-message.js';
import type { HostMessage, PanelMessage } from './messages.js';

/** The panel end of the postMessage channel to the host page. */
export interface PanelBridge {
  post(message: PanelMessage): void;
  destroy(): void;
}

/**
 * Connects the panel to the embedding page at `hostOrigin`: posts only there, and accepts only
 * messages from the parent window at that origin that pass the guard.
 */
export function createPanelBridge(
  hostOrigin: string,
  onMessage: (message: HostMessage) => void,
): PanelBridge {
  const parent = window.parent;
  const listener = (event: MessageEvent) => {
    if (event.origin !== hostOrigin || event.source !== parent || parent === window) return;
    if (isHostMessage(event.data)) onMessage(event.data);
  };
  window.addEventListener('message', listener);
  return {
    post: (message) => {
      if (parent !== window) parent.postMessage(message, hostOrigin);
    },
    destroy: () => window.removeEventListener('message', listener),
  };
}
