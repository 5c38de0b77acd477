import { defineConfig } from 'tsup';

export default defineConfig([
  // The library entries: ESM + CJS + .d.ts, so both `import` and `require` users get types.
  {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      'redis/index': 'src/redis/index.ts',
    },
    // ioredis is an optional peer: only `@org/gc-data/redis` (and the chunk `rateLimit.redis` loads lazily) needs it.
    external: ['ioredis'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    shims: false,
  },
  // The `gc-data` command: an executable, not an import target, so ESM only and no declarations. It loads the
  // simulated org lazily from testing/server, which does not use msw, so the published CLI never needs msw.
  {
    entry: { 'cli/index': 'src/cli/index.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
  },
]);
