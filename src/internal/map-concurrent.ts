/**
 * Maps an async source with at most `concurrency` calls of `fn` in flight, yielding results in source order.
 * Reading the source overlaps with the calls (discovery pages are fetched while evaluations are), and at most
 * `concurrency` results wait in memory. If `fn` throws, the error is raised in order and nothing after it is
 * yielded; pending calls are left to settle.
 */
export async function* mapConcurrent<T, R>(
  source: AsyncIterable<T>,
  fn: (item: T) => Promise<R>,
  concurrency: number,
): AsyncGenerator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const window: Array<Promise<{ ok: true; value: R } | { ok: false; error: unknown }>> = [];
  let done = false;
  const fill = async () => {
    while (!done && window.length < concurrency) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      window.push(fn(next.value).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })));
    }
  };
  try {
    await fill();
    while (window.length > 0) {
      const head = await window.shift()!;
      if (!head.ok) throw head.error;
      // Refill before yielding so calls keep running while the consumer handles this result.
      const refill = fill();
      yield head.value;
      await refill;
    }
  } finally {
    if (!done) await iterator.return?.();
  }
}
