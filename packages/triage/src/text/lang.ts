/** A language the text pipeline supports. */
export type Lang = 'de' | 'en';

/** Returns whether a value is a supported language code. */
export function isLang(value: unknown): value is Lang {
  return value === 'de' || value === 'en';
}
