/** The brand colour used when the site sets none or an unreadable one (white text: 7.1 : 1). */
export const DEFAULT_BRAND_COLOR = '#0b57a4';

/** Parses `#rgb` or `#rrggbb` into 0..255 channels; anything else gives `undefined`. */
export function parseHexColor(
  value: string | null | undefined,
): [number, number, number] | undefined {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join('') : match[1];
  return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

// WCAG 2.2 relative luminance (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance).
function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio (1..21) between two colours given as channels. */
export function contrastRatio(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Brand colour and the text colour that reads best on it. */
export interface BrandTheme {
  brand: string;
  onBrand: '#ffffff' | '#000000';
}

/**
 * Resolves the site's `data-color` into a theme: the text colour (black or white) with the higher
 * WCAG contrast against the brand colour, which is always at least 4.58 : 1.
 *
 * @example
 * brandTheme('#ffd400').onBrand; // '#000000'
 */
export function brandTheme(color: string | null | undefined): BrandTheme {
  const rgb = parseHexColor(color);
  if (!rgb) return { brand: DEFAULT_BRAND_COLOR, onBrand: '#ffffff' };
  const white = contrastRatio(rgb, [255, 255, 255]);
  const black = contrastRatio(rgb, [0, 0, 0]);
  return { brand: color!.trim().toLowerCase(), onBrand: white >= black ? '#ffffff' : '#000000' };
}
