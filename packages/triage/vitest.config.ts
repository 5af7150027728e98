import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'triage',
    include: ['src/**/*.test.ts'],
  },
});
