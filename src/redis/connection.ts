import { Redis } from 'ioredis';
import { GcError } from '../errors';
import { describeTarget, errorText } from './errors';
import type { RedisConnectionOptions } from './options';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** One ioredis client plus what we need to report on it and whether we may close it. */
export interface RedisHandle {
  client: Redis;
  /** Created from a URL here (so closed here), as opposed to a client the caller passed in. */
  owned: boolean;
  target: string;
  /** Last connection error seen, for the message of a connect timeout. */
  lastError(): unknown;
}

/**
 * Clients that `createRedisLimits` opened from a URL and shares between its limiter and token store: the limiter
 * closes them when it disconnects (GenesysClient.close() only knows the limiter).
 */
export const closedByLimiter = new WeakSet<object>();

export function openRedis(options: RedisConnectionOptions, what: string): RedisHandle {
  let last: unknown;
  if (options.client && options.url) throw new GcError(`${what}: give either url or client, not both`);
  if (options.client) {
    const client = options.client as unknown as Redis;
    if (typeof (client as { defineCommand?: unknown }).defineCommand !== 'function' || typeof client.duplicate !== 'function') {
      throw new GcError(`${what}: client must be an ioredis client (new Redis(...)); Redis Cluster is not supported`);
    }
    client.on('error', (e: unknown) => (last = e));
    return { client, owned: false, target: describeTarget(undefined, client), lastError: () => last };
  }
  if (!options.url) throw new GcError(`${what}: give url (redis://host:port) or an ioredis client`);
  if (!/^rediss?:\/\//i.test(options.url)) {
    throw new GcError(`${what}: url must start with redis:// or rediss:// (got ${describeTarget(options.url)})`);
  }
  const client = createClient(options.url, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  client.on('error', (e: unknown) => (last = e));
  return { client, owned: true, target: describeTarget(options.url), lastError: () => last };
}

export function createClient(url: string, connectTimeoutMs: number): Redis {
  const client = new Redis(url, {
    // Commands must fail at once while Redis is away: a queued command would hold a request silently instead
    // of letting the limiter fail it or fall back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: Math.min(connectTimeoutMs, 10_000),
    // Keep trying in the background so the `error` policy resumes by itself when Redis is back.
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
    // Bounds a hung server (SIGSTOP, overloaded): a command that never answers would hold a request forever.
    commandTimeout: 5000,
    lazyConnect: false,
  });
  // Without a listener ioredis prints every reconnect failure; the limiter and the store report state themselves.
  client.on('error', () => {});
  return client;
}

/** Resolves when `client` is ready; rejects with the last connection error after `timeoutMs`. */
export function waitUntilReady(client: Redis, timeoutMs: number, lastError: () => unknown): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      const e = lastError();
      reject(new Error(e === undefined ? `no connection after ${timeoutMs} ms` : errorText(e), e === undefined ? undefined : { cause: e }));
    }, timeoutMs);
    client.once('ready', onReady);
  });
}

/** Errors that mean "the connection is gone", as opposed to a bad command or a script error. */
export function isConnectionError(e: unknown, client: Redis): boolean {
  if (client.status !== 'ready') return true;
  const m = e instanceof Error ? e.message : String(e);
  return /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|MaxRetriesPerRequest|Command timed out|connect/i.test(m);
}
