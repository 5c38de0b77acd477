import { describe, expect, it } from 'vitest';
import { itemsOf, paginateByCursor, paginateByPageNumber } from '../../src/index';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('paging guards', () => {
  it('pageNumber: stops at the first empty page', async () => {
    const data = [[1, 2], [3, 4], []];
    const items = await collect(itemsOf(paginateByPageNumber(async (n) => ({ items: data[n - 1] }))));
    expect(items).toEqual([1, 2, 3, 4]);
  });
  it('pageNumber: stops on a page repeated forever and says so', async () => {
    const guards: string[] = [];
    let calls = 0;
    const items = await collect(
      itemsOf(paginateByPageNumber(async () => (calls++, { items: [7, 8] }), { onGuard: (g) => guards.push(g.reason) })),
    );
    expect(items).toEqual([7, 8]);
    expect(calls).toBe(2);
    expect(guards).toEqual(['repeated-page']);
  });
  it('pageNumber: stops after a short page without asking for another', async () => {
    let calls = 0;
    const items = await collect(itemsOf(paginateByPageNumber(async () => (calls++, { items: [1] }), { pageSize: 2 })));
    expect(items).toEqual([1]);
    expect(calls).toBe(1);
  });
  it('cursor: follows the cursor until absent, and resumes from a start cursor', async () => {
    const pages: Record<string, { items: number[]; cursor?: string }> = { start: { items: [1], cursor: 'b' }, b: { items: [2], cursor: 'c' }, c: { items: [3] } };
    const all = await collect(paginateByCursor(async (c) => pages[c ?? 'start']!));
    expect(all.map((p) => p.items[0])).toEqual([1, 2, 3]);
    expect(all.map((p) => p.cursor)).toEqual([undefined, 'b', 'c']);
    const resumed = await collect(itemsOf(paginateByCursor(async (c) => pages[c ?? 'start']!, { startCursor: 'b' })));
    expect(resumed).toEqual([2, 3]);
  });
  it('cursor: a cursor seen twice ends the loop', async () => {
    const guards: string[] = [];
    const all = await collect(paginateByCursor(async () => ({ items: [1], cursor: 'same' }), { onGuard: (g) => guards.push(g.reason) }));
    expect(all).toHaveLength(2);
    expect(guards).toEqual(['repeated-page']);
  });
});
