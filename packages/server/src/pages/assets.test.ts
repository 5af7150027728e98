// The stylesheet's promises that a browser test would only see by eye: a focus indicator that stands
// out at 3:1 (WCAG 1.4.11) against every background it is drawn on, and a layout whose columns and
// messages shrink to a phone's width (WCAG 1.4.10; test/e2e/inbox-phone.test.ts measures it).
import { Hono } from 'hono';
import { beforeAll, expect, it } from 'vitest';
import type { AppEnv } from '../http/deps.js';
import { registerPageAssets } from './assets.js';

let css = '';
beforeAll(async () => {
  const app = new Hono<AppEnv>();
  registerPageAssets(app);
  css = await (await app.request('/ui/app.css')).text();
});

/** The declarations of the rule whose selector list is exactly `selector`. */
function rule(selector: string): string {
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new RegExp(`(?:^|\\n|\\})${escaped}\\{([^}]*)\\}`).exec(css);
  if (found === null) throw new Error(`no rule for ${selector} in app.css`);
  return found[1]!;
}

/** The first `#rrggbb` colour of a declaration of `rule`. */
function colour(declarations: string, property: string): string {
  const found = new RegExp(`(?:^|;)${property}:[^;]*?(#[0-9a-f]{6}|#[0-9a-f]{3})\\b`, 'i').exec(
    declarations,
  );
  if (found === null) throw new Error(`no colour for ${property} in {${declarations}}`);
  return found[1]!;
}

/** WCAG 2 relative luminance of `#rgb` or `#rrggbb`. */
function luminance(hex: string): number {
  const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (d) => d + d) : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

it('computes contrast as WCAG does', () => {
  expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  // The old focus ring against the page: the tester's 2.0–2.2:1.
  expect(contrast('#e8a317', '#ffffff')).toBeCloseTo(2.15, 1);
});

it('draws a focus indicator with at least 3:1 against the page, the cards, the header and the buttons', () => {
  const focus = rule(':focus-visible');
  const outer = colour(focus, 'outline');
  // The inner ring fills the outline's offset (box-shadow spread = outline-offset).
  const offset = /outline-offset:(\d+)px/.exec(focus)?.[1];
  const spread = /box-shadow:0 0 0 (\d+)px (#[0-9a-f]{3,6})/i.exec(focus);
  expect(spread?.[1]).toBe(offset);
  const inner = spread![2]!;
  const backgrounds = {
    page: colour(rule('body'), 'background'),
    card: colour(rule('.card'), 'background'),
    table: colour(rule('table'), 'background'),
  };
  // The outline itself, where the page and its cards are.
  for (const [name, background] of Object.entries(backgrounds)) {
    expect(contrast(outer, background), `outline on ${name} ${background}`).toBeGreaterThanOrEqual(
      3,
    );
  }
  // Where the outline is dark on dark (the header) or next to a filled button, the inner ring is
  // the indicator: it differs from what it surrounds and from the outer ring.
  const dark = {
    header: colour(rule('header'), 'background'),
    button: colour(rule('button'), 'background'),
  };
  for (const [name, background] of Object.entries(dark)) {
    const best = Math.max(contrast(outer, background), contrast(inner, background));
    expect(best, `focus ring on ${name} ${background}`).toBeGreaterThanOrEqual(3);
    expect(contrast(inner, background), `inner ring on ${name}`).toBeGreaterThanOrEqual(3);
  }
  expect(contrast(inner, outer)).toBeGreaterThanOrEqual(3);
});

it('lets the conversation’s columns and messages shrink below their content', () => {
  expect(rule('.columns')).toContain('grid-template-columns:minmax(0,1fr)');
  expect(css).toMatch(/\.columns\{grid-template-columns:minmax\(0,2fr\) minmax\(0,1fr\)\}/);
  expect(rule('.columns>*')).toContain('min-width:0');
  expect(rule('p.msg')).toContain('overflow-x:auto');
});
