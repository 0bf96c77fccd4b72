import { defineConfig } from 'vitest/config';

// Unit tests only: metrics, generators, the winner rule and rendering. Nothing here runs a peer
// or a timed benchmark, so the default timeouts are generous but the suite finishes in seconds.
export default defineConfig({
  test: {
    name: 'bench',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
