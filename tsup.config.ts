import { defineConfig } from 'tsup';

// One build for every published entry: ESM + CJS + .d.ts, so both `import` and `require` users get types.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
  treeshake: true,
  shims: false,
});
