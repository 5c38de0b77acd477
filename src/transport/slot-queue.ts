/**
 * The concurrency cap of LocalRateLimiter: at most `max` jobs hold a slot at once; waiting jobs get one by priority
 * (0 first, 9 last), then in the order they asked. No timers: a freed slot is handed on one event-loop turn later
 * (setImmediate, no time passes), so the only time-based waits of the limiter are the ones it sleeps on its clock
 * (src/internal/clock.ts) and a test on a fake clock is deterministic. (It replaces bottleneck's light build, whose
 * dispatch went through `setTimeout(0)`: real timers that a fake clock cannot order.)
 */
import { AsyncResource } from 'node:async_hooks';

/**
 * What LocalRateLimiter drives for its concurrency cap: this queue by default, or a bottleneck limiter passed to its
 * constructor. Declared here so the SDK's public types do not depend on bottleneck's, which is bundled.
 */
export interface BottleneckLimiter {
  schedule<R>(options: { priority?: number }, fn: () => PromiseLike<R>): Promise<R>;
  counts(): { RECEIVED?: number; QUEUED?: number };
  disconnect(flush?: boolean): Promise<void>;
}

const PRIORITIES = 10;

export class SlotQueue implements BottleneckLimiter {
  private running = 0;
  /** One FIFO per priority; `heads[p]` is the index of its first waiting job. */
  private readonly waiting: Array<Array<() => void>> = Array.from({ length: PRIORITIES }, () => []);
  private readonly heads: number[] = new Array<number>(PRIORITIES).fill(0);
  private queued = 0;
  private closed = false;

  constructor(private readonly max: number) {}

  schedule<R>(options: { priority?: number }, fn: () => PromiseLike<R>): Promise<R> {
    const p = Math.min(PRIORITIES - 1, Math.max(0, Math.trunc(options.priority ?? 5)));
    return new Promise<R>((resolve, reject) => {
      // Started later, maybe from another job's end: in the caller's async context (its trace span, say), not that one's.
      const start = AsyncResource.bind(() => {
        this.running++;
        let result: PromiseLike<R>;
        try {
          result = fn();
        } catch (e) {
          result = Promise.reject(e);
        }
        Promise.resolve(result)
          .then(resolve, reject)
          .finally(() => {
            // The slot is handed on one event-loop turn later (not a timer: no time passes), so the caller has
            // applied what the answer said first: a 429's pause reaches the limiter before the next job is let in.
            setImmediate(() => {
              this.running--;
              this.next();
            });
          });
      });
      this.waiting[p]!.push(start);
      this.queued++;
      this.next();
    });
  }

  counts(): { RECEIVED?: number; QUEUED?: number } {
    return { QUEUED: this.queued };
  }

  /** Jobs still waiting for a slot never start (as bottleneck's `disconnect(false)`); running ones finish. */
  async disconnect(): Promise<void> {
    this.closed = true;
  }

  private next(): void {
    while (!this.closed && this.running < this.max && this.queued > 0) {
      const p = this.heads.findIndex((h, i) => h < this.waiting[i]!.length);
      const queue = this.waiting[p]!;
      const start = queue[this.heads[p]!]!;
      this.heads[p]!++;
      if (this.heads[p]! > 1024 && this.heads[p]! * 2 > queue.length) {
        this.waiting[p] = queue.slice(this.heads[p]);
        this.heads[p] = 0;
      }
      this.queued--;
      start();
    }
  }
}
