/**
 * The order in which batches handed to one warehouse are written (src/postgres/warehouse.ts). Every batch commits in
 * call order, in its own transaction; a later batch never waits for a connection an earlier one needs. Within that:
 * - a batch takes its connection and stages its rows once the batch before it has staged (connections in call order);
 * - it merges into the warehouse's rows at once when none of the rows it locks (its `keys`) can be locked by an
 *   earlier batch that has not settled: the server merges two batches on two cores. Otherwise it waits for the
 *   earlier batches to settle first: two merges that shared a row could each wait for the other (the later one for
 *   the earlier's COMMIT in Node, the earlier one for the later's row lock in the server), which no deadlock
 *   detector sees;
 * - it commits only after every earlier batch has settled, so state written with it (a sync's fingerprints and
 *   watermarks) never runs ahead of an earlier batch (and with ApplyOptions.after it is rolled back when the batch
 *   it names failed: warehouse.ts).
 * A batch merged early holds its row locks while it waits for the earlier ones in Node. Another writer (a second
 * process, an analyst) that locks a row of an earlier batch and then wants one of this batch closes a cycle the server
 * cannot see, and all three would wait for ever. So each batch's transaction holds an advisory lock (`lockId`) until
 * it ends, and a later batch waits for those of the earlier ones in the server before it waits in Node: the server
 * then sees the cycle, rolls one transaction back (40P01), and the warehouse runs it again (conflictRetries). When
 * the one rolled back is the earlier batch, its retry would close the same cycle again (the later batch still holds
 * its rows): an earlier batch lets its lock go when rolled back, and a later batch that finds an earlier one rolled
 * back for a conflict since it merged rolls itself back too and runs again once the earlier ones settled.
 */

import { randomInt } from 'node:crypto';

/** One batch's place in the order. */
export interface BatchTicket {
  /** Settles when the batch before has staged (or failed): this one's turn to take a connection. */
  readonly turnToStage: Promise<unknown>;
  /** Call once this batch has staged (or failed before). Idempotent. */
  staged(): void;
  /** The rows this batch will lock (see lockKey), once known; not called: it overlaps every batch. */
  lockKeys(keys: ReadonlySet<string>): void;
  /**
   * Settles when this batch may touch the warehouse's rows (see the module comment); `afterEarlier`: only once every
   * earlier batch settled (a retry: it waits holding no row).
   */
  mayMerge(afterEarlier?: boolean): Promise<void>;
  /** This batch was rolled back for a conflict and runs again: later batches merged meanwhile must let go (conflictsSeen). */
  conflicted(): void;
  /** How many times the earlier batches not settled were rolled back for a conflict so far. */
  earlierConflicts(): number;
  /** Settles when every batch handed over before this one has settled. */
  readonly earlierSettled: Promise<unknown>;
  /**
   * This batch's advisory-lock number: its transaction holds it (warehouse.ts) so that a later batch waiting for it
   * waits in the server, where the deadlock detector sees the wait.
   */
  readonly lockId: number;
  /** The lock numbers of the earlier batches not settled yet, in call order. */
  earlierLockIds(): number[];
}

interface Pending {
  keys: ReadonlySet<string> | undefined;
  lockId: number;
  conflicts: number;
}

/** A row a batch locks: `table` and its key (several columns joined by NUL). */
export const lockKey = (table: string, key: string): string => `${table}\u0000${key}`;

function overlaps(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const k of small) if (large.has(k)) return true;
  return false;
}

export class BatchOrder {
  private staging: Promise<unknown> = Promise.resolve();
  private writing: Promise<unknown> = Promise.resolve();
  /** Batches handed over and not settled, in call order. */
  private readonly pending = new Set<Pending>();

  /** Settles when every batch handed over so far has settled. */
  idle(): Promise<unknown> {
    return this.writing;
  }

  /**
   * A place for a batch whose outcome is `run(ticket)`: it settles after every earlier batch has settled (a batch
   * that fails early still waits for the earlier ones, as when it was written).
   */
  take<T>(run: (ticket: BatchTicket) => Promise<T>): Promise<T> {
    const before = { staged: this.staging, settled: this.writing };
    const earlier = [...this.pending];
    const me: Pending = { keys: undefined, lockId: randomInt(1, 2 ** 31 - 1), conflicts: 0 };
    this.pending.add(me);
    let markStaged!: () => void;
    this.staging = new Promise<void>((resolve) => (markStaged = resolve));
    const ticket: BatchTicket = {
      turnToStage: before.staged,
      staged: () => markStaged(),
      lockKeys: (keys) => {
        me.keys = keys;
      },
      mayMerge: async (afterEarlier = false) => {
        const clash = afterEarlier || earlier.some((e) => this.pending.has(e) && (e.keys === undefined || me.keys === undefined || overlaps(e.keys, me.keys)));
        if (clash) await before.settled;
      },
      earlierSettled: before.settled,
      lockId: me.lockId,
      earlierLockIds: () => earlier.filter((e) => this.pending.has(e)).map((e) => e.lockId),
      conflicted: () => {
        me.conflicts++;
      },
      earlierConflicts: () => earlier.reduce((n, e) => n + e.conflicts, 0),
    };
    const result = run(ticket).finally(markStaged);
    const settled = result.then(
      () => undefined,
      () => before.settled,
    );
    this.writing = settled.finally(() => this.pending.delete(me));
    return result;
  }
}
