/** UTF-8 byte length of a string, without allocating (the 64 KB request limit counts bytes). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7ff) n += c >= 0xd800 && c <= 0xdbff ? 1 : 2;
    else if (c > 0x7f) n++;
  }
  return n;
}

/** Bytes of `{"events":[]}` around the serialised events. */
export const BATCH_OVERHEAD = 13;

/**
 * How many items from `from` on fit one request: at most `maxEvents`, and the JSON body
 * (`{"events":[a,b]}`, each item `n` bytes) at most `maxBytes`.
 */
export function fitBatch(
  sizes: readonly { n: number }[],
  from: number,
  maxEvents: number,
  maxBytes: number,
): number {
  let bytes = BATCH_OVERHEAD - 1;
  let n = 0;
  while (from + n < sizes.length && n < maxEvents) {
    const next = bytes + sizes[from + n]!.n + 1;
    if (next > maxBytes) break;
    bytes = next;
    n++;
  }
  return n;
}
