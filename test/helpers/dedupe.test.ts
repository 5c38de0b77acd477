import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupeArrayBy, dedupeBy, UuidKeySet } from '@org/gc-data/rows';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* slowly<T>(items: T[]): AsyncGenerator<T> {
  for (const x of items) {
    await Promise.resolve();
    yield x;
  }
}

const rows = [
  { conversationId: 'a', chunk: 1 },
  { conversationId: 'b', chunk: 1 },
  { conversationId: 'a', chunk: 2 },
  { conversationId: 'c', chunk: 2 },
  { conversationId: 'b', chunk: 3 },
];

describe('dedupeBy', () => {
  it('keeps the first occurrence, in order, from sync and async sources', async () => {
    const expected = [rows[0], rows[1], rows[3]];
    expect(await collect(dedupeBy(rows, (r) => r.conversationId))).toEqual(expected);
    expect(await collect(dedupeBy(slowly(rows), (r) => r.conversationId))).toEqual(expected);
    expect(dedupeArrayBy(rows, (r) => r.conversationId)).toEqual(expected);
  });

  it('streams: yields before the source ends', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<number> {
      for (let i = 0; ; i++) {
        pulled++;
        yield i % 3;
      }
    }
    const out: number[] = [];
    for await (const x of dedupeBy(endless(), String)) {
      out.push(x);
      if (out.length === 3) break;
    }
    expect(out).toEqual([0, 1, 2]);
    expect(pulled).toBe(3);
  });

  it('shares a seen set across calls (chunks of one export) and reports duplicates', async () => {
    const seen = new Set<string>();
    const dups: string[] = [];
    const first = await collect(dedupeBy(rows.slice(0, 2), (r) => r.conversationId, { seen }));
    const second = await collect(
      dedupeBy(rows.slice(2), (r) => r.conversationId, { seen, onDuplicate: (k) => dups.push(k) }),
    );
    expect(first.map((r) => r.conversationId)).toEqual(['a', 'b']);
    expect(second.map((r) => r.conversationId)).toEqual(['c']);
    expect(dups).toEqual(['a', 'b']);
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });

  it('propagates errors from the source and the key function', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('page 2 failed');
    }
    await expect(collect(dedupeBy(failing(), String))).rejects.toThrow('page 2 failed');
    await expect(
      collect(
        dedupeBy([1], () => {
          throw new Error('bad key');
        }),
      ),
    ).rejects.toThrow('bad key');
  });

  it('emits each key exactly once, first occurrence wins (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ k: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), v: fc.integer() }), { maxLength: 60 }),
        fc.boolean(),
        async (items, compact) => {
          const seen = compact ? new UuidKeySet() : new Set<string>();
          const out = await collect(dedupeBy(slowly(items), (x) => x.k, { seen }));
          const keys = out.map((x) => x.k);
          expect(new Set(keys).size).toBe(keys.length);
          expect(new Set(keys)).toEqual(new Set(items.map((x) => x.k)));
          for (const x of out) expect(x).toBe(items.find((y) => y.k === x.k));
          // Order of first appearance is kept.
          const firsts = items.filter((x, i) => items.findIndex((y) => y.k === x.k) === i);
          expect(out).toEqual(firsts);
          expect(dedupeArrayBy(items, (x) => x.k)).toEqual(firsts);
        },
      ),
    );
  });
});
