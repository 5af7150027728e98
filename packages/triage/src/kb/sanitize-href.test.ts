import { expect, it } from 'vitest';
import { sanitizeHref } from './sanitize-href.js';

it.each([
  ['https://shop.example/a?b=c#d', 'https://shop.example/a?b=c#d'],
  ['HTTP://shop.example', 'http://shop.example'],
  ['  https://shop.example/x  ', 'https://shop.example/x'],
  ['mailto:help@shop.example', 'mailto:help@shop.example'],
  ['https://shop.example/a b"<>', 'https://shop.example/a%20b%22%3C%3E'],
  ['https://shöp.example/ü', 'https://sh%C3%B6p.example/%C3%BC'],
  ['ht\ttp://shop.example', 'http://shop.example'],
])('keeps %j as %j', (raw, expected) => {
  expect(sanitizeHref(raw)).toBe(expected);
});

it.each([
  'javascript:alert(1)',
  ' JavaScript:alert(1)',
  'java\nscript:alert(1)',
  'java\u0000script:alert(1)',
  '\u0001javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '/relative/path',
  '//evil.example',
  'https:evil.example',
  'https:///evil',
  'mailto:',
  'https://a\u0085b.example',
  'https://a.example/\ud800',
  '',
])('refuses %j', (raw) => {
  expect(sanitizeHref(raw)).toBeNull();
});
