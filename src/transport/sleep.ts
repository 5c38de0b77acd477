import { systemClock } from '../internal/clock';

/**
 * Waits `ms` of real time, rejecting with the signal's reason as soon as it aborts: the system clock's sleep
 * (src/internal/clock.ts). Kept for the code that has no client clock at hand (the shared Redis limiter); modules
 * sleep on the client's clock instead.
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return systemClock.sleep(ms, signal);
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/** Combines signals (Node 20 has AbortSignal.any); undefined entries are ignored. */
export function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return AbortSignal.any(present);
}
