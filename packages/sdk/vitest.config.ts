import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sdk',
    include: ['src/**/*.test.ts'],
    // The loopback fault suite and the Chromium outbox test take seconds; CI machines are shared.
    testTimeout: 60_000,
    // expect.poll's default of 1 s is one slow step on a loaded two-core machine.
    expect: { poll: { timeout: 30_000 } },
    hookTimeout: 120_000,
  },
});
