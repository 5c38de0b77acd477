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
    // A guard against hangs, not a speed bound: nothing in a test waits on the wall clock (fake clocks), but a test
    // that spawns the CLI or a PostgreSQL client does real CPU work, and on a 2-core machine busy with other suites
    // that took 20-120 s (two suites side by side beside other work, load 20 on 2 cores: 38 tests failed a 20 s
    // limit, every one a timeout).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Tests talk only to msw or 127.0.0.1; unhandled requests are bugs.
    restoreMocks: true,
  },
});
