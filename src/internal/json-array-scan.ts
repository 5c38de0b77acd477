/**
 * Reads a JSON object whose bulk is one array (`{"conversations":[...], "cursor": ...}`) without building the
 * array: one pass over the bytes finds where each element starts and ends, the rest of the object (the
 * "envelope") is parsed as usual, and an element is parsed only when asked for.
 *
 * Why: `JSON.parse` of a 1,000-conversation results page builds the whole page as one object tree, which stays
 * reachable until its last conversation is handled. Pages held that long are promoted to V8's old generation,
 * and under Node's default heap sizing the old generation then grows to a few times that before it is collected
 * (bench/report-jobs). Parsed one at a time, a conversation dies young and the heap stays small.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export interface ScanOptions {
  /**
   * Once every element has been read, give the memory of `bytes` back at once instead of at V8's next full
   * collection: the ArrayBuffer is detached (transferred to a copy nobody keeps), so `bytes` must not be used
   * afterwards. Applies only when `bytes` spans its whole ArrayBuffer (never a slice of Node's shared pool).
   * A page of results is kept while its conversations are handled; by then it has usually been promoted, and off-heap
   * memory of promoted buffers waits for a full collection, which V8 delays until ~64 MB of it has piled up.
   */
  releaseWhenRead?: boolean;
}

export interface ScannedObject {
  /** The object with the array replaced by `[]` (parsed with JSON.parse, so any value or key order is kept). */
  envelope: unknown;
  /** Number of elements in the array (0 when the key is absent). */
  count: number;
  /** Parses element `i` (JSON.parse of its bytes). Throws a SyntaxError for an element that is not valid JSON. */
  element(i: number): unknown;
}

/**
 * Scans `bytes` (UTF-8 JSON) for a top-level object with an array under `key`. Returns undefined when the body is
 * not such an object or does not scan cleanly; callers then fall back to `JSON.parse` of the whole body, which
 * either explains what is wrong with it or handles the unusual shape. The scan trusts JSON's structure only:
 * each element's own validity is checked by JSON.parse when it is read.
 */
export function scanObjectArray(bytes: Buffer, key: string, options: ScanOptions = {}): ScannedObject | undefined {
  const keyBytes = Buffer.from(JSON.stringify(key));
  const n = bytes.length;
  // A UTF-8 byte order mark is skipped, as fetch's text() does.
  const bodyStart = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let i = bodyStart;
  while (i < n && isSpace(bytes[i] as number)) i++;
  if (bytes[i] !== OPEN_BRACE) return undefined;

  let depth = 0;
  // Depth-1 bookkeeping: whether the next string is a key, and whether the value being read belongs to `key`.
  let expectKey = false;
  let keyMatched = false;
  // The target array: where it opens and closes, and its element boundaries (separators at depth 2).
  let arrayOpen = -1;
  let arrayClose = -1;
  let inTarget = false;
  let elementStart = -1;
  let elementHasValue = false;
  const starts: number[] = [];
  const ends: number[] = [];

  for (; i < n; i++) {
    const b = bytes[i] as number;
    if (b === QUOTE) {
      const stringStart = i;
      for (i++; i < n; i++) {
        const c = bytes[i] as number;
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) break;
      }
      if (i >= n) return undefined;
      if (depth === 1 && expectKey) {
        keyMatched = i + 1 - stringStart === keyBytes.length && bytes.compare(keyBytes, 0, keyBytes.length, stringStart, i + 1) === 0;
        expectKey = false;
      } else if (depth === 1) {
        keyMatched = false;
      } else if (inTarget && depth === 2) {
        elementHasValue = true;
      }
      continue;
    }
    if (isSpace(b)) continue;
    if (inTarget && depth === 2 && b !== COMMA && b !== CLOSE_BRACKET) elementHasValue = true;
    switch (b) {
      case OPEN_BRACE:
      case OPEN_BRACKET:
        if (depth === 1 && b === OPEN_BRACKET && keyMatched) {
          // A repeated key: JSON.parse keeps the last one, so do we.
          starts.length = 0;
          ends.length = 0;
          arrayOpen = i;
          inTarget = true;
          elementStart = i + 1;
          elementHasValue = false;
        }
        depth++;
        if (depth === 1) expectKey = true;
        if (depth === 2) keyMatched = false;
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        if (inTarget && depth === 2) {
          if (b !== CLOSE_BRACKET) return undefined;
          if (elementHasValue) {
            starts.push(elementStart);
            ends.push(i);
          }
          inTarget = false;
          arrayClose = i;
        }
        depth--;
        if (depth < 0) return undefined;
        if (depth === 0) {
          // The object ends here; only whitespace may follow.
          for (i++; i < n; i++) if (!isSpace(bytes[i] as number)) return undefined;
          if (arrayOpen < 0) return { envelope: JSON.parse(bytes.toString('utf8', bodyStart)), count: 0, element: outOfRange(0) };
          return scanned(bytes, bodyStart, arrayOpen, arrayClose, starts, ends, options.releaseWhenRead === true);
        }
        break;
      case COMMA:
        if (depth === 1) {
          expectKey = true;
          keyMatched = false;
        } else if (inTarget && depth === 2) {
          if (!elementHasValue) return undefined;
          starts.push(elementStart);
          ends.push(i);
          elementStart = i + 1;
          elementHasValue = false;
        }
        break;
      case COLON:
        break;
      default:
        // A number, true, false or null: a value, which ends a key's pending match at depth 1.
        if (depth === 1) keyMatched = false;
    }
  }
  return undefined;
}

function scanned(bytes: Buffer, bodyStart: number, arrayOpen: number, arrayClose: number, starts: number[], ends: number[], release: boolean): ScannedObject {
  const envelope: unknown = JSON.parse(`${bytes.toString('utf8', bodyStart, arrayOpen + 1)}${bytes.toString('utf8', arrayClose)}`);
  const count = starts.length;
  const ownsBuffer = release && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  // Which elements were read, kept only when the bytes are to be released after the last one.
  const read = ownsBuffer ? new Uint8Array(count) : undefined;
  let unread = count;
  if (ownsBuffer && count === 0) detach(bytes);
  return {
    envelope,
    count,
    element(i: number): unknown {
      if (!(i >= 0 && i < count)) return outOfRange(count)(i);
      if (ownsBuffer && unread === 0) throw new RangeError(`element ${i} was read already and the bytes were released`);
      const value: unknown = JSON.parse(bytes.toString('utf8', starts[i], ends[i]));
      if (read && read[i] === 0) {
        read[i] = 1;
        if (--unread === 0) detach(bytes);
      }
      return value;
    },
  };
}

/** Detaches the ArrayBuffer under `bytes`: its memory goes with a transferred copy that nothing references. */
function detach(bytes: Buffer): void {
  structuredClone(bytes.buffer, { transfer: [bytes.buffer as ArrayBuffer] });
}

function outOfRange(count: number): (i: number) => never {
  return (i) => {
    throw new RangeError(`element ${i} does not exist (the array has ${count})`);
  };
}
