import type { WidgetLocale } from '../i18n/resolve-locale.js';

/** Consent state as the host sets it with `data-consent` or `Lotse('consent', …)`. */
export type ConsentState = 'granted' | 'denied' | 'pending';

/** Traits a site may attach to the visitor with `Lotse('identify', …)`. */
export type Traits = Record<string, string | number | boolean>;

/** How the panel was opened. */
export type OpenTrigger = 'launcher' | 'api';

/** Messages the host controller sends into the panel frame. */
export type HostMessage =
  | { lotse: 1; type: 'open'; trigger: OpenTrigger }
  | { lotse: 1; type: 'close' }
  | { lotse: 1; type: 'ask'; text: string }
  | { lotse: 1; type: 'identify'; traits: Traits }
  | { lotse: 1; type: 'consent'; state: ConsentState }
  | { lotse: 1; type: 'locale'; locale: WidgetLocale };

/** Messages the panel frame sends to the host controller. */
export type PanelMessage =
  | { lotse: 1; type: 'ready' }
  | { lotse: 1; type: 'close' }
  | { lotse: 1; type: 'event'; name: string; props: Record<string, unknown> }
  /** New agent replies for the launcher's badge, and how many conversations the panel keeps. */
  | { lotse: 1; type: 'unread'; count: number; conversations: number };

/** Largest unread count or conversation count the host accepts. */
export const MAX_UNREAD = 999;

/** Longest question text the host may pass with `Lotse('ask', …)`. */
export const MAX_ASK_LENGTH = 2000;
