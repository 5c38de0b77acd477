import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { MemoryTokenStore, type StoredToken, type TokenStore } from '../auth/token-store';
import type { WarningEvent } from '../events';
import { systemClock, type Clock } from '../internal/clock';
import { DEFAULT_CONNECT_TIMEOUT_MS, isConnectionError, openRedis, waitUntilReady, type RedisHandle } from './connection';
import { errorText, RedisUnavailableError } from './errors';
import type { RedisConnectionOptions, RedisFallback } from './options';
import { checkRedisTokenStoreOptions } from './validate';

export interface RedisTokenStoreOptions extends RedisConnectionOptions {
  /** Prepended to every key (the token provider's keys are `gc-data:token:<login origin>:<client id>`). Default none. */
  keyPrefix?: string;
  /** Receives `redis-*` warnings (fallback to memory, Redis unavailable). */
  onWarning?: ((warning: WarningEvent) => void) | undefined;
  /**
   * The clock a token's remaining lifetime (its key's TTL) is measured on: the token provider's, which is the
   * client's. @default the system clock (src/internal/clock.ts)
   */
  clock?: Clock | undefined;
}

/** Deletes KEYS[1] only if it still holds the token ARGV[1] (another worker may have replaced it already). */
const DELETE_IF_SAME_LUA = `
local v = redis.call('get', KEYS[1])
if not v then return 0 end
local ok, t = pcall(cjson.decode, v)
if ok and type(t) == 'table' and t.accessToken == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
`;

/** Releases the lock KEYS[1] only if ARGV[1] still owns it (it may have expired and been taken by another worker). */
const RELEASE_LUA = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
`;

type ScriptClient = Redis & {
  gcDataTokenDelete(key: string, accessToken: string): Promise<number>;
  gcDataLockRelease(key: string, owner: string): Promise<number>;
};

/**
 * Access tokens shared by every worker through Redis: one token per OAuth client, minted by one worker at a time
 * (a lock with an expiry, `SET NX PX`), the others wait and reuse it. Each token is stored with a TTL equal to its
 * remaining lifetime, so nothing outlives it.
 *
 * **The store holds a secret.** Anyone who can read the key can call the platform as the OAuth client until the
 * token expires (Genesys issues 24 h tokens by default). Use a Redis reachable only by the workers, with a password
 * or ACL user (`redis://user:password@host`), and TLS (`rediss://`) when it is not on the same host.
 */
export class RedisTokenStore implements TokenStore {
  readonly #redis: RedisHandle;
  readonly #client: ScriptClient;
  readonly #prefix: string;
  readonly #policy: RedisFallback;
  readonly #onWarning: (w: WarningEvent) => void;
  readonly #startup: Promise<unknown>;
  #memory: MemoryTokenStore | undefined;
  #closed = false;
  readonly #clock: Clock;

