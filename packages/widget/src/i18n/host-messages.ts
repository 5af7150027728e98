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
