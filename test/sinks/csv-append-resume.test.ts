import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { createCsvSink } from '../../src/sinks';
import { useTempDir } from '../support/temp-dir';

const dir = useTempDir('csvapp');

async function writeRows(path: string, rows: Array<Record<string, unknown>>, options = {}): Promise<void> {
  const sink = createCsvSink(path, options);
  for (const r of rows) await sink.write(r);
  await sink.close();
}

describe('CSV append (resume)', () => {
  it("keeps the existing header's order and does not repeat it", async () => {
    const path = join(dir(), 'out.csv');
    await writeRows(path, [{ id: 1, name: 'a', score: 10 }]);
    await writeRows(path, [{ score: 20, id: 2, name: 'b' }], { append: true });
    expect(await readFile(path, 'utf8')).toBe('id,name,score\n1,a,10\n2,b,20\n');
  });

  it('creates the file with a header when it does not exist yet', async () => {
    const path = join(dir(), 'sub', 'new.csv');
    await writeRows(path, [{ id: 1 }], { append: true });
    expect(await readFile(path, 'utf8')).toBe('id\n1\n');
  });

  it('cuts off a partial last row left by a crash, quoted newlines included', async () => {
    const path = join(dir(), 'crashed.csv');
    await writeRows(path, [{ id: 1, note: 'ok' }]);
    await appendFile(path, '2,"half a note\nstill inside quotes');
    const warnings: string[] = [];
    await writeRows(path, [{ id: 2, note: 'again' }], { append: true, onWarning: (m: string) => warnings.push(m) });
    expect(await readFile(path, 'utf8')).toBe('id,note\n1,ok\n2,again\n');
    expect(warnings[0]).toMatch(/partial last row/);
  });

  it('rewrites the header when the resumed run finds new columns', async () => {
    const path = join(dir(), 'grow.csv');
    await writeRows(path, [{ id: 1, score_a: 5 }]);
    await writeRows(path, [{ id: 2, score_a: 6, score_b: 7 }], { append: true });
    expect(await readFile(path, 'utf8')).toBe('id,score_a,score_b\n1,5,\n2,6,7\n');
  });

  it('adds given columns missing from the existing header at the end', async () => {
    const path = join(dir(), 'cols.csv');
    await writeRows(path, [{ b: 1, a: 2 }]);
    await writeRows(path, [{ a: 3, b: 4, c: 5 }], { append: true, columns: ['a', 'b', 'c'] });
    expect(await readFile(path, 'utf8')).toBe('b,a,c\n1,2,\n4,3,5\n');
  });

  it('refuses a file whose rows are wider than its header (an interrupted rewrite)', async () => {
    const path = join(dir(), 'inconsistent.csv');
    await writeFile(path, 'id,score_a\n1,5\n2,6,7\n');
    const sink = createCsvSink(path, { append: true });
    const err = await sink.write({ id: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/more fields than its header/);
    await expect(sink.close()).rejects.toThrow(ValidationError);
    expect(await readFile(path, 'utf8')).toBe('id,score_a\n1,5\n2,6,7\n');
  });

  it('truncates (not appends) without append', async () => {
    const path = join(dir(), 'fresh.csv');
    await writeRows(path, [{ id: 1 }]);
    await writeRows(path, [{ x: 9 }]);
    expect(await readFile(path, 'utf8')).toBe('x\n9\n');
  });
});
