/** A language the widget speaks. */
export type WidgetLocale = 'de' | 'en';

/** The languages the widget has catalogs for. */
export const WIDGET_LOCALES: readonly WidgetLocale[] = ['de', 'en'];

/** Whether a string names a language the widget speaks (`de`, `en`). */
export function isWidgetLocale(value: unknown): value is WidgetLocale {
  return value === 'de' || value === 'en';
}

/**
 * Picks the widget's language from candidates in order of precedence (config, `<html lang>`, browser
 * languages): the first whose primary subtag the widget speaks, else English.
 *
 * @example
 * resolveLocale([undefined, 'de-CH', 'en-US']); // 'de'
 */
export function resolveLocale(candidates: readonly (string | null | undefined)[]): WidgetLocale {
  for (const candidate of candidates) {
    const primary = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    if (isWidgetLocale(primary)) return primary;
  }
  return 'en';
}
