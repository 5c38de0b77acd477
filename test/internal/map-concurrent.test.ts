import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapConcurrent } from '../../src/internal/map-concurrent';

async function* from<T>(xs: T[], delayMs = 0): AsyncGenerator<T> {
  for (const x of xs) {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    yield x;
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('mapConcurrent', () => {
  it('yields in source order whatever the completion order, never above the concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 }), fc.integer({ min: 1, max: 6 }), async (delays, concurrency) => {
        let running = 0;
        let peak = 0;
        const out = await collect(
          mapConcurrent(
            from(delays.map((d, i) => ({ d, i }))),
            async ({ d, i }) => {
              peak = Math.max(peak, ++running);
              await new Promise((r) => setTimeout(r, d));
              running--;
              return i;
            },
            concurrency,
          ),
        );
        expect(out).toEqual(delays.map((_, i) => i));
        expect(peak).toBeLessThanOrEqual(concurrency);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps other calls going while the head is slow (no head-of-line stall)', async () => {
    // Ordering, not time: item 0 finishes only once items 1..11 have all finished. With a head-of-line stall they
    // could not start while item 0 runs, so item 0 would wait for ever: the 60 s real timer only turns that
    // deadlock into a failure (a loaded machine may be slow, but not 60 s for eleven no-op items).
    const events: string[] = [];
    let othersDone = 0;
    let releaseHead!: () => void;
    const headReleased = new Promise<void>((r) => (releaseHead = r));
    const out = await collect(
      mapConcurrent(
        from(Array.from({ length: 12 }, (_, i) => i)),
        async (i) => {
          events.push(`start ${i}`);
          if (i === 0) {
            let timer: NodeJS.Timeout | undefined;
            const stalled = new Promise<void>((r) => (timer = setTimeout(r, 60_000)));
            await Promise.race([headReleased, stalled]);
            clearTimeout(timer);
            events.push('end 0');
          } else {
            await new Promise((r) => setImmediate(r));
            if (++othersDone === 11) releaseHead();
          }
          return i;
        },
        3,
      ),
    );
    expect(out).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // Items 1..11 all start (and finish) while item 0 is still running.
    const headEnd = events.indexOf('end 0');
    expect(headEnd).toBe(events.length - 1);
    expect(events.filter((e) => e.startsWith('start'))).toHaveLength(12);
  });

  it('raises an error in order and stops', async () => {
    const out: number[] = [];
    const run = async () => {
      for await (const x of mapConcurrent(from([1, 2, 3, 4]), async (i) => {
        if (i === 3) throw new Error('boom');
        return i;
      }, 2)) out.push(x);
    };
    await expect(run()).rejects.toThrow('boom');
    expect(out).toEqual([1, 2]);
  });

  it('passes a source error through', async () => {
    async function* bad() {
      yield 1;
      throw new Error('source failed');
    }
    await expect(collect(mapConcurrent(bad(), async (i) => i, 2))).rejects.toThrow('source failed');
  });
});
