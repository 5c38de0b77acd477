/**
 * A clock for tests: time moves only when the test says so. Give it to the client (`new GenesysClient({ clock })`)
 * and every wait of the SDK (job polls, backoffs, the transcoding wait, ...) sleeps on it instead of on real time,
 * so a test advances an hour of polling in microseconds and never races the machine's load. The SDK side of the
 * contract is src/internal/clock.ts.
 *
 * ```ts
 * const clock = createFakeClock();
 * const client = new GenesysClient({ ...options, clock });
 * const done = job.wait();
 * await clock.untilSleeping();   // the wait is parked on the clock
 * await clock.advance(10_000);   // the first poll happens
 * ```
 */
import type { Clock } from '../../internal/clock';
import { ValidationError } from '../../errors';
import { Rng } from '../data/rng';

export interface FakeClockOptions {
  /**
   * Where time starts: epoch ms, a Date or an ISO-8601 string. The default is the real time at creation, so tokens,
   * stores and a simulated org that keep real time agree with it; give a fixed instant for runs that must repeat.
   * @default Date.now() when the clock is created
   */
  now?: number | Date | string;
  /**
   * The jitter source. A number seeds the built-in generator (same seed, same sequence); a function is used as is.
   * @default 1 (a seeded generator: deterministic runs)
   */
  random?: number | (() => number);
  /**
   * When true, a sleep does not wait for `advance`: on the next event-loop turn the clock jumps to the earliest
   * pending sleep and resolves it (earliest first, ties in the order they were asked). For tests that only need
   * waits to be instant while `now()` still moves by the time slept (deadlines and elapsed times stay consistent).
   * @default false
   */
  autoAdvance?: boolean;
}

export interface FakeClock extends Clock {
  /**
   * Moves time forward by `ms`, resolving every sleep due on the way in due order (ties in the order they were
   * asked); lets the code each one resumes run (one event-loop turn) before the next fires, so a sleep started by
   * that code within the window fires too.
   */
  advance(ms: number): Promise<void>;
  /** Jumps to the earliest pending sleep and resolves it. False when nothing sleeps. */
  runNext(): Promise<boolean>;
  /** Resolves every pending sleep (and those they start) in due order, up to `limit` of them. @default limit 10,000 */
  runAll(limit?: number): Promise<number>;
  /** Sleeps waiting on this clock now. */
  readonly pending: number;
  /** The due times (epoch ms) of the pending sleeps, earliest first. */
  pendingDueTimes(): number[];
  /**
   * Resolves once at least `count` sleeps are pending: the code under test has parked on the clock (after real I/O,
   * say). Rejects after `realTimeoutMs` of real time so a test that waits for a sleep that never comes fails with a
   * message instead of hanging: a hang guard, not a speed bound (real I/O that takes milliseconds alone can take
   * seconds on a machine busy with other work). @default count 1, realTimeoutMs 60,000
   */
  untilSleeping(count?: number, realTimeoutMs?: number): Promise<void>;
  /** Every sleep asked so far (ms, as asked), oldest first: what a test asserts a schedule with. */
  readonly sleeps: readonly number[];
}

interface Timer {
  due: number;
  seq: number;
  resolve: () => void;
}

/** mulberry32 (the simulated org's Rng, src/testing/data/rng.ts): good enough for jitter; deterministic per seed. */
function seeded(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

function startOf(v: FakeClockOptions['now']): number {
  if (v === undefined) return Date.now();
  const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : v;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new ValidationError('createFakeClock options', [{ path: 'now', message: 'now must be a finite epoch ms, a valid Date or an ISO-8601 string' }]);
  }
  return ms;
}

/** One real event-loop turn: lets promise chains resumed by a sleep run before time moves again. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A `Clock` whose time moves only through `advance`/`runNext`/`runAll` (or at once with `autoAdvance`). */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError('createFakeClock options', [{ path: '', message: 'the options must be an object' }]);
  }
  // A typo (`autoadvance`) or `autoAdvance: 'yes'` would silently give a clock that never moves on its own.
  for (const k of Object.keys(options)) {
    if (k !== 'now' && k !== 'random' && k !== 'autoAdvance') throw new ValidationError('createFakeClock options', [{ path: k, code: 'unrecognized_keys', message: `unknown option ${JSON.stringify(k.slice(0, 100))}: the options are now, random, autoAdvance` }]);
  }
  if (options.autoAdvance !== undefined && typeof options.autoAdvance !== 'boolean') {
    throw new ValidationError('createFakeClock options', [{ path: 'autoAdvance', code: 'invalid_type', message: 'autoAdvance must be true or false' }]);
  }
  let now = startOf(options.now);
  const r = options.random;
  if (r !== undefined && typeof r !== 'function' && !(typeof r === 'number' && Number.isFinite(r))) {
    throw new ValidationError('createFakeClock options', [{ path: 'random', message: 'random must be a seed (a finite number) or a function' }]);
  }
  const random = typeof r === 'function' ? r : seeded(r ?? 1);
  const timers: Timer[] = [];
  const sleeps: number[] = [];
  const watchers: Array<{ count: number; resolve: () => void }> = [];
  let seq = 0;
  let autoScheduled = false;

  const earliest = (): Timer | undefined => {
    let best: Timer | undefined;
    for (const t of timers) if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  };
  const fire = (t: Timer) => {
    timers.splice(timers.indexOf(t), 1);
    if (t.due > now) now = t.due;
    t.resolve();
  };
  const notify = () => {
    for (let i = watchers.length - 1; i >= 0; i--) {
      const w = watchers[i]!;
      if (timers.length >= w.count) {
        watchers.splice(i, 1);
        w.resolve();
      }
    }
  };
  const scheduleAuto = () => {
    if (!options.autoAdvance || autoScheduled) return;
    autoScheduled = true;
    setImmediate(() => {
      autoScheduled = false;
      const t = earliest();
      if (t) fire(t);
      if (timers.length > 0) scheduleAuto();
    });
  };

  const clock: FakeClock = {
    now: () => now,
    random: () => random(),
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (!(ms > 0)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(signal!.reason);
        };
        const timer: Timer = {
          due: now + ms,
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        timers.push(timer);
        signal?.addEventListener('abort', onAbort, { once: true });
        notify();
        scheduleAuto();
      });
    },
    async advance(ms: number): Promise<void> {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`FakeClock.advance: ms must be a finite number >= 0, got ${ms}`);
      const target = now + ms;
      await turn();
      for (let t = earliest(); t && t.due <= target; t = earliest()) {
        fire(t);
        await turn();
      }
      if (target > now) now = target;
      await turn();
    },
    async runNext(): Promise<boolean> {
      const t = earliest();
      if (!t) return false;
      fire(t);
      await turn();
      return true;
    },
    async runAll(limit = 10_000): Promise<number> {
      let n = 0;
      await turn();
      while (n < limit && (await clock.runNext())) n++;
      return n;
    },
    get pending() {
      return timers.length;
    },
    pendingDueTimes: () => timers.map((t) => t.due).sort((a, b) => a - b),
    untilSleeping(count = 1, realTimeoutMs = 60_000): Promise<void> {
      if (timers.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const w = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        // Real time on purpose: this guards the test itself against a sleep that never comes.
        const timer = setTimeout(() => {
          watchers.splice(watchers.indexOf(w), 1);
          reject(new Error(`FakeClock.untilSleeping(${count}): only ${timers.length} sleep(s) pending after ${realTimeoutMs} ms of real time`));
        }, realTimeoutMs);
        watchers.push(w);
      });
    },
    get sleeps() {
      return sleeps;
    },
  };
  return clock;
}
