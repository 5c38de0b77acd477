import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCsvSink } from '../../src/sinks';
import { useTempDir } from '../support/temp-dir';

const dir = useTempDir('csvflush');

describe('CSV flush() with new columns', () => {
  it('puts the full header on disk at every flush, so a checkpoint never points at a stale header', async () => {
    const path = join(dir(), 'out.csv');
    const sink = createCsvSink(path);
    await sink.write({ id: 1, score_a: 5 });
    await sink.write({ id: 2, score_b: 6 });
    await sink.flush();
    expect(await readFile(path, 'utf8')).toBe('id,score_a,score_b\n1,5,\n2,,6\n');
    await sink.write({ id: 3, score_a: 7, score_c: 8 });
    await sink.flush();
    expect(await readFile(path, 'utf8')).toBe('id,score_a,score_b,score_c\n1,5,,\n2,,6,\n3,7,,8\n');
    await sink.write({ id: 4 });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('id,score_a,score_b,score_c\n1,5,,\n2,,6,\n3,7,,8\n4,,,\n');
  });

  it('keeps row order when writes and a flush are not awaited one by one', async () => {
    const path = join(dir(), 'race.csv');
    const sink = createCsvSink(path);
    const pending = [sink.write({ n: 1 }), sink.write({ n: 2, x: 'a' }), sink.flush(), sink.write({ n: 3 }), sink.write({ n: 4, y: 'b' })];
    await Promise.all(pending);
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('n,x,y\n1,,\n2,a,\n3,,\n4,,b\n');
  });
});
