import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sdk',
    include: ['src/**/*.test.ts'],
    // The loopback fault suite and the Chromium outbox test take seconds; CI machines are shared.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
