import type { WidgetLocale } from './resolve-locale.js';

/** Strings the host page shows (launcher, frame title): kept apart so the loader stays small. */
export interface HostMessages {
  launcher: string;
  frameTitle: string;
}

/** Host-side catalog per language. */
export const hostMessages: Record<WidgetLocale, HostMessages> = {
  de: { launcher: 'Hilfe', frameTitle: 'Hilfe' },
  en: { launcher: 'Help', frameTitle: 'Help' },
};

/**
 * Shown by the controller instead of a panel that did not load (server down, unknown site key, page
 * not among the site's origins); apart from {@link hostMessages}, so the loader does not carry it.
 */
export const unavailableMessages: Record<WidgetLocale, string> = {
  de: 'Die Hilfe ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.',
  en: 'Help is not available right now. Please try again later.',
};
