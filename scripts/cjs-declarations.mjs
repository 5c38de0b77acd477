/**
 * After tsup: one set of declarations for both builds instead of a .d.ts and a .d.cts copy of each (~230 KB less
 * in every install). The declarations move to dist/types, typed CommonJS, and each entry's .d.ts and .d.cts
 * re-export them: a CommonJS file may not re-export an ES module's declarations (TS1479), but an ES module may
 * re-export CommonJS ones. Our declarations have no default export and no `export =`, the one place where the two
 * formats type differently (scripts/check-consumer-types.mjs type-checks both kinds of consumer).
 */
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const dist = resolve(import.meta.dirname, '..', 'dist');
const types = join(dist, 'types');
const entries = ['index', 'testing/index', 'redis/index'];
mkdirSync(types, { recursive: true });
writeFileSync(join(types, 'package.json'), `${JSON.stringify({ private: true, type: 'commonjs' }, null, 2)}\n`);

// tsup's declaration chunks (shared by the entries) sit next to dist/index.d.ts.
const chunks = readdirSync(dist).filter((f) => f.endsWith('.d.ts') && f !== 'index.d.ts');
for (const file of [...entries.map((e) => `${e}.d.ts`), ...chunks]) {
  mkdirSync(dirname(join(types, file)), { recursive: true });
  renameSync(join(dist, file), join(types, file));
}
for (const entry of entries) {
  let target = relative(dirname(join(dist, entry)), join(types, `${entry}.js`)).split('\\').join('/');
  if (!target.startsWith('.')) target = `./${target}`;
  for (const ext of ['.d.ts', '.d.cts']) writeFileSync(join(dist, `${entry}${ext}`), `export * from '${target}';\n`);
}
console.log(`declarations in dist/types (${entries.length} entries, ${chunks.length} shared chunk(s)); each entry's .d.ts and .d.cts re-export them`);
