import { type HtmlValue, html, type SafeHtml } from './html.js';

/**
 * A table in a horizontally scrollable box (`.table-wrap`) that is, without any script, a
 * focusable region named by the table's caption, so keyboard users can scroll it (WCAG 2.1.1).
 * `id` must be unique on the page; `head` and `body` are the table's `thead` and `tbody`.
 */
export function tableRegion(
  id: string,
  caption: HtmlValue,
  head: HtmlValue,
  body: HtmlValue,
): SafeHtml {
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="${id}"><table>
  <caption id="${id}">${caption}</caption>
  ${head}
  ${body}
</table></div>`;
}
