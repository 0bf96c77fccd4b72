import { defineConfig } from 'vitest/config';

// End-to-end tests spawn the built CLI (dist/cli.js): run `npm run build` (or `npx tsc -p
// tsconfig.build.json` here) first. Each spawned run takes well under a few seconds.
export default defineConfig({
  test: {
    name: 'core',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
