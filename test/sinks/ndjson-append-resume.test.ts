import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNdjsonSink } from '../../src/sinks';
import { useTempDir } from '../support/temp-dir';

const dir = useTempDir('ndjson');

describe('NDJSON append (resume)', () => {
  it('appends after complete lines and drops a partial last line', async () => {
    const path = join(dir(), 'rows.ndjson');
    const first = createNdjsonSink(path);
    await first.write({ id: 1, at: new Date(Date.UTC(2024, 4, 13)) });
    await first.close();
    await appendFile(path, '{"id":2,"na');
    const warnings: string[] = [];
    const second = createNdjsonSink(path, { append: true, fsync: true, onWarning: (m) => warnings.push(m) });
    await second.write({ id: 2 });
    await second.flush();
    await second.close();
    expect(await readFile(path, 'utf8')).toBe('{"id":1,"at":"2024-05-13T00:00:00.000Z"}\n{"id":2}\n');
    expect(warnings).toHaveLength(1);
  });

  it('empties a file that holds only a partial line', async () => {
    const path = join(dir(), 'partial.jsonl');
    await appendFile(path, '{"id":');
    const sink = createNdjsonSink(path, { append: true });
    await sink.write({ id: 1 });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('{"id":1}\n');
  });
});
