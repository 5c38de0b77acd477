import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { createCsvSink } from '../../src/sinks';
import { escapeCsvField } from '../../src/sinks/csv-format';
import { rewriteCsvPadded } from '../../src/sinks/csv-scan';
import { parseCsv } from './csv-reader';
import { useTempDir } from '../support/temp-dir';

const dir = useTempDir('csvcols');

describe('CSV columns discovered after the header', () => {
  it('appends them at the end and rewrites the header and earlier rows on close', async () => {
    const path = join(dir(), 'scores.csv');
    const warnings: string[] = [];
    const sink = createCsvSink(path, { onWarning: (m) => warnings.push(m) });
    await sink.write({ evaluation_id: 'e1', score_g1: 80, answers_json: '{"a":"x,\\ny"}' });
    await sink.write({ evaluation_id: 'e2', score_g1: 70, note: 'multi\nline', answers_json: null });
    await sink.write({ evaluation_id: 'e3', score_g2: 60, answers_json: '{}' });
    expect(sink.columnNames).toEqual(['evaluation_id', 'score_g1', 'answers_json', 'note', 'score_g2']);
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe(
      [
        'evaluation_id,score_g1,answers_json,note,score_g2',
        'e1,80,"{""a"":""x,\\ny""}",,',
        'e2,70,,"multi\nline",',
        'e3,,{},,60',
        '',
      ].join('\n'),
    );
    expect(warnings.join('\n')).toMatch(/note/);
    expect((await readdir(dir())).sort()).toEqual(['scores.csv']);
  });

  it('leaves the file alone when no column was added', async () => {
    const path = join(dir(), 'same.csv');
    const sink = createCsvSink(path, { columns: ['a', 'b'] });
    await sink.write({ b: 2, a: 1 });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('pads correctly across read chunks of any size, with CRLF and quoted line breaks', async () => {
    const path = join(dir(), 'chunks.csv');
    const rows = [
      ['1', 'plain'],
      ['2', 'q"uo\r\nted'],
      ['3', ''],
      ['4', 'x,y\r'],
      ['5', '\n'],
    ];
    const body = rows.map(([a, b]) => `${a},${escapeCsvField(b ?? '')}\r\n`).join('');
    for (let chunkSize = 1; chunkSize <= body.length + 1; chunkSize++) {
      await writeFile(path, `a,b\r\n${body}`);
      await rewriteCsvPadded(path, 5, 'a,b,c\r\n', 3, chunkSize);
      const text = await readFile(path, 'utf8');
      expect(parseCsv(text), `chunk size ${chunkSize}`).toEqual([['a', 'b', 'c'], ...rows.map((r) => [...r, ''])]);
      expect(text.endsWith(',\r\n')).toBe(true);
    }
  });

  it('pads a large file end to end', async () => {
    const path = join(dir(), 'big.csv');
    const sink = createCsvSink(path, { eol: '\r\n' });
    const long = 'x'.repeat(997);
    for (let i = 0; i < 400; i++) await sink.write({ i, text: i % 7 === 0 ? `q"uo\r\nte ${long}` : long });
    await sink.write({ i: 400, text: 'last', extra: 'E' });
    await sink.close();
    const parsed = parseCsv(await readFile(path, 'utf8'));
    expect(parsed[0]).toEqual(['i', 'text', 'extra']);
    expect(parsed).toHaveLength(402);
    parsed.slice(1, -1).forEach((r, i) => {
      expect(r).toEqual([String(i), i % 7 === 0 ? `q"uo\r\nte ${long}` : long, '']);
    });
    expect(parsed.at(-1)).toEqual(['400', 'last', 'E']);
  });

  it('refuses new columns on a stream by default, with a hint', async () => {
    const out = new PassThrough();
    out.resume();
    const sink = createCsvSink(out);
    await sink.write({ a: 1 });
    const err = await sink.write({ a: 2, b: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]?.path).toBe('b');
    expect((err as ValidationError).message).toMatch(/columns/);
    await sink.close();
  });

  it('drops them on a stream with newColumns: drop, warning once', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const warnings: string[] = [];
    const sink = createCsvSink(out, { newColumns: 'drop', onWarning: (m) => warnings.push(m) });
    await sink.write({ a: 1 });
    await sink.write({ a: 2, b: 3 });
    await sink.write({ a: 3, b: 4 });
    await sink.close();
    expect(chunks.join('')).toBe('a\n1\n2\n3\n');
    expect(warnings).toHaveLength(1);
  });

  it("refuses newColumns: 'rewrite' for a stream up front", () => {
    expect(() => createCsvSink(new PassThrough(), { newColumns: 'rewrite' })).toThrow(ValidationError);
  });

  it('pads rows without a header too', async () => {
    const path = join(dir(), 'noheader.csv');
    const sink = createCsvSink(path, { header: false });
    await sink.write({ a: 1 });
    await sink.write({ a: 2, b: 'x' });
    await sink.close();
    expect(await readFile(path, 'utf8')).toBe('1,\n2,x\n');
  });
});
