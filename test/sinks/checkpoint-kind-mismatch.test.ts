import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { FileCheckpoint } from '../../src/sinks';
import { useTempDir } from '../support/temp-dir';

const dir = useTempDir('kind');

async function loadError(path: string, kind = 'quality-export'): Promise<ValidationError> {
  const err = await new FileCheckpoint(path, { kind }).load().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  return err as ValidationError;
}

describe('FileCheckpoint refuses files it did not write for this job', () => {
  it('a checkpoint of another kind: names the file and what to do', async () => {
    const path = join(dir(), 'shared.json');
    await new FileCheckpoint(path, { kind: 'report-jobs' }).save({ cursor: 'c1' });
    const err = await loadError(path);
    expect(err.issues[0]?.path).toBe(path);
    expect(err.message).toContain('"report-jobs" job, not "quality-export"');
    expect(err.message).toMatch(/Delete .*shared\.json.* or use another checkpoint path/);
    // Refusing must not destroy the other job's state.
    expect(JSON.parse(await readFile(path, 'utf8')).state).toEqual({ cursor: 'c1' });
  });

  it('malformed JSON', async () => {
    const path = join(dir(), 'broken.json');
    await writeFile(path, '{"version":1,');
    const err = await loadError(path);
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message).toMatch(/Delete/);
  });

  it('JSON that is not an envelope', async () => {
    const path = join(dir(), 'other.json');
    await writeFile(path, '[1,2,3]');
    expect((await loadError(path)).message).toMatch(/not a checkpoint file/);
  });

  it('a newer format version', async () => {
    const path = join(dir(), 'future.json');
    await writeFile(path, JSON.stringify({ version: 2, kind: 'quality-export', savedAt: '', state: {} }));
    expect((await loadError(path)).message).toMatch(/format version 2/);
  });

  it('refuses an empty kind or path up front', () => {
    expect(() => new FileCheckpoint(join(dir(), 'x.json'), { kind: '' })).toThrow(ValidationError);
    expect(() => new FileCheckpoint('', { kind: 'k' })).toThrow(ValidationError);
  });
});