  constructor(options: RedisTokenStoreOptions) {
    checkRedisTokenStoreOptions(options);
    this.#clock = options.clock ?? systemClock;
    this.#redis = openRedis(options, 'RedisTokenStore');
    this.#client = this.#redis.client as ScriptClient;
    this.#client.defineCommand('gcDataTokenDelete', { numberOfKeys: 1, lua: DELETE_IF_SAME_LUA });
    this.#client.defineCommand('gcDataLockRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
    this.#prefix = options.keyPrefix ?? '';
    this.#policy = options.fallback ?? 'error';
    this.#onWarning = options.onWarning ?? (() => {});
    // Settled either way; the outcome is looked at by the first call.
    this.#startup = waitUntilReady(this.#client, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, this.#redis.lastError).then(
      () => undefined,
      (e: unknown) => e,
    );
  }

  /** True once the store gave up on Redis for this process (`fallback: 'local'`). */
  get inMemory(): boolean {
    return this.#memory !== undefined;
  }

  async get(key: string): Promise<StoredToken | undefined> {
    return this.#use(
      async (c) => parseToken(await c.get(this.#prefix + key)),
      (m) => m.get(key),
    );
  }

  async set(key: string, token: StoredToken): Promise<void> {
    const ttlMs = Math.floor(token.expiresAt - this.#clock.now());
    if (ttlMs <= 0) return;
    const value = JSON.stringify({ accessToken: token.accessToken, expiresAt: token.expiresAt, issuedAt: token.issuedAt });
    await this.#use(
      async (c) => void (await c.set(this.#prefix + key, value, 'PX', ttlMs)),
      (m) => m.set(key, token),
    );
  }

  async delete(key: string, accessToken: string): Promise<void> {
    await this.#use(
      async (c) => void (await c.gcDataTokenDelete(this.#prefix + key, accessToken)),
      (m) => m.delete(key, accessToken),
    );
  }

  /**
   * Takes the refresh lock for `ttlMs` (it expires by itself if the holder dies). Returns the release function, or
   * undefined when another worker holds it. Release deletes the lock only while this holder still owns it.
   */
  async lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const lockKey = `${this.#prefix}${key}:lock`;
    const owner = randomUUID();
    return this.#use(
      async (c) => {
        const taken = await c.set(lockKey, owner, 'PX', Math.max(1, Math.floor(ttlMs)), 'NX');
        if (taken !== 'OK') return undefined;
        return async () => {
          // A failed release is harmless: the lock expires by itself.
          await c.gcDataLockRelease(lockKey, owner).catch(() => undefined);
        };
      },
      // In memory the token provider's own single-flight is the only lock needed.
      async () => async () => {},
    );
  }

  /** Closes the connection if this store opened it (a client passed in stays open). */
  async disconnect(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#redis.owned) return;
    if (this.#client.status === 'ready') await this.#client.quit().catch(() => this.#client.disconnect());
    else this.#client.disconnect();
  }

  async #use<T>(viaRedis: (c: ScriptClient) => Promise<T>, inMemory: (m: MemoryTokenStore) => Promise<T>): Promise<T> {
    if (this.#memory) return inMemory(this.#memory);
    if (this.#closed) {
      throw new RedisUnavailableError('RedisTokenStore is closed (disconnect() was called)', { reason: 'closed', target: this.#redis.target });
    }
    const startError = await this.#startup;
    if (this.#client.status !== 'ready') {
      const cause = (startError === undefined ? this.#redis.lastError() : startError) ?? new Error(`connection ${this.#client.status}`);
      return this.#unavailable(cause, startError === undefined ? 'connection-lost' : 'connect-timeout', inMemory);
    }
    try {
      return await viaRedis(this.#client);
    } catch (e) {
      if (!isConnectionError(e, this.#client)) throw e;
      return this.#unavailable(e, 'connection-lost', inMemory);
    }
  }

  #unavailable<T>(cause: unknown, reason: 'connect-timeout' | 'connection-lost', inMemory: (m: MemoryTokenStore) => Promise<T>): Promise<T> {
    const target = this.#redis.target;
    if (this.#policy === 'local') {
      this.#memory = new MemoryTokenStore();
      this.#onWarning({
        code: 'redis-fallback',
        message:
          `RedisTokenStore: Redis at ${target} is unavailable (${errorText(cause)}); tokens are kept in this process from ` +
          'now on, so each worker mints its own.',
        details: { reason, store: 'token' },
      });
      return inMemory(this.#memory);
    }
    throw new RedisUnavailableError(
      `RedisTokenStore: Redis at ${target} is unavailable (${errorText(cause)}): the shared token cannot be read or stored. ` +
        "Start Redis or fix the connection, or set fallback: 'local' to keep tokens in memory instead.",
      { reason, target, cause },
    );
  }
}

function parseToken(raw: string | null): StoredToken | undefined {
  if (!raw) return undefined;
  try {
    const t = JSON.parse(raw) as Partial<StoredToken>;
    if (typeof t.accessToken !== 'string' || typeof t.expiresAt !== 'number' || typeof t.issuedAt !== 'number') return undefined;
    return { accessToken: t.accessToken, expiresAt: t.expiresAt, issuedAt: t.issuedAt };
  } catch {
    return undefined;
  }
}
