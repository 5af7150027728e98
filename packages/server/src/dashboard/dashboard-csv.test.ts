import { describe, expect, it } from 'vitest';
import { csvField } from './dashboard-csv.js';

/** Splits one CSV line the way a spreadsheet does (RFC 4180 quotes) with the given separator. */
function cells(line: string, separator: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

const hostile = [
  'x;=1+1',
  'x,=1+1',
  '=HYPERLINK("http://evil.test","klick")',
  '+49 30 1234',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
  'a";=1;"b',
  'Wo ist meine Rechnung?',
  'Zeile eins\r\n=1+1',
  'a\n@SUM(A1)',
];

describe('dashboard CSV fields', () => {
  it('quotes every text so that no cell starts a formula with , or ; as separator', () => {
    for (const text of hostile) {
      const line = ['content_gap', text, 'count', 3].map(csvField).join(',');
      expect(line).not.toMatch(/[\r\n]/);
      for (const separator of [',', ';']) {
        for (const cell of cells(line, separator)) {
          expect(cell, `${JSON.stringify(text)} split on ${separator}`).not.toMatch(/^[=+\-@\t\r]/);
        }
      }
      const oneLine = text.replace(/\r\n|[\r\n]/g, ' ');
      expect(cells(line, ',')).toEqual([
        'content_gap',
        /^[=+\-@\t\r]/.test(oneLine) ? `'${oneLine}` : oneLine,
        'count',
        '3',
      ]);
    }
  });

  it('writes numbers bare and null as an empty cell', () => {
    expect(csvField(0.5)).toBe('0.5');
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
  });
});
