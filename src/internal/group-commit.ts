/**
 * Group commit without a timer: items queued while one flush runs go out together in the next, so a fast disk
 * flushes them one by one and a slow one gathers bigger groups; nothing waits on the wall clock. Used for the
 * downloads' fsyncs (src/transport/download-durable.ts) and the hold's resume-state lines (src/legal-hold/append-log.ts).
 */
interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * `flush` makes a group durable. It throws to fail the whole group, or returns one settled result per item (in
 * order) to fail some of them only.
 */
export type FlushGroup<T> = (items: T[]) => Promise<ReadonlyArray<PromiseSettledResult<unknown>> | void>;

export class GroupCommit<T> {
  #queue: Array<Waiting<T>> = [];
  #flushing = false;
  #groups = 0;

  constructor(private readonly flush: FlushGroup<T>) {}

  /** Groups flushed so far (for tests and benchmarks: how many items shared a flush). */
  get groups(): number {
    return this.#groups;
  }

  /** Queues `item`; resolves once the group it went out with is flushed. */
  commit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#flushing || this.#queue.length === 0) return;
    this.#flushing = true;
    const group = this.#queue;
    this.#queue = [];
    try {
      const results = await this.flush(group.map((w) => w.item));
      group.forEach((w, i) => {
        const r = results?.[i];
        if (r?.status === 'rejected') w.reject(r.reason);
        else w.resolve();
      });
    } catch (e) {
      for (const w of group) w.reject(e);
    } finally {
      this.#groups++;
      this.#flushing = false;
      void this.#pump();
    }
  }
}
