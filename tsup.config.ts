import { defineConfig, type Options } from 'tsup';

/** The import targets; each gets ESM + CJS + declarations, so both `import` and `require` users get types. */
const libraryEntries = {
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'redis/index': 'src/redis/index.ts',
  'postgres/index': 'src/postgres/index.ts',
  // Pure helpers behind subpaths named by domain (src/entries/): the root entry keeps the client and the modules.
  'filters': 'src/entries/filters.ts',
  'pii': 'src/entries/pii.ts',
  'intervals': 'src/entries/intervals.ts',
  'rows': 'src/entries/rows.ts',
  'sinks': 'src/entries/sinks.ts',
  'media-matrix': 'src/entries/media-matrix.ts',
  'batch-callbacks': 'src/entries/batch-callbacks.ts',
  'schemas': 'src/entries/schemas.ts',
};

const shared: Options = {
  // ioredis is an optional peer: only `@org/gc-data/redis` (and the chunk `rateLimit.redis` loads lazily) needs it.
  external: ['ioredis', 'pg', 'pg-copy-streams', '@electric-sql/pglite'],
  // zod and ky are bundled, tree-shaken to what the SDK uses, instead of installed: zod is 6 MB installed (95 files
  // to compile on `require`, 64 of them locales we never use: ~40 ms of every cold start, bench/footprint), ky is
  // ESM-only (loaded on the first request, as its own chunk). Neither appears in our runtime API; the zod types our
  // declarations name are shipped in dist/vendor/zod by scripts/vendor-zod-types.mjs. A user's own schemas run on
  // the user's zod.
  // bottleneck is bundled too. Its one-file light build (the in-memory limiter) is CommonJS, and an ES module that
  // imports CommonJS has Node scan it for export names: 22 of the 55 ms `import '@org/gc-data'` took
  // (bench/footprint). The full build (Redis datastores) goes into the chunk only rateLimit.redis and
  // @org/gc-data/redis load; installed, the package was 657 KB (tests, sources, an ES5 copy) for ~100 KB we run.
  // eventemitter3 stays external: GenesysClient extends the user's copy (instanceof, one class) for ~2 ms.
  // Licences of what is bundled: dist/THIRD-PARTY-LICENSES.md (scripts/bundled-licenses.mjs).
  noExternal: ['zod', 'ky', 'bottleneck', 'bottleneck/light.js'],
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
  // CommonJS. scripts/cjs-declarations.mjs moves the declarations to dist/types (typed CommonJS, one set for both
  // builds); each entry's .d.cts and .d.ts re-export them, except that an entry importing a package with separate ESM
  // types (msw, for testing) gets an ES-module copy as its .d.ts. Its entries are read from package.json "exports".
  // tsup.config.ts and "exports" must name the same entries (the script fails the build when they do not).
  {
    ...shared,
    entry: libraryEntries,
    format: ['cjs'],
    dts: false,
    clean: false,
  },
]);
