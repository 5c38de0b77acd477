import { describe, expect, it } from 'vitest';
import { IncompleteDataError } from '@org/gc-data';
import { itemsOf, paginateByCursor, paginateByNextUri, paginateByPageNumber } from '../../src/transport/paginate';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Runs the iterable to its end or its error; returns what was yielded and the error. */
async function drain<T>(it: AsyncIterable<T>): Promise<{ got: T[]; error: unknown }> {
  const got: T[] = [];
  try {
    for await (const x of it) got.push(x);
    return { got, error: undefined };
  } catch (error) {
    return { got, error };
  }
}

const NO_WAIT = { retryDelayMs: 0 };

describe('paging guards: pageNumber', () => {
  it('stops at the first empty page when nothing more is declared', async () => {
    const data = [[1, 2], [3, 4], []];
    const items = await collect(itemsOf(paginateByPageNumber(async (n) => ({ items: data[n - 1] }))));
    expect(items).toEqual([1, 2, 3, 4]);
  });

  it('stops after a short page without asking for another when the total agrees', async () => {
    let calls = 0;
    const items = await collect(itemsOf(paginateByPageNumber(async () => (calls++, { items: [1], total: 1 }), { pageSize: 2 })));
    expect(items).toEqual([1]);
    expect(calls).toBe(1);
  });

  it('an empty page while the declared total says more is fetched twice more, then an IncompleteDataError naming the page', async () => {
    const calls: number[] = [];
    const pages: Record<number, number[]> = { 1: [1, 2], 2: [3, 4] };
    const { got, error } = await drain(
      itemsOf(paginateByPageNumber(async (n) => (calls.push(n), { items: pages[n], total: 7 }), { pageSize: 2, what: 'test query', ...NO_WAIT })),
    );
    expect(got).toEqual([1, 2, 3, 4]);
    expect(calls).toEqual([1, 2, 3, 3, 3]);
    expect(error).toBeInstanceOf(IncompleteDataError);
    const e = error as IncompleteDataError;
    expect(e).toMatchObject({ what: 'test query', page: 3, declared: 7, received: 4 });
    expect(e.message).toContain('test query: page 3');
  });

  it('a page that comes back `{}` keeps the total declared by earlier pages (not an end)', async () => {
    const { got, error } = await drain(
      itemsOf(paginateByPageNumber(async (n): Promise<{ items: number[] | undefined; total?: number }> => (n === 1 ? { items: [1, 2], total: 5 } : { items: undefined }), { pageSize: 2, ...NO_WAIT })),
    );
    expect(got).toEqual([1, 2]);
    expect(error).toMatchObject({ name: 'IncompleteDataError', page: 2, declared: 5, received: 2 });
  });

  it('a short page that is whole on the next try is read whole, once, and reported through onShortPage', async () => {
    let second = 0;
    const retries: unknown[] = [];
    const items = await collect(
      itemsOf(
        paginateByPageNumber(
          async (n) => {
            if (n === 1) return { items: [1, 2], total: 5 };
            if (n === 2) return ++second === 1 ? { items: [3], total: 5 } : { items: [3, 4], total: 5 };
            return { items: [5], total: 5 };
          },
          { pageSize: 2, ...NO_WAIT, onShortPage: (s) => retries.push(s) },
        ),
      ),
    );
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(retries).toEqual([{ reason: 'short-page', page: 2, expected: 2, got: 1, declared: 5, attempt: 1, delayMs: 0 }]);
  });

  it('a page short of pageCount is an error too', async () => {
    const { error } = await drain(paginateByPageNumber(async (n) => ({ items: n === 1 ? [1, 2] : [], pageCount: 3 }), { pageSize: 2, ...NO_WAIT }));
    expect(error).toMatchObject({ name: 'IncompleteDataError', page: 2 });
  });

  it('checkDeclared: false pages as before for endpoints whose totals are approximate', async () => {
    const items = await collect(itemsOf(paginateByPageNumber(async (n) => ({ items: n === 1 ? [1, 2] : [], total: 99 }), { pageSize: 2, checkDeclared: false })));
    expect(items).toEqual([1, 2]);
  });

  it('a page repeated forever is an IncompleteDataError after two re-fetches (not a quiet end)', async () => {
    const guards: string[] = [];
    let calls = 0;
    const { got, error } = await drain(itemsOf(paginateByPageNumber(async () => (calls++, { items: [7, 8] }), { onGuard: (g) => guards.push(g.reason), ...NO_WAIT })));
    expect(got).toEqual([7, 8]);
    expect(calls).toBe(4);
    expect(guards).toEqual(['repeated-page']);
    expect(error).toMatchObject({ name: 'IncompleteDataError', page: 2, received: 2 });
  });

  it("onRepeatedPage: 'end' ends quietly for an endpoint documented to repeat its last page", async () => {
    const guards: string[] = [];
    const items = await collect(itemsOf(paginateByPageNumber(async () => ({ items: [7, 8] }), { onRepeatedPage: 'end', onGuard: (g) => guards.push(g.reason), ...NO_WAIT })));
    expect(items).toEqual([7, 8]);
    expect(guards).toEqual(['repeated-page']);
  });

  it('maxPages is an IncompleteDataError, not a quiet end', async () => {
    const { got, error } = await drain(paginateByPageNumber(async (n) => ({ items: [n] }), { maxPages: 3 }));
    expect(got).toHaveLength(3);
    expect(error).toMatchObject({ name: 'IncompleteDataError', page: 4 });
  });
});

