import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts'],
    // Each suite starts real servers and databases; the PostgreSQL suites share one database.
    fileParallelism: false,
    testTimeout: 30_000,
    // expect.poll's default of 1 s is one slow step on a loaded two-core machine.
    expect: { poll: { timeout: 20_000 } },
    hookTimeout: 60_000,
  },
});
