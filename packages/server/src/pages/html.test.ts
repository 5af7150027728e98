import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.js';

describe('html', () => {
  it('escapes interpolated text and attributes', () => {
    const evil = `"><script>alert('x')</script>&`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('keeps nested safe fragments and joins lists', () => {
    const items = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
    expect(html`${raw('<br>')}${null}${undefined}${false}${0}`.value).toBe('<br>0');
    expect(escapeHtml('`')).toBe('&#96;');
  });
});
