import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brandTheme, contrastRatio, DEFAULT_BRAND_COLOR, parseHexColor } from './contrast.js';

describe('brandTheme', () => {
  it('puts black text on light brand colours and white text on dark ones', () => {
    expect(brandTheme('#ffd400')).toEqual({ brand: '#ffd400', onBrand: '#000000' });
    expect(brandTheme('#10323F')).toEqual({ brand: '#10323f', onBrand: '#ffffff' });
    expect(brandTheme('#fff').onBrand).toBe('#000000');
  });

  it('falls back to the default colour for anything that is not #rgb or #rrggbb', () => {
    for (const bad of [undefined, '', 'red', '#12345', 'url(x)', '#ggg', '#1234567']) {
      expect(brandTheme(bad)).toEqual({ brand: DEFAULT_BRAND_COLOR, onBrand: '#ffffff' });
    }
  });

  it('always reaches at least 4.5 : 1 (WCAG AA for text) between brand and text colour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (n) => {
        const color = `#${n.toString(16).padStart(6, '0')}`;
        const theme = brandTheme(color);
        const ratio = contrastRatio(parseHexColor(theme.brand)!, parseHexColor(theme.onBrand)!);
        expect(ratio).toBeGreaterThanOrEqual(4.5);
      }),
    );
  });

  it('computes the WCAG ratio of black on white as 21', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
  });
});
