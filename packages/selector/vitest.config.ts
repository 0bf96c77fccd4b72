import { defineConfig } from 'vitest/config';

// Pure functions over committed JSON: the whole project runs in well under a second.
export default defineConfig({
  test: {
    name: 'selector',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
