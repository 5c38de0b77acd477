import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples and docs import the package by its public name; in the repo that name is the source.
    alias: [
      { find: /^@org\/gc-data\/testing$/, replacement: src('testing/index.ts') },
      { find: /^@org\/gc-data\/redis$/, replacement: src('redis/index.ts') },
      { find: /^@org\/gc-data\/postgres$/, replacement: src('postgres/index.ts') },
      // The pure-helper subpaths (src/entries/): @org/gc-data/filters, /pii, /intervals, /rows, /sinks, ...
      { find: /^@org\/gc-data\/(filters|pii|intervals|rows|sinks|media-matrix|batch-callbacks|schemas)$/, replacement: src('entries/$1.ts') },
      { find: /^@org\/gc-data$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests talk only to msw or 127.0.0.1; unhandled requests are bugs.
    restoreMocks: true,
  },
});
