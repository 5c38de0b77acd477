/**
 * The two bookkeeping pieces of `ReportQueries.extract()` (extract.ts) that know nothing of jobs or rows: merging the
 * page streams of the windows in flight with bounded memory, and the set of finished windows as index ranges (what
 * the extract checkpoint stores as `done`, analytics/checkpoint-state.ts).
 */
export type MergeEvent<T> = { index: number; value: T } | { index: number; done: true };

/**
 * Interleaves up to `concurrency` page sources, pages in arrival order, each source's pages in its own order.
 * Each source holds one page at a time (in flight, ready, or being consumed), so memory is `concurrency` pages.
 */
export async function* mergeBounded<T>(indices: number[], open: (index: number) => AsyncIterator<T>, concurrency: number, stop: () => void): AsyncGenerator<MergeEvent<T>> {
  type Settled = { index: number; result: IteratorResult<T> } | { index: number; error: unknown };
  const queue = [...indices];
  const active = new Map<number, { it: AsyncIterator<T>; next: Promise<Settled> }>();
  const arm = (index: number, it: AsyncIterator<T>) => {
    const next = it.next().then(
      (result): Settled => ({ index, result }),
      (error: unknown): Settled => ({ index, error }),
    );
    active.set(index, { it, next });
  };
  try {
    for (;;) {
      while (active.size < concurrency && queue.length > 0) {
        const index = queue.shift() as number;
        arm(index, open(index));
      }
      if (active.size === 0) return;
      const settled = await Promise.race([...active.values()].map((a) => a.next));
      if ('error' in settled) throw settled.error;
      const source = active.get(settled.index);
      if (!source) continue;
      if (settled.result.done) {
        active.delete(settled.index);
        yield { index: settled.index, done: true };
        continue;
      }
      yield { index: settled.index, value: settled.result.value };
      // The consumer is done with this page: only now fetch the source's next one. Prefetching it earlier kept a
      // second 1,000-conversation page per window alive long enough to be promoted to V8's old space, which made
      // the heap grow with the run (350 MB RSS at 1M rows instead of ~230 MB; bench/report-jobs.ts). The other
      // sources' fetches still overlap with the consumer's work.
      arm(settled.index, source.it);
    }
  } finally {
    if (active.size > 0) {
      stop();
      for (const { it, next } of active.values()) void next.then(() => it.return?.()).catch(() => undefined);
    }
  }
}

/** Windows done as inclusive index ranges (usually one range, since windows are started in order). */
export function addDone(ranges: Array<[number, number]>, index: number): Array<[number, number]> {
  const all = [...ranges, [index, index] as [number, number]].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

export function isDone(ranges: Array<[number, number]>, index: number): boolean {
  return ranges.some(([a, b]) => index >= a && index <= b);
}
