/** The `kbVersion` prop of `answer.shown` and `answer.rated`, or none. */
export type KbVersionProps = { kbVersion?: number };

/**
 * model.json's `X-Lotse-KB-Version` header as event props: a positive integer, else none (an older
 * server, or a proxy that dropped it; `null` reads as "null" and does not match). Nine digits at
 * most keep it within the event schema's 32-bit bound without a second comparison.
 */
export function kbVersionProps(header: string | null): KbVersionProps {
  return /^[1-9]\d{0,8}$/.test(String(header)) ? { kbVersion: Number(header) } : {};
}
