import type { HandoffRow, VisitorData } from './store.js';

/** A handoff as exported to its visitor: without the token hash, nonce and request hash. */
export function exportedHandoff(h: HandoffRow): VisitorData['handoffs'][number] {
  const { tokenHash: _t, tokenNonce: _n, requestHash: _r, ...rest } = h;
  return rest;
}
