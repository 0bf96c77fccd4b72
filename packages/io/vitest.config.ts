import { defineConfig } from 'vitest/config';

// Fuzz and DuckDB interop suites do real file I/O; give them room on a 2-core CI box.
export default defineConfig({
  test: {
    name: 'io',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
