// Issue 12's load: one client posting 15 requests/s of 100 events into one session for 40 s (within
// the default rate limits) must not stall the server, and every event it was told was stored must
// be stored and counted. Loopback only; the load runs in a child process (bench/one-session.ts).
import {
  abandonmentRate,
  deriveConversations,
  escalationRate,
  type MetricEvent,
  nps,
  selfServiceRate,
} from '@lotse/sdk/metrics';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runOneSessionLoad } from '../../bench/one-session.js';
import { logIn } from '../test-support/login.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { describeStores } from '../test-support/stores.js';

describeStores('one session under load', (target) => {
  let t: TestServer;

  beforeEach(async () => {
    // The default rate limits: the client stays within them.
    t = await startTestServer(target, { rateLimit: {} });
  });
  afterEach(async () => {
    await t.close();
  });

  it('keeps /healthz and event-loop p99 within 50 ms of an idle process and counts every acknowledged event', {
    timeout: 300_000,
  }, async () => {
    const r = await runOneSessionLoad({ url: t.url, siteKey: 'demo' });
    expect(r.statuses, [...r.failures, ...t.errors].join('\n')).toEqual({ 202: 600 });
    expect(r.inconsistent).toBe(0);
    expect(r.accepted).toBe(60_000);
    expect(r.healthz.failed).toBe(0);
    expect(r.healthz.count).toBeGreaterThan(100);
    // 50 ms beyond what the machine alone caused: an idle process measured its own event loop
    // meanwhile. A machine so loaded that an idle process waits over 20 ms at p99 (a 2-core machine
    // shared with other builds) cannot measure a 50 ms p99; there the bound only tells a stall from
    // a working server (before the fold, /healthz p99 was 5 s here and the event loop's 5.5 s).
    const machine = r.idleProcess.p99;
    const bound = machine <= 20 ? 50 + machine : 1000;
    const seen = JSON.stringify({
      bound,
      healthz: r.healthz,
      eventLoop: r.eventLoop,
      busy: r.utilization,
      idleProcess: r.idleProcess,
    });
    console.log(`[one session, ${target.kind}] ${seen}`);
    expect(r.healthz.p99, seen).toBeLessThanOrEqual(bound);
    expect(r.eventLoop.p99, seen).toBeLessThanOrEqual(bound);

    expect(await t.server.store.countEvents('demo')).toBe(r.accepted);
    const from = r.startTs - 3_600_000;
    const to = Date.now() + 3_600_000;
    const stored = await t.server.store.listEventsBetween('demo', from, to);
    expect(stored).toHaveLength(r.accepted);
    const events: MetricEvent[] = stored.map((e) => ({
      type: e.type,
      ts: e.ts,
      sessionId: e.sessionId,
      anonymousId: e.anonymousId,
      ...(e.conversationId === null ? {} : { conversationId: e.conversationId }),
      props: e.props as Record<string, unknown>,
    }));
    const agent = await logIn(t.url, 'admin@example.com', 'test-password');
    const m = (await agent.get(`/dashboard/api/metrics?site=demo&from=${from}&to=${to}`)).json;
    const cs = deriveConversations(events, { now: Date.now() });
    expect(cs).toHaveLength(6000);
    expect({
      conversations: m.conversations,
      selfServiceRate: m.selfServiceRate,
      escalationRate: m.escalationRate,
      abandonmentRate: m.abandonmentRate,
      nps: m.nps.value,
      npsResponses: m.nps.responses,
    }).toEqual({
      conversations: cs.length,
      selfServiceRate: selfServiceRate(cs),
      escalationRate: escalationRate(cs),
      abandonmentRate: abandonmentRate(cs),
      nps: nps(events.filter((e) => e.type === 'nps.submitted').map((e) => Number(e.props?.score))),
      npsResponses: 6000,
    });
  });
});
