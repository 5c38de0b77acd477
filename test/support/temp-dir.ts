/**
 * A fresh temporary folder for each test of a file, removed after the test: `const dir = useTempDir('csv')`, then
 * `join(dir(), 'out.csv')` inside a test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export function useTempDir(name: string): () => string {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), `gc-data-${name}-`));
  });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error('useTempDir: the folder exists only while a test runs');
    return dir;
  };
}
