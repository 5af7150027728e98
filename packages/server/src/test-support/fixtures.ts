import { randomUUID } from 'node:crypto';
import type { AgentRow, EventRow, HandoffRow } from '../store/store.js';

/** A valid `widget.opened` event as the SDK sends it. */
export function sdkEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    type: 'widget.opened',
    ts: 1_764_000_000_000,
    siteKey: 'demo',
    sessionId: randomUUID(),
    anonymousId: randomUUID(),
    props: { trigger: 'launcher' },
    ...overrides,
  };
}

/** A stored event row. */
export function eventRow(overrides: Partial<EventRow> = {}): EventRow {
  return {
    id: randomUUID(),
    siteKey: 'demo',
    type: 'widget.opened',
    ts: 1_764_000_000_000,
    receivedAt: 1_764_000_000_500,
    sessionId: randomUUID(),
    anonymousId: randomUUID(),
    conversationId: null,
    userId: null,
    props: { trigger: 'launcher' },
    clientHash: 'abc',
    ...overrides,
  };
}

/** A valid `POST /v1/handoffs` body. */
export function handoffRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    siteKey: 'demo',
    email: 'kundin@example.com',
    consent: true,
    message: 'Mein Paket ist seit zwei Wochen nicht angekommen.',
    transcript: [{ from: 'visitor', text: 'Wo ist mein Paket?', ts: 1_764_000_000_000 }],
    classification: {
      level: 2,
      topic: 'shipping',
      signals: ['wants-human'],
      confidence: 0.8,
      reasons: ['topic shipping is level 2'],
    },
    anonymousId: randomUUID(),
    ...overrides,
  };
}

/** A stored handoff row. */
export function handoffRow(overrides: Partial<HandoffRow> = {}): HandoffRow {
  const id = randomUUID();
  return {
    id,
    siteKey: 'demo',
    ticketId: `T-${id.slice(0, 8)}`,
    tokenHash: `hash-${id}`,
    tokenNonce: `nonce-${id}`,
    requestHash: `request-${id}`,
    email: 'Kundin@Example.com',
    anonymousId: randomUUID(),
    sessionId: null,
    conversationId: null,
    locale: 'de',
    message: 'Hallo',
    transcript: [],
    classification: { level: 2, signals: [], confidence: 0.5, reasons: [] },
    level: 2,
    topic: 'shipping',
    status: 'open',
    createdAt: 1_764_000_000_000,
    respondWithinMinutes: 240,
    respondBy: '2025-11-24T20:00:00.000Z',
    clientHash: null,
    userId: null,
    ...overrides,
  };
}

/** A stored agent account (e-mail in mixed case, as an admin might type it). */
export function agentRow(overrides: Partial<AgentRow> = {}): AgentRow {
  return {
    id: 'a1',
    email: 'Ina@Example.com',
    passwordHash: 'scrypt$old',
    role: 'agent',
    createdAt: 1,
    ...overrides,
  };
}
