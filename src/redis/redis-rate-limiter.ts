/**
 * `RedisRateLimiter`: the client's budget and concurrency cap and the server's budget, shared through Redis by every
 * worker. This file keeps the connection's state machine (connecting, ready, down, fallback, closed) and the pending
 * jobs; the shared server gate (budget, pause, its waits on the clock) is shared-gate.ts with its Lua half in
 * server-gate-scripts.ts; what happens when Redis goes away (errors, the local fallback) and inspect() are in
 * limiter-health.ts; bottleneck's cluster settings in bottleneck-cluster.ts.
 */
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import type { RateLimitSnapshot, WarningEvent } from '../events';
import type { LocalRateLimiter, RateLimiter, RateLimiterStats, ScheduleOptions } from '../transport/rate-limiter';
import { throwIfAborted } from '../transport/sleep';
import { systemClock, type Clock } from '../internal/clock';
import { closedByLimiter, DEFAULT_CONNECT_TIMEOUT_MS, isConnectionError, openRedis, type RedisHandle } from './connection';
import { errorText, type RedisUnavailableError, type RedisUnavailableReason } from './errors';
import { downError, localFallback, readSharedState, readyWithin, unavailableError, type LimiterState, type SharedLimiterState } from './limiter-health';
import type { RedisFallback, RedisRateLimiterOptions } from './options';
import { alignSettings, bottleneckSettings, recognizeRedis7Errors } from './bottleneck-cluster';
import { checkRedisRateLimiterOptions } from './validate';
import { defineGateScripts, WAKE_MESSAGE, type ScriptClient } from './server-gate-scripts';
import { SharedGate } from './shared-gate';

export type { RedisRateLimiterOptions } from './options';
// The limiter's states and what inspect() returns are in limiter-health.ts, with what happens when Redis goes away.
export type { LimiterState, SharedLimiterState } from './limiter-health';

interface PendingJob {
  fn: () => Promise<unknown>;
  options: ScheduleOptions;
  started: boolean;
  settled: boolean;
  /** Given to the local limiter after a fallback; the shared copy must not run. */
  handedOff: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Bottleneck counts a limiter as gone after this without a heartbeat (its default). */
const CLIENT_TIMEOUT_MS = 10_000;
/** Keys of an id nobody used for this long expire, so stale settings do not outlive a deployment. */
const STATE_TTL_MS = 15 * 60_000;
const PEERS_REFRESH_MS = 2000;
const DEFAULT_HEARTBEAT_MS = 250;
const DEFAULT_JOB_EXPIRATION_MS = 60_000;
/** Pause used when the server says the budget is spent without saying when it resets (as the local limiter). */
const DEFAULT_EXHAUSTED_PAUSE_MS = 1000;
/**
 * The foundation's two gates, shared through Redis by every limiter with the same `id`, in any process:
 * - the client's own budget and concurrency cap: a bottleneck reservoir refilled at `requestsPerMinute`, clustered
 *   with bottleneck's `datastore: 'ioredis'` (one reservoir, one `maxConcurrent` for all workers);
 * - the server's budget: what the responses (of any worker) say is left, spent atomically in Redis as requests
 *   leave; when a response says the window is spent, or any worker gets a 429, every worker waits for the reset.
 *
 * When Redis is unreachable at start or lost mid-run, `fallback` decides: `error` fails the requests that have not
 * started with `RedisUnavailableError` (and resumes when Redis is back); `local` warns once and switches for good to
 * a `LocalRateLimiter` with this process's share of the budget (budget / live peers), starting empty.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly id: string;
  readonly #redis: RedisHandle;
  readonly #client: ScriptClient;
  readonly #subscriber: Redis;
  readonly #connection: Bottleneck.IORedisConnection;
  readonly #bottleneck: Bottleneck;
  readonly #fallbackPolicy: RedisFallback;
  readonly #onWarning: (w: WarningEvent) => void;
  readonly #limits: { requestsPerMinute: number; maxConcurrent: number; burst: number };
  readonly #keys: { settings: string; gate: string; inFlight: string; clients: string };
  readonly #jobExpirationMs: number;
  readonly #pending = new Set<PendingJob>();
  readonly #startup: Promise<void>;
  /** The shared server budget and pause (shared-gate.ts). */
  readonly #gate: SharedGate;
  #state: LimiterState = 'connecting';
  #downError: RedisUnavailableError | undefined;
  #fallback: LocalRateLimiter | undefined;
  /** Requests of this process past both gates and not yet answered. */
  #inFlight = 0;
  /** A pause noted before Redis was reached, shared once it is. */
  #pendingPause: { until: number; after: number | undefined } | undefined;
  #peers = 1;
  #peersTimer: ReturnType<typeof setInterval> | undefined;
  /**
   * Every wait and every `now` the Lua gate gets. Workers of one id in different processes share the gate's times,
   * so in production they must all keep the same time: the system clock (the default). A fake clock is for one
   * process's tests.
   */
  readonly #clock: Clock;

