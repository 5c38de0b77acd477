/**
 * Byte-level CSV record scanning over files this package wrote: finds record ends (LF outside quotes) and counts
 * fields. Quote, comma, CR and LF are ASCII and never occur inside a multi-byte UTF-8 sequence, so no decoding.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsPromises, nodeCrypto } from '../internal/node-builtins';
import { parseCsvRecord } from './csv-format';
import { fsyncDir } from './durable';
import { StreamWriter } from './stream-writer';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Incremental scanner: feed chunks in order; `onRecord(i, fields)` fires at each record-ending LF (index in chunk). */
export class CsvRecordScanner {
  private inQuotes = false;
  private fields = 1;

  /** True when the bytes fed so far end inside a quoted field. */
  get quoted(): boolean {
    return this.inQuotes;
  }

  feed(buf: Buffer, onRecord: (lfIndex: number, fields: number) => void): void {
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === QUOTE) this.inQuotes = !this.inQuotes;
      else if (this.inQuotes) continue;
      else if (b === COMMA) this.fields++;
      else if (b === LF) {
        onRecord(i, this.fields);
        this.fields = 1;
      }
    }
  }
}

export interface CsvFileInfo {
  size: number;
  /** Header fields when the file has a complete first record and `hasHeader` was set. */
  header: string[] | undefined;
  /** Byte offset just after the header record (0 without header). */
  dataStart: number;
  /** Byte offset just after the last complete record (what a crash-safe append keeps). */
  completeBytes: number;
  /** Most fields in any data record (0 when there are none). */
  maxDataFields: number;
}

export async function inspectCsvFile(path: string, hasHeader: boolean): Promise<CsvFileInfo | undefined> {
  let size: number;
  try {
    size = (await fsPromises().stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const scanner = new CsvRecordScanner();
  const headerChunks: Buffer[] = [];
  let headerDone = !hasHeader;
  let header: string[] | undefined;
  let dataStart = 0;
  let completeBytes = 0;
  let maxDataFields = 0;
  let offset = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    scanner.feed(chunk, (lf, fields) => {
      const end = offset + lf + 1;
      if (!headerDone) {
        headerChunks.push(chunk.subarray(0, lf + 1));
        const text = Buffer.concat(headerChunks).toString('utf8').replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
        header = parseCsvRecord(text);
        headerDone = true;
        dataStart = end;
      } else if (fields > maxDataFields) maxDataFields = fields;
      completeBytes = end;
    });
    if (!headerDone) headerChunks.push(chunk);
    offset += chunk.length;
  }
  return { size, header, dataStart, completeBytes, maxDataFields };
}

/**
 * Byte offset just after the first `records` records at or after `fromByte`, and the most fields among them.
 * `found` is how many records exist when there are fewer than asked for.
 */
export async function offsetAfterRecords(
  path: string,
  fromByte: number,
  records: number,
): Promise<{ offset: number; found: number; maxFields: number }> {
  let offset = fromByte;
  let found = 0;
  let maxFields = 0;
  if (records === 0) return { offset, found, maxFields };
  const scanner = new CsvRecordScanner();
  let base = fromByte;
  const stream = createReadStream(path, { start: fromByte });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      scanner.feed(chunk, (lf, fields) => {
        if (found >= records) return;
        found++;
        offset = base + lf + 1;
        if (fields > maxFields) maxFields = fields;
      });
      if (found >= records) break;
      base += chunk.length;
    }
  } finally {
    stream.destroy();
  }
  return { offset, found, maxFields };
}

/**
 * Rewrites `path` with `headerLine` (may be empty) followed by its records from `fromByte`, each padded with
 * empty fields up to `totalFields`. Written to a temp file in the same directory, fsynced, then renamed over the
 * original, so a crash leaves either the old file or the new one, never a mix.
 */
export async function rewriteCsvPadded(
  path: string,
  fromByte: number,
  headerLine: string,
  totalFields: number,
  chunkSize = 64 * 1024,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`);
  const out = new StreamWriter(createWriteStream(temp, { flags: 'wx' }));
  try {
    if (headerLine) await out.write(headerLine);
    const scanner = new CsvRecordScanner();
    let pendingCr = false;
    for await (const chunk of createReadStream(path, { start: fromByte, highWaterMark: chunkSize }) as AsyncIterable<Buffer>) {
      let from = 0;
      const parts: Buffer[] = [];
      if (pendingCr && chunk[0] !== LF) parts.push(Buffer.from('\r'));
      scanner.feed(chunk, (lf, fields) => {
        const missing = totalFields - fields;
        const crBefore = lf > 0 ? chunk[lf - 1] === CR : pendingCr;
        const cut = crBefore && lf > 0 ? lf - 1 : lf;
        parts.push(chunk.subarray(from, cut));
        if (missing > 0) parts.push(Buffer.from(','.repeat(missing)));
        parts.push(Buffer.from(crBefore ? '\r\n' : '\n'));
        from = lf + 1;
      });
      // A CR at the very end may belong to a CRLF split across chunks: hold it back.
      let tailEnd = chunk.length;
      pendingCr = tailEnd > from && chunk[tailEnd - 1] === CR && !scanner.quoted;
      if (pendingCr) tailEnd--;
      parts.push(chunk.subarray(from, tailEnd));
      await out.write(Buffer.concat(parts));
    }
    if (pendingCr) await out.write('\r');
    await out.flush();
    await out.fsync();
    await out.end();
    await fsPromises().rename(temp, path);
    await fsyncDir(dirname(path));
  } catch (err) {
    out.stream.destroy();
    await fsPromises().unlink(temp).catch(() => undefined);
    throw err;
  }
}
