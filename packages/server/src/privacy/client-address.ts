import { isIP } from 'node:net';
import { normaliseAddress } from '../options.js';

/**
 * The client's address: the socket peer, or — only when that peer is a trusted proxy — the
 * right-most `X-Forwarded-For` hop that is not itself a trusted proxy. Hops left of it are written by
 * the client and never believed.
 *
 * @example
 * clientAddress('10.0.0.2', '203.0.113.9, 10.0.0.2', new Set(['10.0.0.2'])) // '203.0.113.9'
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: ReadonlySet<string>,
): string {
  const peer = normaliseAddress(socketAddress ?? 'unknown');
  if (forwardedFor === undefined || !trustedProxies.has(peer)) return peer;
  const hops = forwardedFor.split(',').map(normaliseAddress);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? '';
    if (isIP(hop) === 0) return peer;
    if (!trustedProxies.has(hop)) return hop;
  }
  return hops[0] !== undefined && isIP(hops[0]) !== 0 ? hops[0] : peer;
}