  constructor(options: RedisRateLimiterOptions) {
    checkRedisRateLimiterOptions(options);
    this.id = options.id;
    this.#clock = options.clock ?? systemClock;
    this.#fallbackPolicy = options.fallback ?? 'error';
    this.#onWarning = options.onWarning ?? (() => {});
    const burst = options.burst ?? options.requestsPerMinute;
    this.#limits = { requestsPerMinute: options.requestsPerMinute, maxConcurrent: options.maxConcurrent, burst };
    this.#jobExpirationMs = options.jobExpirationMs ?? DEFAULT_JOB_EXPIRATION_MS;
    // `b_<id>_*` are bottleneck's own keys (layout of 2.19.5, frozen); `{id}` keeps ours in one hash slot.
    this.#keys = {
      settings: `b_${this.id}_settings`,
      clients: `b_${this.id}_client_last_seen`,
      gate: `gc-data:{${this.id}}:server`,
      inFlight: `gc-data:{${this.id}}:in-flight`,
    };
    this.#redis = openRedis(options, 'RedisRateLimiter');
    this.#client = defineGateScripts(this.#redis.client);
    this.#gate = new SharedGate({
      client: this.#client,
      keys: this.#keys,
      channel: `b_${this.id}`,
      clock: this.#clock,
      jobExpirationMs: this.#jobExpirationMs,
      stateTtlMs: STATE_TTL_MS,
      onError: (e) => this.#onRedisError(e),
    });
    // One connection wrapper per limiter: bottleneck routes pub/sub by channel, so two limiters of the same id on
    // one wrapper would leave one of them deaf to capacity messages (its queued jobs would never drain).
    this.#connection = new Bottleneck.IORedisConnection({ client: this.#client, Redis });
    recognizeRedis7Errors(this.#connection);
    this.#subscriber = (this.#connection as unknown as { subscriber: Redis }).subscriber;
    this.#subscriber.on('error', () => {});
    this.#bottleneck = new Bottleneck({
      id: this.id,
      datastore: 'ioredis',
      connection: this.#connection,
      clearDatastore: false,
      timeout: STATE_TTL_MS,
      heartbeatInterval: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      ...bottleneckSettings(this.#limits),
      reservoir: burst,
    } as Bottleneck.ConstructorOptions);
    this.#bottleneck.on('error', (e: unknown) => this.#onRedisError(e));
    this.#bottleneck.on('message', (m: string) => {
      if (m === WAKE_MESSAGE) this.#gate.wake();
    });
    for (const c of [this.#client, this.#subscriber]) {
      c.on('close', () => {
        if (this.#state === 'ready') this.#markDown('connection-lost', new Error('connection closed'));
      });
      c.on('ready', () => this.#maybeRecovered());
    }
    this.#startup = this.#start(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  }

  /**
   * Resolves once the shared state is reachable (or, with `fallback: 'local'`, once the local limiter took over).
   * Rejects with `RedisUnavailableError` when Redis cannot be reached and `fallback` is `error`. Optional: the first
   * `schedule` waits for it too.
   */
  async ready(): Promise<void> {
    await this.#startup;
    if (this.#state === 'down' || this.#state === 'closed') throw this.#unavailable();
  }

  /** `connecting`, `ready`, `down` (error policy, waiting for Redis), `fallback` (local limiter), `closed`. */
  get state(): LimiterState {
    return this.#state;
  }

  get running(): number {
    return this.#inFlight + (this.#fallback?.running ?? 0);
  }

  async schedule<T>(fn: () => Promise<T>, options: ScheduleOptions = {}): Promise<T> {
    throwIfAborted(options.signal);
    if (this.#state === 'connecting') await this.#startup;
    if (this.#state === 'fallback' && this.#fallback) return this.#fallback.schedule(fn, options);
    if (this.#state !== 'ready') throw this.#unavailable();
    return this.#scheduleShared(fn, options);
  }

  observe(snapshot: RateLimitSnapshot, inFlight: number): { exhausted: boolean; pausedForMs: number } {
    if (this.#state === 'fallback' && this.#fallback) return this.#fallback.observe(snapshot, inFlight);
    if (snapshot.remaining === undefined) return { exhausted: false, pausedForMs: 0 };
    if (snapshot.remaining <= 0) {
      // The server says its window is spent: everyone waits for its reset.
      const pausedForMs = Math.ceil(snapshot.resetMs ?? DEFAULT_EXHAUSTED_PAUSE_MS);
      this.pause(pausedForMs, snapshot.limit);
      return { exhausted: true, pausedForMs };
    }
    // Budget left, but perhaps not for everything already on the wire (every worker's, counted in Redis): spent
    // requests then wait for those answers instead of a whole reset, which across processes (more in flight per
    // unit of budget) would cost a pause per window for budget the server usually refills meanwhile.
    if (this.#state === 'ready') this.#gate.observe(snapshot.remaining);
    return { exhausted: false, pausedForMs: 0 };
  }

  pause(ms: number, availableAfter?: number): void {
    const until = Math.ceil(this.#clock.now() + ms);
    this.#gate.notePause(until);
    this.#gate.serverAvailable = 0;
    if (this.#state === 'fallback' && this.#fallback) {
      this.#fallback.pause(ms, availableAfter);
      return;
    }
    if (this.#state === 'ready') this.#gate.share(until, availableAfter);
    else this.#pendingPause = { until: this.#gate.pausedUntil, after: availableAfter };
  }

  stats(): RateLimiterStats {
    const counts = this.#bottleneck.counts();
    const fallback = this.#fallback?.stats();
    return {
      queued: (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0) + (fallback?.queued ?? 0),
      running: this.running,
      serverAvailable: fallback ? fallback.serverAvailable : this.#gate.serverAvailable,
      pausedUntil: Math.max(this.#gate.pausedUntil, fallback?.pausedUntil ?? 0),
    };
  }

  /** Reads the shared state from Redis (for dashboards, tests and benchmarks). */
  async inspect(): Promise<SharedLimiterState> {
    return readSharedState(this.#client, this.#keys, { state: this.#state, peers: this.#peers, pausedUntil: this.#gate.pausedUntil }, this.#clock.now());
  }

  async disconnect(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    await this.#release();
    await this.#fallback?.disconnect();
  }

  async #start(connectTimeoutMs: number): Promise<void> {
    try {
      await readyWithin(this.#bottleneck.ready(), connectTimeoutMs, () => this.#redis.lastError());
    } catch (e) {
      if (this.#state === 'connecting') this.#markDown('connect-timeout', e);
      return;
    }
    if (this.#state !== 'connecting') return;
    this.#state = 'ready';
    await this.#afterReady();
  }

  /** Aligns the shared settings with ours, shares a pause noted before Redis was reached, starts counting peers. */
  async #afterReady(): Promise<void> {
    try {
      const warning = await alignSettings(this.#client, this.#bottleneck, this.#keys.settings, this.#limits, this.id);
      if (warning) this.#onWarning(warning);
      await this.#afterSettings();
    } catch (e) {
      this.#onRedisError(e);
    }
  }

  async #afterSettings(): Promise<void> {
    const pending = this.#pendingPause;
    this.#pendingPause = undefined;
    if (pending && pending.until > this.#clock.now()) this.#gate.share(pending.until, pending.after);
    await this.#refreshPeers();
    if (!this.#peersTimer) {
      // Real time on purpose: it counts bottleneck's real-time heartbeats, and no request waits on it.
      this.#peersTimer = setInterval(() => void this.#refreshPeers(), PEERS_REFRESH_MS);
      this.#peersTimer.unref();
    }
  }

  async #refreshPeers(): Promise<void> {
    if (this.#state !== 'ready') return;
    try {
      // Bottleneck's heartbeats are scored with Redis' own time (its scripts read TIME), not ours: the wall clock.
      const n = await this.#client.zcount(this.#keys.clients, Date.now() - CLIENT_TIMEOUT_MS, '+inf');
      this.#peers = Math.max(1, n);
    } catch (e) {
      this.#onRedisError(e);
    }
  }

  #scheduleShared<T>(fn: () => Promise<T>, options: ScheduleOptions): Promise<T> {
    const { signal } = options;
    return new Promise<T>((resolve, reject) => {
      const settle = (done: () => void) => {
        if (job.settled) return;
        job.settled = true;
        this.#pending.delete(job);
        signal?.removeEventListener('abort', onAbort);
        done();
      };
      const job: PendingJob = {
        fn,
        options,
        started: false,
        settled: false,
        handedOff: false,
        resolve: (v) => settle(() => resolve(v as T)),
        reject: (e) => settle(() => reject(e)),
      };
      const onAbort = () => job.reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.add(job);
      this.#bottleneck
        .schedule({ priority: options.priority ?? 5, expiration: this.#jobExpirationMs }, async () => {
          // Aborted, handed to the local limiter, or failed with Redis already: release the slot at once.
          if (job.settled || job.handedOff) return;
          job.started = true;
          let ticket: number | undefined;
          try {
            ticket = await this.#gate.pass(signal, () => this.#state === 'ready');
            this.#inFlight++;
            try {
              job.resolve(await this.#gate.run(ticket, fn));
            } finally {
              this.#inFlight--;
            }
          } catch (e) {
            job.reject(e);
          } finally {
            if (ticket !== undefined && this.#state === 'ready') this.#gate.answered(ticket);
          }
        })
        .catch((e: unknown) => {
          // A started job settles itself (an expiration only released its shared slot early).
          if (job.started || job.settled || job.handedOff) return;
          this.#onRedisError(e);
          if (this.#state === 'fallback' && this.#fallback) this.#reroute(job);
          else job.reject(this.#unavailable(e));
        });
    });
  }

  #onRedisError(e: unknown): void {
    if (this.#state !== 'ready') return;
    if (isConnectionError(e, this.#client) || this.#subscriber.status !== 'ready') {
      this.#markDown('connection-lost', e);
      return;
    }
    this.#onWarning({ code: 'redis-error', message: `Shared limiter "${this.id}": Redis command failed: ${errorText(e)}`, details: { id: this.id } });
  }

  #markDown(reason: RedisUnavailableReason, cause: unknown): void {
    if (this.#state === 'closed' || this.#state === 'fallback' || this.#state === 'down') return;
    const target = this.#redis.target;
    const where = `Redis at ${target} (shared limiter "${this.id}")`;
    const failure = { where, reason, why: errorText(cause) };
    if (this.#fallbackPolicy === 'local') {
      const { limiter, warning } = localFallback(this.id, this.#limits, this.#peers, this.#gate.pausedUntil - this.#clock.now(), failure, this.#clock);
      this.#fallback = limiter;
      this.#state = 'fallback';
      this.#onWarning(warning);
      for (const job of [...this.#pending]) if (!job.started) this.#reroute(job);
      void this.#release();
      return;
    }
    this.#state = 'down';
    this.#downError = downError(failure, target, cause);
    this.#onWarning({ code: 'redis-unavailable', message: this.#downError.message, details: { id: this.id, reason } });
    for (const job of [...this.#pending]) if (!job.started && !job.handedOff) job.reject(this.#downError);
  }

  /** Error policy: Redis is back (both connections), so shared limiting resumes. */
  #maybeRecovered(): void {
    if (this.#state !== 'down' || this.#client.status !== 'ready' || this.#subscriber.status !== 'ready') return;
    this.#state = 'ready';
    this.#downError = undefined;
    this.#onWarning({ code: 'redis-reconnected', message: `Redis is back: shared limiter "${this.id}" resumes.`, details: { id: this.id } });
    void this.#afterReady();
  }

  #reroute(job: PendingJob): void {
    const local = this.#fallback;
    if (!local || job.settled || job.handedOff) return;
    job.handedOff = true;
    local.schedule(job.fn, job.options).then(job.resolve, job.reject);
  }

  #unavailable(cause?: unknown): RedisUnavailableError {
    return this.#downError ?? unavailableError(this.id, this.#state === 'closed', this.#redis.target, cause);
  }

  /** Stops bottleneck and closes what this limiter opened (a client passed in stays open). */
  async #release(): Promise<void> {
    if (this.#peersTimer) clearInterval(this.#peersTimer);
    this.#peersTimer = undefined;
    // Bottleneck unsubscribes in a fire-and-forget loop that rejects unhandled when the subscriber is down; the
    // subscriber is closed right after anyway, so skip it.
    (this.#connection as unknown as { terminated: boolean }).terminated = true;
    try {
      await this.#bottleneck.disconnect(false);
    } catch {
      // Nothing left to release on a dead connection.
    }
    this.#subscriber.disconnect();
    if (this.#redis.owned || closedByLimiter.has(this.#client)) {
      if (this.#client.status === 'ready') await this.#client.quit().catch(() => this.#client.disconnect());
      else this.#client.disconnect();
    }
  }
}
