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
    // zod is bundled (tree-shaken: the core, the classic API and the English messages, ~200 KB) rather than
    // required: `require('zod')` compiles its 95 files, 64 of them locales we never use, which was ~40 ms of every
    // cold start (bench/footprint). zod stays a dependency for the declarations (`schema?: z.ZodType<T>`,
    // exported schemas); a user's own schemas run on the user's zod.
    noExternal: ['zod'],
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps in the package: the output is not minified (stack traces stay readable), and maps with
    // their embedded sources were 5.2 of its 7.6 MB unpacked.
    sourcemap: false,
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
    noExternal: ['zod'],
    format: ['esm'],
    dts: false,
    sourcemap: false,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
  },
]);
