import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvSink } from '../../src/sinks';
import { csvCell, escapeCsvField } from '../../src/sinks/csv-format';
import { parseCsv } from './csv-reader';
import { useTempDir } from '../support/temp-dir';

const dir = useTempDir('csv');

describe('CSV quoting', () => {
  it('quotes only fields with comma, quote, CR or LF, doubling quotes', () => {
    expect(escapeCsvField('plain')).toBe('plain');
    expect(escapeCsvField('a,b')).toBe('"a,b"');
    expect(escapeCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvField('line\nbreak')).toBe('"line\nbreak"');
    expect(escapeCsvField('cr\rhere')).toBe('"cr\rhere"');
    expect(escapeCsvField('')).toBe('');
    expect(escapeCsvField('héllo ✓')).toBe('héllo ✓');
  });

  it('writes null/undefined empty, objects as JSON, Dates as ISO', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(new Date(Date.UTC(2024, 4, 13, 10)))).toBe('2024-05-13T10:00:00.000Z');
    expect(csvCell({ a: [1, 'x,y'] })).toBe('"{""a"":[1,""x,y""]}"');
  });

  it('writes a header and rows a strict reader gets back', async () => {
    const path = join(dir(), 'out.csv');
    const sink = createCsvSink(path);
    await sink.write({ id: 'e-1', comment: 'Good, "very"\ngood', score: 90, na: null, answers: { q: 1 } });
    await sink.write({ id: 'e-2', comment: '', score: 0, na: undefined, answers: null });
    await sink.close();
    const text = await readFile(path, 'utf8');
    expect(parseCsv(text)).toEqual([
      ['id', 'comment', 'score', 'na', 'answers'],
      ['e-1', 'Good, "very"\ngood', '90', '', '{"q":1}'],
      ['e-2', '', '0', '', ''],
    ]);
    expect(sink.rowsWritten).toBe(2);
  });

  it('round-trips any strings (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), { minLength: 1, maxLength: 20 }),
        async (cells) => {
          const out = new PassThrough();
          const chunks: Buffer[] = [];
          out.on('data', (c: Buffer) => chunks.push(c));
          const sink = createCsvSink(out, { columns: ['a', 'b'] });
          for (const [a, b] of cells) await sink.write({ a, b });
          await sink.close();
          const rows = parseCsv(Buffer.concat(chunks).toString('utf8'));
          expect(rows).toEqual([['a', 'b'], ...cells.map(([a, b]) => [a, b])]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('uses CRLF when asked', async () => {
    const path = join(dir(), 'crlf.csv');
    const sink = createCsvSink(path, { eol: '\r\n' });
    await sink.write({ a: 1, b: 'x\ny' });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('a,b\r\n1,"x\ny"\r\n');
  });
});
