import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanObjectArray } from '../../src/internal/json-array-scan';

const buf = (s: string) => Buffer.from(s, 'utf8');
const elements = (s: ReturnType<typeof scanObjectArray>) => Array.from({ length: s?.count ?? 0 }, (_, i) => s?.element(i));

describe('scanObjectArray', () => {
  it('reads every element and the envelope, for any JSON values, any key order and any spacing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(fc.string().filter((k) => k !== 'items'), fc.jsonValue(), { maxKeys: 4 }),
        fc.nat(5),
        fc.boolean(),
        (items, others, at, pretty) => {
          const entries = Object.entries(others);
          entries.splice(Math.min(at, entries.length), 0, ['items', items]);
          const text = JSON.stringify(Object.fromEntries(entries), null, pretty ? 2 : undefined);
          const scanned = scanObjectArray(buf(text), 'items');
          expect(scanned).toBeDefined();
          const whole = JSON.parse(text) as Record<string, unknown>;
          expect(elements(scanned)).toEqual(whole.items);
          expect(scanned?.envelope).toEqual({ ...whole, items: [] });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps strings with brackets, braces, commas, quotes and non-ASCII inside elements intact', () => {
    const page = { items: [{ id: 'a,]}[{"\\', note: 'ünïcödé ✓ "quoted"' }, { id: 'b', nested: [[1, { x: ']' }]] }], cursor: 'c]' };
    const scanned = scanObjectArray(buf(JSON.stringify(page)), 'items');
    expect(elements(scanned)).toEqual(page.items);
    expect(scanned?.envelope).toEqual({ items: [], cursor: 'c]' });
  });

  it('does not mistake the key appearing as a value or inside an element for the array', () => {
    const page = { label: 'items', inner: { items: [9] }, items: [1, 2], list: [{ items: [3] }] };
    const scanned = scanObjectArray(buf(JSON.stringify(page)), 'items');
    expect(elements(scanned)).toEqual([1, 2]);
  });

  it('skips a UTF-8 byte order mark, as fetch does', () => {
    const scanned = scanObjectArray(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf('{"items":[1,{"a":"ü"}],"cursor":"x"}')]), 'items');
    expect(elements(scanned)).toEqual([1, { a: 'ü' }]);
    expect(scanned?.envelope).toEqual({ items: [], cursor: 'x' });
  });

  it('reads an absent or empty array as zero elements', () => {
    expect(scanObjectArray(buf('{"cursor":"x"}'), 'items')?.count).toBe(0);
    expect(scanObjectArray(buf('{"items":[ ],"cursor":"x"}'), 'items')?.count).toBe(0);
    expect(scanObjectArray(buf('{"items":[]}'), 'items')?.envelope).toEqual({ items: [] });
  });

  it('gives up (undefined) on bodies that are not one well-formed object, so the caller parses them whole', () => {
    for (const text of ['', '[1,2]', '"items"', '{"items":[1,2]', '{"items":[1,,2]}', '{"items":[1,2}}', '{"items":[1]} x', '{"items":["open]}']) {
      expect(scanObjectArray(buf(text), 'items'), text).toBeUndefined();
    }
  });

  it('releaseWhenRead: gives the bytes back once every element was read (and only bytes owning their whole buffer)', () => {
    const text = JSON.stringify({ items: [{ a: 1 }, { b: 2 }, { c: 3 }], cursor: 'x' });
    const owned = Buffer.from(new TextEncoder().encode(text).buffer as ArrayBuffer);
    const scanned = scanObjectArray(owned, 'items', { releaseWhenRead: true });
    expect(scanned?.element(2)).toEqual({ c: 3 });
    expect(scanned?.element(0)).toEqual({ a: 1 });
    expect(scanned?.element(0)).toEqual({ a: 1 }); // a second read before the end is fine
    expect(owned.buffer.byteLength).toBe(text.length);
    expect(scanned?.element(1)).toEqual({ b: 2 });
    expect(owned.buffer.byteLength).toBe(0); // detached: the memory is gone with the transfer
    expect(() => scanned?.element(1)).toThrow(RangeError);

    // A small Buffer.from(string) lives in Node's shared pool: never detached, whatever the option says.
    const pooled = buf(text);
    const fromPool = scanObjectArray(pooled, 'items', { releaseWhenRead: true });
    expect(elements(fromPool)).toHaveLength(3);
    expect(pooled.buffer.byteLength).toBeGreaterThan(0);
    expect(pooled.toString()).toBe(text);
  });

  it('leaves an invalid element to JSON.parse when it is read', () => {
    const scanned = scanObjectArray(buf('{"items":[{"a":1},{"b":tru}]}'), 'items');
    expect(scanned?.element(0)).toEqual({ a: 1 });
    expect(() => scanned?.element(1)).toThrow(SyntaxError);
    expect(() => scanned?.element(2)).toThrow(RangeError);
  });
});
