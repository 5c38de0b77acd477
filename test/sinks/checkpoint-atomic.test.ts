import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileCheckpoint, MemoryCheckpoint } from '../../src/sinks';
import { useTempDir } from '../support/temp-dir';

interface JobState {
  window: string;
  cursor?: string;
  done: string[];
}

const dir = useTempDir('ckpt');

describe('FileCheckpoint', () => {
  it('loads nothing before the first save', async () => {
    expect(await new FileCheckpoint<JobState>(join(dir(), 'none.json'), { kind: 'jobs' }).load()).toBeUndefined();
  });

  it('saves a versioned envelope and loads the state back', async () => {
    const path = join(dir(), 'nested', 'ckpt.json');
    const now = new Date(Date.UTC(2024, 4, 14, 1));
    const ckpt = new FileCheckpoint<JobState>(path, { kind: 'report-jobs', now: () => now });
    const state: JobState = { window: '2024-05-13T00:00:00Z/2024-05-13T06:00:00Z', cursor: 'abc', done: [] };
    await ckpt.save(state);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      version: 1,
      kind: 'report-jobs',
      savedAt: '2024-05-14T01:00:00.000Z',
      state,
    });
    expect(await new FileCheckpoint<JobState>(path, { kind: 'report-jobs' }).load()).toEqual(state);
  });

  it('saves what the state was at the call, not later mutations', async () => {
    const ckpt = new FileCheckpoint<JobState>(join(dir(), 'snap.json'), { kind: 'jobs' });
    const state: JobState = { window: 'w1', done: [] };
    const saving = ckpt.save(state);
    state.done.push('w1');
    await saving;
    expect((await ckpt.load())?.done).toEqual([]);
  });

  it('never exposes a torn file: concurrent saves serialize and the last one wins', async () => {
    const path = join(dir(), 'race.json');
    const ckpt = new FileCheckpoint<{ n: number; pad: string }>(path, { kind: 'jobs' });
    const pad = 'z'.repeat(50_000);
    const saves = Array.from({ length: 30 }, (_, n) => ckpt.save({ n, pad }));
    const reads: number[] = [];
    const reader = (async () => {
      for (let i = 0; i < 60; i++) {
        const text = await readFile(path, 'utf8').catch(() => undefined);
        if (text !== undefined) reads.push((JSON.parse(text) as { state: { n: number } }).state.n);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all([...saves, reader]);
    expect((await ckpt.load())?.n).toBe(29);
    for (let i = 1; i < reads.length; i++) expect(reads[i]).toBeGreaterThanOrEqual(reads[i - 1] ?? 0);
    expect((await readdir(dir())).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('ignores temp files a crash left behind', async () => {
    const path = join(dir(), 'ckpt.json');
    const ckpt = new FileCheckpoint<JobState>(path, { kind: 'jobs' });
    await ckpt.save({ window: 'w1', done: ['a'] });
    await writeFile(join(dir(), '.ckpt.json.999.deadbeef.tmp'), '{"version":1,"kind":"jobs","sta');
    expect(await ckpt.load()).toEqual({ window: 'w1', done: ['a'] });
  });

  it('clear() removes it and is idempotent', async () => {
    const path = join(dir(), 'ckpt.json');
    const ckpt = new FileCheckpoint<JobState>(path, { kind: 'jobs' });
    await ckpt.save({ window: 'w', done: [] });
    await ckpt.clear();
    await ckpt.clear();
    expect(await ckpt.load()).toBeUndefined();
    expect(await readdir(dir())).toEqual([]);
  });

  it('validates the loaded state with parse', async () => {
    const path = join(dir(), 'ckpt.json');
    await new FileCheckpoint<unknown>(path, { kind: 'jobs' }).save({ window: 3 });
    const ckpt = new FileCheckpoint<JobState>(path, {
      kind: 'jobs',
      parse: (s) => {
        if (typeof (s as JobState).window !== 'string') throw new Error('window must be a string');
        return s as JobState;
      },
    });
    await expect(ckpt.load()).rejects.toThrow(/window must be a string/);
  });
});

describe('MemoryCheckpoint', () => {
  it('behaves like the file one, copying state through JSON', async () => {
    const ckpt = new MemoryCheckpoint<JobState>();
    expect(await ckpt.load()).toBeUndefined();
    const state: JobState = { window: 'w', done: [] };
    await ckpt.save(state);
    state.done.push('mutated');
    expect(await ckpt.load()).toEqual({ window: 'w', done: [] });
    expect(ckpt.saves).toBe(1);
    await ckpt.clear();
    expect(await ckpt.load()).toBeUndefined();
    expect(await new MemoryCheckpoint<JobState>({ window: 'x', done: [] }).load()).toEqual({ window: 'x', done: [] });
  });
});
