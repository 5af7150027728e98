import { describe, expect, it } from 'vitest';
import { kbVersionProps } from './kb-version.js';

describe('kbVersionProps', () => {
  it('reads the version the server names', () => {
    expect(kbVersionProps('1')).toEqual({ kbVersion: 1 });
    expect(kbVersionProps('42')).toEqual({ kbVersion: 42 });
    expect(kbVersionProps('999999999')).toEqual({ kbVersion: 999_999_999 });
  });

  it('leaves out a missing, malformed or out-of-range header', () => {
    for (const header of [
      null,
      '',
      '0',
      '-3',
      '1.5',
      '07',
      ' 4',
      '4 ',
      'abc',
      '1e3',
      '9999999999',
    ]) {
      expect(kbVersionProps(header), String(header)).toEqual({});
    }
  });
});
