/** Link schemes an answer may point to; everything else (javascript:, data:, relative paths…) is dropped. */
export const SAFE_LINK_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

// The WHATWG URL parser strips leading and trailing C0 controls and spaces and removes tabs and
// newlines anywhere, so "java\tscript:" runs as javascript: in a browser. Do the same before
// reading the scheme, then refuse anything that still holds a control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const EDGE_CONTROLS = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// Characters that could end an attribute in a careless string renderer; valid URLs percent-encode them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is "everything but ASCII".
const UNSAFE_CHAR = /[\s"'<>`\\^{|}]|[^\u0000-\u007f]/gu;

/**
 * Returns a normalised link target when `raw` is an absolute http, https or mailto URL, else `null`.
 * @example sanitizeHref(' HTTPS://example.com/a b') // 'https://example.com/a%20b'
 */
export function sanitizeHref(raw: string): string | null {
  const trimmed = raw.replace(EDGE_CONTROLS, '').replace(TAB_OR_NEWLINE, '');
  if (CONTROL.test(trimmed)) return null;
  const match = SCHEME.exec(trimmed);
  if (match === null) return null;
  const scheme = (match[1] ?? '').toLowerCase();
  if (!SAFE_LINK_SCHEMES.includes(scheme)) return null;
  const rest = trimmed.slice(scheme.length + 1);
  if (scheme === 'mailto') {
    if (rest.length === 0) return null;
  } else if (!/^\/\/[^/\\?#\s]/.test(rest)) {
    return null;
  }
  let encoded = '';
  try {
    encoded = rest.replace(UNSAFE_CHAR, (char) => encodeURIComponent(char));
  } catch {
    // encodeURIComponent throws on a lone surrogate: such a URL is broken anyway.
    return null;
  }
  return `${scheme}:${encoded}`;
}
