/**
 * What COPY reads: the binary format for the evaluation and question-score rows (uuids as 16 bytes, times as
 * microseconds, numerics as base-10000 words: nothing for the server to parse but the jsonb, and no text-format
 * escaping of the answers' JSON on our side; measured in bench/warehouse/load.ts), the text format (one line per
 * row, tab-separated, `\N` for null) for the smaller tables. Both are written straight into Buffers of about 1 MiB:
 * no string per row kept for the batch, fewer copies and less garbage than joining lines (docs/warehouse.md,
 * "Performance").
 */

/** A typed value for a text-format cell. `{ json }` is written as JSON (a jsonb column). */
export type Cell = string | number | boolean | null | readonly string[] | { json: unknown };

// ---- buffers ----------------------------------------------------------------------------------------------------

/** COPY data in Buffers of about `chunkBytes`; a segment written with `segment()` never spans two Buffers. */
export class CopyBuffer {
  private readonly done: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  private total = 0;

  constructor(private readonly chunkBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Makes room for `n` more bytes in the current Buffer. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos > 0) this.done.push(this.buf.subarray(0, this.pos));
    this.total += this.pos;
    this.buf = Buffer.allocUnsafe(Math.max(this.chunkBytes, n));
    this.pos = 0;
  }

  /** A string as UTF-8. */
  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /**
   * A binary COPY field: its byte length (int32), `prefix` bytes, then `s` as UTF-8, written in one pass (the length
   * is filled in afterwards instead of measuring the string first).
   */
  field(s: string, prefix?: number): void {
    const extra = prefix === undefined ? 0 : 1;
    this.room(4 + extra + s.length * 3);
    const at = this.pos;
    let p = at + 4;
    if (prefix !== undefined) this.buf[p++] = prefix;
    p += this.buf.write(s, p, 'utf8');
    this.buf.writeInt32BE(p - at - 4, at);
    this.pos = p;
  }

  int16(n: number): void {
    this.room(2);
    this.pos = this.buf.writeInt16BE(n, this.pos);
  }

  int32(n: number): void {
    this.room(4);
    this.pos = this.buf.writeInt32BE(n, this.pos);
  }

  bigint64(n: bigint): void {
    this.room(8);
    this.pos = this.buf.writeBigInt64BE(n, this.pos);
  }

  /** An integer within ±2^53 as a big-endian int64 (two words: no BigInt per value). */
  int64(n: number): void {
    this.room(8);
    const hi = Math.floor(n / 4294967296);
    this.buf.writeInt32BE(hi, this.pos);
    this.pos = this.buf.writeUInt32BE(n - hi * 4294967296, this.pos + 4);
  }

  byte(n: number): void {
    this.room(1);
    this.buf[this.pos++] = n;
  }

  /** A canonical (lowercase, checked) uuid as its 16 bytes. */
  uuidBytes(id: string): void {
    this.room(16);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < 36; i += 2) {
      if (i === 8 || i === 13 || i === 18 || i === 23) i++;
      b[p++] = (HEX[id.charCodeAt(i)] as number) * 16 + (HEX[id.charCodeAt(i + 1)] as number);
    }
    this.pos = p;
  }

  /** 16 bytes (a uuid encoded before, see UuidBytes). */
  bytes16(src: Uint8Array): void {
    this.room(16);
    const b = this.buf;
    const p = this.pos;
    for (let i = 0; i < 16; i++) b[p + i] = src[i] as number;
    this.pos = p + 16;
  }

  /** Where the next byte goes: [buffer index, offset]; with `end()` it marks a segment (see `slices`). */
  mark(): [number, number] {
    return [this.done.length, this.pos];
  }

  get bytes(): number {
    return this.total + this.pos;
  }

  /** Every Buffer written so far (the current one cut at its end). Call once, when done writing. */
  finish(): Buffer[] {
    const out = this.done.slice();
    if (this.pos > 0) out.push(this.buf.subarray(0, this.pos));
    return out;
  }
}

const HEX = new Uint8Array(128);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[97 + i] = 10 + i;

// ---- text format ------------------------------------------------------------------------------------------------

const SPECIAL = /[\\\t\n\r\0]/;

function escapeText(s: string): string {
  if (!SPECIAL.test(s)) return s;
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\0') continue; // PostgreSQL text cannot hold NUL
    else out += ch;
  }
  return out;
}

function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\0/g, '').replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

// An escape in JSON text: `\\` (kept) or `\u0000` (dropped). Matching both keeps an escaped backslash followed by
// the letters u0000 (the text `\u0000` in a comment) intact.
const JSON_NUL = /\\(?:\\|u0000)/g;

/** JSON text for a jsonb value. */
export function jsonText(value: unknown): string {
  // jsonb refuses \u0000; the platform never sends it, but one bad comment must not fail a whole batch.
  const s = JSON.stringify(value) ?? 'null';
  return s.includes('\\u0000') ? s.replace(JSON_NUL, (m) => (m === '\\\\' ? m : '')) : s;
}

