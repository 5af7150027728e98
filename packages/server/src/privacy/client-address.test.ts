import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.js';

const proxies = new Set(['10.0.0.1', '10.0.0.2']);

describe('clientAddress', () => {
  it.each([
    ['the socket peer without a header', '198.51.100.1', undefined, '198.51.100.1'],
    ['the socket peer from an untrusted peer', '198.51.100.1', '203.0.113.5', '198.51.100.1'],
    ['an IPv4-mapped peer, normalised', '::ffff:198.51.100.1', undefined, '198.51.100.1'],
    ['the forwarded client behind a trusted proxy', '10.0.0.1', '203.0.113.5', '203.0.113.5'],
    [
      'the right-most untrusted hop, ignoring spoofed ones',
      '10.0.0.1',
      '1.1.1.1, 203.0.113.5, 10.0.0.2',
      '203.0.113.5',
    ],
    ['the peer when a hop is garbage', '10.0.0.1', 'nonsense', '10.0.0.1'],
    ['an IPv6 client', '10.0.0.1', '2001:db8::1', '2001:db8::1'],
  ])('takes %s', (_name, peer, forwarded, expected) => {
    expect(clientAddress(peer, forwarded, proxies)).toBe(expected);
  });
});
