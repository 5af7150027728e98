/** Picks Brotli, gzip or identity from `Accept-Encoding` (q-values other than 0 are not ranked). */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => !/;\s*q=0(\.0*)?$/.test(part))
      .map((part) => part.split(';')[0]),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

/** The strong ETag of one encoding of a representation whose identity ETag is `etag`. */
export function encodedEtag(etag: string, encoding: 'br' | 'gzip' | undefined): string {
  // Each encoding is its own representation, so it gets its own strong ETag.
  return encoding === undefined ? etag : `${etag.slice(0, -1)}-${encoding}"`;
}

/** Whether `If-None-Match` lists `etag` (or `*`), weak prefixes ignored: the answer is then a 304. */
export function isNotModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}
