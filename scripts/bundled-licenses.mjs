/**
 * After tsup: writes dist/THIRD-PARTY-LICENSES.md with the licence of every package whose code the build bundled
 * (tsup.config.ts `noExternal`). The list is read from the bundle itself (esbuild marks each bundled file with a
 * `// node_modules/<package>/...` comment), so a package bundled later cannot ship without its notice.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const require = createRequire(join(root, 'package.json'));
const marker = /^\/\/ node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm;

const names = new Set();
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'vendor' && entry.name !== 'types') walk(p);
    } else if (/\.(c|m)?js$/.test(entry.name)) {
      for (const [, name] of readFileSync(p, 'utf8').matchAll(marker)) names.add(name);
    }
  }
};
walk(dist);
if (names.size === 0) throw new Error('bundled-licenses: no bundled package found in dist/ (is the build unminified?)');

const sections = [...names].sort().map((name) => {
  // Not require.resolve(`${name}/package.json`): packages with an `exports` map (ky) do not export it.
  const dir = require.resolve.paths(name).map((p) => join(p, name)).find((d) => existsSync(join(d, 'package.json')));
  if (!dir) throw new Error(`bundled-licenses: ${name} is bundled but not installed`);
  const { version, license, repository } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^licen[sc]e(\.md|\.txt)?$/i.test(f));
  if (!file || !existsSync(join(dir, file))) throw new Error(`bundled-licenses: ${name} has no licence file in ${dir}`);
  const url = typeof repository === 'string' ? repository : repository?.url;
  return `## ${name} ${version} (${license})${url ? `\n\n${url}` : ''}\n\n\`\`\`\n${readFileSync(join(dir, file), 'utf8').trim()}\n\`\`\`\n`;
});
writeFileSync(
  join(dist, 'THIRD-PARTY-LICENSES.md'),
  `# Third-party code bundled in @org/gc-data\n\nParts of these packages are compiled into this package's dist/ files.\n\n${sections.join('\n')}`,
);
console.log(`bundled-licenses: ${[...names].sort().join(', ')}`);