export function cellText(v: Cell): string {
  if (v === null) return '\\N';
  if (typeof v === 'string') return escapeText(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return escapeText(arrayLiteral(v as readonly string[]));
  return escapeText(jsonText((v as { json: unknown }).json));
}

/** One row as a COPY text-format line (with its newline). */
export function copyLine(row: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + cellText(row[i] as Cell);
  return `${line}\n`;
}

/** Rows as COPY text in Buffers. */
export function textCopy(rows: Iterable<readonly Cell[]>): Buffer[] {
  const out = new CopyBuffer();
  for (const row of rows) out.text(copyLine(row));
  return out.finish();
}

// ---- binary format ----------------------------------------------------------------------------------------------

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** The binary COPY header (signature, flags, no extension). */
export function binaryHeader(out: CopyBuffer): void {
  out.room(19);
  for (const b of SIGNATURE) out.byte(b);
  out.int32(0);
  out.int32(0);
}

/** The binary COPY trailer. */
export function binaryTrailer(out: CopyBuffer): void {
  out.int16(-1);
}

export function binaryNull(out: CopyBuffer): void {
  out.int32(-1);
}

export function binaryUuid(out: CopyBuffer, id: string | null): void {
  if (id === null) return binaryNull(out);
  out.int32(16);
  out.uuidBytes(id);
}

/**
 * The 16 bytes of canonical uuids that repeat across a batch (question, group, answer and form ids: the same dozen
 * in every evaluation of a form), encoded once. Bounded: a batch of unique ids only turns it over.
 */
export class UuidBytes {
  private readonly cache = new Map<string, Uint8Array>();

  /** Writes `id` (canonical, or null) as a binary COPY field. */
  write(out: CopyBuffer, id: string | null): void {
    if (id === null) return binaryNull(out);
    let bytes = this.cache.get(id);
    if (bytes === undefined) {
      const one = new CopyBuffer(16);
      one.uuidBytes(id);
      bytes = (one.finish()[0] as Buffer).subarray(0, 16);
      if (this.cache.size >= 4096) this.cache.clear();
      this.cache.set(id, bytes);
    }
    out.int32(16);
    out.bytes16(bytes);
  }
}

export function binaryBool(out: CopyBuffer, v: boolean | null): void {
  if (v === null) return binaryNull(out);
  out.int32(1);
  out.byte(v ? 1 : 0);
}

export function binaryText(out: CopyBuffer, s: string | null): void {
  if (s === null) return binaryNull(out);
  // NUL cannot be stored in text (as in the text format, it is dropped).
  out.field(s.includes('\0') ? s.replace(/\0/g, '') : s);
}

/** A jsonb value: version byte 1, then the JSON text (what jsonb_recv reads). */
export function binaryJsonb(out: CopyBuffer, value: unknown): void {
  out.field(jsonText(value), 1);
}

// PostgreSQL counts timestamps in microseconds from 2000-01-01T00:00:00Z.
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/** A timestamptz from a checked ISO-8601 UTC string (Checker.date: millisecond precision, so nothing is lost). */
export function binaryTimestamp(out: CopyBuffer, iso: string | null): void {
  if (iso === null) return binaryNull(out);
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`internal: ${iso} is not a checked date`);
  out.int32(8);
  const us = (ms - PG_EPOCH_MS) * 1000;
  // Beyond ±2^53 µs (before 1715 or after 2285) the product of doubles is no longer exact: BigInt there.
  if (Number.isSafeInteger(us)) out.int64(us);
  else out.bigint64(BigInt(ms - PG_EPOCH_MS) * 1000n);
}

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * A finite number as PostgreSQL's binary numeric: base-10000 digits of its shortest decimal form (the digits
 * String(n) prints, which the text format sent), weight of the first digit, sign, and the decimal scale.
 */
export function binaryNumeric(out: CopyBuffer, n: number | null): void {
  if (n === null) return binaryNull(out);
  const m = DECIMAL.exec(String(Math.abs(n)));
  if (m === null) throw new Error(`internal: ${n} is not a finite number`);
  let digits = (m[1] as string) + (m[2] ?? '');
  let point = (m[1] as string).length + Number(m[3] ?? 0);
  const scale = Math.max(0, digits.length - point);
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  digits = digits.slice(lead);
  point -= lead;
  let trail = digits.length;
  while (trail > 0 && digits.charCodeAt(trail - 1) === 48) trail--;
  digits = digits.slice(0, trail);
  if (digits.length === 0) {
    out.int32(8);
    out.int16(0); // ndigits
    out.int16(0); // weight
    out.int16(0); // sign
    out.int16(scale);
    return;
  }
  // Align the decimal point on a 4-digit group boundary, then pad the last group.
  const pad = (((-point) % 4) + 4) % 4;
  digits = '0'.repeat(pad) + digits;
  point += pad;
  digits += '0'.repeat((4 - (digits.length % 4)) % 4);
  const groups = digits.length / 4;
  out.int32(8 + groups * 2);
  out.int16(groups);
  out.int16(point / 4 - 1);
  out.int16(n < 0 ? 0x4000 : 0);
  out.int16(scale);
  for (let g = 0; g < groups; g++) out.int16(Number(digits.slice(g * 4, g * 4 + 4)));
}

/** A stretch of a CopyBuffer: from one `mark()` to a later one. */
export type Segment = readonly [from: readonly [number, number], to: readonly [number, number]];

/** The bytes of `segments` (in order) out of the Buffers `finish()` returned: views, no copies. */
export function segmentSlices(buffers: readonly Buffer[], segments: Iterable<Segment>): Buffer[] {
  const out: Buffer[] = [];
  for (const [[i0, p0], [i1, p1]] of segments) {
    if (i0 === i1) {
      if (p1 > p0) out.push((buffers[i0] as Buffer).subarray(p0, p1));
      continue;
    }
    out.push((buffers[i0] as Buffer).subarray(p0));
    for (let i = i0 + 1; i < i1; i++) out.push(buffers[i] as Buffer);
    if (p1 > 0) out.push((buffers[i1] as Buffer).subarray(0, p1));
  }
  return out;
}
