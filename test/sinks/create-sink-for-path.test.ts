import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { CsvSink, NdjsonSink, createSinkForPath, sinkFormatForPath } from '../../src/sinks';
import { useTempDir } from '../support/temp-dir';

const dir = useTempDir('path');

describe('createSinkForPath', () => {
  it('picks the format from the extension', async () => {
    const csv = createSinkForPath(join(dir(), 'a.CSV'));
    const nd = createSinkForPath(join(dir(), 'b.ndjson'));
    const jl = createSinkForPath(join(dir(), 'c.jsonl'));
    expect(csv).toBeInstanceOf(CsvSink);
    expect(nd).toBeInstanceOf(NdjsonSink);
    expect(jl).toBeInstanceOf(NdjsonSink);
    for (const s of [csv, nd, jl]) {
      await s.write({ id: 1 });
      await s.close();
    }
    expect(await readFile(join(dir(), 'a.CSV'), 'utf8')).toBe('id\n1\n');
    expect(await readFile(join(dir(), 'c.jsonl'), 'utf8')).toBe('{"id":1}\n');
  });

  it('maps - to stdout as NDJSON unless told otherwise', () => {
    expect(sinkFormatForPath('-')).toBe('ndjson');
    expect(createSinkForPath('-')).toBeInstanceOf(NdjsonSink);
    expect(createSinkForPath('-', { format: 'csv', columns: ['id'] })).toBeInstanceOf(CsvSink);
  });

  it('refuses unknown extensions with the accepted ones in the message', () => {
    for (const p of ['out.txt', 'out', 'out.json', 'out.csv.gz']) {
      try {
        createSinkForPath(join(dir(), p));
        throw new Error('expected a throw');
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as Error).message).toMatch(/\.csv, \.ndjson or \.jsonl/);
      }
    }
  });

  it('lets format override the extension', async () => {
    const sink = createSinkForPath(join(dir(), 'rows.txt'), { format: 'ndjson' });
    await sink.write({ ok: true });
    await sink.close();
    expect(await readFile(join(dir(), 'rows.txt'), 'utf8')).toBe('{"ok":true}\n');
  });
});
