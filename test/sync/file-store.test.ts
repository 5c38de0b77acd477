/**
 * FileSyncStateStore: an append-only log (a commit appends one line; the file is not rewritten), a torn last line
 * (a crash mid-append) is dropped on open, compaction rewrites the live state atomically.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSyncStateStore, SyncStateError } from '@org/gc-data';
import { ValidationError } from '../../src/errors';

const path = () => join(mkdtempSync(join(tmpdir(), 'gc-sync-store-')), 'nested', 'state.log');
const fps = (n: number, from = 0, value = 'a') => Array.from({ length: n }, (_, i) => ({ stream: 's', key: `k${from + i}`, fingerprint: `2026-05-01|${value}${from + i}` }));

describe('FileSyncStateStore', () => {
  it('a commit appends one line: the bytes already written are never rewritten', async () => {
    const p = path();
    const store = new FileSyncStateStore(p);
    await store.commit({ fingerprints: fps(1000) });
    const first = readFileSync(p, 'utf8');
    expect(first.split('\n').filter(Boolean)).toHaveLength(1);
    await store.commit({ fingerprints: fps(2, 5000), watermarks: [{ stream: 's', window: '2026-05-01', watermark: '2026-05-02T00:00:00.000Z', state: { discovered: 3 } }] });
    const second = readFileSync(p, 'utf8');
    // The first 1000 fingerprints are still the same bytes at the start of the file; the commit added one short line.
    expect(second.startsWith(first)).toBe(true);
    expect(second.length - first.length).toBeLessThan(300);
    const loaded = await new FileSyncStateStore(p).load('s');
    expect(loaded.fingerprints.size).toBe(1002);
    expect(loaded.watermarks.get('2026-05-01')).toEqual({ watermark: '2026-05-02T00:00:00.000Z', state: { discovered: 3 } });
    expect((await new FileSyncStateStore(p).load('other')).fingerprints.size).toBe(0);
  });

  it('null removes a key; streams are apart', async () => {
    const p = path();
    const store = new FileSyncStateStore(p);
    await store.commit({ fingerprints: [...fps(3), { stream: 't', key: 'k0', fingerprint: 'x|1' }] });
    await store.commit({ fingerprints: [{ stream: 's', key: 'k1', fingerprint: null }] });
    const s = await new FileSyncStateStore(p).load('s');
    expect([...s.fingerprints.keys()]).toEqual(['k0', 'k2']);
    expect((await new FileSyncStateStore(p).load('t')).fingerprints.get('k0')).toBe('x|1');
  });

  it('a torn last line (killed mid-append) is dropped on open and cut from the file: that commit never happened', async () => {
    const p = path();
    const store = new FileSyncStateStore(p);
    await store.commit({ fingerprints: fps(3) });
    appendFileSync(p, '{"v":1,"f":[["s","k9","2026-05-01|');
    const reopened = new FileSyncStateStore(p);
    expect([...(await reopened.load('s')).fingerprints.keys()]).toEqual(['k0', 'k1', 'k2']);
    await reopened.commit({ fingerprints: fps(1, 7) });
    expect([...(await new FileSyncStateStore(p).load('s')).fingerprints.keys()]).toEqual(['k0', 'k1', 'k2', 'k7']);
  });

  it('compacts when the log holds more than compactAfter entries and twice the live ones; the state is unchanged', async () => {
    const p = path();
    const store = new FileSyncStateStore(p, { compactAfter: 50 });
    for (let round = 0; round < 10; round++) await store.commit({ fingerprints: fps(10, 0, `r${round}-`) });
    // 100 entries written for 10 live ones: compacted at least once, so the log is far shorter than 100 entries.
    expect(store.logEntries).toBeLessThanOrEqual(50);
    expect(readFileSync(p, 'utf8').split('\n').filter(Boolean).length).toBeLessThan(10);
    expect(existsSync(`${p}.tmp`)).toBe(false);
    const loaded = await new FileSyncStateStore(p).load('s');
    expect(loaded.fingerprints.size).toBe(10);
    expect(loaded.fingerprints.get('k3')).toBe('2026-05-01|r9-3');
    const size = statSync(p).size;
    await store.compact();
    expect(statSync(p).size).toBeLessThanOrEqual(size);
  });

  it('a damaged file is a SyncStateError naming the file and line, not a quiet fresh start', async () => {
    const p = path();
    await new FileSyncStateStore(p).commit({ fingerprints: fps(1) });
    writeFileSync(p, `${readFileSync(p, 'utf8')}not json\n{"v":1}\n`);
    const err = await new FileSyncStateStore(p).load('s').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncStateError);
    expect((err as Error).message).toContain('line 2');
    expect((err as Error).message).toContain(p);
    expect(() => new FileSyncStateStore('')).toThrow(ValidationError);
  });
});
