import { isPanelMessage } from './is-panel-message.js';
import type { HostMessage, PanelMessage } from './messages.js';

/** The host end of the postMessage channel to one panel frame. */
export interface HostBridge {
  post(message: HostMessage): void;
  destroy(): void;
}

/**
 * Connects the host page to the panel frame: posts only to the panel's exact origin and accepts only
 * messages whose `origin` and `source` are that frame's and that pass the guard.
 */
export function createHostBridge(
  frame: HTMLIFrameElement,
  panelOrigin: string,
  onMessage: (message: PanelMessage) => void,
): HostBridge {
  const listener = (event: MessageEvent) => {
    if (event.origin !== panelOrigin || event.source !== frame.contentWindow) return;
    try {
      if (isPanelMessage(event.data)) onMessage(event.data);
    } catch {
      // Handling a message must never throw into the host page.
    }
  };
  window.addEventListener('message', listener);
  return {
    post: (message) => frame.contentWindow?.postMessage(message, panelOrigin),
    destroy: () => window.removeEventListener('message', listener),
  };
}
