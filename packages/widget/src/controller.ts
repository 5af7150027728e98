// The host controller, loaded by the loader on the visitor's first intent: it owns the panel frame,
// places it, and talks to it over the bridge. It never throws into the host page.

import type { EventType } from '@lotse/sdk';
import { createHostBridge } from './bridge/host-bridge.js';
import { isPanelMessage } from './bridge/is-panel-message.js';
import { type HostMessage, MAX_ASK_LENGTH, type PanelMessage } from './bridge/messages.js';
import type { CheckUnread, Controller, ControllerContext } from './controller-api.js';
import { setFollowUp } from './follow-up/follow-up-flag.js';
import { hostMessages, unavailableMessages } from './i18n/host-messages.js';
import { placePanel } from './position/place-panel.js';

type Outgoing = HostMessage extends infer M
  ? M extends HostMessage
    ? Omit<M, 'lotse'>
    : never
  : never;

/**
 * Creates the panel frame (hidden until opened) at `{endpoint}/panel/` and returns the controller the
 * loader forwards commands to.
 */
export function mountController(context: ControllerContext): Controller {
  const { options, launcher } = context;
  const frame = document.createElement('iframe');
  frame.className = 'f';
  frame.title = hostMessages[options.locale].frameTitle;
  const config = new URLSearchParams({
    site: options.site,
    locale: options.locale,
    color: options.theme.brand,
    consent: options.consent,
    origin: location.origin,
    unanswered: options.unanswered ? '1' : '0',
    ...(options.npsIntervalDays ? { nps: options.npsIntervalDays } : {}),
  });
  // The site in the query lets the server send the panel with that site's `frame-ancestors`; the rest
  // stays in the fragment, which never reaches the server.
  frame.src = `${options.endpoint}/panel/?site=${encodeURIComponent(options.site)}#${config}`;

  let ready = false;
  let isOpen = false;
  let destroyed = false;
  let stopPlacing: (() => void) | undefined;
  // A frame that loaded without the panel saying `ready` is not the panel: the server is down or
  // is no Lotse server, or it refused to be framed here (unknown site key, this page not among the
  // site's origins). The visitor then reads that help is unavailable, not a blank or error page.
  let broken = false;
  let failTimer: ReturnType<typeof setTimeout> | undefined;
  const note = document.createElement('p');
  note.className = 'u';
  note.setAttribute('role', 'alert');
  note.textContent = unavailableMessages[options.locale];
  const show = () => {
    frame.hidden = !isOpen || broken;
    note.hidden = !isOpen || !broken;
  };
  show();
  const fail = () => {
    if (ready || destroyed) return;
    broken = true;
    show();
    console.error(
      `[lotse] The help panel did not load from ${options.endpoint}/panel/: check that data-endpoint names a running Lotse server and data-site a site key it knows, with ${location.origin} among the site's allowed origins.`,
    );
  };
  frame.addEventListener('load', () => {
    // The panel posts `ready` before its load event; the grace covers a message still on its way.
    if (!ready) failTimer ??= setTimeout(fail, 3000);
  });
  const pending: HostMessage[] = [];
  const post = (message: Outgoing) => {
    if (destroyed) return;
    const full = { lotse: 1, ...message } as HostMessage;
    if (ready) bridge.post(full);
    else pending.push(full);
  };

  const onMessage = (message: PanelMessage) => {
    if (message.type === 'unread') {
      context.setUnread(message.count);
      // Later page loads ask for replies while the panel keeps a conversation (one handed off here,
      // or a signed-in visitor's from another device), and stop asking once it keeps none.
      setFollowUp(options.site, message.conversations > 0);
    } else if (message.type === 'ready') {
      ready = true;
      broken = false;
      show();
      for (const queued of pending.splice(0)) bridge.post(queued);
    } else if (message.type === 'close') {
      controller.close();
    } else {
      // A handoff's consent covers keeping the conversation; the host keeps only this flag.
      if (message.name === 'handoff.created') setFollowUp(options.site, true);
      context.emit('event', { name: message.name as EventType, props: message.props });
      // Analytics events have dotted names (`answer.rated`); anything else named `open` or `close`
      // must not pose as the widget's own events.
      if (message.name.includes('.'))
        context.emit(message.name as EventType, message.props as never);
    }
  };
  const bridge = createHostBridge(frame, options.endpoint, onMessage);
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && isOpen) controller.close();
  };
  launcher.root.addEventListener('keydown', onKeydown);
  launcher.root.append(frame, note);
  if (context.traits) post({ type: 'identify', traits: context.traits });

  const controller: Controller = {
    open: (trigger) => {
      if (destroyed) return;
      if (!isOpen) {
        isOpen = true;
        show();
        launcher.setExpanded(true);
        stopPlacing = placePanel(launcher.button, frame, {
          side: options.position === 'bottom-left' ? 'left' : 'right',
          onFullScreen: (full) => launcher.root.classList.toggle('full', full),
          owns: (element) => element === launcher.host,
        });
        post({ type: 'open', trigger });
        context.emit('open', { trigger });
      }
      frame.focus();
    },
    close: () => {
      if (!isOpen) return;
      isOpen = false;
      // Focus goes back to the launcher only from inside the widget (the frame lives in the
      // launcher's shadow root): a site closing the panel by API keeps its own focus.
      const focusWasInside = document.activeElement === launcher.host;
      stopPlacing?.();
      stopPlacing = undefined;
      show();
      launcher.setExpanded(false);
      post({ type: 'close' });
      if (focusWasInside) launcher.button.focus();
      context.emit('close', {});
    },
    toggle: () => (isOpen ? controller.close() : controller.open('launcher')),
    ask: (text) => {
      if (destroyed) return;
      controller.open('api');
      post({ type: 'ask', text: text.slice(0, MAX_ASK_LENGTH) });
    },
    identify: (traits) => post({ type: 'identify', traits }),
    consent: (state) => post({ type: 'consent', state }),
    setLocale: (locale) => {
      frame.title = hostMessages[locale].frameTitle;
      note.textContent = unavailableMessages[locale];
      post({ type: 'locale', locale });
    },
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      isOpen = false;
      clearTimeout(failTimer);
      stopPlacing?.();
      bridge.destroy();
      launcher.root.removeEventListener('keydown', onKeydown);
      frame.remove();
      note.remove();
    },
  };
  return controller;
}

/**
 * Loads `{endpoint}/panel/unread.html` in a hidden frame: it reads the visitor's conversations from the
 * panel origin's storage, asks the server for them and posts back only the count of new replies.
 */
export const checkUnread: CheckUnread = (context) => {
  const { options, launcher } = context;
  const frame = document.createElement('iframe');
  frame.className = 'f';
  frame.hidden = true;
  frame.tabIndex = -1;
  frame.setAttribute('aria-hidden', 'true');
  const config = new URLSearchParams({ site: options.site, origin: location.origin });
  frame.src = `${options.endpoint}/panel/unread.html?site=${encodeURIComponent(options.site)}#${config}`;
  const stop = () => {
    clearTimeout(timer);
    window.removeEventListener('message', listener);
    frame.remove();
  };
  const listener = (event: MessageEvent) => {
    if (event.origin !== options.endpoint || event.source !== frame.contentWindow) return;
    const message: unknown = event.data;
    if (!isPanelMessage(message) || message.type !== 'unread') return;
    context.setUnread(message.count);
    if (message.conversations === 0) setFollowUp(options.site, false);
    stop();
  };
  // A server that never answers must not keep a frame in the host page.
  const timer = setTimeout(stop, 30_000);
  window.addEventListener('message', listener);
  launcher.root.append(frame);
  return stop;
};
