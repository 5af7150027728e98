import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'triage',
    include: ['src/**/*.test.ts'],
    // Property tests over the hostile corpora take seconds; CI machines are shared and slow.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
