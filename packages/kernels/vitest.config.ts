import { defineConfig } from 'vitest/config';

// The async tests run passes over ~200 MB inputs and time them; give them room on a 2-core box.
// Each heavy test also sets its own timeout, so the suite passes from the root config as well.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
