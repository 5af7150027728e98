import { hostMessages } from '../i18n/host-messages.js';
import type { WidgetLocale } from '../i18n/resolve-locale.js';

/**
 * The launcher's accessible name with the number of new replies: it starts with the visible label,
 * so speech users can still say "Hilfe" (WCAG 2.5.3).
 *
 * @example
 * unreadLabel('de', 1); // 'Hilfe, 1 neue Antwort'
 */
export function unreadLabel(locale: WidgetLocale, count: number): string {
  const base = hostMessages[locale].launcher;
  if (!(count > 0)) return base;
  if (locale === 'de')
    return `${base}, ${count} ${count === 1 ? 'neue Antwort' : 'neue Antworten'}`;
  return `${base}, ${count} ${count === 1 ? 'new reply' : 'new replies'}`;
}
