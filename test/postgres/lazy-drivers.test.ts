import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `code` (ESM) in a fresh Node process and returns the database driver modules it loaded: ESM resolutions seen
 * by a module hook, plus CommonJS modules in require.cache (pg is CommonJS).
 */
function driversLoadedBy(code: string, loader: string[] = ['--import', 'tsx']): string[] {
  const hook = `
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      const m = /node_modules\\/(pg|pg-copy-streams|pg-pool|@electric-sql\\/pglite)\\//.exec(r.url);
      if (m) (await import('node:fs')).appendFileSync(process.env.DRIVER_LOG, m[1] + '\\n');
      return r;
    }`;
  const probe = `
    import { register, createRequire } from 'node:module';
    import { readFileSync, writeFileSync } from 'node:fs';
    writeFileSync(process.env.DRIVER_LOG, '');
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
    ${code}
    const cjs = Object.keys(createRequire(import.meta.url).cache)
      .map((k) => /node_modules\\/(pg|pg-copy-streams|pg-pool)\\//.exec(k)?.[1]).filter(Boolean);
    const esm = readFileSync(process.env.DRIVER_LOG, 'utf8').split('\\n').filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set([...cjs, ...esm])].sort()));
  `;
  const log = join(tmpdir(), `gc-data-driver-log-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let out: string;
  try {
    out = execFileSync(process.execPath, [...loader, '--input-type=module', '-e', probe], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DRIVER_LOG: log },
    });
  } finally {
    rmSync(log, { force: true });
  }
  return JSON.parse(out.trim()) as string[];
}

describe('the database drivers are optional and loaded only when a warehouse is used', () => {
  it('the main entry loads no pg, pg-copy-streams or PGlite', () => {
    expect(driversLoadedBy(`await import('./src/index.ts');`)).toEqual([]);
  });

  it('importing @org/gc-data/postgres and creating a warehouse loads no driver until the first call', () => {
    expect(
      driversLoadedBy(`
        const { createPostgresWarehouse } = await import('./src/postgres/index.ts');
        createPostgresWarehouse({ connectionString: 'postgres://u:p@127.0.0.1:1/db' });
        createPostgresWarehouse({ pglite: 'memory://' });
      `),
    ).toEqual([]);
  });

  it('(control: the probe sees pg once a server warehouse is used, and PGlite once an embedded one is)', () => {
    const pgLoaded = driversLoadedBy(`
      const { createPostgresWarehouse } = await import('./src/postgres/index.ts');
      const w = createPostgresWarehouse({ connectionString: 'postgres://u:p@127.0.0.1:1/db' });
      await w.migrate().catch(() => {});
      await w.close();
    `);
    expect(pgLoaded).toContain('pg');
    expect(pgLoaded).not.toContain('@electric-sql/pglite');
    const liteLoaded = driversLoadedBy(`
      const { createPostgresWarehouse } = await import('./src/postgres/index.ts');
      const w = createPostgresWarehouse({ pglite: 'memory://' });
      await w.migrate();
      await w.close();
    `);
    expect(liteLoaded).toEqual(['@electric-sql/pglite']);
  });

  const built = ['dist/index.js', 'dist/index.cjs', 'dist/postgres/index.js'].every((f) => existsSync(`${root}${f}`));
  it.skipIf(!built)('the built entries (dist/index.js, dist/index.cjs, dist/postgres/index.js) load no driver on import', () => {
    expect(driversLoadedBy(`await import('./dist/index.js');`, [])).toEqual([]);
    expect(driversLoadedBy(`createRequire(import.meta.url)('./dist/index.cjs');`, [])).toEqual([]);
    expect(driversLoadedBy(`await import('./dist/postgres/index.js');`, [])).toEqual([]);
  });
});
