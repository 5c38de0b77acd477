import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `code` (ESM) in a fresh Node process and returns how many ioredis modules it loaded. */
function ioredisModulesLoadedBy(code: string, loader: string[] = ['--import', 'tsx']): number {
  const probe = `
    import { createRequire } from 'node:module';
    ${code}
    const cache = createRequire(import.meta.url).cache;
    process.stdout.write(String(Object.keys(cache).filter((k) => k.includes('/node_modules/ioredis/')).length));
  `;
  return Number(execFileSync(process.execPath, [...loader, '--input-type=module', '-e', probe], { cwd: root, encoding: 'utf8' }).trim());
}

describe('users who do not ask for Redis never load ioredis', () => {
  it('the main entry (src/index.ts), even with a client configured for Redis, loads no ioredis until a request', () => {
    const loaded = ioredisModulesLoadedBy(`
      const { GenesysClient } = await import('./src/index.ts');
      const c = new GenesysClient({ clientId: 'a', clientSecret: 'b', baseUrl: 'http://127.0.0.1:1', authUrl: 'http://127.0.0.1:1',
        rateLimit: { redis: { url: 'redis://127.0.0.1:1', id: 'x' } } });
      await c.close();
    `);
    expect(loaded).toBe(0);
  });

  it('(control: the probe does see ioredis once @org/gc-data/redis is imported)', () => {
    expect(ioredisModulesLoadedBy(`await import('./src/redis/index.ts');`)).toBeGreaterThan(0);
  });

  const built = ['dist/index.js', 'dist/index.cjs'].every((f) => existsSync(`${root}${f}`));
  it.skipIf(!built)('the built main entry (dist/index.js and dist/index.cjs) loads no ioredis', () => {
    expect(ioredisModulesLoadedBy(`await import('./dist/index.js');`, [])).toBe(0);
    expect(ioredisModulesLoadedBy(`createRequire(import.meta.url)('./dist/index.cjs');`, [])).toBe(0);
  });
});
