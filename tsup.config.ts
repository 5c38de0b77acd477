import { defineConfig, type Options } from 'tsup';

/** The import targets; each gets ESM + CJS + declarations, so both `import` and `require` users get types. */
const libraryEntries = {
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'redis/index': 'src/redis/index.ts',
};

const shared: Options = {
  // ioredis is an optional peer: only `@org/gc-data/redis` (and the chunk `rateLimit.redis` loads lazily) needs it.
  external: ['ioredis'],
  // zod is bundled (tree-shaken: the core, the classic API and the English messages, ~200 KB) rather than
  // required: `require('zod')` compiles its 95 files, 64 of them locales we never use, which was ~40 ms of every
  // cold start (bench/footprint). zod stays a dependency for the declarations (`schema?: z.ZodType<T>`,
  // exported schemas); a user's own schemas run on the user's zod.
  noExternal: ['zod'],
  // No source maps in the package: the output is not minified (stack traces stay readable), and maps with
  // their embedded sources were 5.2 of its 7.6 MB unpacked.
  sourcemap: false,
  target: 'node20',
  platform: 'node',
  splitting: true,
  treeshake: true,
  shims: false,
};

export default defineConfig([
  // ESM, with the `gc-data` command as one more entry: the CLI shares the library's chunks instead of carrying a
  // second copy of it (and of zod) in its own bundle. It is an executable, so no declarations for it. It loads the
  // simulated org lazily from testing/server, which does not use msw, so the published CLI never needs msw.
  {
    ...shared,
    entry: { ...libraryEntries, 'cli/index': 'src/cli/index.ts' },
    format: ['esm'],
    dts: { entry: libraryEntries },
    clean: true,
  },
  {
    ...shared,
    entry: libraryEntries,
    format: ['cjs'],
    dts: { entry: libraryEntries },
    clean: false,
  },
]);
