import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { createCsvSink, createNdjsonSink } from '../../src/sinks';
import { useTempDir } from '../support/temp-dir';

const dir = useTempDir('rewind');

describe('rewindTo (exactly-once resume)', () => {
  it('CSV: drops rows written after the checkpoint, then appends', async () => {
    const path = join(dir(), 'out.csv');
    await writeFile(path, 'id,note\n1,a\n2,"b\nb"\n3,c\n4,d\n');
    const warnings: string[] = [];
    const sink = createCsvSink(path, { append: true, onWarning: (m) => warnings.push(m) });
    await sink.rewindTo(2);
    await sink.write({ id: 3, note: 'c again' });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('id,note\n1,a\n2,"b\nb"\n3,c again\n');
    expect(warnings.join()).toMatch(/after the last checkpoint/);
  });

  it('CSV: rewinding past stale wider rows clears the header-width problem', async () => {
    const path = join(dir(), 'crashed.csv');
    // Checkpoint at 1 row; the crashed run then found a new column but never rewrote the header.
    await writeFile(path, 'id,score_a\n1,5\n2,6,7\n');
    const sink = createCsvSink(path, { append: true });
    await sink.rewindTo(1);
    await sink.write({ id: 2, score_a: 6, score_b: 7 });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('id,score_a,score_b\n1,5,\n2,6,7\n');
  });

  it('NDJSON: keeps the first n lines', async () => {
    const path = join(dir(), 'out.ndjson');
    await writeFile(path, '{"id":1}\n{"id":2}\n{"id":3}\n');
    const sink = createNdjsonSink(path, { append: true });
    await sink.rewindTo(1);
    await sink.write({ id: 2 });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('{"id":1}\n{"id":2}\n');
  });

  it('refuses when the file has fewer rows than the checkpoint says', async () => {
    const path = join(dir(), 'short.ndjson');
    await writeFile(path, '{"id":1}\n');
    const nd = createNdjsonSink(path, { append: true });
    await expect(nd.rewindTo(5)).rejects.toThrow(ValidationError);
    await nd.close();
    const csvPath = join(dir(), 'short.csv');
    await writeFile(csvPath, 'id\n1\n');
    const csv = createCsvSink(csvPath, { append: true });
    await expect(csv.rewindTo(2)).rejects.toThrow(/holds 1 data rows but the checkpoint recorded 2/);
    await csv.close();
  });

  it('refuses after the first write, or without append', async () => {
    const a = createNdjsonSink(join(dir(), 'a.ndjson'), { append: true });
    await a.write({ id: 1 });
    await expect(a.rewindTo(0)).rejects.toThrow(/before the first write/);
    await a.close();
    const b = createCsvSink(join(dir(), 'b.csv'));
    await expect(b.rewindTo(3)).rejects.toThrow(ValidationError);
    await b.close();
    // A fresh (truncated) file already holds 0 rows.
    const c = createCsvSink(join(dir(), 'c.csv'));
    await expect(c.rewindTo(0)).resolves.toBeUndefined();
    await c.close();
  });

  it('rewindTo(0) on a missing file is a no-op', async () => {
    const path = join(dir(), 'new.csv');
    const sink = createCsvSink(path, { append: true, columns: ['id'] });
    await sink.rewindTo(0);
    await sink.write({ id: 1 });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('id\n1\n');
  });
});
