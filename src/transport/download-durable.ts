/**
 * Group durability for downloaded files (issue 21): a file whose bytes are all written is queued here and made
 * durable with the files that finished while the previous group was being flushed, instead of one fsync per file on
 * the download's path. bench/legal-hold/download.ts measured the fsync per file as what kept the downloader at
 * 0.44 x a plain streaming fetch (0.86 x a plain fetch with the same fsync per file).
 *
 * One group: fsync of every file in it (two at a time, see SYNCS_AT_ONCE), each `<dest>.part` renamed to `<dest>`
 * once its fsync is done, then one fsync per folder the group renamed into. Only then does a file's
 * `commit()` resolve, so whoever records the file (a hold's resume state and manifest line, src/legal-hold/
 * hold-store.ts) records it after its bytes and its name are durable: the rule is "no line is durable before the
 * bytes it vouches for". A process killed before the group's fsync leaves the `.part` (the next run re-reads it and
 * confirms its size with the server, a 416 to `Range: bytes=<size>-`, or fetches the rest) or, after the rename but
 * before the line, a file the next run downloads again: never a file trusted without its line.
 *
 * Group commit without a timer: a group starts as soon as the previous one ends, so a fast disk flushes files one
 * by one while a slow one gathers bigger groups; nothing waits on the wall clock.
 */
import type { FileHandle } from 'node:fs/promises';
import { GroupCommit } from '../internal/group-commit';
import { fsPromises } from '../internal/node-builtins';
import { fsyncDir } from '../sinks/durable';

interface Queued {
  part: string;
  dest: string;
  handle: FileHandle | undefined;
}

/** Files written and waiting for their group's fsync; `commit` makes each durable under its final name. */
export class DurableGroups {
  readonly #files = new GroupCommit<Queued>(flushGroup);

  /** Groups flushed so far (for tests and benchmarks: how many files shared an fsync round). */
  get groups(): number {
    return this.#files.groups;
  }

  /**
   * Queues a complete `part` (its open `handle`, or none when a previous run left it complete): resolves once it is
   * fsynced, renamed to `dest` and `dest`'s folder fsynced. A failed fsync or rename rejects that file only.
   */
  commit(part: string, dest: string, handle: FileHandle | undefined): Promise<void> {
    return this.#files.commit({ part, dest, handle });
  }
}

/**
 * fsyncs of one group running at once. An fsync holds one of libuv's threads (4 by default, shared by every file
 * operation of the process) until the disk is done: with all of a group's fsyncs at once, the downloads' writes
 * queued behind them and the network stalled. Two leave the writes at least two threads.
 */
export const SYNCS_AT_ONCE = 2;

async function flushGroup(group: Queued[]): Promise<Array<PromiseSettledResult<void>>> {
  const fs = fsPromises();
  // 1. The bytes: the group's fsyncs, SYNCS_AT_ONCE at a time.
  const synced: Array<PromiseSettledResult<void>> = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < group.length; i = next++) {
      const f = group[i]!;
      synced[i] = await (async () => {
        const h = f.handle ?? (await fs.open(f.part, 'r+'));
        try {
          await h.sync();
        } finally {
          await h.close();
        }
        // 2. The name, only for bytes already durable.
        await fs.rename(f.part, f.dest);
      })().then(
        () => ({ status: 'fulfilled', value: undefined }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(SYNCS_AT_ONCE, group.length) }, lane));
  // 3. The folders the group renamed into, each once.
  const dirs = new Set<string>();
  group.forEach((f, i) => {
    if (synced[i]!.status === 'fulfilled') dirs.add(dirnameOf(f.dest));
  });
  // A folder that cannot be fsynced fails the whole group (GroupCommit rejects every file of it).
  await Promise.all([...dirs].map((d) => fsyncDir(d)));
  return synced;
}

export function dirnameOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

/** A counting semaphore whose waiters can give up with their signal. */
export class Slots {
  #free: number;
  readonly #queue: Array<() => void> = [];
  constructor(size: number) {
    this.#free = size;
  }

  async acquire(signal: AbortSignal | undefined, abortError: () => Error): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(go);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(abortError());
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(go);
    });
    // The slot was handed over by release() (never returned to #free): nobody can take it in between.
  }

  release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#free++;
  }
}
