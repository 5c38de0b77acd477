import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests talk only to msw or 127.0.0.1; unhandled requests are bugs.
    restoreMocks: true,
  },
});
