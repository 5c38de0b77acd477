/**
 * After tsup: one set of declarations for both builds instead of a .d.ts and a .d.cts copy of each (~230 KB less
 * in every install). The declarations move to dist/types, typed CommonJS, and each entry's .d.ts and .d.cts
 * re-export them: a CommonJS file may not re-export an ES module's declarations (TS1479), but an ES module may
 * re-export CommonJS ones. Our declarations have no default export and no `export =`, the one place where the two
 * formats type differently (scripts/check-consumer-types.mjs type-checks both kinds of consumer).
 *
 * One exception: an entry whose declarations import a package that ships separate ES-module declarations (msw:
 * lib/core/index.d.mts beside index.d.ts) gets an ES-module copy of its declarations as its .d.ts. Read through the
 * CommonJS set, `import { HttpHandler } from 'msw'` loads msw's CommonJS types, while an ESM consumer's
 * `setupServer` from 'msw/node' loads the ESM ones: two unrelated HttpHandler classes, and
 * `setupServer(...org.handlers)` does not type-check (TS2345). The copy imports the package as an ES module does,
 * and everything of ours from the shared set, so GenesysClient & co. stay one type for both entries.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const types = join(dist, 'types');
// The entries are what package.json "exports" gives CommonJS types for (`require.types`: ./dist/<entry>.d.cts).
const { exports: exportsMap } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = Object.values(exportsMap)
  .map((e) => (e && typeof e === 'object' ? e.require?.types : undefined))
  .filter((t) => typeof t === 'string' && /^\.\/dist\/.+\.d\.cts$/.test(t))
  .map((t) => t.slice('./dist/'.length, -'.d.cts'.length));
const missing = entries.filter((e) => !existsSync(join(dist, `${e}.d.ts`)));
if (missing.length > 0) {
  throw new Error(`cjs-declarations: package.json exports types for ${missing.join(', ')}, but tsup wrote no dist/<entry>.d.ts for it: add it to libraryEntries in tsup.config.ts`);
}
mkdirSync(types, { recursive: true });
writeFileSync(join(types, 'package.json'), `${JSON.stringify({ private: true, type: 'commonjs' }, null, 2)}\n`);

// tsup's declaration chunks (shared by the entries) sit next to dist/index.d.ts.
// Entries at the top of dist (index, and the helper subpaths such as filters) are not chunks.
const chunks = readdirSync(dist).filter((f) => f.endsWith('.d.ts') && !entries.includes(f.slice(0, -'.d.ts'.length)));
for (const file of [...entries.map((e) => `${e}.d.ts`), ...chunks]) {
  mkdirSync(dirname(join(types, file)), { recursive: true });
  renameSync(join(dist, file), join(types, file));
}

/** `from '...'`, `import '...'` and `import('...')` specifiers of a declaration file. */
const SPECIFIER = /(\bfrom\s+|\bimport\s+|\bimport\s*\(\s*)(["'])([^"']+)\2/g;
const requireFromRoot = createRequire(join(root, 'package.json'));
const dualTypedCache = new Map();

/** Whether a bare specifier's package declares separate types for `import` (a .d.mts, or an `import` types condition). */
function dualTyped(spec) {
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  if (!dualTypedCache.has(name)) {
    const dir = requireFromRoot.resolve.paths(name).map((p) => join(p, name)).find((d) => existsSync(join(d, 'package.json')));
    const exportsField = dir ? JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports : undefined;
    dualTypedCache.set(name, exportsField !== undefined && /\.d\.mts"/.test(JSON.stringify(exportsField)));
  }
  return dualTypedCache.get(name);
}

const bareImports = (text) => [...text.matchAll(SPECIFIER)].map((m) => m[3]).filter((s) => !s.startsWith('.') && !s.startsWith('node:'));

// A shared chunk importing such a package would need an ESM copy too (and every entry using it): not supported.
for (const chunk of chunks) {
  const dual = bareImports(readFileSync(join(types, chunk), 'utf8')).filter(dualTyped);
  if (dual.length > 0) {
    throw new Error(`cjs-declarations: the shared declaration chunk ${chunk} imports ${dual.join(', ')}, which has separate ESM types; only entry files may (see the comment at the top)`);
  }
}

const esmBodies = [];
for (const entry of entries) {
  const body = join(types, `${entry}.d.ts`);
  let target = relative(dirname(join(dist, entry)), join(types, `${entry}.js`)).split('\\').join('/');
  if (!target.startsWith('.')) target = `./${target}`;
  writeFileSync(join(dist, `${entry}.d.cts`), `export * from '${target}';\n`);

  const text = readFileSync(body, 'utf8');
  const dual = [...new Set(bareImports(text).filter(dualTyped))];
  if (dual.length === 0) {
    writeFileSync(join(dist, `${entry}.d.ts`), `export * from '${target}';\n`);
    continue;
  }
  // The ES-module copy: the same text, its relative imports re-pointed from dist/types/<entry> to dist/<entry>.
  const from = posix.dirname(`types/${entry}`);
  const to = posix.dirname(entry);
  const copy = text.replace(SPECIFIER, (all, head, quote, spec) => {
    if (!spec.startsWith('.')) return all;
    let moved = posix.relative(to, posix.join(from, spec));
    if (!moved.startsWith('.')) moved = `./${moved}`;
    return `${head}${quote}${moved}${quote}`;
  });
  writeFileSync(join(dist, `${entry}.d.ts`), copy);
  esmBodies.push(`${entry} (${dual.join(', ')})`);
}
console.log(
  `declarations in dist/types (${entries.length} entries, ${chunks.length} shared chunk(s)); each entry's .d.cts re-exports them, and so does its .d.ts` +
    (esmBodies.length ? `, except an ES-module copy for ${esmBodies.join('; ')}: separate ESM types` : ''),
);
