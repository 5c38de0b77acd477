/**
 * After tsup: ships the zod type declarations our own declarations need, so `zod` is not a runtime dependency.
 * The zod code the SDK runs is bundled (tsup.config.ts); only its types were keeping the 6 MB package in every
 * install. This copies the .d.ts files reachable from zod's entry into dist/vendor/zod (its LICENSE with them) and
 * points our declarations at that copy. The folder is typed CommonJS so both our .d.ts and .d.cts can import it.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const zodDir = dirname(createRequire(join(root, 'package.json')).resolve('zod/package.json'));
const outDir = join(dist, 'vendor', 'zod');
const specifier = /(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

const seen = new Set();
const queue = ['index.d.ts'];
while (queue.length > 0) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const text = readFileSync(join(zodDir, file), 'utf8');
  for (const [, spec] of text.matchAll(specifier)) {
    const target = posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, '.d.ts');
    if (!statSync(join(zodDir, target), { throwIfNoEntry: false })) throw new Error(`zod types: ${file} imports ${spec}, not found as ${target}`);
    queue.push(target);
  }
}
for (const file of seen) {
  mkdirSync(dirname(join(outDir, file)), { recursive: true });
  copyFileSync(join(zodDir, file), join(outDir, file));
}
copyFileSync(join(zodDir, 'LICENSE'), join(outDir, 'LICENSE'));
const { version } = JSON.parse(readFileSync(join(zodDir, 'package.json'), 'utf8'));
writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ name: 'zod-types-vendored', version, private: true, type: 'commonjs', types: './index.d.ts' }, null, 2)}\n`);

let rewritten = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (p !== join(dist, 'vendor')) walk(p);
    } else if (/\.d\.c?ts$/.test(entry.name)) {
      const text = readFileSync(p, 'utf8');
      let rel = relative(dirname(p), join(outDir, 'index.js')).split('\\').join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      // `import 'zod'` too: tsup keeps side-effect imports of a chunk's dependencies, and a consumer with
      // noUncheckedSideEffectImports would be asked for a zod it does not need.
      const next = text.replace(/(\bfrom\s+|\bimport\s+)['"]zod['"]/g, (_, head) => `${head}'${rel}'`);
      if (next !== text) {
        writeFileSync(p, next);
        rewritten++;
      }
    }
  }
};
walk(dist);
const bytes = [...seen].reduce((n, f) => n + statSync(join(outDir, f)).size, 0);
console.log(`vendored ${seen.size} zod declaration files (${Math.round(bytes / 1024)} KB, zod ${version}); ${rewritten} declaration files now import them`);
