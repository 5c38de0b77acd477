/**
 * The one source of time and randomness for the SDK. The client owns one `Clock` (option `clock`, default
 * `systemClock`); modules and the transport reach it through the client (`clockOf(client)`), so no module reads
 * `Date.now`, `Math.random` or `setTimeout` itself and a test can drive every wait with a fake clock
 * (`createFakeClock()` in `@org/gc-data/testing`, src/testing/fake-clock.ts) instead of racing real time.
 */

/** Time and randomness as the SDK sees them. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds (at once for `ms <= 0`); rejects with `signal.reason` as soon as the signal
   * aborts (at once when it is aborted already).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1): the jitter source of every backoff. */
  random(): number;
}

/** Waits `ms` of real time with `setTimeout`, rejecting with the signal's reason as soon as it aborts. */
function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The wall clock: `Date.now`, `setTimeout`, `Math.random`. The default of the client's `clock` option. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: realSleep,
  random: () => Math.random(),
});

/** True for anything with the three methods of a Clock (checked by the client's option schema). */
export function isClock(v: unknown): v is Clock {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.now === 'function' && typeof c.sleep === 'function' && typeof c.random === 'function';
}

/**
 * The clock of a client. Modules take the client as a parameter and some tests hand them a partial stand-in, so a
 * missing clock falls back to the system clock rather than throwing.
 */
export function clockOf(client: unknown): Clock {
  const c = (client as { clock?: unknown } | null | undefined)?.clock;
  return isClock(c) ? c : systemClock;
}
