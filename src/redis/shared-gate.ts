/**
 * The process side of RedisRateLimiter's shared server gate (its Lua half is server-gate-scripts.ts): spends one
 * unit of the server budget every worker of an id shares, waits out a shared pause, reports answers and pauses to
 * Redis. Every wait sleeps on the limiter's clock and every script gets that clock's `now` (src/internal/clock.ts),
 * so in one process a fake clock drives it; across processes every worker must keep the same time (the system clock,
 * the default). redis-rate-limiter.ts decides when it is used (Redis reachable) and what happens when it is not.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../internal/clock';
import type { ScriptClient } from './server-gate-scripts';

/** How often a request waiting on a spent (not paused) server budget asks again, unless woken earlier. */
const GATE_POLL_MS = 50;

export interface SharedGateOptions {
  client: ScriptClient;
  keys: { gate: string; inFlight: string };
  /** Bottleneck's channel for the id: the observe script publishes a wake on it when the budget grows. */
  channel: string;
  clock: Clock;
  /** A request in flight stops counting after this (a crashed worker's requests). */
  jobExpirationMs: number;
  /** Keys of an id nobody used for this long expire. */
  stateTtlMs: number;
  /** A Redis command failed (the limiter decides whether Redis is down). */
  onError(e: unknown): void;
}

export class SharedGate {
  /** Epoch ms (on the clock) until which this process knows every worker is paused. */
  pausedUntil = 0;
  /** What Redis last said may still leave (undefined: not known). */
  serverAvailable: number | undefined;
  /** The gate ticket of the request whose response is being observed (observe() gets no request id). */
  private readonly ticket = new AsyncLocalStorage<number>();
  private readonly wakers = new Set<() => void>();

  constructor(private readonly o: SharedGateOptions) {}

  /** Another worker's answer grew the budget: every request waiting on a spent budget looks again. */
  wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /**
   * Waits out a shared pause, then spends one unit of the shared server budget (atomically in Redis). Returns the
   * request's ticket (its in-flight member, removed by `answered`); undefined when Redis is not `ready()` or went
   * away meanwhile (the request then goes on under the pause this process knows, as it had a slot already).
   */
  async pass(signal: AbortSignal | undefined, ready: () => boolean): Promise<number | undefined> {
    const { client, keys, clock } = this.o;
    for (;;) {
      if (!ready()) {
        await this.waitLocalPause(signal);
        return undefined;
      }
      let verdict: number;
      let ticket: number | undefined;
      try {
        [verdict, ticket] = await client.gcDataGate(keys.gate, keys.inFlight, clock.now(), this.o.jobExpirationMs, GATE_POLL_MS, this.o.stateTtlMs);
      } catch (e) {
        this.o.onError(e);
        await this.waitLocalPause(signal);
        return undefined;
      }
      if (verdict === 0) return ticket;
      if (verdict > 0) {
        this.notePause(clock.now() + verdict);
        await clock.sleep(verdict, signal);
      } else {
        await this.sleepUnlessWoken(-verdict, signal);
      }
    }
  }

  /** Runs `fn` as the request of `ticket`, so that `observe` and `share` called from its response know it. */
  run<T>(ticket: number | undefined, fn: () => Promise<T>): Promise<T> {
    return ticket === undefined ? fn() : this.ticket.run(ticket, fn);
  }

  /** The request of `ticket` was answered: it stops counting as in flight. */
  answered(ticket: number): void {
    this.o.client.zrem(this.o.keys.inFlight, ticket).catch((e: unknown) => this.o.onError(e));
  }

  /** An answer said `remaining` is left: Redis keeps the lower of it (less every worker's requests on the wire). */
  observe(remaining: number): void {
    const { client, keys, clock } = this.o;
    client
      .gcDataObserve(keys.gate, keys.inFlight, clock.now(), remaining, this.ticket.getStore() ?? 0, this.o.stateTtlMs, this.o.channel)
      .then((available) => (this.serverAvailable = available))
      .catch((e: unknown) => this.o.onError(e));
  }

  notePause(until: number): void {
    if (Number.isFinite(until) && until > this.pausedUntil) this.pausedUntil = until;
  }

  /** Shares a pause until `until` (epoch ms on the clock) with every worker; `availableAfter` is the budget after it. */
  share(until: number, availableAfter: number | undefined): void {
    const { client, keys, clock } = this.o;
    client
      .gcDataPause(keys.gate, keys.inFlight, clock.now(), until, availableAfter ?? '', this.o.stateTtlMs, this.ticket.getStore() === undefined ? 0 : 1)
      .then((inForce) => this.notePause(Number(inForce)))
      .catch((e: unknown) => this.o.onError(e));
  }

  /** Sleeps `ms`, or less when another worker's response says the server budget grew. */
  private async sleepUnlessWoken(ms: number, signal: AbortSignal | undefined): Promise<void> {
    // The wake aborts the sleep (a fake clock keeps no stray timer); the caller's signal still rejects it.
    const woken = new AbortController();
    const wake = () => woken.abort();
    this.wakers.add(wake);
    try {
      await this.o.clock.sleep(ms, signal ? AbortSignal.any([signal, woken.signal]) : woken.signal).catch((e: unknown) => {
        if (signal?.aborted || !woken.signal.aborted) throw e;
      });
    } finally {
      this.wakers.delete(wake);
    }
  }

  /** Without Redis: waits out the pause this process knows of. */
  private async waitLocalPause(signal: AbortSignal | undefined): Promise<void> {
    const { clock } = this.o;
    for (let wait = this.pausedUntil - clock.now(); wait > 0; wait = this.pausedUntil - clock.now()) {
      await clock.sleep(wait, signal);
    }
  }
}
