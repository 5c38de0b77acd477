/**
 * Maps an async source with at most `concurrency` calls of `fn` running, yielding results in source order.
 *
 * Finished results wait in a bounded window (`window`, default 4 x concurrency) behind a slow head, so one call
 * that is retrying does not stop the others from starting: only a full window does. Reading the source overlaps
 * with the calls (discovery pages are fetched while evaluations are). If `fn` throws, the error is raised in
 * order and nothing after it is yielded; calls still running are left to settle.
 */
export async function* mapConcurrent<T, R>(
  source: AsyncIterable<T>,
  fn: (item: T) => Promise<R>,
  concurrency: number,
  window: number = concurrency * 4,
): AsyncGenerator<R> {
  type Settled = { ok: true; value: R } | { ok: false; error: unknown };
  const iterator = source[Symbol.asyncIterator]();
  const pending: Array<Promise<Settled>> = [];
  let running = 0;
  let sourceDone = false;
  let sourceError: { error: unknown } | undefined;
  let filling: Promise<void> | undefined;
  // One waiter each: the fill loop waits for a free slot, the consumer for a new pending result.
  let slotWaiter: (() => void) | undefined;
  let itemWaiter: (() => void) | undefined;
  const signalItem = () => {
    const w = itemWaiter;
    itemWaiter = undefined;
    w?.();
  };

  const settle = (s: Settled): Settled => {
    running--;
    const w = slotWaiter;
    slotWaiter = undefined;
    w?.();
    return s;
  };

  const fill = async () => {
    try {
      while (!sourceDone && pending.length < window) {
        while (running >= concurrency) await new Promise<void>((r) => (slotWaiter = r));
        const next = await iterator.next();
        if (next.done) {
          sourceDone = true;
          break;
        }
        running++;
        pending.push(
          fn(next.value).then(
            (value) => settle({ ok: true, value }),
            (error: unknown) => settle({ ok: false, error }),
          ),
        );
        signalItem();
      }
    } catch (error) {
      sourceDone = true;
      sourceError = { error };
    } finally {
      filling = undefined;
      signalItem();
    }
  };

  try {
    for (;;) {
      if (!filling && !sourceDone && pending.length < window) filling = fill();
      const head = pending.shift();
      if (head) {
        const settled = await head;
        if (!settled.ok) throw settled.error;
        yield settled.value;
        continue;
      }
      if (sourceError) throw sourceError.error;
      if (sourceDone && !filling) return;
      await new Promise<void>((r) => (itemWaiter = r));
    }
  } finally {
    if (!sourceDone) await iterator.return?.();
  }
}
