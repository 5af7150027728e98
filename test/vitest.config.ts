import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    // Sized for a loaded 2-core machine (CI beside other builds): a whole walk through the panel
    // takes about 20 s on an idle one. Tests wait on conditions; these only bound a hang.
    testTimeout: 180_000,
    // beforeAll starts the server (which builds the demo model first) and Chromium.
    hookTimeout: 240_000,
    // expect.poll's default of 1 s is one slow frame on a busy machine.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    fileParallelism: false,
  },
});