describe('paging guards: cursor', () => {
  it('follows the cursor until absent, and resumes from a start cursor', async () => {
    const pages: Record<string, { items: number[]; cursor?: string }> = { start: { items: [1], cursor: 'b' }, b: { items: [2], cursor: 'c' }, c: { items: [3] } };
    const all = await collect(paginateByCursor(async (c) => pages[c ?? 'start']!));
    expect(all.map((p) => p.items[0])).toEqual([1, 2, 3]);
    expect(all.map((p) => p.cursor)).toEqual([undefined, 'b', 'c']);
    const resumed = await collect(itemsOf(paginateByCursor(async (c) => pages[c ?? 'start']!, { startCursor: 'b' })));
    expect(resumed).toEqual([2, 3]);
  });

  it('a cursor seen twice is an IncompleteDataError, and the page that handed it out is not yielded', async () => {
    const guards: string[] = [];
    const { got, error } = await drain(paginateByCursor(async () => ({ items: [1], cursor: 'same' }), { onGuard: (g) => guards.push(g.reason) }));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ cursor: undefined, nextCursor: 'same' });
    expect(guards).toEqual(['repeated-cursor']);
    expect(error).toMatchObject({ name: 'IncompleteDataError', page: 2, received: 1 });
  });

  it('a cursor that hands back itself (a resumed start cursor) is an error at once', async () => {
    let calls = 0;
    const { got, error } = await drain(paginateByCursor(async (c) => (calls++, { items: [], cursor: c }), { startCursor: 'x' }));
    expect(got).toEqual([]);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(IncompleteDataError);
  });

  it('empty pages with new cursors: three in a row are followed, a fourth is an IncompleteDataError', async () => {
    let n = 0;
    const { got, error } = await drain(paginateByCursor(async () => ({ items: [], cursor: `c${++n}` })));
    expect(n).toBe(4);
    expect(got).toHaveLength(3);
    expect(error).toMatchObject({ name: 'IncompleteDataError', page: 4, received: 0 });
  });

  it('three empty pages with a cursor and then data is read to the end', async () => {
    const pages: Record<string, { items: number[]; cursor?: string }> = {
      start: { items: [1], cursor: 'e1' },
      e1: { items: [], cursor: 'e2' },
      e2: { items: [], cursor: 'e3' },
      e3: { items: [], cursor: 'd' },
      d: { items: [2] },
    };
    expect(await collect(itemsOf(paginateByCursor(async (c) => pages[c ?? 'start']!)))).toEqual([1, 2]);
  });
});

describe('paging guards: nextUri', () => {
  it('a nextUri seen twice is an IncompleteDataError', async () => {
    const { got, error } = await drain(paginateByNextUri(async () => ({ items: [1], nextUri: '/api/v2/x?page=2' }), '/api/v2/x', 'https://api.example.test'));
    expect(got).toHaveLength(1);
    expect(error).toMatchObject({ name: 'IncompleteDataError', page: 2 });
  });
});

describe('paging guards: abort', () => {
  it('an abort during the wait before a re-fetch is an AbortError', async () => {
    const controller = new AbortController();
    const { error } = await drain(
      paginateByPageNumber(async (n) => ({ items: n === 1 ? [1, 2] : [], total: 9 }), {
        pageSize: 2,
        retryDelayMs: 60_000,
        signal: controller.signal,
        onShortPage: () => controller.abort(new Error('stop')),
      }),
    );
    expect(error).toMatchObject({ name: 'AbortError' });
  });
});
